//! The handle the provider shares with its resources and data sources.
//!
//! Terraform asks for the resources before it configures the provider, so they hold this handle
//! and find the settings, and the clients built lazily from them, when they run. Resources and
//! data sources depend on this module, never on `provider`.

use std::sync::{Arc, OnceLock};

use futures::FutureExt;
use tf_provider::{Diagnostics, StopSignal};

use crate::aws::clients::{self, Clients, Settings};
use crate::aws::{AwsError, ErrorClass};
use crate::diag;
use crate::ratelimit::RateLimiter;
use crate::wait::{Limit, StopFuture};

pub struct Shared {
    settings: OnceLock<Settings>,
    clients: tokio::sync::OnceCell<Result<Arc<Clients>, String>>,
    caller: tokio::sync::OnceCell<String>,
    /// GetFindings: 3 requests/s, burst 6, as Security Hub documents.
    pub get_findings_rate: RateLimiter,
    /// BatchUpdateFindings: 10 requests/s.
    pub update_findings_rate: RateLimiter,
    /// Fired by Terraform's StopProvider (one Ctrl-C): every wait ends early, keeping its work.
    stop: StopSignal,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            settings: OnceLock::new(),
            clients: tokio::sync::OnceCell::new(),
            caller: tokio::sync::OnceCell::new(),
            get_findings_rate: RateLimiter::new(3.0, 6),
            update_findings_rate: RateLimiter::new(10.0, 10),
            stop: StopSignal::new(),
        }
    }
}

impl Shared {
    /// A handle whose waits end when `stop` fires (the signal given to `serve_with_stop`).
    pub fn with_stop(stop: StopSignal) -> Self {
        Shared { stop, ..Shared::default() }
    }

    /// Completes when Terraform asks the provider to stop.
    pub fn stop_future(&self) -> StopFuture {
        let stop = self.stop.clone();
        async move { stop.stopped().await }.boxed()
    }

    /// The bounds of a wait of `timeout`: its deadline, or Terraform's stop.
    pub fn limit(&self, timeout: std::time::Duration) -> Limit {
        Limit::new(timeout, self.stop_future())
    }

    /// Keeps the validated provider settings. Clients are built on first use, so a plan with
    /// nothing to read makes no AWS call. Only the first call counts.
    pub fn configure(&self, settings: Settings) {
        let _ = self.settings.set(settings);
    }

    pub async fn clients(&self) -> Result<Arc<Clients>, String> {
        self.clients
            .get_or_init(|| async {
                let settings = self.settings.get().cloned().unwrap_or_default();
                clients::build(&settings).await.map(Arc::new)
            })
            .await
            .clone()
    }

    /// The clients, or an error diagnostic saying why they could not be built.
    pub async fn clients_or_error(&self, diags: &mut Diagnostics) -> Option<Arc<Clients>> {
        match self.clients().await {
            Ok(c) => Some(c),
            Err(e) => {
                diag::error(diags, "Cannot configure AWS clients", e);
                None
            }
        }
    }

    /// The account of the provider's credentials, asked once per run. A failure is not kept,
    /// so the next caller asks again.
    pub async fn caller_account(&self) -> Result<String, AwsError> {
        let clients =
            self.clients().await.map_err(|e| AwsError::new("GetCallerIdentity", ErrorClass::Final, None, e))?;
        self.caller.get_or_try_init(|| async { clients.inspector.caller_account().await }).await.cloned()
    }
}

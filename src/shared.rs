//! The handle the provider shares with its resources and data sources.
//!
//! Terraform asks for the resources before it configures the provider, so they hold this handle
//! and find the settings, and the clients built lazily from them, when they run. Resources and
//! data sources depend on this module, never on `provider`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use tf_provider::Diagnostics;

use crate::aws::clients::{self, Clients, Settings};
use crate::diag;
use crate::ratelimit::RateLimiter;

pub struct Shared {
    settings: OnceLock<Settings>,
    clients: tokio::sync::OnceCell<Result<Arc<Clients>, String>>,
    caller: tokio::sync::OnceCell<String>,
    /// GetFindings: 3 requests/s, burst 6, as Security Hub documents.
    pub get_findings_rate: RateLimiter,
    /// BatchUpdateFindings: 10 requests/s.
    pub update_findings_rate: RateLimiter,
    /// Set when the provider configuration held values Terraform knows only at apply.
    config_unknown: AtomicBool,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            settings: OnceLock::new(),
            clients: tokio::sync::OnceCell::new(),
            caller: tokio::sync::OnceCell::new(),
            get_findings_rate: RateLimiter::new(3.0, 6),
            update_findings_rate: RateLimiter::new(10.0, 10),
            config_unknown: AtomicBool::new(false),
        }
    }
}

impl Shared {
    /// Keeps the validated provider settings. Clients are built on first use, so a plan with
    /// nothing to read makes no AWS call. Only the first call counts.
    pub fn configure(&self, settings: Settings) {
        let _ = self.settings.set(settings);
    }

    /// Records that the provider configuration (a role, Region, profile or endpoint) is not known
    /// yet. Clients built now would use the base credentials, so plans must show every
    /// caller-dependent value as unknown instead of guessing.
    pub fn mark_config_unknown(&self) {
        self.config_unknown.store(true, Ordering::Relaxed);
    }

    /// Whether the provider configuration is not known until apply: see [`Self::mark_config_unknown`].
    pub fn config_unknown(&self) -> bool {
        self.config_unknown.load(Ordering::Relaxed)
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

    /// The account of the provider's credentials, asked once per run.
    pub async fn caller_account(&self) -> Result<String, String> {
        let clients = self.clients().await?;
        self.caller
            .get_or_try_init(|| async { clients.inspector.caller_account().await.map_err(|e| e.to_string()) })
            .await
            .cloned()
    }
}

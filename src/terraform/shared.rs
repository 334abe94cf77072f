//! The handle the provider shares with its resources and data sources.
//!
//! Terraform asks for the resources before it configures the provider, so they hold this handle
//! and find the settings, and the clients built lazily from them, when they run. Resources and
//! data sources depend on this module, never on `provider`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use futures::FutureExt;
use tf_provider::{Diagnostics, StopSignal};

use crate::aws::clients::{self, Base, Clients, Settings};
use crate::aws::stop::StopWatch;
use crate::aws::{AwsError, ErrorClass};
use crate::domain::ratelimit::RateLimiter;
use crate::domain::wait::{Limit, StopFuture};
use crate::terraform::diag;

type ClientsCell = Arc<tokio::sync::OnceCell<Arc<Clients>>>;

pub struct Shared {
    settings: OnceLock<Settings>,
    /// The credentials and SDK settings every Region shares, loaded on first use.
    base: tokio::sync::OnceCell<Base>,
    /// Clients per Region, each built on the first use of its Region. The lock is held only to
    /// find or add a Region's cell; concurrent first uses of one Region wait on that cell, so
    /// they build once.
    clients: Mutex<HashMap<String, ClientsCell>>,
    caller: tokio::sync::OnceCell<String>,
    /// GetFindings: 3 requests/s, burst 6, as Security Hub documents.
    pub get_findings_rate: RateLimiter,
    /// BatchUpdateFindings: 10 requests/s.
    pub update_findings_rate: RateLimiter,
    /// Fired by Terraform's StopProvider (one Ctrl-C): every wait ends early, keeping its work.
    stop: StopSignal,
    /// Set when the provider configuration held values Terraform knows only at apply.
    config_unknown: AtomicBool,
    /// Set when the provider's Region (its `region` or `profile`) is known only at apply.
    region_unknown: AtomicBool,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            settings: OnceLock::new(),
            base: tokio::sync::OnceCell::new(),
            clients: Mutex::new(HashMap::new()),
            caller: tokio::sync::OnceCell::new(),
            get_findings_rate: RateLimiter::new(3.0, 6),
            update_findings_rate: RateLimiter::new(10.0, 10),
            stop: StopSignal::new(),
            config_unknown: AtomicBool::new(false),
            region_unknown: AtomicBool::new(false),
        }
    }
}

impl Shared {
    /// A handle whose waits end when `stop` fires (the signal given to `serve_with_stop`).
    pub fn with_stop(stop: StopSignal) -> Self {
        Shared { stop, ..Shared::default() }
    }

    /// A handle already configured with `settings`, as tests and tools need it.
    pub fn configured(settings: Settings) -> Self {
        let shared = Shared::default();
        shared.configure(settings);
        shared
    }

    /// Completes when Terraform asks the provider to stop.
    pub fn stop_future(&self) -> StopFuture {
        let stop = self.stop.clone();
        async move { stop.stopped().await }.boxed()
    }

    /// Whether Terraform has asked the provider to stop (Ctrl-C).
    pub fn stopped(&self) -> bool {
        self.stop.is_stopped()
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

    /// Records that the provider's Region is not known yet (its `region` or `profile` is known
    /// only at apply), so an unset `region` plans unknown. An unknown role or endpoint leaves the
    /// Region known, and what exists is not replaced for it.
    pub fn mark_region_unknown(&self) {
        self.region_unknown.store(true, Ordering::Relaxed);
    }

    /// Whether the provider's Region is not known until apply: see [`Self::mark_region_unknown`].
    pub fn region_unknown(&self) -> bool {
        self.region_unknown.load(Ordering::Relaxed)
    }

    fn settings(&self) -> Settings {
        self.settings.get().cloned().unwrap_or_default()
    }

    async fn base(&self) -> &Base {
        self.base.get_or_init(|| async { clients::load_base(&self.settings()).await }).await
    }

    /// The Region the provider resolves (its `region`, AWS_REGION / AWS_DEFAULT_REGION, or the
    /// profile's), with no AWS call.
    pub async fn provider_region(&self) -> Result<String, String> {
        self.base().await.region().ok_or_else(|| clients::NO_REGION.to_owned())
    }

    /// The clients of `region` (None: the provider's Region), built on first use and reused, with
    /// the provider's credentials, role, profile, retries and endpoints. Every call they make ends
    /// at Terraform's stop (one Ctrl-C): this is the one place clients are handed out.
    pub async fn clients_in(&self, region: Option<&str>) -> Result<Arc<Clients>, String> {
        let region = match region {
            Some(r) => r.to_owned(),
            None => self.provider_region().await?,
        };
        let cell = {
            // A poisoned lock only means another thread panicked while holding it: the map is intact.
            let mut map = self.clients.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(region.clone()).or_default().clone()
        };
        let built = cell
            .get_or_init(|| async {
                let built = clients::build_in(self.base().await, &self.settings(), &region).await;
                Arc::new(built.stoppable(Arc::new(self.stop.clone())))
            })
            .await;
        Ok(built.clone())
    }

    /// The clients of the provider's Region.
    pub async fn clients(&self) -> Result<Arc<Clients>, String> {
        self.clients_in(None).await
    }

    /// The clients, or an error diagnostic saying why they could not be built.
    pub async fn clients_or_error(&self, diags: &mut Diagnostics) -> Option<Arc<Clients>> {
        self.clients_in_or_error(diags, None).await
    }

    /// The clients of `region` (None: the provider's), or an error diagnostic saying why not.
    pub async fn clients_in_or_error(&self, diags: &mut Diagnostics, region: Option<&str>) -> Option<Arc<Clients>> {
        match self.clients_in(region).await {
            Ok(c) => Some(c),
            Err(e) => {
                diag::error(diags, "Cannot configure AWS clients", e);
                None
            }
        }
    }

    /// How many Regions have clients; for tests of the lazy build.
    #[cfg(test)]
    fn regions_built(&self) -> usize {
        self.clients.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The account of the provider's credentials, asked once per run. A failure is not kept,
    /// so the next caller asks again.
    pub async fn caller_account(&self) -> Result<String, AwsError> {
        if let Some(caller) = self.caller.get() {
            return Ok(caller.clone());
        }
        let clients =
            self.clients().await.map_err(|e| AwsError::new("GetCallerIdentity", ErrorClass::Final, None, e))?;
        self.caller.get_or_try_init(|| async { clients.inspector.caller_account().await }).await.cloned()
    }
}

/// Terraform's stop as the AWS boundary sees it.
impl StopWatch for StopSignal {
    fn is_stopped(&self) -> bool {
        StopSignal::is_stopped(self)
    }
    fn stopped(&self) -> futures::future::BoxFuture<'static, ()> {
        let stop = self.clone();
        async move { stop.stopped().await }.boxed()
    }
}

#[cfg(test)]
pub(crate) mod fake;

#[cfg(test)]
mod tests;

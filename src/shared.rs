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
use crate::aws::securityhub_types::{
    Control, FindingQuery, FindingRef, FindingUpdate, FindingsPage, SecurityHubApi, UpdateOutcome,
};
use crate::aws::{AwsError, ErrorClass};
use crate::diag;
use crate::ratelimit::RateLimiter;
use crate::wait::{Limit, StopFuture};

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
    /// the provider's credentials, role, profile, retries and endpoints.
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
            .get_or_init(|| async { Arc::new(clients::build_in(self.base().await, &self.settings(), &region).await) })
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
        let clients =
            self.clients().await.map_err(|e| AwsError::new("GetCallerIdentity", ErrorClass::Final, None, e))?;
        self.caller.get_or_try_init(|| async { clients.inspector.caller_account().await }).await.cloned()
    }
}

impl Shared {
    /// The Security Hub client, whose calls end at once when Terraform asks the provider to stop.
    /// Security Hub work has no `timeouts` block (each call is bounded by the SDK's operation
    /// timeout), so one Ctrl-C would otherwise wait out a long listing at 3 pages a second. A
    /// stopped call fails `Final`, so the domain code ends at the next call with what it reported.
    pub fn securityhub(&self, clients: &Clients) -> Arc<dyn SecurityHubApi> {
        Arc::new(StoppableSecurityHub { inner: clients.securityhub.clone(), stop: self.stop.clone() })
    }
}

struct StoppableSecurityHub {
    inner: Arc<dyn SecurityHubApi>,
    stop: StopSignal,
}

impl StoppableSecurityHub {
    async fn unless_stopped<T>(
        &self,
        operation: &'static str,
        call: impl std::future::Future<Output = Result<T, AwsError>>,
    ) -> Result<T, AwsError> {
        let stopped = || {
            AwsError::new(
                operation,
                ErrorClass::Final,
                None,
                "stopped by Terraform (interrupt) before the call answered",
            )
        };
        if self.stop.is_stopped() {
            return Err(stopped());
        }
        tokio::select! {
            biased;
            _ = self.stop.stopped() => Err(stopped()),
            out = call => out,
        }
    }
}

#[async_trait::async_trait]
impl SecurityHubApi for StoppableSecurityHub {
    async fn control(&self, control_id: &str) -> Result<Option<Control>, AwsError> {
        self.unless_stopped("BatchGetSecurityControls", self.inner.control(control_id)).await
    }

    async fn findings_page(&self, query: &FindingQuery, next_token: Option<String>) -> Result<FindingsPage, AwsError> {
        self.unless_stopped("GetFindings", self.inner.findings_page(query, next_token)).await
    }

    async fn update_findings(
        &self,
        findings: &[FindingRef],
        update: &FindingUpdate,
    ) -> Result<UpdateOutcome, AwsError> {
        self.unless_stopped("BatchUpdateFindings", self.inner.update_findings(findings, update)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Security Hub that never answers, like a black-holed endpoint.
    struct Silent;

    #[async_trait::async_trait]
    impl SecurityHubApi for Silent {
        async fn control(&self, _: &str) -> Result<Option<Control>, AwsError> {
            std::future::pending().await
        }
        async fn findings_page(&self, _: &FindingQuery, _: Option<String>) -> Result<FindingsPage, AwsError> {
            std::future::pending().await
        }
        async fn update_findings(&self, _: &[FindingRef], _: &FindingUpdate) -> Result<UpdateOutcome, AwsError> {
            std::future::pending().await
        }
    }

    fn in_region(region: &str) -> Shared {
        Shared::configured(Settings { region: Some(region.into()), ..Settings::default() })
    }

    #[tokio::test]
    async fn clients_are_built_once_per_region_and_reused() {
        let shared = in_region("us-east-1");
        assert_eq!(shared.provider_region().await.as_deref(), Ok("us-east-1"));
        let first_uses = futures::future::join_all((0..8).map(|_| shared.clients_in(Some("eu-west-1")))).await;
        let eu = first_uses[0].clone().unwrap();
        assert_eq!(eu.region, "eu-west-1");
        assert!(first_uses.iter().all(|c| Arc::ptr_eq(c.as_ref().unwrap(), &eu)), "one build for one Region");
        assert_eq!(shared.regions_built(), 1);
        let provider = shared.clients().await.unwrap();
        assert_eq!(provider.region, "us-east-1");
        assert!(Arc::ptr_eq(&provider, &shared.clients_in(Some("us-east-1")).await.unwrap()));
        assert!(Arc::ptr_eq(&eu, &shared.clients_in(Some("eu-west-1")).await.unwrap()));
        assert_eq!(shared.regions_built(), 2);
        let mut diags = Diagnostics::default();
        let gov = shared.clients_in_or_error(&mut diags, Some("us-gov-west-1")).await.unwrap();
        assert_eq!((gov.region.as_str(), diags.errors.len()), ("us-gov-west-1", 0));
    }

    #[tokio::test(start_paused = true)]
    async fn a_stop_ends_a_security_hub_call_in_flight_and_every_later_one() {
        let stop = StopSignal::new();
        let hub = StoppableSecurityHub { inner: Arc::new(Silent), stop: stop.clone() };
        let query = FindingQuery { control_id: "Inspector.2".into(), account_id: None, region: None };
        let stopper = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            stopper.stop();
        });
        let started = tokio::time::Instant::now();
        let err = hub.findings_page(&query, None).await.expect_err("a stopped call fails");
        assert_eq!(started.elapsed(), std::time::Duration::from_secs(5));
        assert!(err.is_final(), "{err}");
        assert!(err.to_string().contains("stopped by Terraform"), "{err}");
        let err = hub.control("Inspector.2").await.expect_err("later calls fail at once");
        assert_eq!(err.operation, "BatchGetSecurityControls");
        assert_eq!(started.elapsed(), std::time::Duration::from_secs(5));
    }
}

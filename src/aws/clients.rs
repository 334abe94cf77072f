//! Builds configured AWS clients from the provider's settings and the standard AWS environment.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider as TlsProvider};

use std::sync::Arc;

use super::call_log::CallLog;
use super::ecr::stoppable::StoppableEcr;
use super::errors::ErrorContext;
use super::inspector::api::{DelegatedAdminApi, InspectorApi};
use super::inspector::sdk::SdkInspector;
use super::inspector::stoppable::{StoppableDelegatedAdmin, StoppableInspector};
use super::organizations::api::OrganizationsApi;
use super::organizations::sdk::SdkOrganizations;
use super::organizations::stoppable::StoppableOrganizations;
use super::securityhub::api::SecurityHubApi;
use super::securityhub::sdk::SdkSecurityHub;
use super::securityhub::stoppable::StoppableSecurityHub;
use super::stop::StopWatch;

/// Environment variable that shortens the SDK's first retry backoff (default 1 s).
/// Meant for tests against a local emulator; never needed against AWS.
pub const RETRY_BACKOFF_ENV: &str = "INSPECTOR2FIX_RETRY_INITIAL_BACKOFF_MS";

/// Retries after the first attempt when `max_retries` is not set.
pub const DEFAULT_MAX_RETRIES: u32 = 5;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub inspector2: Option<String>,
    pub securityhub: Option<String>,
    pub sts: Option<String>,
    pub organizations: Option<String>,
}

/// The provider block, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub assume_role: Option<AssumeRole>,
    pub endpoints: Endpoints,
    pub max_retries: Option<u32>,
}

/// Connecting to an endpoint: a refused or unreachable one fails within this.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// One attempt of one call, its retries apart: an endpoint that accepts and never answers is
/// given up on after this, and the SDK retries.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// One call with all its SDK retries. Waits are bounded further by the `timeouts` deadline.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build()
}

/// Configured SDK clients of one Region, built on first use of that Region and reused.
pub struct Clients {
    pub region: String,
    pub inspector: Arc<dyn InspectorApi>,
    /// Inspector's delegated-administrator calls (the management account's).
    pub delegated_admin: Arc<dyn DelegatedAdminApi>,
    pub securityhub: Arc<dyn SecurityHubApi>,
    /// ECR, for the scan estimate (`AWS_ENDPOINT_URL_ECR` or `AWS_ENDPOINT_URL` to redirect it).
    pub ecr: Arc<dyn super::ecr::EcrApi>,
    /// AWS Organizations (global: the SDK's endpoint rules send every Region of a partition to
    /// its one endpoint, us-east-1 in `aws`), for Inspector policies.
    pub organizations: Arc<dyn OrganizationsApi>,
}

impl Clients {
    /// The same clients with every call cut off when `stop` fires (one Ctrl-C): the call in
    /// flight and every later one fail `Final`, naming the stop. The one place clients are handed
    /// out (`Shared`) wraps them all, so no resource or data source can forget it.
    pub fn stoppable(self, stop: Arc<dyn StopWatch>) -> Clients {
        Clients {
            region: self.region,
            inspector: Arc::new(StoppableInspector::new(self.inspector, stop.clone())),
            delegated_admin: Arc::new(StoppableDelegatedAdmin::new(self.delegated_admin, stop.clone())),
            securityhub: Arc::new(StoppableSecurityHub::new(self.securityhub, stop.clone())),
            ecr: Arc::new(StoppableEcr::new(self.ecr, stop.clone())),
            organizations: Arc::new(StoppableOrganizations::new(self.organizations, stop)),
        }
    }
}

fn retry_config(max_retries: u32) -> RetryConfig {
    let mut retry = RetryConfig::standard().with_max_attempts(max_retries.saturating_add(1));
    if let Some(ms) = std::env::var(RETRY_BACKOFF_ENV).ok().and_then(|v| v.parse::<u64>().ok()) {
        retry = retry.with_initial_backoff(Duration::from_millis(ms));
    }
    retry
}

/// A copy of `base` whose endpoint is `endpoint`, when set. Marked as programmatic config so it
/// beats AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> and profile endpoints, as an explicit
/// provider argument should; a plain `endpoint_url()` on the builder loses to them.
fn with_endpoint(base: &SdkConfig, endpoint: &Option<String>) -> SdkConfig {
    match endpoint {
        Some(url) => {
            let mut builder = base.to_builder();
            builder.set_endpoint_url(Some(url.clone()));
            builder.insert_origin("endpoint_url", aws_types::origin::Origin::shared_config());
            builder.build()
        }
        None => base.clone(),
    }
}

/// The provider's SDK configuration without its Region-specific clients: the HTTP client, retries,
/// timeouts, the profile and the credentials (the role's, when one is set). Loaded once and shared
/// by every Region, so one credentials cache serves them all and a role is assumed once.
#[derive(Clone, Debug)]
pub struct Base {
    config: SdkConfig,
    /// Whether the role, when set, is assumed per Region because no provider Region is known
    /// for its STS calls.
    role_per_region: bool,
}

impl Base {
    /// The Region the provider resolves: `region`, else AWS_REGION / AWS_DEFAULT_REGION, else the
    /// profile's. None when none of them is set.
    pub fn region(&self) -> Option<String> {
        self.config.region().map(|r| r.to_string())
    }
}

/// The error for a provider that resolves no Region, when a caller needs it.
pub const NO_REGION: &str = "No AWS Region is configured: set `region` in the provider block, or \
                             AWS_REGION, or a region in the AWS profile.";

/// Loads the base configuration. Makes no AWS call: credentials are resolved on first use.
pub async fn load_base(settings: &Settings) -> Base {
    // rustls with ring: no C toolchain beyond `cc`, and the platform's root certificates.
    let http_client =
        aws_smithy_http_client::Builder::new().tls_provider(TlsProvider::Rustls(CryptoMode::Ring)).build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .retry_config(retry_config(settings.max_retries.unwrap_or(DEFAULT_MAX_RETRIES)))
        .timeout_config(timeout_config());
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    let config = loader.load().await;
    match &settings.assume_role {
        Some(role) if config.region().is_some() => {
            Base { config: with_role(&config, role, &settings.endpoints.sts).await, role_per_region: false }
        }
        Some(_) => Base { config, role_per_region: true },
        None => Base { config, role_per_region: false },
    }
}

/// `config` with the credentials of `role`, assumed with `config`'s credentials through STS in
/// `config`'s Region.
async fn with_role(config: &SdkConfig, role: &AssumeRole, sts_endpoint: &Option<String>) -> SdkConfig {
    let mut builder =
        AssumeRoleProvider::builder(role.role_arn.clone()).configure(&with_endpoint(config, sts_endpoint));
    if let Some(name) = &role.session_name {
        builder = builder.session_name(name);
    }
    if let Some(id) = &role.external_id {
        builder = builder.external_id(id);
    }
    let provider = builder.build().await;
    config.to_builder().credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(provider)).build()
}

/// The clients of `region`, with the base's credentials and the provider's `endpoints` (which
/// apply to every Region).
pub async fn build_in(base: &Base, settings: &Settings, region: &str) -> Clients {
    let mut config = base.config.to_builder().region(Region::new(region.to_owned())).build();
    if let (true, Some(role)) = (base.role_per_region, &settings.assume_role) {
        config = with_role(&config, role, &settings.endpoints.sts).await;
    }
    let context = ErrorContext {
        profile: settings.profile.clone(),
        role_arn: settings.assume_role.as_ref().map(|r| r.role_arn.clone()),
    };
    let inspector2 = aws_sdk_inspector2::Client::from_conf(
        aws_sdk_inspector2::config::Builder::from(&with_endpoint(&config, &settings.endpoints.inspector2))
            .interceptor(CallLog)
            .build(),
    );
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&with_endpoint(&config, &settings.endpoints.sts))
            .interceptor(CallLog)
            .build(),
    );
    let securityhub = SdkSecurityHub {
        client: aws_sdk_securityhub::Client::from_conf(
            aws_sdk_securityhub::config::Builder::from(&with_endpoint(&config, &settings.endpoints.securityhub))
                .interceptor(CallLog)
                .build(),
        ),
        context: context.clone(),
    };
    let ecr = super::ecr::SdkEcr {
        client: aws_sdk_ecr::Client::from_conf(
            aws_sdk_ecr::config::Builder::from(&config).interceptor(CallLog).build(),
        ),
        context: context.clone(),
    };
    let organizations = SdkOrganizations {
        client: aws_sdk_organizations::Client::from_conf(
            aws_sdk_organizations::config::Builder::from(&with_endpoint(&config, &settings.endpoints.organizations))
                .interceptor(CallLog)
                .build(),
        ),
        context: context.clone(),
    };
    let inspector = Arc::new(SdkInspector { inspector2, sts, context });
    Clients {
        region: region.to_owned(),
        inspector: inspector.clone(),
        delegated_admin: inspector,
        securityhub: Arc::new(securityhub),
        ecr: Arc::new(ecr),
        organizations: Arc::new(organizations),
    }
}

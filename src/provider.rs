//! The `inspector2fix` provider: its configuration and the clients it shares with resources.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueList, ValueNumber, ValueString};
use tf_provider::{AttributePath, Diagnostics, DynamicDataSource, DynamicResource, Provider};

use crate::aws::clients::{self, AssumeRole, Clients, Endpoints, Settings};
use crate::ratelimit::RateLimiter;
use crate::schema::{attribute, block, optional_block, sensitive};
use crate::{diag, validate};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssumeRoleBlock<'a> {
    #[serde(borrow)]
    pub role_arn: ValueString<'a>,
    #[serde(borrow)]
    pub session_name: ValueString<'a>,
    #[serde(borrow)]
    pub external_id: ValueString<'a>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointsBlock<'a> {
    #[serde(borrow)]
    pub inspector2: ValueString<'a>,
    #[serde(borrow)]
    pub securityhub: ValueString<'a>,
    #[serde(borrow)]
    pub sts: ValueString<'a>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderConfig<'a> {
    #[serde(borrow)]
    pub region: ValueString<'a>,
    #[serde(borrow)]
    pub profile: ValueString<'a>,
    pub max_retries: ValueNumber,
    #[serde(borrow)]
    pub assume_role: ValueList<AssumeRoleBlock<'a>>,
    #[serde(borrow)]
    pub endpoints: ValueList<EndpointsBlock<'a>>,
}

fn known(v: &ValueString<'_>) -> Option<String> {
    match v {
        Value::Value(s) => Some(s.to_string()),
        _ => None,
    }
}

impl ProviderConfig<'_> {
    /// Checks every argument; errors name the argument. Unknown values pass (checked once known).
    pub fn check(&self, diags: &mut Diagnostics) {
        if let Value::Value(region) = &self.region {
            if region.is_empty() || !region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                diag::attr_error(
                    diags,
                    AttributePath::new("region"),
                    "Invalid region",
                    format!("region: {region:?} is not an AWS Region name such as \"us-east-1\""),
                );
            }
        }
        if let Value::Value(n) = self.max_retries {
            if !(0..=100).contains(&n) {
                diag::attr_error(
                    diags,
                    AttributePath::new("max_retries"),
                    "Invalid max_retries",
                    format!("max_retries: {n} is out of range: use a number from 0 to 100"),
                );
            }
        }
        if let Value::Value(roles) = &self.assume_role {
            for (i, role) in roles.iter().enumerate() {
                let path = || AttributePath::new("assume_role").index(i as i64);
                match &role.role_arn {
                    Value::Value(arn) => {
                        if let Err(e) = validate::role_arn(arn) {
                            diag::attr_error(
                                diags,
                                path().attribute("role_arn"),
                                "Invalid assume_role.role_arn",
                                format!("assume_role.role_arn: {e}"),
                            );
                        }
                    }
                    Value::Null => diag::attr_error(
                        diags,
                        path().attribute("role_arn"),
                        "Missing assume_role.role_arn",
                        "assume_role.role_arn: required inside an assume_role block",
                    ),
                    Value::Unknown => {}
                }
                if let Value::Value(name) = &role.session_name {
                    let ok = (2..=64).contains(&name.len())
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c));
                    if !ok {
                        diag::attr_error(
                            diags,
                            path().attribute("session_name"),
                            "Invalid assume_role.session_name",
                            "assume_role.session_name must be 2 to 64 characters of letters, digits and +=,.@-_",
                        );
                    }
                }
            }
        }
        if let Value::Value(endpoints) = &self.endpoints {
            for (i, ep) in endpoints.iter().enumerate() {
                for (name, value) in
                    [("inspector2", &ep.inspector2), ("securityhub", &ep.securityhub), ("sts", &ep.sts)]
                {
                    if let Value::Value(url) = value {
                        if let Err(e) = validate::endpoint_url(url) {
                            diag::attr_error(
                                diags,
                                AttributePath::new("endpoints").index(i as i64).attribute(name),
                                format!("Invalid endpoints.{name}"),
                                format!("endpoints.{name}: {e}"),
                            );
                        }
                    }
                }
            }
        }
    }

    pub fn settings(&self) -> Settings {
        let role = self.assume_role.as_ref_option().and_then(|r| r.first());
        let ep = self.endpoints.as_ref_option().and_then(|e| e.first());
        Settings {
            region: known(&self.region),
            profile: known(&self.profile),
            assume_role: role.and_then(|r| {
                Some(AssumeRole {
                    role_arn: known(&r.role_arn)?,
                    session_name: known(&r.session_name),
                    external_id: known(&r.external_id),
                })
            }),
            endpoints: ep
                .map(|e| Endpoints {
                    inspector2: known(&e.inspector2),
                    securityhub: known(&e.securityhub),
                    sts: known(&e.sts),
                })
                .unwrap_or_default(),
            max_retries: self.max_retries.as_ref_option().and_then(|n| u32::try_from(*n).ok()),
        }
    }
}

/// What the provider shares with its resources and data sources. Terraform asks for the
/// resources before it configures the provider, so they hold this handle and find the
/// settings, and the clients built lazily from them, when they run.
pub struct Shared {
    settings: OnceLock<Settings>,
    clients: tokio::sync::OnceCell<Result<Arc<Clients>, String>>,
    caller: tokio::sync::OnceCell<String>,
    /// GetFindings: 3 requests/s, burst 6, as Security Hub documents.
    pub get_findings_rate: RateLimiter,
    /// BatchUpdateFindings: 10 requests/s.
    pub update_findings_rate: RateLimiter,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            settings: OnceLock::new(),
            clients: tokio::sync::OnceCell::new(),
            caller: tokio::sync::OnceCell::new(),
            get_findings_rate: RateLimiter::new(3.0, 6),
            update_findings_rate: RateLimiter::new(10.0, 10),
        }
    }
}

impl Shared {
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

#[derive(Default)]
pub struct Inspector2FixProvider {
    shared: Arc<Shared>,
}

impl Inspector2FixProvider {
    pub fn schema_block() -> Block {
        let s = |d: &str| attribute(T::String, C::Optional, d);
        let mut b = block(
            "Fixes, and keeps fixed, AWS Security Hub control Inspector.2 (Amazon Inspector ECR scanning). \
             Credentials and Region come from the standard AWS environment unless set here.",
            [
                ("region", s("AWS Region, e.g. `us-east-1`. Default: `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's region.")),
                ("profile", s("Named profile from the shared AWS config and credentials files. Default: `AWS_PROFILE` or `default`.")),
                (
                    "max_retries",
                    attribute(T::Number, C::Optional, "How many times a throttled or failed AWS call is retried, with exponential backoff. 0 to 100, default 5."),
                ),
            ],
        );
        b.blocks.insert(
            "assume_role".into(),
            optional_block(block(
                "Assume this IAM role (e.g. the delegated Inspector administrator's) with the base credentials.",
                [
                    (
                        "role_arn",
                        attribute(T::String, C::Required, "ARN of the role, `arn:aws:iam::123456789012:role/NAME`."),
                    ),
                    ("session_name", s("Session name, 2 to 64 characters. Default: generated.")),
                    ("external_id", sensitive(s("External id the role's trust policy requires."))),
                ],
            )),
        );
        b.blocks.insert(
            "endpoints".into(),
            optional_block(block(
                "Custom endpoints, e.g. a local emulator or VPC endpoints. `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` also work.",
                [
                    ("inspector2", s("Inspector2 endpoint URL.")),
                    ("securityhub", s("Security Hub endpoint URL.")),
                    ("sts", s("STS endpoint URL (GetCallerIdentity, AssumeRole).")),
                ],
            )),
        );
        b
    }
}

#[async_trait]
impl Provider for Inspector2FixProvider {
    type Config<'a> = ProviderConfig<'a>;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        config.check(diags);
        Some(())
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        _terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        config.check(diags);
        if !diags.errors.is_empty() {
            return None;
        }
        // Clients are built on first use: a plan with nothing to read makes no AWS call.
        let _ = self.shared.settings.set(config.settings());
        Some(())
    }

    fn get_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        let mut map: HashMap<String, Box<dyn DynamicResource>> = HashMap::new();
        map.insert(
            "ecr_scanning".into(),
            Box::new(crate::resources::ecr_scanning::EcrScanning::new(self.shared.clone())),
        );
        map.insert(
            "control_suppression".into(),
            Box::new(crate::resources::control_suppression::ControlSuppression::new(self.shared.clone())),
        );
        Some(map)
    }

    fn get_data_sources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        let mut map: HashMap<String, Box<dyn DynamicDataSource>> = HashMap::new();
        map.insert(
            "security_hub_control".into(),
            Box::new(crate::data_sources::security_hub_control::SecurityHubControl::new(self.shared.clone())),
        );
        Some(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> ProviderConfig<'_> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn bad_arguments_are_named() {
        let cases = [
            (r#"{"max_retries": -1}"#, "max_retries"),
            (r#"{"region": "US East"}"#, "region"),
            (r#"{"assume_role": [{"role_arn": "admin"}]}"#, "assume_role.role_arn"),
            (r#"{"assume_role": [{"role_arn": null}]}"#, "assume_role.role_arn"),
            (r#"{"endpoints": [{"inspector2": "localhost:4566"}]}"#, "endpoints.inspector2"),
            (r#"{"endpoints": [{"sts": "ftp://x"}]}"#, "endpoints.sts"),
        ];
        for (json, name) in cases {
            let mut diags = Diagnostics::default();
            config(json).check(&mut diags);
            assert_eq!(diags.errors.len(), 1, "{json}");
            assert!(diags.errors[0].detail.starts_with(&format!("{name}:")), "{}", diags.errors[0].detail);
        }
    }

    #[test]
    fn good_arguments_become_settings() {
        let c = config(
            r#"{"region": "eu-west-1", "max_retries": 0,
                "assume_role": [{"role_arn": "arn:aws:iam::111111111111:role/admin", "session_name": "ci", "external_id": null}],
                "endpoints": [{"inspector2": "http://127.0.0.1:1234", "securityhub": null, "sts": null}]}"#,
        );
        let mut diags = Diagnostics::default();
        c.check(&mut diags);
        assert!(diags.errors.is_empty());
        let s = c.settings();
        assert_eq!(s.region.as_deref(), Some("eu-west-1"));
        assert_eq!(s.max_retries, Some(0));
        assert_eq!(s.assume_role.unwrap().session_name.as_deref(), Some("ci"));
        assert_eq!(s.endpoints.inspector2.as_deref(), Some("http://127.0.0.1:1234"));
    }
}

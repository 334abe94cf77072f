//! The `inspector2fix` provider: its schema, reading its configuration, and registering the
//! resources and data sources, each given the [`Shared`] handle.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueList, ValueString};
use tf_provider::{AttributePath, Diagnostics, DynamicDataSource, DynamicResource, Provider};

use crate::aws::clients::{AssumeRole, Endpoints, Settings};
use crate::data_sources::ecr_scan_estimate::EcrScanEstimate;
use crate::data_sources::ecr_scanning_compliance::EcrScanningCompliance;
use crate::data_sources::members::Members;
use crate::data_sources::security_hub_control::SecurityHubControl;
use crate::resources::control_suppression::ControlSuppression;
use crate::resources::ecr_auto_enable::EcrAutoEnable;
use crate::resources::ecr_rescan_configuration::EcrRescanConfiguration;
use crate::resources::ecr_scanning::EcrScanning;
use crate::schema::{attribute, block, optional_block, sensitive};
use crate::shared::Shared;
use crate::values::{known_string, Number};
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
    /// Any number decodes, so that 1.5 or 1e30 is refused by `check`, naming the attribute.
    pub max_retries: Value<Number>,
    #[serde(borrow)]
    pub assume_role: ValueList<AssumeRoleBlock<'a>>,
    #[serde(borrow)]
    pub endpoints: ValueList<EndpointsBlock<'a>>,
}

impl ProviderConfig<'_> {
    /// Checks every argument; errors name the argument. Unknown values pass (checked once known).
    pub fn check(&self, diags: &mut Diagnostics) {
        if let Value::Value(region) = &self.region {
            diag::invalid_attr(diags, AttributePath::new("region"), "region", validate::region(region));
        }
        if let Value::Value(n) = &self.max_retries {
            diag::invalid_attr(diags, AttributePath::new("max_retries"), "max_retries", validate::max_retries(n));
        }
        if let Value::Value(roles) = &self.assume_role {
            for (i, role) in roles.iter().enumerate() {
                role.check(diags, AttributePath::new("assume_role").index(i as i64));
            }
        }
        if let Value::Value(endpoints) = &self.endpoints {
            for (i, ep) in endpoints.iter().enumerate() {
                ep.check(diags, AttributePath::new("endpoints").index(i as i64));
            }
        }
    }

    pub fn settings(&self) -> Settings {
        let role = self.assume_role.as_ref_option().and_then(|r| r.first());
        let ep = self.endpoints.as_ref_option().and_then(|e| e.first());
        Settings {
            region: known_string(&self.region),
            profile: known_string(&self.profile),
            assume_role: role.and_then(AssumeRoleBlock::settings),
            endpoints: ep.map(EndpointsBlock::settings).unwrap_or_default(),
            max_retries: self.max_retries.as_ref_option().and_then(|n| validate::max_retries(n).ok()),
        }
    }

    /// Whether anything that decides who the caller is (Region, profile, role, endpoints) is not
    /// known yet, as when `role_arn` comes from a resource created in the same apply.
    pub fn caller_unknown(&self) -> bool {
        let role_unknown = match &self.assume_role {
            Value::Value(roles) => {
                roles.iter().any(|r| [&r.role_arn, &r.session_name, &r.external_id].into_iter().any(Value::is_unknown))
            }
            other => other.is_unknown(),
        };
        let endpoints_unknown = match &self.endpoints {
            Value::Value(eps) => {
                eps.iter().any(|e| [&e.inspector2, &e.securityhub, &e.sts].into_iter().any(Value::is_unknown))
            }
            other => other.is_unknown(),
        };
        self.region.is_unknown() || self.profile.is_unknown() || role_unknown || endpoints_unknown
    }
}

impl AssumeRoleBlock<'_> {
    fn check(&self, diags: &mut Diagnostics, path: AttributePath) {
        match &self.role_arn {
            Value::Value(arn) => diag::invalid_attr(
                diags,
                path.clone().attribute("role_arn"),
                "assume_role.role_arn",
                validate::role_arn(arn),
            ),
            Value::Null => diag::attr_error(
                diags,
                path.clone().attribute("role_arn"),
                "Missing assume_role.role_arn",
                "assume_role.role_arn: required inside an assume_role block",
            ),
            Value::Unknown => {}
        }
        if let Value::Value(name) = &self.session_name {
            if let Err(e) = validate::session_name(name) {
                diag::attr_error(
                    diags,
                    path.attribute("session_name"),
                    "Invalid assume_role.session_name",
                    format!("assume_role.session_name {e}"),
                );
            }
        }
    }

    /// None while the role ARN is not known.
    fn settings(&self) -> Option<AssumeRole> {
        Some(AssumeRole {
            role_arn: known_string(&self.role_arn)?,
            session_name: known_string(&self.session_name),
            external_id: known_string(&self.external_id),
        })
    }
}

impl EndpointsBlock<'_> {
    fn check(&self, diags: &mut Diagnostics, path: AttributePath) {
        for (name, value) in [("inspector2", &self.inspector2), ("securityhub", &self.securityhub), ("sts", &self.sts)]
        {
            if let Value::Value(url) = value {
                let attribute = format!("endpoints.{name}");
                diag::invalid_attr(diags, path.clone().attribute(name), &attribute, validate::endpoint_url(url));
            }
        }
    }

    fn settings(&self) -> Endpoints {
        Endpoints {
            inspector2: known_string(&self.inspector2),
            securityhub: known_string(&self.securityhub),
            sts: known_string(&self.sts),
        }
    }
}

#[derive(Default)]
pub struct Inspector2FixProvider {
    shared: Arc<Shared>,
}

impl Inspector2FixProvider {
    /// A provider whose waits end when `stop` fires.
    pub fn with_stop(stop: tf_provider::StopSignal) -> Self {
        Inspector2FixProvider { shared: Arc::new(Shared::with_stop(stop)) }
    }

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
                    attribute(T::Number, C::Optional, "How many times a throttled or failed AWS call is retried, with exponential backoff. A whole number from 0 to 100, default 5."),
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
        if config.caller_unknown() {
            // Settings built now would fall back to the base credentials: plans must not guess.
            self.shared.mark_config_unknown();
        }
        self.shared.configure(config.settings());
        Some(())
    }

    fn get_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        let mut map: HashMap<String, Box<dyn DynamicResource>> = HashMap::new();
        map.insert("ecr_scanning".into(), Box::new(EcrScanning::new(self.shared.clone())));
        map.insert("ecr_rescan_configuration".into(), Box::new(EcrRescanConfiguration::new(self.shared.clone())));
        map.insert("control_suppression".into(), Box::new(ControlSuppression::new(self.shared.clone())));
        map.insert("ecr_auto_enable".into(), Box::new(EcrAutoEnable::new(self.shared.clone())));
        Some(map)
    }

    fn get_data_sources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        let mut map: HashMap<String, Box<dyn DynamicDataSource>> = HashMap::new();
        map.insert("ecr_scan_estimate".into(), Box::new(EcrScanEstimate::new(self.shared.clone())));
        map.insert("security_hub_control".into(), Box::new(SecurityHubControl::new(self.shared.clone())));
        map.insert("members".into(), Box::new(Members::new(self.shared.clone())));
        map.insert("ecr_scanning_compliance".into(), Box::new(EcrScanningCompliance::new(self.shared.clone())));
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
            (r#"{"max_retries": 1.5}"#, "max_retries"),
            (r#"{"max_retries": "1000000000000000000000000000000"}"#, "max_retries"),
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
        assert!(!c.caller_unknown());
    }

    /// Serde's JSON form of an unknown value is the msgpack extension's shape; build configs with
    /// Value::Unknown directly instead.
    #[test]
    fn unknown_caller_inputs_are_noticed() {
        let role = |arn: ValueString<'static>| AssumeRoleBlock { role_arn: arn, ..Default::default() };
        let known = ProviderConfig {
            assume_role: Value::Value(vec![role(Value::Value("arn:aws:iam::111111111111:role/a".into()))]),
            ..Default::default()
        };
        assert!(!known.caller_unknown());
        let cases = [
            ProviderConfig { assume_role: Value::Value(vec![role(Value::Unknown)]), ..Default::default() },
            ProviderConfig { assume_role: Value::Unknown, ..Default::default() },
            ProviderConfig { region: Value::Unknown, ..Default::default() },
            ProviderConfig { profile: Value::Unknown, ..Default::default() },
            ProviderConfig {
                endpoints: Value::Value(vec![EndpointsBlock { sts: Value::Unknown, ..Default::default() }]),
                ..Default::default()
            },
        ];
        for (i, c) in cases.iter().enumerate() {
            assert!(c.caller_unknown(), "case {i}");
        }
        let retries_only = ProviderConfig { max_retries: Value::Unknown, ..Default::default() };
        assert!(!retries_only.caller_unknown(), "max_retries does not change who the caller is");
    }

    #[tokio::test]
    async fn configure_with_an_unknown_role_marks_the_shared_handle() {
        let provider = Inspector2FixProvider::default();
        let config = ProviderConfig {
            assume_role: Value::Value(vec![AssumeRoleBlock { role_arn: Value::Unknown, ..Default::default() }]),
            ..Default::default()
        };
        let mut diags = Diagnostics::default();
        assert_eq!(provider.configure(&mut diags, "1.11.0".into(), config).await, Some(()));
        assert!(diags.errors.is_empty());
        assert!(provider.shared.config_unknown());

        let provider = Inspector2FixProvider::default();
        provider.configure(&mut diags, "1.11.0".into(), ProviderConfig::default()).await;
        assert!(!provider.shared.config_unknown());
    }
}

//! The `inspector2fix` provider: its schema, reading its configuration, and registering the
//! resources and data sources, each given the [`Shared`] handle.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty, ValueList, ValueString};
use tf_provider::{
    AttributePath, Diagnostics, DynamicAction, DynamicDataSource, DynamicListResource, DynamicResource, Provider,
};

use crate::aws::clients::{AssumeRole, Endpoints, Settings};
use crate::terraform::actions::enable_ecr_scanning::EnableEcrScanning;
use crate::terraform::checks;
use crate::terraform::data_sources::ecr_scan_estimate::EcrScanEstimate;
use crate::terraform::data_sources::ecr_scanning_compliance::EcrScanningCompliance;
use crate::terraform::data_sources::members::Members;
use crate::terraform::data_sources::security_hub_control::SecurityHubControl;
use crate::terraform::list_resources::ecr_scanning::EcrScanningList;
use crate::terraform::list_resources::ecr_scanning_policy::EcrScanningPolicyList;
use crate::terraform::resources::control_suppression::ControlSuppression;
use crate::terraform::resources::delegated_admin::DelegatedAdminResource;
use crate::terraform::resources::ecr_auto_enable::EcrAutoEnable;
use crate::terraform::resources::ecr_rescan_configuration::EcrRescanConfiguration;
use crate::terraform::resources::ecr_scanning::EcrScanning;
use crate::terraform::resources::ecr_scanning_policy::EcrScanningPolicy;
use crate::terraform::schema::{attribute, block, optional_block, sensitive};
use crate::terraform::shared::Shared;
use crate::terraform::values::{known_string, Number};
use crate::{terraform::diag, validate};

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
    #[serde(borrow)]
    pub organizations: ValueString<'a>,
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
            diag::invalid_attr(diags, AttributePath::new("max_retries"), "max_retries", checks::max_retries(n));
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
            max_retries: self.max_retries.as_ref_option().and_then(|n| checks::max_retries(n).ok()),
        }
    }

    /// Whether anything that decides who the caller is (Region, profile, role, endpoints) is not
    /// known yet, as when `role_arn` comes from a resource created in the same apply.
    /// Whether the provider's Region is known only at apply: its `region`, or the profile it may
    /// come from.
    pub fn region_unknown(&self) -> bool {
        self.region.is_unknown() || self.profile.is_unknown()
    }

    pub fn caller_unknown(&self) -> bool {
        let role_unknown = match &self.assume_role {
            Value::Value(roles) => {
                roles.iter().any(|r| [&r.role_arn, &r.session_name, &r.external_id].into_iter().any(Value::is_unknown))
            }
            other => other.is_unknown(),
        };
        let endpoints_unknown = match &self.endpoints {
            Value::Value(eps) => eps
                .iter()
                .any(|e| [&e.inspector2, &e.securityhub, &e.sts, &e.organizations].into_iter().any(Value::is_unknown)),
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
        for (name, value) in [
            ("inspector2", &self.inspector2),
            ("securityhub", &self.securityhub),
            ("sts", &self.sts),
            ("organizations", &self.organizations),
        ] {
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
            organizations: known_string(&self.organizations),
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
                    (
                        "organizations",
                        s("AWS Organizations endpoint URL (Inspector policies). Organizations is global: the default is its partition's one endpoint, `organizations.us-east-1.amazonaws.com` in the `aws` partition."),
                    ),
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
        if config.region_unknown() {
            self.shared.mark_region_unknown();
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
        map.insert("ecr_scanning_policy".into(), Box::new(EcrScanningPolicy::new(self.shared.clone())));
        map.insert("delegated_admin".into(), Box::new(DelegatedAdminResource::new(self.shared.clone())));
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

    /// `terraform query` (Terraform 1.14 and later); each is named like its managed resource.
    fn get_list_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicListResource>>> {
        let mut map: HashMap<String, Box<dyn DynamicListResource>> = HashMap::new();
        map.insert("ecr_scanning".into(), Box::new(EcrScanningList::new(self.shared.clone())));
        map.insert("ecr_scanning_policy".into(), Box::new(EcrScanningPolicyList::new(self.shared.clone())));
        Some(map)
    }

    /// Actions (Terraform 1.14 and later): `action_trigger` and `terraform apply -invoke`.
    fn get_actions(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicAction>>> {
        let mut map: HashMap<String, Box<dyn DynamicAction>> = HashMap::new();
        map.insert("enable_ecr_scanning".into(), Box::new(EnableEcrScanning::new(self.shared.clone())));
        Some(map)
    }
}

#[cfg(test)]
mod tests;

//! Data source `inspector2fix_security_hub_control`: a Security Hub control and its compliance,
//! derived from the control's ACTIVE findings the way Security Hub derives it. Listing and the
//! compliance rule are in [`crate::domain::findings`]; this file translates them into Terraform values.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

use crate::aws::clients::Clients;
use crate::aws::errors::ServiceErrorCode;
use crate::aws::securityhub::api::{ConfigurationType, SecurityHubApi};
use crate::aws::securityhub::api::{Control, Finding, FindingQuery};
use crate::aws::AwsError;
use crate::domain::control_enablement::{self as enablement, Enablement, Read};
use crate::domain::findings::{self, Hub, DEFAULT_CONTROL};
use crate::terraform::checks;
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::{terraform::diag, terraform::region};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FindingObject {
    pub id: Value<String>,
    pub account_id: Value<String>,
    pub region: Value<String>,
    pub resource_id: Value<String>,
    pub compliance_status: Value<String>,
    pub workflow_status: Value<String>,
    pub record_state: Value<String>,
    pub updated_at: Value<String>,
}

impl From<&Finding> for FindingObject {
    fn from(f: &Finding) -> Self {
        let v = |s: &str| Value::Value(s.to_owned());
        // A status AWS left out reads as "", as it always has.
        let wire = |s: Option<&str>| v(s.unwrap_or_default());
        FindingObject {
            id: v(&f.id),
            account_id: v(&f.account_id),
            region: v(&f.region),
            resource_id: v(&f.resource_id),
            compliance_status: wire(f.compliance_status.as_ref().map(|s| s.as_str())),
            workflow_status: wire(f.workflow_status.as_ref().map(|s| s.as_str())),
            record_state: wire(f.record_state.as_ref().map(|s| s.as_str())),
            updated_at: v(&f.updated_at),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub id: Value<String>,
    pub control_id: Value<String>,
    pub account_id: Value<String>,
    pub title: Value<String>,
    pub severity: Value<String>,
    pub remediation_url: Value<String>,
    pub control_status: Value<String>,
    pub compliance_status: Value<String>,
    pub control_enabled: Value<bool>,
    pub disabled_reason: Value<String>,
    pub configuration_type: Value<String>,
    pub passed_count: Value<i64>,
    pub failed_count: Value<i64>,
    pub suppressed_count: Value<i64>,
    pub findings: Value<Vec<FindingObject>>,
    pub region: Value<String>,
}

pub struct SecurityHubControl {
    shared: Arc<Shared>,
}

const FINDING_FIELDS: [(&str, &str); 8] = [
    ("id", "Finding id (ARN)."),
    ("account_id", "Account the finding is about."),
    ("region", "Region of the finding."),
    ("resource_id", "Resource checked, e.g. `AWS::::Account:123456789012`."),
    ("compliance_status", "`PASSED`, `FAILED`, `WARNING` or `NOT_AVAILABLE`."),
    ("workflow_status", "`NEW`, `NOTIFIED`, `RESOLVED` or `SUPPRESSED`."),
    ("record_state", "Always `ACTIVE` here."),
    ("updated_at", "When Security Hub last updated the finding (ISO 8601)."),
];

impl SecurityHubControl {
    pub fn new(shared: Arc<Shared>) -> Self {
        SecurityHubControl { shared }
    }

    pub fn schema_block() -> Block {
        let computed = |d: &str| attribute(T::String, C::Computed, d);
        let count = |d: &str| attribute(T::Number, C::Computed, d);
        let finding_type =
            T::Object(FINDING_FIELDS.iter().map(|(n, _)| (n.to_string(), T::String)).collect::<HashMap<_, _>>());
        crate::terraform::schema::block(
            "A Security Hub security control (default Inspector.2) and its compliance, derived from the control's ACTIVE \
             findings as Security Hub derives it. Use it in a `check {}` block, or to decide between enabling ECR scanning \
             and suppressing the control.",
            [
                ("id", computed("`control_id`, or `control_id/account_id` when scoped to an account.")),
                (
                    "control_id",
                    attribute(T::String, C::OptionalComputed, &format!("Security control id. Default `\"{DEFAULT_CONTROL}\"`.")),
                ),
                ("account_id", attribute(T::String, C::Optional, "Only findings about this account (12 digits).")),
                ("title", computed("The control's title.")),
                ("severity", computed("`LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.")),
                ("remediation_url", computed("AWS's remediation instructions for the control.")),
                ("control_status", computed("`ENABLED` or `DISABLED`: whether the control is enabled in Security Hub (not whether it passes).")),
                (
                    "compliance_status",
                    computed(
                        "`DISABLED` when the control is disabled in every standard the account has enabled \
                         (`control_enabled = false`): a disabled control has no findings, so it neither passes nor \
                         fails. Otherwise, from the findings: `FAILED` if any non-suppressed ACTIVE finding failed; \
                         else `PASSED` if all passed; else `UNKNOWN` (WARNING or NOT_AVAILABLE); `NO_DATA` if no \
                         non-suppressed ACTIVE finding remains.",
                    ),
                ),
                (
                    "control_enabled",
                    attribute(
                        T::Bool,
                        C::Computed,
                        "Whether the control is enabled in at least one security standard the caller's account has \
                         enabled in `region` (ListStandardsControlAssociations). `false` when it is disabled in \
                         every one of them, or is in none: by a Security Hub central configuration policy, a Security \
                         Hub CSPM policy or by hand. Null, with a warning, when Security Hub refuses the read.",
                    ),
                ),
                (
                    "disabled_reason",
                    computed(
                        "Why the control is disabled: the reason Security Hub recorded for it (`UpdatedReason`, \
                         several joined with `; `), or a sentence when it is in none of the enabled standards. Null \
                         while the control is enabled, or when the read is refused.",
                    ),
                ),
                (
                    "configuration_type",
                    computed(
                        "How the organization configures Security Hub, from Security Hub's \
                         DescribeOrganizationConfiguration: `CENTRAL` (configuration policies of the Security Hub \
                         administrator decide which controls are enabled) or `LOCAL` (each account decides). Only \
                         the organization's Security Hub administrator may read it: for any other caller (Security \
                         Hub answers InvalidAccessException) it is null; a refusal by IAM (AccessDenied) is null \
                         with a warning naming the permission. Never a guess.",
                    ),
                ),
                ("passed_count", count("ACTIVE, non-suppressed findings that PASSED.")),
                ("failed_count", count("ACTIVE, non-suppressed findings that FAILED.")),
                ("suppressed_count", count("ACTIVE findings whose workflow status is SUPPRESSED.")),
                (
                    "findings",
                    attribute(
                        T::List(Box::new(finding_type)),
                        C::Computed,
                        &format!(
                            "Every ACTIVE finding of the control in `region` (whose `Region` is that Region, also in a Security Hub aggregation Region), suppressed ones included, sorted by account then id. Each has {}.",
                            FINDING_FIELDS.iter().map(|(n, d)| format!("`{n}` ({d})")).collect::<Vec<_>>().join(", ")
                        ),
                    ),
                ),
                ("region", region_attribute(RegionOf::DataSource)),
            ],
        )
    }

    /// Reports a failed Security Hub call, naming the caller's account when it is known.
    async fn fail<T>(&self, diags: &mut Diagnostics, e: &AwsError, clients: &Clients) -> Option<T> {
        let caller = self.shared.caller_account().await.ok();
        let (summary, detail) = findings::explain(e, caller.as_deref(), &clients.region);
        diag::error(diags, summary, detail);
        None
    }
}

/// What Security Hub says about the control's enablement and the organization, each None when
/// the read was refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Governance {
    pub enablement: Option<Enablement>,
    /// Some(None): read, and Security Hub named no type.
    pub configuration_type: Option<Option<ConfigurationType>>,
}

/// `DISABLED` for a control disabled everywhere, else the findings' compliance.
fn compliance_status(governance: &Governance, from_findings: &str) -> String {
    match governance.enablement.as_ref().and_then(Enablement::enabled) {
        Some(false) => "DISABLED".to_owned(),
        _ => from_findings.to_owned(),
    }
}

/// The data source's state: the control, its enablement, its compliance and every ACTIVE finding.
fn state(query: FindingQuery, control: Control, all: &[Finding], governance: &Governance) -> State {
    let c = findings::compliance(all);
    let enablement = governance.enablement.as_ref();
    State {
        id: Value::Value(findings::scoped_id(&query.control_id, query.account_id.as_deref())),
        control_id: Value::Value(query.control_id),
        account_id: query.account_id.clone().map(Value::Value).unwrap_or(Value::Null),
        title: Value::Value(control.title),
        severity: Value::Value(control.severity),
        remediation_url: Value::Value(control.remediation_url),
        control_status: Value::Value(control.status),
        compliance_status: Value::Value(compliance_status(governance, c.status.as_str())),
        control_enabled: enablement.and_then(Enablement::enabled).map(Value::Value).unwrap_or(Value::Null),
        disabled_reason: enablement.and_then(Enablement::disabled_reason).map(Value::Value).unwrap_or(Value::Null),
        configuration_type: match &governance.configuration_type {
            Some(Some(t)) => Value::Value(t.as_str().to_owned()),
            _ => Value::Null,
        },
        passed_count: Value::Value(c.passed),
        failed_count: Value::Value(c.failed),
        suppressed_count: Value::Value(c.suppressed),
        findings: Value::Value(all.iter().map(FindingObject::from).collect()),
        region: query.region.map(Value::Value).unwrap_or(Value::Null),
    }
}

/// Reads the control's enablement and the configuration type; a refusal is a warning and a null,
/// any other failure an error.
async fn governance(
    diags: &mut Diagnostics,
    api: &dyn SecurityHubApi,
    control_id: &str,
) -> Result<Governance, AwsError> {
    let enablement = match enablement::enablement(api, control_id).await? {
        Read::Known(e) => Some(e),
        Read::Refused(e) => {
            diag::warning(diags, "Cannot tell whether the control is enabled", enablement::enablement_refused(&e));
            None
        }
    };
    let configuration_type = match enablement::configuration_type(api).await? {
        Read::Known(t) => Some(t),
        // Security Hub's own answer that the caller is not its administrator: only the
        // administrator can see the configuration type, so null is what this caller can know.
        Read::Refused(e) if e.is(ServiceErrorCode::InvalidAccess) => None,
        Read::Refused(e) => {
            diag::warning(
                diags,
                "Cannot read Security Hub's configuration type",
                enablement::configuration_refused(&e),
            );
            None
        }
    };
    Ok(Governance { enablement, configuration_type })
}

#[async_trait]
impl DataSource for SecurityHubControl {
    type State<'a> = State;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        checks::control_and_account(diags, &config.control_id, &config.account_id);
        region::check(diags, &config.region);
        Some(())
    }

    async fn read<'a>(&self, diags: &mut Diagnostics, config: State, _meta: ValueEmpty) -> Option<State> {
        let region = region::to_read(&self.shared, diags, &config.region).await?;
        let query = FindingQuery {
            control_id: findings::control_or_default(config.control_id.as_ref_option().map(String::as_str)),
            account_id: config.account_id.as_ref_option().cloned(),
            region: Some(region),
        };
        let clients = self.shared.clients_in_or_error(diags, query.region.as_deref()).await?;
        let api = clients.securityhub.clone();
        let hub = Hub {
            api: api.as_ref(),
            list_rate: &self.shared.get_findings_rate,
            update_rate: &self.shared.update_findings_rate,
        };
        let control = match hub.api.control(&query.control_id).await {
            Ok(Some(c)) => c,
            Ok(None) => {
                let detail = findings::unknown_control(&query.control_id);
                diag::attr_error(diags, AttributePath::new("control_id"), "Unknown control", detail);
                return None;
            }
            Err(e) => return self.fail(diags, &e, &clients).await,
        };
        let governance = match governance(diags, hub.api, &query.control_id).await {
            Ok(g) => g,
            Err(e) => return self.fail(diags, &e, &clients).await,
        };
        match findings::list(&hub, &query).await {
            Ok(all) => Some(state(query, control, &all, &governance)),
            Err(e) => self.fail(diags, &e, &clients).await,
        }
    }
}

#[cfg(test)]
mod tests;

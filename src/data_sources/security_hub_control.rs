//! Data source `inspector2fix_security_hub_control`: a Security Hub control and its compliance,
//! derived from the control's ACTIVE findings the way Security Hub derives it.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

use crate::aws::{Finding, FindingQuery};
use crate::findings::{self, DEFAULT_CONTROL};
use crate::schema::attribute;
use crate::shared::Shared;
use crate::{diag, validate};

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
        let v = |s: &String| Value::Value(s.clone());
        FindingObject {
            id: v(&f.id),
            account_id: v(&f.account_id),
            region: v(&f.region),
            resource_id: v(&f.resource_id),
            compliance_status: v(&f.compliance_status),
            workflow_status: v(&f.workflow_status),
            record_state: v(&f.record_state),
            updated_at: v(&f.updated_at),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ControlState {
    pub id: Value<String>,
    pub control_id: Value<String>,
    pub account_id: Value<String>,
    pub title: Value<String>,
    pub severity: Value<String>,
    pub remediation_url: Value<String>,
    pub control_status: Value<String>,
    pub compliance_status: Value<String>,
    pub passed_count: Value<i64>,
    pub failed_count: Value<i64>,
    pub suppressed_count: Value<i64>,
    pub findings: Value<Vec<FindingObject>>,
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
        crate::schema::block(
            "A Security Hub security control (default Inspector.2) and its compliance, derived from the control's ACTIVE \
             findings as Security Hub derives it. Use it in a `check {}` block, or to decide between enabling ECR scanning \
             and suppressing the control.",
            [
                ("id", computed("`control_id`, or `control_id/account_id` when scoped to an account.")),
                ("control_id", attribute(T::String, C::OptionalComputed, "Security control id. Default `\"Inspector.2\"`.")),
                ("account_id", attribute(T::String, C::Optional, "Only findings about this account (12 digits).")),
                ("title", computed("The control's title.")),
                ("severity", computed("`LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.")),
                ("remediation_url", computed("AWS's remediation instructions for the control.")),
                ("control_status", computed("`ENABLED` or `DISABLED`: whether the control is enabled in Security Hub (not whether it passes).")),
                (
                    "compliance_status",
                    computed(
                        "`FAILED` if any non-suppressed ACTIVE finding failed; else `PASSED` if all passed; else `UNKNOWN` \
                         (WARNING or NOT_AVAILABLE); `NO_DATA` if no non-suppressed ACTIVE finding remains.",
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
                            "Every ACTIVE finding of the control, suppressed ones included, sorted by account then id. Each has {}.",
                            FINDING_FIELDS.iter().map(|(n, d)| format!("`{n}` ({d})")).collect::<Vec<_>>().join(", ")
                        ),
                    ),
                ),
            ],
        )
    }
}

pub fn check(diags: &mut Diagnostics, control_id: &Value<String>, account_id: &Value<String>) {
    if let Value::Value(id) = control_id {
        if let Err(e) = findings::validate_control_id(id) {
            diag::attr_error(diags, AttributePath::new("control_id"), "Invalid control_id", format!("control_id: {e}"));
        }
    }
    if let Value::Value(account) = account_id {
        if let Err(e) = validate::account_id(account) {
            diag::attr_error(diags, AttributePath::new("account_id"), "Invalid account_id", format!("account_id: {e}"));
        }
    }
}

#[async_trait]
impl DataSource for SecurityHubControl {
    type State<'a> = ControlState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: ControlState) -> Option<()> {
        check(diags, &config.control_id, &config.account_id);
        Some(())
    }

    async fn read<'a>(&self, diags: &mut Diagnostics, config: ControlState, _meta: ValueEmpty) -> Option<ControlState> {
        let control_id = config.control_id.as_ref_option().cloned().unwrap_or_else(|| DEFAULT_CONTROL.to_owned());
        let account_id = config.account_id.as_ref_option().cloned();
        let clients = self.shared.clients_or_error(diags).await?;
        let api = clients.securityhub.as_ref();
        let fail = |diags: &mut Diagnostics, e: &crate::aws::AwsError, caller: Option<String>| {
            let (summary, detail) = findings::explain(e, caller.as_deref(), &clients.region);
            diag::error(diags, summary, detail);
        };
        let control = match api.control(&control_id).await {
            Ok(Some(c)) => c,
            Ok(None) => {
                diag::attr_error(
                    diags,
                    AttributePath::new("control_id"),
                    "Unknown control",
                    format!("control_id: Security Hub has no security control {control_id:?}. Check the id, e.g. \"Inspector.2\"."),
                );
                return None;
            }
            Err(e) => {
                fail(diags, &e, self.shared.caller_account().await.ok());
                return None;
            }
        };
        let query = FindingQuery { control_id: control_id.clone(), account_id: account_id.clone() };
        let all = match findings::list(api, &self.shared.get_findings_rate, &query).await {
            Ok(all) => all,
            Err(e) => {
                fail(diags, &e, self.shared.caller_account().await.ok());
                return None;
            }
        };
        let c = findings::compliance(&all);
        Some(ControlState {
            id: Value::Value(match &account_id {
                Some(a) => format!("{control_id}/{a}"),
                None => control_id.clone(),
            }),
            control_id: Value::Value(control_id),
            account_id: config.account_id,
            title: Value::Value(control.title),
            severity: Value::Value(control.severity),
            remediation_url: Value::Value(control.remediation_url),
            control_status: Value::Value(control.status),
            compliance_status: Value::Value(c.status.to_owned()),
            passed_count: Value::Value(c.passed),
            failed_count: Value::Value(c.failed),
            suppressed_count: Value::Value(c.suppressed),
            findings: Value::Value(all.iter().map(FindingObject::from).collect()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_arguments_are_named() {
        let mut diags = Diagnostics::default();
        check(&mut diags, &Value::Value("Inspector 2".into()), &Value::Value("12".into()));
        assert_eq!(diags.errors.len(), 2);
        assert!(diags.errors[0].detail.starts_with("control_id:"));
        assert!(diags.errors[1].detail.starts_with("account_id:"));
        let mut diags = Diagnostics::default();
        check(&mut diags, &Value::Value("S3.1".into()), &Value::Unknown);
        assert!(diags.errors.is_empty());
    }
}

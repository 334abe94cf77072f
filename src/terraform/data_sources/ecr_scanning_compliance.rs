//! Data source `inspector2fix_ecr_scanning_compliance`: Inspector.2 evaluated now from
//! Inspector's own answers, by AWS's published rule, so a `check {}` block or a postcondition
//! can assert PASSED right after a fix. The rule lives in [`crate::domain::compliance`].

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

use crate::aws::clients::Clients;
use crate::domain::compliance::{self, Evaluation, EvaluationError, PolicyNotes, Role, Verdict};
use crate::domain::organization::{ReadError, READ_TIMEOUT};
use crate::domain::policy_cause;
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::terraform::values::{string_set, StringSet};
use crate::{terraform::diag, terraform::region};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountObject {
    pub account_id: Value<String>,
    pub relationship_status: Value<String>,
    pub ecr_status: Value<String>,
    pub passes: Value<bool>,
    pub reason: Value<String>,
    pub hint: Value<String>,
    pub policy_managed: Value<bool>,
}

impl From<&Verdict> for AccountObject {
    fn from(v: &Verdict) -> Self {
        let opt = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Value(s.to_owned()));
        AccountObject {
            account_id: Value::Value(v.account_id.clone()),
            relationship_status: opt(v.relationship_status.as_ref().map(|s| s.as_str())),
            ecr_status: opt(v.ecr_status.as_ref().map(|s| s.as_str())),
            passes: Value::Value(v.passes),
            reason: Value::Value(v.reason.clone()),
            hint: opt(v.hint.as_deref()),
            policy_managed: v.policy_managed.map_or(Value::Null, Value::Value),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub region: Value<String>,
    pub expected_role: Value<String>,
    pub role: Value<String>,
    pub compliance_status: Value<String>,
    pub accounts: Value<Vec<AccountObject>>,
    pub failing_account_ids: StringSet,
    pub auto_enable_ecr: Value<bool>,
}

pub const ACCOUNT_FIELDS: [(&str, &str); 7] = [
    ("account_id", "The account judged."),
    (
        "relationship_status",
        "Its relationship with the administrator (`ENABLED`, `ACCOUNT_SUSPENDED`); null for the caller itself.",
    ),
    ("ecr_status", "Its ECR scanning status (`ENABLED`, `ENABLING`, `DISABLED`, ...); null when it could not be read."),
    ("passes", "Whether the account satisfies the rule (its ECR scanning is `ENABLED`)."),
    ("reason", "Why, e.g. `ECR scanning is ENABLING`."),
    ("hint", "A next step; null when none is needed."),
    (
        "policy_managed",
        "Whether an AWS Organizations Inspector policy (`INSPECTOR_POLICY`) decides the account's ECR scanning in this \
         Region; looked up only for failing accounts (the first 100), null when not looked up or when Organizations \
         could not be read. When a policy disables it, `reason` names the policy (id and name) and `hint` says what \
         to change.",
    ),
];

pub struct EcrScanningCompliance {
    shared: Arc<Shared>,
}

impl EcrScanningCompliance {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrScanningCompliance { shared }
    }

    pub fn schema_block() -> Block {
        let computed = |t: T, d: &str| attribute(t, C::Computed, d);
        let account_type = T::Object(
            ACCOUNT_FIELDS
                .iter()
                .map(|(n, _)| {
                    (n.to_string(), if *n == "passes" || *n == "policy_managed" { T::Bool } else { T::String })
                })
                .collect::<HashMap<_, _>>(),
        );
        let fields = ACCOUNT_FIELDS.iter().map(|(n, d)| format!("`{n}` ({d})")).collect::<Vec<_>>().join(", ");
        crate::terraform::schema::block(
            "Security Hub control Inspector.2 evaluated now, by AWS's published rule, from Inspector's own answers, so a \
             `check {}` block or a postcondition can assert `PASSED` right after a fix instead of waiting for Security \
             Hub's periodic evaluation (up to about 12 hours).",
            [
                ("region", region_attribute(RegionOf::DataSource)),
                (
                    "expected_role",
                    attribute(
                        T::String,
                        C::Optional,
                        "`STANDALONE`, `DELEGATED_ADMIN` or `MEMBER`: the role the caller is expected to have. The role \
                         is decided from positive answers (DescribeOrganizationConfiguration answers only the \
                         delegated administrator; GetMember of the caller names a member's administrator; when \
                         neither does and this is not set, AWS Organizations' DescribeOrganization answering that the \
                         account is in no organization proves STANDALONE); when they prove no role, because a call \
                         was refused or failed or the account is in an organization without an Inspector role, the \
                         read fails naming the permissions, unless this is set: then the caller is judged in this \
                         role. An answer proving another role \
                         is an error. A DELEGATED_ADMIN is judged only after every member was read.",
                    ),
                ),
                ("role", computed(T::String, "`STANDALONE`, `DELEGATED_ADMIN` or `MEMBER`: the caller's place in Inspector's organization.")),
                (
                    "compliance_status",
                    computed(
                        T::String,
                        "`PASSED`, `FAILED`, or `NOT_APPLICABLE` for a member account (AWS evaluates Inspector.2 in the \
                         administrator's account).",
                    ),
                ),
                (
                    "accounts",
                    computed(T::List(Box::new(account_type)), &format!("Every account judged, sorted. Each has {fields}.")),
                ),
                ("failing_account_ids", computed(T::Set(Box::new(T::String)), "The accounts that do not pass.")),
                (
                    "auto_enable_ecr",
                    computed(T::Bool, "The organization's auto-enable flag for ECR; null unless the caller is the delegated administrator."),
                ),
            ],
        )
    }

    /// The evaluation for the caller in the provider's Region, or the error users read.
    async fn evaluate(
        &self,
        clients: &Clients,
        expected: Option<&Role>,
    ) -> Result<(Evaluation, PolicyNotes), EvaluationError> {
        let mut limit = self.shared.limit(READ_TIMEOUT);
        let caller = match limit.run(self.shared.caller_account()).await {
            Ok(Ok(account)) => account,
            Ok(Err(e)) => return Err(EvaluationError::Read(ReadError::Failed(e))),
            Err(ended) => {
                return Err(ReadError::Ended { ended, timeout: READ_TIMEOUT, operation: "GetCallerIdentity" }.into())
            }
        };
        let mut evaluation = compliance::evaluate(
            clients.inspector.as_ref(),
            clients.organizations.as_ref(),
            &mut limit,
            &caller,
            &clients.region,
            expected,
        )
        .await?;
        let explained = compliance::explain_failing(clients.organizations.as_ref(), &clients.region, &mut evaluation);
        let notes = match limit.run(explained).await {
            Ok(notes) => notes,
            Err(_) => PolicyNotes {
                not_checked: 0,
                denied: Some(
                    "the Inspector policy lookups ended before they finished (timeout or Terraform's stop)".into(),
                ),
            },
        };
        Ok((evaluation, notes))
    }
}

/// Failing accounts whose Inspector policy was not looked up, and why.
fn warn_policy_notes(diags: &mut Diagnostics, notes: &PolicyNotes) {
    if notes.not_checked > 0 {
        diag::warning(
            diags,
            "Inspector policies looked up for the first 100 failing accounts only",
            format!(
                "Whether an AWS Organizations Inspector policy disables ECR scanning was looked up for the first {} \
                 failing accounts, and {} more not checked: their policy_managed is null.",
                policy_cause::MAX_LOOKUPS,
                notes.not_checked
            ),
        );
    }
    if let Some(denied) = &notes.denied {
        diag::warning(
            diags,
            "AWS Organizations could not be read",
            format!("{denied}. policy_managed is null for the accounts not looked up."),
        );
    }
}

fn state(config: State, region: String, e: &Evaluation) -> State {
    State {
        region: Value::Value(region),
        expected_role: config.expected_role,
        role: Value::Value(e.role.as_str().to_owned()),
        compliance_status: Value::Value(e.status.as_str().to_owned()),
        accounts: Value::Value(e.accounts.iter().map(AccountObject::from).collect()),
        failing_account_ids: string_set(&e.failing_account_ids),
        auto_enable_ecr: e.auto_enable_ecr.map_or(Value::Null, Value::Value),
    }
}

#[async_trait]
impl DataSource for EcrScanningCompliance {
    type State<'a> = State;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        region::check(diags, &config.region);
        if let Value::Value(role) = &config.expected_role {
            diag::invalid_attr(diags, AttributePath::new("expected_role"), "expected_role", Role::expected(role));
        }
        Some(())
    }

    async fn read<'a>(&self, diags: &mut Diagnostics, config: State, _meta: ValueEmpty) -> Option<State> {
        let region = region::to_read(&self.shared, diags, &config.region).await?;
        let expected = match config.expected_role.as_ref_option().map(|r| Role::expected(r)).transpose() {
            Ok(expected) => expected,
            Err(reason) => {
                diag::invalid_attr::<()>(diags, AttributePath::new("expected_role"), "expected_role", Err(reason));
                return None;
            }
        };
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        match self.evaluate(&clients, expected.as_ref()).await {
            Ok((evaluation, notes)) => {
                if let Some(warning) = evaluation.auto_enable_warning(&region) {
                    diag::warning(diags, "Auto-enable for ECR scanning is off", warning);
                }
                if let Some(warning) = evaluation.unread_configuration_warning() {
                    diag::warning(diags, "Auto-enable for ECR scanning could not be read", warning);
                }
                warn_policy_notes(diags, &notes);
                Some(state(config, region, &evaluation))
            }
            Err(e) if e.is_about_expected_role() => {
                diag::attr_error(diags, AttributePath::new("expected_role"), e.summary(), e.to_string());
                None
            }
            Err(e) => {
                diag::error(diags, e.summary(), e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;

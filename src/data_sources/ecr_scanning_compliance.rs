//! Data source `inspector2fix_ecr_scanning_compliance`: Inspector.2 evaluated now from
//! Inspector's own answers, by AWS's published rule, so a `check {}` block or a postcondition
//! can assert PASSED right after a fix. The rule lives in [`crate::compliance`].

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use crate::aws::clients::Clients;
use crate::compliance::{self, Evaluation, Verdict};
use crate::organization::{ReadError, READ_TIMEOUT};
use crate::schema::{attribute, region_attribute, RegionOf};
use crate::shared::Shared;
use crate::values::{string_set, StringSet};
use crate::{diag, region};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountObject {
    pub account_id: Value<String>,
    pub relationship_status: Value<String>,
    pub ecr_status: Value<String>,
    pub passes: Value<bool>,
    pub reason: Value<String>,
    pub hint: Value<String>,
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
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplianceState {
    pub region: Value<String>,
    pub role: Value<String>,
    pub compliance_status: Value<String>,
    pub accounts: Value<Vec<AccountObject>>,
    pub failing_account_ids: StringSet,
    pub auto_enable_ecr: Value<bool>,
}

pub const ACCOUNT_FIELDS: [(&str, &str); 6] = [
    ("account_id", "The account judged."),
    (
        "relationship_status",
        "Its relationship with the administrator (`ENABLED`, `ACCOUNT_SUSPENDED`); null for the caller itself.",
    ),
    ("ecr_status", "Its ECR scanning status (`ENABLED`, `ENABLING`, `DISABLED`, ...); null when it could not be read."),
    ("passes", "Whether the account satisfies the rule (its ECR scanning is `ENABLED`)."),
    ("reason", "Why, e.g. `ECR scanning is ENABLING`."),
    ("hint", "A next step; null when none is needed."),
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
                .map(|(n, _)| (n.to_string(), if *n == "passes" { T::Bool } else { T::String }))
                .collect::<HashMap<_, _>>(),
        );
        let fields = ACCOUNT_FIELDS.iter().map(|(n, d)| format!("`{n}` ({d})")).collect::<Vec<_>>().join(", ");
        crate::schema::block(
            "Security Hub control Inspector.2 evaluated now, by AWS's published rule, from Inspector's own answers, so a \
             `check {}` block or a postcondition can assert `PASSED` right after a fix instead of waiting for Security \
             Hub's periodic evaluation (up to about 12 hours).",
            [
                ("region", region_attribute(RegionOf::DataSource)),
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
    async fn evaluate(&self, clients: &Clients) -> Result<Evaluation, (String, String)> {
        let mut limit = self.shared.limit(READ_TIMEOUT);
        let caller = match limit.run(self.shared.caller_account()).await {
            Ok(Ok(account)) => account,
            Ok(Err(e)) => return Err(("Cannot identify the caller".into(), e.to_string())),
            Err(ended) => {
                let e = ReadError::Ended { ended, timeout: READ_TIMEOUT, operation: "GetCallerIdentity" };
                return Err((e.summary().into(), e.to_string()));
            }
        };
        let evaluation = compliance::evaluate(clients.inspector.as_ref(), &mut limit, &caller, &clients.region).await;
        evaluation.map_err(|e| (e.summary().into(), e.to_string()))
    }
}

fn state(region: String, e: &Evaluation) -> ComplianceState {
    ComplianceState {
        region: Value::Value(region),
        role: Value::Value(e.role.as_str().to_owned()),
        compliance_status: Value::Value(e.status.as_str().to_owned()),
        accounts: Value::Value(e.accounts.iter().map(AccountObject::from).collect()),
        failing_account_ids: string_set(&e.failing_account_ids),
        auto_enable_ecr: e.auto_enable_ecr.map_or(Value::Null, Value::Value),
    }
}

#[async_trait]
impl DataSource for EcrScanningCompliance {
    type State<'a> = ComplianceState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: ComplianceState) -> Option<()> {
        region::check(diags, &config.region);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: ComplianceState,
        _meta: ValueEmpty,
    ) -> Option<ComplianceState> {
        let region = region::to_read(&self.shared, diags, &config.region).await?;
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        match self.evaluate(&clients).await {
            Ok(evaluation) => {
                if let Some(warning) = evaluation.auto_enable_warning(&region) {
                    diag::warning(diags, "Auto-enable for ECR scanning is off", warning);
                }
                Some(state(region, &evaluation))
            }
            Err((summary, detail)) => {
                diag::error(diags, summary, detail);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::aws::organization::RelationshipStatus;
    use crate::aws::EcrStatus;
    use crate::compliance::{Role, Status};

    fn verdict(account: &str, passes: bool, hint: Option<&str>) -> Verdict {
        Verdict {
            account_id: account.into(),
            relationship_status: (account != "111111111111").then_some(RelationshipStatus::Enabled),
            ecr_status: passes.then_some(EcrStatus::Enabled),
            passes,
            reason: "why".into(),
            hint: hint.map(str::to_owned),
        }
    }

    #[test]
    fn an_evaluation_becomes_state_with_nulls_where_nothing_is_known() {
        let evaluation = Evaluation {
            role: Role::DelegatedAdmin,
            status: Status::Failed,
            accounts: vec![verdict("111111111111", true, None), verdict("222222222222", false, Some("enable it"))],
            failing_account_ids: BTreeSet::from(["222222222222".to_owned()]),
            auto_enable_ecr: Some(false),
        };
        let s = state("eu-west-1".into(), &evaluation);
        assert_eq!(
            (s.role, s.compliance_status),
            (Value::Value("DELEGATED_ADMIN".into()), Value::Value("FAILED".into()))
        );
        assert_eq!(s.region, Value::Value("eu-west-1".into()));
        assert_eq!(s.auto_enable_ecr, Value::Value(false));
        assert_eq!(s.failing_account_ids, Value::Value(vec![Value::Value("222222222222".into())]));
        let Value::Value(accounts) = s.accounts else { panic!("accounts are known") };
        assert_eq!(accounts[0].relationship_status, Value::Null, "the administrator is nobody's member");
        assert_eq!(accounts[0].hint, Value::Null);
        assert_eq!(accounts[0].passes, Value::Value(true));
        assert_eq!(accounts[1].relationship_status, Value::Value("ENABLED".into()));
        assert_eq!(accounts[1].ecr_status, Value::Null, "not read");
        assert_eq!(accounts[1].hint, Value::Value("enable it".into()));

        let member = Evaluation {
            role: Role::Member("999999999999".into()),
            status: Status::NotApplicable,
            accounts: vec![],
            failing_account_ids: BTreeSet::new(),
            auto_enable_ecr: None,
        };
        let s = state("eu-west-1".into(), &member);
        assert_eq!(s.compliance_status, Value::Value("NOT_APPLICABLE".into()));
        assert_eq!(s.auto_enable_ecr, Value::Null);
        assert_eq!(s.accounts, Value::Value(vec![]));
    }

    #[tokio::test]
    async fn a_bad_region_is_refused_naming_the_attribute() {
        let ds = EcrScanningCompliance::new(Arc::new(Shared::default()));
        let mut diags = Diagnostics::default();
        ds.validate(&mut diags, ComplianceState { region: Value::Value("moon-1".into()), ..Default::default() }).await;
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(diags.errors[0].attribute, tf_provider::AttributePath::new("region"));
        assert!(diags.errors[0].detail.starts_with("region: "), "{}", diags.errors[0].detail);
    }
}

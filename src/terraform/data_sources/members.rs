//! Data source `inspector2fix_members`: the organization's member accounts as the delegated
//! Inspector administrator sees them in one Region, sorted into the sets a landing zone acts on.
//! Listing and classification live in [`crate::domain::organization`]; this file translates.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, DataSource, Diagnostics};

use crate::aws::clients::Clients;
use crate::aws::inspector::organization::Member;
use crate::domain::organization::{self, MembersReport, ReadError, READ_TIMEOUT};
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::terraform::values::{known_members, null_members_error, string_set, StringSet};
use crate::{terraform::diag, terraform::region, text, validate};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberObject {
    pub account_id: Value<String>,
    pub relationship_status: Value<String>,
    pub delegated_admin_account_id: Value<String>,
    pub updated_at: Value<String>,
}

impl From<&Member> for MemberObject {
    fn from(m: &Member) -> Self {
        let opt = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Value(s.to_owned()));
        MemberObject {
            account_id: Value::Value(m.account_id.clone()),
            relationship_status: opt(m.relationship_status.as_ref().map(|s| s.as_str())),
            delegated_admin_account_id: opt(m.delegated_admin_account_id.as_deref()),
            updated_at: opt(m.updated_at.as_deref()),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub region: Value<String>,
    pub exclude_account_ids: StringSet,
    pub administrator_account_id: Value<String>,
    pub members: Value<Vec<MemberObject>>,
    pub account_ids: StringSet,
    pub suspended_account_ids: StringSet,
    pub unassociated_account_ids: StringSet,
}

pub const MEMBER_FIELDS: [(&str, &str); 4] = [
    ("account_id", "The member's account id."),
    ("relationship_status", "`ENABLED` (associated), `ACCOUNT_SUSPENDED`, `CREATED`, `INVITED`, `REMOVED`, ..."),
    ("delegated_admin_account_id", "Its delegated Inspector administrator."),
    ("updated_at", "When the relationship last changed (RFC 3339, UTC)."),
];

pub struct Members {
    shared: Arc<Shared>,
}

impl Members {
    pub fn new(shared: Arc<Shared>) -> Self {
        Members { shared }
    }

    pub fn schema_block() -> Block {
        let set = |c: C, d: &str| attribute(T::Set(Box::new(T::String)), c, d);
        let member_type =
            T::Object(MEMBER_FIELDS.iter().map(|(n, _)| (n.to_string(), T::String)).collect::<HashMap<_, _>>());
        let fields = MEMBER_FIELDS.iter().map(|(n, d)| format!("`{n}` ({d})")).collect::<Vec<_>>().join(", ");
        crate::terraform::schema::block(
            "The organization's member accounts as the delegated Inspector administrator sees them in one Region \
             (ListMembers, every page), sorted into the sets a landing zone acts on. Must be read with the delegated \
             administrator's credentials.",
            [
                ("region", region_attribute(RegionOf::DataSource)),
                (
                    "exclude_account_ids",
                    set(
                        C::Optional,
                        "Accounts to leave out of the three sets (e.g. audit or log archive). They stay in `members`.",
                    ),
                ),
                (
                    "administrator_account_id",
                    attribute(T::String, C::Computed, "The caller: the delegated administrator."),
                ),
                (
                    "members",
                    attribute(
                        T::List(Box::new(member_type)),
                        C::Computed,
                        &format!("Every member whatever its relationship, sorted by account. Each has {fields}."),
                    ),
                ),
                (
                    "account_ids",
                    set(
                        C::Computed,
                        "The administrator plus every member whose relationship is `ENABLED`, minus the exclusions: \
                         what `inspector2fix_ecr_scanning.account_ids` takes.",
                    ),
                ),
                (
                    "suspended_account_ids",
                    set(C::Computed, "Members whose relationship is `ACCOUNT_SUSPENDED`, minus the exclusions."),
                ),
                (
                    "unassociated_account_ids",
                    set(C::Computed, "Members in any other relationship (not associated), minus the exclusions."),
                ),
            ],
        )
    }

    /// The report for the caller in the provider's Region, or the error users read.
    async fn report(&self, clients: &Clients, exclude: &BTreeSet<String>) -> Result<MembersReport, (String, String)> {
        let mut limit = self.shared.limit(READ_TIMEOUT);
        let caller = match limit.run(self.shared.caller_account()).await {
            Ok(Ok(account)) => account,
            Ok(Err(e)) => return Err(("Cannot identify the caller".into(), e.to_string())),
            Err(ended) => {
                let e = ReadError::Ended { ended, timeout: READ_TIMEOUT, operation: "GetCallerIdentity" };
                return Err((e.summary().into(), e.to_string()));
            }
        };
        let api = clients.inspector.as_ref();
        let report = organization::report(api, &mut limit, &caller, &clients.region, exclude).await;
        report.map_err(|e| (e.summary().into(), e.to_string()))
    }
}

/// Checks the known members of `exclude_account_ids`: one error for all the bad ones, listing
/// the first few. Unknown members are checked once known.
fn check_exclusions(diags: &mut Diagnostics, exclusions: &StringSet) {
    let Value::Value(members) = exclusions else { return };
    if let Some(detail) = null_members_error("exclude_account_ids", exclusions) {
        diag::attr_error(diags, AttributePath::new("exclude_account_ids"), "Null in exclude_account_ids", detail);
    }
    let bad: Vec<String> = members
        .iter()
        .filter_map(Value::as_ref_option)
        .filter(|a| validate::account_id(a).is_err())
        .map(|a| format!("{a:?}"))
        .collect();
    if bad.is_empty() {
        return;
    }
    let detail = format!(
        "exclude_account_ids: {} value(s) are not AWS account ids, which are exactly 12 digits:\n{}",
        bad.len(),
        text::capped_lines(bad)
    );
    diag::attr_error(diags, AttributePath::new("exclude_account_ids"), "Invalid exclude_account_ids", detail);
}

fn state(config: State, region: String, report: MembersReport) -> State {
    State {
        region: Value::Value(region),
        exclude_account_ids: config.exclude_account_ids,
        administrator_account_id: Value::Value(report.administrator_account_id),
        members: Value::Value(report.members.iter().map(MemberObject::from).collect()),
        account_ids: string_set(&report.account_ids),
        suspended_account_ids: string_set(&report.suspended_account_ids),
        unassociated_account_ids: string_set(&report.unassociated_account_ids),
    }
}

#[async_trait]
impl DataSource for Members {
    type State<'a> = State;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        check_exclusions(diags, &config.exclude_account_ids);
        region::check(diags, &config.region);
        Some(())
    }

    async fn read<'a>(&self, diags: &mut Diagnostics, config: State, _meta: ValueEmpty) -> Option<State> {
        let exclude = known_members(&config.exclude_account_ids);
        let region = region::to_read(&self.shared, diags, &config.region).await?;
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        match self.report(&clients, &exclude).await {
            Ok(report) => Some(state(config, region, report)),
            Err((summary, detail)) => {
                diag::error(diags, summary, detail);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;

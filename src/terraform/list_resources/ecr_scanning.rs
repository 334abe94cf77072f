//! `list "inspector2fix_ecr_scanning"`: every account of a Region with its ECR scanning status,
//! one result per account, sorted by account: the caller and, when it is the delegated
//! administrator, its associated members. The survey lives in [`crate::domain::survey`]; this
//! file translates.
//!
//! Each result's identity is the one a one-account `inspector2fix_ecr_scanning` has
//! (`{ account_ids = [ACCOUNT], region }`), and with `include_resource = true` its object is the
//! state that resource would hold, so `terraform query -generate-config-out=FILE` writes a
//! resource and an import block per account (GenerateResourceConfig).
//!
//! Accounts whose ECR scanning is off are listed (filter them with `ecr_status`) but are no
//! existing object: importing one is refused as for its id, as the resource's state only ever
//! holds accounts that scan. Enable them with a configuration built from the query's `-json`
//! output instead; a warning says so when such accounts come with their objects.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics, ListResource, ListResult, ListSink, RawValue};

use crate::aws::InspectorStatus;
use crate::domain::organization::READ_TIMEOUT;
use crate::domain::survey::{self, Findings, Request, Surveyed, Unreadable};
use crate::terraform::identity::AccountsIdentity;
use crate::terraform::resources::ecr_scanning::state::State;
use crate::terraform::schema::attribute;
use crate::terraform::shared::Shared;
use crate::terraform::values::{known_members, string_map, string_set, StringSet};
use crate::{terraform::diag, terraform::region, text, validate};

const NAME: &str = "inspector2fix_ecr_scanning";

/// The statuses `ecr_status` may keep
const STATUSES: [&str; 6] = ["ENABLING", "ENABLED", "DISABLING", "DISABLED", "SUSPENDING", "SUSPENDED"];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListConfig {
    pub region: Value<String>,
    pub ecr_status: StringSet,
    pub include_members: Value<bool>,
    pub exclude_account_ids: StringSet,
}

pub struct EcrScanningList {
    shared: Arc<Shared>,
}

impl EcrScanningList {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrScanningList { shared }
    }

    pub fn schema_block() -> Block {
        let set = |d: &str| attribute(T::Set(Box::new(T::String)), C::Optional, d);
        crate::terraform::schema::block(
            "Every account of a Region with its Amazon Inspector ECR scanning status, one result per account, \
             sorted by account: the caller and, when it is the delegated administrator, its associated members. \
             Read-only: one ListMembers call per page of members and one BatchGetAccountStatus call per 100 \
             accounts.",
            [
                ("region", attribute(T::String, C::Optional, "The Region to list. Default: the provider's Region.")),
                (
                    "ecr_status",
                    set("ECR statuses to keep (`ENABLED`, `DISABLED`, `ENABLING`, `DISABLING`, `SUSPENDING`, \
                         `SUSPENDED`), e.g. `[\"DISABLED\"]` for the accounts that fail Inspector.2. Default: all."),
                ),
                (
                    "include_members",
                    attribute(
                        T::Bool,
                        C::Optional,
                        "Whether to list the delegated administrator's associated members (ListMembers). Default: \
                         `true`; a refused ListMembers is an error naming the permission, never a guess that the \
                         caller is alone. `false` lists the caller alone (a standalone account or a member).",
                    ),
                ),
                ("exclude_account_ids", set("Accounts to leave out (e.g. audit or log archive).")),
            ],
        )
    }
}

/// `ecr_status` and `exclude_account_ids` errors, on their attributes
fn check(diags: &mut Diagnostics, config: &ListConfig) {
    region::check(diags, &config.region);
    let unknown_status: Vec<String> =
        known_members(&config.ecr_status).into_iter().filter(|s| !STATUSES.contains(&s.as_str())).collect();
    if !unknown_status.is_empty() {
        let detail = format!(
            "ecr_status: {} is not an ECR scanning status; use {}.",
            unknown_status.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "),
            STATUSES.join(", ")
        );
        diag::attr_error(diags, AttributePath::new("ecr_status"), "Invalid ecr_status", detail);
    }
    let bad: Vec<String> = known_members(&config.exclude_account_ids)
        .into_iter()
        .filter(|a| validate::account_id(a).is_err())
        .map(|a| format!("{a:?}"))
        .collect();
    if !bad.is_empty() {
        let detail = format!(
            "exclude_account_ids: {} value(s) are not AWS account ids, which are exactly 12 digits:\n{}",
            bad.len(),
            text::capped_lines(bad)
        );
        diag::attr_error(diags, AttributePath::new("exclude_account_ids"), "Invalid exclude_account_ids", detail);
    }
}

/// The state a one-account `inspector2fix_ecr_scanning` holding `account` would have, as read
pub fn one_account_state(account: &str, ecr: &InspectorStatus, region: &str) -> State {
    State {
        id: Value::Value(account.to_owned()),
        account_ids: string_set([&account.to_owned()]),
        accounts: Value::Null,
        disable_on_destroy: Value::Value(true),
        status: string_map([(account.to_owned(), ecr.as_str().to_owned())]),
        timeouts: Value::Value(vec![]),
        associate_members: Value::Value(false),
        region: Value::Value(region.to_owned()),
    }
}

/// The survey's findings, sent to Terraform as list results
struct Results<'s> {
    sink: &'s mut ListSink,
    region: String,
    diags: Diagnostics,
    /// Accounts listed with their object whose ECR scanning is not ENABLED
    not_scanning: BTreeSet<String>,
}

impl Results<'_> {
    fn result(&mut self, account: &Surveyed) -> Option<ListResult> {
        let identity = AccountsIdentity {
            account_ids: Value::Value(vec![account.account_id.clone()]),
            region: Value::Value(self.region.clone()),
        };
        let object = one_account_state(&account.account_id, &account.ecr, &self.region);
        Some(ListResult {
            identity: RawValue::serialize(&mut self.diags, &identity)?,
            display_name: format!("{} (ECR {}, {})", account.account_id, account.ecr.as_str(), account.role.as_str()),
            resource_object: Some(RawValue::serialize(&mut self.diags, &object)?),
        })
    }
}

#[async_trait]
impl Findings for Results<'_> {
    async fn found(&mut self, account: Surveyed) -> bool {
        let Some(result) = self.result(&account) else { return false };
        if self.sink.include_resource_object() && account.ecr != InspectorStatus::Enabled {
            self.not_scanning.insert(account.account_id.clone());
        }
        self.sink.send(result).await
    }

    async fn unreadable(&mut self, account: Unreadable) -> bool {
        let mut diags = Diagnostics::default();
        diag::warning(
            &mut diags,
            format!("{NAME}: account {} could not be read", account.account_id),
            format!(
                "Inspector did not report the ECR scanning status of {}: {}: {}. It is left out of the results.",
                account.account_id, account.code, account.message
            ),
        );
        self.sink.send_diagnostics(diags).await
    }
}

/// The warning for accounts listed with their object that do not scan ECR: not importable
fn warn_not_importable(diags: &mut Diagnostics, accounts: &BTreeSet<String>) {
    if accounts.is_empty() {
        return;
    }
    diag::warning(
        diags,
        format!("{} listed account(s) do not scan ECR", accounts.len()),
        format!(
            "Their ECR scanning is not ENABLED, so they are no existing {NAME} object: an import block for one \
             (as -generate-config-out writes) is refused. Turn scanning on with a configuration instead, its \
             account_ids taken from `terraform query -json` (see the list resource's documentation):\n{}",
            text::capped_lines(accounts)
        ),
    );
}

#[async_trait]
impl ListResource for EcrScanningList {
    type Config<'a> = ListConfig;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: ListConfig) -> Option<()> {
        check(diags, &config);
        Some(())
    }

    async fn list<'a>(&self, diags: &mut Diagnostics, config: ListConfig, sink: &mut ListSink) -> Option<()> {
        check(diags, &config);
        if !diags.errors.is_empty() {
            return None;
        }
        let region = region::to_read(&self.shared, diags, &config.region).await?;
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        let caller = match self.shared.caller_account().await {
            Ok(caller) => caller,
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot tell the provider's account"), e.to_string());
                return None;
            }
        };
        let request = Request {
            caller,
            region: region.clone(),
            include_members: config.include_members.as_option(),
            exclude: known_members(&config.exclude_account_ids),
            statuses: config.ecr_status.is_value().then(|| known_members(&config.ecr_status)),
            limit: usize::try_from(sink.limit()).unwrap_or(0),
        };
        let mut limit = self.shared.limit(READ_TIMEOUT);
        let mut results = Results { sink, region, diags: Diagnostics::default(), not_scanning: BTreeSet::new() };
        let surveyed = survey::survey(clients.inspector.as_ref(), &mut limit, &request, &mut results).await;
        diags.add_diagnostics(std::mem::take(&mut results.diags));
        warn_not_importable(diags, &results.not_scanning);
        if let Err(e) = surveyed {
            diag::error(diags, format!("{NAME}: {}", e.summary()), e.to_string());
            return None;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests;

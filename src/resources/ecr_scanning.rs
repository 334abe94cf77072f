//! Resource `inspector2fix_ecr_scanning`: Amazon Inspector ECR scanning, on and kept on, for the
//! accounts it is given. Create/Update call Enable, Read calls BatchGetAccountStatus, Delete calls Disable,
//! always with resourceTypes = `["ECR"]` only.
//!
//! Shape (schema version 1, chosen by the figures of docs/benchmarks.md groups 6 and 7): the wanted
//! accounts are `accounts`, a map from account id to a label, or `account_ids`, a list kept exactly
//! as configured (Terraform compares a set of N members pairwise, and renders an unchanged list of
//! N with an N×N diff, so only maps stay fast at 10,000); `status` is a map from account to what
//! Inspector says, and a plan puts `ENABLED` for every wanted account, so drift shows as one map
//! line per account. `id` is short and never changes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, MoveSource, RawValue, Resource};

use crate::association::{self, AssociationReport};
use crate::scanning::{self, Report};
use crate::schema::{attribute, region_attribute, RegionOf};
use crate::shared::Shared;
use crate::status::{self, Direction};
use crate::timeouts::{self, Operation, Timeouts};
use crate::values::{
    duplicates, into_known_entries, known_entries, known_members, known_set, string_map, string_set, StringMap,
    StringSet,
};
use crate::{diag, ids, region, text, validate};

/// State upgrades from older schema versions.
mod upgrade;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub id: Value<String>,
    pub account_ids: StringSet,
    pub accounts: StringMap,
    pub disable_on_destroy: Value<bool>,
    pub status: StringMap,
    pub timeouts: Value<Vec<Timeouts>>,
    pub associate_members: Value<bool>,
    pub region: Value<String>,
}

/// Private state: see [`super::Private`]. A destroy without the marker is the first half of a
/// replacement, so it must not turn scanning off for accounts the new instance is about to own.
pub use super::Private;

/// 1: `account_ids` a list kept as configured, a short `id` (0.1.0 had a set and the joined ids).
pub const SCHEMA_VERSION: i64 = 1;

pub struct EcrScanning {
    shared: Arc<Shared>,
}

impl EcrScanning {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrScanning { shared }
    }

    pub fn schema_block() -> Block {
        let mut b = crate::schema::block(
            "Turns Amazon Inspector ECR scanning on, and keeps it on, for one account or, as the delegated \
             Inspector administrator, for member accounts. Fixes Security Hub control Inspector.2. Only ECR \
             scanning is touched: EC2, Lambda and code repository scanning stay exactly as they are.",
            [
                (
                    "id",
                    attribute(
                        T::String,
                        C::Computed,
                        "The smallest account id in `account_ids` when the resource was created or imported. It stays the \
                         same when accounts are added or removed later.",
                    ),
                ),
                (
                    "account_ids",
                    attribute(
                        T::List(Box::new(T::String)),
                        C::OptionalComputed,
                        "Accounts whose ECR scanning this resource owns, each exactly 12 digits, in any order, each once \
                         (a list or a set, up to Inspector's 10,000 members). Kept as configured. Default: the caller's own \
                         account. Accounts other than the caller's need the delegated Inspector administrator's credentials.",
                    ),
                ),
                (
                    "accounts",
                    attribute(
                        T::Map(Box::new(T::String)),
                        C::Optional,
                        "The accounts as a map from account id (12 digits) to a label of your choice, for example the \
                         account's name. The form for large organizations: Terraform plans a map of 10,000 accounts \
                         in about a second, where an unchanged list of 10,000 costs it over 10 s and a gigabyte of \
                         memory in every plan that shows the resource. Set either `accounts` or `account_ids`, not both; the labels are not sent to AWS.",
                    ),
                ),
                (
                    "disable_on_destroy",
                    attribute(
                        T::Bool,
                        C::OptionalComputed,
                        "Whether destroying the resource, or removing an account from `account_ids`, turns ECR scanning off \
                         for those accounts. Default `true`. If ECR was the last scan type on in an account, Inspector then \
                         turns itself off there, which deletes that account's findings.",
                    ),
                ),
                (
                    "status",
                    attribute(
                        T::Map(Box::new(T::String)),
                        C::Computed,
                        "ECR scan status per account as Inspector reports it: `ENABLED`, `ENABLING` while in progress, or \
                         `DISABLED` (or another Inspector status) for an account whose scanning was turned off outside \
                         Terraform, which the next plan shows as a change to `ENABLED`. `DISABLING` marks an account \
                         removed from `account_ids` whose scanning is still being turned off. An account Inspector did not \
                         report on the last read keeps its last known status (with a warning naming it); one never known \
                         is absent, and the next plan shows it as to be enabled.",
                    ),
                ),
                ("region", region_attribute(RegionOf::Resource)),
            ],
        );
        b.attributes.insert(
            "associate_members".into(),
            attribute(
                T::Bool,
                C::OptionalComputed,
                "Whether accounts in `account_ids` that are not associated Inspector members are associated first \
                 (AssociateMember, as the delegated administrator), waiting within the `timeouts` until their \
                 relationship is `ENABLED`. Default `false`. Nothing ever disassociates an account: not destroy, not \
                 removal from `account_ids`. Accounts that cannot be associated are reported and left out of `status`.",
            ),
        );
        b.blocks.insert("timeouts".into(), timeouts::schema());
        b
    }
}

fn status_of(state: &State) -> BTreeMap<String, String> {
    known_entries(&state.status)
}

fn report_problems(diags: &mut Diagnostics, action: &str, reports: &[&Report]) {
    let text: Vec<String> = reports.iter().filter(|r| !r.is_complete()).map(|r| r.problems()).collect();
    if !text.is_empty() {
        diag::error(diags, format!("inspector2fix_ecr_scanning: {action} incomplete"), text.join("\n"));
    }
}

fn report_association(diags: &mut Diagnostics, report: &AssociationReport) {
    if !report.is_complete() {
        diag::error(diags, "inspector2fix_ecr_scanning: associating members incomplete", report.problems());
    }
}

/// The wanted accounts as planned; Terraform resolves every unknown before apply.
fn accounts_at_apply(diags: &mut Diagnostics, planned: &State) -> Option<BTreeSet<String>> {
    let accounts = wanted(planned);
    if accounts.is_none() {
        diag::error(
            diags,
            "account_ids is not known at apply time",
            "This is a bug in the provider: please report it.",
        );
    }
    accounts
}

/// Checks the known members of `account_ids`: one error for all the bad ones, listing the first
/// few, so 10,000 bad ids give a short message. Unknown members are checked once known.
fn check_account_ids(diags: &mut Diagnostics, account_ids: &StringSet) {
    let Value::Value(members) = account_ids else { return };
    let path = || AttributePath::new("account_ids");
    if members.is_empty() {
        let empty =
            "the list is empty: name at least one account, or leave account_ids out to use the caller's account";
        diag::invalid_attr(diags, path(), "account_ids", Err::<(), _>(empty.to_owned()));
    }
    let twice = duplicates(account_ids);
    if !twice.is_empty() {
        let detail = format!(
            "account_ids: {} account id(s) are listed more than once; name each account once:\n{}",
            twice.len(),
            text::capped_lines(twice)
        );
        diag::attr_error(diags, path(), "Duplicate account_ids", detail);
    }
    let bad: Vec<&String> =
        members.iter().filter_map(Value::as_ref_option).filter(|a| validate::account_id(a).is_err()).collect();
    match bad.as_slice() {
        [] => {}
        [one] => diag::invalid_attr(diags, path(), "account_ids", validate::account_id(one)),
        many => {
            let quoted = many.iter().map(|a| format!("{a:?}"));
            let detail = format!(
                "account_ids: {} values are not AWS account ids, which are exactly 12 digits:\n{}",
                many.len(),
                text::capped_lines(quoted)
            );
            diag::attr_error(diags, path(), "Invalid account_ids", detail);
        }
    }
}

/// Checks `accounts`: not beside `account_ids`, not empty, and every key an account id.
fn check_accounts_map(diags: &mut Diagnostics, config: &State) {
    let Value::Value(map) = &config.accounts else { return };
    let path = || AttributePath::new("accounts");
    if !config.account_ids.is_null() {
        let both = "set either accounts or account_ids, not both".to_owned();
        diag::invalid_attr(diags, path(), "accounts", Err::<(), _>(both));
    }
    if map.is_empty() {
        let empty = "the map is empty: name at least one account, or leave accounts out to use the caller's account";
        diag::invalid_attr(diags, path(), "accounts", Err::<(), _>(empty.to_owned()));
    }
    let bad: Vec<&String> = map.keys().filter(|a| validate::account_id(a).is_err()).collect();
    match bad.as_slice() {
        [] => {}
        [one] => diag::invalid_attr(diags, path(), "accounts", validate::account_id(one)),
        many => {
            let quoted = many.iter().map(|a| format!("{a:?}"));
            let detail = format!(
                "accounts: {} keys are not AWS account ids, which are exactly 12 digits:\n{}",
                many.len(),
                text::capped_lines(quoted)
            );
            diag::attr_error(diags, path(), "Invalid accounts", detail);
        }
    }
}

/// One warning for every account whose status Inspector did not report, listing the first few.
fn warn_unreadable(diags: &mut Diagnostics, unreadable: &BTreeMap<String, scanning::Failure>) {
    if unreadable.is_empty() {
        return;
    }
    let lines = text::item_lines(unreadable.iter().map(|(account, f)| (account, format!("{}: {}", f.code, f.message))));
    diag::warning(
        diags,
        "Inspector did not report an account's status",
        format!("{} account(s) are kept in state as last known:\n{lines}", unreadable.len()),
    );
}

/// `state` with `status`; `account_ids` stays as configured.
fn with_status(mut state: State, status: BTreeMap<String, String>) -> State {
    state.status = Value::Null; // the old map freed before the new one is built
    state.status = string_map(status);
    state
}

/// The wanted accounts when all are known: the keys of `accounts` when set, else `account_ids`.
fn wanted(state: &State) -> Option<BTreeSet<String>> {
    match &state.accounts {
        Value::Value(map) => Some(map.keys().cloned().collect()),
        Value::Unknown => None,
        Value::Null => known_set(&state.account_ids),
    }
}

/// The wanted accounts known so far.
fn wanted_known(state: &State) -> BTreeSet<String> {
    match &state.accounts {
        Value::Value(map) => map.keys().cloned().collect(),
        Value::Unknown => BTreeSet::new(),
        Value::Null => known_members(&state.account_ids),
    }
}

/// Every account the resource answers for: the wanted ones, and removed ones still in `status`
/// because turning them off has not finished.
fn owned(state: &State) -> BTreeSet<String> {
    let mut accounts = wanted_known(state);
    accounts.extend(status_of(state).into_keys());
    accounts
}

/// The id a new resource owning `accounts` gets; unknown while they are.
fn new_id(accounts: Option<&BTreeSet<String>>) -> Value<String> {
    accounts.and_then(ids::short_account_id).map_or(Value::Unknown, Value::Value)
}

/// Status as planned: `ENABLED` for every wanted account, so a plan shows one map line for each
/// account that drifted, is added or is removed, and none for the others. Unknown on create (the
/// list shows the accounts already), and while the accounts or the role are unknown.
fn planned_status(prior: Option<&State>, accounts: Option<&BTreeSet<String>>, config_unknown: bool) -> StringMap {
    match (prior, accounts) {
        (Some(_), Some(accounts)) if !config_unknown => {
            string_map(accounts.iter().map(|a| (a.clone(), "ENABLED".to_owned())))
        }
        _ => Value::Unknown,
    }
}

/// Status after a read: what Inspector says for every wanted account, off included, so drift shows
/// per account; removed accounts only while still on (they are released once off); the last known
/// status for an account Inspector did not report, and nothing for one never known.
/// `owned` is `owned(state)`, taken so that it is not copied again.
fn read_status(state: &State, owned: BTreeSet<String>, reading: &scanning::Reading) -> BTreeMap<String, String> {
    let wanted = wanted_known(state);
    // Looked up in place: a copy of a 10,000-entry status map is a megabyte.
    let last_known = |account: &str| match &state.status {
        Value::Value(status) => status.get(account).and_then(Value::as_ref_option),
        _ => None,
    };
    let mut kept = BTreeMap::new();
    for account in owned {
        if reading.unreadable.contains_key(&account) {
            // Never known (a create that failed for it, say): not ours yet, so the plan shows it
            // as to be enabled, and removing it later releases it without a Disable.
            if let Some(last) = last_known(&account) {
                kept.insert(account, last.clone());
            }
        } else if let Some(ecr) = reading.ecr.get(&account) {
            if wanted.contains(&account) || status::is_on(ecr) {
                kept.insert(account, ecr.to_string());
            }
        }
    }
    kept
}

/// The only source `moved {}` accepts: the AWS provider's enabler.
pub const ENABLER_PROVIDER: &str = "registry.terraform.io/hashicorp/aws";
pub const ENABLER_TYPE: &str = "aws_inspector2_enabler";

/// The attributes of an `aws_inspector2_enabler` state that a move reads. Every schema version the
/// AWS provider has shipped (0) has them; other attributes (`timeouts`, `region`) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EnablerState {
    id: Option<String>,
    account_ids: Option<Vec<String>>,
    resource_types: Option<Vec<String>>,
    /// Set by AWS provider v6; older states are in the provider's Region.
    region: Option<String>,
}

/// Our state for `accounts`, as a create that found them on would write it: ECR is `ENABLED`
/// where the enabler had turned it on; otherwise status is empty, and the refresh and the plan
/// after the move find ECR off and plan to turn it on.
fn adopted(accounts: &BTreeSet<String>, ecr_on: bool, region: Option<String>) -> State {
    let status =
        if ecr_on { accounts.iter().map(|a| (a.clone(), "ENABLED".to_owned())).collect() } else { BTreeMap::new() };
    State {
        id: new_id(Some(accounts)),
        account_ids: string_set(accounts),
        accounts: Value::Null,
        disable_on_destroy: Value::Value(true),
        status: string_map(status),
        timeouts: Value::Value(vec![]),
        associate_members: Value::Value(false),
        region: region.map(Value::Value).unwrap_or(Value::Null),
    }
}

/// The state `moved {}` gives an `aws_inspector2_enabler`: its accounts, nothing else of it.
/// Any other source is refused, naming its type and provider.
fn moved_state(diags: &mut Diagnostics, source: &MoveSource) -> Option<State> {
    if source.provider_address != ENABLER_PROVIDER || source.type_name != ENABLER_TYPE {
        diag::error(
            diags,
            "Unsupported move to inspector2fix_ecr_scanning",
            format!(
                "inspector2fix_ecr_scanning cannot take over {} of provider {}: it accepts `moved` only from {ENABLER_TYPE} \
                 of {ENABLER_PROVIDER}. Remove the moved block, and import the accounts instead.",
                source.type_name, source.provider_address
            ),
        );
        return None;
    }
    let enabler: EnablerState = source.state.deserialize(diags)?;
    let accounts: BTreeSet<String> = match (&enabler.account_ids, &enabler.id) {
        (Some(list), _) if !list.is_empty() => list.iter().cloned().collect(),
        (_, Some(id)) => ids::parse_enabler_id(id).map(|(a, _)| a).unwrap_or_default(),
        _ => BTreeSet::new(),
    };
    let bad: Vec<String> = accounts.iter().filter_map(|a| validate::account_id(a).err()).collect();
    if accounts.is_empty() || !bad.is_empty() {
        let why = if accounts.is_empty() { "the state has no accounts".to_owned() } else { bad.join("; ") };
        diag::attr_error(
            diags,
            AttributePath::new("account_ids"),
            "Cannot move aws_inspector2_enabler",
            format!("account_ids: {why}"),
        );
        return None;
    }
    let ecr_on = enabler.resource_types.unwrap_or_default().iter().any(|t| t == "ECR");
    let region = enabler.region.filter(|r| validate::region(r).is_ok());
    Some(adopted(&accounts, ecr_on, region))
}

impl EcrScanning {
    /// account_ids as planned: the configured set, or the caller's account when none is set.
    /// A set with unknown members is planned exactly as configured, as Terraform requires.
    async fn planned_accounts(&self, diags: &mut Diagnostics, config: &State) -> Option<StringSet> {
        if !config.accounts.is_null() {
            // The map names the accounts; a 10,000-member list beside it would cost Terraform dearly.
            return Some(Value::Null);
        }
        match &config.account_ids {
            // Who the caller is will be known at apply: asking now would use the base credentials.
            Value::Null if self.shared.config_unknown() => Some(Value::Unknown),
            Value::Null => match self.shared.caller_account().await {
                Ok(account) => Some(string_set([&account])),
                Err(e) => {
                    diag::attr_error(
                        diags,
                        AttributePath::new("account_ids"),
                        "Cannot find the caller's account",
                        format!("account_ids is not set, so it defaults to the caller's account, but STS GetCallerIdentity failed: {e}"),
                    );
                    None
                }
            },
            // A configured list is planned exactly as written: order, unknown members and all.
            v => Some(v.clone()),
        }
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        mut config: State,
        prior: Option<&State>,
    ) -> Option<State> {
        // Members unknown at validate are known now, or at the final plan of the apply.
        check_account_ids(diags, &config.account_ids);
        check_accounts_map(diags, &config);
        if !diags.errors.is_empty() {
            return None;
        }
        let mut planned = proposed;
        planned.region = region::planned(&self.shared, diags, &config.region, prior.map(|p| &p.region)).await?;
        planned.account_ids = self.planned_accounts(diags, &config).await?;
        planned.disable_on_destroy = match config.disable_on_destroy {
            Value::Null => Value::Value(true),
            v => v,
        };
        planned.associate_members = match config.associate_members {
            Value::Null => Value::Value(false),
            v => v,
        };
        // Moved, not cloned, and the config and the proposed status (replaced below) freed: at
        // 10,000 accounts each map is a megabyte.
        planned.accounts = std::mem::take(&mut config.accounts);
        drop(config);
        planned.status = Value::Null;
        let accounts = wanted(&planned);
        // The id never changes once given; a new resource takes its smallest account.
        planned.id = match prior.map(|p| &p.id) {
            Some(Value::Value(id)) => Value::Value(id.clone()),
            _ => new_id(accounts.as_ref()),
        };
        planned.timeouts = timeouts::normalized(&planned.timeouts);
        planned.status = planned_status(prior, accounts.as_ref(), self.shared.config_unknown());
        Some(planned)
    }

    /// Moves `accounts` in `direction` in `region` (None: the provider's) and waits.
    async fn converge(
        &self,
        diags: &mut Diagnostics,
        direction: Direction,
        accounts: &BTreeSet<String>,
        timeout: std::time::Duration,
        region: Option<&str>,
    ) -> Option<Report> {
        let mut limit = self.shared.limit(timeout);
        let clients = self.shared.clients_in_or_error(diags, region).await?;
        // Used for hints ("only the delegated administrator can ..."), and counted against the
        // deadline. A final error (no credentials, a role that cannot be assumed) ends it here,
        // with its first, most telling message; anything else is no reason not to try.
        let caller = match limit.run(self.shared.caller_account()).await {
            Ok(Ok(account)) => Some(account),
            Ok(Err(e)) if e.is_final() => return Some(Report::refused(direction, accounts, &e, &limit)),
            _ => None,
        };
        Some(scanning::converge(clients.inspector.as_ref(), direction, accounts, limit, caller.as_deref()).await)
    }

    /// Enables `accounts`; with `associate_members`, those that are not ENABLED members are
    /// associated first, and accounts that cannot be are reported in an error and left out.
    async fn enable(
        &self,
        diags: &mut Diagnostics,
        planned: &State,
        accounts: &BTreeSet<String>,
        timeout: std::time::Duration,
        region: Option<&str>,
    ) -> Option<Report> {
        let associate = planned.associate_members == Value::Value(true) && !accounts.is_empty();
        // Without the caller, the plain converge reports why it cannot be found.
        let caller = if associate { self.shared.caller_account().await.ok() } else { None };
        let Some(caller) = caller else {
            return self.converge(diags, Direction::Enable, accounts, timeout, region).await;
        };
        let clients = self.shared.clients_in_or_error(diags, region).await?;
        let stop = || self.shared.stop_future();
        let limit = self.shared.limit(timeout);
        let (association, report) =
            association::associate_and_enable(clients.inspector.as_ref(), accounts, &caller, limit, &stop).await;
        report_association(diags, &association);
        Some(report)
    }
}

#[async_trait]
impl Resource for EcrScanning {
    type State<'a> = State;
    type PrivateState<'a> = Option<Private>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: SCHEMA_VERSION, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        check_account_ids(diags, &config.account_ids);
        check_accounts_map(diags, &config);
        timeouts::validate(diags, &config.timeouts);
        region::check(diags, &config.region);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        if wanted(&state).is_none() || self.shared.config_unknown() {
            // Accounts, or the role to read with, are known only at apply; the plan shows status as unknown.
            return Some((state, private));
        }
        let accounts = owned(&state);
        if accounts.is_empty() {
            return None;
        }
        // A state written before `region` existed is in the provider's Region.
        let Some(region) = region::of_state(&self.shared, diags, &state.region).await else {
            return Some((state, private));
        };
        let Some(clients) = self.shared.clients_in_or_error(diags, Some(&region)).await else {
            return Some((state, private));
        };
        let reading = match scanning::read(clients.inspector.as_ref(), &accounts).await {
            Ok(r) => r,
            Err(e) => {
                diag::error(diags, "Cannot read Inspector ECR scanning status", e.to_string());
                return Some((state, private));
            }
        };
        warn_unreadable(diags, &reading.unreadable);
        if reading.unreadable.is_empty() && !reading.ecr.values().any(status::is_on) {
            // Scanning is off everywhere: the resource is gone, and plan proposes to create it.
            return None;
        }
        let kept = read_status(&state, accounts, &reading);
        let mut state = with_status(state, kept);
        if state.id.is_null() {
            state.id = new_id(wanted(&state).as_ref());
        }
        state.region = Value::Value(region);
        if state.disable_on_destroy.is_null() {
            state.disable_on_destroy = Value::Value(true);
        }
        if state.associate_members.is_null() {
            state.associate_members = Value::Value(false);
        }
        state.timeouts = timeouts::normalized(&state.timeouts);
        Some((state, Some(Private::default())))
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        config: State,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        let planned = self.plan(diags, proposed, config, None).await?;
        Some((planned, Some(Private::default())))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        proposed: State,
        config: State,
        _prior_private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>, Vec<AttributePath>)> {
        let planned = self.plan(diags, proposed, config, Some(&prior)).await?;
        // Another Region is another resource; the destroy half of the replacement leaves the old
        // Region's scanning as it is (see `destroy`).
        let replace = region::requires_replace(&prior.region, &planned.region);
        Some((planned, Some(Private::default()), replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: State,
        _prior_private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<Option<Private>> {
        Some(Some(Private { destroy_planned: true }))
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: State,
        config: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        drop(config); // the planned state holds all the apply reads; free its maps now
        let accounts = accounts_at_apply(diags, &planned)?;
        let timeout = timeouts::get(&planned.timeouts, Operation::Create);
        let in_region = region::at_apply(&planned.region);
        let report = self.enable(diags, &planned, &accounts, timeout, in_region).await?;
        report_problems(diags, "enabling ECR scanning", &[&report]);
        let on: BTreeMap<String, String> = report.on().map(|(a, s)| (a.clone(), s.to_string())).collect();
        if on.is_empty() {
            // Nothing was turned on: nothing to keep in state.
            return None;
        }
        Some((with_status(planned, on), Some(Private::default())))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        mut prior: State,
        mut planned: State,
        config: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        // At 10,000 accounts each map is a megabyte: free what the apply never reads (the config,
        // the planned status it replaces) and move the prior status instead of copying it.
        drop(config);
        planned.status = Value::Null;
        let wanted = accounts_at_apply(diags, &planned)?;
        let prior_status = into_known_entries(std::mem::take(&mut prior.status));
        let mut had = wanted_known(&prior);
        drop(prior);
        had.extend(prior_status.keys().cloned());
        let to_enable: BTreeSet<String> =
            wanted.iter().filter(|a| prior_status.get(*a).map(String::as_str) != Some("ENABLED")).cloned().collect();
        let removed: BTreeSet<String> = had.difference(&wanted).cloned().collect();
        let disable = planned.disable_on_destroy.as_ref_option().copied().unwrap_or(true);
        // Only what may be on is turned off: a removed account known to be off, or never turned on
        // (absent from status), is released without a call.
        let may_be_on = |a: &&String| prior_status.get(*a).is_some_and(|s| s != "DISABLED");
        let to_disable: BTreeSet<String> =
            if disable { removed.iter().filter(may_be_on).cloned().collect() } else { BTreeSet::new() };

        let mut result: BTreeMap<String, String> =
            wanted.iter().filter(|a| !to_enable.contains(*a)).map(|a| (a.clone(), prior_status[a].clone())).collect();
        if !to_enable.is_empty() || !to_disable.is_empty() {
            let timeout = timeouts::get(&planned.timeouts, Operation::Update);
            let in_region = region::at_apply(&planned.region);
            let mut enable_diags = Diagnostics::default();
            let mut disable_diags = Diagnostics::default();
            let (enabled, disabled) = tokio::join!(
                self.enable(&mut enable_diags, &planned, &to_enable, timeout, in_region),
                self.converge(&mut disable_diags, Direction::Disable, &to_disable, timeout, in_region),
            );
            diags.add_diagnostics(enable_diags);
            diags.add_diagnostics(disable_diags);
            let (enabled, disabled) = (enabled?, disabled?);
            result.extend(enabled.on().map(|(a, s)| (a.clone(), s.to_string())));
            // Removed accounts that are not off yet are still owned: keep them until they are.
            for a in disabled.failed.keys() {
                result.insert(a.clone(), prior_status.get(a).cloned().unwrap_or_else(|| "ENABLED".into()));
            }
            for (a, s) in &disabled.pending {
                let shown = match s {
                    Some(s) => s.to_string(),
                    None => prior_status.get(a).cloned().unwrap_or_default(),
                };
                result.insert(a.clone(), shown);
            }
            report_problems(diags, "updating ECR scanning", &[&enabled, &disabled]);
        }
        Some((with_status(planned, result), Some(Private::default())))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<()> {
        if !private.unwrap_or_default().destroy_planned {
            // First half of a replacement: the new instance enables the same accounts right after.
            return Some(());
        }
        if prior.disable_on_destroy == Value::Value(false) {
            return Some(());
        }
        let accounts = owned(&prior);
        if accounts.is_empty() {
            return Some(());
        }
        let timeout = timeouts::get(&prior.timeouts, Operation::Delete);
        let in_region = region::at_apply(&prior.region);
        let report = self.converge(diags, Direction::Disable, &accounts, timeout, in_region).await?;
        if report.is_complete() {
            Some(())
        } else {
            report_problems(diags, "disabling ECR scanning", &[&report]);
            None
        }
    }

    async fn upgrade<'a>(&self, diags: &mut Diagnostics, version: i64, prior_state: RawValue) -> Option<State> {
        upgrade::upgrade(diags, version, prior_state)
    }

    async fn move_state<'a>(&self, diags: &mut Diagnostics, source: MoveSource) -> Option<(State, Option<Private>)> {
        Some((moved_state(diags, &source)?, Some(Private::default())))
    }

    async fn import<'a>(&self, diags: &mut Diagnostics, id: String) -> Option<(State, Option<Private>)> {
        // The AWS provider's enabler id (accounts joined by `:`, `-`, scan types) is accepted too,
        // so its id works unchanged on Terraform older than 1.8. Either may end in `@REGION`.
        let (accounts_id, region) = region::of_import(&self.shared, diags, &id).await?;
        let parsed = if accounts_id.contains('-') || accounts_id.contains(':') {
            ids::parse_enabler_id(accounts_id).map(|(accounts, _)| accounts)
        } else {
            ids::parse_accounts(accounts_id)
        };
        match parsed {
            Ok(accounts) => Some((
                State {
                    id: new_id(Some(&accounts)),
                    account_ids: string_set(&accounts),
                    accounts: Value::Null,
                    disable_on_destroy: Value::Value(true),
                    status: Value::Value(BTreeMap::new()),
                    timeouts: Value::Value(vec![]),
                    associate_members: Value::Value(false),
                    region: Value::Value(region),
                },
                Some(Private::default()),
            )),
            Err(e) => {
                let accepted = "Use one account id, several joined with commas (111111111111,222222222222), \
                                or an aws_inspector2_enabler id (111111111111:222222222222-EC2:ECR), each \
                                optionally followed by @REGION (111111111111@eu-west-1)";
                diag::invalid_import(diags, &id, &e, accepted);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::clients::Settings;

    fn shared() -> Arc<Shared> {
        Arc::new(Shared::configured(Settings { region: Some("us-east-1".into()), ..Settings::default() }))
    }

    #[test]
    fn state_round_trips_with_missing_fields() {
        // Older or imported states may lack attributes: serde(default) fills them.
        let s: State = serde_json::from_str(r#"{"id": "111111111111"}"#).unwrap();
        assert_eq!(s.account_ids, Value::Null);
        let s: State = serde_json::from_str(
            r#"{"id":"1","account_ids":["111111111111"],"disable_on_destroy":null,"status":{"111111111111":"ENABLED"},"timeouts":[]}"#,
        )
        .unwrap();
        assert_eq!(known_set(&s.account_ids).unwrap().len(), 1);
        assert_eq!(status_of(&s)["111111111111"], "ENABLED");
    }

    #[test]
    fn unknown_member_makes_the_set_unknown() {
        let v: StringSet =
            Value::Value([Value::Value("111111111111".to_string()), Value::Unknown].into_iter().collect());
        assert_eq!(known_set(&v), None);
    }

    fn accounts(members: Vec<Value<String>>) -> State {
        State { account_ids: Value::Value(members), ..Default::default() }
    }

    fn list(ids: &[&str]) -> StringSet {
        Value::Value(ids.iter().map(|a| Value::Value(a.to_string())).collect())
    }

    /// A state as an apply leaves it: the accounts in `status`, in order, with these statuses.
    fn prior_of(status: &[(&str, &str)]) -> State {
        let ids: Vec<&str> = status.iter().map(|(a, _)| *a).collect();
        State {
            id: Value::Value(ids.iter().min().unwrap().to_string()),
            account_ids: list(&ids),
            accounts: Value::Null,
            disable_on_destroy: Value::Value(true),
            status: string_map(status.iter().map(|(a, s)| (a.to_string(), s.to_string()))),
            timeouts: Value::Value(vec![]),
            associate_members: Value::Value(false),
            region: Value::Value("us-east-1".into()),
        }
    }

    async fn plan_update(prior: &State, config: &State) -> State {
        let r = EcrScanning::new(shared());
        let mut diags = Diagnostics::default();
        let planned = r.plan_update(&mut diags, prior.clone(), config.clone(), config.clone(), None, Value::Null).await;
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        planned.unwrap().0
    }

    #[tokio::test]
    async fn an_unchanged_organization_plans_exactly_its_prior_state() {
        let prior = prior_of(&[("333333333333", "ENABLED"), ("111111111111", "ENABLED"), ("222222222222", "ENABLED")]);
        let config = State { account_ids: prior.account_ids.clone(), ..Default::default() };
        assert_eq!(plan_update(&prior, &config).await, prior);
    }

    /// Drift is one map entry per account: the drifted account planned ENABLED, the others as they were.
    #[tokio::test]
    async fn a_drifted_account_plans_its_own_status_only() {
        let prior = prior_of(&[("111111111111", "ENABLED"), ("222222222222", "DISABLED"), ("333333333333", "ENABLED")]);
        let config = State { account_ids: prior.account_ids.clone(), ..Default::default() };
        let planned = plan_update(&prior, &config).await;
        let status = known_entries(&planned.status);
        assert_eq!(status.len(), 3);
        assert!(status.values().all(|s| s == "ENABLED"), "{status:?}");
        assert_eq!((planned.account_ids, planned.id), (prior.account_ids, prior.id));
    }

    /// Accounts added and removed: the list as configured, the id as it was.
    #[tokio::test]
    async fn the_id_stays_and_the_list_keeps_its_order_when_accounts_change() {
        let prior = prior_of(&[("111111111111", "ENABLED"), ("222222222222", "ENABLED")]);
        let config =
            State { account_ids: list(&["444444444444", "222222222222", "333333333333"]), ..Default::default() };
        let planned = plan_update(&prior, &config).await;
        assert_eq!(planned.account_ids, config.account_ids);
        assert_eq!(planned.id, Value::Value("111111111111".to_string()));
        let status: Vec<String> = known_entries(&planned.status).into_keys().collect();
        assert_eq!(status, ["222222222222", "333333333333", "444444444444"]);
    }

    #[tokio::test]
    async fn a_new_resource_gets_its_smallest_account_as_id() {
        let r = EcrScanning::new(shared());
        let config = State { account_ids: list(&["222222222222", "111111111111"]), ..Default::default() };
        let mut diags = Diagnostics::default();
        let (planned, _) = r.plan_create(&mut diags, config.clone(), config.clone(), Value::Null).await.unwrap();
        assert_eq!(planned.id, Value::Value("111111111111".to_string()));
        assert_eq!(planned.account_ids, config.account_ids, "planned exactly as configured");
        assert_eq!(planned.status, Value::Unknown);
    }

    /// Read reports every wanted account as Inspector does, off included; a removed account only
    /// while it is still on (DISABLING is on its way off, so it is released); an unreadable one as
    /// last known.
    #[test]
    fn read_status_shows_what_inspector_says_per_account() {
        use crate::aws::api::EcrStatus;
        let mut state =
            prior_of(&[("111111111111", "ENABLED"), ("222222222222", "ENABLED"), ("333333333333", "ENABLED")]);
        state.status = string_map(
            [
                ("111111111111", "ENABLED"),
                ("222222222222", "ENABLED"),
                ("333333333333", "ENABLED"),
                ("444444444444", "DISABLING"),
                ("555555555555", "DISABLING"),
            ]
            .map(|(a, s)| (a.to_string(), s.to_string())),
        );
        let failure = scanning::Failure { code: "INTERNAL_ERROR".into(), message: "later".into(), hint: None };
        let reading = scanning::Reading {
            ecr: BTreeMap::from([
                ("111111111111".to_string(), EcrStatus::Enabled),
                ("222222222222".to_string(), EcrStatus::Disabled),
                ("444444444444".to_string(), EcrStatus::Disabling),
                ("555555555555".to_string(), EcrStatus::Disabled),
            ]),
            unreadable: BTreeMap::from([("333333333333".to_string(), failure)]),
        };
        let status = read_status(&state, owned(&state), &reading);
        let expected: BTreeMap<String, String> =
            [("111111111111", "ENABLED"), ("222222222222", "DISABLED"), ("333333333333", "ENABLED")]
                .map(|(a, s)| (a.to_string(), s.to_string()))
                .into();
        assert_eq!(status, expected);
    }

    fn labelled(ids: &[&str]) -> StringMap {
        string_map(ids.iter().map(|a| (a.to_string(), format!("team-{a}"))))
    }

    /// The map form: its keys are the accounts, `account_ids` stays null (no 10,000-member list
    /// in state), and drift shows in `status` exactly as with a list.
    #[tokio::test]
    async fn accounts_as_a_map_plan_their_keys_and_no_list() {
        let r = EcrScanning::new(shared());
        let config = State { accounts: labelled(&["222222222222", "111111111111"]), ..Default::default() };
        let mut diags = Diagnostics::default();
        let (planned, _) = r.plan_create(&mut diags, config.clone(), config.clone(), Value::Null).await.unwrap();
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!((planned.account_ids, planned.accounts), (Value::Null, config.accounts.clone()));
        assert_eq!(planned.id, Value::Value("111111111111".to_string()));

        let mut prior = prior_of(&[("111111111111", "ENABLED"), ("222222222222", "DISABLED")]);
        prior.account_ids = Value::Null;
        prior.accounts = config.accounts.clone();
        let planned = plan_update(&prior, &config).await;
        let status = known_entries(&planned.status);
        assert_eq!(status.keys().collect::<Vec<_>>(), ["111111111111", "222222222222"]);
        assert!(status.values().all(|s| s == "ENABLED"), "{status:?}");
        assert_eq!(owned(&prior).len(), 2);
    }

    #[tokio::test]
    async fn a_bad_accounts_map_is_refused_naming_accounts() {
        let r = EcrScanning::new(shared());
        for (config, expected) in [
            (
                State { accounts: labelled(&["12345"]), ..Default::default() },
                "accounts: \"12345\" is not an AWS account id",
            ),
            (State { accounts: labelled(&[]), ..Default::default() }, "accounts: the map is empty"),
            (
                State {
                    accounts: labelled(&["111111111111"]),
                    account_ids: list(&["111111111111"]),
                    ..Default::default()
                },
                "accounts: set either accounts or account_ids, not both",
            ),
        ] {
            let mut diags = Diagnostics::default();
            r.validate(&mut diags, config).await;
            assert_eq!(diags.errors.len(), 1, "{:?}", diags.errors);
            assert_eq!(diags.errors[0].attribute, AttributePath::new("accounts"));
            assert!(diags.errors[0].detail.starts_with(expected), "{}", diags.errors[0].detail);
        }
    }

    #[tokio::test]
    async fn duplicates_are_rejected_at_validate_naming_the_attribute_and_the_ids() {
        let r = EcrScanning::new(shared());
        let mut diags = Diagnostics::default();
        let config = State {
            account_ids: list(&["222222222222", "111111111111", "222222222222", "111111111111", "333333333333"]),
            ..Default::default()
        };
        r.validate(&mut diags, config).await;
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(diags.errors[0].attribute, AttributePath::new("account_ids"));
        let detail = &diags.errors[0].detail;
        assert!(detail.starts_with("account_ids: 2 account id(s) are listed more than once"), "{detail}");
        assert!(detail.ends_with("\n  111111111111\n  222222222222"), "{detail}");
    }

    /// Terraform accepts a plan only when an optional attribute set in config is planned exactly
    /// as configured, unknown members included, however many there are.
    #[tokio::test]
    async fn unknown_members_plan_exactly_as_configured() {
        let r = EcrScanning::new(shared());
        let known = || Value::Value("111111111111".to_string());
        for members in [vec![known(), Value::Unknown], vec![Value::Unknown, Value::Unknown, known()]] {
            let config = accounts(members);
            let mut diags = Diagnostics::default();
            let (planned, _) = r.plan_create(&mut diags, config.clone(), config.clone(), Value::Null).await.unwrap();
            assert!(diags.errors.is_empty(), "{:?}", diags.errors);
            assert_eq!(planned.account_ids, config.account_ids);
            assert_eq!(planned.id, Value::Unknown);
            assert_eq!(planned.status, Value::Unknown);
        }
    }

    #[tokio::test]
    async fn a_member_that_becomes_known_is_checked_at_plan() {
        let r = EcrScanning::new(shared());
        let config = accounts(vec![Value::Value("111111111111".into()), Value::Value("not-an-id".into())]);
        let mut diags = Diagnostics::default();
        assert!(r.plan_create(&mut diags, config.clone(), config, Value::Null).await.is_none());
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].detail.starts_with("account_ids: \"not-an-id\" is not an AWS account id"));
    }

    /// With the role unknown, the caller (and so the default account, id and status) is unknown:
    /// planned so, with no read of the caller through the base credentials.
    #[tokio::test]
    async fn unknown_provider_configuration_plans_caller_values_unknown() {
        let shared = Arc::new(Shared::default());
        shared.mark_config_unknown();
        let r = EcrScanning::new(shared);
        let mut diags = Diagnostics::default();
        let (planned, _) = r.plan_create(&mut diags, State::default(), State::default(), Value::Null).await.unwrap();
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!((planned.account_ids, planned.id, planned.status), (Value::Unknown, Value::Unknown, Value::Unknown));
        assert_eq!(planned.associate_members, Value::Value(false), "associate_members defaults to false");

        let prior = prior_of(&[("111111111111", "ENABLED")]);
        let config = State { account_ids: prior.account_ids.clone(), ..Default::default() };
        let (planned, _, _) =
            r.plan_update(&mut diags, prior.clone(), config.clone(), config, None, Value::Null).await.unwrap();
        assert_eq!(planned.account_ids, prior.account_ids, "configured accounts stay as configured");
        assert_eq!(planned.id, prior.id);
        assert_eq!(planned.status, Value::Unknown, "another role may see another status");
        let (read, _) = r.read(&mut diags, prior.clone(), None, Value::Null).await.unwrap();
        assert_eq!(read, prior, "read keeps state as it is until the role is known");
        assert!(diags.errors.is_empty() && diags.warnings.is_empty());
    }

    #[test]
    fn unreadable_accounts_give_one_short_warning() {
        let failure = || scanning::Failure { code: "INTERNAL_ERROR".into(), message: "try later".into(), hint: None };
        let unreadable: BTreeMap<String, scanning::Failure> =
            (0..500).map(|i| (format!("{i:012}"), failure())).collect();
        let mut diags = Diagnostics::default();
        warn_unreadable(&mut diags, &BTreeMap::new());
        assert!(diags.warnings.is_empty());
        warn_unreadable(&mut diags, &unreadable);
        assert_eq!(diags.warnings.len(), 1);
        let detail = &diags.warnings[0].detail;
        assert!(detail.starts_with("500 account(s) are kept in state as last known:\n"), "{detail}");
        assert!(detail.contains("\n  000000000000: INTERNAL_ERROR: try later\n"), "{detail}");
        assert!(detail.ends_with("\n  and 480 more"), "{detail}");
        assert_eq!(detail.lines().count(), 1 + text::LIST_CAP + 1);
    }

    #[tokio::test]
    async fn many_bad_accounts_give_one_short_error() {
        let r = EcrScanning::new(shared());
        let bad: Vec<Value<String>> = (0..10_000).map(|i| Value::Value(format!("bad-{i:05}"))).collect();
        let mut diags = Diagnostics::default();
        r.validate(&mut diags, accounts(bad)).await;
        assert_eq!(diags.errors.len(), 1);
        let detail = &diags.errors[0].detail;
        assert!(detail.starts_with("account_ids: 10000 values are not AWS account ids"), "{detail}");
        assert_eq!(detail.lines().count(), 1 + text::LIST_CAP + 1, "{detail}");
        assert!(detail.contains("\n  \"bad-00000\"\n") && detail.ends_with("\n  and 9980 more"), "{detail}");
    }

    #[tokio::test]
    async fn validate_rejects_bad_accounts_naming_the_attribute() {
        let r = EcrScanning::new(shared());
        for (accounts, expected) in [
            (vec![], "the list is empty"),
            (vec!["12345"], "\"12345\" is not an AWS account id"),
            (vec!["111111111111", "abcdefghijkl"], "\"abcdefghijkl\" is not an AWS account id"),
        ] {
            let mut diags = Diagnostics::default();
            let config = State {
                account_ids: Value::Value(accounts.into_iter().map(|a| Value::Value(a.to_string())).collect()),
                ..Default::default()
            };
            r.validate(&mut diags, config).await;
            assert_eq!(diags.errors.len(), 1);
            assert_eq!(diags.errors[0].attribute, AttributePath::new("account_ids"));
            assert!(diags.errors[0].detail.contains(expected), "{}", diags.errors[0].detail);
        }
    }

    fn source(provider: &str, type_name: &str, version: i64, state: &str) -> MoveSource {
        MoveSource {
            provider_address: provider.into(),
            type_name: type_name.into(),
            schema_version: version,
            state: tf_provider::RawValue::Json(state.as_bytes().to_vec()),
            private: vec![],
        }
    }

    const ENABLER: &str = r#"{"id":"222222222222:111111111111-EC2:ECR","account_ids":["222222222222","111111111111"],
        "resource_types":["EC2","ECR"],"timeouts":null,"region":"eu-west-1"}"#;

    #[tokio::test]
    async fn moves_from_the_enabler_keep_its_accounts_at_any_schema_version() {
        let r = EcrScanning::new(shared());
        for version in [0, 1, 7] {
            let mut diags = Diagnostics::default();
            let (state, private) =
                r.move_state(&mut diags, source(ENABLER_PROVIDER, ENABLER_TYPE, version, ENABLER)).await.unwrap();
            assert!(diags.errors.is_empty(), "{:?}", diags.errors);
            assert_eq!(state.id, Value::Value("111111111111".to_string()));
            assert_eq!(
                known_set(&state.account_ids).unwrap().into_iter().collect::<Vec<_>>(),
                ["111111111111", "222222222222"]
            );
            assert_eq!(state.disable_on_destroy, Value::Value(true));
            let status = status_of(&state);
            assert_eq!(status.len(), 2);
            assert!(status.values().all(|s| s == "ENABLED"), "{status:?}");
            assert_eq!(state.timeouts, Value::Value(vec![]));
            assert_eq!(state.region, Value::Value("eu-west-1".to_string()), "the enabler's Region (AWS provider v6)");
            assert_eq!(private, Some(Private::default()), "no destroy is planned by a move");
        }
    }

    #[tokio::test]
    async fn an_enabler_without_ecr_moves_with_no_status() {
        let r = EcrScanning::new(shared());
        let json =
            r#"{"id":"111111111111-EC2:LAMBDA","account_ids":["111111111111"],"resource_types":["EC2","LAMBDA"]}"#;
        let mut diags = Diagnostics::default();
        let (state, _) = r.move_state(&mut diags, source(ENABLER_PROVIDER, ENABLER_TYPE, 0, json)).await.unwrap();
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!(known_set(&state.account_ids).unwrap().into_iter().collect::<Vec<_>>(), ["111111111111"]);
        assert_eq!(state.status, Value::Value(BTreeMap::new()));
        assert_eq!(state.region, Value::Null, "an AWS provider v5 enabler has no Region: the provider's, at refresh");
    }

    #[tokio::test]
    async fn moves_from_other_sources_are_refused_naming_type_and_provider() {
        let r = EcrScanning::new(shared());
        for (provider, type_name) in [
            (ENABLER_PROVIDER, "aws_inspector2_delegated_admin_account"),
            ("registry.terraform.io/example/aws", ENABLER_TYPE),
        ] {
            let mut diags = Diagnostics::default();
            assert!(r.move_state(&mut diags, source(provider, type_name, 0, ENABLER)).await.is_none());
            assert_eq!(diags.errors.len(), 1);
            let detail = &diags.errors[0].detail;
            assert!(detail.contains(&format!("cannot take over {type_name} of provider {provider}")), "{detail}");
        }
    }

    #[tokio::test]
    async fn a_moved_enabler_with_bad_accounts_names_account_ids() {
        let r = EcrScanning::new(shared());
        for json in
            [r#"{"account_ids":["12345"],"resource_types":["ECR"]}"#, r#"{"account_ids":[],"resource_types":["ECR"]}"#]
        {
            let mut diags = Diagnostics::default();
            assert!(r.move_state(&mut diags, source(ENABLER_PROVIDER, ENABLER_TYPE, 0, json)).await.is_none());
            assert_eq!(diags.errors.len(), 1);
            assert_eq!(diags.errors[0].attribute, AttributePath::new("account_ids"));
            assert!(diags.errors[0].detail.starts_with("account_ids: "), "{}", diags.errors[0].detail);
        }
    }

    #[tokio::test]
    async fn import_accepts_the_enabler_id() {
        let r = EcrScanning::new(shared());
        let mut diags = Diagnostics::default();
        let (state, _) = r.import(&mut diags, "222222222222:111111111111-EC2:ECR".into()).await.unwrap();
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!(state.id, Value::Value("111111111111".to_string()));
        assert_eq!(known_set(&state.account_ids).unwrap().len(), 2);
        assert_eq!(state.region, Value::Value("us-east-1".to_string()), "the provider's Region");
        let (state, _) = r.import(&mut diags, "222222222222,111111111111".into()).await.unwrap();
        assert_eq!(state.id, Value::Value("111111111111".to_string()));
        assert_eq!(state.account_ids, string_set(&["111111111111".to_string(), "222222222222".to_string()]));
        let (state, _) = r.import(&mut diags, "111111111111@eu-west-1".into()).await.unwrap();
        assert_eq!((state.id, state.region), (Value::Value("111111111111".into()), Value::Value("eu-west-1".into())));
        let (state, _) = r.import(&mut diags, "111111111111:222222222222-ECR@ap-south-1".into()).await.unwrap();
        assert_eq!(state.region, Value::Value("ap-south-1".to_string()));
        assert!(r.import(&mut diags, "111111111111:2-ECR".into()).await.is_none());
        assert!(diags.errors[0].detail.contains("aws_inspector2_enabler id"), "{}", diags.errors[0].detail);
    }
}

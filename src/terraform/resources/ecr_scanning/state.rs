//! The resource's state and what is derived from it: the wanted and owned accounts, the id,
//! and `status` as planned and as read.

use crate::aws::InspectorStatus;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use tf_provider::value::Value;

use crate::domain::scanning::{self};
use crate::domain::status::{self};
use crate::ids;
use crate::terraform::timeouts::Timeouts;
use crate::terraform::values::{known_entries, known_members, known_set, string_map, StringMap, StringSet};

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
pub use crate::terraform::resources::Private;

/// 1: `account_ids` a list kept as configured, a short `id` (0.1.0 had a set and the joined ids).
pub const SCHEMA_VERSION: i64 = 1;

/// `state` with `status`; `account_ids` stays as configured.
pub(super) fn with_status(mut state: State, status: BTreeMap<String, String>) -> State {
    state.status = Value::Null; // the old map freed before the new one is built
    state.status = string_map(status);
    state
}

/// The wanted accounts when all are known: the keys of `accounts` when set, else `account_ids`.
pub(super) fn wanted(state: &State) -> Option<BTreeSet<String>> {
    match &state.accounts {
        Value::Value(map) => Some(map.keys().cloned().collect()),
        Value::Unknown => None,
        Value::Null => known_set(&state.account_ids),
    }
}

/// The wanted accounts known so far.
pub(super) fn wanted_known(state: &State) -> BTreeSet<String> {
    match &state.accounts {
        Value::Value(map) => map.keys().cloned().collect(),
        Value::Unknown => BTreeSet::new(),
        Value::Null => known_members(&state.account_ids),
    }
}

/// Every account the resource answers for: the wanted ones, and removed ones still in `status`
/// because turning them off has not finished.
pub(super) fn owned(state: &State) -> BTreeSet<String> {
    let mut accounts = wanted_known(state);
    accounts.extend(status_of(state).into_keys());
    accounts
}

/// The accounts a destroy turns off: those whose `status` may be on
/// ([`change::to_turn_off`](crate::domain::scanning::change::to_turn_off)).
pub(super) fn may_be_on(state: &State) -> BTreeSet<String> {
    crate::domain::scanning::change::to_turn_off(typed_status(status_of(state)))
}

/// The id a new resource owning `accounts` gets; unknown while they are.
pub(super) fn new_id(accounts: Option<&BTreeSet<String>>) -> Value<String> {
    accounts.and_then(ids::short_account_id).map_or(Value::Unknown, Value::Value)
}

/// Status as planned: `ENABLED` for every wanted account, so a plan shows one map line for each
/// account that drifted, is added or is removed, and none for the others. Unknown on create (the
/// list shows the accounts already), and while the accounts or the role are unknown.
pub(super) fn planned_status(
    prior: Option<&State>,
    accounts: Option<&BTreeSet<String>>,
    config_unknown: bool,
) -> StringMap {
    match (prior, accounts) {
        (Some(_), Some(accounts)) if !config_unknown => {
            string_map(accounts.iter().map(|a| (a.clone(), InspectorStatus::Enabled.to_string())))
        }
        _ => Value::Unknown,
    }
}

/// Status after a read: what Inspector says for every wanted account, off included, so drift shows
/// per account; removed accounts only while still on (they are released once off); the last known
/// status for an account Inspector did not report, and nothing for one never known.
/// `owned` is `owned(state)`, taken so that it is not copied again.
pub(super) fn read_status(
    state: &State,
    owned: BTreeSet<String>,
    reading: &scanning::Reading,
) -> BTreeMap<String, String> {
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

pub(super) fn status_of(state: &State) -> BTreeMap<String, String> {
    known_entries(&state.status)
}

/// `status` as state stores it, typed: a value this provider does not know is kept as text.
pub(super) fn typed_status(status: BTreeMap<String, String>) -> BTreeMap<String, InspectorStatus> {
    status.into_iter().map(|(a, s)| (a, InspectorStatus::from_wire(&s))).collect()
}

/// Typed statuses as state stores them.
pub(super) fn status_strings(status: BTreeMap<String, InspectorStatus>) -> BTreeMap<String, String> {
    status.into_iter().map(|(a, s)| (a, s.to_string())).collect()
}

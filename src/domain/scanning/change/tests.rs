use std::time::Duration;

use super::*;
use crate::domain::scanning::Failure;
use crate::domain::status::Direction;

fn ids(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn statuses(list: &[(&str, InspectorStatus)]) -> BTreeMap<String, InspectorStatus> {
    list.iter().map(|(a, s)| (a.to_string(), s.clone())).collect()
}

fn report(direction: Direction) -> Report {
    Report {
        direction,
        done: BTreeMap::new(),
        pending: BTreeMap::new(),
        failed: BTreeMap::new(),
        kept_by_policy: BTreeMap::new(),
        last_error: BTreeMap::new(),
        timeout: Duration::from_secs(60),
        stopped: false,
        refused: false,
    }
}

use InspectorStatus::{Disabled, Enabled, Enabling};

#[test]
fn every_account_lands_in_exactly_one_place() {
    let wanted = ids(&["1", "2", "3"]);
    let had = ids(&["1", "2", "4", "5", "6", "7"]);
    let prior = statuses(&[("1", Enabled), ("2", Disabled), ("4", Enabled), ("5", Disabled), ("6", Enabling)]);
    let c = ChangeSet::plan(&wanted, &had, prior, true);
    assert_eq!(c.keep, statuses(&[("1", Enabled)]));
    assert_eq!(c.enable, ids(&["2", "3"]), "off, or never read");
    assert_eq!(c.disable, ids(&["4", "6"]), "removed and possibly on");
    assert_eq!(c.release, ids(&["5", "7"]), "removed and known off, or never turned on");
}

#[test]
fn removal_that_only_forgets_releases_every_removed_account() {
    let c = ChangeSet::plan(&ids(&["1"]), &ids(&["1", "2"]), statuses(&[("1", Enabled), ("2", Enabled)]), false);
    assert!(c.disable.is_empty());
    assert_eq!(c.release, ids(&["2"]));
    assert!(c.is_empty(), "kept and released accounts need no call");
}

#[test]
fn merge_keeps_what_was_on_adds_what_turned_on_and_holds_removed_accounts_not_yet_off() {
    let prior = statuses(&[("1", Enabled), ("4", Enabled), ("5", Enabling), ("6", Enabled)]);
    let c = ChangeSet::plan(&ids(&["1", "2", "3"]), &ids(&["1", "4", "5", "6"]), prior, true);
    let mut enabled = report(Direction::Enable);
    enabled.done.insert("2".into(), Enabled);
    enabled.failed.insert("3".into(), Failure { code: "ACCESS_DENIED".into(), message: "no".into(), hint: None });
    let mut disabled = report(Direction::Disable);
    disabled.done.insert("4".into(), Disabled);
    disabled.pending.insert("5".into(), None);
    disabled.failed.insert("6".into(), Failure { code: "ACCESS_DENIED".into(), message: "no".into(), hint: None });
    let status = c.merge(&enabled, &disabled);
    assert_eq!(
        status,
        statuses(&[("1", Enabled), ("2", Enabled), ("5", Enabling), ("6", Enabled)]),
        "3 failed to turn on and stays out; 4 is off and released"
    );
}

#[test]
fn merge_releases_removed_accounts_an_inspector_policy_keeps_on() {
    let prior = statuses(&[("1", Enabled), ("4", Enabled)]);
    let c = ChangeSet::plan(&ids(&["1"]), &ids(&["1", "4"]), prior, true);
    let mut disabled = report(Direction::Disable);
    let kept = Failure { code: "BLOCKED_BY_ORGANIZATION_POLICY".into(), message: "policy".into(), hint: None };
    disabled.kept_by_policy.insert("4".into(), kept);
    let status = c.merge(&report(Direction::Enable), &disabled);
    assert_eq!(status, statuses(&[("1", Enabled)]), "4 leaves state: the policy keeps it on");
}

/// Destroy turns off what may be on and releases the rest: an account read as DISABLED, and one
/// absent from the status (never known to be on), take no call.
#[test]
fn destroy_turns_off_only_what_may_be_on() {
    let prior = statuses(&[
        ("111111111111", Enabled),
        ("222222222222", Enabling),
        ("333333333333", Disabled),
        ("444444444444", InspectorStatus::Unknown("PAUSED".into())),
    ]);
    assert_eq!(to_turn_off(prior), ids(&["111111111111", "222222222222", "444444444444"]));
    assert!(to_turn_off(BTreeMap::new()).is_empty());
}

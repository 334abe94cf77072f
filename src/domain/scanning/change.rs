//! What an update does with each account: the split of the wanted and the removed accounts into
//! enable, disable, keep and release, decided from what state last said of them, and the status
//! to save once the calls have answered.

use std::collections::{BTreeMap, BTreeSet};

use super::Report;
use crate::aws::InspectorStatus;

/// Whether an account last read as `status` may have ECR scanning on, so that turning it off
/// takes a Disable: anything but `DISABLED` (`ENABLING`, `DISABLING`, and a status AWS adds later).
pub fn may_be_on(status: &InspectorStatus) -> bool {
    *status != InspectorStatus::Disabled
}

/// The accounts a destroy turns off, from the status state last saved: those that may be on. An
/// account absent from it was never known to be on (it could not be associated, or never read),
/// so a destroy releases it without a call, as it does one read as `DISABLED`.
pub fn to_turn_off(prior: BTreeMap<String, InspectorStatus>) -> BTreeSet<String> {
    prior.into_iter().filter(|(_, status)| may_be_on(status)).map(|(account, _)| account).collect()
}

/// The accounts an update acts on, each in exactly one place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Wanted and not known to be `ENABLED`: Enable them.
    pub enable: BTreeSet<String>,
    /// Wanted and known `ENABLED`: nothing to send; kept with their status.
    pub keep: BTreeMap<String, InspectorStatus>,
    /// Removed and possibly on, when removal turns scanning off: Disable them.
    pub disable: BTreeSet<String>,
    /// Removed and known off or never turned on, or removal only forgets: released without a call.
    pub release: BTreeSet<String>,
    /// What state said of the accounts being disabled, for those a Disable does not settle.
    last_known: BTreeMap<String, InspectorStatus>,
}

impl ChangeSet {
    /// `wanted` are the accounts the plan names; `had` every account the prior state owned;
    /// `prior` the status state last saved (consumed: at 10,000 accounts it is a large map).
    pub fn plan(
        wanted: &BTreeSet<String>,
        had: &BTreeSet<String>,
        prior: BTreeMap<String, InspectorStatus>,
        disable_removed: bool,
    ) -> ChangeSet {
        let mut change = ChangeSet::default();
        for (account, status) in prior {
            if wanted.contains(&account) {
                if status == InspectorStatus::Enabled {
                    change.keep.insert(account, status);
                }
            } else if disable_removed && may_be_on(&status) {
                // Only what may be on is turned off.
                change.disable.insert(account.clone());
                change.last_known.insert(account, status);
            }
        }
        change.enable = wanted.iter().filter(|a| !change.keep.contains_key(*a)).cloned().collect();
        change.release = had.iter().filter(|a| !wanted.contains(*a) && !change.disable.contains(*a)).cloned().collect();
        change
    }

    /// Whether the update needs any call.
    pub fn is_empty(&self) -> bool {
        self.enable.is_empty() && self.disable.is_empty()
    }

    /// The status to save: the kept accounts, the ones the Enable turned on, and the removed ones
    /// not off yet (still owned until they are), at their last known status.
    pub fn merge(self, enabled: &Report, disabled: &Report) -> BTreeMap<String, InspectorStatus> {
        let mut status = self.keep;
        status.extend(enabled.on().map(|(a, s)| (a.clone(), s.clone())));
        for account in disabled.failed.keys() {
            let last = self.last_known.get(account).cloned().unwrap_or(InspectorStatus::Enabled);
            status.insert(account.clone(), last);
        }
        for (account, read) in &disabled.pending {
            if let Some(shown) = read.clone().or_else(|| self.last_known.get(account).cloned()) {
                status.insert(account.clone(), shown);
            }
        }
        status
    }
}

#[cfg(test)]
mod tests;

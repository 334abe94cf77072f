//! The Inspector.2 control evaluation: Security Hub's view of Inspector2 ECR scanning, as one
//! control finding in the caller's home account. Used by GetFindings and the control API.

use crate::account::{ResourceType, Status};
use crate::findings::{finding_id, Compliance, Finding, INSPECTOR2_CONTROL};
use crate::state::World;
use crate::util::stable_uuid;

fn ecr_enabled(w: &World, account: &str) -> bool {
    w.account(account).resource(ResourceType::Ecr) == Status::Enabled
}

/// The stable Id of the evaluated Inspector.2 finding of `home` in `region`.
pub fn evaluated_finding_id(home: &str, region: &str) -> String {
    let uuid = stable_uuid(&format!("evaluated|{INSPECTOR2_CONTROL}|{home}|{region}"));
    finding_id(home, region, INSPECTOR2_CONTROL, &uuid)
}

/// (Re)compute the Inspector.2 finding of Security Hub home account `home` from the Inspector2
/// state, as AWS does in the delegated administrator (or a standalone account):
/// - the delegated administrator: PASSED iff it and every member have ECR scanning ENABLED;
/// - a member (there is a delegated administrator): no finding (they live in the admin account);
/// - any other (standalone) account: PASSED iff its ECR scanning is ENABLED (an account that
///   never used Inspector reads all DISABLED, so it FAILS, as on AWS);
/// - nothing at all while the Inspector.2 control is DISABLED.
///
/// A compliance change applies the workflow rules (see [`Finding::set_compliance`]) and bumps
/// UpdatedAt; an unchanged result leaves the finding alone.
pub fn evaluate_inspector2(w: &mut World, home: &str, region: &str, now: &str) {
    let control_on = w.securityhub.controls.get(INSPECTOR2_CONTROL).is_some_and(|c| c.status == "ENABLED");
    if !control_on {
        return;
    }
    let admin = w.org.delegated_admin.as_deref();
    let passed = if admin == Some(home) {
        ecr_enabled(w, home) && w.org.associated().all(|m| ecr_enabled(w, m))
    } else if admin.is_some() && w.org.is_associated(home) {
        return;
    } else {
        ecr_enabled(w, home)
    };
    let compliance = if passed { Compliance::Passed } else { Compliance::Failed };
    let id = evaluated_finding_id(home, region);
    let store = w.securityhub.store_mut(home);
    match store.get_mut(&id) {
        Some(f) => {
            if f.set_compliance(compliance) {
                f.updated_at = now.to_string();
            }
        }
        None => {
            store.insert(id.clone(), Finding::new(id, home, region, INSPECTOR2_CONTROL, compliance, now));
        }
    }
}

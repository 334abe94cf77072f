//! The Inspector.2 control evaluation: Security Hub's view of Inspector2 ECR scanning, as one
//! control finding in the caller's home account. Used by GetFindings and the control API.

use crate::model::account::{ResourceType, Status};
use crate::model::findings::{finding_id, Compliance, Finding, RecordState, INSPECTOR2_CONTROL};
use crate::model::inspector_org::{ASSOCIATED, SUSPENDED};
use crate::model::world::World;
use crate::util::stable_uuid;

fn ecr_enabled(w: &World, account: &str) -> bool {
    w.account(account).resource(ResourceType::Ecr) == Status::Enabled
}

/// The stable Id of the evaluated Inspector.2 finding of `home` in `region`.
pub fn evaluated_finding_id(home: &str, region: &str) -> String {
    let uuid = stable_uuid(&format!("evaluated|{INSPECTOR2_CONTROL}|{home}|{region}"));
    finding_id(home, region, INSPECTOR2_CONTROL, &uuid)
}

/// Does the organization pass in the delegated administrator `admin`: it and every associated
/// member scan ECR, and no member whose account is suspended (relationship ACCOUNT_SUSPENDED)
/// has ECR off (it keeps the control FAILED until the administrator disassociates it).
fn organization_passes(w: &World, admin: &str) -> bool {
    let counted = w.here().org.members.iter().filter(|(_, m)| m.status == ASSOCIATED || m.status == SUSPENDED);
    ecr_enabled(w, admin) && counted.map(|(id, _)| id).all(|m| ecr_enabled(w, m))
}

/// A disabled control has no findings: archive the evaluated one, as Security Hub does.
fn archive(w: &mut World, home: &str, id: &str, now: &str) {
    if let Some(f) = w.here_mut().securityhub.find_mut(home, id) {
        if f.set_record_state(RecordState::Archived) {
            f.updated_at = now.to_string();
            w.here_mut().securityhub.associations.archived.insert(id.to_string());
        }
    }
}

/// (Re)compute the Inspector.2 finding of Security Hub home account `home` from the Inspector2
/// state of the selected Region, as AWS does in the delegated administrator (or a standalone
/// account):
/// - the delegated administrator: see [`organization_passes`];
/// - an associated or suspended member: no finding (findings live in the admin account);
/// - any other account (standalone, or in the organization but not associated): PASSED iff its
///   ECR scanning is ENABLED (an account that never used Inspector reads all DISABLED, so it
///   FAILS, as on AWS);
/// - nothing at all while the Inspector.2 control is DISABLED; and while it is disabled for
///   `home` in every standard `home` has enabled (standards control associations), the evaluated
///   finding is archived (RecordState ARCHIVED), active again once the control is enabled.
///
/// A compliance change applies the workflow rules (see [`Finding::set_compliance`]) and bumps
/// UpdatedAt; an unchanged result leaves the finding alone.
pub fn evaluate_inspector2(w: &mut World, home: &str, region: &str, now: &str) {
    let control_on = w.here().securityhub.controls.get(INSPECTOR2_CONTROL).is_some_and(|c| c.status == "ENABLED");
    if !control_on {
        return;
    }
    let id = evaluated_finding_id(home, region);
    if w.here().securityhub.associations.control_disabled(home, INSPECTOR2_CONTROL) {
        archive(w, home, &id, now);
        return;
    }
    if w.here_mut().securityhub.associations.archived.remove(&id) {
        if let Some(f) = w.here_mut().securityhub.find_mut(home, &id) {
            f.set_record_state(RecordState::Active);
            f.updated_at = now.to_string();
        }
    }
    let admin = w.here().org.delegated_admin.as_deref();
    let member = matches!(w.here().org.status(home), Some(ASSOCIATED | SUSPENDED));
    let passed = if admin == Some(home) {
        organization_passes(w, home)
    } else if admin.is_some() && member {
        return;
    } else {
        ecr_enabled(w, home)
    };
    let compliance = if passed { Compliance::Passed } else { Compliance::Failed };
    let store = w.here_mut().securityhub.store_mut(home);
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

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::model::inspector_org::Member;

    const ADMIN: &str = "111111111111";
    const M1: &str = "222222222222";
    const M2: &str = "333333333333";
    const NOW: &str = "2024-01-01T00:00:00.000Z";

    fn org() -> World {
        World::with_org(ADMIN, [M1.to_string(), M2.to_string()])
    }

    fn set_ecr(w: &mut World, id: &str, s: Status) {
        w.account_mut(id).set_resource(ResourceType::Ecr, s, Instant::now());
    }

    /// The evaluated compliance of `home` in the selected Region (None: no finding).
    fn evaluated(w: &mut World, home: &str) -> Option<Compliance> {
        let region = w.region().to_string();
        evaluate_inspector2(w, home, &region, NOW);
        let id = evaluated_finding_id(home, &region);
        w.here().securityhub.store(home).and_then(|s| s.get(&id)).map(|f| f.compliance)
    }

    #[test]
    fn the_organization_passes_only_when_every_associated_member_scans_ecr() {
        let mut w = org();
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Failed));
        for id in [ADMIN, M1] {
            set_ecr(&mut w, id, Status::Enabled);
        }
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Failed), "M2 does not scan");
        set_ecr(&mut w, M2, Status::Enabling);
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Failed), "ENABLING is not ENABLED");
        set_ecr(&mut w, M2, Status::Enabled);
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Passed));
        // Members get no finding; an account of the organization that is not associated is
        // evaluated on its own and does not count for the administrator.
        assert_eq!(evaluated(&mut w, M1), None);
        w.here_mut().org.members.insert("444444444444".into(), Member::new("CREATED", 0));
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Passed));
        assert_eq!(evaluated(&mut w, "444444444444"), Some(Compliance::Failed));
    }

    #[test]
    fn a_suspended_member_without_ecr_fails_it_until_it_is_removed() {
        let mut w = org();
        for id in [ADMIN, M1, M2] {
            set_ecr(&mut w, id, Status::Enabled);
        }
        w.here_mut().org.members.insert(M2.into(), Member::new(SUSPENDED, 0));
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Passed), "suspended but still scanning");
        set_ecr(&mut w, M2, Status::Disabled);
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Failed));
        assert_eq!(evaluated(&mut w, M2), None, "a suspended member gets no finding either");
        w.here_mut().org.members.remove(M2);
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Passed), "disassociated: it no longer counts");
    }

    #[test]
    fn each_region_is_evaluated_on_its_own() {
        let mut w = org();
        for id in [ADMIN, M1, M2] {
            set_ecr(&mut w, id, Status::Enabled);
        }
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Passed));
        w.select_region("eu-west-1");
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Failed));
        w.select_region("us-east-1");
        set_ecr(&mut w, M1, Status::Disabled);
        assert_eq!(evaluated(&mut w, ADMIN), Some(Compliance::Failed));
    }
}

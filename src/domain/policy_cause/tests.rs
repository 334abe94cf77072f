use std::collections::BTreeMap;

use super::*;
use crate::aws::organizations::fake::{FakeOrganizations, ROOT};
use crate::domain::scanning::Failure;

const US: &str = "us-east-1";
const EU: &str = "eu-west-1";

fn doc(enable: &[&str], disable: &[&str]) -> String {
    serde_json::json!({"inspector": {"enablement": {"ecr_scanning": {
        "enable_in_regions": {"@@assign": enable}, "disable_in_regions": {"@@assign": disable}}}}})
    .to_string()
}

#[tokio::test]
async fn the_policy_that_disables_ecr_in_the_region_is_named() {
    let org = FakeOrganizations::new(true);
    let on = org.add_policy("ecr-everywhere", &doc(&["ALL_SUPPORTED"], &[]), &[ROOT]);
    let off = org.add_policy("no-ecr-eu", &doc(&[], &[EU]), &["222222222222"]);
    org.set_effective("222222222222", &doc(&["ALL_SUPPORTED"], &[EU]));
    org.set_effective("333333333333", &doc(&["ALL_SUPPORTED"], &[]));
    let accounts = ["222222222222".to_owned(), "333333333333".to_owned(), "444444444444".to_owned()];
    let lookups = look_up(&org, EU, &accounts).await;
    let cause = lookups.by_account["222222222222"].as_ref().unwrap();
    assert_eq!(cause.decision, EcrDecision::Disabled);
    let named: Vec<(&str, &str)> = cause.policies.iter().map(|(p, t)| (p.id.as_str(), t.as_str())).collect();
    assert_eq!(named, vec![(off.as_str(), "222222222222")]);
    let text = cause.sentence(EU);
    assert!(text.contains(&format!("{off} (no-ecr-eu) attached to 222222222222")), "{text}");
    assert!(text.contains("disables ECR scanning in eu-west-1"), "{text}");
    let enabled = lookups.by_account["333333333333"].as_ref().unwrap();
    assert_eq!(enabled.decision, EcrDecision::Enabled);
    let first = &enabled.policies[0];
    assert_eq!((first.0.id.as_str(), first.1.as_str()), (on.as_str(), ROOT), "the root's policy enables it");
    assert!(!lookups.by_account["444444444444"].as_ref().unwrap().policy_managed(), "no effective policy");
    // The root's policies and each document are read once for the whole run.
    assert_eq!(org.calls_of("ListPoliciesForTarget", ROOT), 1);
    assert_eq!(org.count("DescribePolicy"), 2);
    assert_eq!(org.count("DescribeEffectivePolicy"), 3);
}

#[tokio::test]
async fn a_policy_on_an_ou_above_the_account_is_named_with_its_ou() {
    let org = FakeOrganizations::new(true);
    let (inner, outer) = ("ou-ab12-inner000", "ou-ab12-outer000");
    let id = org.add_policy("no-ecr-eu", &doc(&[], &[EU]), &[outer]);
    {
        let mut w = org.inner.lock().unwrap();
        for (child, parent) in [("222222222222", inner), ("333333333333", inner), (inner, outer), (outer, ROOT)] {
            w.parents.insert(child.into(), parent.into());
        }
    }
    org.set_effective("222222222222", &doc(&[], &[EU]));
    org.set_effective("333333333333", &doc(&[], &[EU]));
    let lookups = look_up(&org, EU, &["222222222222".to_owned(), "333333333333".to_owned()]).await;
    for account in ["222222222222", "333333333333"] {
        let named = lookups.by_account[account].as_ref().unwrap().named();
        assert_eq!(named, format!("{id} (no-ecr-eu) attached to {outer}"));
    }
    // The OUs' parents and policies are read once for both accounts.
    assert_eq!((org.calls_of("ListParents", inner), org.calls_of("ListPoliciesForTarget", outer)), (1, 1));

    // A decision no single policy makes (one enables, a lower one removes nothing) says so.
    org.set_effective("444444444444", &doc(&["ALL_SUPPORTED"], &[EU]));
    let lookups = look_up(&org, "us-east-1", &["444444444444".to_owned()]).await;
    let named = lookups.by_account["444444444444"].as_ref().unwrap().named();
    assert!(named.contains("combines several"), "{named}");
}

#[tokio::test]
async fn lookups_stop_at_a_refusal_and_at_the_bound() {
    let org = FakeOrganizations::new(true);
    org.inner.lock().unwrap().access_denied = true;
    let lookups = look_up(&org, EU, &["222222222222".to_owned(), "333333333333".to_owned()]).await;
    assert!(lookups.by_account.is_empty());
    assert_eq!(org.total_calls(), 1, "a refusal ends the lookups");
    let note = lookups.denied_note().expect("a note");
    assert!(note.contains("AccessDeniedException") && note.contains("management account"), "{note}");

    let org = FakeOrganizations::new(true);
    let many: Vec<String> = (0..130).map(|i| format!("{:012}", 200_000_000_000u64 + i)).collect();
    let lookups = look_up(&org, EU, &many).await;
    assert_eq!((lookups.by_account.len(), lookups.not_checked), (100, 30));
    assert_eq!(org.count("DescribeEffectivePolicy"), 100);
}

#[tokio::test]
async fn a_blocked_enable_names_the_policy_and_keeps_the_hint() {
    let org = FakeOrganizations::new(true);
    let off = org.add_policy("no-ecr-eu", &doc(&[], &[EU]), &[ROOT]);
    org.set_effective("222222222222", &doc(&[], &[EU]));
    let blocked = Failure { code: "BLOCKED_BY_ORGANIZATION_POLICY".into(), message: "refused".into(), hint: None };
    let denied = Failure { code: "ACCESS_DENIED".into(), message: "no".into(), hint: None };
    let mut report = Report {
        direction: crate::domain::status::Direction::Enable,
        done: BTreeMap::new(),
        pending: BTreeMap::new(),
        failed: BTreeMap::from([("222222222222".into(), blocked), ("333333333333".into(), denied.clone())]),
        kept_by_policy: BTreeMap::new(),
        last_error: BTreeMap::new(),
        timeout: std::time::Duration::from_secs(60),
        stopped: false,
        refused: false,
    };
    explain_blocked(&org, EU, &mut report).await;
    let f = &report.failed["222222222222"];
    assert!(
        f.message.starts_with("refused; ") && f.message.contains(&format!("{off} (no-ecr-eu) attached to {ROOT}")),
        "{}",
        f.message
    );
    assert_eq!(f.hint.as_deref(), Some(status::POLICY_DISABLES_HINT));
    assert_eq!(report.failed["333333333333"], denied, "other failures are left alone");
    assert_eq!(org.count("DescribeEffectivePolicy"), 1, "only blocked accounts are looked up");

    // Organizations refused: said so, the hint stays.
    let org = FakeOrganizations::new(true);
    org.inner.lock().unwrap().access_denied = true;
    let blocked = Failure { code: "BLOCKED_BY_ORGANIZATION_POLICY".into(), message: "refused".into(), hint: None };
    report.failed.insert("222222222222".into(), blocked);
    explain_blocked(&org, US, &mut report).await;
    let f = &report.failed["222222222222"];
    assert!(f.message.contains("AWS Organizations could not be read"), "{}", f.message);
    assert_eq!(f.hint.as_deref(), Some(status::POLICY_DISABLES_HINT));
}

#[tokio::test]
async fn an_account_in_no_organization_has_no_policy_and_that_is_no_refusal() {
    let org = FakeOrganizations::new(true);
    let not_in_use = crate::aws::AwsError::new(
        "DescribeEffectivePolicy",
        crate::aws::ErrorClass::Final,
        Some("AWSOrganizationsNotInUseException"),
        "Your account is not a member of an organization.",
    );
    org.inner.lock().unwrap().call_errors.push_back(not_in_use);
    let lookups = look_up(&org, EU, &["222222222222".to_owned()]).await;
    assert_eq!(lookups.denied, None);
    let cause = lookups.by_account["222222222222"].as_ref().expect("an answer");
    assert!(!cause.policy_managed());
}

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::aws::organizations::fake::{FakeOrganizations, ROOT};

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn wanted(regions: &[&str], targets: &[&str]) -> Wanted {
    Wanted {
        name: "ecr".into(),
        description: "ECR scanning".into(),
        enable_in_regions: set(regions),
        target_ids: set(targets),
        tags: BTreeMap::from([("team".to_owned(), "sec".to_owned())]),
    }
}

#[test]
fn the_document_names_only_ecr_scanning_with_both_lists() {
    let doc: serde_json::Value = serde_json::from_str(&document(&set(&["us-east-1", "eu-west-1"]))).unwrap();
    let expected = serde_json::json!({"inspector": {"enablement": {"ecr_scanning": {
        "enable_in_regions": {"@@assign": ["eu-west-1", "us-east-1"]},
        "disable_in_regions": {"@@assign": []}}}}});
    assert_eq!(doc, expected);
    assert_eq!(owned_regions(&document(&set(&["eu-west-1"]))), Some(set(&["eu-west-1"])));
}

#[test]
fn a_document_changed_outside_is_not_owned() {
    let other = r#"{"inspector":{"enablement":{"ecr_scanning":{"enable_in_regions":{"@@assign":["eu-west-1"]},
        "disable_in_regions":{"@@assign":["us-east-1"]}}}}}"#;
    assert_eq!(owned_regions(other), None);
    assert_eq!(enable_regions(other), set(&["eu-west-1"]));
    let ec2 = r#"{"inspector":{"enablement":{"ecr_scanning":{"enable_in_regions":{"@@assign":["eu-west-1"]},
        "disable_in_regions":{"@@assign":[]}},"ec2_scanning":{"enable_in_regions":{"@@assign":["eu-west-1"]}}}}}"#;
    assert_eq!(owned_regions(ec2), None);
    assert_eq!(owned_regions("not json"), None);
}

#[test]
fn disable_beats_enable_and_all_supported_covers_every_region() {
    let doc = |e: &str, d: &str| {
        format!(
            r#"{{"inspector":{{"enablement":{{"ecr_scanning":{{"enable_in_regions":{e},"disable_in_regions":{d}}}}}}}}}"#
        )
    };
    let both = doc(r#"{"@@assign":["ALL_SUPPORTED"]}"#, r#"{"@@assign":["eu-west-1"]}"#);
    assert_eq!(decision(&both, "eu-west-1"), EcrDecision::Disabled);
    assert_eq!(decision(&both, "us-east-1"), EcrDecision::Enabled);
    let bare = doc(r#"["us-east-1"]"#, "[]");
    assert_eq!(decision(&bare, "us-east-1"), EcrDecision::Enabled, "an effective policy may show bare lists");
    assert_eq!(decision(&bare, "eu-west-1"), EcrDecision::Unmanaged);
    let append = doc(r#"{"@@append":["eu-west-1"]}"#, r#"{"@@assign":[]}"#);
    assert_eq!(decision(&append, "eu-west-1"), EcrDecision::Enabled);
    assert_eq!(decision("{}", "eu-west-1"), EcrDecision::Unmanaged);
    assert_eq!(decision("not json", "eu-west-1"), EcrDecision::Unmanaged);
}

#[test]
fn arguments_are_checked_without_aws() {
    assert!(check_regions(&set(&["us-east-1", "eu-west-1"])).is_ok());
    assert!(check_regions(&set(&["ALL_SUPPORTED"])).is_ok());
    let e = check_regions(&set(&["ALL_SUPPORTED", "us-east-1"])).unwrap_err();
    assert!(e.contains("only value"), "{e}");
    assert!(check_regions(&set(&["moon-1"])).unwrap_err().contains("moon-1"));
    assert!(check_regions(&BTreeSet::new()).is_err());
    for ok in ["r-ab12", "ou-ab12-abcdefgh", "123456789012"] {
        assert!(check_target(ok).is_ok(), "{ok}");
    }
    for bad in ["r-AB12", "r-a", "ou-ab12", "ou-ab12-abc", "12345", "p-12345678", ""] {
        let e = check_target(bad).unwrap_err();
        assert!(e.contains("root id"), "{bad}: {e}");
    }
    assert!(check_policy_id("p-abcd1234").is_ok());
    assert!(check_policy_id("p-abc").is_err());
    assert!(check_policy_id("abcd12345").unwrap_err().contains("p-"));
}

#[tokio::test]
async fn create_refuses_without_the_policy_type_and_creates_nothing() {
    let org = FakeOrganizations::new(false);
    let applied = create(&org, &wanted(&["us-east-1"], &[ROOT])).await;
    assert_eq!(applied.summary, None);
    let error = applied.error.expect("an error");
    assert!(
        error
            .contains(&format!("aws organizations enable-policy-type --root-id {ROOT} --policy-type INSPECTOR_POLICY")),
        "{error}"
    );
    assert!(error.contains("enabled_policy_types"), "{error}");
    assert_eq!((org.count("CreatePolicy"), org.count("ListRoots")), (0, 1));
}

#[tokio::test]
async fn create_attaches_every_target_and_update_changes_only_what_changed() {
    let org = FakeOrganizations::new(true);
    let applied = create(&org, &wanted(&["us-east-1"], &[ROOT, "111111111111"])).await;
    assert_eq!(applied.error, None);
    let id = applied.summary.expect("a policy").id;
    assert_eq!(applied.target_ids, set(&[ROOT, "111111111111"]));
    assert_eq!(org.count("AttachPolicy"), 2);
    {
        let w = org.inner.lock().unwrap();
        assert_eq!(w.policies[&id].content, document(&set(&["us-east-1"])));
        assert_eq!(w.tags[&id]["team"], "sec");
    }

    // Only the targets change: no UpdatePolicy, no tag call, one attach and one detach.
    let prior = Wanted { target_ids: applied.target_ids, ..wanted(&["us-east-1"], &[]) };
    let next = wanted(&["us-east-1"], &[ROOT, "ou-ab12-abcdefgh"]);
    let applied = update(&org, &id, &prior, &next).await;
    assert_eq!(applied.error, None);
    assert_eq!(applied.target_ids, set(&[ROOT, "ou-ab12-abcdefgh"]));
    assert_eq!((org.count("UpdatePolicy"), org.count("TagResource"), org.count("UntagResource")), (0, 0, 0));
    assert_eq!((org.count("AttachPolicy"), org.count("DetachPolicy")), (3, 1));

    // Regions and tags change: one UpdatePolicy, the removed tag untagged, the new one tagged.
    let mut later = wanted(&["ALL_SUPPORTED"], &[ROOT, "ou-ab12-abcdefgh"]);
    later.tags = BTreeMap::from([("owner".to_owned(), "me".to_owned())]);
    let applied = update(&org, &id, &next, &later).await;
    assert!(applied.document_done && applied.tags_done && applied.error.is_none());
    assert_eq!((org.count("UpdatePolicy"), org.count("TagResource"), org.count("UntagResource")), (1, 1, 1));
    let w = org.inner.lock().unwrap();
    assert_eq!(w.policies[&id].content, document(&set(&["ALL_SUPPORTED"])));
    assert_eq!(w.tags[&id], BTreeMap::from([("owner".to_owned(), "me".to_owned())]));
}

#[tokio::test]
async fn an_attach_that_fails_keeps_what_was_attached_and_says_why() {
    let org = FakeOrganizations::new(true);
    let id = create(&org, &wanted(&["us-east-1"], &[ROOT])).await.summary.unwrap().id;
    let err =
        AwsError::new("AttachPolicy", crate::aws::ErrorClass::Final, Some("TargetNotFoundException"), "no such target");
    org.inner.lock().unwrap().call_errors.push_back(err);
    let prior = wanted(&["us-east-1"], &[ROOT]);
    let applied = update(&org, &id, &prior, &wanted(&["us-east-1"], &["123456789012"])).await;
    let error = applied.error.expect("an error");
    assert!(error.contains("attaching to 123456789012") && error.contains("TargetNotFoundException"), "{error}");
    assert_eq!(applied.target_ids, set(&[ROOT]), "the old target stays: attach comes before detach");
    assert_eq!(org.count("DetachPolicy"), 0);
}

#[tokio::test]
async fn read_says_gone_only_when_aws_says_not_found() {
    let org = FakeOrganizations::new(true);
    assert_eq!(read(&org, "p-missing1").await, Ok(None));
    org.inner.lock().unwrap().access_denied = true;
    let e = read(&org, "p-missing1").await.unwrap_err();
    assert!(e.contains("AccessDeniedException") && e.contains("management account"), "{e}");
}

#[tokio::test]
async fn delete_detaches_every_target_aws_lists_then_deletes() {
    let org = FakeOrganizations::new(true);
    let id = create(&org, &wanted(&["us-east-1"], &[ROOT])).await.summary.unwrap().id;
    // Attached elsewhere outside Terraform too.
    org.inner.lock().unwrap().targets.get_mut(&id).unwrap().insert("123456789012".into());
    assert_eq!(delete(&org, &id).await, Ok(()));
    assert_eq!(org.count("DetachPolicy"), 2);
    assert!(!org.inner.lock().unwrap().policies.contains_key(&id));
    assert_eq!(delete(&org, &id).await, Ok(()), "already gone is deleted");
}

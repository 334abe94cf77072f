use super::*;
use crate::terraform::values::string_set;

fn config(regions: &[&str], targets: &[&str]) -> State {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    State {
        name: Value::Value("ecr".into()),
        enable_in_regions: string_set(&owned(regions)),
        target_ids: string_set(&owned(targets)),
        ..State::default()
    }
}

fn errors(config: &State) -> Vec<(String, AttributePath)> {
    let mut diags = Diagnostics::default();
    check(&mut diags, config);
    diags.errors.iter().map(|d| (d.detail.to_string(), d.attribute.clone())).collect()
}

#[test]
fn bad_arguments_are_refused_naming_the_attribute() {
    assert!(errors(&config(&["us-east-1"], &["r-ab12", "ou-ab12-abcdefgh", "123456789012"])).is_empty());
    let e = errors(&config(&["ALL_SUPPORTED", "us-east-1"], &["r-ab12"]));
    assert_eq!(e.len(), 1);
    assert!(e[0].0.starts_with("enable_in_regions: ") && e[0].0.contains("only value"), "{e:?}");
    assert_eq!(e[0].1, AttributePath::new("enable_in_regions"));
    let e = errors(&config(&["us-east-1"], &["r-ab12", "ou-bad"]));
    assert_eq!(e.len(), 1);
    assert!(e[0].0.starts_with("target_ids: ") && e[0].0.contains("ou-bad"), "{e:?}");
    assert_eq!(e[0].1, AttributePath::new("target_ids").index(1));
    let mut long = config(&["us-east-1"], &[]);
    long.name = Value::Value("x".repeat(129));
    assert_eq!(errors(&long)[0].1, AttributePath::new("name"));
    // Unknown values are checked once known.
    let unknown = State { enable_in_regions: Value::Unknown, target_ids: Value::Unknown, ..config(&[], &[]) };
    assert!(errors(&unknown).is_empty());
}

#[tokio::test]
async fn a_plan_makes_no_aws_call_and_shows_the_document() {
    // An unconfigured handle: any AWS call would fail for want of a Region and credentials.
    let resource = EcrScanningPolicy::new(Arc::new(Shared::default()));
    let mut diags = Diagnostics::default();
    let c = config(&["us-east-1"], &["r-ab12"]);
    let (planned, _) = resource.plan_create(&mut diags, c.clone(), c, ValueEmpty::default()).await.expect("planned");
    assert!(diags.errors.is_empty());
    assert_eq!((planned.id, planned.arn), (Value::Unknown, Value::Unknown));
    assert_eq!(planned.description, Value::Value(String::new()));
    let expected = ecr_policy::document(&["us-east-1".to_owned()].into_iter().collect());
    assert_eq!(planned.content, Value::Value(expected));
}

#[tokio::test]
async fn a_bad_import_id_is_refused_without_aws() {
    let resource = EcrScanningPolicy::new(Arc::new(Shared::default()));
    let mut diags = Diagnostics::default();
    assert!(resource.import(&mut diags, "ou-ab12-abcdefgh".into()).await.is_none());
    assert!(diags.errors[0].detail.contains("p-"), "{}", diags.errors[0].detail);
}

fn over(org: Arc<crate::aws::organizations::fake::FakeOrganizations>) -> EcrScanningPolicy {
    use crate::domain::findings::fake::FakeSecurityHub;
    use crate::domain::scanning::fake::FakeInspector;
    use crate::terraform::shared::fake::{shared_with_all, NoDelegatedAdmin};
    let shared = shared_with_all(
        "us-east-1",
        "111111111111",
        Arc::new(FakeInspector::new(0)),
        Arc::new(FakeSecurityHub::default()),
        Arc::new(NoDelegatedAdmin),
        org,
    );
    EcrScanningPolicy::new(Arc::new(shared))
}

/// Only PolicyNotFoundException makes the policy gone; a refused read keeps it, with the error.
#[tokio::test]
async fn a_refused_read_keeps_the_state_and_only_not_found_is_gone() {
    let org = Arc::new(crate::aws::organizations::fake::FakeOrganizations::new(true));
    let id = org.add_policy("ecr", &ecr_policy::document(&["us-east-1".to_owned()].into()), &["r-ab12"]);
    let resource = over(org.clone());
    let state = State { id: Value::Value(id.clone()), ..config(&["us-east-1"], &["r-ab12"]) };

    let mut diags = Diagnostics::default();
    let (read, _) = resource.read(&mut diags, state.clone(), None, ValueEmpty::default()).await.expect("found");
    assert!(diags.errors.is_empty(), "{:?}", diags.errors.iter().map(|d| d.detail.to_string()).collect::<Vec<_>>());
    assert_eq!(read.target_ids, string_set(&["r-ab12".to_owned()]));
    assert!(read.arn.as_ref_option().is_some_and(|a| a.ends_with(&id)));

    org.inner.lock().unwrap().access_denied = true;
    let mut diags = Diagnostics::default();
    let kept = resource.read(&mut diags, state.clone(), None, ValueEmpty::default()).await;
    assert_eq!(kept.map(|(s, _)| s), Some(state.clone()), "refused: kept as it was");
    assert!(diags.errors[0].detail.contains("AccessDeniedException"), "{}", diags.errors[0].detail);

    org.inner.lock().unwrap().access_denied = false;
    org.inner.lock().unwrap().policies.clear();
    let mut diags = Diagnostics::default();
    assert_eq!(resource.read(&mut diags, state, None, ValueEmpty::default()).await, None, "deleted outside: gone");
    assert!(diags.errors.is_empty());
}

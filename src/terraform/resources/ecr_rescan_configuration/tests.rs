use super::*;

fn config(json: &str) -> State {
    serde_json::from_str(json).unwrap()
}

#[test]
fn bad_values_are_named_and_list_the_valid_ones() {
    let mut diags = Diagnostics::default();
    check(&mut diags, &config(r#"{"rescan_duration": "DAYS_1", "pull_date_rescan_mode": "LAST_PUSH"}"#));
    assert_eq!(diags.errors.len(), 2);
    assert!(diags.errors[0].detail.starts_with("rescan_duration: \"DAYS_1\" is not a valid value"));
    assert!(diags.errors[0].detail.contains("LIFETIME"));
    assert!(diags.errors[1].detail.starts_with("pull_date_rescan_mode:"));
    assert!(diags.errors[1].detail.contains("LAST_IN_USE_AT, LAST_PULL_DATE"), "{}", diags.errors[1].detail);
    assert_eq!(diags.errors[1].attribute, AttributePath::new("pull_date_rescan_mode"));
}

#[test]
fn nothing_set_is_an_error_but_unknown_counts_as_set() {
    let mut diags = Diagnostics::default();
    check(&mut diags, &config(r#"{"reset_on_destroy": true}"#));
    assert_eq!(diags.errors.len(), 1);
    let mut diags = Diagnostics::default();
    check(&mut diags, &State { rescan_duration: Value::Unknown, ..State::default() });
    assert!(diags.errors.is_empty());
}

fn shared() -> Arc<Shared> {
    let settings = crate::aws::clients::Settings { region: Some("us-east-1".into()), ..Default::default() };
    Arc::new(Shared::configured(settings))
}

/// Bad import ids are refused before any AWS call (the clients here reach no AWS).
#[tokio::test]
async fn bad_import_ids_are_refused_naming_the_form() {
    let r = EcrRescanConfiguration::new(shared());
    for (id, problem) in [
        ("123456789012@", "after @, \"\" is not an AWS Region name"),
        ("12345@eu-west-1", "\"12345\" is not an AWS account id"),
        ("123456789012@eu-west", "\"eu-west\" is not an AWS Region name"),
    ] {
        let mut diags = Diagnostics::default();
        assert!(r.import(&mut diags, id.into()).await.is_none());
        assert_eq!(diags.errors.len(), 1, "{id}");
        assert!(diags.errors[0].detail.contains(problem), "{id}: {}", diags.errors[0].detail);
    }
}

/// A Region change replaces; the destroy half (no marker) resets nothing and makes no call.
#[tokio::test]
async fn a_region_change_replaces_and_its_destroy_half_resets_nothing() {
    let r = EcrRescanConfiguration::new(shared());
    let mut diags = Diagnostics::default();
    let prior = State {
        id: Value::Value("123456789012".into()),
        rescan_duration: Value::Value("DAYS_30".into()),
        reset_on_destroy: Value::Value(true),
        region: Value::Value("us-east-1".into()),
        ..State::default()
    };
    let config = State { region: Value::Value("eu-west-1".into()), ..prior.clone() };
    let (planned, _, replace) =
        r.plan_update(&mut diags, prior.clone(), config.clone(), config, None, ValueEmpty::Null).await.unwrap();
    assert_eq!((planned.region, replace), (Value::Value("eu-west-1".into()), vec![AttributePath::new("region")]));
    assert_eq!(r.destroy(&mut diags, prior, None, ValueEmpty::Null).await, Some(()));
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
}

#[test]
fn desired_is_what_is_set() {
    let s = config(r#"{"pull_date_rescan_duration": "DAYS_30"}"#);
    assert_eq!(s.desired().managed(), vec![Setting::PullDateRescanDuration]);
}

/// A refused or failed read keeps the state as it was, with the error: never "gone" (None), never
/// settings blanked.
#[tokio::test(start_paused = true)]
async fn a_refused_read_keeps_the_state_and_reports_the_permission() {
    use crate::aws::{AwsError, ErrorClass};
    use crate::domain::findings::fake::FakeSecurityHub;
    use crate::domain::scanning::fake::FakeInspector;
    let inspector = Arc::new(FakeInspector::new(0));
    let denied = AwsError::new("GetConfiguration", ErrorClass::Final, Some("AccessDeniedException"), "not authorized");
    inspector.inner.lock().unwrap().call_errors.push_back(denied);
    let shared = crate::terraform::shared::fake::shared_with(
        "eu-west-1",
        "123456789012",
        inspector.clone(),
        Arc::new(FakeSecurityHub::default()),
    );
    let r = EcrRescanConfiguration::new(Arc::new(shared));
    let state = State {
        id: Value::Value("123456789012".into()),
        rescan_duration: Value::Value("DAYS_30".into()),
        region: Value::Value("eu-west-1".into()),
        ..State::default()
    };
    let mut diags = Diagnostics::default();
    let read = r.read(&mut diags, state.clone(), Some(Private::default()), ValueEmpty::Null).await;
    assert_eq!(read, Some((state.clone(), Some(Private::default()))), "kept as it was");
    assert_eq!(diags.errors.len(), 1);
    assert!(diags.errors[0].detail.contains("AccessDeniedException"), "{}", diags.errors[0].detail);
    assert_eq!(inspector.count("GetConfiguration"), 1);

    // Answered: the managed setting shows AWS's value.
    inspector.inner.lock().unwrap().rescan.rescan_duration = Some("DAYS_90".into());
    let mut diags = Diagnostics::default();
    let (read, _) = r.read(&mut diags, state, None, ValueEmpty::Null).await.expect("read");
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!(read.rescan_duration, Value::Value("DAYS_90".into()));
}

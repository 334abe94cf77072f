use super::*;

fn config(json: &str) -> State {
    serde_json::from_str(json).unwrap()
}

fn unconfigured() -> EcrAutoEnable {
    EcrAutoEnable::new(Arc::new(Shared::default()))
}

#[tokio::test]
async fn bad_region_and_timeouts_are_named_at_validate() {
    let mut diags = Diagnostics::default();
    let bad = config(r#"{"region": "Europe", "timeouts": [{"create": "soon"}]}"#);
    unconfigured().validate(&mut diags, bad).await;
    assert_eq!(diags.errors.len(), 2, "{:?}", diags.errors);
    assert_eq!(diags.errors[0].attribute, AttributePath::new("region"));
    assert!(diags.errors[0].detail.starts_with("region: \"Europe\""), "{}", diags.errors[0].detail);
    assert!(diags.errors[1].detail.starts_with("timeouts.create: \"soon\""), "{}", diags.errors[1].detail);
}

/// With the provider configuration unknown, the administrator is known only at apply: no AWS
/// call, and everything caller-dependent planned unknown.
#[tokio::test]
async fn an_unknown_provider_configuration_plans_unknowns_without_a_call() {
    let shared = Arc::new(Shared::default());
    shared.mark_config_unknown();
    shared.mark_region_unknown();
    let r = EcrAutoEnable::new(shared);
    let mut diags = Diagnostics::default();
    let (planned, private) = r.plan_create(&mut diags, config("{}"), config("{}"), Value::Null).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!(
        (planned.id, planned.region, planned.max_account_limit_reached),
        (Value::Unknown, Value::Unknown, Value::Unknown)
    );
    assert_eq!(planned.disable_on_destroy, Value::Value(true));
    assert_eq!(planned.timeouts, Value::Value(vec![]));
    assert_eq!(private, Some(Private::default()));
}

#[tokio::test]
async fn an_update_keeps_the_computed_values_and_replaces_only_for_a_new_region() {
    let r = unconfigured();
    let prior = config(
        r#"{"id": "111111111111", "region": "eu-west-1", "disable_on_destroy": true,
            "max_account_limit_reached": false, "timeouts": []}"#,
    );
    let wanted = config(r#"{"region": "eu-west-1", "disable_on_destroy": false}"#);
    let mut diags = Diagnostics::default();
    let (planned, _, replace) =
        r.plan_update(&mut diags, prior.clone(), wanted.clone(), wanted, None, Value::Null).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert!(replace.is_empty());
    assert_eq!(planned.id, prior.id);
    assert_eq!(planned.max_account_limit_reached, Value::Value(false));
    assert_eq!(planned.disable_on_destroy, Value::Value(false));

    let shared = Arc::new(Shared::default());
    shared.mark_config_unknown();
    shared.mark_region_unknown();
    let r = EcrAutoEnable::new(shared);
    let moved = config(r#"{"region": "eu-central-1"}"#);
    let (planned, _, replace) =
        r.plan_update(&mut diags, prior, moved.clone(), moved, None, Value::Null).await.unwrap();
    assert_eq!(replace, vec![AttributePath::new("region")]);
    assert_eq!((planned.id, planned.max_account_limit_reached), (Value::Unknown, Value::Unknown));
}

/// A destroy that was not planned (half of a replacement) and `disable_on_destroy = false` end
/// without any AWS call: the handle has no settings, so a call would fail with an error.
#[tokio::test]
async fn only_a_planned_destroy_with_disable_on_destroy_acts() {
    let r = unconfigured();
    let state = config(r#"{"id": "111111111111", "region": "eu-west-1", "disable_on_destroy": true}"#);
    for private in [None, Some(Private::default())] {
        let mut diags = Diagnostics::default();
        assert_eq!(r.destroy(&mut diags, state.clone(), private, Value::Null).await, Some(()));
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    }
    let forget = State { disable_on_destroy: Value::Value(false), ..state };
    let mut diags = Diagnostics::default();
    let planned = Some(Private { destroy_planned: true });
    assert_eq!(r.destroy(&mut diags, forget, planned, Value::Null).await, Some(()));
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
}

#[tokio::test]
async fn an_import_id_that_is_no_account_is_refused_without_a_call() {
    let r = unconfigured();
    for (id, expected) in [
        ("12345@eu-west-1", "Import id \"12345@eu-west-1\": \"12345\" is not an AWS account id"),
        ("111111111111@moon-1", "Import id \"111111111111@moon-1\": after @,"),
    ] {
        let mut diags = Diagnostics::default();
        assert!(r.import(&mut diags, id.into()).await.is_none());
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].detail.starts_with(expected), "{}", diags.errors[0].detail);
    }
}

#[test]
fn the_member_limit_gives_a_warning_naming_the_attribute() {
    let mut diags = Diagnostics::default();
    warn_if_at_limit(&mut diags, &OrganizationConfiguration::default());
    assert!(diags.warnings.is_empty());
    let full = OrganizationConfiguration { max_account_limit_reached: true, ..Default::default() };
    warn_if_at_limit(&mut diags, &full);
    assert_eq!(diags.warnings.len(), 1);
    assert!(diags.warnings[0].detail.starts_with("max_account_limit_reached: "), "{}", diags.warnings[0].detail);
}

/// A refused DescribeOrganizationConfiguration is no evidence that auto-enable is off: the state
/// stays, with an error, and only an answer saying ECR is off makes the resource gone.
#[tokio::test(start_paused = true)]
async fn only_an_answer_makes_the_resource_gone_never_a_refusal() {
    use crate::domain::findings::fake::FakeSecurityHub;
    use crate::domain::scanning::fake::FakeInspector;
    let inspector = Arc::new(FakeInspector::new(0));
    let shared = crate::terraform::shared::fake::shared_with(
        "eu-west-1",
        "111111111111",
        inspector.clone(),
        Arc::new(FakeSecurityHub::default()),
    );
    let r = EcrAutoEnable::new(Arc::new(shared));
    let state = config(r#"{"id": "111111111111", "region": "eu-west-1", "disable_on_destroy": true}"#);
    let mut diags = Diagnostics::default();
    let read = r.read(&mut diags, state.clone(), Some(Private::default()), Value::Null).await;
    assert_eq!(read, Some((state.clone(), Some(Private::default()))), "refused: kept as it was");
    assert_eq!(diags.errors.len(), 1);
    assert!(diags.errors[0].detail.contains("AccessDeniedException"), "{}", diags.errors[0].detail);

    inspector.with_members(&[]);
    let mut diags = Diagnostics::default();
    assert_eq!(r.read(&mut diags, state.clone(), None, Value::Null).await, None, "answered: ECR auto-enable is off");
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    inspector.inner.lock().unwrap().org.config.auto_enable.ecr = true;
    let (read, _) = r.read(&mut diags, state, None, Value::Null).await.expect("on");
    assert_eq!(read.max_account_limit_reached, Value::Value(false));
    assert_eq!(inspector.count("DescribeOrganizationConfiguration"), 3);
}

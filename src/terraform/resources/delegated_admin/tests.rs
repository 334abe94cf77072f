use super::*;

fn config(json: &str) -> State {
    serde_json::from_str(json).unwrap()
}

fn unconfigured() -> DelegatedAdminResource {
    DelegatedAdminResource::new(Arc::new(Shared::default()))
}

/// A handle whose provider configuration, its Region included, is unknown: plans make no AWS call.
fn config_unknown() -> DelegatedAdminResource {
    let shared = Arc::new(Shared::default());
    shared.mark_config_unknown();
    shared.mark_region_unknown();
    DelegatedAdminResource::new(shared)
}

#[tokio::test]
async fn bad_account_region_and_timeouts_are_named_at_validate() {
    let mut diags = Diagnostics::default();
    let bad = config(r#"{"account_id": "12345", "region": "Europe", "timeouts": [{"create": "soon"}]}"#);
    unconfigured().validate(&mut diags, bad).await;
    assert_eq!(diags.errors.len(), 3, "{:?}", diags.errors);
    assert_eq!(diags.errors[0].attribute, AttributePath::new("account_id"));
    assert!(
        diags.errors[0].detail.starts_with("account_id: \"12345\" is not an AWS account id"),
        "{}",
        diags.errors[0].detail
    );
    assert_eq!(diags.errors[1].attribute, AttributePath::new("region"));
    assert!(diags.errors[2].detail.starts_with("timeouts.create: \"soon\""), "{}", diags.errors[2].detail);

    let mut diags = Diagnostics::default();
    unconfigured().validate(&mut diags, config(r#"{"account_id": "111111111111"}"#)).await;
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
}

#[tokio::test]
async fn a_create_plans_the_id_the_default_and_an_unknown_status_without_a_call() {
    let wanted = config(r#"{"account_id": "111111111111"}"#);
    let mut diags = Diagnostics::default();
    let (planned, private) =
        config_unknown().plan_create(&mut diags, wanted.clone(), wanted, Value::Null).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!(planned.id, Value::Value("111111111111".into()));
    assert_eq!(planned.disable_on_destroy, Value::Value(false), "destroy only forgets by default");
    assert_eq!((planned.region, planned.relationship_status), (Value::Unknown, Value::Unknown));
    assert_eq!(planned.timeouts, Value::Value(vec![]));
    assert_eq!(private, Some(Private::default()));
}

#[tokio::test]
async fn an_update_keeps_the_status_and_replaces_for_a_new_account_or_region() {
    let prior = config(
        r#"{"id": "111111111111", "account_id": "111111111111", "region": "eu-west-1",
            "disable_on_destroy": false, "relationship_status": "ENABLED", "timeouts": []}"#,
    );
    let r = config_unknown();
    let same = config(r#"{"account_id": "111111111111", "region": "eu-west-1", "disable_on_destroy": true}"#);
    let mut diags = Diagnostics::default();
    let (planned, _, replace) =
        r.plan_update(&mut diags, prior.clone(), same.clone(), same, None, Value::Null).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert!(replace.is_empty(), "{replace:?}");
    assert_eq!(planned.relationship_status, Value::Value("ENABLED".into()));
    assert_eq!(planned.disable_on_destroy, Value::Value(true));

    let other = config(r#"{"account_id": "333333333333", "region": "eu-west-1"}"#);
    let (planned, _, replace) =
        r.plan_update(&mut diags, prior.clone(), other.clone(), other, None, Value::Null).await.unwrap();
    assert_eq!(replace, vec![AttributePath::new("account_id")]);
    assert_eq!(planned.id, Value::Value("333333333333".into()));
    assert_eq!(planned.relationship_status, Value::Unknown);

    let moved = config(r#"{"account_id": "111111111111", "region": "eu-central-1"}"#);
    let (_, _, replace) = r.plan_update(&mut diags, prior, moved.clone(), moved, None, Value::Null).await.unwrap();
    assert_eq!(replace, vec![AttributePath::new("region")]);
}

#[tokio::test]
async fn an_in_place_update_sends_nothing_and_keeps_the_status() {
    let prior = config(
        r#"{"id": "111111111111", "account_id": "111111111111", "region": "eu-west-1", "relationship_status": "ENABLED"}"#,
    );
    let planned = State { disable_on_destroy: Value::Value(true), ..prior.clone() };
    let mut diags = Diagnostics::default();
    let (state, _) =
        unconfigured().update(&mut diags, prior, planned.clone(), planned.clone(), None, Value::Null).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!(state, planned);
}

/// A destroy that was not planned (half of a replacement) and the default `disable_on_destroy =
/// false` end without any AWS call: the handle has no settings, so a call would fail with an error.
#[tokio::test]
async fn only_a_planned_destroy_with_disable_on_destroy_removes() {
    let r = unconfigured();
    let state = config(
        r#"{"id": "111111111111", "account_id": "111111111111", "region": "eu-west-1", "disable_on_destroy": true}"#,
    );
    for private in [None, Some(Private::default())] {
        let mut diags = Diagnostics::default();
        assert_eq!(r.destroy(&mut diags, state.clone(), private, Value::Null).await, Some(()));
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    }
    let planned = Some(Private { destroy_planned: true });
    for forget in [Value::Value(false), Value::Null] {
        let state = State { disable_on_destroy: forget, ..state.clone() };
        let mut diags = Diagnostics::default();
        assert_eq!(r.destroy(&mut diags, state, planned.clone(), Value::Null).await, Some(()));
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    }
}

#[tokio::test]
async fn an_import_id_that_is_no_account_is_refused_without_a_call() {
    let r = unconfigured();
    for (id, expected) in [
        (
            "12345@eu-west-1",
            "Import id \"12345@eu-west-1\": \"12345\" is not an AWS account id: it must be exactly 12 digits. Use the administrator's \
             account id, optionally with @REGION (111111111111@eu-west-1)",
        ),
        ("111111111111@moon-1", "Import id \"111111111111@moon-1\": after @,"),
    ] {
        let mut diags = Diagnostics::default();
        assert!(r.import(&mut diags, id.into()).await.is_none());
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].detail.starts_with(expected), "{}", diags.errors[0].detail);
    }
}

#[test]
fn the_schema_documents_the_every_region_rule_and_standalone_members() {
    let b = DelegatedAdminResource::schema_block();
    let text = |name: &str| b.attributes[name].description.content.clone();
    assert!(b.description.content.contains("same account in every Region"));
    assert!(text("disable_on_destroy").contains("standalone account"));
    assert!(b.blocks.contains_key("timeouts"));
}

mod with_fakes {
    use super::*;
    use crate::domain::delegated_admin::fake::FakeDelegatedAdmin;
    use crate::domain::findings::fake::FakeSecurityHub;
    use crate::domain::scanning::fake::FakeInspector;

    const ADMIN: &str = "111111111111";
    const OTHER: &str = "333333333333";

    fn resource(api: Arc<FakeDelegatedAdmin>) -> DelegatedAdminResource {
        let shared = crate::terraform::shared::fake::shared_with_admin(
            "eu-west-1",
            "999999999999",
            Arc::new(FakeInspector::new(0)),
            Arc::new(FakeSecurityHub::default()),
            api,
        );
        DelegatedAdminResource::new(Arc::new(shared))
    }

    fn state() -> State {
        config(
            r#"{"id": "111111111111", "account_id": "111111111111", "region": "eu-west-1",
                "disable_on_destroy": false, "relationship_status": "ENABLED", "timeouts": []}"#,
        )
    }

    #[tokio::test(start_paused = true)]
    async fn another_administrator_is_an_error_on_account_id_at_plan() {
        let api = Arc::new(FakeDelegatedAdmin::with_admin(Some(OTHER)));
        let wanted = config(r#"{"account_id": "111111111111", "region": "eu-west-1"}"#);
        let mut diags = Diagnostics::default();
        let planned = resource(api.clone()).plan_create(&mut diags, wanted.clone(), wanted, Value::Null).await;
        assert!(planned.is_none());
        assert_eq!(diags.errors.len(), 1, "{:?}", diags.errors);
        assert_eq!(diags.errors[0].attribute, AttributePath::new("account_id"));
        assert!(
            diags.errors[0].detail.starts_with("account 333333333333 (ENABLED) is already"),
            "{}",
            diags.errors[0].detail
        );
        assert_eq!((api.count("GetDelegatedAdminAccount"), api.count("EnableDelegatedAdminAccount")), (1, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_read_keeps_state_and_only_an_answer_makes_it_gone() {
        let api = Arc::new(FakeDelegatedAdmin::with_admin(Some(ADMIN)));
        let r = resource(api.clone());
        api.fail_next("GetDelegatedAdminAccount", "AccessDeniedException");
        let mut diags = Diagnostics::default();
        let read = r.read(&mut diags, state(), Some(Private::default()), Value::Null).await;
        assert_eq!(read, Some((state(), Some(Private::default()))), "refused: kept as it was");
        assert_eq!(diags.errors.len(), 1);
        assert!(
            diags.errors[0].detail.contains("Only the AWS Organizations management account"),
            "{}",
            diags.errors[0].detail
        );

        let mut diags = Diagnostics::default();
        let (read, _) = r.read(&mut diags, state(), None, Value::Null).await.expect("still the administrator");
        assert_eq!(read, state());
        api.inner.lock().unwrap().admin = Some(OTHER.into());
        assert_eq!(r.read(&mut diags, state(), None, Value::Null).await, None, "another account: gone");
        api.inner.lock().unwrap().admin = None;
        assert_eq!(r.read(&mut diags, state(), None, Value::Null).await, None, "none: gone");
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    }

    #[tokio::test(start_paused = true)]
    async fn create_waits_for_enabled_and_a_planned_destroy_with_disable_on_destroy_removes() {
        let api = Arc::new(FakeDelegatedAdmin::default());
        api.inner.lock().unwrap().settle_after_reads = 2;
        let r = resource(api.clone());
        let planned = config(
            r#"{"id": "111111111111", "account_id": "111111111111", "region": "eu-west-1",
                "disable_on_destroy": true, "timeouts": []}"#,
        );
        let mut diags = Diagnostics::default();
        let (created, _) = r.create(&mut diags, planned.clone(), planned, None, Value::Null).await.expect("created");
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!(created.relationship_status, Value::Value("ENABLED".into()));
        assert_eq!(api.count("EnableDelegatedAdminAccount"), 1);

        let marker = Some(Private { destroy_planned: true });
        assert_eq!(r.destroy(&mut diags, created, marker, Value::Null).await, Some(()));
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!(api.count("DisableDelegatedAdminAccount"), 1);
        assert_eq!(api.inner.lock().unwrap().admin, None);
    }

    #[tokio::test(start_paused = true)]
    async fn import_checks_the_account_against_the_administrator() {
        let api = Arc::new(FakeDelegatedAdmin::with_admin(Some(ADMIN)));
        let r = resource(api);
        let mut diags = Diagnostics::default();
        let (imported, _) = r.import(&mut diags, "111111111111@eu-west-1".into()).await.expect("imported");
        assert_eq!(imported, state());
        assert!(r.import(&mut diags, "333333333333@eu-west-1".into()).await.is_none());
        assert!(
            diags.errors[0].detail.contains("account 333333333333 is not the Inspector delegated administrator in eu-west-1: the administrator there is account 111111111111 (ENABLED)"),
            "{}",
            diags.errors[0].detail
        );
    }
}

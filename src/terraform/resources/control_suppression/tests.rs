use super::*;

/// A handle over in-memory fakes: a unit test makes no AWS call, not even one that would fail
/// offline (a plan asks Security Hub whether the control is enabled).
fn shared() -> Arc<Shared> {
    use crate::aws::securityhub::api::{AssociationStatus, ControlAssociation};
    use crate::domain::findings::fake::FakeSecurityHub;
    use crate::domain::scanning::fake::FakeInspector;
    let hub = FakeSecurityHub::default();
    let enabled = ControlAssociation {
        standards_arn: "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
            .into(),
        status: Some(AssociationStatus::Enabled),
        updated_reason: None,
    };
    hub.inner.lock().unwrap().associations.insert(DEFAULT_CONTROL.into(), vec![enabled]);
    Arc::new(crate::terraform::shared::fake::shared_with(
        "us-east-1",
        "123456789012",
        Arc::new(FakeInspector::new(0)),
        Arc::new(hub),
    ))
}

fn in_region(region: &str) -> Value<String> {
    Value::Value(region.into())
}

/// Another Region replaces; no `region` in a 0.1.0 state plans the provider's, in place.
#[tokio::test]
async fn a_region_change_replaces_and_a_state_without_region_stays() {
    let r = ControlSuppression::new(shared());
    let mut diags = Diagnostics::default();
    let prior = State { region: in_region("us-east-1"), ..owning(&["f1"]) };
    let config = State { region: in_region("eu-west-1"), ..prior.clone() };
    let (planned, _, replace) =
        r.plan_update(&mut diags, prior.clone(), config.clone(), config, None, ValueEmpty::Null).await.unwrap();
    assert_eq!((planned.region, replace), (in_region("eu-west-1"), vec![AttributePath::new("region")]));
    let old = State { region: Value::Null, ..prior.clone() };
    let config = State { region: Value::Null, ..prior };
    let (planned, _, replace) =
        r.plan_update(&mut diags, old.clone(), config.clone(), config, None, ValueEmpty::Null).await.unwrap();
    assert_eq!(planned.region, in_region("us-east-1"), "the provider's Region");
    assert!(replace.is_empty(), "{replace:?}");
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
}

#[tokio::test]
async fn import_ids_take_a_region_suffix() {
    let r = ControlSuppression::new(shared());
    let mut diags = Diagnostics::default();
    let (state, _) = r.import(&mut diags, "Inspector.2/123456789012@eu-west-1".into()).await.unwrap();
    assert_eq!(state.id, Value::Value("Inspector.2/123456789012".into()), "the id keeps no Region");
    assert_eq!(state.region, in_region("eu-west-1"));
    let (state, _) = r.import(&mut diags, "Inspector.2".into()).await.unwrap();
    assert_eq!(state.region, in_region("us-east-1"));
    assert!(diags.errors.is_empty());
    assert!(r.import(&mut diags, "Inspector.2@nowhere".into()).await.is_none());
    assert!(diags.errors[0].detail.contains("\"nowhere\" is not an AWS Region name"), "{}", diags.errors[0].detail);
}

#[tokio::test]
async fn a_bad_region_is_refused_at_validate_naming_it() {
    let r = ControlSuppression::new(shared());
    let mut diags = Diagnostics::default();
    let config = State { reason: Value::Value("R".into()), region: in_region("EU"), ..Default::default() };
    r.validate(&mut diags, config).await;
    assert_eq!(diags.errors.len(), 1);
    assert_eq!(diags.errors[0].attribute, AttributePath::new("region"));
}

#[test]
fn import_ids() {
    assert_eq!(parse_id("Inspector.2").unwrap(), ("Inspector.2".into(), None));
    assert_eq!(parse_id("Inspector.2/123456789012").unwrap(), ("Inspector.2".into(), Some("123456789012".into())));
    assert!(parse_id("Inspector.2/12").is_err());
    assert!(parse_id("nonsense").is_err());
}

fn owning(ids: &[&str]) -> State {
    State {
        control_id: Value::Value(DEFAULT_CONTROL.into()),
        reason: Value::Value("R".into()),
        finding_ids: ids_value(&ids.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        ..Default::default()
    }
}

/// Only plan_destroy writes the marker; a destroy without it (the first half of a
/// replacement) returns at once: with unconfigured clients any AWS attempt would fail.
#[tokio::test(start_paused = true)]
async fn only_a_planned_destroy_restores() {
    let r = ControlSuppression::new(shared());
    let mut diags = Diagnostics::default();
    let marker = r.plan_destroy(&mut diags, owning(&["f1"]), None, ValueEmpty::Null).await;
    assert_eq!(marker, Some(Some(Private { destroy_planned: true })));
    let (_, private) = r.plan_create(&mut diags, owning(&[]), owning(&[]), ValueEmpty::Null).await.unwrap();
    assert_eq!(private, Some(Private::default()), "a create plan carries no marker");
    for private in [None, Some(Private::default())] {
        let done = r.destroy(&mut diags, owning(&["f1", "f2"]), private.clone(), ValueEmpty::Null).await;
        assert_eq!(done, Some(()), "{private:?}");
    }
    assert!(diags.errors.is_empty() && diags.warnings.is_empty(), "{:?}", diags.errors);
}

#[tokio::test]
async fn a_new_control_or_account_updates_in_place() {
    let r = ControlSuppression::new(shared());
    let mut diags = Diagnostics::default();
    let prior = State { id: Value::Value("Inspector.2".into()), ..owning(&["f1"]) };
    let proposed = State { control_id: Value::Value("S3.1".into()), ..prior.clone() };
    let (planned, _, replace) =
        r.plan_update(&mut diags, prior.clone(), proposed.clone(), proposed, None, ValueEmpty::Null).await.unwrap();
    assert!(replace.is_empty(), "{replace:?}");
    assert_eq!(planned.id, Value::Value("S3.1".into()));
    assert_eq!(planned.finding_ids, Value::Unknown);
    let proposed = State { account_id: Value::Value("123456789012".into()), ..prior.clone() };
    let (planned, _, replace) =
        r.plan_update(&mut diags, prior, proposed.clone(), proposed, None, ValueEmpty::Null).await.unwrap();
    assert!(replace.is_empty(), "{replace:?}");
    assert_eq!(planned.id, Value::Value("Inspector.2/123456789012".into()));
}

#[tokio::test]
async fn bad_reasons_are_rejected_naming_it() {
    let r = ControlSuppression::new(shared());
    for reason in ["", "   ", &"x".repeat(513), "a\0b", "\u{1b}[2Jhidden", "\u{200B}\u{200D}"] {
        let mut diags = Diagnostics::default();
        r.validate(&mut diags, State { reason: Value::Value(reason.to_string()), ..Default::default() }).await;
        assert_eq!(diags.errors.len(), 1, "{reason:?}");
        assert!(diags.errors[0].detail.starts_with("reason: "), "{}", diags.errors[0].detail);
        assert_eq!(diags.errors[0].attribute, AttributePath::new("reason"));
    }
    let mut diags = Diagnostics::default();
    let ok = State { reason: Value::Value("x".repeat(512)), ..Default::default() };
    r.validate(&mut diags, ok).await;
    assert!(diags.errors.is_empty(), "512 characters fit");
}

/// A control disabled in every enabled standard: the plan warns that there is nothing to
/// suppress, with the reason, and is not refused; an enabled control gives no warning.
#[tokio::test(start_paused = true)]
async fn a_disabled_control_warns_at_plan_without_an_error() {
    use crate::aws::securityhub::api::{AssociationStatus, ControlAssociation};
    use crate::domain::findings::fake::FakeSecurityHub;
    use crate::domain::scanning::fake::FakeInspector;
    let hub = Arc::new(FakeSecurityHub::default());
    let shared = crate::terraform::shared::fake::shared_with(
        "us-east-1",
        "123456789012",
        Arc::new(FakeInspector::new(0)),
        hub.clone(),
    );
    let r = ControlSuppression::new(Arc::new(shared));
    let association = |status: AssociationStatus| ControlAssociation {
        standards_arn: "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
            .into(),
        status: Some(status),
        updated_reason: Some("No container images".into()),
    };
    for (status, warned) in [(AssociationStatus::Disabled, true), (AssociationStatus::Enabled, false)] {
        hub.inner.lock().unwrap().associations.insert(DEFAULT_CONTROL.into(), vec![association(status)]);
        let config = State { region: in_region("us-east-1"), ..owning(&[]) };
        let mut diags = Diagnostics::default();
        let planned = r.plan_create(&mut diags, config.clone(), config, ValueEmpty::Null).await;
        assert!(planned.is_some() && diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!(diags.warnings.len(), usize::from(warned), "{:?}", diags.warnings);
        if warned {
            assert_eq!(diags.warnings[0].summary, "Nothing to suppress: the control is disabled");
            assert!(diags.warnings[0].detail.contains("(No container images)"), "{}", diags.warnings[0].detail);
        }
    }
    assert_eq!(hub.calls("ListStandardsControlAssociations").len(), 2, "one call per plan");
    assert!(hub.calls("BatchUpdateFindings").is_empty() && hub.calls("GetFindings").is_empty());
}

use std::collections::BTreeSet;

use super::*;
use crate::aws::inspector::organization::RelationshipStatus;
use crate::aws::InspectorStatus;
use crate::domain::compliance::{Role, Status};

fn verdict(account: &str, passes: bool, hint: Option<&str>) -> Verdict {
    Verdict {
        account_id: account.into(),
        relationship_status: (account != "111111111111").then_some(RelationshipStatus::Enabled),
        ecr_status: passes.then_some(InspectorStatus::Enabled),
        passes,
        reason: "why".into(),
        hint: hint.map(str::to_owned),
        policy_managed: (!passes).then_some(true),
    }
}

#[test]
fn an_evaluation_becomes_state_with_nulls_where_nothing_is_known() {
    let evaluation = Evaluation {
        role: Role::DelegatedAdmin,
        status: Status::Failed,
        accounts: vec![verdict("111111111111", true, None), verdict("222222222222", false, Some("enable it"))],
        failing_account_ids: BTreeSet::from(["222222222222".to_owned()]),
        auto_enable_ecr: Some(false),
        unread_configuration: None,
    };
    let config = State { expected_role: Value::Value("DELEGATED_ADMIN".into()), ..Default::default() };
    let s = state(config, "eu-west-1".into(), &evaluation);
    assert_eq!(s.expected_role, Value::Value("DELEGATED_ADMIN".into()), "kept as configured");
    assert_eq!((s.role, s.compliance_status), (Value::Value("DELEGATED_ADMIN".into()), Value::Value("FAILED".into())));
    assert_eq!(s.region, Value::Value("eu-west-1".into()));
    assert_eq!(s.auto_enable_ecr, Value::Value(false));
    assert_eq!(s.failing_account_ids, Value::Value(vec![Value::Value("222222222222".into())]));
    let Value::Value(accounts) = s.accounts else { panic!("accounts are known") };
    assert_eq!(accounts[0].relationship_status, Value::Null, "the administrator is nobody's member");
    assert_eq!(accounts[0].hint, Value::Null);
    assert_eq!(accounts[0].passes, Value::Value(true));
    assert_eq!(accounts[1].relationship_status, Value::Value("ENABLED".into()));
    assert_eq!(accounts[1].ecr_status, Value::Null, "not read");
    assert_eq!(accounts[1].hint, Value::Value("enable it".into()));
    assert_eq!(accounts[0].policy_managed, Value::Null, "not looked up");
    assert_eq!(accounts[1].policy_managed, Value::Value(true));

    let member = Evaluation {
        role: Role::Member(Some("999999999999".into())),
        status: Status::NotApplicable,
        accounts: vec![],
        failing_account_ids: BTreeSet::new(),
        auto_enable_ecr: None,
        unread_configuration: None,
    };
    let s = state(State::default(), "eu-west-1".into(), &member);
    assert_eq!(s.expected_role, Value::Null);
    assert_eq!(s.compliance_status, Value::Value("NOT_APPLICABLE".into()));
    assert_eq!(s.auto_enable_ecr, Value::Null);
    assert_eq!(s.accounts, Value::Value(vec![]));
}

#[tokio::test]
async fn a_bad_region_is_refused_naming_the_attribute() {
    let ds = EcrScanningCompliance::new(Arc::new(Shared::default()));
    let mut diags = Diagnostics::default();
    ds.validate(&mut diags, State { region: Value::Value("moon-1".into()), ..Default::default() }).await;
    assert_eq!(diags.errors.len(), 1);
    assert_eq!(diags.errors[0].attribute, tf_provider::AttributePath::new("region"));
    assert!(diags.errors[0].detail.starts_with("region: "), "{}", diags.errors[0].detail);
}

#[tokio::test]
async fn expected_role_is_checked_at_validate_naming_the_attribute() {
    let ds = EcrScanningCompliance::new(Arc::new(Shared::default()));
    for ok in [Value::Null, Value::Unknown, Value::Value("STANDALONE".into()), Value::Value("MEMBER".into())] {
        let mut diags = Diagnostics::default();
        ds.validate(&mut diags, State { expected_role: ok.clone(), ..Default::default() }).await;
        assert!(diags.errors.is_empty(), "{ok:?}: {:?}", diags.errors);
    }
    for bad in ["ADMIN", "delegated_admin", ""] {
        let mut diags = Diagnostics::default();
        ds.validate(&mut diags, State { expected_role: Value::Value(bad.into()), ..Default::default() }).await;
        assert_eq!(diags.errors.len(), 1, "{bad}");
        assert_eq!(diags.errors[0].attribute, tf_provider::AttributePath::new("expected_role"));
        let detail = &diags.errors[0].detail;
        assert!(
            detail.starts_with("expected_role: ") && detail.contains("STANDALONE, DELEGATED_ADMIN or MEMBER"),
            "{detail}"
        );
    }
}

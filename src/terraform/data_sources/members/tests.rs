use super::*;

fn exclusions(ids: &[&str]) -> StringSet {
    Value::Value(ids.iter().map(|a| Value::Value(a.to_string())).collect())
}

#[tokio::test]
async fn bad_exclusions_are_one_error_naming_the_attribute() {
    let ds = Members::new(Arc::new(Shared::default()));
    let mut diags = Diagnostics::default();
    let config = State { exclude_account_ids: exclusions(&["111111111111", "12345", "x"]), ..Default::default() };
    ds.validate(&mut diags, config).await;
    assert_eq!(diags.errors.len(), 1);
    assert_eq!(diags.errors[0].attribute, AttributePath::new("exclude_account_ids"));
    let detail = &diags.errors[0].detail;
    assert!(detail.starts_with("exclude_account_ids: 2 value(s) are not AWS account ids"), "{detail}");
    assert!(detail.contains("\"12345\"") && detail.contains("\"x\""), "{detail}");
}

#[tokio::test]
async fn good_unknown_or_absent_exclusions_pass() {
    let ds = Members::new(Arc::new(Shared::default()));
    let mut with_unknown = exclusions(&["111111111111"]);
    if let Value::Value(v) = &mut with_unknown {
        v.push(Value::Unknown);
    }
    for set in [with_unknown, Value::Null, Value::Unknown, exclusions(&[])] {
        let mut diags = Diagnostics::default();
        ds.validate(&mut diags, State { exclude_account_ids: set, ..Default::default() }).await;
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    }
}

#[test]
fn a_member_without_optional_fields_reads_null() {
    let m = Member {
        account_id: "222222222222".into(),
        relationship_status: None,
        delegated_admin_account_id: None,
        updated_at: None,
    };
    let o = MemberObject::from(&m);
    assert_eq!(o.account_id, Value::Value("222222222222".into()));
    assert_eq!(
        (o.relationship_status, o.delegated_admin_account_id, o.updated_at),
        (Value::Null, Value::Null, Value::Null)
    );
}

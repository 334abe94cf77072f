use super::*;

#[test]
fn defaults_and_overrides() {
    let none: ValueList<Timeouts> = Value::Value(vec![]);
    assert_eq!(get(&none, Operation::Create), DEFAULT);
    let set = Value::Value(vec![Timeouts { create: Value::Value("45m".into()), ..Default::default() }]);
    assert_eq!(get(&set, Operation::Create), Duration::from_secs(2700));
    assert_eq!(get(&set, Operation::Delete), DEFAULT);
}

#[test]
fn bad_duration_names_the_attribute() {
    let mut diags = Diagnostics::default();
    let set = Value::Value(vec![Timeouts { update: Value::Value("soon".into()), ..Default::default() }]);
    validate(&mut diags, &set);
    assert_eq!(diags.errors.len(), 1);
    assert!(diags.errors[0].detail.starts_with("timeouts.update: \"soon\" is not a duration"));
    assert_eq!(diags.errors[0].attribute, AttributePath::new("timeouts").index(0).attribute("update"));
}

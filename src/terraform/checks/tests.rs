use super::*;

#[test]
fn max_retries_is_a_whole_number_from_0_to_100() {
    assert_eq!(max_retries(&Number::Integer(0)), Ok(0));
    assert_eq!(max_retries(&Number::Integer(100)), Ok(100));
    assert_eq!(max_retries(&Number::Float(3.0)), Ok(3));
    for bad in [
        Number::Integer(-1),
        Number::Integer(101),
        Number::Float(1.5),
        Number::Float(1e30),
        Number::Text("1000000000000000000000000000000".into()),
    ] {
        assert_eq!(max_retries(&bad), Err(format!("{bad} is not a whole number from 0 to 100")));
    }
}

#[test]
fn bad_control_and_account_are_named() {
    let mut diags = Diagnostics::default();
    control_and_account(&mut diags, &Value::Value("Inspector 2".into()), &Value::Value("12".into()));
    assert_eq!(diags.errors.len(), 2);
    assert!(diags.errors[0].detail.starts_with("control_id:"));
    assert!(diags.errors[1].detail.starts_with("account_id:"));
    let mut diags = Diagnostics::default();
    control_and_account(&mut diags, &Value::Value("S3.1".into()), &Value::Unknown);
    assert!(diags.errors.is_empty());
}

use super::*;
use crate::terraform::values::{known_entries, known_set};

fn json(text: &str) -> RawValue {
    RawValue::Json(text.as_bytes().to_vec())
}

/// A state as 0.1.0 wrote it for two accounts (from tests/acceptance/fixtures/v0.1.0).
const V0: &str = r#"{"account_ids":["111111111111","222222222222"],"disable_on_destroy":true,
    "id":"111111111111,222222222222","status":{"111111111111":"ENABLED","222222222222":"ENABLED"},"timeouts":null}"#;

#[test]
fn version_0_keeps_accounts_and_status_and_gets_a_short_id() {
    let mut diags = Diagnostics::default();
    let state = upgrade(&mut diags, 0, json(V0)).unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!(state.id, Value::Value("111111111111".to_string()));
    assert_eq!(known_set(&state.account_ids).unwrap().len(), 2);
    assert_eq!(known_entries(&state.status).len(), 2);
    assert_eq!(state.disable_on_destroy, Value::Value(true));
}

#[test]
fn a_version_0_state_of_the_wrong_shape_is_an_error_naming_the_resource() {
    let mut diags = Diagnostics::default();
    assert!(upgrade(&mut diags, 0, json(r#"{"account_ids":"111111111111"}"#)).is_none());
    assert_eq!(diags.errors.len(), 1);
    assert_eq!(diags.errors[0].summary, "Cannot upgrade inspector2fix_ecr_scanning state");
    assert!(diags.errors[0].detail.starts_with("The version-0 state does not have the expected shape"));
}

#[test]
fn an_unknown_version_is_refused_naming_it() {
    let mut diags = Diagnostics::default();
    assert!(upgrade(&mut diags, 7, json(V0)).is_none());
    assert!(diags.errors[0].detail.contains("schema version 7"), "{}", diags.errors[0].detail);
}

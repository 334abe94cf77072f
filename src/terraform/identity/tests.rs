use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value as Json};
use tf_provider::value::Value;
use tf_provider::{Diagnostics, RawValue};

use super::*;

fn raw<T: Serialize>(value: &T) -> RawValue {
    RawValue::MessagePack(rmp_serde::to_vec_named(value).expect("encode"))
}

/// The identity as JSON; a missing identity fails the test
fn identity(of: fn(&mut Diagnostics, &RawValue) -> Option<RawValue>, state: &RawValue) -> Json {
    let mut diags = Diagnostics::default();
    let identity = of(&mut diags, state).expect("no identity");
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    let RawValue::MessagePack(bytes) = identity else { panic!("identity not msgpack") };
    rmp_serde::from_slice(&bytes).expect("decode identity")
}

fn none(of: fn(&mut Diagnostics, &RawValue) -> Option<RawValue>, state: &RawValue) {
    let mut diags = Diagnostics::default();
    assert_eq!(of(&mut diags, state), None);
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
}

#[derive(Serialize)]
struct AccountState<'a> {
    id: Value<&'a str>,
    region: Value<&'a str>,
    disable_on_destroy: bool,
}

#[test]
fn a_one_per_account_state_names_its_account_and_region() {
    let state = raw(&AccountState {
        id: Value::Value("111111111111"),
        region: Value::Value("eu-west-1"),
        disable_on_destroy: true,
    });
    assert_eq!(identity(of_account_state, &state), json!({"account_id": "111111111111", "region": "eu-west-1"}));
}

#[test]
fn a_planned_create_whose_account_is_unknown_has_no_identity_yet() {
    let state = raw(&AccountState { id: Value::Unknown, region: Value::Value("eu-west-1"), disable_on_destroy: true });
    none(of_account_state, &state);
}

#[test]
fn a_suppression_names_control_account_and_region_and_keeps_a_null_account() {
    let state = raw(
        &json!({"id": "Inspector.2", "control_id": "Inspector.2", "account_id": null, "reason": "x", "region": "us-east-1"}),
    );
    assert_eq!(
        identity(of_suppression_state, &state),
        json!({"control_id": "Inspector.2", "account_id": null, "region": "us-east-1"})
    );
}

#[test]
fn ecr_scanning_is_named_by_its_wanted_accounts_sorted() {
    let by_list = raw(
        &json!({"account_ids": ["333333333333", "111111111111"], "accounts": null, "status": {"111111111111": "ENABLED"}, "region": "eu-west-1"}),
    );
    assert_eq!(
        identity(of_accounts_state, &by_list),
        json!({"account_ids": ["111111111111", "333333333333"], "region": "eu-west-1"})
    );
    let accounts: BTreeMap<&str, Json> = [("222222222222", json!("ECR")), ("111111111111", json!("ECR"))].into();
    let by_map = raw(&json!({"account_ids": null, "accounts": accounts, "region": "eu-west-1"}));
    assert_eq!(
        identity(of_accounts_state, &by_map),
        json!({"account_ids": ["111111111111", "222222222222"], "region": "eu-west-1"})
    );
}

#[test]
fn ecr_scanning_with_an_unknown_account_has_no_identity_yet() {
    #[derive(Serialize)]
    struct State {
        account_ids: Vec<Value<&'static str>>,
        region: &'static str,
    }
    none(
        of_accounts_state,
        &raw(&State { account_ids: vec![Value::Value("111111111111"), Value::Unknown], region: "eu-west-1" }),
    );
}

fn import_id(of: fn(&mut Diagnostics, &str, RawValue) -> Option<String>, identity: Json) -> Result<String, String> {
    let mut diags = Diagnostics::default();
    match of(&mut diags, "inspector2fix_x", raw(&identity)) {
        Some(id) => Ok(id),
        None => Err(diags.errors.iter().map(|e| format!("{}: {}", e.summary, e.detail)).collect::<Vec<_>>().join("\n")),
    }
}

#[test]
fn an_identity_names_the_import_id_with_or_without_its_region() {
    assert_eq!(
        import_id(account_import_id, json!({"account_id": "111111111111", "region": "eu-west-1"})),
        Ok("111111111111@eu-west-1".into())
    );
    assert_eq!(
        import_id(account_import_id, json!({"account_id": "111111111111", "region": null})),
        Ok("111111111111".into())
    );
    assert_eq!(
        import_id(
            suppression_import_id,
            json!({"control_id": "Inspector.2", "account_id": "222222222222", "region": "us-east-1"})
        ),
        Ok("Inspector.2/222222222222@us-east-1".into())
    );
    assert_eq!(
        import_id(suppression_import_id, json!({"control_id": "Inspector.2", "account_id": null, "region": null})),
        Ok("Inspector.2".into())
    );
    assert_eq!(
        import_id(accounts_import_id, json!({"account_ids": ["111111111111", "222222222222"], "region": "eu-west-1"})),
        Ok("111111111111,222222222222@eu-west-1".into())
    );
}

#[test]
fn a_missing_required_attribute_is_an_error_naming_it() {
    let error = import_id(account_import_id, json!({"account_id": null, "region": "eu-west-1"})).unwrap_err();
    assert_eq!(error, "Invalid import identity: inspector2fix_x: the identity's account_id is required, and was null.");
    let error =
        import_id(suppression_import_id, json!({"control_id": null, "account_id": null, "region": null})).unwrap_err();
    assert!(error.contains("control_id is required"), "{error}");
    let error = import_id(accounts_import_id, json!({"account_ids": [], "region": null})).unwrap_err();
    assert!(error.contains("account_ids is required, and was null or empty"), "{error}");
}

#[test]
fn schemas_mark_region_optional_and_the_rest_required() {
    for (schema, required) in [
        (account_schema("The account."), vec!["account_id"]),
        (suppression_schema(), vec!["control_id"]),
        (accounts_schema(), vec!["account_ids"]),
    ] {
        assert_eq!(schema.version, 0);
        let mut found: Vec<&str> =
            schema.attributes.iter().filter(|(_, a)| a.required_for_import).map(|(n, _)| n.as_str()).collect();
        found.sort();
        assert_eq!(found, required);
        let region = &schema.attributes["region"];
        assert!(region.optional_for_import && !region.required_for_import);
        assert!(schema.attributes.values().all(|a| a.required_for_import != a.optional_for_import));
    }
}

#[test]
fn a_policy_is_named_by_its_id_alone_and_imports_by_it() {
    let state = raw(&json!({"id": "p-abcdef12", "name": "ecr", "tags": null}));
    assert_eq!(identity(of_policy_state, &state), json!({"policy_id": "p-abcdef12"}));
    none(of_policy_state, &raw(&AccountState { id: Value::Unknown, region: Value::Null, disable_on_destroy: true }));
    assert_eq!(import_id(policy_import_id, json!({"policy_id": "p-abcdef12"})), Ok("p-abcdef12".into()));
    let error = import_id(policy_import_id, json!({"policy_id": null})).unwrap_err();
    assert!(error.contains("policy_id is required, and was null"), "{error}");
    let schema = policy_schema();
    assert_eq!(schema.version, 0);
    assert_eq!(schema.attributes.keys().collect::<Vec<_>>(), vec!["policy_id"], "Organizations is global: no region");
    assert!(schema.attributes["policy_id"].required_for_import);
}

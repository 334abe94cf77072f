use tf_provider::value::Value;
use tf_provider::Diagnostics;

use super::*;

fn set(items: &[&str]) -> StringSet {
    Value::Value(items.iter().map(|s| Value::Value(s.to_string())).collect())
}

fn errors(config: ListConfig) -> Vec<(String, String)> {
    let mut diags = Diagnostics::default();
    check(&mut diags, &config);
    diags.errors.iter().map(|e| (e.summary.to_string(), e.detail.to_string())).collect()
}

#[test]
fn a_good_config_has_no_error_and_bad_values_name_their_attribute() {
    let good = ListConfig {
        region: Value::Value("eu-west-1".into()),
        ecr_status: set(&["DISABLED", "ENABLING"]),
        include_members: Value::Value(true),
        exclude_account_ids: set(&["111111111111"]),
    };
    assert_eq!(errors(good), vec![]);

    let found = errors(ListConfig { ecr_status: set(&["OFF"]), ..Default::default() });
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "Invalid ecr_status");
    assert!(found[0].1.starts_with("ecr_status: \"OFF\" is not an ECR scanning status"), "{}", found[0].1);

    let found = errors(ListConfig { exclude_account_ids: set(&["12345"]), ..Default::default() });
    assert_eq!(found[0].0, "Invalid exclude_account_ids");
    assert!(found[0].1.contains("\"12345\""), "{}", found[0].1);

    let found = errors(ListConfig { region: Value::Value("Ireland".into()), ..Default::default() });
    assert_eq!(found[0].0, "Invalid region");
}

#[test]
fn unknown_values_are_left_for_later() {
    let config = ListConfig {
        region: Value::Unknown,
        ecr_status: Value::Unknown,
        exclude_account_ids: Value::Unknown,
        ..Default::default()
    };
    assert_eq!(errors(config), vec![]);
}

#[test]
fn the_object_is_what_a_one_account_resource_holds() {
    let state = one_account_state("222222222222", &InspectorStatus::Disabled, "eu-west-1");
    assert_eq!(state.id, Value::Value("222222222222".to_string()));
    assert_eq!(state.account_ids, set(&["222222222222"]));
    assert_eq!(state.accounts, Value::Null);
    assert_eq!(state.status, string_map([("222222222222".to_string(), "DISABLED".to_string())]));
    assert_eq!(state.disable_on_destroy, Value::Value(true));
    assert_eq!(state.associate_members, Value::Value(false));
    assert_eq!(state.region, Value::Value("eu-west-1".to_string()));
}

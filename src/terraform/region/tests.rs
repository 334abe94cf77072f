use super::*;
use crate::aws::clients::Settings;

fn shared_in(region: &str) -> Shared {
    Shared::configured(Settings { region: Some(region.into()), ..Settings::default() })
}

fn known(r: &str) -> Value<String> {
    Value::Value(r.to_owned())
}

/// As in the AWS provider v6: an unset `region` is the provider's Region, whatever the state
/// holds, so removing `region` plans a move into the provider's Region (see `requires_replace`).
#[tokio::test]
async fn planned_is_config_else_provider() {
    let shared = shared_in("us-east-1");
    let mut diags = Diagnostics::default();
    let cases =
        [(known("eu-west-1"), known("eu-west-1")), (Value::Null, known("us-east-1")), (Value::Unknown, Value::Unknown)];
    for (config, expected) in cases {
        let got = planned(&shared, &mut diags, &config).await;
        assert_eq!(got, Some(expected), "config {config:?}");
    }
    assert!(diags.errors.is_empty());
}

#[tokio::test]
async fn removing_region_replaces_into_the_provider_region_and_a_0_1_0_state_stays() {
    let shared = shared_in("us-east-1");
    let mut diags = Diagnostics::default();
    let unset = planned(&shared, &mut diags, &Value::Null).await.expect("the provider's Region");
    assert_eq!(requires_replace(&known("ap-southeast-2"), &unset), vec![AttributePath::new("region")]);
    assert!(requires_replace(&known("us-east-1"), &unset).is_empty(), "already in the provider's Region");
    assert!(requires_replace(&Value::Null, &unset).is_empty(), "a 0.1.0 state is in the provider's Region");
}

#[tokio::test]
async fn a_bad_region_is_refused_at_plan_naming_the_attribute() {
    let shared = shared_in("us-east-1");
    let mut diags = Diagnostics::default();
    assert_eq!(planned(&shared, &mut diags, &known("mars-north-1")).await, None);
    assert_eq!(diags.errors.len(), 1);
    assert_eq!(diags.errors[0].attribute, AttributePath::new("region"));
    assert!(diags.errors[0].detail.starts_with("region: \"mars-north-1\" is not an AWS Region name"));
}

#[tokio::test]
async fn an_unknown_provider_region_plans_an_unset_region_unknown() {
    let shared = shared_in("us-east-1");
    shared.mark_config_unknown();
    let mut diags = Diagnostics::default();
    assert_eq!(
        planned(&shared, &mut diags, &Value::Null).await,
        Some(known("us-east-1")),
        "an unknown role or endpoint leaves the Region known"
    );
    shared.mark_region_unknown();
    assert_eq!(planned(&shared, &mut diags, &Value::Null).await, Some(Value::Unknown));
    assert_eq!(planned(&shared, &mut diags, &known("eu-west-1")).await, Some(known("eu-west-1")));
}

#[test]
fn only_a_change_from_a_known_region_replaces() {
    assert_eq!(requires_replace(&known("us-east-1"), &known("eu-west-1")), vec![AttributePath::new("region")]);
    assert_eq!(requires_replace(&known("us-east-1"), &Value::Unknown), vec![AttributePath::new("region")]);
    assert!(requires_replace(&known("us-east-1"), &known("us-east-1")).is_empty());
    assert!(requires_replace(&Value::Null, &known("us-east-1")).is_empty(), "a 0.1.0 state is not replaced");
}

#[tokio::test]
async fn a_state_without_region_reads_as_the_provider_region() {
    let shared = shared_in("eu-central-1");
    let mut diags = Diagnostics::default();
    assert_eq!(of_state(&shared, &mut diags, &Value::Null).await.as_deref(), Some("eu-central-1"));
    assert_eq!(of_state(&shared, &mut diags, &known("ap-south-1")).await.as_deref(), Some("ap-south-1"));
    assert_eq!(at_apply(&known("ap-south-1")), Some("ap-south-1"));
}

#[tokio::test]
async fn a_data_source_reads_its_region_or_the_provider_region() {
    let shared = shared_in("eu-central-1");
    let mut diags = Diagnostics::default();
    assert_eq!(to_read(&shared, &mut diags, &Value::Null).await.as_deref(), Some("eu-central-1"));
    assert_eq!(to_read(&shared, &mut diags, &known("us-gov-east-1")).await.as_deref(), Some("us-gov-east-1"));
    assert!(diags.errors.is_empty());
    assert_eq!(to_read(&shared, &mut diags, &known("Frankfurt")).await, None);
    assert!(diags.errors[0].detail.starts_with("region: \"Frankfurt\" is not an AWS Region name"));
}

#[tokio::test]
async fn import_ids_take_an_optional_region_suffix() {
    let shared = shared_in("us-east-1");
    let mut diags = Diagnostics::default();
    assert_eq!(
        of_import(&shared, &mut diags, "111111111111@eu-west-1").await,
        Some(("111111111111", "eu-west-1".to_owned()))
    );
    assert_eq!(of_import(&shared, &mut diags, "111111111111").await, Some(("111111111111", "us-east-1".to_owned())));
    assert!(diags.errors.is_empty());
    assert_eq!(of_import(&shared, &mut diags, "111111111111@EU").await, None);
    assert_eq!(diags.errors.len(), 1);
    let detail = &diags.errors[0].detail;
    assert!(detail.starts_with("Import id \"111111111111@EU\": after @, \"EU\" is not an AWS Region name"), "{detail}");
}

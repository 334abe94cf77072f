use super::*;
use crate::aws::clients::Settings;

fn shared_in(region: &str) -> Shared {
    Shared::configured(Settings { region: Some(region.into()), ..Settings::default() })
}

fn known(r: &str) -> Value<String> {
    Value::Value(r.to_owned())
}

#[tokio::test]
async fn planned_is_config_then_prior_then_provider() {
    let shared = shared_in("us-east-1");
    let mut diags = Diagnostics::default();
    let cases = [
        (known("eu-west-1"), Some(known("ap-south-1")), known("eu-west-1")),
        (Value::Null, Some(known("ap-south-1")), known("ap-south-1")),
        (Value::Null, Some(Value::Null), known("us-east-1")),
        (Value::Null, None, known("us-east-1")),
        (Value::Unknown, Some(known("ap-south-1")), Value::Unknown),
    ];
    for (config, prior, expected) in cases {
        let got = planned(&shared, &mut diags, &config, prior.as_ref()).await;
        assert_eq!(got, Some(expected), "config {config:?}, prior {prior:?}");
    }
    assert!(diags.errors.is_empty());
}

#[tokio::test]
async fn a_bad_region_is_refused_at_plan_naming_the_attribute() {
    let shared = shared_in("us-east-1");
    let mut diags = Diagnostics::default();
    assert_eq!(planned(&shared, &mut diags, &known("mars-north-1"), None).await, None);
    assert_eq!(diags.errors.len(), 1);
    assert_eq!(diags.errors[0].attribute, AttributePath::new("region"));
    assert!(diags.errors[0].detail.starts_with("region: \"mars-north-1\" is not an AWS Region name"));
}

#[tokio::test]
async fn an_unknown_provider_configuration_plans_an_unset_region_unknown() {
    let shared = shared_in("us-east-1");
    shared.mark_config_unknown();
    let mut diags = Diagnostics::default();
    assert_eq!(planned(&shared, &mut diags, &Value::Null, None).await, Some(Value::Unknown));
    assert_eq!(planned(&shared, &mut diags, &Value::Null, Some(&known("eu-west-1"))).await, Some(known("eu-west-1")));
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

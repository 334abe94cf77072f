//! The `region` argument of every resource and data source, resolved the same way everywhere:
//! the configured Region, else the one in state, else the provider's. Checked with no AWS call.

use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::shared::Shared;
use crate::{diag, ids, validate};

fn path() -> AttributePath {
    AttributePath::new("region")
}

/// Checks a configured `region` (unknown values are checked once known), naming the attribute.
pub fn check(diags: &mut Diagnostics, config: &Value<String>) {
    if let Value::Value(region) = config {
        diag::invalid_attr(diags, path(), "region", validate::region(region));
    }
}

/// The provider's Region, or an error naming `region` (which defaults to it) when it has none.
async fn provider_region(shared: &Shared, diags: &mut Diagnostics) -> Option<String> {
    match shared.provider_region().await {
        Ok(region) => Some(region),
        Err(e) => {
            let detail = format!("region: not set, so it defaults to the provider's Region, but there is none. {e}");
            diag::attr_error(diags, path(), "No Region", detail);
            None
        }
    }
}

/// The Region to plan: the configured one, else the prior state's (so a provider Region changed
/// later does not move what exists), else the provider's; unknown while the configured value or
/// the provider's configuration is unknown. None, with an error naming `region`, when invalid.
pub async fn planned(
    shared: &Shared,
    diags: &mut Diagnostics,
    config: &Value<String>,
    prior: Option<&Value<String>>,
) -> Option<Value<String>> {
    match (config, prior) {
        (Value::Value(region), _) => {
            let before = diags.errors.len();
            check(diags, config);
            (diags.errors.len() == before).then(|| Value::Value(region.clone()))
        }
        (Value::Unknown, _) => Some(Value::Unknown),
        (Value::Null, Some(Value::Value(region))) => Some(Value::Value(region.clone())),
        (Value::Null, _) if shared.config_unknown() => Some(Value::Unknown),
        (Value::Null, _) => provider_region(shared, diags).await.map(Value::Value),
    }
}

/// `["region"]` when the planned Region differs from the one in state: the resource is replaced.
/// A state without a Region (written by 0.1.0) is in the provider's Region, so it is never
/// replaced for that alone.
pub fn requires_replace(prior: &Value<String>, planned: &Value<String>) -> Vec<AttributePath> {
    match prior {
        Value::Value(_) if prior != planned => vec![path()],
        _ => vec![],
    }
}

/// The Region of a state read back: its own, or the provider's for a state written before
/// `region` existed (0.1.0), so such a state reads with no diff. None, with an error, when the
/// state has none and the provider has no Region either.
pub async fn of_state(shared: &Shared, diags: &mut Diagnostics, state: &Value<String>) -> Option<String> {
    match state {
        Value::Value(region) => Some(region.clone()),
        _ => provider_region(shared, diags).await,
    }
}

/// The Region a data source reads: the configured one, checked again (it may have been unknown
/// at validate), else the provider's.
pub async fn to_read(shared: &Shared, diags: &mut Diagnostics, config: &Value<String>) -> Option<String> {
    let before = diags.errors.len();
    check(diags, config);
    if diags.errors.len() > before {
        return None;
    }
    of_state(shared, diags, config).await
}

/// The Region an apply works in: the planned one (always known at apply), as `clients_in` takes it.
pub fn at_apply(planned: &Value<String>) -> Option<&str> {
    planned.as_ref_option().map(String::as_str)
}

/// Splits an import id `ID` or `ID@REGION` and resolves its Region (the provider's when not
/// given). None, with an error naming the id, when the Region is not a Region name.
pub async fn of_import<'a>(shared: &Shared, diags: &mut Diagnostics, import_id: &'a str) -> Option<(&'a str, String)> {
    match ids::split_region(import_id) {
        (id, Some(region)) => match validate::region(region) {
            Ok(()) => Some((id, region.to_owned())),
            Err(e) => {
                diag::invalid_import(
                    diags,
                    import_id,
                    &format!("after @, {e}"),
                    "Write the Region as in ID@eu-west-1.",
                );
                None
            }
        },
        (id, None) => {
            let region = provider_region(shared, diags).await?;
            Some((id, region))
        }
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(
            planned(&shared, &mut diags, &Value::Null, Some(&known("eu-west-1"))).await,
            Some(known("eu-west-1"))
        );
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
        assert_eq!(
            of_import(&shared, &mut diags, "111111111111").await,
            Some(("111111111111", "us-east-1".to_owned()))
        );
        assert!(diags.errors.is_empty());
        assert_eq!(of_import(&shared, &mut diags, "111111111111@EU").await, None);
        assert_eq!(diags.errors.len(), 1);
        let detail = &diags.errors[0].detail;
        assert!(
            detail.starts_with("Import id \"111111111111@EU\": after @, \"EU\" is not an AWS Region name"),
            "{detail}"
        );
    }
}

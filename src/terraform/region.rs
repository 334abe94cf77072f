//! The `region` argument of every resource and data source, resolved the same way everywhere.
//! As in the AWS provider v6, it is the configured Region, else the provider's; what exists is
//! read and destroyed in the Region in its state. Checked with no AWS call.

use std::sync::Arc;

use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::aws::clients::Clients;
use crate::terraform::shared::Shared;
use crate::{ids, terraform::diag, validate};

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

/// The Region to plan: the configured one, else the provider's, as in the AWS provider v6 (an
/// unset `region` is the provider's Region, so removing `region` from a resource, or changing the
/// provider's Region under an unset one, plans a replacement into the provider's Region, which
/// changes nothing in the old one). Unknown while the configured value or the provider's Region
/// is unknown. None, with an error naming `region`, when invalid.
pub async fn planned(shared: &Shared, diags: &mut Diagnostics, config: &Value<String>) -> Option<Value<String>> {
    match config {
        Value::Value(region) => {
            let before = diags.errors.len();
            check(diags, config);
            (diags.errors.len() == before).then(|| Value::Value(region.clone()))
        }
        Value::Unknown => Some(Value::Unknown),
        Value::Null if shared.region_unknown() => Some(Value::Unknown),
        Value::Null => provider_region(shared, diags).await.map(Value::Value),
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

/// The Region and clients a refresh reads with. None, the state then kept as it was, while the
/// provider's configuration is known only at apply (the credentials to read with are unknown), or
/// when the Region or its clients cannot be had (the error is in `diags`): a read that cannot be
/// made is no evidence that anything changed.
pub async fn clients_to_refresh(
    shared: &Shared,
    diags: &mut Diagnostics,
    state: &Value<String>,
) -> Option<(String, Arc<Clients>)> {
    if shared.config_unknown() {
        return None;
    }
    let region = of_state(shared, diags, state).await?;
    let clients = shared.clients_in_or_error(diags, Some(&region)).await?;
    Some((region, clients))
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
mod tests;

//! Input checks that need Terraform's types: a value as Terraform sends it, or diagnostics on
//! attribute paths. The meaning of each value is checked by the pure [`crate::validate`].

use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::terraform::diag;
use crate::terraform::values::Number;
use crate::validate;

/// How many times the SDK retries a call: a whole number from 0 to 100.
pub fn max_retries(value: &Number) -> Result<u32, String> {
    value
        .as_integer()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n <= 100)
        .ok_or_else(|| format!("{value} is not a whole number from 0 to 100"))
}

/// The optional `control_id` and `account_id` arguments of the Security Hub data source and
/// resource, each error naming its attribute.
pub fn control_and_account(diags: &mut Diagnostics, control: &Value<String>, account: &Value<String>) {
    if let Value::Value(id) = control {
        if let Err(e) = validate::control_id(id) {
            let detail = format!("control_id: {e}");
            diag::attr_error(diags, AttributePath::new("control_id"), "Invalid control_id", detail);
        }
    }
    if let Value::Value(id) = account {
        if let Err(e) = validate::account_id(id) {
            let detail = format!("account_id: {e}");
            diag::attr_error(diags, AttributePath::new("account_id"), "Invalid account_id", detail);
        }
    }
}

#[cfg(test)]
mod tests;

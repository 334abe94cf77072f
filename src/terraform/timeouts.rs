//! The `timeouts { create, update, delete }` block.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint, AttributeType, NestedBlock};
use tf_provider::value::{Value, ValueList};
use tf_provider::{AttributePath, Diagnostics};

use crate::terraform::schema::{attribute, block, optional_block};
use crate::{terraform::diag, validate};

pub const DEFAULT: Duration = Duration::from_secs(30 * 60);

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timeouts {
    pub create: Value<String>,
    pub update: Value<String>,
    pub delete: Value<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

pub fn schema() -> NestedBlock {
    let field = |op: &str| {
        attribute(
            AttributeType::String,
            AttributeConstraint::Optional,
            &format!("How long {op} may wait for Inspector, e.g. `\"45m\"` or `\"1h30m\"`. Default `\"30m\"`."),
        )
    };
    optional_block(block(
        "Time limits for waiting on Inspector. Enabling for many member accounts can take well over 15 minutes.",
        [("create", field("create")), ("update", field("update")), ("delete", field("delete"))],
    ))
}

pub fn validate(diags: &mut Diagnostics, timeouts: &ValueList<Timeouts>) {
    let Value::Value(list) = timeouts else { return };
    for (index, t) in list.iter().enumerate() {
        for (name, value) in [("create", &t.create), ("update", &t.update), ("delete", &t.delete)] {
            if let Value::Value(text) = value {
                let path = AttributePath::new("timeouts").index(index as i64).attribute(name);
                diag::invalid_attr(diags, path, &format!("timeouts.{name}"), validate::duration(text));
            }
        }
    }
}

/// The time limit for `op`; validation has already rejected what does not parse.
pub fn get(timeouts: &ValueList<Timeouts>, op: Operation) -> Duration {
    let Value::Value(list) = timeouts else { return DEFAULT };
    let Some(t) = list.first() else { return DEFAULT };
    let value = match op {
        Operation::Create => &t.create,
        Operation::Update => &t.update,
        Operation::Delete => &t.delete,
    };
    match value {
        Value::Value(text) => validate::duration(text).unwrap_or(DEFAULT),
        _ => DEFAULT,
    }
}

/// An absent `timeouts` block as the empty list Terraform stores, so plans and reads agree.
pub fn normalized(t: &Value<Vec<Timeouts>>) -> Value<Vec<Timeouts>> {
    match t {
        Value::Null => Value::Value(vec![]),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests;

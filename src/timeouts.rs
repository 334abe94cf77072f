//! The `timeouts { create, update, delete }` block.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint, AttributeType, NestedBlock};
use tf_provider::value::{Value, ValueList};
use tf_provider::{AttributePath, Diagnostics};

use crate::schema::{attribute, block, optional_block};
use crate::{diag, validate};

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
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let none: ValueList<Timeouts> = Value::Value(vec![]);
        assert_eq!(get(&none, Operation::Create), DEFAULT);
        let set = Value::Value(vec![Timeouts { create: Value::Value("45m".into()), ..Default::default() }]);
        assert_eq!(get(&set, Operation::Create), Duration::from_secs(2700));
        assert_eq!(get(&set, Operation::Delete), DEFAULT);
    }

    #[test]
    fn bad_duration_names_the_attribute() {
        let mut diags = Diagnostics::default();
        let set = Value::Value(vec![Timeouts { update: Value::Value("soon".into()), ..Default::default() }]);
        validate(&mut diags, &set);
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].detail.starts_with("timeouts.update: \"soon\" is not a duration"));
        assert_eq!(diags.errors[0].attribute, AttributePath::new("timeouts").index(0).attribute("update"));
    }
}

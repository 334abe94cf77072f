//! Strict JSON reads: a missing key is a failure, never `null`.

use std::ops::Index;

use serde_json::{Map, Value};

/// `v[key]`, failing when `v` is not an object or has no `key`.
#[track_caller]
pub fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    match v {
        Value::Object(m) => m.get(key).unwrap_or_else(|| panic!("no field {key:?} in {}", brief(v))),
        other => panic!("expected an object with field {key:?}, got {}", brief(other)),
    }
}

/// `v[key]` as a string, failing when it is missing or not a string.
#[track_caller]
pub fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    let f = field(v, key);
    f.as_str().unwrap_or_else(|| panic!("field {key:?} is not a string: {f}"))
}

/// A stored finding's `Workflow.Status`; missing is a failure.
#[track_caller]
pub fn workflow_status(finding: &Value) -> &str {
    str_field(field(finding, "Workflow"), "Status")
}

/// A stored finding's `Note.Text`; missing is a failure.
#[track_caller]
pub fn note_text(finding: &Value) -> &str {
    str_field(field(finding, "Note"), "Text")
}

/// A JSON array of strings, sorted; anything else (null, a number inside) is a failure.
#[track_caller]
pub fn sorted_strings(v: &Value) -> Vec<String> {
    let list = v.as_array().unwrap_or_else(|| panic!("expected an array of strings, got {}", brief(v)));
    let mut out: Vec<String> = list
        .iter()
        .map(|x| x.as_str().map(str::to_owned).unwrap_or_else(|| panic!("not a string: {x} in {v}")))
        .collect();
    out.sort();
    out
}

/// A JSON value shortened for a failure message.
pub(crate) fn brief(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(400) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Named values (a resource's attributes, a configuration's outputs) whose index fails on a
/// name that is not there, so a misspelled or missing attribute cannot read as `null`.
#[derive(Clone, Debug, PartialEq)]
pub struct Attrs {
    what: String,
    values: Map<String, Value>,
}

impl Attrs {
    /// `what` names the source in failure messages ("inspector2fix_ecr_scanning.this", "outputs").
    pub fn new(what: impl Into<String>, values: Map<String, Value>) -> Self {
        Attrs { what: what.into(), values }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.values.keys().map(String::as_str).collect()
    }
}

impl Index<&str> for Attrs {
    type Output = Value;

    #[track_caller]
    fn index(&self, name: &str) -> &Value {
        self.values.get(name).unwrap_or_else(|| panic!("{} has no {name:?}; it has {:?}", self.what, self.names()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn field_reads_a_present_key() {
        assert_eq!(field(&json!({"a": null}), "a"), &Value::Null);
        assert_eq!(str_field(&json!({"a": "x"}), "a"), "x");
    }

    #[test]
    #[should_panic(expected = "no field \"resource_typez\"")]
    fn field_fails_on_a_misspelled_key() {
        field(&json!({"resource_types": ["ECR"]}), "resource_typez");
    }

    #[test]
    #[should_panic(expected = "expected an object")]
    fn field_fails_on_a_non_object() {
        field(&json!([1]), "a");
    }

    #[test]
    #[should_panic(expected = "is not a string")]
    fn str_field_fails_on_a_number() {
        str_field(&json!({"a": 1}), "a");
    }

    #[test]
    fn sorted_strings_sorts() {
        assert_eq!(sorted_strings(&json!(["b", "a"])), vec!["a", "b"]);
        assert!(sorted_strings(&json!([])).is_empty());
    }

    #[test]
    #[should_panic(expected = "expected an array of strings")]
    fn sorted_strings_fails_on_null() {
        sorted_strings(&Value::Null);
    }

    #[test]
    #[should_panic(expected = "not a string")]
    fn sorted_strings_fails_on_a_number_inside() {
        sorted_strings(&json!(["a", 1]));
    }

    #[test]
    #[should_panic(expected = "r.this has no \"stauts\"")]
    fn attrs_fail_on_a_misspelled_name() {
        let attrs = Attrs::new("r.this", json!({"status": {}}).as_object().unwrap().clone());
        let _ = &attrs["stauts"];
    }
}

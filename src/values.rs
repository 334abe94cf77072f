//! Conversions between Terraform values and plain collections, shared by resources and data
//! sources so that null and unknown are handled the same way everywhere.

use std::collections::{BTreeMap, BTreeSet};

use tf_provider::value::Value;

/// A Terraform set of strings.
pub type StringSet = Value<BTreeSet<Value<String>>>;
/// A Terraform map of strings.
pub type StringMap = Value<BTreeMap<String, Value<String>>>;

/// The string when it is known; None when null or unknown.
pub fn known_string<T: AsRef<str>>(value: &Value<T>) -> Option<String> {
    value.as_ref_option().map(|s| s.as_ref().to_owned())
}

/// A known set holding `items`.
pub fn string_set<'a>(items: impl IntoIterator<Item = &'a String>) -> StringSet {
    Value::Value(items.into_iter().cloned().map(Value::Value).collect())
}

/// The members when the set and every member are known; None otherwise.
pub fn known_set(set: &StringSet) -> Option<BTreeSet<String>> {
    match set {
        Value::Value(members) => members.iter().map(|v| v.as_ref_option().cloned()).collect(),
        _ => None,
    }
}

/// The members that are known; empty when the set is null or unknown.
pub fn known_members(set: &StringSet) -> BTreeSet<String> {
    match set {
        Value::Value(members) => members.iter().filter_map(|v| v.as_ref_option().cloned()).collect(),
        _ => BTreeSet::new(),
    }
}

/// A known map holding `entries`.
pub fn string_map(entries: impl IntoIterator<Item = (String, String)>) -> StringMap {
    Value::Value(entries.into_iter().map(|(k, v)| (k, Value::Value(v))).collect())
}

/// The entries whose values are known; empty when the map is null or unknown.
pub fn known_entries(map: &StringMap) -> BTreeMap<String, String> {
    match map {
        Value::Value(m) => m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_ref_option()?.clone()))).collect(),
        _ => BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(members: &[Value<&str>]) -> StringSet {
        Value::Value(
            members.iter().map(|m| m.as_ref_option().map_or(Value::Unknown, |s| Value::Value(s.to_string()))).collect(),
        )
    }

    #[test]
    fn a_set_is_known_only_when_every_member_is() {
        let a = || Value::Value("a");
        assert_eq!(known_set(&set(&[a(), Value::Value("b")])), Some(["a".to_string(), "b".into()].into()));
        assert_eq!(known_set(&set(&[a(), Value::Unknown])), None);
        assert_eq!(known_set(&Value::Null), None);
        assert_eq!(known_members(&set(&[a(), Value::Unknown])), BTreeSet::from(["a".to_string()]));
        assert!(known_members(&Value::Unknown).is_empty());
        let members = BTreeSet::from(["x".to_string(), "y".to_string()]);
        assert_eq!(known_set(&string_set(&members)), Some(members));
    }

    #[test]
    fn maps_and_strings() {
        let map = string_map([("a".to_string(), "1".to_string())]);
        assert_eq!(known_entries(&map), BTreeMap::from([("a".to_string(), "1".to_string())]));
        let mut partly: StringMap = map.clone();
        if let Value::Value(m) = &mut partly {
            m.insert("b".into(), Value::Unknown);
        }
        assert_eq!(known_entries(&partly).len(), 1);
        assert!(known_entries(&Value::Null).is_empty());
        assert_eq!(known_string(&Value::Value(std::borrow::Cow::Borrowed("eu-west-1"))).as_deref(), Some("eu-west-1"));
        assert_eq!(known_string::<String>(&Value::Unknown), None);
    }
}

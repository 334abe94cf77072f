//! Conversions between Terraform values and plain collections, shared by resources and data
//! sources so that null and unknown are handled the same way everywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use tf_provider::value::Value;

/// A Terraform set or list of strings. A Vec, not a BTreeSet: Terraform may send several unknown
/// members (`[a.id, b.id]` before apply), which compare equal, and a plan must give back exactly as
/// many, in the configured order for a list.
pub type StringSet = Value<Vec<Value<String>>>;
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

/// Whether the set is unknown or holds an unknown member.
pub fn has_unknown(set: &StringSet) -> bool {
    match set {
        Value::Value(members) => members.iter().any(Value::is_unknown),
        Value::Null => false,
        Value::Unknown => true,
    }
}

/// The members that are known; empty when the set is null or unknown.
pub fn known_members(set: &StringSet) -> BTreeSet<String> {
    match set {
        Value::Value(members) => members.iter().filter_map(|v| v.as_ref_option().cloned()).collect(),
        _ => BTreeSet::new(),
    }
}

/// The positions (from 0) of the null members of a known list: Terraform lets `null` into a
/// list of strings, and a null account id is no account.
pub fn null_positions(list: &StringSet) -> Vec<usize> {
    let Value::Value(members) = list else { return vec![] };
    members.iter().enumerate().filter(|(_, m)| m.is_null()).map(|(i, _)| i).collect()
}

/// An error naming `attribute` when its known list holds null members, giving their positions.
pub fn null_members_error(attribute: &str, list: &StringSet) -> Option<String> {
    let nulls = null_positions(list);
    if nulls.is_empty() {
        return None;
    }
    let at = nulls.iter().map(|i| format!("[{i}]")).collect::<Vec<_>>().join(", ");
    Some(format!(
        "{attribute}: {} element(s) are null ({at}); every element must be an account id (12 digits): remove them \
         or give them a value",
        nulls.len()
    ))
}

/// The known members that occur more than once, each named once, sorted.
pub fn duplicates(list: &StringSet) -> Vec<String> {
    let Value::Value(members) = list else { return vec![] };
    let mut seen = BTreeSet::new();
    let twice: BTreeSet<&String> =
        members.iter().filter_map(Value::as_ref_option).filter(|m| !seen.insert(*m)).collect();
    twice.into_iter().cloned().collect()
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

/// `known_entries` taking the map, so its strings move instead of being copied (a 10,000-entry
/// status map is a megabyte).
pub fn into_known_entries(map: StringMap) -> BTreeMap<String, String> {
    match map {
        Value::Value(m) => m.into_iter().filter_map(|(k, v)| Some((k, v.as_option()?))).collect(),
        _ => BTreeMap::new(),
    }
}

/// A Terraform number as the plugin protocol sends it: an integer, a float, or, for a number no
/// float64 holds exactly (`1e30`), its decimal text. Any of them deserializes, so a wrong number is
/// reported by validation, naming its attribute, instead of failing to decode the whole object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Number {
    Integer(i64),
    Float(f64),
    Text(String),
}

impl Number {
    /// The number when it is a whole number that fits an i64.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Number::Integer(n) => Some(*n),
            // Exact: 2.0 is an integer, 2.5 is not; the range check keeps the cast lossless.
            Number::Float(f) if f.fract() == 0.0 && (i64::MIN as f64..i64::MAX as f64).contains(f) => Some(*f as i64),
            Number::Float(_) => None,
            Number::Text(t) => t.parse().ok(),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Integer(n) => write!(f, "{n}"),
            Number::Float(x) => write!(f, "{x}"),
            Number::Text(t) => f.write_str(t),
        }
    }
}

#[cfg(test)]
mod tests;

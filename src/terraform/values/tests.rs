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
fn duplicates_are_named_once_each() {
    let list = set(&[Value::Value("b"), Value::Value("a"), Value::Value("b"), Value::Unknown, Value::Value("b")]);
    assert_eq!(duplicates(&list), ["b"]);
    let list = set(&[Value::Value("c"), Value::Value("a"), Value::Value("c"), Value::Value("a")]);
    assert_eq!(duplicates(&list), ["a", "c"]);
    assert!(duplicates(&set(&[Value::Value("a"), Value::Unknown, Value::Unknown])).is_empty());
    assert!(duplicates(&Value::Null).is_empty());
}

#[test]
fn several_unknown_members_are_all_kept() {
    let two: StringSet = Value::Value(vec![Value::Value("a".into()), Value::Unknown, Value::Unknown]);
    let back: StringSet = serde_json::from_str(&serde_json::to_string(&two).unwrap()).unwrap();
    assert_eq!(back, two);
    assert!(has_unknown(&two) && has_unknown(&Value::Unknown));
    assert!(!has_unknown(&Value::Null) && !has_unknown(&string_set(&["a".to_string()])));
}

/// The three shapes Terraform's msgpack gives a number, and the null and unknown markers.
#[test]
fn numbers_decode_in_every_wire_shape() {
    let decode = |bytes: &[u8]| -> Value<Number> { rmp_serde::from_slice(bytes).unwrap() };
    assert_eq!(decode(&[0x03]), Value::Value(Number::Integer(3)));
    let mut float = vec![0xcb];
    float.extend(1.5_f64.to_be_bytes());
    assert_eq!(decode(&float), Value::Value(Number::Float(1.5)));
    let huge = "1000000000000000000000000000000";
    let mut text = vec![0xa0 | huge.len() as u8];
    text.extend(huge.as_bytes());
    assert_eq!(decode(&text), Value::Value(Number::Text(huge.into())));
    assert_eq!(decode(&[0xc0]), Value::Null);
    // cty's unknown value: fixext1 of type 0.
    assert_eq!(decode(&[0xd4, 0x00, 0x00]), Value::Unknown);
}

#[test]
fn only_whole_numbers_are_integers() {
    assert_eq!(Number::Integer(-4).as_integer(), Some(-4));
    assert_eq!(Number::Float(2.0).as_integer(), Some(2));
    assert_eq!(Number::Float(1.5).as_integer(), None);
    assert_eq!(Number::Float(1e30).as_integer(), None);
    assert_eq!(Number::Float(f64::NAN).as_integer(), None);
    assert_eq!(Number::Text("7".into()).as_integer(), Some(7));
    assert_eq!(Number::Text("1000000000000000000000000000000".into()).as_integer(), None);
    assert_eq!(Number::Float(1.5).to_string(), "1.5");
    assert_eq!(Number::Text("1e30".into()).to_string(), "1e30");
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

#[test]
fn null_members_are_found_by_position() {
    let list: StringSet =
        Value::Value(vec![Value::Value("111111111111".into()), Value::Null, Value::Unknown, Value::Null]);
    assert_eq!(null_positions(&list), vec![1, 3]);
    let error = null_members_error("account_ids", &list).expect("an error");
    assert!(error.starts_with("account_ids: 2 element(s) are null ([1], [3])"), "{error}");
    assert_eq!(null_members_error("account_ids", &set(&[Value::Value("a"), Value::Unknown])), None);
    assert_eq!(null_members_error("account_ids", &Value::Null), None, "a null list is an unset one");
}

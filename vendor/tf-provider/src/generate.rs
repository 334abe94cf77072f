// inspector2fix patch: GenerateResourceConfig's default (PATCHED.md, patch 8).

//! Terraform's own rule for turning a state into configuration
//!
//! Once a provider advertises `generate_resource_config`, Terraform asks it for every resource
//! type's generated configuration instead of deriving it itself. For a resource that does not
//! write its own, the server answers what Terraform would have derived: hashicorp/terraform's
//! `genconfig.ExtractLegacyConfigFromState` (v1.15), which sets to null, in the state's value,
//! - deprecated attributes and blocks,
//! - read-only (computed, not optional) attributes,
//! - the root `id` attribute when it is optional and computed,
//! - optional string attributes holding `""`.
//!
//! It works on the msgpack bytes: values it keeps are copied unchanged.

use rmp::Marker;

use crate::schema::{Attribute, AttributeConstraint, AttributeType, Block, NestedBlock};

/// The configuration Terraform derives from `state` (msgpack of `block`'s object)
pub(crate) fn terraform_rule(state: &[u8], block: &Block) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(state.len());
    let used = block_value(state, block, true, &mut out)?;
    if used != state.len() {
        return Err(format!("{} bytes after the state's value", state.len() - used));
    }
    Ok(out)
}

const NIL: u8 = 0xc0;

/// A value of `block`'s object type; returns the bytes read
fn block_value(buf: &[u8], block: &Block, root: bool, out: &mut Vec<u8>) -> Result<usize, String> {
    let Some((entries, mut pos)) = map_header(buf)? else { return copy_value(buf, out) };
    out.extend_from_slice(&buf[..pos]);
    for _ in 0..entries {
        let (name, key_len) = key(&buf[pos..])?;
        out.extend_from_slice(&buf[pos..pos + key_len]);
        pos += key_len;
        let value = &buf[pos..];
        pos += if let Some(attribute) = block.attributes.get(name) {
            attribute_value(value, attribute, root && name == "id", out)?
        } else if let Some(nested) = block.blocks.get(name) {
            nested_block_value(value, nested, out)?
        } else {
            copy_value(value, out)?
        };
    }
    Ok(pos)
}

/// A value of a nested attribute's object type
fn object_value(
    buf: &[u8],
    attributes: &std::collections::HashMap<String, Attribute>,
    out: &mut Vec<u8>,
) -> Result<usize, String> {
    let Some((entries, mut pos)) = map_header(buf)? else { return copy_value(buf, out) };
    out.extend_from_slice(&buf[..pos]);
    for _ in 0..entries {
        let (name, key_len) = key(&buf[pos..])?;
        out.extend_from_slice(&buf[pos..pos + key_len]);
        pos += key_len;
        let value = &buf[pos..];
        pos += match attributes.get(name) {
            Some(attribute) => attribute_value(value, attribute, false, out)?,
            None => copy_value(value, out)?,
        };
    }
    Ok(pos)
}

fn attribute_value(buf: &[u8], attribute: &Attribute, root_id: bool, out: &mut Vec<u8>) -> Result<usize, String> {
    if is_nil(buf) {
        return copy_value(buf, out);
    }
    let optional =
        matches!(attribute.constraint, AttributeConstraint::Optional | AttributeConstraint::OptionalComputed);
    let read_only = attribute.constraint == AttributeConstraint::Computed;
    let optional_computed_id = root_id && attribute.constraint == AttributeConstraint::OptionalComputed;
    let empty_optional_string = optional && attribute.attr_type == AttributeType::String && is_empty_string(buf);
    if attribute.deprecated || read_only || optional_computed_id || empty_optional_string {
        out.push(NIL);
        return skip_value(buf);
    }
    match &attribute.attr_type {
        AttributeType::AttributeSingle(attributes) => object_value(buf, attributes, out),
        AttributeType::AttributeList(attributes) | AttributeType::AttributeSet(attributes) => {
            each_element(buf, out, |element, out| object_value(element, attributes, out))
        }
        AttributeType::AttributeMap(attributes) => {
            each_map_value(buf, out, |element, out| object_value(element, attributes, out))
        }
        _ => copy_value(buf, out),
    }
}

fn nested_block_value(buf: &[u8], nested: &NestedBlock, out: &mut Vec<u8>) -> Result<usize, String> {
    let block = match nested {
        NestedBlock::Single(block)
        | NestedBlock::Group(block)
        | NestedBlock::List(block)
        | NestedBlock::Set(block)
        | NestedBlock::Map(block)
        | NestedBlock::Optional(block) => block,
    };
    if is_nil(buf) {
        return copy_value(buf, out);
    }
    if block.deprecated {
        out.push(NIL);
        return skip_value(buf);
    }
    match nested {
        NestedBlock::Single(_) | NestedBlock::Group(_) => block_value(buf, block, false, out),
        NestedBlock::List(_) | NestedBlock::Set(_) | NestedBlock::Optional(_) => {
            each_element(buf, out, |element, out| block_value(element, block, false, out))
        }
        NestedBlock::Map(_) => each_map_value(buf, out, |element, out| block_value(element, block, false, out)),
    }
}

/// An array, each element through `transform` (anything else is copied)
fn each_element(
    buf: &[u8],
    out: &mut Vec<u8>,
    transform: impl Fn(&[u8], &mut Vec<u8>) -> Result<usize, String>,
) -> Result<usize, String> {
    let Some((len, mut pos)) = array_header(buf)? else { return copy_value(buf, out) };
    out.extend_from_slice(&buf[..pos]);
    for _ in 0..len {
        pos += transform(&buf[pos..], out)?;
    }
    Ok(pos)
}

/// A map, each value through `transform` (anything else is copied)
fn each_map_value(
    buf: &[u8],
    out: &mut Vec<u8>,
    transform: impl Fn(&[u8], &mut Vec<u8>) -> Result<usize, String>,
) -> Result<usize, String> {
    let Some((entries, mut pos)) = map_header(buf)? else { return copy_value(buf, out) };
    out.extend_from_slice(&buf[..pos]);
    for _ in 0..entries {
        let key_len = copy_value(&buf[pos..], out)?;
        pos += key_len;
        pos += transform(&buf[pos..], out)?;
    }
    Ok(pos)
}

fn is_nil(buf: &[u8]) -> bool {
    buf.first() == Some(&NIL)
}

fn is_empty_string(buf: &[u8]) -> bool {
    matches!(buf, [0xa0, ..] | [0xd9, 0, ..] | [0xda, 0, 0, ..] | [0xdb, 0, 0, 0, 0, ..])
}

fn copy_value(buf: &[u8], out: &mut Vec<u8>) -> Result<usize, String> {
    let len = skip_value(buf)?;
    out.extend_from_slice(&buf[..len]);
    Ok(len)
}

/// A map key that is a string: the key and the bytes it takes
fn key(buf: &[u8]) -> Result<(&str, usize), String> {
    let (len, header) = match marker(buf)? {
        Marker::FixStr(len) => (len as usize, 1),
        Marker::Str8 => (be(buf, 1, 1)?, 2),
        Marker::Str16 => (be(buf, 1, 2)?, 3),
        Marker::Str32 => (be(buf, 1, 4)?, 5),
        _ => return Err("an object key that is not a string".into()),
    };
    let bytes = buf.get(header..header + len).ok_or("a truncated key")?;
    let name = std::str::from_utf8(bytes).map_err(|_| "a key that is not UTF-8".to_string())?;
    Ok((name, header + len))
}

fn marker(buf: &[u8]) -> Result<Marker, String> {
    buf.first().map(|byte| Marker::from_u8(*byte)).ok_or_else(|| "a truncated value".to_string())
}

/// The big-endian unsigned integer of `width` bytes at `at`
fn be(buf: &[u8], at: usize, width: usize) -> Result<usize, String> {
    let bytes = buf.get(at..at + width).ok_or("a truncated length")?;
    Ok(bytes.iter().fold(0usize, |n, byte| (n << 8) | usize::from(*byte)))
}

/// Entries and header length of a map; [`None`] if the value is not a map
fn map_header(buf: &[u8]) -> Result<Option<(usize, usize)>, String> {
    Ok(match marker(buf)? {
        Marker::FixMap(len) => Some((len as usize, 1)),
        Marker::Map16 => Some((be(buf, 1, 2)?, 3)),
        Marker::Map32 => Some((be(buf, 1, 4)?, 5)),
        _ => None,
    })
}

/// Elements and header length of an array; [`None`] if the value is not an array
fn array_header(buf: &[u8]) -> Result<Option<(usize, usize)>, String> {
    Ok(match marker(buf)? {
        Marker::FixArray(len) => Some((len as usize, 1)),
        Marker::Array16 => Some((be(buf, 1, 2)?, 3)),
        Marker::Array32 => Some((be(buf, 1, 4)?, 5)),
        _ => None,
    })
}

/// The length in bytes of the value at the start of `buf`
fn skip_value(buf: &[u8]) -> Result<usize, String> {
    let sized = |header: usize, len: usize| -> Result<usize, String> {
        let end = header.checked_add(len).ok_or("a length too large")?;
        if end > buf.len() {
            return Err("a truncated value".into());
        }
        Ok(end)
    };
    if let Some((len, mut pos)) = array_header(buf)? {
        for _ in 0..len {
            pos += skip_value(buf.get(pos..).ok_or("a truncated array")?)?;
        }
        return Ok(pos);
    }
    if let Some((entries, mut pos)) = map_header(buf)? {
        for _ in 0..entries.checked_mul(2).ok_or("a map too large")? {
            pos += skip_value(buf.get(pos..).ok_or("a truncated map")?)?;
        }
        return Ok(pos);
    }
    match marker(buf)? {
        Marker::FixPos(_) | Marker::FixNeg(_) | Marker::Null | Marker::True | Marker::False => sized(1, 0),
        Marker::U8 | Marker::I8 => sized(1, 1),
        Marker::U16 | Marker::I16 => sized(1, 2),
        Marker::U32 | Marker::I32 | Marker::F32 => sized(1, 4),
        Marker::U64 | Marker::I64 | Marker::F64 => sized(1, 8),
        Marker::FixStr(len) => sized(1, len as usize),
        Marker::Str8 | Marker::Bin8 => sized(2, be(buf, 1, 1)?),
        Marker::Str16 | Marker::Bin16 => sized(3, be(buf, 1, 2)?),
        Marker::Str32 | Marker::Bin32 => sized(5, be(buf, 1, 4)?),
        Marker::FixExt1 => sized(2, 1),
        Marker::FixExt2 => sized(2, 2),
        Marker::FixExt4 => sized(2, 4),
        Marker::FixExt8 => sized(2, 8),
        Marker::FixExt16 => sized(2, 16),
        Marker::Ext8 => sized(3, be(buf, 1, 1)?),
        Marker::Ext16 => sized(4, be(buf, 1, 2)?),
        Marker::Ext32 => sized(6, be(buf, 1, 4)?),
        _ => Err("a value with a reserved msgpack marker".into()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::Serialize;

    use super::*;
    use crate::schema::Description;

    fn attribute(attr_type: AttributeType, constraint: AttributeConstraint) -> Attribute {
        Attribute { attr_type, description: Description::plain(""), constraint, sensitive: false, deprecated: false }
    }

    fn schema() -> Block {
        use AttributeConstraint::*;
        let nested = HashMap::from([
            ("name".to_string(), attribute(AttributeType::String, Required)),
            ("arn".to_string(), attribute(AttributeType::String, Computed)),
        ]);
        let mut old = attribute(AttributeType::String, Optional);
        old.deprecated = true;
        let inner = Block {
            attributes: HashMap::from([
                ("size".to_string(), attribute(AttributeType::Number, Optional)),
                ("status".to_string(), attribute(AttributeType::String, Computed)),
            ]),
            ..Block::default()
        };
        let gone = Block { deprecated: true, ..Block::default() };
        Block {
            attributes: HashMap::from([
                ("id".to_string(), attribute(AttributeType::String, OptionalComputed)),
                ("name".to_string(), attribute(AttributeType::String, Required)),
                ("note".to_string(), attribute(AttributeType::String, Optional)),
                ("region".to_string(), attribute(AttributeType::String, OptionalComputed)),
                ("arn".to_string(), attribute(AttributeType::String, Computed)),
                ("old".to_string(), old),
                ("tags".to_string(), attribute(AttributeType::Map(Box::new(AttributeType::String)), Optional)),
                ("items".to_string(), attribute(AttributeType::AttributeList(nested), Optional)),
            ]),
            blocks: HashMap::from([
                ("disk".to_string(), NestedBlock::List(inner)),
                ("legacy".to_string(), NestedBlock::Optional(gone)),
            ]),
            ..Block::default()
        }
    }

    #[derive(Serialize)]
    struct Item<'a> {
        name: &'a str,
        arn: &'a str,
    }

    #[derive(Serialize)]
    struct Disk<'a> {
        size: i64,
        status: &'a str,
    }

    #[derive(Serialize)]
    struct State<'a> {
        id: &'a str,
        name: &'a str,
        note: &'a str,
        region: &'a str,
        arn: &'a str,
        old: &'a str,
        tags: HashMap<&'a str, &'a str>,
        items: Vec<Item<'a>>,
        disk: Vec<Disk<'a>>,
        legacy: Vec<HashMap<&'a str, &'a str>>,
        extra: Option<i64>,
    }

    #[test]
    fn read_only_deprecated_root_id_and_empty_optional_strings_become_null() {
        let state = State {
            id: "x-1",
            name: "x",
            note: "",
            region: "eu-west-1",
            arn: "arn:x",
            old: "was",
            tags: HashMap::from([("team", ""), ("env", "prod")]),
            items: vec![Item { name: "a", arn: "arn:a" }],
            disk: vec![Disk { size: 8, status: "ok" }],
            legacy: vec![HashMap::from([("k", "v")])],
            extra: Some(3),
        };
        let bytes = rmp_serde::to_vec_named(&state).expect("encode");
        let config = terraform_rule(&bytes, &schema()).expect("rule");
        let config: serde_json::Value = rmp_serde::from_slice(&config).expect("decode");
        let expected = serde_json::json!({
            "id": null, "name": "x", "note": null, "region": "eu-west-1", "arn": null, "old": null,
            // a map's empty strings are leaf values of a container, kept as Terraform keeps them
            "tags": {"team": "", "env": "prod"},
            "items": [{"name": "a", "arn": null}],
            "disk": [{"size": 8, "status": null}],
            "legacy": null,
            // not in the schema: passed through
            "extra": 3,
        });
        assert_eq!(config, expected);
    }

    #[test]
    fn nulls_are_kept_and_a_state_without_such_attributes_is_unchanged() {
        let state = serde_json::json!({"name": "x", "note": null, "items": null, "disk": []});
        let bytes = rmp_serde::to_vec_named(&state).expect("encode");
        assert_eq!(terraform_rule(&bytes, &schema()).expect("rule"), bytes);
    }

    #[test]
    fn an_id_below_the_root_is_kept() {
        let attributes = HashMap::from([(
            "id".to_string(),
            attribute(AttributeType::String, AttributeConstraint::OptionalComputed),
        )]);
        let block = Block {
            blocks: HashMap::from([("sub".to_string(), NestedBlock::Single(Block { attributes, ..Block::default() }))]),
            ..Block::default()
        };
        let bytes = rmp_serde::to_vec_named(&serde_json::json!({"sub": {"id": "kept"}})).expect("encode");
        let config: serde_json::Value =
            rmp_serde::from_slice(&terraform_rule(&bytes, &block).expect("rule")).expect("decode");
        assert_eq!(config, serde_json::json!({"sub": {"id": "kept"}}));
    }

    #[test]
    fn long_strings_maps_and_unknown_extensions_are_copied_whole() {
        let long = "y".repeat(70_000);
        let state = serde_json::json!({"name": long, "tags": (0..20).map(|i| (format!("k{i}"), "v")).collect::<HashMap<_, _>>()});
        let mut bytes = rmp_serde::to_vec_named(&state).expect("encode");
        assert_eq!(terraform_rule(&bytes, &schema()).expect("rule"), bytes);
        // A dynamic value's msgpack ext (cty's unknown) inside an attribute is copied as it is.
        bytes = vec![0x81, 0xa4, b'n', b'o', b't', b'e', 0xd4, 0x00, 0x00];
        assert_eq!(terraform_rule(&bytes, &schema()).expect("rule"), bytes);
    }

    #[test]
    fn truncated_or_trailing_bytes_are_errors_not_panics() {
        let bytes = rmp_serde::to_vec_named(&serde_json::json!({"name": "abcdef"})).expect("encode");
        for cut in 1..bytes.len() {
            assert!(terraform_rule(&bytes[..cut], &schema()).is_err(), "cut at {cut}");
        }
        let mut trailing = bytes.clone();
        trailing.push(0xc0);
        assert!(terraform_rule(&trailing, &schema()).unwrap_err().contains("after the state"));
        assert!(terraform_rule(&[0x81, 0x01, 0xc0], &schema()).unwrap_err().contains("not a string"));
    }
}

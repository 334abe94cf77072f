//! GetFindings paging: Id-ordered pages after a cursor, and NextTokens that carry the cursor
//! bound to the home account and the Filters they were issued for.

use std::collections::BTreeMap;
use std::ops::Bound;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use serde_json::Value;

use super::filter::Filters;
use super::model::{Control, Finding};
use crate::util::fnv64;

/// Standard alphabet, written without padding; padding is accepted on input.
const TOKEN_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Canonical JSON (object keys sorted at every level) for digests.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Digest binding a NextToken to the home account and the Filters it was issued for.
pub fn query_digest(home: &str, filters: Option<&Value>) -> u64 {
    let mut s = String::from(home);
    s.push('\n');
    match filters {
        None | Some(Value::Null) => s.push_str("{}"),
        Some(f) => canonical(f, &mut s),
    }
    fnv64(s.as_bytes())
}

/// A NextToken: a cursor (the last Id returned) plus the query digest, base64-encoded.
/// Cursor-based, so updating findings between pages neither skips nor repeats any.
pub fn encode_token(digest: u64, last_id: &str) -> String {
    TOKEN_BASE64.encode(format!("v1\n{digest:016x}\n{last_id}").as_bytes())
}

/// The cursor inside a NextToken, if the token is well-formed and was issued for `digest`.
pub fn decode_token(token: &str, digest: u64) -> Option<String> {
    let raw = String::from_utf8(TOKEN_BASE64.decode(token).ok()?).ok()?;
    let mut parts = raw.splitn(3, '\n');
    if parts.next()? != "v1" {
        return None;
    }
    let d = u64::from_str_radix(parts.next()?, 16).ok()?;
    let last = parts.next()?;
    (d == digest && !last.is_empty()).then(|| last.to_string())
}

/// One GetFindings page: the findings and, when more match, the cursor for the next page.
pub struct Page<'a> {
    pub findings: Vec<&'a Finding>,
    pub next_after: Option<String>,
}

/// Up to `max` findings of `store` matching `filters`, in Id order, after the cursor `after`.
pub fn page<'a>(
    store: Option<&'a BTreeMap<String, Finding>>,
    controls: &BTreeMap<String, Control>,
    filters: &Filters,
    after: Option<&str>,
    max: usize,
) -> Page<'a> {
    let mut out = Vec::with_capacity(max.min(128));
    let Some(store) = store else {
        return Page { findings: out, next_after: None };
    };
    let lower = match after {
        Some(a) => Bound::Excluded(a),
        None => Bound::Unbounded,
    };
    let mut more = false;
    for f in store.range::<str, _>((lower, Bound::Unbounded)).map(|(_, f)| f) {
        if !filters.matches(f, controls.get(&f.control_id)) {
            continue;
        }
        if out.len() == max {
            more = true;
            break;
        }
        out.push(f);
    }
    let next_after = if more { out.last().map(|f| f.id.clone()) } else { None };
    Page { findings: out, next_after }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::filter::tests::filters;
    use super::super::model::tests::{HOME, NOW};
    use super::super::model::Workflow;
    use super::super::store::Hub;
    use super::*;

    #[test]
    fn tokens() {
        let f1 = json!({"Id": [{"Value": "x", "Comparison": "EQUALS"}], "Region": []});
        // Key order does not matter.
        let f2: Value =
            serde_json::from_str(r#"{"Region": [], "Id": [{"Comparison": "EQUALS", "Value": "x"}]}"#).unwrap();
        let d = query_digest(HOME, Some(&f1));
        assert_eq!(d, query_digest(HOME, Some(&f2)));
        assert_ne!(d, query_digest("222222222222", Some(&f1)));
        assert_ne!(d, query_digest(HOME, None));
        assert_eq!(query_digest(HOME, None), query_digest(HOME, Some(&Value::Null)));
        let last = "arn:aws:securityhub:us-east-1:111111111111:security-control/Inspector.2/finding/x";
        let t = encode_token(d, last);
        assert_eq!(decode_token(&t, d).as_deref(), Some(last));
        // Issued for other filters.
        assert_eq!(decode_token(&t, d ^ 1), None);
        // Garbage.
        assert_eq!(decode_token("garbage!", d), None);
        assert_eq!(decode_token(&TOKEN_BASE64.encode(b"v2\n00\nx"), d), None);
        assert_eq!(decode_token("", d), None);
    }

    #[test]
    fn paging_is_a_stable_cursor() {
        let mut hub = Hub::default();
        let body = json!({"generate": {"control_id": "Inspector.2", "count": 25,
            "account_ids": ["222222222222", "333333333333"]}});
        let ids = hub.seed(HOME, body.as_object().unwrap(), NOW).unwrap();
        assert_eq!(ids.len(), 25);
        let f = filters(json!({
            "AwsAccountId": [{"Value": "222222222222", "Comparison": "EQUALS"}],
            "WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}]}));
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = hub.page(HOME, &f, after.as_deref(), 5);
            let got: Vec<String> = page.findings.iter().map(|x| x.id.clone()).collect();
            let next = page.next_after;
            assert!(got.len() <= 5);
            // Suppress what we saw: those no longer match, yet the cursor skips nothing.
            for id in &got {
                hub.find_mut(HOME, id).unwrap().workflow = Workflow::Suppressed;
            }
            seen.extend(got);
            match next {
                Some(a) => after = Some(a),
                None => break,
            }
        }
        assert_eq!(seen.len(), 13);
        assert!(hub.page(HOME, &f, None, 5).findings.is_empty());
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
        // Exactly a full last page: no next cursor.
        let page = hub.page(HOME, &Filters::default(), None, 25);
        assert_eq!(page.findings.len(), 25);
        assert!(page.next_after.is_none());
        let page = hub.page(HOME, &Filters::default(), None, 24);
        assert!(page.next_after.is_some());
        // Unknown home: empty.
        assert!(hub.page("999999999999", &Filters::default(), None, 5).findings.is_empty());
    }
}

//! Small helpers: id generation, encoding, time formatting.

use std::hash::Hasher;
use std::time::{SystemTime, UNIX_EPOCH};

/// Parse a JSON request body that must be an object; an empty body is an empty object.
pub fn parse_object(body: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        Ok(_) => Err("expected a JSON object".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The first key of `obj` that is not in `allowed` (inputs reject unknown fields so that a typo
/// fails loudly).
pub fn unknown_key<'a>(obj: &'a serde_json::Map<String, serde_json::Value>, allowed: &[&str]) -> Option<&'a str> {
    obj.keys().map(String::as_str).find(|k| !allowed.contains(k))
}

/// True for exactly 12 ASCII digits (an AWS account id).
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A 12-digit account id string; the error names `field`.
pub fn account_id(v: &serde_json::Value, field: &str) -> Result<String, String> {
    match v.as_str() {
        Some(s) if is_account_id(s) => Ok(s.to_string()),
        _ => Err(format!("{field}: expected a 12-digit account id string, got {v}")),
    }
}

/// A JSON array of account ids; the error names `field`.
pub fn account_id_list(v: &serde_json::Value, field: &str) -> Result<Vec<String>, String> {
    let arr = v.as_array().ok_or_else(|| format!("{field}: expected an array of account ids"))?;
    arr.iter().map(|x| account_id(x, field)).collect()
}

/// The two-letter geographic prefixes of AWS Regions (commercial, GovCloud `us-gov-`, China `cn-`,
/// ISO `us-iso-`): a name outside them is not a Region.
const REGION_PREFIXES: &[&str] = &["af", "ap", "ca", "cn", "eu", "il", "me", "mx", "sa", "us"];

/// True for an AWS Region name such as `us-east-1`, `us-gov-west-1` or `cn-north-1`.
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let Some((number, words)) = parts.split_last() else { return false };
    let Some((geo, names)) = words.split_first() else { return false };
    REGION_PREFIXES.contains(geo)
        && (1..=3).contains(&names.len())
        && names.iter().all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-decode (`+` stays `+`; invalid escapes stay as they are).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Parse an `application/x-www-form-urlencoded` body or query string (`+` is a space).
pub fn parse_form(s: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(s.as_bytes()).into_owned().collect()
}

/// Format seconds since the Unix epoch as ISO 8601 UTC (`2024-01-31T12:00:00Z`).
pub fn iso8601(secs: u64) -> String {
    // Past year 9999 (which `time` cannot represent) there is nothing sensible to say: the epoch.
    let t = i64::try_from(secs)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let (date, clock) = (t.date(), t.time());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        u8::from(date.month()),
        date.day(),
        clock.hour(),
        clock.minute(),
        clock.second()
    )
}

pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Milliseconds since the Unix epoch.
pub fn unix_now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Format milliseconds since the Unix epoch as ISO 8601 UTC with milliseconds
/// (`2024-01-31T12:00:00.123Z`, the form Security Hub uses).
pub fn iso8601_ms(ms: u64) -> String {
    let s = iso8601(ms / 1000);
    format!("{}.{:03}Z", s.trim_end_matches('Z'), ms % 1000)
}

/// 64-bit FNV-1a hash (stable across runs, unlike std's hashers).
pub fn fnv64(input: &[u8]) -> u64 {
    let mut h = fnv::FnvHasher::default();
    h.write(input);
    h.finish()
}

/// A UUID-v4-shaped string derived deterministically from `input`.
pub fn stable_uuid(input: &str) -> String {
    IdGen::seeded(fnv64(input.as_bytes())).request_id()
}

/// Pseudo-random ids: seeded from the clock per process, or from an input for stable ids.
#[derive(Debug, Clone)]
pub struct IdGen(fastrand::Rng);

impl IdGen {
    pub fn new() -> Self {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0x5eed);
        IdGen::seeded(nanos ^ u64::from(std::process::id()).rotate_left(32))
    }

    fn seeded(seed: u64) -> Self {
        IdGen(fastrand::Rng::with_seed(seed))
    }

    /// A random-looking UUID v4 (as AWS request ids are).
    pub fn request_id(&mut self) -> String {
        let bytes = self.0.u128(..).to_be_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
    }

    /// `len` characters from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(alphabet[self.0.usize(..alphabet.len())])).collect()
    }
}

impl Default for IdGen {
    fn default() -> Self {
        Self::new()
    }
}

/// A stable pseudo-random id: `prefix` + `len` characters derived from `input`.
pub fn stable_id(prefix: &str, input: &str, len: usize) -> String {
    format!("{prefix}{}", IdGen::seeded(fnv64(input.as_bytes())).string(UPPER_ALNUM, len))
}

/// The alphabet of AWS access key ids after their 4-letter prefix.
pub const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// The alphabet of AWS secret keys and session tokens.
pub const BASE64ISH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids() {
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("1234567890123"));
        assert!(!is_account_id("12345678901a"));
    }

    #[test]
    fn region_names() {
        for ok in ["us-east-1", "eu-west-3", "us-gov-west-1", "cn-northwest-1", "ap-southeast-4", "us-iso-east-1"] {
            assert!(is_region(ok), "{ok}");
        }
        for bad in
            ["", "us-east", "useast1", "US-EAST-1", "xx-east-1", "us-east-100", "us--1", "eu-west-1 ", "us-east-x"]
        {
            assert!(!is_region(bad), "{bad:?}");
        }
    }

    #[test]
    fn form_decoding() {
        let f = parse_form("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx&A=b+c&E=&F");
        assert_eq!(f[0], ("Action".into(), "AssumeRole".into()));
        assert_eq!(f[1].1, "arn:aws:iam::1:role/x");
        assert_eq!(f[2].1, "b c");
        assert_eq!(f[3].1, "");
        assert_eq!(f[4], ("F".into(), "".into()));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("a+b%2Fc"), "a+b/c");
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(u64::MAX), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_704_067_199), "2023-12-31T23:59:59Z");
    }

    #[test]
    fn ids_look_right() {
        let mut g = IdGen::new();
        let r = g.request_id();
        assert_eq!(r.len(), 36);
        assert_eq!(r.as_bytes()[14], b'4');
        assert_ne!(g.request_id(), r);
        let k = g.string(UPPER_ALNUM, 16);
        assert_eq!(k.len(), 16);
        assert_eq!(stable_id("AROA", "x", 17), stable_id("AROA", "x", 17));
        assert_ne!(stable_id("AROA", "x", 17), stable_id("AROA", "y", 17));
        assert_eq!(stable_id("AROA", "x", 17).len(), 21);
        assert_eq!(stable_uuid("a"), stable_uuid("a"));
        assert_ne!(stable_uuid("a"), stable_uuid("b"));
        assert_eq!(stable_uuid("a").len(), 36);
    }

    #[test]
    fn iso_ms_dates() {
        assert_eq!(iso8601_ms(1_704_067_199_007), "2023-12-31T23:59:59.007Z");
    }
}

//! Small helpers: id generation, encoding, time formatting.

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

/// Percent-decode (`+` is decoded as a space when `plus_is_space`).
pub fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parse an `application/x-www-form-urlencoded` body or query string.
pub fn parse_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k, true), percent_decode(v, true)),
            None => (percent_decode(pair, true), String::new()),
        })
        .collect()
}

/// Format seconds since the Unix epoch as ISO 8601 UTC (`2024-01-31T12:00:00Z`).
pub fn iso8601(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
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
    format!("{}.{:03}Z", &s[..s.len() - 1], ms % 1000)
}

/// 64-bit FNV-1a hash.
pub fn fnv64(input: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in input {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A UUID-v4-shaped string derived deterministically from `input`.
pub fn stable_uuid(input: &str) -> String {
    let mut g = IdGen { seed: fnv64(input.as_bytes()), counter: 0 };
    g.request_id()
}

/// Standard base64 without padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..=chunk.len() {
            out.push(BASE64ISH[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Inverse of [`base64_encode`] (padding tolerated). None for anything that is not base64.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = BASE64ISH.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero padding of fewer than 8 bits.
    (bits < 6 && acc == 0).then_some(out)
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Deterministic-per-process id generator (splitmix64 over a counter seeded from the clock).
#[derive(Debug, Clone)]
pub struct IdGen {
    seed: u64,
    counter: u64,
}

impl IdGen {
    pub fn new() -> Self {
        let seed = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0x5eed)
            ^ (std::process::id() as u64).rotate_left(32);
        IdGen { seed, counter: 0 }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.counter = self.counter.wrapping_add(1);
        let mut z = self.seed.wrapping_add(self.counter.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A UUID-v4-shaped request id.
    pub fn request_id(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            a & 0xfff,
            8 + (b >> 62),
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }

    /// `len` characters from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        let mut out = String::with_capacity(len);
        let mut bits = 0u64;
        let mut left = 0;
        for _ in 0..len {
            if left == 0 {
                bits = self.next_u64();
                left = 8;
            }
            out.push(alphabet[(bits & 0xff) as usize % alphabet.len()] as char);
            bits >>= 8;
            left -= 1;
        }
        out
    }
}

impl Default for IdGen {
    fn default() -> Self {
        Self::new()
    }
}

/// A stable pseudo-random id: `prefix` + `len` characters derived from `input` (FNV-1a + splitmix).
pub fn stable_id(prefix: &str, input: &str, len: usize) -> String {
    let mut g = IdGen { seed: fnv64(input.as_bytes()), counter: 0 };
    format!("{prefix}{}", g.string(UPPER_ALNUM, len))
}

pub const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
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
    fn form_decoding() {
        let f = parse_form("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx&A=b+c&E=");
        assert_eq!(f[0], ("Action".into(), "AssumeRole".into()));
        assert_eq!(f[1].1, "arn:aws:iam::1:role/x");
        assert_eq!(f[2].1, "b c");
        assert_eq!(f[3].1, "");
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%4", false), "%4");
        assert_eq!(percent_decode("a+b", false), "a+b");
    }

    #[test]
    fn iso_dates() {
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

    #[test]
    fn base64_roundtrip() {
        for s in ["", "a", "ab", "abc", "abcd", "v1:0123:arn:aws:x/y/z"] {
            let e = base64_encode(s.as_bytes());
            assert!(!e.contains('='));
            assert_eq!(base64_decode(&e).unwrap(), s.as_bytes(), "{s}");
        }
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_decode("TWE=").unwrap(), b"Ma");
        assert!(base64_decode("not base64!").is_none());
        assert!(base64_decode("TWF").is_none());
    }
}

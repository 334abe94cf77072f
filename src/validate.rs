//! Checks of user input, shared by the provider, resources and data sources.
//! Each returns a sentence that completes "`attribute` ..." so callers can name the attribute.

use std::time::Duration;

/// An AWS account id is exactly twelve ASCII digits.
pub fn account_id(value: &str) -> Result<(), String> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("{value:?} is not an AWS account id: it must be exactly 12 digits"))
    }
}

/// The longest `timeouts` value accepted. A wait longer than a day is a mistake, not a plan, and
/// the bound keeps every deadline far from `Instant`'s limits.
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

/// Go-style duration strings as Terraform users write them in `timeouts`: "45m", "1h30m", "90s".
/// At most [`MAX_DURATION`]; never panics, whatever the input.
pub fn duration(value: &str) -> Result<Duration, String> {
    let bad =
        || format!("{value:?} is not a duration: use a number with a unit h, m, s or ms, e.g. \"30m\" or \"1h30m\"");
    let too_long = || format!("{value:?} is longer than the maximum of 24h");
    let mut rest = value.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut seconds_total = 0.0_f64;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        if digits == 0 {
            return Err(bad());
        }
        let number: f64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let unit_seconds = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        seconds_total += number * unit_seconds;
        // Checked before any Duration is built: from_secs_f64 panics on huge or infinite values.
        if !seconds_total.is_finite() || seconds_total > MAX_DURATION.as_secs_f64() {
            return Err(too_long());
        }
    }
    let total = Duration::try_from_secs_f64(seconds_total).map_err(|_| bad())?;
    if total.is_zero() {
        return Err(format!("{value:?} must be longer than zero"));
    }
    Ok(total)
}

/// The partitions AWS has: an ARN naming any other cannot be assumed.
pub const PARTITIONS: &[&str] =
    &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// arn:PARTITION:iam::ACCOUNT:role/NAME
pub fn role_arn(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && PARTITIONS.contains(&parts[1])
        && parts[2] == "iam"
        && parts[3].is_empty()
        && account_id(parts[4]).is_ok()
        && parts[5].strip_prefix("role/").is_some_and(|name| !name.is_empty());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not an IAM role ARN: expected arn:PARTITION:iam::123456789012:role/NAME, with PARTITION one of {}",
            PARTITIONS.join(", ")
        ))
    }
}

/// The compass parts of Region names (`us-east-1`, `ap-southeast-3`, `il-central-1`).
const DIRECTIONS: &[&str] =
    &["central", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"];

/// The partition parts between the area and the direction: GovCloud (`us-gov-west-1`) and the
/// ISO partitions (`us-iso-east-1`, `us-isob-east-1`, `eu-isoe-west-1`, `us-isof-south-1`).
const PARTITION_PARTS: &[&str] = &["gov", "iso", "isob", "isoe", "isof"];

/// An AWS Region name: AREA[-PARTITION]-DIRECTION-N, AREA two letters (`cn` for China), or the
/// European Sovereign Cloud's `eusc-de-east-1`; N from 1 to 99.
pub fn region(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split('-').collect();
    let two_letters = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_lowercase());
    let number = |p: &str| (1..=2).contains(&p.len()) && !p.starts_with('0') && p.bytes().all(|b| b.is_ascii_digit());
    let ok = match parts.as_slice() {
        [area, direction, n] => two_letters(area) && DIRECTIONS.contains(direction) && number(n),
        [area, middle, direction, n] => {
            let middle_ok = if *area == "eusc" { two_letters(middle) } else { PARTITION_PARTS.contains(middle) };
            (two_letters(area) || *area == "eusc") && middle_ok && DIRECTIONS.contains(direction) && number(n)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not an AWS Region name: expected e.g. \"us-east-1\", \"us-gov-west-1\", \"cn-north-1\" or \"us-iso-east-1\""
        ))
    }
}

/// How many times the SDK retries a call: a whole number from 0 to 100.
pub fn max_retries(value: &crate::values::Number) -> Result<u32, String> {
    value
        .as_integer()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n <= 100)
        .ok_or_else(|| format!("{value} is not a whole number from 0 to 100"))
}

/// An STS role session name: 2 to 64 characters of letters, digits and +=,.@-_.
pub fn session_name(value: &str) -> Result<(), String> {
    let ok =
        (2..=64).contains(&value.len()) && value.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c));
    if ok {
        Ok(())
    } else {
        Err("must be 2 to 64 characters of letters, digits and +=,.@-_".into())
    }
}

/// An absolute http(s) URL with a host, as the SDK's endpoint override needs.
pub fn endpoint_url(value: &str) -> Result<(), String> {
    let err = || format!("{value:?} is not an endpoint URL: expected e.g. https://inspector2.us-east-1.amazonaws.com");
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://")).ok_or_else(err)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_only = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() {
            h
        } else {
            host
        }
    });
    if host_only.is_empty() || host.contains(char::is_whitespace) || host.contains('@') {
        return Err(err());
    }
    Ok(())
}

/// Security control ids look like "Inspector.2" or "S3.1".
pub fn control_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !b.is_empty()
                && b.chars().all(|c| c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(format!("{id:?} is not a Security Hub security control id such as \"Inspector.2\""))
    }
}

/// The optional `control_id` and `account_id` arguments of the Security Hub data source and
/// resource, each error naming its attribute.
pub fn control_and_account(
    diags: &mut tf_provider::Diagnostics,
    control: &tf_provider::value::Value<String>,
    account: &tf_provider::value::Value<String>,
) {
    use tf_provider::{value::Value, AttributePath};
    if let Value::Value(id) = control {
        if let Err(e) = control_id(id) {
            let detail = format!("control_id: {e}");
            crate::diag::attr_error(diags, AttributePath::new("control_id"), "Invalid control_id", detail);
        }
    }
    if let Value::Value(id) = account {
        if let Err(e) = account_id(id) {
            let detail = format!("account_id: {e}");
            crate::diag::attr_error(diags, AttributePath::new("account_id"), "Invalid account_id", detail);
        }
    }
}

/// The longest note Security Hub takes (`Note.Text`), in characters.
pub const MAX_NOTE: usize = 512;

/// Unicode's Default_Ignorable_Code_Point ranges (zero-width spaces and joiners, bidi controls,
/// fillers, variation selectors, tags) plus the blank braille pattern: characters that show
/// nothing, so a reason made only of them reads as empty.
const INVISIBLE: &[(char, char)] = &[
    ('\u{AD}', '\u{AD}'),
    ('\u{34F}', '\u{34F}'),
    ('\u{61C}', '\u{61C}'),
    ('\u{115F}', '\u{1160}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180F}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{206F}'),
    ('\u{2800}', '\u{2800}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFA0}', '\u{FFA0}'),
    ('\u{FFF0}', '\u{FFF8}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0000}', '\u{E0FFF}'),
];

/// Bidirectional embeddings, overrides and isolates: they reorder how the rest of a note is shown
/// ("Trojan Source"), so they are refused like control characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_visible(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !INVISIBLE.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

/// A suppression `reason`, written as the findings' note: at most [`MAX_NOTE`] characters, no
/// control character (NUL, ANSI escapes, newlines, bidi overrides: they garble consoles, logs and
/// exports), and at least one visible character.
pub fn reason(value: &str) -> Result<(), String> {
    let length = value.chars().count();
    if length > MAX_NOTE {
        return Err(format!("is {length} characters long: Security Hub notes hold at most {MAX_NOTE}"));
    }
    if let Some((at, c)) = value.chars().enumerate().find(|(_, c)| c.is_control() || is_bidi_control(*c)) {
        return Err(format!(
            "contains the control character U+{:04X} at character {}: write the reason as one line of plain text",
            u32::from(c),
            at + 1
        ));
    }
    if !value.chars().any(is_visible) {
        return Err(
            "has no visible character: say why the control is suppressed, e.g. \"Risk accepted: SEC-123\"".into()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids() {
        assert!(account_id("123456789012").is_ok());
        for bad in ["12345678901", "1234567890123", "12345678901a", "", " 23456789012", "１23456789012"] {
            let err = account_id(bad).unwrap_err();
            assert!(err.contains("12 digits"), "{err}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(duration("45m").unwrap(), Duration::from_secs(2700));
        assert_eq!(duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(duration("1.5h").unwrap(), Duration::from_secs(5400));
        assert_eq!(duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(duration("24h").unwrap(), MAX_DURATION);
        for bad in ["", "45", "m", "10 minutes", "-5m", "5d", "0s", ".", "1..5m"] {
            assert!(duration(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn durations_beyond_a_day_are_refused_without_panic() {
        for huge in ["24h1s", "25h", "99999999999999999999h", "3000000000000000h", "1e308h", "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000s"] {
            let err = duration(huge).unwrap_err();
            assert!(err.contains("24h") || err.contains("not a duration"), "{huge}: {err}");
        }
        assert!(duration("99999999999999999999h").unwrap_err().contains("maximum of 24h"));
    }

    #[test]
    fn role_arns() {
        assert!(role_arn("arn:aws:iam::123456789012:role/admin").is_ok());
        for partition in PARTITIONS {
            assert!(role_arn(&format!("arn:{partition}:iam::123456789012:role/path/admin")).is_ok(), "{partition}");
        }
        assert!(role_arn("arn:awsfoo:iam::123456789012:role/x").unwrap_err().contains("aws-us-gov"));
        for bad in [
            "admin",
            "arn:aws:iam::12345:role/x",
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:iam::123456789012:role/",
            "arn:awsfoo:iam::123456789012:role/x",
            "arn:aws-cnx:iam::123456789012:role/x",
        ] {
            assert!(role_arn(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn regions_retries_and_session_names() {
        for ok in [
            "eu-west-1",
            "us-east-1",
            "ap-southeast-3",
            "il-central-1",
            "mx-central-1",
            "ca-west-1",
            "ap-northeast-3",
            "us-gov-west-1",
            "us-gov-east-1",
            "cn-north-1",
            "cn-northwest-1",
            "us-iso-east-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "us-isof-south-1",
            "eusc-de-east-1",
            "us-east-12",
        ] {
            assert_eq!(region(ok), Ok(()), "{ok} refused");
        }
        for bad in [
            "",
            "US East",
            "eu_west_1",
            "US-EAST-1",
            "us-east",
            "us-east-0",
            "us-east-01",
            "us-east-100",
            "useast1",
            "us-up-1",
            "usa-east-1",
            "us-foo-east-1",
            "us-gov-west-1-",
            "-us-east-1",
            "us--east-1",
            "us-east-1a",
            "global",
            "aws-global",
        ] {
            assert!(region(bad).unwrap_err().contains("is not an AWS Region name"), "{bad} accepted");
        }
        use crate::values::Number;
        assert_eq!(max_retries(&Number::Integer(0)), Ok(0));
        assert_eq!(max_retries(&Number::Integer(100)), Ok(100));
        assert_eq!(max_retries(&Number::Float(3.0)), Ok(3));
        for bad in [
            Number::Integer(-1),
            Number::Integer(101),
            Number::Float(1.5),
            Number::Float(1e30),
            Number::Text("1000000000000000000000000000000".into()),
        ] {
            assert_eq!(max_retries(&bad), Err(format!("{bad} is not a whole number from 0 to 100")));
        }
        assert!(session_name("ci").is_ok() && session_name("a+=,.@-_9").is_ok());
        for bad in ["x", "has space", &"x".repeat(65)] {
            assert!(session_name(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn endpoint_urls() {
        for ok in ["http://127.0.0.1:4566", "https://inspector2.us-east-1.amazonaws.com/", "http://localhost"] {
            assert!(endpoint_url(ok).is_ok(), "{ok} rejected");
        }
        for bad in ["localhost:4566", "ftp://x", "http://", "http:///x", "not a url", "http://a b"] {
            assert!(endpoint_url(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn control_ids() {
        for ok in ["Inspector.2", "S3.1", "EC2.182", "Config-x.10"] {
            assert!(control_id(ok).is_ok(), "{ok} rejected");
        }
        for bad in [
            "",
            "Inspector",
            "Inspector.",
            ".2",
            "Inspector 2",
            "Inspector.2a",
            "Inspector.2/1",
            &format!("{}.1", "A".repeat(63)),
        ] {
            let err = control_id(bad).unwrap_err();
            assert!(err.contains("security control id"), "{bad}: {err}");
        }
    }

    #[test]
    fn bad_control_and_account_are_named() {
        use tf_provider::value::Value;
        let mut diags = tf_provider::Diagnostics::default();
        control_and_account(&mut diags, &Value::Value("Inspector 2".into()), &Value::Value("12".into()));
        assert_eq!(diags.errors.len(), 2);
        assert!(diags.errors[0].detail.starts_with("control_id:"));
        assert!(diags.errors[1].detail.starts_with("account_id:"));
        let mut diags = tf_provider::Diagnostics::default();
        control_and_account(&mut diags, &Value::Value("S3.1".into()), &Value::Unknown);
        assert!(diags.errors.is_empty());
    }

    #[test]
    fn reasons() {
        for ok in ["Risk accepted: SEC-1", "x", "été", "日本語の理由", " padded ", "a\u{200B}b", &"é".repeat(MAX_NOTE)]
        {
            assert_eq!(reason(ok), Ok(()), "{ok:?} refused");
        }
        let too_long = reason(&"x".repeat(MAX_NOTE + 1)).unwrap_err();
        assert_eq!(too_long, "is 513 characters long: Security Hub notes hold at most 512");
        for (bad, code, at) in [
            ("a\0b", "U+0000", 2),
            ("\u{1b}[31mred", "U+001B", 1),
            ("two\nlines", "U+000A", 4),
            ("tab\there", "U+0009", 4),
            ("x\u{7f}", "U+007F", 2),
            ("x\u{85}", "U+0085", 2),
            ("evil\u{202E}txt", "U+202E", 5),
            ("\u{2066}x", "U+2066", 1),
        ] {
            let err = reason(bad).unwrap_err();
            assert!(
                err.starts_with(&format!("contains the control character {code} at character {at}:")),
                "{bad:?}: {err}"
            );
        }
        for blank in [
            "",
            " ",
            "\u{3000}\u{a0}",
            "\u{200B}",
            "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}",
            "\u{3164}\u{2800}",
            "\u{E0041}",
        ] {
            assert!(reason(blank).unwrap_err().starts_with("has no visible character"), "{blank:?} accepted");
        }
    }

    /// Random strings, biased towards the characters the validators care about: none may panic,
    /// and whatever `duration` accepts is within (0, 24h]. The seed is printed to replay a failure.
    #[test]
    fn fuzz_validators_never_panic() {
        let seed =
            std::env::var("I2F_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
        println!("I2F_FUZZ_SEED={seed}");
        let mut rng = fastrand::Rng::with_seed(seed);
        let alphabet: Vec<char> = "0123456789.hms:/-_@ arnwsiamrole:e+\u{0}\u{1b}\u{200b}é１".chars().collect();
        let pieces =
            ["h", "m", "s", "ms", "arn:", "aws", ":iam::", "role/", "http://", "https://", "999999999999", "."];
        for _ in 0..20_000 {
            let mut input = String::new();
            for _ in 0..rng.usize(0..12) {
                if rng.bool() {
                    input.push_str(pieces[rng.usize(..pieces.len())]);
                } else {
                    input.push(alphabet[rng.usize(..alphabet.len())]);
                }
            }
            if let Ok(d) = duration(&input) {
                assert!(!d.is_zero() && d <= MAX_DURATION, "{input:?} gave {d:?}");
            }
            let _ = account_id(&input);
            let _ = role_arn(&input);
            let _ = endpoint_url(&input);
            let _ = control_id(&input);
            let _ = reason(&input);
            let _ = region(&input);
        }
    }
}

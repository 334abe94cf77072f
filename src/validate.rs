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
mod tests;

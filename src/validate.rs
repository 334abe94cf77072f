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

/// Go-style duration strings as Terraform users write them in `timeouts`: "45m", "1h30m", "90s".
pub fn duration(value: &str) -> Result<Duration, String> {
    let bad =
        || format!("{value:?} is not a duration: use a number with a unit h, m, s or ms, e.g. \"30m\" or \"1h30m\"");
    let mut rest = value.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        if digits == 0 {
            return Err(bad());
        }
        let number: f64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total += Duration::from_secs_f64(number * seconds);
    }
    if total.is_zero() {
        return Err(format!("{value:?} must be longer than zero"));
    }
    Ok(total)
}

/// arn:PARTITION:iam::ACCOUNT:role/NAME
pub fn role_arn(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && account_id(parts[4]).is_ok()
        && parts[5].strip_prefix("role/").is_some_and(|name| !name.is_empty());
    if ok {
        Ok(())
    } else {
        Err(format!("{value:?} is not an IAM role ARN: expected arn:aws:iam::123456789012:role/NAME"))
    }
}

/// An AWS Region name such as "us-east-1": lower-case letters, digits and dashes.
pub fn region(value: &str) -> Result<(), String> {
    let ok = !value.is_empty() && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!("{value:?} is not an AWS Region name such as \"us-east-1\""))
    }
}

/// How many times the SDK retries a call: 0 to 100.
pub fn max_retries(value: i64) -> Result<u32, String> {
    u32::try_from(value)
        .ok()
        .filter(|n| *n <= 100)
        .ok_or_else(|| format!("{value} is out of range: use a number from 0 to 100"))
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
        for bad in ["", "45", "m", "10 minutes", "-5m", "5d", "0s"] {
            assert!(duration(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn role_arns() {
        assert!(role_arn("arn:aws:iam::123456789012:role/admin").is_ok());
        assert!(role_arn("arn:aws-us-gov:iam::123456789012:role/path/admin").is_ok());
        for bad in [
            "admin",
            "arn:aws:iam::12345:role/x",
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:iam::123456789012:role/",
        ] {
            assert!(role_arn(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn regions_retries_and_session_names() {
        assert!(region("eu-west-1").is_ok());
        for bad in ["", "US East", "eu_west_1"] {
            assert!(region(bad).unwrap_err().contains("is not an AWS Region name"), "{bad} accepted");
        }
        assert_eq!(max_retries(0), Ok(0));
        assert_eq!(max_retries(100), Ok(100));
        for bad in [-1, 101] {
            assert!(max_retries(bad).unwrap_err().contains("out of range"), "{bad} accepted");
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
}

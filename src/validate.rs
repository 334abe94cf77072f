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
}

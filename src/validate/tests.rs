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
    let seed = std::env::var("I2F_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    println!("I2F_FUZZ_SEED={seed}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let alphabet: Vec<char> = "0123456789.hms:/-_@ arnwsiamrole:e+\u{0}\u{1b}\u{200b}é１".chars().collect();
    let pieces = ["h", "m", "s", "ms", "arn:", "aws", ":iam::", "role/", "http://", "https://", "999999999999", "."];
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

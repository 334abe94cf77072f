use super::*;

fn config(json: &str) -> ProviderConfig<'_> {
    serde_json::from_str(json).unwrap()
}

#[test]
fn bad_arguments_are_named() {
    let cases = [
        (r#"{"max_retries": -1}"#, "max_retries"),
        (r#"{"max_retries": 1.5}"#, "max_retries"),
        (r#"{"max_retries": "1000000000000000000000000000000"}"#, "max_retries"),
        (r#"{"region": "US East"}"#, "region"),
        (r#"{"assume_role": [{"role_arn": "admin"}]}"#, "assume_role.role_arn"),
        (r#"{"assume_role": [{"role_arn": null}]}"#, "assume_role.role_arn"),
        (r#"{"endpoints": [{"inspector2": "localhost:4566"}]}"#, "endpoints.inspector2"),
        (r#"{"endpoints": [{"sts": "ftp://x"}]}"#, "endpoints.sts"),
    ];
    for (json, name) in cases {
        let mut diags = Diagnostics::default();
        config(json).check(&mut diags);
        assert_eq!(diags.errors.len(), 1, "{json}");
        assert!(diags.errors[0].detail.starts_with(&format!("{name}:")), "{}", diags.errors[0].detail);
    }
}

#[test]
fn good_arguments_become_settings() {
    let c = config(
        r#"{"region": "eu-west-1", "max_retries": 0,
            "assume_role": [{"role_arn": "arn:aws:iam::111111111111:role/admin", "session_name": "ci", "external_id": null}],
            "endpoints": [{"inspector2": "http://127.0.0.1:1234", "securityhub": null, "sts": null}]}"#,
    );
    let mut diags = Diagnostics::default();
    c.check(&mut diags);
    assert!(diags.errors.is_empty());
    let s = c.settings();
    assert_eq!(s.region.as_deref(), Some("eu-west-1"));
    assert_eq!(s.max_retries, Some(0));
    assert_eq!(s.assume_role.unwrap().session_name.as_deref(), Some("ci"));
    assert_eq!(s.endpoints.inspector2.as_deref(), Some("http://127.0.0.1:1234"));
    assert!(!c.caller_unknown());
}

/// Serde's JSON form of an unknown value is the msgpack extension's shape; build configs with
/// Value::Unknown directly instead.
#[test]
fn unknown_caller_inputs_are_noticed() {
    let role = |arn: ValueString<'static>| AssumeRoleBlock { role_arn: arn, ..Default::default() };
    let known = ProviderConfig {
        assume_role: Value::Value(vec![role(Value::Value("arn:aws:iam::111111111111:role/a".into()))]),
        ..Default::default()
    };
    assert!(!known.caller_unknown());
    let cases = [
        ProviderConfig { assume_role: Value::Value(vec![role(Value::Unknown)]), ..Default::default() },
        ProviderConfig { assume_role: Value::Unknown, ..Default::default() },
        ProviderConfig { region: Value::Unknown, ..Default::default() },
        ProviderConfig { profile: Value::Unknown, ..Default::default() },
        ProviderConfig {
            endpoints: Value::Value(vec![EndpointsBlock { sts: Value::Unknown, ..Default::default() }]),
            ..Default::default()
        },
    ];
    for (i, c) in cases.iter().enumerate() {
        assert!(c.caller_unknown(), "case {i}");
    }
    let retries_only = ProviderConfig { max_retries: Value::Unknown, ..Default::default() };
    assert!(!retries_only.caller_unknown(), "max_retries does not change who the caller is");
}

#[tokio::test]
async fn configure_with_an_unknown_role_marks_the_shared_handle() {
    let provider = Inspector2FixProvider::default();
    let config = ProviderConfig {
        assume_role: Value::Value(vec![AssumeRoleBlock { role_arn: Value::Unknown, ..Default::default() }]),
        ..Default::default()
    };
    let mut diags = Diagnostics::default();
    assert_eq!(provider.configure(&mut diags, "1.11.0".into(), config).await, Some(()));
    assert!(diags.errors.is_empty());
    assert!(provider.shared.config_unknown());

    let provider = Inspector2FixProvider::default();
    provider.configure(&mut diags, "1.11.0".into(), ProviderConfig::default()).await;
    assert!(!provider.shared.config_unknown());
}

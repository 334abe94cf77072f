use std::io;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_inspector2::operation::enable::EnableError;
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::ErrorMetadata;

use super::*;

type EnableSdkError = SdkError<EnableError, HttpResponse>;

fn response(status: u16, request_id: Option<&str>) -> HttpResponse {
    let mut r = HttpResponse::new(StatusCode::try_from(status).expect("a valid status"), SdkBody::empty());
    if let Some(id) = request_id {
        r.headers_mut().insert("x-amzn-RequestId", id.to_owned());
    }
    r
}

fn meta(code: Option<&str>, message: Option<&str>) -> ErrorMetadata {
    let mut b = ErrorMetadata::builder();
    if let Some(c) = code {
        b = b.code(c);
    }
    if let Some(m) = message {
        b = b.message(m);
    }
    b.build()
}

fn service(status: u16, code: Option<&str>, message: Option<&str>) -> EnableSdkError {
    SdkError::service_error(EnableError::generic(meta(code, message)), response(status, Some("req-1")))
}

fn dispatch(source: impl StdError + Send + Sync + 'static, io: bool) -> EnableSdkError {
    let conn = if io { ConnectorError::io(Box::new(source)) } else { ConnectorError::other(Box::new(source), None) };
    SdkError::dispatch_failure(conn)
}

fn classify(err: &EnableSdkError) -> AwsError {
    ErrorContext::default().error("Enable", err)
}

#[test]
fn throttling_5xx_refused_and_timeouts_are_retryable() {
    for err in [
        service(429, Some("ThrottlingException"), Some("slow down")),
        service(400, Some("Throttling"), Some("Rate exceeded")),
        service(500, Some("InternalServerException"), None),
        service(503, None, None),
        dispatch(io::Error::from(io::ErrorKind::ConnectionRefused), true),
        dispatch(io::Error::from(io::ErrorKind::ConnectionReset), true),
        SdkError::timeout_error("attempt timeout"),
    ] {
        assert_eq!(classify(&err).class, ErrorClass::Retryable, "{}", classify(&err));
    }
}

#[test]
fn credentials_config_4xx_construction_and_dns_are_final() {
    let not_loaded = CredentialsError::not_loaded("no providers in chain provided credentials");
    for err in [
        service(403, Some("AccessDeniedException"), Some("denied")),
        service(400, Some("ValidationException"), Some("bad")),
        service(404, None, None),
        dispatch(not_loaded, false),
        dispatch(io::Error::other("dns error: failed to lookup address information"), true),
        SdkError::construction_failure("invalid region"),
    ] {
        assert_eq!(classify(&err).class, ErrorClass::Final, "{}", classify(&err));
    }
}

#[test]
fn service_errors_carry_code_message_and_request_id() {
    let e = classify(&service(403, Some("AccessDeniedException"), Some("not allowed")));
    assert_eq!(e.to_string(), "Enable: AccessDeniedException: not allowed (RequestId: req-1)");
}

#[test]
fn an_html_404_is_plain_text_with_a_hint() {
    let e = classify(&service(404, None, Some("<html><body><h1>404 Not Found</h1></body></html>")));
    let text = e.to_string();
    assert!(text.starts_with("Enable: HTTP 404 without an AWS error code (RequestId: req-1) (hint: "), "{text}");
    assert!(!text.contains('<'), "{text}");
}

#[test]
fn no_credentials_names_the_places_looked_at_and_the_profile() {
    let ctx = ErrorContext { profile: Some("ops".into()), role_arn: None };
    let err = dispatch(CredentialsError::not_loaded("no providers"), false);
    let e = ctx.error("Enable", &err);
    let text = e.to_string();
    assert!(text.contains("no AWS credentials found (profile \"ops\")"), "{text}");
    for place in ["AWS_ACCESS_KEY_ID", "AWS_SHARED_CREDENTIALS_FILE", "EC2 instance metadata"] {
        assert!(text.contains(place), "{text}");
    }
}

#[test]
fn a_denied_assume_role_names_the_role_and_the_trust_policy() {
    let role = "arn:aws:iam::111111111111:role/deploy";
    let ctx = ErrorContext { profile: None, role_arn: Some(role.into()) };
    let sts: SdkError<AssumeRoleError, HttpResponse> = SdkError::service_error(
        AssumeRoleError::generic(meta(Some("AccessDenied"), Some("User: u is not authorized"))),
        response(403, Some("sts-9")),
    );
    let err = dispatch(CredentialsError::provider_error(sts), false);
    let e = ctx.error("Enable", &err);
    assert_eq!(e.class, ErrorClass::Final);
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "Enable: AccessDenied: could not assume role {role}: User: u is not authorized (RequestId: sts-9)"
        )),
        "{text}"
    );
    assert!(text.contains("check its trust policy"), "{text}");
}

#[test]
fn cause_text_has_no_debug_dump() {
    let err = dispatch(io::Error::from(io::ErrorKind::ConnectionRefused), true);
    let text = classify(&err).to_string();
    assert!(!text.contains("DispatchFailure") && !text.contains('{'), "{text}");
    assert!(text.starts_with("Enable: could not reach the endpoint"), "{text}");
}

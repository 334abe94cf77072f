use aws_sdk_securityhub::types::{ControlStatus, UnprocessedErrorCode};

use super::*;

const ID: &str = "Inspector.2";

fn unprocessed(code: UnprocessedErrorCode) -> UnprocessedSecurityControl {
    UnprocessedSecurityControl::builder().security_control_id(ID).error_code(code).error_reason("why").build()
}

#[test]
fn a_control_left_unprocessed_for_a_refusal_is_an_error_never_an_unknown_control() {
    let e = answered_control(ID, &[], &[unprocessed(UnprocessedErrorCode::AccessDenied)]).expect_err("refused");
    assert_eq!(
        (e.operation, e.code.as_deref(), e.class),
        ("BatchGetSecurityControls", Some("ACCESS_DENIED"), ErrorClass::Final)
    );
    assert_eq!(e.message, "Inspector.2: why");
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("securityhub:BatchGetSecurityControls")), "{e}");
    let e = answered_control(ID, &[], &[unprocessed(UnprocessedErrorCode::LimitExceeded)]).expect_err("throttled");
    assert_eq!((e.code.as_deref(), e.class), (Some("LIMIT_EXCEEDED"), ErrorClass::Retryable));
}

#[test]
fn only_not_found_or_no_mention_makes_the_control_unknown() {
    for code in
        [UnprocessedErrorCode::NotFound, UnprocessedErrorCode::ResourceNotFound, UnprocessedErrorCode::InvalidInput]
    {
        assert_eq!(answered_control(ID, &[], &[unprocessed(code.clone())]), Ok(None), "{code:?}");
    }
    assert_eq!(answered_control(ID, &[], &[]), Ok(None));
    let found = SecurityControl::builder()
        .security_control_id(ID)
        .title("t")
        .security_control_status(ControlStatus::Enabled)
        .build();
    let answer = answered_control(ID, &[found], &[unprocessed(UnprocessedErrorCode::AccessDenied)]);
    assert!(matches!(answer, Ok(Some(_))), "{answer:?}");
}

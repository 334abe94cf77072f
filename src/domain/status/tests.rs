use super::*;

fn failure(account: &str, code: &str, status: Option<&str>) -> FailedAccount {
    FailedAccount {
        account_id: account.into(),
        account_status: status.map(InspectorStatus::from_wire),
        error_code: ErrorCode::from_wire(code),
        error_message: "m".into(),
    }
}

/// progress() on statuses as AWS writes them; "" is a status the answer did not carry.
fn progress(direction: Direction, account: &str, ecr: &str) -> Progress {
    let account = (!account.is_empty()).then(|| InspectorStatus::from_wire(account));
    let ecr = (!ecr.is_empty()).then(|| InspectorStatus::from_wire(ecr));
    super::progress(direction, account.as_ref(), ecr.as_ref())
}

fn is_on(ecr: &str) -> bool {
    super::is_on(&InspectorStatus::from_wire(ecr))
}

fn is_transient(code: &str) -> bool {
    super::is_transient(&ErrorCode::from_wire(code))
}

#[test]
fn enable_is_judged_by_ecr_state_not_account_state() {
    // The trap: account ENABLED while ECR is not yet.
    assert_eq!(progress(Direction::Enable, "ENABLED", "ENABLING"), Progress::InProgress);
    assert_eq!(progress(Direction::Enable, "ENABLED", "DISABLED"), Progress::NotStarted);
    assert_eq!(progress(Direction::Enable, "ENABLING", "ENABLED"), Progress::Done);
    assert_eq!(progress(Direction::Enable, "ENABLED", "ENABLED"), Progress::Done);
    assert!(matches!(progress(Direction::Enable, "SUSPENDED", "DISABLED"), Progress::Blocked { .. }));
}

#[test]
fn disable_progress() {
    assert_eq!(progress(Direction::Disable, "ENABLED", "DISABLED"), Progress::Done);
    assert_eq!(progress(Direction::Disable, "ENABLED", "DISABLING"), Progress::InProgress);
    assert_eq!(progress(Direction::Disable, "ENABLED", "ENABLED"), Progress::NotStarted);
    // Suspension does not block turning scanning off.
    assert_eq!(progress(Direction::Disable, "SUSPENDED", "DISABLED"), Progress::Done);
}

#[test]
fn a_status_aws_adds_later_is_waited_on_not_fatal() {
    assert_eq!(progress(Direction::Enable, "ENABLED", "PAUSED"), Progress::InProgress);
    assert_eq!(progress(Direction::Disable, "ENABLED", "PAUSED"), Progress::InProgress);
    // Not reported at all: an Enable may not have taken yet.
    assert_eq!(progress(Direction::Enable, "", ""), Progress::NotStarted);
}

#[test]
fn on_means_enabled_or_enabling() {
    assert!(is_on("ENABLED") && is_on("ENABLING"));
    assert!(!is_on("DISABLED") && !is_on("DISABLING") && !is_on("SUSPENDED") && !is_on(""));
}

#[test]
fn transient_codes() {
    for code in [
        "ENABLE_IN_PROGRESS",
        "DISABLE_IN_PROGRESS",
        "SUSPEND_IN_PROGRESS",
        "SSM_THROTTLED",
        "EVENTBRIDGE_THROTTLED",
        "INTERNAL_ERROR",
    ] {
        assert!(is_transient(code), "{code}");
    }
    for code in ["ACCESS_DENIED", "ALREADY_ENABLED", "RESOURCE_NOT_FOUND", "BLOCKED_BY_ORGANIZATION_POLICY"] {
        assert!(!is_transient(code), "{code}");
    }
}

#[test]
fn hints_name_the_way_out() {
    let h = hint(Direction::Enable, &failure("222222222222", "ACCESS_DENIED", None), Some("111111111111")).unwrap();
    assert!(h.contains("delegated Inspector administrator"));
    let h = hint(Direction::Enable, &failure("222222222222", "ACCESS_DENIED", Some("SUSPENDED")), Some("111111111111"))
        .unwrap();
    assert!(h.contains("suspended"));
    assert!(
        hint(Direction::Enable, &failure("111111111111", "RESOURCE_NOT_FOUND", None), Some("111111111111")).is_none()
    );
}

//! How Inspector's statuses and error codes are read: what is done, in progress, retryable or final.

use crate::aws::{AwsError, FailedAccount};

/// Which way an account's ECR scanning is being moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Enable,
    Disable,
}

impl Direction {
    pub fn target(self) -> &'static str {
        match self {
            Direction::Enable => "ENABLED",
            Direction::Disable => "DISABLED",
        }
    }
}

/// Where one account stands after a status read, judged by its ECR state (not the account
/// state: an account can read ENABLED while ECR is still ENABLING).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    Done,
    InProgress,
    /// Settled in the opposite state: the request may not have taken; ask again if it stays so.
    NotStarted,
    /// The account cannot get there (e.g. suspended).
    Blocked {
        code: String,
        message: String,
    },
}

pub fn progress(direction: Direction, account_status: &str, ecr_status: &str) -> Progress {
    if direction == Direction::Enable && account_status == "SUSPENDED" && ecr_status != "ENABLED" {
        return Progress::Blocked { code: "SUSPENDED".into(), message: "the account is suspended in Inspector".into() };
    }
    match (direction, ecr_status) {
        (Direction::Enable, "ENABLED") | (Direction::Disable, "DISABLED") => Progress::Done,
        (Direction::Enable, "ENABLING") | (Direction::Disable, "DISABLING") => Progress::InProgress,
        (Direction::Enable, "DISABLED" | "DISABLING" | "") => Progress::NotStarted,
        (Direction::Disable, "ENABLED" | "ENABLING") => Progress::NotStarted,
        // SUSPENDING / SUSPENDED: the account is being suspended; only time changes that.
        _ => Progress::InProgress,
    }
}

/// True when whether ECR scanning counts as on for drift detection: ENABLED or on its way there.
pub fn is_on(ecr_status: &str) -> bool {
    matches!(ecr_status, "ENABLED" | "ENABLING")
}

/// failedAccounts codes that clear by themselves, so the call is repeated within the timeout.
pub fn is_transient(code: &str) -> bool {
    matches!(
        code,
        "ENABLE_IN_PROGRESS"
            | "DISABLE_IN_PROGRESS"
            | "SUSPEND_IN_PROGRESS"
            | "SSM_THROTTLED"
            | "EVENTBRIDGE_THROTTLED"
            | "INTERNAL_ERROR"
    )
}

/// A failed call whose cause will not pass by waiting (denied, invalid, unknown), as opposed to
/// throttling and server errors that outlasted the SDK's retries.
pub fn is_permanent(e: &AwsError) -> bool {
    match e.code.as_deref() {
        None => false,
        Some(code) => !matches!(
            code,
            "ThrottlingException"
                | "TooManyRequestsException"
                | "InternalServerException"
                | "ServiceUnavailableException"
                | "RequestTimeout"
        ),
    }
}

/// A next step for the user, where the code alone does not tell them.
pub fn hint(direction: Direction, failure: &FailedAccount, caller: Option<&str>) -> Option<&'static str> {
    let member = caller.is_some_and(|c| c != failure.account_id);
    if failure.account_status.as_deref() == Some("SUSPENDED") || failure.error_code == "SUSPENDED" {
        return Some(
            "a suspended account blocks enablement: reactivate it (or remove it from account_ids) and apply again",
        );
    }
    match (failure.error_code.as_str(), member) {
        ("ACCESS_DENIED", true) => Some(
            "only the delegated Inspector administrator can change member accounts: run with the administrator's credentials and check the account is an associated member",
        ),
        ("ACCESS_DENIED", false) => Some(match direction {
            Direction::Enable => "check the IAM permissions inspector2:Enable and iam:CreateServiceLinkedRole, and that ECR scanning is available in this Region; a member account cannot change itself, its delegated administrator must",
            Direction::Disable => "check the IAM permission inspector2:Disable; a member account cannot change itself, its delegated administrator must",
        }),
        ("BLOCKED_BY_ORGANIZATION_POLICY", _) => Some("an AWS Organizations policy (SCP) denies this: ask the organization's administrators"),
        ("RESOURCE_SCAN_NOT_DISABLED" | "DISASSOCIATE_ALL_MEMBERS", _) => Some(
            "the delegated administrator's last scan type cannot be disabled while it has members: disassociate the members first, or set disable_on_destroy = false and apply before destroying",
        ),
        ("ACCOUNT_IS_ISOLATED", _) => Some("the account is isolated: contact AWS Support"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(account: &str, code: &str, status: Option<&str>) -> FailedAccount {
        FailedAccount {
            account_id: account.into(),
            account_status: status.map(Into::into),
            error_code: code.into(),
            error_message: "m".into(),
        }
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
        let h =
            hint(Direction::Enable, &failure("222222222222", "ACCESS_DENIED", Some("SUSPENDED")), Some("111111111111"))
                .unwrap();
        assert!(h.contains("suspended"));
        assert!(hint(Direction::Enable, &failure("111111111111", "RESOURCE_NOT_FOUND", None), Some("111111111111"))
            .is_none());
    }
}

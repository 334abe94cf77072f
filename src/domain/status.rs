//! How Inspector's statuses and error codes are read: what is done, in progress, retryable or final.

use crate::aws::{ErrorCode, FailedAccount, InspectorStatus};

/// Which way an account's ECR scanning is being moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Enable,
    Disable,
}

impl Direction {
    /// The ECR status that means done.
    pub fn target(self) -> InspectorStatus {
        match self {
            Direction::Enable => InspectorStatus::Enabled,
            Direction::Disable => InspectorStatus::Disabled,
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
        code: &'static str,
        message: &'static str,
        hint: &'static str,
    },
}

const SUSPENDED_HINT: &str =
    "a suspended account blocks enablement: reactivate it (or remove it from account_ids) and apply again";

/// `None` stands for a status the answer did not carry.
pub fn progress(direction: Direction, account: Option<&InspectorStatus>, ecr: Option<&InspectorStatus>) -> Progress {
    use InspectorStatus::{Disabled, Disabling, Enabled, Enabling};
    if direction == Direction::Enable && account == Some(&InspectorStatus::Suspended) && ecr != Some(&Enabled) {
        return Progress::Blocked {
            code: "SUSPENDED",
            message: "the account is suspended in Inspector",
            hint: SUSPENDED_HINT,
        };
    }
    match (direction, ecr) {
        (Direction::Enable, Some(Enabled)) | (Direction::Disable, Some(Disabled)) => Progress::Done,
        (Direction::Enable, Some(Enabling)) | (Direction::Disable, Some(Disabling)) => Progress::InProgress,
        (Direction::Enable, Some(Disabled | Disabling) | None) => Progress::NotStarted,
        (Direction::Disable, Some(Enabled | Enabling)) => Progress::NotStarted,
        // SUSPENDING / SUSPENDED: the account is being suspended; only time changes that.
        _ => Progress::InProgress,
    }
}

/// True when ECR scanning counts as on for drift detection: ENABLED or on its way there.
pub fn is_on(ecr: &InspectorStatus) -> bool {
    matches!(ecr, InspectorStatus::Enabled | InspectorStatus::Enabling)
}

/// failedAccounts codes that clear by themselves, so the call is repeated within the timeout.
pub fn is_transient(code: &ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::EnableInProgress
            | ErrorCode::DisableInProgress
            | ErrorCode::SuspendInProgress
            | ErrorCode::SsmThrottled
            | ErrorCode::EventbridgeThrottled
            | ErrorCode::InternalError
    )
}

/// A next step for the user, where the code alone does not tell them.
pub fn hint(direction: Direction, failure: &FailedAccount, caller: Option<&str>) -> Option<&'static str> {
    let member = caller.is_some_and(|c| c != failure.account_id);
    if failure.account_status == Some(InspectorStatus::Suspended) {
        return Some(SUSPENDED_HINT);
    }
    match (&failure.error_code, member) {
        (ErrorCode::AccessDenied, true) => Some(
            "only the delegated Inspector administrator can change member accounts: run with the administrator's credentials and check the account is an associated member",
        ),
        (ErrorCode::AccessDenied, false) => Some(match direction {
            Direction::Enable => "check the IAM permissions inspector2:Enable and iam:CreateServiceLinkedRole, and that ECR scanning is available in this Region; a member account cannot change itself, its delegated administrator must",
            Direction::Disable => "check the IAM permission inspector2:Disable; a member account cannot change itself, its delegated administrator must",
        }),
        (ErrorCode::BlockedByOrganizationPolicy, _) => Some("an AWS Organizations policy (SCP) denies this: ask the organization's administrators"),
        (ErrorCode::ResourceScanNotDisabled | ErrorCode::DisassociateAllMembers, _) => Some(
            "the delegated administrator's last scan type cannot be disabled while it has members: disassociate the members first, or set disable_on_destroy = false and apply before destroying",
        ),
        (ErrorCode::AccountIsIsolated, _) => Some("the account is isolated: contact AWS Support"),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

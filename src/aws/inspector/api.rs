//! The AWS boundary: everything the provider needs from AWS, as one async trait.
//!
//! Resource logic talks only to [`InspectorApi`], so it can be unit-tested against an
//! in-memory fake and the SDK types never leak past `aws::sdk`.

use async_trait::async_trait;

use super::organization::{AutoEnable, Member, MembersPage, OrganizationConfiguration};
use crate::aws::wire::wire_enum;
use crate::aws::AwsError;

wire_enum! {
    /// Inspector's status of a whole account.
    pub enum AccountStatus {
        Enabling = "ENABLING",
        Enabled = "ENABLED",
        Disabling = "DISABLING",
        Disabled = "DISABLED",
        Suspending = "SUSPENDING",
        Suspended = "SUSPENDED",
    }
}

wire_enum! {
    /// Inspector's status of ECR scanning in one account.
    pub enum EcrStatus {
        Enabling = "ENABLING",
        Enabled = "ENABLED",
        Disabling = "DISABLING",
        Disabled = "DISABLED",
        Suspending = "SUSPENDING",
        Suspended = "SUSPENDED",
    }
}

wire_enum! {
    /// Why Inspector refused or could not process an account (`failedAccounts[].errorCode`).
    pub enum ErrorCode {
        AlreadyEnabled = "ALREADY_ENABLED",
        EnableInProgress = "ENABLE_IN_PROGRESS",
        DisableInProgress = "DISABLE_IN_PROGRESS",
        SuspendInProgress = "SUSPEND_IN_PROGRESS",
        ResourceNotFound = "RESOURCE_NOT_FOUND",
        AccessDenied = "ACCESS_DENIED",
        InternalError = "INTERNAL_ERROR",
        SsmUnavailable = "SSM_UNAVAILABLE",
        SsmThrottled = "SSM_THROTTLED",
        EventbridgeUnavailable = "EVENTBRIDGE_UNAVAILABLE",
        EventbridgeThrottled = "EVENTBRIDGE_THROTTLED",
        ResourceScanNotDisabled = "RESOURCE_SCAN_NOT_DISABLED",
        DisassociateAllMembers = "DISASSOCIATE_ALL_MEMBERS",
        AccountIsIsolated = "ACCOUNT_IS_ISOLATED",
        Ec2SsmResourceDataSyncLimitExceeded = "EC2_SSM_RESOURCE_DATA_SYNC_LIMIT_EXCEEDED",
        Ec2SsmAssociationVersionLimitExceeded = "EC2_SSM_ASSOCIATION_VERSION_LIMIT_EXCEEDED",
        BlockedByOrganizationPolicy = "BLOCKED_BY_ORGANIZATION_POLICY",
    }
}

/// ECR scanning as reported for one account by Enable, Disable or BatchGetAccountStatus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountEcr {
    pub account_id: String,
    /// Inspector's status of the whole account; None when the answer carried none.
    pub account_status: Option<AccountStatus>,
    /// Inspector's status of ECR scanning in that account; None when the answer carried none.
    pub ecr_status: Option<EcrStatus>,
}

/// An account Inspector refused or could not process, as listed in `failedAccounts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedAccount {
    pub account_id: String,
    pub account_status: Option<AccountStatus>,
    pub error_code: ErrorCode,
    pub error_message: String,
}

/// The answer of one batch call: per-account results and per-account failures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub accounts: Vec<AccountEcr>,
    pub failed: Vec<FailedAccount>,
}

#[async_trait]
pub trait InspectorApi: Send + Sync {
    /// The account the provider's credentials belong to (STS GetCallerIdentity).
    async fn caller_account(&self) -> Result<String, AwsError>;
    /// Inspector2 Enable with resourceTypes = `["ECR"]` for at most 100 accounts.
    async fn enable_ecr(&self, account_ids: &[String], client_token: &str) -> Result<BatchOutcome, AwsError>;
    /// Inspector2 Disable with resourceTypes = `["ECR"]` for at most 100 accounts.
    async fn disable_ecr(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError>;
    /// Inspector2 BatchGetAccountStatus for at most 100 accounts.
    async fn account_status(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError>;
    /// Inspector2 GetConfiguration: the caller's ECR rescan settings (ecrConfiguration only).
    async fn ecr_rescan_configuration(&self) -> Result<EcrRescanConfig, AwsError>;
    /// Inspector2 UpdateConfiguration with `ecrConfiguration` only; `rescan_duration` must be set.
    async fn update_ecr_rescan_configuration(&self, config: &EcrRescanConfig) -> Result<(), AwsError>;
    /// Inspector2 ListMembers, one page of at most 50 (`onlyAssociated` as given).
    async fn list_members(&self, only_associated: bool, next_token: Option<String>) -> Result<MembersPage, AwsError>;
    /// Inspector2 GetMember.
    async fn get_member(&self, account_id: &str) -> Result<Member, AwsError>;
    /// Inspector2 AssociateMember: one account; the relationship becomes ENABLED later.
    async fn associate_member(&self, account_id: &str) -> Result<(), AwsError>;
    /// Inspector2 DescribeOrganizationConfiguration.
    async fn organization_configuration(&self) -> Result<OrganizationConfiguration, AwsError>;
    /// Inspector2 UpdateOrganizationConfiguration with every flag given; returns AWS's answer.
    async fn update_organization_configuration(&self, auto_enable: &AutoEnable) -> Result<AutoEnable, AwsError>;
}

/// The three ECR rescan settings. `None` means "not managed" in a desired setting, and "not
/// reported" in one read from AWS.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EcrRescanConfig {
    /// Push-date duration: LIFETIME, DAYS_3 ... DAYS_180.
    pub rescan_duration: Option<String>,
    /// Pull-date duration: DAYS_3 ... DAYS_180.
    pub pull_date_rescan_duration: Option<String>,
    /// LAST_PULL_DATE or LAST_IN_USE_AT.
    pub pull_date_rescan_mode: Option<String>,
}

//! Inspector's traits at the boundary: the narrow traits the domain takes (caller, ECR scanning,
//! rescan settings, members, organization configuration), `InspectorApi` over all of them,
//! `DelegatedAdminApi` (the management account's delegated-administrator calls, apart from
//! `InspectorApi`), and the typed answers. Domain code can be unit-tested against in-memory fakes,
//! and SDK types never leak past `aws::inspector::sdk`.

use async_trait::async_trait;

use super::organization::{AutoEnable, Member, MembersPage, OrganizationConfiguration, RelationshipStatus};
use crate::aws::wire::wire_enum;
use crate::aws::AwsError;

wire_enum! {
    /// Inspector's status of a whole account, or of one scan type in it (AWS's one `Status` enum).
    pub enum InspectorStatus {
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
    pub account_status: Option<InspectorStatus>,
    /// Inspector's status of ECR scanning in that account; None when the answer carried none.
    pub ecr_status: Option<InspectorStatus>,
}

/// An account Inspector refused or could not process, as listed in `failedAccounts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedAccount {
    pub account_id: String,
    pub account_status: Option<InspectorStatus>,
    pub error_code: ErrorCode,
    pub error_message: String,
}

/// The answer of one batch call: per-account results and per-account failures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub accounts: Vec<AccountEcr>,
    pub failed: Vec<FailedAccount>,
}

/// The account the provider's credentials belong to.
#[async_trait]
pub trait CallerApi: Send + Sync {
    /// STS GetCallerIdentity.
    async fn caller_account(&self) -> Result<String, AwsError>;
}

/// ECR scanning per account: the only scan type this provider turns on or off.
#[async_trait]
pub trait EcrScanningApi: Send + Sync {
    /// Inspector2 Enable with resourceTypes = `["ECR"]` for at most 100 accounts.
    async fn enable_ecr(&self, account_ids: &[String], client_token: &str) -> Result<BatchOutcome, AwsError>;
    /// Inspector2 Disable with resourceTypes = `["ECR"]` for at most 100 accounts.
    async fn disable_ecr(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError>;
    /// Inspector2 BatchGetAccountStatus for at most 100 accounts.
    async fn account_status(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError>;
}

/// The caller's ECR rescan settings.
#[async_trait]
pub trait RescanConfigurationApi: Send + Sync {
    /// Inspector2 GetConfiguration: the caller's ECR rescan settings (ecrConfiguration only).
    async fn ecr_rescan_configuration(&self) -> Result<EcrRescanConfig, AwsError>;
    /// Inspector2 UpdateConfiguration with `ecrConfiguration` only; `rescan_duration` must be set.
    async fn update_ecr_rescan_configuration(&self, config: &EcrRescanConfig) -> Result<(), AwsError>;
}

/// The delegated administrator's member accounts. There is no DisassociateMember: associating is
/// additive, and no path can undo it.
#[async_trait]
pub trait MembersApi: Send + Sync {
    /// Inspector2 ListMembers, one page of at most 50 (`onlyAssociated` as given).
    async fn list_members(&self, only_associated: bool, next_token: Option<String>) -> Result<MembersPage, AwsError>;
    /// Inspector2 GetMember.
    async fn get_member(&self, account_id: &str) -> Result<Member, AwsError>;
    /// Inspector2 AssociateMember: one account; the relationship becomes ENABLED later.
    async fn associate_member(&self, account_id: &str) -> Result<(), AwsError>;
}

/// The organization's auto-enable settings, as its delegated administrator sees them.
#[async_trait]
pub trait OrganizationConfigurationApi: Send + Sync {
    /// Inspector2 DescribeOrganizationConfiguration.
    async fn organization_configuration(&self) -> Result<OrganizationConfiguration, AwsError>;
    /// Inspector2 UpdateOrganizationConfiguration with every flag given; returns AWS's answer.
    async fn update_organization_configuration(&self, auto_enable: &AutoEnable) -> Result<AutoEnable, AwsError>;
}

/// All of Inspector that the provider uses, as one client holds it. Domain code takes the narrow
/// trait it needs (a `&dyn InspectorApi` coerces to any of them), so a test's fake implements only
/// what its test calls.
pub trait InspectorApi:
    CallerApi + EcrScanningApi + RescanConfigurationApi + MembersApi + OrganizationConfigurationApi
{
}

impl<T> InspectorApi for T where
    T: CallerApi + EcrScanningApi + RescanConfigurationApi + MembersApi + OrganizationConfigurationApi
{
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

wire_enum! {
    /// A delegated administrator's status as ListDelegatedAdminAccounts reports it.
    pub enum DelegatedAdminStatus {
        Enabled = "ENABLED",
        DisableInProgress = "DISABLE_IN_PROGRESS",
    }
}

/// The organization's Inspector delegated administrator as GetDelegatedAdminAccount reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegatedAdmin {
    pub account_id: String,
    /// None when the answer carried none.
    pub relationship_status: Option<RelationshipStatus>,
}

/// One entry of ListDelegatedAdminAccounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegatedAdminAccount {
    pub account_id: String,
    /// None when the answer carried none.
    pub status: Option<DelegatedAdminStatus>,
}

/// One page of ListDelegatedAdminAccounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DelegatedAdminPage {
    pub accounts: Vec<DelegatedAdminAccount>,
    pub next_token: Option<String>,
}

/// Inspector's delegated-administrator calls, which only the AWS Organizations management account
/// may make, in the Region of the client.
#[async_trait]
pub trait DelegatedAdminApi: Send + Sync {
    /// EnableDelegatedAdminAccount; the account becomes administrator asynchronously.
    async fn enable_delegated_admin(&self, account_id: &str, client_token: &str) -> Result<(), AwsError>;
    /// DisableDelegatedAdminAccount; the account stops being administrator asynchronously.
    async fn disable_delegated_admin(&self, account_id: &str) -> Result<(), AwsError>;
    /// GetDelegatedAdminAccount: None when the answer names no administrator.
    async fn delegated_admin(&self) -> Result<Option<DelegatedAdmin>, AwsError>;
    /// ListDelegatedAdminAccounts, one page.
    async fn delegated_admins_page(&self, next_token: Option<String>) -> Result<DelegatedAdminPage, AwsError>;
}

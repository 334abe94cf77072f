//! The AWS boundary: everything the provider needs from AWS, as one async trait.
//!
//! Resource logic talks only to [`InspectorApi`], so it can be unit-tested against an
//! in-memory fake and the SDK types never leak past `aws::sdk`.

use async_trait::async_trait;

/// ECR scanning as reported for one account by Enable, Disable or BatchGetAccountStatus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountEcr {
    pub account_id: String,
    /// Inspector's status of the whole account (ENABLED, SUSPENDED, ...).
    pub account_status: String,
    /// Inspector's status of ECR scanning in that account.
    pub ecr_status: String,
}

/// An account Inspector refused or could not process, as listed in `failedAccounts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedAccount {
    pub account_id: String,
    pub account_status: Option<String>,
    pub error_code: String,
    pub error_message: String,
}

/// The answer of one batch call: per-account results and per-account failures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub accounts: Vec<AccountEcr>,
    pub failed: Vec<FailedAccount>,
}

/// A failed API call (as opposed to a failed account inside a successful call).
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("{operation}: {message}")]
pub struct AwsError {
    pub operation: &'static str,
    /// Service error code when there is one (AccessDeniedException, ValidationException, ...).
    pub code: Option<String>,
    /// Human-readable cause, already free of debug dumps.
    pub message: String,
}

#[async_trait]
pub trait InspectorApi: Send + Sync {
    /// The account the provider's credentials belong to (STS GetCallerIdentity).
    async fn caller_account(&self) -> Result<String, AwsError>;
    /// Inspector2 Enable with resourceTypes = [ECR] for at most 100 accounts.
    async fn enable_ecr(&self, account_ids: &[String], client_token: &str) -> Result<BatchOutcome, AwsError>;
    /// Inspector2 Disable with resourceTypes = [ECR] for at most 100 accounts.
    async fn disable_ecr(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError>;
    /// Inspector2 BatchGetAccountStatus for at most 100 accounts.
    async fn account_status(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError>;
    /// Inspector2 GetConfiguration: the caller's ECR rescan settings (ecrConfiguration only).
    async fn ecr_rescan_configuration(&self) -> Result<crate::rescan::EcrRescanConfig, AwsError>;
    /// Inspector2 UpdateConfiguration with `ecrConfiguration` only; `rescan_duration` must be set.
    async fn update_ecr_rescan_configuration(&self, config: &crate::rescan::EcrRescanConfig) -> Result<(), AwsError>;
}

/// A Security Hub security control (BatchGetSecurityControls).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub remediation_url: String,
    /// ENABLED / DISABLED: whether the control is enabled, not whether it passes.
    pub status: String,
}

/// The parts of an AwsSecurityFinding the provider uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Finding {
    pub id: String,
    pub product_arn: String,
    pub account_id: String,
    pub region: String,
    pub resource_id: String,
    pub compliance_status: String,
    pub workflow_status: String,
    pub record_state: String,
    pub updated_at: String,
    pub note_text: Option<String>,
    pub note_updated_by: Option<String>,
}

/// Which findings to list: ACTIVE findings of one control, optionally of one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingQuery {
    pub control_id: String,
    pub account_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingsPage {
    pub findings: Vec<Finding>,
    pub next_token: Option<String>,
}

/// What BatchUpdateFindings changes on each finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingUpdate {
    pub workflow_status: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateOutcome {
    pub processed: Vec<String>,
    /// (finding id, error code, error message)
    pub unprocessed: Vec<(String, String, String)>,
}

#[async_trait]
pub trait SecurityHubApi: Send + Sync {
    /// The control, or None when Security Hub does not know the id.
    async fn control(&self, control_id: &str) -> Result<Option<Control>, AwsError>;
    /// One page of GetFindings (at most 100) for the query.
    async fn findings_page(&self, query: &FindingQuery, next_token: Option<String>) -> Result<FindingsPage, AwsError>;
    /// BatchUpdateFindings for at most 100 findings, given as (id, product ARN).
    async fn update_findings(
        &self,
        findings: &[(String, String)],
        update: &FindingUpdate,
    ) -> Result<UpdateOutcome, AwsError>;
}

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
}

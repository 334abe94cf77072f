//! The organization as its delegated Inspector administrator sees it in one Region, free of
//! Terraform types: every page of ListMembers, and the members sorted into the sets a landing
//! zone needs (accounts to scan, suspended, not associated).

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::aws::errors::ServiceErrorCode;
use crate::aws::inspector::organization::{Member, RelationshipStatus};
use crate::aws::{AwsError, MembersApi};
use crate::domain::wait::{Backoff, Ended, Limit};
use crate::text;

/// How long a data source may spend reading: data sources have no `timeouts` block, and 10,000
/// members are 200 pages, which take seconds, so this only bounds retries of a failing API.
pub const READ_TIMEOUT: Duration = Duration::from_secs(600);

/// Why reading the organization failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Inspector refused `error.operation` to `account`: the role lacks the permission, or the
    /// account is not the delegated administrator. An AccessDenied does not say which, so the
    /// text names both and guesses neither.
    Refused { account: String, region: String, error: AwsError },
    /// A call failed in a way retrying cannot heal.
    Failed(AwsError),
    /// The deadline passed or Terraform asked to stop while `operation` was retried or awaited.
    Ended { ended: Ended, timeout: Duration, operation: &'static str },
}

impl ReadError {
    /// The summary users read above the detail (`to_string`).
    pub fn summary(&self) -> &'static str {
        match self {
            ReadError::Refused { .. } => "Inspector refused the call",
            ReadError::Failed(_) => "Inspector call failed",
            ReadError::Ended { ended: Ended::Stopped, .. } => "Stopped by Terraform",
            ReadError::Ended { ended: Ended::Deadline, .. } => "Timed out",
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Refused { account, region, error } => write!(
                f,
                "Inspector refused inspector2:{op} to account {account} in {region}: {error}. Either the role lacks \
                 the IAM permission inspector2:{op}, or {account} is not the delegated Inspector administrator in \
                 {region} (organization calls answer only it, the same account in every Region; designate it with \
                 aws inspector2 enable-delegated-admin-account from the organization's management account).",
                op = error.operation
            ),
            ReadError::Failed(e) => write!(f, "{e}"),
            ReadError::Ended { ended: Ended::Stopped, operation, .. } => {
                write!(f, "Stopped by Terraform (interrupt) while waiting for {operation}.")
            }
            ReadError::Ended { ended: Ended::Deadline, timeout, operation } => write!(
                f,
                "Timed out after {} while retrying {operation}; Inspector kept failing or throttling.",
                text::fmt_duration(*timeout)
            ),
        }
    }
}

/// Whether AWS refused the call because of who asked (not the administrator, or a member).
pub fn is_access_denied(e: &AwsError) -> bool {
    e.is(ServiceErrorCode::AccessDenied)
}

/// Runs `call` until it succeeds or fails `Final`, retrying `Retryable` errors on the usual
/// backoff, all under `limit`. A final error is returned as it is, for the caller to explain.
pub async fn retrying<T, F, Fut>(
    limit: &mut Limit,
    operation: &'static str,
    call: F,
) -> Result<Result<T, AwsError>, ReadError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let deadline = limit.deadline();
    let timeout = limit.timeout();
    limit.run(retry_until(deadline, call)).await.map_err(|ended| ReadError::Ended { ended, timeout, operation })
}

/// `call` until it answers or fails `Final`; a `Retryable` error is tried again after the backoff,
/// and the last one is returned when the deadline comes first. Needs no `Limit`, so chunks in
/// flight together can each use it under one `Limit::run`.
pub async fn retry_until<T, F, Fut>(deadline: tokio::time::Instant, call: F) -> Result<T, AwsError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let mut backoff = Backoff::new();
    loop {
        match call().await {
            Err(e) if !e.is_final() && tokio::time::Instant::now() < deadline => {
                tracing::warn!(operation = e.operation, error = %e, "retrying");
                backoff.sleep_until_next(deadline).await;
            }
            out => return out,
        }
    }
}

/// Every member of the organization (ListMembers with onlyAssociated = false, every page), as
/// AWS listed them. `caller` and `region` only name the caller in a refusal.
pub async fn list_members(
    api: &dyn MembersApi,
    limit: &mut Limit,
    caller: &str,
    region: &str,
) -> Result<Vec<Member>, ReadError> {
    let mut members = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = retrying(limit, "ListMembers", || api.list_members(false, token.clone())).await?;
        let page = page.map_err(|error| refusal(error, caller, region))?;
        members.extend(page.members);
        match page.next_token {
            Some(next) if Some(&next) != token.as_ref() => token = Some(next),
            _ => return Ok(members),
        }
    }
}

/// An access denial names the permission and both of its possible causes; any other final error
/// stays as it is.
pub fn refusal(error: AwsError, caller: &str, region: &str) -> ReadError {
    if is_access_denied(&error) {
        ReadError::Refused { account: caller.to_owned(), region: region.to_owned(), error }
    } else {
        ReadError::Failed(error)
    }
}

/// The organization sorted into what a landing zone acts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MembersReport {
    /// The caller: the delegated administrator.
    pub administrator_account_id: String,
    /// Every member, sorted by account, each once.
    pub members: Vec<Member>,
    /// The administrator and every ENABLED member, minus the exclusions: what
    /// `inspector2fix_ecr_scanning.account_ids` takes.
    pub account_ids: BTreeSet<String>,
    /// ACCOUNT_SUSPENDED members, minus the exclusions.
    pub suspended_account_ids: BTreeSet<String>,
    /// Members in any other relationship (or none reported), minus the exclusions.
    pub unassociated_account_ids: BTreeSet<String>,
}

impl MembersReport {
    /// Sorts `members` by account and classifies them. Excluded accounts stay in `members` (they
    /// are what AWS says) but leave every set, so nothing acts on them.
    pub fn new(administrator: &str, mut members: Vec<Member>, exclude: &BTreeSet<String>) -> Self {
        members.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        members.dedup_by(|a, b| a.account_id == b.account_id);
        let mut report = MembersReport { administrator_account_id: administrator.to_owned(), ..Default::default() };
        if !exclude.contains(administrator) {
            report.account_ids.insert(administrator.to_owned());
        }
        for m in members.iter().filter(|m| !exclude.contains(&m.account_id) && m.account_id != administrator) {
            let set = match m.relationship_status {
                Some(RelationshipStatus::Enabled) => &mut report.account_ids,
                Some(RelationshipStatus::AccountSuspended) => &mut report.suspended_account_ids,
                _ => &mut report.unassociated_account_ids,
            };
            set.insert(m.account_id.clone());
        }
        report.members = members;
        report
    }
}

/// Reads every member and classifies them: what `inspector2fix_members` shows.
pub async fn report(
    api: &dyn MembersApi,
    limit: &mut Limit,
    caller: &str,
    region: &str,
    exclude: &BTreeSet<String>,
) -> Result<MembersReport, ReadError> {
    let members = list_members(api, limit, caller, region).await?;
    Ok(MembersReport::new(caller, members, exclude))
}

#[cfg(test)]
mod tests;

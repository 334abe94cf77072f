//! Which accounts of a Region scan ECR: the caller and, when it is the delegated administrator,
//! its associated members, each with its ECR status as Inspector reports it, in account order.
//! What `list "inspector2fix_ecr_scanning"` (`terraform query`) shows.
//!
//! Cost: the ListMembers pages (none with `include_members = false`), then one
//! BatchGetAccountStatus per 100 accounts, at most 10 in flight, each chunk handed on as soon as
//! it and the chunks before it have answered. Nothing is written.

use std::collections::BTreeSet;

use async_trait::async_trait;
use futures::stream::{self, StreamExt};

use crate::aws::{InspectorApi, InspectorStatus};
use crate::domain::batch::{MAX_ACCOUNTS_PER_CALL, MAX_CONCURRENT_CALLS};
use crate::domain::organization::{self, retry_until, ReadError};
use crate::domain::wait::Limit;

/// What to survey
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The caller's account
    pub caller: String,
    pub region: String,
    /// Some(true): the caller must be the administrator; Some(false): the caller alone; None:
    /// its members when it is the administrator, else the caller alone.
    pub include_members: Option<bool>,
    pub exclude: BTreeSet<String>,
    /// ECR statuses to keep (`ENABLED`, `DISABLED`, ...); None keeps every account.
    pub statuses: Option<BTreeSet<String>>,
    /// The most accounts to report
    pub limit: usize,
}

/// How an account stands to the caller
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The caller, which is the delegated administrator
    Administrator,
    /// An associated member of the caller
    Member,
    /// The caller, which is not (or was not asked as) the administrator
    Account,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Member => "member",
            Role::Account => "account",
        }
    }
}

/// One account and its ECR scanning
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Surveyed {
    pub account_id: String,
    pub ecr: InspectorStatus,
    pub role: Role,
}

/// One account whose status could not be read: never evidence of anything
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub account_id: String,
    pub code: String,
    pub message: String,
}

/// Where the survey sends what it finds, in account order
#[async_trait]
pub trait Findings: Send {
    /// One account; `false` stops the survey (the reader has enough or went away).
    async fn found(&mut self, account: Surveyed) -> bool;
    /// One account Inspector could not report on; `false` stops the survey.
    async fn unreadable(&mut self, account: Unreadable) -> bool;
}

/// The accounts to read, sorted, with their roles; the members' part makes the ListMembers calls.
async fn accounts(
    api: &dyn InspectorApi,
    limit: &mut Limit,
    request: &Request,
) -> Result<Vec<(String, Role)>, ReadError> {
    let caller = request.caller.clone();
    let members = match request.include_members {
        Some(false) => None,
        // A refused ListMembers does not prove the caller is not the administrator (the role may
        // lack the permission), so it is an error, never a list of the caller alone; a caller that
        // is not an administrator says `include_members = false`.
        _ => Some(organization::report(api, limit, &caller, &request.region, &request.exclude).await?.account_ids),
    };
    let mut accounts: Vec<(String, Role)> = match members {
        Some(ids) => ids
            .into_iter()
            .map(|id| {
                let role = if id == caller { Role::Administrator } else { Role::Member };
                (id, role)
            })
            .collect(),
        None if request.exclude.contains(&caller) => vec![],
        None => vec![(caller, Role::Account)],
    };
    accounts.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(accounts)
}

/// Surveys the accounts and sends each to `findings` in account order, as its chunk answers.
/// With no status filter, only the first `limit` accounts are read.
pub async fn survey(
    api: &dyn InspectorApi,
    limit: &mut Limit,
    request: &Request,
    findings: &mut dyn Findings,
) -> Result<(), ReadError> {
    let mut accounts = accounts(api, limit, request).await?;
    if request.statuses.is_none() {
        accounts.truncate(request.limit);
    }
    let deadline = limit.deadline();
    let chunks: Vec<Vec<(String, Role)>> = accounts.chunks(MAX_ACCOUNTS_PER_CALL).map(<[_]>::to_vec).collect();
    let mut answers = stream::iter(chunks)
        .map(|chunk| async move {
            let ids: Vec<String> = chunk.iter().map(|(id, _)| id.clone()).collect();
            let answer = retry_until(deadline, || api.account_status(&ids)).await;
            (chunk, answer)
        })
        .buffered(MAX_CONCURRENT_CALLS);
    let mut reported = 0usize;
    loop {
        let next = limit.run(answers.next()).await;
        let next = next.map_err(|ended| ReadError::Ended {
            ended,
            timeout: limit.timeout(),
            operation: "BatchGetAccountStatus",
        })?;
        let Some((chunk, answer)) = next else { return Ok(()) };
        let outcome = answer.map_err(ReadError::Failed)?;
        for (account_id, role) in chunk {
            if let Some(failed) = outcome.failed.iter().find(|f| f.account_id == account_id) {
                let unreadable = Unreadable {
                    account_id,
                    code: failed.error_code.as_str().to_owned(),
                    message: failed.error_message.clone(),
                };
                if !findings.unreadable(unreadable).await {
                    return Ok(());
                }
                continue;
            }
            // Inspector leaves out accounts it never saw, and reports some without an ECR status:
            // both mean ECR scanning is off (as `scanning::read` reads them).
            let ecr = outcome
                .accounts
                .iter()
                .find(|a| a.account_id == account_id)
                .and_then(|a| a.ecr_status.clone())
                .unwrap_or(InspectorStatus::Disabled);
            if request.statuses.as_ref().is_some_and(|keep| !keep.contains(ecr.as_str())) {
                continue;
            }
            reported += 1;
            if !findings.found(Surveyed { account_id, ecr, role }).await || reported >= request.limit {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests;

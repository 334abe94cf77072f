//! Associating accounts as Inspector members before their ECR scanning is turned on (the
//! `associate_members` argument of `inspector2fix_ecr_scanning`), free of Terraform.
//!
//! One ListMembers pass (every page) finds the accounts that are not ENABLED members; each gets
//! one AssociateMember (a few in flight), retried only on retryable errors; then the run waits
//! until their relationship reads ENABLED. Nothing here, or anywhere, disassociates an account:
//! the trait at the AWS boundary has no such call.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures::stream::{self, StreamExt};

use crate::aws::errors::ServiceErrorCode;
use crate::aws::inspector::organization::{Member, RelationshipStatus};
use crate::aws::{AwsError, InspectorApi};
use crate::domain::scanning::{self, Failure, Report};
use crate::domain::status::Direction;
use crate::domain::wait::{Backoff, Ended, Limit, StopFuture};
use crate::text;

/// AssociateMember and GetMember calls in flight at once: one account per call, so a few in
/// parallel hide latency without provoking throttling.
pub const IN_FLIGHT: usize = 4;
/// ListMembers' page size.
const PAGE: usize = 50;

/// What associating did, account by account. Every account asked for, other than the caller, is
/// in exactly one of `ready`, `pending` or `failed`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssociationReport {
    /// ENABLED members: already, or associated by this run (also in `associated`).
    pub ready: BTreeSet<String>,
    /// Accounts this run sent AssociateMember for and saw become ENABLED.
    pub associated: BTreeSet<String>,
    /// Still not ENABLED at the deadline or stop; value: the relationship last read.
    pub pending: BTreeMap<String, Option<RelationshipStatus>>,
    pub failed: BTreeMap<String, Failure>,
    /// For pending accounts: the last failed call that named them.
    pub last_error: BTreeMap<String, String>,
    pub timeout: Duration,
    pub stopped: bool,
}

impl AssociationReport {
    pub fn is_complete(&self) -> bool {
        self.pending.is_empty() && self.failed.is_empty()
    }

    /// Per-account text for the error users read; empty when complete.
    pub fn problems(&self) -> String {
        let mut parts = Vec::new();
        if !self.failed.is_empty() {
            parts.push(format!("Inspector could not associate {} account(s) as members:", self.failed.len()));
            parts.push(text::item_lines(&self.failed));
        }
        if !self.pending.is_empty() {
            let why = if self.stopped {
                "Stopped by Terraform (interrupt) while".to_owned()
            } else {
                format!("Timed out after {}", text::fmt_duration(self.timeout))
            };
            parts.push(format!("{why} waiting for {} account(s) to become ENABLED members:", self.pending.len()));
            parts.push(text::item_lines(self.pending.iter().map(|(account, status)| {
                let shown = status.as_ref().map_or("not yet listed", RelationshipStatus::as_str);
                match self.last_error.get(account) {
                    Some(e) => (account, format!("relationship {shown} (last error: {e})")),
                    None => (account, format!("relationship {shown}")),
                }
            })));
        }
        if !parts.is_empty() {
            parts.push(
                "These accounts are left out of ECR scanning and of state; the others were enabled. Apply again \
                 once the cause is fixed."
                    .into(),
            );
        }
        parts.join("\n")
    }
}

/// What a relationship status means for an account to be associated.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Standing {
    Ready,
    /// AssociateMember is needed, or is on its way.
    Moving,
    /// Cannot become ENABLED by associating: the hint says what can (before "or remove it from
    /// <the attribute>").
    Blocked(&'static str),
}

fn standing(status: Option<&RelationshipStatus>) -> Standing {
    use RelationshipStatus as R;
    match status {
        Some(R::Enabled) => Standing::Ready,
        Some(R::AccountSuspended) => Standing::Blocked(
            "the account is suspended: it cannot be associated, and a suspended member keeps Inspector.2 FAILED until \
             the administrator disassociates it (inspector2fix never does): reactivate or close the account",
        ),
        Some(R::RegionDisabled) => {
            Standing::Blocked("the Region is disabled in that account: enable the Region there (an opt-in Region)")
        }
        Some(R::CannotCreateDetectorInOrgMaster) => Standing::Blocked(
            "Inspector cannot be set up in the organization's management account this way: enable it there with \
             the management account's own credentials",
        ),
        Some(R::EmailVerificationFailed) => Standing::Blocked(
            "the invitation's email verification failed: the account is not part of the AWS Organization; add it to \
             the organization",
        ),
        _ => Standing::Moving,
    }
}

/// `fix`, then the other way out: leaving the account out of `named_in`, the attribute the user
/// listed it in (`account_ids` or `accounts`).
fn or_remove(fix: &str, named_in: &str) -> String {
    format!("{fix}, or remove it from {named_in}")
}

/// A next step for a failed AssociateMember, from what ListMembers said of the account before.
fn associate_hint(e: &AwsError, listed: bool, named_in: &str) -> Option<String> {
    if let Some(hint) = &e.hint {
        return Some(hint.clone());
    }
    let hint = match e.service_code() {
        Some(ServiceErrorCode::AccessDenied) => {
            return Some(format!(
                "grant the role inspector2:{op}, and run with the credentials of the delegated Inspector \
                 administrator (only it can list and associate members); a refusal does not say which is missing",
                op = e.operation
            ))
        }
        Some(ServiceErrorCode::ServiceQuotaExceeded) => {
            "the administrator manages the maximum number of Inspector members in this Region (10,000): remove \
             accounts that left the organization, or ask AWS Support about the limit"
                .to_owned()
        }
        _ if !listed => or_remove(
            "Inspector does not list this account as a member: check that it belongs to the AWS Organization (an \
             account outside it cannot be associated)",
            named_in,
        ),
        _ => return None,
    };
    Some(hint)
}

/// Associates every account of `account_ids` other than `caller` that is not an ENABLED member,
/// and waits until each is, fails for good, or `limit` ends. `named_in` is the attribute the user
/// listed the accounts in, for the hints.
pub async fn associate(
    api: &dyn InspectorApi,
    account_ids: &BTreeSet<String>,
    caller: &str,
    named_in: &'static str,
    limit: &mut Limit,
) -> AssociationReport {
    let accounts: BTreeSet<String> = account_ids.iter().filter(|a| *a != caller).cloned().collect();
    let mut run = Association::new(api, named_in, limit);
    if !accounts.is_empty() {
        run.run(accounts).await;
    }
    run.report
}

/// Associates like [`associate`] and turns ECR scanning on for every account as soon as it is an
/// ENABLED member: the caller and the members already associated at once, beside the wait for the
/// others, and those once associated. A slow association so never uses up the time the others
/// need. Every wait ends at `limit`'s deadline; `stop` gives each its own stop signal.
pub async fn associate_and_enable(
    api: &dyn InspectorApi,
    account_ids: &BTreeSet<String>,
    caller: &str,
    named_in: &'static str,
    mut limit: Limit,
    stop: &(dyn Fn() -> StopFuture + Sync),
) -> (AssociationReport, Report) {
    let (now_limit, later_limit) = (limit.sibling(stop()), limit.sibling(stop()));
    let candidates: BTreeSet<String> = account_ids.iter().filter(|a| *a != caller).cloned().collect();
    let mut run = Association::new(api, named_in, &mut limit);
    let started = if candidates.is_empty() { Ok(()) } else { run.start(candidates).await };
    let ready_now: BTreeSet<String> =
        account_ids.iter().filter(|a| *a == caller || run.report.ready.contains(*a)).cloned().collect();
    let enable_now = scanning::converge(api, Direction::Enable, &ready_now, now_limit, Some(caller));
    let (waited, mut enabled) = match started {
        Ok(()) => tokio::join!(run.wait(), enable_now),
        Err(ended) => (Err(ended), enable_now.await),
    };
    run.finish(waited.err());
    let report = run.report;
    let later = scanning::converge(api, Direction::Enable, &report.associated, later_limit, Some(caller)).await;
    enabled.absorb(later);
    (report, enabled)
}

struct Association<'a> {
    api: &'a dyn InspectorApi,
    /// The attribute the accounts were listed in, for the hints.
    named_in: &'static str,
    limit: &'a mut Limit,
    backoff: Backoff,
    /// Members the organization has, from the last listing: what one more listing costs.
    organization_size: usize,
    /// Accounts ListMembers listed at first.
    listed: BTreeSet<String>,
    to_send: Vec<String>,
    /// Associated, waiting for ENABLED; value: relationship last read.
    waiting: BTreeMap<String, Option<RelationshipStatus>>,
    report: AssociationReport,
}

impl<'a> Association<'a> {
    fn new(api: &'a dyn InspectorApi, named_in: &'static str, limit: &'a mut Limit) -> Self {
        let report = AssociationReport { timeout: limit.timeout(), ..AssociationReport::default() };
        Association {
            api,
            named_in,
            limit,
            backoff: Backoff::new(),
            organization_size: 0,
            listed: BTreeSet::new(),
            to_send: Vec::new(),
            waiting: BTreeMap::new(),
            report,
        }
    }

    async fn run(&mut self, accounts: BTreeSet<String>) {
        let ended = match self.start(accounts).await {
            Ok(()) => self.wait().await.err(),
            Err(ended) => Some(ended),
        };
        self.finish(ended);
    }

    /// Lists the members, sorts the accounts out and sends the first AssociateMember calls.
    async fn start(&mut self, accounts: BTreeSet<String>) -> Result<(), Ended> {
        match self.list_all().await {
            Ok(Ok(members)) => {
                self.sort_out(&accounts, members);
                self.send().await
            }
            Ok(Err(e)) => {
                let failure = Failure { hint: associate_hint(&e, true, self.named_in), ..Failure::from_call(&e) };
                self.report.failed = accounts.iter().map(|a| (a.clone(), failure.clone())).collect();
                Ok(())
            }
            Err(ended) => {
                self.to_send = accounts.into_iter().collect();
                Err(ended)
            }
        }
    }

    /// Polls, and sends again what a retryable error refused, until every association settles.
    async fn wait(&mut self) -> Result<(), Ended> {
        while !(self.to_send.is_empty() && self.waiting.is_empty()) {
            self.limit.sleep(&mut self.backoff).await?;
            self.poll().await?;
            self.send().await?;
        }
        Ok(())
    }

    /// Whatever is unsettled when the limit ended is pending.
    fn finish(&mut self, ended: Option<Ended>) {
        if let Some(ended) = ended {
            self.report.stopped = ended == Ended::Stopped;
            let waiting = std::mem::take(&mut self.waiting);
            self.report.pending.extend(waiting);
            self.report.pending.extend(self.to_send.drain(..).map(|a| (a, None)));
        }
        let pending = &self.report.pending;
        self.report.last_error.retain(|a, _| pending.contains_key(a));
    }

    /// Every page of ListMembers (`onlyAssociated = false`), retrying what can heal; Ok(Err) is a
    /// final error.
    async fn list_all(&mut self) -> Result<Result<Vec<Member>, AwsError>, Ended> {
        let mut members = Vec::new();
        let mut token = None;
        loop {
            let api = self.api;
            match self.limit.run(api.list_members(false, token.clone())).await? {
                Ok(page) => {
                    members.extend(page.members);
                    token = page.next_token;
                    if token.is_none() {
                        self.organization_size = members.len();
                        return Ok(Ok(members));
                    }
                }
                Err(e) if e.is_final() => return Ok(Err(e)),
                Err(_) => self.limit.sleep(&mut self.backoff).await?,
            }
        }
    }

    /// Puts each account where its relationship says: ready, blocked, or to be associated.
    fn sort_out(&mut self, accounts: &BTreeSet<String>, members: Vec<Member>) {
        let by_account: BTreeMap<String, Member> = members.into_iter().map(|m| (m.account_id.clone(), m)).collect();
        self.listed = accounts.iter().filter(|a| by_account.contains_key(*a)).cloned().collect();
        for account in accounts {
            let status = by_account.get(account).and_then(|m| m.relationship_status.as_ref());
            match standing(status) {
                Standing::Ready => {
                    self.report.ready.insert(account.clone());
                }
                Standing::Blocked(hint) => self.block(account, status, hint),
                Standing::Moving => self.to_send.push(account.clone()),
            }
        }
    }

    fn block(&mut self, account: &str, status: Option<&RelationshipStatus>, hint: &str) {
        let code = status.map_or("UNKNOWN", RelationshipStatus::as_str).to_owned();
        let message = format!("Inspector reports the member relationship as {code}");
        self.waiting.remove(account);
        let hint = Some(or_remove(hint, self.named_in));
        self.report.failed.insert(account.to_owned(), Failure { code, message, hint });
    }

    /// One AssociateMember per queued account, a few in flight; answers judged in account order.
    async fn send(&mut self) -> Result<(), Ended> {
        let accounts = std::mem::take(&mut self.to_send);
        let api = self.api;
        let calls = stream::iter(accounts.clone())
            .map(|account| async move {
                let result = api.associate_member(&account).await;
                (account, result)
            })
            .buffered(IN_FLIGHT)
            .collect::<Vec<_>>();
        let results = match self.limit.run(calls).await {
            Ok(results) => results,
            Err(ended) => {
                self.to_send = accounts;
                return Err(ended);
            }
        };
        for (account, result) in results {
            match result {
                Ok(()) => {
                    self.waiting.insert(account, None);
                }
                Err(e) if e.is_final() => {
                    let hint = associate_hint(&e, self.listed.contains(&account), self.named_in);
                    self.report.failed.insert(account, Failure { hint, ..Failure::from_call(&e) });
                }
                Err(e) => {
                    self.report.last_error.insert(account.clone(), e.to_string());
                    self.to_send.push(account);
                }
            }
        }
        Ok(())
    }

    /// Reads the relationships of the accounts waited for, the cheaper way: GetMember costs one
    /// call per account, ListMembers one per 50 members of the whole organization.
    async fn poll(&mut self) -> Result<(), Ended> {
        let pages = self.organization_size.div_ceil(PAGE).max(1);
        if self.waiting.len() <= pages {
            self.poll_each().await
        } else {
            self.poll_listing().await
        }
    }

    async fn poll_each(&mut self) -> Result<(), Ended> {
        let accounts: Vec<String> = self.waiting.keys().cloned().collect();
        let api = self.api;
        let reads = stream::iter(accounts)
            .map(|account| async move {
                let result = api.get_member(&account).await;
                (account, result)
            })
            .buffered(IN_FLIGHT)
            .collect::<Vec<_>>();
        for (account, result) in self.limit.run(reads).await? {
            match result {
                Ok(member) => self.judge(&account, member.relationship_status),
                // Not visible yet right after AssociateMember: keep waiting.
                Err(e) if e.is(ServiceErrorCode::ResourceNotFound) || !e.is_final() => {
                    self.report.last_error.insert(account, e.to_string());
                }
                Err(e) => {
                    self.waiting.remove(&account);
                    self.report.failed.insert(account, Failure::from_call(&e));
                }
            }
        }
        Ok(())
    }

    async fn poll_listing(&mut self) -> Result<(), Ended> {
        match self.list_all().await? {
            Ok(members) => {
                let waited: Vec<Member> =
                    members.into_iter().filter(|m| self.waiting.contains_key(&m.account_id)).collect();
                for member in waited {
                    self.judge(&member.account_id, member.relationship_status);
                }
            }
            Err(e) => {
                for account in self.waiting.keys().cloned().collect::<Vec<_>>() {
                    self.waiting.remove(&account);
                    self.report.failed.insert(account, Failure::from_call(&e));
                }
            }
        }
        Ok(())
    }

    fn judge(&mut self, account: &str, status: Option<RelationshipStatus>) {
        match standing(status.as_ref()) {
            Standing::Ready => {
                self.waiting.remove(account);
                self.report.ready.insert(account.to_owned());
                self.report.associated.insert(account.to_owned());
            }
            Standing::Blocked(hint) => self.block(account, status.as_ref(), hint),
            Standing::Moving => {
                self.waiting.insert(account.to_owned(), status);
            }
        }
    }
}

#[cfg(test)]
mod tests;

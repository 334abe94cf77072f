//! Turning ECR scanning on or off for a set of accounts and waiting until Inspector agrees:
//! the find / status / wait logic behind `inspector2fix_ecr_scanning`, free of Terraform types.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::aws::{AwsError, BatchOutcome, EcrScanningApi, ErrorCode, FailedAccount, InspectorStatus};
use crate::domain::batch::for_each_chunk;
use crate::domain::status::{self, Direction, Progress};
use crate::domain::wait::{Backoff, Ended, Limit};
use crate::text;

/// Status reads in a row that find an account settled the wrong way before the request is sent
/// again (the first reads after Enable may not reflect it yet).
const REISSUE_AFTER_READS: u32 = 5;

/// Why one account did not get where it was asked to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Failure {
    pub fn from_call(e: &AwsError) -> Self {
        Failure {
            code: e.code.clone().unwrap_or_else(|| "RequestFailed".into()),
            message: match &e.request_id {
                Some(id) => format!("{}: {} (RequestId: {id})", e.operation, e.message),
                None => format!("{}: {}", e.operation, e.message),
            },
            hint: e.hint.clone(),
        }
    }

    fn from_failed(direction: Direction, f: &FailedAccount, caller: Option<&str>) -> Self {
        Failure {
            code: f.error_code.to_string(),
            message: f.error_message.clone(),
            hint: status::hint(direction, f, caller).map(str::to_owned),
        }
    }
}

/// `CODE: MESSAGE (hint: ...)`, as listed per account in errors.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        match &self.hint {
            Some(hint) => write!(f, " (hint: {hint})"),
            None => Ok(()),
        }
    }
}

/// What a converge did, account by account. Every account asked for is in exactly one map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub direction: Direction,
    /// Reached the target; value: ECR status last read.
    pub done: BTreeMap<String, InspectorStatus>,
    /// Still moving when the timeout ran out; value: ECR status last read, if any yet.
    pub pending: BTreeMap<String, Option<InspectorStatus>>,
    pub failed: BTreeMap<String, Failure>,
    /// Disable only: accounts whose ECR scanning an AWS Organizations Inspector policy keeps on
    /// (BLOCKED_BY_ORGANIZATION_POLICY). Nothing the provider does changes that, so they are
    /// released, not failed; value: Inspector's answer.
    pub kept_by_policy: BTreeMap<String, Failure>,
    /// For pending accounts: the last failed call that named them, if any (e.g. a network error).
    pub last_error: BTreeMap<String, String>,
    pub timeout: Duration,
    /// Terraform asked the provider to stop before every account got there.
    pub stopped: bool,
    /// No request was sent: one final error (credentials, a role, an endpoint) came first.
    pub refused: bool,
}

impl Report {
    /// Every account failed by one final error that came before any request was sent.
    pub fn refused(direction: Direction, account_ids: &BTreeSet<String>, error: &AwsError, limit: &Limit) -> Self {
        let failure = Failure::from_call(error);
        Report {
            direction,
            done: BTreeMap::new(),
            pending: BTreeMap::new(),
            failed: account_ids.iter().map(|a| (a.clone(), failure.clone())).collect(),
            kept_by_policy: BTreeMap::new(),
            last_error: BTreeMap::new(),
            timeout: limit.timeout(),
            stopped: false,
            refused: true,
        }
    }

    pub fn is_complete(&self) -> bool {
        self.pending.is_empty() && self.failed.is_empty()
    }

    /// Takes in the report of a later converge of other accounts in the same direction.
    pub fn absorb(&mut self, later: Report) {
        self.done.extend(later.done);
        self.pending.extend(later.pending);
        self.failed.extend(later.failed);
        self.kept_by_policy.extend(later.kept_by_policy);
        self.last_error.extend(later.last_error);
        self.stopped |= later.stopped;
        self.refused |= later.refused;
    }

    /// Accounts whose ECR scanning is on or on its way, with their last ECR status.
    pub fn on(&self) -> impl Iterator<Item = (&String, &InspectorStatus)> {
        let pending = self.pending.iter().filter_map(|(a, s)| Some((a, s.as_ref()?)));
        self.done.iter().chain(pending).filter(|(_, s)| status::is_on(s))
    }

    /// The warning users read when a Disable released accounts an Inspector policy keeps on;
    /// None when there are none.
    pub fn kept_by_policy_warning(&self, region: &str) -> Option<String> {
        if self.kept_by_policy.is_empty() {
            return None;
        }
        let accounts = text::capped_lines(self.kept_by_policy.keys());
        Some(format!(
            "An AWS Organizations Inspector policy (INSPECTOR_POLICY) keeps ECR scanning on in {region} for {}              account(s), so Inspector refused to disable it (BLOCKED_BY_ORGANIZATION_POLICY). They are no longer              managed by this resource and ECR scanning stays on under the policy:\n{accounts}\nTo turn it off,              change the policy's ecr_scanning (enable_in_regions / disable_in_regions) or detach it.",
            self.kept_by_policy.len()
        ))
    }

    /// Multi-line, per-account text for the error users read. Empty when complete.
    pub fn problems(&self) -> String {
        let mut parts = Vec::new();
        if !self.failed.is_empty() {
            let verb = if self.direction == Direction::Enable { "enable" } else { "disable" };
            parts.push(if self.refused {
                format!("No request to {verb} ECR scanning could be sent for {} account(s):", self.failed.len())
            } else {
                format!("Inspector could not {verb} ECR scanning for {} account(s):", self.failed.len())
            });
            parts.push(self.failed_lines());
        }
        if !self.pending.is_empty() {
            let why = if self.stopped {
                "Stopped by Terraform (interrupt) while".to_owned()
            } else {
                format!("Timed out after {}", text::fmt_duration(self.timeout))
            };
            parts.push(format!(
                "{why} waiting for ECR scanning to be {} in {} account(s):",
                self.direction.target(),
                self.pending.len()
            ));
            parts.push(text::item_lines(
                self.pending.iter().map(|(account, ecr)| (account, self.pending_line(account, ecr))),
            ));
            parts.push(
                "Accounts that finished are saved in state. Apply again to keep waiting, or raise the `timeouts` block."
                    .into(),
            );
        }
        parts.join("\n").trim_end().to_owned()
    }

    /// One line per account, or one line for all when they failed alike (one final error:
    /// credentials, a role, an endpoint), so the cause is not repeated for each account.
    fn failed_lines(&self) -> String {
        let mut failures = self.failed.values();
        match failures.next() {
            Some(first) if self.failed.len() > 1 && failures.all(|f| f == first) => {
                let accounts: Vec<&str> = self.failed.keys().map(String::as_str).collect();
                text::item_lines([(accounts.join(", "), first)])
            }
            _ => text::item_lines(&self.failed),
        }
    }

    fn pending_line(&self, account: &str, ecr: &Option<InspectorStatus>) -> String {
        let shown = ecr.as_ref().map_or("not yet reported", InspectorStatus::as_str);
        match self.last_error.get(account) {
            Some(e) => format!("ECR {shown} (last error: {e})"),
            None => format!("ECR {shown}"),
        }
    }
}

/// An idempotency token unique to one Enable request; the SDK reuses it on its retries.
fn client_token(chunk: usize) -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("inspector2fix-{:x}-{:x}-{}-{chunk}", nanos, std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed))
}

/// An account whose request went out, watched by status reads until it settles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Watch {
    /// ECR status last read, if any yet.
    ecr_status: Option<InspectorStatus>,
    /// Status reads in a row that found the account settled the opposite way.
    reads_settled_opposite: u32,
}

/// Which call an answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    /// Enable or Disable.
    Request,
    /// BatchGetAccountStatus.
    StatusRead,
}

/// What one answer said about one account.
enum Seen<'a> {
    Status {
        account: Option<&'a InspectorStatus>,
        ecr: Option<&'a InspectorStatus>,
    },
    /// Listed in failedAccounts.
    Refused(&'a FailedAccount),
    /// Asked about, but not in the answer.
    Unmentioned,
    /// The whole call failed.
    CallFailed(&'a AwsError),
}

/// One converge in progress: what is to be sent, what is being waited for, the backoff and the
/// deadline. Each account is in exactly one of `to_send`, `watching` or the report.
struct Convergence<'a> {
    api: &'a dyn EcrScanningApi,
    caller: Option<&'a str>,
    limit: Limit,
    backoff: Backoff,
    to_send: Vec<String>,
    watching: BTreeMap<String, Watch>,
    report: Report,
    progress: ProgressLog,
    /// Where the counts go after every send and status read, for a caller that shows them
    counts: Option<tokio::sync::watch::Sender<Counts>>,
}

/// How far a converge has got: what [`converge_watched`] publishes
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    pub target: InspectorStatus,
    pub done: usize,
    pub pending: usize,
    pub failed: usize,
    pub total: usize,
}

impl Counts {
    /// Nothing done yet of `total` accounts
    pub fn start(direction: Direction, total: usize) -> Self {
        Counts { target: direction.target(), done: 0, pending: total, failed: 0, total }
    }

    /// "ECR ENABLED in 3/5 accounts, 2 pending, 0 failed"
    pub fn line(&self) -> String {
        progress_line(&self.target, self.done, self.total, self.pending, self.failed)
    }
}

/// INFO lines on long waits, at most one per [`ProgressLog::EVERY`]: enough to show a pipeline
/// is moving, never a line per poll.
struct ProgressLog {
    total: usize,
    last: tokio::time::Instant,
}

impl ProgressLog {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(10);

    fn new(total: usize) -> Self {
        ProgressLog { total, last: tokio::time::Instant::now() }
    }

    /// True once per period; the first line comes a period after the start.
    fn due(&mut self, now: tokio::time::Instant) -> bool {
        if now.saturating_duration_since(self.last) < Self::EVERY {
            return false;
        }
        self.last = now;
        true
    }
}

/// "ECR ENABLED in 300/1000 accounts, 12 pending, 0 failed".
fn progress_line(target: &InspectorStatus, done: usize, total: usize, pending: usize, failed: usize) -> String {
    format!("ECR {target} in {done}/{total} accounts, {pending} pending, {failed} failed")
}

/// Moves ECR scanning of `account_ids` to ENABLED or DISABLED and waits until every account gets
/// there, fails for good, or `limit` ends it (its deadline or a stop). Every call runs under the
/// limit, so none outlives it. Never touches any other scan type.
pub async fn converge(
    api: &dyn EcrScanningApi,
    direction: Direction,
    account_ids: &BTreeSet<String>,
    limit: Limit,
    caller: Option<&str>,
) -> Report {
    Convergence::new(api, direction, account_ids, limit, caller).run().await
}

/// [`converge`], publishing its [`Counts`] to `counts` after every send and status read.
pub async fn converge_watched(
    api: &dyn EcrScanningApi,
    direction: Direction,
    account_ids: &BTreeSet<String>,
    limit: Limit,
    caller: Option<&str>,
    counts: tokio::sync::watch::Sender<Counts>,
) -> Report {
    let mut convergence = Convergence::new(api, direction, account_ids, limit, caller);
    convergence.counts = Some(counts);
    convergence.run().await
}

impl<'a> Convergence<'a> {
    fn new(
        api: &'a dyn EcrScanningApi,
        direction: Direction,
        account_ids: &BTreeSet<String>,
        limit: Limit,
        caller: Option<&'a str>,
    ) -> Self {
        let timeout = limit.timeout();
        Convergence {
            api,
            caller,
            limit,
            backoff: Backoff::new(),
            to_send: account_ids.iter().cloned().collect(),
            watching: BTreeMap::new(),
            progress: ProgressLog::new(account_ids.len()),
            counts: None,
            report: Report {
                direction,
                done: BTreeMap::new(),
                pending: BTreeMap::new(),
                failed: BTreeMap::new(),
                kept_by_policy: BTreeMap::new(),
                last_error: BTreeMap::new(),
                timeout,
                stopped: false,
                refused: false,
            },
        }
    }

    async fn run(mut self) -> Report {
        let ended = loop {
            if let Err(ended) = self.send().await {
                break Some(ended);
            }
            if self.to_send.is_empty() && self.watching.is_empty() {
                break None;
            }
            if let Err(ended) = self.limit.sleep(&mut self.backoff).await {
                break Some(ended);
            }
            if let Err(ended) = self.poll().await {
                break Some(ended);
            }
        };
        if let Some(ended) = ended {
            self.report.stopped = ended == Ended::Stopped;
            self.time_out();
        }
        self.finish()
    }

    /// Sends Enable or Disable for every account queued, and judges the answers. A batch cut off
    /// by the limit leaves its accounts queued, as nothing is known of them.
    async fn send(&mut self) -> Result<(), Ended> {
        let accounts = std::mem::take(&mut self.to_send);
        let (api, direction) = (self.api, self.report.direction);
        let batch = for_each_chunk(&accounts, |index, chunk| async move {
            match direction {
                Direction::Enable => api.enable_ecr(&chunk, &client_token(index)).await,
                Direction::Disable => api.disable_ecr(&chunk).await,
            }
        });
        let results = match self.limit.run(batch).await {
            Ok(results) => results,
            Err(ended) => {
                self.cut_off(ended, if direction == Direction::Enable { "Enable" } else { "Disable" }, &accounts);
                self.to_send = accounts;
                return Err(ended);
            }
        };
        for (chunk, result) in results {
            self.absorb(Via::Request, &chunk, result);
        }
        self.publish();
        Ok(())
    }

    /// Reads the status of every account being watched, and judges the answers.
    async fn poll(&mut self) -> Result<(), Ended> {
        let accounts: Vec<String> = self.watching.keys().cloned().collect();
        let api = self.api;
        let batch = for_each_chunk(&accounts, |_, chunk| async move { api.account_status(&chunk).await });
        let results = match self.limit.run(batch).await {
            Ok(results) => results,
            Err(ended) => {
                self.cut_off(ended, "BatchGetAccountStatus", &accounts);
                return Err(ended);
            }
        };
        for (chunk, result) in results {
            self.absorb(Via::StatusRead, &chunk, result);
        }
        self.publish();
        self.log_progress();
        Ok(())
    }

    /// The counts so far, to whoever watches them.
    fn publish(&self) {
        if let Some(counts) = &self.counts {
            let pending = self.watching.len() + self.to_send.len();
            let (done, failed) = (self.report.done.len(), self.report.failed.len());
            let target = self.report.direction.target();
            counts.send_replace(Counts { target, done, pending, failed, total: self.progress.total });
        }
    }

    fn log_progress(&mut self) {
        if self.progress.due(tokio::time::Instant::now()) {
            let pending = self.watching.len() + self.to_send.len();
            let (done, failed) = (self.report.done.len(), self.report.failed.len());
            let line = progress_line(&self.report.direction.target(), done, self.progress.total, pending, failed);
            tracing::info!(done, pending, failed, total = self.progress.total, "{line}");
        }
    }

    /// Notes, for accounts whose call the deadline cut off, that it got no answer in time.
    fn cut_off(&mut self, ended: Ended, operation: &str, accounts: &[String]) {
        if ended == Ended::Deadline {
            for account in accounts {
                let note = format!("{operation}: no answer before the deadline");
                self.report.last_error.entry(account.clone()).or_insert(note);
            }
        }
    }

    /// Takes in one call's answer about `chunk`, account by account; the first mention counts.
    fn absorb(&mut self, via: Via, chunk: &[String], result: Result<BatchOutcome, AwsError>) {
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(e) => {
                for account in chunk {
                    self.judge(via, account, Seen::CallFailed(&e));
                }
                return;
            }
        };
        let mut mentioned = BTreeSet::new();
        for a in &outcome.accounts {
            if self.is_open(via, chunk, &mentioned, &a.account_id) {
                mentioned.insert(a.account_id.clone());
                let seen = Seen::Status { account: a.account_status.as_ref(), ecr: a.ecr_status.as_ref() };
                self.judge(via, &a.account_id, seen);
            }
        }
        for f in &outcome.failed {
            if self.is_open(via, chunk, &mentioned, &f.account_id) {
                mentioned.insert(f.account_id.clone());
                self.judge(via, &f.account_id, Seen::Refused(f));
            }
        }
        for account in chunk {
            if self.is_open(via, chunk, &mentioned, account) {
                self.judge(via, account, Seen::Unmentioned);
            }
        }
    }

    /// Whether an answer's word on `account` is still to be judged: asked about in this call,
    /// not yet mentioned in the answer, and (for a status read) still being watched.
    fn is_open(&self, via: Via, chunk: &[String], mentioned: &BTreeSet<String>, account: &str) -> bool {
        let asked = match via {
            Via::Request => chunk.iter().any(|a| a == account),
            Via::StatusRead => self.watching.contains_key(account),
        };
        asked && !mentioned.contains(account)
    }

    /// The one place where what an answer said about an account is judged.
    fn judge(&mut self, via: Via, account: &str, seen: Seen<'_>) {
        let direction = self.report.direction;
        match seen {
            Seen::Status { account: account_status, ecr } => self.judge_status(via, account, account_status, ecr),
            Seen::Unmentioned if via == Via::Request => self.watch(account, None),
            // Inspector leaves out accounts it never saw (moto does; AWS reports them DISABLED).
            Seen::Unmentioned => {
                self.judge_status(via, account, Some(&InspectorStatus::Disabled), Some(&InspectorStatus::Disabled))
            }
            Seen::Refused(f)
                if via == Via::Request
                    && direction == Direction::Enable
                    && f.error_code == ErrorCode::AlreadyEnabled =>
            {
                self.watch(account, None)
            }
            // A status read keeps watching: the refusal says nothing of the request's progress.
            Seen::Refused(f) if status::is_transient(&f.error_code) => {
                if via == Via::Request {
                    self.send_again(account, format!("{}: {}", f.error_code, f.error_message));
                }
            }
            // The policy keeps ECR on, and the user asked to stop managing the account: release it.
            Seen::Refused(f)
                if direction == Direction::Disable && f.error_code == ErrorCode::BlockedByOrganizationPolicy =>
            {
                self.watching.remove(account);
                let kept = Failure::from_failed(direction, f, self.caller);
                self.report.kept_by_policy.insert(account.to_owned(), kept);
            }
            Seen::Refused(f) => self.fail(account, Failure::from_failed(direction, f, self.caller)),
            Seen::CallFailed(e) if e.is_final() => self.fail(account, Failure::from_call(e)),
            // Still throttled or failing after the SDK's own retries: try again later.
            Seen::CallFailed(e) if via == Via::Request => self.send_again(account, e.to_string()),
            Seen::CallFailed(e) => {
                self.report.last_error.insert(account.to_owned(), e.to_string());
            }
        }
    }

    fn judge_status(
        &mut self,
        via: Via,
        account: &str,
        account_status: Option<&InspectorStatus>,
        ecr: Option<&InspectorStatus>,
    ) {
        match status::progress(self.report.direction, account_status, ecr) {
            Progress::Done => {
                self.watching.remove(account);
                self.report.done.insert(account.to_owned(), self.report.direction.target());
            }
            Progress::Blocked { code, message, hint } => {
                let hint = Some(hint.to_owned());
                self.fail(account, Failure { code: code.into(), message: message.into(), hint })
            }
            Progress::NotStarted if via == Via::StatusRead => self.count_settled_opposite(account, ecr),
            Progress::InProgress | Progress::NotStarted => self.watch(account, ecr),
        }
    }

    fn send_again(&mut self, account: &str, error: String) {
        self.report.last_error.insert(account.to_owned(), error);
        self.to_send.push(account.to_owned());
    }

    fn watch(&mut self, account: &str, ecr: Option<&InspectorStatus>) {
        let watch = Watch { ecr_status: ecr.cloned(), reads_settled_opposite: 0 };
        self.watching.insert(account.to_owned(), watch);
    }

    /// Settled the opposite way: the request may not have taken. Send it again if that persists.
    fn count_settled_opposite(&mut self, account: &str, ecr: Option<&InspectorStatus>) {
        let Some(watch) = self.watching.get_mut(account) else { return };
        watch.ecr_status = ecr.cloned();
        watch.reads_settled_opposite += 1;
        if watch.reads_settled_opposite >= REISSUE_AFTER_READS {
            self.watching.remove(account);
            self.to_send.push(account.to_owned());
        }
    }

    fn fail(&mut self, account: &str, failure: Failure) {
        self.watching.remove(account);
        self.report.failed.insert(account.to_owned(), failure);
    }

    /// The deadline passed: whatever is still moving or unsent is pending.
    fn time_out(&mut self) {
        let watching = std::mem::take(&mut self.watching);
        self.report.pending.extend(watching.into_iter().map(|(a, w)| (a, w.ecr_status)));
        self.report.pending.extend(self.to_send.drain(..).map(|a| (a, None)));
    }

    fn finish(mut self) -> Report {
        let pending = &self.report.pending;
        self.report.last_error.retain(|a, _| pending.contains_key(a));
        self.report
    }
}

/// ECR status of each account, as Inspector reports it now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// account -> ECR status; accounts Inspector never saw, or reported without an ECR status, /// read DISABLED.
    pub ecr: BTreeMap<String, InspectorStatus>,
    /// Accounts whose status could not be read, and why.
    pub unreadable: BTreeMap<String, Failure>,
}

pub async fn read(api: &dyn EcrScanningApi, account_ids: &BTreeSet<String>) -> Result<Reading, AwsError> {
    let ids: Vec<String> = account_ids.iter().cloned().collect();
    let results = for_each_chunk(&ids, |_, chunk| async move { api.account_status(&chunk).await }).await;
    let mut reading = Reading::default();
    for (chunk, result) in results {
        let outcome = result?;
        for a in outcome.accounts.into_iter().filter(|a| account_ids.contains(&a.account_id)) {
            if let Some(ecr) = a.ecr_status {
                reading.ecr.insert(a.account_id, ecr);
            }
        }
        for f in outcome.failed.iter().filter(|f| account_ids.contains(&f.account_id)) {
            reading.unreadable.insert(f.account_id.clone(), Failure::from_failed(Direction::Enable, f, None));
        }
        for account in chunk {
            if !reading.ecr.contains_key(&account) && !reading.unreadable.contains_key(&account) {
                reading.ecr.insert(account, InspectorStatus::Disabled);
            }
        }
    }
    Ok(reading)
}

pub mod change;

#[cfg(test)]
pub(crate) mod fake;

#[cfg(test)]
mod tests;

//! Turning ECR scanning on or off for a set of accounts and waiting until Inspector agrees:
//! the find / status / wait logic behind `inspector2fix_ecr_scanning`, free of Terraform types.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::aws::{AwsError, BatchOutcome, FailedAccount, InspectorApi};
use crate::batch::for_each_chunk;
use crate::status::{self, Direction, Progress};
use crate::wait::Backoff;

/// Status reads in a row that find an account settled the wrong way before the request is sent
/// again (the first reads after Enable may not reflect it yet).
const REISSUE_AFTER_READS: u32 = 5;

/// Why one account did not get where it was asked to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub hint: Option<&'static str>,
}

impl Failure {
    fn from_call(e: &AwsError) -> Self {
        Failure {
            code: e.code.clone().unwrap_or_else(|| "RequestFailed".into()),
            message: format!("{}: {}", e.operation, e.message),
            hint: None,
        }
    }

    fn from_failed(direction: Direction, f: &FailedAccount, caller: Option<&str>) -> Self {
        Failure {
            code: f.error_code.clone(),
            message: f.error_message.clone(),
            hint: status::hint(direction, f, caller),
        }
    }
}

/// What a converge did, account by account. Every account asked for is in exactly one map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub direction: Direction,
    /// Reached the target; value: ECR status last read.
    pub done: BTreeMap<String, String>,
    /// Still moving when the timeout ran out; value: ECR status last read ("" if none yet).
    pub pending: BTreeMap<String, String>,
    pub failed: BTreeMap<String, Failure>,
    /// For pending accounts: the last failed call that named them, if any (e.g. a network error).
    pub last_error: BTreeMap<String, String>,
    pub timeout: Duration,
}

impl Report {
    pub fn is_complete(&self) -> bool {
        self.pending.is_empty() && self.failed.is_empty()
    }

    /// Accounts whose ECR scanning is on or on its way, with their last ECR status.
    pub fn on(&self) -> impl Iterator<Item = (&String, &String)> {
        self.done.iter().chain(self.pending.iter()).filter(|(_, s)| status::is_on(s))
    }

    /// Multi-line, per-account text for the error users read. Empty when complete.
    pub fn problems(&self) -> String {
        let mut out = String::new();
        if !self.failed.is_empty() {
            let _ = writeln!(
                out,
                "Inspector could not {} ECR scanning for {} account(s):",
                if self.direction == Direction::Enable { "enable" } else { "disable" },
                self.failed.len()
            );
            for (account, f) in &self.failed {
                let _ = write!(out, "  {account}: {}: {}", f.code, f.message);
                if let Some(h) = f.hint {
                    let _ = write!(out, " (hint: {h})");
                }
                out.push('\n');
            }
        }
        if !self.pending.is_empty() {
            let _ = writeln!(
                out,
                "Timed out after {} waiting for ECR scanning to be {} in {} account(s):",
                fmt_duration(self.timeout),
                self.direction.target(),
                self.pending.len()
            );
            for (account, s) in &self.pending {
                let shown = if s.is_empty() { "not yet reported" } else { s.as_str() };
                let _ = write!(out, "  {account}: ECR {shown}");
                if let Some(e) = self.last_error.get(account) {
                    let _ = write!(out, " (last error: {e})");
                }
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "Accounts that finished are saved in state. Apply again to keep waiting, or raise the `timeouts` block."
            );
        }
        out.trim_end().to_owned()
    }
}

pub fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs();
    match (secs / 3600, (secs % 3600) / 60, secs % 60) {
        (0, 0, 0) => format!("{}ms", d.as_millis()),
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

/// An idempotency token unique to one Enable request; the SDK reuses it on its retries.
fn client_token(chunk: usize) -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("inspector2fix-{:x}-{:x}-{}-{chunk}", nanos, std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed))
}

/// A failed call whose cause will not pass by waiting (denied, invalid, unknown).
fn is_permanent(e: &AwsError) -> bool {
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

/// Moves ECR scanning of `account_ids` to ENABLED or DISABLED and waits until every account gets
/// there, fails for good, or `timeout` runs out. Never touches any other scan type.
pub async fn converge(
    api: &dyn InspectorApi,
    direction: Direction,
    account_ids: &BTreeSet<String>,
    timeout: Duration,
    caller: Option<&str>,
) -> Report {
    let deadline = Instant::now() + timeout;
    let mut report = Report {
        direction,
        done: BTreeMap::new(),
        pending: BTreeMap::new(),
        failed: BTreeMap::new(),
        last_error: BTreeMap::new(),
        timeout,
    };
    let mut to_call: Vec<String> = account_ids.iter().cloned().collect();
    // account -> (ECR status last read, reads in a row that found it settled the other way)
    let mut waiting: BTreeMap<String, (String, u32)> = BTreeMap::new();
    let mut backoff = Backoff::new();

    loop {
        if !to_call.is_empty() {
            let results = for_each_chunk(&to_call, |index, chunk| async move {
                match direction {
                    Direction::Enable => api.enable_ecr(&chunk, &client_token(index)).await,
                    Direction::Disable => api.disable_ecr(&chunk).await,
                }
            })
            .await;
            let mut again = Vec::new();
            for (chunk, result) in results {
                match result {
                    Err(e) if is_permanent(&e) => {
                        for account in chunk {
                            report.failed.insert(account, Failure::from_call(&e));
                        }
                    }
                    // Still throttled or failing after the SDK's own retries: try again later.
                    Err(e) => {
                        for account in &chunk {
                            report.last_error.insert(account.clone(), e.to_string());
                        }
                        again.extend(chunk);
                    }
                    Ok(outcome) => {
                        let mut seen = BTreeSet::new();
                        for a in &outcome.accounts {
                            seen.insert(a.account_id.clone());
                            match status::progress(direction, &a.account_status, &a.ecr_status) {
                                Progress::Done => {
                                    report.done.insert(a.account_id.clone(), a.ecr_status.clone());
                                }
                                Progress::Blocked { code, message } => {
                                    let f = FailedAccount {
                                        account_id: a.account_id.clone(),
                                        account_status: Some(a.account_status.clone()),
                                        error_code: code,
                                        error_message: message,
                                    };
                                    report
                                        .failed
                                        .insert(a.account_id.clone(), Failure::from_failed(direction, &f, caller));
                                }
                                Progress::InProgress | Progress::NotStarted => {
                                    waiting.insert(a.account_id.clone(), (a.ecr_status.clone(), 0));
                                }
                            }
                        }
                        for f in &outcome.failed {
                            seen.insert(f.account_id.clone());
                            if direction == Direction::Enable && f.error_code == "ALREADY_ENABLED" {
                                waiting.insert(f.account_id.clone(), (String::new(), 0));
                            } else if status::is_transient(&f.error_code) {
                                report
                                    .last_error
                                    .insert(f.account_id.clone(), format!("{}: {}", f.error_code, f.error_message));
                                again.push(f.account_id.clone());
                            } else {
                                report.failed.insert(f.account_id.clone(), Failure::from_failed(direction, f, caller));
                            }
                        }
                        // Not mentioned in the answer: find out from its status.
                        for account in chunk.into_iter().filter(|a| !seen.contains(a)) {
                            waiting.insert(account, (String::new(), 0));
                        }
                    }
                }
            }
            to_call = again;
        }

        if waiting.is_empty() && to_call.is_empty() {
            break;
        }
        if Instant::now() >= deadline {
            report.pending.extend(waiting.into_iter().map(|(a, (s, _))| (a, s)));
            report.pending.extend(to_call.into_iter().map(|a| (a, String::new())));
            break;
        }
        backoff.sleep_until_next(deadline).await;
        if waiting.is_empty() {
            continue;
        }

        let ids: Vec<String> = waiting.keys().cloned().collect();
        let results = for_each_chunk(&ids, |_, chunk| async move { api.account_status(&chunk).await }).await;
        for (chunk, result) in results {
            let outcome = match result {
                Ok(outcome) => outcome,
                Err(e) if is_permanent(&e) => {
                    for account in chunk {
                        waiting.remove(&account);
                        report.failed.insert(account, Failure::from_call(&e));
                    }
                    continue;
                }
                Err(e) => {
                    for account in chunk {
                        report.last_error.insert(account, e.to_string());
                    }
                    continue;
                }
            };
            let BatchOutcome { accounts, failed } = outcome;
            let mut seen = BTreeSet::new();
            for a in &accounts {
                if !waiting.contains_key(&a.account_id) {
                    continue;
                }
                seen.insert(a.account_id.clone());
                observe(
                    &mut report,
                    &mut waiting,
                    &mut to_call,
                    caller,
                    &a.account_id,
                    &a.account_status,
                    &a.ecr_status,
                );
            }
            for f in &failed {
                if !waiting.contains_key(&f.account_id) {
                    continue;
                }
                seen.insert(f.account_id.clone());
                if !status::is_transient(&f.error_code) {
                    waiting.remove(&f.account_id);
                    report.failed.insert(f.account_id.clone(), Failure::from_failed(direction, f, caller));
                }
            }
            // Inspector leaves out accounts it never saw (moto does; AWS reports them DISABLED).
            for account in &chunk {
                if seen.contains(account) || !waiting.contains_key(account) {
                    continue;
                }
                observe(&mut report, &mut waiting, &mut to_call, caller, account, "DISABLED", "DISABLED");
            }
        }
    }
    let pending = &report.pending;
    report.last_error.retain(|a, _| pending.contains_key(a));
    report
}

fn observe(
    report: &mut Report,
    waiting: &mut BTreeMap<String, (String, u32)>,
    to_call: &mut Vec<String>,
    caller: Option<&str>,
    account: &str,
    account_status: &str,
    ecr_status: &str,
) {
    let direction = report.direction;
    match status::progress(direction, account_status, ecr_status) {
        Progress::Done => {
            waiting.remove(account);
            report.done.insert(account.to_owned(), ecr_status.to_owned());
        }
        Progress::Blocked { code, message } => {
            waiting.remove(account);
            let f = FailedAccount {
                account_id: account.to_owned(),
                account_status: Some(account_status.to_owned()),
                error_code: code,
                error_message: message,
            };
            report.failed.insert(account.to_owned(), Failure::from_failed(direction, &f, caller));
        }
        Progress::InProgress => {
            if let Some(w) = waiting.get_mut(account) {
                *w = (ecr_status.to_owned(), 0);
            }
        }
        Progress::NotStarted => {
            if let Some(w) = waiting.get_mut(account) {
                w.0 = ecr_status.to_owned();
                w.1 += 1;
                if w.1 >= REISSUE_AFTER_READS {
                    waiting.remove(account);
                    to_call.push(account.to_owned());
                }
            }
        }
    }
}

/// ECR status of each account, as Inspector reports it now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// account -> ECR status; accounts Inspector never saw read DISABLED.
    pub ecr: BTreeMap<String, String>,
    /// Accounts whose status could not be read, and why.
    pub unreadable: BTreeMap<String, Failure>,
}

pub async fn read(api: &dyn InspectorApi, account_ids: &BTreeSet<String>) -> Result<Reading, AwsError> {
    let ids: Vec<String> = account_ids.iter().cloned().collect();
    let results = for_each_chunk(&ids, |_, chunk| async move { api.account_status(&chunk).await }).await;
    let mut reading = Reading::default();
    for (chunk, result) in results {
        let outcome = result?;
        for a in outcome.accounts.into_iter().filter(|a| account_ids.contains(&a.account_id)) {
            reading.ecr.insert(a.account_id, a.ecr_status);
        }
        for f in outcome.failed.iter().filter(|f| account_ids.contains(&f.account_id)) {
            reading.unreadable.insert(f.account_id.clone(), Failure::from_failed(Direction::Enable, f, None));
        }
        for account in chunk {
            if !reading.ecr.contains_key(&account) && !reading.unreadable.contains_key(&account) {
                reading.ecr.insert(account, "DISABLED".into());
            }
        }
    }
    Ok(reading)
}

#[cfg(test)]
pub(crate) mod fake;

#[cfg(test)]
mod tests;

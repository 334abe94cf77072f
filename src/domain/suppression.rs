//! Suppressing a control's findings, without Terraform: which findings this provider owns, which
//! wait to be suppressed, suppressing them with the reason as their note, returning them to NEW,
//! and a report of what Security Hub did not process. The resource translates to and from it.

use std::collections::BTreeSet;
use std::fmt;

use crate::aws::securityhub::api::{Finding, FindingQuery, FindingUpdate, NoteUpdate, WorkflowStatus};
use crate::aws::AwsError;
use crate::domain::findings::{self, Hub};
use crate::validate::MAX_NOTE;

#[cfg(test)]
mod tests;

/// Written as Note.UpdatedBy on every finding this provider changes; how an import finds them.
pub const NOTE_AUTHOR: &str = "inspector2fix";

/// The findings a suppression owned before this run.
#[derive(Clone, Copy, Debug)]
pub enum Owned<'a> {
    These(&'a BTreeSet<String>),
    /// Just imported: own what this provider suppressed, and take the reason from its note.
    Adopt,
}

/// What Security Hub holds for a suppression now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observed {
    /// Owned findings that are still suppressed.
    pub owned: BTreeSet<String>,
    /// ACTIVE findings that are not suppressed: the next apply suppresses them.
    pub pending: BTreeSet<String>,
    /// With [`Owned::Adopt`]: the note of the first adopted finding.
    pub adopted_reason: Option<String>,
}

/// The step a finding was not processed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    RewriteNote,
    Suppress,
    Restore,
}

/// A finding Security Hub did not update, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unprocessed {
    pub finding_id: String,
    pub step: Step,
    pub error: String,
}

impl fmt::Display for Unprocessed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Step::RewriteNote => write!(f, "{}: note not rewritten: {}", self.finding_id, self.error),
            Step::Suppress | Step::Restore => write!(f, "{}: {}", self.finding_id, self.error),
        }
    }
}

/// The outcome of [`suppress`]. Every ACTIVE finding is in `suppressed`, `pending` or neither
/// (suppressed by someone else); every finding not updated is also in `unprocessed`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuppressReport {
    pub suppressed: BTreeSet<String>,
    pub pending: BTreeSet<String>,
    pub unprocessed: Vec<Unprocessed>,
    /// How many ACTIVE findings the query matched, suppressed or not.
    pub listed: usize,
}

/// Why a suppression cannot start on a control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupError {
    /// Security Hub has no security control with this id.
    UnknownControl(String),
    Aws(AwsError),
}

impl From<AwsError> for SetupError {
    fn from(e: AwsError) -> Self {
        SetupError::Aws(e)
    }
}

/// The outcome of [`restore`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestoreReport {
    pub restored: Vec<String>,
    pub unprocessed: Vec<Unprocessed>,
}

/// One line per unprocessed finding, the first 20 then "and N more".
fn lines(unprocessed: &[Unprocessed]) -> String {
    crate::text::capped_lines(unprocessed)
}

impl SuppressReport {
    /// What users read when some findings were not updated; None when all were.
    pub fn problems(&self) -> Option<String> {
        (!self.unprocessed.is_empty()).then(|| {
            format!(
                "Security Hub did not process {} finding(s):\n{}\nThe findings that were suppressed are saved in state; apply again to retry.",
                self.unprocessed.len(),
                lines(&self.unprocessed)
            )
        })
    }
}

impl RestoreReport {
    pub fn problems(&self) -> Option<String> {
        (!self.unprocessed.is_empty()).then(|| {
            format!(
                "Security Hub did not return {} finding(s) to NEW:\n{}",
                self.unprocessed.len(),
                lines(&self.unprocessed)
            )
        })
    }
}

/// The note left on findings returned to NEW. It quotes the reason, cut short with an ellipsis
/// where needed, so it stays within Security Hub's limit whatever the reason's length: a note
/// that does not fit would leave the findings suppressed and the resource impossible to destroy.
pub fn removal_note(reason: Option<&str>) -> String {
    let Some(reason) = reason else { return format!("Suppression removed by {NOTE_AUTHOR}") };
    let framed = |quoted: &str| format!("Suppression removed by {NOTE_AUTHOR} (the reason was: {quoted})");
    let room = MAX_NOTE.saturating_sub(framed("").chars().count());
    if reason.chars().count() <= room {
        return framed(reason);
    }
    let kept: String = reason.chars().take(room.saturating_sub(1)).collect();
    framed(&format!("{}…", kept.trim_end()))
}

fn note(text: String) -> NoteUpdate {
    NoteUpdate { text, updated_by: NOTE_AUTHOR.to_owned() }
}

fn owned_by<'f>(findings: &'f [Finding], owned: &BTreeSet<String>) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.is_suppressed() && owned.contains(&f.id)).collect()
}

fn ids<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> BTreeSet<String> {
    findings.into_iter().map(|f| f.id.clone()).collect()
}

/// Sorts `findings` (as [`findings::list`] returns them) into owned and pending.
pub fn observe_in(findings: &[Finding], owned: Owned<'_>) -> Observed {
    let (owned, adopted_reason) = match owned {
        Owned::These(ids) => (owned_by(findings, ids), None),
        Owned::Adopt => {
            let ours: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.is_suppressed() && f.note_updated_by.as_deref() == Some(NOTE_AUTHOR))
                .collect();
            let reason = ours.first().and_then(|f| f.note_text.clone());
            (ours, reason)
        }
    };
    let pending = ids(findings.iter().filter(|f| !f.is_suppressed()));
    Observed { owned: ids(owned), pending, adopted_reason }
}

/// Reads the control's findings and sorts them into owned and pending.
pub async fn observe(hub: &Hub<'_>, query: &FindingQuery, owned: Owned<'_>) -> Result<Observed, AwsError> {
    let all = findings::list(hub, query).await?;
    Ok(observe_in(&all, owned))
}

/// Checks that Security Hub knows the control, with one BatchGetSecurityControls call as the data
/// source does: a misspelt id (ids are case-sensitive) would otherwise match no finding and
/// "succeed" while suppressing nothing.
pub async fn check_control(hub: &Hub<'_>, control_id: &str) -> Result<(), SetupError> {
    match hub.api.control(control_id).await? {
        Some(_) => Ok(()),
        None => Err(SetupError::UnknownControl(control_id.to_owned())),
    }
}

/// A new suppression: checks the control, then suppresses every ACTIVE finding of the query that
/// is not suppressed. Findings this provider suppressed with the same reason are adopted as they
/// are, never reopened: they are what a tainted instance now being replaced had suppressed.
pub async fn create(hub: &Hub<'_>, query: &FindingQuery, reason: &str) -> Result<SuppressReport, SetupError> {
    check_control(hub, &query.control_id).await?;
    let all = findings::list(hub, query).await?;
    let ours = all.iter().filter(|f| {
        f.is_suppressed() && f.note_updated_by.as_deref() == Some(NOTE_AUTHOR) && f.note_text.as_deref() == Some(reason)
    });
    let adopted = ids(ours);
    Ok(suppress_listed(hub, &all, reason, &adopted, false).await)
}

/// Suppresses every ACTIVE finding of the query that is not suppressed, with `reason` as its
/// note. With `rewrite_note`, first writes `reason` on the owned findings still suppressed.
/// Fails only when the findings cannot be listed; refused updates go into the report.
pub async fn suppress(
    hub: &Hub<'_>,
    query: &FindingQuery,
    reason: &str,
    owned_before: &BTreeSet<String>,
    rewrite_note: bool,
) -> Result<SuppressReport, AwsError> {
    let all = findings::list(hub, query).await?;
    Ok(suppress_listed(hub, &all, reason, owned_before, rewrite_note).await)
}

/// [`suppress`] on findings already listed.
async fn suppress_listed(
    hub: &Hub<'_>,
    all: &[Finding],
    reason: &str,
    owned_before: &BTreeSet<String>,
    rewrite_note: bool,
) -> SuppressReport {
    let owned = owned_by(all, owned_before);
    let pending: Vec<&Finding> = all.iter().filter(|f| !f.is_suppressed()).collect();
    let mut unprocessed = Vec::new();
    if rewrite_note && !owned.is_empty() {
        let rewrite = FindingUpdate { workflow_status: None, note: Some(note(reason.to_owned())) };
        let done = findings::update(hub, &owned, &rewrite).await;
        unprocessed.extend(failures(done.failed, Step::RewriteNote));
    }
    let suppress =
        FindingUpdate { workflow_status: Some(WorkflowStatus::Suppressed), note: Some(note(reason.to_owned())) };
    let done = findings::update(hub, &pending, &suppress).await;
    unprocessed.extend(failures(done.failed, Step::Suppress));
    let mut suppressed = ids(owned);
    suppressed.extend(done.processed);
    let pending = ids(pending).into_iter().filter(|id| !suppressed.contains(id)).collect();
    SuppressReport { suppressed, pending, unprocessed, listed: all.len() }
}

/// Returns the owned findings that are still suppressed to NEW, with a note saying so. Makes no
/// call when nothing is owned.
pub async fn restore(
    hub: &Hub<'_>,
    query: &FindingQuery,
    owned: &BTreeSet<String>,
    reason: Option<&str>,
) -> Result<RestoreReport, AwsError> {
    if owned.is_empty() {
        return Ok(RestoreReport::default());
    }
    let all = findings::list(hub, query).await?;
    let targets = owned_by(&all, owned);
    let restore = FindingUpdate { workflow_status: Some(WorkflowStatus::New), note: Some(note(removal_note(reason))) };
    let done = findings::update(hub, &targets, &restore).await;
    Ok(RestoreReport { restored: done.processed, unprocessed: failures(done.failed, Step::Restore).collect() })
}

fn failures(failed: std::collections::BTreeMap<String, String>, step: Step) -> impl Iterator<Item = Unprocessed> {
    failed.into_iter().map(move |(finding_id, error)| Unprocessed { finding_id, step, error })
}

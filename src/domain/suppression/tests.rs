use std::collections::BTreeSet;

use super::*;
use crate::aws::securityhub::api::{Control, RecordState, UnprocessedFinding, WorkflowStatus};
use crate::domain::findings::fake::{error, finding, FakeSecurityHub, CONTROL};
use crate::domain::ratelimit::RateLimiter;

const REASON: &str = "Owners accepted the risk: SEC-1";

struct Rates {
    list: RateLimiter,
    update: RateLimiter,
}

impl Rates {
    fn new() -> Self {
        Rates { list: RateLimiter::new(3.0, 6), update: RateLimiter::new(10.0, 10) }
    }

    fn hub<'a>(&'a self, api: &'a FakeSecurityHub) -> Hub<'a> {
        Hub { api, list_rate: &self.list, update_rate: &self.update }
    }
}

fn query() -> FindingQuery {
    FindingQuery { control_id: CONTROL.into(), account_id: None, region: None }
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn suppressed_by(id: &str, author: &str, note: &str) -> Finding {
    let mut f = finding(id, "111111111111", "FAILED", "SUPPRESSED");
    f.note_updated_by = Some(author.into());
    f.note_text = Some(note.into());
    f
}

/// f1 NEW, f2 NOTIFIED, f3 ARCHIVED, f4 suppressed by someone else, f5 suppressed by us.
fn world() -> FakeSecurityHub {
    let mut archived = finding("f3", "111111111111", "FAILED", "NEW");
    archived.record_state = Some(RecordState::Archived);
    FakeSecurityHub::with(vec![
        finding("f1", "111111111111", "FAILED", "NEW"),
        finding("f2", "222222222222", "FAILED", "NOTIFIED"),
        archived,
        suppressed_by("f4", "someone", "their reason"),
        suppressed_by("f5", NOTE_AUTHOR, "old reason"),
    ])
}

fn workflow(api: &FakeSecurityHub, id: &str) -> String {
    api.stored(id).workflow_status.map(|s| s.to_string()).unwrap_or_else(|| "<missing>".into())
}

#[tokio::test(start_paused = true)]
async fn suppress_sets_pending_findings_suppressed_with_the_reason() {
    let api = world();
    let rates = Rates::new();
    let report = suppress(&rates.hub(&api), &query(), REASON, &BTreeSet::new(), false).await.expect("listed");
    assert_eq!(report.suppressed, set(&["f1", "f2"]));
    assert!(report.pending.is_empty() && report.unprocessed.is_empty() && report.problems().is_none(), "{report:?}");
    for id in ["f1", "f2"] {
        let f = api.stored(id);
        assert_eq!(workflow(&api, id), "SUPPRESSED");
        assert_eq!((f.note_text.as_deref(), f.note_updated_by.as_deref()), (Some(REASON), Some(NOTE_AUTHOR)));
    }
    assert_eq!(workflow(&api, "f3"), "NEW", "archived findings are left alone");
    assert_eq!(api.stored("f4").note_text.as_deref(), Some("their reason"), "someone else's suppression is left alone");
    assert_eq!(api.calls("BatchUpdateFindings").len(), 1, "one chunk, and no note rewrite unless asked");
}

#[tokio::test(start_paused = true)]
async fn suppress_keeps_owned_findings_and_rewrites_their_note_only_when_asked() {
    let api = world();
    let rates = Rates::new();
    let owned = set(&["f5", "f9"]);
    let report = suppress(&rates.hub(&api), &query(), REASON, &owned, false).await.expect("listed");
    assert_eq!(report.suppressed, set(&["f1", "f2", "f5"]), "f9 is gone from Security Hub, so no longer owned");
    assert_eq!(api.stored("f5").note_text.as_deref(), Some("old reason"));

    let report = suppress(&rates.hub(&api), &query(), "new reason", &report.suppressed, true).await.expect("listed");
    assert_eq!(report.suppressed, set(&["f1", "f2", "f5"]));
    let calls = api.calls("BatchUpdateFindings");
    let rewrite = calls.last().expect("the note rewrite is the last call: nothing was pending");
    assert_eq!(rewrite.finding_ids, ["f1", "f5", "f2"], "all owned findings, by account then id");
    let change = rewrite.update.as_ref().expect("recorded");
    assert_eq!(change.workflow_status, None, "a rewrite leaves the workflow as it is");
    for id in ["f1", "f2", "f5"] {
        assert_eq!(api.stored(id).note_text.as_deref(), Some("new reason"));
    }
    assert_eq!(api.stored("f4").note_text.as_deref(), Some("their reason"));
}

#[tokio::test(start_paused = true)]
async fn unprocessed_findings_are_reported_and_stay_pending() {
    let api = FakeSecurityHub::with(vec![
        finding("g1", "111111111111", "FAILED", "NEW"),
        finding("g2", "111111111111", "FAILED", "NEW"),
        suppressed_by("g3", NOTE_AUTHOR, "old"),
    ]);
    let too_big = UnprocessedFinding {
        id: "g2".into(),
        error_code: "FindingSizeExceeded".into(),
        error_message: "too big".into(),
    };
    let refused = UnprocessedFinding { id: "g3".into(), error_code: "AccessDenied".into(), error_message: "no".into() };
    api.inner.lock().unwrap().refuse.extend([too_big, refused]);
    let rates = Rates::new();
    let report = suppress(&rates.hub(&api), &query(), REASON, &set(&["g3"]), true).await.expect("listed");
    assert_eq!(report.suppressed, set(&["g1", "g3"]), "g3 is still suppressed, only its note was refused");
    assert_eq!(report.pending, set(&["g2"]));
    let steps: Vec<(&str, Step)> = report.unprocessed.iter().map(|u| (u.finding_id.as_str(), u.step)).collect();
    assert_eq!(steps, [("g3", Step::RewriteNote), ("g2", Step::Suppress)]);
    let text = report.problems().expect("problems are reported");
    assert!(text.starts_with("Security Hub did not process 2 finding(s):\n"), "{text}");
    assert!(
        text.contains("  g3: note not rewritten: AccessDenied: no\n  g2: FindingSizeExceeded: too big\n"),
        "{text}"
    );
    assert!(text.ends_with("apply again to retry."), "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_failed_listing_updates_nothing() {
    let api = world();
    api.inner
        .lock()
        .unwrap()
        .call_errors
        .insert("GetFindings", [error("GetFindings", "InvalidAccessException")].into());
    let rates = Rates::new();
    let e = suppress(&rates.hub(&api), &query(), REASON, &BTreeSet::new(), false).await.expect_err("listing failed");
    assert_eq!(e.code.as_deref(), Some("InvalidAccessException"));
    assert!(api.calls("BatchUpdateFindings").is_empty());
}

#[tokio::test(start_paused = true)]
async fn restore_returns_owned_findings_to_new_and_leaves_the_rest() {
    let api = world();
    let rates = Rates::new();
    let owned = set(&["f5", "f1"]);
    let report = restore(&rates.hub(&api), &query(), &owned, Some("SEC-1")).await.expect("listed");
    assert_eq!(report.restored, ["f5"], "f1 was not suppressed, so there is nothing to restore");
    assert!(report.problems().is_none());
    assert_eq!(workflow(&api, "f5"), "NEW");
    let note = api.stored("f5").note_text.expect("a note says why");
    assert_eq!(note, "Suppression removed by inspector2fix (the reason was: SEC-1)");
    assert_eq!(workflow(&api, "f4"), "SUPPRESSED", "someone else's suppression stays");
    assert_eq!(workflow(&api, "f1"), "NEW");
}

#[tokio::test(start_paused = true)]
async fn restore_without_owned_findings_calls_nothing() {
    let api = world();
    let rates = Rates::new();
    let report = restore(&rates.hub(&api), &query(), &BTreeSet::new(), None).await.expect("no call to fail");
    assert_eq!(report, RestoreReport::default());
    assert!(api.inner.lock().unwrap().calls.is_empty());
}

#[tokio::test(start_paused = true)]
async fn restore_reports_findings_that_stay_suppressed() {
    let api = world();
    api.inner
        .lock()
        .unwrap()
        .call_errors
        .insert("BatchUpdateFindings", [error("BatchUpdateFindings", "InternalException")].into());
    let rates = Rates::new();
    let report = restore(&rates.hub(&api), &query(), &set(&["f5"]), None).await.expect("listed");
    assert!(report.restored.is_empty());
    let text = report.problems().expect("reported");
    assert_eq!(
        text,
        "Security Hub did not return 1 finding(s) to NEW:\n  f5: BatchUpdateFindings: InternalException: injected InternalException"
    );
    assert_eq!(workflow(&api, "f5"), "SUPPRESSED");
}

#[tokio::test(start_paused = true)]
async fn observe_sorts_owned_and_pending_and_import_adopts_our_findings() {
    let api = world();
    let rates = Rates::new();
    let seen = observe(&rates.hub(&api), &query(), Owned::These(&set(&["f1", "f4"]))).await.expect("listed");
    assert_eq!(seen.owned, set(&["f4"]), "owned means owned and still suppressed");
    assert_eq!(seen.pending, set(&["f1", "f2"]));
    assert_eq!(seen.adopted_reason, None);
    let adopted = observe(&rates.hub(&api), &query(), Owned::Adopt).await.expect("listed");
    assert_eq!(adopted.owned, set(&["f5"]), "only findings whose note this provider wrote");
    assert_eq!(adopted.adopted_reason.as_deref(), Some("old reason"));
    assert_eq!(adopted.pending, set(&["f1", "f2"]));
}

#[test]
fn removal_notes() {
    assert_eq!(removal_note(None), "Suppression removed by inspector2fix");
    assert_eq!(removal_note(Some("R")), "Suppression removed by inspector2fix (the reason was: R)");
}

#[test]
fn removal_notes_fit_security_hub_whatever_the_reason_length() {
    let frame = removal_note(Some("")).chars().count();
    let room = MAX_NOTE - frame;
    let exact = "r".repeat(room);
    assert_eq!(removal_note(Some(&exact)).chars().count(), MAX_NOTE, "a reason that fits is quoted whole");
    assert!(removal_note(Some(&exact)).ends_with(&format!("{exact})")));
    for length in [room + 1, 458, 500, MAX_NOTE] {
        for unit in ["x", "é", "日"] {
            let reason = unit.repeat(length);
            let note = removal_note(Some(&reason));
            assert_eq!(note.chars().count(), MAX_NOTE, "{length} x {unit}: {note}");
            assert!(note.starts_with("Suppression removed by inspector2fix (the reason was: "), "{note}");
            assert!(note.ends_with(&format!("{}…)", unit.repeat(room - 1))), "{note}");
        }
    }
    let spaced = format!("{}   {}", "a".repeat(room - 3), "b".repeat(100));
    assert!(removal_note(Some(&spaced)).ends_with("a…)"), "no blank before the ellipsis");
}

#[tokio::test(start_paused = true)]
async fn a_512_character_reason_is_suppressed_and_restored() {
    let api = world();
    let rates = Rates::new();
    let reason = "y".repeat(MAX_NOTE);
    let report = suppress(&rates.hub(&api), &query(), &reason, &BTreeSet::new(), false).await.expect("listed");
    assert!(report.unprocessed.is_empty(), "{report:?}");
    let report = restore(&rates.hub(&api), &query(), &report.suppressed, Some(&reason)).await.expect("listed");
    assert!(report.problems().is_none(), "{report:?}");
    assert_eq!(report.restored, ["f1", "f2"]);
    for id in ["f1", "f2"] {
        assert_eq!(workflow(&api, id), "NEW");
        let note = api.stored(id).note_text.expect("a removal note");
        assert_eq!(note.chars().count(), MAX_NOTE, "{note}");
    }
}

fn with_control(api: FakeSecurityHub) -> FakeSecurityHub {
    let control =
        Control { id: CONTROL.into(), title: "ECR scanning".into(), severity: "HIGH".into(), ..Default::default() };
    api.inner.lock().unwrap().controls.push(control);
    api
}

#[tokio::test(start_paused = true)]
async fn create_refuses_an_unknown_control_after_one_lookup_and_touches_nothing() {
    let api = with_control(world());
    let rates = Rates::new();
    let misspelt = FindingQuery { control_id: "inspector.2".into(), account_id: None, region: None };
    let e = create(&rates.hub(&api), &misspelt, REASON).await.expect_err("no such control");
    assert_eq!(e, SetupError::UnknownControl("inspector.2".into()));
    assert_eq!(api.calls("BatchGetSecurityControls").len(), 1);
    assert!(api.calls("GetFindings").is_empty() && api.calls("BatchUpdateFindings").is_empty());
    assert_eq!(workflow(&api, "f1"), "NEW");
}

#[tokio::test(start_paused = true)]
async fn create_passes_on_a_failed_control_lookup() {
    let api = with_control(world());
    let denied = error("BatchGetSecurityControls", "AccessDeniedException");
    api.inner.lock().unwrap().call_errors.insert("BatchGetSecurityControls", [denied].into());
    let rates = Rates::new();
    let e = create(&rates.hub(&api), &query(), REASON).await.expect_err("lookup failed");
    assert!(matches!(&e, SetupError::Aws(e) if e.code.as_deref() == Some("AccessDeniedException")), "{e:?}");
    assert!(api.calls("GetFindings").is_empty());
}

#[tokio::test(start_paused = true)]
async fn create_on_a_control_without_findings_suppresses_nothing_and_says_so() {
    let api = with_control(FakeSecurityHub::with(vec![]));
    let rates = Rates::new();
    let report = create(&rates.hub(&api), &query(), REASON).await.expect("the control exists");
    assert_eq!(report, SuppressReport::default(), "listed is 0, which the resource turns into a warning");
    assert_eq!(api.calls("BatchGetSecurityControls").len(), 1);
    assert!(api.calls("BatchUpdateFindings").is_empty());
}

/// A tainted instance suppressed f6 with this reason before its apply failed; its replacement
/// adopts f6 as it is and only suppresses what is pending: nothing goes back to NEW.
#[tokio::test(start_paused = true)]
async fn create_adopts_what_a_replaced_instance_suppressed_without_reopening_it() {
    let api = world();
    api.inner.lock().unwrap().findings.get_mut(CONTROL).expect("seeded").push(suppressed_by("f6", NOTE_AUTHOR, REASON));
    let api = with_control(api);
    let rates = Rates::new();
    let report = create(&rates.hub(&api), &query(), REASON).await.expect("created");
    assert_eq!(report.suppressed, set(&["f1", "f2", "f6"]), "f5 has another reason, f4 another author");
    assert_eq!(report.listed, 5, "f1, f2, f4, f5 and f6 are ACTIVE");
    let updates = api.calls("BatchUpdateFindings");
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(updates[0].finding_ids, ["f1", "f2"], "only the pending findings are updated");
    let change = updates[0].update.as_ref().expect("recorded");
    assert_eq!(change.workflow_status, Some(WorkflowStatus::Suppressed));
    assert_eq!(workflow(&api, "f6"), "SUPPRESSED");
}

/// In an aggregation Region Security Hub also returns the linked Regions' findings: a suppression
/// of one Region suppresses, and restores, only that Region's findings, even if the Region filter
/// is not applied by the server.
#[tokio::test(start_paused = true)]
async fn a_suppression_changes_only_the_findings_of_its_region() {
    let in_region =
        |id: &str, region: &str| Finding { region: region.into(), ..finding(id, "111111111111", "FAILED", "NEW") };
    let api = with_control(FakeSecurityHub::with(vec![
        in_region("eu1", "eu-west-1"),
        in_region("us1", "us-east-1"),
        in_region("eu2", "eu-west-1"),
    ]));
    api.inner.lock().unwrap().ignore_filters = true;
    let rates = Rates::new();
    let eu = FindingQuery { region: Some("eu-west-1".into()), ..query() };
    let report = create(&rates.hub(&api), &eu, REASON).await.expect("created");
    assert_eq!(report.suppressed, set(&["eu1", "eu2"]));
    assert_eq!((workflow(&api, "eu1"), workflow(&api, "us1")), ("SUPPRESSED".into(), "NEW".into()));
    let updated: Vec<String> = api.calls("BatchUpdateFindings").into_iter().flat_map(|c| c.finding_ids).collect();
    assert_eq!(updated, ["eu1", "eu2"], "the other Region's finding is never named");

    api.inner.lock().unwrap().findings.get_mut(CONTROL).expect("seeded")[1].workflow_status =
        Some(WorkflowStatus::Suppressed);
    let restored = restore(&rates.hub(&api), &eu, &set(&["eu1", "eu2", "us1"]), Some(REASON)).await.expect("restored");
    assert_eq!(restored.restored, ["eu1", "eu2"], "us1 is not this Region's to restore");
    assert_eq!(workflow(&api, "us1"), "SUPPRESSED");
}

use std::time::Duration;

use tokio::time::Instant;

use super::fake::{error, finding, FakeSecurityHub, CONTROL};
use super::*;
use crate::aws::securityhub::api::{NoteUpdate, UnprocessedFinding, WorkflowStatus};

fn rates() -> (RateLimiter, RateLimiter) {
    (RateLimiter::new(3.0, 6), RateLimiter::new(10.0, 10))
}

fn query(account: Option<&str>) -> FindingQuery {
    FindingQuery { control_id: CONTROL.into(), account_id: account.map(str::to_owned), region: None }
}

/// `n` FAILED, NEW findings spread over three accounts, in an order that is not sorted.
fn many(n: usize) -> Vec<Finding> {
    (0..n).rev().map(|i| finding(&format!("f{i:04}"), &format!("{:012}", 100 + i % 3), "FAILED", "NEW")).collect()
}

fn f(compliance: &str, workflow: &str, record: &str) -> Finding {
    Finding {
        compliance_status: Some(compliance.into()),
        workflow_status: Some(workflow.into()),
        record_state: Some(record.into()),
        ..Default::default()
    }
}

#[tokio::test(start_paused = true)]
async fn list_reads_every_page_sorted_by_account_then_id() {
    let api = FakeSecurityHub::with(many(250));
    let (list_rate, update_rate) = rates();
    let hub = Hub { api: &api, list_rate: &list_rate, update_rate: &update_rate };
    let all = list(&hub, &query(None)).await.expect("listing succeeds");
    assert_eq!(api.calls("GetFindings").len(), 3, "250 findings are 3 pages of 100");
    assert_eq!(all.len(), 250);
    let keys: Vec<(String, String)> = all.iter().map(|f| (f.account_id.clone(), f.id.clone())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys[0], ("000000000100".to_string(), "f0000".to_string()));
}

#[tokio::test(start_paused = true)]
async fn list_keeps_to_three_pages_a_second_after_a_burst_of_six() {
    let api = FakeSecurityHub::with(many(100));
    api.inner.lock().unwrap().page_size = 10;
    let (list_rate, update_rate) = rates();
    let hub = Hub { api: &api, list_rate: &list_rate, update_rate: &update_rate };
    let start = Instant::now();
    let all = list(&hub, &query(None)).await.expect("listing succeeds");
    assert_eq!(all.len(), 100);
    let at: Vec<Duration> = api.calls("GetFindings").iter().map(|c| c.at - start).collect();
    assert_eq!(at.len(), 10, "10 pages of 10");
    assert!(at[..6].iter().all(Duration::is_zero), "the burst of 6 goes at once: {at:?}");
    for pair in at[5..].windows(2) {
        let gap = (pair[1] - pair[0]).as_secs_f64();
        assert!((gap - 1.0 / 3.0).abs() < 0.01, "pages after the burst are a third of a second apart: {at:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn list_checks_the_filters_security_hub_was_asked_to_apply() {
    let mut archived = finding("a1", "111111111111", "FAILED", "NEW");
    archived.record_state = Some(RecordState::Archived);
    let mut unstated = finding("u1", "111111111111", "PASSED", "RESOLVED");
    unstated.record_state = None;
    let findings = vec![
        finding("f2", "222222222222", "FAILED", "NEW"),
        archived,
        unstated,
        finding("f1", "111111111111", "FAILED", "NEW"),
    ];
    let api = FakeSecurityHub::with(findings);
    api.inner.lock().unwrap().ignore_filters = true;
    let (list_rate, update_rate) = rates();
    let hub = Hub { api: &api, list_rate: &list_rate, update_rate: &update_rate };
    let ids = |all: Vec<Finding>| all.into_iter().map(|f| f.id).collect::<Vec<_>>();
    assert_eq!(ids(list(&hub, &query(None)).await.unwrap()), ["f1", "u1", "f2"], "ARCHIVED is dropped");
    assert_eq!(ids(list(&hub, &query(Some("222222222222"))).await.unwrap()), ["f2"], "other accounts are dropped");
}

/// An aggregation Region returns the findings of every linked Region: only the query's Region's
/// are kept, whether Security Hub applied the Region filter or not.
#[tokio::test(start_paused = true)]
async fn list_keeps_only_the_findings_of_the_query_region() {
    let in_region =
        |id: &str, region: &str| Finding { region: region.into(), ..finding(id, "111111111111", "FAILED", "NEW") };
    let findings = vec![in_region("e1", "eu-west-1"), in_region("u1", "us-east-1"), in_region("e2", "eu-west-1")];
    let ids = |all: Vec<Finding>| all.into_iter().map(|f| f.id).collect::<Vec<_>>();
    let eu = FindingQuery { region: Some("eu-west-1".into()), ..query(None) };
    for ignore_filters in [false, true] {
        let api = FakeSecurityHub::with(findings.clone());
        api.inner.lock().unwrap().ignore_filters = ignore_filters;
        let (list_rate, update_rate) = rates();
        let hub = Hub { api: &api, list_rate: &list_rate, update_rate: &update_rate };
        assert_eq!(ids(list(&hub, &eu).await.unwrap()), ["e1", "e2"], "ignore_filters {ignore_filters}");
        let sent = api.calls("GetFindings")[0].query.clone().expect("the query is recorded");
        assert_eq!(sent.region.as_deref(), Some("eu-west-1"), "the Region filter is sent");
        assert_eq!(ids(list(&hub, &query(None)).await.unwrap()), ["e1", "e2", "u1"], "no Region: every Region");
    }
}

#[tokio::test(start_paused = true)]
async fn list_fails_with_the_first_failed_page() {
    let api = FakeSecurityHub::with(many(250));
    api.inner
        .lock()
        .unwrap()
        .call_errors
        .insert("GetFindings", [error("GetFindings", "InvalidAccessException")].into());
    let (list_rate, update_rate) = rates();
    let hub = Hub { api: &api, list_rate: &list_rate, update_rate: &update_rate };
    let e = list(&hub, &query(None)).await.expect_err("the error is returned");
    assert_eq!(e.code.as_deref(), Some("InvalidAccessException"));
    assert_eq!(api.calls("GetFindings").len(), 1, "no page after a failed one");
}

#[test]
fn derivation_follows_security_hub() {
    use ControlCompliance::*;
    assert_eq!(compliance(&[]).status, NoData);
    assert_eq!(compliance(&[f("PASSED", "RESOLVED", "ACTIVE")]).status, Passed);
    assert_eq!(compliance(&[f("PASSED", "NEW", "ACTIVE"), f("FAILED", "NEW", "ACTIVE")]).status, Failed);
    assert_eq!(compliance(&[f("PASSED", "NEW", "ACTIVE"), f("WARNING", "NEW", "ACTIVE")]).status, Unknown);
    assert_eq!(compliance(&[f("NOT_AVAILABLE", "NEW", "ACTIVE")]).status, Unknown);
    assert_eq!(compliance(&[f("FAILED", "NEW", "ACTIVE"), f("WARNING", "NEW", "ACTIVE")]).status, Failed);
    // Suppressed and archived findings do not count.
    let c = compliance(&[
        f("FAILED", "SUPPRESSED", "ACTIVE"),
        f("PASSED", "NEW", "ACTIVE"),
        f("FAILED", "NEW", "ARCHIVED"),
    ]);
    assert_eq!((c.status, c.passed, c.failed, c.suppressed), (Passed, 1, 0, 1));
    let c = compliance(&[f("FAILED", "SUPPRESSED", "ACTIVE")]);
    assert_eq!((c.status, c.suppressed), (NoData, 1));
    assert_eq!(
        [Failed, Passed, Unknown, NoData].map(ControlCompliance::as_str),
        ["FAILED", "PASSED", "UNKNOWN", "NO_DATA"]
    );
}

#[test]
fn statuses_new_to_aws_do_not_pass_or_hide_a_finding() {
    use ControlCompliance::*;
    // A compliance status this provider does not know is not a pass.
    assert_eq!(compliance(&[f("PASSED", "NEW", "ACTIVE"), f("EXEMPT", "NEW", "ACTIVE")]).status, Unknown);
    // A workflow status it does not know does not suppress, so the finding still counts.
    let c = compliance(&[f("FAILED", "ESCALATED", "ACTIVE")]);
    assert_eq!((c.status, c.failed, c.suppressed), (Failed, 1, 0));
    // A missing compliance status is not a pass either.
    let mut missing = f("PASSED", "NEW", "ACTIVE");
    missing.compliance_status = None;
    assert_eq!(compliance(&[missing]).status, Unknown);
}

#[tokio::test(start_paused = true)]
async fn update_goes_in_chunks_of_100_at_ten_calls_a_second() {
    let api = FakeSecurityHub::with(many(1500));
    {
        let mut world = api.inner.lock().unwrap();
        let refused = UnprocessedFinding { id: "f0007".into(), error_code: "TooBig".into(), error_message: "x".into() };
        world.refuse.push(refused);
        world.call_errors.insert("BatchUpdateFindings", [error("BatchUpdateFindings", "InternalException")].into());
    }
    let (list_rate, update_rate) = rates();
    let hub = Hub { api: &api, list_rate: &list_rate, update_rate: &update_rate };
    let all = many(1500);
    let targets: Vec<&Finding> = all.iter().collect();
    let note = NoteUpdate { text: "why".into(), updated_by: "me".into() };
    let change = FindingUpdate { workflow_status: Some(WorkflowStatus::Suppressed), note: Some(note) };
    let start = Instant::now();
    let done = update(&hub, &targets, &change).await;
    let calls = api.calls("BatchUpdateFindings");
    assert_eq!(calls.len(), 15);
    assert!(calls.iter().all(|c| c.finding_ids.len() == 100 && c.update.as_ref() == Some(&change)));
    let at: Vec<Duration> = calls.iter().map(|c| c.at - start).collect();
    assert!(at[..10].iter().all(Duration::is_zero), "a burst of 10: {at:?}");
    assert!((at[14].as_secs_f64() - 0.5).abs() < 0.01, "then 10 a second: {at:?}");
    // The first call failed as a whole: its 100 findings failed with the call's error.
    let first: Vec<&String> = calls[0].finding_ids.iter().collect();
    assert!(first
        .iter()
        .all(|id| done.failed[*id] == "BatchUpdateFindings: InternalException: injected InternalException"));
    assert_eq!(done.failed["f0007"], "TooBig: x");
    assert_eq!(done.failed.len(), 101);
    assert_eq!(done.processed.len(), 1399);
    assert!(done.processed.windows(2).all(|w| w[0] < w[1]), "processed ids are sorted");
    assert_eq!(api.stored("f0001").workflow_status, Some(WorkflowStatus::Suppressed));
    assert_eq!(api.stored("f0001").note_updated_by.as_deref(), Some("me"));
}

#[test]
fn ids_and_defaults() {
    assert_eq!(control_or_default(None), "Inspector.2");
    assert_eq!(control_or_default(Some("S3.1")), "S3.1");
    assert_eq!(scoped_id("Inspector.2", None), "Inspector.2");
    assert_eq!(scoped_id("Inspector.2", Some("123456789012")), "Inspector.2/123456789012");
}

#[test]
fn explain_says_how_to_enable_security_hub() {
    let off = error("GetFindings", "InvalidAccessException");
    let (summary, detail) = explain(&off, Some("123456789012"), "eu-west-1");
    assert_eq!(summary, "Security Hub is not enabled");
    assert!(detail.contains("account 123456789012 in region eu-west-1"), "{detail}");
    assert!(detail.contains("enable-security-hub --region eu-west-1"), "{detail}");
    let (summary, detail) = explain(&error("GetFindings", "InternalException"), None, "eu-west-1");
    assert_eq!(
        (summary.as_str(), detail.as_str()),
        ("Security Hub call failed", "GetFindings: InternalException: injected InternalException")
    );
}

use std::collections::BTreeSet;
use std::time::Duration;

use super::fake::FakeInspector;
use super::*;
use crate::aws::{ErrorClass, MembersApi, OrganizationConfigurationApi};
use futures::FutureExt;
use tokio::time::Instant;

fn ids(accounts: &[&str]) -> BTreeSet<String> {
    accounts.iter().map(|s| s.to_string()).collect()
}

fn many(n: usize) -> BTreeSet<String> {
    (0..n).map(|i| format!("{:012}", 200_000_000_000u64 + i as u64)).collect()
}

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(start_paused = true)]
async fn enable_waits_until_ecr_reads_enabled() {
    let api = FakeInspector::new(3);
    let r =
        converge(&api, Direction::Enable, &ids(&["111111111111"]), Limit::deadline_only(MINUTE), Some("111111111111"))
            .await;
    assert!(r.is_complete(), "{}", r.problems());
    assert_eq!(r.done.get("111111111111"), Some(&InspectorStatus::Enabled));
    assert_eq!(api.count("Enable"), 1);
    assert_eq!(api.count("BatchGetAccountStatus"), 3);
}

#[tokio::test(start_paused = true)]
async fn chunked_by_100_and_one_status_pass_each() {
    let api = FakeInspector::new(1);
    api.inner.lock().unwrap().reverse = true;
    let accounts = many(250);
    let r = converge(&api, Direction::Enable, &accounts, Limit::deadline_only(MINUTE), None).await;
    assert!(r.is_complete());
    assert_eq!(r.done.len(), 250);
    assert_eq!(api.count("Enable"), 3);
    assert_eq!(api.count("BatchGetAccountStatus"), 3);
    assert_eq!(r.done.keys().cloned().collect::<BTreeSet<_>>(), accounts);
}

#[tokio::test(start_paused = true)]
async fn transient_failures_are_retried_and_final_ones_reported_per_account() {
    let api = FakeInspector::new(1);
    {
        let mut w = api.inner.lock().unwrap();
        w.failing.insert("222222222222".into(), ("SSM_THROTTLED".into(), 2));
        w.failing.insert("333333333333".into(), ("ACCESS_DENIED".into(), 99));
    }
    let r = converge(
        &api,
        Direction::Enable,
        &ids(&["111111111111", "222222222222", "333333333333"]),
        Limit::deadline_only(MINUTE),
        Some("111111111111"),
    )
    .await;
    assert_eq!(r.done.keys().collect::<Vec<_>>(), vec!["111111111111", "222222222222"]);
    let f = &r.failed["333333333333"];
    assert_eq!(f.code, "ACCESS_DENIED");
    assert!(f.hint.as_deref().unwrap().contains("delegated Inspector administrator"));
    let text = r.problems();
    assert!(text.contains("333333333333: ACCESS_DENIED: injected ACCESS_DENIED"), "{text}");
    assert_eq!(api.count("Enable"), 3);
}

#[tokio::test(start_paused = true)]
async fn timeout_reports_the_accounts_still_moving() {
    let api = FakeInspector::new(1);
    api.inner.lock().unwrap().stuck.push("222222222222".into());
    let start = Instant::now();
    let r = converge(
        &api,
        Direction::Enable,
        &ids(&["111111111111", "222222222222"]),
        Limit::deadline_only(Duration::from_secs(5)),
        None,
    )
    .await;
    assert_eq!(Instant::now() - start, Duration::from_secs(5));
    assert!(r.done.contains_key("111111111111"));
    assert_eq!(r.pending.get("222222222222"), Some(&Some(InspectorStatus::Enabling)));
    let text = r.problems();
    assert!(text.contains("Timed out after 5s waiting for ECR scanning to be ENABLED in 1 account(s)"), "{text}");
    assert!(text.contains("222222222222: ECR ENABLING"), "{text}");
    // ENABLING counts as on, so state keeps it.
    assert_eq!(r.on().count(), 2);
}

#[tokio::test(start_paused = true)]
async fn suspended_account_is_blocked_with_hint() {
    let api = FakeInspector::new(1);
    api.inner.lock().unwrap().suspended.push("222222222222".into());
    let r =
        converge(&api, Direction::Enable, &ids(&["222222222222"]), Limit::deadline_only(MINUTE), Some("111111111111"))
            .await;
    assert!(r.failed["222222222222"].hint.as_deref().unwrap().contains("suspended"));
}

#[tokio::test(start_paused = true)]
async fn call_errors_that_persist_fail_or_retry_by_kind() {
    let api = FakeInspector::new(1);
    api.inner.lock().unwrap().call_errors.extend([AwsError::new(
        "Enable",
        ErrorClass::Retryable,
        Some("ThrottlingException"),
        "slow down",
    )]);
    let r = converge(&api, Direction::Enable, &ids(&["111111111111"]), Limit::deadline_only(MINUTE), None).await;
    assert!(r.is_complete());
    assert_eq!(api.count("Enable"), 2);

    let api = FakeInspector::new(1);
    api.inner.lock().unwrap().call_errors.push_back(AwsError::new(
        "Enable",
        ErrorClass::Final,
        Some("AccessDeniedException"),
        "Lambda code scanning is not supported in xx-east-1",
    ));
    let r = converge(&api, Direction::Enable, &ids(&["111111111111"]), Limit::deadline_only(MINUTE), None).await;
    assert_eq!(r.failed["111111111111"].code, "AccessDeniedException");
    assert_eq!(api.count("Enable"), 1);
}

#[tokio::test(start_paused = true)]
async fn disable_waits_for_disabled() {
    let api = FakeInspector::new(2);
    api.set("111111111111", "ENABLED");
    let r = converge(&api, Direction::Disable, &ids(&["111111111111"]), Limit::deadline_only(MINUTE), None).await;
    assert!(r.is_complete());
    assert_eq!(api.ecr("111111111111"), "DISABLED");
    assert_eq!(r.on().count(), 0);
}

#[tokio::test(start_paused = true)]
async fn enable_that_did_not_take_is_sent_again() {
    let api = FakeInspector::new(1);
    // The account says DISABLED after Enable (e.g. disabled again behind our back).
    let accounts = ids(&["111111111111"]);
    let r = {
        let fut = converge(&api, Direction::Enable, &accounts, Limit::deadline_only(MINUTE), None);
        tokio::pin!(fut);
        // Let the first Enable go out, then flip the account back.
        tokio::select! { _ = &mut fut => unreachable!(), _ = tokio::time::sleep(Duration::from_millis(1)) => {} }
        api.inner.lock().unwrap().stuck.push("111111111111".into());
        api.set("111111111111", "DISABLED");
        tokio::time::sleep(Duration::from_secs(3)).await;
        api.inner.lock().unwrap().stuck.clear();
        fut.await
    };
    assert!(r.is_complete(), "{}", r.problems());
    assert_eq!(api.count("Enable"), 2);
}

#[tokio::test]
async fn read_treats_unseen_accounts_as_disabled() {
    let api = FakeInspector::new(1);
    api.set("111111111111", "ENABLED");
    let reading = read(&api, &ids(&["111111111111", "222222222222"])).await.unwrap();
    assert_eq!(reading.ecr["111111111111"], InspectorStatus::Enabled);
    assert_eq!(reading.ecr["222222222222"], InspectorStatus::Disabled);
}

#[tokio::test(start_paused = true)]
async fn timeout_names_the_last_error_of_accounts_never_reached() {
    let api = FakeInspector::new(1);
    let unreachable =
        || AwsError::new("Enable", ErrorClass::Retryable, None, "could not reach the endpoint: connection refused");
    api.inner.lock().unwrap().call_errors.extend((0..100).map(|_| unreachable()));
    let r =
        converge(&api, Direction::Enable, &ids(&["111111111111"]), Limit::deadline_only(Duration::from_secs(3)), None)
            .await;
    let text = r.problems();
    assert!(
        text.contains(
            "111111111111: ECR not yet reported (last error: Enable: could not reach the endpoint: connection refused)"
        ),
        "{text}"
    );
}

/// Answers every Enable with the account both enabled and refused, as no sane service would.
struct Contradicting;

#[async_trait::async_trait]
impl EcrScanningApi for Contradicting {
    async fn enable_ecr(&self, ids: &[String], _token: &str) -> Result<BatchOutcome, AwsError> {
        let mut out = BatchOutcome::default();
        for id in ids {
            out.accounts.push(crate::aws::AccountEcr {
                account_id: id.clone(),
                account_status: Some(InspectorStatus::Enabled),
                ecr_status: Some(InspectorStatus::Enabled),
            });
            out.failed.push(FailedAccount {
                account_id: id.clone(),
                account_status: None,
                error_code: ErrorCode::AccessDenied,
                error_message: "denied".into(),
            });
        }
        Ok(out)
    }

    async fn disable_ecr(&self, _ids: &[String]) -> Result<BatchOutcome, AwsError> {
        unreachable!("not used")
    }

    async fn account_status(&self, _ids: &[String]) -> Result<BatchOutcome, AwsError> {
        unreachable!("every account settles on the Enable answer")
    }
}

#[tokio::test(start_paused = true)]
async fn an_account_named_twice_in_one_answer_lands_in_exactly_one_place() {
    let accounts = ids(&["111111111111", "222222222222"]);
    let r = converge(&Contradicting, Direction::Enable, &accounts, Limit::deadline_only(MINUTE), None).await;
    assert_eq!(r.done.keys().cloned().collect::<BTreeSet<_>>(), accounts);
    assert!(r.failed.is_empty() && r.pending.is_empty(), "{r:?}");
}

/// An Inspector that never answers, as an endpoint that accepts TCP and stays silent.
struct Silent;

#[async_trait::async_trait]
impl EcrScanningApi for Silent {
    async fn enable_ecr(&self, _ids: &[String], _token: &str) -> Result<BatchOutcome, AwsError> {
        futures::future::pending().await
    }

    async fn disable_ecr(&self, _ids: &[String]) -> Result<BatchOutcome, AwsError> {
        futures::future::pending().await
    }

    async fn account_status(&self, _ids: &[String]) -> Result<BatchOutcome, AwsError> {
        futures::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_call_that_never_answers_ends_at_the_deadline() {
    let start = Instant::now();
    let r = converge(
        &Silent,
        Direction::Enable,
        &ids(&["111111111111"]),
        Limit::deadline_only(Duration::from_secs(10)),
        None,
    )
    .await;
    assert_eq!(Instant::now() - start, Duration::from_secs(10));
    assert!(!r.stopped);
    assert_eq!(r.pending.get("111111111111"), Some(&None));
    let text = r.problems();
    assert!(text.contains("Timed out after 10s"), "{text}");
    assert!(
        text.contains("111111111111: ECR not yet reported (last error: Enable: no answer before the deadline)"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_final_call_error_ends_the_converge_at_once() {
    let api = FakeInspector::new(1);
    let denied = AwsError::new("Enable", ErrorClass::Final, Some("AccessDenied"), "could not assume role r")
        .with_hint("check its trust policy");
    api.inner.lock().unwrap().call_errors.push_back(denied);
    let start = Instant::now();
    let r = converge(&api, Direction::Enable, &ids(&["111111111111"]), Limit::deadline_only(MINUTE * 30), None).await;
    assert_eq!(Instant::now(), start, "a final error must not wait");
    assert_eq!(api.count("Enable"), 1);
    assert_eq!(r.failed["111111111111"].hint.as_deref(), Some("check its trust policy"));
    assert!(
        r.problems().contains("AccessDenied: Enable: could not assume role r (hint: check its trust policy)"),
        "{}",
        r.problems()
    );
}

#[tokio::test(start_paused = true)]
async fn a_code_less_retryable_error_is_retried_until_it_heals() {
    let api = FakeInspector::new(1);
    let refused = || AwsError::new("Enable", ErrorClass::Retryable, None, "could not reach the endpoint");
    api.inner.lock().unwrap().call_errors.extend([refused(), refused()]);
    let r = converge(&api, Direction::Enable, &ids(&["111111111111"]), Limit::deadline_only(MINUTE), None).await;
    assert!(r.is_complete(), "{}", r.problems());
    assert_eq!(api.count("Enable"), 3);
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_the_wait_and_keeps_what_was_done() {
    let api = FakeInspector::new(1);
    api.inner.lock().unwrap().stuck.push("222222222222".into());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let limit = Limit::new(MINUTE * 30, async move { rx.await.unwrap_or(()) }.boxed());
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(20)).await;
        let _ = tx.send(());
    });
    let start = Instant::now();
    let r = converge(&api, Direction::Enable, &ids(&["111111111111", "222222222222"]), limit, None).await;
    assert_eq!(Instant::now() - start, Duration::from_secs(20));
    assert!(r.stopped);
    assert_eq!(r.done.get("111111111111"), Some(&InspectorStatus::Enabled));
    assert_eq!(r.pending.get("222222222222"), Some(&Some(InspectorStatus::Enabling)));
    assert_eq!(r.on().count(), 2);
    let text = r.problems();
    assert!(
        text.contains("Stopped by Terraform (interrupt) while waiting for ECR scanning to be ENABLED in 1 account(s)"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn accounts_failed_by_one_final_error_are_listed_on_one_line() {
    let api = FakeInspector::new(1);
    let denied = AwsError::new("Enable", ErrorClass::Final, Some("NoCredentials"), "no AWS credentials found");
    api.inner.lock().unwrap().call_errors.push_back(denied.clone());
    let accounts = ids(&["111111111111", "222222222222"]);
    let r = converge(&api, Direction::Enable, &accounts, Limit::deadline_only(MINUTE), None).await;
    assert_eq!(r.failed.len(), 2);
    let text = r.problems();
    assert_eq!(
        text,
        "Inspector could not enable ECR scanning for 2 account(s):\n  111111111111, 222222222222: NoCredentials: Enable: no AWS credentials found"
    );
    let refused = Report::refused(Direction::Enable, &accounts, &denied, &Limit::deadline_only(MINUTE));
    assert_eq!(
        refused.problems(),
        "No request to enable ECR scanning could be sent for 2 account(s):\n  111111111111, 222222222222: NoCredentials: Enable: no AWS credentials found"
    );
    assert!(refused.pending.is_empty() && refused.done.is_empty());
}

#[test]
fn progress_line_counts_every_account() {
    let line = super::progress_line(&InspectorStatus::Enabled, 300, 1000, 12, 0);
    assert_eq!(line, "ECR ENABLED in 300/1000 accounts, 12 pending, 0 failed");
}

#[tokio::test(start_paused = true)]
async fn progress_is_logged_at_most_every_ten_seconds() {
    let mut progress = super::ProgressLog::new(5);
    let start = tokio::time::Instant::now();
    let due: Vec<u64> = (0..=35).filter(|s| progress.due(start + Duration::from_secs(*s))).collect();
    assert_eq!(due, [10, 20, 30]);
}

/// The fake organization the organization features are unit-tested against behaves as the
/// emulator and AWS do: pages of 50, associations that settle later, stale reads after an update.
#[tokio::test(start_paused = true)]
async fn the_fake_organization_pages_settles_associations_and_reads_stale() {
    use crate::aws::inspector::organization::{AutoEnable, RelationshipStatus};
    let fake = FakeInspector::new(0);
    let many: Vec<String> = (0..120).map(|i| format!("{:012}", 200_000_000_000u64 + i)).collect();
    fake.with_members(&many.iter().map(String::as_str).collect::<Vec<_>>());
    let first = fake.list_members(false, None).await.unwrap();
    assert_eq!((first.members.len(), first.next_token.as_deref()), (50, Some("50")));
    let last = fake.list_members(false, Some("100".into())).await.unwrap();
    assert_eq!((last.members.len(), last.next_token), (20, None));

    fake.inner.lock().unwrap().org.associate_after_reads = 2;
    fake.associate_member("999999999999").await.unwrap();
    let status = |m: crate::aws::inspector::organization::Member| m.relationship_status.unwrap();
    assert_eq!(status(fake.get_member("999999999999").await.unwrap()), RelationshipStatus::Created);
    assert_eq!(status(fake.get_member("999999999999").await.unwrap()), RelationshipStatus::Enabled);

    fake.inner.lock().unwrap().org.stale_after_update = 1;
    let on = AutoEnable { ecr: true, ..AutoEnable::default() };
    fake.update_organization_configuration(&on).await.unwrap();
    assert!(!fake.organization_configuration().await.unwrap().auto_enable.ecr, "one stale read");
    assert!(fake.organization_configuration().await.unwrap().auto_enable.ecr);

    fake.inner.lock().unwrap().org.caller_is_admin = false;
    let e = fake.list_members(false, None).await.unwrap_err();
    assert_eq!(e.code.as_deref(), Some("AccessDeniedException"));
}

use std::time::Duration;

use futures::FutureExt;
use tokio::time::Instant;

use super::*;
use crate::aws::ErrorClass;
use crate::domain::scanning::fake::FakeInspector;

const MINUTE: Duration = Duration::from_secs(60);

/// Flags unlike one another, so a flag sent back wrong shows.
fn mixed(ecr: bool) -> AutoEnable {
    AutoEnable { ec2: true, ecr, lambda: Some(false), lambda_code: Some(true), code_repository: None, ami: Some(true) }
}

fn admin_with(flags: AutoEnable) -> FakeInspector {
    let api = FakeInspector::new(0);
    api.with_members(&["222222222222"]);
    api.inner.lock().unwrap().org.config.auto_enable = flags;
    api
}

fn flags(api: &FakeInspector) -> AutoEnable {
    api.inner.lock().unwrap().org.config.auto_enable.clone()
}

#[tokio::test(start_paused = true)]
async fn turning_ecr_on_or_off_sends_every_other_flag_back_as_read() {
    for (from, to) in [(false, true), (true, false)] {
        let api = admin_with(mixed(from));
        let out = set_ecr(&api, to, &mut Limit::deadline_only(MINUTE)).await;
        assert!(out.is_settled(), "{:?}", out.problem_text(None));
        assert_eq!(flags(&api), mixed(to), "only ECR changes");
        assert_eq!(out.updates_sent, 1);
        assert_eq!(api.count("UpdateOrganizationConfiguration"), 1);
        assert_eq!(api.count("DescribeOrganizationConfiguration"), 1 + CONFIRMING_READS as usize);
        assert_eq!(out.last_read.unwrap().auto_enable, mixed(to));
    }
}

#[tokio::test(start_paused = true)]
async fn a_flag_already_as_wanted_is_not_written() {
    let api = admin_with(mixed(true));
    let out = set_ecr(&api, true, &mut Limit::deadline_only(MINUTE)).await;
    assert!(out.is_settled());
    assert_eq!((out.updates_sent, api.count("UpdateOrganizationConfiguration")), (0, 0));
    assert_eq!(api.count("DescribeOrganizationConfiguration"), 1);
}

#[tokio::test(start_paused = true)]
async fn stale_reads_are_waited_out_and_never_answered_with_another_update() {
    let api = admin_with(mixed(false));
    api.inner.lock().unwrap().org.stale_after_update = 6;
    let out = set_ecr(&api, true, &mut Limit::deadline_only(MINUTE)).await;
    assert!(out.is_settled(), "{:?}", out.problem_text(None));
    assert_eq!(api.count("UpdateOrganizationConfiguration"), 1);
    assert_eq!(api.count("DescribeOrganizationConfiguration"), 1 + 6 + CONFIRMING_READS as usize);
    assert_eq!(flags(&api), mixed(true));
}

#[tokio::test(start_paused = true)]
async fn a_timeout_reports_the_last_read_and_sends_once() {
    let api = admin_with(mixed(false));
    api.inner.lock().unwrap().org.stale_after_update = 100_000;
    let start = Instant::now();
    let out = set_ecr(&api, true, &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(Instant::now() - start, MINUTE);
    assert!(matches!(out.problem, Some(Problem::Ended { ended: Ended::Deadline, .. })), "{:?}", out.problem);
    assert_eq!(out.last_read.as_ref().unwrap().auto_enable, mixed(false), "the stale read is what was read");
    assert_eq!(api.count("UpdateOrganizationConfiguration"), 1);
    let text = out.problem_text(Some("111111111111")).unwrap();
    assert!(text.starts_with("Timed out after 1m waiting for the organization's auto-enable flag for ECR to read true"));
    assert!(text.contains("sent 1 time(s)") && text.contains("the last read says ecr=false, ec2=true"), "{text}");
    assert!(text.contains("raise the `timeouts` block"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_the_wait_at_once() {
    let api = admin_with(mixed(true));
    api.inner.lock().unwrap().org.stale_after_update = 100_000;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let _ = tx.send(());
    });
    let mut limit = Limit::new(Duration::from_secs(600), async move { rx.await.unwrap_or(()) }.boxed());
    let start = Instant::now();
    let out = set_ecr(&api, false, &mut limit).await;
    assert_eq!(Instant::now() - start, Duration::from_secs(3));
    assert!(matches!(out.problem, Some(Problem::Ended { ended: Ended::Stopped, .. })), "{:?}", out.problem);
    let text = out.problem_text(None).unwrap();
    assert!(text.starts_with("Stopped by Terraform (interrupt) while waiting"), "{text}");
    assert_eq!(flags(&api), mixed(false), "the update was sent before the stop");
}

#[tokio::test(start_paused = true)]
async fn a_refusal_names_the_permissions_and_the_administrator_and_nothing_is_sent() {
    let api = FakeInspector::new(0);
    let out = set_ecr(&api, true, &mut Limit::deadline_only(MINUTE)).await;
    assert!(matches!(out.problem, Some(Problem::Failed(_))), "{:?}", out.problem);
    assert_eq!(api.count("UpdateOrganizationConfiguration"), 0);
    assert_eq!(api.count("DescribeOrganizationConfiguration"), 1, "a final error is not retried");
    let text = out.problem_text(Some("222222222222")).unwrap();
    assert!(text.starts_with("DescribeOrganizationConfiguration: AccessDeniedException: "), "{text}");
    assert!(
        text.contains("Inspector refused inspector2:DescribeOrganizationConfiguration to account 222222222222"),
        "{text}"
    );
    assert!(text.contains("either the role lacks the IAM permissions"), "{text}");
    assert!(
        text.contains("or account 222222222222 is not the delegated Inspector administrator in this Region"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn retryable_errors_are_retried_and_flags_still_kept() {
    let api = admin_with(mixed(false));
    let throttled = |op| AwsError::new(op, ErrorClass::Retryable, Some("ThrottlingException"), "slow down");
    {
        let mut w = api.inner.lock().unwrap();
        w.call_errors.push_back(throttled("DescribeOrganizationConfiguration"));
        w.call_errors.push_back(throttled("DescribeOrganizationConfiguration"));
    }
    let out = set_ecr(&api, true, &mut Limit::deadline_only(MINUTE)).await;
    assert!(out.is_settled(), "{:?}", out.problem_text(None));
    assert_eq!(out.updates_sent, 1);
    assert_eq!(api.count("DescribeOrganizationConfiguration"), 2 + 1 + CONFIRMING_READS as usize);
    assert_eq!(flags(&api), mixed(true));
}

#[tokio::test(start_paused = true)]
async fn read_reports_the_flags_or_a_final_error() {
    let api = admin_with(mixed(true));
    let read_back = read(&api, &mut Limit::deadline_only(MINUTE)).await.unwrap();
    assert_eq!(read_back.auto_enable, mixed(true));
    let outsider = FakeInspector::new(0);
    let e = read(&outsider, &mut Limit::deadline_only(MINUTE)).await.unwrap_err();
    assert!(matches!(e, Problem::Failed(ref e) if is_not_administrator(e)), "{e:?}");
}

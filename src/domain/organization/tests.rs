use std::collections::BTreeSet;
use std::time::Duration;

use futures::FutureExt;
use tokio::time::Instant;

use super::*;
use crate::aws::ErrorClass;
use crate::domain::scanning::fake::FakeInspector;

const ADMIN: &str = "111111111111";
const REGION: &str = "eu-west-1";

fn member_ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{:012}", 200_000_000_000u64 + i as u64)).collect()
}

fn fake_with(members: &[String]) -> FakeInspector {
    let api = FakeInspector::new(0);
    let refs: Vec<&str> = members.iter().map(String::as_str).collect();
    api.with_members(&refs);
    api
}

fn set_status(api: &FakeInspector, account: &str, status: RelationshipStatus) {
    api.inner.lock().unwrap().org.members.insert(account.into(), (status, 0));
}

fn throttled() -> AwsError {
    AwsError::new("ListMembers", ErrorClass::Retryable, Some("ThrottlingException"), "Rate exceeded")
}

async fn read(api: &FakeInspector, exclude: &[&str]) -> Result<MembersReport, ReadError> {
    let exclude: BTreeSet<String> = exclude.iter().map(|s| s.to_string()).collect();
    report(api, &mut Limit::deadline_only(READ_TIMEOUT), ADMIN, REGION, &exclude).await
}

#[tokio::test(start_paused = true)]
async fn every_page_is_read_and_members_come_sorted() {
    let mut ids = member_ids(120);
    let api = fake_with(&ids);
    let r = read(&api, &[]).await.expect("the administrator reads its members");
    assert_eq!(api.count("ListMembers"), 3, "120 members are 3 pages of 50");
    assert_eq!(r.members.len(), 120);
    ids.sort();
    assert_eq!(r.members.iter().map(|m| m.account_id.clone()).collect::<Vec<_>>(), ids);
    assert_eq!(r.administrator_account_id, ADMIN);
    assert!(r.account_ids.contains(ADMIN), "the administrator scans too");
    assert_eq!(r.account_ids.len(), 121);
}

#[tokio::test(start_paused = true)]
async fn ten_thousand_members_take_two_hundred_pages() {
    let api = fake_with(&member_ids(10_000));
    let r = read(&api, &[]).await.expect("10,000 members read");
    assert_eq!(api.count("ListMembers"), 200);
    assert_eq!(r.members.len(), 10_000);
    assert_eq!(r.account_ids.len(), 10_001);
}

#[tokio::test(start_paused = true)]
async fn members_are_classified_by_relationship_and_exclusions_leave_every_set() {
    let ids = member_ids(6);
    let api = fake_with(&ids);
    set_status(&api, &ids[1], RelationshipStatus::AccountSuspended);
    set_status(&api, &ids[2], RelationshipStatus::Created);
    set_status(&api, &ids[3], RelationshipStatus::Removed);
    set_status(&api, &ids[4], RelationshipStatus::AccountSuspended);
    let r = read(&api, &[&ids[4], &ids[5]]).await.expect("read");
    let set = |v: &[&String]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(r.account_ids, set(&[&ADMIN.to_string(), &ids[0]]));
    assert_eq!(r.suspended_account_ids, set(&[&ids[1]]));
    assert_eq!(r.unassociated_account_ids, set(&[&ids[2], &ids[3]]));
    assert_eq!(r.members.len(), 6, "excluded accounts are still listed as members");
}

#[tokio::test(start_paused = true)]
async fn the_administrator_can_be_excluded_too() {
    let api = fake_with(&member_ids(2));
    let r = read(&api, &[ADMIN]).await.expect("read");
    assert!(!r.account_ids.contains(ADMIN));
    assert_eq!(r.account_ids.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_refused_listing_names_the_permission_and_guesses_no_role() {
    let api = FakeInspector::new(0);
    let err = read(&api, &[]).await.expect_err("a refused listing is an error, never an empty organization");
    assert!(matches!(err, ReadError::Refused { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("Inspector refused inspector2:ListMembers to account 111111111111 in eu-west-1: "),
        "{text}"
    );
    assert!(text.contains("lacks the IAM permission inspector2:ListMembers"), "{text}");
    assert!(text.contains("or 111111111111 is not the delegated Inspector administrator in eu-west-1"), "{text}");
    assert!(text.contains("AccessDeniedException"), "{text}");
    assert!(text.contains("enable-delegated-admin-account"), "{text}");
    assert_eq!(api.count("ListMembers"), 1, "a refusal is not retried");
}

#[tokio::test(start_paused = true)]
async fn throttling_is_retried_and_other_errors_end_at_once() {
    let api = fake_with(&member_ids(60));
    api.inner.lock().unwrap().call_errors.extend([throttled(), throttled()]);
    let r = read(&api, &[]).await.expect("throttling heals");
    assert_eq!(r.members.len(), 60);
    assert_eq!(api.count("ListMembers"), 4, "2 throttled tries, then 2 pages");

    let api = fake_with(&member_ids(60));
    let bad = AwsError::new("ListMembers", ErrorClass::Final, Some("ValidationException"), "bad token");
    api.inner.lock().unwrap().call_errors.push_back(bad.clone());
    let err = read(&api, &[]).await.expect_err("a final error ends the read");
    assert_eq!(err, ReadError::Failed(bad));
    assert_eq!(api.count("ListMembers"), 1);
}

#[tokio::test(start_paused = true)]
async fn throttling_that_never_heals_ends_at_the_deadline() {
    let api = fake_with(&member_ids(1));
    api.inner.lock().unwrap().call_errors.extend(std::iter::repeat_n(throttled(), 10_000));
    let start = Instant::now();
    let mut limit = Limit::deadline_only(Duration::from_secs(30));
    let err = report(&api, &mut limit, ADMIN, REGION, &BTreeSet::new()).await.expect_err("never heals");
    assert_eq!(
        err,
        ReadError::Ended { ended: Ended::Deadline, timeout: Duration::from_secs(30), operation: "ListMembers" }
    );
    assert_eq!(Instant::now() - start, Duration::from_secs(30));
    assert!(err.to_string().starts_with("Timed out after 30s while retrying ListMembers"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_the_read_at_once() {
    let api = fake_with(&member_ids(1));
    api.inner.lock().unwrap().call_errors.extend(std::iter::repeat_n(throttled(), 10_000));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut limit = Limit::new(READ_TIMEOUT, async move { rx.await.unwrap_or(()) }.boxed());
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(4)).await;
        let _ = tx.send(());
    });
    let start = Instant::now();
    let err = report(&api, &mut limit, ADMIN, REGION, &BTreeSet::new()).await.expect_err("stopped");
    assert!(matches!(err, ReadError::Ended { ended: Ended::Stopped, .. }), "{err:?}");
    assert_eq!(Instant::now() - start, Duration::from_secs(4));
    assert_eq!(err.summary(), "Stopped by Terraform");
}

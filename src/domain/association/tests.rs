use std::collections::{BTreeSet, VecDeque};
use std::time::Duration;

use futures::FutureExt;

use super::*;
use crate::aws::inspector::organization::RelationshipStatus as R;
use crate::aws::ErrorClass;
use crate::domain::scanning::fake::FakeInspector;

const MINUTE: Duration = Duration::from_secs(60);
const CALLER: &str = "111111111111";

fn ids(accounts: &[&str]) -> BTreeSet<String> {
    accounts.iter().map(|s| s.to_string()).collect()
}

/// An administrator whose organization lists `members` with their relationship.
fn organization(members: &[(&str, R)], settle_after_reads: u32) -> FakeInspector {
    let api = FakeInspector::new(0);
    api.with_members(&[]);
    let mut w = api.inner.lock().unwrap();
    w.org.associate_after_reads = settle_after_reads;
    for (account, status) in members {
        w.org.members.insert((*account).into(), (status.clone(), 0));
    }
    drop(w);
    api
}

fn many(n: usize) -> Vec<(String, R)> {
    (0..n).map(|i| (format!("{:012}", 500_000_000_000u64 + i as u64), R::Enabled)).collect()
}

fn with_many(api: &FakeInspector, n: usize) {
    api.inner.lock().unwrap().org.members.extend(many(n).into_iter().map(|(a, s)| (a, (s, 0))));
}

/// The operations the fake saw, in order.
fn operations(api: &FakeInspector) -> Vec<&'static str> {
    api.inner.lock().unwrap().calls.iter().map(|(op, _)| *op).collect()
}

#[tokio::test(start_paused = true)]
async fn created_and_unlisted_accounts_are_associated_and_waited_for() {
    let api = organization(&[("222222222222", R::Enabled), ("333333333333", R::Created)], 3);
    let accounts = ids(&[CALLER, "222222222222", "333333333333", "444444444444"]);
    let report = associate(&api, &accounts, CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    assert!(report.is_complete(), "{}", report.problems());
    assert_eq!(report.ready, ids(&["222222222222", "333333333333", "444444444444"]), "the caller is no member");
    assert_eq!(report.associated, ids(&["333333333333", "444444444444"]));
    let sent: Vec<Vec<String>> = api
        .inner
        .lock()
        .unwrap()
        .calls
        .iter()
        .filter(|(op, _)| *op == "AssociateMember")
        .map(|c| c.1.clone())
        .collect();
    assert_eq!(sent, [vec!["333333333333".to_string()], vec!["444444444444".to_string()]], "one account per call");
    assert_eq!(api.inner.lock().unwrap().org.members["444444444444"].0, R::Enabled);
}

#[tokio::test(start_paused = true)]
async fn only_the_caller_or_enabled_members_cost_no_association() {
    let api = organization(&[("222222222222", R::Enabled)], 0);
    let report = associate(&api, &ids(&[CALLER]), CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    assert!(report.is_complete() && report.ready.is_empty());
    assert!(operations(&api).is_empty(), "no call for the caller alone");
    let report =
        associate(&api, &ids(&[CALLER, "222222222222"]), CALLER, "account_ids", &mut Limit::deadline_only(MINUTE))
            .await;
    assert_eq!(report.ready, ids(&["222222222222"]));
    assert_eq!(operations(&api), ["ListMembers"]);
}

#[tokio::test(start_paused = true)]
async fn the_listing_reads_every_page() {
    let api = organization(&[("222222222222", R::Created)], 0);
    with_many(&api, 120);
    let report =
        associate(&api, &ids(&["222222222222"]), CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    assert!(report.is_complete(), "{}", report.problems());
    assert_eq!(api.count("ListMembers"), 3, "121 members are 3 pages of 50");
    assert_eq!(api.count("AssociateMember"), 1);
}

/// GetMember costs a call per account waited for, a listing one per 50 members: the cheaper wins.
#[tokio::test(start_paused = true)]
async fn polls_the_cheaper_way() {
    let api = organization(&[], 2);
    with_many(&api, 500);
    let report = associate(
        &api,
        &ids(&["222222222222", "333333333333"]),
        CALLER,
        "account_ids",
        &mut Limit::deadline_only(MINUTE),
    )
    .await;
    assert!(report.is_complete(), "{}", report.problems());
    assert_eq!(api.count("ListMembers"), 10, "only the first pass lists (500 members)");
    assert!(api.count("GetMember") >= 2, "{:?}", operations(&api));

    let api = organization(&[], 2);
    with_many(&api, 20);
    let waiting: Vec<String> = (0..10).map(|i| format!("{:012}", 700_000_000_000u64 + i)).collect();
    let accounts: BTreeSet<String> = waiting.iter().cloned().collect();
    let report = associate(&api, &accounts, CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    assert!(report.is_complete(), "{}", report.problems());
    assert_eq!(api.count("GetMember"), 0, "10 accounts waiting, one page lists them all");
    assert!(api.count("ListMembers") >= 2);
}

/// The hints name the attribute the accounts were listed in: `accounts` when the map was used.
#[tokio::test(start_paused = true)]
async fn hints_name_the_attribute_the_accounts_were_listed_in() {
    for named_in in ["account_ids", "accounts"] {
        let api = organization(&[("222222222222", R::AccountSuspended)], 0);
        let refused =
            AwsError::new("AssociateMember", ErrorClass::Final, Some("ValidationException"), "not in the org");
        api.inner.lock().unwrap().org.association_errors.insert("444444444444".into(), VecDeque::from([refused]));
        let accounts = ids(&["222222222222", "444444444444"]);
        let report = associate(&api, &accounts, CALLER, named_in, &mut Limit::deadline_only(MINUTE)).await;
        for account in ["222222222222", "444444444444"] {
            let hint = report.failed[account].hint.clone().expect("a hint");
            assert!(hint.ends_with(&format!(", or remove it from {named_in}")), "{named_in}: {hint}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn failures_are_per_account_with_code_message_and_hint() {
    let api = organization(&[("222222222222", R::AccountSuspended), ("333333333333", R::Created)], 0);
    let refused = AwsError::new(
        "AssociateMember",
        ErrorClass::Final,
        Some("ValidationException"),
        "The account is not part of the organization",
    );
    api.inner.lock().unwrap().org.association_errors.insert("444444444444".into(), VecDeque::from([refused]));
    let accounts = ids(&["222222222222", "333333333333", "444444444444"]);
    let report = associate(&api, &accounts, CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(report.ready, ids(&["333333333333"]), "the others proceed");
    let suspended = &report.failed["222222222222"];
    assert_eq!(suspended.code, "ACCOUNT_SUSPENDED");
    assert!(suspended.hint.as_deref().unwrap().contains("suspended"), "{suspended}");
    let outsider = &report.failed["444444444444"];
    assert_eq!(outsider.code, "ValidationException");
    assert!(outsider.message.contains("not part of the organization"), "{outsider}");
    assert!(outsider.hint.as_deref().unwrap().contains("AWS Organization"), "{outsider}");
    assert_eq!(api.count("AssociateMember"), 2, "no call for the suspended account");
    let text = report.problems();
    assert!(
        text.starts_with("Inspector could not associate 2 account(s) as members:\n  222222222222: ACCOUNT_SUSPENDED"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn only_retryable_errors_are_retried() {
    let api = organization(&[], 0);
    let throttled = AwsError::new("AssociateMember", ErrorClass::Retryable, Some("ThrottlingException"), "slow down");
    let throttles = VecDeque::from([throttled.clone(), throttled]);
    api.inner.lock().unwrap().org.association_errors.insert("222222222222".into(), throttles);
    let report =
        associate(&api, &ids(&["222222222222"]), CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    assert!(report.is_complete(), "{}", report.problems());
    assert_eq!(api.count("AssociateMember"), 3);
}

#[tokio::test(start_paused = true)]
async fn a_refused_listing_fails_every_account_naming_the_permission_and_associates_nothing() {
    let api = FakeInspector::new(0);
    let report = associate(
        &api,
        &ids(&["222222222222", "333333333333"]),
        CALLER,
        "account_ids",
        &mut Limit::deadline_only(MINUTE),
    )
    .await;
    assert_eq!(report.failed.len(), 2);
    assert!(report.failed.values().all(|f| f.code == "AccessDeniedException"));
    let hint = report.failed["222222222222"].hint.as_deref().unwrap();
    assert!(hint.starts_with("grant the role inspector2:ListMembers, and run with the credentials of the delegated Inspector administrator"), "{hint}");
    assert!(report.ready.is_empty() && report.pending.is_empty(), "a refused listing proves no relationship");
    assert_eq!(operations(&api), ["ListMembers"]);
}

#[tokio::test(start_paused = true)]
async fn a_timeout_or_stop_leaves_accounts_pending_with_their_relationship() {
    let api = organization(&[], 1_000_000);
    let report =
        associate(&api, &ids(&["222222222222"]), CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(report.pending.get("222222222222"), Some(&Some(R::Created)));
    let text = report.problems();
    assert!(text.starts_with("Timed out after 1m waiting for 1 account(s) to become ENABLED members:"), "{text}");
    assert!(text.contains("222222222222: relationship CREATED"), "{text}");

    let api = organization(&[], 1_000_000);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let _ = tx.send(());
    });
    let mut limit = Limit::new(Duration::from_secs(600), async move { rx.await.unwrap_or(()) }.boxed());
    let start = tokio::time::Instant::now();
    let report = associate(&api, &ids(&["222222222222"]), CALLER, "account_ids", &mut limit).await;
    assert_eq!(tokio::time::Instant::now() - start, Duration::from_secs(2));
    assert!(report.stopped && report.pending.contains_key("222222222222"));
}

/// Nothing disassociates: the boundary has no such call, and no path above makes any call but
/// ListMembers, GetMember and AssociateMember.
#[tokio::test(start_paused = true)]
async fn no_path_disassociates() {
    for source in [
        include_str!("../../aws/inspector/api.rs"),
        include_str!("../../aws/inspector/sdk.rs"),
        include_str!("../scanning/fake.rs"),
    ] {
        assert!(!source.to_lowercase().contains("disassociate_member"), "a DisassociateMember call exists");
    }
    let api = organization(&[("222222222222", R::AccountSuspended), ("333333333333", R::Removed)], 2);
    let accounts = ids(&[CALLER, "222222222222", "333333333333", "444444444444"]);
    associate(&api, &accounts, CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    associate(&api, &ids(&[CALLER]), CALLER, "account_ids", &mut Limit::deadline_only(MINUTE)).await;
    let seen: BTreeSet<&str> = operations(&api).into_iter().collect();
    assert!(seen.contains("AssociateMember"), "{seen:?}");
    assert!(seen.is_subset(&BTreeSet::from(["ListMembers", "AssociateMember", "GetMember"])), "{seen:?}");
}

fn no_stop() -> crate::domain::wait::StopFuture {
    futures::future::pending().boxed()
}

#[tokio::test(start_paused = true)]
async fn members_are_enabled_at_once_and_associated_accounts_once_enabled_members() {
    let api = organization(&[("222222222222", R::Enabled), ("333333333333", R::Created)], 3);
    let accounts = ids(&[CALLER, "222222222222", "333333333333"]);
    let (association, enabled) =
        associate_and_enable(&api, &accounts, CALLER, "account_ids", Limit::deadline_only(MINUTE), &no_stop).await;
    assert!(association.is_complete() && enabled.is_complete(), "{}\n{}", association.problems(), enabled.problems());
    assert_eq!(enabled.done.keys().cloned().collect::<BTreeSet<_>>(), accounts);
    assert_eq!(association.associated, ids(&["333333333333"]));
    let calls = api.inner.lock().unwrap().calls.clone();
    let enabled_for =
        |account: &str| calls.iter().position(|(op, ids)| *op == "Enable" && ids.iter().any(|a| a == account));
    let associated_at = calls.iter().position(|(op, _)| *op == "AssociateMember").unwrap();
    assert!(enabled_for("333333333333").unwrap() > associated_at, "enabled only after its association");
}

/// An association that never settles leaves the time the others need: they are enabled at once.
#[tokio::test(start_paused = true)]
async fn a_slow_association_does_not_hold_up_the_others() {
    let api = organization(&[("222222222222", R::Enabled), ("333333333333", R::Created)], 1_000_000);
    let accounts = ids(&[CALLER, "222222222222", "333333333333"]);
    let start = tokio::time::Instant::now();
    let (association, enabled) =
        associate_and_enable(&api, &accounts, CALLER, "account_ids", Limit::deadline_only(MINUTE), &no_stop).await;
    assert_eq!(tokio::time::Instant::now() - start, MINUTE, "the association waits out the deadline");
    assert_eq!(association.pending.keys().cloned().collect::<BTreeSet<_>>(), ids(&["333333333333"]));
    assert!(enabled.is_complete(), "{}", enabled.problems());
    assert_eq!(enabled.done.keys().cloned().collect::<BTreeSet<_>>(), ids(&[CALLER, "222222222222"]));
}

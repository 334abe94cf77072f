use std::time::Duration;

use futures::FutureExt;
use tokio::time::Instant;

use super::fake::FakeDelegatedAdmin;
use super::*;

const MINUTE: Duration = Duration::from_secs(60);
const ADMIN: &str = "111111111111";
const OTHER: &str = "333333333333";

fn settled_admin(api: &FakeDelegatedAdmin) -> Option<String> {
    let world = api.inner.lock().unwrap();
    assert!(world.change.is_none(), "a change is still under way");
    world.admin.clone()
}

#[tokio::test(start_paused = true)]
async fn designating_enables_once_and_waits_until_get_reads_enabled() {
    let api = FakeDelegatedAdmin::default();
    api.inner.lock().unwrap().settle_after_reads = 3;
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(out.problem, None, "{:?}", out.designate_problem("us-east-1", None));
    assert_eq!((out.requests_accepted, out.took_effect), (1, true));
    assert_eq!(out.status, Some(RelationshipStatus::Enabled));
    assert_eq!(api.count("EnableDelegatedAdminAccount"), 1);
    // One read before the Enable, 3 that find it CREATED, and the one that finds it ENABLED.
    assert_eq!(api.count("GetDelegatedAdminAccount"), 5);
    assert_eq!(settled_admin(&api).as_deref(), Some(ADMIN));
}

#[tokio::test(start_paused = true)]
async fn an_account_already_administrator_sends_no_enable() {
    let api = FakeDelegatedAdmin::with_admin(Some(ADMIN));
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(out.problem, None);
    assert_eq!((out.requests_accepted, out.took_effect), (0, true));
    assert_eq!(api.count("EnableDelegatedAdminAccount"), 0);
    assert_eq!(api.count("GetDelegatedAdminAccount"), 2);
}

#[tokio::test(start_paused = true)]
async fn another_administrator_is_named_and_nothing_is_sent() {
    let api = FakeDelegatedAdmin::with_admin(Some(OTHER));
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    let Some(Problem::OtherAdmin(other)) = &out.problem else { panic!("{:?}", out.problem) };
    assert_eq!(other.account_id, OTHER);
    assert!(!out.took_effect);
    assert_eq!(api.count("EnableDelegatedAdminAccount"), 0);
    let text = out.designate_problem("eu-west-1", None).unwrap();
    assert!(text.starts_with("account 333333333333 (ENABLED) is already the Amazon Inspector delegated administrator in eu-west-1, so account 111111111111 cannot be"), "{text}");
    assert!(text.contains("same account in every Region"), "{text}");
    assert!(text.contains("--delegated-admin-account-id 333333333333 --region eu-west-1"), "{text}");
    assert_eq!(settled_admin(&api).as_deref(), Some(OTHER), "the other administrator stays");
}

/// The other account became administrator between the first read and the Enable: the Conflict
/// is explained by the read after it, which names that account.
#[tokio::test(start_paused = true)]
async fn a_conflict_names_the_administrator_a_read_after_it_finds() {
    let api = FakeDelegatedAdmin::default();
    api.inner.lock().unwrap().race_admin = Some(OTHER.into());
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    let Some(Problem::OtherAdmin(other)) = &out.problem else { panic!("{:?}", out.problem) };
    assert_eq!(other.account_id, OTHER);
    assert_eq!(api.count("EnableDelegatedAdminAccount"), 1);
    assert_eq!(api.count("GetDelegatedAdminAccount"), 2, "one read before the Enable, one after its Conflict");
}

#[tokio::test(start_paused = true)]
async fn a_conflict_with_no_administrator_here_points_at_the_every_region_rule() {
    let api = FakeDelegatedAdmin::default();
    api.inner.lock().unwrap().admin_elsewhere = Some(OTHER.into());
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    let Some(Problem::Conflict(e)) = &out.problem else { panic!("{:?}", out.problem) };
    assert_eq!(e.code.as_deref(), Some("ConflictException"));
    assert!(!out.took_effect);
    assert_eq!(api.count("EnableDelegatedAdminAccount"), 1, "a conflict is never retried");
    let text = out.designate_problem("eu-west-1", None).unwrap();
    assert!(text.starts_with("EnableDelegatedAdminAccount: ConflictException: injected ConflictException."), "{text}");
    assert!(text.contains("another Region most likely has one: AWS requires the same account"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_refusal_fails_at_once_naming_the_management_account_and_permissions() {
    let api = FakeDelegatedAdmin::default();
    api.fail_next("GetDelegatedAdminAccount", "AccessDeniedException");
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    assert!(matches!(out.problem, Some(Problem::Failed(_))), "{:?}", out.problem);
    assert_eq!(api.count("GetDelegatedAdminAccount"), 1, "a final error is not retried");
    assert_eq!(api.count("EnableDelegatedAdminAccount"), 0);
    let text = out.designate_problem("us-east-1", Some("222222222222")).unwrap();
    assert!(text.contains("Only the AWS Organizations management account can designate"), "{text}");
    assert!(text.contains("inspector2:EnableDelegatedAdminAccount"), "{text}");
    assert!(text.contains("account 222222222222 is not it"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn throttling_and_server_errors_are_retried_until_they_heal() {
    let api = FakeDelegatedAdmin::default();
    api.fail_next("GetDelegatedAdminAccount", "ThrottlingException");
    api.fail_next("EnableDelegatedAdminAccount", "InternalServerException");
    api.fail_next("EnableDelegatedAdminAccount", "ThrottlingException");
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(out.problem, None, "{:?}", out.designate_problem("us-east-1", None));
    assert_eq!(api.count("EnableDelegatedAdminAccount"), 3);
    assert_eq!(out.requests_accepted, 1);
    let tokens: Vec<_> =
        api.inner.lock().unwrap().calls.iter().filter(|c| c.0 == "EnableDelegatedAdminAccount").cloned().collect();
    assert!(tokens.iter().all(|c| c.1.as_deref() == Some(ADMIN)), "{tokens:?}");
    assert_eq!(settled_admin(&api).as_deref(), Some(ADMIN));
}

#[tokio::test(start_paused = true)]
async fn a_change_that_never_settles_ends_at_the_deadline_keeping_what_took_effect() {
    let api = FakeDelegatedAdmin::default();
    api.inner.lock().unwrap().stuck = true;
    let started = Instant::now();
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(Duration::from_secs(5))).await;
    assert_eq!(started.elapsed(), Duration::from_secs(5), "the wait ends at its deadline");
    assert!(matches!(out.problem, Some(Problem::Ended { ended: Ended::Deadline, .. })), "{:?}", out.problem);
    assert!(out.took_effect, "the Enable was accepted: state keeps the account");
    assert_eq!(out.status, Some(RelationshipStatus::Created));
    let text = out.designate_problem("us-east-1", None).unwrap();
    assert!(text.starts_with("Timed out after 5s waiting for account 111111111111 to read ENABLED as Inspector's delegated administrator in us-east-1: EnableDelegatedAdminAccount was accepted, and the last read names account 111111111111 (CREATED)"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_the_wait_at_once() {
    let api = FakeDelegatedAdmin::default();
    api.inner.lock().unwrap().stuck = true;
    let (fire, fired) = futures::channel::oneshot::channel::<()>();
    let mut limit = Limit::new(
        Duration::from_secs(3600),
        async move {
            fired.await.ok();
        }
        .boxed(),
    );
    let started = Instant::now();
    let wait = designate(&api, ADMIN, &mut limit);
    let stopper = async {
        tokio::time::sleep(Duration::from_secs(2)).await;
        fire.send(()).unwrap();
    };
    let (out, ()) = tokio::join!(wait, stopper);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(matches!(out.problem, Some(Problem::Ended { ended: Ended::Stopped, .. })), "{:?}", out.problem);
    let text = out.designate_problem("us-east-1", None).unwrap();
    assert!(text.starts_with("Stopped by Terraform (interrupt) while waiting"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn removing_disables_and_waits_until_the_list_drops_it() {
    let api = FakeDelegatedAdmin::with_admin(Some(ADMIN));
    api.inner.lock().unwrap().settle_after_reads = 2;
    let out = remove(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(out.problem, None, "{:?}", out.remove_problem("us-east-1", None));
    assert_eq!(out.requests_accepted, 1);
    assert_eq!(api.count("DisableDelegatedAdminAccount"), 1);
    // Two reads find it DISABLE_IN_PROGRESS, the third finds the list empty.
    assert_eq!(api.count("ListDelegatedAdminAccounts"), 3);
    assert_eq!(settled_admin(&api), None);
}

#[tokio::test(start_paused = true)]
async fn removing_an_account_that_is_not_administrator_sends_nothing() {
    for admin in [None, Some(OTHER)] {
        let api = FakeDelegatedAdmin::with_admin(admin);
        let out = remove(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
        assert_eq!(out.problem, None);
        assert_eq!(api.count("DisableDelegatedAdminAccount"), 0);
        assert_eq!(settled_admin(&api).as_deref(), admin, "another administrator is never removed");
    }
}

#[tokio::test(start_paused = true)]
async fn a_removal_that_never_settles_times_out_naming_the_disable() {
    let api = FakeDelegatedAdmin::with_admin(Some(ADMIN));
    api.inner.lock().unwrap().stuck = true;
    let out = remove(&api, ADMIN, &mut Limit::deadline_only(Duration::from_secs(3))).await;
    let text = out.remove_problem("eu-west-1", None).unwrap();
    assert!(text.starts_with("Timed out after 3s waiting for account 111111111111 to leave Inspector's delegated administrator list in eu-west-1: DisableDelegatedAdminAccount was accepted"), "{text}");
}

#[test]
fn names_counts_a_designation_under_way_but_not_a_removal() {
    let admin = |status| Some(DelegatedAdmin { account_id: ADMIN.into(), relationship_status: Some(status) });
    assert!(names(&admin(RelationshipStatus::Enabled), ADMIN));
    assert!(names(&admin(RelationshipStatus::Created), ADMIN));
    assert!(!names(&admin(RelationshipStatus::Disabled), ADMIN));
    assert!(!names(&admin(RelationshipStatus::Enabled), OTHER));
    assert!(!names(&None, ADMIN));
}

/// AWS may answer GetDelegatedAdminAccount with ResourceNotFoundException when there is no
/// administrator: that is "none", and designating goes ahead.
#[tokio::test(start_paused = true)]
async fn a_not_found_get_means_no_administrator() {
    let api = FakeDelegatedAdmin::default();
    api.inner.lock().unwrap().not_found_when_none = true;
    assert_eq!(current(&api).await, Ok(None));
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(out.problem, None, "{:?}", out.designate_problem("us-east-1", None));
    assert_eq!(settled_admin(&api).as_deref(), Some(ADMIN));
}

/// The AWS provider has seen Enable answer ConflictException "already enabled" for the current
/// administrator: a read that names the account makes that a success, not an error.
#[tokio::test(start_paused = true)]
async fn a_conflict_for_the_account_itself_is_already_done() {
    let api = FakeDelegatedAdmin::default();
    {
        let mut world = api.inner.lock().unwrap();
        world.conflict_when_already = true;
        world.race_admin = Some(ADMIN.into());
    }
    let out = designate(&api, ADMIN, &mut Limit::deadline_only(MINUTE)).await;
    assert_eq!(out.problem, None, "{:?}", out.designate_problem("us-east-1", None));
    assert!(out.took_effect);
    assert_eq!(out.status, Some(RelationshipStatus::Enabled));
    assert_eq!(api.count("EnableDelegatedAdminAccount"), 1);
}

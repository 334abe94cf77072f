use crate::aws::organizations::fake::{FakeOrganizations, MANAGEMENT, ORGANIZATION};
use crate::aws::{AwsError, ErrorClass};
use crate::domain::organization::READ_TIMEOUT;
use crate::domain::scanning::fake::FakeInspector;

use super::*;

const CALLER: &str = "111111111111";
const REGION: &str = "eu-west-1";

fn member_ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{:012}", 200_000_000_000u64 + i as u64)).collect()
}

/// The caller administers `members`, all associated, and every one of them (and the caller)
/// scans ECR.
fn organization(members: &[String]) -> FakeInspector {
    let api = FakeInspector::new(0);
    let refs: Vec<&str> = members.iter().map(String::as_str).collect();
    api.with_members(&refs);
    api.set(CALLER, "ENABLED");
    for m in members {
        api.set(m, "ENABLED");
    }
    api.inner.lock().unwrap().org.config.auto_enable.ecr = true;
    api
}

fn relationship(api: &FakeInspector, account: &str, status: RelationshipStatus) {
    api.inner.lock().unwrap().org.members.insert(account.into(), (status, 0));
}

async fn run(api: &FakeInspector) -> Evaluation {
    try_run(api).await.expect("evaluated")
}

async fn try_run(api: &FakeInspector) -> Result<Evaluation, EvaluationError> {
    expecting(api, None).await
}

/// The evaluation of a caller whose account is in an AWS Organizations organization.
async fn expecting(api: &FakeInspector, expected: Option<Role>) -> Result<Evaluation, EvaluationError> {
    asking(api, &FakeOrganizations::new(false), expected).await
}

async fn asking(
    api: &FakeInspector,
    org: &FakeOrganizations,
    expected: Option<Role>,
) -> Result<Evaluation, EvaluationError> {
    evaluate(api, org, &mut Limit::deadline_only(READ_TIMEOUT), CALLER, REGION, expected.as_ref()).await
}

fn denied(operation: &'static str) -> AwsError {
    let msg = "User: arn:aws:sts::111111111111:assumed-role/Audit/x is not authorized to perform: inspector2:op";
    AwsError::new(operation, ErrorClass::Final, Some("AccessDeniedException"), msg)
}

/// The issue's case: the delegated administrator, refused DescribeOrganizationConfiguration by IAM,
/// with two members whose ECR scanning is off.
fn administrator_refused_describe() -> (FakeInspector, Vec<String>) {
    let ids = member_ids(3);
    let api = organization(&ids);
    api.set(&ids[0], "DISABLED");
    api.set(&ids[1], "DISABLED");
    api.inner.lock().unwrap().call_errors.push_back(denied("DescribeOrganizationConfiguration"));
    (api, ids)
}

fn verdict<'a>(e: &'a Evaluation, account: &str) -> &'a Verdict {
    e.accounts.iter().find(|v| v.account_id == account).unwrap_or_else(|| panic!("{account} judged"))
}

#[tokio::test(start_paused = true)]
async fn an_administrator_whose_members_all_scan_passes_at_the_documented_cost() {
    let ids = member_ids(250);
    let api = organization(&ids);
    let e = run(&api).await;
    assert_eq!(e.role, Role::DelegatedAdmin);
    assert_eq!(e.status, Status::Passed);
    assert_eq!(e.accounts.len(), 251, "the administrator and 250 members");
    assert!(e.accounts.windows(2).all(|w| w[0].account_id < w[1].account_id), "sorted");
    assert!(e.failing_account_ids.is_empty());
    assert_eq!(e.auto_enable_ecr, Some(true));
    assert_eq!(e.auto_enable_warning(REGION), None);
    assert_eq!(api.count("ListMembers"), 5);
    assert_eq!(api.count("BatchGetAccountStatus"), 3, "ceil(251/100)");
    assert_eq!(api.count("DescribeOrganizationConfiguration"), 1);
    assert_eq!(api.count("GetMember"), 0);
    assert_eq!(verdict(&e, CALLER).relationship_status, None);
    assert_eq!(verdict(&e, &ids[0]).relationship_status, Some(RelationshipStatus::Enabled));
    assert_eq!(verdict(&e, &ids[0]).reason, "ECR scanning is ENABLED");
    assert_eq!(verdict(&e, &ids[0]).hint, None);
}

#[tokio::test(start_paused = true)]
async fn one_member_still_enabling_or_disabled_fails_the_administrator() {
    let ids = member_ids(3);
    let api = organization(&ids);
    api.set(&ids[0], "ENABLING");
    api.set(&ids[1], "DISABLED");
    let e = run(&api).await;
    assert_eq!(e.status, Status::Failed);
    assert_eq!(e.failing_account_ids, BTreeSet::from([ids[0].clone(), ids[1].clone()]));
    let enabling = verdict(&e, &ids[0]);
    assert!(!enabling.passes);
    assert_eq!(enabling.ecr_status, Some(InspectorStatus::Enabling));
    assert_eq!(enabling.reason, "ECR scanning is ENABLING");
    assert!(enabling.hint.as_deref().is_some_and(|h| h.contains("read again later")), "{enabling:?}");
    let disabled = verdict(&e, &ids[1]);
    assert_eq!(disabled.reason, "ECR scanning is DISABLED");
    assert!(disabled.hint.as_deref().is_some_and(|h| h.contains("inspector2fix_ecr_scanning")), "{disabled:?}");
}

#[tokio::test(start_paused = true)]
async fn the_administrator_itself_without_ecr_fails() {
    let api = organization(&member_ids(1));
    api.set(CALLER, "DISABLED");
    let e = run(&api).await;
    assert_eq!(e.status, Status::Failed);
    assert_eq!(e.failing_account_ids, BTreeSet::from([CALLER.to_owned()]));
}

#[tokio::test(start_paused = true)]
async fn a_suspended_member_without_ecr_fails_with_the_hint_to_disassociate_it() {
    let ids = member_ids(3);
    let api = organization(&ids);
    relationship(&api, &ids[0], RelationshipStatus::AccountSuspended);
    api.set(&ids[0], "SUSPENDED");
    relationship(&api, &ids[1], RelationshipStatus::AccountSuspended);
    let e = run(&api).await;
    assert_eq!(e.status, Status::Failed);
    assert_eq!(e.failing_account_ids, BTreeSet::from([ids[0].clone()]), "a suspended member that scans passes");
    let v = verdict(&e, &ids[0]);
    assert_eq!(v.relationship_status, Some(RelationshipStatus::AccountSuspended));
    assert_eq!(v.reason, "suspended member: ECR scanning is SUSPENDED");
    let hint = v.hint.as_deref().expect("a hint");
    assert!(hint.contains(&format!("disassociate-member --account-id {} --region {REGION}", ids[0])), "{hint}");
}

#[tokio::test(start_paused = true)]
async fn members_that_are_not_associated_are_not_judged() {
    let ids = member_ids(3);
    let api = organization(&ids);
    relationship(&api, &ids[0], RelationshipStatus::Created);
    relationship(&api, &ids[1], RelationshipStatus::Removed);
    api.set(&ids[0], "DISABLED");
    api.set(&ids[1], "DISABLED");
    let e = run(&api).await;
    assert_eq!(e.status, Status::Passed);
    let judged: Vec<&str> = e.accounts.iter().map(|v| v.account_id.as_str()).collect();
    assert_eq!(judged, vec![CALLER, ids[2].as_str()]);
}

#[tokio::test(start_paused = true)]
async fn auto_enable_off_warns_that_new_accounts_will_fail() {
    let api = organization(&member_ids(1));
    api.inner.lock().unwrap().org.config.auto_enable.ecr = false;
    let e = run(&api).await;
    assert_eq!(e.status, Status::Passed, "the flag does not decide today's status");
    assert_eq!(e.auto_enable_ecr, Some(false));
    let warning = e.auto_enable_warning(REGION).expect("a warning");
    assert!(warning.contains("inspector2fix_ecr_auto_enable") && warning.contains(REGION), "{warning}");
}

#[tokio::test(start_paused = true)]
async fn an_expected_standalone_account_is_judged_by_its_own_ecr_status() {
    for (ecr, status) in [("ENABLED", Status::Passed), ("ENABLING", Status::Failed), ("DISABLED", Status::Failed)] {
        let api = FakeInspector::new(0);
        api.set(CALLER, ecr);
        let e = expecting(&api, Some(Role::Standalone)).await.expect("judged as expected");
        assert_eq!(e.role, Role::Standalone);
        assert_eq!(e.status, status, "ECR {ecr}");
        assert_eq!(e.auto_enable_ecr, None);
        assert_eq!(e.auto_enable_warning(REGION), None);
        assert_eq!(e.accounts.len(), 1);
        assert_eq!(verdict(&e, CALLER).ecr_status, Some(InspectorStatus::from_wire(ecr)));
        let calls = ["DescribeOrganizationConfiguration", "GetMember", "BatchGetAccountStatus", "ListMembers"]
            .map(|op| api.count(op));
        assert_eq!(calls, [1, 1, 1, 0]);
    }
}

#[tokio::test(start_paused = true)]
async fn an_account_inspector_never_saw_reads_disabled() {
    let api = FakeInspector::new(0);
    let e = expecting(&api, Some(Role::Standalone)).await.expect("judged");
    assert_eq!(e.status, Status::Failed);
    assert_eq!(verdict(&e, CALLER).ecr_status, Some(InspectorStatus::Disabled));
}

fn membership(admin: Option<&str>) -> Member {
    Member {
        account_id: CALLER.into(),
        relationship_status: Some(RelationshipStatus::Enabled),
        delegated_admin_account_id: admin.map(str::to_owned),
        updated_at: None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_member_is_not_applicable_and_reads_no_status() {
    let api = FakeInspector::new(0);
    api.inner.lock().unwrap().org.own_membership = Some(membership(Some("999999999999")));
    let e = run(&api).await;
    assert_eq!(e.role, Role::Member(Some("999999999999".into())));
    assert_eq!(e.role.as_str(), "MEMBER");
    assert_eq!(e.status, Status::NotApplicable);
    assert!(e.accounts.is_empty() && e.failing_account_ids.is_empty());
    assert_eq!(e.auto_enable_ecr, None);
    assert_eq!(api.count("BatchGetAccountStatus"), 0);
    assert_eq!(api.count("GetMember"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_membership_naming_itself_or_no_administrator_proves_no_role() {
    for admin in [Some(CALLER), None, Some("")] {
        let api = FakeInspector::new(0);
        api.set(CALLER, "ENABLED");
        api.inner.lock().unwrap().org.own_membership = Some(membership(admin));
        let err = try_run(&api).await.expect_err("no role proven");
        assert!(matches!(err, EvaluationError::RoleUnknown { .. }), "{admin:?}: {err:?}");
        assert!(err.to_string().contains("answered with no other delegated administrator"), "{err}");
        let e = expecting(&api, Some(Role::Standalone)).await.expect("judged as expected");
        assert_eq!((e.role, e.status), (Role::Standalone, Status::Passed), "{admin:?}");
    }
}

fn refused_organizations() -> FakeOrganizations {
    let org = FakeOrganizations::new(false);
    org.inner.lock().unwrap().access_denied = true;
    org
}

#[tokio::test(start_paused = true)]
async fn every_call_refused_proves_no_role_and_names_the_permissions() {
    let api = FakeInspector::new(0);
    api.set(CALLER, "ENABLED");
    let org = refused_organizations();
    let err = asking(&api, &org, None).await.expect_err("a refusal is not evidence of STANDALONE");
    assert_eq!(err.summary(), "Inspector.2 cannot be judged: the role is not known");
    let text = err.to_string();
    assert!(text.starts_with("Inspector did not answer inspector2:DescribeOrganizationConfiguration for account 111111111111 in eu-west-1 (DescribeOrganizationConfiguration: AccessDeniedException: "), "{text}");
    assert!(
        text.contains(
            "inspector2:GetMember of 111111111111 did not show it as a member (GetMember: AccessDeniedException"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Organizations did not answer organizations:DescribeOrganization (DescribeOrganization: \
             AccessDeniedException: You don't have permissions to access this resource.)"
        ),
        "{text}"
    );
    assert!(text.contains("grant a standalone account organizations:DescribeOrganization"), "{text}");
    assert!(text.contains("set expected_role (STANDALONE, DELEGATED_ADMIN or MEMBER)"), "{text}");
    assert!(text.contains("inspector2:ListMembers"), "{text}");
    let EvaluationError::RoleUnknown { organization: Some(Err(refused)), .. } = &err else { panic!("{err:?}") };
    assert_eq!(refused.operation, "DescribeOrganization");
    let calls = ["DescribeOrganizationConfiguration", "GetMember", "ListMembers", "BatchGetAccountStatus"]
        .map(|op| api.count(op));
    assert_eq!(calls, [1, 1, 0, 0], "no status read for an unknown role");
    assert_eq!((org.count("DescribeOrganization"), org.total_calls()), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn an_administrator_refused_its_configuration_is_never_judged_standalone() {
    let (api, _) = administrator_refused_describe();
    let org = FakeOrganizations::new(false);
    let err = asking(&api, &org, None).await.expect_err("the role is not proven");
    let EvaluationError::RoleUnknown { describe, membership, organization, .. } = &err else { panic!("{err:?}") };
    assert_eq!(describe, &denied("DescribeOrganizationConfiguration"));
    assert!(membership.as_deref().is_some_and(|m| m.contains("ResourceNotFoundException")), "{membership:?}");
    let in_organization = Organization { id: ORGANIZATION.into(), management_account_id: MANAGEMENT.into() };
    assert_eq!(organization, &Some(Ok(in_organization)));
    let text = err.to_string();
    assert!(
        text.contains(
            "organizations:DescribeOrganization says it belongs to organization o-fake (management account \
             111111111111), so it is not a standalone account"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "may be the delegated administrator whose role lacks inspector2:DescribeOrganizationConfiguration"
        ),
        "{text}"
    );
    assert!(text.contains("neither Inspector's delegated administrator nor its member"), "{text}");
    assert!(text.contains("set expected_role (STANDALONE, DELEGATED_ADMIN or MEMBER)"), "{text}");
    assert_eq!(api.count("BatchGetAccountStatus"), 0, "nothing judged");
    assert_eq!(org.count("DescribeOrganization"), 1);
}

#[tokio::test(start_paused = true)]
async fn an_expected_administrator_refused_its_configuration_is_judged_on_every_member() {
    let (api, ids) = administrator_refused_describe();
    let e = expecting(&api, Some(Role::DelegatedAdmin)).await.expect("judged as expected");
    assert_eq!((e.role.clone(), e.status), (Role::DelegatedAdmin, Status::Failed));
    assert_eq!(e.failing_account_ids, BTreeSet::from([ids[0].clone(), ids[1].clone()]));
    assert_eq!(e.accounts.len(), 4, "the administrator and its 3 members");
    assert_eq!(e.auto_enable_ecr, None, "not read");
    assert_eq!(e.auto_enable_warning(REGION), None);
    let warning = e.unread_configuration_warning().expect("says why auto_enable_ecr is null");
    assert!(
        warning.contains("inspector2:DescribeOrganizationConfiguration") && warning.contains("AccessDeniedException"),
        "{warning}"
    );
    let calls = ["DescribeOrganizationConfiguration", "GetMember", "ListMembers", "BatchGetAccountStatus"]
        .map(|op| api.count(op));
    assert_eq!(calls, [1, 0, 1, 1]);
}

#[tokio::test(start_paused = true)]
async fn an_expected_administrator_whose_members_cannot_be_read_is_an_error_naming_list_members() {
    let api = FakeInspector::new(0);
    api.set(CALLER, "ENABLED");
    let err = expecting(&api, Some(Role::DelegatedAdmin)).await.expect_err("members not read: no verdict");
    assert!(matches!(err, EvaluationError::Read(ReadError::Refused { .. })), "{err:?}");
    assert!(err.to_string().contains("inspector2:ListMembers"), "{err}");
    assert_eq!(api.count("BatchGetAccountStatus"), 0);
}

#[tokio::test(start_paused = true)]
async fn the_administrator_refused_list_members_is_an_error_not_a_verdict() {
    let api = organization(&member_ids(2));
    api.inner.lock().unwrap().op_errors.insert("ListMembers", [denied("ListMembers")].into());
    let err = try_run(&api).await.expect_err("members not read: no verdict");
    assert!(matches!(err, EvaluationError::Read(ReadError::Refused { .. })), "{err:?}");
    assert!(err.to_string().starts_with("Inspector refused inspector2:ListMembers to account 111111111111"), "{err}");
    assert_eq!(api.count("BatchGetAccountStatus"), 0);
}

#[tokio::test(start_paused = true)]
async fn answers_proving_another_role_than_expected_are_an_error() {
    let api = organization(&member_ids(1));
    for expected in [Role::Standalone, Role::Member(None)] {
        let err = expecting(&api, Some(expected.clone())).await.expect_err("the administrator");
        assert!(err.is_about_expected_role(), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "expected_role: 111111111111 is DELEGATED_ADMIN in eu-west-1, not {}",
                expected.as_str()
            )),
            "{text}"
        );
    }
    let api = FakeInspector::new(0);
    api.inner.lock().unwrap().org.own_membership = Some(membership(Some("999999999999")));
    let err = expecting(&api, Some(Role::Standalone)).await.expect_err("a member");
    assert!(
        err.to_string().contains("is MEMBER in eu-west-1, not STANDALONE: Inspector's GetMember names 999999999999"),
        "{err}"
    );
    assert_eq!(api.count("BatchGetAccountStatus"), 0);
}

#[tokio::test(start_paused = true)]
async fn an_expected_member_is_not_applicable_even_when_its_membership_is_refused() {
    let api = FakeInspector::new(0);
    let e = expecting(&api, Some(Role::Member(None))).await.expect("judged as expected");
    assert_eq!((e.role, e.status), (Role::Member(None), Status::NotApplicable));
    assert!(e.failing_account_ids.is_empty() && e.accounts.is_empty());
}

#[test]
fn expected_roles_are_read_from_their_names_only() {
    assert_eq!(Role::expected("STANDALONE"), Ok(Role::Standalone));
    assert_eq!(Role::expected("DELEGATED_ADMIN"), Ok(Role::DelegatedAdmin));
    assert_eq!(Role::expected("MEMBER"), Ok(Role::Member(None)));
    assert!(Role::expected("member").unwrap_err().contains("STANDALONE, DELEGATED_ADMIN or MEMBER"));
}

#[tokio::test(start_paused = true)]
async fn throttling_is_retried_and_a_final_error_other_than_a_refusal_ends_the_read() {
    let api = organization(&member_ids(2));
    let throttled = || {
        AwsError::new("DescribeOrganizationConfiguration", ErrorClass::Retryable, Some("ThrottlingException"), "slow")
    };
    api.inner.lock().unwrap().call_errors.extend([throttled(), throttled()]);
    assert_eq!(run(&api).await.status, Status::Passed);
    assert_eq!(api.count("DescribeOrganizationConfiguration"), 3);

    let api = organization(&member_ids(2));
    let expired =
        AwsError::new("DescribeOrganizationConfiguration", ErrorClass::Final, Some("ExpiredTokenException"), "old");
    api.inner.lock().unwrap().call_errors.push_back(expired.clone());
    let err = try_run(&api).await.expect_err("an expired token proves nothing");
    let EvaluationError::RoleUnknown { describe, membership: None, .. } = err else { panic!("{err:?}") };
    assert_eq!(describe, expired);
    assert_eq!(api.count("GetMember") + api.count("BatchGetAccountStatus"), 0);
}

#[test]
fn an_unreadable_status_fails_the_account_with_inspectors_code() {
    let failure = Failure { code: "ACCESS_DENIED".into(), message: "not a member".into(), hint: None };
    let v = judge("222222222222", Some(RelationshipStatus::Enabled), Err(failure), CALLER, REGION);
    assert!(!v.passes);
    assert_eq!(v.ecr_status, None);
    assert_eq!(v.reason, "ECR status could not be read: ACCESS_DENIED: not a member");
    assert!(v.hint.is_some());
}

#[test]
fn a_suspended_member_whose_status_cannot_be_read_gets_the_disassociate_hint() {
    let failure = Failure { code: "ACCESS_DENIED".into(), message: "suspended".into(), hint: None };
    let v = judge("222222222222", Some(RelationshipStatus::AccountSuspended), Err(failure), CALLER, REGION);
    assert!(!v.passes);
    assert_eq!(v.reason, "suspended member: ECR status could not be read: ACCESS_DENIED: suspended");
    assert!(v.hint.as_deref().is_some_and(|h| h.contains("disassociate-member --account-id 222222222222")), "{v:?}");
}

fn status_throttled() -> AwsError {
    AwsError::new("BatchGetAccountStatus", ErrorClass::Retryable, Some("ThrottlingException"), "slow down")
}

#[tokio::test(start_paused = true)]
async fn throttled_status_reads_are_retried_per_chunk() {
    let ids = member_ids(150);
    let api = organization(&ids);
    api.inner.lock().unwrap().call_errors.extend([status_throttled(), status_throttled()]);
    let reading = read_ecr(&api, &mut Limit::deadline_only(READ_TIMEOUT), ids.clone()).await.expect("heals");
    assert_eq!(reading.len(), 150);
    assert!(reading.values().all(|r| r == &Ok(InspectorStatus::Enabled)));
    assert_eq!(api.count("BatchGetAccountStatus"), 4, "2 chunks, each throttled once, then answered");
}

#[tokio::test(start_paused = true)]
async fn a_stop_during_status_reads_ends_the_evaluation_at_once() {
    use futures::FutureExt;
    let api = organization(&member_ids(2));
    api.inner.lock().unwrap().call_errors.extend(std::iter::repeat_n(status_throttled(), 100_000));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut limit = Limit::new(READ_TIMEOUT, async move { rx.await.unwrap_or(()) }.boxed());
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(7)).await;
        let _ = tx.send(());
    });
    let started = tokio::time::Instant::now();
    let err = read_ecr(&api, &mut limit, vec![CALLER.to_owned()]).await.expect_err("throttled until stopped");
    let stopped = ReadError::Ended {
        ended: crate::domain::wait::Ended::Stopped,
        timeout: READ_TIMEOUT,
        operation: "BatchGetAccountStatus",
    };
    assert_eq!(err, stopped);
    assert_eq!(started.elapsed(), std::time::Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn ten_thousand_members_cost_their_pages_and_a_status_read_per_hundred() {
    let api = organization(&member_ids(10_000));
    let e = run(&api).await;
    assert_eq!(e.status, Status::Passed);
    assert_eq!(e.accounts.len(), 10_001);
    let calls = ["DescribeOrganizationConfiguration", "ListMembers", "BatchGetAccountStatus", "GetMember"]
        .map(|op| api.count(op));
    assert_eq!(calls, [1, 200, 101, 0]);
}

#[tokio::test(start_paused = true)]
async fn a_passing_organization_costs_no_organizations_call() {
    let api = organization(&member_ids(3));
    let mut e = run(&api).await;
    let org = crate::aws::organizations::fake::FakeOrganizations::new(true);
    let notes = explain_failing(&org, REGION, &mut e).await;
    assert_eq!((notes, org.total_calls()), (PolicyNotes::default(), 0));
    assert!(e.accounts.iter().all(|v| v.policy_managed.is_none()));
}

#[tokio::test(start_paused = true)]
async fn a_failing_account_whose_policy_disables_ecr_names_it() {
    let ids = member_ids(2);
    let api = organization(&ids);
    api.set(&ids[0], "DISABLED");
    api.set(&ids[1], "DISABLED");
    let mut e = run(&api).await;
    let org = crate::aws::organizations::fake::FakeOrganizations::new(true);
    let off = r#"{"inspector":{"enablement":{"ecr_scanning":{"enable_in_regions":{"@@assign":[]},"disable_in_regions":{"@@assign":["eu-west-1"]}}}}}"#;
    let id = org.add_policy("no-ecr-eu", off, &[&ids[0]]);
    org.set_effective(&ids[0], off);
    let notes = explain_failing(&org, REGION, &mut e).await;
    assert_eq!(notes, PolicyNotes::default());
    let v = verdict(&e, &ids[0]);
    assert_eq!(v.policy_managed, Some(true));
    assert!(
        v.reason.starts_with("ECR scanning is DISABLED: ") && v.reason.contains(&format!("{id} (no-ecr-eu)")),
        "{}",
        v.reason
    );
    assert!(v.hint.as_deref().unwrap().contains("remove eu-west-1 from the policy's ecr_scanning.disable_in_regions"));
    let other = verdict(&e, &ids[1]);
    assert_eq!(other.policy_managed, Some(false), "looked up: no policy");
    assert_eq!(other.reason, "ECR scanning is DISABLED");
    assert_eq!(verdict(&e, CALLER).policy_managed, None, "a passing account is not looked up");

    // Refused: nothing looked up, policy_managed stays null, and the note says why.
    let mut e = run(&api).await;
    let denied = crate::aws::organizations::fake::FakeOrganizations::new(true);
    denied.inner.lock().unwrap().access_denied = true;
    let notes = explain_failing(&denied, REGION, &mut e).await;
    assert!(notes.denied.unwrap().contains("AccessDeniedException"));
    assert!(e.accounts.iter().all(|v| v.policy_managed.is_none()));
}

/// The calls of the role decision and the status read: Inspector's four, then Organizations'.
fn role_calls(api: &FakeInspector, org: &FakeOrganizations) -> [usize; 5] {
    let inspector = ["DescribeOrganizationConfiguration", "GetMember", "ListMembers", "BatchGetAccountStatus"];
    let [a, b, c, d] = inspector.map(|op| api.count(op));
    [a, b, c, d, org.count("DescribeOrganization")]
}

#[tokio::test(start_paused = true)]
async fn an_account_in_no_organization_is_standalone_without_expected_role() {
    for (ecr, status) in [("ENABLED", Status::Passed), ("ENABLING", Status::Failed), ("DISABLED", Status::Failed)] {
        let api = FakeInspector::new(0);
        api.set(CALLER, ecr);
        let org = FakeOrganizations::outside();
        let e = asking(&api, &org, None).await.expect("AWSOrganizationsNotInUseException proves STANDALONE");
        assert_eq!((e.role.clone(), e.status), (Role::Standalone, status), "ECR {ecr}");
        assert_eq!(e.accounts.len(), 1);
        assert_eq!(verdict(&e, CALLER).ecr_status, Some(InspectorStatus::from_wire(ecr)));
        assert_eq!((e.auto_enable_ecr, e.unread_configuration), (None, None));
        assert_eq!(role_calls(&api, &org), [1, 1, 0, 1, 1]);
        assert_eq!(org.total_calls(), 1, "DescribeOrganization only");
    }
}

#[tokio::test(start_paused = true)]
async fn the_administrator_a_member_and_an_expected_role_cost_no_organizations_call() {
    let org = FakeOrganizations::outside();
    let admin = organization(&member_ids(3));
    assert_eq!(asking(&admin, &org, None).await.expect("judged").role, Role::DelegatedAdmin);
    assert_eq!(role_calls(&admin, &org), [1, 0, 1, 1, 0]);

    let member = FakeInspector::new(0);
    member.inner.lock().unwrap().org.own_membership = Some(membership(Some("999999999999")));
    assert_eq!(asking(&member, &org, None).await.expect("judged").status, Status::NotApplicable);
    assert_eq!(role_calls(&member, &org), [1, 1, 0, 0, 0]);

    for expected in [Role::Standalone, Role::Member(None)] {
        let api = FakeInspector::new(0);
        let e = asking(&api, &org, Some(expected.clone())).await.expect("judged as expected");
        assert_eq!(e.role, expected, "expected_role decides without Organizations");
    }
    assert_eq!(org.total_calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn an_expected_member_outside_any_organization_is_still_judged_as_expected() {
    // expected_role is the user's word when Inspector proves nothing; Organizations is not asked.
    let api = FakeInspector::new(0);
    let org = FakeOrganizations::outside();
    let e = asking(&api, &org, Some(Role::Member(None))).await.expect("judged as expected");
    assert_eq!(e.status, Status::NotApplicable);
    assert_eq!(org.count("DescribeOrganization"), 0);
}

fn organizations_error(class: ErrorClass, code: &str) -> AwsError {
    AwsError::new("DescribeOrganization", class, Some(code), "injected")
}

#[tokio::test(start_paused = true)]
async fn a_throttled_describe_organization_is_retried_and_a_final_error_proves_nothing() {
    let api = FakeInspector::new(0);
    api.set(CALLER, "ENABLED");
    let org = FakeOrganizations::outside();
    let throttled = || organizations_error(ErrorClass::Retryable, "TooManyRequestsException");
    org.inner.lock().unwrap().call_errors.extend([throttled(), throttled()]);
    let e = asking(&api, &org, None).await.expect("heals");
    assert_eq!((e.role, e.status), (Role::Standalone, Status::Passed));
    assert_eq!(org.count("DescribeOrganization"), 3);

    let api = FakeInspector::new(0);
    let org = FakeOrganizations::outside();
    let conflict = organizations_error(ErrorClass::Final, "ConcurrentModificationException");
    org.inner.lock().unwrap().call_errors.push_back(conflict.clone());
    let err = asking(&api, &org, None).await.expect_err("a failed read is not evidence");
    let EvaluationError::RoleUnknown { organization: Some(Err(e)), .. } = &err else { panic!("{err:?}") };
    assert_eq!(e, &conflict);
    assert_eq!(role_calls(&api, &org), [1, 1, 0, 0, 1], "no retry of a final error, nothing judged");
}

/// Organizations that never answers DescribeOrganization, like a black-holed endpoint.
struct Silent;

#[async_trait::async_trait]
impl OrganizationsApi for Silent {
    async fn describe_organization(&self) -> Result<Option<Organization>, AwsError> {
        std::future::pending().await
    }
    async fn list_roots(&self) -> Result<Vec<crate::aws::organizations::api::Root>, AwsError> {
        unreachable!("not asked")
    }
    async fn create_policy(
        &self,
        _: &crate::aws::organizations::api::PolicyInput,
        _: &BTreeMap<String, String>,
    ) -> Result<crate::aws::organizations::api::PolicySummary, AwsError> {
        unreachable!("not asked")
    }
    async fn update_policy(
        &self,
        _: &str,
        _: &crate::aws::organizations::api::PolicyInput,
    ) -> Result<crate::aws::organizations::api::PolicySummary, AwsError> {
        unreachable!("not asked")
    }
    async fn delete_policy(&self, _: &str) -> Result<(), AwsError> {
        unreachable!("not asked")
    }
    async fn describe_policy(&self, _: &str) -> Result<crate::aws::organizations::api::Policy, AwsError> {
        unreachable!("not asked")
    }
    async fn attach_policy(&self, _: &str, _: &str) -> Result<(), AwsError> {
        unreachable!("not asked")
    }
    async fn detach_policy(&self, _: &str, _: &str) -> Result<(), AwsError> {
        unreachable!("not asked")
    }
    async fn list_targets_for_policy(
        &self,
        _: &str,
    ) -> Result<Vec<crate::aws::organizations::api::PolicyTarget>, AwsError> {
        unreachable!("not asked")
    }
    async fn list_policies(&self) -> Result<Vec<crate::aws::organizations::api::PolicySummary>, AwsError> {
        unreachable!("not asked")
    }
    async fn list_policies_for_target(
        &self,
        _: &str,
    ) -> Result<Vec<crate::aws::organizations::api::PolicySummary>, AwsError> {
        unreachable!("not asked")
    }
    async fn effective_inspector_policy(&self, _: &str) -> Result<Option<String>, AwsError> {
        unreachable!("not asked")
    }
    async fn tag_policy(&self, _: &str, _: &BTreeMap<String, String>) -> Result<(), AwsError> {
        unreachable!("not asked")
    }
    async fn untag_policy(&self, _: &str, _: &[String]) -> Result<(), AwsError> {
        unreachable!("not asked")
    }
    async fn policy_tags(&self, _: &str) -> Result<BTreeMap<String, String>, AwsError> {
        unreachable!("not asked")
    }
    async fn parents(&self, _: &str) -> Result<Vec<String>, AwsError> {
        unreachable!("not asked")
    }
}

#[tokio::test(start_paused = true)]
async fn a_stop_during_describe_organization_ends_the_evaluation_at_once() {
    use futures::FutureExt;
    let api = FakeInspector::new(0);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut limit = Limit::new(READ_TIMEOUT, async move { rx.await.unwrap_or(()) }.boxed());
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(7)).await;
        let _ = tx.send(());
    });
    let started = tokio::time::Instant::now();
    let err = evaluate(&api, &Silent, &mut limit, CALLER, REGION, None).await.expect_err("stopped");
    let stopped = ReadError::Ended {
        ended: crate::domain::wait::Ended::Stopped,
        timeout: READ_TIMEOUT,
        operation: "DescribeOrganization",
    };
    assert_eq!(err, EvaluationError::Read(stopped));
    assert_eq!(started.elapsed(), std::time::Duration::from_secs(7));
    assert_eq!(api.count("BatchGetAccountStatus"), 0);
}

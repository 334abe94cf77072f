use std::time::Duration;

use async_trait::async_trait;

use super::*;
use crate::domain::scanning::fake::FakeInspector;

const ADMIN: &str = "111111111111";

/// What the survey sent, in order; `stop_after` answers `false` after that many findings
#[derive(Default)]
struct Sink {
    found: Vec<(String, String, &'static str)>,
    unreadable: Vec<(String, String)>,
    stop_after: Option<usize>,
}

#[async_trait]
impl Findings for Sink {
    async fn found(&mut self, account: Surveyed) -> bool {
        self.found.push((account.account_id, account.ecr.as_str().to_owned(), account.role.as_str()));
        self.stop_after.is_none_or(|n| self.found.len() < n)
    }
    async fn unreadable(&mut self, account: Unreadable) -> bool {
        self.unreadable.push((account.account_id, account.code));
        true
    }
}

fn request(include_members: Option<bool>) -> Request {
    Request {
        caller: ADMIN.into(),
        region: "us-east-1".into(),
        include_members,
        limit: usize::MAX,
        ..Default::default()
    }
}

fn member(i: usize) -> String {
    format!("{:012}", 200_000_000_000usize + i)
}

/// An administrator with `n` members; every second one scans ECR, the administrator too.
fn organization(n: usize) -> FakeInspector {
    let api = FakeInspector::new(0);
    let members: Vec<String> = (0..n).map(member).collect();
    api.with_members(&members.iter().map(String::as_str).collect::<Vec<_>>());
    api.set(ADMIN, "ENABLED");
    for (i, m) in members.iter().enumerate() {
        api.set(m, if i % 2 == 0 { "ENABLED" } else { "DISABLED" });
    }
    api
}

async fn run(api: &FakeInspector, request: &Request, sink: &mut Sink) -> Result<(), ReadError> {
    let mut limit = Limit::deadline_only(Duration::from_secs(60));
    survey(api, &mut limit, request, sink).await
}

#[tokio::test(start_paused = true)]
async fn an_administrator_sees_itself_and_its_members_sorted_with_their_status() {
    let api = organization(3);
    let mut sink = Sink::default();
    run(&api, &request(None), &mut sink).await.expect("survey");
    let expected = vec![
        (ADMIN.to_string(), "ENABLED".to_string(), "administrator"),
        (member(0), "ENABLED".into(), "member"),
        (member(1), "DISABLED".into(), "member"),
        (member(2), "ENABLED".into(), "member"),
    ];
    assert_eq!(sink.found, expected);
    assert_eq!((api.count("ListMembers"), api.count("BatchGetAccountStatus")), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn a_thousand_members_cost_their_pages_and_one_status_call_per_hundred() {
    let api = organization(1000);
    let mut sink = Sink::default();
    run(&api, &request(Some(true)), &mut sink).await.expect("survey");
    assert_eq!(sink.found.len(), 1001);
    assert!(sink.found.windows(2).all(|w| w[0].0 < w[1].0), "not in account order");
    // The fake pages ListMembers by 50: 20 pages; 1,001 accounts: 11 status calls.
    assert_eq!((api.count("ListMembers"), api.count("BatchGetAccountStatus")), (20, 11));
}

#[tokio::test(start_paused = true)]
async fn a_refused_member_list_is_an_error_and_the_caller_alone_only_when_members_are_not_wanted() {
    let api = FakeInspector::new(0);
    api.set(ADMIN, "DISABLED");
    for include in [None, Some(true)] {
        let mut sink = Sink::default();
        let refused = run(&api, &request(include), &mut sink).await;
        assert!(matches!(refused, Err(ReadError::Refused { .. })), "{include:?}: {refused:?}");
        assert!(sink.found.is_empty(), "nothing is listed on a guess");
    }
    let mut sink = Sink::default();
    run(&api, &request(Some(false)), &mut sink).await.expect("survey");
    assert_eq!(sink.found, vec![(ADMIN.to_string(), "DISABLED".to_string(), "account")]);
}

#[tokio::test(start_paused = true)]
async fn without_members_no_member_is_listed_or_read() {
    let api = organization(3);
    let mut sink = Sink::default();
    run(&api, &request(Some(false)), &mut sink).await.expect("survey");
    assert_eq!(sink.found, vec![(ADMIN.to_string(), "ENABLED".to_string(), "account")]);
    assert_eq!((api.count("ListMembers"), api.count("BatchGetAccountStatus")), (0, 1));
}

#[tokio::test(start_paused = true)]
async fn statuses_and_exclusions_filter_and_an_unknown_account_reads_disabled() {
    let api = organization(4);
    api.inner.lock().unwrap().ecr.remove(&member(3)); // never seen by Inspector
    let mut wanted = request(None);
    wanted.statuses = Some(["DISABLED".to_string()].into());
    wanted.exclude = [member(1)].into();
    let mut sink = Sink::default();
    run(&api, &wanted, &mut sink).await.expect("survey");
    assert_eq!(sink.found, vec![(member(3), "DISABLED".to_string(), "member")]);
}

#[tokio::test(start_paused = true)]
async fn the_limit_reads_only_the_chunks_it_needs_and_a_stop_ends_the_survey() {
    let api = organization(250);
    let mut limited = request(None);
    limited.limit = 120;
    let mut sink = Sink::default();
    run(&api, &limited, &mut sink).await.expect("survey");
    assert_eq!(sink.found.len(), 120);
    assert_eq!(api.count("BatchGetAccountStatus"), 2);

    let mut sink = Sink { stop_after: Some(2), ..Sink::default() };
    run(&api, &request(None), &mut sink).await.expect("survey");
    assert_eq!(sink.found.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_account_inspector_could_not_read_is_reported_as_such_never_as_a_status() {
    let api = organization(1);
    {
        let mut w = api.inner.lock().unwrap();
        w.unreadable.insert(member(0), "ACCESS_DENIED".into());
    }
    let mut sink = Sink::default();
    run(&api, &request(None), &mut sink).await.expect("survey");
    let found: Vec<&str> = sink.found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(found, vec![ADMIN]);
    assert_eq!(sink.unreadable, vec![(member(0), "ACCESS_DENIED".to_string())]);
}

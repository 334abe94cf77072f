// Patch 10: actions (protocol 6.10): progress, then one Completed event.

use futures::StreamExt;

use super::*;

use tf::invoke_action::event::Type;

fn invoke_request(action_type: &str, steps: i64) -> tf::invoke_action::Request {
    tf::invoke_action::Request {
        action_type: action_type.into(),
        config: msgpack(&CountConfig { steps }),
        ..Default::default()
    }
}

async fn invoke(server: &Arc<Server>, request: tf::invoke_action::Request) -> Vec<Type> {
    let stream = server.invoke_action(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    let events = tokio::time::timeout(HANG_GUARD, stream.collect::<Vec<_>>()).await.expect("the stream never ended");
    events.into_iter().map(|event| event.expect("stream error").r#type.expect("event without a type")).collect()
}

/// The Completed event's diagnostics, which must come last and once
fn completed(events: &[Type]) -> &[tf::Diagnostic] {
    let Some(Type::Completed(last)) = events.last() else { panic!("no Completed event last: {events:?}") };
    let completions = events.iter().filter(|event| matches!(event, Type::Completed(_))).count();
    assert_eq!(completions, 1, "{events:?}");
    &last.diagnostics
}

fn progress(events: &[Type]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|event| match event {
            Type::Progress(progress) => Some(progress.message.as_str()),
            Type::Completed(_) => None,
        })
        .collect()
}

#[tokio::test]
async fn actions_are_in_metadata_and_schema() {
    let Fixture { server, .. } = fixture();
    let metadata = server.get_metadata(tonic::Request::new(tf::get_metadata::Request {})).await;
    let names: Vec<_> = metadata.expect("RPC failed").into_inner().actions.into_iter().map(|m| m.type_name).collect();
    assert_eq!(names, vec!["test_count"]);
    let schema = server.get_provider_schema(tonic::Request::new(tf::get_provider_schema::Request {})).await;
    let schemas = schema.expect("RPC failed").into_inner().action_schemas;
    assert!(schemas["test_count"].schema.is_some());
    assert_eq!(schemas.len(), 1);
}

#[tokio::test]
async fn an_invocation_streams_progress_then_completes() {
    let Fixture { server, .. } = fixture();
    let events = invoke(&server, invoke_request("test_count", 3)).await;
    assert_eq!(progress(&events), vec!["step 1/3", "step 2/3", "step 3/3"]);
    assert_eq!(completed(&events), &[]);
}

#[tokio::test]
async fn errors_and_panics_complete_with_diagnostics() {
    let Fixture { server, .. } = fixture();
    let events = invoke(&server, invoke_request("test_count", 0)).await;
    assert_eq!(only_error(completed(&events)).summary, "Nothing to count");

    let events = invoke(&server, invoke_request("test_count", -2)).await;
    assert_panic_error(completed(&events), "InvokeAction", "action test_count", "action panicked");

    let events = invoke(&server, invoke_request("test_nothing", 1)).await;
    assert_eq!(only_error(completed(&events)).summary, "Could not find action `test_nothing` in provider");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_provider_reaches_an_action_in_flight() {
    let Fixture { server, listed, .. } = fixture();
    let invoking = tokio::spawn({
        let server = server.clone();
        async move { invoke(&server, invoke_request("test_count", -1)).await }
    });
    tokio::time::timeout(HANG_GUARD, listed.waiting.notified()).await.expect("the action never started waiting");
    server.stop_provider(tonic::Request::new(tf::stop_provider::Request {})).await.expect("StopProvider failed");
    let events = tokio::time::timeout(HANG_GUARD, invoking).await.expect("the action ignored the stop").expect("join");
    assert_eq!(only_error(completed(&events)).summary, "Stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_action_is_dropped_when_terraform_goes_away() {
    let Fixture { server, listed, .. } = fixture();
    let request = invoke_request("test_count", -3);
    let mut stream = server.invoke_action(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    let first = stream.next().await.expect("no first event").expect("stream error");
    assert!(matches!(first.r#type, Some(Type::Progress(_))), "{first:?}");
    drop(stream);
    tokio::time::timeout(HANG_GUARD, listed.dropped.notified()).await.expect("the action went on after Terraform left");
}

#[tokio::test]
async fn validate_and_plan_answer_the_actions_diagnostics() {
    let Fixture { server, .. } = fixture();
    let validate = tf::validate_action_config::Request {
        type_name: "test_count".into(),
        config: msgpack(&CountConfig { steps: 101 }),
    };
    let response = server.validate_action_config(tonic::Request::new(validate)).await.expect("RPC failed").into_inner();
    let error = only_error(&response.diagnostics);
    assert_eq!(
        (error.summary.as_str(), &error.attribute),
        ("At most 100 steps", &Some(AttributePath::new("steps").into()))
    );

    let plan = tf::plan_action::Request {
        action_type: "test_count".into(),
        config: msgpack(&CountConfig { steps: 0 }),
        ..Default::default()
    };
    let response = server.plan_action(tonic::Request::new(plan)).await.expect("RPC failed").into_inner();
    assert_eq!(response.diagnostics.len(), 1);
    assert_eq!(response.diagnostics[0].severity, tf::diagnostic::Severity::Warning as i32);
    assert_eq!(response.diagnostics[0].summary, "Nothing to do");

    let plan =
        tf::plan_action::Request { action_type: "test_nothing".into(), config: empty_object(), ..Default::default() };
    let response = server.plan_action(tonic::Request::new(plan)).await.expect("RPC failed").into_inner();
    assert!(only_error(&response.diagnostics).summary.contains("test_nothing"));
}

#[tokio::test]
async fn a_provider_without_actions_advertises_none() {
    let server = bare_server();
    let metadata = server.get_metadata(tonic::Request::new(tf::get_metadata::Request {})).await;
    assert!(metadata.expect("RPC failed").into_inner().actions.is_empty());
    let schema = server.get_provider_schema(tonic::Request::new(tf::get_provider_schema::Request {})).await;
    let schema = schema.expect("RPC failed").into_inner();
    assert!(schema.action_schemas.is_empty() && schema.list_resource_schemas.is_empty());
    assert_eq!(schema.diagnostics, vec![]);
}

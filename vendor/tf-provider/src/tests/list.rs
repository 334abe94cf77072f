// Patch 9: list resources (protocol 6.10), streamed.

use std::sync::atomic::Ordering;

use futures::StreamExt;

use super::*;

fn list_request(prefix: &str, count: i64, include_resource_object: bool, limit: i64) -> tf::list_resource::Request {
    tf::list_resource::Request {
        type_name: "test_thing".into(),
        config: msgpack(&ListConfig { prefix: prefix.into(), count }),
        include_resource_object,
        limit,
    }
}

async fn list_all(server: &Arc<Server>, request: tf::list_resource::Request) -> Vec<tf::list_resource::Event> {
    let stream = server.list_resource(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    let events = tokio::time::timeout(HANG_GUARD, stream.collect::<Vec<_>>()).await.expect("the stream never ended");
    events.into_iter().map(|event| event.expect("stream error")).collect()
}

fn ids(events: &[tf::list_resource::Event]) -> Vec<String> {
    events.iter().map(|event| decode_identity::<ThingIdentity>(&event.identity).id).collect()
}

#[tokio::test]
async fn list_resources_are_in_metadata_and_schema() {
    let Fixture { server, .. } = fixture();
    let metadata = server.get_metadata(tonic::Request::new(tf::get_metadata::Request {})).await;
    let names: Vec<_> =
        metadata.expect("RPC failed").into_inner().list_resources.into_iter().map(|m| m.type_name).collect();
    assert_eq!(names, vec!["test_thing"]);
    let schema = server.get_provider_schema(tonic::Request::new(tf::get_provider_schema::Request {})).await;
    let schema = schema.expect("RPC failed").into_inner();
    assert_eq!(schema.diagnostics, vec![]);
    assert_eq!(schema.list_resource_schemas.keys().collect::<Vec<_>>(), vec!["test_thing"]);
}

#[tokio::test]
async fn results_stream_in_order_with_identity_and_display_name() {
    let Fixture { server, .. } = fixture();
    let events = list_all(&server, list_request("a", 3, false, 100)).await;
    assert_eq!(ids(&events), vec!["a-0", "a-1", "a-2"]);
    let names: Vec<_> = events.iter().map(|event| event.display_name.as_str()).collect();
    assert_eq!(names, vec!["thing a-0", "thing a-1", "thing a-2"]);
    assert!(events.iter().all(|event| event.resource_object.is_none() && event.diagnostic.is_empty()));
}

#[tokio::test]
async fn the_object_is_sent_only_when_terraform_asks_for_it() {
    let Fixture { server, .. } = fixture();
    let events = list_all(&server, list_request("b", 2, true, 100)).await;
    let objects: Vec<ThingState> = events.iter().map(|event| decode(&event.resource_object)).collect();
    assert_eq!(objects, vec![thing("b-0", "listed"), thing("b-1", "listed")]);
}

#[tokio::test]
async fn listing_stops_at_the_limit() {
    let Fixture { server, listed, .. } = fixture();
    let events = list_all(&server, list_request("c", 1000, false, 3)).await;
    assert_eq!(ids(&events), vec!["c-0", "c-1", "c-2"]);
    assert_eq!(listed.produced.load(Ordering::SeqCst), 3, "the list resource went on past the limit");
}

#[tokio::test]
async fn an_error_follows_the_results_sent_before_it() {
    let Fixture { server, .. } = fixture();
    let events = list_all(&server, list_request("fail", 5, false, 100)).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(ids(&events[..1]), vec!["fail-0"]);
    assert_eq!(events[1].identity, None);
    assert_eq!(only_error(&events[1].diagnostic).summary, "Listing failed after one thing");
}

#[tokio::test]
async fn an_unknown_type_or_a_panic_is_one_error_event() {
    let Fixture { server, .. } = fixture();
    let request = tf::list_resource::Request { type_name: "test_nothing".into(), ..list_request("a", 1, false, 10) };
    let events = list_all(&server, request).await;
    assert_eq!(events.len(), 1);
    assert_eq!(only_error(&events[0].diagnostic).summary, "Could not find list resource `test_nothing` in provider");

    let events = list_all(&server, list_request("panic", 1, false, 10)).await;
    assert_eq!(events.len(), 1);
    assert_panic_error(&events[0].diagnostic, "ListResource", "list resource test_thing", "list panicked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_stops_when_terraform_goes_away() {
    let Fixture { server, listed, .. } = fixture();
    let request = list_request("slow", i64::MAX, false, i64::MAX);
    let mut stream = server.list_resource(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    let first = stream.next().await.expect("no first event").expect("stream error");
    assert_eq!(ids(&[first]), vec!["slow-0"]);
    drop(stream);
    tokio::time::timeout(HANG_GUARD, listed.dropped.notified()).await.expect("the list went on after Terraform left");
}

#[tokio::test]
async fn the_config_is_validated_with_attribute_paths() {
    let Fixture { server, .. } = fixture();
    let request = |count| tf::validate_list_resource_config::Request {
        type_name: "test_thing".into(),
        config: msgpack(&ListConfig { prefix: "v".into(), count }),
        ..Default::default()
    };
    let response = server.validate_list_resource_config(tonic::Request::new(request(-1))).await;
    let response = response.expect("RPC failed").into_inner();
    let error = only_error(&response.diagnostics);
    assert_eq!(error.summary, "count must not be negative");
    assert_eq!(error.attribute, Some(AttributePath::new("count").into()));
    let response = server.validate_list_resource_config(tonic::Request::new(request(1))).await;
    assert_eq!(response.expect("RPC failed").into_inner().diagnostics, vec![]);
}

#[tokio::test]
async fn a_list_resource_whose_resource_has_no_identity_is_a_schema_error() {
    let Fixture { server, .. } = fixture_of(false, true);
    let schema = server.get_provider_schema(tonic::Request::new(tf::get_provider_schema::Request {})).await;
    let diagnostics = schema.expect("RPC failed").into_inner().diagnostics;
    assert_eq!(only_error(&diagnostics).summary, "List resource test_legacy has no managed resource with an identity");
}

#[tokio::test]
async fn a_provider_without_list_resources_answers_errors_not_results() {
    let server = bare_server();
    let metadata = server.get_metadata(tonic::Request::new(tf::get_metadata::Request {})).await;
    assert!(metadata.expect("RPC failed").into_inner().list_resources.is_empty());
    let request = tf::list_resource::Request { type_name: "bare_legacy".into(), ..list_request("a", 1, false, 10) };
    let events = list_all(&server, request).await;
    assert_eq!(events.len(), 1);
    assert!(only_error(&events[0].diagnostic).summary.contains("bare_legacy"));
}

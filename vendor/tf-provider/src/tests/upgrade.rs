// Patch 3: versioned state through UpgradeResourceState.

use super::*;

fn upgrade_request(type_name: &str, version: i64, json: &str) -> tf::upgrade_resource_state::Request {
    tf::upgrade_resource_state::Request {
        type_name: type_name.into(),
        version,
        raw_state: Some(tf::RawState { json: json.as_bytes().to_vec(), flatmap: HashMap::new() }),
    }
}

async fn upgrade(
    server: &Arc<Server>,
    request: tf::upgrade_resource_state::Request,
) -> tf::upgrade_resource_state::Response {
    server.upgrade_resource_state(tonic::Request::new(request)).await.expect("RPC failed").into_inner()
}

#[tokio::test]
async fn a_version_0_state_is_upgraded_to_version_1() {
    let Fixture { server, .. } = fixture();
    let response = upgrade(&server, upgrade_request("test_thing", 0, r#"{"id":"x","title":"T"}"#)).await;
    assert_eq!(response.diagnostics, vec![]);
    assert_eq!(decode::<ThingState>(&response.upgraded_state), thing("x", "T"));
}

#[tokio::test]
async fn a_state_of_the_current_version_passes_through_unchanged() {
    let Fixture { server, .. } = fixture();
    let json = r#"{"id":"x","name":"N"}"#;
    let response = upgrade(&server, upgrade_request("test_thing", 1, json)).await;
    assert_eq!(response.diagnostics, vec![]);
    let state = response.upgraded_state.expect("no upgraded state");
    assert_eq!(state.json, json.as_bytes());
    assert!(state.msgpack.is_empty());
}

#[tokio::test]
async fn a_state_of_a_newer_version_is_refused_with_both_versions() {
    let Fixture { server, .. } = fixture();
    let response = upgrade(&server, upgrade_request("test_thing", 2, r#"{"id":"x"}"#)).await;
    let error = only_error(&response.diagnostics);
    assert_eq!(error.summary, "State written by a newer provider version");
    assert!(
        error.detail.contains("test_thing has schema version 2") && error.detail.contains("up to 1"),
        "{}",
        error.detail
    );
    assert_eq!(response.upgraded_state, None);
}

#[tokio::test]
async fn a_flatmap_state_is_refused_naming_the_resource() {
    let Fixture { server, .. } = fixture();
    let mut request = upgrade_request("test_thing", 0, "");
    request.raw_state.as_mut().expect("raw state").flatmap.insert("id".into(), "x".into());
    let response = upgrade(&server, request).await;
    let error = only_error(&response.diagnostics);
    assert_eq!(error.summary, "Upgrading from a legacy state is not supported");
    assert!(error.detail.contains("test_thing"), "{}", error.detail);
    assert_eq!(response.upgraded_state, None);
}

#[tokio::test]
async fn a_resource_without_upgrade_refuses_an_older_state() {
    let Fixture { server, .. } = fixture();
    let response = upgrade(&server, upgrade_request("test_legacy", 0, r#"{"id":"x"}"#)).await;
    assert_eq!(only_error(&response.diagnostics).summary, "Upgrade is not supported");
    assert_eq!(response.upgraded_state, None);
}

#[tokio::test]
async fn a_version_0_state_that_does_not_parse_is_an_error_not_a_state() {
    let Fixture { server, .. } = fixture();
    let response = upgrade(&server, upgrade_request("test_thing", 0, r#"{"id":"x"}"#)).await;
    assert!(only_error(&response.diagnostics).summary.contains("title"));
    assert_eq!(response.upgraded_state, None);
}

// Patch 4: MoveResourceState, served and advertised.

use super::*;

const AWS: &str = "registry.terraform.io/hashicorp/aws";

fn move_request(target: &str, source_type: &str, json: &str) -> tf::move_resource_state::Request {
    tf::move_resource_state::Request {
        source_provider_address: AWS.into(),
        source_type_name: source_type.into(),
        source_schema_version: 0,
        source_state: Some(tf::RawState { json: json.as_bytes().to_vec(), flatmap: HashMap::new() }),
        target_type_name: target.into(),
        source_private: br#"{"schema_version":"0"}"#.to_vec(),
        ..Default::default()
    }
}

async fn move_state(
    server: &Arc<Server>,
    request: tf::move_resource_state::Request,
) -> tf::move_resource_state::Response {
    server.move_resource_state(tonic::Request::new(request)).await.expect("RPC failed").into_inner()
}

const ENABLER: &str =
    r#"{"id":"111111111111-ECR","account_ids":["111111111111","222222222222"],"resource_types":["ECR"]}"#;

#[tokio::test]
async fn the_capability_is_advertised_in_metadata_and_schema() {
    let Fixture { server, .. } = fixture();
    let metadata = server.get_metadata(tonic::Request::new(tf::get_metadata::Request {})).await.expect("RPC failed");
    let capabilities = metadata.into_inner().server_capabilities.expect("no capabilities in GetMetadata");
    assert!(capabilities.move_resource_state && capabilities.plan_destroy);
    let schema = server.get_provider_schema(tonic::Request::new(tf::get_provider_schema::Request {})).await;
    let capabilities = schema.expect("RPC failed").into_inner().server_capabilities.expect("no capabilities in schema");
    assert!(capabilities.move_resource_state && capabilities.plan_destroy);
}

#[tokio::test]
async fn a_resource_takes_over_the_source_state_and_private() {
    let Fixture { server, .. } = fixture();
    let response = move_state(&server, move_request("test_thing", "aws_inspector2_enabler", ENABLER)).await;
    assert_eq!(response.diagnostics, vec![]);
    assert_eq!(decode::<ThingState>(&response.target_state), thing("111111111111-ECR", "111111111111,222222222222"));
    let private: ThingPrivate = rmp_serde::from_slice(&response.target_private).expect("decode private");
    assert_eq!(private.moved_from.as_deref(), Some("registry.terraform.io/hashicorp/aws aws_inspector2_enabler"));
}

#[tokio::test]
async fn a_resource_refuses_a_source_it_does_not_know() {
    let Fixture { server, .. } = fixture();
    let response = move_state(&server, move_request("test_thing", "aws_instance", r#"{"id":"i-1"}"#)).await;
    assert_eq!(only_error(&response.diagnostics).summary, "Cannot take over this source");
    assert_eq!(response.target_state, None);
}

#[tokio::test]
async fn the_default_move_refuses_naming_the_source() {
    let Fixture { server, .. } = fixture();
    let response = move_state(&server, move_request("test_legacy", "aws_inspector2_enabler", ENABLER)).await;
    let error = only_error(&response.diagnostics);
    assert_eq!(error.summary, "Moving resource state is not supported");
    assert!(error.detail.contains("aws_inspector2_enabler") && error.detail.contains(AWS), "{}", error.detail);
    assert_eq!(response.target_state, None);
    assert!(response.target_private.is_empty());
}

#[tokio::test]
async fn a_move_into_an_unknown_type_or_without_json_is_an_error() {
    let Fixture { server, .. } = fixture();
    let response = move_state(&server, move_request("test_nothing", "aws_inspector2_enabler", ENABLER)).await;
    assert!(only_error(&response.diagnostics).summary.contains("test_nothing"));
    assert_eq!(response.target_state, None);

    let response = move_state(&server, move_request("test_thing", "aws_inspector2_enabler", "")).await;
    assert_eq!(only_error(&response.diagnostics).summary, "Moving from a legacy state is not supported");
    assert_eq!(response.target_state, None);
}

// Patch 8: GenerateResourceConfig, with Terraform's own rule for resources that do not write theirs.

use super::*;

async fn generate(
    server: &Arc<Server>,
    type_name: &str,
    state: Option<tf::DynamicValue>,
) -> tf::generate_resource_config::Response {
    let request = tf::generate_resource_config::Request { type_name: type_name.into(), state };
    server.generate_resource_config(tonic::Request::new(request)).await.expect("RPC failed").into_inner()
}

async fn capability(server: &Arc<Server>) -> (bool, bool) {
    let metadata = server.get_metadata(tonic::Request::new(tf::get_metadata::Request {})).await;
    let metadata = metadata.expect("RPC failed").into_inner().server_capabilities.expect("no capabilities");
    let schema = server.get_provider_schema(tonic::Request::new(tf::get_provider_schema::Request {})).await;
    let schema = schema.expect("RPC failed").into_inner().server_capabilities.expect("no capabilities");
    (metadata.generate_resource_config, schema.generate_resource_config)
}

#[tokio::test]
async fn the_capability_is_advertised_only_when_a_resource_writes_its_configuration() {
    assert_eq!(capability(&fixture().server).await, (true, true));
    assert_eq!(capability(&bare_server()).await, (false, false));
}

#[tokio::test]
async fn a_resource_that_writes_its_configuration_is_asked() {
    let Fixture { server, .. } = fixture();
    let response = generate(&server, "test_thing", msgpack(&thing("t-1", "a"))).await;
    assert_eq!(response.diagnostics, vec![]);
    assert_eq!(decode::<ThingState>(&response.config), thing("", "config of t-1"));
}

#[tokio::test]
async fn other_resources_get_terraforms_own_rule() {
    let Fixture { server, .. } = fixture();
    let state = HashMap::from([("arn", "arn:x"), ("name", "x")]);
    let response = generate(&server, "test_legacy", msgpack(&state)).await;
    assert_eq!(response.diagnostics, vec![]);
    let config: HashMap<String, Option<String>> = decode(&response.config);
    assert_eq!(config, HashMap::from([("arn".to_string(), None), ("name".to_string(), Some("x".to_string()))]));
}

#[tokio::test]
async fn an_unknown_type_or_a_bad_state_is_an_error() {
    let Fixture { server, .. } = fixture();
    let response = generate(&server, "test_nothing", empty_object()).await;
    assert!(only_error(&response.diagnostics).summary.contains("test_nothing"));
    let truncated = Some(tf::DynamicValue { msgpack: vec![0x81, 0xa4, b'n'], json: vec![] });
    let response = generate(&server, "test_legacy", truncated).await;
    let error = only_error(&response.diagnostics);
    assert_eq!(error.summary, "Cannot generate configuration for test_legacy");
    assert!(error.detail.contains("truncated"), "{}", error.detail);
    assert_eq!(response.config, None);
}

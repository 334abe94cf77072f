// Patch 2: a panic in any handler becomes an error diagnostic naming the RPC and what it was for.

use super::*;

#[tokio::test]
async fn a_panicking_plan_yields_an_error_naming_the_resource() {
    let Fixture { server, .. } = fixture();
    let request = tf::plan_resource_change::Request {
        type_name: "test_panicky".into(),
        prior_state: null(),
        proposed_new_state: msgpack(&thing("a", "b")),
        config: msgpack(&thing("a", "b")),
        prior_private: vec![],
        provider_meta: null(),
        ..Default::default()
    };
    let response = server.plan_resource_change(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    assert_panic_error(&response.diagnostics, "PlanResourceChange", "resource test_panicky", "plan panicked");
    assert_eq!(response.planned_state, None);
}

#[tokio::test]
async fn a_panicking_update_or_destroy_keeps_the_prior_state() {
    let Fixture { server, .. } = fixture();
    for planned in [msgpack(&thing("a", "new")), null()] {
        let request = apply_request("test_panicky", msgpack(&thing("a", "old")), planned);
        let response =
            server.apply_resource_change(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
        assert_panic_error(&response.diagnostics, "ApplyResourceChange", "resource test_panicky", "apply panicked");
        assert_eq!(decode::<ThingState>(&response.new_state), thing("a", "old"));
    }
}

#[tokio::test]
async fn a_panicking_create_returns_no_state() {
    let Fixture { server, .. } = fixture();
    let request = apply_request("test_panicky", null(), msgpack(&thing("a", "new")));
    let response = server.apply_resource_change(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    assert_panic_error(&response.diagnostics, "ApplyResourceChange", "resource test_panicky", "apply panicked");
    assert_eq!(response.new_state, None);
}

#[tokio::test]
async fn a_panicking_read_keeps_the_current_state() {
    let Fixture { server, .. } = fixture();
    let request = tf::read_resource::Request {
        type_name: "test_panicky".into(),
        current_state: msgpack(&thing("a", "old")),
        private: rmp_serde::to_vec_named(&ThingPrivate { moved_from: Some("kept".into()) }).expect("encode"),
        provider_meta: null(),
        ..Default::default()
    };
    let response = server.read_resource(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    assert_panic_error(&response.diagnostics, "ReadResource", "resource test_panicky", "read panicked");
    assert_eq!(decode::<ThingState>(&response.new_state), thing("a", "old"));
    let private: ThingPrivate = rmp_serde::from_slice(&response.private).expect("decode private");
    assert_eq!(private.moved_from.as_deref(), Some("kept"));
}

#[tokio::test]
async fn a_panicking_data_source_read_yields_an_error_naming_it() {
    let Fixture { server, .. } = fixture();
    let request = tf::read_data_source::Request {
        type_name: "test_panicky".into(),
        config: empty_object(),
        provider_meta: null(),
        ..Default::default()
    };
    let response = server.read_data_source(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    assert_panic_error(
        &response.diagnostics,
        "ReadDataSource",
        "data source test_panicky",
        "data source read panicked",
    );
    assert_eq!(response.state, None);
}

#[tokio::test]
async fn a_panicking_configure_yields_an_error_naming_the_provider() {
    let Fixture { server, .. } = fixture();
    let request = tf::configure_provider::Request {
        terraform_version: "1.11.0".into(),
        config: empty_object(),
        ..Default::default()
    };
    let response = server.configure_provider(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    assert_panic_error(&response.diagnostics, "ConfigureProvider", "the provider", "configure panicked");
}

#[tokio::test]
async fn a_panicking_function_yields_a_function_error_naming_it() {
    let Fixture { server, .. } = fixture();
    let request = tf::call_function::Request { name: "panicky".into(), arguments: vec![] };
    let response = server.call_function(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    let error = response.error.expect("no function error");
    assert!(error.text.contains("Provider panicked in CallFunction for function panicky"), "{}", error.text);
    assert!(error.text.contains("function panicked"), "{}", error.text);
    assert_eq!(response.result, None);
}

#[tokio::test]
async fn a_panicking_schema_is_reported_by_get_provider_schema() {
    let Fixture { server, .. } = fixture_with(true);
    let response = server
        .get_provider_schema(tonic::Request::new(tf::get_provider_schema::Request {}))
        .await
        .expect("RPC failed")
        .into_inner();
    assert_panic_error(
        &response.diagnostics,
        "GetProviderSchema",
        "resource test_broken",
        "schema of a broken resource",
    );
    assert!(!response.resource_schemas.contains_key("test_broken"));
    assert!(response.resource_schemas.contains_key("test_thing"), "the other resources are still served");
}

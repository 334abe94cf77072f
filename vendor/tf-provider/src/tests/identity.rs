// Patch 7: resource identity (protocol 6.9), on every answer that carries a state.

use super::*;

fn identity_data(id: &str) -> Option<tf::ResourceIdentityData> {
    Some(tf::ResourceIdentityData { identity_data: msgpack(&ThingIdentity { id: id.into() }) })
}

fn private() -> Vec<u8> {
    rmp_serde::to_vec_named(&ThingPrivate::default()).expect("encode")
}

fn expect_identity(identity: &Option<tf::ResourceIdentityData>, id: &str) {
    assert_eq!(decode_identity::<ThingIdentity>(identity), ThingIdentity { id: id.into() });
}

#[tokio::test]
async fn only_resources_that_declare_one_have_an_identity_schema() {
    let Fixture { server, .. } = fixture();
    let request = tonic::Request::new(tf::get_resource_identity_schemas::Request {});
    let response = server.get_resource_identity_schemas(request).await.expect("RPC failed").into_inner();
    assert_eq!(response.diagnostics, vec![]);
    assert_eq!(response.identity_schemas.keys().collect::<Vec<_>>(), vec!["test_thing"]);
    let schema = &response.identity_schemas["test_thing"];
    assert_eq!(schema.version, 1);
    let attribute = &schema.identity_attributes[..];
    assert_eq!(attribute.len(), 1);
    assert_eq!(attribute[0].name, "id");
    assert_eq!(attribute[0].r#type, br#""string""#.to_vec());
    assert!(attribute[0].required_for_import && !attribute[0].optional_for_import);
    assert_eq!(attribute[0].description, "The thing's ID");

    let response = bare_server().get_resource_identity_schemas(tonic::Request::new(Default::default())).await;
    let response = response.expect("RPC failed").into_inner();
    assert!(response.identity_schemas.is_empty() && response.diagnostics.is_empty());
}

#[tokio::test]
async fn read_plan_and_apply_answer_the_identity_of_their_state() {
    let Fixture { server, .. } = fixture();
    let read = tf::read_resource::Request {
        type_name: "test_thing".into(),
        current_state: msgpack(&thing("t-1", "a")),
        private: rmp_serde::to_vec_named(&ThingPrivate::default()).expect("encode"),
        provider_meta: null(),
        ..Default::default()
    };
    let response = server.read_resource(tonic::Request::new(read)).await.expect("RPC failed").into_inner();
    expect_identity(&response.new_identity, "t-1");

    for prior in [null(), msgpack(&thing("t-2", "old"))] {
        let plan = tf::plan_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: prior,
            proposed_new_state: msgpack(&thing("t-2", "new")),
            config: msgpack(&thing("t-2", "new")),
            prior_private: private(),
            provider_meta: null(),
            ..Default::default()
        };
        let response = server.plan_resource_change(tonic::Request::new(plan)).await.expect("RPC failed").into_inner();
        assert_eq!(response.diagnostics, vec![]);
        expect_identity(&response.planned_identity, "t-2");

        let apply = apply_request("test_thing", None, msgpack(&thing("t-2", "new")));
        let apply = tf::apply_resource_change::Request { prior_state: null(), ..apply };
        let response = server.apply_resource_change(tonic::Request::new(apply)).await.expect("RPC failed").into_inner();
        expect_identity(&response.new_identity, "t-2");
    }
}

#[tokio::test]
async fn a_destroy_and_a_resource_without_identity_answer_none() {
    let Fixture { server, .. } = fixture();
    let destroy = tf::plan_resource_change::Request {
        type_name: "test_thing".into(),
        prior_state: msgpack(&thing("t-1", "a")),
        proposed_new_state: null(),
        config: null(),
        prior_private: private(),
        provider_meta: null(),
        prior_identity: identity_data("t-1"),
        ..Default::default()
    };
    let response = server.plan_resource_change(tonic::Request::new(destroy)).await.expect("RPC failed").into_inner();
    assert_eq!(response.diagnostics, vec![]);
    assert_eq!(response.planned_identity, None);
    let apply = apply_request("test_thing", msgpack(&thing("t-1", "a")), null());
    let response = server.apply_resource_change(tonic::Request::new(apply)).await.expect("RPC failed").into_inner();
    assert_eq!((response.diagnostics, response.new_identity), (vec![], None));

    let read = tf::read_resource::Request {
        type_name: "test_legacy".into(),
        current_state: empty_object(),
        provider_meta: null(),
        ..Default::default()
    };
    let response = server.read_resource(tonic::Request::new(read)).await.expect("RPC failed").into_inner();
    assert_eq!(response.diagnostics, vec![]);
    assert!(response.new_state.is_some());
    assert_eq!(response.new_identity, None);
}

#[tokio::test]
async fn import_by_id_or_by_identity_answers_the_identity() {
    let Fixture { server, .. } = fixture();
    let by_id =
        tf::import_resource_state::Request { type_name: "test_thing".into(), id: "t-7".into(), ..Default::default() };
    let response = server.import_resource_state(tonic::Request::new(by_id)).await.expect("RPC failed").into_inner();
    assert_eq!(response.diagnostics, vec![]);
    let [imported] = &response.imported_resources[..] else { panic!("expected one imported resource") };
    assert_eq!(decode::<ThingState>(&imported.state), thing("t-7", "by id"));
    expect_identity(&imported.identity, "t-7");

    let by_identity = tf::import_resource_state::Request {
        type_name: "test_thing".into(),
        identity: identity_data("t-8"),
        ..Default::default()
    };
    let response =
        server.import_resource_state(tonic::Request::new(by_identity)).await.expect("RPC failed").into_inner();
    assert_eq!(response.diagnostics, vec![]);
    let [imported] = &response.imported_resources[..] else { panic!("expected one imported resource") };
    assert_eq!(decode::<ThingState>(&imported.state), thing("t-8", "by identity"));
    expect_identity(&imported.identity, "t-8");
}

#[tokio::test]
async fn the_default_import_by_identity_refuses() {
    let Fixture { server, .. } = fixture();
    let request = tf::import_resource_state::Request {
        type_name: "test_legacy".into(),
        identity: identity_data("x"),
        ..Default::default()
    };
    let response = server.import_resource_state(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    assert_eq!(only_error(&response.diagnostics).summary, "Import by identity is not supported");
    assert!(response.imported_resources.is_empty());
}

#[tokio::test]
async fn a_move_answers_the_identity_of_the_target() {
    let Fixture { server, .. } = fixture();
    let request = tf::move_resource_state::Request {
        source_provider_address: "registry.terraform.io/hashicorp/aws".into(),
        source_type_name: "aws_inspector2_enabler".into(),
        source_state: Some(tf::RawState {
            json: br#"{"id":"m-1","account_ids":["1"]}"#.to_vec(),
            flatmap: HashMap::new(),
        }),
        target_type_name: "test_thing".into(),
        ..Default::default()
    };
    let response = server.move_resource_state(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    assert_eq!(response.diagnostics, vec![]);
    expect_identity(&response.target_identity, "m-1");
}

#[tokio::test]
async fn a_panicking_read_keeps_the_current_identity() {
    let Fixture { server, .. } = fixture();
    let request = tf::read_resource::Request {
        type_name: "test_panicky".into(),
        current_state: msgpack(&thing("a", "old")),
        private: private(),
        provider_meta: null(),
        current_identity: identity_data("a"),
        ..Default::default()
    };
    let response = server.read_resource(tonic::Request::new(request)).await.expect("RPC failed").into_inner();
    assert_panic_error(&response.diagnostics, "ReadResource", "resource test_panicky", "read panicked");
    expect_identity(&response.new_identity, "a");
}

async fn upgrade(
    server: &Arc<Server>,
    type_name: &str,
    version: i64,
    json: &str,
) -> tf::upgrade_resource_identity::Response {
    let request = tf::upgrade_resource_identity::Request {
        type_name: type_name.into(),
        version,
        raw_identity: Some(tf::RawState { json: json.as_bytes().to_vec(), flatmap: HashMap::new() }),
    };
    server.upgrade_resource_identity(tonic::Request::new(request)).await.expect("RPC failed").into_inner()
}

#[tokio::test]
async fn an_older_identity_is_upgraded_and_the_current_one_passes_through() {
    let Fixture { server, .. } = fixture();
    let response = upgrade(&server, "test_thing", 0, r#"{"thing_id":"u-1"}"#).await;
    assert_eq!(response.diagnostics, vec![]);
    expect_identity(&response.upgraded_identity, "u-1");

    let response = upgrade(&server, "test_thing", 1, r#"{"id":"u-2"}"#).await;
    assert_eq!(response.diagnostics, vec![]);
    let data = response.upgraded_identity.and_then(|identity| identity.identity_data).expect("no identity");
    assert_eq!(data.json, br#"{"id":"u-2"}"#.to_vec());
}

#[tokio::test]
async fn an_identity_stored_before_the_resource_had_one_stays_null() {
    let Fixture { server, .. } = fixture();
    for json in ["", "null"] {
        let response = upgrade(&server, "test_thing", 0, json).await;
        assert_eq!((response.diagnostics, response.upgraded_identity), (vec![], None), "{json:?}");
    }
}

#[tokio::test]
async fn a_newer_identity_or_a_resource_without_one_is_refused() {
    let Fixture { server, .. } = fixture();
    let response = upgrade(&server, "test_thing", 2, r#"{"id":"u-3"}"#).await;
    let error = only_error(&response.diagnostics);
    assert_eq!(error.summary, "Identity written by a newer provider version");
    assert!(error.detail.contains("version 2") && error.detail.contains("up to 1"), "{}", error.detail);
    assert_eq!(response.upgraded_identity, None);

    let response = upgrade(&server, "test_legacy", 0, r#"{"id":"x"}"#).await;
    assert_eq!(only_error(&response.diagnostics).summary, "Resource test_legacy has no identity");
    let response = upgrade(&server, "test_nothing", 0, r#"{"id":"x"}"#).await;
    assert!(only_error(&response.diagnostics).summary.contains("test_nothing"));
}

// inspector2fix patch: tests of the patched RPC handlers (PATCHED.md), called without a network.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::function::{DynamicFunction, Function};
use crate::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, FunctionSchema, IdentityAttribute,
    IdentitySchema, Schema,
};
use crate::server::Server;
use crate::tfplugin6 as tf;
use crate::tfplugin6::provider_server::Provider as _;
use crate::value::ValueEmpty;
use crate::{
    Action, ActionProgress, AttributePath, DataSource, Diagnostic, Diagnostics, DynamicAction, DynamicDataSource,
    DynamicListResource, DynamicResource, ListResource, ListResult, ListSink, MoveSource, Provider, RawValue,
    Resource, StopSignal,
};

/// A hang guard, not a timing assertion
const HANG_GUARD: Duration = Duration::from_secs(30);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct ThingState {
    id: String,
    name: String,
}

/// Version 0 of `test_thing`: `name` was called `title`
#[derive(Deserialize)]
struct ThingStateV0 {
    id: String,
    title: String,
}

/// Identity of `test_thing` (version 1)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct ThingIdentity {
    id: String,
}

/// Version 0 of the identity: `id` was called `thing_id`
#[derive(Deserialize)]
struct ThingIdentityV0 {
    thing_id: String,
}

fn thing_identity_schema() -> IdentitySchema {
    let id = IdentityAttribute {
        attr_type: AttributeType::String,
        description: "The thing's ID".into(),
        required_for_import: true,
        optional_for_import: false,
    };
    IdentitySchema { version: 1, attributes: HashMap::from([("id".to_string(), id)]) }
}

/// The part of an `aws_inspector2_enabler` state a move reads
#[derive(Deserialize)]
struct EnablerState {
    id: String,
    account_ids: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct ThingPrivate {
    moved_from: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Version 1, upgrades version 0, takes over `aws_inspector2_enabler`, waits for stop on create
    Thing,
    /// Panics in read, plan and apply
    Panicky,
    /// Panics in schema
    Broken,
}

struct TestResource {
    kind: Kind,
    stop: StopSignal,
    create_started: Arc<Notify>,
}

fn error(diags: &mut Diagnostics, summary: &str) {
    diags.add_error(Diagnostic {
        summary: summary.to_string().into(),
        detail: "".into(),
        attribute: AttributePath::default(),
    });
}

impl TestResource {
    async fn wait_for_stop(&self, diags: &mut Diagnostics, planned: ThingState) -> Option<(ThingState, ThingPrivate)> {
        self.create_started.notify_one();
        tokio::select! {
            _ = self.stop.stopped() => {
                error(diags, "Stopped: partial state kept");
                Some((ThingState { id: "partial-id".into(), name: planned.name }, ThingPrivate::default()))
            }
            _ = tokio::time::sleep(Duration::from_secs(3600)) => None,
        }
    }
}

#[async_trait]
impl Resource for TestResource {
    type State<'a> = ThingState;
    type PrivateState<'a> = ThingPrivate;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let version = match self.kind {
            Kind::Panicky => 0,
            Kind::Broken => panic!("schema of a broken resource"),
            Kind::Thing => 1,
        };
        Some(Schema { version, block: Block::default() })
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        state: ThingState,
        private_state: ThingPrivate,
        _provider_meta_state: ValueEmpty,
    ) -> Option<(ThingState, ThingPrivate)> {
        assert!(self.kind != Kind::Panicky, "read panicked");
        Some((state, private_state))
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed_state: ThingState,
        _config_state: ThingState,
        _provider_meta_state: ValueEmpty,
    ) -> Option<(ThingState, ThingPrivate)> {
        assert!(self.kind != Kind::Panicky, "plan panicked");
        Some((proposed_state, ThingPrivate::default()))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: ThingState,
        proposed_state: ThingState,
        _config_state: ThingState,
        prior_private_state: ThingPrivate,
        _provider_meta_state: ValueEmpty,
    ) -> Option<(ThingState, ThingPrivate, Vec<AttributePath>)> {
        assert!(self.kind != Kind::Panicky, "plan panicked");
        Some((proposed_state, prior_private_state, vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: ThingState,
        prior_private_state: ThingPrivate,
        _provider_meta_state: ValueEmpty,
    ) -> Option<ThingPrivate> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned_state: ThingState,
        _config_state: ThingState,
        planned_private_state: ThingPrivate,
        _provider_meta_state: ValueEmpty,
    ) -> Option<(ThingState, ThingPrivate)> {
        assert!(self.kind != Kind::Panicky, "apply panicked");
        if planned_state.name == "wait" {
            return self.wait_for_stop(diags, planned_state).await;
        }
        Some((planned_state, planned_private_state))
    }

    async fn update<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: ThingState,
        planned_state: ThingState,
        _config_state: ThingState,
        planned_private_state: ThingPrivate,
        _provider_meta_state: ValueEmpty,
    ) -> Option<(ThingState, ThingPrivate)> {
        assert!(self.kind != Kind::Panicky, "apply panicked");
        Some((planned_state, planned_private_state))
    }

    async fn destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: ThingState,
        _planned_private_state: ThingPrivate,
        _provider_meta_state: ValueEmpty,
    ) -> Option<()> {
        assert!(self.kind != Kind::Panicky, "apply panicked");
        Some(())
    }

    async fn upgrade<'a>(&self, diags: &mut Diagnostics, version: i64, prior_state: RawValue) -> Option<ThingState> {
        if self.kind != Kind::Thing || version != 0 {
            error(diags, "Unexpected upgrade");
            return None;
        }
        let prior: ThingStateV0 = prior_state.deserialize(diags)?;
        Some(ThingState { id: prior.id, name: prior.title })
    }

    fn identity_schema(&self, _diags: &mut Diagnostics) -> Option<IdentitySchema> {
        (self.kind == Kind::Thing).then(thing_identity_schema)
    }

    fn identity(&self, diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
        // Only the identity's field is decoded; `name` is skipped.
        let identity: ThingIdentity = state.deserialize(diags)?;
        RawValue::serialize(diags, &identity)
    }

    async fn import<'a>(&self, _diags: &mut Diagnostics, id: String) -> Option<(ThingState, ThingPrivate)> {
        Some((thing(&id, "by id"), ThingPrivate::default()))
    }

    async fn import_by_identity<'a>(&self, diags: &mut Diagnostics, identity: RawValue) -> Option<(ThingState, ThingPrivate)> {
        let identity: ThingIdentity = identity.deserialize(diags)?;
        Some((thing(&identity.id, "by identity"), ThingPrivate::default()))
    }

    async fn upgrade_identity(&self, diags: &mut Diagnostics, version: i64, prior_identity: RawValue) -> Option<RawValue> {
        if version != 0 {
            error(diags, "Unexpected identity upgrade");
            return None;
        }
        let prior: ThingIdentityV0 = prior_identity.deserialize(diags)?;
        RawValue::serialize(diags, &ThingIdentity { id: prior.thing_id })
    }

    fn generates_config(&self) -> bool {
        self.kind == Kind::Thing
    }

    async fn generate_config<'a>(&self, _diags: &mut Diagnostics, state: ThingState) -> Option<ThingState> {
        Some(thing("", &format!("config of {}", state.id)))
    }

    async fn move_state<'a>(&self, diags: &mut Diagnostics, source: MoveSource) -> Option<(ThingState, ThingPrivate)> {
        if self.kind != Kind::Thing || source.type_name != "aws_inspector2_enabler" {
            error(diags, "Cannot take over this source");
            return None;
        }
        let enabler: EnablerState = source.state.deserialize(diags)?;
        let state = ThingState { id: enabler.id, name: enabler.account_ids.join(",") };
        let private = ThingPrivate { moved_from: Some(format!("{} {}", source.provider_address, source.type_name)) };
        Some((state, private))
    }
}

/// Version 1 with the default upgrade and move
struct PlainResource;

#[async_trait]
impl Resource for PlainResource {
    type State<'a> = ValueEmpty;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let attribute = |constraint| Attribute {
            attr_type: AttributeType::String,
            description: Description::plain(""),
            constraint,
            sensitive: false,
            deprecated: false,
        };
        let attributes = HashMap::from([
            ("arn".to_string(), attribute(AttributeConstraint::Computed)),
            ("name".to_string(), attribute(AttributeConstraint::Required)),
        ]);
        Some(Schema { version: 1, block: Block { attributes, ..Block::default() } })
    }

    async fn read<'a>(
        &self,
        _: &mut Diagnostics,
        s: ValueEmpty,
        p: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(ValueEmpty, ValueEmpty)> {
        Some((s, p))
    }

    async fn plan_create<'a>(
        &self,
        _: &mut Diagnostics,
        s: ValueEmpty,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(ValueEmpty, ValueEmpty)> {
        Some((s, Default::default()))
    }

    async fn plan_update<'a>(
        &self,
        _: &mut Diagnostics,
        _: ValueEmpty,
        s: ValueEmpty,
        _: ValueEmpty,
        p: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(ValueEmpty, ValueEmpty, Vec<AttributePath>)> {
        Some((s, p, vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _: &mut Diagnostics,
        _: ValueEmpty,
        p: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(p)
    }

    async fn create<'a>(
        &self,
        _: &mut Diagnostics,
        s: ValueEmpty,
        _: ValueEmpty,
        p: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(ValueEmpty, ValueEmpty)> {
        Some((s, p))
    }

    async fn update<'a>(
        &self,
        _: &mut Diagnostics,
        _: ValueEmpty,
        s: ValueEmpty,
        _: ValueEmpty,
        p: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(ValueEmpty, ValueEmpty)> {
        Some((s, p))
    }

    async fn destroy<'a>(&self, _: &mut Diagnostics, _: ValueEmpty, _: ValueEmpty, _: ValueEmpty) -> Option<()> {
        Some(())
    }
}

struct PanickyDataSource;

#[async_trait]
impl DataSource for PanickyDataSource {
    type State<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Block::default() })
    }

    async fn read<'a>(&self, _diags: &mut Diagnostics, _config: ValueEmpty, _meta: ValueEmpty) -> Option<ValueEmpty> {
        panic!("data source read panicked")
    }
}

struct PanickyFunction;

#[async_trait]
impl Function for PanickyFunction {
    type Input<'a> = Vec<i64>;
    type Output<'a> = ();

    fn schema(&self, _diags: &mut Diagnostics) -> Option<FunctionSchema> {
        Some(FunctionSchema { summary: "panics".into(), ..Default::default() })
    }

    async fn call<'a>(&self, _diags: &mut Diagnostics, _params: Vec<i64>) -> Option<()> {
        panic!("function panicked")
    }
}

struct TestProvider {
    stop: StopSignal,
    create_started: Arc<Notify>,
    with_broken_resource: bool,
    /// The list resource `test_legacy`, whose managed resource has no identity
    with_orphan_list: bool,
    listed: Arc<Listed>,
}

#[async_trait]
impl Provider for TestProvider {
    type Config<'a> = ValueEmpty;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Block::default() })
    }

    async fn configure<'a>(&self, _diags: &mut Diagnostics, _version: String, _config: ValueEmpty) -> Option<()> {
        panic!("configure panicked")
    }

    fn get_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        let mut kinds = vec![("thing", Kind::Thing), ("panicky", Kind::Panicky)];
        if self.with_broken_resource {
            kinds.push(("broken", Kind::Broken));
        }
        let resource = |kind| -> Box<dyn DynamicResource> {
            Box::new(TestResource { kind, stop: self.stop.clone(), create_started: self.create_started.clone() })
        };
        let mut resources: HashMap<_, _> =
            kinds.into_iter().map(|(name, kind)| (name.to_string(), resource(kind))).collect();
        resources.insert("legacy".to_string(), Box::new(PlainResource));
        Some(resources)
    }

    fn get_data_sources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(HashMap::from([("panicky".to_string(), Box::new(PanickyDataSource) as Box<dyn DynamicDataSource>)]))
    }

    fn get_functions(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicFunction>>> {
        Some(HashMap::from([("panicky".to_string(), Box::new(PanickyFunction) as Box<dyn DynamicFunction>)]))
    }

    fn get_list_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicListResource>>> {
        let mut lists = HashMap::from([(
            "thing".to_string(),
            Box::new(ThingList { listed: self.listed.clone() }) as Box<dyn DynamicListResource>,
        )]);
        if self.with_orphan_list {
            lists.insert("legacy".to_string(), Box::new(ThingList { listed: self.listed.clone() }));
        }
        Some(lists)
    }

    fn get_actions(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicAction>>> {
        let action = CountAction { stop: self.stop.clone(), listed: self.listed.clone() };
        Some(HashMap::from([("count".to_string(), Box::new(action) as Box<dyn DynamicAction>)]))
    }
}

/// What the list resource and the action did, for the tests to check
#[derive(Default)]
struct Listed {
    /// Results the list resource produced (sent or not)
    produced: std::sync::atomic::AtomicUsize,
    /// Fired when a list or an action in flight is dropped
    dropped: Notify,
    /// Fired when an action starts waiting for the stop signal
    waiting: Notify,
}

/// Fires [`Listed::dropped`] when the future holding it is dropped
struct DropAlarm(Arc<Listed>);

impl Drop for DropAlarm {
    fn drop(&mut self) {
        self.0.dropped.notify_one();
    }
}

#[derive(Serialize, Deserialize)]
struct ListConfig {
    prefix: String,
    count: i64,
}

/// Lists `count` things named `<prefix>-<i>`; prefix "fail" ends with an error after one
/// result, "panic" panics, "slow" waits between results
struct ThingList {
    listed: Arc<Listed>,
}

#[async_trait]
impl ListResource for ThingList {
    type Config<'a> = ListConfig;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Block::default() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: ListConfig) -> Option<()> {
        if config.count < 0 {
            diags.add_error(Diagnostic {
                summary: "count must not be negative".into(),
                detail: "".into(),
                attribute: AttributePath::new("count"),
            });
        }
        Some(())
    }

    async fn list<'a>(&self, diags: &mut Diagnostics, config: ListConfig, sink: &mut ListSink) -> Option<()> {
        assert!(config.prefix != "panic", "list panicked");
        let _alarm = DropAlarm(self.listed.clone());
        for i in 0..config.count {
            if config.prefix == "slow" {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let id = format!("{}-{i}", config.prefix);
            self.listed.produced.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let result = ListResult {
                identity: RawValue::serialize(diags, &ThingIdentity { id: id.clone() })?,
                display_name: format!("thing {id}"),
                resource_object: Some(RawValue::serialize(diags, &thing(&id, "listed"))?),
            };
            if !sink.send(result).await {
                break;
            }
            if config.prefix == "fail" {
                error(diags, "Listing failed after one thing");
                return None;
            }
        }
        Some(())
    }
}

#[derive(Serialize, Deserialize)]
struct CountConfig {
    steps: i64,
}

/// Sends `steps` progress messages; 0 fails, -1 waits for the stop signal, -2 panics, -3 waits
/// for ever
struct CountAction {
    stop: StopSignal,
    listed: Arc<Listed>,
}

#[async_trait]
impl Action for CountAction {
    type Config<'a> = CountConfig;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Block::default() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: CountConfig) -> Option<()> {
        if config.steps > 100 {
            diags.add_error(Diagnostic {
                summary: "At most 100 steps".into(),
                detail: "".into(),
                attribute: AttributePath::new("steps"),
            });
        }
        Some(())
    }

    async fn plan<'a>(&self, diags: &mut Diagnostics, config: CountConfig) -> Option<()> {
        if config.steps == 0 {
            diags.add_warning(Diagnostic {
                summary: "Nothing to do".into(),
                detail: "".into(),
                attribute: AttributePath::default(),
            });
        }
        Some(())
    }

    async fn invoke<'a>(&self, diags: &mut Diagnostics, config: CountConfig, progress: &mut ActionProgress) -> Option<()> {
        let _alarm = DropAlarm(self.listed.clone());
        match config.steps {
            0 => {
                error(diags, "Nothing to count");
                None
            }
            -1 => {
                self.listed.waiting.notify_one();
                self.stop.stopped().await;
                error(diags, "Stopped");
                None
            }
            -2 => panic!("action panicked"),
            -3 => {
                progress.send("waiting").await;
                std::future::pending::<()>().await;
                None
            }
            steps => {
                for step in 1..=steps {
                    progress.send(format!("step {step}/{steps}")).await;
                }
                Some(())
            }
        }
    }
}

struct Fixture {
    server: Arc<Server>,
    stop: StopSignal,
    create_started: Arc<Notify>,
    listed: Arc<Listed>,
}

fn fixture_of(with_broken_resource: bool, with_orphan_list: bool) -> Fixture {
    let stop = StopSignal::new();
    let create_started = Arc::new(Notify::new());
    let listed = Arc::new(Listed::default());
    let provider = TestProvider {
        stop: stop.clone(),
        create_started: create_started.clone(),
        with_broken_resource,
        with_orphan_list,
        listed: listed.clone(),
    };
    let server = Arc::new(Server::with_stop("test".into(), Box::new(provider), stop.clone()));
    Fixture { server, stop, create_started, listed }
}

fn fixture_with(with_broken_resource: bool) -> Fixture {
    fixture_of(with_broken_resource, false)
}

fn fixture() -> Fixture {
    fixture_with(false)
}

fn msgpack<T: Serialize>(value: &T) -> Option<tf::DynamicValue> {
    Some(tf::DynamicValue { msgpack: rmp_serde::to_vec_named(value).expect("encode"), json: vec![] })
}

fn null() -> Option<tf::DynamicValue> {
    Some(tf::DynamicValue { msgpack: vec![0xc0], json: vec![] })
}

fn empty_object() -> Option<tf::DynamicValue> {
    msgpack(&HashMap::<String, String>::new())
}

/// Decode a msgpack state; a missing or null state fails the test
fn decode<T: DeserializeOwned>(value: &Option<tf::DynamicValue>) -> T {
    let value = value.as_ref().expect("state missing from the response");
    assert!(!value.msgpack.is_empty() && value.msgpack != [0xc0], "state is null");
    rmp_serde::from_slice(&value.msgpack).expect("decode state")
}

fn thing(id: &str, name: &str) -> ThingState {
    ThingState { id: id.into(), name: name.into() }
}

/// The only error among `diags`; anything else fails the test
fn only_error(diags: &[tf::Diagnostic]) -> &tf::Diagnostic {
    assert_eq!(diags.len(), 1, "expected exactly one diagnostic: {diags:?}");
    assert_eq!(diags[0].severity, tf::diagnostic::Severity::Error as i32, "{diags:?}");
    &diags[0]
}

/// The panic diagnostic names the RPC, the subject and the message, and carries no backtrace
fn assert_panic_error(diags: &[tf::Diagnostic], rpc: &str, subject: &str, message: &str) {
    let error = only_error(diags);
    assert_eq!(error.summary, format!("Provider panicked in {rpc} for {subject}"));
    assert!(error.detail.contains(&format!("{rpc} for {subject}")), "{}", error.detail);
    assert!(error.detail.contains(message), "{}", error.detail);
    assert!(!error.detail.contains("backtrace") && !error.detail.contains(".rs:"), "{}", error.detail);
}

fn apply_request(
    type_name: &str,
    prior: Option<tf::DynamicValue>,
    planned: Option<tf::DynamicValue>,
) -> tf::apply_resource_change::Request {
    let config = if planned.as_ref().map(|p| p.msgpack == [0xc0]).unwrap_or(true) { null() } else { planned.clone() };
    tf::apply_resource_change::Request {
        type_name: type_name.into(),
        prior_state: prior,
        planned_state: planned,
        config,
        planned_private: rmp_serde::to_vec_named(&ThingPrivate::default()).expect("encode"),
        provider_meta: null(),
        ..Default::default()
    }
}

mod actions;
mod generate_config;
mod identity;
mod list;
mod moves;
mod panics;
mod stop;
mod upgrade;

/// A provider with one resource that opts in to nothing of protocol 6.9 and 6.10
struct BareProvider;

#[async_trait]
impl Provider for BareProvider {
    type Config<'a> = ValueEmpty;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Block::default() })
    }

    fn get_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(HashMap::from([("legacy".to_string(), Box::new(PlainResource) as Box<dyn DynamicResource>)]))
    }
}

fn bare_server() -> Arc<Server> {
    Arc::new(Server::with_stop("bare".into(), Box::new(BareProvider), StopSignal::new()))
}

/// The identity data of a response, decoded; a missing or null identity fails the test
fn decode_identity<T: DeserializeOwned>(identity: &Option<tf::ResourceIdentityData>) -> T {
    let identity = identity.as_ref().expect("identity missing from the response");
    decode(&identity.identity_data)
}

// inspector2fix patch: the API the patches add (PATCHED.md), in one small provider.
//
// `patched_wait` waits `seconds` on create, and stops waiting when Terraform sends StopProvider
// (Ctrl-C), returning the state it has with an error so Terraform keeps it. Its schema is at
// version 1 (version 0 called `seconds` `delay`), and a `moved` block can turn a
// `null_resource` into a `patched_wait`.
//
// Protocol 6.9 and 6.10 (patches 7 to 10): `patched_wait` has the identity `{ id }` and imports
// by ID or by identity; `list "patched_wait"` finds `count` waits named `wait-<i>` and generates
// their configuration; the action `patched_count` reports `steps` progress messages, one a
// second, and stops at StopProvider.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Result;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, IdentityAttribute, IdentitySchema, Schema,
};
use tf_provider::value::{ValueEmpty, ValueNumber, ValueString};
use tf_provider::{
    map, serve_with_stop, Action, ActionProgress, AttributePath, Diagnostic, Diagnostics, DynamicAction,
    DynamicListResource, DynamicResource, ListResource, ListResult, ListSink, MoveSource, Provider, RawValue,
    Resource, StopSignal,
};

/// Identity of a `patched_wait`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WaitIdentity {
    pub id: ValueString<'static>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WaitState {
    pub id: ValueString<'static>,
    pub seconds: ValueNumber,
}

/// Version 0 of the state
#[derive(Deserialize)]
struct WaitStateV0 {
    id: ValueString<'static>,
    delay: ValueNumber,
}

fn error(diags: &mut Diagnostics, summary: &'static str, detail: String) {
    // Public fields: the helper constructors append a captured backtrace.
    diags.add_error(Diagnostic { summary: summary.into(), detail: detail.into(), attribute: AttributePath::default() });
}

pub struct WaitResource {
    stop: StopSignal,
}

#[async_trait]
impl Resource for WaitResource {
    type State<'a> = WaitState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let attribute = |attr_type, constraint| Attribute {
            attr_type,
            constraint,
            description: Description::plain(""),
            sensitive: false,
            deprecated: false,
        };
        Some(Schema {
            version: 1,
            block: Block {
                attributes: map! {
                    "id" => attribute(AttributeType::String, AttributeConstraint::Computed),
                    "seconds" => attribute(AttributeType::Number, AttributeConstraint::Required),
                },
                ..Default::default()
            },
        })
    }

    async fn read<'a>(
        &self,
        _: &mut Diagnostics,
        state: WaitState,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(WaitState, ValueEmpty)> {
        Some((state, Default::default()))
    }

    async fn plan_create<'a>(
        &self,
        _: &mut Diagnostics,
        proposed: WaitState,
        _: WaitState,
        _: ValueEmpty,
    ) -> Option<(WaitState, ValueEmpty)> {
        Some((WaitState { id: ValueString::Unknown, ..proposed }, Default::default()))
    }

    async fn plan_update<'a>(
        &self,
        _: &mut Diagnostics,
        _: WaitState,
        proposed: WaitState,
        _: WaitState,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(WaitState, ValueEmpty, Vec<AttributePath>)> {
        Some((proposed, Default::default(), vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _: &mut Diagnostics,
        _: WaitState,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(Default::default())
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: WaitState,
        _: WaitState,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(WaitState, ValueEmpty)> {
        let seconds = planned.seconds.as_ref_option().copied().unwrap_or(0).max(0) as u64;
        let state = WaitState { id: ValueString::from("waited".to_string()), ..planned };
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(seconds)) => {}
            // Stopped: the object exists, so return it with the error and Terraform keeps it.
            _ = self.stop.stopped() => error(diags, "Stopped", "The wait was interrupted.".into()),
        }
        Some((state, Default::default()))
    }

    async fn update<'a>(
        &self,
        _: &mut Diagnostics,
        _: WaitState,
        planned: WaitState,
        _: WaitState,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(WaitState, ValueEmpty)> {
        Some((planned, Default::default()))
    }

    async fn destroy<'a>(&self, _: &mut Diagnostics, _: WaitState, _: ValueEmpty, _: ValueEmpty) -> Option<()> {
        Some(())
    }

    /// Called for states older than the schema's version 1
    async fn upgrade<'a>(&self, diags: &mut Diagnostics, version: i64, prior_state: RawValue) -> Option<WaitState> {
        if version != 0 {
            error(diags, "Unknown state version", format!("patched_wait has no schema version {version}."));
            return None;
        }
        let prior: WaitStateV0 = prior_state.deserialize(diags)?;
        Some(WaitState { id: prior.id, seconds: prior.delay })
    }

    fn identity_schema(&self, _diags: &mut Diagnostics) -> Option<IdentitySchema> {
        let id = IdentityAttribute {
            attr_type: AttributeType::String,
            description: "The wait's ID".into(),
            required_for_import: true,
            optional_for_import: false,
        };
        Some(IdentitySchema { version: 0, attributes: map! { "id" => id } })
    }

    fn identity(&self, diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
        let identity: WaitIdentity = state.deserialize(diags)?;
        RawValue::serialize(diags, &identity)
    }

    async fn import<'a>(&self, _: &mut Diagnostics, id: String) -> Option<(WaitState, ValueEmpty)> {
        Some((WaitState { id: ValueString::from(id), seconds: ValueNumber::from(0) }, Default::default()))
    }

    async fn import_by_identity<'a>(&self, diags: &mut Diagnostics, identity: RawValue) -> Option<(WaitState, ValueEmpty)> {
        let identity: WaitIdentity = identity.deserialize(diags)?;
        Some((WaitState { id: identity.id, seconds: ValueNumber::from(0) }, Default::default()))
    }

    fn generates_config(&self) -> bool {
        true
    }

    /// A wait's configuration: its `seconds` (`id` is read-only)
    async fn generate_config<'a>(&self, _: &mut Diagnostics, state: WaitState) -> Option<WaitState> {
        Some(WaitState { id: ValueString::Null, seconds: state.seconds })
    }

    /// `moved { from = null_resource.x  to = patched_wait.x }`
    async fn move_state<'a>(&self, diags: &mut Diagnostics, source: MoveSource) -> Option<(WaitState, ValueEmpty)> {
        if source.type_name != "null_resource" {
            error(diags, "Cannot move into patched_wait", format!("{} is not a null_resource.", source.type_name));
            return None;
        }
        let prior: serde_json::Value = source.state.deserialize(diags)?;
        let id = prior["id"].as_str().unwrap_or_default().to_string();
        Some((WaitState { id: ValueString::from(id), seconds: ValueNumber::from(0) }, Default::default()))
    }
}

pub struct PatchedProvider {
    stop: StopSignal,
}

#[async_trait]
impl Provider for PatchedProvider {
    type Config<'a> = ValueEmpty;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Block::default() })
    }

    fn get_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(map! { "wait" => WaitResource { stop: self.stop.clone() } })
    }

    fn get_list_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicListResource>>> {
        Some(map! { "wait" => WaitList })
    }

    fn get_actions(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicAction>>> {
        Some(map! { "count" => CountAction { stop: self.stop.clone() } })
    }
}

fn number_attribute(constraint: AttributeConstraint) -> Attribute {
    Attribute {
        attr_type: AttributeType::Number,
        constraint,
        description: Description::plain(""),
        sensitive: false,
        deprecated: false,
    }
}

#[derive(Serialize, Deserialize)]
pub struct WaitListConfig {
    pub count: ValueNumber,
}

/// `list "patched_wait"`: `count` waits named `wait-<i>`, each of `<i>` seconds
pub struct WaitList;

#[async_trait]
impl ListResource for WaitList {
    type Config<'a> = WaitListConfig;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let block = Block { attributes: map! { "count" => number_attribute(AttributeConstraint::Required) }, ..Default::default() };
        Some(Schema { version: 0, block })
    }

    async fn list<'a>(&self, diags: &mut Diagnostics, config: WaitListConfig, sink: &mut ListSink) -> Option<()> {
        let count = config.count.as_ref_option().copied().unwrap_or(0);
        for i in 0..count {
            let id = ValueString::from(format!("wait-{i}"));
            let state = WaitState { id: id.clone(), seconds: ValueNumber::from(i) };
            let result = ListResult {
                identity: RawValue::serialize(diags, &WaitIdentity { id })?,
                display_name: format!("wait {i}"),
                resource_object: Some(RawValue::serialize(diags, &state)?),
            };
            if !sink.send(result).await {
                break;
            }
        }
        Some(())
    }
}

#[derive(Serialize, Deserialize)]
pub struct CountConfig {
    pub steps: ValueNumber,
}

/// Action `patched_count`: `steps` progress messages, one a second
pub struct CountAction {
    stop: StopSignal,
}

#[async_trait]
impl Action for CountAction {
    type Config<'a> = CountConfig;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let block = Block { attributes: map! { "steps" => number_attribute(AttributeConstraint::Required) }, ..Default::default() };
        Some(Schema { version: 0, block })
    }

    async fn invoke<'a>(&self, diags: &mut Diagnostics, config: CountConfig, progress: &mut ActionProgress) -> Option<()> {
        let steps = config.steps.as_ref_option().copied().unwrap_or(0);
        for step in 1..=steps {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = self.stop.stopped() => {
                    error(diags, "Stopped", format!("Counted {} of {steps} steps.", step - 1));
                    return Some(());
                }
            }
            progress.send(format!("step {step}/{steps}")).await;
        }
        Some(())
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    // One signal: the provider hands clones to its resources, the server fires it on StopProvider.
    let stop = StopSignal::new();
    serve_with_stop("patched", PatchedProvider { stop: stop.clone() }, stop).await
}

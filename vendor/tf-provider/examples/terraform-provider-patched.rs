// inspector2fix patch: the API the patches add (PATCHED.md), in one small provider.
//
// `patched_wait` waits `seconds` on create, and stops waiting when Terraform sends StopProvider
// (Ctrl-C), returning the state it has with an error so Terraform keeps it. Its schema is at
// version 1 (version 0 called `seconds` `delay`), and a `moved` block can turn a
// `null_resource` into a `patched_wait`.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Result;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Block, Description, Schema};
use tf_provider::value::{ValueEmpty, ValueNumber, ValueString};
use tf_provider::{
    map, serve_with_stop, AttributePath, Diagnostic, Diagnostics, DynamicResource, MoveSource, Provider, RawValue,
    Resource, StopSignal,
};

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
}

#[tokio::main]
async fn main() -> Result<()> {
    // One signal: the provider hands clones to its resources, the server fires it on StopProvider.
    let stop = StopSignal::new();
    serve_with_stop("patched", PatchedProvider { stop: stop.clone() }, stop).await
}

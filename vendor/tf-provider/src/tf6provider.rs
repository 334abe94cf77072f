// This file is part of the tf-provider project
//
// Copyright (C) ANEO, 2024-2024. All rights reserved.
//
// Licensed under the Apache License, Version 2.0 (the "License")
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

//! Implementation of TF gRPC services for the version 6 of the protocol
//!
//! inspector2fix patches (PATCHED.md): every RPC runs under [`guard`], so a panic becomes an error
//! diagnostic; UpgradeResourceState refuses newer states; MoveResourceState is served;
//! StopProvider fires the [`StopSignal`](crate::StopSignal) instead of shutting the server down.

use std::fmt::Write;
use std::sync::Arc;

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::action::ActionProgress;
use crate::attribute_path::AttributePathStep;
use crate::list_resource::ListSink;
use crate::diagnostics::Diagnostics;
use crate::guard::{guard, Subject};
use crate::raw::RawValue;
use crate::resource::{DynamicResource, MoveSource};
use crate::server::Server;
use crate::tfplugin6 as tf;
use crate::utils::{CollectDiagnostics, OptionExpand};

type RpcResult<T> = Result<tonic::Response<T>, tonic::Status>;

/// A response that carries only the given diagnostics: the answer when a handler panicked
trait DiagnosticsOnly {
    fn diagnostics_only(diags: Diagnostics) -> Self;
}

macro_rules! diagnostics_only {
    ($($rpc:ident),+ $(,)?) => {$(
        impl DiagnosticsOnly for tf::$rpc::Response {
            // Some responses have no field besides `diagnostics`: the update is for the others.
            #[allow(clippy::needless_update)]
            fn diagnostics_only(diags: Diagnostics) -> Self {
                Self { diagnostics: diags.into(), ..Default::default() }
            }
        }
    )+};
}

diagnostics_only!(
    get_metadata,
    get_provider_schema,
    validate_provider_config,
    validate_resource_config,
    validate_data_resource_config,
    upgrade_resource_state,
    configure_provider,
    plan_resource_change,
    import_resource_state,
    move_resource_state,
    read_data_source,
    get_functions,
    get_resource_identity_schemas,
    upgrade_resource_identity,
    generate_resource_config,
    validate_list_resource_config,
    validate_action_config,
    plan_action,
);

/// Run `handler` under the panic guard; a panic answers with diagnostics only
async fn guarded<R: DiagnosticsOnly>(
    rpc: &str,
    subject: Subject,
    handler: impl std::future::Future<Output = R>,
) -> RpcResult<R> {
    Ok(tonic::Response::new(guard(rpc, subject, R::diagnostics_only, handler).await))
}

/// inspector2fix patch: MoveResourceState is served (PATCHED.md, patch 4); GenerateResourceConfig
/// is advertised when a resource writes its own configuration (patch 8): once advertised,
/// Terraform asks the provider for every resource type's generated configuration.
fn server_capabilities(server: &Server) -> Option<tf::ServerCapabilities> {
    let generate_resource_config = server.resources.values().any(|(resource, _)| resource.generates_config());
    Some(tf::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: false,
        move_resource_state: true,
        generate_resource_config,
    })
}

#[tonic::async_trait]
impl tf::provider_server::Provider for Arc<Server> {
    async fn get_metadata(
        &self,
        _request: tonic::Request<tf::get_metadata::Request>,
    ) -> RpcResult<tf::get_metadata::Response> {
        guarded("GetMetadata", Subject::Provider, async { self.metadata() }).await
    }
    async fn get_provider_schema(
        &self,
        _request: tonic::Request<tf::get_provider_schema::Request>,
    ) -> RpcResult<tf::get_provider_schema::Response> {
        guarded("GetProviderSchema", Subject::Provider, async { self.provider_schema() }).await
    }
    async fn validate_provider_config(
        &self,
        request: tonic::Request<tf::validate_provider_config::Request>,
    ) -> RpcResult<tf::validate_provider_config::Response> {
        let request = request.into_inner();
        guarded("ValidateProviderConfig", Subject::Provider, self.validate_provider_config_response(request)).await
    }
    async fn validate_resource_config(
        &self,
        request: tonic::Request<tf::validate_resource_config::Request>,
    ) -> RpcResult<tf::validate_resource_config::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.type_name.clone());
        guarded("ValidateResourceConfig", subject, self.validate_resource_config_response(request)).await
    }
    async fn validate_data_resource_config(
        &self,
        request: tonic::Request<tf::validate_data_resource_config::Request>,
    ) -> RpcResult<tf::validate_data_resource_config::Response> {
        let request = request.into_inner();
        let subject = Subject::DataSource(request.type_name.clone());
        guarded("ValidateDataResourceConfig", subject, self.validate_data_resource_config_response(request)).await
    }
    async fn upgrade_resource_state(
        &self,
        request: tonic::Request<tf::upgrade_resource_state::Request>,
    ) -> RpcResult<tf::upgrade_resource_state::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.type_name.clone());
        guarded("UpgradeResourceState", subject, self.upgrade_resource_state_response(request)).await
    }
    /// ////// One-time initialization, called before other functions below
    async fn configure_provider(
        &self,
        request: tonic::Request<tf::configure_provider::Request>,
    ) -> RpcResult<tf::configure_provider::Response> {
        let request = request.into_inner();
        guarded("ConfigureProvider", Subject::Provider, self.configure_provider_response(request)).await
    }
    /// ////// Managed Resource Lifecycle
    async fn read_resource(
        &self,
        request: tonic::Request<tf::read_resource::Request>,
    ) -> RpcResult<tf::read_resource::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.type_name.clone());
        // After a panic, answer with the state as it was: a null state would say the object is gone.
        let (current_state, private) = (request.current_state.clone(), request.private.clone());
        let current_identity = request.current_identity.clone();
        let fallback = |diags: Diagnostics| tf::read_resource::Response {
            new_state: current_state,
            diagnostics: diags.into(),
            private,
            deferred: None,
            new_identity: current_identity,
        };
        let response = guard("ReadResource", subject, fallback, self.read_resource_response(request)).await;
        Ok(tonic::Response::new(response))
    }
    async fn plan_resource_change(
        &self,
        request: tonic::Request<tf::plan_resource_change::Request>,
    ) -> RpcResult<tf::plan_resource_change::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.type_name.clone());
        guarded("PlanResourceChange", subject, self.plan_resource_change_response(request)).await
    }
    async fn apply_resource_change(
        &self,
        request: tonic::Request<tf::apply_resource_change::Request>,
    ) -> RpcResult<tf::apply_resource_change::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.type_name.clone());
        // After a panic, keep the object Terraform knew: a null state would drop it from state.
        let prior_state = request.prior_state.clone().filter(|state| !RawValue::from(state.clone()).is_null());
        let private = request.planned_private.clone();
        let identity = if prior_state.is_some() { request.planned_identity.clone() } else { None };
        let fallback = |diags: Diagnostics| tf::apply_resource_change::Response {
            new_state: prior_state,
            private,
            diagnostics: diags.into(),
            legacy_type_system: false,
            new_identity: identity,
        };
        let response =
            guard("ApplyResourceChange", subject, fallback, self.apply_resource_change_response(request)).await;
        Ok(tonic::Response::new(response))
    }
    async fn import_resource_state(
        &self,
        request: tonic::Request<tf::import_resource_state::Request>,
    ) -> RpcResult<tf::import_resource_state::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.type_name.clone());
        guarded("ImportResourceState", subject, self.import_resource_state_response(request)).await
    }
    async fn move_resource_state(
        &self,
        request: tonic::Request<tf::move_resource_state::Request>,
    ) -> RpcResult<tf::move_resource_state::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.target_type_name.clone());
        guarded("MoveResourceState", subject, self.move_resource_state_response(request)).await
    }
    async fn read_data_source(
        &self,
        request: tonic::Request<tf::read_data_source::Request>,
    ) -> RpcResult<tf::read_data_source::Response> {
        let request = request.into_inner();
        let subject = Subject::DataSource(request.type_name.clone());
        guarded("ReadDataSource", subject, self.read_data_source_response(request)).await
    }
    async fn get_functions(
        &self,
        _request: tonic::Request<tf::get_functions::Request>,
    ) -> RpcResult<tf::get_functions::Response> {
        guarded("GetFunctions", Subject::Provider, async { self.function_schemas() }).await
    }
    async fn call_function(
        &self,
        request: tonic::Request<tf::call_function::Request>,
    ) -> RpcResult<tf::call_function::Response> {
        let request = request.into_inner();
        let subject = Subject::Function(request.name.clone());
        let fallback = |diags: Diagnostics| tf::call_function::Response { result: None, error: function_error(diags) };
        let response = guard("CallFunction", subject, fallback, self.call_function_response(request)).await;
        Ok(tonic::Response::new(response))
    }
    /// inspector2fix patch 7: protocol 6.9, resource identity
    async fn get_resource_identity_schemas(
        &self,
        _request: tonic::Request<tf::get_resource_identity_schemas::Request>,
    ) -> RpcResult<tf::get_resource_identity_schemas::Response> {
        guarded("GetResourceIdentitySchemas", Subject::Provider, async { self.identity_schemas_response() }).await
    }
    async fn upgrade_resource_identity(
        &self,
        request: tonic::Request<tf::upgrade_resource_identity::Request>,
    ) -> RpcResult<tf::upgrade_resource_identity::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.type_name.clone());
        guarded("UpgradeResourceIdentity", subject, self.upgrade_resource_identity_response(request)).await
    }
    /// inspector2fix patch 8
    async fn generate_resource_config(
        &self,
        request: tonic::Request<tf::generate_resource_config::Request>,
    ) -> RpcResult<tf::generate_resource_config::Response> {
        let request = request.into_inner();
        let subject = Subject::Resource(request.type_name.clone());
        guarded("GenerateResourceConfig", subject, self.generate_resource_config_response(request)).await
    }
    /// inspector2fix patch 6: no ephemeral resources are served, so Terraform calls none of these;
    /// they answer Unimplemented, as the 6.5 server did for every RPC it did not know.
    async fn validate_ephemeral_resource_config(
        &self,
        _request: tonic::Request<tf::validate_ephemeral_resource_config::Request>,
    ) -> RpcResult<tf::validate_ephemeral_resource_config::Response> {
        Err(unimplemented("ValidateEphemeralResourceConfig"))
    }
    async fn open_ephemeral_resource(
        &self,
        _request: tonic::Request<tf::open_ephemeral_resource::Request>,
    ) -> RpcResult<tf::open_ephemeral_resource::Response> {
        Err(unimplemented("OpenEphemeralResource"))
    }
    async fn renew_ephemeral_resource(
        &self,
        _request: tonic::Request<tf::renew_ephemeral_resource::Request>,
    ) -> RpcResult<tf::renew_ephemeral_resource::Response> {
        Err(unimplemented("RenewEphemeralResource"))
    }
    async fn close_ephemeral_resource(
        &self,
        _request: tonic::Request<tf::close_ephemeral_resource::Request>,
    ) -> RpcResult<tf::close_ephemeral_resource::Response> {
        Err(unimplemented("CloseEphemeralResource"))
    }
    /// inspector2fix patch 9: protocol 6.10, list resources
    type ListResourceStream = EventStream<tf::list_resource::Event>;
    async fn list_resource(
        &self,
        request: tonic::Request<tf::list_resource::Request>,
    ) -> RpcResult<Self::ListResourceStream> {
        let (tx, rx) = mpsc::channel(STREAM_BUFFER);
        tokio::spawn(Arc::clone(self).list_task(request.into_inner(), tx));
        Ok(tonic::Response::new(event_stream(rx)))
    }
    async fn validate_list_resource_config(
        &self,
        request: tonic::Request<tf::validate_list_resource_config::Request>,
    ) -> RpcResult<tf::validate_list_resource_config::Response> {
        let request = request.into_inner();
        let subject = Subject::ListResource(request.type_name.clone());
        guarded("ValidateListResourceConfig", subject, self.validate_list_resource_config_response(request)).await
    }
    /// inspector2fix patch 6: no state stores are served; as for ephemeral resources above.
    async fn validate_state_store_config(
        &self,
        _request: tonic::Request<tf::validate_state_store::Request>,
    ) -> RpcResult<tf::validate_state_store::Response> {
        Err(unimplemented("ValidateStateStoreConfig"))
    }
    async fn configure_state_store(
        &self,
        _request: tonic::Request<tf::configure_state_store::Request>,
    ) -> RpcResult<tf::configure_state_store::Response> {
        Err(unimplemented("ConfigureStateStore"))
    }
    type ReadStateBytesStream = EventStream<tf::read_state_bytes::Response>;
    async fn read_state_bytes(
        &self,
        _request: tonic::Request<tf::read_state_bytes::Request>,
    ) -> RpcResult<Self::ReadStateBytesStream> {
        Err(unimplemented("ReadStateBytes"))
    }
    async fn write_state_bytes(
        &self,
        _request: tonic::Request<tonic::Streaming<tf::write_state_bytes::RequestChunk>>,
    ) -> RpcResult<tf::write_state_bytes::Response> {
        Err(unimplemented("WriteStateBytes"))
    }
    async fn lock_state(&self, _request: tonic::Request<tf::lock_state::Request>) -> RpcResult<tf::lock_state::Response> {
        Err(unimplemented("LockState"))
    }
    async fn unlock_state(
        &self,
        _request: tonic::Request<tf::unlock_state::Request>,
    ) -> RpcResult<tf::unlock_state::Response> {
        Err(unimplemented("UnlockState"))
    }
    async fn get_states(&self, _request: tonic::Request<tf::get_states::Request>) -> RpcResult<tf::get_states::Response> {
        Err(unimplemented("GetStates"))
    }
    async fn delete_state(
        &self,
        _request: tonic::Request<tf::delete_state::Request>,
    ) -> RpcResult<tf::delete_state::Response> {
        Err(unimplemented("DeleteState"))
    }
    /// inspector2fix patch 10: protocol 6.10, actions
    async fn plan_action(&self, request: tonic::Request<tf::plan_action::Request>) -> RpcResult<tf::plan_action::Response> {
        let request = request.into_inner();
        let subject = Subject::Action(request.action_type.clone());
        guarded("PlanAction", subject, self.plan_action_response(request)).await
    }
    type InvokeActionStream = EventStream<tf::invoke_action::Event>;
    async fn invoke_action(
        &self,
        request: tonic::Request<tf::invoke_action::Request>,
    ) -> RpcResult<Self::InvokeActionStream> {
        let (tx, rx) = mpsc::channel(STREAM_BUFFER);
        tokio::spawn(Arc::clone(self).invoke_task(request.into_inner(), tx));
        Ok(tonic::Response::new(event_stream(rx)))
    }
    async fn validate_action_config(
        &self,
        request: tonic::Request<tf::validate_action_config::Request>,
    ) -> RpcResult<tf::validate_action_config::Response> {
        let request = request.into_inner();
        let subject = Subject::Action(request.type_name.clone());
        guarded("ValidateActionConfig", subject, self.validate_action_config_response(request)).await
    }
    /// ////// Graceful Shutdown
    async fn stop_provider(
        &self,
        _request: tonic::Request<tf::stop_provider::Request>,
    ) -> RpcResult<tf::stop_provider::Response> {
        // inspector2fix patch: fire the stop signal and answer at once. Calls in flight return by
        // themselves, with what they did; the gRPC server keeps serving until go-plugin's
        // Controller.Shutdown (it used to shut down here, refusing Terraform's later calls).
        self.stop.stop();
        Ok(tonic::Response::new(tf::stop_provider::Response { error: String::new() }))
    }
}

/// The handlers, unguarded; each answers one request
impl Server {
    fn metadata(&self) -> tf::get_metadata::Response {
        let resources =
            self.resources.keys().map(|name| tf::get_metadata::ResourceMetadata { type_name: name.clone() }).collect();
        let data_sources = self
            .data_sources
            .keys()
            .map(|name| tf::get_metadata::DataSourceMetadata { type_name: name.clone() })
            .collect();
        let functions =
            self.functions.keys().map(|name| tf::get_metadata::FunctionMetadata { name: name.clone() }).collect();
        let list_resources = sorted_names(&self.list_resources)
            .map(|name| tf::get_metadata::ListResourceMetadata { type_name: name.clone() })
            .collect();
        let actions =
            sorted_names(&self.actions).map(|name| tf::get_metadata::ActionMetadata { type_name: name.clone() }).collect();
        tf::get_metadata::Response {
            server_capabilities: server_capabilities(self),
            diagnostics: self.init_diags.clone().into(),
            data_sources,
            resources,
            functions,
            ephemeral_resources: vec![],
            list_resources,
            state_stores: vec![],
            actions,
        }
    }

    fn provider_schema(&self) -> tf::get_provider_schema::Response {
        let resources = self.resources.iter().map(|(name, (_, schema))| (name.clone(), schema.into())).collect();
        let data_sources = self.data_sources.iter().map(|(name, (_, schema))| (name.clone(), schema.into())).collect();
        tf::get_provider_schema::Response {
            provider: self.schema.as_ref().map(Into::into),
            resource_schemas: resources,
            data_source_schemas: data_sources,
            diagnostics: self.init_diags.clone().into(),
            provider_meta: self.meta_schema.as_ref().map(Into::into),
            server_capabilities: server_capabilities(self),
            functions: self.function_schemas().functions,
            ephemeral_resource_schemas: Default::default(),
            list_resource_schemas: self
                .list_resources
                .iter()
                .map(|(name, (_, schema))| (name.clone(), schema.into()))
                .collect(),
            state_store_schemas: Default::default(),
            action_schemas: self
                .actions
                .iter()
                .map(|(name, (_, schema))| (name.clone(), tf::ActionSchema { schema: Some(schema.into()) }))
                .collect(),
        }
    }

    fn function_schemas(&self) -> tf::get_functions::Response {
        let functions = self.functions.iter().map(|(name, (_, schema))| (name.clone(), schema.into())).collect();
        tf::get_functions::Response { diagnostics: self.init_diags.clone().into(), functions }
    }

    async fn validate_provider_config_response(
        &self,
        request: tf::validate_provider_config::Request,
    ) -> tf::validate_provider_config::Response {
        let mut diags = Diagnostics::default();
        _ = if let Some(config) = request.config {
            self.provider.validate(&mut diags, config.into()).await
        } else {
            None
        }
        .ok_or_else(|| diags.internal_error());
        tf::validate_provider_config::Response { diagnostics: diags.into() }
    }

    async fn validate_resource_config_response(
        &self,
        request: tf::validate_resource_config::Request,
    ) -> tf::validate_resource_config::Response {
        let mut diags = Diagnostics::default();
        _ = if let (Some(resource), Some(config)) = (self.get_resource(&mut diags, &request.type_name), request.config)
        {
            resource.validate(&mut diags, config.into()).await
        } else {
            None
        }
        .ok_or_else(|| diags.internal_error());
        tf::validate_resource_config::Response { diagnostics: diags.into() }
    }

    async fn validate_data_resource_config_response(
        &self,
        request: tf::validate_data_resource_config::Request,
    ) -> tf::validate_data_resource_config::Response {
        let mut diags = Diagnostics::default();
        _ = if let (Some(data_source), Some(config)) =
            (self.get_data_source(&mut diags, &request.type_name), request.config)
        {
            data_source.validate(&mut diags, config.into()).await
        } else {
            None
        }
        .ok_or_else(|| diags.internal_error());
        tf::validate_data_resource_config::Response { diagnostics: diags.into() }
    }

    async fn upgrade_resource_state_response(
        &self,
        request: tf::upgrade_resource_state::Request,
    ) -> tf::upgrade_resource_state::Response {
        let mut diags = Diagnostics::default();
        let upgraded_state = self.upgraded_state(&mut diags, request).await;
        tf::upgrade_resource_state::Response {
            diagnostics: diags.into(),
            upgraded_state: upgraded_state.map(Into::into),
        }
    }

    /// inspector2fix patch (PATCHED.md, patch 3): the state of the current version passes through,
    /// an older one goes to [`DynamicResource::upgrade`], a newer one is refused.
    async fn upgraded_state(
        &self,
        diags: &mut Diagnostics,
        request: tf::upgrade_resource_state::Request,
    ) -> Option<RawValue> {
        let type_name = &request.type_name;
        let Some((resource, schema)) = self.resources.get(type_name) else {
            diags.root_error_short(format!("Could not find resource `{}` in provider", type_name));
            return None;
        };
        let json = request.raw_state.map(|raw_state| raw_state.json).unwrap_or_default();
        if json.is_empty() {
            diags.root_error(
                "Upgrading from a legacy state is not supported",
                format!(
                    "The state of this {type_name} is in the legacy flatmap format, which this provider cannot read."
                ),
            );
            return None;
        }
        let json = RawValue::Json(json);
        match request.version.cmp(&schema.version) {
            std::cmp::Ordering::Equal => Some(json),
            std::cmp::Ordering::Less => resource.upgrade(diags, request.version, json).await.collect_diagnostics(diags),
            std::cmp::Ordering::Greater => {
                diags.root_error(
                    "State written by a newer provider version",
                    format!(
                        "The state of this {type_name} has schema version {}, and this provider version knows versions \
                         up to {}. Use the provider version that wrote the state, or a later one.",
                        request.version, schema.version
                    ),
                );
                None
            }
        }
    }

    async fn configure_provider_response(
        &self,
        request: tf::configure_provider::Request,
    ) -> tf::configure_provider::Response {
        let mut diags = Diagnostics::default();
        if let Some(config) = request.config {
            if self.provider.configure(&mut diags, request.terraform_version, config.into()).await.is_none() {
                diags.internal_error();
            }
        }
        tf::configure_provider::Response { diagnostics: diags.into() }
    }

    async fn read_resource_response(&self, request: tf::read_resource::Request) -> tf::read_resource::Response {
        let mut diags = Diagnostics::default();
        let (state, private_state) = if let (Some(resource), Some(state), Some(provider_meta_state)) =
            (self.get_resource(&mut diags, &request.type_name), request.current_state, request.provider_meta)
        {
            resource.read(&mut diags, state.into(), request.private, provider_meta_state.into()).await
        } else {
            None
        }
        .expand();
        let new_identity = self.identity_of(&mut diags, &request.type_name, state.as_ref());
        tf::read_resource::Response {
            new_state: state.map(Into::into),
            diagnostics: diags.into(),
            private: private_state.unwrap_or_default(),
            deferred: None,
            new_identity,
        }
    }

    async fn plan_resource_change_response(
        &self,
        request: tf::plan_resource_change::Request,
    ) -> tf::plan_resource_change::Response {
        let mut diags = Diagnostics::default();
        let (state, private_state, triggers) = if let (
            Some(resource),
            Some(prior_state),
            Some(proposed_state),
            Some(config_state),
            Some(provider_meta_state),
        ) = (
            self.get_resource(&mut diags, &request.type_name),
            request.prior_state,
            request.proposed_new_state,
            request.config,
            request.provider_meta,
        ) {
            let states = ChangeStates {
                prior: prior_state.into(),
                next: proposed_state.into(),
                config: config_state.into(),
                private: request.prior_private,
                provider_meta: provider_meta_state.into(),
            };
            plan_change(resource, &mut diags, states).await
        } else {
            None
        }
        .map(|(state, private_state, triggers)| {
            (state, private_state, triggers.into_iter().map(|attr| attr.into()).collect())
        })
        .collect_diagnostics(&mut diags)
        .expand();
        let planned_identity = self.identity_of(&mut diags, &request.type_name, state.as_ref());

        tf::plan_resource_change::Response {
            planned_state: state.map(Into::into),
            requires_replace: triggers.unwrap_or_default(),
            planned_private: private_state.unwrap_or_default(),
            diagnostics: diags.into(),
            legacy_type_system: false,
            deferred: None,
            planned_identity,
        }
    }

    async fn apply_resource_change_response(
        &self,
        request: tf::apply_resource_change::Request,
    ) -> tf::apply_resource_change::Response {
        let mut diags = Diagnostics::default();
        let (state, private_state) = if let (
            Some(resource),
            Some(prior_state),
            Some(planned_state),
            Some(config_state),
            Some(provider_meta_state),
        ) = (
            self.get_resource(&mut diags, &request.type_name),
            request.prior_state,
            request.planned_state,
            request.config,
            request.provider_meta,
        ) {
            let states = ChangeStates {
                prior: prior_state.into(),
                next: planned_state.into(),
                config: config_state.into(),
                private: request.planned_private,
                provider_meta: provider_meta_state.into(),
            };
            apply_change(resource, &mut diags, states).await
        } else {
            None
        }
        .collect_diagnostics(&mut diags)
        .expand();
        let new_identity = self.identity_of(&mut diags, &request.type_name, state.as_ref());

        tf::apply_resource_change::Response {
            new_state: state.map(Into::into),
            private: private_state.unwrap_or_default(),
            diagnostics: diags.into(),
            legacy_type_system: false,
            new_identity,
        }
    }

    async fn import_resource_state_response(
        &self,
        request: tf::import_resource_state::Request,
    ) -> tf::import_resource_state::Response {
        let mut diags = Diagnostics::default();
        let identity = request.identity.and_then(|identity| identity.identity_data).map(RawValue::from);
        let imported = match (self.get_resource(&mut diags, &request.type_name), identity) {
            // inspector2fix patch 7: `import { identity = {...} }` sends the identity and no ID.
            (Some(resource), Some(identity)) if request.id.is_empty() => {
                resource.import_by_identity(&mut diags, identity).await
            }
            (Some(resource), _) => resource.import(&mut diags, request.id).await,
            (None, _) => None,
        }
        .collect_diagnostics(&mut diags);
        let imported = imported.map(|(state, private_state)| {
            let identity = self.identity_of(&mut diags, &request.type_name, Some(&state));
            tf::import_resource_state::ImportedResource {
                type_name: request.type_name,
                state: Some(state.into()),
                private: private_state,
                identity,
            }
        });
        tf::import_resource_state::Response {
            imported_resources: imported.into_iter().collect(),
            diagnostics: diags.into(),
            deferred: None,
        }
    }

    async fn move_resource_state_response(
        &self,
        request: tf::move_resource_state::Request,
    ) -> tf::move_resource_state::Response {
        let mut diags = Diagnostics::default();
        let type_name = request.target_type_name.clone();
        let (state, private_state) = self.moved_state(&mut diags, request).await.expand();
        let target_identity = self.identity_of(&mut diags, &type_name, state.as_ref());
        tf::move_resource_state::Response {
            target_state: state.map(Into::into),
            diagnostics: diags.into(),
            target_private: private_state.unwrap_or_default(),
            target_identity,
        }
    }

    /// inspector2fix patch (PATCHED.md, patch 4): the target resource takes over the source state
    async fn moved_state(
        &self,
        diags: &mut Diagnostics,
        request: tf::move_resource_state::Request,
    ) -> Option<(RawValue, Vec<u8>)> {
        let resource = self.get_resource(diags, &request.target_type_name)?;
        let json = request.source_state.map(|raw_state| raw_state.json).unwrap_or_default();
        if json.is_empty() {
            diags.root_error(
                "Moving from a legacy state is not supported",
                format!(
                    "The state of the {} to move into {} came without JSON (legacy flatmap format).",
                    request.source_type_name, request.target_type_name
                ),
            );
            return None;
        }
        let source = MoveSource {
            provider_address: request.source_provider_address,
            type_name: request.source_type_name,
            schema_version: request.source_schema_version,
            state: RawValue::Json(json),
            private: request.source_private,
        };
        resource.move_state(diags, source).await.collect_diagnostics(diags)
    }

    async fn read_data_source_response(
        &self,
        request: tf::read_data_source::Request,
    ) -> tf::read_data_source::Response {
        let mut diags = Diagnostics::default();
        let state = if let (Some(data_source), Some(config), Some(provider_meta_state)) =
            (self.get_data_source(&mut diags, &request.type_name), request.config, request.provider_meta)
        {
            data_source.read(&mut diags, config.into(), provider_meta_state.into()).await
        } else {
            None
        }
        .collect_diagnostics(&mut diags);
        tf::read_data_source::Response { state: state.map(Into::into), diagnostics: diags.into(), deferred: None }
    }

    async fn call_function_response(&self, request: tf::call_function::Request) -> tf::call_function::Response {
        let mut diags = Diagnostics::default();
        let result = if let Some(function) = self.get_function(&mut diags, &request.name) {
            function.call(&mut diags, request.arguments.into_iter().map(Into::into).collect()).await
        } else {
            None
        }
        .collect_diagnostics(&mut diags);

        if diags.errors.is_empty() && !diags.warnings.is_empty() {
            diags.root_error_short("Function has emitted warnings");
        }
        let error = function_error(diags);
        tf::call_function::Response { result: if error.is_none() { result.map(Into::into) } else { None }, error }
    }
}

/// Events of a server-streaming RPC (ListResource, InvokeAction)
type EventStream<T> = futures::stream::BoxStream<'static, Result<T, tonic::Status>>;

/// Events a streaming RPC may queue ahead of Terraform's reading (backpressure beyond)
const STREAM_BUFFER: usize = 16;

fn event_stream<T: Send + 'static>(rx: mpsc::Receiver<T>) -> EventStream<T> {
    ReceiverStream::new(rx).map(Ok).boxed()
}

/// What the 6.5 server answered for an RPC it did not know
fn unimplemented(rpc: &str) -> tonic::Status {
    tonic::Status::unimplemented(format!("{rpc} is not served by this provider"))
}

/// Error diagnostic from public fields (the helper constructors append a captured backtrace)
fn plain_error(diags: &mut Diagnostics, summary: String, detail: String) {
    diags.add_error(crate::Diagnostic { summary: summary.into(), detail: detail.into(), attribute: Default::default() });
}

/// Names of a map's entries, sorted
fn sorted_names<T>(map: &std::collections::HashMap<String, T>) -> impl Iterator<Item = &String> {
    let mut names: Vec<_> = map.keys().collect();
    names.sort();
    names.into_iter()
}

/// The handlers of protocol 6.9 and 6.10 (inspector2fix patches 7 to 10)
impl Server {
    /// The identity of the object `state` describes, for a resource with an identity schema
    fn identity_of(
        &self,
        diags: &mut Diagnostics,
        type_name: &str,
        state: Option<&RawValue>,
    ) -> Option<tf::ResourceIdentityData> {
        let state = state.filter(|state| !state.is_null())?;
        if !self.identity_schemas.contains_key(type_name) {
            return None;
        }
        let (resource, _) = self.resources.get(type_name)?;
        let identity = resource.identity(diags, state)?;
        Some(tf::ResourceIdentityData { identity_data: Some(identity.into()) })
    }

    fn identity_schemas_response(&self) -> tf::get_resource_identity_schemas::Response {
        let identity_schemas =
            self.identity_schemas.iter().map(|(name, schema)| (name.clone(), schema.into())).collect();
        tf::get_resource_identity_schemas::Response { identity_schemas, diagnostics: vec![] }
    }

    async fn upgrade_resource_identity_response(
        &self,
        request: tf::upgrade_resource_identity::Request,
    ) -> tf::upgrade_resource_identity::Response {
        let mut diags = Diagnostics::default();
        let upgraded = self.upgraded_identity(&mut diags, request).await;
        tf::upgrade_resource_identity::Response {
            upgraded_identity: upgraded.map(|identity| tf::ResourceIdentityData { identity_data: Some(identity.into()) }),
            diagnostics: diags.into(),
        }
    }

    /// Same rule as for states: the current version passes through, an older one goes to the
    /// resource, a newer one is refused; an empty or null identity (stored before the resource
    /// had one) stays null, and the next read fills it in.
    async fn upgraded_identity(
        &self,
        diags: &mut Diagnostics,
        request: tf::upgrade_resource_identity::Request,
    ) -> Option<RawValue> {
        let type_name = &request.type_name;
        let resource = self.get_resource(diags, type_name)?;
        let Some(schema) = self.identity_schemas.get(type_name) else {
            plain_error(
                diags,
                format!("Resource {type_name} has no identity"),
                format!("Terraform asked to upgrade an identity of version {}.", request.version),
            );
            return None;
        };
        let json = RawValue::Json(request.raw_identity.map(|raw| raw.json).unwrap_or_default());
        if json.is_null() {
            return None;
        }
        match request.version.cmp(&schema.version) {
            std::cmp::Ordering::Equal => Some(json),
            std::cmp::Ordering::Less => {
                resource.upgrade_identity(diags, request.version, json).await.collect_diagnostics(diags)
            }
            std::cmp::Ordering::Greater => {
                plain_error(
                    diags,
                    "Identity written by a newer provider version".into(),
                    format!(
                        "The identity of this {type_name} has version {}, and this provider version knows versions \
                         up to {}. Use the provider version that wrote it, or a later one.",
                        request.version, schema.version
                    ),
                );
                None
            }
        }
    }

    async fn generate_resource_config_response(
        &self,
        request: tf::generate_resource_config::Request,
    ) -> tf::generate_resource_config::Response {
        let mut diags = Diagnostics::default();
        let config = self.generated_config(&mut diags, request).await;
        tf::generate_resource_config::Response { config: config.map(Into::into), diagnostics: diags.into() }
    }

    async fn generated_config(
        &self,
        diags: &mut Diagnostics,
        request: tf::generate_resource_config::Request,
    ) -> Option<RawValue> {
        let type_name = &request.type_name;
        self.get_resource(diags, type_name)?;
        let (resource, schema) = self.resources.get(type_name)?;
        let state = RawValue::from(request.state.unwrap_or_default());
        if resource.generates_config() {
            return resource.generate_config(diags, state).await.collect_diagnostics(diags);
        }
        let RawValue::MessagePack(state) = state else {
            plain_error(diags, format!("Cannot generate configuration for {type_name}"), "The state came as JSON, not msgpack.".into());
            return None;
        };
        match crate::generate::terraform_rule(&state, &schema.block) {
            Ok(config) => Some(RawValue::MessagePack(config)),
            Err(error) => {
                plain_error(diags, format!("Cannot generate configuration for {type_name}"), format!("The state holds {error}."));
                None
            }
        }
    }

    async fn validate_list_resource_config_response(
        &self,
        request: tf::validate_list_resource_config::Request,
    ) -> tf::validate_list_resource_config::Response {
        let mut diags = Diagnostics::default();
        if let Some(list_resource) = self.get_list_resource(&mut diags, &request.type_name) {
            let config = RawValue::from(request.config.unwrap_or_default());
            list_resource.validate(&mut diags, config).await.collect_diagnostics(&mut diags);
        }
        tf::validate_list_resource_config::Response { diagnostics: diags.into() }
    }

    /// ListResource: results as the list resource sends them, then its diagnostics. Stops
    /// listing when Terraform goes away (it cancels the call once it has `limit` results).
    async fn list_task(self: Arc<Self>, request: tf::list_resource::Request, tx: mpsc::Sender<tf::list_resource::Event>) {
        let subject = Subject::ListResource(request.type_name.clone());
        let mut sink = ListSink::new(tx.clone(), request.include_resource_object, request.limit);
        let work = async {
            let mut diags = Diagnostics::default();
            if let Some(list_resource) = self.get_list_resource(&mut diags, &request.type_name) {
                let config = RawValue::from(request.config.unwrap_or_default());
                list_resource.list(&mut diags, config, &mut sink).await.collect_diagnostics(&mut diags);
            }
            diags
        };
        let listed = guard("ListResource", subject, |diags| diags, work);
        let diags = tokio::select! {
            diags = listed => diags,
            _ = tx.closed() => return,
        };
        if !diags.errors.is_empty() || !diags.warnings.is_empty() {
            let event = tf::list_resource::Event { diagnostic: diags.into(), ..Default::default() };
            _ = tx.send(event).await;
        }
    }

    async fn validate_action_config_response(
        &self,
        request: tf::validate_action_config::Request,
    ) -> tf::validate_action_config::Response {
        let mut diags = Diagnostics::default();
        if let Some(action) = self.get_action(&mut diags, &request.type_name) {
            let config = RawValue::from(request.config.unwrap_or_default());
            action.validate(&mut diags, config).await.collect_diagnostics(&mut diags);
        }
        tf::validate_action_config::Response { diagnostics: diags.into() }
    }

    async fn plan_action_response(&self, request: tf::plan_action::Request) -> tf::plan_action::Response {
        let mut diags = Diagnostics::default();
        if let Some(action) = self.get_action(&mut diags, &request.action_type) {
            let config = RawValue::from(request.config.unwrap_or_default());
            action.plan(&mut diags, config).await.collect_diagnostics(&mut diags);
        }
        tf::plan_action::Response { diagnostics: diags.into(), deferred: None }
    }

    /// InvokeAction: the action's progress messages, then one Completed event with its
    /// diagnostics. If Terraform goes away the action is dropped where it waits.
    async fn invoke_task(self: Arc<Self>, request: tf::invoke_action::Request, tx: mpsc::Sender<tf::invoke_action::Event>) {
        let subject = Subject::Action(request.action_type.clone());
        let mut progress = ActionProgress::new(tx.clone());
        let work = async {
            let mut diags = Diagnostics::default();
            if let Some(action) = self.get_action(&mut diags, &request.action_type) {
                let config = RawValue::from(request.config.unwrap_or_default());
                action.invoke(&mut diags, config, &mut progress).await.collect_diagnostics(&mut diags);
            }
            diags
        };
        let invoked = guard("InvokeAction", subject, |diags| diags, work);
        let diags = tokio::select! {
            diags = invoked => diags,
            _ = tx.closed() => return,
        };
        let completed = tf::invoke_action::event::Completed { diagnostics: diags.into() };
        let event = tf::invoke_action::Event { r#type: Some(tf::invoke_action::event::Type::Completed(completed)) };
        _ = tx.send(event).await;
    }
}

/// The states of a planned or applied change
struct ChangeStates {
    prior: RawValue,
    /// Proposed (plan) or planned (apply) state
    next: RawValue,
    config: RawValue,
    /// Prior (plan) or planned (apply) private state
    private: Vec<u8>,
    provider_meta: RawValue,
}

/// PlanResourceChange: update, destroy or create, by which states are null
async fn plan_change(
    resource: &dyn DynamicResource,
    diags: &mut Diagnostics,
    states: ChangeStates,
) -> Option<(RawValue, Vec<u8>, Vec<crate::AttributePath>)> {
    let ChangeStates { prior, next, config, private, provider_meta } = states;
    match (prior.is_null(), next.is_null(), config.is_null()) {
        (false, false, false) => resource.plan_update(diags, prior, next, config, private, provider_meta).await,
        (false, true, true) => {
            let planned_private = resource.plan_destroy(diags, prior, private, provider_meta).await;
            Some((Default::default(), planned_private.unwrap_or_default(), vec![]))
        }
        (true, false, false) => {
            let (state, private_state) = resource.plan_create(diags, next, config, provider_meta).await?;
            Some((state, private_state, vec![]))
        }
        _ => {
            diags.root_error_short("Resource is planned both for creation and deletion");
            None
        }
    }
}

/// ApplyResourceChange: update, destroy or create, by which states are null
async fn apply_change(
    resource: &dyn DynamicResource,
    diags: &mut Diagnostics,
    states: ChangeStates,
) -> Option<(RawValue, Vec<u8>)> {
    let ChangeStates { prior, next, config, private, provider_meta } = states;
    match (prior.is_null(), next.is_null(), config.is_null()) {
        (false, false, false) => resource.update(diags, prior, next, config, private, provider_meta).await,
        (false, true, true) => {
            resource.destroy(diags, prior, private, provider_meta).await;
            Some((Default::default(), vec![]))
        }
        (true, false, false) => resource.create(diags, next, config, private, provider_meta).await,
        _ => {
            diags.root_error_short("Resource is marked both for creation and deletion");
            None
        }
    }
}

/// The function error text for `diags`, or [`None`] when there is no error
fn function_error(diags: Diagnostics) -> Option<tf::FunctionError> {
    if diags.errors.is_empty() {
        return None;
    }
    let index = common_argument_index(&diags);
    let mut message = String::new();
    let has_warnings = !diags.warnings.is_empty();
    for (diags, warning) in [(&diags.errors, false), (&diags.warnings, true)].into_iter() {
        let prefix = match (warning, has_warnings) {
            (true, _) => "Warning: ",
            (false, true) => "Error: ",
            (false, false) => "",
        };
        for diag in diags {
            if !message.is_empty() {
                _ = writeln!(&mut message);
            }
            _ = write!(&mut message, "{prefix}");
            if let (Index::None | Index::Mixed, [AttributePathStep::Index(j)]) =
                (index, diag.attribute.steps.as_slice())
            {
                _ = write!(&mut message, "Argument #{}: ", *j + 1);
            };
            _ = write!(&mut message, "{}", diag.summary);
            if !diag.detail.is_empty() {
                _ = write!(&mut message, "\n  {}", diag.detail);
            }
        }
    }
    Some(tf::FunctionError {
        text: message,
        function_argument: if let Index::Unique(i) = index { Some(i) } else { None },
    })
}

/// Which function argument the diagnostics are about
#[derive(Debug, Clone, Copy)]
enum Index {
    None,
    Mixed,
    Unique(i64),
}

/// Whether all diagnostics name the same argument, if any
fn common_argument_index(diags: &Diagnostics) -> Index {
    let mut idx = Index::None;
    for diag in [&diags.errors, &diags.warnings].into_iter().flatten() {
        match (idx, diag.attribute.steps.as_slice()) {
            (Index::None, [AttributePathStep::Index(j)]) => {
                idx = Index::Unique(*j);
            }
            (Index::Unique(i), [AttributePathStep::Index(j)]) if i == *j => (),
            _ => {
                idx = Index::Mixed;
            }
        }
    }
    idx
}

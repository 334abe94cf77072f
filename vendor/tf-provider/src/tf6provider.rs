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

use crate::attribute_path::AttributePathStep;
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
);

/// Run `handler` under the panic guard; a panic answers with diagnostics only
async fn guarded<R: DiagnosticsOnly>(
    rpc: &str,
    subject: Subject,
    handler: impl std::future::Future<Output = R>,
) -> RpcResult<R> {
    Ok(tonic::Response::new(guard(rpc, subject, R::diagnostics_only, handler).await))
}

/// inspector2fix patch: MoveResourceState is served (PATCHED.md, patch 4)
fn server_capabilities() -> Option<tf::ServerCapabilities> {
    Some(tf::ServerCapabilities { plan_destroy: true, get_provider_schema_optional: false, move_resource_state: true })
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
        let fallback = |diags: Diagnostics| tf::read_resource::Response {
            new_state: current_state,
            diagnostics: diags.into(),
            private,
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
        let fallback = |diags: Diagnostics| tf::apply_resource_change::Response {
            new_state: prior_state,
            private,
            diagnostics: diags.into(),
            legacy_type_system: false,
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
        tf::get_metadata::Response {
            server_capabilities: server_capabilities(),
            diagnostics: self.init_diags.clone().into(),
            data_sources,
            resources,
            functions,
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
            server_capabilities: server_capabilities(),
            functions: self.function_schemas().functions,
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
        tf::read_resource::Response {
            new_state: state.map(Into::into),
            diagnostics: diags.into(),
            private: private_state.unwrap_or_default(),
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
            (state.into(), private_state, triggers.into_iter().map(|attr| attr.into()).collect())
        })
        .collect_diagnostics(&mut diags)
        .expand();

        tf::plan_resource_change::Response {
            planned_state: state,
            requires_replace: triggers.unwrap_or_default(),
            planned_private: private_state.unwrap_or_default(),
            diagnostics: diags.into(),
            legacy_type_system: false,
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

        tf::apply_resource_change::Response {
            new_state: state.map(Into::into),
            private: private_state.unwrap_or_default(),
            diagnostics: diags.into(),
            legacy_type_system: false,
        }
    }

    async fn import_resource_state_response(
        &self,
        request: tf::import_resource_state::Request,
    ) -> tf::import_resource_state::Response {
        let mut diags = Diagnostics::default();
        let imported = if let Some(resource) = self.get_resource(&mut diags, &request.type_name) {
            resource.import(&mut diags, request.id).await
        } else {
            None
        }
        .collect_diagnostics(&mut diags)
        .map(|(state, private_state)| tf::import_resource_state::ImportedResource {
            type_name: request.type_name,
            state: Some(state.into()),
            private: private_state,
        });
        tf::import_resource_state::Response {
            imported_resources: imported.into_iter().collect(),
            diagnostics: diags.into(),
        }
    }

    async fn move_resource_state_response(
        &self,
        request: tf::move_resource_state::Request,
    ) -> tf::move_resource_state::Response {
        let mut diags = Diagnostics::default();
        let (state, private_state) = self.moved_state(&mut diags, request).await.expand();
        tf::move_resource_state::Response {
            target_state: state.map(Into::into),
            diagnostics: diags.into(),
            target_private: private_state.unwrap_or_default(),
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
        tf::read_data_source::Response { state: state.map(Into::into), diagnostics: diags.into() }
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

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

//! [`Server`] module

use std::collections::HashMap;
use std::env;
use std::fs::File;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, Result};
use base64::Engine;
use futures::TryFutureExt;
use rcgen::{BasicConstraints, IsCa};
use time::ext::NumericalDuration;
use tokio::try_join;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_util::sync::CancellationToken;
use tonic::transport::{Identity, ServerTlsConfig};
use tower_http::trace::TraceLayer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::function::DynamicFunction;
use crate::guard::{guard_sync, Subject};
use crate::stop::StopSignal;
use crate::plugin::grpc_broker_server::GrpcBrokerServer;
use crate::plugin::grpc_controller_server::GrpcControllerServer;
use crate::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::schema::FunctionSchema;
use crate::tfplugin6::provider_server::ProviderServer;

use crate::data_source::DynamicDataSource;
use crate::plugin::GrpcIo;
use crate::provider::DynamicProvider;
use crate::resource::DynamicResource;
use crate::action::DynamicAction;
use crate::list_resource::DynamicListResource;
use crate::schema::IdentitySchema;

/// inspector2fix patch: "not found" error without a captured backtrace
pub(crate) fn not_found(diags: &mut Diagnostics, kind: &str, name: &str) {
    diags.add_error(crate::Diagnostic {
        summary: format!("Could not find {kind} `{name}` in provider").into(),
        detail: "".into(),
        attribute: Default::default(),
    });
}
use crate::{schema::Schema, Diagnostics};

const CORE_PROTOCOL_VERSION: u8 = 1;

/// TF provider server
pub(crate) struct Server {
    pub(crate) provider: Box<dyn DynamicProvider>,
    pub(crate) io: GrpcIo,
    /// Shuts the gRPC server down (go-plugin's Controller.Shutdown)
    pub(crate) cancellation_token: CancellationToken,
    /// Fired by StopProvider; resource code holds clones (inspector2fix patch 1)
    pub(crate) stop: StopSignal,

    pub(crate) init_diags: Diagnostics,
    pub(crate) schema: Option<Schema>,
    pub(crate) meta_schema: Option<Schema>,
    pub(crate) resources: HashMap<String, (Box<dyn DynamicResource>, Schema)>,
    pub(crate) data_sources: HashMap<String, (Box<dyn DynamicDataSource>, Schema)>,
    pub(crate) functions: HashMap<String, (Box<dyn DynamicFunction>, FunctionSchema)>,
    /// inspector2fix patch 7: identity schemas of the resources that have one
    pub(crate) identity_schemas: HashMap<String, IdentitySchema>,
    /// inspector2fix patch 9
    pub(crate) list_resources: HashMap<String, (Box<dyn DynamicListResource>, Schema)>,
    /// inspector2fix patch 10
    pub(crate) actions: HashMap<String, (Box<dyn DynamicAction>, Schema)>,
}

/// Each item with its schema; an item whose schema is missing or panics is left out and flagged
fn with_schemas<T, S>(
    diags: &mut Diagnostics,
    has_errors: &mut bool,
    items: HashMap<String, T>,
    full_name: impl Fn(&str) -> String,
    subject: fn(String) -> Subject,
    schema: impl Fn(&T, &mut Diagnostics) -> Option<S>,
) -> HashMap<String, (T, S)> {
    items
        .into_iter()
        .filter_map(|(name, item)| {
            let name = full_name(&name);
            let guarded = guard_sync(diags, "GetProviderSchema", subject(name.clone()), |diags| schema(&item, diags));
            match guarded {
                Some(schema) => Some((name, (item, schema))),
                None => {
                    *has_errors = true;
                    None
                }
            }
        })
        .collect()
}

/// inspector2fix patch 7: the identity schema of each resource that declares one
fn identity_schemas(
    diags: &mut Diagnostics,
    resources: &HashMap<String, (Box<dyn DynamicResource>, Schema)>,
) -> HashMap<String, IdentitySchema> {
    resources
        .iter()
        .filter_map(|(name, (resource, _))| {
            let subject = Subject::Resource(name.clone());
            let schema = guard_sync(diags, "GetResourceIdentitySchemas", subject, |diags| {
                Some(resource.identity_schema(diags))
            });
            Some((name.clone(), schema.flatten()?))
        })
        .collect()
}

/// inspector2fix patch 9: Terraform lists objects of the managed resource of the same name,
/// by their identity; a list resource without one would fail every query.
fn check_list_resources(
    diags: &mut Diagnostics,
    list_resources: &HashMap<String, (Box<dyn DynamicListResource>, Schema)>,
    identity_schemas: &HashMap<String, IdentitySchema>,
) {
    let mut names: Vec<_> = list_resources.keys().filter(|name| !identity_schemas.contains_key(*name)).collect();
    names.sort();
    for name in names {
        diags.add_error(crate::Diagnostic {
            summary: format!("List resource {name} has no managed resource with an identity").into(),
            detail: format!("A list resource finds objects of the managed resource of the same name, {name}, which must declare an identity schema.").into(),
            attribute: Default::default(),
        });
    }
}

impl Server {
    /// inspector2fix patch: schema calls run once here, before serving; a panic in one of them
    /// becomes an error diagnostic answered to GetProviderSchema instead of a failed handshake.
    pub fn with_stop(provider_name: String, provider: Box<dyn DynamicProvider>, stop: StopSignal) -> Self {
        let mut diags = Default::default();
        let mut has_errors = false;
        let rpc = "GetProviderSchema";
        let schema = guard_sync(&mut diags, rpc, Subject::Provider, |diags| provider.schema(diags));
        let meta_schema = guard_sync(&mut diags, rpc, Subject::Provider, |diags| provider.meta_schema(diags));
        has_errors |= schema.is_none() || meta_schema.is_none();

        let prefixed = |name: &str| format!("{}_{}", provider_name, name);
        let resources = guard_sync(&mut diags, rpc, Subject::Provider, |diags| provider.get_resources(diags));
        let resources = with_schemas(
            &mut diags,
            &mut has_errors,
            resources.unwrap_or_default(),
            prefixed,
            Subject::Resource,
            |resource, diags| resource.schema(diags),
        );
        let data_sources = guard_sync(&mut diags, rpc, Subject::Provider, |diags| provider.get_data_sources(diags));
        let data_sources = with_schemas(
            &mut diags,
            &mut has_errors,
            data_sources.unwrap_or_default(),
            prefixed,
            Subject::DataSource,
            |data_source, diags| data_source.schema(diags),
        );
        let functions = guard_sync(&mut diags, rpc, Subject::Provider, |diags| provider.get_functions(diags));
        let functions = with_schemas(
            &mut diags,
            &mut has_errors,
            functions.unwrap_or_default(),
            |name| name.to_string(),
            Subject::Function,
            |function, diags| function.schema(diags),
        );

        let identity_schemas = identity_schemas(&mut diags, &resources);
        let list_resources = guard_sync(&mut diags, rpc, Subject::Provider, |diags| provider.get_list_resources(diags));
        let list_resources = with_schemas(
            &mut diags,
            &mut has_errors,
            list_resources.unwrap_or_default(),
            prefixed,
            Subject::ListResource,
            |list_resource, diags| list_resource.schema(diags),
        );
        check_list_resources(&mut diags, &list_resources, &identity_schemas);
        let actions = guard_sync(&mut diags, rpc, Subject::Provider, |diags| provider.get_actions(diags));
        let actions = with_schemas(
            &mut diags,
            &mut has_errors,
            actions.unwrap_or_default(),
            prefixed,
            Subject::Action,
            |action, diags| action.schema(diags),
        );

        if has_errors {
            diags.internal_error()
        }

        Self {
            provider,
            io: Default::default(),
            cancellation_token: Default::default(),
            stop,
            init_diags: diags,
            schema,
            meta_schema,
            resources,
            data_sources,
            functions,
            identity_schemas,
            list_resources,
            actions,
        }
    }

    pub(crate) fn get_resource<'a>(
        &'a self,
        diags: &mut Diagnostics,
        name: &str,
    ) -> Option<&'a dyn DynamicResource> {
        if let Some(resource) = self.resources.get(name) {
            Some(resource.0.as_ref())
        } else {
            diags.root_error_short(format!("Could not find resource `{}` in provider", name));
            None
        }
    }
    pub(crate) fn get_data_source<'a>(
        &'a self,
        diags: &mut Diagnostics,
        name: &str,
    ) -> Option<&'a dyn DynamicDataSource> {
        if let Some(data_source) = self.data_sources.get(name) {
            Some(data_source.0.as_ref())
        } else {
            diags.root_error_short(format!("Could not find data source `{}` in provider", name));
            None
        }
    }
    /// inspector2fix patch 9
    pub(crate) fn get_list_resource<'a>(&'a self, diags: &mut Diagnostics, name: &str) -> Option<&'a dyn DynamicListResource> {
        match self.list_resources.get(name) {
            Some(list_resource) => Some(list_resource.0.as_ref()),
            None => {
                not_found(diags, "list resource", name);
                None
            }
        }
    }
    /// inspector2fix patch 10
    pub(crate) fn get_action<'a>(&'a self, diags: &mut Diagnostics, name: &str) -> Option<&'a dyn DynamicAction> {
        match self.actions.get(name) {
            Some(action) => Some(action.0.as_ref()),
            None => {
                not_found(diags, "action", name);
                None
            }
        }
    }
    pub(crate) fn get_function<'a>(
        &'a self,
        diags: &mut Diagnostics,
        name: &str,
    ) -> Option<&'a dyn DynamicFunction> {
        if let Some(function) = self.functions.get(name) {
            Some(function.0.as_ref())
        } else {
            diags.root_error_short(format!("Could not find function `{}` in provider", name));
            None
        }
    }
}

/// Serve the provider
///
/// # Arguments
///
/// * `name` - Name of the provider to serve
/// * `provider` - Provider to be served
///
/// # Cancel Safety
///
/// It is not safe to cancel the output future
///
/// # See Also
///
/// [`serve_dynamic`], [`serve_with_stop`]
pub async fn serve<U: ToString, V: DynamicProvider>(name: U, provider: V) -> Result<()> {
    serve_dynamic(name.to_string(), Box::new(provider)).await
}
/// Serve the provider
///
/// # Arguments
///
/// * `name` - Name of the provider to serve
/// * `provider` - Provider to be served
///
/// # Cancel Safety
///
/// It is not safe to cancel the output future
///
/// # See Also
///
/// [`serve`], [`serve_dynamic_with_stop`]
pub async fn serve_dynamic(name: String, provider: Box<dyn DynamicProvider>) -> Result<()> {
    serve_dynamic_with_stop(name, provider, StopSignal::new()).await
}

/// Serve the provider, firing `stop` when Terraform sends StopProvider
///
/// inspector2fix patch (PATCHED.md, patch 1). Create the [`StopSignal`] first, give clones to the
/// provider and its resources, then serve with it:
///
/// ```no_run
/// # use tf_provider::{serve_with_stop, StopSignal};
/// # async fn example<P: tf_provider::Provider>(make_provider: impl FnOnce(StopSignal) -> P) -> anyhow::Result<()> {
/// let stop = StopSignal::new();
/// serve_with_stop("example", make_provider(stop.clone()), stop).await
/// # }
/// ```
///
/// # Cancel Safety
///
/// It is not safe to cancel the output future
pub async fn serve_with_stop<U: ToString, V: DynamicProvider>(name: U, provider: V, stop: StopSignal) -> Result<()> {
    serve_dynamic_with_stop(name.to_string(), Box::new(provider), stop).await
}

/// [`serve_with_stop`] for a boxed [`DynamicProvider`]
///
/// # Cancel Safety
///
/// It is not safe to cancel the output future
pub async fn serve_dynamic_with_stop(name: String, provider: Box<dyn DynamicProvider>, stop: StopSignal) -> Result<()> {
    stop_on_interrupt(stop.clone())?;
    init_log_file(&name)?;
    let server = Arc::new(Server::with_stop(name, provider, stop));
    let addrs = SockAddrIter::new()?;
    let (tcp_stream, endpoint) = listen(addrs)?;

    let tls_config = TlsConfig::new()?;

    let serve = tls_config
        .builder()?
        .layer(TraceLayer::new_for_grpc())
        .add_service(GrpcBrokerServer::new(server.clone()))
        .add_service(GrpcControllerServer::new(server.clone()))
        .add_service(GrpcStdioServer::new(server.clone()))
        .add_service(ProviderServer::new(server.clone()))
        .serve_with_incoming_shutdown(tcp_stream, server.cancellation_token.cancelled());

    async fn info(endpoint: &str, der: &[u8]) -> Result<()> {
        println!(
            "{}|6|tcp|{}|grpc|{}",
            CORE_PROTOCOL_VERSION,
            endpoint,
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(der),
        );
        Ok(())
    }

    try_join!(
        serve.map_err(|e| anyhow!(e)),
        info(&endpoint, tls_config.cert.as_slice()),
    )?;

    Ok(())
}

/// Interrupt signals received since the process started
static INTERRUPTS_RECEIVED: AtomicUsize = AtomicUsize::new(0);

/// How many interrupt signals were received
#[cfg(test)]
pub(crate) fn interrupts_received() -> usize {
    INTERRUPTS_RECEIVED.load(Ordering::Relaxed)
}

/// inspector2fix patch: survive Ctrl-C, as go-plugin servers do, and treat it as StopProvider
///
/// A terminal sends SIGINT to its whole foreground process group, Terraform's plugins included.
/// A provider killed by the signal would lose the in-flight call and the state it would have
/// returned, so the process survives it. Terraform turns the interrupt into StopProvider itself,
/// but only while it applies or plans alone: `terraform apply` runs its own plan phase (refresh
/// and data source reads) without relaying the interrupt, and a call held there by an endpoint
/// that never answers would run on for the SDK's timeouts. The user's Ctrl-C means the same as
/// StopProvider, so it fires the same signal.
pub(crate) fn stop_on_interrupt(stop: StopSignal) -> Result<()> {
    #[cfg(unix)]
    {
        let mut interrupts = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        tokio::spawn(async move {
            while interrupts.recv().await.is_some() {
                INTERRUPTS_RECEIVED.fetch_add(1, Ordering::Relaxed);
                tracing::debug!("interrupt signal: stopping, as StopProvider does");
                stop.stop();
            }
        });
    }
    #[cfg(not(unix))]
    let _ = stop;
    Ok(())
}

/// inspector2fix patch: which log events reach PLUGIN_LOG_FILE
///
/// Everything at TRACE used to be written, and the AWS SDK logs whole HTTP requests and responses
/// at TRACE: request bodies with provider settings such as an STS ExternalId, and the temporary
/// credentials STS returns. Only this crate, the RPC trace layer (RPC name, status, latency) and
/// the provider's own crate (targets starting with its name) are written below WARN.
fn log_targets(provider_name: &str) -> Targets {
    Targets::new()
        .with_default(LevelFilter::WARN)
        .with_target("tf_provider", LevelFilter::TRACE)
        .with_target("tower_http", LevelFilter::DEBUG)
        .with_target(provider_name, LevelFilter::TRACE)
}

/// Log to the file named by PLUGIN_LOG_FILE, when it is set
fn init_log_file(provider_name: &str) -> Result<()> {
    if let Ok(path) = env::var("PLUGIN_LOG_FILE") {
        let log_file = File::create(path)?;
        // try_init: a subscriber the embedding program already set stays in place.
        _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(Mutex::new(log_file))
            .finish()
            .with(log_targets(provider_name))
            .try_init();
    }
    Ok(())
}

#[derive(Copy, Clone)]
struct SockAddrIter {
    ip: IpAddr,
    port: u16,
    port_max: u16,
}

impl SockAddrIter {
    fn new_with_ip(ip: IpAddr) -> Result<Self> {
        let port_min = if let Ok(port) = env::var("PLUGIN_MIN_PORT") {
            port.parse()?
        } else {
            1025_u16
        };
        let port_max = if let Ok(port) = env::var("PLUGIN_MAX_PORT") {
            port.parse()?
        } else {
            65535_u16
        };

        Ok(Self {
            ip,
            port: std::cmp::min(port_min, port_max),
            port_max: std::cmp::max(port_min, port_max),
        })
    }
    fn new() -> Result<Self> {
        Self::new_with_ip(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)))
    }
}

impl Iterator for SockAddrIter {
    type Item = SocketAddr;
    fn next(&mut self) -> Option<Self::Item> {
        if self.port_max == 0 {
            return None;
        }
        let port = self.port;
        if self.port == self.port_max {
            self.port_max = 0;
        } else {
            self.port += 1;
        }
        Some(SocketAddr::new(self.ip, port))
    }
}

impl std::net::ToSocketAddrs for SockAddrIter {
    type Iter = Self;
    fn to_socket_addrs(&self) -> std::io::Result<Self::Iter> {
        Ok(*self)
    }
}

fn listen(
    addrs: SockAddrIter,
) -> Result<(
    impl tokio_stream::Stream<Item = std::io::Result<tokio::net::TcpStream>>,
    String,
)> {
    let listener = std::net::TcpListener::bind(addrs)?;
    listener.set_nonblocking(true)?;
    let endpoint = listener.local_addr()?.to_string();
    let listener = tokio::net::TcpListener::from_std(listener)?;
    // inspector2fix patch: without TCP_NODELAY, the gRPC trailers that end every call wait for
    // the client's delayed ACK of the message before them (about 40 ms per call on Linux).
    let incoming = tokio_stream::StreamExt::map(TcpListenerStream::new(listener), |stream| {
        stream.and_then(|s| {
            s.set_nodelay(true)?;
            Ok(s)
        })
    });
    Ok((incoming, endpoint))
}

struct TlsConfig {
    server: Option<ServerTlsConfig>,
    cert: Vec<u8>,
}

impl TlsConfig {
    fn new() -> Result<Self> {
        let env_cert = env::var("PLUGIN_CLIENT_CERT").unwrap_or_default();
        if env_cert.is_empty() {
            return Ok(Self {
                server: None,
                cert: Default::default(),
            });
        }

        // Read the client certificate
        let client_cert = tonic::transport::Certificate::from_pem(env_cert);

        // Parameters to generate the server certificate
        let mut cp = rcgen::CertificateParams::new(["localhost".to_string()])?;
        cp.not_before = time::OffsetDateTime::now_utc().saturating_sub(30.seconds());
        cp.not_after = time::OffsetDateTime::now_utc().saturating_add((30 * 365).days());
        let mut dn = rcgen::DistinguishedName::new();
        dn.push(rcgen::DnType::OrganizationName, "Hashicorp");
        dn.push(rcgen::DnType::CommonName, "localhost");
        cp.distinguished_name = dn;
        cp.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        cp.key_usages = vec![
            rcgen::KeyUsagePurpose::DigitalSignature,
            rcgen::KeyUsagePurpose::KeyEncipherment,
            rcgen::KeyUsagePurpose::KeyAgreement,
            rcgen::KeyUsagePurpose::KeyCertSign,
        ];
        cp.extended_key_usages = vec![
            rcgen::ExtendedKeyUsagePurpose::ClientAuth,
            rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        ];
        cp.key_identifier_method = rcgen::KeyIdMethod::Sha512;

        // Generate the server certificate and its keys
        let keypair = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)?;
        let server_cert = cp.self_signed(&keypair)?;

        let tls_config = ServerTlsConfig::new()
            .client_ca_root(client_cert)
            .client_auth_optional(true)
            .identity(Identity::from_pem(
                server_cert.pem(),
                keypair.serialize_pem(),
            ));

        Ok(Self {
            server: Some(tls_config),
            cert: server_cert.der().to_vec(),
        })
    }

    fn builder(&self) -> Result<tonic::transport::server::Server> {
        if let Some(ref tls_config) = &self.server {
            Ok(tonic::transport::server::Server::builder().tls_config(tls_config.clone())?)
        } else {
            Ok(tonic::transport::server::Server::builder())
        }
    }
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    use super::log_targets;

    #[test]
    fn the_log_file_keeps_rpc_and_provider_events_and_drops_sdk_traces() {
        let targets = log_targets("inspector2fix");
        // The AWS SDK's request and response dumps (STS bodies with ExternalId and credentials).
        assert!(!targets.would_enable("aws_smithy_runtime::client::orchestrator", &Level::TRACE));
        assert!(!targets.would_enable("aws_smithy_runtime::client::orchestrator::http", &Level::DEBUG));
        assert!(!targets.would_enable("h2::codec", &Level::DEBUG));
        assert!(targets.would_enable("aws_config::sts", &Level::WARN));
        // RPC names, status and latency; this crate; the provider's own crate.
        assert!(targets.would_enable("tower_http::trace::on_response", &Level::DEBUG));
        assert!(targets.would_enable("tf_provider::server", &Level::TRACE));
        assert!(targets.would_enable("inspector2fix::scanning", &Level::TRACE));
    }
}

//! A small stateful emulator of the AWS APIs the inspector2fix provider uses, speaking the real
//! wire protocols (so the AWS SDK talks to it unchanged through `AWS_ENDPOINT_URL`), plus a JSON
//! control API under `/_emulator/` for tests. Everything is served on one HTTP/1.1 port.
//!
//! Routing: `/_emulator/...` goes to the control API; every other request is an AWS API call,
//! dispatched on the signing service name of its SigV4 credential scope (`inspector2`,
//! `securityhub`, `sts`). Requests without a credential scope are routed by path (`/` = STS,
//! Inspector2 paths = Inspector2, Security Hub paths = Security Hub) and act as the default
//! account.
//!
//! Embedding in tests:
//! ```no_run
//! # async fn f() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let addr = listener.local_addr()?;
//! let emu = inspector2fix_emulator::Emulator::new(Default::default());
//! tokio::spawn(inspector2fix_emulator::serve(listener, emu));
//! # Ok(()) }
//! ```

pub mod auth;
pub mod config;
pub mod control;
pub mod errors;
pub mod faults;
pub mod findings;
pub mod inspector2;
pub mod requests;
pub mod securityhub;
pub mod state;
pub mod sts;
pub mod util;

use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;

pub use config::{Config, Initial};
pub use state::World;

use errors::ApiError;
use requests::LogEntry;
use state::Caller;

/// Largest accepted request body.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Every AWS operation the emulator serves (fault targets; always listed in the request counts).
pub const OPERATIONS: &[&str] = &[
    "Enable",
    "Disable",
    "BatchGetAccountStatus",
    "GetCallerIdentity",
    "AssumeRole",
    "GetFindings",
    "BatchGetSecurityControls",
    "BatchUpdateFindings",
    "DescribeHub",
];

/// The emulator: the world behind one mutex (never held across an await).
pub struct Emulator {
    world: Mutex<World>,
    verbose: bool,
}

/// Shared handle passed to [`serve`].
pub type SharedState = Arc<Emulator>;

impl Emulator {
    pub fn new(initial: Initial) -> SharedState {
        Self::with_options(initial, false)
    }

    /// `verbose`: log one line per request to stderr.
    pub fn with_options(initial: Initial, verbose: bool) -> SharedState {
        Arc::new(Emulator { world: Mutex::new(World::new(initial)), verbose })
    }

    /// Lock the world (for embedding tests that want to inspect or seed state directly).
    pub fn lock(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A response produced by a handler, independent of the HTTP library.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, v: &Value) -> Reply {
        Reply::json_bytes(status, serde_json::to_vec(v).expect("serializable"))
    }

    pub fn json_bytes(status: u16, body: Vec<u8>) -> Reply {
        Reply { status, headers: vec![("content-type", "application/json".into())], body }
    }

    pub fn xml(status: u16, body: String) -> Reply {
        Reply { status, headers: vec![("content-type", "text/xml".into())], body: body.into_bytes() }
    }

    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        let mut b = Response::builder().status(self.status);
        for (k, v) in self.headers {
            b = b.header(k, v);
        }
        b.body(Full::new(Bytes::from(self.body)))
            .unwrap_or_else(|_| Response::new(Full::new(Bytes::from_static(b"bad response"))))
    }
}

/// An AWS API call as the service modules see it.
pub(crate) struct AwsRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub body: &'a [u8],
    pub caller: Caller,
    pub region: String,
    pub request_id: String,
}

impl AwsRequest<'_> {
    /// The request-log entry for this call of `operation`.
    pub fn log_entry(&self, service: &str, operation: &str) -> LogEntry {
        LogEntry::new(service, operation, &self.caller.account, &self.region)
    }

    /// Log a call that matches no operation of `service`; the error to send back.
    pub fn unknown_operation(&self, w: &mut World, service: &str) -> ApiError {
        let mut entry = self.log_entry(service, "Unknown");
        entry.fields.insert("path".into(), Value::String(format!("{} {}", self.method, self.path)));
        entry.http_status = 404;
        w.requests.record(entry);
        ApiError::unknown_operation(self.method, self.path)
    }
}

#[cfg(test)]
impl<'a> AwsRequest<'a> {
    /// A call by `account` (no session) in us-east-1, for unit tests.
    pub fn for_test(method: &'a str, path: &'a str, body: &'a [u8], account: &str) -> Self {
        AwsRequest {
            method,
            path,
            query: None,
            body,
            caller: Caller { account: account.into(), session: None },
            region: "us-east-1".into(),
            request_id: "rid".into(),
        }
    }
}

/// Serve HTTP/1.1 on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, state: SharedState) -> std::io::Result<()> {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Transient (e.g. too many open files): back off briefly and keep serving.
                if state.verbose {
                    eprintln!("accept error: {e}");
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let emu = state.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| handle(emu.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

async fn handle(emu: SharedState, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => {
            let e = ApiError::new(413, "RequestEntityTooLarge", "request body too large");
            return Ok(e.to_json_reply().into_response());
        }
    };
    let method = parts.method.as_str();
    let path = parts.uri.path();
    let is_control = path == control::PREFIX || path.starts_with("/_emulator/");
    let (reply, latency_ms) = if is_control {
        let reply = control::handle(&mut emu.lock(), method, path, parts.uri.query(), &body);
        (reply, 0)
    } else {
        let authorization = parts.headers.get(hyper::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        aws_call(&emu, method, path, parts.uri.query(), authorization, &body)
    };
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    if emu.verbose {
        eprintln!("{method} {path} -> {} ({} bytes, {:?})", reply.status, reply.body.len(), started.elapsed());
    }
    Ok(reply.into_response())
}

/// Handle one AWS API call under the lock; returns the reply and the latency to add.
fn aws_call(
    emu: &Emulator,
    method: &str,
    path: &str,
    query: Option<&str>,
    authorization: Option<&str>,
    body: &[u8],
) -> (Reply, u64) {
    let scope = auth::scope(authorization, query);
    let service = match &scope {
        Some(s) => s.service.as_str(),
        None if path == "/" => sts::SERVICE,
        None if inspector2::owns_path(path) => inspector2::SERVICE,
        None if securityhub::owns_path(path) => securityhub::SERVICE,
        None => "",
    };
    let mut w = emu.lock();
    let caller = w.caller_for_key(scope.as_ref().map(|s| s.access_key.as_str()));
    let request_id = w.ids.request_id();
    let req = AwsRequest {
        method,
        path,
        query,
        body,
        caller,
        region: scope.as_ref().and_then(|s| s.region.clone()).unwrap_or_else(|| "us-east-1".into()),
        request_id: request_id.clone(),
    };
    let mut reply = match service {
        inspector2::SERVICE => inspector2::handle(&mut w, &req),
        sts::SERVICE => sts::handle(&mut w, &req),
        securityhub::SERVICE => securityhub::handle(&mut w, &req),
        other => ApiError::new(
            400,
            "UnrecognizedClientException",
            format!("The emulator does not implement service {other:?} ({method} {path})"),
        )
        .to_json_reply(),
    };
    reply.header("x-amzn-RequestId", request_id);
    (reply, w.config.latency_ms)
}

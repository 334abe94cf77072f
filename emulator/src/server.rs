//! The HTTP/1.1 server: accepts connections, sends `/_emulator/...` to the control API and every
//! other request to the AWS service its SigV4 scope (or, unsigned, its path) names.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::call::AwsRequest;
use crate::emulator_config::Initial;
use crate::errors::ApiError;
use crate::model::world::{World, DEFAULT_REGION};
use crate::reply::Reply;
use crate::services::{ecr, inspector2_admin, inspector2_members, inspector2_scan_settings, inspector2_scanning};
use crate::services::{organizations, securityhub_findings, securityhub_governance, sts};
use crate::{auth, control};

/// Largest accepted request body.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

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
            return Ok(into_response(e.to_json_reply()));
        }
    };
    let method = parts.method.as_str();
    let path = parts.uri.path();
    let is_control = path == control::PREFIX || path.starts_with("/_emulator/");
    let (reply, latency_ms) = if is_control {
        let reply = control::handle(&mut emu.lock(), method, path, parts.uri.query(), &body);
        (reply, 0)
    } else {
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let headers = CallHeaders { authorization: header("authorization"), target: header("x-amz-target") };
        aws_call(&emu, method, path, parts.uri.query(), headers, &body)
    };
    if reply.black_hole {
        hold_open(&emu).await;
    }
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    if emu.verbose {
        eprintln!("{method} {path} -> {} ({} bytes, {:?})", reply.status, reply.body.len(), started.elapsed());
    }
    Ok(into_response(reply))
}

/// Never answer. hyper drops this future when the client closes the connection (or when the
/// runtime shuts down), which ends the task; the guard keeps `World::held_open` exact meanwhile.
async fn hold_open(emu: &SharedState) {
    struct Held<'a>(&'a Emulator);
    impl Drop for Held<'_> {
        fn drop(&mut self) {
            let mut w = self.0.lock();
            w.held_open = w.held_open.saturating_sub(1);
        }
    }
    emu.lock().held_open += 1;
    let _held = Held(emu);
    std::future::pending::<()>().await
}

fn into_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut b = Response::builder().status(reply.status);
    for (k, v) in reply.headers {
        b = b.header(k, v);
    }
    b.body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::from_static(b"bad response"))))
}

/// The request headers an AWS call is routed and identified by.
struct CallHeaders<'a> {
    authorization: Option<&'a str>,
    target: Option<&'a str>,
}

/// The service of a request without a SigV4 credential scope: by `X-Amz-Target`, else by path.
fn unsigned_service(path: &str, target: Option<&str>) -> &'static str {
    let inspector2 = [
        inspector2_scanning::owns_path,
        inspector2_scan_settings::owns_path,
        inspector2_members::owns_path,
        inspector2_admin::owns_path,
    ];
    if organizations::owns_target(target) {
        organizations::SERVICE
    } else if path == "/" {
        sts::SERVICE
    } else if inspector2.iter().any(|owns| owns(path)) {
        inspector2_scanning::SERVICE
    } else if securityhub_findings::owns_path(path) || securityhub_governance::owns_path(path) {
        securityhub_findings::SERVICE
    } else {
        ""
    }
}

/// The service module that answers `req`, by signing service name and then path.
fn dispatch(w: &mut World, service: &str, req: &AwsRequest) -> Reply {
    let (method, path) = (req.method, req.path);
    match service {
        inspector2_scanning::SERVICE if inspector2_scan_settings::owns_path(path) => {
            inspector2_scan_settings::handle(w, req)
        }
        inspector2_scanning::SERVICE if inspector2_members::owns_path(path) => inspector2_members::handle(w, req),
        inspector2_scanning::SERVICE if inspector2_admin::owns_path(path) => inspector2_admin::handle(w, req),
        inspector2_scanning::SERVICE => inspector2_scanning::handle(w, req),
        sts::SERVICE => sts::handle(w, req),
        securityhub_findings::SERVICE if securityhub_governance::owns_route(method, path) => {
            securityhub_governance::handle(w, req)
        }
        securityhub_findings::SERVICE => securityhub_findings::handle(w, req),
        ecr::SERVICE => ecr::handle(w, req),
        organizations::SERVICE => organizations::handle(w, req),
        other => ApiError::new(
            400,
            "UnrecognizedClientException",
            format!("The emulator does not implement service {other:?} ({method} {path})"),
        )
        .to_json_reply(),
    }
}

/// Handle one AWS API call under the lock; returns the reply and the latency to add.
fn aws_call(
    emu: &Emulator,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: CallHeaders,
    body: &[u8],
) -> (Reply, u64) {
    let scope = auth::scope(headers.authorization, query);
    let service = match &scope {
        Some(s) => s.service.as_str(),
        None => unsigned_service(path, headers.target),
    };
    let region = scope.as_ref().and_then(|s| s.region.clone()).unwrap_or_else(|| DEFAULT_REGION.into());
    let mut w = emu.lock();
    // STS is global, but selecting its Region is harmless; every other service is Regional.
    w.select_region(&region);
    w.settle_associations();
    let caller = w.caller_for_key(scope.as_ref().map(|s| s.access_key.as_str()));
    let request_id = w.ids.request_id();
    let req = AwsRequest {
        method,
        path,
        query,
        body,
        target: headers.target,
        caller,
        region,
        request_id: request_id.clone(),
    };
    let mut reply = dispatch(&mut w, service, &req);
    reply.header("x-amzn-RequestId", request_id);
    (reply, w.config.latency_ms)
}

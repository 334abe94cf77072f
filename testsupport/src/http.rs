//! An HTTP/1.1 JSON client (hyper) for the emulators' control APIs and raw AWS calls in tests.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::Value;

/// A hang guard: no emulator call in a test should take anywhere near this long.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A response whose body parsed as JSON.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

/// One request with a JSON body (or none). Fails the test when the server cannot be reached,
/// does not answer within 30 s, or answers with a body that is not JSON; the status is the
/// caller's to check.
#[track_caller]
pub fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>, headers: &[(&str, &str)]) -> Reply {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let runtime = runtime.unwrap_or_else(|e| panic!("a Tokio runtime for the HTTP client: {e}"));
    // The timer must be made inside the runtime, hence the async block.
    match runtime.block_on(async { tokio::time::timeout(TIMEOUT, send(addr, method, path, body, headers)).await }) {
        Ok(Ok(reply)) => reply,
        Ok(Err(e)) => panic!("{method} {path} on {addr}: {e}"),
        Err(_) => panic!("{method} {path} on {addr}: no answer within {TIMEOUT:?}"),
    }
}

async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Result<Reply, String> {
    let stream = tokio::net::TcpStream::connect(addr).await.map_err(|e| format!("connect: {e}"))?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(connection);
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string())
        .header("content-type", "application/json");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let payload = body.map(Value::to_string).unwrap_or_default();
    let req = builder.body(Full::new(Bytes::from(payload))).map_err(|e| format!("building the request: {e}"))?;
    let resp = sender.send_request(req).await.map_err(|e| format!("sending: {e}"))?;
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.map_err(|e| format!("reading the body: {e}"))?.to_bytes();
    let body = serde_json::from_slice(&bytes).map_err(|e| {
        format!("answered {status} with a body that is not JSON ({e}): {}", String::from_utf8_lossy(&bytes))
    })?;
    Ok(Reply { status, body })
}

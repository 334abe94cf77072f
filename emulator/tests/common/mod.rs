//! Shared by the end-to-end tests: an in-process server on an OS-picked port, driven with a tiny
//! hand-written HTTP/1.1 client (raw TcpStream).

// Each test binary compiles its own copy and uses only part of it.
#![allow(dead_code)]

use std::net::SocketAddr;

use inspector2fix_emulator::{serve, Emulator, Initial};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

pub async fn start() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, Emulator::new(Initial::default())));
    addr
}

pub async fn http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("header terminator");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let resp = Resp { status, headers, body };
    if let Some(cl) = resp.header("content-length") {
        assert_eq!(cl.parse::<usize>().unwrap(), resp.body.len());
    }
    resp
}

/// An `Authorization` header with a SigV4 credential scope (the signature is not checked).
pub fn auth(akid: &str, service: &str) -> String {
    auth_in(akid, "us-east-1", service)
}

/// [`auth`] with the credential scope of `region`.
pub fn auth_in(akid: &str, region: &str, service: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential={akid}/20240101/{region}/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000"
    )
}

/// A control API call that must succeed; its JSON body.
pub async fn control(addr: SocketAddr, method: &str, path: &str, body: Value) -> Value {
    let r = http(addr, method, path, &[], body.to_string().as_bytes()).await;
    assert_eq!(r.status, 200, "{method} {path}: {}", String::from_utf8_lossy(&r.body));
    r.json()
}

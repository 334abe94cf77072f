//! The faults for "fail fast, stop when told" over real HTTP/1.1: black_hole, html_404,
//! validation_error and assume_role_access_denied.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{auth, control, http, start, Resp};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ROLE: &str = "arn:aws:iam::222222222222:role/Audit";
const ASSUME: &str = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAudit\
                      &RoleSessionName=tf-run";

async fn sts(addr: SocketAddr, body: &str) -> Resp {
    let a = auth("AKIATEST", "sts");
    let hdrs = [("Authorization", a.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    http(addr, "POST", "/", &hdrs, body.as_bytes()).await
}

async fn aws_json(addr: SocketAddr, service: &str, method: &str, path: &str, body: Value) -> Resp {
    let a = auth("AKIATEST", service);
    http(addr, method, path, &[("Authorization", a.as_str())], body.to_string().as_bytes()).await
}

async fn add_fault(addr: SocketAddr, fault: Value) {
    control(addr, "POST", "/_emulator/faults", fault).await;
}

/// The text of the first `<name>` element.
fn tag<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no <{name}> in {xml}")) + open.len();
    let end = xml[start..].find(&format!("</{name}>")).expect("closing tag") + start;
    &xml[start..end]
}

/// `held_open` from the request log; a missing field fails the test.
async fn held_open(addr: SocketAddr) -> u64 {
    let v = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    v["held_open"].as_u64().unwrap_or_else(|| panic!("no held_open in {v}"))
}

/// Poll until `held_open` is `want` (a hang guard of 30 s, not a timing assertion).
async fn wait_held_open(addr: SocketAddr, want: u64) {
    for _ in 0..3000 {
        if held_open(addr).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("held_open never became {want}");
}

#[tokio::test]
async fn black_hole_holds_one_request_until_the_client_leaves() {
    let addr = start().await;
    add_fault(addr, json!({"kind": "black_hole", "operation": "Enable", "times": 1})).await;
    let body = json!({"resourceTypes": ["ECR"]}).to_string();
    let request = format!(
        "POST /enable HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\nContent-Length: {}\r\n\r\n{body}",
        auth("AKIATEST", "inspector2"),
        body.len()
    );
    let mut held = TcpStream::connect(addr).await.unwrap();
    held.write_all(request.as_bytes()).await.unwrap();
    wait_held_open(addr, 1).await;

    // Other calls and the control API are served meanwhile.
    assert_eq!(sts(addr, "Action=GetCallerIdentity").await.status, 200);
    let r = aws_json(addr, "inspector2", "POST", "/enable", json!({"resourceTypes": ["ECR"]})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    // The held request got nothing, not even a status line.
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_millis(200), held.read(&mut buf)).await;
    assert!(read.is_err(), "the black-holed request was answered: {read:?}");
    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    let first = &log["log"][0];
    assert_eq!((first["operation"].as_str(), first["fault"].as_bool()), (Some("Enable"), Some(true)), "{log}");
    assert_eq!(first["http_status"].as_u64(), Some(0), "{log}");
    assert_eq!(log["counts"]["Enable"].as_u64(), Some(2), "{log}");

    // The client gives up: the task holding the request ends.
    drop(held);
    wait_held_open(addr, 0).await;
}

#[tokio::test]
async fn html_404_looks_like_a_wrong_endpoint() {
    let addr = start().await;
    add_fault(addr, json!({"kind": "html_404", "operation": "GetFindings", "times": 1})).await;
    add_fault(addr, json!({"kind": "html_404", "operation": "GetCallerIdentity", "times": 1})).await;
    for r in [
        aws_json(addr, "securityhub", "POST", "/findings", json!({})).await,
        sts(addr, "Action=GetCallerIdentity").await,
    ] {
        assert_eq!(r.status, 404);
        assert_eq!(r.header("content-type"), Some("text/html"));
        let text = r.text();
        assert!(text.starts_with("<!DOCTYPE html>") && text.contains("<title>404 Not Found</title>"), "{text}");
        assert_eq!(r.header("x-amzn-ErrorType"), None);
    }
    assert_eq!(aws_json(addr, "securityhub", "POST", "/findings", json!({})).await.status, 200);
}

#[tokio::test]
async fn validation_error_fault_per_service() {
    let addr = start().await;
    for op in ["Enable", "GetFindings", "AssumeRole"] {
        add_fault(addr, json!({"kind": "validation_error", "operation": op, "message": "injected", "times": 1})).await;
    }
    let r = aws_json(addr, "inspector2", "POST", "/enable", json!({"resourceTypes": ["ECR"]})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")));
    assert_eq!(r.json()["message"], "injected");
    let r = aws_json(addr, "securityhub", "POST", "/findings", json!({})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("InvalidInputException")));
    assert_eq!(r.json()["Message"], "injected");
    let r = sts(addr, ASSUME).await;
    let x = r.text();
    assert_eq!(
        (r.status, tag(&x, "Type"), tag(&x, "Code"), tag(&x, "Message")),
        (400, "Sender", "ValidationError", "injected")
    );
    assert!(!tag(&x, "RequestId").is_empty());
}

#[tokio::test]
async fn assume_role_validation_as_real_sts() {
    let addr = start().await;
    for bad in [
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Auser%2FAudit&RoleSessionName=tf-run",
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAudit&RoleSessionName=tf%20run",
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAudit&RoleSessionName=tf-run\
         &ExternalId=a%20b",
    ] {
        let r = sts(addr, bad).await;
        let x = r.text();
        assert_eq!((r.status, tag(&x, "Type"), tag(&x, "Code")), (400, "Sender", "ValidationError"), "{bad}");
    }
}

#[tokio::test]
async fn assume_role_access_denied_for_one_role() {
    let addr = start().await;
    add_fault(addr, json!({"kind": "assume_role_access_denied", "role_arn": ROLE})).await;
    let other = "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A333333333333%3Arole%2FAudit&RoleSessionName=tf-run";
    assert_eq!(sts(addr, other).await.status, 200);
    for _ in 0..2 {
        let r = sts(addr, ASSUME).await;
        let x = r.text();
        assert_eq!((r.status, tag(&x, "Type"), tag(&x, "Code")), (403, "Sender", "AccessDenied"), "{x}");
        assert_eq!(
            tag(&x, "Message"),
            format!(
                "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on \
                 resource: {ROLE}"
            )
        );
    }
    let faults = control(addr, "GET", "/_emulator/faults", Value::Null).await;
    assert_eq!(faults["faults"][0]["kind"], "assume_role_access_denied", "{faults}");
    assert_eq!(faults["faults"][0]["role_arn"], ROLE, "{faults}");
}

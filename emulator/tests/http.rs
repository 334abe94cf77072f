//! End-to-end tests over real HTTP/1.1: the server runs in-process on an OS-picked port and is
//! driven with a tiny hand-written client (raw TcpStream).

mod common;

use std::net::SocketAddr;

use common::{auth, auth_in, control, http, start, Resp};
use serde_json::{json, Value};

async fn inspector(addr: SocketAddr, akid: &str, path: &str, body: Value) -> Resp {
    let a = auth(akid, "inspector2");
    http(
        addr,
        "POST",
        path,
        &[("Authorization", a.as_str()), ("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await
}

#[tokio::test]
async fn enable_enabling_enabled_with_settle_polls_2() {
    let addr = start().await;
    control(addr, "PUT", "/_emulator/config", json!({"settle_polls": 2})).await;

    let r = inspector(
        addr,
        "AKIATEST",
        "/enable",
        json!({"accountIds": ["123456789012"], "resourceTypes": ["EC2", "ECR"], "clientToken": "t1"}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("x-amzn-requestid").is_some());
    let v = r.json();
    assert_eq!(v["accounts"][0]["status"], "ENABLING");
    assert_eq!(v["accounts"][0]["resourceStatus"]["ecr"], "ENABLING");
    assert_eq!(v["failedAccounts"], json!([]));

    let get = json!({"accountIds": ["123456789012"]});
    let v = inspector(addr, "AKIATEST", "/status/batch/get", get.clone()).await.json();
    assert_eq!(v["accounts"][0]["state"]["status"], "ENABLING");
    assert_eq!(v["accounts"][0]["resourceState"]["ecr"]["status"], "ENABLING");
    let v = inspector(addr, "AKIATEST", "/status/batch/get", get).await.json();
    assert_eq!(v["accounts"][0]["state"]["status"], "ENABLED");
    assert_eq!(v["accounts"][0]["resourceState"]["ec2"]["status"], "ENABLED");
    assert_eq!(v["accounts"][0]["resourceState"]["ecr"]["status"], "ENABLED");
    assert_eq!(v["accounts"][0]["resourceState"]["lambda"]["status"], "DISABLED");

    let a = control(addr, "GET", "/_emulator/accounts/123456789012", json!(null)).await;
    assert_eq!(a["status"], "ENABLED");
    assert_eq!(a["resource_state"]["ECR"], "ENABLED");
}

#[tokio::test]
async fn the_credential_scope_picks_the_region() {
    let addr = start().await;
    let a = auth_in("AKIATEST", "eu-west-1", "inspector2");
    let headers = [("Authorization", a.as_str()), ("Content-Type", "application/json")];
    let body = json!({"accountIds": ["123456789012"], "resourceTypes": ["ECR"]}).to_string();
    let r = http(addr, "POST", "/enable", &headers, body.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let eu = control(addr, "GET", "/_emulator/accounts/123456789012?region=eu-west-1", json!(null)).await;
    assert_eq!(eu["resource_state"]["ECR"], "ENABLING");
    let us = control(addr, "GET", "/_emulator/accounts/123456789012", json!(null)).await;
    assert_eq!(us["resource_state"]["ECR"], "DISABLED", "us-east-1 is untouched");
    // Unsigned and us-east-1-signed calls act in us-east-1.
    let v = inspector(addr, "AKIATEST", "/status/batch/get", json!({})).await.json();
    assert_eq!(v["accounts"][0]["resourceState"]["ecr"]["status"], "DISABLED");
    let log = control(addr, "GET", "/_emulator/requests", json!(null)).await;
    let regions: Vec<&str> = log["log"].as_array().unwrap().iter().map(|e| e["region"].as_str().unwrap()).collect();
    assert_eq!(regions, ["eu-west-1", "us-east-1"]);
}

#[tokio::test]
async fn validation_error_shape() {
    let addr = start().await;
    let r = inspector(addr, "AK", "/enable", json!({"accountIds": ["42"], "resourceTypes": ["ECR"]})).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("x-amzn-ErrorType"), Some("ValidationException"));
    let v = r.json();
    assert_eq!(v["reason"], "FIELD_VALIDATION_FAILED");
    assert_eq!(v["fields"][0]["name"], "accountIds");
    assert!(v["fields"][0]["message"].is_string());
    assert!(v["message"].is_string());

    let a = auth("AK", "inspector2");
    let r = http(addr, "POST", "/enable", &[("Authorization", a.as_str())], b"{oops").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["reason"], "CANNOT_PARSE");
}

#[tokio::test]
async fn throttle_fault_and_request_counters() {
    let addr = start().await;
    control(addr, "PUT", "/_emulator/config", json!({"retry_after_seconds": 1})).await;
    let f = control(addr, "POST", "/_emulator/faults", json!({"kind": "throttle", "operation": "Enable", "times": 1}))
        .await;
    assert_eq!(f["kind"], "throttle");

    let body = json!({"resourceTypes": ["ECR"]});
    let r = inspector(addr, "AK", "/enable", body.clone()).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("x-amzn-ErrorType"), Some("ThrottlingException"));
    assert_eq!(r.header("Retry-After"), Some("1"));
    assert!(r.json()["message"].is_string());
    // The fault was used up; the retry goes through.
    let r = inspector(addr, "AK", "/enable", body).await;
    assert_eq!(r.status, 200);
    inspector(addr, "AK", "/status/batch/get", json!({})).await;

    let log = control(addr, "GET", "/_emulator/requests", json!(null)).await;
    assert_eq!(log["counts"]["Enable"], 2);
    assert_eq!(log["counts"]["BatchGetAccountStatus"], 1);
    assert_eq!(log["counts"]["Disable"], 0);
    let entries = log["log"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["http_status"], 429);
    assert_eq!(entries[0]["operation"], "Enable");
    assert_eq!(entries[0]["caller"], "123456789012");
    assert_eq!(entries[0]["resource_types"], json!(["ECR"]));
    assert_eq!(entries[1]["http_status"], 200);
    assert_eq!(entries[1]["replayed"], false);
    assert_eq!(entries[2]["seq"], 3);

    control(addr, "DELETE", "/_emulator/requests", json!(null)).await;
    let log = control(addr, "GET", "/_emulator/requests", json!(null)).await;
    assert_eq!(log["counts"]["Enable"], 0);
    assert_eq!(log["log"], json!([]));
}

#[tokio::test]
async fn sts_get_caller_identity_and_assume_role() {
    let addr = start().await;
    control(addr, "PUT", "/_emulator/config", json!({"credentials": {"AKIAADMIN": "111111111111"}})).await;
    let a = auth("AKIAADMIN", "sts");
    let hdrs = [("Authorization", a.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    let r = http(addr, "POST", "/", &hdrs, b"Action=GetCallerIdentity&Version=2011-06-15").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/xml"));
    let x = r.text();
    assert!(x.starts_with("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
    assert!(x.contains("<GetCallerIdentityResult>"));
    assert!(x.contains("<Account>111111111111</Account>"));
    assert!(x.contains("<Arn>arn:aws:iam::111111111111:user/emulator</Arn>"));
    assert!(x.contains("<UserId>AIDAEMULATOR</UserId>"));
    assert!(x.contains("<ResponseMetadata>"));

    // AssumeRole: the new key acts as the role's account, also for Inspector2.
    let r = http(
        addr,
        "POST",
        "/",
        &hdrs,
        b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A333333333333%3Arole%2FAudit&RoleSessionName=s1&ExternalId=xyz123",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let x = r.text();
    let start = x.find("<AccessKeyId>").unwrap() + "<AccessKeyId>".len();
    let key = &x[start..start + 20];
    assert!(key.starts_with("ASIA"));
    let v = inspector(addr, key, "/status/batch/get", json!({})).await.json();
    assert_eq!(v["accounts"][0]["accountId"], "333333333333");

    let r = http(
        addr,
        "POST",
        "/",
        &hdrs,
        b"Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A3333%3Arole%2FAudit&RoleSessionName=s1",
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.text().contains("<Code>ValidationError</Code>"));

    let log = control(addr, "GET", "/_emulator/requests", json!(null)).await;
    assert_eq!(log["counts"]["GetCallerIdentity"], 1);
    assert_eq!(log["counts"]["AssumeRole"], 2);
    assert_eq!(log["log"][1]["external_id"], "xyz123");
    assert_eq!(log["log"][1]["role_arn"], "arn:aws:iam::333333333333:role/Audit");
}

#[tokio::test]
async fn control_basics_and_reset() {
    let addr = start().await;
    assert_eq!(control(addr, "GET", "/_emulator/health", json!(null)).await, json!({"ok": true}));
    control(addr, "PUT", "/_emulator/accounts/222222222222", json!({"suspended": true})).await;
    let v = control(addr, "GET", "/_emulator/accounts", json!(null)).await;
    assert_eq!(v["accounts"][0]["status"], "SUSPENDED");
    control(addr, "POST", "/_emulator/reset", json!(null)).await;
    let v = control(addr, "GET", "/_emulator/accounts", json!(null)).await;
    assert_eq!(v["accounts"], json!([]));
    let r = http(addr, "GET", "/_emulator/nope", &[], b"").await;
    assert_eq!(r.status, 404);
    // Unsigned Inspector2 call: routed by path, acts as the default account.
    let r = http(addr, "POST", "/status/batch/get", &[], b"{}").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["accounts"][0]["accountId"], "123456789012");
}

#[tokio::test]
async fn latency_applies_to_aws_calls_only() {
    let addr = start().await;
    control(addr, "PUT", "/_emulator/config", json!({"latency_ms": 60})).await;
    let t = std::time::Instant::now();
    let r = inspector(addr, "AK", "/status/batch/get", json!({})).await;
    assert_eq!(r.status, 200);
    assert!(t.elapsed() >= std::time::Duration::from_millis(60));
    let t = std::time::Instant::now();
    control(addr, "GET", "/_emulator/health", json!(null)).await;
    assert!(t.elapsed() < std::time::Duration::from_millis(60));
}

#[test]
fn binary_prints_address_and_exits_on_stdin_close() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_inspector2fix-emulator"))
        .args(["--port", "0", "--exit-on-stdin-close"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let port: u16 = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.ends_with("{\"ok\":true}"), "{resp}");
    drop(child.stdin.take());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("emulator did not exit after stdin closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

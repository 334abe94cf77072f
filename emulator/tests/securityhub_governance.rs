//! Security Hub standards control associations and organization configuration over real
//! HTTP/1.1, and a disabled Inspector.2 producing no findings.

mod common;

use std::net::SocketAddr;

use common::{auth_in, control, http, start, Resp};
use serde_json::{json, Value};

const ADMIN: &str = "111111111111";
const MEMBER: &str = "222222222222";
const FSBP: &str = "aws-foundational-security-best-practices/v/1.0.0";
const NIST: &str = "nist-800-53/v/5.0.0";

fn arn(region: &str, standard: &str) -> String {
    format!("arn:aws:securityhub:{region}::standards/{standard}")
}

async fn sh(addr: SocketAddr, account: &str, region: &str, method: &str, path: &str, body: Value) -> Resp {
    let a = auth_in(&format!("AKIA{account}"), region, "securityhub");
    let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
    http(addr, method, path, &[("Authorization", a.as_str()), ("Content-Type", "application/json")], &body).await
}

async fn setup() -> SocketAddr {
    let addr = start().await;
    let creds: serde_json::Map<String, Value> =
        [ADMIN, MEMBER].iter().map(|a| (format!("AKIA{a}"), json!(a))).collect();
    control(
        addr,
        "PUT",
        "/_emulator/config",
        json!({"credentials": creds, "delegated_admin": ADMIN, "members": [MEMBER]}),
    )
    .await;
    addr
}

#[tokio::test]
async fn associations_list_and_batch_get_follow_the_control_api() {
    let addr = setup().await;
    let list = "/associations?SecurityControlId=Inspector.2";
    let r = sh(addr, ADMIN, "us-east-1", "GET", list, Value::Null).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let s = &v["StandardsControlAssociationSummaries"];
    assert_eq!(s.as_array().map(Vec::len), Some(1), "FSBP only by default: {v}");
    assert_eq!(
        (s[0]["StandardsArn"].as_str(), s[0]["AssociationStatus"].as_str()),
        (Some(arn("us-east-1", FSBP).as_str()), Some("ENABLED"))
    );
    assert_eq!(
        s[0]["SecurityControlArn"],
        format!("arn:aws:securityhub:us-east-1:{ADMIN}:security-control/Inspector.2")
    );
    assert!(s[0].get("UpdatedReason").is_none());
    // Two standards, Inspector.2 disabled in one of them, in eu-west-1 only.
    control(
        addr,
        "PUT",
        &format!("/_emulator/securityhub/standards/{ADMIN}?region=eu-west-1"),
        json!({"standards": [FSBP, NIST]}),
    )
    .await;
    let body =
        json!({"status": "DISABLED", "reason": "ECR is not used here", "standards": [NIST], "region": "eu-west-1"});
    let view = control(addr, "PUT", &format!("/_emulator/securityhub/associations/{ADMIN}"), body).await;
    assert_eq!(view["control_disabled"], false, "still on in FSBP: {view}");
    let v = sh(addr, ADMIN, "eu-west-1", "GET", &format!("{list}&MaxResults=1"), Value::Null).await.json();
    assert_eq!(v["StandardsControlAssociationSummaries"][0]["AssociationStatus"], "ENABLED");
    let token = v["NextToken"].as_str().expect("a second page").to_string();
    let v = sh(addr, ADMIN, "eu-west-1", "GET", &format!("{list}&MaxResults=1&NextToken={token}"), Value::Null)
        .await
        .json();
    let nist = &v["StandardsControlAssociationSummaries"][0];
    assert_eq!(
        (nist["StandardsArn"].as_str(), nist["AssociationStatus"].as_str()),
        (Some(arn("eu-west-1", NIST).as_str()), Some("DISABLED"))
    );
    assert_eq!(nist["UpdatedReason"], "ECR is not used here");
    assert!(nist["UpdatedAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{nist}");
    assert!(v.get("NextToken").is_none());
    // BatchGet: known pairs in detail, others unprocessed.
    let ids = json!({"StandardsControlAssociationIds": [
        {"SecurityControlId": "Inspector.2", "StandardsArn": arn("eu-west-1", NIST)},
        {"SecurityControlId": "Inspector.2", "StandardsArn": arn("us-east-1", NIST)},
        {"SecurityControlId": "Nope.1", "StandardsArn": arn("eu-west-1", FSBP)}]});
    let r = sh(addr, ADMIN, "eu-west-1", "POST", "/associations/batchGet", ids).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let d = &v["StandardsControlAssociationDetails"];
    assert_eq!((d.as_array().map(Vec::len), d[0]["AssociationStatus"].as_str()), (Some(1), Some("DISABLED")));
    assert_eq!(
        d[0]["StandardsControlArns"][0],
        format!("arn:aws:securityhub:eu-west-1:{ADMIN}:control/{NIST}/Inspector.2")
    );
    let u = v["UnprocessedAssociations"].as_array().unwrap();
    assert_eq!(u.len(), 2);
    assert!(u.iter().all(|e| e["ErrorCode"] == "RESOURCE_NOT_FOUND"), "{v}");
    // Errors.
    for (method, path, body) in [
        ("GET", "/associations".to_string(), Value::Null),
        ("GET", "/associations?SecurityControlId=Nope.1".to_string(), Value::Null),
        ("GET", format!("{list}&MaxResults=0"), Value::Null),
        ("GET", format!("{list}&NextToken=x"), Value::Null),
        ("POST", "/associations/batchGet".to_string(), json!({"StandardsControlAssociationIds": []})),
        (
            "POST",
            "/associations/batchGet".to_string(),
            json!({"StandardsControlAssociationIds": [{"SecurityControlId": "Inspector.2"}]}),
        ),
    ] {
        let r = sh(addr, ADMIN, "eu-west-1", method, &path, body).await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("InvalidInputException")), "{method} {path}");
    }
    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    assert_eq!(log["counts"]["ListStandardsControlAssociations"], 7);
    assert_eq!(log["counts"]["BatchGetStandardsControlAssociations"], 3);
    assert_eq!(log["log"][0]["security_control_id"], "Inspector.2");
}

#[tokio::test]
async fn organization_configuration_for_the_administrator_only() {
    let addr = setup().await;
    let path = "/organization/configuration";
    let r = sh(addr, ADMIN, "us-east-1", "GET", path, Value::Null).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["OrganizationConfiguration"], json!({"ConfigurationType": "LOCAL", "Status": "ENABLED"}));
    assert_eq!((v["AutoEnable"].as_bool(), v["AutoEnableStandards"].as_str()), (Some(true), Some("DEFAULT")));
    control(addr, "PUT", "/_emulator/securityhub/organization", json!({"configuration_type": "CENTRAL"})).await;
    let v = sh(addr, ADMIN, "us-east-1", "GET", path, Value::Null).await.json();
    assert_eq!(v["OrganizationConfiguration"]["ConfigurationType"], "CENTRAL");
    assert_eq!((v["AutoEnable"].as_bool(), v["AutoEnableStandards"].as_str()), (Some(false), Some("NONE")));
    let r = sh(addr, MEMBER, "us-east-1", "GET", path, Value::Null).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (401, Some("InvalidAccessException")));
    assert!(r.json()["Message"].as_str().unwrap().contains(MEMBER));
    // Another Region has its own configuration; a separate Security Hub administrator may be set.
    let v = sh(addr, ADMIN, "eu-west-1", "GET", path, Value::Null).await.json();
    assert_eq!(v["OrganizationConfiguration"]["ConfigurationType"], "LOCAL");
    control(addr, "PUT", "/_emulator/securityhub/organization?region=eu-west-1", json!({"admin": MEMBER})).await;
    assert_eq!(sh(addr, MEMBER, "eu-west-1", "GET", path, Value::Null).await.status, 200);
    assert_eq!(sh(addr, ADMIN, "eu-west-1", "GET", path, Value::Null).await.status, 401);
    for bad in [json!({"configuration_type": "GLOBAL"}), json!({"admin": "1"}), json!({"x": 1})] {
        let r = http(addr, "PUT", "/_emulator/securityhub/organization", &[], bad.to_string().as_bytes()).await;
        assert_eq!(r.status, 400, "{bad}");
    }
    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    let services: Vec<&str> = log["log"].as_array().unwrap().iter().map(|e| e["service"].as_str().unwrap()).collect();
    assert!(services.iter().all(|s| *s == "securityhub"), "{services:?}");
    assert_eq!(log["counts"]["DescribeOrganizationConfiguration"], 6);
}

/// The evaluated Inspector.2 findings of ADMIN as GetFindings returns them: (compliance, record state).
async fn inspector2_findings(addr: SocketAddr) -> Vec<(String, String)> {
    let filters =
        json!({"Filters": {"ComplianceSecurityControlId": [{"Value": "Inspector.2", "Comparison": "EQUALS"}]}});
    let r = sh(addr, ADMIN, "us-east-1", "POST", "/findings", filters).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    v["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["Compliance"]["Status"].as_str().unwrap().to_string(), f["RecordState"].as_str().unwrap().to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_disabled_inspector2_has_no_findings() {
    let addr = setup().await;
    assert_eq!(inspector2_findings(addr).await, [("FAILED".to_string(), "ACTIVE".to_string())]);
    let path = format!("/_emulator/securityhub/associations/{ADMIN}");
    let v = control(addr, "PUT", &path, json!({"status": "DISABLED", "reason": "by central configuration"})).await;
    assert_eq!(v["control_disabled"], true);
    assert_eq!(
        inspector2_findings(addr).await,
        [("FAILED".to_string(), "ARCHIVED".to_string())],
        "archived, not evaluated"
    );
    // Enabled again: evaluated and active again.
    control(addr, "PUT", &path, json!({"status": "ENABLED"})).await;
    assert_eq!(inspector2_findings(addr).await, [("FAILED".to_string(), "ACTIVE".to_string())]);
    // An account whose control was disabled before it had a finding gets none at all.
    control(
        addr,
        "PUT",
        &format!("/_emulator/securityhub/associations/{ADMIN}?region=eu-west-1"),
        json!({"status": "DISABLED"}),
    )
    .await;
    let filters =
        json!({"Filters": {"ComplianceSecurityControlId": [{"Value": "Inspector.2", "Comparison": "EQUALS"}]}});
    let v = sh(addr, ADMIN, "eu-west-1", "POST", "/findings", filters).await.json();
    assert_eq!(v["Findings"], json!([]));
    for bad in [
        json!({"status": "OFF"}),
        json!({"status": "DISABLED", "control_id": "Nope.9"}),
        json!({"status": "DISABLED", "standards": ["x"]}),
    ] {
        let r = http(addr, "PUT", &path, &[], bad.to_string().as_bytes()).await;
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn every_operation_needs_security_hub_on() {
    let addr = setup().await;
    control(addr, "PUT", &format!("/_emulator/accounts/{ADMIN}"), json!({"securityhub_enabled": false})).await;
    let ids = json!({"StandardsControlAssociationIds": [{"SecurityControlId": "Inspector.2", "StandardsArn": arn("us-east-1", FSBP)}]});
    for (method, path, body) in [
        ("GET", "/associations?SecurityControlId=Inspector.2", Value::Null),
        ("POST", "/associations/batchGet", ids),
        ("GET", "/organization/configuration", Value::Null),
    ] {
        let r = sh(addr, ADMIN, "us-east-1", method, path, body).await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (401, Some("InvalidAccessException")), "{path}");
        assert!(r.json()["Message"].as_str().unwrap().contains("not subscribed"), "{path}");
    }
}

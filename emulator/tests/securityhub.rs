//! Security Hub end to end over real HTTP/1.1 (in-process server, raw TcpStream client).

mod common;

use std::net::SocketAddr;

use common::{auth, control, http, start, Resp};
use serde_json::{json, Value};

const HOME: &str = "111111111111";
const PRODUCT_ARN: &str = "arn:aws:securityhub:us-east-1::product/aws/securityhub";

/// A Security Hub call signed (scope only) with access key `akid`.
async fn sh(addr: SocketAddr, akid: &str, method: &str, path: &str, body: Value) -> Resp {
    let a = auth(akid, "securityhub");
    let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
    http(addr, method, path, &[("Authorization", a.as_str()), ("Content-Type", "application/json")], &body).await
}

/// Maps AKIAHOME to HOME and turns off the Inspector.2 evaluation (exact control).
async fn setup(addr: SocketAddr) {
    control(addr, "PUT", "/_emulator/config", json!({"credentials": {"AKIAHOME": HOME}, "evaluate_inspector2": false}))
        .await;
}

/// 250 FAILED / NEW Inspector.2 findings in HOME over three accounts, noise the filters must
/// exclude, and another hub's findings.
async fn seed_paging_fixture(addr: SocketAddr) {
    let members = ["222222222222", "333333333333", "444444444444"];
    let v = control(
        addr,
        "POST",
        "/_emulator/securityhub/findings",
        json!({"account_id": HOME, "generate": {"control_id": "Inspector.2", "count": 250,
               "compliance_status": "FAILED", "workflow_status": "NEW", "account_ids": members}}),
    )
    .await;
    assert_eq!(v["added"], 250);
    // Noise that the filters must exclude.
    control(
        addr,
        "POST",
        "/_emulator/securityhub/findings",
        json!({"account_id": HOME,
               "generate": {"control_id": "Inspector.2", "count": 30, "compliance_status": "PASSED"},
               "findings": [
                 {"AwsAccountId": "222222222222", "SecurityControlId": "Inspector.2",
                  "ComplianceStatus": "FAILED", "WorkflowStatus": "SUPPRESSED"},
                 {"AwsAccountId": "222222222222", "SecurityControlId": "Inspector.1",
                  "ComplianceStatus": "FAILED"},
                 {"AwsAccountId": "222222222222", "SecurityControlId": "Inspector.2",
                  "ComplianceStatus": "FAILED", "RecordState": "ARCHIVED"}]}),
    )
    .await;
    // Someone else's hub is separate.
    control(
        addr,
        "POST",
        "/_emulator/securityhub/findings",
        json!({"account_id": "999999999999", "generate": {"control_id": "Inspector.2", "count": 5}}),
    )
    .await;
}

/// Every GetFindings page for `filters`, 100 at a time: (pages, Ids in order).
async fn all_pages(addr: SocketAddr, filters: &Value) -> (usize, Vec<String>) {
    let mut ids: Vec<String> = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut body = json!({"Filters": filters, "MaxResults": 100,
            "SortCriteria": [{"Field": "UpdatedAt", "SortOrder": "desc"}]});
        if let Some(t) = &token {
            body["NextToken"] = json!(t);
        }
        let r = sh(addr, "AKIAHOME", "POST", "/findings", body).await;
        assert_eq!(r.status, 200);
        let v = r.json();
        pages += 1;
        for f in v["Findings"].as_array().unwrap() {
            assert_eq!(f["Compliance"]["Status"], "FAILED");
            assert_eq!(f["Workflow"]["Status"], "NEW");
            assert_eq!(f["ProductArn"], PRODUCT_ARN);
            assert_eq!(f["SchemaVersion"], "2018-10-08");
            assert_eq!(f["Resources"][0]["Type"], "AwsAccount");
            ids.push(f["Id"].as_str().unwrap().to_string());
        }
        match v.get("NextToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_string()),
            None => break,
        }
    }
    (pages, ids)
}

#[tokio::test]
async fn get_findings_pages_with_filters() {
    let addr = start().await;
    setup(addr).await;
    seed_paging_fixture(addr).await;
    let filters = json!({
        "ComplianceSecurityControlId": [{"Value": "Inspector.2", "Comparison": "EQUALS"}],
        "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        "WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"},
                           {"Value": "NOTIFIED", "Comparison": "EQUALS"}],
        "ResourceId": [{"Value": "AWS::::Account:", "Comparison": "PREFIX"}]
    });
    let (pages, ids) = all_pages(addr, &filters).await;
    assert_eq!(pages, 3);
    assert_eq!(ids.len(), 250);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 250);
    assert!(ids
        .iter()
        .all(|i| i.starts_with("arn:aws:securityhub:us-east-1:111111111111:security-control/Inspector.2/finding/")));

    // A token is bound to its filters.
    let v = sh(addr, "AKIAHOME", "POST", "/findings", json!({"Filters": filters, "MaxResults": 10})).await.json();
    let t = v["NextToken"].as_str().unwrap().to_string();
    let r = sh(addr, "AKIAHOME", "POST", "/findings", json!({"MaxResults": 10, "NextToken": t})).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("x-amzn-ErrorType"), Some("InvalidInputException"));
    assert_eq!(r.json()["Message"], "The NextToken is not valid");
    let r = sh(addr, "AKIAHOME", "POST", "/findings", json!({"MaxResults": 101})).await;
    assert_eq!(r.status, 400);

    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    let entries = log["log"].as_array().unwrap();
    assert_eq!(log["counts"]["GetFindings"], 6);
    let first = &entries[0];
    assert_eq!(first["service"], "securityhub");
    assert_eq!(first["operation"], "GetFindings");
    assert_eq!(first["caller"], HOME);
    assert_eq!(first["max_results"], 100);
    assert_eq!(first["has_next_token"], false);
    assert_eq!(first["filters"], filters);
    assert_eq!(first["returned"], 100);
    assert_eq!(entries[2]["has_next_token"], true);
    assert_eq!(entries[2]["returned"], 50);
    let at: Vec<u64> = entries.iter().map(|e| e["at_ms"].as_u64().unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]), "{at:?}");
}

#[tokio::test]
async fn batch_update_with_unprocessed_finding() {
    let addr = start().await;
    setup(addr).await;
    let v = control(
        addr,
        "POST",
        "/_emulator/securityhub/findings",
        json!({"account_id": HOME, "generate": {"control_id": "Inspector.2", "count": 3}}),
    )
    .await;
    let ids: Vec<String> = v["ids"].as_array().unwrap().iter().map(|i| i.as_str().unwrap().to_string()).collect();
    let f = control(
        addr,
        "POST",
        "/_emulator/faults",
        json!({"kind": "unprocessed_finding", "finding_id": ids[2],
               "code": "ConcurrentUpdateError", "message": "try again", "times": 1}),
    )
    .await;
    assert_eq!(f["kind"], "unprocessed_finding");
    assert_eq!(f["operation"], "BatchUpdateFindings");

    let idents: Vec<Value> = ids
        .iter()
        .map(|i| json!({"Id": i, "ProductArn": PRODUCT_ARN}))
        .chain([json!({"Id": "arn:aws:securityhub:us-east-1:111111111111:security-control/Inspector.2/finding/nope", "ProductArn": PRODUCT_ARN})])
        .collect();
    let r = sh(
        addr,
        "AKIAHOME",
        "PATCH",
        "/findings/batchupdate",
        json!({"FindingIdentifiers": idents, "Workflow": {"Status": "SUPPRESSED"},
               "Note": {"Text": "Suppressed by terraform", "UpdatedBy": "inspector2fix"}}),
    )
    .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let processed: Vec<&str> =
        v["ProcessedFindings"].as_array().unwrap().iter().map(|p| p["Id"].as_str().unwrap()).collect();
    assert_eq!(processed, vec![ids[0].as_str(), ids[1].as_str()]);
    let un = v["UnprocessedFindings"].as_array().unwrap();
    assert_eq!(un.len(), 2);
    assert_eq!(un[0]["FindingIdentifier"]["Id"], ids[2].as_str());
    assert_eq!(un[0]["FindingIdentifier"]["ProductArn"], PRODUCT_ARN);
    assert_eq!(un[0]["ErrorCode"], "ConcurrentUpdateError");
    assert_eq!(un[0]["ErrorMessage"], "try again");
    assert_eq!(un[1]["ErrorCode"], "FindingNotFound");

    let v = control(addr, "GET", &format!("/_emulator/securityhub/findings?account_id={HOME}"), Value::Null).await;
    let by_id = |id: &str| v["findings"].as_array().unwrap().iter().find(|f| f["Id"] == id).unwrap().clone();
    assert_eq!(by_id(&ids[0])["Workflow"]["Status"], "SUPPRESSED");
    assert_eq!(by_id(&ids[0])["Note"]["Text"], "Suppressed by terraform");
    assert_eq!(by_id(&ids[0])["Note"]["UpdatedBy"], "inspector2fix");
    assert_eq!(by_id(&ids[2])["Workflow"]["Status"], "NEW");
    assert!(by_id(&ids[2]).get("Note").is_none());

    // The fault was used once: the retry of the leftover finding goes through.
    let r = sh(
        addr,
        "AKIAHOME",
        "PATCH",
        "/findings/batchupdate",
        json!({"FindingIdentifiers": [{"Id": ids[2], "ProductArn": PRODUCT_ARN}],
               "Workflow": {"Status": "SUPPRESSED"}}),
    )
    .await;
    assert_eq!(r.json()["UnprocessedFindings"], json!([]));

    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    let e = &log["log"][0];
    assert_eq!(e["operation"], "BatchUpdateFindings");
    assert_eq!(e["workflow_status"], "SUPPRESSED");
    assert_eq!(e["finding_ids"].as_array().unwrap().len(), 4);
    assert_eq!(e["finding_ids"][0], ids[0].as_str());
}

#[tokio::test]
async fn hub_off_is_401_and_throttle_is_limit_exceeded() {
    let addr = start().await;
    setup(addr).await;
    let v = control(addr, "PUT", &format!("/_emulator/accounts/{HOME}"), json!({"securityhub_enabled": false})).await;
    assert_eq!(v["securityhub_enabled"], false);
    let r = sh(addr, "AKIAHOME", "GET", "/accounts", Value::Null).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.header("x-amzn-ErrorType"), Some("InvalidAccessException"));
    let b = r.json();
    assert_eq!(b["Message"], "Account 111111111111 is not subscribed to AWS Security Hub");
    assert_eq!(b["Code"], "InvalidAccessException");
    let r = sh(addr, "AKIAHOME", "POST", "/findings", json!({})).await;
    assert_eq!(r.status, 401);
    // Other accounts are unaffected (unsigned = default account).
    let r = http(addr, "GET", "/accounts", &[], b"").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["HubArn"], "arn:aws:securityhub:us-east-1:123456789012:hub/default");

    control(addr, "PUT", &format!("/_emulator/accounts/{HOME}"), json!({"securityhub_enabled": true})).await;
    control(
        addr,
        "POST",
        "/_emulator/faults",
        json!([{"kind": "throttle", "operation": "GetFindings", "times": 2},
               {"kind": "throttle", "operation": "*", "times": 1}]),
    )
    .await;
    for _ in 0..2 {
        let r = sh(addr, "AKIAHOME", "POST", "/findings", json!({})).await;
        assert_eq!(r.status, 429);
        assert_eq!(r.header("x-amzn-ErrorType"), Some("LimitExceededException"));
        assert_eq!(r.header("Retry-After"), Some("0"));
        assert_eq!(r.json()["Code"], "LimitExceededException");
    }
    let r = sh(addr, "AKIAHOME", "POST", "/securityControls/batchGet", json!({"SecurityControlIds": ["Inspector.2"]}))
        .await;
    assert_eq!(r.status, 429);
    let r = sh(
        addr,
        "AKIAHOME",
        "POST",
        "/securityControls/batchGet",
        json!({"SecurityControlIds": ["Inspector.2", "Inspector.9"]}),
    )
    .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["SecurityControls"][0]["SeverityRating"], "HIGH");
    assert_eq!(v["UnprocessedIds"][0]["ErrorCode"], "NOT_FOUND");
    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    let faulted = log["log"].as_array().unwrap().iter().filter(|e| e["fault"] == true).count();
    assert_eq!(faulted, 3);
}

#[tokio::test]
async fn inspector2_drives_the_evaluated_finding() {
    let addr = start().await;
    control(
        addr,
        "PUT",
        "/_emulator/config",
        json!({"credentials": {"AKIAHOME": HOME}, "delegated_admin": HOME,
               "members": ["222222222222"]}),
    )
    .await;
    let get = || async {
        let v = sh(addr, "AKIAHOME", "POST", "/findings", json!({})).await.json();
        v["Findings"].as_array().unwrap().clone()
    };
    let f = get().await;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["Compliance"]["Status"], "FAILED");
    control(addr, "PUT", &format!("/_emulator/accounts/{HOME}"), json!({"resource_state": {"ECR": "ENABLED"}})).await;
    control(addr, "PUT", "/_emulator/accounts/222222222222", json!({"resource_state": {"ECR": "ENABLED"}})).await;
    let f = get().await;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["Compliance"]["Status"], "PASSED");
    assert_eq!(f[0]["Workflow"]["Status"], "RESOLVED");
}

/// Enable and BatchGetAccountStatus over the wire move the evaluated finding: ENABLING is not
/// ENABLED, and only a status poll settles the transition.
#[tokio::test]
async fn inspector2_calls_settle_the_evaluated_finding() {
    let addr = start().await;
    control(addr, "PUT", "/_emulator/config", json!({"credentials": {"AKIAHOME": HOME}})).await;
    let inspector = |path: &'static str, body: Value| async move {
        let a = auth("AKIAHOME", "inspector2");
        let r = http(addr, "POST", path, &[("Authorization", a.as_str())], body.to_string().as_bytes()).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
    };
    let compliance = || async {
        let v = sh(addr, "AKIAHOME", "POST", "/findings", json!({})).await.json();
        let f = v["Findings"].as_array().expect("Findings").clone();
        assert_eq!(f.len(), 1, "{v}");
        f[0]["Compliance"]["Status"].as_str().expect("Compliance.Status").to_string()
    };
    inspector("/enable", json!({"resourceTypes": ["ECR"]})).await;
    assert_eq!(compliance().await, "FAILED");
    inspector("/status/batch/get", json!({})).await;
    assert_eq!(compliance().await, "PASSED");
}

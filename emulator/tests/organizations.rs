//! AWS Organizations over real HTTP/1.1 with its wire encoding (awsJson1_1: `POST /`,
//! `X-Amz-Target`, errors as `{"__type", "Message"}` with `x-amzn-ErrorType`), and Inspector2
//! obeying the effective Inspector policies.

mod common;

use std::net::SocketAddr;

use common::{auth_in, control, http, start, Resp};
use serde_json::{json, Value};

const MGMT: &str = "111111111111";
const MEMBER: &str = "222222222222";
const ADMIN: &str = "333333333333";
const OTHER: &str = "444444444444";
const OUTSIDER: &str = "999999999999";

fn key(account: &str) -> String {
    format!("AKIA{account}")
}

async fn orgs(addr: SocketAddr, account: &str, op: &str, body: Value) -> Resp {
    let a = auth_in(&key(account), "us-east-1", "organizations");
    let target = format!("AWSOrganizationsV20161128.{op}");
    let headers = [
        ("Authorization", a.as_str()),
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", target.as_str()),
    ];
    http(addr, "POST", "/", &headers, body.to_string().as_bytes()).await
}

/// A successful Organizations call: its JSON body, checked for the awsJson1_1 content type.
async fn ok(addr: SocketAddr, account: &str, op: &str, body: Value) -> Value {
    let r = orgs(addr, account, op, body).await;
    assert_eq!(r.status, 200, "{op}: {}", r.text());
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"), "{op}");
    r.json()
}

/// A refused Organizations call: its code (from the header and `__type`, which must agree) and body.
async fn refused(addr: SocketAddr, account: &str, op: &str, body: Value) -> (String, Value) {
    let r = orgs(addr, account, op, body).await;
    assert_eq!(r.status, 400, "{op}: {}", r.text());
    let v = r.json();
    let code = r.header("x-amzn-ErrorType").unwrap_or_else(|| panic!("{op}: no x-amzn-ErrorType")).to_string();
    assert_eq!(v["__type"], code.as_str(), "{op}: {v}");
    assert!(v["Message"].as_str().is_some_and(|m| !m.is_empty()), "{op}: {v}");
    (code, v)
}

async fn inspector_in(addr: SocketAddr, region: &str, account: &str, path: &str, body: Value) -> Resp {
    let a = auth_in(&key(account), region, "inspector2");
    let headers = [("Authorization", a.as_str()), ("Content-Type", "application/json")];
    http(addr, "POST", path, &headers, body.to_string().as_bytes()).await
}

/// An emulator with credentials for every account of these tests and, unless `bare`, the
/// organization: Prod (Web inside it) and the root, MEMBER in Web, ADMIN and OTHER in the root.
async fn world(bare: bool) -> (SocketAddr, Value) {
    let addr = start().await;
    let creds: serde_json::Map<String, Value> =
        [MGMT, MEMBER, ADMIN, OTHER, OUTSIDER].iter().map(|a| (key(a), json!(a))).collect();
    control(addr, "PUT", "/_emulator/config", json!({ "credentials": creds })).await;
    if bare {
        return (addr, Value::Null);
    }
    let tree = json!({"management_account": MGMT, "policy_admin": ADMIN,
        "ous": [{"name": "Prod"}, {"name": "Web", "parent": "Prod"}],
        "accounts": {MEMBER: "Web", ADMIN: "Root", OTHER: "Root"}});
    let view = control(addr, "PUT", "/_emulator/organizations", tree).await;
    (addr, view)
}

fn ou_id(view: &Value, name: &str) -> String {
    let ous = view["ous"].as_array().expect("ous");
    ous.iter().find(|o| o["name"] == name).and_then(|o| o["id"].as_str()).expect("the OU").to_string()
}

fn ecr_policy(enable: Value, disable: Value) -> String {
    json!({"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": enable, "disable_in_regions": disable}}}})
        .to_string()
}

async fn create(addr: SocketAddr, account: &str, name: &str, content: &str) -> String {
    let body = json!({"Name": name, "Description": "", "Type": "INSPECTOR_POLICY", "Content": content});
    let v = ok(addr, account, "CreatePolicy", body).await;
    v["Policy"]["PolicySummary"]["Id"].as_str().expect("a policy id").to_string()
}

#[tokio::test]
async fn callers_outside_the_organization_or_without_rights_are_refused() {
    let (addr, _) = world(true).await;
    let (code, v) = refused(addr, MGMT, "ListRoots", json!({})).await;
    assert_eq!(code, "AWSOrganizationsNotInUseException", "{v}");
    let body = json!({"management_account": MGMT, "accounts": {MEMBER: "Root", ADMIN: "Root"}, "policy_admin": ADMIN});
    control(addr, "PUT", "/_emulator/organizations", body).await;
    assert_eq!(refused(addr, OUTSIDER, "ListRoots", json!({})).await.0, "AWSOrganizationsNotInUseException");
    let (code, v) = refused(addr, MEMBER, "ListPolicies", json!({"Filter": "INSPECTOR_POLICY"})).await;
    assert_eq!(
        (code.as_str(), v["Message"].as_str()),
        ("AccessDeniedException", Some("You don't have permissions to access this resource."))
    );
    // A member may read the organization and its own effective policy (none here).
    let v = ok(addr, MEMBER, "DescribeOrganization", json!({})).await;
    assert_eq!(v["Organization"]["MasterAccountId"], MGMT);
    let (code, _) = refused(addr, MEMBER, "DescribeEffectivePolicy", json!({"PolicyType": "INSPECTOR_POLICY"})).await;
    assert_eq!(code, "EffectivePolicyNotFoundException");
    let other = json!({"PolicyType": "INSPECTOR_POLICY", "TargetId": ADMIN});
    assert_eq!(refused(addr, MEMBER, "DescribeEffectivePolicy", other).await.0, "AccessDeniedException");
    // The delegated policy administrator reads and manages policies but cannot enable policy types.
    let roots = ok(addr, ADMIN, "ListRoots", json!({})).await;
    let root = roots["Roots"][0]["Id"].as_str().unwrap().to_string();
    assert!(root.starts_with("r-") && roots["Roots"][0]["Arn"].as_str().unwrap().ends_with(&root), "{roots}");
    assert_eq!(roots["Roots"][0]["PolicyTypes"], json!([]));
    let enable = json!({"RootId": root, "PolicyType": "INSPECTOR_POLICY"});
    assert_eq!(refused(addr, ADMIN, "EnablePolicyType", enable.clone()).await.0, "AccessDeniedException");
    let v = ok(addr, MGMT, "EnablePolicyType", enable.clone()).await;
    assert_eq!(v["Root"]["PolicyTypes"], json!([{"Type": "INSPECTOR_POLICY", "Status": "ENABLED"}]));
    assert_eq!(refused(addr, MGMT, "EnablePolicyType", enable).await.0, "PolicyTypeAlreadyEnabledException");
    let wrong_root = json!({"RootId": "r-zzzz", "PolicyType": "INSPECTOR_POLICY"});
    assert_eq!(refused(addr, MGMT, "EnablePolicyType", wrong_root).await.0, "RootNotFoundException");
    // The request log names each call as AWS does, with its service.
    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    assert_eq!(log["counts"]["ListRoots"], 3);
    assert_eq!(log["counts"]["EnablePolicyType"], 4);
    let first = &log["log"][0];
    assert_eq!((first["service"].as_str(), first["operation"].as_str()), (Some("organizations"), Some("ListRoots")));
}

/// DescribeOrganization answers every account of the organization, whatever its role, and
/// AWSOrganizationsNotInUseException to an account outside it or while there is none: the
/// provider reads that answer as proof of a standalone account.
#[tokio::test]
async fn describe_organization_answers_every_account_in_it_and_no_one_outside() {
    let (addr, _) = world(true).await;
    for account in [MGMT, OUTSIDER] {
        let (code, _) = refused(addr, account, "DescribeOrganization", json!({})).await;
        assert_eq!(code, "AWSOrganizationsNotInUseException", "{account}, no organization yet");
    }
    let body = json!({"management_account": MGMT, "accounts": {MEMBER: "Root", ADMIN: "Root", OTHER: "Root"}, "policy_admin": ADMIN});
    let view = control(addr, "PUT", "/_emulator/organizations", body).await;
    let id = view["id"].as_str().expect("an organization id").to_string();
    for account in [MGMT, MEMBER, ADMIN, OTHER] {
        let v = ok(addr, account, "DescribeOrganization", json!({})).await;
        let o = &v["Organization"];
        assert_eq!(
            (o["Id"].as_str(), o["MasterAccountId"].as_str()),
            (Some(id.as_str()), Some(MGMT)),
            "{account}: {v}"
        );
    }
    let (code, v) = refused(addr, OUTSIDER, "DescribeOrganization", json!({})).await;
    assert_eq!(code, "AWSOrganizationsNotInUseException", "{v}");
    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    assert_eq!(log["counts"]["DescribeOrganization"], 7);
}

#[tokio::test]
async fn policy_lifecycle_and_its_errors() {
    let (addr, view) = world(false).await;
    let (prod, root) = (ou_id(&view, "Prod"), view["root_id"].as_str().unwrap().to_string());
    let content = ecr_policy(json!({"@@assign": ["ALL_SUPPORTED"]}), json!({"@@assign": []}));
    let id = create(addr, MGMT, "ecr-everywhere", &content).await;
    assert!(id.starts_with("p-"), "{id}");
    let v = ok(addr, MGMT, "DescribePolicy", json!({"PolicyId": id})).await;
    assert_eq!(v["Policy"]["Content"], content.as_str());
    let summary = &v["Policy"]["PolicySummary"];
    assert_eq!((summary["Type"].as_str(), summary["AwsManaged"].as_bool()), (Some("INSPECTOR_POLICY"), Some(false)));
    assert!(summary["Arn"].as_str().unwrap().contains(&format!("/inspector_policy/{id}")), "{summary}");
    // Errors of creation.
    let dup = json!({"Name": "ecr-everywhere", "Description": "", "Type": "INSPECTOR_POLICY", "Content": content});
    assert_eq!(refused(addr, MGMT, "CreatePolicy", dup).await.0, "DuplicatePolicyException");
    let bad = json!({"Name": "bad", "Description": "", "Type": "INSPECTOR_POLICY",
        "Content": r#"{"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {"@@assign": ["moon-1"]}}}}}"#});
    let (code, v) = refused(addr, MGMT, "CreatePolicy", bad).await;
    assert_eq!(code, "MalformedPolicyDocumentException");
    assert!(v["Message"].as_str().unwrap().contains("moon-1"), "{v}");
    let (code, v) =
        refused(addr, MGMT, "CreatePolicy", json!({"Name": "x", "Type": "INSPECTOR_POLICY", "Content": "{}"})).await;
    assert_eq!((code.as_str(), v["Reason"].as_str()), ("InvalidInputException", Some("INPUT_REQUIRED")));
    let (code, v) =
        refused(addr, MGMT, "CreatePolicy", json!({"Name": "x", "Description": "", "Type": "NOPE", "Content": "{}"}))
            .await;
    assert_eq!((code.as_str(), v["Reason"].as_str()), ("InvalidInputException", Some("INVALID_ENUM_POLICY_TYPE")));
    // Attaching needs the policy type enabled on the root.
    let attach = json!({"PolicyId": id, "TargetId": prod});
    assert_eq!(refused(addr, MGMT, "AttachPolicy", attach.clone()).await.0, "PolicyTypeNotEnabledException");
    ok(addr, MGMT, "EnablePolicyType", json!({"RootId": root, "PolicyType": "INSPECTOR_POLICY"})).await;
    assert_eq!(ok(addr, ADMIN, "AttachPolicy", attach.clone()).await, json!({}));
    assert_eq!(refused(addr, MGMT, "AttachPolicy", attach.clone()).await.0, "DuplicatePolicyAttachmentException");
    for (target, code, reason) in [
        ("ou-zzzz-zzzzzzzz", "TargetNotFoundException", None),
        (OUTSIDER, "TargetNotFoundException", None),
        ("prod", "InvalidInputException", Some("INVALID_PATTERN_TARGET_ID")),
    ] {
        let (c, v) = refused(addr, MGMT, "AttachPolicy", json!({"PolicyId": id, "TargetId": target})).await;
        assert_eq!((c.as_str(), v["Reason"].as_str()), (code, reason), "{target}");
    }
    let (c, v) = refused(addr, MGMT, "DescribePolicy", json!({"PolicyId": "p-zzzzzzzz"})).await;
    assert_eq!((c.as_str(), v.get("Reason")), ("PolicyNotFoundException", None));
    let (c, v) = refused(addr, MGMT, "DescribePolicy", json!({"PolicyId": "policy-1"})).await;
    assert_eq!((c.as_str(), v["Reason"].as_str()), ("InvalidInputException", Some("INVALID_SYNTAX_POLICY_ID")));
    // Reads of attachments.
    let v = ok(addr, MGMT, "ListTargetsForPolicy", json!({"PolicyId": id})).await;
    assert_eq!(
        v["Targets"],
        json!([{"TargetId": prod, "Arn": v["Targets"][0]["Arn"], "Name": "Prod", "Type": "ORGANIZATIONAL_UNIT"}])
    );
    assert!(v.get("NextToken").is_none());
    let v = ok(addr, MGMT, "ListPoliciesForTarget", json!({"TargetId": prod, "Filter": "INSPECTOR_POLICY"})).await;
    assert_eq!(v["Policies"][0]["Id"], id.as_str());
    let v = ok(addr, MGMT, "ListPoliciesForTarget", json!({"TargetId": MEMBER, "Filter": "INSPECTOR_POLICY"})).await;
    assert_eq!(v["Policies"], json!([]), "inherited policies are not attached to the account");
    // Update: new content and name; the old name is free again.
    let narrower = ecr_policy(json!({"@@assign": ["us-east-1"]}), json!({"@@assign": []}));
    let v = ok(addr, MGMT, "UpdatePolicy", json!({"PolicyId": id, "Name": "ecr-us", "Content": narrower})).await;
    assert_eq!(
        (v["Policy"]["PolicySummary"]["Name"].as_str(), v["Policy"]["Content"].as_str()),
        (Some("ecr-us"), Some(narrower.as_str()))
    );
    let malformed = json!({"PolicyId": id, "Content": "{\"inspector\": 1}"});
    assert_eq!(refused(addr, MGMT, "UpdatePolicy", malformed).await.0, "MalformedPolicyDocumentException");
    // Delete: only once detached.
    assert_eq!(refused(addr, MGMT, "DeletePolicy", json!({"PolicyId": id})).await.0, "PolicyInUseException");
    ok(addr, MGMT, "DetachPolicy", attach.clone()).await;
    assert_eq!(refused(addr, MGMT, "DetachPolicy", attach).await.0, "PolicyNotAttachedException");
    ok(addr, MGMT, "DeletePolicy", json!({"PolicyId": id})).await;
    assert_eq!(refused(addr, MGMT, "DescribePolicy", json!({"PolicyId": id})).await.0, "PolicyNotFoundException");
}

#[tokio::test]
async fn list_policies_filters_by_type_and_pages() {
    let (addr, _) = world(false).await;
    let content = ecr_policy(json!({"@@assign": []}), json!({"@@assign": []}));
    for i in 0..5 {
        create(addr, MGMT, &format!("p{i}"), &content).await;
    }
    let scp = json!({"Name": "scp", "Description": "", "Type": "SERVICE_CONTROL_POLICY", "Content": "{\"Version\": \"2012-10-17\"}"});
    ok(addr, MGMT, "CreatePolicy", scp).await;
    let mut names = Vec::new();
    let mut token = Value::Null;
    loop {
        let v =
            ok(addr, MGMT, "ListPolicies", json!({"Filter": "INSPECTOR_POLICY", "MaxResults": 2, "NextToken": token}))
                .await;
        names.extend(v["Policies"].as_array().unwrap().iter().map(|p| p["Name"].as_str().unwrap().to_string()));
        match v.get("NextToken") {
            Some(t) => token = t.clone(),
            None => break,
        }
    }
    names.sort();
    assert_eq!(names, ["p0", "p1", "p2", "p3", "p4"]);
    let (code, v) = refused(addr, MGMT, "ListPolicies", json!({"Filter": "INSPECTOR_POLICY", "NextToken": "x"})).await;
    assert_eq!((code.as_str(), v["Reason"].as_str()), ("InvalidInputException", Some("INVALID_NEXT_TOKEN")));
    assert_eq!(
        refused(addr, MGMT, "ListPolicies", json!({"Filter": "INSPECTOR_POLICY", "MaxResults": 21})).await.0,
        "InvalidInputException"
    );
    assert_eq!(refused(addr, MGMT, "ListPolicies", json!({})).await.0, "InvalidInputException");
}

#[tokio::test]
async fn effective_policy_inherits_down_root_ou_account() {
    let (addr, view) = world(false).await;
    let root = view["root_id"].as_str().unwrap().to_string();
    ok(addr, MGMT, "EnablePolicyType", json!({"RootId": root, "PolicyType": "INSPECTOR_POLICY"})).await;
    let everywhere = create(
        addr,
        MGMT,
        "root",
        &ecr_policy(json!({"@@assign": ["us-east-1", "eu-west-1"]}), json!({"@@assign": []})),
    )
    .await;
    let web =
        create(addr, MGMT, "web", &ecr_policy(json!({"@@append": ["us-west-2"]}), json!({"@@assign": ["eu-west-1"]})))
            .await;
    ok(addr, MGMT, "AttachPolicy", json!({"PolicyId": everywhere, "TargetId": root})).await;
    ok(addr, MGMT, "AttachPolicy", json!({"PolicyId": web, "TargetId": ou_id(&view, "Web")})).await;
    let v =
        ok(addr, MGMT, "DescribeEffectivePolicy", json!({"PolicyType": "INSPECTOR_POLICY", "TargetId": MEMBER})).await;
    let e = &v["EffectivePolicy"];
    assert_eq!((e["TargetId"].as_str(), e["PolicyType"].as_str()), (Some(MEMBER), Some("INSPECTOR_POLICY")));
    assert!(e["LastUpdatedTimestamp"].as_f64().is_some_and(|t| t > 1.0e9), "{e}");
    let content: Value = serde_json::from_str(e["PolicyContent"].as_str().unwrap()).unwrap();
    assert_eq!(
        content,
        json!({"inspector": {"enablement": {"ecr_scanning": {
            "enable_in_regions": {"@@assign": ["us-east-1", "eu-west-1", "us-west-2"]},
            "disable_in_regions": {"@@assign": ["eu-west-1"]}}}}})
    );
    // An account in the root gets the root's policy only; a member asks about itself.
    let v = ok(addr, OTHER, "DescribeEffectivePolicy", json!({"PolicyType": "INSPECTOR_POLICY"})).await;
    let content: Value = serde_json::from_str(v["EffectivePolicy"]["PolicyContent"].as_str().unwrap()).unwrap();
    assert_eq!(
        content["inspector"]["enablement"]["ecr_scanning"]["enable_in_regions"]["@@assign"],
        json!(["us-east-1", "eu-west-1"])
    );
    for (body, code) in [
        (json!({"PolicyType": "TAG_POLICY", "TargetId": MEMBER}), "EffectivePolicyNotFoundException"),
        (json!({"PolicyType": "SERVICE_CONTROL_POLICY", "TargetId": MEMBER}), "InvalidInputException"),
        (json!({"PolicyType": "INSPECTOR_POLICY", "TargetId": root}), "InvalidInputException"),
        (json!({"PolicyType": "INSPECTOR_POLICY", "TargetId": OUTSIDER}), "TargetNotFoundException"),
    ] {
        assert_eq!(refused(addr, MGMT, "DescribeEffectivePolicy", body.clone()).await.0, code, "{body}");
    }
}

#[tokio::test]
async fn inspector_obeys_the_effective_policy() {
    let (addr, view) = world(false).await;
    let root = view["root_id"].as_str().unwrap().to_string();
    control(addr, "PUT", "/_emulator/config", json!({"delegated_admin": ADMIN, "members": [OTHER]})).await;
    ok(addr, MGMT, "EnablePolicyType", json!({"RootId": root, "PolicyType": "INSPECTOR_POLICY"})).await;
    let id = create(
        addr,
        MGMT,
        "prod",
        &ecr_policy(json!({"@@assign": ["ALL_SUPPORTED"]}), json!({"@@assign": ["eu-west-1"]})),
    )
    .await;
    ok(addr, MGMT, "AttachPolicy", json!({"PolicyId": id, "TargetId": ou_id(&view, "Prod")})).await;
    let ecr = |region: &'static str, account: &'static str| async move {
        let a = control(addr, "GET", &format!("/_emulator/accounts/{account}?region={region}"), Value::Null).await;
        a["resource_state"]["ECR"].as_str().unwrap().to_string()
    };
    // In scope (MEMBER, in Web under Prod): on in every Region but eu-west-1, and associated.
    assert_eq!(ecr("us-east-1", MEMBER).await, "ENABLED");
    assert_eq!(ecr("ap-south-1", MEMBER).await, "ENABLED", "ALL_SUPPORTED reaches a Region first used later");
    assert_eq!(ecr("eu-west-1", MEMBER).await, "DISABLED");
    assert_eq!(ecr("us-east-1", OTHER).await, "DISABLED", "outside Prod");
    let org = control(addr, "GET", "/_emulator/organization?region=ap-south-1", Value::Null).await;
    assert!(
        org["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["account_id"] == MEMBER && m["relationship_status"] == "ENABLED"),
        "{org}"
    );
    // The API cannot go against it: per-account failures, other accounts go ahead.
    let body = json!({"accountIds": [MEMBER, OTHER], "resourceTypes": ["ECR"]});
    let v = inspector_in(addr, "us-east-1", ADMIN, "/disable", body.clone()).await.json();
    let failed = &v["failedAccounts"][0];
    assert_eq!(
        (failed["accountId"].as_str(), failed["errorCode"].as_str()),
        (Some(MEMBER), Some("BLOCKED_BY_ORGANIZATION_POLICY"))
    );
    assert!(failed["errorMessage"].as_str().unwrap().contains("Inspector policy"), "{failed}");
    assert_eq!(failed["resourceStatus"]["ecr"], "ENABLED");
    assert_eq!(v["accounts"][0]["accountId"], OTHER);
    // (In eu-west-1 the policy does not link MEMBER to the administrator; associate it by hand.)
    control(addr, "POST", "/_emulator/members", json!({"account_ids": [MEMBER], "region": "eu-west-1"})).await;
    let v = inspector_in(addr, "eu-west-1", ADMIN, "/enable", body).await.json();
    assert_eq!(v["failedAccounts"][0]["errorCode"], "BLOCKED_BY_ORGANIZATION_POLICY");
    assert_eq!(v["accounts"][0]["accountId"], OTHER);
    // Other scan types are not managed.
    let ec2 = json!({"accountIds": [MEMBER], "resourceTypes": ["EC2"]});
    let v = inspector_in(addr, "eu-west-1", ADMIN, "/enable", ec2).await.json();
    assert_eq!(v["failedAccounts"], json!([]), "{v}");
    // An account that moves into Prod is enabled at once.
    control(addr, "POST", "/_emulator/organizations/accounts", json!({"account_id": OTHER, "parent": "Prod"})).await;
    assert_eq!(ecr("us-east-1", OTHER).await, "ENABLED");
    // UpdateOrganizationConfiguration turning ECR auto-enable off is accepted; the policy still rules.
    let update = json!({"autoEnable": {"ec2": false, "ecr": false}});
    assert_eq!(inspector_in(addr, "us-east-1", ADMIN, "/organizationconfiguration/update", update).await.status, 200);
    assert_eq!(ecr("us-east-1", MEMBER).await, "ENABLED");
    // Detached: nothing is managed any more and ECR stays as it was.
    ok(addr, MGMT, "DetachPolicy", json!({"PolicyId": id, "TargetId": ou_id(&view, "Prod")})).await;
    let off = json!({"accountIds": [MEMBER], "resourceTypes": ["ECR"]});
    let v = inspector_in(addr, "us-east-1", ADMIN, "/disable", off).await.json();
    assert_eq!(
        (v["failedAccounts"].clone(), v["accounts"][0]["resourceStatus"]["ecr"].as_str()),
        (json!([]), Some("DISABLING"))
    );
}

async fn admin_call(addr: SocketAddr, region: &str, caller: &str, op: &str, body: Value) -> Resp {
    inspector_in(addr, region, caller, &format!("/delegatedadminaccounts/{op}"), body).await
}

#[tokio::test]
async fn delegated_administrator_lifecycle() {
    let (addr, _) = world(false).await;
    control(addr, "PUT", "/_emulator/config", json!({"delegated_admin_polls": 2})).await;
    let enable = json!({"delegatedAdminAccountId": ADMIN});
    // Only the management account.
    let r = admin_call(addr, "us-east-1", MEMBER, "enable", enable.clone()).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (403, Some("AccessDeniedException")));
    let r = admin_call(addr, "us-east-1", MGMT, "enable", json!({"delegatedAdminAccountId": "12"})).await;
    assert_eq!((r.status, r.json()["fields"][0]["name"].as_str()), (400, Some("delegatedAdminAccountId")));
    let r = admin_call(addr, "us-east-1", MGMT, "enable", json!({"delegatedAdminAccountId": OUTSIDER})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")));
    let r = admin_call(addr, "us-east-1", MGMT, "enable", enable.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"delegatedAdminAccountId": ADMIN}));
    // Asynchronous: under way (the control API shows it), not listed yet, then ENABLED after two reads.
    let org = control(addr, "GET", "/_emulator/organization", Value::Null).await;
    assert_eq!(org["admin_change"], json!({"account_id": ADMIN, "enabling": true, "polls": 0}));
    assert_eq!(org["delegated_admin"], Value::Null);
    let get = admin_call(addr, "us-east-1", MGMT, "get", json!({})).await.json();
    assert_eq!(get, json!({"delegatedAdmin": {"accountId": ADMIN, "relationshipStatus": "CREATED"}}));
    let list = admin_call(addr, "us-east-1", MGMT, "list", json!({})).await.json();
    assert_eq!(list, json!({"delegatedAdminAccounts": [{"accountId": ADMIN, "status": "ENABLED"}]}));
    let get = admin_call(addr, "us-east-1", MGMT, "get", json!({})).await.json();
    assert_eq!(get["delegatedAdmin"]["relationshipStatus"], "ENABLED");
    // It now administers the organization's accounts (not yet associated) in that Region.
    let org = control(addr, "GET", "/_emulator/organization?region=us-east-1", Value::Null).await;
    assert_eq!(org["delegated_admin"], ADMIN);
    let statuses: Vec<(&str, &str)> = org["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["account_id"].as_str().unwrap(), m["relationship_status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [(MGMT, "CREATED"), (MEMBER, "CREATED"), (OTHER, "CREATED")]);
    // Enabling it again is a no-op; another account, here or in another Region, conflicts.
    assert_eq!(admin_call(addr, "us-east-1", MGMT, "enable", enable.clone()).await.status, 200);
    let r = admin_call(addr, "us-east-1", MGMT, "enable", json!({"delegatedAdminAccountId": OTHER})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (409, Some("ConflictException")));
    assert!(r.json()["message"].as_str().unwrap().contains(ADMIN));
    let r = admin_call(addr, "eu-west-1", MGMT, "enable", json!({"delegatedAdminAccountId": OTHER})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (409, Some("ConflictException")));
    assert!(r.json()["message"].as_str().unwrap().contains("every Region"));
    assert_eq!(admin_call(addr, "eu-west-1", MGMT, "enable", enable).await.status, 200);
    // Disable: DISABLE_IN_PROGRESS, then gone and every member standalone.
    let r = admin_call(addr, "us-east-1", MGMT, "disable", json!({"delegatedAdminAccountId": OTHER})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (404, Some("ResourceNotFoundException")));
    assert_eq!(
        admin_call(addr, "us-east-1", MGMT, "disable", json!({"delegatedAdminAccountId": ADMIN})).await.status,
        200
    );
    let list = admin_call(addr, "us-east-1", MGMT, "list", json!({})).await.json();
    assert_eq!(list["delegatedAdminAccounts"], json!([{"accountId": ADMIN, "status": "DISABLE_IN_PROGRESS"}]));
    let list = admin_call(addr, "us-east-1", MGMT, "list", json!({"maxResults": 5})).await.json();
    assert_eq!(list["delegatedAdminAccounts"], json!([]));
    assert_eq!(admin_call(addr, "us-east-1", MGMT, "get", json!({})).await.json(), json!({}));
    let org = control(addr, "GET", "/_emulator/organization?region=us-east-1", Value::Null).await;
    assert_eq!((org["delegated_admin"].clone(), org["members"].clone()), (Value::Null, json!([])));
    let r = admin_call(addr, "us-east-1", MGMT, "list", json!({"maxResults": 6})).await;
    assert_eq!(r.status, 400);
    let log = control(addr, "GET", "/_emulator/requests", Value::Null).await;
    for op in [
        "EnableDelegatedAdminAccount",
        "DisableDelegatedAdminAccount",
        "GetDelegatedAdminAccount",
        "ListDelegatedAdminAccounts",
    ] {
        assert!(log["counts"][op].as_u64().is_some_and(|n| n > 0), "{op}");
    }
}

#[tokio::test]
async fn a_policy_links_accounts_to_a_new_delegated_administrator() {
    let (addr, view) = world(false).await;
    let root = view["root_id"].as_str().unwrap().to_string();
    ok(addr, MGMT, "EnablePolicyType", json!({"RootId": root, "PolicyType": "INSPECTOR_POLICY"})).await;
    let id = create(addr, MGMT, "all", &ecr_policy(json!({"@@assign": ["us-east-1"]}), json!({"@@assign": []}))).await;
    ok(addr, MGMT, "AttachPolicy", json!({"PolicyId": id, "TargetId": ou_id(&view, "Web")})).await;
    admin_call(addr, "us-east-1", MGMT, "enable", json!({"delegatedAdminAccountId": ADMIN})).await;
    admin_call(addr, "us-east-1", MGMT, "get", json!({})).await;
    let org = control(addr, "GET", "/_emulator/organization?region=us-east-1", Value::Null).await;
    let member = org["members"].as_array().unwrap().iter().find(|m| m["account_id"] == MEMBER).cloned();
    assert_eq!(member.map(|m| m["relationship_status"].clone()), Some(json!("ENABLED")), "{org}");
}

#[tokio::test]
async fn unsigned_calls_route_by_target_and_unknown_operations_are_refused() {
    let (addr, _) = world(false).await;
    let headers = [("X-Amz-Target", "AWSOrganizationsV20161128.DescribeOrganization")];
    let r = http(addr, "POST", "/", &headers, b"{}").await;
    // Unsigned: the default account, which is outside the organization.
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("AWSOrganizationsNotInUseException")));
    let r = orgs(addr, MGMT, "CreateAccount", json!({})).await;
    assert_eq!(r.status, 404);
    let r = http(
        addr,
        "POST",
        "/",
        &[
            ("Authorization", auth_in(&key(MGMT), "us-east-1", "organizations").as_str()),
            ("X-Amz-Target", "AWSOrganizationsV20161128.ListRoots"),
        ],
        b"{not json",
    )
    .await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("SerializationException")));
}

#[tokio::test]
async fn faults_reach_organizations_calls() {
    let (addr, _) = world(false).await;
    control(addr, "POST", "/_emulator/faults", json!({"kind": "throttle", "operation": "ListRoots", "times": 1})).await;
    let (code, _) = refused(addr, MGMT, "ListRoots", json!({})).await;
    assert_eq!(code, "TooManyRequestsException");
    ok(addr, MGMT, "ListRoots", json!({})).await;
}

#[tokio::test]
async fn tags_of_policies() {
    let (addr, _) = world(false).await;
    let content = ecr_policy(json!({"@@assign": []}), json!({"@@assign": []}));
    let body = json!({"Name": "tagged", "Description": "d", "Type": "INSPECTOR_POLICY", "Content": content,
        "Tags": [{"Key": "owner", "Value": "security"}]});
    let id = ok(addr, MGMT, "CreatePolicy", body).await["Policy"]["PolicySummary"]["Id"].as_str().unwrap().to_string();
    let tags = |v: Value| v["Tags"].clone();
    assert_eq!(
        tags(ok(addr, MGMT, "ListTagsForResource", json!({"ResourceId": id})).await),
        json!([{"Key": "owner", "Value": "security"}])
    );
    let add =
        json!({"ResourceId": id, "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "owner", "Value": "platform"}]});
    assert_eq!(ok(addr, ADMIN, "TagResource", add).await, json!({}));
    ok(addr, MGMT, "UntagResource", json!({"ResourceId": id, "TagKeys": ["env"]})).await;
    assert_eq!(
        tags(ok(addr, MGMT, "ListTagsForResource", json!({"ResourceId": id})).await),
        json!([{"Key": "owner", "Value": "platform"}])
    );
    assert_eq!(
        refused(addr, MGMT, "ListTagsForResource", json!({"ResourceId": "p-zzzzzzzz"})).await.0,
        "TargetNotFoundException"
    );
    assert_eq!(
        refused(addr, MGMT, "TagResource", json!({"ResourceId": id, "Tags": [{"Key": ""}]})).await.0,
        "InvalidInputException"
    );
    assert_eq!(
        refused(addr, MEMBER, "ListTagsForResource", json!({"ResourceId": id})).await.0,
        "AccessDeniedException"
    );
    ok(addr, MGMT, "DeletePolicy", json!({"PolicyId": id})).await;
    assert_eq!(
        refused(addr, MGMT, "ListTagsForResource", json!({"ResourceId": id})).await.0,
        "TargetNotFoundException"
    );
}

#[tokio::test]
async fn the_tree_can_be_walked() {
    let (addr, view) = world(false).await;
    let (root, prod, web) = (view["root_id"].as_str().unwrap().to_string(), ou_id(&view, "Prod"), ou_id(&view, "Web"));
    let parents = |v: Value| v["Parents"].clone();
    assert_eq!(
        parents(ok(addr, MGMT, "ListParents", json!({"ChildId": MEMBER})).await),
        json!([{"Id": web, "Type": "ORGANIZATIONAL_UNIT"}])
    );
    assert_eq!(
        parents(ok(addr, MGMT, "ListParents", json!({"ChildId": web})).await),
        json!([{"Id": prod, "Type": "ORGANIZATIONAL_UNIT"}])
    );
    assert_eq!(
        parents(ok(addr, ADMIN, "ListParents", json!({"ChildId": prod})).await),
        json!([{"Id": root, "Type": "ROOT"}])
    );
    assert_eq!(refused(addr, MGMT, "ListParents", json!({"ChildId": OUTSIDER})).await.0, "ChildNotFoundException");
    assert_eq!(refused(addr, MGMT, "ListParents", json!({"ChildId": root})).await.0, "InvalidInputException");
    assert_eq!(refused(addr, MEMBER, "ListParents", json!({"ChildId": MEMBER})).await.0, "AccessDeniedException");
    let v = ok(addr, MGMT, "ListOrganizationalUnitsForParent", json!({"ParentId": root})).await;
    assert_eq!(
        v["OrganizationalUnits"].as_array().map(|a| a.iter().map(|o| o["Name"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("Prod")])
    );
    let v = ok(addr, MGMT, "ListAccountsForParent", json!({"ParentId": root, "MaxResults": 2})).await;
    let ids: Vec<&str> = v["Accounts"].as_array().unwrap().iter().map(|a| a["Id"].as_str().unwrap()).collect();
    assert_eq!(ids, [MGMT, ADMIN]);
    let v = ok(
        addr,
        MGMT,
        "ListAccountsForParent",
        json!({"ParentId": root, "MaxResults": 2, "NextToken": v["NextToken"]}),
    )
    .await;
    assert_eq!(v["Accounts"][0]["Id"], OTHER);
    assert_eq!(v["Accounts"][0]["Status"], "ACTIVE");
    assert_eq!(
        refused(addr, MGMT, "ListAccountsForParent", json!({"ParentId": MEMBER})).await.0,
        "ParentNotFoundException"
    );
}

#[tokio::test]
async fn disabling_a_policy_type_detaches_its_policies_and_frees_the_accounts() {
    let (addr, view) = world(false).await;
    let root = view["root_id"].as_str().unwrap().to_string();
    let switch = json!({"RootId": root, "PolicyType": "INSPECTOR_POLICY"});
    assert_eq!(refused(addr, MGMT, "DisablePolicyType", switch.clone()).await.0, "PolicyTypeNotEnabledException");
    ok(addr, MGMT, "EnablePolicyType", switch.clone()).await;
    let id = create(addr, MGMT, "on", &ecr_policy(json!({"@@assign": ["us-east-1"]}), json!({"@@assign": []}))).await;
    ok(addr, MGMT, "AttachPolicy", json!({"PolicyId": id, "TargetId": root})).await;
    assert_eq!(refused(addr, ADMIN, "DisablePolicyType", switch.clone()).await.0, "AccessDeniedException");
    let v = ok(addr, MGMT, "DisablePolicyType", switch).await;
    assert_eq!(v["Root"]["PolicyTypes"], json!([]));
    assert_eq!(ok(addr, MGMT, "ListTargetsForPolicy", json!({"PolicyId": id})).await["Targets"], json!([]));
    let effective = json!({"PolicyType": "INSPECTOR_POLICY", "TargetId": MEMBER});
    assert_eq!(refused(addr, MGMT, "DescribeEffectivePolicy", effective).await.0, "EffectivePolicyNotFoundException");
    // ECR stays as the policy left it, but the API may change it again.
    let a = control(addr, "GET", &format!("/_emulator/accounts/{MEMBER}"), Value::Null).await;
    assert_eq!(a["resource_state"]["ECR"], "ENABLED");
    let v = inspector_in(addr, "us-east-1", MEMBER, "/disable", json!({"resourceTypes": ["ECR"]})).await.json();
    assert_eq!(
        (v["failedAccounts"].clone(), v["accounts"][0]["resourceStatus"]["ecr"].as_str()),
        (json!([]), Some("DISABLING"))
    );
}

#[tokio::test]
async fn the_management_account_cannot_be_the_delegated_administrator() {
    let (addr, _) = world(false).await;
    let r = admin_call(addr, "us-east-1", MGMT, "enable", json!({"delegatedAdminAccountId": MGMT})).await;
    assert_eq!((r.status, r.json()["fields"][0]["name"].as_str()), (400, Some("delegatedAdminAccountId")));
    let r = admin_call(addr, "us-east-1", MGMT, "get", json!({"x": 1})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")));
    // Without an organization nobody is the management account.
    control(addr, "DELETE", "/_emulator/organizations", Value::Null).await;
    let r = admin_call(addr, "us-east-1", MGMT, "list", json!({})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (403, Some("AccessDeniedException")));
}

#[tokio::test]
async fn an_effective_policy_is_an_accounts_and_reasons_are_the_sdks() {
    let (addr, view) = world(false).await;
    let root = view["root_id"].as_str().unwrap().to_string();
    let (code, v) =
        refused(addr, MGMT, "DescribeEffectivePolicy", json!({"PolicyType": "INSPECTOR_POLICY", "TargetId": root}))
            .await;
    assert_eq!((code.as_str(), v["Reason"].as_str()), ("InvalidInputException", Some("TARGET_NOT_SUPPORTED")));
    // Every Reason the service sends is a value of the SDK's InvalidInputExceptionReason
    // (aws-sdk-organizations 1.137), so the SDK reads it as a known variant.
    const SDK_REASONS: &[&str] = &[
        "INPUT_REQUIRED",
        "INVALID_ENUM",
        "INVALID_ENUM_POLICY_TYPE",
        "INVALID_LIST_MEMBER",
        "INVALID_NEXT_TOKEN",
        "INVALID_PARTY_TYPE_TARGET",
        "INVALID_PATTERN",
        "INVALID_PATTERN_TARGET_ID",
        "INVALID_SYNTAX_POLICY_ID",
        "MAX_LENGTH_EXCEEDED",
        "MAX_VALUE_EXCEEDED",
        "MIN_LENGTH_EXCEEDED",
        "MIN_VALUE_EXCEEDED",
        "TARGET_NOT_SUPPORTED",
    ];
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/services/organizations.rs")).unwrap();
    // The quoted SCREAMING_SNAKE words of the service's source, but for policy types.
    let screaming =
        |w: &&str| w.contains('_') && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let sent: Vec<&str> =
        source.split('"').skip(1).step_by(2).filter(screaming).filter(|w| !w.contains("POLICY")).collect();
    assert!(sent.len() >= 10, "{sent:?}");
    for reason in sent {
        assert!(SDK_REASONS.contains(&reason), "{reason} is no InvalidInputExceptionReason");
    }
}

//! `inspector2fix_security_hub_control` and `inspector2fix_control_suppression` against the
//! project's emulator.

use serde_json::{json, Value};

use crate::harness::*;

const HOME: &str = "123456789012";
const OTHER: &str = "210987654321";

fn hub() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({"evaluate_inspector2": false}));
    emu
}

fn seed(emu: &Emulator, findings: Value) {
    let (status, body) =
        emu.control("POST", "/_emulator/securityhub/findings", Some(json!({"account_id": HOME, "findings": findings})));
    assert!(status == 200 || status == 201, "{body}");
}

fn generate(emu: &Emulator, spec: Value) {
    let (status, body) =
        emu.control("POST", "/_emulator/securityhub/findings", Some(json!({"account_id": HOME, "generate": spec})));
    assert!(status == 200 || status == 201, "{body}");
}

fn clear_findings(emu: &Emulator) {
    emu.control("DELETE", &format!("/_emulator/securityhub/findings?account_id={HOME}"), None);
}

/// Every finding in the home account's hub, as the emulator stores it.
fn stored(emu: &Emulator) -> Vec<Value> {
    let (_, v) = emu.control("GET", &format!("/_emulator/securityhub/findings?account_id={HOME}"), None);
    match v {
        Value::Array(a) => a,
        other => other["findings"].as_array().cloned().unwrap_or_default(),
    }
}

fn workflow(f: &Value) -> String {
    f["Workflow"]["Status"].as_str().or(f["WorkflowStatus"].as_str()).unwrap_or("").to_owned()
}

fn note(f: &Value) -> String {
    f["Note"]["Text"].as_str().unwrap_or("").to_owned()
}

fn finding(id: &str, account: &str, compliance: &str, workflow: &str, record: &str) -> Value {
    json!({"Id": id, "AwsAccountId": account, "SecurityControlId": "Inspector.2", "ComplianceStatus": compliance,
           "WorkflowStatus": workflow, "RecordState": record})
}

fn outputs(ws: &Workspace) -> Value {
    let run = ws.tf(&["output", "-json", "-no-color"]).ok();
    let v: Value = serde_json::from_str(&run.stdout).expect("terraform output -json");
    let mut out = serde_json::Map::new();
    for (k, o) in v.as_object().unwrap() {
        out.insert(k.clone(), o["value"].clone());
    }
    Value::Object(out)
}

const CONTROL_OUTPUTS: &str = r#"
output "compliance" { value = data.inspector2fix_security_hub_control.this.compliance_status }
output "passed" { value = data.inspector2fix_security_hub_control.this.passed_count }
output "failed" { value = data.inspector2fix_security_hub_control.this.failed_count }
output "suppressed" { value = data.inspector2fix_security_hub_control.this.suppressed_count }
output "findings" { value = data.inspector2fix_security_hub_control.this.findings }
output "title" { value = data.inspector2fix_security_hub_control.this.title }
output "severity" { value = data.inspector2fix_security_hub_control.this.severity }
output "control_status" { value = data.inspector2fix_security_hub_control.this.control_status }
output "remediation_url" { value = data.inspector2fix_security_hub_control.this.remediation_url }
"#;

fn control_workspace(name: &str, emu: &Emulator, args: &str) -> Workspace {
    let ws = Workspace::new(name, &emu.url());
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\ndata \"inspector2fix_security_hub_control\" \"this\" {{\n{args}}}\n{CONTROL_OUTPUTS}"
    ));
    ws
}

#[test]
fn compliance_status_is_derived_as_security_hub_does() {
    let emu = hub();
    let ws = control_workspace("compliance", &emu, "");
    let a = "arn:aws:securityhub:us-east-1:123456789012:security-control/Inspector.2/finding/a";
    let b = "arn:aws:securityhub:us-east-1:123456789012:security-control/Inspector.2/finding/b";
    let c = "arn:aws:securityhub:us-east-1:123456789012:security-control/Inspector.2/finding/c";
    let cases = [
        (json!([]), "NO_DATA", 0, 0, 0),
        (
            json!([finding(a, HOME, "PASSED", "RESOLVED", "ACTIVE"), finding(b, OTHER, "PASSED", "NEW", "ACTIVE")]),
            "PASSED",
            2,
            0,
            0,
        ),
        (
            json!([finding(a, HOME, "PASSED", "NEW", "ACTIVE"), finding(b, OTHER, "FAILED", "NEW", "ACTIVE")]),
            "FAILED",
            1,
            1,
            0,
        ),
        (
            json!([finding(a, HOME, "PASSED", "NEW", "ACTIVE"), finding(b, OTHER, "WARNING", "NEW", "ACTIVE")]),
            "UNKNOWN",
            1,
            0,
            0,
        ),
        (json!([finding(a, HOME, "NOT_AVAILABLE", "NEW", "ACTIVE")]), "UNKNOWN", 0, 0, 0),
        // Suppressed and archived findings are ignored by the rule.
        (
            json!([
                finding(a, HOME, "FAILED", "SUPPRESSED", "ACTIVE"),
                finding(b, OTHER, "PASSED", "NEW", "ACTIVE"),
                finding(c, OTHER, "FAILED", "NEW", "ARCHIVED")
            ]),
            "PASSED",
            1,
            0,
            1,
        ),
        (json!([finding(a, HOME, "FAILED", "SUPPRESSED", "ACTIVE")]), "NO_DATA", 0, 0, 1),
    ];
    for (findings, expected, passed, failed, suppressed) in cases {
        clear_findings(&emu);
        seed(&emu, findings.clone());
        ws.apply().ok();
        let o = outputs(&ws);
        assert_eq!(o["compliance"], expected, "{findings}");
        assert_eq!(
            (o["passed"].as_i64(), o["failed"].as_i64(), o["suppressed"].as_i64()),
            (Some(passed), Some(failed), Some(suppressed)),
            "{findings}"
        );
        let listed = o["findings"].as_array().unwrap();
        assert!(listed.iter().all(|f| f["record_state"] == "ACTIVE"), "only ACTIVE findings are listed");
    }
    let o = outputs(&ws);
    assert_eq!(o["title"], "Amazon Inspector ECR scanning should be enabled");
    assert_eq!(o["severity"], "HIGH");
    assert_eq!(o["control_status"], "ENABLED");
    assert!(o["remediation_url"].as_str().unwrap().starts_with("https://"));
}

#[test]
fn pagination_reads_every_page_within_the_documented_rate() {
    let emu = hub();
    let accounts = accounts(5, 400_000_000_000);
    generate(
        &emu,
        json!({"control_id": "Inspector.2", "count": 250, "compliance_status": "FAILED", "account_ids": accounts}),
    );
    let ws = control_workspace("pages", &emu, "");
    emu.clear_log();
    ws.tf(&["plan", "-no-color", "-input=false", "-refresh=true"]).ok();
    let calls = emu.log();
    let get_findings: Vec<&Value> = calls.iter().filter(|e| e["operation"] == "GetFindings").collect();
    assert_eq!(get_findings.len(), 3, "250 findings are 3 pages of 100");
    assert_eq!(calls.iter().filter(|e| e["operation"] == "BatchGetSecurityControls").count(), 1);
    eprintln!(
        "250-finding control: {} Security Hub API calls in one plan",
        calls.iter().filter(|e| e["service"] == "securityhub").count()
    );
    for call in &get_findings {
        let filters = call["filters"].to_string();
        assert!(
            filters.contains("ComplianceSecurityControlId") && filters.contains("Inspector.2"),
            "server-side filter: {filters}"
        );
        assert!(filters.contains("RecordState") && filters.contains("ACTIVE"), "server-side filter: {filters}");
    }
    ws.apply().ok();
    let o = outputs(&ws);
    assert_eq!(o["failed"], 250);
    let listed = o["findings"].as_array().unwrap();
    assert_eq!(listed.len(), 250);
    let keys: Vec<(String, String)> =
        listed.iter().map(|f| (f["account_id"].as_str().unwrap().into(), f["id"].as_str().unwrap().into())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "findings are sorted by account, then id");

    // 1,000 findings: 10 pages; past the burst of 6, calls are at least 1/3 s apart.
    clear_findings(&emu);
    generate(&emu, json!({"control_id": "Inspector.2", "count": 1000, "compliance_status": "PASSED"}));
    emu.clear_log();
    ws.tf(&["plan", "-no-color", "-input=false"]).ok();
    let at: Vec<i64> =
        emu.log().iter().filter(|e| e["operation"] == "GetFindings").map(|e| e["at_ms"].as_i64().unwrap()).collect();
    assert_eq!(at.len(), 10);
    for i in 6..at.len() {
        let spacing_floor = (i as i64 - 5) * 1000 / 3 - 50;
        assert!(
            at[i] - at[0] >= spacing_floor,
            "GetFindings call {i} came {} ms after the first: over 3/s burst 6",
            at[i] - at[0]
        );
    }
}

#[test]
fn account_filter_reads_only_that_accounts_findings() {
    let emu = hub();
    seed(
        &emu,
        json!([
            finding("f-home", HOME, "FAILED", "NEW", "ACTIVE"),
            finding("f-other", OTHER, "PASSED", "NEW", "ACTIVE"),
        ]),
    );
    let ws = control_workspace("account", &emu, &format!("  account_id = \"{OTHER}\"\n"));
    emu.clear_log();
    ws.apply().ok();
    let o = outputs(&ws);
    assert_eq!(o["compliance"], "PASSED");
    assert_eq!(o["findings"].as_array().unwrap().len(), 1);
    assert_eq!(o["findings"][0]["account_id"], OTHER);
    let filters = emu.log().iter().find(|e| e["operation"] == "GetFindings").unwrap()["filters"].to_string();
    assert!(filters.contains("AwsAccountId") && filters.contains(OTHER), "{filters}");
}

#[test]
fn hub_disabled_unknown_control_bad_account_and_throttling() {
    let emu = hub();
    // Bad account id: rejected at validate, no AWS call.
    let ws = control_workspace("bad-account", &emu, "  account_id = \"12345\"\n");
    let run = ws.plan().failed();
    assert!(run.all().contains("account_id:"), "{}", run.all());
    no_backtrace(&run.all());
    assert_eq!(emu.aws_calls(), 0);

    // Unknown control.
    let ws = control_workspace("unknown", &emu, "  control_id = \"Nope.42\"\n");
    let run = ws.plan().failed();
    assert!(run.all().contains("control_id: Security Hub has no security control \"Nope.42\""), "{}", run.all());

    // Throttled twice, then served.
    emu.fault(json!({"kind": "throttle", "operation": "GetFindings", "times": 2}));
    seed(&emu, json!([finding("f1", HOME, "FAILED", "NEW", "ACTIVE")]));
    let ws = control_workspace("throttled", &emu, "");
    ws.apply().ok();
    assert_eq!(outputs(&ws)["compliance"], "FAILED");

    // Security Hub off in the caller's account.
    emu.set_account(HOME, json!({"securityhub_enabled": false}));
    let run = ws.plan().failed();
    let out = run.all();
    assert!(out.contains("Security Hub is not enabled in account 123456789012 in region us-east-1"), "{out}");
    assert!(out.contains("enable-security-hub"), "{out}");
    no_backtrace(&out);
}

#[test]
fn check_block_and_fix_flow_failed_then_passed() {
    // The emulator evaluates Inspector.2 from Inspector's state, as Security Hub would.
    let emu = Emulator::start();
    let ws = Workspace::new("story", &emu.url());
    ws.config(
        r#"provider "inspector2fix" {}

data "inspector2fix_security_hub_control" "before" {}

resource "inspector2fix_ecr_scanning" "this" {}

data "inspector2fix_security_hub_control" "after" {
  depends_on = [inspector2fix_ecr_scanning.this]
}

check "inspector2_passes" {
  assert {
    condition     = data.inspector2fix_security_hub_control.after.compliance_status == "PASSED"
    error_message = "Security Hub control Inspector.2 is not passing."
  }
}

output "before" { value = data.inspector2fix_security_hub_control.before.compliance_status }
output "after" { value = data.inspector2fix_security_hub_control.after.compliance_status }
"#,
    );
    let run = ws.apply().ok();
    assert!(!run.all().contains("Check block assertion failed"), "{}", run.all());
    let o = outputs(&ws);
    assert_eq!(o["before"], "FAILED");
    assert_eq!(o["after"], "PASSED");

    // Turning scanning off makes the check fail (a warning, as Terraform's check blocks do).
    emu.set_account(HOME, json!({"resource_state": {"ECR": "DISABLED"}}));
    let run = ws.tf(&["plan", "-no-color", "-input=false", "-refresh-only"]);
    assert!(run.all().contains("Security Hub control Inspector.2 is not passing."), "{}", run.all());
}

const SUPPRESSION: &str = "inspector2fix_control_suppression.this";

fn suppression_config(reason: &str) -> String {
    format!("provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_control_suppression\" \"this\" {{\n  reason = \"{reason}\"\n}}\n")
}

#[test]
fn suppression_lifecycle_create_drift_reason_update_import_destroy() {
    let emu = hub();
    seed(
        &emu,
        json!([
            finding("f1", HOME, "FAILED", "NEW", "ACTIVE"),
            finding("f2", OTHER, "FAILED", "NOTIFIED", "ACTIVE"),
            finding("f3", OTHER, "FAILED", "NEW", "ARCHIVED"),
            finding("f4", OTHER, "FAILED", "SUPPRESSED", "ACTIVE"),
        ]),
    );
    let ws = Workspace::new("suppress", &emu.url());
    ws.config(&suppression_config("Owners accepted the risk: SEC-1"));
    ws.apply().ok();
    let s = ws.state_of(SUPPRESSION);
    assert_eq!(s["id"], "Inspector.2");
    assert_eq!(s["control_id"], "Inspector.2");
    assert_eq!(json_accounts(&s["finding_ids"]), vec!["f1", "f2"], "ACTIVE, not yet suppressed findings only");
    for f in stored(&emu) {
        match f["Id"].as_str().unwrap() {
            "f1" | "f2" => {
                assert_eq!(workflow(&f), "SUPPRESSED");
                assert_eq!(note(&f), "Owners accepted the risk: SEC-1");
                assert_eq!(f["Note"]["UpdatedBy"], "inspector2fix");
            }
            "f3" => assert_eq!(workflow(&f), "NEW", "archived findings are left alone"),
            _ => {}
        }
    }
    assert_eq!(ws.plan().code, 0, "clean plan after create");

    // A new finding appears: drift.
    seed(&emu, json!([finding("f5", HOME, "FAILED", "NEW", "ACTIVE")]));
    let drift = ws.plan();
    assert_eq!(drift.code, 2, "{}", drift.all());
    assert!(drift.stdout.contains("f5"), "the plan names the finding to suppress:\n{}", drift.stdout);
    ws.apply().ok();
    assert_eq!(json_accounts(&ws.state_of(SUPPRESSION)["finding_ids"]), vec!["f1", "f2", "f5"]);
    assert_eq!(ws.plan().code, 0);

    // Reason changes: the note is rewritten.
    ws.config(&suppression_config("Risk accepted until 2027-01-01: SEC-2"));
    ws.apply().ok();
    for f in stored(&emu).iter().filter(|f| ["f1", "f2", "f5"].contains(&f["Id"].as_str().unwrap())) {
        assert_eq!(note(f), "Risk accepted until 2027-01-01: SEC-2");
    }
    assert_eq!(ws.plan().code, 0);

    // Import adopts the findings this provider suppressed and their reason.
    ws.tf(&["state", "rm", "-no-color", SUPPRESSION]).ok();
    ws.tf(&["import", "-no-color", "-input=false", SUPPRESSION, "Inspector.2"]).ok();
    assert_eq!(json_accounts(&ws.state_of(SUPPRESSION)["finding_ids"]), vec!["f1", "f2", "f5"]);
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after import is clean:\n{}", plan.all());

    // Destroy returns what it suppressed to NEW, with a note saying so; f4 was not ours.
    ws.destroy().ok();
    for f in stored(&emu) {
        match f["Id"].as_str().unwrap() {
            "f1" | "f2" | "f5" => {
                assert_eq!(workflow(&f), "NEW");
                assert!(note(&f).contains("Suppression removed by inspector2fix"), "{}", note(&f));
            }
            "f4" => assert_eq!(workflow(&f), "SUPPRESSED", "someone else's suppression stays"),
            _ => {}
        }
    }
}

#[test]
fn unprocessed_findings_are_reported_and_state_keeps_the_rest() {
    let emu = hub();
    seed(
        &emu,
        json!([finding("g1", HOME, "FAILED", "NEW", "ACTIVE"), finding("g2", HOME, "FAILED", "NEW", "ACTIVE"),]),
    );
    emu.fault(json!({"kind": "unprocessed_finding", "finding_id": "g2", "code": "FindingSizeExceeded", "message": "too big", "times": null}));
    let ws = Workspace::new("unprocessed", &emu.url());
    ws.config(&suppression_config("Accepted"));
    let run = ws.apply().failed();
    let out = run.all();
    assert!(out.contains("g2: FindingSizeExceeded: too big"), "{out}");
    no_backtrace(&out);
    let s = ws.state_of(SUPPRESSION);
    assert_eq!(json_accounts(&s["finding_ids"]), vec!["g1"]);
    assert_eq!(json_accounts(&s["pending_finding_ids"]), vec!["g2"]);

    emu.control("DELETE", "/_emulator/faults", None);
    ws.apply().ok();
    assert_eq!(json_accounts(&ws.state_of(SUPPRESSION)["finding_ids"]), vec!["g1", "g2"]);
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn blank_reason_is_rejected_at_plan_without_calling_aws() {
    let emu = hub();
    let ws = Workspace::new("blank", &emu.url());
    ws.config(&suppression_config("  "));
    let run = ws.plan().failed();
    assert!(run.all().contains("reason:"), "{}", run.all());
    assert_eq!(emu.aws_calls(), 0);
}

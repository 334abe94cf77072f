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

#[track_caller]
fn generate(emu: &Emulator, spec: Value) {
    let count = field(&spec, "count").clone();
    let added =
        emu.control("POST", "/_emulator/securityhub/findings", Some(json!({"account_id": HOME, "generate": spec})));
    assert_eq!(field(&added, "added"), &count, "{added}");
}

#[track_caller]
fn clear_findings(emu: &Emulator) {
    emu.control("DELETE", &format!("/_emulator/securityhub/findings?account_id={HOME}"), None);
}

fn finding(id: &str, account: &str, compliance: &str, workflow: &str, record: &str) -> Value {
    json!({"Id": id, "AwsAccountId": account, "SecurityControlId": "Inspector.2", "ComplianceStatus": compliance,
           "WorkflowStatus": workflow, "RecordState": record})
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
    let ws = workspace(name, &emu.url());
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
        emu.seed_findings(HOME, findings.clone());
        let active = findings.as_array().unwrap().iter().filter(|f| f["RecordState"] == "ACTIVE").count();
        ws.apply().ok();
        let o = ws.outputs();
        assert_eq!(o["compliance"], expected, "{findings}");
        assert_eq!(
            (o["passed"].as_i64(), o["failed"].as_i64(), o["suppressed"].as_i64()),
            (Some(passed), Some(failed), Some(suppressed)),
            "{findings}"
        );
        let listed = o["findings"].as_array().unwrap();
        assert_eq!(listed.len(), active, "every ACTIVE finding is listed: {findings}");
        assert!(listed.iter().all(|f| str_field(f, "record_state") == "ACTIVE"), "only ACTIVE findings are listed");
    }
    let o = ws.outputs();
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
    let requests = emu.requests();
    let get_findings = requests.calls("GetFindings");
    assert_eq!(get_findings.len(), 3, "250 findings are 3 pages of 100");
    assert_eq!(requests.count("BatchGetSecurityControls"), 1);
    eprintln!(
        "250-finding control: {} Security Hub API calls in one plan",
        requests.log().iter().filter(|e| str_field(e, "service") == "securityhub").count()
    );
    for call in &get_findings {
        let filters = field(call, "filters").to_string();
        assert!(
            filters.contains("ComplianceSecurityControlId") && filters.contains("Inspector.2"),
            "server-side filter: {filters}"
        );
        assert!(filters.contains("RecordState") && filters.contains("ACTIVE"), "server-side filter: {filters}");
    }
    ws.apply().ok();
    let o = ws.outputs();
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
        emu.calls("GetFindings").iter().map(|e| field(e, "at_ms").as_i64().expect("at_ms is a number")).collect();
    assert_eq!(at.len(), 10);
    for i in 6..at.len() {
        // at_ms is stamped on arrival, so a loaded machine delays the first stamp: 250 ms of slack.
        // The exact spacing is pinned in virtual time by findings::tests under the paused clock.
        let spacing_floor = (i as i64 - 5) * 1000 / 3 - 250;
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
    emu.seed_findings(
        HOME,
        json!([
            finding("f-home", HOME, "FAILED", "NEW", "ACTIVE"),
            finding("f-other", OTHER, "PASSED", "NEW", "ACTIVE"),
        ]),
    );
    let ws = control_workspace("account", &emu, &format!("  account_id = \"{OTHER}\"\n"));
    emu.clear_log();
    ws.apply().ok();
    let o = ws.outputs();
    assert_eq!(o["compliance"], "PASSED");
    assert_eq!(o["findings"].as_array().unwrap().len(), 1);
    assert_eq!(o["findings"][0]["account_id"], OTHER);
    let calls = emu.calls("GetFindings");
    let filters = field(calls.first().expect("a GetFindings call"), "filters").to_string();
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
    emu.seed_findings(HOME, json!([finding("f1", HOME, "FAILED", "NEW", "ACTIVE")]));
    let ws = control_workspace("throttled", &emu, "");
    ws.apply().ok();
    assert_eq!(ws.outputs()["compliance"], "FAILED");

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
    let ws = workspace("story", &emu.url());
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
    let o = ws.outputs();
    assert_eq!(o["before"], "FAILED");
    assert_eq!(o["after"], "PASSED");

    // Turning scanning off makes the check fail (a warning, as Terraform's check blocks do).
    emu.set_account(HOME, json!({"resource_state": {"ECR": "DISABLED"}}));
    let run = ws.tf(&["plan", "-no-color", "-input=false", "-refresh-only"]);
    assert!(run.all().contains("Security Hub control Inspector.2 is not passing."), "{}", run.all());
}

fn suppression_config(reason: &str) -> String {
    format!("provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_control_suppression\" \"this\" {{\n  reason = \"{reason}\"\n}}\n")
}

#[test]
fn suppression_lifecycle_create_drift_reason_update_import_destroy() {
    let emu = hub();
    emu.seed_findings(
        HOME,
        json!([
            finding("f1", HOME, "FAILED", "NEW", "ACTIVE"),
            finding("f2", OTHER, "FAILED", "NOTIFIED", "ACTIVE"),
            finding("f3", OTHER, "FAILED", "NEW", "ARCHIVED"),
            finding("f4", OTHER, "FAILED", "SUPPRESSED", "ACTIVE"),
        ]),
    );
    let ws = workspace("suppress", &emu.url());
    ws.config(&suppression_config("Owners accepted the risk: SEC-1"));
    ws.apply().ok();
    let s = ws.state_of(SUPPRESSION);
    assert_eq!(s["id"], "Inspector.2");
    assert_eq!(s["control_id"], "Inspector.2");
    assert_eq!(sorted_strings(&s["finding_ids"]), vec!["f1", "f2"], "ACTIVE, not yet suppressed findings only");
    let found = emu.stored_findings(HOME);
    assert_eq!(found.keys().collect::<Vec<_>>(), ["f1", "f2", "f3", "f4"]);
    for id in ["f1", "f2"] {
        assert_eq!(workflow_status(&found[id]), "SUPPRESSED");
        assert_eq!(note_text(&found[id]), "Owners accepted the risk: SEC-1");
        assert_eq!(str_field(field(&found[id], "Note"), "UpdatedBy"), "inspector2fix");
    }
    assert_eq!(workflow_status(&found["f3"]), "NEW", "archived findings are left alone");
    assert_eq!(ws.plan().code, 0, "clean plan after create");

    // A new finding appears: drift.
    emu.seed_findings(HOME, json!([finding("f5", HOME, "FAILED", "NEW", "ACTIVE")]));
    let drift = ws.plan();
    assert_eq!(drift.code, 2, "{}", drift.all());
    assert!(drift.stdout.contains("f5"), "the plan names the finding to suppress:\n{}", drift.stdout);
    ws.apply().ok();
    assert_eq!(sorted_strings(&ws.state_of(SUPPRESSION)["finding_ids"]), vec!["f1", "f2", "f5"]);
    assert_eq!(ws.plan().code, 0);

    // Reason changes: the note is rewritten.
    ws.config(&suppression_config("Risk accepted until 2027-01-01: SEC-2"));
    ws.apply().ok();
    let found = emu.stored_findings(HOME);
    for id in ["f1", "f2", "f5"] {
        assert_eq!(note_text(&found[id]), "Risk accepted until 2027-01-01: SEC-2", "{id}");
    }
    assert_eq!(ws.plan().code, 0);

    // Import adopts the findings this provider suppressed and their reason.
    ws.tf(&["state", "rm", "-no-color", SUPPRESSION]).ok();
    ws.tf(&["import", "-no-color", "-input=false", SUPPRESSION, "Inspector.2"]).ok();
    assert_eq!(sorted_strings(&ws.state_of(SUPPRESSION)["finding_ids"]), vec!["f1", "f2", "f5"]);
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after import is clean:\n{}", plan.all());

    // Destroy returns what it suppressed to NEW, with a note saying so; f4 was not ours.
    ws.destroy().ok();
    let found = emu.stored_findings(HOME);
    assert_eq!(found.keys().collect::<Vec<_>>(), ["f1", "f2", "f3", "f4", "f5"]);
    for id in ["f1", "f2", "f5"] {
        assert_eq!(workflow_status(&found[id]), "NEW", "{id}");
        assert!(note_text(&found[id]).contains("Suppression removed by inspector2fix"), "{}", note_text(&found[id]));
    }
    assert_eq!(workflow_status(&found["f4"]), "SUPPRESSED", "someone else's suppression stays");
    assert!(!ws.in_state(SUPPRESSION), "destroy empties the state");
}

#[test]
fn unprocessed_findings_are_reported_and_state_keeps_the_rest() {
    let emu = hub();
    emu.seed_findings(
        HOME,
        json!([finding("g1", HOME, "FAILED", "NEW", "ACTIVE"), finding("g2", HOME, "FAILED", "NEW", "ACTIVE"),]),
    );
    emu.fault(json!({"kind": "unprocessed_finding", "finding_id": "g2", "code": "FindingSizeExceeded", "message": "too big", "times": null}));
    let ws = workspace("unprocessed", &emu.url());
    ws.config(&suppression_config("Accepted"));
    let run = ws.apply().failed();
    let out = run.all();
    assert!(out.contains("g2: FindingSizeExceeded: too big"), "{out}");
    no_backtrace(&out);
    let s = ws.state_of(SUPPRESSION);
    assert_eq!(sorted_strings(&s["finding_ids"]), vec!["g1"]);
    assert_eq!(sorted_strings(&s["pending_finding_ids"]), vec!["g2"]);

    emu.clear_faults();
    ws.apply().ok();
    assert_eq!(sorted_strings(&ws.state_of(SUPPRESSION)["finding_ids"]), vec!["g1", "g2"]);
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn blank_reason_is_rejected_at_plan_without_calling_aws() {
    let emu = hub();
    let ws = workspace("blank", &emu.url());
    ws.config(&suppression_config("  "));
    let run = ws.plan().failed();
    assert!(run.all().contains("reason:"), "{}", run.all());
    assert_eq!(emu.aws_calls(), 0);
}

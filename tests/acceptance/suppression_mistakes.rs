//! `inspector2fix_control_suppression` against the mistakes of issue 8, section 5: an unknown
//! control, a control without findings, a reason as long as a note may be, a tainted
//! replacement, and reasons with control characters or nothing visible.

use serde_json::{json, Value};

use crate::harness::*;

const HOME: &str = "123456789012";
/// Security Hub's limit on a note's text, in characters.
const MAX_NOTE: usize = 512;

/// An emulator whose findings are only those a test seeds.
fn hub() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({"evaluate_inspector2": false}));
    emu
}

fn finding(id: &str, control: &str) -> Value {
    json!({"Id": id, "AwsAccountId": HOME, "SecurityControlId": control, "ComplianceStatus": "FAILED",
           "WorkflowStatus": "NEW", "RecordState": "ACTIVE"})
}

/// A suppression with `args` (HCL lines) besides `reason`, which is written as an HCL string
/// literal as given (escapes included).
fn suppression(ws: &Workspace, reason_literal: &str, args: &str) {
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_control_suppression\" \"this\" {{\n  reason = \"{reason_literal}\"\n{args}}}\n"
    ));
}

/// The BatchUpdateFindings calls of the log that set a workflow status, with it.
#[track_caller]
fn workflow_updates(emu: &Emulator) -> Vec<(String, Vec<String>)> {
    let calls = emu.calls("BatchUpdateFindings");
    calls
        .iter()
        .filter_map(|c| {
            let status = field(c, "workflow_status").as_str()?.to_owned();
            Some((status, sorted_strings(field(c, "finding_ids"))))
        })
        .collect()
}

#[test]
fn an_unknown_control_fails_naming_control_id_and_an_empty_one_warns() {
    let emu = hub();
    emu.seed_findings(HOME, json!([finding("f1", "Inspector.2")]));
    let ws = workspace("unknown-control", &emu.url());
    suppression(&ws, "Risk accepted: SEC-1", "  control_id = \"inspector.2\"\n");
    emu.clear_log();
    let run = ws.apply().failed();
    let out = run.all();
    assert!(out.contains("control_id: Security Hub has no security control \"inspector.2\""), "{out}");
    assert!(out.contains("did you mean \"Inspector.2\""), "{out}");
    assert!(out.contains("with inspector2fix_control_suppression.this"), "the error points at the resource: {out}");
    no_backtrace(&out);
    let requests = emu.requests();
    assert_eq!(requests.count("BatchGetSecurityControls"), 1, "checked as the data source checks it");
    assert_eq!(requests.count("GetFindings"), 0);
    assert_eq!(requests.count("BatchUpdateFindings"), 0);
    assert!(!ws.in_state(SUPPRESSION), "nothing was suppressed, so nothing is in state");
    assert_eq!(workflow_status(&emu.stored_findings(HOME)["f1"]), "NEW");

    // Inspector.1 exists but has no finding: allowed, with a warning, and nothing is updated.
    suppression(&ws, "Risk accepted: SEC-1", "  control_id = \"Inspector.1\"\n");
    emu.clear_log();
    let run = ws.apply().ok();
    let out = run.all();
    assert!(out.contains("Warning: The control has no findings to suppress"), "{out}");
    assert!(out.contains("no ACTIVE finding of \"Inspector.1\""), "{out}");
    assert_eq!(emu.count("BatchUpdateFindings"), 0);
    let s = ws.state_of(SUPPRESSION);
    assert_eq!(s["control_id"], "Inspector.1");
    assert!(sorted_strings(&s["finding_ids"]).is_empty());
    assert_eq!(workflow_status(&emu.stored_findings(HOME)["f1"]), "NEW", "another control's finding is left alone");
}

#[test]
fn a_512_character_reason_is_created_and_destroyed() {
    let emu = hub();
    emu.seed_findings(HOME, json!([finding("f1", "Inspector.2"), finding("f2", "Inspector.2")]));
    let ws = workspace("long-reason", &emu.url());
    // Multi-byte characters: the limit counts characters, not bytes.
    let reason = format!("{}{}", "Risk accepted é ".repeat(31), "x".repeat(MAX_NOTE - 31 * 16));
    assert_eq!(reason.chars().count(), MAX_NOTE);
    suppression(&ws, &reason, "");
    ws.apply().ok();
    let found = emu.stored_findings(HOME);
    for id in ["f1", "f2"] {
        assert_eq!(workflow_status(&found[id]), "SUPPRESSED");
        assert_eq!(note_text(&found[id]), reason);
    }
    assert_eq!(ws.plan().code, 0, "clean plan after create");

    let run = ws.destroy().ok();
    no_backtrace(&run.all());
    assert!(!ws.in_state(SUPPRESSION));
    let found = emu.stored_findings(HOME);
    for id in ["f1", "f2"] {
        assert_eq!(workflow_status(&found[id]), "NEW", "{id}");
        let text = note_text(&found[id]);
        assert_eq!(text.chars().count(), MAX_NOTE, "{text}");
        assert!(text.starts_with("Suppression removed by inspector2fix (the reason was: Risk accepted é "), "{text}");
        assert!(text.ends_with("…)"), "the quoted reason is cut with an ellipsis: {text}");
    }
}

#[test]
fn a_tainted_replacement_never_reopens_what_was_suppressed() {
    let emu = hub();
    emu.seed_findings(
        HOME,
        json!([finding("g1", "Inspector.2"), finding("g2", "Inspector.2"), finding("g3", "Inspector.2")]),
    );
    emu.fault(json!({"kind": "unprocessed_finding", "finding_id": "g2", "code": "InternalFailure", "message": "try later", "times": 1}));
    let ws = workspace("tainted", &emu.url());
    suppression(&ws, "Risk accepted: SEC-1", "");
    let out = ws.apply().failed().all();
    assert!(out.contains("g2: InternalFailure: try later"), "{out}");
    assert_eq!(sorted_strings(&ws.state_of(SUPPRESSION)["finding_ids"]), ["g1", "g3"]);

    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    // Terraform says "is tainted, so must be replaced"; OpenTofu "is tainted, so it must be replaced".
    let tainted = ["is tainted, so must be replaced", "is tainted, so it must be replaced"];
    assert!(
        tainted.iter().any(|t| plan.all().contains(t)),
        "the partial create left a tainted instance: {}",
        plan.all()
    );
    emu.clear_log();
    ws.apply().ok();
    let updates = workflow_updates(&emu);
    assert!(updates.iter().all(|(status, _)| status != "NEW"), "a replacement reopened findings: {updates:?}");
    assert_eq!(updates, [("SUPPRESSED".to_owned(), vec!["g2".to_owned()])], "only the pending finding is updated");
    let found = emu.stored_findings(HOME);
    for id in ["g1", "g2", "g3"] {
        assert_eq!(workflow_status(&found[id]), "SUPPRESSED", "{id}");
    }
    assert_eq!(sorted_strings(&ws.state_of(SUPPRESSION)["finding_ids"]), ["g1", "g2", "g3"], "adopted, not lost");
    assert_eq!(ws.plan().code, 0);

    // -replace is a replacement too: nothing goes back to NEW, nothing needs suppressing.
    emu.clear_log();
    ws.tf(&["apply", "-auto-approve", "-no-color", "-input=false", &format!("-replace={SUPPRESSION}")]).ok();
    assert_eq!(emu.count("BatchUpdateFindings"), 0, "{:?}", workflow_updates(&emu));
    assert_eq!(sorted_strings(&ws.state_of(SUPPRESSION)["finding_ids"]), ["g1", "g2", "g3"]);

    // A planned destroy still returns them to NEW.
    ws.destroy().ok();
    let found = emu.stored_findings(HOME);
    for id in ["g1", "g2", "g3"] {
        assert_eq!(workflow_status(&found[id]), "NEW", "{id}");
    }
}

#[test]
fn a_new_control_updates_in_place_and_returns_the_old_findings() {
    let emu = hub();
    emu.seed_findings(HOME, json!([finding("i2", "Inspector.2"), finding("i1", "Inspector.1")]));
    let ws = workspace("rescope", &emu.url());
    suppression(&ws, "Risk accepted: SEC-1", "");
    ws.apply().ok();
    assert_eq!(workflow_status(&emu.stored_findings(HOME)["i2"]), "SUPPRESSED");

    suppression(&ws, "Risk accepted: SEC-1", "  control_id = \"Inspector.1\"\n");
    let plan = ws.plan();
    assert!(plan.all().contains("1 to change, 0 to destroy"), "an update, not a replacement: {}", plan.all());
    ws.apply().ok();
    let found = emu.stored_findings(HOME);
    assert_eq!(workflow_status(&found["i1"]), "SUPPRESSED");
    assert_eq!(workflow_status(&found["i2"]), "NEW", "the old control's finding is returned");
    assert!(note_text(&found["i2"]).starts_with("Suppression removed by inspector2fix"), "{}", note_text(&found["i2"]));
    let s = ws.state_of(SUPPRESSION);
    assert_eq!((s["id"].as_str(), sorted_strings(&s["finding_ids"])), (Some("Inspector.1"), vec!["i1".to_owned()]));
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn reasons_with_control_characters_or_nothing_visible_fail_at_validate() {
    let emu = hub();
    let ws = workspace("bad-reasons", &emu.url());
    // HCL string literals: escapes are decoded by Terraform before the provider sees them.
    let cases = [
        ("a\\u0000b", "contains the control character U+0000 at character 2"),
        ("\\u001b[31mred\\u001b[0m", "contains the control character U+001B at character 1"),
        ("two\\nlines", "contains the control character U+000A at character 4"),
        ("ok\\u202Etxt.exe", "contains the control character U+202E at character 3"),
        ("\\u200B\\u200C\\u200D\\uFEFF", "has no visible character"),
        ("   ", "has no visible character"),
    ];
    for (literal, why) in cases {
        suppression(&ws, literal, "");
        let run = ws.plan();
        assert_eq!(run.code, 1, "{literal}: {}", run.all());
        let out = run.all();
        assert!(out.contains(&format!("reason: {why}")), "{literal}: {out}");
        assert!(out.contains("Invalid reason"), "{literal}: {out}");
        no_backtrace(&out);
    }
    assert_eq!(emu.aws_calls(), 0, "validation makes no AWS call");
}

//! `inspector2fix_ecr_scanning` against the project's emulator.

use std::time::Instant;

use serde_json::json;

use crate::harness::*;

const MEMBER_A: &str = "222222222222";
const MEMBER_B: &str = "333333333333";

fn admin_workspace(name: &str, emu: &Emulator, resource: &str) -> Workspace {
    let mut ws = workspace(name, &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{resource}"));
    ws
}

fn resource_with(accounts: &[String], extra: &str) -> String {
    format!("resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n{extra}}}\n", hcl_list(accounts))
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The `resource_types` each call of `operation` sent, failing when there was no such call.
#[track_caller]
fn resource_types_of(emu: &Emulator, operation: &str) -> Vec<serde_json::Value> {
    let calls = emu.calls(operation);
    assert!(!calls.is_empty(), "no {operation} call to check");
    calls.iter().map(|e| field(e, "resource_types").clone()).collect()
}

#[test]
fn lifecycle_create_clean_plan_drift_repair_and_destroy_keeps_other_scan_types() {
    let emu = Emulator::start();
    emu.set_account(STANDALONE, json!({"resource_state": {"EC2": "ENABLED", "LAMBDA": "ENABLED"}}));
    let ws = workspace("lifecycle", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n");

    ws.apply().ok();
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(s["id"], STANDALONE, "account_ids defaults to the caller's account");
    assert_eq!(sorted_strings(&s["account_ids"]), vec![STANDALONE]);
    assert_eq!(s["status"][STANDALONE], "ENABLED");
    assert_eq!(s["disable_on_destroy"], true);
    assert_eq!(emu.resource_state(STANDALONE, "ECR"), "ENABLED");
    for types in resource_types_of(&emu, "Enable") {
        assert_eq!(types, json!(["ECR"]), "Enable must name ECR only");
    }

    assert_eq!(ws.plan().code, 0, "plan right after apply must be clean");

    // Someone turns ECR scanning off behind Terraform's back.
    emu.set_account(STANDALONE, json!({"resource_state": {"ECR": "DISABLED"}}));
    let drift = ws.plan();
    assert_eq!(drift.code, 2, "drift must show in plan:\n{}", drift.all());
    assert!(drift.stdout.contains("inspector2fix_ecr_scanning.this will be created"), "{}", drift.stdout);
    ws.apply().ok();
    assert_eq!(emu.resource_state(STANDALONE, "ECR"), "ENABLED");
    assert_eq!(ws.plan().code, 0);

    emu.clear_log();
    ws.destroy().ok();
    assert_eq!(emu.resource_state(STANDALONE, "ECR"), "DISABLED");
    assert_eq!(emu.resource_state(STANDALONE, "EC2"), "ENABLED", "destroy must leave EC2 scanning alone");
    assert_eq!(emu.resource_state(STANDALONE, "LAMBDA"), "ENABLED", "destroy must leave Lambda scanning alone");
    for types in resource_types_of(&emu, "Disable") {
        assert_eq!(types, json!(["ECR"]), "Disable must name ECR only");
    }
    assert_eq!(emu.count("Enable"), 0);
    assert!(!ws.in_state(ECR_SCANNING), "destroy empties the state");
}

#[test]
fn disable_on_destroy_false_leaves_scanning_on() {
    let emu = Emulator::start();
    let ws = workspace("keep", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {\n  disable_on_destroy = false\n}\n");
    ws.apply().ok();
    assert_eq!(ws.plan().code, 0);
    emu.clear_log();
    ws.destroy().ok();
    emu.assert_no_call("Disable", "disable_on_destroy = false must not disable");
    assert_eq!(emu.resource_state(STANDALONE, "ECR"), "ENABLED");
    assert!(!ws.in_state(ECR_SCANNING), "destroy empties the state");
}

#[test]
fn import_by_cli_and_by_import_block() {
    let members = ids(&[MEMBER_A]);
    let emu = organization(&members);
    for a in [ADMIN, MEMBER_A] {
        emu.set_account(a, json!({"resource_state": {"ECR": "ENABLED"}}));
    }
    let both = ids(&[ADMIN, MEMBER_A]);

    // CLI import, accounts given in any order.
    let ws = admin_workspace("import-cli", &emu, &resource_with(&both, ""));
    ws.tf(&["import", "-no-color", "-input=false", ECR_SCANNING, "222222222222,111111111111"]).ok();
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(s["id"], ADMIN, "the id is the smallest account");
    assert_eq!(s["status"][MEMBER_A], "ENABLED");
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after import must be clean:\n{}", plan.all());

    // import {} block.
    let ws = admin_workspace(
        "import-block",
        &emu,
        &format!("import {{\n  to = {ECR_SCANNING}\n  id = \"{ADMIN},{MEMBER_A}\"\n}}\n\n{}", resource_with(&both, "")),
    );
    emu.clear_log();
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{}", plan.stdout);
    ws.apply().ok();
    emu.assert_no_call("Enable", "importing must not enable anything");
    assert_eq!(ws.plan().code, 0);

    // Bad id, and an account whose scanning is off, are refused clearly.
    let ws = admin_workspace("import-bad", &emu, &resource_with(&both, ""));
    let bad = ws.tf(&["import", "-no-color", "-input=false", ECR_SCANNING, "12345"]).failed();
    assert!(bad.all().contains("12 digits"), "{}", bad.all());
    no_backtrace(&bad.all());
    emu.set_account(MEMBER_A, json!({"resource_state": {"ECR": "DISABLED"}}));
    let gone = ws.tf(&["import", "-no-color", "-input=false", ECR_SCANNING, MEMBER_A]).failed();
    assert!(gone.all().contains("non-existent"), "{}", gone.all());
}

#[test]
fn delegated_admin_enables_members_repairs_member_drift_and_releases_removed_members() {
    let members = ids(&[MEMBER_A, MEMBER_B]);
    let emu = organization(&members);
    let all = ids(&[ADMIN, MEMBER_A, MEMBER_B]);
    let ws = admin_workspace("org", &emu, &resource_with(&all, ""));
    ws.apply().ok();
    for a in &all {
        assert_eq!(emu.resource_state(a, "ECR"), "ENABLED", "{a}");
    }
    assert_eq!(ws.plan().code, 0);

    // A member drifts: plan shows an in-place update, apply repairs it.
    emu.set_account(MEMBER_B, json!({"resource_state": {"ECR": "DISABLED"}}));
    let drift = ws.plan();
    assert_eq!(drift.code, 2, "{}", drift.all());
    assert!(drift.stdout.contains("will be updated in-place"), "{}", drift.stdout);
    assert!(drift.stdout.contains(MEMBER_B), "{}", drift.stdout);
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.resource_state(MEMBER_B, "ECR"), "ENABLED");
    let enabled = emu.calls("Enable");
    assert_eq!(enabled.len(), 1);
    assert_eq!(field(&enabled[0], "account_ids"), &json!([MEMBER_B]), "only the drifted account is enabled again");
    assert_eq!(ws.plan().code, 0);

    // A member leaves the set: its ECR scanning is turned off, the others stay on.
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{}", resource_with(&ids(&[ADMIN, MEMBER_A]), "")));
    ws.apply().ok();
    assert_eq!(emu.resource_state(MEMBER_B, "ECR"), "DISABLED");
    assert_eq!(emu.resource_state(MEMBER_A, "ECR"), "ENABLED");
    assert_eq!(sorted_strings(&ws.state_of(ECR_SCANNING)["account_ids"]), ids(&[ADMIN, MEMBER_A]));
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn member_account_cannot_enable_another_and_gets_a_hint() {
    let members = ids(&[MEMBER_A, MEMBER_B]);
    let emu = organization(&members);
    let mut ws = workspace("member", &emu.url());
    ws.access_key = "AKIDMEMBER".into();
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{}", resource_with(&ids(&[MEMBER_B]), "")));
    let run = ws.apply().failed();
    let out = run.all();
    assert!(out.contains("333333333333: ACCESS_DENIED"), "{out}");
    assert!(out.contains("delegated Inspector administrator"), "{out}");
    no_backtrace(&out);
    assert!(!ws.in_state(ECR_SCANNING), "nothing was enabled, so nothing is in state");
}

#[test]
fn organization_of_150_accounts_is_chunked_and_counted() {
    let members = accounts(149, 300_000_000_000);
    let emu = organization(&members);
    emu.put_config(json!({"latency_ms": 50}));
    let mut all = members.clone();
    all.push(ADMIN.into());
    all.sort();
    let ws = admin_workspace("org150", &emu, &resource_with(&all, ""));
    emu.clear_log();
    let started = Instant::now();
    ws.apply().ok();
    let apply_time = started.elapsed();
    eprintln!("150-account apply with 50 ms added latency per call: {:.2?}", apply_time);

    let enables = emu.calls("Enable");
    assert_eq!(enables.len(), 2, "150 accounts need exactly 2 Enable calls");
    let mut named: Vec<String> = Vec::new();
    for e in &enables {
        let ids = sorted_strings(field(e, "account_ids"));
        assert!(ids.len() <= 100);
        assert_eq!(field(e, "resource_types"), &json!(["ECR"]));
        named.extend(ids);
    }
    named.sort();
    assert_eq!(named, all, "every account is named exactly once");
    assert_eq!(emu.count("BatchGetAccountStatus"), 2, "one status pass of 2 chunks settles them");
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(sorted_strings(&s["account_ids"]), all);
    assert_eq!(s["status"].as_object().unwrap().len(), 150);

    emu.clear_log();
    assert_eq!(ws.plan().code, 0);
    assert_eq!(emu.count("BatchGetAccountStatus"), 2, "a refresh reads 150 accounts in 2 calls");
}

#[test]
fn partial_failure_keeps_what_was_done_and_reapply_converges_without_disabling() {
    let members = ids(&[MEMBER_A, MEMBER_B]);
    let emu = organization(&members);
    emu.fault(json!({"kind": "failed_account", "operation": "Enable", "account_id": MEMBER_B,
                     "code": "BLOCKED_BY_ORGANIZATION_POLICY", "message": "Denied by SCP p-123", "times": null}));
    let all = ids(&[ADMIN, MEMBER_A, MEMBER_B]);
    let ws = admin_workspace("partial", &emu, &resource_with(&all, ""));
    let run = ws.apply().failed();
    let out = run.all();
    assert!(out.contains("333333333333: BLOCKED_BY_ORGANIZATION_POLICY: Denied by SCP p-123"), "{out}");
    assert!(out.contains("SCP"), "{out}");
    no_backtrace(&out);
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(sorted_strings(&s["account_ids"]), all, "account_ids stays as configured");
    let status: Vec<&String> = s["status"].as_object().expect("status is a map").keys().collect();
    assert_eq!(status, [ADMIN, MEMBER_A], "status holds exactly what was enabled");
    assert_eq!(emu.resource_state(MEMBER_B, "ECR"), "DISABLED");
    assert_eq!(ws.plan().code, 2, "the next plan shows what is still missing");

    emu.clear_faults();
    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Disable", "converging must never turn scanning off on accounts already done");
    for a in &all {
        assert_eq!(emu.resource_state(a, "ECR"), "ENABLED");
    }
    assert_eq!(sorted_strings(&ws.state_of(ECR_SCANNING)["account_ids"]), all);
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn enabling_that_outlasts_the_timeout_errors_clearly_and_reapply_converges() {
    let members = ids(&[MEMBER_A]);
    let emu = organization(&members);
    emu.set_account(MEMBER_A, json!({"stuck": true}));
    let both = ids(&[ADMIN, MEMBER_A]);
    let ws = admin_workspace("timeout", &emu, &resource_with(&both, "  timeouts {\n    create = \"3s\"\n  }\n"));
    let started = Instant::now();
    let run = ws.apply().failed();
    assert!(started.elapsed().as_secs() < 60);
    let out = run.all();
    assert!(out.contains("Timed out after 3s waiting for ECR scanning to be ENABLED in 1 account(s)"), "{out}");
    assert!(out.contains("222222222222: ECR ENABLING"), "{out}");
    no_backtrace(&out);
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(s["status"][ADMIN], "ENABLED");
    assert_eq!(s["status"][MEMBER_A], "ENABLING", "state tells the truth: still enabling");

    emu.set_account(MEMBER_A, json!({"stuck": false}));
    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Disable", "converging after a timeout must not disable");
    assert_eq!(ws.state_of(ECR_SCANNING)["status"][MEMBER_A], "ENABLED");
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn throttling_and_server_errors_are_survived() {
    let emu = Emulator::start();
    emu.fault(json!({"kind": "throttle", "operation": "Enable", "times": 2}));
    emu.fault(json!({"kind": "server_error", "operation": "BatchGetAccountStatus", "times": 2}));
    emu.fault(json!({"kind": "failed_account", "operation": "Enable", "account_id": STANDALONE,
                     "code": "SSM_THROTTLED", "message": "try later", "times": 1}));
    let ws = workspace("throttle", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n");
    ws.apply().ok();
    assert_eq!(emu.resource_state(STANDALONE, "ECR"), "ENABLED");
    assert!(emu.count("Enable") >= 4, "2 throttled + 1 transient failure + 1 success");
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn bad_input_is_rejected_at_plan_naming_the_attribute_without_calling_aws() {
    let emu = Emulator::start();
    let cases: &[(&str, &str, &str)] = &[
        ("", "resource \"inspector2fix_ecr_scanning\" \"this\" {\n  account_ids = [\"12345\"]\n}", "account_ids"),
        ("", "resource \"inspector2fix_ecr_scanning\" \"this\" {\n  account_ids = []\n}", "account_ids"),
        ("", "resource \"inspector2fix_ecr_scanning\" \"this\" {\n  account_ids = [123]\n}", "account_ids"),
        (
            "",
            "resource \"inspector2fix_ecr_scanning\" \"this\" {\n  timeouts {\n    create = \"soon\"\n  }\n}",
            "timeouts.create",
        ),
        ("max_retries = -1", "resource \"inspector2fix_ecr_scanning\" \"this\" {}", "max_retries"),
        (
            "endpoints {\n    inspector2 = \"not a url\"\n  }",
            "resource \"inspector2fix_ecr_scanning\" \"this\" {}",
            "endpoints.inspector2",
        ),
        (
            "assume_role {\n    role_arn = \"admin\"\n  }",
            "resource \"inspector2fix_ecr_scanning\" \"this\" {}",
            "assume_role.role_arn",
        ),
    ];
    for (provider, resource, attribute) in cases {
        let ws = workspace("badinput", &emu.url());
        ws.config(&format!("provider \"inspector2fix\" {{\n  {provider}\n}}\n\n{resource}\n"));
        let run = ws.plan();
        assert_eq!(run.code, 1, "{resource} should fail plan:\n{}", run.all());
        let out = run.all();
        assert!(out.contains(&format!("{attribute}:")), "error must name {attribute}:\n{out}");
        no_backtrace(&out);
        assert_eq!(emu.aws_calls(), 0, "no AWS call for bad input ({attribute})");
    }
}

#[test]
fn assume_role_acts_as_the_role_account() {
    let emu = Emulator::start();
    let ws = workspace("assume", &emu.url());
    ws.config(
        "provider \"inspector2fix\" {\n  assume_role {\n    role_arn = \"arn:aws:iam::444444444444:role/inspector-admin\"\n    session_name = \"ci\"\n  }\n}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n",
    );
    ws.apply().ok();
    assert_eq!(ws.state_of(ECR_SCANNING)["id"], "444444444444");
    assert_eq!(emu.resource_state("444444444444", "ECR"), "ENABLED");
    assert!(emu.count("AssumeRole") >= 1);
}

#[test]
fn provider_endpoints_beat_the_environment() {
    let emu = Emulator::start();
    // AWS_ENDPOINT_URL points at a closed port: only the endpoints block can reach the emulator.
    let ws = workspace("endpoints", "http://127.0.0.1:9");
    ws.config(&format!(
        "provider \"inspector2fix\" {{\n  max_retries = 0\n  endpoints {{\n    inspector2 = \"{0}\"\n    sts        = \"{0}\"\n  }}\n}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  timeouts {{\n    create = \"20s\"\n  }}\n}}\n",
        emu.url()
    ));
    ws.apply().ok();
    assert_eq!(emu.resource_state(STANDALONE, "ECR"), "ENABLED");
}

#[test]
fn replace_never_turns_scanning_off() {
    let emu = Emulator::start();
    let ws = workspace("replace", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n");
    ws.apply().ok();
    emu.clear_log();
    let run = ws.tf(&["apply", "-auto-approve", "-no-color", "-input=false", &format!("-replace={ECR_SCANNING}")]).ok();
    assert!(run.all().contains("1 added, 0 changed, 1 destroyed"), "{}", run.all());
    emu.assert_no_call("Disable", "the destroy half of a replacement must not disable");
    assert_eq!(emu.resource_state(STANDALONE, "ECR"), "ENABLED");
    assert_eq!(ws.plan().code, 0);
}

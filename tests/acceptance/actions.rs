//! Action `inspector2fix_enable_ecr_scanning` with a real Terraform 1.15 (plugin protocol 6.10):
//! `terraform apply -invoke`, an `action_trigger` after a resource is created, and one Ctrl-C.

use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::*;

const ADMIN: &str = "111111111111";
const VENDED: &str = "222222222222";
const HANG_GUARD: Duration = Duration::from_secs(30);

/// ADMIN (key AKIDADMIN) administers VENDED, whose ECR scanning is off.
fn organization() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDADMIN": ADMIN}, "delegated_admin": ADMIN, "members": [VENDED]}));
    emu
}

fn action_workspace(name: &str, emu: &Emulator, body: &str) -> Workspace {
    let mut ws = workspace(name, &emu.url());
    ws.program = terraform_1_15().to_owned();
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\naction \"inspector2fix_enable_ecr_scanning\" \"vend\" {{\n  config {{\n    \
         account_ids = [\"{VENDED}\"]\n  }}\n}}\n\n{body}"
    ));
    ws
}

#[test]
fn invoke_enables_the_accounts_reports_progress_and_changes_no_state() {
    if skip_on_opentofu(
        "actions are Terraform 1.14+ only (OpenTofu 1.12 has none); they run on Terraform 1.15 in make test",
    ) {
        return;
    }
    let emu = organization();
    let ws = action_workspace("action-invoke", &emu, "");
    let run =
        ws.tf(&["apply", "-auto-approve", "-no-color", "-invoke=action.inspector2fix_enable_ecr_scanning.vend"]).ok();
    let out = run.all();
    assert!(out.contains("Enabling ECR scanning in 1 accounts in us-east-1"), "{out}");
    assert!(out.contains("ECR ENABLED in 1/1 accounts, 0 pending, 0 failed"), "{out}");
    assert!(out.contains("Actions: 1 invoked"), "{out}");
    assert_eq!(emu.resource_state(VENDED, "ECR"), "ENABLED");
    for types in emu.calls("Enable").iter().map(|c| field(c, "resource_types").clone()) {
        assert_eq!(types, json!(["ECR"]), "Enable must name ECR only");
    }
    assert!(ws.state().is_empty(), "an action records nothing in state");
}

#[test]
fn an_action_trigger_runs_it_after_the_resource_is_created_and_only_then() {
    if skip_on_opentofu(
        "actions are Terraform 1.14+ only (OpenTofu 1.12 has none); they run on Terraform 1.15 in make test",
    ) {
        return;
    }
    let emu = organization();
    let vending = "resource \"terraform_data\" \"account\" {\n  input = \"vended\"\n  lifecycle {\n    action_trigger {\n      \
                   events  = [after_create]\n      actions = [action.inspector2fix_enable_ecr_scanning.vend]\n    }\n  }\n}\n";
    let ws = action_workspace("action-trigger", &emu, vending);
    let run = ws.apply().ok();
    assert!(run.all().contains("Actions: 1 invoked"), "{}", run.all());
    assert_eq!(emu.resource_state(VENDED, "ECR"), "ENABLED");
    emu.clear_log();
    let again = ws.apply().ok();
    assert!(!again.all().contains("Action started"), "nothing was created, so no action runs:\n{}", again.all());
    // No create, so no action: not one AWS call (the emulator's log is complete).
    assert_eq!(emu.aws_calls(), 0, "{:?}", emu.requests().nonzero_counts());
}

#[test]
fn an_account_that_cannot_be_enabled_is_an_error_naming_it() {
    if skip_on_opentofu(
        "actions are Terraform 1.14+ only (OpenTofu 1.12 has none); they run on Terraform 1.15 in make test",
    ) {
        return;
    }
    let emu = organization();
    emu.set_account(VENDED, json!({"suspended": true}));
    let ws = action_workspace("action-suspended", &emu, "");
    let run = ws
        .tf(&["apply", "-auto-approve", "-no-color", "-invoke=action.inspector2fix_enable_ecr_scanning.vend"])
        .failed();
    let out = run.all();
    assert!(out.contains("inspector2fix_enable_ecr_scanning: enabling incomplete"), "{out}");
    assert!(out.contains(VENDED), "{out}");
    no_backtrace(&out);
}

#[test]
fn one_sigint_stops_the_action_waiting_on_an_account() {
    if skip_on_opentofu(
        "actions are Terraform 1.14+ only (OpenTofu 1.12 has none); they run on Terraform 1.15 in make test",
    ) {
        return;
    }
    let emu = organization();
    emu.set_account(VENDED, json!({"stuck": true}));
    let ws = action_workspace("action-sigint", &emu, "");
    let mut cmd =
        ws.command(&["apply", "-auto-approve", "-no-color", "-invoke=action.inspector2fix_enable_ecr_scanning.vend"]);
    // Its own process group, as a terminal's foreground job: the SIGINT goes to the whole group.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start terraform apply -invoke");
    let group = child.id();
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait_with_output());
    });
    let waiting = wait_for(HANG_GUARD, || emu.count("BatchGetAccountStatus") >= 2);
    assert!(waiting, "the action never got to waiting on the stuck account");
    let sent = Instant::now();
    signal_group("-INT", group);
    let output = done_rx.recv_timeout(HANG_GUARD).expect("terraform ended after one SIGINT").expect("terraform output");
    let took = sent.elapsed();
    eprintln!("actions: SIGINT to the end of the invocation: {took:.2?}");
    let out = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // A hang guard, not a timing: the measured time is printed above.
    assert!(took < Duration::from_secs(10), "one SIGINT took {took:?} to end the action:\n{out}");
    assert_ne!(output.status.code(), Some(0), "a stopped action is not a success:\n{out}");
    // Terraform 1.15.5 crashes on an event sent after its interrupt: only Completed may follow.
    assert!(!out.contains("TERRAFORM CRASH"), "{out}");
    assert!(
        out.contains("Stopped by Terraform (interrupt) while waiting for ECR scanning to be ENABLED in 1 account(s)"),
        "{out}"
    );
    no_backtrace(&out);
}

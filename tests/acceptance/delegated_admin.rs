//! Resource `inspector2fix_delegated_admin` with the real Terraform against the emulator: the
//! management account designates the Inspector delegated administrator per Region.

use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::*;

const MGMT: &str = "999999999999";
const ADMIN: &str = "111111111111";
const OTHER: &str = "333333333333";
const MEMBER: &str = "222222222222";
const US_EAST_1: &str = "us-east-1";
const EU_WEST_1: &str = "eu-west-1";
const ADDR_US: &str = "inspector2fix_delegated_admin.this[\"us-east-1\"]";
const ADDR_EU: &str = "inspector2fix_delegated_admin.this[\"eu-west-1\"]";

/// An AWS organization with MGMT as management account and ADMIN, OTHER and MEMBER in its root,
/// no Inspector administrator yet; a change settles after `polls` Get/List reads.
fn organization(polls: u64) -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({
        "credentials": {"AKIDMGMT": MGMT, "AKIDADMIN": ADMIN, "AKIDOTHER": OTHER},
        "delegated_admin_polls": polls,
    }));
    emu.put_organizations(json!({
        "management_account": MGMT,
        "accounts": {ADMIN: "Root", OTHER: "Root", MEMBER: "Root"},
    }));
    emu
}

fn workspace(name: &str, emu: &Emulator, key: &str, body: &str) -> Workspace {
    let mut ws = crate::harness::workspace(name, &emu.url());
    ws.access_key = key.into();
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{body}"));
    ws
}

/// One resource per Region for `account`, with `extra` attributes.
fn per_region(account: &str, extra: &str) -> String {
    format!(
        "resource \"inspector2fix_delegated_admin\" \"this\" {{\n  for_each   = toset([\"us-east-1\", \"eu-west-1\"])\n  \
         account_id = \"{account}\"\n  region     = each.key\n{extra}}}\n"
    )
}

fn single(account: &str, region: &str, extra: &str) -> String {
    format!(
        "resource \"inspector2fix_delegated_admin\" \"this\" {{\n  account_id = \"{account}\"\n  region = \"{region}\"\n{extra}}}\n"
    )
}

/// The Region's Inspector delegated administrator as the emulator holds it (null when none).
#[track_caller]
fn admin_in(emu: &Emulator, region: &str) -> Value {
    field(&emu.organization_in(region), "delegated_admin").clone()
}

#[test]
fn designates_in_every_region_waits_for_enabled_imports_and_heals_drift() {
    let emu = organization(3);
    let ws = workspace("delegated-admin", &emu, "AKIDMGMT", &per_region(ADMIN, ""));
    ws.apply().ok();
    for (address, region) in [(ADDR_US, US_EAST_1), (ADDR_EU, EU_WEST_1)] {
        let s = ws.state_of(address);
        assert_eq!((&s["id"], &s["account_id"], &s["region"]), (&json!(ADMIN), &json!(ADMIN), &json!(region)));
        assert_eq!((&s["relationship_status"], &s["disable_on_destroy"]), (&json!("ENABLED"), &json!(false)));
        assert_eq!(admin_in(&emu, region), json!(ADMIN));
        assert_eq!(emu.count_in(region, "EnableDelegatedAdminAccount"), 1, "one Enable per Region");
        // The plan's check, the read before the Enable, and the reads until it settled.
        assert!(emu.count_in(region, "GetDelegatedAdminAccount") >= 4, "{:?}", emu.requests().nonzero_counts());
    }
    // Once administrator, the other accounts are its members to associate.
    assert_eq!(emu.relationship_in(US_EAST_1, MEMBER), "CREATED");
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "{}", plan.all());

    // Import by ACCOUNT@REGION; another account is refused, naming the administrator there.
    ws.tf(&["state", "rm", "-no-color", ADDR_EU]).ok();
    let wrong =
        ws.tf(&["import", "-no-color", "-input=false", ADDR_EU, &format!("{OTHER}@{EU_WEST_1}")]).failed().all();
    assert!(
        wrong.contains("account 333333333333 is not the Inspector delegated administrator in eu-west-1: the administrator there is account 111111111111 (ENABLED)"),
        "{wrong}"
    );
    no_backtrace(&wrong);
    ws.tf(&["import", "-no-color", "-input=false", ADDR_EU, &format!("{ADMIN}@{EU_WEST_1}")]).ok();
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after the import must be clean:\n{}", plan.all());

    // Removed outside Terraform in one Region: planned as a create there only, and healed.
    emu.set_organization_in(EU_WEST_1, json!({"delegated_admin": null}));
    let drift = ws.plan();
    assert_eq!(drift.code, 2, "{}", drift.all());
    assert!(drift.all().contains("Plan: 1 to add, 0 to change, 0 to destroy"), "{}", drift.all());
    ws.apply().ok();
    assert_eq!(admin_in(&emu, EU_WEST_1), json!(ADMIN));

    // The default destroy only forgets: the administrator stays, and nothing is disabled.
    emu.clear_log();
    ws.destroy().ok();
    emu.assert_no_call("DisableDelegatedAdminAccount", "disable_on_destroy defaults to false");
    assert_eq!((admin_in(&emu, US_EAST_1), admin_in(&emu, EU_WEST_1)), (json!(ADMIN), json!(ADMIN)));
}

#[test]
fn disable_on_destroy_removes_the_administrator_and_members_become_standalone() {
    let emu = organization(2);
    let ws = workspace("delegated-admin-remove", &emu, "AKIDMGMT", &per_region(ADMIN, "  disable_on_destroy = true\n"));
    ws.apply().ok();
    assert_eq!(emu.relationship_in(EU_WEST_1, MEMBER), "CREATED");
    // A replacement's destroy half removes nothing.
    emu.clear_log();
    ws.tf(&["apply", "-no-color", "-input=false", "-auto-approve", "-replace", ADDR_US]).ok();
    emu.assert_no_call("DisableDelegatedAdminAccount", "the first half of a replacement removes nothing");
    emu.assert_no_call("EnableDelegatedAdminAccount", "the account is already administrator");
    ws.destroy().ok();
    for region in [US_EAST_1, EU_WEST_1] {
        assert_eq!(emu.count_in(region, "DisableDelegatedAdminAccount"), 1);
        assert_eq!(admin_in(&emu, region), Value::Null, "removed in {region}");
        let members = field(&emu.organization_in(region), "members").clone();
        assert_eq!(members, json!([]), "every member is standalone once the administrator is removed");
    }
    assert!(!ws.in_state(ADDR_US) && !ws.in_state(ADDR_EU));
}

#[test]
fn another_administrator_is_named_at_plan_and_nothing_is_sent() {
    let emu = organization(1);
    // OTHER becomes administrator in us-east-1 the way a management account would.
    let first = workspace("delegated-admin-first", &emu, "AKIDMGMT", &single(OTHER, US_EAST_1, ""));
    first.apply().ok();
    emu.clear_log();

    let ws = workspace("delegated-admin-second", &emu, "AKIDMGMT", &single(ADMIN, US_EAST_1, ""));
    let out = ws.plan().failed().all();
    assert!(out.contains("Another account is the delegated administrator"), "{out}");
    assert!(
        out.contains("account 333333333333 (ENABLED) is already the Amazon Inspector delegated administrator in us-east-1, so account 111111111111 cannot be"),
        "{out}"
    );
    assert!(out.contains("same account in every Region"), "{out}");
    no_backtrace(&out);
    emu.assert_no_call("EnableDelegatedAdminAccount", "refused at plan");

    // In another Region none is designated, so the plan passes; AWS's Conflict is explained.
    let ws = workspace("delegated-admin-elsewhere", &emu, "AKIDMGMT", &single(ADMIN, EU_WEST_1, ""));
    let out = ws.apply().failed().all();
    assert!(out.contains("EnableDelegatedAdminAccount: ConflictException"), "{out}");
    assert!(
        out.contains(
            "Inspector names no other delegated administrator in eu-west-1, so another Region most likely has one"
        ),
        "{out}"
    );
    assert_eq!(emu.count_in(EU_WEST_1, "EnableDelegatedAdminAccount"), 1, "a Conflict is not retried");
    assert!(!ws.in_state("inspector2fix_delegated_admin.this"), "nothing took effect");
    assert_eq!(admin_in(&emu, EU_WEST_1), Value::Null);
}

#[test]
fn a_caller_that_is_not_the_management_account_is_refused_at_plan() {
    let emu = organization(1);
    let ws = workspace("delegated-admin-member", &emu, "AKIDADMIN", &single(ADMIN, US_EAST_1, ""));
    let out = ws.plan().failed().all();
    assert!(out.contains("inspector2fix_delegated_admin: not the management account"), "{out}");
    assert!(out.contains("Only the AWS Organizations management account can designate"), "{out}");
    assert!(out.contains("account 111111111111 is not it"), "{out}");
    emu.assert_no_call("EnableDelegatedAdminAccount", "refused at plan");
}

#[test]
fn a_designation_that_does_not_settle_in_time_is_kept_tainted_and_the_next_apply_waits_without_a_second_enable() {
    let emu = organization(100_000);
    let body = single(ADMIN, US_EAST_1, "  timeouts {\n    create = \"2s\"\n  }\n");
    let ws = workspace("delegated-admin-timeout", &emu, "AKIDMGMT", &body);
    let out = ws.apply().failed().all();
    assert!(
        out.contains("Timed out after 2s waiting for account 111111111111 to read ENABLED as Inspector's delegated administrator in us-east-1: EnableDelegatedAdminAccount was accepted, and the last read names account 111111111111 (CREATED)"),
        "{out}"
    );
    no_backtrace(&out);
    let s = ws.state_of("inspector2fix_delegated_admin.this");
    assert_eq!(s["relationship_status"], "CREATED", "what Inspector accepted stays in state");
    let state = ws.tf(&["state", "list", "-no-color"]).ok().all();
    assert!(state.contains("inspector2fix_delegated_admin.this"), "{state}");

    emu.put_config(json!({"delegated_admin_polls": 1}));
    ws.apply().ok();
    assert_eq!(emu.count("EnableDelegatedAdminAccount"), 1, "the accepted Enable is waited for, not re-sent");
    assert_eq!(ws.state_of("inspector2fix_delegated_admin.this")["relationship_status"], "ENABLED");
    assert_eq!(admin_in(&emu, US_EAST_1), json!(ADMIN));
}

/// A hang guard, not a timing: without the stop, the wait would run for the 30-minute default.
const HANG_GUARD: Duration = Duration::from_secs(30);

#[test]
fn one_sigint_ends_the_wait_for_enabled_and_keeps_the_accepted_designation() {
    let emu = organization(100_000);
    let ws = workspace("delegated-admin-sigint", &emu, "AKIDMGMT", &single(ADMIN, US_EAST_1, ""));
    let mut cmd = ws.command(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    // Its own process group, as a terminal's foreground job: the SIGINT goes to the whole group.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start terraform apply");
    let group = child.id();
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait_with_output());
    });
    let waiting = wait_for(HANG_GUARD, || {
        emu.count("EnableDelegatedAdminAccount") == 1 && emu.count("GetDelegatedAdminAccount") >= 4
    });
    assert!(waiting, "the apply never got to waiting for ENABLED: {:?}", emu.requests().nonzero_counts());
    let sent = Instant::now();
    signal_group("-INT", group);
    let output = done_rx.recv_timeout(HANG_GUARD).expect("terraform ended after one SIGINT").expect("terraform output");
    let took = sent.elapsed();
    eprintln!("delegated_admin: SIGINT to the end of the apply: {took:.2?}");
    let out = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(took < HANG_GUARD, "one SIGINT took {took:?} to end the apply:\n{out}");
    assert_ne!(output.status.code(), Some(0), "a stopped apply is not a success:\n{out}");
    assert!(
        out.contains("Stopped by Terraform (interrupt) while waiting for account 111111111111 to read ENABLED as Inspector's delegated administrator in us-east-1"),
        "{out}"
    );
    no_backtrace(&out);
    let s = ws.state_of("inspector2fix_delegated_admin.this");
    assert_eq!(s["relationship_status"], "CREATED", "the accepted Enable stays in state:\n{out}");
}

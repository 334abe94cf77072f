//! The organization write side with the real Terraform against the emulator: resource
//! `inspector2fix_ecr_auto_enable` and `associate_members` on `inspector2fix_ecr_scanning`.

use serde_json::{json, Value};

use crate::harness::*;

const AUTO: &str = "inspector2fix_ecr_auto_enable.this";
const SCANNING: &str = "inspector2fix_ecr_scanning.this";
const US_EAST_1: &str = "us-east-1";
const EU_WEST_1: &str = "eu-west-1";

/// Flags other than ECR, set unlike one another so a flag sent back wrong shows.
fn other_flags() -> Value {
    json!({"ec2": true, "lambda": true, "lambdaCode": false, "codeRepository": true, "ami": false})
}

/// An organization: ADMIN is the delegated administrator (key AKIDADMIN), MEMBER an associated
/// member (key AKIDMEMBER); auto-enable has the other flags set and ECR off.
fn organization() -> Emulator {
    let emu = crate::harness::organization(&[MEMBER]);
    let mut flags = other_flags();
    flags["ecr"] = json!(false);
    emu.control("PUT", "/_emulator/organization", Some(json!({"auto_enable": flags})));
    emu
}

fn workspace(name: &str, emu: &Emulator, key: &str, body: &str) -> Workspace {
    let mut ws = crate::harness::workspace(name, &emu.url());
    ws.access_key = key.into();
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{body}"));
    ws
}

fn auto_enable(attributes: &str) -> String {
    format!("resource \"inspector2fix_ecr_auto_enable\" \"this\" {{\n{attributes}}}\n")
}

/// The emulator's auto-enable flags in us-east-1, each present and a bool.
#[track_caller]
fn flags(emu: &Emulator) -> Value {
    flags_in(emu, US_EAST_1)
}

#[track_caller]
fn flags_in(emu: &Emulator, region: &str) -> Value {
    let view = emu.organization_in(region);
    let flags = field(&view, "auto_enable").clone();
    for name in ["ec2", "ecr", "lambda", "lambdaCode", "codeRepository", "ami"] {
        assert!(flags[name].is_boolean(), "auto_enable lacks {name}: {view}");
    }
    flags
}

#[track_caller]
fn assert_flags(emu: &Emulator, ecr: bool) {
    let mut expected = other_flags();
    expected["ecr"] = json!(ecr);
    assert_eq!(flags(emu), expected, "only the ECR flag may change");
}

#[track_caller]
fn relationship(emu: &Emulator, account: &str) -> String {
    emu.relationship_in(US_EAST_1, account)
}

#[track_caller]
fn set_relationship(emu: &Emulator, account: &str, status: &str) {
    emu.set_member_in(US_EAST_1, account, status);
}

#[test]
fn auto_enable_on_stale_reads_drift_import_and_destroy_touch_only_ecr() {
    let emu = organization();
    emu.fault(json!({"kind": "stale_org_config", "reads": 3, "times": 10}));
    let ws = workspace("auto-enable", &emu, "AKIDADMIN", &auto_enable(""));

    ws.apply().ok();
    assert_flags(&emu, true);
    let s = ws.state_of(AUTO);
    assert_eq!((&s["id"], &s["region"]), (&json!(ADMIN), &json!("us-east-1")));
    assert_eq!((&s["disable_on_destroy"], &s["max_account_limit_reached"]), (&json!(true), &json!(false)));
    assert_eq!(emu.count("UpdateOrganizationConfiguration"), 1, "a stale read is waited out, not re-sent");
    // The read before the update, 3 stale reads, and 2 confirming ones (plus the plan's check).
    assert!(emu.count("DescribeOrganizationConfiguration") >= 6, "{:?}", emu.requests().nonzero_counts());
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "the stale reads must give no diff after apply:\n{}", plan.all());

    // Turned off outside Terraform: planned as a create, and applied with the other flags kept.
    emu.control("PUT", "/_emulator/organization", Some(json!({"auto_enable": {"ecr": false}})));
    let drift = ws.plan();
    assert_eq!(drift.code, 2, "{}", drift.all());
    assert!(drift.all().contains("inspector2fix_ecr_auto_enable.this will be created"), "{}", drift.all());
    ws.apply().ok();
    assert_flags(&emu, true);
    assert_eq!(ws.plan().code, 0);

    // Import by the administrator's account, with and without @region; another account is refused.
    for id in [format!("{ADMIN}@us-east-1"), ADMIN.to_owned()] {
        ws.tf(&["state", "rm", "-no-color", AUTO]).ok();
        let wrong = ws.tf(&["import", "-no-color", "-input=false", AUTO, MEMBER]).failed().all();
        assert!(wrong.contains("account 222222222222 is not the provider's account 111111111111"), "{wrong}");
        ws.tf(&["import", "-no-color", "-input=false", AUTO, &id]).ok();
        assert_eq!(ws.state_of(AUTO)["region"], "us-east-1");
        let plan = ws.plan();
        assert_eq!(plan.code, 0, "plan after importing {id} must be clean:\n{}", plan.all());
    }

    // The member limit is read into state, with a warning.
    emu.set_organization_in(US_EAST_1, json!({"max_account_limit_reached": true}));
    let full = ws.tf(&["apply", "-no-color", "-input=false", "-auto-approve", "-refresh-only"]).ok().all();
    assert!(full.contains("Inspector's member account limit is reached"), "{full}");
    assert_eq!(ws.state_of(AUTO)["max_account_limit_reached"], true);

    ws.destroy().ok();
    assert_flags(&emu, false);
    for call in emu.calls("UpdateOrganizationConfiguration") {
        let sent = field(&call, "auto_enable");
        for (name, value) in other_flags().as_object().unwrap() {
            assert_eq!(&sent[name], value, "{name} must be sent back as read: {call}");
        }
    }
}

#[test]
fn a_flag_that_never_sticks_times_out_naming_what_was_read_and_saves_nothing() {
    let emu = organization();
    emu.fault(json!({"kind": "stale_org_config", "reads": 100000, "times": 1}));
    let body = auto_enable("  timeouts {\n    create = \"2s\"\n  }\n");
    let ws = workspace("auto-enable-timeout", &emu, "AKIDADMIN", &body);
    let out = ws.apply().failed().all();
    assert!(
        out.contains("Timed out after 2s waiting for the organization's auto-enable flag for ECR to read true"),
        "{out}"
    );
    assert!(out.contains("the last read says ecr=false"), "{out}");
    no_backtrace(&out);
    assert!(!ws.in_state(AUTO), "an unconfirmed flag is not saved");
    assert_eq!(emu.count("UpdateOrganizationConfiguration"), 1, "never re-sent while reads are stale");
}

#[test]
fn auto_enable_in_another_region_covers_accounts_joining_there_only() {
    let emu = organization();
    let ws = workspace("auto-enable-region", &emu, "AKIDADMIN", &auto_enable("  region = \"eu-west-1\"\n"));
    ws.apply().ok();
    assert_eq!(ws.state_of(AUTO)["region"], EU_WEST_1);
    assert_eq!(flags_in(&emu, EU_WEST_1)["ecr"], true);
    assert_flags(&emu, false);

    ws.tf(&["state", "rm", "-no-color", AUTO]).ok();
    ws.tf(&["import", "-no-color", "-input=false", AUTO, &format!("{ADMIN}@{EU_WEST_1}")]).ok();
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after importing with @eu-west-1 must be clean:\n{}", plan.all());

    // A new account is associated and scans ECR by itself where the flag is on, and only there.
    let joined = emu.join_in(EU_WEST_1, json!({"account_id": "777777777777"}));
    assert_eq!(emu.relationship_in(EU_WEST_1, &joined[0]), "ENABLED");
    assert_ne!(emu.resource_state_in(EU_WEST_1, &joined[0], "ECR"), "DISABLED");
    let elsewhere = emu.join_in(US_EAST_1, json!({"account_id": "888888888888"}));
    // There the other flags are on, so it is associated, but its ECR scanning stays off.
    assert_eq!(emu.resource_state_in(US_EAST_1, &elsewhere[0], "ECR"), "DISABLED");

    ws.destroy().ok();
    assert_eq!(flags_in(&emu, EU_WEST_1)["ecr"], false);
}

#[test]
fn disable_on_destroy_false_forgets_and_a_replacement_turns_nothing_off() {
    let emu = organization();
    let ws = workspace("auto-enable-forget", &emu, "AKIDADMIN", &auto_enable(""));
    ws.apply().ok();
    assert_flags(&emu, true);
    // An update (here of disable_on_destroy) finds the flag on and writes nothing.
    emu.clear_log();
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{}", auto_enable("  disable_on_destroy = false\n")));
    ws.apply().ok();
    emu.assert_no_call("UpdateOrganizationConfiguration", "the flag is already on");
    assert_eq!(ws.state_of(AUTO)["disable_on_destroy"], false);
    ws.tf(&["apply", "-no-color", "-input=false", "-auto-approve", "-replace", AUTO]).ok();
    assert_flags(&emu, true);
    emu.clear_log();
    ws.destroy().ok();
    emu.assert_no_call("UpdateOrganizationConfiguration", "disable_on_destroy = false only forgets");
    assert_flags(&emu, true);
}

#[test]
fn a_non_administrator_is_refused_at_plan() {
    let emu = organization();
    let ws = workspace("auto-enable-member", &emu, "AKIDMEMBER", &auto_enable(""));
    let out = ws.plan().failed().all();
    assert!(out.contains("not the delegated administrator"), "{out}");
    assert!(out.contains("account 222222222222"), "{out}");
    no_backtrace(&out);
    emu.assert_no_call("UpdateOrganizationConfiguration", "a plan changes nothing");
    assert_flags(&emu, false);
}

#[test]
fn bad_input_for_each_new_argument_is_named_with_no_aws_call() {
    let emu = organization();
    emu.clear_log();
    for (body, named) in [
        (auto_enable("  region = \"Europe\"\n"), "region: \"Europe\""),
        (auto_enable("  timeouts {\n    create = \"soon\"\n  }\n"), "timeouts.create: \"soon\""),
        (auto_enable("  disable_on_destroy = \"sometimes\"\n"), "disable_on_destroy"),
        (
            "resource \"inspector2fix_ecr_scanning\" \"this\" {\n  associate_members = \"maybe\"\n}\n".to_owned(),
            "associate_members",
        ),
    ] {
        let ws = workspace("org-write-bad-input", &emu, "AKIDADMIN", &body);
        let out = ws.plan().failed().all();
        assert!(out.contains(named), "{named}: {out}");
    }
    assert_eq!(emu.aws_calls(), 0, "bad input makes no AWS call");
}

#[test]
fn associate_members_takes_created_accounts_to_enabled_and_scanning_and_never_disassociates() {
    let emu = organization();
    // Each association settles only after a few member reads, so the provider has to wait.
    emu.put_config(json!({"associate_polls": 3}));
    let (created, created_too, suspended, outsider) = ("333333333333", "444444444444", "555555555555", "666666666666");
    set_relationship(&emu, created, "CREATED");
    set_relationship(&emu, created_too, "CREATED");
    set_relationship(&emu, suspended, "ACCOUNT_SUSPENDED");
    let accounts: Vec<String> = [ADMIN, MEMBER, created, created_too, suspended, outsider].map(String::from).to_vec();
    let body = format!(
        "resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n  associate_members = true\n}}\n",
        hcl_list(&accounts)
    );
    let ws = workspace("associate", &emu, "AKIDADMIN", &body);

    let out = ws.apply().failed().all();
    assert!(out.contains("associating members incomplete"), "{out}");
    assert!(out.contains("555555555555: ACCOUNT_SUSPENDED"), "{out}");
    assert!(out.contains("666666666666: ValidationException"), "{out}");
    assert!(out.contains("does not list this account as a member"), "{out}");
    no_backtrace(&out);
    for account in [created, created_too] {
        assert_eq!(relationship(&emu, account), "ENABLED");
        assert_eq!(emu.resource_state(account, "ECR"), "ENABLED");
    }
    let status = ws.state_of(SCANNING)["status"].clone();
    let expected: Value =
        [ADMIN, MEMBER, created, created_too].iter().map(|a| (a.to_string(), json!("ENABLED"))).collect();
    assert_eq!(status, expected, "failed accounts stay out of status");
    assert_eq!(emu.count("AssociateMember"), 3, "the suspended account is not sent");

    // Removing accounts from the set disables their ECR, and destroy the rest, but nothing disassociates.
    // (The failed create left the resource tainted; a replacement would disable nothing.)
    ws.tf(&["untaint", "-no-color", SCANNING]).ok();
    let kept: Vec<String> = [ADMIN, MEMBER, created].map(String::from).to_vec();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n  \
         associate_members = true\n}}\n",
        hcl_list(&kept)
    ));
    ws.apply().ok();
    assert_eq!(emu.resource_state(created_too, "ECR"), "DISABLED");
    assert_eq!(relationship(&emu, created_too), "ENABLED", "removal from the set never disassociates");
    ws.destroy().ok();
    assert_eq!(emu.resource_state(created, "ECR"), "DISABLED");
    for account in [MEMBER, created, created_too] {
        assert_eq!(relationship(&emu, account), "ENABLED", "{account} must stay associated");
    }
    let operations = emu.requests().nonzero_counts();
    assert!(operations.keys().all(|op| !op.to_lowercase().contains("disassociate")), "{operations:?}");
}

#[test]
fn an_association_that_never_settles_times_out_and_the_others_are_enabled() {
    let emu = organization();
    emu.put_config(json!({"associate_polls": 1_000_000}));
    let slow = "333333333333";
    set_relationship(&emu, slow, "CREATED");
    let accounts: Vec<String> = [ADMIN, MEMBER, slow].map(String::from).to_vec();
    let body = format!(
        "resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n  associate_members = true\n  \
         timeouts {{\n    create = \"2s\"\n  }}\n}}\n",
        hcl_list(&accounts)
    );
    let ws = workspace("associate-timeout", &emu, "AKIDADMIN", &body);
    let out = ws.apply().failed().all();
    assert!(out.contains("Timed out after 2s waiting for 1 account(s) to become ENABLED members"), "{out}");
    assert!(out.contains("333333333333: relationship CREATED"), "{out}");
    let status = ws.state_of(SCANNING)["status"].clone();
    assert_eq!(status, json!({ADMIN: "ENABLED", MEMBER: "ENABLED"}), "the others are enabled in the time left");
    assert_eq!(emu.count("AssociateMember"), 1, "one AssociateMember, then only reads");
}

//! Destroy always finishes (issue 17, section 3): `inspector2fix_ecr_scanning` with
//! `associate_members` over five accounts, two of which could never be associated, turns off only
//! what it turned on and releases the rest without a call.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::harness::*;

const SCANNING: &str = "inspector2fix_ecr_scanning.this";
const ADMIN: &str = "111111111111";
const MEMBER: &str = "222222222222";
const CREATED: &str = "333333333333";
const SUSPENDED: &str = "555555555555";
const OUTSIDER: &str = "666666666666";
const US_EAST_1: &str = "us-east-1";

/// ADMIN the delegated administrator (key AKIDADMIN); MEMBER associated; CREATED a member not yet
/// associated; SUSPENDED a suspended member; OUTSIDER not in the organization at all.
fn organization() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({
        "credentials": {"AKIDADMIN": ADMIN},
        "delegated_admin": ADMIN,
        "members": [MEMBER],
        "associate_polls": 1,
    }));
    emu.set_member_in(US_EAST_1, CREATED, "CREATED");
    emu.set_member_in(US_EAST_1, SUSPENDED, "ACCOUNT_SUSPENDED");
    emu
}

/// Every account id any Disable call sent.
#[track_caller]
fn disabled_accounts(emu: &Emulator) -> BTreeSet<String> {
    let mut sent = BTreeSet::new();
    for call in emu.calls("Disable") {
        let ids = call["account_ids"].as_array().unwrap_or_else(|| panic!("a Disable without account ids: {call}"));
        sent.extend(ids.iter().map(|id| id.as_str().unwrap_or_else(|| panic!("not an id: {id}")).to_owned()));
    }
    sent
}

#[test]
fn destroy_after_a_partial_association_disables_only_what_was_enabled_and_finishes() {
    let emu = organization();
    let accounts: Vec<String> = [ADMIN, MEMBER, CREATED, SUSPENDED, OUTSIDER].map(String::from).to_vec();
    let mut ws = workspace("destroy-partial-association", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n  \
         associate_members = true\n}}\n",
        hcl_list(&accounts)
    ));

    let out = ws.apply().failed().all();
    assert!(out.contains("associating members incomplete"), "{out}");
    let status = ws.state_of(SCANNING)["status"].clone();
    let enabled: Value = [ADMIN, MEMBER, CREATED].iter().map(|a| (a.to_string(), json!("ENABLED"))).collect();
    assert_eq!(status, enabled, "the create is kept, tainted, with the three accounts it enabled");

    emu.clear_log();
    let out = ws.destroy().ok().all();
    no_backtrace(&out);
    assert!(!ws.in_state(SCANNING), "the destroy finished:\n{out}");
    let expected: BTreeSet<String> = [ADMIN, MEMBER, CREATED].map(String::from).into();
    assert_eq!(disabled_accounts(&emu), expected, "only what the resource turned on is turned off");
    for account in [ADMIN, MEMBER, CREATED] {
        assert_eq!(emu.resource_state(account, "ECR"), "DISABLED", "{account}");
    }
    for account in [MEMBER, CREATED] {
        assert_eq!(emu.relationship_in(US_EAST_1, account), "ENABLED", "{account} stays associated");
    }
    assert_eq!(emu.relationship_in(US_EAST_1, SUSPENDED), "ACCOUNT_SUSPENDED");
}

/// An account that reads as off when destroy runs (turned off outside Terraform) is released
/// without a Disable too.
#[test]
fn destroy_releases_an_account_that_reads_as_off_without_a_call() {
    let emu = organization();
    let mut ws = workspace("destroy-read-off", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n}}\n",
        hcl_list(&[ADMIN.to_owned(), MEMBER.to_owned()])
    ));
    ws.apply().ok();
    emu.set_account(MEMBER, json!({"resource_state": {"ECR": "DISABLED"}}));
    assert_eq!(emu.resource_state(MEMBER, "ECR"), "DISABLED", "turned off outside Terraform");
    emu.clear_log();
    ws.destroy().ok();
    assert!(!ws.in_state(SCANNING));
    assert_eq!(disabled_accounts(&emu), BTreeSet::from([ADMIN.to_owned()]));
    assert_eq!(emu.resource_state(ADMIN, "ECR"), "DISABLED");
}

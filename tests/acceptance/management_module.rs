//! The landing-zone module in examples/modules/management: its own `terraform test`, run as the
//! management account against an AWS organization in two Regions, designating the delegated
//! Inspector administrator and attaching an Inspector policy to one OU.

use std::path::Path;

use serde_json::{json, Value};

use crate::harness::*;

const MGMT: &str = "111111111111";
const ADMIN: &str = "222222222222";
const ROOT_MEMBER: &str = "333333333333";
const PROD_MEMBER: &str = "444444444444";
const REGIONS: [&str; 2] = ["us-east-1", "eu-west-1"];
const MODULE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/modules/management");

/// MGMT manages an organization with ADMIN and ROOT_MEMBER in the root and PROD_MEMBER in the OU
/// Prod; INSPECTOR_POLICY is enabled on the root; there is no Inspector administrator yet.
fn organization() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDMGMT": MGMT, "AKIDADMIN": ADMIN}}));
    emu.put_organizations(json!({
        "management_account": MGMT,
        "enabled_policy_types": ["INSPECTOR_POLICY"],
        "ous": [{"name": "Prod"}],
        "accounts": {ADMIN: "Root", ROOT_MEMBER: "Root", PROD_MEMBER: "Prod"},
    }));
    emu
}

fn copy_module(dir: &Path) {
    for sub in ["", "tests"] {
        let from = Path::new(MODULE_DIR).join(sub);
        std::fs::create_dir_all(dir.join(sub)).expect("create the module copy");
        for entry in std::fs::read_dir(&from).expect("read the module directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_file() {
                std::fs::copy(&path, dir.join(sub).join(path.file_name().expect("a file name"))).expect("copy");
            }
        }
    }
}

#[test]
fn the_management_module_test_designates_the_administrator_and_attaches_the_policy() {
    let emu = organization();
    let prod = emu.ou_id("Prod");
    let mut ws = workspace("management-module-test", &emu.url());
    ws.access_key = "AKIDMGMT".into();
    copy_module(&ws.dir);

    let targets = format!("policy_target_ids=[\"{prod}\"]");
    let run = ws.tf(&["test", "-no-color", "-var", &targets]);
    assert_eq!(run.code, 0, "terraform test failed:\n{}", run.all());
    assert!(run.stdout.contains("3 passed, 0 failed"), "{}", run.stdout);

    for region in REGIONS {
        // terraform test destroyed what it applied: the administrator stays (disable_on_destroy = false).
        let org = emu.organization_in(region);
        assert_eq!(field(&org, "delegated_admin"), &Value::from(ADMIN), "{region}: {org}");
        // The policy enabled ECR scanning in the OU only, and deleting it turned nothing off.
        assert_eq!(emu.resource_state_in(region, PROD_MEMBER, "ECR"), "ENABLED", "{region}");
        assert_eq!(emu.resource_state_in(region, ROOT_MEMBER, "ECR"), "DISABLED", "{region}");
    }
    let requests = emu.requests();
    assert_eq!(requests.count_of("organizations", "CreatePolicy"), 1);
    assert_eq!(requests.count_of("organizations", "AttachPolicy"), 1, "attached to the OU once");
    assert_eq!(
        requests.count_of("organizations", "DeletePolicy"),
        1,
        "the third run and the final destroy delete it once"
    );
    assert_eq!(requests.count_of("organizations", "EnablePolicyType"), 0, "policy types are never enabled");
    assert!(emu.org_policies().is_empty());
    emu.assert_no_call("DisableDelegatedAdminAccount", "disable_on_destroy = false keeps the administrator");
}

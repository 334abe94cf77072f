//! The landing-zone module in examples/modules/organization: its own `terraform test` against an
//! organization in three Regions, then the module used from a root configuration: accounts that
//! join later, and drift in one Region.

use std::path::Path;

use serde_json::{json, Value};

use crate::harness::*;

const EXCLUDED: &str = "210000000000";
const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const MODULE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/modules/organization");

/// An organization in every Region: 20 associated members plus the excluded one (from the config),
/// and per Region 3 accounts Inspector lists but has not associated yet. Only the excluded account
/// scans ECR, turned on by someone else (as a landing zone's log-archive account may be): Inspector.2
/// still counts it, so the module must leave it alone and still pass.
fn organization() -> Emulator {
    let emu = Emulator::start();
    let mut members: Vec<String> = (1..=20).map(|i| format!("{}", 200_000_000_000u64 + i)).collect();
    members.push(EXCLUDED.into());
    emu.put_config(json!({"credentials": {"AKIDADMIN": ADMIN}, "delegated_admin": ADMIN, "members": members}));
    for region in REGIONS {
        let created = emu
            .join_in(region, json!({"count": 3, "first_account_id": "300000000000", "relationship_status": "CREATED"}));
        assert_eq!(created, ["300000000000", "300000000001", "300000000002"]);
        emu.set_account_in(region, EXCLUDED, json!({"resource_state": {"ECR": "ENABLED"}}));
    }
    emu
}

/// Copies the module's files (and its tests/ with their helper module) into `dir`.
pub(crate) fn copy_module(dir: &Path) {
    for sub in ["", "tests", "tests/set-ecr"] {
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

fn ecr_everywhere(emu: &Emulator, account: &str) -> Vec<String> {
    REGIONS.iter().map(|r| emu.resource_state_in(r, account, "ECR")).collect()
}

#[test]
fn the_module_test_passes_every_region_in_one_apply() {
    let emu = organization();
    let mut ws = workspace("org-module-test", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    copy_module(&ws.dir);
    for region in REGIONS {
        let ev = emu.control(
            "GET",
            &format!("/_emulator/securityhub/findings?account_id={ADMIN}&evaluate=1&region={region}"),
            None,
        );
        let statuses: Vec<&str> = ev["findings"]
            .as_array()
            .expect("a findings list")
            .iter()
            .filter(|f| f["Compliance"]["SecurityControlId"] == "Inspector.2")
            .map(|f| f["Compliance"]["Status"].as_str().expect("a compliance status"))
            .collect();
        assert_eq!(statuses, ["FAILED"], "Inspector.2 in {region} before the module");
    }

    // The test's helper module (tests/set-ecr) is installed like any module: `get`, as `init`
    // fails under dev_overrides.
    ws.tf(&["get", "-no-color"]).ok();
    let run = ws.tf(&["test", "-no-color"]);
    assert_eq!(run.code, 0, "terraform test failed:\n{}", run.all());
    assert!(run.stdout.contains("5 passed, 0 failed"), "{}", run.stdout);
    // Its last runs turned the excluded account's ECR scanning off, out of band.
    assert_eq!(ecr_everywhere(&emu, EXCLUDED), ["DISABLED"; 3], "ECR of {EXCLUDED} after the test's set-ecr run");

    for account in [ADMIN, "200000000001", "200000000020", "300000000000", "300000000002"] {
        assert_eq!(ecr_everywhere(&emu, account), ["ENABLED"; 3], "ECR of {account} in {REGIONS:?}");
    }
    let enabled: Vec<Value> = emu.calls("Enable");
    assert!(!enabled.is_empty(), "the module enabled nobody");
    for call in &enabled {
        assert!(!call.to_string().contains(EXCLUDED), "the excluded account was sent in {call}");
    }
    for region in REGIONS {
        assert_eq!(emu.relationship_in(region, "300000000001"), "ENABLED", "associated in {region}");
        let org = emu.organization_in(region);
        assert_eq!(org["auto_enable"]["ecr"], Value::Bool(true), "auto-enable ECR in {region}: {org}");
        assert_eq!(org["auto_enable"]["ec2"], Value::Bool(false), "other flags untouched in {region}: {org}");
    }
    // terraform test destroys what it applied: the module's default forgets, so nothing is undone.
    emu.assert_no_call("Disable", "the module's destroy keeps ECR scanning on (disable_on_destroy = false)");
    // Nothing disassociates (the emulator does not even serve DisassociateMember): still members.
    for region in REGIONS {
        assert_eq!(emu.relationship_in(region, "200000000005"), "ENABLED", "still a member in {region}");
    }
}

fn root_workspace(emu: &Emulator) -> Workspace {
    let mut ws = workspace("org-module-root", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    let module = ws.dir.join("modules/organization");
    copy_module(&module);
    root_config(&ws, "", "output \"compliance\" {\n  value = module.inspector2.compliance_status\n}\n");
    ws
}

/// The root configuration calling the module, with `args` added to the module block, then `rest`.
fn root_config(ws: &Workspace, args: &str, rest: &str) {
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nmodule \"inspector2\" {{\n  source = \"./modules/organization\"\n  regions = {}\n  exclude_account_ids = [\"{EXCLUDED}\"]\n{args}}}\n\n{rest}",
        serde_json::to_string(&REGIONS).expect("json")
    ));
}

#[test]
fn accounts_that_join_are_covered_and_drift_shows_only_in_its_region() {
    let emu = organization();
    let ws = root_workspace(&emu);
    ws.tf(&["get", "-no-color"]).ok(); // installs the local module; the provider comes from dev_overrides
    ws.apply().ok();
    let passed = json!({"us-east-1": "PASSED", "eu-west-1": "PASSED", "ap-southeast-2": "PASSED"});
    assert_eq!(ws.outputs()["compliance"], passed);
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "a second plan must be empty:\n{}", plan.all());

    // Drift in one Region: the plan names that Region's instance and the account, nothing else.
    emu.set_account_in("ap-southeast-2", "200000000007", json!({"resource_state": {"ECR": "DISABLED"}}));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "drift must show:\n{}", plan.all());
    let drifted = "module.inspector2.inspector2fix_ecr_scanning.this[\"ap-southeast-2\"] will be updated in-place";
    assert!(plan.stdout.contains(drifted), "{}", plan.stdout);
    assert!(plan.stdout.contains("200000000007"), "{}", plan.stdout);
    for other in ["us-east-1", "eu-west-1"] {
        let line = format!("module.inspector2.inspector2fix_ecr_scanning.this[\"{other}\"] will be");
        assert!(!plan.stdout.contains(&line), "no change in {other}:\n{}", plan.stdout);
    }
    ws.apply().ok();
    assert_eq!(emu.resource_state_in("ap-southeast-2", "200000000007", "ECR"), "ENABLED");

    // A new account joins eu-west-1: auto-enable associates it and turns its ECR scanning on, and
    // Inspector.2 passes without an apply.
    let joined = emu.join_in("eu-west-1", json!({"account_id": "400000000000"}));
    assert_eq!(joined, ["400000000000"]);
    emu.clear_log();
    ws.tf(&["apply", "-refresh-only", "-auto-approve", "-no-color"]).ok();
    assert_eq!(ws.outputs()["compliance"], passed, "the joined account is covered without an apply");
    assert_eq!(emu.resource_state_in("eu-west-1", "400000000000", "ECR"), "ENABLED");
    emu.assert_no_call("Enable", "a refresh-only apply writes nothing");
}

/// README: `plan -detailed-exitcode` exit 0 means "still fixed" only with fail_on_noncompliance.
/// The excluded account turns ECR off: nothing the module manages changes, Inspector.2 fails.
#[test]
fn only_the_opt_in_makes_a_failing_control_fail_the_plan() {
    let emu = organization();
    let ws = root_workspace(&emu);
    ws.tf(&["get", "-no-color"]).ok();
    // No output of the compliance: a changed output alone makes the plan exit 2.
    root_config(&ws, "  fail_on_noncompliance = true\n", "");
    ws.apply().ok();
    assert_eq!(ws.plan().code, 0, "passing and unchanged: the opt-in does not fail the plan");

    emu.set_account_in("eu-west-1", EXCLUDED, json!({"resource_state": {"ECR": "DISABLED"}}));
    let plan = ws.plan();
    assert_eq!(plan.code, 1, "with the opt-in a failing control fails the plan:\n{}", plan.all());
    let text = plan.all();
    let why =
        format!("Inspector.2 is FAILED in eu-west-1 (fail_on_noncompliance is on); failing accounts: {EXCLUDED}.");
    assert!(text.contains(&why), "{text}");
    for other in ["us-east-1", "ap-southeast-2"] {
        assert!(!text.contains(&format!("FAILED in {other}")), "{other} passes:\n{text}");
    }

    root_config(&ws, "", "");
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "without the opt-in the same plan exits 0, only warning:\n{}", plan.all());
    let warning = format!("eu-west-1: FAILED, failing accounts: {EXCLUDED}");
    assert!(
        plan.all().contains("Inspector.2 does not pass in every Region") && plan.all().contains(&warning),
        "{}",
        plan.all()
    );
}

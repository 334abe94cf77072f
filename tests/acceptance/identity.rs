//! Resource identity (plugin protocol 6.9) with a real Terraform 1.15 ([`terraform_1_15`]; in the
//! OpenTofu run, scripts/testacc-tofu.sh, the suite's OpenTofu 1.12.6): every resource reports its
//! identity in state, and `import { identity = { ... } }` imports it as its id would.

use serde_json::{json, Map, Value};

use crate::harness::*;

const HOME: &str = "123456789012";

/// A workspace run by Terraform 1.15 (or the OpenTofu standing in for it), as `key`
fn workspace_1_15(name: &str, emu: &Emulator, key: &str, body: &str) -> Workspace {
    let mut ws = workspace(name, &emu.url());
    // On the OpenTofu run the suite's CLI is OpenTofu 1.12, which imports by identity too.
    ws.program = if is_opentofu() { terraform().to_owned() } else { terraform_1_15().to_owned() };
    ws.access_key = key.into();
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{body}"));
    ws
}

/// Every resource's identity and identity schema version, by address, from `terraform show -json`;
/// a resource without them fails the test.
#[track_caller]
fn identities(ws: &Workspace) -> Map<String, Value> {
    let run = ws.tf(&["show", "-json", "-no-color"]).ok();
    let shown: Value = serde_json::from_str(&run.stdout).expect("unparsable show -json");
    let resources = shown["values"]["root_module"]["resources"].as_array().expect("no resources in state").clone();
    resources
        .into_iter()
        .map(|r| {
            let address = r["address"].as_str().expect("resource without address").to_owned();
            assert_eq!(r["identity_schema_version"], json!(0), "{address}: {r}");
            let identity =
                r.get("identity").filter(|i| i.is_object()).unwrap_or_else(|| panic!("{address} has no identity: {r}"));
            (address, identity.clone())
        })
        .collect()
}

/// Forgets `address`, then imports it by `identity` (HCL) in an `import` block: the plan imports
/// it and changes nothing, the apply makes no write, and the next plan is clean.
#[track_caller]
fn reimport_by_identity(ws: &Workspace, emu: &Emulator, body: &str, address: &str, identity: &str) {
    ws.tf(&["state", "rm", "-no-color", address]).ok();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nimport {{\n  to = {address}\n  identity = {identity}\n}}\n\n{body}"
    ));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{}", plan.stdout);
    emu.clear_log();
    let applied = ws.apply().ok();
    assert!(applied.stdout.contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed"), "{}", applied.stdout);
    for write in [
        "Enable",
        "Disable",
        "UpdateOrganizationConfiguration",
        "UpdateConfiguration",
        "BatchUpdateFindings",
        "AssociateMember",
    ] {
        emu.assert_no_call(write, "importing by identity must not change anything");
    }
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after import by identity must be clean:\n{}", plan.all());
}

const SCANNING: &str = "inspector2fix_ecr_scanning.this";
const AUTO: &str = "inspector2fix_ecr_auto_enable.this";
const RESCAN: &str = "inspector2fix_ecr_rescan_configuration.this";

#[test]
fn administrator_resources_have_identities_and_import_by_them() {
    let emu = organization(&[MEMBER]);
    emu.control("PUT", "/_emulator/organization", Some(json!({"auto_enable": {"ecr": false, "ec2": true}})));
    let body = format!(
        "resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = [\"{ADMIN}\", \"{MEMBER}\"]\n}}\n\n\
         resource \"inspector2fix_ecr_auto_enable\" \"this\" {{}}\n\n\
         resource \"inspector2fix_ecr_rescan_configuration\" \"this\" {{\n  rescan_duration = \"DAYS_30\"\n  \
         pull_date_rescan_duration = \"DAYS_14\"\n  pull_date_rescan_mode = \"LAST_IN_USE_AT\"\n}}\n"
    );
    let ws = workspace_1_15("identity-admin", &emu, "AKIDADMIN", &body);
    ws.apply().ok();
    let found = identities(&ws);
    assert_eq!(found[SCANNING], json!({"account_ids": [ADMIN, MEMBER], "region": "us-east-1"}));
    assert_eq!(found[AUTO], json!({"account_id": ADMIN, "region": "us-east-1"}));
    assert_eq!(found[RESCAN], json!({"account_id": ADMIN, "region": "us-east-1"}));
    assert_eq!(ws.plan().code, 0);

    // In any order: the import sorts them, as it does an id's.
    let accounts = format!("{{\n    account_ids = [\"{MEMBER}\", \"{ADMIN}\"]\n  }}");
    reimport_by_identity(&ws, &emu, &body, SCANNING, &accounts);
    // `region` left out: the provider's.
    reimport_by_identity(&ws, &emu, &body, AUTO, &format!("{{\n    account_id = \"{ADMIN}\"\n  }}"));
    let with_region = format!("{{\n    account_id = \"{ADMIN}\"\n    region = \"us-east-1\"\n  }}");
    reimport_by_identity(&ws, &emu, &body, RESCAN, &with_region);
    assert_eq!(identities(&ws), found, "the imported objects have the identities they were created with");

    // ecr_scanning's identity follows its accounts when they change, and Terraform takes that.
    let fewer = body.replace(&format!("[\"{ADMIN}\", \"{MEMBER}\"]"), &format!("[\"{ADMIN}\"]"));
    assert_ne!(fewer, body);
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{fewer}"));
    ws.apply().ok();
    assert_eq!(identities(&ws)[SCANNING], json!({"account_ids": [ADMIN], "region": "us-east-1"}));
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn an_identity_naming_another_account_is_refused_as_its_id_would_be() {
    let emu = organization(&[MEMBER]);
    let ws = workspace_1_15(
        "identity-wrong",
        &emu,
        "AKIDADMIN",
        &format!("import {{\n  to = {AUTO}\n  identity = {{\n    account_id = \"{MEMBER}\"\n  }}\n}}\n\nresource \"inspector2fix_ecr_auto_enable\" \"this\" {{}}\n"),
    );
    let run = ws.plan().failed();
    assert!(run.all().contains(&format!("account {MEMBER} is not the provider's account {ADMIN}")), "{}", run.all());
    no_backtrace(&run.all());
}

#[test]
fn a_suppression_has_an_identity_and_imports_by_it() {
    let emu = Emulator::start();
    emu.put_config(json!({"evaluate_inspector2": false}));
    let finding = |id: &str| {
        json!({"Id": id, "AwsAccountId": HOME, "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED",
               "WorkflowStatus": "NEW", "RecordState": "ACTIVE"})
    };
    emu.seed_findings(HOME, json!([finding("f1"), finding("f2")]));
    let body = "resource \"inspector2fix_control_suppression\" \"this\" {\n  reason = \"Accepted: SEC-1\"\n}\n";
    let ws = workspace_1_15("identity-suppression", &emu, "AKIDSTANDALONE", body);
    ws.apply().ok();
    let address = "inspector2fix_control_suppression.this";
    let found = identities(&ws);
    assert_eq!(found[address], json!({"control_id": "Inspector.2", "account_id": null, "region": "us-east-1"}));
    reimport_by_identity(&ws, &emu, body, address, "{\n    control_id = \"Inspector.2\"\n  }");
    assert_eq!(sorted_strings(&ws.state_of(address)["finding_ids"]), vec!["f1", "f2"]);
    assert_eq!(identities(&ws), found);
}

/// The management account's `inspector2fix_delegated_admin`: `{ account_id, region }`, and an
/// import by that identity makes no Enable or Disable of the administrator.
#[test]
fn the_delegated_administrator_has_an_identity_and_imports_by_it() {
    const MGMT: &str = "999999999999";
    const DELEGATED: &str = "inspector2fix_delegated_admin.this";
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDMGMT": MGMT, "AKIDADMIN": ADMIN}, "delegated_admin_polls": 1}));
    emu.put_organizations(json!({"management_account": MGMT, "accounts": {ADMIN: "Root"}}));
    let body = format!("resource \"inspector2fix_delegated_admin\" \"this\" {{\n  account_id = \"{ADMIN}\"\n}}\n");
    let ws = workspace_1_15("identity-delegated-admin", &emu, "AKIDMGMT", &body);
    ws.apply().ok();
    let found = identities(&ws);
    assert_eq!(found[DELEGATED], json!({"account_id": ADMIN, "region": "us-east-1"}));
    reimport_by_identity(&ws, &emu, &body, DELEGATED, &format!("{{\n    account_id = \"{ADMIN}\"\n  }}"));
    emu.assert_no_call("EnableDelegatedAdminAccount", "importing by identity must not designate again");
    emu.assert_no_call("DisableDelegatedAdminAccount", "importing by identity must not remove the administrator");
    assert_eq!(identities(&ws), found);
}

/// `inspector2fix_ecr_scanning_policy`, run from the management account: `{ policy_id }` with no
/// Region (Organizations is global), and an import by it reads the policy and writes nothing.
#[test]
fn an_organizations_policy_has_a_policy_id_identity_and_imports_by_it() {
    const MGMT: &str = "999999999999";
    const POLICY: &str = "inspector2fix_ecr_scanning_policy.this";
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDMGMT": MGMT}}));
    emu.put_organizations(json!({
        "management_account": MGMT,
        "enabled_policy_types": ["INSPECTOR_POLICY"],
        "accounts": {ADMIN: "Root"},
    }));
    let body = format!(
        "resource \"inspector2fix_ecr_scanning_policy\" \"this\" {{\n  name = \"ecr\"\n  \
         enable_in_regions = [\"us-east-1\"]\n  target_ids = [\"{}\"]\n  tags = {{ team = \"sec\" }}\n}}\n",
        emu.root_id()
    );
    let ws = workspace_1_15("identity-policy", &emu, "AKIDMGMT", &body);
    ws.apply().ok();
    let id = ws.state_of(POLICY)["id"].as_str().expect("the policy id in state").to_owned();
    assert!(id.starts_with("p-"), "{id}");
    let found = identities(&ws);
    assert_eq!(found[POLICY], json!({"policy_id": id}));
    reimport_by_identity(&ws, &emu, &body, POLICY, &format!("{{\n    policy_id = \"{id}\"\n  }}"));
    let requests = emu.requests();
    assert!(requests.count_of("organizations", "DescribePolicy") >= 1, "the import reads the policy");
    for write in
        ["CreatePolicy", "UpdatePolicy", "DeletePolicy", "AttachPolicy", "DetachPolicy", "TagResource", "UntagResource"]
    {
        assert_eq!(requests.count_of("organizations", write), 0, "importing by identity must not write: {write}");
    }
    assert_eq!(identities(&ws), found);
}

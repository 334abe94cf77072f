//! `list "inspector2fix_ecr_scanning"` with a real Terraform 1.15 (`terraform query`, plugin
//! protocol 6.10): results, generated configuration that imports cleanly, the flow that fixes
//! accounts whose scanning is off, and the exact AWS calls of a query over 1,000 members.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::harness::*;

const ADMIN: &str = "111111111111";
const ON_A: &str = "222222222222";
const OFF: &str = "333333333333";
const ON_B: &str = "444444444444";

/// ADMIN (key AKIDADMIN) administers ON_A, OFF and ON_B; all but OFF scan ECR.
fn organization() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({
        "credentials": {"AKIDADMIN": ADMIN, "AKIDMEMBER": ON_A},
        "delegated_admin": ADMIN,
        "members": [ON_A, OFF, ON_B],
    }));
    for account in [ADMIN, ON_A, ON_B] {
        emu.set_account(account, json!({"resource_state": {"ECR": "ENABLED"}}));
    }
    emu
}

fn query_workspace(name: &str, emu: &Emulator, list_body: &str) -> Workspace {
    let mut ws = workspace(name, &emu.url());
    ws.program = terraform_1_15().to_owned();
    ws.access_key = "AKIDADMIN".into();
    ws.config("provider \"inspector2fix\" {}\n");
    let query = format!("list \"inspector2fix_ecr_scanning\" \"org\" {{\n  provider = inspector2fix\n{list_body}}}\n");
    std::fs::write(ws.dir.join("scan.tfquery.hcl"), query).expect("write the query");
    ws
}

/// The `list_resource_found` events of `terraform query -json`, in order
#[track_caller]
fn found(run: &Run) -> Vec<Value> {
    let events: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}")))
        .collect();
    events
        .into_iter()
        .filter(|e| e["type"] == "list_resource_found")
        .map(|e| e["list_resource_found"].clone())
        .collect()
}

#[test]
fn query_lists_every_account_sorted_with_its_status_and_identity() {
    if skip_on_opentofu("`terraform query` and list resources are Terraform 1.14+ only (OpenTofu 1.12 has neither); they run on Terraform 1.15 in make test") {
        return;
    }
    let emu = organization();
    let ws = query_workspace("query-all", &emu, "  include_resource = true\n");
    let run = ws.tf(&["query", "-json", "-no-color"]).ok();
    let results = found(&run);
    let names: Vec<&str> = results.iter().map(|r| r["display_name"].as_str().expect("display_name")).collect();
    assert_eq!(
        names,
        vec![
            "111111111111 (ECR ENABLED, administrator)",
            "222222222222 (ECR ENABLED, member)",
            "333333333333 (ECR DISABLED, member)",
            "444444444444 (ECR ENABLED, member)",
        ]
    );
    assert_eq!(results[2]["identity"], json!({"account_ids": [OFF], "region": "us-east-1"}));
    let object = &results[2]["resource_object"];
    assert_eq!((&object["account_ids"], &object["status"]), (&json!([OFF]), &json!({OFF: "DISABLED"})));
    // The one account that does not scan is named in a warning: an import block for it would fail.
    assert!(run.stdout.contains("1 listed account(s) do not scan ECR"), "{}", run.stdout);
}

#[test]
fn generated_configuration_adopts_the_scanning_accounts_with_imports_only() {
    if skip_on_opentofu("`terraform query` and list resources are Terraform 1.14+ only (OpenTofu 1.12 has neither); they run on Terraform 1.15 in make test") {
        return;
    }
    let emu = organization();
    let ws = query_workspace(
        "query-adopt",
        &emu,
        "  include_resource = true\n  config {\n    ecr_status = [\"ENABLED\"]\n  }\n",
    );
    ws.tf(&["query", "-no-color", "-generate-config-out=generated.tf"]).ok();
    let generated = std::fs::read_to_string(ws.dir.join("generated.tf")).expect("no generated.tf");
    for account in [ADMIN, ON_A, ON_B] {
        assert!(generated.contains(&format!("account_ids = [\"{account}\"]")), "{generated}");
    }
    assert!(!generated.contains(OFF), "{generated}");
    // Only the accounts: the Region is the provider's and the rest is left to its defaults
    // (Terraform writes `accounts = null` for an optional attribute that is null).
    for default in ["region", "status", "disable_on_destroy", "associate_members", "timeouts"] {
        // (a resource's arguments are indented by two spaces, the import identity's by four)
        assert!(!generated.contains(&format!("\n  {default} ")), "{default} is written:\n{generated}");
    }
    assert_eq!(generated.matches("import {").count(), 3, "{generated}");

    let plan = ws.plan();
    assert!(plan.stdout.contains("3 to import, 0 to add, 0 to change, 0 to destroy"), "{}", plan.all());
    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Enable", "adopting must not enable anything");
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after adopting must be clean:\n{}", plan.all());
}

#[test]
fn the_accounts_that_do_not_scan_feed_a_configuration_that_enables_them() {
    if skip_on_opentofu("`terraform query` and list resources are Terraform 1.14+ only (OpenTofu 1.12 has neither); they run on Terraform 1.15 in make test") {
        return;
    }
    let emu = organization();
    let ws = query_workspace("query-fix", &emu, "  config {\n    ecr_status = [\"DISABLED\"]\n  }\n");
    let run = ws.tf(&["query", "-json", "-no-color"]).ok();
    let off: Vec<Value> =
        found(&run).iter().flat_map(|r| r["identity"]["account_ids"].as_array().cloned().unwrap_or_default()).collect();
    assert_eq!(off, vec![json!(OFF)]);
    // What the docs show with jq: the ids into a tfvars file, then an ordinary resource.
    std::fs::write(ws.dir.join("off.auto.tfvars.json"), json!({"off_accounts": off}).to_string()).expect("tfvars");
    ws.config(
        "provider \"inspector2fix\" {}\n\nvariable \"off_accounts\" {\n  type = list(string)\n}\n\n\
         resource \"inspector2fix_ecr_scanning\" \"fix\" {\n  account_ids = var.off_accounts\n}\n",
    );
    ws.apply().ok();
    assert_eq!(emu.resource_state(OFF, "ECR"), "ENABLED");
    assert_eq!(ws.plan().code, 0);
    let again = ws.tf(&["query", "-json", "-no-color"]).ok();
    assert!(found(&again).is_empty(), "no account is left without scanning");
}

#[test]
fn a_query_over_a_thousand_members_costs_its_member_pages_and_one_status_call_per_hundred() {
    if skip_on_opentofu("`terraform query` and list resources are Terraform 1.14+ only (OpenTofu 1.12 has neither); they run on Terraform 1.15 in make test") {
        return;
    }
    let members = accounts(1000, 200_000_000_000);
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDADMIN": ADMIN}, "delegated_admin": ADMIN, "members": members}));
    let ws = query_workspace("query-1000", &emu, "  limit = 2000\n");
    emu.clear_log();
    let run = ws.tf(&["query", "-json", "-no-color"]).ok();
    assert_eq!(found(&run).len(), 1001, "the administrator and 1,000 members");
    let counts: BTreeMap<String, u64> = emu.requests().nonzero_counts();
    let expected: BTreeMap<String, u64> =
        [("GetCallerIdentity", 1), ("ListMembers", 20), ("BatchGetAccountStatus", 11)]
            .map(|(k, v)| (k.to_string(), v))
            .into();
    assert_eq!(counts, expected, "ListMembers pages of 50, BatchGetAccountStatus per 100 of 1,001 accounts");
}

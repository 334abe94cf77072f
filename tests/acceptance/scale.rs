//! Issue 10: an organization in one resource at the speed of the API (exact call counts, a drift
//! plan that names the one drifted account, duplicates refused, the list kept as written, a short
//! stable id) and versioned state (a state written by 0.1.0 upgrades and plans clean).

use serde_json::json;

use crate::harness::*;

const FIRST_MEMBER: u64 = 300_000_000_000;

fn admin_workspace(name: &str, emu: &Emulator, account_ids: &str) -> Workspace {
    let mut ws = workspace(name, &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {account_ids}\n}}\n"
    ));
    ws
}

/// The state's `account_ids` in stored order, every member a string.
#[track_caller]
fn stored_list(attrs: &Attrs) -> Vec<String> {
    let list = attrs["account_ids"].as_array().expect("account_ids is a list");
    list.iter().map(|v| v.as_str().expect("an account id string").to_owned()).collect()
}

/// 250 accounts, written in descending order: every pass is exactly ceil(250/100) = 3 calls, the
/// list is stored as written, the id is the smallest account, and one drifted account is one short
/// line of the plan and one Enable of that account alone.
#[test]
fn organization_of_250_calls_the_floor_and_shows_one_drifted_account() {
    let mut members = accounts(250, FIRST_MEMBER);
    members.reverse();
    let emu = organization(&members);
    let ws = admin_workspace("scale-250", &emu, &hcl_list(&members));

    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.count("Enable"), 3, "250 accounts: 3 Enable calls");
    assert_eq!(emu.count("BatchGetAccountStatus"), 3, "one status pass of 3 calls settles them");
    assert_eq!(emu.count("Disable"), 0);
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(stored_list(&s), members, "account_ids is kept exactly as configured");
    assert_eq!(s["id"], "300000000000", "the id is the smallest account");
    let status = s["status"].as_object().expect("status is a map");
    assert_eq!(status.len(), 250);
    assert!(status.values().all(|v| v == "ENABLED"), "{status:?}");

    emu.clear_log();
    let clean = ws.plan();
    assert_eq!(clean.code, 0, "an unchanged organization plans empty:\n{}", clean.all());
    assert_eq!(emu.count("BatchGetAccountStatus"), 3, "a refresh is 3 calls");

    let drifted = "300000000123";
    emu.set_account(drifted, json!({"resource_state": {"ECR": "DISABLED"}}));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    let text = &plan.stdout;
    assert!(text.contains(&format!("~ \"{drifted}\" = \"DISABLED\" -> \"ENABLED\"")), "{text}");
    assert!(text.contains("# (249 unchanged elements hidden)"), "{text}");
    // The id (the smallest account) is printed on its own line; no other account is named.
    let named = |a: &&String| text.contains(&format!("\"{a}\" ="));
    let others: Vec<&String> = members.iter().filter(named).filter(|a| a.as_str() != drifted).collect();
    assert!(others.is_empty(), "the plan names no other account: {others:?}\n{text}");
    assert!(text.lines().count() < 40, "the drift plan is short:\n{text}");

    emu.clear_log();
    ws.apply().ok();
    let enables = emu.calls("Enable");
    assert_eq!(enables.len(), 1);
    assert_eq!(field(&enables[0], "account_ids"), &json!([drifted]), "only the drifted account is enabled");
    // The apply's refresh (3 calls) and one status read of the repaired account.
    assert_eq!(emu.count("BatchGetAccountStatus"), 4);
    assert_eq!(ws.state_of(ECR_SCANNING)["id"], "300000000000", "the id does not change");
    assert_eq!(ws.plan().code, 0);
}

/// The map form for large organizations: the same calls, `account_ids` stays null, a drifted account
/// is one line of the plan, and bad keys are refused naming `accounts` with no AWS call.
#[test]
fn accounts_as_a_map_call_the_floor_and_show_one_drifted_account() {
    let members = accounts(250, FIRST_MEMBER);
    let emu = organization(&members);
    let entries: Vec<String> = members.iter().map(|a| format!("    \"{a}\" = \"team-{a}\"")).collect();
    let mut ws = workspace("scale-map", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    let config = |entries: &[String]| {
        format!(
            "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  accounts = {{\n{}\n  }}\n}}\n",
            entries.join("\n")
        )
    };
    ws.config(&config(&entries));
    emu.clear_log();
    ws.apply().ok();
    assert_eq!((emu.count("Enable"), emu.count("BatchGetAccountStatus")), (3, 3));
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(s["account_ids"], serde_json::Value::Null, "no list beside the map");
    assert_eq!(s["accounts"]["300000000007"], "team-300000000007");
    assert_eq!(s["id"], "300000000000");
    assert_eq!(s["status"].as_object().expect("status is a map").len(), 250);
    emu.clear_log();
    assert_eq!(ws.plan().code, 0, "an unchanged organization plans empty");
    assert_eq!(emu.count("BatchGetAccountStatus"), 3);

    let drifted = "300000000200";
    emu.set_account(drifted, json!({"resource_state": {"ECR": "DISABLED"}}));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains(&format!("~ \"{drifted}\" = \"DISABLED\" -> \"ENABLED\"")), "{}", plan.stdout);
    assert!(plan.stdout.lines().count() < 40, "the drift plan is short:\n{}", plan.stdout);
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.calls("Enable").len(), 1);
    assert_eq!(field(&emu.calls("Enable")[0], "account_ids"), &json!([drifted]));
    assert_eq!(ws.plan().code, 0);

    // Import by the full account list works with the map form too: the next apply only moves
    // the ids from account_ids to accounts in state, with no Enable or Disable.
    ws.tf(&["state", "rm", "-no-color", ECR_SCANNING]).ok();
    ws.tf(&["import", "-no-color", "-input=false", ECR_SCANNING, &members.join(",")]).ok();
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("will be updated in-place"), "{}", plan.stdout);
    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Enable", "moving the ids to accounts enables nothing");
    emu.assert_no_call("Disable", "moving the ids to accounts disables nothing");
    assert_eq!(ws.state_of(ECR_SCANNING)["account_ids"], serde_json::Value::Null);
    assert_eq!(ws.plan().code, 0);

    let mut bad = entries.clone();
    bad.push("    \"12345\" = \"typo\"".into());
    ws.config(&config(&bad));
    emu.clear_log();
    let run = ws.plan();
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("accounts: \"12345\" is not an AWS account id"), "{}", run.all());
    assert_eq!(emu.aws_calls(), 0, "bad input makes no AWS call");
}

/// Adding and removing accounts keeps the id; reordering the list is an in-place update of
/// `account_ids` alone, which calls no Enable or Disable.
#[test]
fn id_is_stable_and_a_reordered_list_changes_nothing_in_aws() {
    let members = accounts(3, FIRST_MEMBER);
    let emu = organization(&members);
    let ws = admin_workspace("scale-order", &emu, &hcl_list(&members));
    ws.apply().ok();
    assert_eq!(ws.state_of(ECR_SCANNING)["id"], "300000000000");

    let fewer = vec![members[2].clone(), members[1].clone(), ADMIN.to_owned()];
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n}}\n",
        hcl_list(&fewer)
    ));
    ws.apply().ok();
    assert_eq!(emu.resource_state(&members[0], "ECR"), "DISABLED", "the removed account is released");
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(s["id"], "300000000000", "the id stays when its account leaves");
    assert_eq!(stored_list(&s), fewer);

    let mut reordered = fewer.clone();
    reordered.reverse();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n}}\n",
        hcl_list(&reordered)
    ));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("will be updated in-place"), "{}", plan.stdout);
    assert!(!plan.stdout.contains("status"), "status does not change:\n{}", plan.stdout);
    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Enable", "a reorder enables nothing");
    emu.assert_no_call("Disable", "a reorder disables nothing");
    assert_eq!(stored_list(&ws.state_of(ECR_SCANNING)), reordered);
    assert_eq!(ws.plan().code, 0);
}

/// The 0.1.0 form, a set, is accepted as it is, and is stored in the set's (sorted) order.
#[test]
fn a_set_is_accepted_as_before() {
    let members = accounts(3, FIRST_MEMBER);
    let emu = organization(&members);
    let mut unsorted = members.clone();
    unsorted.swap(0, 2);
    let ws = admin_workspace("scale-set", &emu, &format!("toset({})", hcl_list(&unsorted)));
    ws.apply().ok();
    assert_eq!(stored_list(&ws.state_of(ECR_SCANNING)), members);
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn duplicate_accounts_are_refused_at_validate_naming_them_without_calling_aws() {
    let emu = organization::<&str>(&[]);
    let list = hcl_list(&["222222222222".into(), ADMIN.into(), "222222222222".into()]);
    let ws = admin_workspace("scale-dup", &emu, &list);
    emu.clear_log();
    let run = ws.tf(&["validate", "-no-color"]).failed();
    let out = run.all();
    assert!(out.contains("Duplicate account_ids"), "{out}");
    assert!(out.contains("account_ids: 1 account id(s) are listed more than once"), "{out}");
    assert!(out.contains("222222222222"), "{out}");
    no_backtrace(&out);
    let run = ws.plan();
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("Duplicate account_ids"), "{}", run.all());
    assert_eq!(emu.aws_calls(), 0, "bad input makes no AWS call");
}

/// A state written by 0.1.0 (schema version 0, a set and a joined id), with the configuration that
/// wrote it: the new provider upgrades it, plans clean and writes nothing to AWS.
#[test]
fn a_state_written_by_0_1_0_upgrades_and_plans_clean_without_writing() {
    let emu = organization(&["222222222222", "333333333333"]);
    for account in [ADMIN, "222222222222", "333333333333"] {
        emu.set_account(account, json!({"resource_state": {"ECR": "ENABLED"}}));
    }
    let mut ws = workspace("scale-v010", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    let fixtures = repo_root().join("tests/acceptance/fixtures/v0.1.0");
    for file in ["main.tf", "terraform.tfstate"] {
        std::fs::copy(fixtures.join(file), ws.dir.join(file)).expect("copy the 0.1.0 fixture");
    }

    emu.clear_log();
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "the upgraded state plans clean:\n{}", plan.all());
    let calls = emu.requests().nonzero_counts();
    assert_eq!(calls.get("BatchGetAccountStatus"), Some(&2), "one refresh read per resource: {calls:?}");
    // The admin resource's default account is the caller's, asked once.
    assert_eq!(calls.get("GetCallerIdentity"), Some(&1), "{calls:?}");
    assert_eq!(calls.len(), 2, "a plan only reads: {calls:?}");

    // Saved at version 1 by a refresh-only apply: the short id, the same accounts and status.
    ws.tf(&["apply", "-refresh-only", "-auto-approve", "-no-color", "-input=false"]).ok();
    emu.assert_no_call("Enable", "the upgrade enables nothing");
    emu.assert_no_call("Disable", "the upgrade disables nothing");
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.dir.join("terraform.tfstate")).expect("read the state"))
            .expect("the state is JSON");
    let versions: Vec<&serde_json::Value> =
        raw["resources"].as_array().expect("resources").iter().map(|r| &r["instances"][0]["schema_version"]).collect();
    assert_eq!(versions, [&json!(1), &json!(1)]);
    let members = ws.state_of("inspector2fix_ecr_scanning.members");
    assert_eq!(members["id"], "222222222222");
    assert_eq!(stored_list(&members), ["222222222222", "333333333333"]);
    assert_eq!(members["status"]["333333333333"], "ENABLED");
    assert_eq!(ws.state_of("inspector2fix_ecr_scanning.admin")["id"], ADMIN);
    assert_eq!(ws.plan().code, 0);
}

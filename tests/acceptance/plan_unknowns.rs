//! Plans with values Terraform knows only at apply, and input errors that must stay readable:
//! unknown `account_ids` members, an unknown provider configuration, non-integer numbers and
//! thousands of bad ids.

use serde_json::{json, Value};

use crate::harness::*;

const ROLE_ACCOUNT: &str = "444444444444";

/// An emulator whose key AKIDADMIN is the delegated administrator of MEMBER.
/// `terraform plan -out` then `terraform show -json` of that plan: the change planned for `address`.
#[track_caller]
fn planned_change(ws: &Workspace, address: &str) -> Value {
    let run = ws.tf(&["plan", "-out=tfplan", "-no-color", "-input=false"]);
    assert_eq!(run.code, 0, "plan failed:\n{}", run.all());
    let shown = ws.tf(&["show", "-json", "-no-color", "tfplan"]).ok();
    let plan: Value = serde_json::from_str(&shown.stdout).unwrap_or_else(|e| panic!("plan JSON: {e}"));
    let changes = plan.get("resource_changes").and_then(Value::as_array).expect("the plan has resource_changes");
    let change = changes.iter().find(|c| c["address"] == address).unwrap_or_else(|| panic!("no change for {address}"));
    field(change, "change").clone()
}

/// A provider account id the config learns only at apply, from a `terraform_data` output.
fn member_from_terraform_data(id: &str) -> String {
    format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"terraform_data\" \"account\" {{\n  input = \"{id}\"\n}}\n\n\
         resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = [\"{ADMIN}\", terraform_data.account.output]\n}}\n"
    )
}

#[test]
fn an_account_known_only_at_apply_plans_unknown_then_is_enabled() {
    let emu = organization(&[MEMBER]);
    let mut ws = workspace("unknown-member", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&member_from_terraform_data(MEMBER));

    let change = planned_change(&ws, ECR_SCANNING);
    let after = field(&change, "after");
    let unknown = field(&change, "after_unknown");
    // Terraform shows an unknown member as null in `after`, and true in `after_unknown`.
    assert_eq!(field(after, "account_ids"), &json!([ADMIN, null]), "the known member is planned as configured");
    assert_eq!(field(unknown, "account_ids"), &json!([false, true]), "one known, one unknown member");
    assert_eq!(field(unknown, "id"), &json!(true));
    assert_eq!(field(unknown, "status"), &json!(true));

    let run = ws.apply().ok();
    assert!(!run.all().contains("Provider produced"), "{}", run.all());
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(sorted_strings(&s["account_ids"]), vec![ADMIN, MEMBER]);
    assert_eq!(s["status"][MEMBER], "ENABLED");
    assert_eq!(emu.resource_state(MEMBER, "ECR"), "ENABLED");
    assert_eq!(ws.plan().code, 0, "the plan after apply must be clean");
}

/// Two unknown members compare equal in a Rust set; Terraform keeps both and wants both back.
#[test]
fn two_accounts_known_only_at_apply_plan_as_two_unknown_members() {
    let emu = organization(&[MEMBER]);
    let mut ws = workspace("two-unknown-members", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"terraform_data\" \"admin\" {{\n  input = \"{ADMIN}\"\n}}\n\n\
         resource \"terraform_data\" \"member\" {{\n  input = \"{MEMBER}\"\n}}\n\n\
         resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  \
         account_ids = [terraform_data.admin.output, terraform_data.member.output]\n}}\n"
    ));
    let change = planned_change(&ws, ECR_SCANNING);
    assert_eq!(field(field(&change, "after_unknown"), "account_ids"), &json!([true, true]));

    ws.apply().ok();
    assert_eq!(sorted_strings(&ws.state_of(ECR_SCANNING)["account_ids"]), vec![ADMIN, MEMBER]);
    assert_eq!(emu.resource_state(ADMIN, "ECR"), "ENABLED");
    assert_eq!(emu.resource_state(MEMBER, "ECR"), "ENABLED");
    assert_eq!(ws.plan().code, 0, "the plan after apply must be clean");
}

#[test]
fn an_account_known_only_at_apply_is_validated_once_known() {
    let emu = organization(&[MEMBER]);
    let mut ws = workspace("unknown-member-bad", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&member_from_terraform_data("12345"));
    let out = ws.apply().failed().all();
    assert!(out.contains("account_ids: \"12345\" is not an AWS account id"), "{out}");
    assert!(!out.contains("Provider produced"), "{out}");
    no_backtrace(&out);
    assert_eq!(emu.count("Enable"), 0, "nothing is enabled for a bad account list");
}

#[test]
fn an_unknown_role_plans_the_caller_account_unknown_and_never_guesses() {
    let emu = Emulator::start();
    let ws = workspace("unknown-role", &emu.url());
    ws.config(&format!(
        "resource \"terraform_data\" \"role\" {{\n  input = \"arn:aws:iam::{ROLE_ACCOUNT}:role/inspector-admin\"\n}}\n\n\
         provider \"inspector2fix\" {{\n  assume_role {{\n    role_arn = terraform_data.role.output\n  }}\n}}\n\n\
         resource \"inspector2fix_ecr_scanning\" \"this\" {{}}\n"
    ));

    let change = planned_change(&ws, ECR_SCANNING);
    let unknown = field(&change, "after_unknown");
    for attribute in ["account_ids", "id", "status"] {
        assert_eq!(field(unknown, attribute), &json!(true), "{attribute} depends on the role, unknown at plan");
    }
    assert_eq!(emu.aws_calls(), 0, "the plan must not ask AWS who the base credentials are");

    ws.apply().ok();
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(s["id"], ROLE_ACCOUNT);
    assert_eq!(emu.resource_state(ROLE_ACCOUNT, "ECR"), "ENABLED");
    assert_eq!(emu.resource_state(STANDALONE, "ECR"), "DISABLED", "the base credentials' account is untouched");
    assert_eq!(ws.plan().code, 0, "the plan after apply must be clean");
}

#[test]
fn a_max_retries_that_is_not_a_whole_number_is_named() {
    let emu = Emulator::start();
    for value in ["1.5", "1e30"] {
        let ws = workspace("retries", &emu.url());
        ws.config(&format!(
            "provider \"inspector2fix\" {{\n  max_retries = {value}\n}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{}}\n"
        ));
        let run = ws.plan();
        assert_eq!(run.code, 1, "max_retries = {value} must fail:\n{}", run.all());
        let out = run.all();
        assert!(out.contains("max_retries:") && out.contains("is not a whole number from 0 to 100"), "{out}");
        assert!(!out.contains("untagged enum"), "{out}");
        no_backtrace(&out);
        assert_eq!(emu.aws_calls(), 0, "no AWS call for max_retries = {value}");
    }
}

#[test]
fn ten_thousand_bad_account_ids_give_a_short_error() {
    let emu = Emulator::start();
    let ws = workspace("many-bad", &emu.url());
    // From a local, as from a variable or data source: Terraform's snippet is then one line, not
    // the 10,000 lines of a literal list.
    let ids: Vec<String> = (0..10_000).map(|i| format!("    \"bad-{i:05}\",")).collect();
    ws.config(&format!(
        "locals {{\n  ids = [\n{}\n  ]\n}}\n\nprovider \"inspector2fix\" {{}}\n\n\
         resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = local.ids\n}}\n",
        ids.join("\n")
    ));
    let run = ws.plan();
    assert_eq!(run.code, 1, "bad ids must fail the plan:\n{}", run.all());
    let lines = run.stdout.lines().count() + run.stderr.lines().count();
    let out = run.all();
    assert!(out.contains("account_ids: 10000 values are not AWS account ids"), "{out}");
    assert!(out.contains("\"bad-00019\" and 9980 more"), "{out}");
    assert!(!out.contains("bad-00020\""), "only the first 20 are listed:\n{out}");
    assert!(lines < 100, "{lines} lines of output:\n{out}");
    assert_eq!(emu.aws_calls(), 0);
}

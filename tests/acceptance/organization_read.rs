//! `inspector2fix_members` and `inspector2fix_ecr_scanning_compliance` with the real Terraform,
//! against the project's emulator (exact call counts from its request log) and against moto.

use serde_json::{json, Value};

use crate::harness::*;
use crate::moto::{Moto, ACCOUNT as MOTO_ACCOUNT};

const MEMBERS_OUTPUTS: &str = r#"
output "administrator" { value = data.inspector2fix_members.this.administrator_account_id }
output "members" { value = data.inspector2fix_members.this.members }
output "account_ids" { value = data.inspector2fix_members.this.account_ids }
output "suspended" { value = data.inspector2fix_members.this.suspended_account_ids }
output "unassociated" { value = data.inspector2fix_members.this.unassociated_account_ids }
output "region" { value = data.inspector2fix_members.this.region }
"#;

const COMPLIANCE_OUTPUTS: &str = r#"
output "role" { value = data.inspector2fix_ecr_scanning_compliance.this.role }
output "status" { value = data.inspector2fix_ecr_scanning_compliance.this.compliance_status }
output "accounts" { value = data.inspector2fix_ecr_scanning_compliance.this.accounts }
output "failing" { value = data.inspector2fix_ecr_scanning_compliance.this.failing_account_ids }
output "auto_enable_ecr" { value = data.inspector2fix_ecr_scanning_compliance.this.auto_enable_ecr }
output "region" { value = data.inspector2fix_ecr_scanning_compliance.this.region }
"#;

fn members_config(args: &str) -> String {
    format!(
        "provider \"inspector2fix\" {{}}\n\ndata \"inspector2fix_members\" \"this\" {{\n{args}}}\n{MEMBERS_OUTPUTS}"
    )
}

fn compliance_config() -> String {
    format!("provider \"inspector2fix\" {{}}\n\ndata \"inspector2fix_ecr_scanning_compliance\" \"this\" {{}}\n{COMPLIANCE_OUTPUTS}")
}

/// One account of the `accounts` output by id; missing is a failure.
#[track_caller]
fn account<'a>(accounts: &'a Value, id: &str) -> &'a Value {
    let list = accounts.as_array().unwrap_or_else(|| panic!("accounts is not a list: {accounts}"));
    list.iter().find(|a| str_field(a, "account_id") == id).unwrap_or_else(|| panic!("{id} not in {accounts}"))
}

#[test]
fn moto_members_are_listed_classified_and_judged() {
    let moto = Moto::start();
    for member in ["222222222222", "333333333333", "444444444444"] {
        moto.inspector2("/members/associate", json!({"accountId": member}));
    }
    moto.inspector2("/members/disassociate", json!({"accountId": "333333333333"}));
    let ws = workspace("moto-members", &format!("http://{}", moto.addr));
    ws.config(&members_config("  exclude_account_ids = [\"444444444444\"]\n"));
    ws.apply().ok();
    let out = ws.outputs();
    assert_eq!(out["administrator"], MOTO_ACCOUNT);
    assert_eq!(out["region"], "us-east-1");
    assert_eq!(sorted_strings(&out["account_ids"]), [MOTO_ACCOUNT, "222222222222"]);
    assert_eq!(sorted_strings(&out["unassociated"]), ["333333333333"], "moto marks a disassociated member DISABLED");
    assert_eq!(sorted_strings(&out["suspended"]), Vec::<String>::new());
    let members = out["members"].as_array().expect("members is a list");
    let ids: Vec<&str> = members.iter().map(|m| str_field(m, "account_id")).collect();
    assert_eq!(ids, ["222222222222", "333333333333", "444444444444"], "sorted, exclusions still listed");
    assert_eq!(str_field(&members[0], "relationship_status"), "ENABLED");
    assert_eq!(str_field(&members[0], "delegated_admin_account_id"), MOTO_ACCOUNT);
    let updated = str_field(&members[0], "updated_at");
    assert!(updated.len() == 20 && updated.ends_with('Z') && updated.starts_with("20"), "RFC 3339: {updated}");

    // Compliance: moto answers the organization configuration to anyone, so the caller is the
    // administrator; ECR off in the associated member fails it, on everywhere passes.
    let ws = workspace("moto-compliance", &format!("http://{}", moto.addr));
    ws.config(&compliance_config());
    moto.inspector2("/enable", json!({"accountIds": [MOTO_ACCOUNT], "resourceTypes": ["ECR"]}));
    ws.apply().ok();
    let out = ws.outputs();
    assert_eq!((&out["role"], &out["status"]), (&json!("DELEGATED_ADMIN"), &json!("FAILED")));
    assert_eq!(sorted_strings(&out["failing"]), ["222222222222", "444444444444"]);
    assert_eq!(out["auto_enable_ecr"], false);
    moto.inspector2("/enable", json!({"accountIds": ["222222222222", "444444444444"], "resourceTypes": ["ECR"]}));
    let run = ws.apply().ok();
    assert!(run.all().contains("Auto-enable for ECR scanning is off"), "{}", run.all());
    let out = ws.outputs();
    assert_eq!(out["status"], "PASSED");
    let judged: Vec<&str> = out["accounts"].as_array().unwrap().iter().map(|a| str_field(a, "account_id")).collect();
    assert_eq!(judged, [MOTO_ACCOUNT, "222222222222", "444444444444"], "the disassociated member is not judged");
    assert_eq!(account(&out["accounts"], "222222222222")["passes"], true);
}

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

const COMPLIANCE: &str = "data.inspector2fix_ecr_scanning_compliance.this";

#[track_caller]
fn relationship(emu: &Emulator, account: &str, status: &str) {
    let v = emu.control(
        "PUT",
        &format!("/_emulator/organization/members/{account}"),
        Some(json!({"relationship_status": status})),
    );
    assert_eq!(str_field(&v, "relationship_status"), status, "{v}");
}

#[test]
fn members_of_250_are_read_in_5_pages_and_classified() {
    let members = accounts(250, 200_000_000_000);
    let emu = organization(&members);
    relationship(&emu, &members[0], "ACCOUNT_SUSPENDED");
    relationship(&emu, &members[1], "CREATED");
    relationship(&emu, &members[2], "REMOVED");
    let exclude = format!("  exclude_account_ids = [\"{}\"]\n", members[3]);
    let ws = workspace_as("members-250", &emu, "AKIDADMIN", &members_config(&exclude));
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.count("ListMembers"), 5, "250 members are 5 pages of 50");
    for op in ["BatchGetAccountStatus", "DescribeOrganizationConfiguration", "GetMember"] {
        assert_eq!(emu.count(op), 0, "{op} is not needed to list members");
    }
    for call in emu.calls("ListMembers") {
        assert_eq!(field(&call, "only_associated"), &json!(false), "{call}");
    }
    let out = ws.outputs();
    assert_eq!(out["administrator"], ADMIN);
    let ids = sorted_strings(&out["account_ids"]);
    assert_eq!(ids.len(), 247, "the administrator and 246 associated members, one excluded");
    assert!(ids.contains(&ADMIN.to_owned()) && !ids.contains(&members[3]));
    assert_eq!(sorted_strings(&out["suspended"]), [members[0].clone()]);
    assert_eq!(sorted_strings(&out["unassociated"]), [members[1].clone(), members[2].clone()]);
    let listed = out["members"].as_array().expect("members is a list");
    assert_eq!(listed.len(), 250);
    assert_eq!(str_field(&listed[0], "account_id"), members[0]);
    assert_eq!(str_field(&listed[0], "relationship_status"), "ACCOUNT_SUSPENDED");
    assert_eq!(str_field(&listed[0], "delegated_admin_account_id"), ADMIN);
    assert!(str_field(&listed[0], "updated_at").ends_with('Z'));
}

#[test]
fn members_reads_the_region_it_is_given() {
    let emu = organization(&accounts(3, 200_000_000_000));
    let ws = workspace_as("members-region", &emu, "AKIDADMIN", &members_config("  region = \"eu-west-1\"\n"));
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(ws.outputs()["region"], "eu-west-1");
    assert_eq!(emu.count_in("eu-west-1", "ListMembers"), 1);
    assert_eq!(emu.count_in("us-east-1", "ListMembers"), 0);
}

#[test]
fn members_read_by_an_account_that_is_not_the_administrator_is_an_error_naming_the_permission() {
    let emu = organization(&accounts(2, 200_000_000_000));
    for key in ["AKIDMEMBER", "AKIDSTANDALONE"] {
        let ws = workspace_as("members-not-admin", &emu, key, &members_config(""));
        let run = ws.plan().failed();
        let text = run.all();
        assert!(text.contains("Inspector refused the call"), "{text}");
        assert!(text.contains("Inspector refused inspector2:ListMembers to account"), "{text}");
        assert!(text.contains("lacks the IAM permission inspector2:ListMembers"), "{text}");
        assert!(text.contains("is not the delegated Inspector administrator in us-east-1"), "{text}");
        assert!(text.contains("AccessDeniedException") && text.contains("enable-delegated-admin-account"), "{text}");
        no_backtrace(&text);
    }
}

#[test]
fn bad_input_is_refused_naming_the_attribute_with_no_aws_call() {
    let emu = organization(&accounts(2, 200_000_000_000));
    let cases = [
        (members_config("  exclude_account_ids = [\"111111111111\", \"12345\"]\n"), "exclude_account_ids: 1 value(s)"),
        (members_config("  region = \"moon-1\"\n"), "region:"),
        (compliance_config().replace("\"this\" {}", "\"this\" {\n  region = \"EU\"\n}"), "region:"),
        (expecting("ADMIN"), "expected_role: \"ADMIN\" is not a role"),
    ];
    for (config, expected) in cases {
        let ws = workspace_as("org-bad-input", &emu, "AKIDADMIN", &config);
        emu.clear_log();
        for run in [ws.tf(&["validate", "-no-color"]), ws.plan()] {
            let run = run.failed();
            assert!(run.all().contains(expected), "{expected}:\n{}", run.all());
            no_backtrace(&run.all());
        }
        assert_eq!(emu.aws_calls(), 0, "bad input makes no AWS call: {:?}", emu.requests().nonzero_counts());
    }
}

/// The check block a landing zone writes after its fix.
const PASSED_CHECK: &str = r#"
check "inspector2_passes" {
  assert {
    condition     = data.inspector2fix_ecr_scanning_compliance.this.compliance_status == "PASSED"
    error_message = "Inspector.2 fails in ${join(", ", data.inspector2fix_ecr_scanning_compliance.this.failing_account_ids)}"
  }
}
"#;

#[test]
fn compliance_of_250_members_fails_then_passes_after_one_apply_at_the_documented_cost() {
    let members = accounts(250, 200_000_000_000);
    let emu = organization(&members);
    emu.control("PUT", "/_emulator/organization", Some(json!({"auto_enable": {"ecr": true}})));
    let ws = workspace_as("compliance-250", &emu, "AKIDADMIN", &format!("{}{PASSED_CHECK}", compliance_config()));
    emu.clear_log();
    let run = ws.apply().ok();
    assert!(run.all().contains("Check block assertion failed"), "a FAILED status warns:\n{}", run.all());
    assert_eq!(emu.count("ListMembers"), 5);
    assert_eq!(emu.count("BatchGetAccountStatus"), 3, "ceil(251/100)");
    assert_eq!(emu.count("DescribeOrganizationConfiguration"), 1);
    assert_eq!(emu.count("GetMember"), 0);
    assert_eq!(emu.count("DescribeOrganization"), 0, "the administrator costs no Organizations call");
    let out = ws.outputs();
    assert_eq!((&out["role"], &out["status"]), (&json!("DELEGATED_ADMIN"), &json!("FAILED")));
    assert_eq!(sorted_strings(&out["failing"]).len(), 251);
    assert_eq!(out["auto_enable_ecr"], true);
    let admin = account(&out["accounts"], ADMIN);
    assert_eq!(
        (&admin["relationship_status"], &admin["ecr_status"], &admin["passes"]),
        (&Value::Null, &json!("DISABLED"), &json!(false))
    );
    assert_eq!(admin["reason"], "ECR scanning is DISABLED");
    assert!(str_field(admin, "hint").contains("inspector2fix_ecr_scanning"));

    // The landing zone's fix: every associated account, then the check reads PASSED at once.
    let fix = r#"
data "inspector2fix_members" "org" {}

resource "inspector2fix_ecr_scanning" "org" {
  account_ids = data.inspector2fix_members.org.account_ids
}
"#;
    let config = compliance_config().replace(
        "data \"inspector2fix_ecr_scanning_compliance\" \"this\" {}",
        "data \"inspector2fix_ecr_scanning_compliance\" \"this\" {\n  depends_on = [inspector2fix_ecr_scanning.org]\n}",
    );
    ws.config(&format!("{config}{fix}{PASSED_CHECK}"));
    let run = ws.apply().ok();
    assert!(!run.all().contains("Check block assertion failed"), "PASSED is silent:\n{}", run.all());
    assert!(!run.all().contains("Auto-enable for ECR scanning is off"), "{}", run.all());
    let out = ws.outputs();
    assert_eq!(out["status"], "PASSED");
    assert_eq!(sorted_strings(&out["failing"]), Vec::<String>::new());
    assert_eq!(emu.ecr_enabled_count(), 251);
}

#[test]
fn a_suspended_member_or_one_still_enabling_fails_with_a_reason_and_a_hint() {
    let members = accounts(3, 200_000_000_000);
    let emu = organization(&members);
    for account in [ADMIN, members[2].as_str()] {
        emu.set_account(account, json!({"resource_state": {"ECR": "ENABLED"}}));
    }
    relationship(&emu, &members[0], "ACCOUNT_SUSPENDED");
    emu.set_account(&members[0], json!({"suspended": true}));
    emu.set_account(&members[1], json!({"stuck": true, "resource_state": {"ECR": "ENABLING"}}));
    let ws = workspace_as("compliance-suspended", &emu, "AKIDADMIN", &compliance_config());
    let run = ws.apply().ok();
    assert!(run.all().contains("Auto-enable for ECR scanning is off"), "{}", run.all());
    assert!(run.all().contains("inspector2fix_ecr_auto_enable"), "{}", run.all());
    let out = ws.outputs();
    assert_eq!(out["status"], "FAILED");
    assert_eq!(out["auto_enable_ecr"], false);
    assert_eq!(sorted_strings(&out["failing"]), [members[0].clone(), members[1].clone()]);
    let suspended = account(&out["accounts"], &members[0]);
    assert_eq!(suspended["relationship_status"], "ACCOUNT_SUSPENDED");
    assert!(str_field(suspended, "reason").starts_with("suspended member: "), "{suspended}");
    assert!(str_field(suspended, "hint").contains("disassociate-member"), "{suspended}");
    let enabling = account(&out["accounts"], &members[1]);
    assert_eq!(
        (&enabling["ecr_status"], &enabling["reason"]),
        (&json!("ENABLING"), &json!("ECR scanning is ENABLING"))
    );
    let passing = account(&out["accounts"], &members[2]);
    assert_eq!((&passing["passes"], &passing["hint"]), (&json!(true), &Value::Null));

    // As a postcondition, FAILED fails the run, naming the failing accounts.
    let postcondition = r#"
  lifecycle {
    postcondition {
      condition     = self.compliance_status == "PASSED"
      error_message = "Inspector.2 fails in: ${join(", ", self.failing_account_ids)}"
    }
  }
"#;
    ws.config(&compliance_config().replace("\"this\" {}", &format!("\"this\" {{{postcondition}}}")));
    let text = ws.plan().failed().all();
    assert!(text.contains(&format!("Inspector.2 fails in: {}, {}", members[0], members[1])), "{text}");
}

#[test]
fn a_member_is_not_applicable_and_a_standalone_account_is_judged_alone() {
    let members = accounts(2, 200_000_000_000);
    let emu = organization(&members);
    let ws = workspace_as("compliance-member", &emu, "AKIDMEMBER", &compliance_config());
    emu.clear_log();
    ws.apply().ok();
    let out = ws.outputs();
    assert_eq!((&out["role"], &out["status"]), (&json!("MEMBER"), &json!("NOT_APPLICABLE")));
    assert_eq!(out["accounts"], json!([]));
    assert_eq!(ws.state_of(COMPLIANCE)["auto_enable_ecr"], Value::Null, "null unless the administrator");
    assert_eq!(emu.count("DescribeOrganizationConfiguration"), 1);
    assert_eq!(emu.count("GetMember"), 1);
    assert_eq!(emu.count("BatchGetAccountStatus"), 0, "a member's ECR status does not decide anything here");
    assert_eq!(emu.count("DescribeOrganization"), 0, "GetMember proved the member");

    // Every Inspector organization call refuses a standalone account, which proves no role; AWS
    // Organizations answering AWSOrganizationsNotInUseException proves it: STANDALONE without
    // expected_role, at exactly one DescribeOrganization more than with it.
    emu.set_account(STANDALONE, json!({"resource_state": {"ECR": "ENABLED"}}));
    let ws = workspace_as(
        "compliance-standalone",
        &emu,
        "AKIDSTANDALONE",
        &format!("{}{PASSED_CHECK}", compliance_config()),
    );
    let calls = ["DescribeOrganizationConfiguration", "GetMember", "ListMembers", "BatchGetAccountStatus"];
    let mut total = Vec::new();
    for (config, describe_organization) in [(compliance_config(), 1), (expecting("STANDALONE"), 0)] {
        ws.config(&format!("{config}{PASSED_CHECK}"));
        emu.clear_log();
        let run = ws.apply().ok();
        assert!(!run.all().contains("Check block assertion failed"), "{}", run.all());
        let out = ws.outputs();
        assert_eq!((&out["role"], &out["status"]), (&json!("STANDALONE"), &json!("PASSED")), "{config}");
        assert_eq!(ws.state_of(COMPLIANCE)["auto_enable_ecr"], Value::Null);
        let judged = out["accounts"].as_array().expect("accounts is a list");
        assert_eq!(judged.len(), 1);
        assert_eq!(str_field(&judged[0], "account_id"), STANDALONE);
        assert_eq!(calls.map(|op| emu.count(op)), [1, 1, 0, 1], "{config}");
        assert_eq!(emu.count("DescribeOrganization"), describe_organization, "{config}");
        total.push(emu.aws_calls());
    }
    assert_eq!(total[0], total[1] + 1, "without expected_role: exactly one call more, DescribeOrganization");

    // A member that says it is STANDALONE is refused at expected_role: its membership proves otherwise.
    let ws = workspace_as("compliance-member-expected", &emu, "AKIDMEMBER", &expecting("STANDALONE"));
    let text = ws.plan().failed().all();
    assert!(text.contains(&format!("expected_role: {} is MEMBER in us-east-1, not STANDALONE", members[0])), "{text}");
}

/// The compliance data source expecting `role`.
fn expecting(role: &str) -> String {
    compliance_config().replace("\"this\" {}", &format!("\"this\" {{\n  expected_role = \"{role}\"\n}}"))
}

/// Issue 17: the delegated administrator whose role is refused DescribeOrganizationConfiguration
/// was judged STANDALONE and PASSED while two members had ECR DISABLED. An AccessDenied proves
/// nothing: the read fails naming the permission, and with expected_role it is judged on every member.
#[test]
fn a_refused_organization_configuration_never_passes() {
    let members = accounts(4, 200_000_000_000);
    let emu = organization(&members);
    for account in [ADMIN, members[2].as_str(), members[3].as_str()] {
        emu.set_account(account, json!({"resource_state": {"ECR": "ENABLED"}}));
    }
    // As in AWS, Inspector's delegated administrator and its members are accounts of an AWS
    // Organizations organization (the emulator keeps the two apart).
    let accounts: serde_json::Map<String, Value> = std::iter::once(ADMIN)
        .chain(members.iter().map(String::as_str))
        .map(|a| (a.to_owned(), json!("Root")))
        .collect();
    emu.put_organizations(json!({"management_account": "999999999999", "accounts": accounts}));
    emu.fault(json!({"kind": "access_denied", "operation": "DescribeOrganizationConfiguration"}));
    let ws = workspace_as("compliance-refused", &emu, "AKIDADMIN", &format!("{}{PASSED_CHECK}", compliance_config()));
    emu.clear_log();
    let run = ws.apply().failed();
    let text = run.all();
    assert!(text.contains("Inspector.2 cannot be judged: the role is not known"), "{text}");
    assert!(
        text.contains("Inspector did not answer inspector2:DescribeOrganizationConfiguration for account 111111111111 in us-east-1"),
        "{text}"
    );
    assert!(text.contains("AccessDeniedException"), "{text}");
    assert!(text.contains("organizations:DescribeOrganization says it belongs to organization o-"), "{text}");
    assert!(text.contains("(management account 999999999999), so it is not a standalone account"), "{text}");
    assert!(text.contains("whose role lacks inspector2:DescribeOrganizationConfiguration"), "{text}");
    assert!(text.contains("set expected_role"), "{text}");
    no_backtrace(&text);
    assert!(!ws.in_state(COMPLIANCE), "no verdict in state");
    let calls = ["DescribeOrganizationConfiguration", "GetMember", "ListMembers", "BatchGetAccountStatus"];
    assert_eq!(calls.map(|op| emu.count(op)), [1, 1, 0, 0]);
    assert_eq!(emu.count("DescribeOrganization"), 1);

    ws.config(&format!("{}{PASSED_CHECK}", expecting("DELEGATED_ADMIN")));
    emu.clear_log();
    let run = ws.apply().ok();
    assert!(run.all().contains("Check block assertion failed"), "FAILED warns:\n{}", run.all());
    assert!(run.all().contains("Auto-enable for ECR scanning could not be read"), "{}", run.all());
    let out = ws.outputs();
    assert_eq!((&out["role"], &out["status"]), (&json!("DELEGATED_ADMIN"), &json!("FAILED")));
    assert_eq!(sorted_strings(&out["failing"]), [members[0].clone(), members[1].clone()]);
    assert_eq!(out["accounts"].as_array().map(Vec::len), Some(5), "the administrator and its 4 members");
    assert_eq!(ws.state_of(COMPLIANCE)["auto_enable_ecr"], Value::Null, "not read");
    assert_eq!(calls.map(|op| emu.count(op)), [1, 0, 1, 1]);
    assert_eq!(emu.count("DescribeOrganization"), 0, "expected_role decides");
}

/// A standalone account refused organizations:DescribeOrganization is not proven STANDALONE:
/// the read fails naming both permissions and expected_role.
#[test]
fn a_standalone_account_refused_describe_organization_is_an_error_naming_both_permissions() {
    let emu = organization(&accounts(2, 200_000_000_000));
    emu.set_account(STANDALONE, json!({"resource_state": {"ECR": "ENABLED"}}));
    emu.fault(json!({"kind": "access_denied", "operation": "DescribeOrganization"}));
    let ws = workspace_as("compliance-standalone-refused", &emu, "AKIDSTANDALONE", &compliance_config());
    emu.clear_log();
    let text = ws.apply().failed().all();
    assert!(text.contains("Inspector.2 cannot be judged: the role is not known"), "{text}");
    assert!(text.contains("Inspector did not answer inspector2:DescribeOrganizationConfiguration"), "{text}");
    assert!(
        text.contains("Organizations did not answer organizations:DescribeOrganization (DescribeOrganization: AccessDeniedException"),
        "{text}"
    );
    assert!(text.contains("grant a standalone account organizations:DescribeOrganization"), "{text}");
    assert!(text.contains("set expected_role (STANDALONE, DELEGATED_ADMIN or MEMBER)"), "{text}");
    no_backtrace(&text);
    assert!(!ws.in_state(COMPLIANCE), "no verdict in state");
    let calls = ["DescribeOrganizationConfiguration", "GetMember", "DescribeOrganization", "BatchGetAccountStatus"];
    assert_eq!(calls.map(|op| emu.count(op)), [1, 1, 1, 0]);
}

/// The data source and the emulator's Security Hub evaluation apply the same rule: they agree
/// in every scenario, and disassociating a suspended member fixes both.
#[test]
fn compliance_agrees_with_security_hubs_evaluation() {
    let members = accounts(3, 200_000_000_000);
    let emu = organization(&members);
    for account in std::iter::once(ADMIN).chain(members.iter().map(String::as_str)) {
        emu.set_account(account, json!({"resource_state": {"ECR": "ENABLED"}}));
    }
    let both = format!(
        "{}\ndata \"inspector2fix_security_hub_control\" \"this\" {{\n  depends_on = [data.inspector2fix_ecr_scanning_compliance.this]\n}}\n\n\
         output \"security_hub\" {{ value = data.inspector2fix_security_hub_control.this.compliance_status }}\n",
        compliance_config()
    );
    let ws = workspace_as("compliance-agrees", &emu, "AKIDADMIN", &both);
    let expect = |scenario: &str, status: &str| {
        ws.apply().ok();
        let out = ws.outputs();
        assert_eq!((&out["status"], &out["security_hub"]), (&json!(status), &json!(status)), "{scenario}");
    };
    expect("every account scans", "PASSED");
    emu.set_account(&members[0], json!({"stuck": true, "resource_state": {"ECR": "ENABLING"}}));
    expect("a member still ENABLING", "FAILED");
    emu.set_account(&members[0], json!({"stuck": false, "resource_state": {"ECR": "ENABLED"}}));
    relationship(&emu, &members[1], "ACCOUNT_SUSPENDED");
    emu.set_account(&members[1], json!({"suspended": true, "resource_state": {"ECR": "DISABLED"}}));
    expect("a suspended member without ECR", "FAILED");
    emu.control("DELETE", &format!("/_emulator/organization/members/{}", members[1]), None);
    expect("the suspended member disassociated", "PASSED");
}

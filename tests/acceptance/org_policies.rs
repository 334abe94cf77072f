//! AWS Organizations Inspector policies with the real Terraform against the emulator: a destroy
//! over accounts a policy keeps on, a policy that disables ECR scanning in one Region and the
//! compliance reason that names it, `inspector2fix_ecr_scanning_policy`'s lifecycle with drift and
//! `terraform import`, and the error when INSPECTOR_POLICY is not enabled on the root.

use aws_sdk_organizations::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_organizations::types::PolicyType;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider as TlsProvider};
use serde_json::{json, Value};

use crate::harness::*;

const MGMT: &str = "111111111111";
const ADMIN: &str = "222222222222";
const M1: &str = "333333333333";
const M2: &str = "444444444444";
const US: &str = "us-east-1";
const EU: &str = "eu-west-1";
const SCANNING: &str = "inspector2fix_ecr_scanning.this";
const POLICY: &str = "inspector2fix_ecr_scanning_policy.this";

/// ADMIN is Inspector's delegated administrator (M1, M2 its members) and the Organizations
/// delegated administrator for policies; MGMT the management account. M1 sits in the root, M2 in
/// the OU Prod. INSPECTOR_POLICY is enabled on the root unless `policy_type_off`.
fn organization(policy_type_off: bool) -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({
        "credentials": {"AKIDMGMT": MGMT, "AKIDADMIN": ADMIN},
        "delegated_admin": ADMIN,
        "members": [M1, M2],
    }));
    let types = if policy_type_off { json!([]) } else { json!(["INSPECTOR_POLICY"]) };
    emu.put_organizations(json!({
        "management_account": MGMT,
        "policy_admin": ADMIN,
        "enabled_policy_types": types,
        "ous": [{"name": "Prod"}],
        "accounts": {ADMIN: "Root", M1: "Root", M2: "Prod"},
    }));
    emu
}

fn workspace(name: &str, emu: &Emulator, key: &str, body: &str) -> Workspace {
    let mut ws = crate::harness::workspace(name, &emu.url());
    ws.access_key = key.into();
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{body}"));
    ws
}

fn scanning(accounts: &[&str], region: &str) -> String {
    format!("resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {accounts:?}\n  region = \"{region}\"\n}}\n")
}

fn policy(regions: &[&str], targets: &[String], extra: &str) -> String {
    format!(
        "resource \"inspector2fix_ecr_scanning_policy\" \"this\" {{\n  name = \"ecr-scanning\"\n  \
         enable_in_regions = {regions:?}\n  target_ids = {targets:?}\n{extra}}}\n"
    )
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime")
}

/// An Organizations client of the management account, against `emu`.
pub(crate) fn organizations(emu: &Emulator) -> aws_sdk_organizations::Client {
    let http = aws_smithy_http_client::Builder::new().tls_provider(TlsProvider::Rustls(CryptoMode::Ring)).build_https();
    let config = aws_sdk_organizations::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(US))
        .endpoint_url(emu.url())
        .credentials_provider(Credentials::new("AKIDMGMT", "secret", None, None, "org_policies"))
        .http_client(http)
        .build();
    aws_sdk_organizations::Client::from_conf(config)
}

pub(crate) fn ecr_document(enable: &[&str], disable: &[&str]) -> String {
    json!({"inspector": {"enablement": {"ecr_scanning": {
        "enable_in_regions": {"@@assign": enable}, "disable_in_regions": {"@@assign": disable}}}}})
    .to_string()
}

/// The emulator's view of policy `id`: its targets, sorted.
#[track_caller]
fn targets_of(emu: &Emulator, id: &str) -> Vec<String> {
    let policies = emu.org_policies();
    let p = policies.iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("no policy {id}: {policies:?}"));
    let mut targets: Vec<String> = field(p, "targets")
        .as_array()
        .unwrap_or_else(|| panic!("targets is not a list: {p}"))
        .iter()
        .map(|t| t.as_str().unwrap_or_else(|| panic!("a target that is not a string: {p}")).to_owned())
        .collect();
    targets.sort();
    targets
}

#[test]
fn a_destroy_over_policy_managed_accounts_succeeds_and_leaves_them_enabled() {
    let emu = organization(false);
    let scan = workspace("policy-managed-scan", &emu, "AKIDADMIN", &scanning(&[M1, M2], US));
    scan.apply().ok();
    assert_eq!((emu.resource_state(M1, "ECR"), emu.resource_state(M2, "ECR")), ("ENABLED".into(), "ENABLED".into()));

    // An Inspector policy on the OU Prod now keeps M2's ECR scanning on.
    let prod = emu.ou_id("Prod");
    let pol = workspace("policy-managed-policy", &emu, "AKIDMGMT", &policy(&[US], std::slice::from_ref(&prod), ""));
    pol.apply().ok();
    assert_eq!(emu.resource_state(M2, "ECR"), "ENABLED");

    // Removing M2 from account_ids releases it with a warning; M1 stays managed.
    scan.config(&format!("provider \"inspector2fix\" {{}}\n\n{}", scanning(&[M1], US)));
    let run = scan.apply().ok();
    let text = run.all();
    assert!(text.contains("ECR scanning stays on under an AWS Organizations Inspector policy"), "{text}");
    assert!(text.contains(M2) && text.contains("BLOCKED_BY_ORGANIZATION_POLICY"), "{text}");
    let status = &scan.state_of(SCANNING)["status"];
    assert_eq!(status, &json!({M1: "ENABLED"}), "M2 left state");
    assert_eq!(emu.resource_state(M2, "ECR"), "ENABLED", "the policy keeps it on");

    // Destroy over a policy-managed account: it succeeds, and the account stays ENABLED.
    scan.config(&format!("provider \"inspector2fix\" {{}}\n\n{}", scanning(&[M1, M2], US)));
    scan.apply().ok();
    let run = scan.destroy().ok();
    let text = run.all();
    assert!(text.contains("ECR scanning stays on under an AWS Organizations Inspector policy"), "{text}");
    assert!(text.contains(M2) && !text.contains("(SCP)"), "{text}");
    assert!(scan.state().is_empty(), "the destroy succeeded: nothing left in state");
    assert_eq!(emu.resource_state(M1, "ECR"), "DISABLED");
    assert_eq!(emu.resource_state(M2, "ECR"), "ENABLED");
    assert_eq!(emu.count("Disable"), 2, "one Disable per apply that disabled; a BLOCKED answer is never retried");

    pol.destroy().ok();
    assert!(emu.org_policies().is_empty(), "the policy is deleted");
}

#[test]
fn a_policy_that_disables_ecr_in_one_region_is_named_by_enable_and_by_compliance() {
    let emu = organization(false);
    let client = organizations(&emu);
    let rt = runtime();
    let (id, name) = rt.block_on(async {
        let created = client
            .create_policy()
            .name("no-ecr-in-eu")
            .description("")
            .r#type(PolicyType::InspectorPolicy)
            .content(ecr_document(&[], &[EU]))
            .send()
            .await
            .expect("CreatePolicy");
        let summary = created.policy().and_then(|p| p.policy_summary()).expect("a summary");
        let id = summary.id().expect("an id").to_owned();
        client.attach_policy().policy_id(&id).target_id(M1).send().await.expect("AttachPolicy");
        (id, summary.name().expect("a name").to_owned())
    });

    let scan = workspace("region-off-scan", &emu, "AKIDADMIN", &scanning(&[ADMIN, M2], EU));
    scan.apply().ok();

    // The compliance data source names the policy for M1 only, and only failing accounts cost a lookup.
    let check = workspace(
        "region-off-check",
        &emu,
        "AKIDADMIN",
        "data \"inspector2fix_ecr_scanning_compliance\" \"eu\" {\n  region = \"eu-west-1\"\n}\n\
         output \"accounts\" {\n  value = data.inspector2fix_ecr_scanning_compliance.eu.accounts\n}\n\
         output \"status\" {\n  value = data.inspector2fix_ecr_scanning_compliance.eu.compliance_status\n}\n",
    );
    emu.clear_log();
    check.apply().ok();
    let out = check.outputs();
    assert_eq!(out["status"], json!("FAILED"));
    let accounts = out["accounts"].as_array().unwrap_or_else(|| panic!("accounts is not a list: {}", out["accounts"]));
    let of = |a: &str| accounts.iter().find(|v| v["account_id"] == a).unwrap_or_else(|| panic!("{a} not judged"));
    let m1 = of(M1);
    assert_eq!((&m1["passes"], &m1["policy_managed"]), (&json!(false), &json!(true)), "{m1}");
    let reason = str_field(m1, "reason");
    assert!(
        reason.contains(&format!("{id} ({name})")) && reason.contains("disables ECR scanning in eu-west-1"),
        "{reason}"
    );
    let hint = str_field(m1, "hint");
    assert!(hint.contains("remove eu-west-1 from the policy's ecr_scanning.disable_in_regions"), "{hint}");
    for passing in [ADMIN, M2] {
        let v = of(passing);
        assert_eq!((&v["passes"], &v["policy_managed"]), (&json!(true), &Value::Null), "{v}");
    }
    let requests = emu.requests();
    assert_eq!(requests.count_of("organizations", "DescribeEffectivePolicy"), 1, "failing accounts only");

    // Enabling M1 there is refused by the policy: the error names it, and it is not retried.
    emu.clear_log();
    scan.config(&format!("provider \"inspector2fix\" {{}}\n\n{}", scanning(&[ADMIN, M1, M2], EU)));
    let run = scan.apply().failed();
    let text = run.all();
    assert!(text.contains("BLOCKED_BY_ORGANIZATION_POLICY") && text.contains(&format!("{id} ({name})")), "{text}");
    assert!(text.contains("ecr_scanning.disable_in_regions") && text.contains("not an SCP"), "{text}");
    assert_eq!(emu.requests().count_in(EU, "Enable"), 1, "never retried");
    assert_eq!(emu.resource_state_in(EU, M1, "ECR"), "DISABLED");
}

/// The policy id in state, checked to look like one.
#[track_caller]
fn id_of(ws: &Workspace) -> String {
    let s = ws.state_of(POLICY);
    let id = s["id"].as_str().unwrap_or_else(|| panic!("id is not a string: {}", s["id"])).to_owned();
    assert!(id.starts_with("p-"), "{id}");
    id
}

#[test]
fn the_policy_resource_lifecycle_with_drift_and_import() {
    let emu = organization(false);
    let (root, prod) = (emu.root_id(), emu.ou_id("Prod"));
    let extra = "  description = \"ECR everywhere\"\n  tags = { team = \"sec\" }\n";
    let ws = workspace("policy-lifecycle", &emu, "AKIDMGMT", &policy(&[US, EU], &[root.clone(), prod.clone()], extra));
    ws.apply().ok();
    let id = id_of(&ws);
    let s = ws.state_of(POLICY);
    assert!(
        s["arn"].as_str().is_some_and(|a| a.starts_with("arn:aws:organizations::") && a.ends_with(&id)),
        "{}",
        s["arn"]
    );
    assert_eq!(s["content"], json!(ecr_document(&[EU, US], &[])));
    assert_eq!(s["description"], json!("ECR everywhere"));
    let mut both = vec![root.clone(), prod.clone()];
    both.sort();
    assert_eq!(targets_of(&emu, &id), both);
    assert_eq!(emu.resource_state_in(EU, M2, "ECR"), "ENABLED", "the policy enables ECR scanning");
    assert_eq!(ws.plan().code, 0, "no changes after create:\n{}", ws.plan().all());

    // target_ids changes: only the target that changed is attached and detached.
    let config = policy(&[US, EU], &[prod.clone(), M1.to_owned()], extra);
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{config}"));
    emu.clear_log();
    ws.apply().ok();
    let requests = emu.requests();
    let counts = ["AttachPolicy", "DetachPolicy", "UpdatePolicy", "CreatePolicy"]
        .map(|op| requests.count_of("organizations", op));
    assert_eq!(counts, [1, 1, 0, 0], "attach M1, detach the root, nothing else");
    let mut now = vec![prod.clone(), M1.to_owned()];
    now.sort();
    assert_eq!(targets_of(&emu, &id), now);

    // The document and an attachment changed outside Terraform: drift per attribute, then repaired.
    let client = organizations(&emu);
    runtime().block_on(async {
        let drifted = ecr_document(&[EU, US], &[EU]);
        client.update_policy().policy_id(&id).content(drifted).send().await.expect("UpdatePolicy");
        client.detach_policy().policy_id(&id).target_id(M1).send().await.expect("DetachPolicy");
    });
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "drift shows as a change:\n{}", plan.all());
    let text = plan.all();
    assert!(text.contains("content") && text.contains("target_ids") && text.contains(M1), "{text}");
    assert!(text.contains("disable_in_regions"), "the drifted document shows: {text}");
    ws.apply().ok();
    assert_eq!(targets_of(&emu, &id), now);
    let content = runtime().block_on(async {
        let p = client.describe_policy().policy_id(&id).send().await.expect("DescribePolicy");
        p.policy().and_then(|p| p.content()).expect("content").to_owned()
    });
    assert_eq!(content, ecr_document(&[EU, US], &[]), "the document is written back");
    assert_eq!(ws.plan().code, 0);

    // Tags changed outside Terraform show as drift too.
    runtime().block_on(async {
        client.untag_resource().resource_id(&id).tag_keys("team").send().await.expect("UntagResource");
    });
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.all().contains("+ \"team\" = \"sec\""), "{}", plan.all());
    ws.apply().ok();
    assert_eq!(ws.plan().code, 0);

    // Import into a new workspace: the same configuration plans no change.
    let imported =
        workspace("policy-import", &emu, "AKIDMGMT", &policy(&[US, EU], &[prod.clone(), M1.to_owned()], extra));
    imported.tf(&["import", "-no-color", "-input=false", POLICY, &id]).ok();
    assert_eq!(id_of(&imported), id);
    let plan = imported.plan();
    assert_eq!(plan.code, 0, "an imported policy matches its configuration:\n{}", plan.all());

    // Deleted outside Terraform: gone, and the next plan creates it again.
    runtime().block_on(async {
        for target in [prod.as_str(), M1] {
            client.detach_policy().policy_id(&id).target_id(target).send().await.expect("DetachPolicy");
        }
        client.delete_policy().policy_id(&id).send().await.expect("DeletePolicy");
    });
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.all().contains("will be created"), "{}", plan.all());
    ws.apply().ok();
    let new_id = id_of(&ws);
    assert_ne!(new_id, id);

    ws.destroy().ok();
    assert!(emu.org_policies().is_empty(), "detached and deleted");
    assert_eq!(emu.resource_state_in(EU, M2, "ECR"), "ENABLED", "deleting the policy turns nothing off");
}

#[test]
fn a_refused_read_is_an_error_not_a_deleted_policy() {
    let emu = organization(false);
    let ws = workspace("policy-refused-read", &emu, "AKIDMGMT", &policy(&[US], &[emu.root_id()], ""));
    ws.apply().ok();
    emu.fault(json!({"kind": "access_denied", "operation": "DescribePolicy"}));
    let plan = ws.plan();
    assert_eq!(plan.code, 1, "{}", plan.all());
    assert!(plan.all().contains("AccessDeniedException"), "{}", plan.all());
    emu.clear_faults();
    assert!(ws.in_state(POLICY), "still in state");
    ws.destroy().ok();
}

#[test]
fn a_root_without_inspector_policies_gets_the_remedy_and_nothing_is_created() {
    let emu = organization(true);
    let root = emu.root_id();
    let ws =
        workspace("policy-type-off", &emu, "AKIDMGMT", &policy(&["ALL_SUPPORTED"], std::slice::from_ref(&root), ""));
    let run = ws.apply().failed();
    let text = run.all();
    let remedy = format!("aws organizations enable-policy-type --root-id {root} --policy-type INSPECTOR_POLICY");
    assert!(text.contains(&remedy) && text.contains("enabled_policy_types"), "{text}");
    assert_eq!(emu.requests().count_of("organizations", "CreatePolicy"), 0);
    assert!(emu.org_policies().is_empty());
    assert!(ws.state().is_empty());
}

#[test]
fn bad_arguments_fail_at_plan_with_no_aws_call() {
    let emu = organization(false);
    let targets = ["r-ab12".to_owned(), "ou-bad".to_owned()];
    let ws = workspace("policy-validation", &emu, "AKIDMGMT", &policy(&["ALL_SUPPORTED", US], &targets, ""));
    emu.clear_log();
    let text = ws.plan().failed().all();
    assert!(text.contains("enable_in_regions: \"ALL_SUPPORTED\" already means every Region"), "{text}");
    assert!(text.contains("target_ids: \"ou-bad\" is not a root id"), "{text}");
    assert_eq!(emu.aws_calls(), 0);
}

//! `list "inspector2fix_ecr_scanning_policy"` with a real Terraform 1.15 (`terraform query`,
//! plugin protocol 6.10): the organization's Inspector policies sorted by id with their identity,
//! generated configuration that imports the ownable ones with no Organizations write and plans
//! clean, a policy that also names another scan type listed but not offered, and the exact calls.

use std::collections::BTreeMap;

use aws_sdk_organizations::types::PolicyType;
use serde_json::{json, Value};

use crate::harness::*;
use crate::org_policies::{ecr_document, organizations, runtime};

const MGMT: &str = "111111111111";
const M1: &str = "333333333333";
const SKIP: &str = "`terraform query` and list resources are Terraform 1.14+ only (OpenTofu 1.12 has neither); they run on Terraform 1.15 in make test";
const WRITES: [&str; 7] =
    ["CreatePolicy", "UpdatePolicy", "DeletePolicy", "AttachPolicy", "DetachPolicy", "TagResource", "UntagResource"];

/// MGMT manages an organization (M1 in the root) with INSPECTOR_POLICY enabled on the root.
fn organization() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDMGMT": MGMT}}));
    emu.put_organizations(json!({
        "management_account": MGMT,
        "enabled_policy_types": ["INSPECTOR_POLICY"],
        "accounts": {M1: "Root"},
    }));
    emu
}

/// Creates an Inspector policy as someone did by hand, attached to `targets`; returns its id.
fn create_policy(
    emu: &Emulator,
    name: &str,
    description: &str,
    content: &str,
    targets: &[&str],
    tags: &[(&str, &str)],
) -> String {
    let client = organizations(emu);
    runtime().block_on(async {
        let mut create = client
            .create_policy()
            .name(name)
            .description(description)
            .content(content)
            .r#type(PolicyType::InspectorPolicy);
        for (k, v) in tags {
            create = create.tags(aws_sdk_organizations::types::Tag::builder().key(*k).value(*v).build().expect("tag"));
        }
        let created = create.send().await.expect("CreatePolicy");
        let id = created.policy().and_then(|p| p.policy_summary()).and_then(|s| s.id()).expect("policy id").to_owned();
        for target in targets {
            client.attach_policy().policy_id(&id).target_id(*target).send().await.expect("AttachPolicy");
        }
        id
    })
}

const WITH_EC2: &str = r#"{"inspector":{"enablement":{"ec2_scanning":{"enable_in_regions":{"@@assign":["us-east-1"]},"disable_in_regions":{"@@assign":[]}},"ecr_scanning":{"enable_in_regions":{"@@assign":["us-east-1"]},"disable_in_regions":{"@@assign":[]}}}}}"#;

/// Three policies: ECR in 3 Regions on the root (tagged), ECR in 1 Region on M1 (described), and
/// one that names EC2 scanning too. Returned sorted by id, with their display names.
fn three_policies(emu: &Emulator) -> Vec<(String, String)> {
    let root = emu.root_id();
    let three = create_policy(
        emu,
        "ecr-three",
        "",
        &ecr_document(&["eu-west-1", "us-east-1", "us-west-2"], &[]),
        &[&root],
        &[("team", "sec")],
    );
    let one = create_policy(emu, "ecr-one", "one Region", &ecr_document(&["us-east-1"], &[]), &[M1], &[]);
    let mixed = create_policy(emu, "mixed", "", WITH_EC2, &[&root], &[]);
    let mut policies = vec![
        (three.clone(), format!("{three} (ecr-three, ECR in 3 Regions)")),
        (one.clone(), format!("{one} (ecr-one, ECR in 1 Region)")),
        (mixed.clone(), format!("{mixed} (mixed, ECR in 1 Region; also ec2_scanning: not importable)")),
    ];
    policies.sort();
    policies
}

fn query_workspace(name: &str, emu: &Emulator, list_body: &str) -> Workspace {
    let mut ws = workspace(name, &emu.url());
    ws.program = terraform_1_15().to_owned();
    ws.access_key = "AKIDMGMT".into();
    ws.config("provider \"inspector2fix\" {}\n");
    let query =
        format!("list \"inspector2fix_ecr_scanning_policy\" \"org\" {{\n  provider = inspector2fix\n{list_body}}}\n");
    std::fs::write(ws.dir.join("policies.tfquery.hcl"), query).expect("write the query");
    ws
}

/// The `list_resource_found` events of `terraform query -json`, in order
#[track_caller]
fn found(run: &Run) -> Vec<Value> {
    run.stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}")))
        .filter(|e| e["type"] == "list_resource_found")
        .map(|e| e["list_resource_found"].clone())
        .collect()
}

/// The Organizations calls since the log was cleared, by operation; an absent one is not there.
fn organizations_calls(emu: &Emulator) -> BTreeMap<String, u64> {
    emu.requests().nonzero_counts()
}

#[test]
fn query_lists_every_inspector_policy_sorted_with_identity_and_ownable_objects() {
    if skip_on_opentofu(SKIP) {
        return;
    }
    let emu = organization();
    let policies = three_policies(&emu);
    // Without objects: every policy, the one naming EC2 too said to be not importable.
    let ws = query_workspace("query-policy-names", &emu, "");
    emu.clear_log();
    let run = ws.tf(&["query", "-json", "-no-color"]).ok();
    let results = found(&run);
    let names: Vec<&str> = results.iter().map(|r| r["display_name"].as_str().expect("display_name")).collect();
    assert_eq!(names, policies.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>());
    for (result, (id, _)) in results.iter().zip(&policies) {
        assert_eq!(result["identity"], json!({"policy_id": id}), "{result}");
    }
    let expected: BTreeMap<String, u64> =
        [("ListPolicies", 1), ("DescribePolicy", 3)].map(|(k, v)| (k.to_string(), v)).into();
    assert_eq!(organizations_calls(&emu), expected, "one list page and one DescribePolicy per policy");

    // With objects: the two ownable policies as an import holds them; the other in a warning.
    let ws = query_workspace("query-policy-objects", &emu, "  include_resource = true\n");
    emu.clear_log();
    let run = ws.tf(&["query", "-json", "-no-color"]).ok();
    let results = found(&run);
    let mixed = &policies.iter().find(|(_, n)| n.contains("(mixed,")).expect("mixed").0;
    let ownable: Vec<&(String, String)> = policies.iter().filter(|(id, _)| id != mixed).collect();
    let names: Vec<&str> = results.iter().map(|r| r["display_name"].as_str().expect("display_name")).collect();
    assert_eq!(names, ownable.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>());
    let by_name =
        |name: &str| results.iter().find(|r| r["display_name"].as_str().is_some_and(|d| d.contains(name))).expect(name);
    let three = &by_name("(ecr-three,")["resource_object"];
    assert_eq!(three["enable_in_regions"], json!(["eu-west-1", "us-east-1", "us-west-2"]), "{three}");
    assert_eq!(three["target_ids"], json!([emu.root_id()]), "{three}");
    assert_eq!(three["tags"], json!({"team": "sec"}), "{three}");
    assert_eq!(by_name("(ecr-one,")["resource_object"]["description"], json!("one Region"));
    assert!(run.stdout.contains("1 listed policy(ies) cannot be imported"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("{mixed}: its document also decides ec2_scanning")), "{}", run.stdout);
    let expected: BTreeMap<String, u64> =
        [("ListPolicies", 1), ("DescribePolicy", 3), ("ListTargetsForPolicy", 2), ("ListTagsForResource", 2)]
            .map(|(k, v)| (k.to_string(), v))
            .into();
    assert_eq!(organizations_calls(&emu), expected, "targets and tags of the two ownable policies only");
}

#[test]
fn generated_configuration_imports_the_ownable_policies_with_no_write_and_plans_clean() {
    if skip_on_opentofu(SKIP) {
        return;
    }
    let emu = organization();
    let policies = three_policies(&emu);
    let ws = query_workspace("query-policy-adopt", &emu, "  include_resource = true\n");
    ws.tf(&["query", "-no-color", "-generate-config-out=generated.tf"]).ok();
    let generated = std::fs::read_to_string(ws.dir.join("generated.tf")).expect("no generated.tf");
    assert_eq!(generated.matches("import {").count(), 2, "{generated}");
    assert_eq!(generated.matches("resource \"inspector2fix_ecr_scanning_policy\"").count(), 2, "{generated}");
    let mixed = &policies.iter().find(|(_, n)| n.contains("(mixed,")).expect("mixed").0;
    assert!(!generated.contains(mixed.as_str()), "the EC2 policy gets no block:\n{generated}");
    for computed in ["id", "arn", "content"] {
        assert!(!generated.contains(&format!("\n  {computed} ")), "{computed} is written:\n{generated}");
    }

    let plan = ws.plan();
    assert!(plan.stdout.contains("2 to import, 0 to add, 0 to change, 0 to destroy"), "{}", plan.all());
    emu.clear_log();
    let applied = ws.apply().ok();
    assert!(applied.stdout.contains("Resources: 2 imported, 0 added, 0 changed, 0 destroyed"), "{}", applied.stdout);
    let requests = emu.requests();
    assert!(requests.count_of("organizations", "DescribePolicy") >= 2, "the imports read the policies");
    for write in WRITES {
        assert_eq!(requests.count_of("organizations", write), 0, "adopting must not write: {write}");
    }
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after adopting must be clean:\n{}", plan.all());
}

#[test]
fn a_query_pages_through_every_policy_and_reads_only_up_to_the_limit() {
    if skip_on_opentofu(SKIP) {
        return;
    }
    let emu = organization();
    let document = ecr_document(&["us-east-1"], &[]);
    for i in 0..25 {
        create_policy(&emu, &format!("ecr-{i:02}"), "", &document, &[], &[]);
    }
    let ws = query_workspace("query-policy-pages", &emu, "");
    emu.clear_log();
    let run = ws.tf(&["query", "-json", "-no-color"]).ok();
    assert_eq!(found(&run).len(), 25);
    let expected: BTreeMap<String, u64> =
        [("ListPolicies", 2), ("DescribePolicy", 25)].map(|(k, v)| (k.to_string(), v)).into();
    assert_eq!(organizations_calls(&emu), expected, "ListPolicies pages of 20; no object asked, so no targets or tags");

    let limited = query_workspace("query-policy-limit", &emu, "  limit = 10\n");
    emu.clear_log();
    let run = limited.tf(&["query", "-json", "-no-color"]).ok();
    let ids: Vec<String> =
        found(&run).iter().map(|r| r["identity"]["policy_id"].as_str().expect("policy_id").to_owned()).collect();
    assert_eq!(ids.len(), 10);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "sorted by id");
    let expected: BTreeMap<String, u64> =
        [("ListPolicies", 2), ("DescribePolicy", 10)].map(|(k, v)| (k.to_string(), v)).into();
    assert_eq!(organizations_calls(&emu), expected, "every page is listed (to sort), only 10 policies are read");
}

//! Keeps docs/ and examples/ in step with the schema.

use inspector2fix::terraform::data_sources::security_hub_control::SecurityHubControl;
use inspector2fix::terraform::provider::Inspector2FixProvider;
use inspector2fix::terraform::resources::control_suppression::ControlSuppression;
use inspector2fix::terraform::resources::ecr_scanning::EcrScanning;
use inspector2fix::terraform::schema::attribute_names;
use tf_provider::schema::Block;

use crate::harness::repo_root;

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn assert_documents(doc_path: &str, names: &[String]) {
    assert!(!names.is_empty(), "the schema for {doc_path} lists no attribute, so there is nothing to check");
    let doc = read(doc_path);
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| {
            let leaf = n.rsplit('.').next().unwrap();
            !doc.contains(&format!("`{n}`")) && !doc.contains(&format!("`{leaf}`"))
        })
        .collect();
    assert!(missing.is_empty(), "{doc_path} does not document {missing:?}");
}

#[test]
fn every_schema_attribute_is_documented() {
    assert_documents("docs/index.md", &attribute_names(&Inspector2FixProvider::schema_block()));
    assert_documents("docs/resources/ecr_scanning.md", &attribute_names(&EcrScanning::schema_block()));
    assert_documents("docs/resources/control_suppression.md", &attribute_names(&ControlSuppression::schema_block()));
    assert_documents(
        "docs/resources/ecr_scanning_policy.md",
        &attribute_names(&inspector2fix::terraform::resources::ecr_scanning_policy::EcrScanningPolicy::schema_block()),
    );
    assert_documents(
        "docs/data-sources/ecr_scanning_compliance.md",
        &attribute_names(
            &inspector2fix::terraform::data_sources::ecr_scanning_compliance::EcrScanningCompliance::schema_block(),
        ),
    );
    assert_documents(
        "docs/data-sources/security_hub_control.md",
        &attribute_names(&SecurityHubControl::schema_block()),
    );
    // Nested finding fields of the data source.
    let doc = read("docs/data-sources/security_hub_control.md");
    for field in [
        "id",
        "account_id",
        "region",
        "resource_id",
        "compliance_status",
        "workflow_status",
        "record_state",
        "updated_at",
    ] {
        assert!(
            doc.contains(&format!("`{field}`")),
            "docs/data-sources/security_hub_control.md does not document findings.{field}"
        );
    }
}

fn assert_no_stale_names(doc_path: &str, block: &Block, extra: &[&str]) {
    // Every `name` in a reference list must exist in the schema.
    let names = attribute_names(block);
    let doc = read(doc_path);
    let listed: Vec<&str> = doc.lines().filter(|l| l.starts_with("- `") || l.starts_with("* `")).collect();
    assert!(!listed.is_empty(), "{doc_path} has no reference list of attributes to check");
    for line in listed {
        let name = line.split('`').nth(1).unwrap_or_else(|| panic!("{doc_path}: unterminated name in {line:?}"));
        assert!(
            extra.contains(&name) || names.iter().any(|n| n == name || n.ends_with(&format!(".{name}"))),
            "{doc_path} documents `{name}`, which the schema does not have"
        );
    }
}

#[test]
fn docs_name_no_attribute_the_schema_lacks() {
    assert_no_stale_names("docs/resources/ecr_scanning.md", &EcrScanning::schema_block(), &[]);
    assert_no_stale_names("docs/resources/control_suppression.md", &ControlSuppression::schema_block(), &[]);
    let finding_fields = ["region", "resource_id", "workflow_status", "record_state", "updated_at"];
    assert_no_stale_names(
        "docs/data-sources/security_hub_control.md",
        &SecurityHubControl::schema_block(),
        &finding_fields,
    );
}

#[test]
fn examples_exist_in_registry_layout() {
    for path in [
        "examples/provider/provider.tf",
        "examples/resources/inspector2fix_ecr_scanning/resource.tf",
        "examples/resources/inspector2fix_ecr_scanning/import.sh",
        "examples/resources/inspector2fix_control_suppression/resource.tf",
        "examples/resources/inspector2fix_control_suppression/import.sh",
        "examples/data-sources/inspector2fix_security_hub_control/data-source.tf",
        "examples/list-resources/inspector2fix_ecr_scanning/list-resource.tfquery.hcl",
        "examples/list-resources/inspector2fix_ecr_scanning_policy/list-resource.tfquery.hcl",
        "examples/actions/inspector2fix_enable_ecr_scanning/action.tf",
    ] {
        assert!(!read(path).trim().is_empty(), "{path} is empty");
    }
    for (doc, example) in [
        ("docs/resources/ecr_scanning.md", "examples/resources/inspector2fix_ecr_scanning/resource.tf"),
        ("docs/resources/control_suppression.md", "examples/resources/inspector2fix_control_suppression/resource.tf"),
        (
            "docs/data-sources/security_hub_control.md",
            "examples/data-sources/inspector2fix_security_hub_control/data-source.tf",
        ),
        (
            "docs/list-resources/ecr_scanning.md",
            "examples/list-resources/inspector2fix_ecr_scanning/list-resource.tfquery.hcl",
        ),
        (
            "docs/list-resources/ecr_scanning_policy.md",
            "examples/list-resources/inspector2fix_ecr_scanning_policy/list-resource.tfquery.hcl",
        ),
        ("docs/actions/enable_ecr_scanning.md", "examples/actions/inspector2fix_enable_ecr_scanning/action.tf"),
    ] {
        assert!(read(doc).contains(read(example).trim()), "{doc} must embed {example}");
    }
}

#[test]
fn the_list_resource_and_the_action_document_every_argument() {
    use inspector2fix::terraform::actions::enable_ecr_scanning::EnableEcrScanning;
    use inspector2fix::terraform::list_resources::ecr_scanning::EcrScanningList;
    assert_documents("docs/list-resources/ecr_scanning.md", &attribute_names(&EcrScanningList::schema_block()));
    let policy_list = read("docs/list-resources/ecr_scanning_policy.md");
    for part in ["{ policy_id = \"p-abc123\" }", "not importable", "-generate-config-out", "organizations:ListPolicies"]
    {
        assert!(policy_list.contains(part), "docs/list-resources/ecr_scanning_policy.md must say {part}");
    }
    assert_documents("docs/actions/enable_ecr_scanning.md", &attribute_names(&EnableEcrScanning::schema_block()));
}

#[test]
fn the_organization_data_sources_are_documented_with_their_examples() {
    use inspector2fix::terraform::data_sources::ecr_scanning_compliance::{EcrScanningCompliance, ACCOUNT_FIELDS};
    use inspector2fix::terraform::data_sources::members::{Members, MEMBER_FIELDS};
    for (name, block, fields) in [
        ("members", Members::schema_block(), &MEMBER_FIELDS[..]),
        ("ecr_scanning_compliance", EcrScanningCompliance::schema_block(), &ACCOUNT_FIELDS[..]),
    ] {
        let doc = format!("docs/data-sources/{name}.md");
        let mut names = attribute_names(&block);
        names.extend(fields.iter().map(|(field, _)| field.to_string()));
        assert_documents(&doc, &names);
        let field_names: Vec<&str> = fields.iter().map(|(field, _)| *field).collect();
        assert_no_stale_names(&doc, &block, &field_names);
        let example = format!("examples/data-sources/inspector2fix_{name}/data-source.tf");
        assert!(!read(&example).trim().is_empty(), "{example} is empty");
        assert!(read(&doc).contains(read(&example).trim()), "{doc} must embed {example}");
    }
}

#[test]
fn the_organization_policies_guide_covers_what_the_issue_asks() {
    let guide = read("docs/guides/organization-policies.md");
    for needle in [
        "10,000",
        "50,000",
        "BLOCKED_BY_ORGANIZATION_POLICY",
        "inspector2fix_ecr_scanning_policy",
        "without a gap",
        "Who runs it",
        "Timing",
        "enable-policy-type",
    ] {
        assert!(guide.contains(needle), "docs/guides/organization-policies.md does not mention {needle:?}");
    }
    for page in ["docs/resources/ecr_scanning_policy.md", "docs/data-sources/ecr_scanning_compliance.md"] {
        assert!(read(page).contains("guides/organization-policies.md"), "{page} does not link the guide");
    }
}

/// The files where the provider calls AWS through the SDK's fluent builders, and the IAM service
/// prefix of each client field (`self.<field>.<operation>()`).
const SDK_CALL_SITES: [(&str, &[(&str, &str)]); 4] = [
    ("src/aws/inspector/sdk.rs", &[("inspector2", "inspector2"), ("sts", "sts")]),
    ("src/aws/securityhub/sdk.rs", &[("client", "securityhub")]),
    ("src/aws/ecr.rs", &[("client", "ecr")]),
    ("src/aws/organizations/sdk.rs", &[("client", "organizations")]),
];

/// `batch_get_account_status` -> `BatchGetAccountStatus`.
fn pascal_case(snake: &str) -> String {
    snake.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

/// Every `service:Operation` called as `self.<field>.<operation>(` in `source` (whitespace and
/// line breaks between the parts allowed, as rustfmt writes long chains).
fn operations_called(source: &str, fields: &[(&str, &str)]) -> std::collections::BTreeSet<String> {
    let text: String = source.split_whitespace().collect();
    let mut found = std::collections::BTreeSet::new();
    for (field, service) in fields {
        let prefix = format!("self.{field}.");
        for (at, _) in text.match_indices(&prefix) {
            let rest = &text[at + prefix.len()..];
            let op: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if !op.is_empty() && rest[op.len()..].starts_with('(') {
                found.insert(format!("{service}:{}", pascal_case(&op)));
            }
        }
    }
    found
}

/// Every AWS operation the provider's source can call.
fn operations_in_source() -> std::collections::BTreeSet<String> {
    let mut all = std::collections::BTreeSet::new();
    for (path, fields) in SDK_CALL_SITES {
        let found = operations_called(&read(path), fields);
        assert!(!found.is_empty(), "{path}: no SDK call found, so the scan of the source is broken");
        all.extend(found);
    }
    // Made by the SDK's credential chain (`assume_role`), not by a fluent call in our source.
    all.insert("sts:AssumeRole".into());
    all
}

/// The operations of `operations` that `index`'s Permissions section does not name as
/// `` `service:Operation` ``.
fn missing_from_permissions(index: &str, operations: &std::collections::BTreeSet<String>) -> Vec<String> {
    let section = index.split("\n## Permissions\n").nth(1).expect("docs/index.md has a Permissions section");
    let section = section.split("\n## ").next().unwrap_or(section);
    operations.iter().filter(|op| !section.contains(&format!("`{op}`"))).cloned().collect()
}

#[test]
fn every_aws_operation_the_code_calls_is_in_the_permissions_section() {
    let operations = operations_in_source();
    for expected in [
        "inspector2:ListMembers",
        "inspector2:DescribeOrganizationConfiguration",
        "ecr:DescribeImages",
        "organizations:DescribeOrganization",
        "organizations:DescribeEffectivePolicy",
    ] {
        assert!(operations.contains(expected), "the scan of the source misses {expected}: {operations:?}");
    }
    assert!(operations.len() >= 17, "{} operations found: {operations:?}", operations.len());
    let index = read("docs/index.md");
    assert_eq!(missing_from_permissions(&index, &operations), Vec::<String>::new(), "docs/index.md ## Permissions");

    // The check fails when one is missing: drop each operation from the page in turn.
    for op in &operations {
        let without = index.replace(&format!("`{op}`"), "`removed`");
        assert_eq!(missing_from_permissions(&without, &operations), vec![op.clone()], "{op} removed");
    }
}

#[test]
fn the_source_scan_finds_calls_split_over_lines() {
    let source = "let out = self\n    .inspector2\n    .batch_get_account_status()\n    .send();\n self.sts.get_caller_identity().send(); self.other.enable();";
    let found = operations_called(source, &[("inspector2", "inspector2"), ("sts", "sts")]);
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, ["inspector2:BatchGetAccountStatus", "sts:GetCallerIdentity"]);
}

/// README's "Repository layout" is generated from the tree: a moved or new module shows there.
#[test]
fn the_readme_layout_matches_the_tree() {
    let out = std::process::Command::new("python3")
        .args(["scripts/layout.py", "--check"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The layer rule holds: no import loop, nothing points up, only src/terraform/ names tf_provider.
#[test]
fn imports_point_down_the_layers() {
    let out = std::process::Command::new("python3")
        .args(["scripts/check-imports.py", "--quiet"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("no loops"), "{text}");
}

//! Keeps docs/ and examples/ in step with the schema.

use inspector2fix::provider::Inspector2FixProvider;
use inspector2fix::resources::ecr_scanning::EcrScanning;
use inspector2fix::schema::attribute_names;

use crate::harness::repo_root;

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn assert_documents(doc_path: &str, names: &[String]) {
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
}

#[test]
fn docs_name_no_attribute_the_schema_lacks() {
    // Every `name` in the argument reference list must exist in the schema.
    let names = attribute_names(&EcrScanning::schema_block());
    let doc = read("docs/resources/ecr_scanning.md");
    for line in doc.lines().filter(|l| l.starts_with("- `") || l.starts_with("* `")) {
        let name = line.split('`').nth(1).unwrap();
        assert!(
            names.iter().any(|n| n == name || n.ends_with(&format!(".{name}"))),
            "docs/resources/ecr_scanning.md documents `{name}`, which the schema does not have"
        );
    }
}

#[test]
fn examples_exist_in_registry_layout() {
    for path in [
        "examples/provider/provider.tf",
        "examples/resources/inspector2fix_ecr_scanning/resource.tf",
        "examples/resources/inspector2fix_ecr_scanning/import.sh",
    ] {
        assert!(!read(path).trim().is_empty(), "{path} is empty");
    }
    let doc = read("docs/resources/ecr_scanning.md");
    let example = read("examples/resources/inspector2fix_ecr_scanning/resource.tf");
    assert!(doc.contains(example.trim()), "docs/resources/ecr_scanning.md must embed the resource example");
}

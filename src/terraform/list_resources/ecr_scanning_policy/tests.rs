use tf_provider::Diagnostics;

use super::*;

#[test]
fn policies_without_an_object_are_named_with_why_in_one_warning() {
    let mut diags = Diagnostics::default();
    warn_not_importable(&mut diags, &BTreeMap::new());
    assert!(diags.warnings.is_empty() && diags.errors.is_empty(), "no warning when every policy is importable");

    let policies = BTreeMap::from([
        (
            "p-bbbbbbbb".to_owned(),
            reason(&NotOwnable::OtherScanTypes(vec!["ec2_scanning".into(), "lambda_scanning".into()])),
        ),
        ("p-aaaaaaaa".to_owned(), reason(&NotOwnable::OtherForm)),
    ]);
    warn_not_importable(&mut diags, &policies);
    assert_eq!(diags.warnings.len(), 1);
    let warning = &diags.warnings[0];
    assert_eq!(warning.summary, "2 listed policy(ies) cannot be imported as inspector2fix_ecr_scanning_policy");
    let lines: Vec<&str> = warning.detail.lines().skip(1).map(str::trim).collect();
    assert_eq!(
        lines,
        vec![
            "p-aaaaaaaa: its ECR settings are not only enable_in_regions (e.g. a disable_in_regions)",
            "p-bbbbbbbb: its document also decides ec2_scanning, lambda_scanning",
        ]
    );
}

#[test]
fn the_config_block_has_no_argument() {
    let block = EcrScanningPolicyList::schema_block();
    assert!(block.attributes.is_empty() && block.blocks.is_empty());
}

//! Adopting an `aws_inspector2_enabler` of the AWS provider (issue 13): `moved {}` across
//! providers, and import with the enabler's id. The AWS provider is the stand-in fixture
//! (testsupport/src/bin/terraform-provider-aws-standin.rs), installed from a filesystem mirror.

use serde_json::json;

use crate::harness::*;

const ACCOUNT: &str = "123456789012";

const MOVED: &str = "resource \"inspector2fix_ecr_scanning\" \"this\" {\n  account_ids = [\"123456789012\"]\n}\n\n\
    moved {\n  from = aws_inspector2_enabler.this\n  to   = inspector2fix_ecr_scanning.this\n}\n";

/// How the configuration names the AWS provider. Terraform reads `hashicorp/aws` as
/// `registry.terraform.io/hashicorp/aws`, the address in the enabler's state. OpenTofu reads it as
/// `registry.opentofu.org/hashicorp/aws` and, for a provider the configuration does not name in
/// full, translates the state's address to that too; the full spelling keeps the state's address.
const AWS_SHORT: &str = "hashicorp/aws";
const AWS_FULL: &str = "registry.terraform.io/hashicorp/aws";

/// The spelling the move scenarios use: the short one, except on OpenTofu (see
/// `adopt_moved_enabler_with_the_short_aws_spelling_on_opentofu`).
fn aws_source() -> &'static str {
    if is_opentofu() {
        AWS_FULL
    } else {
        AWS_SHORT
    }
}

/// A workspace holding the checked-in enabler state `fixture`, with the stand-in installed (init
/// run) and the AWS provider required as `aws_source`.
fn enabler_workspace(name: &str, emu: &Emulator, fixture: &str, aws_source: &str) -> Workspace {
    let ws = workspace(name, &emu.url());
    let mirror = aws_standin_mirror(&ws.dir);
    // Init also resolves inspector2fix, which dev_overrides then replace: it is mirrored too, under
    // the address each CLI reads the short spelling as; so is the stand-in for OpenTofu's.
    let bin = std::path::Path::new(PROVIDER_BIN);
    install_in_mirror(&mirror, PROVIDER_SOURCE, "0.0.1", bin);
    install_in_mirror(&mirror, TOFU_SOURCE, "0.0.1", bin);
    let standin = mirror
        .join(format!("{AWS_FULL}/{AWS_STANDIN_VERSION}/linux_amd64/terraform-provider-aws_v{AWS_STANDIN_VERSION}"));
    install_in_mirror(&mirror, "registry.opentofu.org/hashicorp/aws", AWS_STANDIN_VERSION, &standin);
    ws.use_filesystem_mirror(&mirror, &[AWS_FULL, "registry.opentofu.org/hashicorp/aws", PROVIDER_SOURCE, TOFU_SOURCE]);
    let state =
        std::fs::read_to_string(repo_root().join("tests/acceptance/fixtures").join(fixture)).expect("read the fixture");
    std::fs::write(ws.dir.join("terraform.tfstate"), state).expect("write terraform.tfstate");
    ws.write_main_tf(&format!(
        "terraform {{\n  required_providers {{\n    inspector2fix = {{ source = \"inspector2fix/inspector2fix\" }}\n    \
         aws = {{ source = \"{aws_source}\" }}\n  }}\n}}\n\nprovider \"inspector2fix\" {{}}\n\n{MOVED}"
    ));
    ws.tf(&["init", "-no-color", "-input=false"]).ok();
    ws
}

#[test]
fn adopt_moved_enabler_with_ecr_makes_no_write_and_leaves_ec2_on() {
    let emu = Emulator::start();
    emu.set_account(ACCOUNT, json!({"resource_state": {"EC2": "ENABLED", "ECR": "ENABLED"}}));
    let ws = enabler_workspace("adopt-moved", &emu, "enabler-ec2-ecr.tfstate", aws_source());

    let plan = ws.plan();
    assert_eq!(plan.code, 2, "a move is a change to the state:\n{}", plan.all());
    let text = plan.all();
    assert!(text.contains("aws_inspector2_enabler.this has moved to inspector2fix_ecr_scanning.this"), "{text}");
    assert!(text.contains("Plan: 0 to add, 0 to change, 0 to destroy."), "{text}");

    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Enable", "the move must not enable anything");
    emu.assert_no_call("Disable", "the move must not disable anything");
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(s["id"], ACCOUNT);
    assert_eq!(sorted_strings(&s["account_ids"]), vec![ACCOUNT]);
    assert_eq!(s["status"][ACCOUNT], "ENABLED");
    assert!(!ws.in_state("aws_inspector2_enabler.this"), "the enabler left the state");

    assert_eq!(ws.plan().code, 0, "the plan after the move must be clean");
    assert_eq!(emu.resource_state(ACCOUNT, "EC2"), "ENABLED", "EC2 scanning stays on");
    assert_eq!(emu.resource_state(ACCOUNT, "ECR"), "ENABLED");
}

#[test]
fn adopt_moved_enabler_without_ecr_turns_ecr_on_and_nothing_else() {
    let emu = Emulator::start();
    emu.set_account(ACCOUNT, json!({"resource_state": {"EC2": "ENABLED", "LAMBDA": "ENABLED", "ECR": "DISABLED"}}));
    let ws = enabler_workspace("adopt-no-ecr", &emu, "enabler-ec2-lambda.tfstate", aws_source());

    // The refresh finds ECR off, so, as after any drift, the moved resource is planned as a create
    // (Enable ECR), never a destroy.
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    let text = plan.all();
    assert!(
        text.contains("inspector2fix_ecr_scanning.this will be created # (moved from aws_inspector2_enabler.this)"),
        "{text}"
    );
    assert!(text.contains("Plan: 1 to add, 0 to change, 0 to destroy."), "{text}");

    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Disable", "turning ECR on disables nothing");
    let enables = emu.calls("Enable");
    assert!(!enables.is_empty(), "ECR must be turned on");
    for call in &enables {
        assert_eq!(field(call, "resource_types"), &json!(["ECR"]), "Enable must name ECR only");
    }
    assert_eq!(emu.resource_state(ACCOUNT, "ECR"), "ENABLED");
    assert_eq!(emu.resource_state(ACCOUNT, "EC2"), "ENABLED");
    assert_eq!(emu.resource_state(ACCOUNT, "LAMBDA"), "ENABLED");
    assert_eq!(ws.state_of(ECR_SCANNING)["status"][ACCOUNT], "ENABLED");
    assert_eq!(ws.plan().code, 0, "the plan after the update must be clean");
}

/// On OpenTofu a configuration names the AWS provider `hashicorp/aws` as a rule, and the move's
/// source then reads `registry.opentofu.org/hashicorp/aws`. (On Terraform this is the scenario above.)
#[test]
fn adopt_moved_enabler_with_the_short_aws_spelling_on_opentofu() {
    if !is_opentofu() {
        skip("an OpenTofu scenario: on Terraform, adopt_moved_enabler_with_ecr_makes_no_write_and_leaves_ec2_on is it");
        return;
    }
    let emu = Emulator::start();
    emu.set_account(ACCOUNT, json!({"resource_state": {"EC2": "ENABLED", "ECR": "ENABLED"}}));
    let ws = enabler_workspace("adopt-moved-tofu-short", &emu, "enabler-ec2-ecr.tfstate", AWS_SHORT);
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "a move is a change to the state:\n{}", plan.all());
    assert!(plan.all().contains("Plan: 0 to add, 0 to change, 0 to destroy."), "{}", plan.all());
    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Enable", "the move must not enable anything");
    emu.assert_no_call("Disable", "the move must not disable anything");
    assert_eq!(ws.state_of(ECR_SCANNING)["status"][ACCOUNT], "ENABLED");
}

#[test]
fn adopt_move_from_an_unsupported_type_is_refused_naming_it() {
    let emu = Emulator::start();
    let ws = workspace("adopt-refused", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"terraform_data\" \"this\" {}\n");
    ws.apply().ok();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = [\"{ACCOUNT}\"]\n}}\n\n\
         moved {{\n  from = terraform_data.this\n  to   = inspector2fix_ecr_scanning.this\n}}\n"
    ));
    emu.clear_log();
    let plan = ws.plan().failed();
    let text = plan.all();
    assert!(text.contains("Unsupported move to inspector2fix_ecr_scanning"), "{text}");
    assert!(text.contains("cannot take over terraform_data of provider terraform.io/builtin/terraform"), "{text}");
    assert!(text.contains("aws_inspector2_enabler of registry.terraform.io/hashicorp/aws"), "{text}");
    no_backtrace(&text);
    assert_eq!(emu.count("Enable") + emu.count("Disable"), 0, "a refused move writes nothing");
}

#[test]
fn adopt_import_takes_the_enabler_id() {
    let emu = Emulator::start();
    emu.set_account(ACCOUNT, json!({"resource_state": {"EC2": "ENABLED", "ECR": "ENABLED"}}));
    let ws = workspace("adopt-import", &emu.url());
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = [\"{ACCOUNT}\"]\n}}\n\n\
         import {{\n  to = inspector2fix_ecr_scanning.this\n  id = \"{ACCOUNT}-EC2:ECR\"\n}}\n"
    ));
    emu.clear_log();
    ws.apply().ok();
    emu.assert_no_call("Enable", "importing enables nothing");
    emu.assert_no_call("Disable", "importing disables nothing");
    let s = ws.state_of(ECR_SCANNING);
    assert_eq!(s["id"], ACCOUNT);
    assert_eq!(s["status"][ACCOUNT], "ENABLED");
    assert_eq!(ws.plan().code, 0, "the plan after the import must be clean");
    assert_eq!(emu.resource_state(ACCOUNT, "EC2"), "ENABLED");
}

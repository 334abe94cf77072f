//! The provider's source address as each CLI reads it (README "Install"), with the organization
//! module, whose `versions.tf` writes the short spelling `inspector2fix/inspector2fix`. The
//! provider is installed by `init` from a filesystem mirror holding the test build under both
//! addresses, as a mirror serving Terraform and OpenTofu alike would.

use std::path::Path;

use serde_json::json;

use crate::harness::*;
use crate::organization_module::copy_module;

const VERSION: &str = env!("CARGO_PKG_VERSION");
const ADMIN: &str = "111111111111";

/// An organization in us-east-1: the administrator and two members, none scanning ECR. The
/// workspace's own key is the default account's (123456789012); the root's provider block
/// assumes a role in the administrator, so the module acts as the administrator only when it
/// shares that configuration.
fn organization() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({"delegated_admin": ADMIN, "members": ["200000000001", "200000000002"]}));
    emu
}

/// A root configuration requiring the provider as `source` and calling a copy of the module,
/// installed only from the mirror (no dev_overrides).
fn spelled(name: &str, emu: &Emulator, source: &str, mirrored: &[&str]) -> Workspace {
    let ws = workspace(name, &emu.url());
    let mirror = ws.dir.join("mirror");
    for address in mirrored {
        install_in_mirror(&mirror, address, VERSION, Path::new(PROVIDER_BIN));
    }
    let rc =
        format!("provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n", mirror.display());
    std::fs::write(ws.dir.join("terraformrc"), rc).expect("write terraformrc");
    copy_module(&ws.dir.join("modules/organization"));
    ws.write_main_tf(&format!(
        "terraform {{\n  required_providers {{\n    inspector2fix = {{ source = \"{source}\" }}\n  }}\n}}\n\n\
         provider \"inspector2fix\" {{\n  assume_role {{\n    role_arn = \"arn:aws:iam::{ADMIN}:role/inspector-admin\"\n  }}\n}}\n\n\
         module \"inspector2\" {{\n  source  = \"./modules/organization\"\n  regions = [\"us-east-1\"]\n}}\n\n\
         output \"compliance\" {{\n  value = module.inspector2.compliance_status\n}}\n"
    ));
    ws
}

/// The provider addresses `init` recorded in the lock file.
fn locked(ws: &Workspace) -> Vec<String> {
    let lock = std::fs::read_to_string(ws.dir.join(".terraform.lock.hcl")).expect("init wrote no lock file");
    let mut providers: Vec<String> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("provider \"").and_then(|rest| rest.split('"').next()))
        .map(str::to_owned)
        .collect();
    providers.sort();
    providers
}

/// The address each CLI reads the short spelling as.
fn home_address() -> &'static str {
    if is_opentofu() {
        TOFU_SOURCE
    } else {
        PROVIDER_SOURCE
    }
}

fn applies_and_passes(ws: &Workspace, emu: &Emulator) {
    ws.apply().ok();
    assert_eq!(ws.outputs()["compliance"], json!({"us-east-1": "PASSED"}));
    for account in [ADMIN, "200000000001", "200000000002"] {
        assert_eq!(emu.resource_state(account, "ECR"), "ENABLED", "ECR of {account}");
    }
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "a second plan must be empty:\n{}", plan.all());
}

/// README: keep the short spelling, with Terraform and with OpenTofu; one provider is installed,
/// at the CLI's own default registry, and the module shares the root's provider configuration.
#[test]
fn the_short_spelling_works_with_the_module_on_either_cli() {
    let emu = organization();
    let ws = spelled("spelling-short", &emu, "inspector2fix/inspector2fix", &[PROVIDER_SOURCE, TOFU_SOURCE]);
    ws.tf(&["init", "-no-color", "-input=false"]).ok();
    assert_eq!(locked(&ws), [home_address()], "one provider, at the CLI's default registry");
    applies_and_passes(&ws, &emu);
}

/// README: the full `registry.terraform.io/...` spelling in the root is the same provider as the
/// module's short spelling on Terraform. On OpenTofu it is a second provider: the module's
/// provider is not in a mirror laid out for Terraform, and where it is, the module silently runs
/// without the root's provider configuration (here: without its assume_role).
#[test]
fn the_full_terraform_spelling_splits_the_provider_on_opentofu() {
    let emu = organization();
    if !is_opentofu() {
        let ws = spelled("spelling-full", &emu, PROVIDER_SOURCE, &[PROVIDER_SOURCE]);
        ws.tf(&["init", "-no-color", "-input=false"]).ok();
        assert_eq!(locked(&ws), [PROVIDER_SOURCE], "on Terraform both spellings are one provider");
        applies_and_passes(&ws, &emu);
        return;
    }
    // A mirror laid out for Terraform only, as README once advised for OpenTofu.
    let ws = spelled("spelling-full-tf-mirror", &emu, PROVIDER_SOURCE, &[PROVIDER_SOURCE]);
    let init = ws.tf(&["init", "-no-color", "-input=false"]).failed();
    let text = init.all();
    assert!(text.contains(&format!("provider {TOFU_SOURCE} was not found")), "{text}");

    let ws = spelled("spelling-full-both", &emu, PROVIDER_SOURCE, &[PROVIDER_SOURCE, TOFU_SOURCE]);
    ws.tf(&["init", "-no-color", "-input=false"]).ok();
    assert_eq!(locked(&ws), [TOFU_SOURCE, PROVIDER_SOURCE], "two providers where one was meant");
    emu.clear_log();
    let plan = ws.plan().failed();
    let text = plan.all();
    assert!(text.contains("123456789012 is not the delegated Inspector administrator in us-east-1"), "{text}");
    emu.assert_no_call("Enable", "a failed plan writes nothing");
}

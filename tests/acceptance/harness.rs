//! The shared harness (the `inspector2fix-testsupport` crate), bound to the provider binary cargo
//! built for this test binary.

use std::path::Path;

use serde_json::json;

pub use testsupport::*;

/// The provider under test, as cargo built it for this binary.
pub const PROVIDER_BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-inspector2fix");

/// A scratch Terraform workspace using the provider under test, talking to `endpoint`.
pub fn workspace(name: &str, endpoint: &str) -> Workspace {
    Workspace::new(Path::new(PROVIDER_BIN), name, endpoint)
}

/// The delegated Inspector administrator of the emulated organizations (access key AKIDADMIN).
pub const ADMIN: &str = "111111111111";
/// A member account (access key AKIDMEMBER in an organization that names it first).
pub const MEMBER: &str = "222222222222";
/// The emulator's default account: no organization, no role.
pub const STANDALONE: &str = "123456789012";
/// The usual addresses of the resources under test.
pub const ECR_SCANNING: &str = "inspector2fix_ecr_scanning.this";
pub const SUPPRESSION: &str = "inspector2fix_control_suppression.this";

/// An emulator whose key AKIDADMIN is the delegated administrator of `members` (all associated),
/// and whose key AKIDMEMBER is the first member.
pub fn organization<S: AsRef<str>>(members: &[S]) -> Emulator {
    let members: Vec<&str> = members.iter().map(AsRef::as_ref).collect();
    let mut credentials = json!({"AKIDADMIN": ADMIN});
    if let Some(first) = members.first() {
        credentials["AKIDMEMBER"] = json!(first);
    }
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": credentials, "delegated_admin": ADMIN, "members": members}));
    emu
}

/// A workspace that acts with access key `key` and holds `config`.
pub fn workspace_as(name: &str, emu: &Emulator, key: &str, config: &str) -> Workspace {
    let mut ws = workspace(name, &emu.url());
    ws.access_key = key.into();
    ws.config(config);
    ws
}

/// The harness's strict reads against the real Terraform: what is not there fails the test.
#[cfg(test)]
mod self_tests {
    use super::*;

    fn empty() -> Workspace {
        let ws = workspace("harness-empty", "http://127.0.0.1:9");
        ws.config("provider \"inspector2fix\" {}\n");
        ws
    }

    #[test]
    fn an_empty_state_holds_nothing() {
        let ws = empty();
        assert!(ws.state().is_empty());
        assert!(!ws.in_state("inspector2fix_ecr_scanning.this"));
        assert!(ws.outputs().names().is_empty());
    }

    #[test]
    #[should_panic(expected = "inspector2fix_ecr_scanning.this is not in state")]
    fn state_of_a_resource_not_in_state_fails() {
        empty().state_of("inspector2fix_ecr_scanning.this");
    }

    #[test]
    #[should_panic(expected = "outputs has no \"compliance\"")]
    fn an_output_that_is_not_there_fails() {
        let _ = &empty().outputs()["compliance"];
    }
}

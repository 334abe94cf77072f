//! The shared harness (the `inspector2fix-testsupport` crate), bound to the provider binary cargo
//! built for this test binary.

use std::path::Path;

pub use testsupport::*;

/// The provider under test, as cargo built it for this binary.
pub const PROVIDER_BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-inspector2fix");

/// A scratch Terraform workspace using the provider under test, talking to `endpoint`.
pub fn workspace(name: &str, endpoint: &str) -> Workspace {
    Workspace::new(Path::new(PROVIDER_BIN), name, endpoint)
}

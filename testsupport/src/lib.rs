//! What the acceptance tests (`tests/acceptance`) and the benchmark (`benches/bench`) share: the
//! real Terraform driven in a scratch workspace, the project's emulator run in-process, and strict
//! reads of what both report.
//!
//! Strict means a read that cannot find what it was asked for fails the test: a missing operation
//! count, attribute, output or status field, an unknown operation or scan type name, an
//! unparsable request log or state, or a control-API call that did not answer 200. Nothing here
//! turns a missing value into 0, `DISABLED` or `null`.

pub mod emulator;
pub mod http;
pub mod json;
pub mod skip;
pub mod terraform;

use std::path::PathBuf;

pub use emulator::{Emulator, Requests};
pub use json::{field, note_text, sorted_strings, str_field, workflow_status, Attrs};
pub use skip::{is_opentofu, skip, skip_on_opentofu};
pub use terraform::{
    aws_standin_mirror, echo_provider, install_in_mirror, terraform, terraform_1_15, venv_tool, Run, Workspace,
    AWS_STANDIN_VERSION, PROVIDER_SOURCE, SECRET_KEY, TOFU_SOURCE,
};

/// The repository's root directory (this crate lives one level below it).
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// `n` consecutive 12-digit account ids starting at `first`.
pub fn accounts(n: usize, first: u64) -> Vec<String> {
    (0..n as u64).map(|i| format!("{:012}", first + i)).collect()
}

/// `items` as an HCL list of strings.
pub fn hcl_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", "))
}

/// Fails when user-facing `text` carries a Rust backtrace or source location.
#[track_caller]
pub fn no_backtrace(text: &str) {
    for marker in ["stack backtrace", "Stack backtrace", "rust_begin_unwind", "RUST_BACKTRACE", ".rs:"] {
        assert!(!text.contains(marker), "user-facing output carries a backtrace ({marker}):\n{text}");
    }
}

/// Waits up to `limit` for `ready`, polling every 100 ms; false when it never became true.
pub fn wait_for(limit: std::time::Duration, mut ready: impl FnMut() -> bool) -> bool {
    let until = std::time::Instant::now() + limit;
    while std::time::Instant::now() < until {
        if ready() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// Sends `signal` (e.g. "-INT") to the process group `group`, as a terminal does to its
/// foreground job.
#[track_caller]
pub fn signal_group(signal: &str, group: u32) {
    let status = std::process::Command::new("kill").args([signal, "--", &format!("-{group}")]).status();
    assert!(status.expect("run kill").success(), "kill {signal} of process group {group} failed");
}

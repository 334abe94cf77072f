//! The measuring helpers every figure group uses: Terraform workspaces on the release build,
//! wall-clock timing, and progress lines.

use std::path::Path;
use std::time::Instant;

use testsupport::{Emulator, Run, Workspace};

/// The provider binary cargo built for this bench (the release profile under `cargo bench`).
pub const PROVIDER_BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-inspector2fix");

/// The account an emulator serves by default (access key AKIDSTANDALONE).
pub const STANDALONE: &str = "123456789012";

/// One resource in the caller's account: the smallest configuration that does anything.
pub const ONE_RESOURCE: &str = "provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n";

/// A scratch Terraform workspace on the provider under measurement.
pub fn workspace(name: &str, endpoint: &str) -> Workspace {
    Workspace::new(Path::new(PROVIDER_BIN), name, endpoint)
}

/// A workspace with the provider block and no resources: Terraform's own fixed cost.
pub fn empty_workspace(emu: &Emulator, access_key: &str) -> Workspace {
    let mut ws = workspace("bench-empty", &emu.url());
    ws.access_key = access_key.into();
    ws.config("provider \"inspector2fix\" {}\n");
    ws
}

/// `f`'s result and its wall time in ms.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed().as_secs_f64() * 1000.0)
}

pub fn refresh_only(ws: &Workspace) -> Run {
    ws.tf(&["plan", "-refresh-only", "-detailed-exitcode", "-no-color", "-input=false"])
}

/// `run`, failing the bench unless Terraform exited with one of `codes`: a figure from a wrong
/// run would mean nothing.
#[track_caller]
pub fn expect_code(run: Run, codes: &[i32], what: &str) -> Run {
    assert!(codes.contains(&run.code), "{what}: terraform exited {}:\n{}", run.code, run.all());
    run
}

pub fn progress(msg: &str) {
    eprintln!("[bench] {msg}");
}

//! Scenarios that cannot run with the CLI or tools at hand skip themselves, saying why. A skipped
//! test still reads as passed to libtest, so the reason is printed (seen with --nocapture) and
//! appended to the file named by `I2F_SKIP_LOG`, which `make test` and `make testacc-tofu` print
//! at the end of the run.

use std::io::Write;
use std::process::Command;
use std::sync::OnceLock;

use crate::terraform::terraform;

/// Whether the CLI under test (`terraform()`) is OpenTofu, as its `version` says.
#[track_caller]
pub fn is_opentofu() -> bool {
    static TOFU: OnceLock<bool> = OnceLock::new();
    *TOFU.get_or_init(|| {
        let out = Command::new(terraform())
            .arg("version")
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .unwrap_or_else(|e| panic!("running `{} version`: {e}", terraform().display()));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "`{} version` failed: {text}", terraform().display());
        text.starts_with("OpenTofu")
    })
}

/// Skips the calling test on OpenTofu with `reason` (recorded as above): true when skipped.
#[must_use]
pub fn skip_on_opentofu(reason: &str) -> bool {
    if !is_opentofu() {
        return false;
    }
    skip(&format!("OpenTofu: {reason}"));
    true
}

/// Records that the calling test is skipped, and why.
pub fn skip(reason: &str) {
    let thread = std::thread::current();
    let line = format!("skipped {}: {reason}", thread.name().unwrap_or("a test"));
    eprintln!("{line}");
    if let Some(path) = std::env::var_os("I2F_SKIP_LOG").filter(|p| !p.is_empty()) {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(&path);
        // One write of one line: lines of tests running in parallel do not interleave.
        let written = file.and_then(|mut f| f.write_all(format!("{line}\n").as_bytes()));
        written.unwrap_or_else(|e| panic!("recording the skip in {}: {e}", std::path::Path::new(&path).display()));
    }
}

//! What the benchmark ran on: the first row of the report.

use std::process::{Command, Stdio};

use serde_json::Value;
use testsupport::{repo_root, terraform};

pub fn command_output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).env("CHECKPOINT_DISABLE", "1").stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn machine() -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().find(|l| l.starts_with("MemTotal")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| format!("{:.0} GB", kb / 1024.0 / 1024.0))
        .unwrap_or_else(|| "unknown".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").map(|s| s.trim().to_owned()).unwrap_or_default();
    let tf = command_output(terraform().to_str().unwrap(), &["version", "-json"])
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .and_then(|v| v["terraform_version"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    let rustc = command_output(&std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()), &["-V"])
        .unwrap_or_else(|| "unknown".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let root = repo_root();
    let root = root.to_str().unwrap();
    let commit =
        command_output("git", &["-C", root, "rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = command_output("git", &["-C", root, "status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|s| !s.is_empty());
    let date = command_output("date", &["-u", "+%Y-%m-%d"]).unwrap_or_default();
    vec![
        ("cores".into(), cores.to_string()),
        ("CPU".into(), cpu),
        ("memory".into(), mem),
        ("Linux".into(), kernel),
        ("Terraform".into(), tf),
        ("rustc".into(), rustc.trim_start_matches("rustc ").to_owned()),
        ("profile".into(), "release (cargo bench)".into()),
        ("commit".into(), format!("{commit}{}", if dirty { " + uncommitted changes" } else { "" })),
        ("date".into(), date),
        ("load average at start".into(), load),
    ]
}

//! Logs Terraform shows (issue 8, section 7): hclog-JSON lines from the provider under TF_LOG,
//! with each AWS call and each retry, and never a secret.

use serde_json::json;

use crate::harness::*;

const SESSION_TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKENxyz";
const EXTERNAL_ID: &str = "external-id-Kq7Zp2";

/// Provider lines of Terraform's log (TF_LOG writes to stderr when no TF_LOG_PATH is set).
fn provider_lines(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains("provider.terraform-provider-inspector2fix:")).collect()
}

#[test]
fn trace_log_names_each_call_and_retry_and_holds_no_secret() {
    let emu = Emulator::start();
    emu.fault(json!({"kind": "throttle", "operation": "Enable", "times": 1}));
    let mut ws = workspace("logs", &emu.url());
    ws.extra_env.push(("TF_LOG".into(), "trace".into()));
    ws.extra_env.push(("AWS_SESSION_TOKEN".into(), SESSION_TOKEN.into()));
    ws.config(&format!(
        "provider \"inspector2fix\" {{\n  assume_role {{\n    role_arn    = \"arn:aws:iam::444444444444:role/inspector-admin\"\n    external_id = \"{EXTERNAL_ID}\"\n  }}\n}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{}}\n"
    ));
    let run = ws.apply().ok();
    let log = run.all();
    for secret in [SECRET_KEY, SESSION_TOKEN, EXTERNAL_ID, "<SessionToken>", "<SecretAccessKey>"] {
        assert!(!log.contains(secret), "{secret:?} is in the trace log");
    }
    let ours = provider_lines(&log);
    let enable_ok = ours.iter().find(|l| l.contains("AWS call Enable: ok"));
    let enable_ok = enable_ok.unwrap_or_else(|| panic!("no DEBUG line for Enable among:\n{}", ours.join("\n")));
    for field in ["operation=Enable", "attempt=2", "request_id=", "latency_ms=", "http_status=200"] {
        assert!(enable_ok.contains(field), "{field} missing from: {enable_ok}");
    }
    assert!(
        ours.iter().any(|l| l.contains("[WARN]") && l.contains("retrying AWS call Enable (attempt 2)")),
        "no WARN for the retry among:\n{}",
        ours.join("\n")
    );
    assert_eq!(emu.resource_state("444444444444", "ECR"), "ENABLED");
}

#[test]
fn no_provider_log_lines_without_tf_log() {
    let emu = Emulator::start();
    let ws = workspace("nologs", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n");
    let run = ws.apply().ok();
    assert!(run.all().contains("Apply complete!"), "{}", run.all());
    assert!(!run.all().contains("@module"), "the provider wrote log lines without TF_LOG:\n{}", run.all());
}

//! Errors that cannot heal end the apply at once, with a message naming the cause; every wait
//! ends at its deadline; one Ctrl-C stops a wait and keeps what was done (issue 8, sections 1-2).
//!
//! The "under 30 s" bounds are hang guards, not timings: without the fixes these cases ran for
//! the whole 30-minute default timeout. The measured times are printed (`-- --nocapture`).

use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/deploy";
const HANG_GUARD: Duration = Duration::from_secs(30);

fn resource(extra: &str) -> String {
    format!("resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = [\"{STANDALONE}\"]\n{extra}}}\n")
}

fn with_provider(ws: &Workspace, provider_body: &str, resource_extra: &str) {
    ws.config(&format!("provider \"inspector2fix\" {{\n{provider_body}}}\n\n{}", resource(resource_extra)));
}

/// `terraform apply` that must fail, timed; fails the test when it passes the hang guard.
#[track_caller]
fn failing_apply(ws: &Workspace, what: &str) -> String {
    let started = Instant::now();
    let run = ws.apply().failed();
    let took = started.elapsed();
    eprintln!("failfast: {what}: apply failed after {took:.2?}");
    let out = run.all();
    if std::env::var_os("I2F_SHOW_ERRORS").is_some() {
        eprintln!("failfast: {what}: {}", out.split("Error:").skip(1).collect::<Vec<_>>().join("Error:"));
    }
    assert!(took < HANG_GUARD, "{what}: apply took {took:?}, past the {HANG_GUARD:?} hang guard:\n{out}");
    no_backtrace(&out);
    for dump in ["DispatchFailure", "ConnectorError", "{ source", "<html", "<HTML"] {
        assert!(!out.contains(dump), "{what}: the error carries a debug dump or HTML ({dump}):\n{out}");
    }
    out
}

#[test]
fn assume_role_access_denied_fails_at_once_naming_the_role_and_trust_policy() {
    let emu = Emulator::start();
    emu.fault(json!({"kind": "assume_role_access_denied", "role_arn": ROLE}));
    let ws = workspace("ff-assume-denied", &emu.url());
    with_provider(&ws, &format!("  assume_role {{\n    role_arn = \"{ROLE}\"\n  }}\n"), "");
    let out = failing_apply(&ws, "AssumeRole AccessDenied");
    assert!(out.contains(&format!("could not assume role {ROLE}")), "{out}");
    assert!(out.contains("is not authorized to perform: sts:AssumeRole"), "{out}");
    assert!(out.contains("check its trust policy"), "{out}");
    let assume_calls = emu.count("AssumeRole");
    assert!((1..=4).contains(&assume_calls), "AssumeRole was called {assume_calls} times, not retried until a timeout");
    assert_eq!(emu.count("Enable"), 0, "no Enable goes out without credentials");
    assert!(!ws.in_state(ECR_SCANNING));
}

#[test]
fn assume_role_validation_error_fails_at_once() {
    let emu = Emulator::start();
    emu.fault(json!({"kind": "validation_error", "operation": "AssumeRole", "message": "1 validation error detected: externalId"}));
    let ws = workspace("ff-assume-invalid", &emu.url());
    with_provider(&ws, &format!("  assume_role {{\n    role_arn = \"{ROLE}\"\n    external_id = \"x\"\n  }}\n"), "");
    let out = failing_apply(&ws, "AssumeRole ValidationError");
    assert!(out.contains(&format!("ValidationError: GetCallerIdentity: could not assume role {ROLE}")), "{out}");
    assert!(out.contains("1 validation error detected: externalId"), "{out}");
    assert!(out.contains("check assume_role's role_arn, session_name and external_id"), "{out}");
    assert!(!ws.in_state(ECR_SCANNING));
}

#[test]
fn no_credentials_anywhere_fails_at_once_naming_the_places_looked_at() {
    let emu = Emulator::start();
    let mut ws = workspace("ff-no-credentials", &emu.url());
    ws.extra_env.push(("AWS_ACCESS_KEY_ID".into(), String::new()));
    ws.extra_env.push(("AWS_SECRET_ACCESS_KEY".into(), String::new()));
    with_provider(&ws, "", "");
    let out = failing_apply(&ws, "no credentials");
    assert!(out.contains("no AWS credentials found: looked at"), "{out}");
    for place in ["AWS_ACCESS_KEY_ID", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "EC2 instance metadata"] {
        assert!(out.contains(place), "the message does not name {place}:\n{out}");
    }
    assert_eq!(emu.count("Enable"), 0, "nothing unsigned goes out");
}

#[test]
fn a_profile_that_does_not_exist_fails_at_once_naming_it() {
    let emu = Emulator::start();
    let mut ws = workspace("ff-missing-profile", &emu.url());
    let config = ws.dir.join("aws-config");
    let credentials = ws.dir.join("aws-credentials");
    std::fs::write(&config, "[profile other]\nregion = us-east-1\n").expect("write the AWS config file");
    std::fs::write(&credentials, "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n")
        .expect("write the AWS credentials file");
    ws.extra_env.push(("AWS_CONFIG_FILE".into(), config.display().to_string()));
    ws.extra_env.push(("AWS_SHARED_CREDENTIALS_FILE".into(), credentials.display().to_string()));
    // Keys in the environment come first in the SDK's chain; without them the profile must serve.
    ws.extra_env.push(("AWS_ACCESS_KEY_ID".into(), String::new()));
    ws.extra_env.push(("AWS_SECRET_ACCESS_KEY".into(), String::new()));
    with_provider(&ws, "  profile = \"nope\"\n", "");
    let out = failing_apply(&ws, "missing profile");
    assert!(
        out.contains("no AWS credentials found (profile \"nope\")"),
        "the message does not name the profile:\n{out}"
    );
    assert!(out.contains("check that profile \"nope\" exists"), "{out}");
    assert!(!out.contains("already taken"), "the first, telling error was lost:\n{out}");
    assert_eq!(emu.count("Enable"), 0, "nothing goes out without credentials");
}

#[test]
fn a_region_the_sdk_refuses_fails_at_once() {
    let emu = Emulator::start();
    let mut ws = workspace("ff-bad-region", &emu.url());
    // Without an endpoint override the SDK resolves the endpoint from the Region, and refuses it.
    // The provider block's `region` is checked at validate, so the bad Region comes from the
    // environment, which only the SDK reads.
    ws.extra_env.push(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS".into(), "true".into()));
    ws.extra_env.push(("AWS_REGION".into(), "---".into()));
    with_provider(&ws, "", "");
    let out = failing_apply(&ws, "AWS_REGION \"---\"");
    assert!(out.contains("check `region`"), "{out}");
    assert_eq!(emu.aws_calls(), 0, "nothing can have reached the emulator");

    // In the provider block, the same Region is refused at validate, naming the argument.
    with_provider(&ws, "  region = \"---\"\n", "");
    let out = failing_apply(&ws, "region \"---\"");
    assert!(out.contains("region: \"---\" is not an AWS Region name"), "{out}");
    assert_eq!(emu.aws_calls(), 0, "nothing can have reached the emulator");
}

#[test]
fn an_endpoint_answering_html_404_fails_at_once_in_plain_text() {
    let emu = Emulator::start();
    emu.fault(json!({"kind": "html_404", "operation": "*"}));
    let ws = workspace("ff-html-404", &emu.url());
    with_provider(&ws, "", "");
    let out = failing_apply(&ws, "HTML 404 endpoint");
    assert!(out.contains("No request to enable ECR scanning could be sent for 1 account(s)"), "{out}");
    assert!(out.contains("GetCallerIdentity: HTTP 404 without an AWS error code"), "{out}");
    assert!(out.contains("check `endpoints`"), "{out}");
    assert_eq!(emu.count("GetCallerIdentity"), 1, "a final error is not retried");
    assert_eq!(emu.count("Enable"), 0);
}

#[test]
fn an_endpoint_that_never_answers_ends_at_the_create_timeout() {
    let emu = Emulator::start();
    emu.fault(json!({"kind": "black_hole", "operation": "*"}));
    let ws = workspace("ff-black-hole", &emu.url());
    with_provider(&ws, "", "  timeouts {\n    create = \"10s\"\n  }\n");
    let out = failing_apply(&ws, "black hole, create = 10s");
    assert!(out.contains("Timed out after 10s waiting for ECR scanning to be ENABLED in 1 account(s)"), "{out}");
    assert!(out.contains("no answer before the deadline"), "{out}");
    assert!(!ws.in_state(ECR_SCANNING), "nothing was enabled");
}

#[test]
fn a_refused_endpoint_ends_at_the_create_timeout() {
    // A port that was just free: nothing listens there, so every connection is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
    let ws = workspace("ff-refused", &format!("http://{closed}"));
    with_provider(&ws, "", "  timeouts {\n    create = \"15s\"\n  }\n");
    let out = failing_apply(&ws, "refused endpoint, create = 15s");
    assert!(out.contains("Timed out after 15s waiting for ECR scanning to be ENABLED in 1 account(s)"), "{out}");
    assert!(out.contains("could not reach the endpoint"), "{out}");
}

#[test]
fn one_sigint_stops_a_long_wait_and_keeps_what_was_done() {
    const ADMIN: &str = "111111111111";
    const STUCK: &str = "222222222222";
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDADMIN": ADMIN}, "delegated_admin": ADMIN, "members": [STUCK]}));
    emu.set_account(STUCK, json!({"stuck": true}));
    let mut ws = workspace("ff-sigint", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = [\"{ADMIN}\", \"{STUCK}\"]\n}}\n"
    ));
    let mut cmd = ws.command(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    // Its own process group, as a terminal's foreground job: the SIGINT goes to the whole group.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start terraform apply");
    let group = child.id();
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait_with_output());
    });
    let waiting = wait_for(HANG_GUARD, || {
        emu.resource_state(ADMIN, "ECR") == "ENABLED" && emu.count("BatchGetAccountStatus") >= 2
    });
    assert!(waiting, "the apply never got to waiting on the stuck account");
    std::thread::sleep(Duration::from_secs(1));
    let sent = Instant::now();
    signal_group("-INT", group);
    let output = done_rx.recv_timeout(HANG_GUARD).expect("terraform ended after one SIGINT").expect("terraform output");
    let took = sent.elapsed();
    eprintln!("failfast: SIGINT to the end of the apply: {took:.2?}");
    let out = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(took < Duration::from_secs(10), "one SIGINT took {took:?} to end the apply:\n{out}");
    assert_ne!(output.status.code(), Some(0), "a stopped apply is not a success:\n{out}");
    assert!(
        out.contains("Stopped by Terraform (interrupt) while waiting for ECR scanning to be ENABLED in 1 account(s)"),
        "{out}"
    );
    no_backtrace(&out);
    let state = ws.state_of(ECR_SCANNING);
    assert_eq!(sorted_strings(&state["account_ids"]), vec![ADMIN.to_owned(), STUCK.to_owned()], "{out}");
    assert_eq!(str_field(&state["status"], ADMIN), "ENABLED");
    assert_eq!(str_field(&state["status"], STUCK), "ENABLING");
}

#[test]
fn a_refresh_against_a_refused_endpoint_ends_when_its_retries_do() {
    let emu = Emulator::start();
    let mut ws = workspace("ff-refresh-refused", &emu.url());
    with_provider(&ws, "", "");
    ws.apply().ok();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
    ws.endpoint = format!("http://{closed}");
    let started = Instant::now();
    let run = ws.plan();
    let took = started.elapsed();
    eprintln!("failfast: refresh against a refused endpoint: plan failed after {took:.2?}");
    let out = run.all();
    assert_eq!(run.code, 1, "the plan must fail:\n{out}");
    assert!(took < HANG_GUARD, "the refresh took {took:?}:\n{out}");
    assert!(out.contains("Cannot read Inspector ECR scanning status"), "{out}");
    assert!(out.contains("BatchGetAccountStatus: could not reach the endpoint"), "{out}");
    no_backtrace(&out);
    assert!(ws.in_state(ECR_SCANNING), "a failed refresh keeps the state");
}

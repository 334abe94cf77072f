//! Figure group 5, failing fast (issue 8): how long an apply takes to end when it cannot succeed
//! or is stopped. A black-holed Enable against its 10 s create timeout, a final AssumeRole error
//! against Terraform's fixed cost, and one Ctrl-C against an apply waiting on a stuck account.
//! The acceptance tests hold generous hang guards; the real figures are here.

use std::process::{Child, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;
use testsupport::{signal_group, wait_for, Emulator, Workspace};

use crate::measure::{expect_code, progress, timed, workspace, STANDALONE};
use crate::report::{Report, Row};
use crate::stats::{ms, ratio, Stats};
use crate::Plan;

const ROLE: &str = "arn:aws:iam::123456789012:role/deploy";
const CREATE_TIMEOUT_MS: f64 = 10_000.0;
/// How long Terraform runs before the SIGINT.
const BEFORE_SIGINT: Duration = Duration::from_secs(3);
/// Past this a run is wrong (a hang), not slow: the bench fails rather than wait forever.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// The figures over the runs, in ms (ratios plain).
#[derive(Default)]
struct Times {
    black_hole: Stats,
    overrun: Stats,
    denied: Stats,
    denied_fixed: Stats,
    denied_ratio: Stats,
    sigint: Stats,
}

fn resource(extra: &str) -> String {
    format!("resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = [\"{STANDALONE}\"]\n{extra}}}\n")
}

pub fn failfast(plan: &Plan, report: &mut Report) {
    progress(&format!("fail fast: {} run(s) of each scenario", plan.failfast_runs));
    let mut t = Times::default();
    for _ in 0..plan.failfast_runs {
        let wall = black_hole();
        t.black_hole.push(wall);
        t.overrun.push(wall - CREATE_TIMEOUT_MS);
        let (wall, fixed) = assume_role_denied();
        t.denied.push(wall);
        t.denied_fixed.push(fixed);
        t.denied_ratio.push(wall / fixed);
        t.sigint.push(sigint());
    }
    report.section("5. Failing fast (issue 8)", rows(&t));
    report.method.push(format!(
        "Failing fast: a fresh emulator and workspace per scenario and run, one account ({STANDALONE}). Black hole: the \
         fault `{{\"kind\":\"black_hole\",\"operation\":\"Enable\"}}` never answers Enable, and the resource has \
         `timeouts {{ create = \"10s\" }}`; the figure is the wall time of the failing `terraform apply`, its floor the \
         10 s timeout, the overrun the difference. Final error: `{{\"kind\":\"assume_role_access_denied\"}}` with an \
         `assume_role` block; the failing apply's wall time is set against a successful `terraform plan` of the same \
         configuration without the fault, in the same run (Terraform's fixed cost). Ctrl-C: the delegated \
         administrator enables itself and a member the emulator keeps `stuck` (create timeout 30 m); {} s after \
         Terraform starts, and once the apply is waiting, `kill -INT` goes to Terraform's own process group, as a \
         terminal sends it to its foreground job; the figure runs from the signal to Terraform's exit. {} run(s).",
        BEFORE_SIGINT.as_secs(),
        plan.failfast_runs
    ));
}

fn rows(t: &Times) -> Vec<Row> {
    vec![
        Row::new("Black-holed Enable, `create = \"10s\"`: failing apply wall", t.black_hole.show(ms))
            .floor(ms(CREATE_TIMEOUT_MS), ratio(t.black_hole.median() / CREATE_TIMEOUT_MS)),
        Row::new("… overrun past the timeout", t.overrun.show(ms))
            .floor("0", "—")
            .target("≤ 2 s", t.overrun.max() <= 2_000.0),
        Row::new("AssumeRole AccessDenied: failing apply wall", t.denied.show(ms))
            .floor(
                format!("{} (plan of the same config, no fault)", ms(t.denied_fixed.median())),
                ratio(t.denied_ratio.median()),
            )
            .target("< 10 s", t.denied.max() < 10_000.0),
        Row::new("Ctrl-C while waiting on a stuck account: SIGINT to exit", t.sigint.show(ms))
            .floor("0", "—")
            .target("< 2 s", t.sigint.max() < 2_000.0),
    ]
}

/// Wall time (ms) of an apply whose Enable is never answered, with a 10 s create timeout.
fn black_hole() -> f64 {
    let emu = Emulator::start();
    emu.fault(json!({"kind": "black_hole", "operation": "Enable"}));
    let ws = workspace("bench-ff-black-hole", &emu.url());
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{}", resource("  timeouts {\n    create = \"10s\"\n  }\n")));
    let (run, t) = timed(|| ws.apply());
    let run = expect_code(run, &[1], "apply against a black-holed Enable");
    assert!(run.all().contains("Timed out after 10s"), "the apply must end at its create timeout:\n{}", run.all());
    t
}

/// Wall times (ms) of an apply whose AssumeRole is denied, and of a plan of the same configuration
/// without the fault.
fn assume_role_denied() -> (f64, f64) {
    let emu = Emulator::start();
    let ws = workspace("bench-ff-assume-denied", &emu.url());
    ws.config(&format!(
        "provider \"inspector2fix\" {{\n  assume_role {{\n    role_arn = \"{ROLE}\"\n  }}\n}}\n\n{}",
        resource("")
    ));
    let (run, fixed) = timed(|| ws.plan());
    expect_code(run, &[2], "plan of the assume_role configuration without the fault");
    emu.fault(json!({"kind": "assume_role_access_denied"}));
    let (run, t) = timed(|| ws.apply());
    let run = expect_code(run, &[1], "apply with AssumeRole denied");
    assert!(run.all().contains(&format!("could not assume role {ROLE}")), "the wrong error:\n{}", run.all());
    (t, fixed)
}

/// Time (ms) from one SIGINT to Terraform's exit, during an apply waiting on a stuck account.
fn sigint() -> f64 {
    const ADMIN: &str = "111111111111";
    const STUCK: &str = "222222222222";
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDADMIN": ADMIN}, "delegated_admin": ADMIN, "members": [STUCK]}));
    emu.set_account(STUCK, json!({"stuck": true}));
    let mut ws = workspace("bench-ff-sigint", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = \
         [\"{ADMIN}\", \"{STUCK}\"]\n  timeouts {{\n    create = \"30m\"\n  }}\n}}\n"
    ));
    let started = Instant::now();
    let (group, done) = spawn_in_own_group(&ws);
    let waiting = wait_for(HANG_GUARD, || {
        emu.resource_state(ADMIN, "ECR") == "ENABLED" && emu.count("BatchGetAccountStatus") >= 2
    });
    assert!(waiting, "the apply never got to waiting on the stuck account");
    std::thread::sleep(BEFORE_SIGINT.saturating_sub(started.elapsed()));
    let sent = Instant::now();
    signal_group("-INT", group);
    let output = match done.recv_timeout(HANG_GUARD) {
        Ok(output) => output.expect("terraform's output"),
        Err(_) => {
            signal_group("-KILL", group);
            panic!("terraform did not end within {HANG_GUARD:?} of one SIGINT");
        }
    };
    let took = sent.elapsed().as_secs_f64() * 1000.0;
    let out = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_ne!(output.status.code(), Some(0), "a stopped apply is not a success:\n{out}");
    assert!(out.contains("Stopped by Terraform (interrupt)"), "the apply was not stopped by the SIGINT:\n{out}");
    took
}

/// `terraform apply` in its own process group, as a terminal's foreground job; its id (the
/// group's) and a channel that receives its output when it exits.
fn spawn_in_own_group(ws: &Workspace) -> (u32, mpsc::Receiver<std::io::Result<Output>>) {
    let mut cmd = ws.command(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child: Child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start terraform apply");
    let group = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    (group, rx)
}

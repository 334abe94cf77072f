//! Figure group 2, convergence: apply and destroy wall time beyond the emulator's settle delay D.

use serde_json::json;
use testsupport::Emulator;

use crate::measure::{empty_workspace, progress, timed, workspace, ONE_RESOURCE, STANDALONE};
use crate::report::{Report, Row};
use crate::stats::{ms, Stats};
use crate::Plan;

/// When the provider looks at the status after Enable returns (from its own Backoff), in ms.
pub fn poll_schedule(until_ms: f64) -> Vec<f64> {
    let mut b = inspector2fix::domain::wait::Backoff::new();
    let mut t = 0.0;
    let mut out = Vec::new();
    while t < until_ms {
        t += b.next_delay().as_secs_f64() * 1000.0;
        out.push(t);
    }
    out
}

/// `250, 625, 1188, 2031, …, 20031` (first four, then the last two when long).
fn schedule_text(schedule: &[f64]) -> String {
    let f = |v: &[f64]| v.iter().map(|t| format!("{t:.0}")).collect::<Vec<_>>().join(", ");
    if schedule.len() > 6 {
        let n = schedule.len();
        format!(
            "{}, … (every {:.0} ms), {}",
            f(&schedule[..4]),
            schedule[n - 1] - schedule[n - 2],
            f(&schedule[n - 2..])
        )
    } else {
        f(schedule)
    }
}

/// Wall times (ms) at one settle delay D, over its runs.
#[derive(Default)]
struct Times {
    apply: Stats,
    destroy: Stats,
    apply_net: Stats,
    destroy_net: Stats,
    fixed_apply: Stats,
    fixed_destroy: Stats,
}

pub fn convergence(plan: &Plan, report: &mut Report) {
    let mut rows = Vec::new();
    for &(d, runs) in &plan.convergence {
        progress(&format!("convergence: D = {} s, {runs} run(s)", d / 1000));
        let times = measure(d, runs);
        rows.extend(rows_for(d, &times));
        explain(d, &times, report);
    }
    report.method.push(
        "Convergence: the emulator settles Enable and Disable only after D (`settle_ms`; the first status read after D \
         sees ENABLED/DISABLED). One standalone account, `resource \"inspector2fix_ecr_scanning\" \"this\" {}`, fresh \
         emulator and state per run. `apply` and `destroy` wall times minus D are the overhead (floor 0). The fixed \
         cost is an `apply`/`destroy` of a configuration with the provider block and no resources, in the same run."
            .into(),
    );
    report.section("2. Convergence (emulator settles after D)", rows);
}

/// `runs` fresh applies and destroys of one account that settles after `d` ms, each beside the
/// same commands on a configuration with no resources.
fn measure(d: u64, runs: usize) -> Times {
    let mut t = Times::default();
    for _ in 0..runs {
        let emu = Emulator::start();
        emu.put_config(json!({"settle_ms": d}));
        let ws = workspace("bench-converge", &emu.url());
        ws.config(ONE_RESOURCE);
        let empty = empty_workspace(&emu, "AKIDSTANDALONE");
        let (run, fa) = timed(|| empty.apply());
        run.ok();
        let (run, ta) = timed(|| ws.apply());
        run.ok();
        assert_eq!(emu.resource_state(STANDALONE, "ECR"), "ENABLED");
        let (run, fd) = timed(|| empty.destroy());
        run.ok();
        let (run, td) = timed(|| ws.destroy());
        run.ok();
        assert_eq!(emu.resource_state(STANDALONE, "ECR"), "DISABLED");
        let d = d as f64;
        t.apply.push(ta - d);
        t.destroy.push(td - d);
        t.apply_net.push(ta - d - fa);
        t.destroy_net.push(td - d - fd);
        t.fixed_apply.push(fa);
        t.fixed_destroy.push(fd);
    }
    t
}

fn rows_for(d: u64, t: &Times) -> Vec<Row> {
    let secs = d / 1000;
    let aws = if d < 10_000 {
        format!("first status check after 10 s: ≥ {:.0} s", 10.0 - d as f64 / 1000.0)
    } else {
        "first status check after 10 s; gives up after 5 min".into()
    };
    vec![
        Row::new(format!("Apply wall − D, D = {secs} s"), t.apply.show(ms))
            .floor("0", "—")
            .target("≤ 1 s", t.apply.median() <= 1000.0)
            .aws(aws.clone()),
        Row::new(
            format!("… minus the fixed cost of an apply with no resources ({})", ms(t.fixed_apply.median())),
            t.apply_net.show(ms),
        )
        .floor("0", "—"),
        Row::new(format!("Destroy wall − D, D = {secs} s"), t.destroy.show(ms))
            .floor("0", "—")
            .target("≤ 1 s", t.destroy.median() <= 1000.0)
            .aws(aws),
        Row::new(
            format!("… minus the fixed cost of a destroy with no resources ({})", ms(t.fixed_destroy.median())),
            t.destroy_net.show(ms),
        )
        .floor("0", "—"),
    ]
}

/// When the provider first sees the settled state, and why a target was missed.
fn explain(d: u64, t: &Times, report: &mut Report) {
    let secs = d / 1000;
    let schedule = poll_schedule(d as f64 + 1.0);
    let seen_at = *schedule.last().expect("the poll schedule reaches D");
    let overshoot = seen_at - d as f64;
    report.notes.push(format!(
        "Convergence, D = {secs} s: the provider looks at the status {} ms after Enable/Disable returns, so it first \
         sees the settled state {overshoot:.0} ms after D (call latency aside).",
        schedule_text(&schedule),
    ));
    for (name, s, f) in [("apply", &t.apply, &t.fixed_apply), ("destroy", &t.destroy, &t.fixed_destroy)] {
        if s.median() > 1000.0 {
            report.misses.push(format!(
                "{} wall − D for D = {secs} s is {}. Of that, {} is the fixed cost of a {name} of a configuration \
                 with no resources (Terraform, and our provider's start-up), {overshoot:.0} ms is the wait from D to \
                 the provider's next look at the status, and the remaining {} is Terraform's per-resource work and \
                 the provider's calls{} (the plan before the {name}, GetCallerIdentity, the {} call, the status \
                 reads), each RPC between Terraform and the provider also paying the delayed-ACK stall described \
                 above.",
                if name == "apply" { "Apply" } else { "Destroy" },
                ms(s.median()),
                ms(f.median()),
                ms(s.median() - f.median() - overshoot),
                if name == "destroy" { " (a destroy refreshes first)" } else { "" },
                if name == "apply" { "Enable" } else { "Disable" },
            ));
        }
    }
}

//! Figure group 8, issue 10's targets: one resource owning N accounts against the emulator with no
//! added latency (L = 0), each wall time beside the fixed cost of the same command on a
//! configuration with no resources, measured in the same run: create, refresh-only plan, a plan
//! after one account drifted (its size) and the apply repairing it; calls per pass; the provider's
//! and Terraform's peak RSS.

use serde_json::json;
use testsupport::{accounts, echo_provider, hcl_list, Emulator, Run, Workspace};

use crate::measure::{empty_workspace, expect_code, progress, refresh_only, timed, workspace};
use crate::process::RssSampler;
use crate::report::{Report, Row};
use crate::shapes::{echo_map, echo_workspace};
use crate::stats::{calls, ceil_div, mb, ms, ratio, thousands, Stats};
use crate::Plan;

const ADMIN: &str = "111111111111";
const FIRST_MEMBER: u64 = 300_000_000_000;
const PER_CALL: usize = inspector2fix::domain::batch::MAX_ACCOUNTS_PER_CALL;

/// How the resource names its accounts.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// `accounts = { id = "label" }`: the form for large organizations.
    Map,
    /// `account_ids = [ids]`.
    List,
}

impl Form {
    fn argument(self, members: &[String]) -> String {
        match self {
            Form::List => format!("  account_ids = {}", hcl_list(members)),
            Form::Map => {
                let entries: Vec<String> = members.iter().map(|a| format!("    \"{a}\" = \"member\"")).collect();
                format!("  accounts = {{\n{}\n  }}", entries.join("\n"))
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Form::Map => "`accounts` map",
            Form::List => "`account_ids` list",
        }
    }
}

#[derive(Default)]
struct ScaleResult {
    n: usize,
    fixed_apply: Stats,
    fixed_refresh: Stats,
    /// Terraform alone (the echo provider) holding the same N-entry map: a refresh-only plan that
    /// changes nothing, and an apply changing one entry's value. Measured for the map form only.
    alone_refresh: Stats,
    alone_apply_one: Stats,
    create: Stats,
    create_calls: Stats,
    refresh: Stats,
    refresh_calls: Stats,
    drift_plan: Stats,
    drift_bytes: Stats,
    drift_lines: Stats,
    repair: Stats,
    repair_enable: Stats,
    repair_status: Stats,
    provider_rss: Stats,
    terraform_rss: Stats,
}

/// Peak RSS in kB of our provider's and of Terraform's processes while `f` runs.
struct Peaks {
    provider: RssSampler,
    terraform: RssSampler,
}

impl Peaks {
    fn start() -> Self {
        Peaks { provider: RssSampler::start(), terraform: RssSampler::start_for(|n| n == "terraform" || n == "tofu") }
    }
    fn finish(self, r: &mut ScaleResult) {
        r.provider_rss.push(self.provider.finish().0 as f64);
        r.terraform_rss.push(self.terraform.finish().0 as f64);
    }
}

fn org_emulator(members: &[String]) -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({
        "credentials": {"AKIDADMIN": ADMIN},
        "delegated_admin": ADMIN,
        "members": members,
        "latency_ms": 0,
    }));
    emu
}

fn plan(ws: &Workspace) -> Run {
    ws.tf(&["plan", "-detailed-exitcode", "-no-color", "-input=false"])
}

/// Terraform alone with `members` as an N-entry map (the echo provider, no AWS): the floor our
/// map form's refresh and repair are compared with, since Terraform's own cost grows with the state.
fn terraform_alone(members: &[String], r: &mut ScaleResult) {
    let ws = echo_workspace(&echo_provider());
    let enabled = |changed: Option<&str>| {
        echo_map(members.iter().map(|m| (m.as_str(), if Some(m.as_str()) == changed { "DISABLED" } else { "ENABLED" })))
    };
    ws.write_main_tf(&enabled(None));
    expect_code(ws.apply(), &[0], "Terraform alone: create the map");
    let (run, t) = timed(|| refresh_only(&ws));
    expect_code(run, &[0], "Terraform alone: refresh-only plan");
    r.alone_refresh.push(t);
    let changed = &members[members.len() / 2];
    ws.write_main_tf(&enabled(Some(changed)));
    let (run, t) = timed(|| ws.apply());
    let run = expect_code(run, &[0], "Terraform alone: apply changing one entry");
    assert!(run.stdout.contains("1 changed"), "Terraform alone: the apply did not change one resource:\n{}", run.all());
    r.alone_apply_one.push(t);
}

/// One run at N: fixed costs, create, refresh, drift plan and repair, on a fresh emulator.
fn run_once(form: Form, members: &[String], r: &mut ScaleResult) {
    if form == Form::Map {
        terraform_alone(members, r);
    }
    let emu = org_emulator(members);
    let empty = empty_workspace(&emu, "AKIDADMIN");
    let (run, t) = timed(|| empty.apply());
    run.ok();
    r.fixed_apply.push(t);
    let (run, t) = timed(|| refresh_only(&empty));
    expect_code(run, &[0], "refresh-only plan of the empty configuration");
    r.fixed_refresh.push(t);

    let mut ws = workspace("bench-scale", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n{}\n}}\n",
        form.argument(members)
    ));
    emu.clear_log();
    let peaks = Peaks::start();
    let (run, t) = timed(|| ws.apply());
    run.ok();
    assert_eq!(emu.ecr_enabled_count(), members.len(), "every account must be ENABLED after apply");
    r.create.push(t);
    r.create_calls.push((emu.count("Enable") + emu.count("BatchGetAccountStatus")) as f64);

    emu.clear_log();
    let (run, t) = timed(|| refresh_only(&ws));
    expect_code(run, &[0], "refresh-only plan");
    r.refresh.push(t);
    r.refresh_calls.push(emu.count("BatchGetAccountStatus") as f64);
    expect_code(plan(&ws), &[0], "the plan of an unchanged organization");

    let drifted = &members[members.len() / 2];
    emu.set_account(drifted, json!({"resource_state": {"ECR": "DISABLED"}}));
    let (run, t) = timed(|| plan(&ws));
    let run = expect_code(run, &[2], "the plan after one account drifted");
    let line = format!("~ \"{drifted}\" = \"DISABLED\" -> \"ENABLED\"");
    assert!(run.stdout.contains(&line), "the drift plan does not show {line}:\n{}", run.stdout);
    r.drift_plan.push(t);
    r.drift_bytes.push(run.stdout.len() as f64);
    r.drift_lines.push(run.stdout.lines().count() as f64);

    emu.clear_log();
    let (run, t) = timed(|| ws.apply());
    run.ok();
    peaks.finish(r);
    assert_eq!(emu.resource_state(drifted, "ECR"), "ENABLED", "the repair must enable the drifted account");
    r.repair.push(t);
    r.repair_enable.push(emu.count("Enable") as f64);
    r.repair_status.push(emu.count("BatchGetAccountStatus") as f64);
}

fn bytes(v: f64) -> String {
    if v < 10_000.0 {
        format!("{v:.0} B")
    } else {
        format!("{:.0} kB", v / 1000.0)
    }
}

fn count(v: f64) -> String {
    format!("{v:.0}")
}

fn beyond(a: &Stats, fixed: &Stats) -> Stats {
    Stats(a.0.iter().zip(&fixed.0).map(|(x, f)| x - f).collect())
}

fn ratios(a: &Stats, fixed: &Stats) -> Stats {
    Stats(a.0.iter().zip(&fixed.0).map(|(x, f)| x / f).collect())
}

/// `ours` against Terraform alone holding the same map (no target: the targets are against
/// the fixed cost; this says how much of ours is Terraform's cost for that much state).
fn alone_row(figure: String, ours: &Stats, alone: &Stats, what: &str) -> Option<Row> {
    if alone.runs() == 0 {
        return None;
    }
    let against = ratios(ours, alone);
    Some(Row::new(figure, ours.show(ms)).floor(format!("{} ({what})", alone.show(ms)), against.show(ratio)))
}

fn create_refresh_rows(nice: &str, chunks: usize, r: &ScaleResult) -> Vec<Row> {
    let create_beyond = beyond(&r.create, &r.fixed_apply);
    let refresh_ratio = ratios(&r.refresh, &r.fixed_refresh);
    let alone = "Terraform alone: the echo provider's `plan -refresh-only` of the same map, no change";
    vec![
        Row::new(format!("N = {nice}, L = 0: apply (create) beyond the fixed cost"), create_beyond.show(ms))
            .floor(format!("{} fixed (`apply` with no resources)", ms(r.fixed_apply.median())), "—")
            .target("≤ 3 s", create_beyond.max() <= 3000.0),
        Row::new(
            format!("N = {nice}, L = 0: Enable + BatchGetAccountStatus calls (create)"),
            r.create_calls.show(calls),
        )
        .floor(
            format!("{} (ceil(N/100) per pass, 2 passes)", 2 * chunks),
            ratio(r.create_calls.median() / (2 * chunks) as f64),
        )
        .target("= floor", r.create_calls.max() <= (2 * chunks) as f64),
        Row::new(format!("N = {nice}, L = 0: refresh-only plan"), r.refresh.show(ms))
            .floor(
                format!("{} (`plan -refresh-only` with no resources)", ms(r.fixed_refresh.median())),
                ratio(refresh_ratio.median()),
            )
            .target("≤ 1.5× floor", refresh_ratio.max() <= 1.5),
    ]
    .into_iter()
    .chain(alone_row(
        format!("N = {nice}, L = 0: refresh-only plan against Terraform alone"),
        &r.refresh,
        &r.alone_refresh,
        alone,
    ))
    .chain([Row::new(format!("N = {nice}, L = 0: BatchGetAccountStatus calls (refresh)"), r.refresh_calls.show(calls))
        .floor(chunks.to_string(), ratio(r.refresh_calls.median() / chunks as f64))
        .target("= floor", r.refresh_calls.max() <= chunks as f64)])
    .collect()
}

fn repair_rows(nice: &str, chunks: usize, r: &ScaleResult) -> Vec<Row> {
    let repair_beyond = beyond(&r.repair, &r.fixed_apply);
    let alone = "Terraform alone: the echo provider's `apply` changing one entry of the same map";
    [
        Row::new(
            format!("N = {nice}, L = 0: plan after one account drifted: wall; output size; lines"),
            format!("{}; {}; {}", r.drift_plan.show(ms), r.drift_bytes.show(bytes), r.drift_lines.show(count)),
        )
        .target("names the one account, short", r.drift_lines.max() < 60.0),
        Row::new(
            format!("N = {nice}, L = 0: apply repairing that account beyond the fixed cost"),
            repair_beyond.show(ms),
        )
        .floor(format!("{} fixed", ms(r.fixed_apply.median())), "—")
        .target("≤ 3 s", repair_beyond.max() <= 3000.0),
    ]
    .into_iter()
    .chain(alone_row(
        format!("N = {nice}, L = 0: apply repairing that account against Terraform alone"),
        &r.repair,
        &r.alone_apply_one,
        alone,
    ))
    .chain([Row::new(
        format!("N = {nice}, L = 0: repair calls: Enable; BatchGetAccountStatus"),
        format!("{}; {}", r.repair_enable.show(calls), r.repair_status.show(calls)),
    )
    .floor(format!("1; {} (refresh) + 1", chunks), "—")
    .target("= floor", r.repair_enable.max() <= 1.0 && r.repair_status.max() <= (chunks + 1) as f64)])
    .collect()
}

fn rows_for(form: Form, r: &ScaleResult) -> Vec<Row> {
    let nice = format!("{}, {}", thousands(r.n), form.name());
    let chunks = ceil_div(r.n, PER_CALL);
    let rss_mb = r.provider_rss.max() * 1024.0 / 1e6;
    let mut rows = create_refresh_rows(&nice, chunks, r);
    rows.extend(repair_rows(&nice, chunks, r));
    rows.push(
        Row::new(format!("N = {nice}: peak RSS of the provider (whole run)"), r.provider_rss.show(mb))
            .target("≤ 30 MB", rss_mb <= 30.0),
    );
    rows.push(Row::new(format!("N = {nice}: peak RSS of Terraform (whole run)"), r.terraform_rss.show(mb)));
    rows
}

pub fn scale(plan: &Plan, report: &mut Report) {
    let mut rows = Vec::new();
    for &n in &plan.scale_sizes {
        let members = accounts(n, FIRST_MEMBER);
        // The map is the form for this size; the list once, to show what it costs Terraform.
        for (form, runs) in [(Form::Map, plan.scale_runs), (Form::List, 1)] {
            progress(&format!("scale: N = {n}, {}, L = 0, {runs} run(s)", form.name()));
            let mut r = ScaleResult { n, ..Default::default() };
            for _ in 0..runs {
                run_once(form, &members, &mut r);
            }
            let rows_now = rows_for(form, &r);
            for row in &rows_now {
                progress(&format!("scale: {}: {}", row.figure, row.ours));
            }
            rows.extend(rows_now);
        }
    }
    report.method.push(format!(
        "Scale (issue 10's targets): a fresh emulator per run with a delegated administrator, N members and no added \
         latency; one resource names the N members, as an `accounts` map (the form for large organizations) and, in one \
         run, as an `account_ids` list. Per run: the fixed costs (`apply` and `plan -refresh-only` of a \
         configuration with the provider block and no resources), `apply` (create; every account checked ENABLED), \
         `plan -refresh-only`, a `plan` that must be empty, then one account set DISABLED in the emulator, a `plan` \
         (exit 2, the account's `DISABLED -> ENABLED` line checked) and the `apply` repairing it. Calls are counted \
         from the emulator's request log. Peak RSS is the VmHWM of the provider's and Terraform's processes over the \
         create, refresh, plans and repair. For the map, each run first measures Terraform alone holding the same \
         N-entry map (the echo fixture provider, no AWS; entries id => \"ENABLED\"): a `plan -refresh-only` that \
         changes nothing, and an `apply` changing one entry's value; our refresh-only plan and repair apply are shown \
         against these as a ratio beside the issue's own floor. {} run(s) per N for the map.",
        plan.scale_runs
    ));
    report.section("8. One resource, N accounts, no added latency (issue 10's targets)", rows);
}

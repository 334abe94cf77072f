//! Figure group 3, organization scale: AWS calls and wall times for N accounts with a fixed
//! latency L on every AWS call, against the latency floor and Terraform's fixed cost.

use std::collections::BTreeMap;

use serde_json::json;
use testsupport::{accounts, hcl_list, Emulator, Workspace};

use crate::convergence::poll_schedule;
use crate::footprint::Footprint;
use crate::measure::{empty_workspace, expect_code, progress, refresh_only, timed, workspace};
use crate::process::RssSampler;
use crate::report::{Report, Row};
use crate::stats::{calls, ceil_div, mb, ms, ratio, thousands, Stats};
use crate::Plan;

const ADMIN: &str = "111111111111";
const FIRST_MEMBER: u64 = 300_000_000_000;
const CONCURRENCY: usize = inspector2fix::domain::batch::MAX_CONCURRENT_CALLS;
const PER_CALL: usize = inspector2fix::domain::batch::MAX_ACCOUNTS_PER_CALL;
/// The largest N for which the "Terraform alone" rows are measured here.
const ALONE_MAX: usize = 5_000;

#[derive(Default)]
struct OrgResult {
    n: usize,
    enable: Stats,
    status_apply: Stats,
    status_refresh: Stats,
    other_calls: BTreeMap<String, u64>,
    apply: Stats,
    apply_fixed: Stats,
    apply_ratio: Stats,
    refresh: Stats,
    refresh_fixed: Stats,
    refresh_ratio: Stats,
    /// (refresh wall − fixed plan cost) / latency floor
    refresh_net_ratio: Stats,
    /// The same refresh with no added latency, same run.
    refresh_l0: Stats,
    /// (refresh wall − refresh wall at L = 0) / latency floor
    latency_ratio: Stats,
    refresh_rss: Stats,
    /// Terraform alone (built-in `terraform_data`, no provider) holding the same N ids as a set,
    /// then as a list: apply and refresh-only plan.
    alone_set_apply: Stats,
    alone_set_refresh: Stats,
    alone_list_apply: Stats,
    alone_list_refresh: Stats,
}

/// What one pass over N accounts costs at least: ceil(N/100) calls, C at a time, L each.
struct Pass {
    chunks: usize,
    waves: usize,
    /// waves × L, in ms
    floor: f64,
}

fn pass(plan: &Plan, n: usize) -> Pass {
    let chunks = ceil_div(n, PER_CALL);
    let waves = ceil_div(chunks, CONCURRENCY);
    Pass { chunks, waves, floor: waves as f64 * plan.latency_ms as f64 }
}

pub fn organization(plan: &Plan, report: &mut Report, footprint: &Footprint) {
    let results: Vec<OrgResult> = plan.org_sizes.iter().map(|&n| measure(plan, n)).collect();
    let all = |f: fn(&OrgResult) -> &Stats| Stats(results.iter().flat_map(|r| f(r).0.clone()).collect());
    let mut rows = vec![
        Row::new("Fixed cost: `plan -refresh-only` of a config with no resources", all(|r| &r.refresh_fixed).show(ms)),
        Row::new("Fixed cost: `apply` of a config with no resources", all(|r| &r.apply_fixed).show(ms)),
    ];
    for r in &results {
        rows.extend(rows_for(plan, r));
        explain(plan, r, report);
    }
    peak_rss(&results, footprint, report);
    notes(plan, &results, report);
    method(plan, report);
    report.section(&format!("3. Organization scale (L = {} ms per AWS call)", plan.latency_ms), rows);
}

/// Terraform by itself, no provider: a `terraform_data` resource whose input is the N ids as a set
/// (`as_set`) or a list. Returns (apply ms, refresh-only plan ms).
fn terraform_alone(emu: &Emulator, ids: &[String], as_set: bool) -> (f64, f64) {
    let ws = workspace("bench-alone", &emu.url());
    let value = if as_set { format!("toset({})", hcl_list(ids)) } else { hcl_list(ids) };
    ws.write_main_tf(&format!("resource \"terraform_data\" \"accounts\" {{\n  input = {value}\n}}\n"));
    let (run, apply) = timed(|| ws.apply());
    run.ok();
    let (run, refresh) = timed(|| refresh_only(&ws));
    expect_code(run, &[0], "refresh-only plan of terraform_data");
    (apply, refresh)
}

/// `plan.org_runs` runs with N member accounts, each on a fresh emulator.
fn measure(plan: &Plan, n: usize) -> OrgResult {
    progress(&format!("organization: N = {n}, {} run(s)", plan.org_runs));
    let members = accounts(n, FIRST_MEMBER);
    let mut r = OrgResult { n, ..Default::default() };
    for _ in 0..plan.org_runs {
        run_once(plan, &members, &mut r);
    }
    r
}

/// One run: apply, refresh-only plan at L and at L = 0, and Terraform alone with the same ids.
fn run_once(plan: &Plan, members: &[String], r: &mut OrgResult) {
    let emu = Emulator::start();
    emu.put_config(json!({
        "credentials": {"AKIDADMIN": ADMIN},
        "delegated_admin": ADMIN,
        "members": members,
        "latency_ms": plan.latency_ms,
    }));
    let mut ws = workspace("bench-org", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  account_ids = {}\n}}\n",
        hcl_list(members)
    ));
    let empty = empty_workspace(&emu, "AKIDADMIN");
    measure_apply(plan, &emu, (&ws, &empty), r);
    measure_refresh(plan, &emu, (&ws, &empty), r);

    // Terraform's own cost for N ids in one attribute, without our provider. Above 5,000 the set
    // alone takes minutes (quadratic); group 7 (shapes) measures it once instead.
    if members.len() > ALONE_MAX {
        return;
    }
    let (a, f) = terraform_alone(&emu, members, true);
    r.alone_set_apply.push(a);
    r.alone_set_refresh.push(f);
    let (a, f) = terraform_alone(&emu, members, false);
    r.alone_list_apply.push(a);
    r.alone_list_refresh.push(f);
}

/// The apply, against the fixed cost of an apply with no resources, and the calls it made.
fn measure_apply(plan: &Plan, emu: &Emulator, (ws, empty): (&Workspace, &Workspace), r: &mut OrgResult) {
    let (run, fa) = timed(|| empty.apply());
    run.ok();
    emu.clear_log();
    let (run, ta) = timed(|| ws.apply());
    run.ok();
    assert_eq!(emu.ecr_enabled_count(), r.n, "every account must be ENABLED after apply");
    let requests = emu.requests();
    r.enable.push(requests.count("Enable") as f64);
    r.status_apply.push(requests.count("BatchGetAccountStatus") as f64);
    for (op, c) in requests.nonzero_counts() {
        if !matches!(op.as_str(), "Enable" | "BatchGetAccountStatus") {
            r.other_calls.insert(op, c);
        }
    }
    // Latency floor of an apply: one Enable pass and one status pass, each in waves of L.
    let floor = pass(plan, r.n).floor;
    r.apply.push(ta);
    r.apply_fixed.push(fa);
    r.apply_ratio.push(ta / (2.0 * floor + fa));
}

/// The refresh-only plan at L and at L = 0, against the fixed cost of one with no resources,
/// its status calls and the provider's peak RSS.
fn measure_refresh(plan: &Plan, emu: &Emulator, (ws, empty): (&Workspace, &Workspace), r: &mut OrgResult) {
    let (run, fp) = timed(|| refresh_only(empty));
    expect_code(run, &[0], "refresh-only plan of the empty configuration");
    emu.clear_log();
    let sampler = RssSampler::start();
    let (run, tr) = timed(|| refresh_only(ws));
    let (peak, _) = sampler.finish();
    expect_code(run, &[0], "refresh-only plan");
    r.status_refresh.push(emu.count("BatchGetAccountStatus") as f64);
    let floor = pass(plan, r.n).floor;
    r.refresh.push(tr);
    r.refresh_fixed.push(fp);
    r.refresh_ratio.push(tr / (floor + fp));
    r.refresh_net_ratio.push((tr - fp) / floor);
    r.refresh_rss.push(peak as f64);

    // The same refresh without added latency: what the latency costs on top.
    emu.put_config(json!({"latency_ms": 0}));
    let (run, t0) = timed(|| refresh_only(ws));
    expect_code(run, &[0], "refresh-only plan at L = 0");
    r.refresh_l0.push(t0);
    r.latency_ratio.push((tr - t0) / floor);
}

fn rows_for(plan: &Plan, r: &OrgResult) -> Vec<Row> {
    let concurrency = CONCURRENCY;
    let Pass { chunks, waves, floor } = pass(plan, r.n);
    let (n, nice) = (r.n, thousands(r.n));
    let mut rows = Vec::new();
    let aws_calls = if n <= 100 {
        "1 call with every account".to_owned()
    } else {
        format!("1 call with all {nice} accounts (API max 100: fails)")
    };
    rows.push(
        Row::new(format!("N = {nice}: Enable calls (apply)"), r.enable.show(calls))
            .floor(chunks.to_string(), ratio(r.enable.median() / chunks as f64))
            .target("= floor", r.enable.max() <= chunks as f64)
            .aws(aws_calls),
    );
    rows.push(
        Row::new(format!("N = {nice}: BatchGetAccountStatus calls (apply)"), r.status_apply.show(calls))
            .floor(format!("{chunks} per pass"), ratio(r.status_apply.median() / chunks as f64))
            .target("= floor (1 pass)", r.status_apply.max() <= chunks as f64),
    );
    rows.push(Row::new(format!("N = {nice}: apply wall"), r.apply.show(ms)).floor(
        format!(
            "{} = {} latency (Enable + 1 status pass, {waves} wave(s) each) + {} fixed",
            ms(2.0 * floor + r.apply_fixed.median()),
            ms(2.0 * floor),
            ms(r.apply_fixed.median())
        ),
        ratio(r.apply_ratio.median()),
    ));
    rows.push(
        Row::new(format!("N = {nice}: BatchGetAccountStatus calls (refresh)"), r.status_refresh.show(calls))
            .floor(chunks.to_string(), ratio(r.status_refresh.median() / chunks as f64))
            .target("= floor", r.status_refresh.max() <= chunks as f64),
    );
    rows.push(
        Row::new(format!("N = {nice}: refresh-only plan wall"), r.refresh.show(ms))
            .floor(
                format!(
                    "{} = {} latency ({chunks} call(s), {concurrency} at a time, × {} ms) + {} fixed",
                    ms(floor + r.refresh_fixed.median()),
                    ms(floor),
                    plan.latency_ms,
                    ms(r.refresh_fixed.median())
                ),
                ratio(r.refresh_ratio.median()),
            )
            .target("≤ 1.5× floor", r.refresh_ratio.median() <= 1.5),
    );
    rows.push(
        Row::new(format!("N = {nice}: … what L adds to the refresh (wall at L − wall at L = 0, same run)"), {
            let mut d = Stats::default();
            for (a, b) in r.refresh.0.iter().zip(&r.refresh_l0.0) {
                d.push(a - b);
            }
            d.show(ms)
        })
        .floor(format!("{} latency", ms(floor)), ratio(r.latency_ratio.median())),
    );
    if r.alone_set_apply.runs() == 0 {
        return rows;
    }
    rows.push(Row::new(
        format!("N = {nice}: … Terraform alone, the same ids as a set in `terraform_data` (no provider): apply; refresh-only plan"),
        format!("{}; {}", r.alone_set_apply.show(ms), r.alone_set_refresh.show(ms)),
    ));
    rows.push(Row::new(
        format!("N = {nice}: … Terraform alone, the same ids as a list: apply; refresh-only plan"),
        format!("{}; {}", r.alone_list_apply.show(ms), r.alone_list_refresh.show(ms)),
    ));
    rows
}

/// Why a size missed its target, or what its apply spends beyond the floor.
fn explain(plan: &Plan, r: &OrgResult, report: &mut Report) {
    let Pass { floor, .. } = pass(plan, r.n);
    let nice = thousands(r.n);
    let alone = |set: &Stats, list: &Stats| {
        if list.runs() == 0 {
            String::new()
        } else {
            format!(
                " Terraform alone, holding the same ids in the built-in `terraform_data` (no provider), needs {} as \
                 a list and {} as a set.",
                ms(list.median()),
                ms(set.median())
            )
        }
    };
    if r.refresh_ratio.median() > 1.5 {
        report.misses.push(format!(
            "Refresh of N = {nice}: {} against a floor of {} ({} of latency + {} for a config with no resources): \
             {}. The same refresh without added latency takes {}, so L adds {} ({} its floor); the rest is \
             Terraform's and the provider's handling of {nice} accounts.{}",
            ms(r.refresh.median()),
            ms(floor + r.refresh_fixed.median()),
            ms(floor),
            ms(r.refresh_fixed.median()),
            ratio(r.refresh_ratio.median()),
            ms(r.refresh_l0.median()),
            ms(r.refresh.median() - r.refresh_l0.median()),
            ratio(r.latency_ratio.median()),
            alone(&r.alone_set_refresh, &r.alone_list_refresh),
        ));
    }
    if r.apply.median() > 2.0 * (2.0 * floor + r.apply_fixed.median()) + 1000.0 {
        report.notes.push(format!(
            "Apply of N = {nice} takes {}, {} beyond the fixed cost.{}",
            ms(r.apply.median()),
            ms(r.apply.median() - r.apply_fixed.median()),
            alone(&r.alone_set_apply, &r.alone_list_apply),
        ));
    }
}

/// The peak RSS row of figure group 1, measured here during the 1,000-account refresh.
fn peak_rss(results: &[OrgResult], footprint: &Footprint, report: &mut Report) {
    if let Some(r) = results.iter().find(|r| r.n == 1000).or_else(|| results.last()) {
        let idle = footprint.idle_kb.median();
        let mut row = Row::new(
            format!("Peak RSS of the provider during the {}-account refresh", thousands(r.n)),
            r.refresh_rss.show(mb),
        )
        .floor(format!("{} (idle provider)", mb(idle)), ratio(r.refresh_rss.median() / idle))
        .target("≤ 30 MB", r.refresh_rss.median() * 1024.0 / 1e6 <= 30.0);
        if r.n != 1000 {
            row.figure.push_str(" (smoke: N = 1,000 not run)");
        }
        if r.refresh_rss.median() * 1024.0 / 1e6 > 30.0 {
            report.misses.push(format!(
                "Peak RSS during the {}-account refresh is {} (idle: {}).",
                thousands(r.n),
                mb(r.refresh_rss.median()),
                mb(idle)
            ));
        }
        report.sections[0].1.push(row);
    }
}

fn notes(plan: &Plan, results: &[OrgResult], report: &mut Report) {
    if let Some(r) = results.first() {
        let floor = 2.0 * pass(plan, r.n).floor;
        let first_look = *poll_schedule(1.0).first().expect("a first status read");
        report.notes.push(format!(
            "An organization apply is not meant to reach its latency floor: after Enable returns the provider waits \
         {first_look:.0} ms before its first status read (against the real service, enabling takes seconds to \
         minutes), it asks STS GetCallerIdentity once (another L) and Terraform plans before it applies. For N = {}: \
         {} beyond the fixed cost, against {} of latency floor.",
            thousands(r.n),
            ms(r.apply.median() - r.apply_fixed.median()),
            ms(floor)
        ));
    }
    let others: BTreeMap<String, u64> = results.iter().flat_map(|r| r.other_calls.clone()).collect();
    if !others.is_empty() {
        report.notes.push(format!(
        "Besides Enable and BatchGetAccountStatus, an organization apply makes {} (the caller's identity, asked once \
         per run for error hints).",
        others.iter().map(|(op, c)| format!("{c} {op}")).collect::<Vec<_>>().join(", ")
    ));
    }
}

fn method(plan: &Plan, report: &mut Report) {
    let (concurrency, per_call) = (CONCURRENCY, PER_CALL);
    report.method.push(format!(
        "Organization scale: the emulator knows a delegated administrator and N member accounts and adds L = {} ms to \
     every AWS call (concurrent calls overlap). The resource names the N members in `account_ids`. Per run: a fresh \
     emulator; an `apply` (calls counted from the emulator's request log; every account checked ENABLED), then \
     `plan -refresh-only`, then the same refresh with L = 0. The provider sends at most {per_call} accounts per call \
     and runs at most C = {concurrency} calls at once, so N accounts take ceil(N/{per_call}) calls in \
     ceil(ceil(N/{per_call})/C) waves of L. Latency floor of a refresh = waves × L; of an apply = 2 × waves × L (one \
     Enable pass and one status pass: the emulator settles at the first read here). The issue's formula \
     ceil(N/100) × L / C equals waves × L when ceil(N/100) is a multiple of C (N = 1,000 and 5,000); below that it \
     is less than one call's latency, which no client can beat. Floor of a wall time = latency floor + the fixed \
     cost of the same command on a configuration with the provider block and no resources (Terraform's start, state \
     handling and provider start-up), measured in the same run. Terraform alone: the built-in \
     `terraform_data` resource with the same N ids as its input, once as a set and once as a list, no provider \
     involved, in the same run: what Terraform itself spends on that much data in one attribute. {} run(s) per N.",
        plan.latency_ms, plan.org_runs
    ));
}

//! `make bench`: measures the provider against the real Terraform and the in-process emulator, the
//! same way the acceptance tests drive it, and writes docs/benchmarks.md. `make bench-smoke`
//! (BENCH_SMOKE=1) runs every figure once with tiny sizes so the harness keeps working in CI; it
//! writes target/benchmarks-smoke.md instead (BENCH_OUT overrides either path).
//!
//! Timings are reported, never asserted: nothing here fails because something is slow. The bench
//! does fail when a run is wrong (Terraform errors, accounts not enabled), since its figures would
//! then mean nothing.
//!
//! Figures (see docs/benchmarks.md for the method behind each), one module each:
//! 1. footprint: binary size, process start to plugin handshake, GetProviderSchema over gRPC,
//!    peak RSS of the provider during a plan and during the 1,000-account refresh;
//! 2. convergence: apply/destroy wall time minus the emulator's settle delay D;
//! 3. organization scale: Enable/BatchGetAccountStatus calls and wall times for N accounts with a
//!    fixed latency L on every AWS call, against the latency floor and Terraform's fixed cost;
//! 4. Security Hub: GetFindings calls and wall time for a control with 1,000 findings, against the
//!    documented rate limit;
//! 5. failfast: how soon an apply ends on a black-holed endpoint (against its create timeout), on a
//!    final error (against Terraform's fixed cost), and after one Ctrl-C;
//! 6. compliance: calls and wall time of `inspector2fix_ecr_scanning_compliance` for N members,
//!    against the same calls made directly;
//! 7. shapes: Terraform alone with N account ids in each candidate shape (set, list, map, nested
//!    blocks, `terraform_data`), through the echo fixture provider;
//! 8. scale: issue 10's targets for one resource of N accounts at L = 0 (create, refresh, a drift
//!    plan and its repair, calls per pass, peak RSS of the provider and of Terraform).
//!
//! BENCH_ONLY=shapes,organization (group names as above) runs only those groups, for a quick look
//! while working; the page it writes is then partial.
//!
//! `measure` holds the helpers every figure group shares, `stats` and `report` the statistics and
//! the page, `process` and `grpc` the provider process as Terraform sees it; Terraform workspaces
//! and the emulator come from the `inspector2fix-testsupport` crate, as in the acceptance tests.

mod compliance;
mod convergence;
mod failfast;
mod footprint;
mod grpc;
mod machine;
mod measure;
mod organization;
mod process;
mod report;
mod scale;
mod security_hub;
mod shapes;
mod stats;

use std::path::PathBuf;
use std::time::Instant;

use testsupport::repo_root;

use crate::measure::progress;
use crate::report::Report;

/// The data source figure group 4 reads (and group 1 looks for in the schema).
const SECURITY_HUB_DS: &str = "inspector2fix_security_hub_control";

/// What one `make bench` run measures.
pub struct Plan {
    smoke: bool,
    handshake_runs: usize,
    schema_runs: usize,
    plan_runs: usize,
    /// (D in ms, runs)
    convergence: Vec<(u64, usize)>,
    org_sizes: Vec<usize>,
    org_runs: usize,
    latency_ms: u64,
    findings: usize,
    findings_runs: usize,
    /// Runs of each fail-fast scenario.
    failfast_runs: usize,
    /// Members of the organization the compliance data source reads.
    compliance_members: usize,
    compliance_runs: usize,
    shape_sizes: Vec<usize>,
    shape_runs: usize,
    scale_sizes: Vec<usize>,
    scale_runs: usize,
}

impl Plan {
    fn new(smoke: bool) -> Self {
        if smoke {
            Plan {
                smoke,
                handshake_runs: 3,
                schema_runs: 1,
                plan_runs: 1,
                convergence: vec![(1_000, 1)],
                org_sizes: vec![1, 100],
                org_runs: 1,
                latency_ms: 50,
                findings: 1_000,
                findings_runs: 1,
                failfast_runs: 1,
                compliance_members: 120,
                compliance_runs: 1,
                shape_sizes: vec![10],
                shape_runs: 1,
                scale_sizes: vec![250],
                scale_runs: 1,
            }
        } else {
            Plan {
                smoke,
                handshake_runs: 21,
                schema_runs: 7,
                plan_runs: 5,
                convergence: vec![(2_000, 5), (20_000, 3)],
                org_sizes: vec![1, 100, 1_000, 5_000, 10_000],
                org_runs: 3,
                latency_ms: 50,
                findings: 1_000,
                findings_runs: 5,
                failfast_runs: 3,
                compliance_members: 1_000,
                compliance_runs: 3,
                shape_sizes: vec![1_000, 5_000, 10_000],
                shape_runs: 1,
                scale_sizes: vec![10_000],
                scale_runs: 3,
            }
        }
    }
}

/// Whether figure group `name` runs: all of them, unless BENCH_ONLY lists some (comma-separated,
/// e.g. `BENCH_ONLY=compliance`), for measuring one group without the others' minutes.
fn wanted(name: &str) -> bool {
    match std::env::var("BENCH_ONLY") {
        Ok(only) if !only.trim().is_empty() => only.split(',').any(|g| g.trim() == name),
        _ => true,
    }
}

fn main() {
    let started = Instant::now();
    let smoke = std::env::var("BENCH_SMOKE").is_ok_and(|v| !v.is_empty() && v != "0");
    let plan = Plan::new(smoke);
    let out: PathBuf = match std::env::var_os("BENCH_OUT").filter(|v| !v.is_empty()) {
        Some(p) => PathBuf::from(p),
        None if smoke => repo_root().join("target/benchmarks-smoke.md"),
        None => repo_root().join("docs/benchmarks.md"),
    };
    progress(&format!("{} run, writing {}", if smoke { "smoke" } else { "full" }, out.display()));

    let mut report = Report { machine: machine::machine(), ..Default::default() };
    // Organization and Security Hub read what the footprint found, so it runs for them too.
    let fp = ["footprint", "organization", "security_hub"]
        .iter()
        .any(|g| wanted(g))
        .then(|| footprint::footprint(&plan, &mut report));
    if wanted("convergence") {
        convergence::convergence(&plan, &mut report);
    }
    if let Some(fp) = &fp {
        if wanted("organization") {
            organization::organization(&plan, &mut report, fp);
        }
        if wanted("security_hub") {
            security_hub::security_hub(&plan, &mut report, fp.has_security_hub);
        }
    }
    if wanted("failfast") {
        failfast::failfast(&plan, &mut report);
    }
    if wanted("compliance") {
        compliance::compliance(&plan, &mut report);
    }
    if wanted("shapes") {
        shapes::shapes(&plan, &mut report);
    }
    if wanted("scale") {
        scale::scale(&plan, &mut report);
    }

    let md = report.markdown(plan.smoke, started.elapsed());
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).expect("create the report's directory");
    }
    std::fs::write(&out, &md).unwrap_or_else(|e| panic!("write {}: {e}", out.display()));
    println!("{md}");
    progress(&format!("wrote {} in {:.0} s", out.display(), started.elapsed().as_secs_f64()));
}

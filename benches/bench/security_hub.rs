//! Figure group 4, Security Hub: GetFindings calls and wall time for a control with 1,000
//! findings, against the documented rate limit.

use std::collections::BTreeMap;

use serde_json::json;
use testsupport::{field, Emulator};

use crate::measure::{empty_workspace, expect_code, progress, timed, workspace, STANDALONE};
use crate::report::{Report, Row};
use crate::stats::{calls, ceil_div, ms, ratio, Stats};
use crate::{Plan, SECURITY_HUB_DS};

/// What the data source's reads cost over the runs.
#[derive(Default)]
struct Reads {
    get_findings: Stats,
    wall: Stats,
    fixed: Stats,
    net: Stats,
    ratio: Stats,
    ratio_net: Stats,
    /// Calls of other operations per plan.
    other: BTreeMap<String, u64>,
}

pub fn security_hub(plan: &Plan, report: &mut Report, has_ds: bool) {
    let title = "4. Security Hub: data source over a control with 1,000 findings";
    let pages = ceil_div(plan.findings, 100);
    let (rate, burst) = (3.0, 6usize);
    let rate_floor = if pages > burst { (pages - burst) as f64 / rate * 1000.0 } else { 0.0 };
    if !has_ds {
        report.section(
            title,
            vec![Row::new("GetFindings calls and wall time", "not measured: data source not present in this build")
                .floor(format!("{pages} calls; {} (3/s, burst 6)", ms(rate_floor)), "—")],
        );
        report.method.push(format!(
            "Security Hub: skipped, because GetProviderSchema of this build has no `{SECURITY_HUB_DS}` data source."
        ));
        return;
    }
    progress(&format!("security hub: {} findings, {} run(s)", plan.findings, plan.findings_runs));
    let reads = measure(plan, rate_floor);
    let Reads { get_findings: gf, wall, fixed, net, ratio: r, ratio_net: r_net, other } = reads;
    let rows = vec![
        Row::new("GetFindings calls", gf.show(calls))
            .floor(format!("{pages} (ceil(1000/100))"), ratio(gf.median() / pages as f64))
            .target("= floor", gf.max() <= pages as f64),
        Row::new("`terraform plan` wall reading the data source", wall.show(ms)).floor(
            format!(
                "{} = {} rate limit ({pages} calls at 3/s after a burst of 6) + {} fixed",
                ms(rate_floor + fixed.median()),
                ms(rate_floor),
                ms(fixed.median())
            ),
            ratio(r.median()),
        ),
        Row::new("… beyond the fixed plan cost", net.show(ms))
            .floor(format!("{} rate limit", ms(rate_floor)), ratio(r_net.median())),
    ];
    report.section(title, rows);
    if !other.is_empty() {
        report.notes.push(format!(
            "Besides GetFindings, reading the data source makes {} per plan.",
            other.iter().map(|(op, c)| format!("{c} {op}")).collect::<Vec<_>>().join(", ")
        ));
    }
    report.method.push(format!(
        "Security Hub: the emulator holds {} FAILED findings of control Inspector.2 in the caller's account (no added \
         latency). A `terraform plan` reads `data \"{SECURITY_HUB_DS}\"` with control_id = \"Inspector.2\" and outputs the \
         number of findings (checked). Floor of the wall time: Security Hub documents GetFindings at 3 requests/s with a \
         burst of 6, so {pages} sequential pages cannot finish before ({pages} − 6) / 3 s = {}; the floor of the wall \
         time adds the fixed cost of a `plan` of a configuration with no resources, in the same run. {} run(s).",
        plan.findings,
        ms(rate_floor),
        plan.findings_runs
    ));
}

/// `plan.findings_runs` plans reading the data source, each on a fresh emulator seeded with
/// `plan.findings` findings, beside a plan of a configuration with no resources.
fn measure(plan: &Plan, rate_floor: f64) -> Reads {
    let mut reads = Reads::default();
    for _ in 0..plan.findings_runs {
        let emu = Emulator::start();
        // Only the seeded findings: not the one the emulator would derive from Inspector's own state.
        emu.put_config(json!({"evaluate_inspector2": false}));
        let seeded = emu.control(
            "POST",
            "/_emulator/securityhub/findings",
            Some(json!({"account_id": STANDALONE, "generate": {"control_id": "Inspector.2", "count": plan.findings}})),
        );
        assert_eq!(field(&seeded, "added"), &json!(plan.findings), "seeding findings: {seeded}");
        let ws = workspace("bench-sechub", &emu.url());
        ws.config(&format!(
            "provider \"inspector2fix\" {{}}\n\ndata \"{SECURITY_HUB_DS}\" \"this\" {{\n  control_id = \"Inspector.2\"\n}}\n\n\
             output \"findings\" {{\n  value = length(data.{SECURITY_HUB_DS}.this.findings)\n}}\n"
        ));
        let empty = empty_workspace(&emu, "AKIDSTANDALONE");
        let (run, f) = timed(|| empty.plan());
        expect_code(run, &[0], "plan of the empty configuration");
        emu.clear_log();
        let (run, t) = timed(|| ws.plan());
        let run = expect_code(run, &[0, 2], "plan reading the data source");
        assert!(
            run.all().contains(&format!("findings = {}", plan.findings)),
            "the data source must return every finding:\n{}",
            run.all()
        );
        let requests = emu.requests();
        reads.get_findings.push(requests.count("GetFindings") as f64);
        for (op, c) in requests.nonzero_counts().into_iter().filter(|(op, _)| op != "GetFindings") {
            reads.other.insert(op, c);
        }
        reads.wall.push(t);
        reads.fixed.push(f);
        reads.net.push(t - f);
        reads.ratio.push(t / (rate_floor + f));
        reads.ratio_net.push((t - f) / rate_floor);
    }
    reads
}

//! Figure group 6, Inspector.2 evaluated now: the calls and wall time of a read of
//! `inspector2fix_ecr_scanning_compliance` by the delegated administrator of N members, against
//! its floor: the same calls made directly to the emulator, in the same run.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use testsupport::http::request;
use testsupport::{accounts, field, str_field, Emulator};

use crate::measure::{empty_workspace, expect_code, progress, timed, workspace};
use crate::report::{Report, Row};
use crate::stats::{calls, ceil_div, ms, ratio, thousands, Stats};
use crate::Plan;

const ADMIN: &str = "111111111111";
const DS: &str = "inspector2fix_ecr_scanning_compliance";
/// The operations a read costs, in the order they are reported.
const OPERATIONS: [&str; 3] = ["DescribeOrganizationConfiguration", "ListMembers", "BatchGetAccountStatus"];

#[derive(Default)]
struct Reads {
    /// Calls per operation of each read by the provider.
    calls: BTreeMap<&'static str, Stats>,
    /// Calls of other operations per read.
    other: BTreeMap<String, u64>,
    wall: Stats,
    fixed: Stats,
    net: Stats,
    direct: Stats,
    ratio_net: Stats,
}

pub fn compliance(plan: &Plan, report: &mut Report) {
    let n = plan.compliance_members;
    let expected = [1, ceil_div(n, 50), ceil_div(n + 1, 100)];
    progress(&format!("compliance: {n} members, {} run(s)", plan.compliance_runs));
    let r = measure(plan, n);
    let per_op: Vec<String> = OPERATIONS.iter().map(|op| format!("{} {op}", r.calls[op].show(calls))).collect();
    let matched = OPERATIONS.iter().zip(expected).all(|(op, e)| r.calls[op].max() == e as f64);
    let floor_calls: Vec<String> = OPERATIONS.iter().zip(expected).map(|(op, e)| format!("{e} {op}")).collect();
    let rows = vec![
        Row::new("Calls of one read", per_op.join(", ")).floor(floor_calls.join(", "), "—").target("= floor", matched),
        Row::new("`terraform plan` wall reading the data source", r.wall.show(ms))
            .floor(format!("{} fixed plan cost, same run", r.fixed.show(ms)), "—"),
        Row::new("… beyond the fixed plan cost", r.net.show(ms))
            .floor(format!("{} (the same calls made directly)", r.direct.show(ms)), ratio(r.ratio_net.median())),
    ];
    report.section(
        &format!("6. Inspector.2 evaluated now: {DS}, N = {} members (L = {} ms)", thousands(n), plan.latency_ms),
        rows,
    );
    if !r.other.is_empty() {
        let other: Vec<String> = r.other.iter().map(|(op, c)| format!("{c} {op}")).collect();
        report.notes.push(format!(
            "Besides the Inspector calls of its floor, reading {DS} made {} per plan (the caller's account, asked once \
             per provider process; the direct read knows it).",
            other.join(", ")
        ));
    }
    report.method.push(format!(
        "Compliance: the emulator has a delegated administrator (the caller) and {n} associated members, every AWS call \
         answered after L = {} ms. A `terraform plan` reads `data \"{DS}\"` and outputs how many accounts it judged \
         (checked: N + 1). The floor of the calls is AWS's: 1 DescribeOrganizationConfiguration, ceil(N/50) ListMembers \
         pages, ceil((N + 1)/100) BatchGetAccountStatus. The floor of the time is those calls made directly to the same \
         emulator in the same run by a minimal HTTP client (pages one after another, as their tokens require; status \
         reads 10 at a time, as the provider sends them), against the plan's wall time minus a plan of a \
         configuration with no resources. {} run(s).",
        plan.latency_ms, plan.compliance_runs
    ));
}

fn measure(plan: &Plan, n: usize) -> Reads {
    let mut r = Reads::default();
    let members = accounts(n, 200_000_000_000);
    for _ in 0..plan.compliance_runs {
        let emu = Emulator::start();
        emu.put_config(json!({
            "credentials": {"AKIDADMIN": ADMIN},
            "delegated_admin": ADMIN,
            "members": members,
            "latency_ms": plan.latency_ms,
        }));
        let mut ws = workspace("bench-compliance", &emu.url());
        ws.access_key = "AKIDADMIN".into();
        ws.config(&format!(
            "provider \"inspector2fix\" {{}}\n\ndata \"{DS}\" \"this\" {{}}\n\n\
             output \"judged\" {{\n  value = length(data.{DS}.this.accounts)\n}}\n"
        ));
        let empty = empty_workspace(&emu, "AKIDADMIN");
        let (run, f) = timed(|| empty.plan());
        expect_code(run, &[0], "plan of the empty configuration");
        emu.clear_log();
        let (run, t) = timed(|| ws.plan());
        let run = expect_code(run, &[0, 2], "plan reading the compliance data source");
        assert!(run.all().contains(&format!("judged = {}", n + 1)), "every account must be judged:\n{}", run.all());
        let requests = emu.requests();
        for op in OPERATIONS {
            r.calls.entry(op).or_default().push(requests.count(op) as f64);
        }
        for (op, c) in requests.nonzero_counts() {
            if !OPERATIONS.contains(&op.as_str()) {
                r.other.insert(op, c);
            }
        }
        emu.clear_log();
        let (judged, d) = timed(|| direct_read(&emu));
        assert_eq!(judged, n + 1, "the direct read must judge every account too");
        for op in OPERATIONS {
            assert_eq!(emu.count(op) as f64, r.calls[op].0.last().copied().unwrap_or(f64::NAN), "direct {op} calls");
        }
        r.wall.push(t);
        r.fixed.push(f);
        r.net.push(t - f);
        r.direct.push(d);
        r.ratio_net.push((t - f) / d);
    }
    r
}

/// An Inspector2 call as the administrator (the emulator reads the account from the key and
/// does not check signatures); fails the bench unless it answers 200.
fn call(emu: &Emulator, path: &str, body: Value) -> Value {
    let auth = "AWS4-HMAC-SHA256 Credential=AKIDADMIN/20260101/us-east-1/inspector2/aws4_request, SignedHeaders=host, Signature=0";
    let reply = request(emu.addr, "POST", path, Some(&body), &[("Authorization", auth)]);
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    reply.body
}

/// The floor: the calls the data source needs, made directly. Returns how many accounts it read.
fn direct_read(emu: &Emulator) -> usize {
    call(emu, "/organizationconfiguration/describe", json!({}));
    let mut judged = vec![ADMIN.to_owned()];
    let mut token = Value::Null;
    loop {
        let page = call(emu, "/members/list", json!({"onlyAssociated": false, "maxResults": 50, "nextToken": token}));
        for m in field(&page, "members").as_array().expect("members is a list") {
            if str_field(m, "relationshipStatus") == "ENABLED" {
                judged.push(str_field(m, "accountId").to_owned());
            }
        }
        match page.get("nextToken") {
            Some(Value::String(t)) => token = json!(t),
            _ => break,
        }
    }
    let chunks: Vec<&[String]> = judged.chunks(100).collect();
    for wave in chunks.chunks(10) {
        std::thread::scope(|s| {
            for &chunk in wave {
                s.spawn(move || call(emu, "/status/batch/get", json!({"accountIds": chunk})));
            }
        });
    }
    judged.len()
}

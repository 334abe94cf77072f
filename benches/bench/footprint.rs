//! Figure group 1, footprint: binary size, process start to plugin handshake, GetProviderSchema
//! over gRPC, and the provider's peak memory during a plan.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use testsupport::{repo_root, Emulator};

use crate::grpc::H2;
use crate::measure::{empty_workspace, expect_code, progress, timed, workspace, ONE_RESOURCE, PROVIDER_BIN};
use crate::process::{echo_floor, Provider, RssSampler, PROVIDER_NAME};
use crate::report::{Report, Row};
use crate::stats::{mb, ms, ratio, Stats};
use crate::{Plan, SECURITY_HUB_DS};

/// What later figure groups need from this one.
pub struct Footprint {
    /// VmHWM of idle providers (kB), the floor of the organization refresh's peak RSS.
    pub idle_kb: Stats,
    /// Whether this build has the Security Hub data source (figure group 4 needs it).
    pub has_security_hub: bool,
}

pub fn footprint(plan: &Plan, report: &mut Report) -> Footprint {
    let mut rows = vec![binary_size(report)];
    let mut idle_kb = handshake(plan, report, &mut rows);
    let has_security_hub = provider_schema(plan, report, &mut rows);
    idle_kb.0.extend(plan_rss(plan, report, &mut rows).0);
    report.section("1. Footprint", rows);
    Footprint { idle_kb, has_security_hub }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `[profile.release]` of Cargo.toml, as `key = value, ...`.
fn release_profile() -> String {
    let toml = std::fs::read_to_string(repo_root().join("Cargo.toml")).expect("read Cargo.toml");
    let mut in_section = false;
    let mut out = Vec::new();
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[profile.release]";
        } else if in_section && !line.is_empty() && !line.starts_with('#') {
            out.push(line.to_owned());
        }
    }
    format!("`{}`", out.join(", "))
}

/// The release binary's size, stripped.
fn binary_size(report: &mut Report) -> Row {
    let bin = Path::new(PROVIDER_BIN);
    let bytes = std::fs::read(bin).expect("read the provider binary");
    let stripped = !contains(&bytes, b".symtab\0");
    let mut size = bytes.len() as f64;
    let mut how = "as built (already stripped by the release profile)".to_owned();
    if !stripped {
        let copy = std::env::temp_dir().join(format!("i2f-bench-strip-{}", std::process::id()));
        std::fs::copy(bin, &copy).expect("copy the provider binary");
        if Command::new("strip").arg(&copy).status().is_ok_and(|s| s.success()) {
            size = std::fs::metadata(&copy).expect("the stripped copy").len() as f64;
            how = format!("after `strip` (the build itself is {:.1} MB, not stripped)", bytes.len() as f64 / 1e6);
        } else {
            how = "as built, NOT stripped (no `strip` on this machine)".into();
        }
        let _ = std::fs::remove_file(&copy);
    }
    let size_mb = size / 1e6;
    let row = Row::new("Release binary size (stripped)", format!("{size_mb:.2} MB"))
        .target("≤ 15 MB", size_mb <= 15.0)
        .aws(format!("0.2 – 1.2 GB ({:.0} – {:.0}× ours)", 200.0 / size_mb, 1200.0 / size_mb));
    let profile = release_profile();
    report.method.push(format!(
        "Binary size: `{}` in bytes / 10⁶, {how}. 1 MB = 10⁶ bytes. Release profile: {profile}.",
        bin.strip_prefix(repo_root()).unwrap_or(bin).display()
    ));
    if size_mb > 15.0 {
        report.misses.push(format!(
            "Binary size is {size_mb:.2} MB with the release profile {profile}. Check that profile first (fat LTO, one \
             codegen unit and opt-level \"s\" took 18.5 MB down to 11.4 MB). In an unstripped build the largest single \
             part is aws-sdk-securityhub's deserializers for the GetFindings response (AwsSecurityFinding with its \
             hundreds of resource-detail shapes: about 3 MB of code); parsing the few fields the provider reads \
             itself would remove it."
        ));
    }
    row
}

/// Spawn as Terraform does (with a client certificate, so the provider makes its TLS
/// certificate), until the first stdout line. Floor: the same for `echo`, in the same run.
/// Returns the idle providers' VmHWM.
fn handshake(plan: &Plan, report: &mut Report, rows: &mut Vec<Row>) -> Stats {
    progress("footprint: handshake");
    let (mut hs, mut hs_plain, mut echo, mut hs_ratio, mut idle) =
        (Stats::default(), Stats::default(), Stats::default(), Stats::default(), Stats::default());
    for _ in 0..plan.handshake_runs {
        let e = echo_floor().as_secs_f64() * 1000.0;
        let p = Provider::start(true);
        let h = p.handshake.as_secs_f64() * 1000.0;
        std::thread::sleep(Duration::from_millis(20));
        idle.push(p.hwm_kb() as f64);
        drop(p);
        let plain = Provider::start(false).handshake.as_secs_f64() * 1000.0;
        echo.push(e);
        hs.push(h);
        hs_plain.push(plain);
        hs_ratio.push(h / e);
    }
    rows.push(
        Row::new("Process start → plugin handshake line (with Terraform's mTLS client certificate)", hs.show(ms))
            .floor(format!("{} (spawn `echo`, read its line)", ms(echo.median())), ratio(hs_ratio.median()))
            .target("≤ 20 ms", hs.median() <= 20.0),
    );
    if hs.median() > 20.0 {
        report.misses.push(format!(
            "Handshake takes {} with Terraform's client certificate and {} without: generating the P-384 server \
             certificate accounts for the difference; starting any process and reading a line takes {} here.",
            ms(hs.median()),
            ms(hs_plain.median()),
            ms(echo.median())
        ));
    }
    rows.push(Row::new("… the same without PLUGIN_CLIENT_CERT (no certificate to generate)", hs_plain.show(ms)));
    report.method.push(format!(
        "Handshake: the release binary is spawned directly with PLUGIN_PROTOCOL_VERSIONS=6, TF_PLUGIN_MAGIC_COOKIE and, as \
         Terraform's go-plugin does, a client certificate in PLUGIN_CLIENT_CERT (which makes the provider generate a P-384 \
         server certificate before it answers); the time runs from just before `spawn` to the first stdout line \
         (`1|6|tcp|127.0.0.1:PORT|grpc|…`). Floor: spawning `echo` and reading its one line, in the same run. {} run(s).",
        plan.handshake_runs
    ));
    idle
}

/// GetProviderSchema over gRPC, plaintext HTTP/2, first call on a fresh process. Returns whether
/// the schema has the Security Hub data source.
fn provider_schema(plan: &Plan, report: &mut Report, rows: &mut Vec<Row>) -> bool {
    progress("footprint: GetProviderSchema");
    let (mut cold, mut cold_msg, mut warm, mut ping, mut schema_ratio) =
        (Stats::default(), Stats::default(), Stats::default(), Stats::default(), Stats::default());
    let mut schema_bytes = 0usize;
    let mut has_ds = false;
    let to_ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for _ in 0..plan.schema_runs {
        let p = Provider::start(false);
        let mut h2 = H2::connect(&p.addr()).expect("connect to the provider");
        h2.ping().expect("first ping"); // settles the connection (SETTINGS exchange)
        let first = h2.unary("/tfplugin6.Provider/GetProviderSchema", &[]).expect("GetProviderSchema");
        let floor = to_ms(h2.ping().expect("ping"));
        let second = h2.unary("/tfplugin6.Provider/GetProviderSchema", &[]).expect("GetProviderSchema again");
        assert!(contains(&first.message, b"inspector2fix_ecr_scanning"), "the schema lacks the resource");
        schema_bytes = first.message.len();
        has_ds = contains(&first.message, SECURITY_HUB_DS.as_bytes());
        cold.push(to_ms(first.end));
        cold_msg.push(to_ms(first.message_at));
        warm.push(to_ms(second.end));
        ping.push(floor);
        schema_ratio.push(to_ms(first.end) / floor);
    }
    rows.push(
        Row::new(
            "GetProviderSchema answered, to the end of the gRPC stream (first call on a fresh process)",
            cold.show(ms),
        )
        .floor(format!("{} (HTTP/2 PING round trip)", ms(ping.median())), ratio(schema_ratio.median())),
    );
    rows.push(Row::new("… to the last byte of the schema message (before the trailers)", cold_msg.show(ms)));
    rows.push(Row::new("… a second GetProviderSchema on the same process", warm.show(ms)));
    let trailer_wait = cold.median() - cold_msg.median();
    if trailer_wait > 20.0 {
        report.misses.push(format!(
            "GetProviderSchema (and every other RPC): the schema itself is sent {} after the request, but the gRPC \
             trailers that end the call follow {} later. The provider's gRPC server leaves Nagle's algorithm on (tf-provider \
             0.2.2 accepts connections without TCP_NODELAY), so the trailers, a second small write, wait until the client \
             acknowledges the first, and Linux clients delay that acknowledgement by about 40 ms. Terraform pays this on \
             most calls, and again when it shuts each provider process down: it inflates every wall time below (including \
             the \"fixed cost\" of a configuration with no resources, which starts our provider too). Fix: set \
             TCP_NODELAY on accepted connections (e.g. `tonic::transport::server::TcpIncoming::from_listener(listener, \
             true, None)` in tf-provider's `listen`, through a patched copy of tf-provider).",
            ms(cold_msg.median()),
            ms(trailer_wait)
        ));
    }
    report.method.push(format!(
        "GetProviderSchema: the provider is started without a client certificate so that it serves plaintext HTTP/2; the \
         bench speaks just enough HTTP/2 and gRPC itself to call `/tfplugin6.Provider/GetProviderSchema`, and times the call \
         from its first byte sent to the last byte of the schema message and to the end of the stream (response: {:.1} kB). \
         Floor: an HTTP/2 PING round trip on the same connection, in the same run. {} run(s), each on a fresh process.",
        schema_bytes as f64 / 1000.0,
        plan.schema_runs
    ));
    has_ds
}

/// Peak RSS during a one-resource plan (after an apply, so the plan refreshes it). Returns the
/// idle providers' VmHWM measured beside it.
fn plan_rss(plan: &Plan, report: &mut Report, rows: &mut Vec<Row>) -> Stats {
    progress("footprint: one-resource plan");
    let emu = Emulator::start();
    let ws = workspace("bench-plan", &emu.url());
    ws.config(ONE_RESOURCE);
    ws.apply().ok();
    let empty = empty_workspace(&emu, "AKIDSTANDALONE");
    let (mut rss, mut rss_ratio, mut wall, mut fixed, mut wall_ratio) =
        (Stats::default(), Stats::default(), Stats::default(), Stats::default(), Stats::default());
    let mut idle_same_run = Stats::default();
    let mut processes = 0;
    for _ in 0..plan.plan_runs {
        let p = Provider::start(true);
        std::thread::sleep(Duration::from_millis(20));
        let idle_kb = p.hwm_kb() as f64;
        drop(p);
        let (run, f) = timed(|| empty.plan());
        expect_code(run, &[0], "plan of the empty configuration");
        let sampler = RssSampler::start();
        let (run, t) = timed(|| ws.plan());
        let (peak, seen) = sampler.finish();
        expect_code(run, &[0], "one-resource plan");
        processes = seen;
        rss.push(peak as f64);
        rss_ratio.push(peak as f64 / idle_kb);
        idle_same_run.push(idle_kb);
        wall.push(t);
        fixed.push(f);
        wall_ratio.push(t / f);
    }
    rows.push(
        Row::new("Peak RSS of the provider during a one-resource plan", rss.show(mb))
            .floor(format!("{} (idle provider after handshake)", mb(idle_same_run.median())), ratio(rss_ratio.median()))
            .target("≤ 30 MB", rss.median() * 1024.0 / 1e6 <= 30.0)
            .aws(format!("~0.5 GB ({:.0}× ours)", 500.0 / (rss.median() * 1024.0 / 1e6))),
    );
    rows.push(
        Row::new("Wall time of that plan (`terraform plan`, refreshes 1 account)", wall.show(ms))
            .floor(format!("{} (`plan` of a config with no resources)", ms(fixed.median())), ratio(wall_ratio.median()))
            .aws("seconds"),
    );
    report.method.push(format!(
        "Peak RSS: while Terraform runs, a sampler thread walks this process's descendants every 3 ms \
         (`/proc/PID/task/*/children`), picks those whose executable is `{PROVIDER_NAME}` and keeps the largest `VmHWM` \
         (the kernel's high-water mark of resident memory, so growth between samples is not lost; only growth in the last \
         3 ms of a process's life could be). Terraform started {processes} provider process(es) per plan; the figure is \
         the largest. Floor: VmHWM of an idle provider 20 ms after its handshake, in the same run. {} run(s).",
        plan.plan_runs
    ));

    if rss.median() * 1024.0 / 1e6 > 30.0 {
        report.misses.push(format!(
            "Peak RSS during a one-resource plan is {} (idle provider: {}).",
            mb(rss.median()),
            mb(idle_same_run.median())
        ));
    }
    idle_same_run
}

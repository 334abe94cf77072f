//! `inspector2fix_ecr_rescan_configuration` and `inspector2fix_ecr_scan_estimate` against the
//! project's emulator, with the real Terraform; and their docs and examples.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::harness::*;

const ADDR: &str = "inspector2fix_ecr_rescan_configuration.this";
const ESTIMATE: &str = "data.inspector2fix_ecr_scan_estimate.this";

fn workspace(name: &str, emu: &Emulator, key: &str, body: &str) -> Workspace {
    let mut ws = crate::harness::workspace(name, &emu.url());
    ws.access_key = key.into();
    ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{body}"));
    ws
}

fn resource(attributes: &str) -> String {
    format!("resource \"inspector2fix_ecr_rescan_configuration\" \"this\" {{\n{attributes}}}\n")
}

/// The emulator's settings for `account`, read strictly.
#[track_caller]
fn settings(emu: &Emulator, account: &str) -> Value {
    let testsupport::http::Reply { status, body: v } =
        emu.control_raw("GET", &format!("/_emulator/configuration/{account}"), None);
    assert_eq!(status, 200, "{v}");
    for field in ["rescan_duration", "pull_date_rescan_duration", "pull_date_rescan_mode", "ec2_scan_mode"] {
        assert!(v[field].is_string(), "settings lack {field}: {v}");
    }
    v
}

#[track_caller]
fn set_settings(emu: &Emulator, account: &str, patch: Value) {
    let testsupport::http::Reply { status, body: v } =
        emu.control_raw("PUT", &format!("/_emulator/configuration/{account}"), Some(patch));
    assert_eq!(status, 200, "{v}");
}

/// Every AWS call since the last reset of the log; a log without entries is an empty list, a
/// reply without a log is a failure.
#[track_caller]
fn log(emu: &Emulator) -> Vec<Value> {
    let testsupport::http::Reply { status, body: v } = emu.control_raw("GET", "/_emulator/requests", None);
    assert_eq!(status, 200, "{v}");
    v["log"].as_array().cloned().unwrap_or_else(|| panic!("request log without entries list: {v}"))
}

#[track_caller]
fn count(emu: &Emulator, operation: &str) -> u64 {
    emu.count(operation)
}

/// Every UpdateConfiguration sent ecrConfiguration and nothing else.
#[track_caller]
fn only_ecr_was_sent(emu: &Emulator) {
    for e in log(emu).iter().filter(|e| e["operation"] == "UpdateConfiguration") {
        assert_eq!(e["sent"], json!(["ecrConfiguration"]), "UpdateConfiguration must send ECR settings only: {e}");
    }
}

#[track_caller]
fn ec2_untouched(emu: &Emulator) {
    assert_eq!(settings(emu, ADMIN)["ec2_scan_mode"], "EC2_HYBRID", "the EC2 setting must survive every step");
    only_ecr_was_sent(emu);
}

const ALL_THREE: &str = "  rescan_duration           = \"DAYS_30\"\n  pull_date_rescan_duration = \"DAYS_90\"\n  pull_date_rescan_mode     = \"LAST_PULL_DATE\"\n";

#[test]
fn rescan_lifecycle_create_clean_plan_drift_import_destroy_keeps_ec2() {
    let emu = organization(&[MEMBER]);
    set_settings(&emu, ADMIN, json!({"ec2_scan_mode": "EC2_HYBRID"}));
    let ws = workspace("rescan", &emu, "AKIDADMIN", &resource(ALL_THREE));

    ws.apply().ok();
    let s = settings(&emu, ADMIN);
    assert_eq!(
        (s["rescan_duration"].as_str(), s["pull_date_rescan_duration"].as_str()),
        (Some("DAYS_30"), Some("DAYS_90"))
    );
    assert_eq!(s["pull_date_rescan_mode"], "LAST_PULL_DATE");
    assert_eq!(ws.state_of(ADDR)["id"], ADMIN);
    ec2_untouched(&emu);

    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan right after apply must be clean:\n{}", plan.all());

    // Drift on each attribute shows on that attribute, and apply repairs it.
    for (attribute, out_of_band, wanted) in [
        ("rescan_duration", "DAYS_7", "DAYS_30"),
        ("pull_date_rescan_duration", "DAYS_180", "DAYS_90"),
        ("pull_date_rescan_mode", "LAST_IN_USE_AT", "LAST_PULL_DATE"),
    ] {
        set_settings(&emu, ADMIN, json!({ attribute: out_of_band }));
        let drift = ws.plan();
        assert_eq!(drift.code, 2, "drift of {attribute} must show:\n{}", drift.all());
        assert!(drift.all().contains(&format!("~ {attribute} = \"{out_of_band}\" -> \"{wanted}\"")), "{}", drift.all());
        ws.apply().ok();
        assert_eq!(settings(&emu, ADMIN)[attribute], wanted);
        assert_eq!(ws.plan().code, 0);
    }
    ec2_untouched(&emu);

    // Import by account@region, then a clean plan.
    ws.tf(&["state", "rm", "-no-color", ADDR]).ok();
    let wrong = ws.tf(&["import", "-no-color", "-input=false", ADDR, MEMBER]).failed().all();
    assert!(wrong.contains("provider's credentials are for account 111111111111"), "{wrong}");
    let region = ws.tf(&["import", "-no-color", "-input=false", ADDR, &format!("{ADMIN}@eu-west")]).failed().all();
    assert!(region.contains("after @, \"eu-west\" is not an AWS Region name"), "{region}");
    ws.tf(&["import", "-no-color", "-input=false", ADDR, &format!("{ADMIN}@us-east-1")]).ok();
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after import must be clean:\n{}", plan.all());

    // Destroy without reset forgets: no UpdateConfiguration, settings stay.
    emu.clear_log();
    ws.destroy().ok();
    assert_eq!(count(&emu, "UpdateConfiguration"), 0);
    assert_eq!(settings(&emu, ADMIN)["rescan_duration"], "DAYS_30");
    ec2_untouched(&emu);
}

#[test]
fn reset_on_destroy_restores_the_documented_defaults_of_managed_attributes_only() {
    let emu = organization(&[MEMBER]);
    set_settings(&emu, ADMIN, json!({"ec2_scan_mode": "EC2_HYBRID", "pull_date_rescan_duration": "DAYS_60"}));
    let body = resource("  rescan_duration       = \"LIFETIME\"\n  pull_date_rescan_mode = \"LAST_PULL_DATE\"\n  reset_on_destroy      = true\n");
    let ws = workspace("rescan-reset", &emu, "AKIDADMIN", &body);
    ws.apply().ok();
    let s = settings(&emu, ADMIN);
    assert_eq!(
        (s["rescan_duration"].as_str(), s["pull_date_rescan_mode"].as_str()),
        (Some("LIFETIME"), Some("LAST_PULL_DATE"))
    );
    assert_eq!(s["pull_date_rescan_duration"], "DAYS_60", "an attribute left out is left as AWS has it");
    assert_eq!(ws.plan().code, 0);
    // Not managed, so its drift is not ours to show.
    set_settings(&emu, ADMIN, json!({"pull_date_rescan_duration": "DAYS_30"}));
    assert_eq!(ws.plan().code, 0);

    ws.destroy().ok();
    let s = settings(&emu, ADMIN);
    assert_eq!(s["rescan_duration"], "DAYS_14");
    assert_eq!(s["pull_date_rescan_mode"], "LAST_IN_USE_AT");
    assert_eq!(s["pull_date_rescan_duration"], "DAYS_30", "reset touches only managed attributes");
    ec2_untouched(&emu);
}

#[test]
fn bad_values_fail_at_plan_with_no_aws_call() {
    let emu = organization(&[MEMBER]);
    let body = resource("  rescan_duration       = \"DAYS_1\"\n  pull_date_rescan_mode = \"LAST_PUSH_DATE\"\n");
    let ws = workspace("rescan-bad", &emu, "AKIDADMIN", &body);
    emu.clear_log();
    let run = ws.plan().failed();
    let text = run.all();
    assert!(text.contains("rescan_duration: \"DAYS_1\" is not a valid value: use one of DAYS_3, DAYS_7"), "{text}");
    assert!(text.contains("LAST_IN_USE_AT, LAST_PULL_DATE"), "{text}");
    no_backtrace(&text);
    assert_eq!(log(&emu), Vec::<Value>::new(), "validation must make no AWS call");
    let empty = workspace("rescan-empty", &emu, "AKIDADMIN", &resource("  reset_on_destroy = true\n"));
    assert!(empty.plan().failed().all().contains("set at least one of them"));
    assert_eq!(log(&emu), Vec::<Value>::new());
}

#[test]
fn a_member_is_refused_and_told_to_use_the_administrator() {
    let emu = organization(&[MEMBER]);
    let ws = workspace("rescan-member", &emu, "AKIDMEMBER", &resource("  rescan_duration = \"DAYS_30\"\n"));
    let text = ws.apply().failed().all();
    assert!(text.contains("AccessDeniedException"), "{text}");
    assert!(text.contains("run this as the administrator, not as account 222222222222"), "{text}");
    no_backtrace(&text);
    assert_eq!(settings(&emu, ADMIN)["rescan_duration"], "DAYS_14");
    assert!(!ws.in_state(ADDR), "nothing was created");
}

fn days_ago(now: f64, days: f64) -> f64 {
    now - days * 86_400.0
}

#[test]
fn the_estimate_matches_a_hand_computation() {
    let emu = Emulator::start();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let at = |d: f64| json!(days_ago(now, d));
    let testsupport::http::Reply { status, body: v } = emu.control_raw(
        "PUT",
        &format!("/_emulator/ecr/{STANDALONE}"),
        Some(json!({"repositories": {
            "app": [
                {"pushed_at": at(1.0)},                              // initial, kept by push
                {"pushed_at": at(20.0)},                             // initial, push older than 14 days
                {"pushed_at": at(200.0), "last_pulled_at": at(5.0)}, // initial by pull, kept by pull
                {"pushed_at": at(200.0), "last_pulled_at": at(60.0)}, // initial by pull, pull too old
                {"pushed_at": at(400.0), "last_pulled_at": at(100.0)}, // outside the initial scan
            ],
            "web": [{"pushed_at": at(10.0), "last_pulled_at": at(2.0)}], // initial, kept
        }})),
    );
    assert_eq!(status, 200, "{v}");
    let body = "data \"inspector2fix_ecr_scan_estimate\" \"this\" {\n  price_per_image_scan        = 0.11\n  price_per_rescan            = 0.01\n  rescans_per_image_per_month = 4\n}\n";
    let ws = workspace("estimate", &emu, "AKIDSTANDALONE", body);
    ws.apply().ok();
    let s = ws.state_of(ESTIMATE);
    // By hand, with the account's default durations (DAYS_14, DAYS_14):
    // 6 images; initial = pushed <= 30 d or pulled <= 90 d = 5; kept = 1 d, pulled 5 d, web = 3;
    // pushed in 30 days = 1 d, 20 d, 10 d = 3.
    assert_eq!(s["id"], format!("{STANDALONE}@us-east-1"));
    assert_eq!(
        (s["rescan_duration"].as_str(), s["pull_date_rescan_duration"].as_str()),
        (Some("DAYS_14"), Some("DAYS_14"))
    );
    assert_eq!(s["images"].as_f64(), Some(6.0), "{s:?}");
    assert_eq!(s["initial_scan_images"].as_f64(), Some(5.0));
    assert_eq!(s["continuous_rescan_images"].as_f64(), Some(3.0));
    assert_eq!(s["images_pushed_last_30_days"].as_f64(), Some(3.0));
    // 5 x 0.11 once; a month: 3 new images x 0.11 + 3 images x 4 rescans x 0.01.
    assert_eq!(s["initial_scan_cost"].as_f64(), Some(0.55));
    assert_eq!(s["estimated_monthly_cost"].as_f64(), Some(0.45));
    assert_eq!(count(&emu, "DescribeRepositories"), 1);
    assert_eq!(count(&emu, "DescribeImages"), 2);

    // LIFETIME keeps every initially scanned image.
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\n{}",
        body.replace(
            "rescans_per_image_per_month = 4",
            "rescans_per_image_per_month = 4\n  rescan_duration = \"LIFETIME\""
        )
    ));
    ws.apply().ok();
    let s = ws.state_of(ESTIMATE);
    assert_eq!(s["continuous_rescan_images"].as_f64(), Some(5.0), "{s:?}");
    assert_eq!(s["estimated_monthly_cost"].as_f64(), Some(0.53)); // 0.33 + 5 x 4 x 0.01
}

#[test]
fn rescan_docs_cover_the_schema_and_embed_the_examples() {
    use inspector2fix::terraform::data_sources::ecr_scan_estimate::EcrScanEstimate;
    use inspector2fix::terraform::resources::ecr_rescan_configuration::EcrRescanConfiguration;
    use inspector2fix::terraform::schema::attribute_names;
    let read = |p: &str| std::fs::read_to_string(repo_root().join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    for (doc, block, example) in [
        (
            "docs/resources/ecr_rescan_configuration.md",
            EcrRescanConfiguration::schema_block(),
            "examples/resources/inspector2fix_ecr_rescan_configuration/resource.tf",
        ),
        (
            "docs/data-sources/ecr_scan_estimate.md",
            EcrScanEstimate::schema_block(),
            "examples/data-sources/inspector2fix_ecr_scan_estimate/data-source.tf",
        ),
    ] {
        let text = read(doc);
        let names = attribute_names(&block);
        for name in &names {
            assert!(text.contains(&format!("`{name}`")), "{doc} does not document {name}");
        }
        for line in text.lines().filter(|l| l.starts_with("- `")) {
            let name = line.split('`').nth(1).unwrap();
            assert!(names.iter().any(|n| n == name), "{doc} documents `{name}`, which the schema lacks");
        }
        assert!(text.contains(read(example).trim()), "{doc} must embed {example}");
    }
    let import = read("examples/resources/inspector2fix_ecr_rescan_configuration/import.sh");
    assert!(import.contains("terraform import inspector2fix_ecr_rescan_configuration."), "{import}");
}

/// moto_server, an independent implementation, for the ECR wire format (moto has no
/// GetConfiguration, so the durations are given).
struct Moto {
    addr: std::net::SocketAddr,
    child: std::process::Child,
}

impl Moto {
    fn start() -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let program = std::env::var_os("MOTO_SERVER")
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| venv_tool("moto_server", "moto"));
        let child = std::process::Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start moto_server");
        let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(std::time::Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Moto { addr, child }
    }

    /// One awsJson1_1 call; moto routes ECR only with its own content type, which the harness's
    /// JSON client does not send.
    fn ecr(&self, operation: &str, body: Value) {
        use std::io::{Read, Write};
        let body = body.to_string();
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.1\r\n\
             X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.{operation}\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=AKIDMOTO/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=0\r\n\
             Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        let mut stream = std::net::TcpStream::connect(self.addr).expect("connect to moto");
        stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 200"), "{operation}: {reply}");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn moto_estimate_reads_ecr_images() {
    let moto = Moto::start();
    let manifest = json!({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": "sha256:aa"},
        "layers": []});
    for (repo, tags) in [("app", vec!["v1", "v2"]), ("web", vec!["v1"])] {
        moto.ecr("CreateRepository", json!({"repositoryName": repo}));
        for (i, tag) in tags.iter().enumerate() {
            let mut m = manifest.clone();
            m["config"]["size"] = json!(i + 2); // a distinct manifest, so a distinct image
            moto.ecr("PutImage", json!({"repositoryName": repo, "imageTag": tag, "imageManifest": m.to_string()}));
        }
    }
    let ws = crate::harness::workspace("moto-estimate", &format!("http://{}", moto.addr));
    ws.config(
        "provider \"inspector2fix\" {}\n\ndata \"inspector2fix_ecr_scan_estimate\" \"this\" {\n  price_per_image_scan = \"0.09\"\n  price_per_rescan = 0.01\n  rescans_per_image_per_month = 1\n  rescan_duration = \"DAYS_30\"\n  pull_date_rescan_duration = \"DAYS_30\"\n}\n",
    );
    ws.apply().ok();
    let s = ws.state_of(ESTIMATE);
    // Three images, all pushed just now: all scanned first, all kept, all new this month.
    for field in ["images", "initial_scan_images", "continuous_rescan_images", "images_pushed_last_30_days"] {
        assert_eq!(s[field].as_f64(), Some(3.0), "{field}: {s:?}");
    }
    assert_eq!(s["initial_scan_cost"].as_f64(), Some(0.27));
    assert_eq!(s["estimated_monthly_cost"].as_f64(), Some(0.3)); // 3 x 0.09 + 3 x 1 x 0.01
    assert_eq!(s["price_per_image_scan"].as_f64(), Some(0.09), "the price goes back as given");
}

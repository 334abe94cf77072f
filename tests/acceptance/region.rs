//! `region` on every resource and data source against the per-Region emulator: one provider
//! block over many Regions, replacement on a Region change, `@REGION` import ids, and bad Regions
//! refused before any AWS call.

use serde_json::json;

use crate::harness::*;

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-3"];
/// Nothing listens here: a call that ignores the `endpoints` block fails.
const DEAD: &str = "http://127.0.0.1:9";

fn scanning(region: &str) -> String {
    format!("inspector2fix_ecr_scanning.this[\"{region}\"]")
}

/// A provider block whose `endpoints` name the emulator, with AWS_ENDPOINT_URL dead: every call
/// of every Region must go through the block.
fn endpoints_provider(emu: &Emulator) -> String {
    let url = emu.url();
    format!(
        "provider \"inspector2fix\" {{\n  endpoints {{\n    inspector2 = \"{url}\"\n    securityhub = \"{url}\"\n    sts = \"{url}\"\n  }}\n}}\n"
    )
}

const FOR_EACH: &str = r#"
variable "regions" {
  type    = list(string)
  default = ["us-east-1", "eu-west-1", "ap-southeast-3"]
}

resource "inspector2fix_ecr_scanning" "this" {
  for_each = toset(var.regions)
  region   = each.key
}
"#;

#[test]
fn one_provider_block_many_regions_each_region_gets_its_own_calls_and_drift() {
    let emu = Emulator::start();
    let ws = workspace("regions-for-each", DEAD);
    ws.config(&format!("{}{FOR_EACH}", endpoints_provider(&emu)));

    ws.apply().ok();
    for region in REGIONS {
        let s = ws.state_of(&scanning(region));
        assert_eq!(s["region"], region);
        assert_eq!(s["id"], STANDALONE, "the id keeps no Region");
        assert_eq!(s["status"][STANDALONE], "ENABLED");
        assert_eq!(emu.resource_state_in(region, STANDALONE, "ECR"), "ENABLED", "{region}");
        assert_eq!(emu.count_in(region, "Enable"), 1, "one Enable in {region}, sent there");
    }
    assert_eq!(emu.count("Enable"), 3, "no Enable outside the three Regions");
    emu.clear_log();
    assert_eq!(ws.plan().code, 0, "plan right after apply must be clean");
    // One provider process planned three Regions: three reads, each in its Region, one caller lookup.
    for region in REGIONS {
        assert_eq!(emu.count_in(region, "BatchGetAccountStatus"), 1, "{region}");
    }
    assert_eq!(emu.count("GetCallerIdentity"), 1, "the caller is looked up once per run, whatever the Region");

    // Drift in one Region shows only in that Region's instance.
    emu.set_account_in("eu-west-1", STANDALONE, json!({"resource_state": {"ECR": "DISABLED"}}));
    let drift = ws.plan();
    assert_eq!(drift.code, 2, "drift must show:\n{}", drift.all());
    assert!(drift.stdout.contains(&format!("{} will be created", scanning("eu-west-1"))), "{}", drift.stdout);
    for region in ["us-east-1", "ap-southeast-3"] {
        let changes = drift.stdout.lines().filter(|l| l.contains(&scanning(region)) && !l.contains("Refreshing state"));
        assert_eq!(changes.count(), 0, "{region} has no drift:\n{}", drift.stdout);
    }
    assert!(drift.stdout.contains("Plan: 1 to add, 0 to change, 0 to destroy."), "{}", drift.stdout);
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.count_in("eu-west-1", "Enable"), 1);
    assert_eq!(emu.count("Enable"), 1, "only the drifted Region is repaired");
    assert_eq!(emu.resource_state_in("eu-west-1", STANDALONE, "ECR"), "ENABLED");

    emu.clear_log();
    ws.destroy().ok();
    for region in REGIONS {
        assert_eq!(emu.count_in(region, "Disable"), 1, "{region}");
        assert_eq!(emu.resource_state_in(region, STANDALONE, "ECR"), "DISABLED", "{region}");
    }
}

#[test]
fn a_region_change_replaces_ecr_scanning_and_leaves_the_old_region_as_it_is() {
    let emu = Emulator::start();
    let ws = workspace("region-change-scanning", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n");
    ws.apply().ok();
    assert_eq!(ws.state_of("inspector2fix_ecr_scanning.this")["region"], "us-east-1", "the provider's Region");

    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {\n  region = \"eu-west-1\"\n}\n");
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    assert!(plan.stdout.contains("# forces replacement"), "{}", plan.stdout);
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.count_in("eu-west-1", "Enable"), 1);
    emu.assert_no_call("Disable", "a replacement for another Region disables nothing in the old one");
    assert_eq!(emu.resource_state_in("us-east-1", STANDALONE, "ECR"), "ENABLED", "the old Region is left as it is");
    assert_eq!(emu.resource_state_in("eu-west-1", STANDALONE, "ECR"), "ENABLED");
    assert_eq!(ws.state_of("inspector2fix_ecr_scanning.this")["region"], "eu-west-1");
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn import_ids_take_a_region_suffix() {
    let emu = Emulator::start();
    emu.set_account_in("eu-west-1", STANDALONE, json!({"resource_state": {"ECR": "ENABLED"}}));
    let ws = workspace("region-import", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {\n  region = \"eu-west-1\"\n}\n");
    let id = format!("{STANDALONE}@eu-west-1");
    ws.tf(&["import", "-no-color", "-input=false", "inspector2fix_ecr_scanning.this", &id]).ok();
    let s = ws.state_of("inspector2fix_ecr_scanning.this");
    assert_eq!((&s["id"], &s["region"]), (&json!(STANDALONE), &json!("eu-west-1")));
    assert_eq!(s["status"][STANDALONE], "ENABLED", "read in eu-west-1, where ECR is on");
    assert_eq!(emu.count_in("us-east-1", "BatchGetAccountStatus"), 0, "nothing is read in the provider's Region");
    assert_eq!(ws.plan().code, 0, "plan after import must be clean");

    ws.tf(&["state", "rm", "-no-color", "inspector2fix_ecr_scanning.this"]).ok();
    let bad = ws.tf(&["import", "-no-color", "-input=false", "inspector2fix_ecr_scanning.this", "123456789012@moon"]);
    assert_eq!(bad.code, 1, "{}", bad.all());
    assert!(
        bad.stderr.contains("Import id \"123456789012@moon\": after @, \"moon\" is not an AWS Region name"),
        "{}",
        bad.stderr
    );
}

/// For each resource and data source: a bad `region` is an error naming it, before any AWS call.
#[test]
fn a_bad_region_is_refused_at_validate_naming_it_with_no_aws_call() {
    let emu = Emulator::start();
    let blocks = [
        "resource \"inspector2fix_ecr_scanning\" \"this\" {\n  region = \"US-EAST-1\"\n}",
        "resource \"inspector2fix_control_suppression\" \"this\" {\n  reason = \"r\"\n  region = \"eu-west\"\n}",
        "resource \"inspector2fix_ecr_rescan_configuration\" \"this\" {\n  rescan_duration = \"DAYS_30\"\n  region = \"mars-north-1\"\n}",
        "data \"inspector2fix_security_hub_control\" \"this\" {\n  region = \"eu_west_1\"\n}",
        "data \"inspector2fix_ecr_scan_estimate\" \"this\" {\n  price_per_image_scan = 0.09\n  price_per_rescan = 0.01\n  rescans_per_image_per_month = 1\n  region = \"global\"\n}",
    ];
    for block in blocks {
        let ws = workspace("region-bad", &emu.url());
        ws.config(&format!("provider \"inspector2fix\" {{}}\n\n{block}\n"));
        emu.clear_log();
        let plan = ws.plan();
        assert_eq!(plan.code, 1, "{block}:\n{}", plan.all());
        assert!(plan.stderr.contains("Invalid region"), "{block}:\n{}", plan.stderr);
        assert!(plan.stderr.contains("is not an AWS Region name"), "{block}:\n{}", plan.stderr);
        no_backtrace(&plan.stderr);
        assert_eq!(emu.aws_calls(), 0, "{block}: no AWS call for a bad region");
    }
}

const HOME: &str = STANDALONE;

/// An emulator with one FAILED, NEW Inspector.2 finding of HOME in us-east-1 (`f-us`) and one in
/// eu-west-1 (`f-eu`), with no evaluation of its own to change them.
fn findings_in_two_regions() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({"evaluate_inspector2": false}));
    for (region, id) in [("us-east-1", "f-us"), ("eu-west-1", "f-eu")] {
        let finding = json!({"Id": id, "AwsAccountId": HOME, "SecurityControlId": "Inspector.2",
                             "ComplianceStatus": "FAILED", "WorkflowStatus": "NEW", "RecordState": "ACTIVE"});
        let body = json!({"account_id": HOME, "region": region, "findings": [finding]});
        let added = emu.control("POST", "/_emulator/securityhub/findings", Some(body));
        assert_eq!(field(&added, "added"), &json!(1), "{added}");
    }
    emu
}

#[track_caller]
fn workflow_in(emu: &Emulator, region: &str, id: &str) -> String {
    let stored = emu.stored_findings_in(region, HOME);
    let finding = stored.get(id).unwrap_or_else(|| panic!("no finding {id} in {region}: {:?}", stored.keys()));
    workflow_status(finding).to_owned()
}

#[track_caller]
fn finding_ids(findings: &serde_json::Value) -> Vec<String> {
    let list = findings.as_array().unwrap_or_else(|| panic!("findings is not a list: {findings}"));
    list.iter().map(|f| str_field(f, "id").to_owned()).collect()
}

/// In an aggregation Region, GetFindings also returns the linked Regions' findings: the data
/// source and the suppression still read and change only their own Region's.
#[test]
fn in_an_aggregation_region_security_hub_work_stays_in_its_region() {
    let emu = findings_in_two_regions();
    let body = json!({"region": "us-east-1", "linked_regions": ["eu-west-1"]});
    emu.control("POST", "/_emulator/securityhub/aggregation", Some(body));
    let ws = workspace("region-aggregation", &emu.url());
    ws.config(
        r#"provider "inspector2fix" {}

data "inspector2fix_security_hub_control" "home" {}

data "inspector2fix_security_hub_control" "eu" {
  region = "eu-west-1"
}

resource "inspector2fix_control_suppression" "this" {
  reason = "Risk accepted: SEC-9"
}

output "home" { value = data.inspector2fix_security_hub_control.home.findings }
output "home_region" { value = data.inspector2fix_security_hub_control.home.region }
output "eu" { value = data.inspector2fix_security_hub_control.eu.findings }
output "eu_region" { value = data.inspector2fix_security_hub_control.eu.region }
"#,
    );
    emu.clear_log();
    ws.apply().ok();
    let o = ws.outputs();
    assert_eq!(finding_ids(&o["home"]), ["f-us"], "the aggregation Region's own findings only");
    assert_eq!(o["home_region"], "us-east-1");
    assert_eq!(finding_ids(&o["eu"]), ["f-eu"]);
    assert_eq!(o["eu_region"], "eu-west-1");
    assert!(emu.count_in("eu-west-1", "GetFindings") >= 1, "the eu-west-1 data source reads there");
    for call in emu.calls("GetFindings") {
        let filters = field(&call, "filters").to_string();
        assert!(filters.contains("\"Region\""), "every GetFindings filters on Region: {filters}");
    }
    let s = ws.state_of(SUPPRESSION);
    assert_eq!(sorted_strings(&s["finding_ids"]), ["f-us"]);
    assert_eq!(s["region"], "us-east-1");
    assert_eq!(workflow_in(&emu, "us-east-1", "f-us"), "SUPPRESSED");
    assert_eq!(workflow_in(&emu, "eu-west-1", "f-eu"), "NEW", "the linked Region's finding is not ours");
    // The outputs change (the finding was updated after the data source read it); the resource does not.
    let plan = ws.plan();
    assert_ne!(plan.code, 1, "{}", plan.all());
    assert!(!plan.stdout.contains(&format!("{SUPPRESSION} will be")), "{}", plan.stdout);
    assert!(!plan.stdout.contains(&format!("{SUPPRESSION} must be")), "{}", plan.stdout);

    ws.destroy().ok();
    assert_eq!(workflow_in(&emu, "us-east-1", "f-us"), "NEW", "destroy restores its own Region's finding");
    assert_eq!(workflow_in(&emu, "eu-west-1", "f-eu"), "NEW");
}

#[test]
fn a_region_change_replaces_the_suppression_and_leaves_the_old_region_suppressed() {
    let emu = findings_in_two_regions();
    let ws = workspace("region-change-suppression", &emu.url());
    let config = |region: &str| {
        format!("provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_control_suppression\" \"this\" {{\n  reason = \"Risk accepted: SEC-9\"\n{region}}}\n")
    };
    ws.config(&config(""));
    ws.apply().ok();
    assert_eq!(ws.state_of(SUPPRESSION)["region"], "us-east-1", "the provider's Region");
    assert_eq!(workflow_in(&emu, "us-east-1", "f-us"), "SUPPRESSED");

    ws.config(&config("  region = \"eu-west-1\"\n"));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(
        plan.stdout.contains("must be replaced") && plan.stdout.contains("# forces replacement"),
        "{}",
        plan.stdout
    );
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.count_in("us-east-1", "BatchUpdateFindings"), 0, "nothing is restored in the old Region");
    assert!(emu.count_in("eu-west-1", "BatchUpdateFindings") >= 1);
    assert_eq!(workflow_in(&emu, "us-east-1", "f-us"), "SUPPRESSED", "the old Region is left as it is");
    assert_eq!(workflow_in(&emu, "eu-west-1", "f-eu"), "SUPPRESSED");
    let s = ws.state_of(SUPPRESSION);
    assert_eq!((&s["region"], sorted_strings(&s["finding_ids"])), (&json!("eu-west-1"), vec!["f-eu".to_string()]));
    assert_eq!(ws.plan().code, 0);

    // Import with @REGION adopts the eu-west-1 suppression and its reason.
    ws.tf(&["state", "rm", "-no-color", SUPPRESSION]).ok();
    ws.tf(&["import", "-no-color", "-input=false", SUPPRESSION, "Inspector.2@eu-west-1"]).ok();
    let s = ws.state_of(SUPPRESSION);
    assert_eq!((&s["id"], &s["region"]), (&json!("Inspector.2"), &json!("eu-west-1")));
    assert_eq!(s["reason"], "Risk accepted: SEC-9");
    assert_eq!(sorted_strings(&s["finding_ids"]), ["f-eu"]);
    assert_eq!(ws.plan().code, 0, "plan after import must be clean");
}

/// The findings the 0.1.0 apply of `fixtures/region/control_suppression.tf` left: all three
/// suppressed with their resource's reason.
fn suppressed_as_010_left_them(emu: &Emulator) {
    emu.put_config(json!({"evaluate_inspector2": false}));
    let suppressed = |id: &str, account: &str, control: &str| {
        json!({"Id": id, "AwsAccountId": account, "SecurityControlId": control, "ComplianceStatus": "FAILED",
               "WorkflowStatus": "SUPPRESSED", "RecordState": "ACTIVE"})
    };
    emu.seed_findings(
        HOME,
        json!([
            suppressed("f1", HOME, "Inspector.2"),
            suppressed("f2", "210987654321", "Inspector.2"),
            suppressed("f3", HOME, "Inspector.3")
        ]),
    );
}

/// A state written by 0.1.0, with no `region`, reads as the provider's Region: no diff, no write.
#[test]
fn a_suppression_state_written_by_0_1_0_reads_as_the_provider_region_with_no_diff_and_no_write() {
    let fixtures = repo_root().join("tests/acceptance/fixtures/region");
    let read = |name: &str| std::fs::read_to_string(fixtures.join(name)).expect("read the fixture");
    let state = read("control_suppression.tfstate");
    assert!(!state.contains("\"region\""), "the fixture is a 0.1.0 state, without region");
    let emu = Emulator::start();
    suppressed_as_010_left_them(&emu);
    let ws = workspace("region-010-suppression", &emu.url());
    ws.write_main_tf(&read("control_suppression.tf"));
    std::fs::write(ws.dir.join("terraform.tfstate"), state).expect("write terraform.tfstate");

    emu.clear_log();
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "a 0.1.0 state plans no change:\n{}", plan.all());
    emu.assert_no_call("BatchUpdateFindings", "reading a 0.1.0 state writes nothing");
    assert!(emu.count_in("us-east-1", "GetFindings") >= 2, "both resources are read, in the provider's Region");

    ws.tf(&["apply", "-refresh-only", "-auto-approve", "-no-color", "-input=false"]).ok();
    for (address, findings) in
        [(SUPPRESSION, vec!["f1", "f2"]), ("inspector2fix_control_suppression.lambda", vec!["f3"])]
    {
        let s = ws.state_of(address);
        assert_eq!(s["region"], "us-east-1", "{address}");
        assert_eq!(sorted_strings(&s["finding_ids"]), findings, "{address}");
    }
    assert_eq!(ws.plan().code, 0);
    assert_eq!(emu.count("BatchUpdateFindings"), 0, "still no write");
}

/// moto keeps Inspector state per Region too: ECR scanning in two Regions from one provider block.
#[test]
fn moto_ecr_scanning_in_two_regions() {
    let moto = crate::moto::Moto::start();
    let reported_in = |region: &str| {
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential=AKIDMOTO/20260101/{region}/inspector2/aws4_request, SignedHeaders=host, Signature=0"
        );
        let body = json!({"accountIds": [STANDALONE]});
        let reply = testsupport::http::request(
            moto.addr,
            "POST",
            "/status/batch/get",
            Some(&body),
            &[("Authorization", &auth)],
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        let accounts = field(&reply.body, "accounts").as_array().cloned().unwrap_or_default();
        // moto leaves out an account it never saw in that Region (AWS reports it DISABLED).
        let account = accounts.iter().find(|a| a["accountId"] == STANDALONE);
        account.map(|a| str_field(field(field(a, "resourceState"), "ecr"), "status").to_owned())
    };
    let status_in = |region: &str| reported_in(region).unwrap_or_else(|| panic!("moto does not report {region}"));
    let ws = workspace("moto-regions", &format!("http://{}", moto.addr));
    ws.config(
        "provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {\n  for_each = toset([\"us-east-1\", \"eu-west-1\"])\n  region   = each.key\n}\n",
    );
    ws.apply().ok();
    for region in ["us-east-1", "eu-west-1"] {
        assert_eq!(status_in(region), "ENABLED", "{region}");
        assert_eq!(ws.state_of(&scanning(region))["region"], region);
    }
    assert_eq!(reported_in("ap-south-1"), None, "a Region not in the set is untouched");
    assert_eq!(ws.plan().code, 0);

    // Drift in eu-west-1 only.
    let auth = "AWS4-HMAC-SHA256 Credential=AKIDMOTO/20260101/eu-west-1/inspector2/aws4_request, SignedHeaders=host, Signature=0";
    let body = json!({"accountIds": [STANDALONE], "resourceTypes": ["ECR"]});
    let reply = testsupport::http::request(moto.addr, "POST", "/disable", Some(&body), &[("Authorization", auth)]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let drift = ws.plan();
    assert_eq!(drift.code, 2, "{}", drift.all());
    assert!(drift.stdout.contains(&format!("{} will be created", scanning("eu-west-1"))), "{}", drift.stdout);
    assert!(drift.stdout.contains("Plan: 1 to add, 0 to change, 0 to destroy."), "{}", drift.stdout);
    assert_eq!(status_in("us-east-1"), "ENABLED");

    ws.apply().ok();
    ws.destroy().ok();
    for region in ["us-east-1", "eu-west-1"] {
        assert_eq!(status_in(region), "DISABLED", "{region}");
    }
}

const RESCAN: &str = "inspector2fix_ecr_rescan_configuration.this";

#[track_caller]
fn rescan_duration_in(emu: &Emulator, region: &str) -> String {
    let v = emu.control("GET", &format!("/_emulator/configuration/{STANDALONE}?region={region}"), None);
    str_field(&v, "rescan_duration").to_owned()
}

/// The rescan settings are set in their Region only; another Region replaces the resource, and
/// even with `reset_on_destroy` the old Region keeps its settings (only a destroy resets).
#[test]
fn rescan_settings_live_in_their_region_and_a_region_change_resets_nothing() {
    let emu = Emulator::start();
    let ws = workspace("region-rescan", &emu.url());
    let config = |region: &str| {
        format!(
            "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_rescan_configuration\" \"this\" {{\n  rescan_duration  = \"DAYS_30\"\n  reset_on_destroy = true\n  region           = \"{region}\"\n}}\n"
        )
    };
    let default = rescan_duration_in(&emu, "us-east-1");
    assert_ne!(default, "DAYS_30", "the test needs another starting value");
    ws.config(&config("eu-west-1"));
    ws.apply().ok();
    assert_eq!(rescan_duration_in(&emu, "eu-west-1"), "DAYS_30");
    assert_eq!(rescan_duration_in(&emu, "us-east-1"), default, "the provider's Region is untouched");
    assert_eq!(emu.count_in("us-east-1", "UpdateConfiguration"), 0);
    let s = ws.state_of(RESCAN);
    assert_eq!((&s["id"], &s["region"]), (&json!(STANDALONE), &json!("eu-west-1")));
    assert_eq!(ws.plan().code, 0);

    ws.config(&config("ap-south-1"));
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.count_in("eu-west-1", "UpdateConfiguration"), 0, "the replacement resets nothing in the old Region");
    assert_eq!(rescan_duration_in(&emu, "eu-west-1"), "DAYS_30");
    assert_eq!(rescan_duration_in(&emu, "ap-south-1"), "DAYS_30");

    // Import from that Region with @REGION: the settings read there, and a clean plan.
    ws.tf(&["state", "rm", "-no-color", RESCAN]).ok();
    ws.tf(&["import", "-no-color", "-input=false", RESCAN, &format!("{STANDALONE}@ap-south-1")]).ok();
    let s = ws.state_of(RESCAN);
    assert_eq!((&s["region"], &s["rescan_duration"]), (&json!("ap-south-1"), &json!("DAYS_30")));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "the plan records what import left out, in place:\n{}", plan.all());
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply().ok();

    ws.destroy().ok();
    assert_eq!(rescan_duration_in(&emu, "ap-south-1"), "DAYS_14", "destroy resets, in its Region");
    assert_eq!(rescan_duration_in(&emu, "eu-west-1"), "DAYS_30");
}

/// The estimate reads the registry of its Region.
#[test]
fn the_scan_estimate_reads_the_registry_of_its_region() {
    let emu = Emulator::start();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    for (region, images) in [("us-east-1", 1), ("eu-west-1", 3)] {
        let list: Vec<serde_json::Value> = (0..images).map(|_| json!({"pushed_at": now - 86_400.0})).collect();
        let body = json!({"repositories": {"app": list}});
        emu.control("PUT", &format!("/_emulator/ecr/{STANDALONE}?region={region}"), Some(body));
    }
    let ws = workspace("region-estimate", &emu.url());
    let estimate = |name: &str, region: &str| {
        format!(
            "data \"inspector2fix_ecr_scan_estimate\" \"{name}\" {{\n  price_per_image_scan = 0.09\n  price_per_rescan = 0.01\n  rescans_per_image_per_month = 1\n{region}}}\n"
        )
    };
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\n{}{}",
        estimate("home", ""),
        estimate("eu", "  region = \"eu-west-1\"\n")
    ));
    ws.apply().ok();
    let home = ws.state_of("data.inspector2fix_ecr_scan_estimate.home");
    let eu = ws.state_of("data.inspector2fix_ecr_scan_estimate.eu");
    assert_eq!((&home["id"], &home["region"]), (&json!(format!("{STANDALONE}@us-east-1")), &json!("us-east-1")));
    assert_eq!((&eu["id"], &eu["region"]), (&json!(format!("{STANDALONE}@eu-west-1")), &json!("eu-west-1")));
    assert_eq!(home["images"].as_f64(), Some(1.0), "{home:?}");
    assert_eq!(eu["images"].as_f64(), Some(3.0), "{eu:?}");
    assert_eq!(emu.count_in("eu-west-1", "DescribeRepositories"), 1);
}

/// A `region` known only at apply plans as unknown, and is checked and used once known.
#[test]
fn a_region_known_only_at_apply_is_planned_unknown_then_used() {
    let emu = Emulator::start();
    let ws = workspace("region-unknown", &emu.url());
    let config = |region: &str| {
        format!(
            "provider \"inspector2fix\" {{}}\n\nresource \"terraform_data\" \"region\" {{\n  input = \"{region}\"\n}}\n\n\
             resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  region = terraform_data.region.output\n}}\n"
        )
    };
    ws.config(&config("eu-west-1"));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("region             = (known after apply)"), "{}", plan.stdout);
    assert_eq!(emu.count("Enable"), 0, "a plan enables nothing");
    ws.apply().ok();
    assert_eq!(ws.state_of("inspector2fix_ecr_scanning.this")["region"], "eu-west-1");
    assert_eq!(emu.count_in("eu-west-1", "Enable"), 1);
    assert_eq!(ws.plan().code, 0);

    // A bad Region that becomes known at apply is refused then, naming `region`, before any call.
    ws.config(&config("moon-1"));
    emu.clear_log();
    let run = ws.apply().failed();
    assert!(run.all().contains("region: \"moon-1\" is not an AWS Region name"), "{}", run.all());
    assert_eq!(emu.count("Enable") + emu.count("Disable"), 0, "no write for a bad Region");
    assert_eq!(emu.resource_state_in("eu-west-1", STANDALONE, "ECR"), "ENABLED", "the old Region is untouched");
}

/// As in the AWS provider v6, an unset `region` is the provider's Region: deleting the line plans
/// a replacement into the provider's Region, which changes nothing in the old one (issue 17,
/// section 4; it used to plan "No changes" and keep managing the old Region).
#[test]
fn removing_region_replaces_into_the_provider_region_and_leaves_the_old_one_as_it_is() {
    let emu = Emulator::start();
    let ws = workspace("region-removed", &emu.url());
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {\n  region = \"ap-southeast-2\"\n}\n");
    ws.apply().ok();
    assert_eq!(ws.state_of("inspector2fix_ecr_scanning.this")["region"], "ap-southeast-2");
    assert_eq!(emu.resource_state_in("us-east-1", STANDALONE, "ECR"), "DISABLED", "the provider's Region untouched");

    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n");
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "removing region is a change:\n{}", plan.all());
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    assert!(plan.stdout.contains("\"ap-southeast-2\" -> \"us-east-1\" # forces replacement"), "{}", plan.stdout);
    emu.clear_log();
    ws.apply().ok();
    assert_eq!(emu.count_in("us-east-1", "Enable"), 1, "enabled in the provider's Region");
    emu.assert_no_call("Disable", "the replacement disables nothing in the old Region");
    assert_eq!(emu.resource_state_in("ap-southeast-2", STANDALONE, "ECR"), "ENABLED", "the old Region as it was");
    assert_eq!(emu.resource_state_in("us-east-1", STANDALONE, "ECR"), "ENABLED");
    assert_eq!(ws.state_of("inspector2fix_ecr_scanning.this")["region"], "us-east-1");
    assert_eq!(ws.plan().code, 0, "then the plan is clean");
}

//! Inputs that once crashed the provider or slipped through (issue 8, sections 3 and 6): each is
//! refused at plan, names its attribute, makes no AWS call, and shows no backtrace.

use crate::harness::*;

fn refused_at_plan(emu: &Emulator, provider: &str, resource: &str, attribute: &str, words: &str) {
    let ws = workspace("nopanic", &emu.url());
    ws.config(&format!("provider \"inspector2fix\" {{\n  {provider}\n}}\n\n{resource}\n"));
    let run = ws.plan();
    let out = run.all();
    assert_eq!(run.code, 1, "{resource} should fail plan:\n{out}");
    assert!(out.contains(&format!("{attribute}:")), "error must name {attribute}:\n{out}");
    assert!(out.contains(words), "error must say {words:?}:\n{out}");
    assert!(!out.contains("Request cancelled") && !out.contains("panicked"), "{out}");
    no_backtrace(&out);
    assert_eq!(emu.aws_calls(), 0, "no AWS call for bad input ({attribute})");
}

#[test]
fn huge_timeouts_are_refused_at_plan_not_panicking() {
    let emu = Emulator::start();
    for value in ["99999999999999999999h", "3000000000000000h", "25h"] {
        let resource = format!(
            "resource \"inspector2fix_ecr_scanning\" \"this\" {{\n  timeouts {{\n    create = \"{value}\"\n  }}\n}}"
        );
        refused_at_plan(&emu, "", &resource, "timeouts.create", "maximum of 24h");
    }
}

#[test]
fn role_arns_outside_the_real_partitions_are_refused() {
    let emu = Emulator::start();
    refused_at_plan(
        &emu,
        "assume_role {\n    role_arn = \"arn:awsfoo:iam::123456789012:role/x\"\n  }",
        "resource \"inspector2fix_ecr_scanning\" \"this\" {}",
        "assume_role.role_arn",
        "aws-us-gov",
    );
}

#[test]
fn plugin_log_file_holds_no_external_id() {
    let emu = Emulator::start();
    let mut ws = workspace("pluginlog", &emu.url());
    let log = ws.dir.join("plugin.log");
    ws.extra_env.push(("PLUGIN_LOG_FILE".into(), log.display().to_string()));
    ws.config(
        "provider \"inspector2fix\" {\n  assume_role {\n    role_arn    = \"arn:aws:iam::444444444444:role/inspector-admin\"\n    external_id = \"external-id-Zq81\"\n  }\n}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n",
    );
    ws.apply().ok();
    let text = std::fs::read_to_string(&log).expect("the provider wrote PLUGIN_LOG_FILE");
    assert!(!text.is_empty(), "PLUGIN_LOG_FILE is empty: nothing was checked");
    assert!(!text.contains("external-id-Zq81"), "external_id is in PLUGIN_LOG_FILE");
    assert!(!text.contains(SECRET_KEY), "the secret key is in PLUGIN_LOG_FILE");
    assert_eq!(emu.resource_state("444444444444", "ECR"), "ENABLED");
}

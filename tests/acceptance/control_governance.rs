//! A disabled Security Hub control with the real Terraform against the emulator:
//! `inspector2fix_security_hub_control` says `DISABLED` with the reason and Security Hub's
//! configuration type, and `inspector2fix_control_suppression` warns at plan that there is
//! nothing to suppress.

use serde_json::json;

use crate::harness::*;

const HOME: &str = "123456789012";
const US_EAST_1: &str = "us-east-1";
const REASON: &str = "Central configuration: no container images in this organization";

const CONTROL: &str = "data.inspector2fix_security_hub_control.this";

fn control_workspace(name: &str, emu: &Emulator) -> Workspace {
    let ws = workspace(name, &emu.url());
    // The output keeps the data source in state, where null attributes are kept as null.
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\ndata \"inspector2fix_security_hub_control\" \"this\" {{}}\n\
         output \"id\" {{ value = {CONTROL}.id }}\n"
    ));
    ws
}

/// Applies (the data source reads) and returns Terraform's output text and the data source's
/// attributes, each of which must be there (null ones as null).
fn read(ws: &Workspace) -> (String, Attrs) {
    let out = ws.apply().ok().all();
    (out, ws.state_of(CONTROL))
}

#[test]
fn a_control_disabled_everywhere_reads_disabled_with_its_reason_and_enabled_again_reads_its_findings() {
    // The emulator evaluates Inspector.2 for HOME from its Inspector state: ECR is off, so FAILED.
    let emu = Emulator::start();
    let ws = control_workspace("control-disabled", &emu);
    let (out, o) = read(&ws);
    assert_eq!(o["compliance_status"], json!("FAILED"));
    assert_eq!(
        (&o["control_enabled"], &o["disabled_reason"], &o["failed_count"]),
        (&json!(true), &json!(null), &json!(1))
    );
    // HOME is not Security Hub's administrator (InvalidAccessException): the configuration type is
    // null, and that answer needs no warning.
    assert_eq!(o["configuration_type"], json!(null));
    assert!(!out.contains("configuration type"), "{out}");
    no_backtrace(&out);
    // Refused by IAM: null again, with a warning naming the permission.
    emu.fault(json!({"kind": "access_denied", "operation": "DescribeOrganizationConfiguration"}));
    let (out, o) = read(&ws);
    assert_eq!(o["configuration_type"], json!(null));
    assert!(out.contains("Warning: Cannot read Security Hub's configuration type"), "{out}");
    assert!(out.contains("securityhub:DescribeOrganizationConfiguration"), "{out}");
    emu.clear_faults();

    // Disabled in every enabled standard, as a central configuration policy does.
    assert!(emu.set_inspector2_association_in(US_EAST_1, HOME, false, Some(REASON)));
    let (_, o) = read(&ws);
    assert_eq!(o["compliance_status"], json!("DISABLED"), "a disabled control is not PASSED, FAILED or NO_DATA");
    assert_eq!(
        (&o["control_enabled"], &o["disabled_reason"], &o["failed_count"]),
        (&json!(false), &json!(REASON), &json!(0))
    );
    assert!(emu.count("ListStandardsControlAssociations") >= 1);

    // Disabled in one of two standards only: still enabled, and judged by its findings.
    emu.set_standards_in(US_EAST_1, HOME, &["aws-foundational-security-best-practices/v/1.0.0", "nist-800-53/v/5.0.0"]);
    let view = emu.control("GET", &format!("/_emulator/securityhub/associations/{HOME}?region={US_EAST_1}"), None);
    assert_eq!(field(&view, "control_disabled"), &json!(false), "a newly enabled standard enables it: {view}");
    let (_, o) = read(&ws);
    assert_eq!(
        (&o["control_enabled"], &o["compliance_status"], &o["disabled_reason"]),
        (&json!(true), &json!("FAILED"), &json!(null))
    );

    assert!(!emu.set_inspector2_association_in(US_EAST_1, HOME, true, None));
    let (_, o) = read(&ws);
    assert_eq!(
        (&o["control_enabled"], &o["compliance_status"], &o["disabled_reason"]),
        (&json!(true), &json!("FAILED"), &json!(null))
    );
}

#[test]
fn the_security_hub_administrator_reads_the_configuration_type_without_a_warning() {
    let emu = Emulator::start();
    let body = json!({"configuration_type": "CENTRAL", "admin": HOME});
    emu.control("PUT", &format!("/_emulator/securityhub/organization?region={US_EAST_1}"), Some(body));
    let ws = control_workspace("control-central", &emu);
    let (out, o) = read(&ws);
    assert_eq!(o["configuration_type"], json!("CENTRAL"));
    assert!(!out.contains("Warning: Cannot"), "{out}");
    emu.set_securityhub_configuration_in(US_EAST_1, "LOCAL");
    let (_, o) = read(&ws);
    assert_eq!(o["configuration_type"], json!("LOCAL"));
}

#[test]
fn a_suppression_of_a_disabled_control_warns_at_plan_and_applies_without_error() {
    let emu = Emulator::start();
    assert!(emu.set_inspector2_association_in(US_EAST_1, HOME, false, Some(REASON)));
    let ws = workspace("suppress-disabled", &emu.url());
    ws.config(
        "provider \"inspector2fix\" {}\n\nresource \"inspector2fix_control_suppression\" \"this\" {\n  reason = \"Owners declined\"\n}\n",
    );
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    let out = plan.all();
    assert!(out.contains("Warning: Nothing to suppress: the control is disabled"), "{out}");
    assert!(out.contains(REASON), "the warning says why: {out}");
    assert!(out.contains("nothing to suppress, and it is neither PASSED nor FAILED"), "{out}");
    no_backtrace(&out);
    ws.apply().ok();
    let s = ws.state_of("inspector2fix_control_suppression.this");
    assert_eq!(s["finding_ids"], json!([]), "nothing was suppressed");
    emu.assert_no_call("BatchUpdateFindings", "a disabled control has no findings to update");

    // Enabled again: no warning, and its new finding is suppressed on the next apply.
    assert!(!emu.set_inspector2_association_in(US_EAST_1, HOME, true, None));
    let out = ws.apply().ok().all();
    assert!(!out.contains("Nothing to suppress"), "{out}");
    let s = ws.state_of("inspector2fix_control_suppression.this");
    let owned = s["finding_ids"].as_array().unwrap_or_else(|| panic!("finding_ids is not a list: {s:?}"));
    assert_eq!(owned.len(), 1, "the evaluated finding is suppressed once the control is enabled: {owned:?}");
}

#[test]
fn a_refused_association_read_is_null_with_a_warning_and_compliance_from_the_findings() {
    let emu = Emulator::start();
    emu.fault(json!({"kind": "access_denied", "operation": "ListStandardsControlAssociations", "times": 1}));
    let ws = control_workspace("control-refused", &emu);
    let (out, o) = read(&ws);
    assert_eq!((&o["control_enabled"], &o["disabled_reason"]), (&json!(null), &json!(null)));
    assert_eq!(o["compliance_status"], json!("FAILED"), "judged by its findings, never guessed DISABLED");
    assert!(out.contains("Warning: Cannot tell whether the control is enabled"), "{out}");
    assert!(out.contains("securityhub:ListStandardsControlAssociations"), "{out}");
    assert!(out.contains("AccessDeniedException"), "{out}");
    no_backtrace(&out);

    // A failure that is not a refusal is an error, not a null.
    emu.fault(json!({"kind": "validation_error", "operation": "ListStandardsControlAssociations", "message": "broken", "times": 1}));
    let out = ws.apply().failed().all();
    assert!(out.contains("ListStandardsControlAssociations"), "{out}");
    no_backtrace(&out);
}

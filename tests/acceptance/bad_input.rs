//! Smaller defects of issue 17, section 5, with the real Terraform: a null account id, prices
//! that would overflow the estimate, and association hints that name the attribute used.

use serde_json::json;

use crate::harness::*;

const ADMIN: &str = "111111111111";
const MEMBER: &str = "222222222222";
const OUTSIDER: &str = "666666666666";

/// `account_ids = ["111111111111", null]` used to plan `+ null` and reach apply as "a bug in the
/// provider"; a null label in `accounts` likewise. Both fail `terraform validate`, naming the
/// attribute, with no AWS call.
#[test]
fn a_null_account_id_or_label_fails_validate_naming_the_attribute() {
    let emu = Emulator::start();
    for (body, attribute, expected) in [
        (format!("account_ids = [\"{ADMIN}\", null]"), "account_ids", "account_ids: 1 element(s) are null ([1])"),
        (
            format!("accounts = {{ \"{ADMIN}\" = \"audit\", \"{MEMBER}\" = null }}"),
            "accounts",
            "accounts: 1 account(s) have a null label",
        ),
    ] {
        let ws = workspace("null-account", &emu.url());
        ws.config(&format!(
            "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  {body}\n}}\n"
        ));
        for run in [ws.tf(&["validate", "-no-color"]), ws.plan()] {
            let out = run.failed().all().split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(out.contains(expected), "{attribute}: {out}");
            assert!(!out.contains("bug in the provider"), "{out}");
            no_backtrace(&out);
        }
    }
    assert_eq!(emu.aws_calls(), 0, "bad input makes no AWS call");
}

/// Prices of 9e12 USD: refused at validate and plan naming each attribute, never a panic and never
/// a wrapped figure (the release build answered 6.47e25 for 4.05e26).
#[test]
fn estimate_prices_of_9e12_fail_naming_each_attribute_without_a_call() {
    let emu = Emulator::start();
    let ws = workspace("estimate-overflow", &emu.url());
    ws.config(
        "provider \"inspector2fix\" {}\n\ndata \"inspector2fix_ecr_scan_estimate\" \"this\" {\n  \
         price_per_image_scan        = 9e12\n  price_per_rescan            = 9e12\n  \
         rescans_per_image_per_month = 9e12\n}\n\noutput \"cost\" { value = data.inspector2fix_ecr_scan_estimate.this.estimated_monthly_cost }\n",
    );
    let out = ws.plan().failed().all().split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "price_per_image_scan: 9000000000000 is more than 1000000",
        "price_per_rescan: 9000000000000 is more than 1000000",
        "rescans_per_image_per_month: 9000000000000 is more than 100000",
    ] {
        assert!(out.contains(expected), "{expected}: {out}");
    }
    assert!(!out.contains("panicked"), "{out}");
    no_backtrace(&out);
    assert_eq!(emu.aws_calls(), 0, "bad input makes no AWS call");
}

/// An account outside the organization, named in `accounts`: the hint says to remove it from
/// `accounts`, the attribute the user wrote, not from `account_ids`.
#[test]
fn association_hints_name_the_accounts_map_when_it_was_used() {
    let emu = Emulator::start();
    emu.put_config(json!({"credentials": {"AKIDADMIN": ADMIN}, "delegated_admin": ADMIN, "members": [MEMBER]}));
    let mut ws = workspace("hint-accounts", &emu.url());
    ws.access_key = "AKIDADMIN".into();
    ws.config(&format!(
        "provider \"inspector2fix\" {{}}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {{\n  accounts = {{\n    \
         \"{ADMIN}\" = \"admin\"\n    \"{OUTSIDER}\" = \"not ours\"\n  }}\n  associate_members = true\n}}\n"
    ));
    let out = ws.apply().failed().all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains(&format!("{OUTSIDER}: ValidationException")), "{out}");
    assert!(out.contains("or remove it from accounts"), "{out}");
    assert!(!out.contains("remove it from account_ids"), "{out}");
    assert_eq!(emu.resource_state(ADMIN, "ECR"), "ENABLED", "the others are enabled");
}

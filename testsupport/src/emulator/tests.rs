//! Self-tests: the strict reads fail on what a lax read would have turned into 0 or DISABLED.

use serde_json::{json, Value};

use super::*;

fn log_json(counts: Value, log: Value) -> Value {
    json!({"counts": counts, "log": log, "dropped": 0})
}

fn entry(op: &str) -> Value {
    json!({"seq": 1, "service": "inspector2", "operation": op, "http_status": 200, "at_ms": 5})
}

#[test]
fn counts_come_from_the_counts_map_and_agree_with_the_log() {
    let r = Requests::parse(&log_json(json!({"Enable": 1, "Disable": 0}), json!([entry("Enable")]))).unwrap();
    assert_eq!(r.count("Enable"), 1);
    assert_eq!(r.count("Disable"), 0);
    assert_eq!(r.calls("Enable").len(), 1);
    assert_eq!(r.nonzero_counts(), BTreeMap::from([("Enable".to_owned(), 1)]));
}

#[test]
fn an_operation_without_a_counter_is_zero_only_with_a_complete_log() {
    let r = Requests::parse(&log_json(json!({}), json!([]))).unwrap();
    assert_eq!(r.count("Disable"), 0);
}

#[test]
#[should_panic(expected = "no count of Disable")]
fn an_operation_without_a_counter_fails_when_entries_were_dropped() {
    let r = Requests::parse(&json!({"counts": {"Enable": 9}, "log": [], "dropped": 9})).unwrap();
    r.count("Disable");
}

#[test]
#[should_panic(expected = "unknown operation \"Disabel\"")]
fn a_misspelled_operation_fails_the_count() {
    Requests::parse(&log_json(json!({"Disable": 0}), json!([]))).unwrap().count("Disabel");
}

#[test]
#[should_panic(expected = "unknown operation \"enable\"")]
fn a_misspelled_operation_fails_the_call_list() {
    Requests::parse(&log_json(json!({}), json!([]))).unwrap().calls("enable");
}

#[test]
fn a_log_without_counts_log_or_operation_names_is_unreadable() {
    let cases = [
        (json!({"log": [], "dropped": 0}), "no counts object"),
        (json!({"counts": [], "log": [], "dropped": 0}), "no counts object"),
        (json!({"counts": {"Enable": "1"}, "log": [], "dropped": 0}), "count of Enable"),
        (json!({"counts": {}, "dropped": 0}), "no log array"),
        (json!({"counts": {}, "log": []}), "no dropped counter"),
        (json!("not found"), "not an object"),
        (
            log_json(json!({"Enable": 1}), json!([{"seq": 1, "service": "s", "http_status": 200, "at_ms": 1}])),
            "without operation",
        ),
        (log_json(json!({"Enable": 1}), json!([{"operation": "Enable"}])), "without seq"),
        (log_json(json!({"Enable": 2}), json!([entry("Enable")])), "disagree"),
        (log_json(json!({}), json!([entry("Enable")])), "disagree"),
    ];
    for (v, why) in cases {
        let err = Requests::parse(&v).expect_err(&format!("should be unreadable: {v}"));
        assert!(err.contains(why), "{v}: {err}");
    }
}

#[test]
fn the_emulator_reads_strictly_end_to_end() {
    let emu = Emulator::start();
    assert_eq!(emu.count("Disable"), 0);
    assert_eq!(emu.aws_calls(), 0);
    assert_eq!(emu.resource_state("123456789012", "ECR"), "DISABLED");
    emu.set_account("123456789012", json!({"resource_state": {"ECR": "ENABLED"}}));
    assert_eq!(emu.resource_state("123456789012", "ECR"), "ENABLED");
    assert_eq!(emu.ecr_enabled_count(), 1);
    emu.clear_log();
    emu.clear_faults();
}

#[test]
#[should_panic(expected = "unknown operation \"Disabel\"")]
fn the_emulator_count_fails_on_a_misspelled_operation() {
    Emulator::start().count("Disabel");
}

#[test]
#[should_panic(expected = "no scan type \"ECRR\"")]
fn the_emulator_resource_state_fails_on_a_misspelled_scan_type() {
    Emulator::start().resource_state("123456789012", "ECRR");
}

#[test]
#[should_panic(expected = "no field \"resource_state\"")]
fn a_status_read_fails_when_the_field_is_missing() {
    resource_status(&json!({"account_id": "123456789012", "resource_states": {"ECR": "ENABLED"}}), "ECR");
}

#[test]
#[should_panic(expected = "not an Inspector status")]
fn a_status_read_fails_on_a_value_that_is_not_a_status() {
    resource_status(&json!({"resource_state": {"ECR": null}}), "ECR");
}

#[test]
#[should_panic(expected = "PUT /_emulator/config")]
fn a_control_call_that_is_refused_fails() {
    Emulator::start().put_config(json!({"no_such_setting": 1}));
}

#[test]
#[should_panic(expected = "GET /_emulator/nope")]
fn a_control_call_to_an_unknown_endpoint_fails() {
    Emulator::start().control("GET", "/_emulator/nope", None);
}

#[test]
fn control_raw_hands_back_the_status() {
    let reply = Emulator::start().control_raw("GET", "/_emulator/accounts/123", None);
    assert_eq!(reply.status, 400);
    assert!(field(&reply.body, "error").is_string());
}

#[test]
fn calls_are_counted_per_region() {
    let mut eu = entry("Enable");
    eu["region"] = json!("eu-west-1");
    let mut us = entry("Enable");
    us["region"] = json!("us-east-1");
    let r = Requests::parse(&log_json(json!({"Enable": 3}), json!([eu.clone(), us, eu]))).unwrap();
    assert_eq!(r.count_in("eu-west-1", "Enable"), 2);
    assert_eq!(r.count_in("us-east-1", "Enable"), 1);
    assert_eq!(r.count_in("ap-south-1", "Enable"), 0);
}

#[test]
#[should_panic(expected = "log entry without region")]
fn a_count_per_region_fails_on_an_entry_without_region() {
    Requests::parse(&log_json(json!({"Enable": 1}), json!([entry("Enable")]))).unwrap().count_in("us-east-1", "Enable");
}

#[test]
#[should_panic(expected = "were dropped")]
fn a_count_per_region_fails_when_entries_were_dropped() {
    Requests::parse(&json!({"counts": {"Enable": 9}, "log": [], "dropped": 9}))
        .unwrap()
        .count_in("us-east-1", "Enable");
}

#[test]
fn account_state_is_per_region_end_to_end() {
    let emu = Emulator::start();
    emu.set_account_in("eu-west-1", "123456789012", json!({"resource_state": {"ECR": "ENABLED"}}));
    assert_eq!(emu.resource_state_in("eu-west-1", "123456789012", "ECR"), "ENABLED");
    assert_eq!(emu.resource_state("123456789012", "ECR"), "DISABLED");
    assert_eq!(str_field(&emu.account_in("eu-west-1", "123456789012"), "status"), "ENABLED");
    assert_eq!((emu.ecr_enabled_count_in("eu-west-1"), emu.ecr_enabled_count()), (1, 0));
    assert!(emu.stored_findings_in("eu-west-1", "123456789012").is_empty());
}

#[test]
fn organization_helpers_end_to_end() {
    let emu = Emulator::start();
    emu.set_organization_in("eu-west-1", json!({"delegated_admin": "111111111111", "auto_enable": {"ecr": true}}));
    let ids = emu.join_in("eu-west-1", json!({"count": 3, "first_account_id": "200000000000"}));
    assert_eq!(ids, ["200000000000", "200000000001", "200000000002"]);
    assert_eq!(emu.relationship_in("eu-west-1", "200000000001"), "ENABLED");
    emu.set_member_in("eu-west-1", "200000000001", "ACCOUNT_SUSPENDED");
    assert_eq!(emu.relationship_in("eu-west-1", "200000000001"), "ACCOUNT_SUSPENDED");
    assert_eq!(field(&emu.organization_in("us-east-1"), "members"), &json!([]));
}

#[test]
#[should_panic(expected = "is not in the organization in eu-west-1")]
fn a_relationship_read_fails_for_an_account_outside_the_organization() {
    Emulator::start().relationship_in("eu-west-1", "200000000000");
}

#[test]
fn calls_of_a_shared_name_are_told_apart_by_service() {
    let mut hub = entry("DescribeOrganizationConfiguration");
    hub["service"] = json!("securityhub");
    let log = json!([entry("DescribeOrganizationConfiguration"), hub.clone(), hub]);
    let r = Requests::parse(&log_json(json!({"DescribeOrganizationConfiguration": 3}), log)).unwrap();
    assert_eq!(r.count_of("securityhub", "DescribeOrganizationConfiguration"), 2);
    assert_eq!(r.count_of("inspector2", "DescribeOrganizationConfiguration"), 1);
    assert_eq!(r.count_of("organizations", "DescribeOrganizationConfiguration"), 0);
}

use super::*;
use crate::aws::securityhub::api::{AssociationStatus, ControlAssociation, RecordState};

fn query() -> FindingQuery {
    FindingQuery { control_id: "Inspector.2".into(), account_id: None, region: Some("us-east-1".into()) }
}

fn failed_finding() -> Finding {
    Finding {
        id: "f1".into(),
        account_id: "123456789012".into(),
        region: "us-east-1".into(),
        compliance_status: Some("FAILED".into()),
        workflow_status: Some("NEW".into()),
        record_state: Some(RecordState::Active),
        ..Finding::default()
    }
}

fn enablement(statuses: &[(&str, Option<&str>)]) -> Option<Enablement> {
    let associations = statuses
        .iter()
        .enumerate()
        .map(|(i, (status, reason))| ControlAssociation {
            standards_arn: format!("arn:aws:securityhub:us-east-1::standards/s{i}"),
            status: Some(AssociationStatus::from(*status)),
            updated_reason: reason.map(str::to_owned),
        })
        .collect();
    Some(Enablement { control_id: "Inspector.2".into(), associations })
}

#[test]
fn a_control_disabled_everywhere_is_disabled_not_passed_failed_or_no_data() {
    let governance = Governance {
        enablement: enablement(&[("DISABLED", Some("ECR is not used")), ("DISABLED", None)]),
        configuration_type: Some(Some(ConfigurationType::Central)),
    };
    for findings in [vec![], vec![failed_finding()]] {
        let s = state(query(), Control::default(), &findings, &governance);
        assert_eq!(s.compliance_status, Value::Value("DISABLED".into()));
        assert_eq!(s.control_enabled, Value::Value(false));
        assert_eq!(s.disabled_reason, Value::Value("ECR is not used".into()));
        assert_eq!(s.configuration_type, Value::Value("CENTRAL".into()));
        assert_eq!(s.failed_count, Value::Value(findings.len() as i64), "the counts still say what was found");
    }
}

#[test]
fn an_enabled_control_is_judged_by_its_findings() {
    let governance = Governance {
        enablement: enablement(&[("DISABLED", Some("not here")), ("ENABLED", None)]),
        configuration_type: Some(Some(ConfigurationType::Local)),
    };
    let s = state(query(), Control::default(), &[failed_finding()], &governance);
    assert_eq!(s.compliance_status, Value::Value("FAILED".into()));
    assert_eq!((s.control_enabled, s.disabled_reason), (Value::Value(true), Value::Null));
    assert_eq!(s.configuration_type, Value::Value("LOCAL".into()));
}

/// Refused reads are null, never a guess, and the compliance falls back to the findings alone.
#[test]
fn refused_reads_are_null() {
    let s = state(query(), Control::default(), &[], &Governance::default());
    assert_eq!(s.compliance_status, Value::Value("NO_DATA".into()));
    assert_eq!((s.control_enabled, s.disabled_reason, s.configuration_type), (Value::Null, Value::Null, Value::Null));
    let read_without_type = Governance { enablement: enablement(&[("ENABLED", None)]), configuration_type: Some(None) };
    let s = state(query(), Control::default(), &[], &read_without_type);
    assert_eq!(s.configuration_type, Value::Null);
}

#[tokio::test]
async fn a_refused_read_is_a_warning_naming_the_permission_and_a_failure_an_error() {
    use crate::domain::findings::fake::{error, FakeSecurityHub};
    let hub = FakeSecurityHub::default();
    {
        let mut world = hub.inner.lock().unwrap();
        let list = "ListStandardsControlAssociations";
        world.call_errors.entry(list).or_default().push_back(error(list, "AccessDeniedException"));
        let describe = "DescribeOrganizationConfiguration";
        world.call_errors.entry(describe).or_default().push_back(error(describe, "AccessDeniedException"));
    }
    let mut diags = Diagnostics::default();
    let g = governance(&mut diags, &hub, "Inspector.2").await.unwrap();
    assert_eq!(g, Governance::default());
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!(diags.warnings.len(), 2, "{:?}", diags.warnings);
    assert!(diags.warnings[0].detail.contains("securityhub:ListStandardsControlAssociations"));
    assert!(diags.warnings[1].detail.contains("securityhub:DescribeOrganizationConfiguration"));

    // Not the Security Hub administrator: Security Hub's own answer, null with no warning.
    let op = "DescribeOrganizationConfiguration";
    hub.inner.lock().unwrap().call_errors.entry(op).or_default().push_back(error(op, "InvalidAccessException"));
    let mut diags = Diagnostics::default();
    let g = governance(&mut diags, &hub, "Inspector.2").await.unwrap();
    assert_eq!(g.configuration_type, None);
    assert!(diags.errors.is_empty() && diags.warnings.is_empty(), "{:?}", diags.warnings);

    hub.inner.lock().unwrap().call_errors.entry(op).or_default().push_back(error(op, "InternalException"));
    let mut diags = Diagnostics::default();
    let e = governance(&mut diags, &hub, "Inspector.2").await.expect_err("a failed read is an error");
    assert_eq!(e.operation, "DescribeOrganizationConfiguration");
}

#[test]
fn the_schema_documents_disabled_beside_the_other_values() {
    let b = SecurityHubControl::schema_block();
    let compliance = &b.attributes["compliance_status"].description.content;
    for value in ["`DISABLED`", "`FAILED`", "`PASSED`", "`UNKNOWN`", "`NO_DATA`"] {
        assert!(compliance.contains(value), "{value} missing from {compliance}");
    }
    assert_eq!(b.attributes["control_enabled"].attr_type, T::Bool);
    assert!(b.attributes["configuration_type"].description.content.contains("`CENTRAL`"));
}

use super::*;
use crate::aws::securityhub::api::HubOrganizationConfiguration;
use crate::domain::findings::fake::{error, FakeSecurityHub, CONTROL};

const FSBP: &str = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";
const NIST: &str = "arn:aws:securityhub:us-east-1::standards/nist-800-53/v/5.0.0";

fn association(standard: &str, status: &str, reason: Option<&str>) -> ControlAssociation {
    ControlAssociation {
        standards_arn: standard.into(),
        status: Some(status.into()),
        updated_reason: reason.map(str::to_owned),
    }
}

fn hub_with(associations: Vec<ControlAssociation>) -> FakeSecurityHub {
    let hub = FakeSecurityHub::default();
    hub.inner.lock().unwrap().associations.insert(CONTROL.into(), associations);
    hub
}

async fn known(hub: &FakeSecurityHub) -> Enablement {
    match enablement(hub, CONTROL).await.unwrap() {
        Read::Known(e) => e,
        Read::Refused(e) => panic!("refused: {e}"),
    }
}

#[tokio::test]
async fn enabled_in_one_standard_is_enabled() {
    let hub = hub_with(vec![association(NIST, "DISABLED", Some("not for us")), association(FSBP, "ENABLED", None)]);
    let e = known(&hub).await;
    assert_eq!((e.enabled(), e.disabled_reason()), (Some(true), None));
    assert_eq!(e.associations[0].standards_arn, FSBP, "sorted by standard");
}

#[tokio::test]
async fn disabled_in_every_standard_is_disabled_with_the_recorded_reasons() {
    let hub = hub_with(vec![
        association(FSBP, "DISABLED", Some("Central policy: ECR not used")),
        association(NIST, "DISABLED", Some("Central policy: ECR not used")),
    ]);
    let e = known(&hub).await;
    assert_eq!(e.enabled(), Some(false));
    assert_eq!(e.disabled_reason().as_deref(), Some("Central policy: ECR not used"), "reasons are not repeated");

    let hub = hub_with(vec![association(FSBP, "DISABLED", Some("b")), association(NIST, "DISABLED", Some("a"))]);
    assert_eq!(known(&hub).await.disabled_reason().as_deref(), Some("a; b"));
    let hub = hub_with(vec![association(FSBP, "DISABLED", None)]);
    assert_eq!(
        known(&hub).await.disabled_reason().as_deref(),
        Some("disabled in every enabled standard, with no reason recorded")
    );
}

#[tokio::test]
async fn a_control_in_no_enabled_standard_is_disabled_and_says_why() {
    let e = known(&hub_with(vec![])).await;
    assert_eq!(e.enabled(), Some(false));
    assert_eq!(
        e.disabled_reason().as_deref(),
        Some("Inspector.2 is in none of the security standards enabled in this account")
    );
}

#[tokio::test]
async fn only_statuses_new_to_us_are_not_guessed() {
    let e = known(&hub_with(vec![association(FSBP, "PAUSED", None), association(NIST, "DISABLED", None)])).await;
    assert_eq!((e.enabled(), e.disabled_reason()), (None, None));
}

#[tokio::test]
async fn every_page_is_read() {
    let many: Vec<_> = (0..5).map(|i| association(&format!("{FSBP}{i}"), "DISABLED", None)).collect();
    let hub = hub_with(many.into_iter().chain([association(NIST, "ENABLED", None)]).collect());
    hub.inner.lock().unwrap().associations_page_size = 2;
    let e = known(&hub).await;
    assert_eq!(e.associations.len(), 6);
    assert_eq!(e.enabled(), Some(true), "the one enabled standard is on the last page");
    assert_eq!(hub.calls("ListStandardsControlAssociations").len(), 3);
}

#[tokio::test]
async fn refusals_are_reported_as_refused_and_failures_as_errors() {
    for code in ["AccessDeniedException", "InvalidAccessException"] {
        let hub = hub_with(vec![]);
        let op = "ListStandardsControlAssociations";
        hub.inner.lock().unwrap().call_errors.entry(op).or_default().push_back(error(op, code));
        let Ok(Read::Refused(e)) = enablement(&hub, CONTROL).await else { panic!("{code} is a refusal") };
        let text = enablement_refused(&e);
        assert!(text.starts_with("control_enabled, disabled_reason: null, because Security Hub refused"), "{text}");
        assert!(text.contains(LIST_PERMISSION), "{text}");
        let op = "DescribeOrganizationConfiguration";
        hub.inner.lock().unwrap().call_errors.entry(op).or_default().push_back(error(op, code));
        let Ok(Read::Refused(e)) = configuration_type(&hub).await else { panic!("{code} is a refusal") };
        let text = configuration_refused(&e);
        assert!(text.starts_with("configuration_type: null, because Security Hub refused the read"), "{text}");
        assert!(text.contains(CONFIGURATION_PERMISSION), "{text}");
    }
    let hub = hub_with(vec![]);
    let op = "ListStandardsControlAssociations";
    hub.inner.lock().unwrap().call_errors.entry(op).or_default().push_back(error(op, "InvalidInputException"));
    let e = enablement(&hub, CONTROL).await.expect_err("a failure is an error, never a guess");
    assert_eq!(e.code.as_deref(), Some("InvalidInputException"));
    let op = "DescribeOrganizationConfiguration";
    hub.inner.lock().unwrap().call_errors.entry(op).or_default().push_back(error(op, "InternalException"));
    assert!(configuration_type(&hub).await.is_err(), "a failure is an error, never a guess");
}

#[tokio::test]
async fn the_configuration_type_is_read_as_security_hub_answers() {
    let hub = FakeSecurityHub::default();
    for answer in [Some(ConfigurationType::Central), Some(ConfigurationType::Local), None] {
        hub.inner.lock().unwrap().hub_configuration =
            HubOrganizationConfiguration { configuration_type: answer.clone() };
        assert_eq!(configuration_type(&hub).await.unwrap(), Read::Known(answer));
    }
}

#[tokio::test]
async fn a_suppression_warning_only_for_a_control_disabled_everywhere() {
    let disabled = known(&hub_with(vec![association(FSBP, "DISABLED", Some(REASON))])).await;
    let text = nothing_to_suppress(&disabled, "eu-west-1").expect("a warning");
    assert!(
        text.starts_with(
            "control_id: Security Hub reports Inspector.2 disabled in eu-west-1 for this account (No ECR here)."
        ),
        "{text}"
    );
    assert!(text.contains("there is nothing to suppress"), "{text}");
    let enabled = known(&hub_with(vec![association(FSBP, "DISABLED", None), association(NIST, "ENABLED", None)])).await;
    assert_eq!(nothing_to_suppress(&enabled, "eu-west-1"), None);
    let unknown = known(&hub_with(vec![association(FSBP, "PAUSED", None)])).await;
    assert_eq!(nothing_to_suppress(&unknown, "eu-west-1"), None, "an unknown status is not a reason to warn");
}

const REASON: &str = "No ECR here";

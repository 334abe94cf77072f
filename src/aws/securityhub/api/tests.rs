use super::*;

#[test]
fn known_values_decode_and_encode_unchanged() {
    for wire in ["PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"] {
        let status = ComplianceStatus::from(wire);
        assert!(!matches!(status, ComplianceStatus::Unknown(_)), "{wire}");
        assert_eq!(status.as_str(), wire);
    }
    for wire in ["NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"] {
        let status = WorkflowStatus::from(wire);
        assert!(!matches!(status, WorkflowStatus::Unknown(_)), "{wire}");
        assert_eq!(status.to_string(), wire);
    }
    assert_eq!(RecordState::from("ACTIVE"), RecordState::Active);
    assert_eq!(RecordState::from("ARCHIVED"), RecordState::Archived);
}

#[test]
fn a_new_aws_value_is_kept_not_rejected() {
    assert_eq!(WorkflowStatus::from("ESCALATED"), WorkflowStatus::Unknown("ESCALATED".into()));
    assert_eq!(WorkflowStatus::from("ESCALATED").as_str(), "ESCALATED");
    assert_eq!(ComplianceStatus::from("passed"), ComplianceStatus::Unknown("passed".into()));
    assert_eq!(RecordState::from("DELETED").to_string(), "DELETED");
}

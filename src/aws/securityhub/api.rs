//! The Security Hub side of the AWS boundary: the [`SecurityHubApi`] trait the domain code uses,
//! and the typed values it speaks. AWS strings are decoded once, here, into enums that keep any
//! value they do not know, so a new AWS value never breaks a read.

use async_trait::async_trait;

use crate::aws::wire::wire_enum;
use crate::aws::AwsError;

wire_enum!(
    /// A finding's `Compliance.Status`.
    pub enum ComplianceStatus {
        Passed = "PASSED",
        Warning = "WARNING",
        Failed = "FAILED",
        NotAvailable = "NOT_AVAILABLE",
    }
);

wire_enum!(
    /// A finding's `Workflow.Status`.
    pub enum WorkflowStatus {
        New = "NEW",
        Notified = "NOTIFIED",
        Resolved = "RESOLVED",
        Suppressed = "SUPPRESSED",
    }
);

wire_enum!(
    /// A finding's `RecordState`.
    pub enum RecordState {
        Active = "ACTIVE",
        Archived = "ARCHIVED",
    }
);

/// A Security Hub security control (BatchGetSecurityControls).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub remediation_url: String,
    /// ENABLED / DISABLED: whether the control is enabled, not whether it passes.
    pub status: String,
}

/// The parts of an AwsSecurityFinding the provider uses. A status AWS left out is `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Finding {
    pub id: String,
    pub product_arn: String,
    pub account_id: String,
    pub region: String,
    pub resource_id: String,
    pub compliance_status: Option<ComplianceStatus>,
    pub workflow_status: Option<WorkflowStatus>,
    pub record_state: Option<RecordState>,
    pub updated_at: String,
    pub note_text: Option<String>,
    pub note_updated_by: Option<String>,
}

impl Finding {
    pub fn is_suppressed(&self) -> bool {
        self.workflow_status == Some(WorkflowStatus::Suppressed)
    }

    /// The identifier BatchUpdateFindings takes.
    pub fn reference(&self) -> FindingRef {
        FindingRef { id: self.id.clone(), product_arn: self.product_arn.clone() }
    }
}

/// Which findings to list: ACTIVE findings of one control, optionally of one account, and of
/// one Region (the finding's `Region`), so an aggregation Region does not mix in other Regions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingQuery {
    pub control_id: String,
    pub account_id: Option<String>,
    pub region: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingsPage {
    pub findings: Vec<Finding>,
    pub next_token: Option<String>,
}

/// A finding as BatchUpdateFindings names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingRef {
    pub id: String,
    pub product_arn: String,
}

/// The note BatchUpdateFindings writes: its text and who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteUpdate {
    pub text: String,
    pub updated_by: String,
}

/// What BatchUpdateFindings changes on each finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingUpdate {
    pub workflow_status: Option<WorkflowStatus>,
    pub note: Option<NoteUpdate>,
}

/// A finding BatchUpdateFindings did not process, with Security Hub's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnprocessedFinding {
    pub id: String,
    pub error_code: String,
    pub error_message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateOutcome {
    pub processed: Vec<String>,
    pub unprocessed: Vec<UnprocessedFinding>,
}

wire_enum!(
    /// Whether a control is enabled in one standard (`AssociationStatus`).
    pub enum AssociationStatus {
        Enabled = "ENABLED",
        Disabled = "DISABLED",
    }
);

wire_enum!(
    /// How an organization configures Security Hub (`OrganizationConfiguration.ConfigurationType`).
    pub enum ConfigurationType {
        Central = "CENTRAL",
        Local = "LOCAL",
    }
);

/// A control in one of the caller's enabled standards (ListStandardsControlAssociations).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlAssociation {
    pub standards_arn: String,
    /// None when the answer carried none.
    pub status: Option<AssociationStatus>,
    /// Why the status was last changed, when someone said.
    pub updated_reason: Option<String>,
}

/// One page of ListStandardsControlAssociations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssociationsPage {
    pub associations: Vec<ControlAssociation>,
    pub next_token: Option<String>,
}

/// Security Hub's DescribeOrganizationConfiguration, the part the provider reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HubOrganizationConfiguration {
    /// None when the answer carried none.
    pub configuration_type: Option<ConfigurationType>,
}

#[async_trait]
pub trait SecurityHubApi: Send + Sync {
    /// The control, or None when Security Hub does not know the id.
    async fn control(&self, control_id: &str) -> Result<Option<Control>, AwsError>;
    /// One page of GetFindings (at most 100) for the query.
    async fn findings_page(&self, query: &FindingQuery, next_token: Option<String>) -> Result<FindingsPage, AwsError>;
    /// BatchUpdateFindings for at most 100 findings.
    async fn update_findings(&self, findings: &[FindingRef], update: &FindingUpdate)
        -> Result<UpdateOutcome, AwsError>;
    /// One page of ListStandardsControlAssociations (at most 100): the control in each standard
    /// the caller has enabled.
    async fn control_associations_page(
        &self,
        control_id: &str,
        next_token: Option<String>,
    ) -> Result<AssociationsPage, AwsError>;
    /// Security Hub's DescribeOrganizationConfiguration (its administrator's call).
    async fn organization_configuration(&self) -> Result<HubOrganizationConfiguration, AwsError>;
}

#[cfg(test)]
mod tests;

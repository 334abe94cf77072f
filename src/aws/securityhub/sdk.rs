//! [`SecurityHubApi`] on the AWS SDK for Rust. SDK types stop here: findings leave as
//! [`Finding`]s with their statuses decoded.

use async_trait::async_trait;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, AwsSecurityFindingIdentifier, BatchUpdateFindingsUnprocessedFinding,
    NoteUpdate as SdkNoteUpdate, SecurityControl, StringFilter, StringFilterComparison, UnprocessedSecurityControl,
    WorkflowStatus as SdkWorkflow, WorkflowUpdate,
};

use super::api::{
    AssociationStatus, AssociationsPage, ComplianceStatus, ConfigurationType, Control, ControlAssociation, Finding,
    FindingQuery, FindingRef, FindingUpdate, FindingsPage, HubOrganizationConfiguration, RecordState, SecurityHubApi,
    UnprocessedFinding, UpdateOutcome, WorkflowStatus,
};
use crate::aws::errors::ErrorContext;
use crate::aws::{AwsError, ErrorClass};

pub struct SdkSecurityHub {
    pub client: aws_sdk_securityhub::Client,
    pub context: ErrorContext,
}

fn equals(value: &str) -> StringFilter {
    StringFilter::builder().value(value).comparison(StringFilterComparison::Equals).build()
}

fn finding(f: &AwsSecurityFinding) -> Finding {
    let s = |v: Option<&str>| v.unwrap_or_default().to_owned();
    Finding {
        id: s(f.id()),
        product_arn: s(f.product_arn()),
        account_id: s(f.aws_account_id()),
        region: s(f.region()),
        resource_id: f.resources().first().and_then(|r| r.id()).unwrap_or_default().to_owned(),
        compliance_status: f.compliance().and_then(|c| c.status()).map(|s| ComplianceStatus::from(s.as_str())),
        workflow_status: f.workflow().and_then(|w| w.status()).map(|s| WorkflowStatus::from(s.as_str())),
        record_state: f.record_state().map(|s| RecordState::from(s.as_str())),
        updated_at: s(f.updated_at()),
        note_text: f.note().and_then(|n| n.text()).map(str::to_owned),
        note_updated_by: f.note().and_then(|n| n.updated_by()).map(str::to_owned),
    }
}

fn control(id: &str, c: &SecurityControl) -> Control {
    Control {
        id: id.to_owned(),
        title: c.title().unwrap_or_default().to_owned(),
        severity: c.severity_rating().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        remediation_url: c.remediation_url().unwrap_or_default().to_owned(),
        status: c.security_control_status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
    }
}

/// The control as BatchGetSecurityControls answered it: None only when Security Hub says it does
/// not know the id (NOT_FOUND, RESOURCE_NOT_FOUND, INVALID_INPUT, or not listed at all). An id it
/// left unprocessed for another reason (ACCESS_DENIED, LIMIT_EXCEEDED, ...) is an error naming
/// that reason, never an unknown control.
fn answered_control(
    control_id: &str,
    controls: &[SecurityControl],
    unprocessed: &[UnprocessedSecurityControl],
) -> Result<Option<Control>, AwsError> {
    if let Some(c) = controls.iter().find(|c| c.security_control_id() == Some(control_id)) {
        return Ok(Some(control(control_id, c)));
    }
    let Some(refused) = unprocessed.iter().find(|u| u.security_control_id() == Some(control_id)) else {
        return Ok(None);
    };
    let code = refused.error_code().map_or("UNKNOWN", |c| c.as_str());
    if matches!(code, "NOT_FOUND" | "RESOURCE_NOT_FOUND" | "INVALID_INPUT") {
        return Ok(None);
    }
    let class = if code == "LIMIT_EXCEEDED" { ErrorClass::Retryable } else { ErrorClass::Final };
    let reason = refused.error_reason().unwrap_or("Security Hub left the control unprocessed");
    let mut e = AwsError::new("BatchGetSecurityControls", class, Some(code), format!("{control_id}: {reason}"));
    if code == "ACCESS_DENIED" {
        e.hint = Some(format!("grant securityhub:BatchGetSecurityControls on control {control_id}"));
    }
    Err(e)
}

fn unprocessed(u: &BatchUpdateFindingsUnprocessedFinding) -> UnprocessedFinding {
    UnprocessedFinding {
        id: u.finding_identifier().and_then(|f| f.id()).unwrap_or_default().to_owned(),
        error_code: u.error_code().unwrap_or_default().to_owned(),
        error_message: u.error_message().unwrap_or_default().to_owned(),
    }
}

fn association(a: &aws_sdk_securityhub::types::StandardsControlAssociationSummary) -> ControlAssociation {
    ControlAssociation {
        standards_arn: a.standards_arn().unwrap_or_default().to_owned(),
        status: a.association_status().map(|s| AssociationStatus::from(s.as_str())),
        updated_reason: a.updated_reason().filter(|r| !r.is_empty()).map(str::to_owned),
    }
}

#[async_trait]
impl SecurityHubApi for SdkSecurityHub {
    async fn control(&self, control_id: &str) -> Result<Option<Control>, AwsError> {
        let out = self
            .client
            .batch_get_security_controls()
            .security_control_ids(control_id)
            .send()
            .await
            .map_err(|e| self.context.error("BatchGetSecurityControls", &e))?;
        answered_control(control_id, out.security_controls(), out.unprocessed_ids())
    }

    async fn findings_page(&self, query: &FindingQuery, next_token: Option<String>) -> Result<FindingsPage, AwsError> {
        let mut filters = AwsSecurityFindingFilters::builder()
            .compliance_security_control_id(equals(&query.control_id))
            .record_state(equals(RecordState::Active.as_str()));
        if let Some(account) = &query.account_id {
            filters = filters.aws_account_id(equals(account));
        }
        if let Some(region) = &query.region {
            filters = filters.region(equals(region));
        }
        let out = self
            .client
            .get_findings()
            .filters(filters.build())
            .max_results(100)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| self.context.error("GetFindings", &e))?;
        Ok(FindingsPage {
            findings: out.findings().iter().map(finding).collect(),
            next_token: out.next_token().filter(|t| !t.is_empty()).map(str::to_owned),
        })
    }

    async fn update_findings(
        &self,
        findings: &[FindingRef],
        update: &FindingUpdate,
    ) -> Result<UpdateOutcome, AwsError> {
        let ids = findings
            .iter()
            .map(|f| AwsSecurityFindingIdentifier::builder().id(&f.id).product_arn(&f.product_arn).build())
            .collect();
        let mut req = self.client.batch_update_findings().set_finding_identifiers(Some(ids));
        if let Some(status) = &update.workflow_status {
            req = req.workflow(WorkflowUpdate::builder().status(SdkWorkflow::from(status.as_str())).build());
        }
        if let Some(note) = &update.note {
            req = req.note(SdkNoteUpdate::builder().text(&note.text).updated_by(&note.updated_by).build());
        }
        let out = req.send().await.map_err(|e| self.context.error("BatchUpdateFindings", &e))?;
        Ok(UpdateOutcome {
            processed: out.processed_findings().iter().filter_map(|f| f.id().map(str::to_owned)).collect(),
            unprocessed: out.unprocessed_findings().iter().map(unprocessed).collect(),
        })
    }

    async fn control_associations_page(
        &self,
        control_id: &str,
        next_token: Option<String>,
    ) -> Result<AssociationsPage, AwsError> {
        let out = self
            .client
            .list_standards_control_associations()
            .security_control_id(control_id)
            .max_results(100)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| self.context.error("ListStandardsControlAssociations", &e))?;
        Ok(AssociationsPage {
            associations: out.standards_control_association_summaries().iter().map(association).collect(),
            next_token: out.next_token().filter(|t| !t.is_empty()).map(str::to_owned),
        })
    }

    async fn organization_configuration(&self) -> Result<HubOrganizationConfiguration, AwsError> {
        let out = self
            .client
            .describe_organization_configuration()
            .send()
            .await
            .map_err(|e| self.context.error("DescribeOrganizationConfiguration", &e))?;
        let configuration_type = out
            .organization_configuration()
            .and_then(|c| c.configuration_type())
            .map(|t| ConfigurationType::from(t.as_str()));
        Ok(HubOrganizationConfiguration { configuration_type })
    }
}

#[cfg(test)]
mod tests;

//! [`SecurityHubApi`] on the AWS SDK for Rust. SDK types stop here: findings leave as
//! [`Finding`]s with their statuses decoded.

use async_trait::async_trait;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, AwsSecurityFindingIdentifier, BatchUpdateFindingsUnprocessedFinding,
    NoteUpdate as SdkNoteUpdate, SecurityControl, StringFilter, StringFilterComparison, WorkflowStatus as SdkWorkflow,
    WorkflowUpdate,
};

use super::api::{
    ComplianceStatus, Control, Finding, FindingQuery, FindingRef, FindingUpdate, FindingsPage, RecordState,
    SecurityHubApi, UnprocessedFinding, UpdateOutcome, WorkflowStatus,
};
use crate::aws::errors::ErrorContext;
use crate::aws::AwsError;

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

fn unprocessed(u: &BatchUpdateFindingsUnprocessedFinding) -> UnprocessedFinding {
    UnprocessedFinding {
        id: u.finding_identifier().and_then(|f| f.id()).unwrap_or_default().to_owned(),
        error_code: u.error_code().unwrap_or_default().to_owned(),
        error_message: u.error_message().unwrap_or_default().to_owned(),
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
        let found = out.security_controls().iter().find(|c| c.security_control_id() == Some(control_id));
        Ok(found.map(|c| control(control_id, c)))
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
}

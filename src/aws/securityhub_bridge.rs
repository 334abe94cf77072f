//! TEMPORARY, delete on merge. `aws::api` and `aws::clients` still declare and hold the untyped
//! Security Hub trait, and this branch may not edit them. This file joins the two: it serves the
//! old trait from [`SdkSecurityHub`] and the new one from `Clients::securityhub`. On merge, drop the
//! Security Hub items from `api.rs`, make `Clients::securityhub` an
//! `Arc<dyn securityhub_types::SecurityHubApi>`, delete this file, and replace
//! `securityhub_bridge::api(&clients)` with `clients.securityhub.as_ref()`.

use async_trait::async_trait;

use super::api::{self, AwsError};
use super::clients::Clients;
use super::securityhub::SdkSecurityHub;
use super::securityhub_types::{
    ComplianceStatus, Control, Finding, FindingQuery, FindingRef, FindingUpdate, FindingsPage, NoteUpdate, RecordState,
    SecurityHubApi, UnprocessedFinding, UpdateOutcome, WorkflowStatus,
};

/// The typed Security Hub API of built clients.
pub fn api(clients: &Clients) -> Legacy<'_> {
    Legacy(clients.securityhub.as_ref())
}

pub struct Legacy<'a>(&'a dyn api::SecurityHubApi);

fn some_if_set<T: for<'s> From<&'s str>>(wire: &str) -> Option<T> {
    (!wire.is_empty()).then(|| T::from(wire))
}

fn typed_control(c: api::Control) -> Control {
    Control { id: c.id, title: c.title, severity: c.severity, remediation_url: c.remediation_url, status: c.status }
}

fn untyped_control(c: Control) -> api::Control {
    api::Control {
        id: c.id,
        title: c.title,
        severity: c.severity,
        remediation_url: c.remediation_url,
        status: c.status,
    }
}

fn typed_finding(f: api::Finding) -> Finding {
    Finding {
        compliance_status: some_if_set::<ComplianceStatus>(&f.compliance_status),
        workflow_status: some_if_set::<WorkflowStatus>(&f.workflow_status),
        record_state: some_if_set::<RecordState>(&f.record_state),
        id: f.id,
        product_arn: f.product_arn,
        account_id: f.account_id,
        region: f.region,
        resource_id: f.resource_id,
        updated_at: f.updated_at,
        note_text: f.note_text,
        note_updated_by: f.note_updated_by,
    }
}

fn untyped_finding(f: Finding) -> api::Finding {
    let wire = |s: Option<&str>| s.unwrap_or_default().to_owned();
    api::Finding {
        compliance_status: wire(f.compliance_status.as_ref().map(|s| s.as_str())),
        workflow_status: wire(f.workflow_status.as_ref().map(|s| s.as_str())),
        record_state: wire(f.record_state.as_ref().map(|s| s.as_str())),
        id: f.id,
        product_arn: f.product_arn,
        account_id: f.account_id,
        region: f.region,
        resource_id: f.resource_id,
        updated_at: f.updated_at,
        note_text: f.note_text,
        note_updated_by: f.note_updated_by,
    }
}

#[async_trait]
impl SecurityHubApi for Legacy<'_> {
    async fn control(&self, control_id: &str) -> Result<Option<Control>, AwsError> {
        Ok(self.0.control(control_id).await?.map(typed_control))
    }

    async fn findings_page(&self, query: &FindingQuery, next_token: Option<String>) -> Result<FindingsPage, AwsError> {
        let old = api::FindingQuery { control_id: query.control_id.clone(), account_id: query.account_id.clone() };
        let page = self.0.findings_page(&old, next_token).await?;
        Ok(FindingsPage {
            findings: page.findings.into_iter().map(typed_finding).collect(),
            next_token: page.next_token,
        })
    }

    async fn update_findings(
        &self,
        findings: &[FindingRef],
        update: &FindingUpdate,
    ) -> Result<UpdateOutcome, AwsError> {
        let ids: Vec<(String, String)> = findings.iter().map(|f| (f.id.clone(), f.product_arn.clone())).collect();
        // The old request has no author: the other side writes NOTE_AUTHOR, the only author used.
        let old = api::FindingUpdate {
            workflow_status: update.workflow_status.as_ref().map(|s| s.as_str().to_owned()),
            note: update.note.as_ref().map(|n| n.text.clone()),
        };
        let out = self.0.update_findings(&ids, &old).await?;
        let unprocessed = out.unprocessed.into_iter();
        Ok(UpdateOutcome {
            processed: out.processed,
            unprocessed: unprocessed
                .map(|(id, error_code, error_message)| UnprocessedFinding { id, error_code, error_message })
                .collect(),
        })
    }
}

#[async_trait]
impl api::SecurityHubApi for SdkSecurityHub {
    async fn control(&self, control_id: &str) -> Result<Option<api::Control>, AwsError> {
        Ok(SecurityHubApi::control(self, control_id).await?.map(untyped_control))
    }

    async fn findings_page(
        &self,
        query: &api::FindingQuery,
        next_token: Option<String>,
    ) -> Result<api::FindingsPage, AwsError> {
        let new = FindingQuery { control_id: query.control_id.clone(), account_id: query.account_id.clone() };
        let page = SecurityHubApi::findings_page(self, &new, next_token).await?;
        Ok(api::FindingsPage {
            findings: page.findings.into_iter().map(untyped_finding).collect(),
            next_token: page.next_token,
        })
    }

    async fn update_findings(
        &self,
        findings: &[(String, String)],
        update: &api::FindingUpdate,
    ) -> Result<api::UpdateOutcome, AwsError> {
        let refs: Vec<FindingRef> =
            findings.iter().map(|(id, arn)| FindingRef { id: id.clone(), product_arn: arn.clone() }).collect();
        let new = FindingUpdate {
            workflow_status: update.workflow_status.as_deref().map(WorkflowStatus::from),
            note: update
                .note
                .clone()
                .map(|text| NoteUpdate { text, updated_by: crate::suppression::NOTE_AUTHOR.into() }),
        };
        let out = SecurityHubApi::update_findings(self, &refs, &new).await?;
        Ok(api::UpdateOutcome {
            processed: out.processed,
            unprocessed: out.unprocessed.into_iter().map(|u| (u.id, u.error_code, u.error_message)).collect(),
        })
    }
}

//! A decorator that cuts every Security Hub call off at Terraform's stop. Security Hub work has
//! no `timeouts` block (each call is bounded by the SDK's operation timeout), so one Ctrl-C would
//! otherwise wait out a long listing at 3 pages a second. A stopped call fails `Final`, so the
//! domain code ends at the next call with what it reported.

use std::sync::Arc;

use crate::aws::securityhub::api::{
    AssociationsPage, Control, FindingQuery, FindingRef, FindingUpdate, FindingsPage, HubOrganizationConfiguration,
    SecurityHubApi, UpdateOutcome,
};
use crate::aws::stop::{unless_stopped, StopWatch};
use crate::aws::AwsError;

/// A [`SecurityHubApi`] whose calls end at once when `stop` fires: the call in flight, and
/// every later one, fail `Final` naming the stop.
pub struct StoppableSecurityHub {
    inner: Arc<dyn SecurityHubApi>,
    stop: Arc<dyn StopWatch>,
}

impl StoppableSecurityHub {
    pub fn new(inner: Arc<dyn SecurityHubApi>, stop: Arc<dyn StopWatch>) -> Self {
        StoppableSecurityHub { inner, stop }
    }
}

#[async_trait::async_trait]
impl SecurityHubApi for StoppableSecurityHub {
    async fn control(&self, control_id: &str) -> Result<Option<Control>, AwsError> {
        unless_stopped(&*self.stop, "BatchGetSecurityControls", self.inner.control(control_id)).await
    }

    async fn findings_page(&self, query: &FindingQuery, next_token: Option<String>) -> Result<FindingsPage, AwsError> {
        unless_stopped(&*self.stop, "GetFindings", self.inner.findings_page(query, next_token)).await
    }

    async fn update_findings(
        &self,
        findings: &[FindingRef],
        update: &FindingUpdate,
    ) -> Result<UpdateOutcome, AwsError> {
        unless_stopped(&*self.stop, "BatchUpdateFindings", self.inner.update_findings(findings, update)).await
    }

    async fn control_associations_page(
        &self,
        control_id: &str,
        next_token: Option<String>,
    ) -> Result<AssociationsPage, AwsError> {
        let call = self.inner.control_associations_page(control_id, next_token);
        unless_stopped(&*self.stop, "ListStandardsControlAssociations", call).await
    }

    async fn organization_configuration(&self) -> Result<HubOrganizationConfiguration, AwsError> {
        unless_stopped(&*self.stop, "DescribeOrganizationConfiguration", self.inner.organization_configuration()).await
    }
}

#[cfg(test)]
mod tests;

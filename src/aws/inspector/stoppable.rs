//! Decorators that cut every Inspector (and STS) call off at Terraform's stop. A call that
//! never answers would otherwise run on for the SDK's attempt and operation timeouts (20 s and
//! 60 s) after one Ctrl-C, in resources whose work has no `wait::Limit` (the rescan settings) and
//! in reads. A stopped call fails `Final`, so the domain code ends at the next call with what it
//! reported; the `wait::Limit` deadlines stay as they are.

use std::sync::Arc;

use async_trait::async_trait;

use super::api::{
    BatchOutcome, CallerApi, DelegatedAdmin, DelegatedAdminApi, DelegatedAdminPage, EcrRescanConfig, EcrScanningApi,
    InspectorApi, MembersApi, OrganizationConfigurationApi, RescanConfigurationApi,
};
use super::organization::{AutoEnable, Member, MembersPage, OrganizationConfiguration};
use crate::aws::stop::{unless_stopped, StopWatch};
use crate::aws::AwsError;

/// An [`InspectorApi`] (every narrow trait of it) whose calls end at once when `stop` fires: the
/// call in flight, and every later one, fail `Final` naming the stop.
pub struct StoppableInspector {
    inner: Arc<dyn InspectorApi>,
    stop: Arc<dyn StopWatch>,
}

impl StoppableInspector {
    pub fn new(inner: Arc<dyn InspectorApi>, stop: Arc<dyn StopWatch>) -> Self {
        StoppableInspector { inner, stop }
    }
}

#[async_trait]
impl CallerApi for StoppableInspector {
    async fn caller_account(&self) -> Result<String, AwsError> {
        unless_stopped(&*self.stop, "GetCallerIdentity", self.inner.caller_account()).await
    }
}

#[async_trait]
impl EcrScanningApi for StoppableInspector {
    async fn enable_ecr(&self, account_ids: &[String], client_token: &str) -> Result<BatchOutcome, AwsError> {
        unless_stopped(&*self.stop, "Enable", self.inner.enable_ecr(account_ids, client_token)).await
    }

    async fn disable_ecr(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError> {
        unless_stopped(&*self.stop, "Disable", self.inner.disable_ecr(account_ids)).await
    }

    async fn account_status(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError> {
        unless_stopped(&*self.stop, "BatchGetAccountStatus", self.inner.account_status(account_ids)).await
    }
}

#[async_trait]
impl RescanConfigurationApi for StoppableInspector {
    async fn ecr_rescan_configuration(&self) -> Result<EcrRescanConfig, AwsError> {
        unless_stopped(&*self.stop, "GetConfiguration", self.inner.ecr_rescan_configuration()).await
    }

    async fn update_ecr_rescan_configuration(&self, config: &EcrRescanConfig) -> Result<(), AwsError> {
        unless_stopped(&*self.stop, "UpdateConfiguration", self.inner.update_ecr_rescan_configuration(config)).await
    }
}

#[async_trait]
impl MembersApi for StoppableInspector {
    async fn list_members(&self, only_associated: bool, next_token: Option<String>) -> Result<MembersPage, AwsError> {
        unless_stopped(&*self.stop, "ListMembers", self.inner.list_members(only_associated, next_token)).await
    }

    async fn get_member(&self, account_id: &str) -> Result<Member, AwsError> {
        unless_stopped(&*self.stop, "GetMember", self.inner.get_member(account_id)).await
    }

    async fn associate_member(&self, account_id: &str) -> Result<(), AwsError> {
        unless_stopped(&*self.stop, "AssociateMember", self.inner.associate_member(account_id)).await
    }
}

#[async_trait]
impl OrganizationConfigurationApi for StoppableInspector {
    async fn organization_configuration(&self) -> Result<OrganizationConfiguration, AwsError> {
        unless_stopped(&*self.stop, "DescribeOrganizationConfiguration", self.inner.organization_configuration()).await
    }

    async fn update_organization_configuration(&self, auto_enable: &AutoEnable) -> Result<AutoEnable, AwsError> {
        let call = self.inner.update_organization_configuration(auto_enable);
        unless_stopped(&*self.stop, "UpdateOrganizationConfiguration", call).await
    }
}

/// A [`DelegatedAdminApi`] whose calls end at once when `stop` fires, as [`StoppableInspector`].
pub struct StoppableDelegatedAdmin {
    inner: Arc<dyn DelegatedAdminApi>,
    stop: Arc<dyn StopWatch>,
}

impl StoppableDelegatedAdmin {
    pub fn new(inner: Arc<dyn DelegatedAdminApi>, stop: Arc<dyn StopWatch>) -> Self {
        StoppableDelegatedAdmin { inner, stop }
    }
}

#[async_trait]
impl DelegatedAdminApi for StoppableDelegatedAdmin {
    async fn enable_delegated_admin(&self, account_id: &str, client_token: &str) -> Result<(), AwsError> {
        let call = self.inner.enable_delegated_admin(account_id, client_token);
        unless_stopped(&*self.stop, "EnableDelegatedAdminAccount", call).await
    }

    async fn disable_delegated_admin(&self, account_id: &str) -> Result<(), AwsError> {
        unless_stopped(&*self.stop, "DisableDelegatedAdminAccount", self.inner.disable_delegated_admin(account_id))
            .await
    }

    async fn delegated_admin(&self) -> Result<Option<DelegatedAdmin>, AwsError> {
        unless_stopped(&*self.stop, "GetDelegatedAdminAccount", self.inner.delegated_admin()).await
    }

    async fn delegated_admins_page(&self, next_token: Option<String>) -> Result<DelegatedAdminPage, AwsError> {
        unless_stopped(&*self.stop, "ListDelegatedAdminAccounts", self.inner.delegated_admins_page(next_token)).await
    }
}

#[cfg(test)]
mod tests;

//! A decorator that cuts every AWS Organizations call off at Terraform's stop: one Ctrl-C ends a
//! policy lookup or an attach in flight at once instead of after the SDK's timeouts.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::api::{Organization, OrganizationsApi, Policy, PolicyInput, PolicySummary, PolicyTarget, Root};
use crate::aws::stop::{unless_stopped, StopWatch};
use crate::aws::AwsError;

/// An [`OrganizationsApi`] whose calls end at once when `stop` fires, failing `Final` naming the stop.
pub struct StoppableOrganizations {
    inner: Arc<dyn OrganizationsApi>,
    stop: Arc<dyn StopWatch>,
}

impl StoppableOrganizations {
    pub fn new(inner: Arc<dyn OrganizationsApi>, stop: Arc<dyn StopWatch>) -> Self {
        StoppableOrganizations { inner, stop }
    }
}

#[async_trait]
impl OrganizationsApi for StoppableOrganizations {
    async fn describe_organization(&self) -> Result<Option<Organization>, AwsError> {
        unless_stopped(&*self.stop, "DescribeOrganization", self.inner.describe_organization()).await
    }
    async fn list_roots(&self) -> Result<Vec<Root>, AwsError> {
        unless_stopped(&*self.stop, "ListRoots", self.inner.list_roots()).await
    }
    async fn create_policy(
        &self,
        input: &PolicyInput,
        tags: &BTreeMap<String, String>,
    ) -> Result<PolicySummary, AwsError> {
        unless_stopped(&*self.stop, "CreatePolicy", self.inner.create_policy(input, tags)).await
    }
    async fn update_policy(&self, policy_id: &str, input: &PolicyInput) -> Result<PolicySummary, AwsError> {
        unless_stopped(&*self.stop, "UpdatePolicy", self.inner.update_policy(policy_id, input)).await
    }
    async fn delete_policy(&self, policy_id: &str) -> Result<(), AwsError> {
        unless_stopped(&*self.stop, "DeletePolicy", self.inner.delete_policy(policy_id)).await
    }
    async fn describe_policy(&self, policy_id: &str) -> Result<Policy, AwsError> {
        unless_stopped(&*self.stop, "DescribePolicy", self.inner.describe_policy(policy_id)).await
    }
    async fn attach_policy(&self, policy_id: &str, target_id: &str) -> Result<(), AwsError> {
        unless_stopped(&*self.stop, "AttachPolicy", self.inner.attach_policy(policy_id, target_id)).await
    }
    async fn detach_policy(&self, policy_id: &str, target_id: &str) -> Result<(), AwsError> {
        unless_stopped(&*self.stop, "DetachPolicy", self.inner.detach_policy(policy_id, target_id)).await
    }
    async fn list_targets_for_policy(&self, policy_id: &str) -> Result<Vec<PolicyTarget>, AwsError> {
        unless_stopped(&*self.stop, "ListTargetsForPolicy", self.inner.list_targets_for_policy(policy_id)).await
    }
    async fn list_policies(&self) -> Result<Vec<PolicySummary>, AwsError> {
        unless_stopped(&*self.stop, "ListPolicies", self.inner.list_policies()).await
    }
    async fn list_policies_for_target(&self, target_id: &str) -> Result<Vec<PolicySummary>, AwsError> {
        unless_stopped(&*self.stop, "ListPoliciesForTarget", self.inner.list_policies_for_target(target_id)).await
    }
    async fn effective_inspector_policy(&self, account_id: &str) -> Result<Option<String>, AwsError> {
        unless_stopped(&*self.stop, "DescribeEffectivePolicy", self.inner.effective_inspector_policy(account_id)).await
    }
    async fn tag_policy(&self, policy_id: &str, tags: &BTreeMap<String, String>) -> Result<(), AwsError> {
        unless_stopped(&*self.stop, "TagResource", self.inner.tag_policy(policy_id, tags)).await
    }
    async fn untag_policy(&self, policy_id: &str, keys: &[String]) -> Result<(), AwsError> {
        unless_stopped(&*self.stop, "UntagResource", self.inner.untag_policy(policy_id, keys)).await
    }
    async fn policy_tags(&self, policy_id: &str) -> Result<BTreeMap<String, String>, AwsError> {
        unless_stopped(&*self.stop, "ListTagsForResource", self.inner.policy_tags(policy_id)).await
    }
    async fn parents(&self, child_id: &str) -> Result<Vec<String>, AwsError> {
        unless_stopped(&*self.stop, "ListParents", self.inner.parents(child_id)).await
    }
}

#[cfg(test)]
mod tests;

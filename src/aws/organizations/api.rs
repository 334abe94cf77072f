//! The Organizations calls the provider makes, as one trait. Every policy call is about policies
//! of type `INSPECTOR_POLICY`: the trait cannot name, read or change any other policy type.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::aws::errors::ServiceErrorCode;
use crate::aws::wire::wire_enum;
use crate::aws::AwsError;

/// The only policy type this provider reads or writes.
pub const INSPECTOR_POLICY: &str = "INSPECTOR_POLICY";

wire_enum! {
    /// What a policy is attached to (`PolicyTargetSummary.Type`).
    pub enum TargetType {
        Root = "ROOT",
        OrganizationalUnit = "ORGANIZATIONAL_UNIT",
        Account = "ACCOUNT",
    }
}

/// A policy's summary (`PolicySummary`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicySummary {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub description: String,
}

/// A policy with its document (DescribePolicy).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub summary: PolicySummary,
    /// The policy document, JSON text as AWS stores it.
    pub content: String,
}

/// A root, OU or account a policy is attached to (ListTargetsForPolicy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyTarget {
    pub target_id: String,
    pub name: String,
    pub kind: Option<TargetType>,
}

/// An organization root and the policy types enabled on it (ListRoots).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Root {
    pub id: String,
    /// Policy type -> status (`ENABLED`, `PENDING_ENABLE`, `PENDING_DISABLE`).
    pub policy_types: BTreeMap<String, String>,
}

impl Root {
    /// Whether `INSPECTOR_POLICY` is enabled on this root, so such policies can be attached.
    pub fn inspector_policies_enabled(&self) -> bool {
        self.policy_types.get(INSPECTOR_POLICY).is_some_and(|s| s == "ENABLED")
    }
}

/// The organization the caller's account belongs to (DescribeOrganization).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Organization {
    pub id: String,
    pub management_account_id: String,
}

/// A new policy's or a policy update's name, description and document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyInput {
    pub name: String,
    pub description: String,
    pub content: String,
}

#[async_trait]
pub trait OrganizationsApi: Send + Sync {
    /// DescribeOrganization, which any account of an organization may call: its organization, or
    /// None when the account is in no organization (AWSOrganizationsNotInUseException, an answer).
    async fn describe_organization(&self) -> Result<Option<Organization>, AwsError>;
    /// ListRoots, every page.
    async fn list_roots(&self) -> Result<Vec<Root>, AwsError>;
    /// CreatePolicy of type `INSPECTOR_POLICY`, with `tags`.
    async fn create_policy(
        &self,
        input: &PolicyInput,
        tags: &BTreeMap<String, String>,
    ) -> Result<PolicySummary, AwsError>;
    /// UpdatePolicy: name, description and document.
    async fn update_policy(&self, policy_id: &str, input: &PolicyInput) -> Result<PolicySummary, AwsError>;
    /// DeletePolicy; the policy must be detached from every target first.
    async fn delete_policy(&self, policy_id: &str) -> Result<(), AwsError>;
    /// DescribePolicy.
    async fn describe_policy(&self, policy_id: &str) -> Result<Policy, AwsError>;
    /// AttachPolicy to one root, OU or account.
    async fn attach_policy(&self, policy_id: &str, target_id: &str) -> Result<(), AwsError>;
    /// DetachPolicy from one root, OU or account.
    async fn detach_policy(&self, policy_id: &str, target_id: &str) -> Result<(), AwsError>;
    /// ListPolicies with Filter `INSPECTOR_POLICY`, every page: every Inspector policy of the
    /// organization, without its document.
    async fn list_policies(&self) -> Result<Vec<PolicySummary>, AwsError>;
    /// ListTargetsForPolicy, every page.
    async fn list_targets_for_policy(&self, policy_id: &str) -> Result<Vec<PolicyTarget>, AwsError>;
    /// ListPoliciesForTarget with Filter `INSPECTOR_POLICY`, every page: the policies attached to
    /// the target itself, not those it inherits.
    async fn list_policies_for_target(&self, target_id: &str) -> Result<Vec<PolicySummary>, AwsError>;
    /// DescribeEffectivePolicy of type `INSPECTOR_POLICY` for an account: the document, or None
    /// when no Inspector policy applies to it (EffectivePolicyNotFoundException).
    async fn effective_inspector_policy(&self, account_id: &str) -> Result<Option<String>, AwsError>;
    /// TagResource on a policy.
    async fn tag_policy(&self, policy_id: &str, tags: &BTreeMap<String, String>) -> Result<(), AwsError>;
    /// UntagResource on a policy.
    async fn untag_policy(&self, policy_id: &str, keys: &[String]) -> Result<(), AwsError>;
    /// ListTagsForResource of a policy, every page.
    async fn policy_tags(&self, policy_id: &str) -> Result<BTreeMap<String, String>, AwsError>;
    /// ListParents: the ids of the root or OU directly above an account or OU.
    async fn parents(&self, child_id: &str) -> Result<Vec<String>, AwsError>;
}

/// Whether `e` says the policy does not exist (deleted outside Terraform, or a wrong id).
pub fn is_policy_not_found(e: &AwsError) -> bool {
    e.is(ServiceErrorCode::PolicyNotFound)
}

/// Whether `e` says the caller may not use Organizations (not the management account, not a
/// delegated administrator for policies, or no IAM permission).
pub fn is_access_denied(e: &AwsError) -> bool {
    e.is(ServiceErrorCode::AccessDenied)
}

/// Whether `e` says the caller's account is in no organization: then no Organizations policy
/// applies to it or to anything it manages. An answer, not a refusal.
pub fn is_not_in_organization(e: &AwsError) -> bool {
    e.is(ServiceErrorCode::OrganizationsNotInUse)
}

//! [`OrganizationsApi`] on the AWS SDK for Rust.

use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_organizations::types::{self as o, EffectivePolicyType, PolicyType};

use super::api::{Organization, OrganizationsApi, Policy, PolicyInput, PolicySummary, PolicyTarget, Root, TargetType};
use crate::aws::errors::{ErrorContext, ServiceErrorCode};
use crate::aws::{AwsError, ErrorClass};

pub struct SdkOrganizations {
    pub client: aws_sdk_organizations::Client,
    pub context: ErrorContext,
}

fn summary(p: &o::PolicySummary) -> PolicySummary {
    PolicySummary {
        id: p.id().unwrap_or_default().to_owned(),
        arn: p.arn().unwrap_or_default().to_owned(),
        name: p.name().unwrap_or_default().to_owned(),
        description: p.description().unwrap_or_default().to_owned(),
    }
}

fn target(t: &o::PolicyTargetSummary) -> PolicyTarget {
    PolicyTarget {
        target_id: t.target_id().unwrap_or_default().to_owned(),
        name: t.name().unwrap_or_default().to_owned(),
        kind: t.r#type().map(|k| TargetType::from_wire(k.as_str())),
    }
}

fn root(r: &o::Root) -> Root {
    let types = r.policy_types().iter().filter_map(|t| {
        Some((t.r#type()?.as_str().to_owned(), t.status().map(|s| s.as_str().to_owned()).unwrap_or_default()))
    });
    Root { id: r.id().unwrap_or_default().to_owned(), policy_types: types.collect() }
}

/// An answer without the part the operation promises: the endpoint is not AWS's.
fn missing(operation: &'static str, what: &str) -> AwsError {
    AwsError::new(operation, ErrorClass::Final, None, format!("the answer has no {what}"))
}

fn tags(operation: &'static str, tags: &BTreeMap<String, String>) -> Result<Vec<o::Tag>, AwsError> {
    tags.iter()
        .map(|(k, v)| {
            o::Tag::builder().key(k).value(v).build().map_err(|e| {
                AwsError::new(operation, ErrorClass::Final, None, format!("tag {k:?} could not be built: {e}"))
            })
        })
        .collect()
}

#[async_trait]
impl OrganizationsApi for SdkOrganizations {
    async fn describe_organization(&self) -> Result<Option<Organization>, AwsError> {
        let error = match self.client.describe_organization().send().await {
            Ok(out) => {
                let o = out.organization().ok_or_else(|| missing("DescribeOrganization", "Organization"))?;
                return Ok(Some(Organization {
                    id: o.id().unwrap_or_default().to_owned(),
                    management_account_id: o.master_account_id().unwrap_or_default().to_owned(),
                }));
            }
            Err(e) => self.context.error("DescribeOrganization", &e),
        };
        match error.is(ServiceErrorCode::OrganizationsNotInUse) {
            true => Ok(None),
            false => Err(error),
        }
    }

    async fn list_roots(&self) -> Result<Vec<Root>, AwsError> {
        let mut pages = self.client.list_roots().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.context.error("ListRoots", &e))?;
            out.extend(page.roots().iter().map(root));
        }
        Ok(out)
    }

    async fn create_policy(
        &self,
        input: &PolicyInput,
        tag_map: &BTreeMap<String, String>,
    ) -> Result<PolicySummary, AwsError> {
        let out = self
            .client
            .create_policy()
            .name(&input.name)
            .description(&input.description)
            .content(&input.content)
            .r#type(PolicyType::InspectorPolicy)
            .set_tags((!tag_map.is_empty()).then(|| tags("CreatePolicy", tag_map)).transpose()?)
            .send()
            .await
            .map_err(|e| self.context.error("CreatePolicy", &e))?;
        let policy = out.policy().and_then(|p| p.policy_summary()).ok_or_else(|| missing("CreatePolicy", "Policy"))?;
        Ok(summary(policy))
    }

    async fn update_policy(&self, policy_id: &str, input: &PolicyInput) -> Result<PolicySummary, AwsError> {
        let out = self
            .client
            .update_policy()
            .policy_id(policy_id)
            .name(&input.name)
            .description(&input.description)
            .content(&input.content)
            .send()
            .await
            .map_err(|e| self.context.error("UpdatePolicy", &e))?;
        let policy = out.policy().and_then(|p| p.policy_summary()).ok_or_else(|| missing("UpdatePolicy", "Policy"))?;
        Ok(summary(policy))
    }

    async fn delete_policy(&self, policy_id: &str) -> Result<(), AwsError> {
        self.client
            .delete_policy()
            .policy_id(policy_id)
            .send()
            .await
            .map_err(|e| self.context.error("DeletePolicy", &e))?;
        Ok(())
    }

    async fn describe_policy(&self, policy_id: &str) -> Result<Policy, AwsError> {
        let out = self
            .client
            .describe_policy()
            .policy_id(policy_id)
            .send()
            .await
            .map_err(|e| self.context.error("DescribePolicy", &e))?;
        let policy = out.policy().ok_or_else(|| missing("DescribePolicy", "Policy"))?;
        let summary = policy.policy_summary().map(summary).ok_or_else(|| missing("DescribePolicy", "PolicySummary"))?;
        Ok(Policy { summary, content: policy.content().unwrap_or_default().to_owned() })
    }

    async fn attach_policy(&self, policy_id: &str, target_id: &str) -> Result<(), AwsError> {
        self.client
            .attach_policy()
            .policy_id(policy_id)
            .target_id(target_id)
            .send()
            .await
            .map_err(|e| self.context.error("AttachPolicy", &e))?;
        Ok(())
    }

    async fn detach_policy(&self, policy_id: &str, target_id: &str) -> Result<(), AwsError> {
        self.client
            .detach_policy()
            .policy_id(policy_id)
            .target_id(target_id)
            .send()
            .await
            .map_err(|e| self.context.error("DetachPolicy", &e))?;
        Ok(())
    }

    async fn list_targets_for_policy(&self, policy_id: &str) -> Result<Vec<PolicyTarget>, AwsError> {
        let mut pages = self.client.list_targets_for_policy().policy_id(policy_id).into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.context.error("ListTargetsForPolicy", &e))?;
            out.extend(page.targets().iter().map(target));
        }
        Ok(out)
    }

    async fn list_policies(&self) -> Result<Vec<PolicySummary>, AwsError> {
        let mut pages = self.client.list_policies().filter(PolicyType::InspectorPolicy).into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.context.error("ListPolicies", &e))?;
            out.extend(page.policies().iter().map(summary));
        }
        Ok(out)
    }

    async fn list_policies_for_target(&self, target_id: &str) -> Result<Vec<PolicySummary>, AwsError> {
        let mut pages = self
            .client
            .list_policies_for_target()
            .target_id(target_id)
            .filter(PolicyType::InspectorPolicy)
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.context.error("ListPoliciesForTarget", &e))?;
            out.extend(page.policies().iter().map(summary));
        }
        Ok(out)
    }

    async fn effective_inspector_policy(&self, account_id: &str) -> Result<Option<String>, AwsError> {
        let answer = self
            .client
            .describe_effective_policy()
            .policy_type(EffectivePolicyType::InspectorPolicy)
            .target_id(account_id)
            .send()
            .await;
        match answer {
            Ok(out) => Ok(Some(
                out.effective_policy()
                    .and_then(|p| p.policy_content())
                    .ok_or_else(|| missing("DescribeEffectivePolicy", "EffectivePolicy.PolicyContent"))?
                    .to_owned(),
            )),
            Err(e) => {
                let error = self.context.error("DescribeEffectivePolicy", &e);
                match error.is(ServiceErrorCode::EffectivePolicyNotFound) {
                    true => Ok(None),
                    false => Err(error),
                }
            }
        }
    }

    async fn tag_policy(&self, policy_id: &str, tag_map: &BTreeMap<String, String>) -> Result<(), AwsError> {
        self.client
            .tag_resource()
            .resource_id(policy_id)
            .set_tags(Some(tags("TagResource", tag_map)?))
            .send()
            .await
            .map_err(|e| self.context.error("TagResource", &e))?;
        Ok(())
    }

    async fn untag_policy(&self, policy_id: &str, keys: &[String]) -> Result<(), AwsError> {
        self.client
            .untag_resource()
            .resource_id(policy_id)
            .set_tag_keys(Some(keys.to_vec()))
            .send()
            .await
            .map_err(|e| self.context.error("UntagResource", &e))?;
        Ok(())
    }

    async fn policy_tags(&self, policy_id: &str) -> Result<BTreeMap<String, String>, AwsError> {
        let mut pages = self.client.list_tags_for_resource().resource_id(policy_id).into_paginator().send();
        let mut out = BTreeMap::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.context.error("ListTagsForResource", &e))?;
            out.extend(page.tags().iter().map(|t| (t.key().to_owned(), t.value().to_owned())));
        }
        Ok(out)
    }

    async fn parents(&self, child_id: &str) -> Result<Vec<String>, AwsError> {
        let mut pages = self.client.list_parents().child_id(child_id).into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.context.error("ListParents", &e))?;
            out.extend(page.parents().iter().filter_map(|p| p.id().map(str::to_owned)));
        }
        Ok(out)
    }
}

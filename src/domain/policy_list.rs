//! The organization's Inspector policies (`INSPECTOR_POLICY`) as far as ECR scanning goes, one at
//! a time in policy-id order: what `list "inspector2fix_ecr_scanning_policy"` (`terraform query`)
//! shows. Free of Terraform.
//!
//! Cost: the ListPolicies pages, then one DescribePolicy per policy reported (its document says
//! whether it manages ECR scanning; ListPolicies gives no documents), and, only when the objects
//! are asked for, ListTargetsForPolicy and ListTagsForResource per policy that can be imported.
//! Nothing is written.
//!
//! Only a document exactly in the form `inspector2fix_ecr_scanning_policy` writes (only
//! `ecr_scanning`, `disable_in_regions` empty) can be imported: any other would be rewritten by
//! the first apply, dropping what else it decides (another scan type, a `disable_in_regions`).

use std::collections::BTreeSet;

use async_trait::async_trait;
use serde_json::Value;

use crate::aws::organizations::api::{is_policy_not_found, OrganizationsApi, PolicySummary};
use crate::aws::AwsError;
use crate::domain::ecr_policy::{self, Found, ALL_SUPPORTED};

/// Why a policy cannot be imported as `inspector2fix_ecr_scanning_policy`
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotOwnable {
    /// The document decides other scan types too (sorted), e.g. `ec2_scanning`.
    OtherScanTypes(Vec<String>),
    /// The document does not turn ECR scanning on anywhere.
    NoEcrScanning,
    /// Only ECR scanning, but not in the resource's form (a `disable_in_regions`, `@@append`, ...).
    OtherForm,
}

/// One Inspector policy and what its document says about ECR scanning
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub summary: PolicySummary,
    /// The Regions its `ecr_scanning.enable_in_regions` names
    pub ecr_regions: BTreeSet<String>,
    /// None: the resource can own it; otherwise why not
    pub not_ownable: Option<NotOwnable>,
    /// The policy as the resource reads it: only when asked for, and only for an ownable policy
    pub found: Option<Found>,
}

impl Listed {
    /// `p-abc123 (name, ECR in 3 Regions)`, with why it cannot be imported when it cannot
    pub fn display_name(&self) -> String {
        let ecr = match &self.ecr_regions {
            r if r.contains(ALL_SUPPORTED) => "ECR in every supported Region".to_owned(),
            r if r.is_empty() => "no ECR scanning".to_owned(),
            r if r.len() == 1 => "ECR in 1 Region".to_owned(),
            r => format!("ECR in {} Regions", r.len()),
        };
        let why = match &self.not_ownable {
            None => String::new(),
            Some(NotOwnable::OtherScanTypes(types)) => format!("; also {}: not importable", types.join(", ")),
            Some(NotOwnable::NoEcrScanning) => "; not importable".to_owned(),
            Some(NotOwnable::OtherForm) => "; other ECR settings: not importable".to_owned(),
        };
        format!("{} ({}, {ecr}{why})", self.summary.id, self.summary.name)
    }
}

/// Where the listing sends each policy, in id order
#[async_trait]
pub trait Policies: Send {
    /// Whether to read each ownable policy's targets and tags (the resource object)
    fn wants_objects(&self) -> bool;
    /// One policy; `false` stops the listing (the reader has enough or went away).
    async fn found(&mut self, policy: Listed) -> bool;
}

/// The scan types a document decides other than ECR, sorted; None when it is not JSON.
fn other_scan_types(content: &str) -> Option<Vec<String>> {
    let doc: Value = serde_json::from_str(content).ok()?;
    let enablement = doc["inspector"]["enablement"].as_object().cloned().unwrap_or_default();
    Some(enablement.keys().filter(|k| *k != "ecr_scanning").cloned().collect())
}

/// Whether `inspector2fix_ecr_scanning_policy` can own a document, and if not, why
pub fn ownership(content: &str) -> Option<NotOwnable> {
    match other_scan_types(content) {
        Some(others) if !others.is_empty() => return Some(NotOwnable::OtherScanTypes(others)),
        _ => {}
    }
    if ecr_policy::enable_regions(content).is_empty() {
        return Some(NotOwnable::NoEcrScanning);
    }
    match ecr_policy::owned_regions(content) {
        Some(_) => None,
        None => Some(NotOwnable::OtherForm),
    }
}

/// Lists every Inspector policy (every ListPolicies page), sorted by id, and sends them to
/// `policies`, each described as it comes, until it answers `false` (its limit is reached): no
/// policy after that is read. A policy deleted between the list and its read is left out; any
/// other failure is an error naming the call, never a shorter list.
pub async fn list(org: &dyn OrganizationsApi, policies: &mut dyn Policies) -> Result<(), String> {
    let listed = org.list_policies().await;
    let mut summaries = listed
        .map_err(|e| format!("listing the policies (organizations:ListPolicies): {}", ecr_policy::explain(&e)))?;
    summaries.sort_by(|a, b| a.id.cmp(&b.id));
    for summary in summaries {
        let Some(listed) = describe(org, summary, policies.wants_objects()).await? else { continue };
        if !policies.found(listed).await {
            return Ok(());
        }
    }
    Ok(())
}

/// One policy with its document and, when `objects` and it is ownable, its targets and tags (the
/// document is not read twice); None when it no longer exists.
async fn describe(org: &dyn OrganizationsApi, summary: PolicySummary, objects: bool) -> Result<Option<Listed>, String> {
    let failed = |e: &AwsError| {
        format!("reading policy {} (organizations:{}): {}", summary.id, e.operation, ecr_policy::explain(e))
    };
    let policy = match org.describe_policy(&summary.id).await {
        Ok(policy) => policy,
        Err(e) if is_policy_not_found(&e) => return Ok(None),
        Err(e) => return Err(failed(&e)),
    };
    let not_ownable = ownership(&policy.content);
    let ecr_regions = ecr_policy::enable_regions(&policy.content);
    let mut found = None;
    if objects && not_ownable.is_none() {
        let targets = match org.list_targets_for_policy(&summary.id).await {
            Ok(targets) => targets.into_iter().map(|t| t.target_id).collect(),
            Err(e) if is_policy_not_found(&e) => return Ok(None),
            Err(e) => return Err(failed(&e)),
        };
        let tags = match org.policy_tags(&summary.id).await {
            Ok(tags) => tags,
            Err(e) if is_policy_not_found(&e) => return Ok(None),
            Err(e) => return Err(failed(&e)),
        };
        found = Some(Found { summary: policy.summary, content: policy.content, target_ids: targets, tags });
    }
    Ok(Some(Listed { summary, ecr_regions, not_ownable, found }))
}

#[cfg(test)]
mod tests;

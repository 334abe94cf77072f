//! Inspector policies (`INSPECTOR_POLICY`) as far as ECR scanning goes, free of Terraform: the
//! document `inspector2fix_ecr_scanning_policy` owns, what any policy document says about ECR
//! scanning in a Region, and the checks of its arguments.
//!
//! Syntax ("Amazon Inspector policy syntax and examples", AWS Organizations guide):
//! `{"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {"@@assign": [...]},
//! "disable_in_regions": {"@@assign": [...]}}}}}`. `disable_in_regions` wins over
//! `enable_in_regions`; `ALL_SUPPORTED` means every current and future Region.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::aws::errors::ServiceErrorCode;
use crate::aws::organizations::api::{
    is_access_denied, is_policy_not_found, OrganizationsApi, PolicyInput, PolicySummary,
};
use crate::aws::AwsError;
use crate::validate;

/// Every Region Inspector supports, now and later.
pub const ALL_SUPPORTED: &str = "ALL_SUPPORTED";

/// What an Inspector policy document says about ECR scanning in one Region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcrDecision {
    /// `enable_in_regions` names the Region (or ALL_SUPPORTED) and `disable_in_regions` does not.
    Enabled,
    /// `disable_in_regions` names the Region (or ALL_SUPPORTED).
    Disabled,
    /// The document does not decide ECR scanning in the Region.
    Unmanaged,
}

/// The document `inspector2fix_ecr_scanning_policy` writes: only `ecr_scanning`, so every other
/// scan type is left to other policies, with both lists (the syntax requires them) and
/// `disable_in_regions` empty. Regions sorted, so the same set always gives the same text.
pub fn document(enable_in_regions: &BTreeSet<String>) -> String {
    let regions: Vec<&String> = enable_in_regions.iter().collect();
    let doc = json!({"inspector": {"enablement": {"ecr_scanning": {
        "enable_in_regions": {"@@assign": regions},
        "disable_in_regions": {"@@assign": []},
    }}}});
    doc.to_string()
}

/// The two ECR lists of a document, each the values of `@@assign` and `@@append` (or a bare
/// list, as an effective policy may show it). None when the document is not JSON.
fn ecr_lists(content: &str) -> Option<(BTreeSet<String>, BTreeSet<String>)> {
    let doc: Value = serde_json::from_str(content).ok()?;
    let ecr = &doc["inspector"]["enablement"]["ecr_scanning"];
    Some((values(&ecr["enable_in_regions"]), values(&ecr["disable_in_regions"])))
}

fn values(list: &Value) -> BTreeSet<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()).unwrap_or_default()
    };
    match list {
        Value::Array(_) => strings(list).into_iter().collect(),
        Value::Object(ops) => {
            ["@@assign", "@@append"].iter().flat_map(|op| ops.get(*op).map(strings)).flatten().collect()
        }
        _ => BTreeSet::new(),
    }
}

/// What `content` decides for ECR scanning in `region`; a document that is not JSON decides
/// nothing.
pub fn decision(content: &str, region: &str) -> EcrDecision {
    let Some((enable, disable)) = ecr_lists(content) else { return EcrDecision::Unmanaged };
    let names = |set: &BTreeSet<String>| set.contains(region) || set.contains(ALL_SUPPORTED);
    match (names(&enable), names(&disable)) {
        (_, true) => EcrDecision::Disabled,
        (true, false) => EcrDecision::Enabled,
        (false, false) => EcrDecision::Unmanaged,
    }
}

/// The Regions a document's `ecr_scanning.enable_in_regions` names, whatever else it holds.
pub fn enable_regions(content: &str) -> BTreeSet<String> {
    ecr_lists(content).map(|(enable, _)| enable).unwrap_or_default()
}

/// The `enable_in_regions` a document holds when it is exactly what [`document`] writes for
/// them; None when it was changed outside Terraform in any other way (another scan type, a
/// `disable_in_regions`, another operator), so the whole document shows as drift.
pub fn owned_regions(content: &str) -> Option<BTreeSet<String>> {
    let doc: Value = serde_json::from_str(content).ok()?;
    let regions = doc["inspector"]["enablement"]["ecr_scanning"]["enable_in_regions"]["@@assign"].as_array()?;
    let regions: BTreeSet<String> = regions.iter().map(|r| r.as_str().map(str::to_owned)).collect::<Option<_>>()?;
    let canonical: Value = serde_json::from_str(&document(&regions)).ok()?;
    (canonical == doc).then_some(regions)
}

/// `enable_in_regions`: Region names, or `ALL_SUPPORTED` alone; not empty.
pub fn check_regions(regions: &BTreeSet<String>) -> Result<(), String> {
    if regions.is_empty() {
        return Err("must name at least one Region, or [\"ALL_SUPPORTED\"]".into());
    }
    if regions.contains(ALL_SUPPORTED) {
        return match regions.len() {
            1 => Ok(()),
            _ => Err("\"ALL_SUPPORTED\" already means every Region: it must be the only value".into()),
        };
    }
    regions.iter().try_for_each(|r| validate::region(r))
}

/// One `target_ids` member: a root (`r-` and 4 to 32 lowercase letters or digits), an OU
/// (`ou-`, 4 to 32, `-`, 8 to 32) or a 12-digit account, the patterns AWS Organizations checks.
pub fn check_target(id: &str) -> Result<(), String> {
    let lower_alnum = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let ok = if let Some(rest) = id.strip_prefix("ou-") {
        rest.split_once('-').is_some_and(|(a, b)| lower_alnum(a, 4, 32) && lower_alnum(b, 8, 32))
    } else if let Some(rest) = id.strip_prefix("r-") {
        lower_alnum(rest, 4, 32)
    } else {
        validate::account_id(id).is_ok()
    };
    match ok {
        true => Ok(()),
        false => Err(format!(
            "{id:?} is not a root id (r-xxxx), an organizational unit id (ou-xxxx-xxxxxxxx) or a 12-digit account id"
        )),
    }
}

/// A policy id as `terraform import` takes it: `p-` and 8 to 128 letters, digits or `_`.
pub fn check_policy_id(id: &str) -> Result<(), String> {
    let rest = id.strip_prefix("p-").ok_or_else(|| format!("{id:?} does not start with \"p-\""))?;
    match (8..=128).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        true => Ok(()),
        false => Err(format!("{id:?} is not a policy id (p- and 8 to 128 letters, digits or _)")),
    }
}

/// The error text when `INSPECTOR_POLICY` is not enabled on the organization's root.
pub fn policy_type_not_enabled(root_id: &str) -> String {
    format!(
        "The policy type INSPECTOR_POLICY is not enabled on the organization's root {root_id}, so an Inspector \
         policy cannot be attached. inspector2fix never enables policy types by itself. Enable it once, from the \
         management account: `aws organizations enable-policy-type --root-id {root_id} --policy-type \
         INSPECTOR_POLICY`, or add \"INSPECTOR_POLICY\" to `enabled_policy_types` of the AWS provider's \
         aws_organizations_organization; then apply again."
    )
}

/// What `inspector2fix_ecr_scanning_policy` wants, or has, in AWS.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    pub name: String,
    pub description: String,
    pub enable_in_regions: BTreeSet<String>,
    pub target_ids: BTreeSet<String>,
    pub tags: BTreeMap<String, String>,
}

impl Wanted {
    fn input(&self) -> PolicyInput {
        PolicyInput {
            name: self.name.clone(),
            description: self.description.clone(),
            content: document(&self.enable_in_regions),
        }
    }
}

/// A policy as read: DescribePolicy, ListTargetsForPolicy and ListTagsForResource.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub summary: PolicySummary,
    pub content: String,
    pub target_ids: BTreeSet<String>,
    pub tags: BTreeMap<String, String>,
}

/// The policy `policy_id`, or None when AWS says it does not exist (deleted outside Terraform).
/// Any other failure, AccessDenied included, is an error: a refused read is never "gone".
pub async fn read(org: &dyn OrganizationsApi, policy_id: &str) -> Result<Option<Found>, String> {
    let policy = match org.describe_policy(policy_id).await {
        Ok(p) => p,
        Err(e) if is_policy_not_found(&e) => return Ok(None),
        Err(e) => return Err(explain(&e)),
    };
    let targets = match org.list_targets_for_policy(policy_id).await {
        Ok(t) => t,
        Err(e) if is_policy_not_found(&e) => return Ok(None),
        Err(e) => return Err(explain(&e)),
    };
    let tags = match org.policy_tags(policy_id).await {
        Ok(t) => t,
        Err(e) if is_policy_not_found(&e) => return Ok(None),
        Err(e) => return Err(explain(&e)),
    };
    let target_ids = targets.into_iter().map(|t| t.target_id).collect();
    Ok(Some(Found { summary: policy.summary, content: policy.content, target_ids, tags }))
}

/// What an apply did: the policy (when it exists), the targets it is attached to now, and the
/// error that stopped it, if any. State keeps what was done.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub summary: Option<PolicySummary>,
    /// Whether the name, description and document are as wanted (sent, or already so).
    pub document_done: bool,
    /// Whether the tags are as wanted.
    pub tags_done: bool,
    pub target_ids: BTreeSet<String>,
    pub error: Option<String>,
}

/// A failed Organizations call, with what to do about it.
pub fn explain(e: &AwsError) -> String {
    match e.service_code() {
        _ if is_access_denied(e) => format!(
            "{e}. Inspector policies are managed from the organization's management account, or from an account \
             AWS Organizations delegates policy management to (organizations:CreatePolicy, UpdatePolicy, DeletePolicy, \
             DescribePolicy, AttachPolicy, DetachPolicy, ListTargetsForPolicy, ListRoots, TagResource, UntagResource, \
             ListTagsForResource)."
        ),
        Some(ServiceErrorCode::DuplicatePolicy) => {
            format!(
                "{e}. Choose another `name`, or import the existing policy with `terraform import` and its id (p-...)."
            )
        }
        _ => e.to_string(),
    }
}

/// Ok when INSPECTOR_POLICY is enabled on the organization's root; else the remedy error.
async fn policy_type_check(org: &dyn OrganizationsApi) -> Result<(), String> {
    let roots = org.list_roots().await.map_err(|e| explain(&e))?;
    match roots.iter().find(|r| !r.inspector_policies_enabled()) {
        Some(root) => Err(policy_type_not_enabled(&root.id)),
        None if roots.is_empty() => Err("ListRoots: the organization has no root".into()),
        None => Ok(()),
    }
}

/// ListRoots, then CreatePolicy, then AttachPolicy for each target, sorted. A root without
/// INSPECTOR_POLICY enabled stops it before anything is created.
pub async fn create(org: &dyn OrganizationsApi, wanted: &Wanted) -> Applied {
    if let Err(error) = policy_type_check(org).await {
        return Applied { error: Some(error), ..Applied::default() };
    }
    let summary = match org.create_policy(&wanted.input(), &wanted.tags).await {
        Ok(s) => s,
        Err(e) => return Applied { error: Some(explain(&e)), ..Applied::default() },
    };
    let mut applied =
        Applied { summary: Some(summary.clone()), document_done: true, tags_done: true, ..Applied::default() };
    retarget(org, &summary.id, &wanted.target_ids, &mut applied).await;
    applied
}

/// Attaches the targets `applied` lacks, then detaches those `wanted` lacks (attach first, so a
/// target moved from an account to its OU is never uncovered), stopping at the first failure.
async fn retarget(org: &dyn OrganizationsApi, policy_id: &str, wanted: &BTreeSet<String>, applied: &mut Applied) {
    let to_attach: Vec<String> = wanted.difference(&applied.target_ids).cloned().collect();
    for target in to_attach {
        if let Err(e) = org.attach_policy(policy_id, &target).await {
            applied.error = Some(attach_error(org, &target, &e).await);
            return;
        }
        applied.target_ids.insert(target);
    }
    let to_detach: Vec<String> = applied.target_ids.difference(wanted).cloned().collect();
    for target in to_detach {
        match org.detach_policy(policy_id, &target).await {
            Ok(()) => {}
            // Already detached outside Terraform: the goal is met.
            Err(e) if e.is(ServiceErrorCode::PolicyNotAttached) => {}
            Err(e) => {
                applied.error = Some(format!("detaching from {target}: {}", explain(&e)));
                return;
            }
        }
        applied.target_ids.remove(&target);
    }
}

async fn attach_error(org: &dyn OrganizationsApi, target: &str, e: &AwsError) -> String {
    if e.is(ServiceErrorCode::PolicyTypeNotEnabled) {
        let root = org.list_roots().await.ok().and_then(|r| r.into_iter().next()).map(|r| r.id);
        return policy_type_not_enabled(root.as_deref().unwrap_or("(the root: aws organizations list-roots)"));
    }
    format!("attaching to {target}: {}", explain(e))
}

/// UpdatePolicy when the name, description or document differ from `prior`; the tags that
/// changed; then the targets that changed. `prior` is what state holds (targets as read).
pub async fn update(org: &dyn OrganizationsApi, policy_id: &str, prior: &Wanted, wanted: &Wanted) -> Applied {
    let mut applied = Applied { target_ids: prior.target_ids.clone(), ..Applied::default() };
    if prior.input() != wanted.input() {
        match org.update_policy(policy_id, &wanted.input()).await {
            Ok(s) => applied.summary = Some(s),
            Err(e) => {
                applied.error = Some(explain(&e));
                return applied;
            }
        }
    }
    applied.document_done = true;
    if let Err(e) = retag(org, policy_id, &prior.tags, &wanted.tags).await {
        applied.error = Some(explain(&e));
        return applied;
    }
    applied.tags_done = true;
    retarget(org, policy_id, &wanted.target_ids, &mut applied).await;
    applied
}

async fn retag(
    org: &dyn OrganizationsApi,
    policy_id: &str,
    prior: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
) -> Result<(), AwsError> {
    let removed: Vec<String> = prior.keys().filter(|k| !wanted.contains_key(*k)).cloned().collect();
    let changed: BTreeMap<String, String> =
        wanted.iter().filter(|(k, v)| prior.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect();
    if !removed.is_empty() {
        org.untag_policy(policy_id, &removed).await?;
    }
    if !changed.is_empty() {
        org.tag_policy(policy_id, &changed).await?;
    }
    Ok(())
}

/// Detaches the policy from every target it has (as AWS lists them, so attachments made outside
/// Terraform do not block the delete), then DeletePolicy. A policy already gone is deleted.
/// On failure: the error, and the targets it is still attached to.
pub async fn delete(org: &dyn OrganizationsApi, policy_id: &str) -> Result<(), (String, BTreeSet<String>)> {
    let targets = match org.list_targets_for_policy(policy_id).await {
        Ok(t) => t.into_iter().map(|t| t.target_id).collect::<BTreeSet<String>>(),
        Err(e) if is_policy_not_found(&e) => return Ok(()),
        Err(e) => return Err((explain(&e), BTreeSet::new())),
    };
    let mut applied = Applied { target_ids: targets, ..Applied::default() };
    retarget(org, policy_id, &BTreeSet::new(), &mut applied).await;
    if let Some(error) = applied.error {
        return Err((error, applied.target_ids));
    }
    match org.delete_policy(policy_id).await {
        Ok(()) => Ok(()),
        Err(e) if is_policy_not_found(&e) => Ok(()),
        Err(e) => Err((explain(&e), BTreeSet::new())),
    }
}

#[cfg(test)]
mod tests;

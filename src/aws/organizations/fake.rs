//! An in-memory AWS Organizations for unit tests: one root, Inspector policies and their
//! targets, effective policies set by the test, and every call recorded.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;

use super::api::{Organization, OrganizationsApi, Policy, PolicyInput, PolicySummary, PolicyTarget, Root, TargetType};
use crate::aws::{AwsError, ErrorClass};

pub const ROOT: &str = "r-ab12";
pub const ORGANIZATION: &str = "o-fake";
/// The management account, as the policies' ARNs name it.
pub const MANAGEMENT: &str = "111111111111";

#[derive(Default)]
pub struct FakeOrganizations {
    pub inner: Mutex<OrgWorld>,
}

#[derive(Default)]
pub struct OrgWorld {
    pub inspector_policy_enabled: bool,
    /// id -> policy
    pub policies: BTreeMap<String, Policy>,
    /// id -> targets it is attached to
    pub targets: BTreeMap<String, BTreeSet<String>>,
    pub tags: BTreeMap<String, BTreeMap<String, String>>,
    /// child (account or OU) -> its parent; a child not listed sits in the root.
    pub parents: BTreeMap<String, String>,
    /// account -> effective INSPECTOR_POLICY document
    pub effective: BTreeMap<String, String>,
    /// Every call refused with AccessDeniedException (not the management account).
    pub access_denied: bool,
    /// The caller's account is in no organization: every call it is allowed answers
    /// AWSOrganizationsNotInUseException.
    pub outside_organization: bool,
    /// Errors the next calls answer, whatever they are.
    pub call_errors: VecDeque<AwsError>,
    /// (operation, argument) per call.
    pub calls: Vec<(&'static str, String)>,
    next_id: u32,
}

fn error(operation: &'static str, code: &str, message: &str) -> AwsError {
    AwsError::new(operation, ErrorClass::Final, Some(code), message)
}

impl FakeOrganizations {
    pub fn new(inspector_policy_enabled: bool) -> Self {
        let f = FakeOrganizations::default();
        f.inner.lock().unwrap().inspector_policy_enabled = inspector_policy_enabled;
        f
    }

    /// Organizations as an account in no organization sees it.
    pub fn outside() -> Self {
        let f = FakeOrganizations::default();
        f.inner.lock().unwrap().outside_organization = true;
        f
    }

    pub fn count(&self, op: &str) -> usize {
        self.inner.lock().unwrap().calls.iter().filter(|(o, _)| *o == op).count()
    }

    /// Calls of `op` with `arg` (a policy or target id).
    pub fn calls_of(&self, op: &str, arg: &str) -> usize {
        self.inner.lock().unwrap().calls.iter().filter(|(o, a)| *o == op && a == arg).count()
    }

    pub fn total_calls(&self) -> usize {
        self.inner.lock().unwrap().calls.len()
    }

    /// Adds a policy attached to `targets`, as if made outside Terraform; returns its id.
    pub fn add_policy(&self, name: &str, content: &str, targets: &[&str]) -> String {
        let mut w = self.inner.lock().unwrap();
        let id = w.new_id();
        w.policies.insert(id.clone(), policy(&id, name, "", content));
        w.targets.insert(id.clone(), targets.iter().map(|t| t.to_string()).collect());
        id
    }

    pub fn set_effective(&self, account: &str, content: &str) {
        self.inner.lock().unwrap().effective.insert(account.into(), content.into());
    }

    fn begin(&self, op: &'static str, arg: &str) -> Result<std::sync::MutexGuard<'_, OrgWorld>, AwsError> {
        let mut w = self.inner.lock().unwrap();
        w.calls.push((op, arg.to_owned()));
        if let Some(e) = w.call_errors.pop_front() {
            return Err(AwsError { operation: op, ..e });
        }
        if w.access_denied {
            return Err(error(op, "AccessDeniedException", "You don't have permissions to access this resource."));
        }
        if w.outside_organization {
            return Err(error(
                op,
                "AWSOrganizationsNotInUseException",
                "Your account is not a member of an organization.",
            ));
        }
        Ok(w)
    }
}

fn policy(id: &str, name: &str, description: &str, content: &str) -> Policy {
    Policy {
        summary: PolicySummary {
            id: id.into(),
            arn: format!("arn:aws:organizations::111111111111:policy/o-fake/inspector_policy/{id}"),
            name: name.into(),
            description: description.into(),
        },
        content: content.into(),
    }
}

impl OrgWorld {
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("p-fake{:04}", self.next_id)
    }

    fn known(&self, op: &'static str, id: &str) -> Result<(), AwsError> {
        match self.policies.contains_key(id) {
            true => Ok(()),
            false => Err(error(
                op,
                "PolicyNotFoundException",
                "We can't find a policy with the PolicyId that you specified.",
            )),
        }
    }
}

#[async_trait]
impl OrganizationsApi for FakeOrganizations {
    async fn describe_organization(&self) -> Result<Option<Organization>, AwsError> {
        match self.begin("DescribeOrganization", "") {
            Ok(_) => Ok(Some(Organization { id: ORGANIZATION.into(), management_account_id: MANAGEMENT.into() })),
            // As the SDK implementation reads it: an answer, not a failure.
            Err(e) if crate::aws::organizations::api::is_not_in_organization(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn list_roots(&self) -> Result<Vec<Root>, AwsError> {
        let w = self.begin("ListRoots", "")?;
        let mut types = BTreeMap::from([("SERVICE_CONTROL_POLICY".to_owned(), "ENABLED".to_owned())]);
        if w.inspector_policy_enabled {
            types.insert("INSPECTOR_POLICY".into(), "ENABLED".into());
        }
        Ok(vec![Root { id: ROOT.into(), policy_types: types }])
    }

    async fn create_policy(
        &self,
        input: &PolicyInput,
        tags: &BTreeMap<String, String>,
    ) -> Result<PolicySummary, AwsError> {
        let mut w = self.begin("CreatePolicy", &input.name)?;
        if w.policies.values().any(|p| p.summary.name == input.name) {
            return Err(error(
                "CreatePolicy",
                "DuplicatePolicyException",
                "A policy with the same name already exists.",
            ));
        }
        let id = w.new_id();
        let p = policy(&id, &input.name, &input.description, &input.content);
        w.policies.insert(id.clone(), p.clone());
        w.targets.insert(id.clone(), BTreeSet::new());
        w.tags.insert(id, tags.clone());
        Ok(p.summary)
    }

    async fn update_policy(&self, policy_id: &str, input: &PolicyInput) -> Result<PolicySummary, AwsError> {
        let mut w = self.begin("UpdatePolicy", policy_id)?;
        w.known("UpdatePolicy", policy_id)?;
        let p = policy(policy_id, &input.name, &input.description, &input.content);
        w.policies.insert(policy_id.into(), p.clone());
        Ok(p.summary)
    }

    async fn delete_policy(&self, policy_id: &str) -> Result<(), AwsError> {
        let mut w = self.begin("DeletePolicy", policy_id)?;
        w.known("DeletePolicy", policy_id)?;
        if w.targets.get(policy_id).is_some_and(|t| !t.is_empty()) {
            return Err(error(
                "DeletePolicy",
                "PolicyInUseException",
                "The policy is attached to one or more entities.",
            ));
        }
        w.policies.remove(policy_id);
        w.targets.remove(policy_id);
        Ok(())
    }

    async fn describe_policy(&self, policy_id: &str) -> Result<Policy, AwsError> {
        let w = self.begin("DescribePolicy", policy_id)?;
        w.known("DescribePolicy", policy_id)?;
        Ok(w.policies[policy_id].clone())
    }

    async fn attach_policy(&self, policy_id: &str, target_id: &str) -> Result<(), AwsError> {
        let mut w = self.begin("AttachPolicy", &format!("{policy_id} {target_id}"))?;
        w.known("AttachPolicy", policy_id)?;
        if !w.inspector_policy_enabled {
            return Err(error(
                "AttachPolicy",
                "PolicyTypeNotEnabledException",
                "The specified policy type isn't currently enabled in this root.",
            ));
        }
        if !w.targets.get_mut(policy_id).map(|t| t.insert(target_id.into())).unwrap_or(false) {
            return Err(error(
                "AttachPolicy",
                "DuplicatePolicyAttachmentException",
                "The selected policy is already attached to the specified target.",
            ));
        }
        Ok(())
    }

    async fn detach_policy(&self, policy_id: &str, target_id: &str) -> Result<(), AwsError> {
        let mut w = self.begin("DetachPolicy", &format!("{policy_id} {target_id}"))?;
        w.known("DetachPolicy", policy_id)?;
        if !w.targets.get_mut(policy_id).map(|t| t.remove(target_id)).unwrap_or(false) {
            return Err(error(
                "DetachPolicy",
                "PolicyNotAttachedException",
                "The policy isn't attached to the specified target.",
            ));
        }
        Ok(())
    }

    async fn list_targets_for_policy(&self, policy_id: &str) -> Result<Vec<PolicyTarget>, AwsError> {
        let w = self.begin("ListTargetsForPolicy", policy_id)?;
        w.known("ListTargetsForPolicy", policy_id)?;
        let kind = |t: &str| match t {
            t if t.starts_with("r-") => TargetType::Root,
            t if t.starts_with("ou-") => TargetType::OrganizationalUnit,
            _ => TargetType::Account,
        };
        let targets = w.targets[policy_id].iter();
        Ok(targets.map(|t| PolicyTarget { target_id: t.clone(), name: t.clone(), kind: Some(kind(t)) }).collect())
    }

    async fn list_policies(&self) -> Result<Vec<PolicySummary>, AwsError> {
        let w = self.begin("ListPolicies", "INSPECTOR_POLICY")?;
        // Newest first: AWS documents no order, so callers must sort.
        Ok(w.policies.values().rev().map(|p| p.summary.clone()).collect())
    }

    async fn list_policies_for_target(&self, target_id: &str) -> Result<Vec<PolicySummary>, AwsError> {
        let w = self.begin("ListPoliciesForTarget", target_id)?;
        let attached = w.targets.iter().filter(|(_, t)| t.contains(target_id));
        Ok(attached.map(|(id, _)| w.policies[id].summary.clone()).collect())
    }

    async fn effective_inspector_policy(&self, account_id: &str) -> Result<Option<String>, AwsError> {
        let w = self.begin("DescribeEffectivePolicy", account_id)?;
        Ok(w.effective.get(account_id).cloned())
    }

    async fn tag_policy(&self, policy_id: &str, tags: &BTreeMap<String, String>) -> Result<(), AwsError> {
        let mut w = self.begin("TagResource", policy_id)?;
        w.known("TagResource", policy_id)?;
        w.tags.entry(policy_id.into()).or_default().extend(tags.clone());
        Ok(())
    }

    async fn untag_policy(&self, policy_id: &str, keys: &[String]) -> Result<(), AwsError> {
        let mut w = self.begin("UntagResource", policy_id)?;
        w.known("UntagResource", policy_id)?;
        let tags = w.tags.entry(policy_id.into()).or_default();
        keys.iter().for_each(|k| {
            tags.remove(k);
        });
        Ok(())
    }

    async fn policy_tags(&self, policy_id: &str) -> Result<BTreeMap<String, String>, AwsError> {
        let w = self.begin("ListTagsForResource", policy_id)?;
        w.known("ListTagsForResource", policy_id)?;
        Ok(w.tags.get(policy_id).cloned().unwrap_or_default())
    }

    async fn parents(&self, child_id: &str) -> Result<Vec<String>, AwsError> {
        let w = self.begin("ListParents", child_id)?;
        Ok(vec![w.parents.get(child_id).cloned().unwrap_or_else(|| ROOT.to_owned())])
    }
}

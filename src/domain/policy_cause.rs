//! Which AWS Organizations Inspector policy decides an account's ECR scanning in a Region, free
//! of Terraform: used to name the policy behind BLOCKED_BY_ORGANIZATION_POLICY and behind an
//! account that fails Inspector.2 because a policy disables ECR scanning there.
//!
//! Per account: DescribeEffectivePolicy (INSPECTOR_POLICY) says what applies; when it decides
//! ECR scanning in the Region, the policies attached to the account and to each OU and the root
//! above it (ListParents up the tree, ListPoliciesForTarget, DescribePolicy once per policy) that
//! decide it the same way are named, with where they are attached. Each OU's parent and policies
//! are read once per run. Bounded: at most [`MAX_LOOKUPS`] accounts.

use std::collections::BTreeMap;

use crate::aws::organizations::api::{is_access_denied, is_not_in_organization, OrganizationsApi, PolicySummary};
use crate::aws::AwsError;
use crate::domain::ecr_policy::{self, EcrDecision};
use crate::domain::scanning::Report;
use crate::domain::status;

/// Accounts looked up at most per read or apply; the rest are reported as not checked.
pub const MAX_LOOKUPS: usize = 100;

/// The longest the lookups of one apply may take (each call is bounded by the SDK's timeouts too).
pub const LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// What the policies decide for one account in one Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    /// The account's effective Inspector policy's word on ECR scanning in the Region.
    pub decision: EcrDecision,
    /// Policies attached to the account, an OU above it or the root that decide it that way, each
    /// with where it is attached (empty when only the combination of several decides it).
    pub policies: Vec<(PolicySummary, String)>,
    /// Why the policies could not be named, when they could not.
    pub naming_error: Option<AwsError>,
}

impl Cause {
    /// Whether a policy decides ECR scanning for the account in the Region.
    pub fn policy_managed(&self) -> bool {
        self.decision != EcrDecision::Unmanaged
    }

    /// `p-abc (name), p-def (other)` or where the policy comes from when none could be named.
    pub fn named(&self) -> String {
        if let Some(e) = &self.naming_error {
            return format!("the policy could not be named: {e}");
        }
        match self.policies.is_empty() {
            true => "no single Inspector policy attached to the account, its OUs or the root decides it: the \
                     effective policy combines several (aws organizations describe-effective-policy)"
                .to_owned(),
            false => {
                let named =
                    self.policies.iter().map(|(p, target)| format!("{} ({}) attached to {target}", p.id, p.name));
                named.collect::<Vec<_>>().join(", ")
            }
        }
    }

    /// One sentence on what the policy does in `region`.
    pub fn sentence(&self, region: &str) -> String {
        let does = match self.decision {
            EcrDecision::Disabled => "disables",
            EcrDecision::Enabled => "enables",
            EcrDecision::Unmanaged => {
                return format!("no AWS Organizations Inspector policy decides ECR scanning in {region}")
            }
        };
        format!(
            "the account's effective AWS Organizations Inspector policy {does} ECR scanning in {region}: {}",
            self.named()
        )
    }
}

/// The lookups of one read or apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lookups {
    /// Accounts looked up: their cause, or the error that kept it unknown.
    pub by_account: BTreeMap<String, Result<Cause, AwsError>>,
    /// Accounts beyond [`MAX_LOOKUPS`], not looked up.
    pub not_checked: usize,
    /// Organizations refused the caller (not the management account or a delegated
    /// administrator for policies, or no IAM permission): nothing more was asked.
    pub denied: Option<AwsError>,
}

impl Lookups {
    /// The note for accounts whose policy could not be looked up, or None.
    pub fn denied_note(&self) -> Option<String> {
        self.denied.as_ref().map(|e| {
            format!(
                "AWS Organizations could not be read to name the policy ({e}); run from the management account or \
                 the Organizations delegated administrator for policies, with organizations:DescribeEffectivePolicy, \
                 organizations:ListPoliciesForTarget, organizations:ListParents and organizations:DescribePolicy"
            )
        })
    }
}

/// Looks up the first [`MAX_LOOKUPS`] of `accounts`, in order, one at a time (Organizations'
/// rate is low, and a refusal ends the lookups at once).
pub async fn look_up<'a>(
    org: &dyn OrganizationsApi,
    region: &str,
    accounts: impl IntoIterator<Item = &'a String>,
) -> Lookups {
    let accounts: Vec<&String> = accounts.into_iter().collect();
    let mut lookups = Lookups { not_checked: accounts.len().saturating_sub(MAX_LOOKUPS), ..Lookups::default() };
    let mut namer = Namer::default();
    for account in accounts.into_iter().take(MAX_LOOKUPS) {
        match cause(org, &mut namer, region, account).await {
            Err(e) if is_access_denied(&e) => {
                lookups.denied = Some(e);
                break;
            }
            result => {
                lookups.by_account.insert(account.clone(), result);
            }
        }
    }
    lookups
}

async fn cause(org: &dyn OrganizationsApi, namer: &mut Namer, region: &str, account: &str) -> Result<Cause, AwsError> {
    let decision = match org.effective_inspector_policy(account).await {
        Ok(Some(content)) => ecr_policy::decision(&content, region),
        // No effective policy, or no organization at all: no policy decides it.
        Ok(None) => EcrDecision::Unmanaged,
        Err(e) if is_not_in_organization(&e) => EcrDecision::Unmanaged,
        Err(e) => return Err(e),
    };
    if decision == EcrDecision::Unmanaged {
        return Ok(Cause { decision, policies: Vec::new(), naming_error: None });
    }
    match namer.deciding(org, region, account, decision).await {
        Ok(policies) => Ok(Cause { decision, policies, naming_error: None }),
        Err(e) if is_access_denied(&e) => Err(e),
        Err(e) => Ok(Cause { decision, policies: Vec::new(), naming_error: Some(e) }),
    }
}

/// The most levels walked up from an account: AWS Organizations nests OUs five deep under the root.
const MAX_DEPTH: usize = 7;

/// Names policies, reading each target's policies, each OU's parent and each policy's document
/// once per lookup run.
#[derive(Default)]
struct Namer {
    attached: BTreeMap<String, Vec<PolicySummary>>,
    parent: BTreeMap<String, Option<String>>,
    contents: BTreeMap<String, String>,
}

impl Namer {
    /// The policies attached to `account`, an OU above it or the root whose own document decides
    /// ECR scanning in `region` as `decision`, each with its target.
    async fn deciding(
        &mut self,
        org: &dyn OrganizationsApi,
        region: &str,
        account: &str,
        decision: EcrDecision,
    ) -> Result<Vec<(PolicySummary, String)>, AwsError> {
        let mut named: Vec<(PolicySummary, String)> = Vec::new();
        let mut target = Some(account.to_owned());
        for _ in 0..MAX_DEPTH {
            let Some(current) = target.take() else { break };
            for policy in self.attached(org, &current).await? {
                if self.decides(org, &policy, region).await? == decision
                    && !named.iter().any(|(p, _)| p.id == policy.id)
                {
                    named.push((policy, current.clone()));
                }
            }
            if !current.starts_with("r-") {
                target = self.parent(org, &current).await?;
            }
        }
        Ok(named)
    }

    async fn attached(&mut self, org: &dyn OrganizationsApi, target: &str) -> Result<Vec<PolicySummary>, AwsError> {
        if !self.attached.contains_key(target) {
            let policies = org.list_policies_for_target(target).await?;
            self.attached.insert(target.to_owned(), policies);
        }
        Ok(self.attached[target].clone())
    }

    async fn parent(&mut self, org: &dyn OrganizationsApi, child: &str) -> Result<Option<String>, AwsError> {
        if !self.parent.contains_key(child) {
            let parent = org.parents(child).await?.into_iter().next();
            self.parent.insert(child.to_owned(), parent);
        }
        Ok(self.parent[child].clone())
    }

    async fn decides(
        &mut self,
        org: &dyn OrganizationsApi,
        policy: &PolicySummary,
        region: &str,
    ) -> Result<EcrDecision, AwsError> {
        if !self.contents.contains_key(&policy.id) {
            let content = org.describe_policy(&policy.id).await?.content;
            self.contents.insert(policy.id.clone(), content);
        }
        Ok(ecr_policy::decision(&self.contents[&policy.id], region))
    }
}

/// Adds, to each account an Enable failed with BLOCKED_BY_ORGANIZATION_POLICY, the policy that
/// disables ECR scanning for it in `region`, or why it could not be named; the hint stays.
pub async fn explain_blocked(org: &dyn OrganizationsApi, region: &str, report: &mut Report) {
    let blocked: Vec<String> = report
        .failed
        .iter()
        .filter(|(_, f)| f.code == crate::aws::ErrorCode::BlockedByOrganizationPolicy.as_str())
        .map(|(a, _)| a.clone())
        .collect();
    if blocked.is_empty() {
        return;
    }
    let lookups = look_up(org, region, &blocked).await;
    for account in &blocked {
        let note = match lookups.by_account.get(account) {
            Some(Ok(cause)) => cause.sentence(region),
            Some(Err(e)) => format!("the policy could not be looked up: {e}"),
            None => {
                lookups.denied_note().unwrap_or_else(|| format!("not looked up (only the first {MAX_LOOKUPS} are)"))
            }
        };
        if let Some(failure) = report.failed.get_mut(account) {
            failure.message = format!("{}; {note}", failure.message);
            failure.hint = Some(status::POLICY_DISABLES_HINT.to_owned());
        }
    }
}

#[cfg(test)]
mod tests;

//! Inspector.2 evaluated now, free of Terraform types: AWS's published rule applied to
//! Inspector's own answers, so a check can assert PASSED right after a fix instead of waiting up
//! to 12 hours for Security Hub's periodic evaluation.
//!
//! The rule: a standalone account passes when its ECR scanning is ENABLED. A delegated
//! administrator passes only when it and every associated member have ECR ENABLED; a suspended
//! member without ECR keeps it FAILED until the administrator disassociates it. A member account
//! is not evaluated there (NOT_APPLICABLE).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::aws::inspector::organization::{Member, RelationshipStatus};
use crate::aws::organizations::api::{Organization, OrganizationsApi};
use crate::aws::{AwsError, InspectorApi, InspectorStatus};
use crate::domain::batch::for_each_chunk;
use crate::domain::ecr_policy::EcrDecision;
use crate::domain::organization::{self, ReadError};
use crate::domain::policy_cause::{self, Cause};
use crate::domain::scanning::Failure;
use crate::domain::wait::Limit;

/// Who the caller is in Inspector's organization, in this Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Standalone,
    DelegatedAdmin,
    /// A member; the value is its delegated administrator, None when only `expected_role` says
    /// it is a member.
    Member(Option<String>),
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Standalone => "STANDALONE",
            Role::DelegatedAdmin => "DELEGATED_ADMIN",
            Role::Member(_) => "MEMBER",
        }
    }

    /// The role the user expects (`expected_role`), from its name.
    pub fn expected(name: &str) -> Result<Role, String> {
        match name {
            "STANDALONE" => Ok(Role::Standalone),
            "DELEGATED_ADMIN" => Ok(Role::DelegatedAdmin),
            "MEMBER" => Ok(Role::Member(None)),
            other => Err(format!("{other:?} is not a role; expected STANDALONE, DELEGATED_ADMIN or MEMBER")),
        }
    }
}

/// Why Inspector.2 could not be judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvaluationError {
    /// A read failed, was refused, or ran out of time.
    Read(ReadError),
    /// The answers prove no role: DescribeOrganizationConfiguration failed, GetMember (when asked)
    /// did not show a membership, and DescribeOrganization (when asked) did not say the account
    /// is in no organization. `membership` says what GetMember answered, `organization` what
    /// DescribeOrganization did.
    RoleUnknown {
        caller: String,
        region: String,
        describe: AwsError,
        membership: Option<String>,
        organization: Option<Result<Organization, AwsError>>,
    },
    /// Inspector's answers prove a role other than `expected_role`.
    NotExpected { caller: String, region: String, expected: Role, found: Role, evidence: String },
}

impl From<ReadError> for EvaluationError {
    fn from(e: ReadError) -> Self {
        EvaluationError::Read(e)
    }
}

impl EvaluationError {
    /// The summary users read above the detail (`to_string`).
    pub fn summary(&self) -> &'static str {
        match self {
            EvaluationError::Read(e) => e.summary(),
            EvaluationError::RoleUnknown { .. } => "Inspector.2 cannot be judged: the role is not known",
            EvaluationError::NotExpected { .. } => "Inspector.2 cannot be judged: not the expected role",
        }
    }

    /// Whether the error is about `expected_role` (the diagnostic then points at it).
    pub fn is_about_expected_role(&self) -> bool {
        matches!(self, EvaluationError::NotExpected { .. })
    }
}

impl fmt::Display for EvaluationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvaluationError::Read(e) => write!(f, "{e}"),
            EvaluationError::RoleUnknown { caller, region, describe, membership, organization } => {
                let op = describe.operation;
                write!(f, "Inspector did not answer inspector2:{op} for account {caller} in {region} ({describe})")?;
                if let Some(membership) = membership {
                    write!(f, ", inspector2:GetMember of {caller} did not show it as a member ({membership})")?;
                }
                match organization {
                    Some(Ok(o)) => write!(
                        f,
                        ", and organizations:DescribeOrganization says it belongs to organization {} (management \
                         account {}), so it is not a standalone account. A refused or failed read is not evidence \
                         of a role: {caller} may be the delegated administrator whose role lacks inspector2:{op}, or an \
                         account of that organization that is neither Inspector's delegated administrator nor its \
                         member. Grant the delegated administrator's role inspector2:{op} and inspector2:ListMembers, \
                         or set expected_role (STANDALONE, DELEGATED_ADMIN or MEMBER) to say which {caller} is.",
                        o.id, o.management_account_id
                    ),
                    Some(Err(e)) => write!(
                        f,
                        ", and Organizations did not answer organizations:DescribeOrganization ({e}). {}",
                        unknown_advice(caller, op)
                    ),
                    None => write!(f, ". {}", unknown_advice(caller, op)),
                }
            }
            EvaluationError::NotExpected { caller, region, expected, found, evidence } => write!(
                f,
                "expected_role: {caller} is {found} in {region}, not {expected}: {evidence}. Correct expected_role or \
                 remove it.",
                expected = expected.as_str(),
                found = found.as_str()
            ),
        }
    }
}

/// What to do when neither Inspector nor Organizations proved a role.
fn unknown_advice(caller: &str, op: &str) -> String {
    format!(
        "A refused or failed read is not evidence of a role: {caller} may be the delegated administrator whose role \
         lacks inspector2:{op}, or a standalone account. Grant the delegated administrator's role inspector2:{op} and \
         inspector2:ListMembers, grant a standalone account organizations:DescribeOrganization (its answer that the \
         account is in no organization proves STANDALONE), or set expected_role (STANDALONE, DELEGATED_ADMIN or \
         MEMBER) to say which {caller} is."
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "PASSED",
            Status::Failed => "FAILED",
            Status::NotApplicable => "NOT_APPLICABLE",
        }
    }
}

/// One judged account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub account_id: String,
    /// None for the administrator or a standalone account, which are nobody's members.
    pub relationship_status: Option<RelationshipStatus>,
    /// None when the status could not be read.
    pub ecr_status: Option<InspectorStatus>,
    pub passes: bool,
    pub reason: String,
    pub hint: Option<String>,
    /// Whether an AWS Organizations Inspector policy decides the account's ECR scanning in the
    /// Region; None when not looked up (passing accounts, or the lookup failed or was refused).
    pub policy_managed: Option<bool>,
}

/// Inspector.2 for the caller's account (and organization) in one Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub role: Role,
    pub status: Status,
    /// Sorted by account.
    pub accounts: Vec<Verdict>,
    pub failing_account_ids: BTreeSet<String>,
    /// The organization's auto-enable ECR flag; None unless the caller is the administrator and
    /// DescribeOrganizationConfiguration answered.
    pub auto_enable_ecr: Option<bool>,
    /// Why the administrator's auto-enable flag is unknown: DescribeOrganizationConfiguration
    /// failed and `expected_role` said DELEGATED_ADMIN.
    pub unread_configuration: Option<AwsError>,
}

impl Evaluation {
    /// The warning users read when accounts that join later will not scan ECR by themselves.
    pub fn auto_enable_warning(&self, region: &str) -> Option<String> {
        (self.auto_enable_ecr == Some(false)).then(|| {
            format!(
                "Auto-enable for ECR scanning is off in {region}: accounts that join the organization later will not \
                 scan ECR and will fail Inspector.2 until they are enabled. Turn it on with the \
                 inspector2fix_ecr_auto_enable resource."
            )
        })
    }

    /// The warning users read when the administrator's auto-enable flag could not be read.
    pub fn unread_configuration_warning(&self) -> Option<String> {
        self.unread_configuration.as_ref().map(|e| {
            format!(
                "auto_enable_ecr is unknown (null): {e}. Grant inspector2:DescribeOrganizationConfiguration to read it; \
                 the compliance status does not depend on it."
            )
        })
    }
}

/// Evaluates Inspector.2 for `caller` in `region`. The role comes only from positive evidence:
/// DescribeOrganizationConfiguration answers only the delegated administrator, GetMember of the
/// caller names a member's administrator, and Organizations' DescribeOrganization answering
/// AWSOrganizationsNotInUseException proves an account in no organization, which no delegated
/// administrator can cover: STANDALONE. When that evidence is missing, `expected` (the user's
/// `expected_role`) decides; without it the evaluation fails naming the permissions.
///
/// Costs, by role: the administrator, one DescribeOrganizationConfiguration, every ListMembers
/// page and one BatchGetAccountStatus per 100 judged accounts; a member, one
/// DescribeOrganizationConfiguration and one GetMember; a standalone account, one each of
/// DescribeOrganizationConfiguration, GetMember, DescribeOrganization (none when `expected` is
/// set) and BatchGetAccountStatus. `expected` DELEGATED_ADMIN needs no GetMember.
pub async fn evaluate(
    api: &dyn InspectorApi,
    org: &dyn OrganizationsApi,
    limit: &mut Limit,
    caller: &str,
    region: &str,
    expected: Option<&Role>,
) -> Result<Evaluation, EvaluationError> {
    let asking = Asking { api, org, caller, region, expected };
    let (role, auto_enable_ecr, unread) = asking.decide_role(limit).await?;
    let judged = match &role {
        Role::Member(admin) => return Ok(not_applicable(admin.clone())),
        Role::DelegatedAdmin => judged_accounts(caller, organization::list_members(api, limit, caller, region).await?),
        Role::Standalone => BTreeMap::from([(caller.to_owned(), None)]),
    };
    let reading = read_ecr(api, limit, judged.keys().cloned().collect()).await?;
    let accounts: Vec<Verdict> = judged
        .into_iter()
        .map(|(account, relationship)| {
            let ecr = reading.get(&account).cloned().unwrap_or(Ok(InspectorStatus::Disabled));
            judge(&account, relationship, ecr, caller, region)
        })
        .collect();
    let failing_account_ids: BTreeSet<String> =
        accounts.iter().filter(|v| !v.passes).map(|v| v.account_id.clone()).collect();
    let status = if failing_account_ids.is_empty() { Status::Passed } else { Status::Failed };
    let unread_configuration = unread.filter(|_| role == Role::DelegatedAdmin);
    Ok(Evaluation { role, status, accounts, failing_account_ids, auto_enable_ecr, unread_configuration })
}

/// Who is asked about the caller's role, and what the user expects it to be.
struct Asking<'a> {
    api: &'a dyn InspectorApi,
    org: &'a dyn OrganizationsApi,
    caller: &'a str,
    region: &'a str,
    expected: Option<&'a Role>,
}

impl Asking<'_> {
    /// The caller's role, the organization's auto-enable ECR flag when
    /// DescribeOrganizationConfiguration answered, and its error when it did not.
    async fn decide_role(&self, limit: &mut Limit) -> Result<(Role, Option<bool>, Option<AwsError>), EvaluationError> {
        let api = self.api;
        let config =
            organization::retrying(limit, "DescribeOrganizationConfiguration", || api.organization_configuration())
                .await?;
        match config {
            Ok(config) => match self.expected {
                Some(expected) if *expected != Role::DelegatedAdmin => {
                    let evidence = "Inspector answered DescribeOrganizationConfiguration, which it answers only the \
                                    delegated administrator";
                    Err(self.not_expected(expected, Role::DelegatedAdmin, evidence.to_owned()))
                }
                _ => Ok((Role::DelegatedAdmin, Some(config.auto_enable.ecr), None)),
            },
            Err(describe) => {
                let role = self.role_without_configuration(limit, &describe).await?;
                Ok((role, None, Some(describe)))
            }
        }
    }

    fn not_expected(&self, expected: &Role, found: Role, evidence: String) -> EvaluationError {
        EvaluationError::NotExpected {
            caller: self.caller.to_owned(),
            region: self.region.to_owned(),
            expected: expected.clone(),
            found,
            evidence,
        }
    }

    fn unknown(
        &self,
        describe: &AwsError,
        membership: Option<String>,
        organization: Option<Result<Organization, AwsError>>,
    ) -> EvaluationError {
        EvaluationError::RoleUnknown {
            caller: self.caller.to_owned(),
            region: self.region.to_owned(),
            describe: describe.clone(),
            membership,
            organization,
        }
    }

    /// The role of a caller whose DescribeOrganizationConfiguration failed (`describe`). A member is
    /// proven by GetMember of its own account naming another administrator; then `expected`
    /// decides; without it, an account in no organization is STANDALONE, and any other answer
    /// fails. A DELEGATED_ADMIN expectation needs no GetMember: ListMembers, read next, is its
    /// evidence.
    async fn role_without_configuration(
        &self,
        limit: &mut Limit,
        describe: &AwsError,
    ) -> Result<Role, EvaluationError> {
        match self.expected {
            Some(Role::DelegatedAdmin) => return Ok(Role::DelegatedAdmin),
            None if !organization::is_access_denied(describe) => return Err(self.unknown(describe, None, None)),
            _ => {}
        }
        let (api, caller) = (self.api, self.caller);
        let answer = organization::retrying(limit, "GetMember", || api.get_member(caller)).await?;
        let membership = match answer {
            Ok(Member { delegated_admin_account_id: Some(admin), .. }) if !admin.is_empty() && admin != caller => {
                let found = Role::Member(Some(admin.clone()));
                return match self.expected {
                    Some(Role::Standalone) => {
                        let evidence = format!("Inspector's GetMember names {admin} as its delegated administrator");
                        Err(self.not_expected(&Role::Standalone, found, evidence))
                    }
                    _ => Ok(found),
                };
            }
            Ok(_) => "it answered with no other delegated administrator".to_owned(),
            Err(e) => e.to_string(),
        };
        match self.expected {
            Some(role) => Ok(role.clone()),
            None => self.standalone_or_unknown(limit, describe, membership).await,
        }
    }

    /// STANDALONE when Organizations says the caller is in no organization; otherwise the role
    /// stays unknown, with what DescribeOrganization answered.
    async fn standalone_or_unknown(
        &self,
        limit: &mut Limit,
        describe: &AwsError,
        membership: String,
    ) -> Result<Role, EvaluationError> {
        let org = self.org;
        let answer = organization::retrying(limit, "DescribeOrganization", || org.describe_organization()).await?;
        match answer {
            Ok(None) => Ok(Role::Standalone),
            Ok(Some(o)) => Err(self.unknown(describe, Some(membership), Some(Ok(o)))),
            Err(e) => Err(self.unknown(describe, Some(membership), Some(Err(e)))),
        }
    }
}

/// A member's evaluation: AWS judges Inspector.2 in the administrator's account, not here.
fn not_applicable(admin: Option<String>) -> Evaluation {
    Evaluation {
        role: Role::Member(admin),
        status: Status::NotApplicable,
        accounts: Vec::new(),
        failing_account_ids: BTreeSet::new(),
        auto_enable_ecr: None,
        unread_configuration: None,
    }
}

/// The administrator and every member Inspector.2 counts: associated (ENABLED) and suspended
/// ones. Value: the member's relationship (None for the administrator).
fn judged_accounts(caller: &str, members: Vec<Member>) -> BTreeMap<String, Option<RelationshipStatus>> {
    let mut judged = BTreeMap::from([(caller.to_owned(), None)]);
    for m in members.into_iter().filter(|m| m.account_id != caller) {
        if let Some(s @ (RelationshipStatus::Enabled | RelationshipStatus::AccountSuspended)) = m.relationship_status {
            judged.insert(m.account_id, Some(s));
        }
    }
    judged
}

/// ECR status of every account (BatchGetAccountStatus, 100 a call, 10 in flight), or why it
/// could not be read. Accounts Inspector does not mention read DISABLED, as AWS means it.
async fn read_ecr(
    api: &dyn InspectorApi,
    limit: &mut Limit,
    ids: Vec<String>,
) -> Result<BTreeMap<String, Result<InspectorStatus, Failure>>, ReadError> {
    let deadline = limit.deadline();
    let chunks = for_each_chunk(&ids, |_, chunk| async move {
        organization::retry_until(deadline, || api.account_status(&chunk)).await
    });
    let timeout = limit.timeout();
    let results = limit.run(chunks).await.map_err(|ended| ReadError::Ended {
        ended,
        timeout,
        operation: "BatchGetAccountStatus",
    })?;
    let mut reading = BTreeMap::new();
    for (chunk, result) in results {
        let outcome = result.map_err(ReadError::Failed)?;
        for f in outcome.failed {
            let failure = Failure { code: f.error_code.to_string(), message: f.error_message, hint: None };
            reading.insert(f.account_id, Err(failure));
        }
        for a in outcome.accounts {
            reading.insert(a.account_id, Ok(a.ecr_status.unwrap_or(InspectorStatus::Disabled)));
        }
        for account in chunk {
            reading.entry(account).or_insert(Ok(InspectorStatus::Disabled));
        }
    }
    Ok(reading)
}

/// One account under the rule: it passes only when its ECR scanning is ENABLED. A suspended
/// member that does not pass always gets the hint to disassociate it, whether its status read
/// DISABLED or could not be read at all (Inspector refuses reads of some suspended accounts).
fn judge(
    account: &str,
    relationship: Option<RelationshipStatus>,
    ecr: Result<InspectorStatus, Failure>,
    caller: &str,
    region: &str,
) -> Verdict {
    let suspended = relationship == Some(RelationshipStatus::AccountSuspended);
    let (ecr_status, passes, reason, hint) = match ecr {
        Ok(InspectorStatus::Enabled) => {
            (Some(InspectorStatus::Enabled), true, "ECR scanning is ENABLED".to_owned(), None)
        }
        Ok(s) => {
            let hint = if s == InspectorStatus::Enabling {
                "Enabling takes seconds to minutes; read again later."
            } else {
                "Enable it with the inspector2fix_ecr_scanning resource (account_ids)."
            };
            (Some(s.clone()), false, format!("ECR scanning is {s}"), Some(hint.to_owned()))
        }
        Err(f) => {
            let hint = "Check that the account is an associated member of this administrator in this Region.";
            (None, false, format!("ECR status could not be read: {}: {}", f.code, f.message), Some(hint.to_owned()))
        }
    };
    let (reason, hint) = match suspended && !passes {
        true => (format!("suspended member: {reason}"), Some(disassociate_hint(account, caller, region))),
        false => (reason, hint),
    };
    Verdict {
        account_id: account.to_owned(),
        relationship_status: relationship,
        ecr_status,
        passes,
        reason,
        hint,
        policy_managed: None,
    }
}

/// Looks up, for the failing accounts only (the first [`policy_cause::MAX_LOOKUPS`]), whether an
/// AWS Organizations Inspector policy disables their ECR scanning in `region`, and says so in
/// their `reason` and `hint`. A passing evaluation makes no Organizations call. Returns how many
/// failing accounts were not looked up, and why none could be when Organizations refused.
pub async fn explain_failing(org: &dyn OrganizationsApi, region: &str, evaluation: &mut Evaluation) -> PolicyNotes {
    if evaluation.failing_account_ids.is_empty() {
        return PolicyNotes::default();
    }
    let lookups = policy_cause::look_up(org, region, &evaluation.failing_account_ids).await;
    for verdict in evaluation.accounts.iter_mut().filter(|v| !v.passes) {
        match lookups.by_account.get(&verdict.account_id) {
            Some(Ok(cause)) => explain(verdict, cause, region),
            Some(Err(e)) => {
                verdict.reason =
                    format!("{} (whether an Inspector policy decides it could not be read: {e})", verdict.reason)
            }
            None => {}
        }
    }
    PolicyNotes { not_checked: lookups.not_checked, denied: lookups.denied_note() }
}

/// What the policy lookups of one evaluation could not cover.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyNotes {
    /// Failing accounts beyond the lookup bound.
    pub not_checked: usize,
    /// Why Organizations could not be read, when it refused.
    pub denied: Option<String>,
}

fn explain(verdict: &mut Verdict, cause: &Cause, region: &str) {
    verdict.policy_managed = Some(cause.policy_managed());
    if cause.decision == EcrDecision::Disabled {
        verdict.reason = format!("{}: {}", verdict.reason, cause.sentence(region));
        verdict.hint = Some(format!(
            "Per-account enablement cannot override an Inspector policy: remove {region} from the policy's \
             ecr_scanning.disable_in_regions (from the management account or the Organizations delegated \
             administrator), or manage ECR scanning with the inspector2fix_ecr_scanning_policy resource."
        ));
    }
}

fn disassociate_hint(account: &str, caller: &str, region: &str) -> String {
    format!(
        "A suspended member keeps Inspector.2 FAILED until the administrator disassociates it (inspector2fix never \
         does): aws inspector2 disassociate-member --account-id {account} --region {region}, with {caller}'s credentials."
    )
}

#[cfg(test)]
mod tests;

//! Inspector.2 evaluated now, free of Terraform types: AWS's published rule applied to
//! Inspector's own answers, so a check can assert PASSED right after a fix instead of waiting up
//! to 12 hours for Security Hub's periodic evaluation.
//!
//! The rule: a standalone account passes when its ECR scanning is ENABLED. A delegated
//! administrator passes only when it and every associated member have ECR ENABLED; a suspended
//! member without ECR keeps it FAILED until the administrator disassociates it. A member account
//! is not evaluated there (NOT_APPLICABLE).

use std::collections::{BTreeMap, BTreeSet};

use crate::aws::inspector::organization::{Member, RelationshipStatus};
use crate::aws::{InspectorApi, InspectorStatus};
use crate::domain::batch::for_each_chunk;
use crate::domain::organization::{self, ReadError};
use crate::domain::scanning::Failure;
use crate::domain::wait::Limit;

/// Who the caller is in Inspector's organization, in this Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Standalone,
    DelegatedAdmin,
    /// A member; the value is its delegated administrator.
    Member(String),
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Standalone => "STANDALONE",
            Role::DelegatedAdmin => "DELEGATED_ADMIN",
            Role::Member(_) => "MEMBER",
        }
    }
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
}

/// Inspector.2 for the caller's account (and organization) in one Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub role: Role,
    pub status: Status,
    /// Sorted by account.
    pub accounts: Vec<Verdict>,
    pub failing_account_ids: BTreeSet<String>,
    /// The organization's auto-enable ECR flag; None unless the caller is the administrator.
    pub auto_enable_ecr: Option<bool>,
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
}

/// Evaluates Inspector.2 for `caller` in `region`. Costs one DescribeOrganizationConfiguration;
/// then, for the administrator, every ListMembers page and one BatchGetAccountStatus per 100
/// judged accounts; otherwise one GetMember and, for a standalone account, one
/// BatchGetAccountStatus.
pub async fn evaluate(
    api: &dyn InspectorApi,
    limit: &mut Limit,
    caller: &str,
    region: &str,
) -> Result<Evaluation, ReadError> {
    let config =
        organization::retrying(limit, "DescribeOrganizationConfiguration", || api.organization_configuration()).await?;
    let (role, judged, auto_enable_ecr) = match config {
        Ok(config) => {
            let members = organization::list_members(api, limit, caller, region).await?;
            (Role::DelegatedAdmin, judged_accounts(caller, members), Some(config.auto_enable.ecr))
        }
        Err(e) if organization::is_access_denied(&e) => match role_of_non_administrator(api, limit, caller).await? {
            Role::Member(admin) => return Ok(not_applicable(admin)),
            role => (role, BTreeMap::from([(caller.to_owned(), None)]), None),
        },
        Err(e) => return Err(ReadError::Failed(e)),
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
    Ok(Evaluation { role, status, accounts, failing_account_ids, auto_enable_ecr })
}

/// A member's evaluation: AWS judges Inspector.2 in the administrator's account, not here.
fn not_applicable(admin: String) -> Evaluation {
    Evaluation {
        role: Role::Member(admin),
        status: Status::NotApplicable,
        accounts: Vec::new(),
        failing_account_ids: BTreeSet::new(),
        auto_enable_ecr: None,
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

/// A caller Inspector refused the organization configuration asks for its own membership: an
/// answer naming another delegated administrator makes it a member; anything else (refused,
/// not found, no administrator) leaves it standalone.
async fn role_of_non_administrator(api: &dyn InspectorApi, limit: &mut Limit, caller: &str) -> Result<Role, ReadError> {
    let answer = organization::retrying(limit, "GetMember", || api.get_member(caller)).await?;
    Ok(match answer {
        Ok(Member { delegated_admin_account_id: Some(admin), .. }) if !admin.is_empty() && admin != caller => {
            Role::Member(admin)
        }
        _ => Role::Standalone,
    })
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
    Verdict { account_id: account.to_owned(), relationship_status: relationship, ecr_status, passes, reason, hint }
}

fn disassociate_hint(account: &str, caller: &str, region: &str) -> String {
    format!(
        "A suspended member keeps Inspector.2 FAILED until the administrator disassociates it (inspector2fix never \
         does): aws inspector2 disassociate-member --account-id {account} --region {region}, with {caller}'s credentials."
    )
}

#[cfg(test)]
mod tests;

//! The organization's Inspector delegated administrator, free of Terraform: designate an account
//! from the management account and wait until GetDelegatedAdminAccount reports it `ENABLED`;
//! remove it and wait until ListDelegatedAdminAccounts no longer lists it. Both per Region, under
//! a [`Limit`]: only throttling, 5xx and network errors are retried.
//!
//! AWS's rules (Inspector guide, "Designating a delegated administrator" and "Removing the
//! delegated administrator"): an organization has one administrator, the same account in every
//! Region; removing it turns every member into a standalone account that keeps its scan settings.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::aws::errors::ServiceErrorCode;
use crate::aws::inspector::api::{DelegatedAdmin, DelegatedAdminApi};
use crate::aws::inspector::organization::RelationshipStatus;
use crate::aws::AwsError;
use crate::domain::wait::{Backoff, Ended, Limit};
use crate::text;

#[cfg(test)]
pub(crate) mod fake;
#[cfg(test)]
mod tests;

/// The IAM actions the management account needs for this resource, for error texts.
pub const PERMISSIONS: &str = "inspector2:EnableDelegatedAdminAccount, inspector2:DisableDelegatedAdminAccount, \
                               inspector2:GetDelegatedAdminAccount and inspector2:ListDelegatedAdminAccounts";

/// Why designating or removing did not finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Another account is, or is becoming, the administrator in this Region.
    OtherAdmin(DelegatedAdmin),
    /// EnableDelegatedAdminAccount answered ConflictException, yet this Region names no other
    /// administrator: another Region most likely has a different one.
    Conflict(AwsError),
    /// A call failed for good (not the management account, no permission, a bad endpoint).
    Failed(AwsError),
    /// The deadline or Terraform's stop came first; the last retryable error, if any.
    Ended { ended: Ended, timeout: Duration, last_error: Option<AwsError> },
}

/// What designating or removing did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub account_id: String,
    /// Enable (or Disable) requests Inspector accepted; 0 when there was nothing to send.
    pub requests_accepted: u32,
    /// Whether the account is, or is becoming, the administrator by the last answer: an Enable
    /// was accepted, or Get named it. Decides whether state keeps it after a failure.
    pub took_effect: bool,
    /// The account's relationship status by the last GetDelegatedAdminAccount that named it.
    pub status: Option<RelationshipStatus>,
    /// The administrator by the last GetDelegatedAdminAccount, if one answered.
    pub last_read: Option<Option<DelegatedAdmin>>,
    pub problem: Option<Problem>,
}

impl Outcome {
    fn new(account_id: &str) -> Self {
        Outcome {
            account_id: account_id.to_owned(),
            requests_accepted: 0,
            took_effect: false,
            status: None,
            last_read: None,
            problem: None,
        }
    }

    /// The text users read when designating did not finish; `region` and `caller` name where.
    pub fn designate_problem(&self, region: &str, caller: Option<&str>) -> Option<String> {
        let account = &self.account_id;
        let text = match self.problem.as_ref()? {
            Problem::OtherAdmin(other) => other_admin(other, account, region),
            Problem::Conflict(e) => format!(
                "{e}. Inspector names no other delegated administrator in {region}, so another Region most likely \
                 has one: AWS requires the same account to be the delegated administrator in every Region. Make \
                 account {account} the administrator there too only after removing the other one in every Region, \
                 or use that account here."
            ),
            Problem::Failed(e) => explain(e, caller),
            Problem::Ended { ended, timeout, last_error } => {
                let wanted = format!("account {account} to read ENABLED as Inspector's delegated administrator");
                self.ended_text(*ended, *timeout, last_error.as_ref(), &wanted, region, "EnableDelegatedAdminAccount")
            }
        };
        Some(text)
    }

    /// The text users read when removing did not finish.
    pub fn remove_problem(&self, region: &str, caller: Option<&str>) -> Option<String> {
        let text = match self.problem.as_ref()? {
            Problem::Failed(e) => explain(e, caller),
            Problem::OtherAdmin(_) | Problem::Conflict(_) => return None,
            Problem::Ended { ended, timeout, last_error } => {
                let wanted = format!("account {} to leave Inspector's delegated administrator list", self.account_id);
                self.ended_text(*ended, *timeout, last_error.as_ref(), &wanted, region, "DisableDelegatedAdminAccount")
            }
        };
        Some(text)
    }

    fn ended_text(
        &self,
        ended: Ended,
        timeout: Duration,
        last_error: Option<&AwsError>,
        wanted: &str,
        region: &str,
        operation: &str,
    ) -> String {
        let why = match ended {
            Ended::Stopped => "Stopped by Terraform (interrupt) while".to_owned(),
            Ended::Deadline => format!("Timed out after {}", text::fmt_duration(timeout)),
        };
        let sent = match self.requests_accepted {
            0 => format!("{operation} was not needed or not accepted"),
            _ => format!("{operation} was accepted"),
        };
        let last = match &self.last_read {
            Some(Some(admin)) => format!("the last read names {}", describe(admin)),
            Some(None) => "the last read names no administrator".to_owned(),
            None => "no read answered".to_owned(),
        };
        let error = last_error.map(|e| format!(" (last error: {e})")).unwrap_or_default();
        format!(
            "{why} waiting for {wanted} in {region}: {sent}, and {last}{error}. The change is asynchronous: apply \
             again to keep waiting, or raise the `timeouts` block."
        )
    }
}

/// `account 111111111111 (ENABLED)`.
pub fn describe(admin: &DelegatedAdmin) -> String {
    let status = admin.relationship_status.as_ref().map_or("status not reported", RelationshipStatus::as_str);
    format!("account {} ({status})", admin.account_id)
}

/// The error for another account that is the administrator where `wanted` should be.
pub fn other_admin(other: &DelegatedAdmin, wanted: &str, region: &str) -> String {
    let id = &other.account_id;
    format!(
        "{} is already the Amazon Inspector delegated administrator in {region}, so account {wanted} cannot be. \
         An organization has one delegated administrator, the same account in every Region. Either set account_id \
         = \"{id}\" (and import it: `terraform import ADDRESS {id}@{region}`), or remove {id} first in every \
         Region, from the management account (`aws inspector2 disable-delegated-admin-account \
         --delegated-admin-account-id {id} --region {region}`); removing it turns every member account into a \
         standalone account.",
        describe(other)
    )
}

/// A user-facing sentence for a failed call: an access error says that only the management
/// account may make these calls.
pub fn explain(e: &AwsError, caller: Option<&str>) -> String {
    if !is_refusal(e) {
        return e.to_string();
    }
    let who = caller.map(|a| format!("account {a}")).unwrap_or_else(|| "the provider's account".to_owned());
    format!(
        "{e}. Only the AWS Organizations management account can designate, read or remove Inspector's delegated \
         administrator, with the IAM permissions {PERMISSIONS} (and the Organizations permissions AWS's guide lists \
         for a first designation); {who} is not it or lacks them: run with the management account's credentials."
    )
}

/// Whether Inspector refused the caller (not the management account, or no permission).
pub fn is_refusal(e: &AwsError) -> bool {
    e.is(ServiceErrorCode::AccessDenied)
}

/// Whether `admin` is `account`, in any status but a settled removal: GetDelegatedAdminAccount
/// names the account while it is being made administrator (`CREATED` before `ENABLED`).
pub fn names(admin: &Option<DelegatedAdmin>, account: &str) -> bool {
    admin.as_ref().is_some_and(|a| a.account_id == account && is_active(a))
}

/// Whether the administrator Get names is, or is becoming, one: a removal in progress or done
/// reads `DISABLED` (or another ended relationship).
pub fn is_active(admin: &DelegatedAdmin) -> bool {
    use RelationshipStatus as R;
    !matches!(admin.relationship_status, Some(R::Disabled | R::Removed | R::Resigned | R::Deleted))
}

/// The administrator by GetDelegatedAdminAccount, one call (the SDK retries what can heal).
pub async fn current(api: &dyn DelegatedAdminApi) -> Result<Option<DelegatedAdmin>, AwsError> {
    none_when_not_found(api.delegated_admin().await)
}

/// GetDelegatedAdminAccount's ResourceNotFoundException (a documented answer of the call) says
/// that there is no administrator: an answer, unlike a refusal or a failure.
fn none_when_not_found(read: Result<Option<DelegatedAdmin>, AwsError>) -> Result<Option<DelegatedAdmin>, AwsError> {
    match read {
        Err(e) if e.is(ServiceErrorCode::ResourceNotFound) => Ok(None),
        other => other,
    }
}

/// Makes `account_id` the delegated administrator in the client's Region and waits until
/// GetDelegatedAdminAccount reports it `ENABLED`. Another account already administrator ends it
/// at once, naming that account; an account already administrator sends nothing.
pub async fn designate(api: &dyn DelegatedAdminApi, account_id: &str, limit: &mut Limit) -> Outcome {
    let mut run = Run::new(api, account_id, limit);
    let result = run.designate().await;
    run.outcome.problem = result.err();
    run.outcome
}

/// Removes `account_id` as the delegated administrator in the client's Region and waits until
/// ListDelegatedAdminAccounts no longer lists it. Sends nothing when it is not the administrator.
pub async fn remove(api: &dyn DelegatedAdminApi, account_id: &str, limit: &mut Limit) -> Outcome {
    let mut run = Run::new(api, account_id, limit);
    let result = run.remove().await;
    run.outcome.problem = result.err();
    run.outcome
}

/// An idempotency token unique to one Enable request; the SDK reuses it on its retries.
fn client_token() -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("inspector2fix-admin-{:x}-{:x}-{}", nanos, std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed))
}

struct Run<'a> {
    api: &'a dyn DelegatedAdminApi,
    limit: &'a mut Limit,
    backoff: Backoff,
    last_error: Option<AwsError>,
    outcome: Outcome,
}

impl<'a> Run<'a> {
    fn new(api: &'a dyn DelegatedAdminApi, account_id: &str, limit: &'a mut Limit) -> Self {
        Run { api, limit, backoff: Backoff::new(), last_error: None, outcome: Outcome::new(account_id) }
    }

    fn account(&self) -> String {
        self.outcome.account_id.clone()
    }

    async fn designate(&mut self) -> Result<(), Problem> {
        let account = self.account();
        let admin = self.read().await?;
        match &admin {
            Some(other) if other.account_id != account && is_active(other) => {
                return Err(Problem::OtherAdmin(other.clone()))
            }
            _ if names(&admin, &account) => self.outcome.took_effect = true,
            _ => self.enable().await?,
        }
        loop {
            let admin = self.read().await?;
            match &admin {
                Some(a) if a.account_id == account && a.relationship_status == Some(RelationshipStatus::Enabled) => {
                    return Ok(())
                }
                Some(other) if other.account_id != account && is_active(other) => {
                    // Someone else made another account administrator meanwhile.
                    self.outcome.took_effect = false;
                    return Err(Problem::OtherAdmin(other.clone()));
                }
                _ => self.sleep().await?,
            }
        }
    }

    /// Sends the Enable; a retryable failure sends it again (Inspector deduplicates by token).
    async fn enable(&mut self) -> Result<(), Problem> {
        let account = self.account();
        let token = client_token();
        loop {
            let api = self.api;
            match self.limit.run(api.enable_delegated_admin(&account, &token)).await {
                Ok(Ok(())) => {
                    self.outcome.requests_accepted += 1;
                    self.outcome.took_effect = true;
                    return Ok(());
                }
                Ok(Err(e)) if e.is(ServiceErrorCode::Conflict) => return self.conflict(e).await,
                Ok(Err(e)) => self.retry_later(e).await?,
                Err(ended) => return Err(self.ended(ended)),
            }
        }
    }

    /// A refused Enable: names the administrator this Region has, if it has another one.
    /// A refused Enable: names the administrator this Region has, if it has another one. When the
    /// read names the account itself, the Conflict said "already enabled": that is no problem.
    async fn conflict(&mut self, e: AwsError) -> Result<(), Problem> {
        let account = self.account();
        match self.read().await? {
            Some(other) if other.account_id != account && is_active(&other) => Err(Problem::OtherAdmin(other)),
            admin if names(&admin, &account) => {
                self.outcome.took_effect = true;
                Ok(())
            }
            _ => Err(Problem::Conflict(e)),
        }
    }

    async fn remove(&mut self) -> Result<(), Problem> {
        let account = self.account();
        let admin = self.read().await?;
        if !names(&admin, &account) && !self.listed().await? {
            return Ok(());
        }
        self.disable().await?;
        while self.listed().await? {
            self.sleep().await?;
        }
        Ok(())
    }

    /// Sends the Disable; ResourceNotFoundException means the account is not the administrator.
    async fn disable(&mut self) -> Result<(), Problem> {
        let account = self.account();
        loop {
            let api = self.api;
            match self.limit.run(api.disable_delegated_admin(&account)).await {
                Ok(Ok(())) => {
                    self.outcome.requests_accepted += 1;
                    return Ok(());
                }
                Ok(Err(e)) if e.is(ServiceErrorCode::ResourceNotFound) => return Ok(()),
                Ok(Err(e)) => self.retry_later(e).await?,
                Err(ended) => return Err(self.ended(ended)),
            }
        }
    }

    /// GetDelegatedAdminAccount, retried while it can heal.
    async fn read(&mut self) -> Result<Option<DelegatedAdmin>, Problem> {
        let account = self.account();
        loop {
            let api = self.api;
            match self.limit.run(api.delegated_admin()).await.map(none_when_not_found) {
                Ok(Ok(admin)) => {
                    if let Some(a) = admin.as_ref().filter(|a| a.account_id == account) {
                        self.outcome.status = a.relationship_status.clone();
                    }
                    self.outcome.last_read = Some(admin.clone());
                    return Ok(admin);
                }
                Ok(Err(e)) => self.retry_later(e).await?,
                Err(ended) => return Err(self.ended(ended)),
            }
        }
    }

    /// Whether ListDelegatedAdminAccounts lists the account, in any status, over every page.
    async fn listed(&mut self) -> Result<bool, Problem> {
        let account = self.account();
        let mut token = None;
        loop {
            let api = self.api;
            match self.limit.run(api.delegated_admins_page(token.clone())).await {
                Ok(Ok(page)) => {
                    if page.accounts.iter().any(|a| a.account_id == account) {
                        return Ok(true);
                    }
                    match page.next_token {
                        Some(next) => token = Some(next),
                        None => return Ok(false),
                    }
                }
                Ok(Err(e)) => self.retry_later(e).await?,
                Err(ended) => return Err(self.ended(ended)),
            }
        }
    }

    async fn retry_later(&mut self, e: AwsError) -> Result<(), Problem> {
        if e.is_final() {
            return Err(Problem::Failed(e));
        }
        self.last_error = Some(e);
        self.sleep().await
    }

    async fn sleep(&mut self) -> Result<(), Problem> {
        let result = self.limit.sleep(&mut self.backoff).await;
        result.map_err(|ended| self.ended(ended))
    }

    fn ended(&mut self, ended: Ended) -> Problem {
        Problem::Ended { ended, timeout: self.limit.timeout(), last_error: self.last_error.take() }
    }
}

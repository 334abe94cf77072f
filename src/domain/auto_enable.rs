//! The organization's auto-enable flag for ECR scanning (DescribeOrganizationConfiguration /
//! UpdateOrganizationConfiguration), free of Terraform: a read-modify-write that changes only the
//! ECR flag, then reads back until the value sticks.
//!
//! Reads lag an update for a while (the AWS provider's perpetual diff,
//! hashicorp/terraform-provider-aws#48660), so a change is done only once the flag reads as
//! wanted [`CONFIRMING_READS`] times in a row, and a stale read is waited out, never answered
//! with another update.

use std::time::Duration;

use crate::aws::errors::ServiceErrorCode;
use crate::aws::inspector::organization::{AutoEnable, OrganizationConfiguration};
use crate::aws::{AwsError, OrganizationConfigurationApi};
use crate::domain::wait::{Backoff, Ended, Limit};
use crate::text;

/// Reads in a row that must show the wanted flag after an update: one read can be served by a
/// replica that has caught up while the next is not.
pub const CONFIRMING_READS: u32 = 2;

/// Why a change did not get confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A call failed for good (not the administrator, no permission, a bad endpoint).
    Failed(AwsError),
    /// The deadline or Terraform's stop came first; the last retryable error, if any.
    Ended { ended: Ended, timeout: Duration, last_error: Option<AwsError> },
}

/// What setting the flag did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub wanted: bool,
    /// The last answer of DescribeOrganizationConfiguration, if any came.
    pub last_read: Option<OrganizationConfiguration>,
    /// UpdateOrganizationConfiguration requests sent (0 when the flag already read as wanted).
    pub updates_sent: u32,
    /// None when the flag reads as wanted.
    pub problem: Option<Problem>,
}

impl Outcome {
    pub fn is_settled(&self) -> bool {
        self.problem.is_none()
    }

    /// The text users read when the change was not confirmed; `caller` names the account in hints.
    pub fn problem_text(&self, caller: Option<&str>) -> Option<String> {
        let text = match self.problem.as_ref()? {
            Problem::Failed(e) => explain(e, caller),
            Problem::Ended { ended, timeout, last_error } => {
                let why = match ended {
                    Ended::Stopped => "Stopped by Terraform (interrupt) while".to_owned(),
                    Ended::Deadline => format!("Timed out after {}", text::fmt_duration(*timeout)),
                };
                let last = match &self.last_read {
                    Some(read) => format!("the last read says {}", describe(&read.auto_enable)),
                    None => "no read answered".to_owned(),
                };
                let error = last_error.as_ref().map(|e| format!(" (last error: {e})")).unwrap_or_default();
                format!(
                    "{why} waiting for the organization's auto-enable flag for ECR to read {}: \
                     UpdateOrganizationConfiguration was sent {} time(s), and {last}{error}. Reads can lag an update \
                     for a while: apply again to keep waiting, or raise the `timeouts` block.",
                    self.wanted, self.updates_sent
                )
            }
        };
        Some(text)
    }
}

/// `ecr=true, ec2=false, lambda=true, lambdaCode=unset, ...`, as users compare it with the console.
pub fn describe(flags: &AutoEnable) -> String {
    let opt = |v: Option<bool>| v.map_or("unset".to_owned(), |b| b.to_string());
    format!(
        "ecr={}, ec2={}, lambda={}, lambdaCode={}, codeRepository={}, ami={}",
        flags.ecr,
        flags.ec2,
        opt(flags.lambda),
        opt(flags.lambda_code),
        opt(flags.code_repository),
        opt(flags.ami)
    )
}

/// A user-facing sentence for a failed organization call: an access error names the permission
/// and that only the delegated administrator may make the call, guessing neither.
pub fn explain(e: &AwsError, caller: Option<&str>) -> String {
    if !is_not_administrator(e) {
        return e.to_string();
    }
    let who = caller.map(|a| format!("account {a}")).unwrap_or_else(|| "the provider's account".to_owned());
    format!(
        "{e}. Inspector refused inspector2:{op} to {who}, and a refusal does not say why: either the role lacks the \
         IAM permissions inspector2:DescribeOrganizationConfiguration and inspector2:UpdateOrganizationConfiguration, \
         or {who} is not the delegated Inspector administrator in this Region (only it can read or change the \
         organization's auto-enable settings). Grant the permissions, or run with the administrator's credentials.",
        op = e.operation
    )
}

/// Whether Inspector refused the call: the caller is not the delegated administrator, or its
/// role lacks the permission.
pub fn is_not_administrator(e: &AwsError) -> bool {
    e.is(ServiceErrorCode::AccessDenied)
}

/// Reads the organization configuration once; a retryable error is retried on the backoff
/// until `limit` ends.
pub async fn read(
    api: &dyn OrganizationConfigurationApi,
    limit: &mut Limit,
) -> Result<OrganizationConfiguration, Problem> {
    let mut run = Run::new(api, true, limit);
    run.read().await
}

/// Turns the organization's auto-enable flag for ECR to `wanted`, sending every other flag back
/// exactly as read, and reads back until it sticks or `limit` ends.
pub async fn set_ecr(api: &dyn OrganizationConfigurationApi, wanted: bool, limit: &mut Limit) -> Outcome {
    let mut run = Run::new(api, wanted, limit);
    let result = run.steps().await;
    run.outcome.problem = result.err();
    run.outcome
}

struct Run<'a> {
    api: &'a dyn OrganizationConfigurationApi,
    limit: &'a mut Limit,
    backoff: Backoff,
    last_error: Option<AwsError>,
    outcome: Outcome,
}

impl<'a> Run<'a> {
    fn new(api: &'a dyn OrganizationConfigurationApi, wanted: bool, limit: &'a mut Limit) -> Self {
        let outcome = Outcome { wanted, last_read: None, updates_sent: 0, problem: None };
        Run { api, limit, backoff: Backoff::new(), last_error: None, outcome }
    }

    async fn steps(&mut self) -> Result<(), Problem> {
        let wanted = self.outcome.wanted;
        let current = self.read().await?;
        if current.auto_enable.ecr == wanted {
            // Nothing was written by us, so there is no stale read of ours to wait out.
            return Ok(());
        }
        let request = AutoEnable { ecr: wanted, ..current.auto_enable };
        self.update(&request).await?;
        let mut confirmed = 0;
        while confirmed < CONFIRMING_READS {
            self.sleep().await?;
            // A stale read is only waited out: sending again could not make it fresher.
            confirmed = if self.read().await?.auto_enable.ecr == wanted { confirmed + 1 } else { 0 };
        }
        Ok(())
    }

    async fn read(&mut self) -> Result<OrganizationConfiguration, Problem> {
        loop {
            let api = self.api;
            match self.limit.run(api.organization_configuration()).await {
                Ok(Ok(read)) => {
                    self.outcome.last_read = Some(read.clone());
                    return Ok(read);
                }
                Ok(Err(e)) => self.retry_later(e).await?,
                Err(ended) => return Err(self.ended(ended)),
            }
        }
    }

    /// Sends the update; a retryable failure sends the same request again, which is harmless.
    async fn update(&mut self, request: &AutoEnable) -> Result<(), Problem> {
        loop {
            let api = self.api;
            self.outcome.updates_sent += 1;
            match self.limit.run(api.update_organization_configuration(request)).await {
                Ok(Ok(_answer)) => return Ok(()),
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

#[cfg(test)]
mod tests;

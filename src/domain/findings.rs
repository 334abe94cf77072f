//! A control's findings, without Terraform: listing every page at Security Hub's rate, Security
//! Hub's rule for a control's compliance, and updates in chunks of 100.

use std::collections::BTreeMap;

use crate::aws::errors::ServiceErrorCode;
use crate::aws::securityhub::api::{
    ComplianceStatus, Finding, FindingQuery, FindingUpdate, RecordState, SecurityHubApi,
};
use crate::aws::AwsError;
use crate::domain::ratelimit::RateLimiter;

#[cfg(test)]
pub(crate) mod fake;
#[cfg(test)]
mod tests;

/// The control this provider exists for, and the default wherever a control id is optional.
pub const DEFAULT_CONTROL: &str = "Inspector.2";
/// BatchUpdateFindings takes at most 100 finding identifiers.
pub const MAX_FINDINGS_PER_UPDATE: usize = 100;

/// Security Hub and the rates its calls are held to.
pub struct Hub<'a> {
    pub api: &'a dyn SecurityHubApi,
    /// GetFindings.
    pub list_rate: &'a RateLimiter,
    /// BatchUpdateFindings.
    pub update_rate: &'a RateLimiter,
}

/// The control id given, or [`DEFAULT_CONTROL`].
pub fn control_or_default(control_id: Option<&str>) -> String {
    control_id.unwrap_or(DEFAULT_CONTROL).to_owned()
}

/// The id of a data source or resource scoped to a control and maybe an account:
/// `Inspector.2` or `Inspector.2/123456789012`.
pub fn scoped_id(control_id: &str, account_id: Option<&str>) -> String {
    match account_id {
        Some(account) => format!("{control_id}/{account}"),
        None => control_id.to_owned(),
    }
}

/// Every ACTIVE finding of the query, following NextToken, sorted by (account, id) so the result
/// does not depend on the order Security Hub returns.
pub async fn list(hub: &Hub<'_>, query: &FindingQuery) -> Result<Vec<Finding>, AwsError> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        hub.list_rate.acquire().await;
        let page = hub.api.findings_page(query, token).await?;
        all.extend(page.findings);
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    // Server-side filters are trusted but checked: the control's findings only, ACTIVE only, of
    // the query's account and Region only.
    all.retain(|f| matches!(f.record_state, Some(RecordState::Active) | None));
    if let Some(account) = &query.account_id {
        all.retain(|f| &f.account_id == account);
    }
    if let Some(region) = &query.region {
        all.retain(|f| &f.region == region);
    }
    all.sort_by(|a, b| (&a.account_id, &a.id).cmp(&(&b.account_id, &b.id)));
    all.dedup_by(|a, b| a.id == b.id);
    Ok(all)
}

/// A control's compliance as Security Hub derives it from its findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ControlCompliance {
    Failed,
    Passed,
    /// Findings with WARNING or NOT_AVAILABLE, none FAILED.
    Unknown,
    /// No finding left once suppressed and archived ones are set aside.
    #[default]
    NoData,
}

impl ControlCompliance {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlCompliance::Failed => "FAILED",
            ControlCompliance::Passed => "PASSED",
            ControlCompliance::Unknown => "UNKNOWN",
            ControlCompliance::NoData => "NO_DATA",
        }
    }
}

/// Counts and overall status of a control's ACTIVE findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Compliance {
    pub status: ControlCompliance,
    pub passed: i64,
    pub failed: i64,
    pub suppressed: i64,
}

/// Security Hub's rule: ignore ARCHIVED and SUPPRESSED findings; FAILED if any FAILED, else
/// UNKNOWN if any other status (WARNING, NOT_AVAILABLE, none, or one new to us), else PASSED if
/// any PASSED; NO_DATA if none remain.
pub fn compliance(findings: &[Finding]) -> Compliance {
    let mut c = Compliance::default();
    let mut other = 0;
    for f in findings.iter().filter(|f| f.record_state != Some(RecordState::Archived)) {
        if f.is_suppressed() {
            c.suppressed += 1;
            continue;
        }
        match f.compliance_status {
            Some(ComplianceStatus::Passed) => c.passed += 1,
            Some(ComplianceStatus::Failed) => c.failed += 1,
            _ => other += 1,
        }
    }
    c.status = if c.failed > 0 {
        ControlCompliance::Failed
    } else if other > 0 {
        ControlCompliance::Unknown
    } else if c.passed > 0 {
        ControlCompliance::Passed
    } else {
        ControlCompliance::NoData
    };
    c
}

/// What an update did: the ids Security Hub processed, sorted, and the error per id it did not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Updated {
    pub processed: Vec<String>,
    pub failed: BTreeMap<String, String>,
}

/// Applies `update` to `findings` in chunks of 100, respecting the rate limit. A failed call
/// fails every finding of its chunk; the other chunks still go.
pub async fn update(hub: &Hub<'_>, findings: &[&Finding], update: &FindingUpdate) -> Updated {
    let mut out = Updated::default();
    for chunk in findings.chunks(MAX_FINDINGS_PER_UPDATE) {
        let refs: Vec<_> = chunk.iter().map(|f| f.reference()).collect();
        hub.update_rate.acquire().await;
        match hub.api.update_findings(&refs, update).await {
            Ok(answer) => {
                out.processed.extend(answer.processed);
                for u in answer.unprocessed {
                    out.failed.insert(u.id, format!("{}: {}", u.error_code, u.error_message));
                }
            }
            Err(e) => {
                for r in refs {
                    out.failed.insert(r.id, e.to_string());
                }
            }
        }
    }
    out.processed.sort();
    out
}

/// The detail users read when Security Hub has no security control `control_id`.
pub fn unknown_control(control_id: &str) -> String {
    let hint = if control_id.eq_ignore_ascii_case(DEFAULT_CONTROL) {
        format!("Control ids are case-sensitive: did you mean \"{DEFAULT_CONTROL}\"?")
    } else {
        format!("Check the id (ids are case-sensitive), e.g. \"{DEFAULT_CONTROL}\".")
    };
    format!("control_id: Security Hub has no security control {control_id:?}. {hint}")
}

/// The summary and detail users read for a failed Security Hub call; says how to enable
/// Security Hub when it is off, which AWS reports as InvalidAccessException.
pub fn explain(e: &AwsError, account: Option<&str>, region: &str) -> (String, String) {
    if e.is(ServiceErrorCode::InvalidAccess) {
        let account = account.unwrap_or("the caller's account");
        return (
            "Security Hub is not enabled".into(),
            format!(
                "Security Hub is not enabled in account {account} in region {region}, so the control's status cannot be read. \
                 Enable it (console, `aws securityhub enable-security-hub --region {region}`, or the AWS provider's \
                 aws_securityhub_account resource) and try again. AWS said: {}",
                e.message
            ),
        );
    }
    ("Security Hub call failed".into(), e.to_string())
}

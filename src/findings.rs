//! Finding and judging a control's findings: listing every page, Security Hub's rule for a
//! control's compliance, and the workflow changes the suppression resource makes.

use std::collections::BTreeMap;

use crate::aws::{AwsError, Finding, FindingQuery, FindingUpdate, SecurityHubApi};
use crate::ratelimit::RateLimiter;

/// Written as Note.UpdatedBy on every finding this provider changes.
pub const NOTE_AUTHOR: &str = "inspector2fix";
pub const DEFAULT_CONTROL: &str = "Inspector.2";
/// BatchUpdateFindings takes at most 100 finding identifiers.
pub const MAX_FINDINGS_PER_UPDATE: usize = 100;

/// Every ACTIVE finding of the query, following NextToken, sorted by (account, id) so the result
/// does not depend on the order Security Hub returns.
pub async fn list(
    api: &dyn SecurityHubApi,
    limiter: &RateLimiter,
    query: &FindingQuery,
) -> Result<Vec<Finding>, AwsError> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        limiter.acquire().await;
        let page = api.findings_page(query, token).await?;
        all.extend(page.findings);
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    // Server-side filters are trusted but checked: the control's findings only, ACTIVE only.
    all.retain(|f| f.record_state == "ACTIVE" || f.record_state.is_empty());
    if let Some(account) = &query.account_id {
        all.retain(|f| &f.account_id == account);
    }
    all.sort_by(|a, b| (&a.account_id, &a.id).cmp(&(&b.account_id, &b.id)));
    all.dedup_by(|a, b| a.id == b.id);
    Ok(all)
}

/// Counts and overall status of a control's ACTIVE findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Compliance {
    /// FAILED | PASSED | UNKNOWN | NO_DATA
    pub status: &'static str,
    pub passed: i64,
    pub failed: i64,
    pub suppressed: i64,
}

pub fn is_suppressed(f: &Finding) -> bool {
    f.workflow_status == "SUPPRESSED"
}

/// Security Hub's rule: ignore ARCHIVED and SUPPRESSED findings; FAILED if any FAILED, else
/// PASSED if all PASSED, else UNKNOWN (WARNING / NOT_AVAILABLE); NO_DATA if none remain.
pub fn compliance(findings: &[Finding]) -> Compliance {
    let mut c = Compliance::default();
    let mut other = 0;
    for f in findings.iter().filter(|f| f.record_state != "ARCHIVED") {
        if is_suppressed(f) {
            c.suppressed += 1;
            continue;
        }
        match f.compliance_status.as_str() {
            "PASSED" => c.passed += 1,
            "FAILED" => c.failed += 1,
            _ => other += 1,
        }
    }
    c.status = if c.failed > 0 {
        "FAILED"
    } else if other > 0 {
        "UNKNOWN"
    } else if c.passed > 0 {
        "PASSED"
    } else {
        "NO_DATA"
    };
    c
}

/// Applies `update` to `findings` in chunks of 100, respecting the rate limit. Returns the ids
/// processed and, per finding not processed, its error.
pub async fn update(
    api: &dyn SecurityHubApi,
    limiter: &RateLimiter,
    findings: &[&Finding],
    update: &FindingUpdate,
) -> (Vec<String>, BTreeMap<String, String>) {
    let mut processed = Vec::new();
    let mut failed = BTreeMap::new();
    for chunk in findings.chunks(MAX_FINDINGS_PER_UPDATE) {
        let ids: Vec<(String, String)> = chunk.iter().map(|f| (f.id.clone(), f.product_arn.clone())).collect();
        limiter.acquire().await;
        match api.update_findings(&ids, update).await {
            Ok(out) => {
                processed.extend(out.processed);
                for (id, code, message) in out.unprocessed {
                    failed.insert(id, format!("{code}: {message}"));
                }
            }
            Err(e) => {
                for (id, _) in ids {
                    failed.insert(id, e.to_string());
                }
            }
        }
    }
    processed.sort();
    (processed, failed)
}

/// The text users read for a failed Security Hub call; says how to enable Security Hub when it
/// is off, which AWS reports as InvalidAccessException.
pub fn explain(e: &AwsError, account: Option<&str>, region: &str) -> (String, String) {
    if e.code.as_deref() == Some("InvalidAccessException") {
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

/// Security control ids look like "Inspector.2" or "S3.1".
pub fn validate_control_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !b.is_empty()
                && b.chars().all(|c| c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(format!("{id:?} is not a Security Hub security control id such as \"Inspector.2\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(compliance: &str, workflow: &str, record: &str) -> Finding {
        Finding {
            compliance_status: compliance.into(),
            workflow_status: workflow.into(),
            record_state: record.into(),
            ..Default::default()
        }
    }

    #[test]
    fn derivation_follows_security_hub() {
        assert_eq!(compliance(&[]).status, "NO_DATA");
        assert_eq!(compliance(&[f("PASSED", "RESOLVED", "ACTIVE")]).status, "PASSED");
        assert_eq!(compliance(&[f("PASSED", "NEW", "ACTIVE"), f("FAILED", "NEW", "ACTIVE")]).status, "FAILED");
        assert_eq!(compliance(&[f("PASSED", "NEW", "ACTIVE"), f("WARNING", "NEW", "ACTIVE")]).status, "UNKNOWN");
        assert_eq!(compliance(&[f("NOT_AVAILABLE", "NEW", "ACTIVE")]).status, "UNKNOWN");
        assert_eq!(compliance(&[f("FAILED", "NEW", "ACTIVE"), f("WARNING", "NEW", "ACTIVE")]).status, "FAILED");
        // Suppressed and archived findings do not count.
        let c = compliance(&[
            f("FAILED", "SUPPRESSED", "ACTIVE"),
            f("PASSED", "NEW", "ACTIVE"),
            f("FAILED", "NEW", "ARCHIVED"),
        ]);
        assert_eq!((c.status, c.passed, c.failed, c.suppressed), ("PASSED", 1, 0, 1));
        let c = compliance(&[f("FAILED", "SUPPRESSED", "ACTIVE")]);
        assert_eq!((c.status, c.suppressed), ("NO_DATA", 1));
    }
}

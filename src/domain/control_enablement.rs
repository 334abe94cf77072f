//! Whether a Security Hub control is enabled for the caller, and how the organization configures
//! Security Hub, without Terraform. A control disabled in every standard the account has enabled
//! (by a central configuration policy, a Security Hub CSPM policy or by hand) makes no findings:
//! it is neither PASSED nor FAILED. A refused read is reported as refused, never as a guess.

use crate::aws::errors::ServiceErrorCode;
use crate::aws::securityhub::api::{AssociationStatus, ConfigurationType, ControlAssociation, SecurityHubApi};
use crate::aws::AwsError;

#[cfg(test)]
mod tests;

/// The IAM action behind each read, for the warnings a refusal gives.
pub const LIST_PERMISSION: &str = "securityhub:ListStandardsControlAssociations";
pub const CONFIGURATION_PERMISSION: &str = "securityhub:DescribeOrganizationConfiguration";

/// A read that the caller may have been refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read<T> {
    Known(T),
    /// Security Hub refused the caller (no permission, or not its administrator).
    Refused(AwsError),
}

/// The control in each of the caller's enabled standards.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Enablement {
    pub control_id: String,
    pub associations: Vec<ControlAssociation>,
}

impl Enablement {
    /// `Some(false)` when the control is disabled in every enabled standard (or the account has no
    /// enabled standard with it), `Some(true)` when it is enabled in one, None when Security Hub
    /// answered only statuses this provider does not know.
    pub fn enabled(&self) -> Option<bool> {
        let status = |s: AssociationStatus| self.associations.iter().filter(move |a| a.status.as_ref() == Some(&s));
        if status(AssociationStatus::Enabled).next().is_some() {
            Some(true)
        } else if status(AssociationStatus::Disabled).count() == self.associations.len() {
            Some(false)
        } else {
            None
        }
    }

    /// Why the control is off, when it is: the reasons Security Hub recorded, or a sentence.
    pub fn disabled_reason(&self) -> Option<String> {
        if self.enabled() != Some(false) {
            return None;
        }
        if self.associations.is_empty() {
            return Some(format!("{} is in none of the security standards enabled in this account", self.control_id));
        }
        let mut reasons: Vec<&str> = self.associations.iter().filter_map(|a| a.updated_reason.as_deref()).collect();
        reasons.sort_unstable();
        reasons.dedup();
        Some(match reasons.is_empty() {
            true => "disabled in every enabled standard, with no reason recorded".to_owned(),
            false => reasons.join("; "),
        })
    }
}

/// Whether Security Hub refused the caller rather than failed: AccessDeniedException (IAM), or
/// InvalidAccessException (not the Security Hub administrator, for organization calls).
pub fn is_refusal(e: &AwsError) -> bool {
    e.is(ServiceErrorCode::AccessDenied) || e.is(ServiceErrorCode::InvalidAccess)
}

/// Every page of ListStandardsControlAssociations for `control_id`; a refusal is [`Read::Refused`],
/// any other failure an error.
pub async fn enablement(api: &dyn SecurityHubApi, control_id: &str) -> Result<Read<Enablement>, AwsError> {
    let mut associations = Vec::new();
    let mut token = None;
    loop {
        let page = match api.control_associations_page(control_id, token).await {
            Ok(page) => page,
            Err(e) if is_refusal(&e) => return Ok(Read::Refused(e)),
            Err(e) => return Err(e),
        };
        associations.extend(page.associations);
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    associations.sort_by(|a, b| a.standards_arn.cmp(&b.standards_arn));
    Ok(Read::Known(Enablement { control_id: control_id.to_owned(), associations }))
}

/// Security Hub's configuration type (`CENTRAL` or `LOCAL`; None when the answer has none); a
/// refusal is [`Read::Refused`], any other failure an error.
pub async fn configuration_type(api: &dyn SecurityHubApi) -> Result<Read<Option<ConfigurationType>>, AwsError> {
    match api.organization_configuration().await {
        Ok(config) => Ok(Read::Known(config.configuration_type)),
        Err(e) if is_refusal(&e) => Ok(Read::Refused(e)),
        Err(e) => Err(e),
    }
}

/// The warning for a refused ListStandardsControlAssociations.
pub fn enablement_refused(e: &AwsError) -> String {
    format!(
        "control_enabled, disabled_reason: null, because Security Hub refused the read ({e}). It needs the IAM \
         permission {LIST_PERMISSION}. Nothing is guessed in their place, and compliance_status is derived from the \
         findings alone."
    )
}

/// The warning for a refused DescribeOrganizationConfiguration.
pub fn configuration_refused(e: &AwsError) -> String {
    format!(
        "configuration_type: null, because Security Hub refused the read ({e}). Only the organization's Security \
         Hub administrator account may read it, with the IAM permission {CONFIGURATION_PERMISSION}. Nothing is \
         guessed in its place."
    )
}

/// The plan-time warning for a suppression of a control that is disabled everywhere.
pub fn nothing_to_suppress(enablement: &Enablement, region: &str) -> Option<String> {
    let reason = enablement.disabled_reason()?;
    let control = &enablement.control_id;
    Some(format!(
        "control_id: Security Hub reports {control} disabled in {region} for this account ({reason}). A disabled \
         control produces no findings, so there is nothing to suppress, and it is neither PASSED nor FAILED. \
         Disabling the control is itself an organization-level way not to fix it; keep this resource only for when \
         the control is enabled again: its new findings are then suppressed on the next apply."
    ))
}

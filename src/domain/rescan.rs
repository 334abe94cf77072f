//! Inspector's ECR rescan settings (GetConfiguration / UpdateConfiguration, `ecrConfiguration`
//! only), free of Terraform: valid values, what to send, AWS's documented defaults, and what an
//! error means.

use crate::aws::errors::ServiceErrorCode;
use crate::aws::AwsError;

pub use crate::aws::inspector::api::EcrRescanConfig;

/// One of the three settings, for loops and error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    RescanDuration,
    PullDateRescanDuration,
    PullDateRescanMode,
}

impl Setting {
    pub const ALL: [Setting; 3] =
        [Setting::RescanDuration, Setting::PullDateRescanDuration, Setting::PullDateRescanMode];

    /// The Terraform attribute name.
    pub fn attribute(self) -> &'static str {
        match self {
            Setting::RescanDuration => "rescan_duration",
            Setting::PullDateRescanDuration => "pull_date_rescan_duration",
            Setting::PullDateRescanMode => "pull_date_rescan_mode",
        }
    }

    /// Valid values, from the SDK's enums: a newer SDK brings new values without a code change.
    pub fn valid_values(self) -> &'static [&'static str] {
        use aws_sdk_inspector2::types::{EcrPullDateRescanDuration, EcrPullDateRescanMode, EcrRescanDuration};
        match self {
            Setting::RescanDuration => EcrRescanDuration::values(),
            Setting::PullDateRescanDuration => EcrPullDateRescanDuration::values(),
            Setting::PullDateRescanMode => EcrPullDateRescanMode::values(),
        }
    }

    /// AWS's documented default for new accounts (Amazon Inspector User Guide, "Configuring the
    /// Amazon ECR re-scan duration"): 14 days for the push and the pull/last-in-use dates, judged
    /// by the last-in-use date.
    pub fn documented_default(self) -> &'static str {
        match self {
            Setting::RescanDuration | Setting::PullDateRescanDuration => "DAYS_14",
            Setting::PullDateRescanMode => "LAST_IN_USE_AT",
        }
    }

    /// Checks a value; the error completes "`attribute` ..." and lists the valid values.
    pub fn check(self, value: &str) -> Result<(), String> {
        let valid = self.valid_values();
        if valid.contains(&value) {
            Ok(())
        } else {
            Err(format!("{value:?} is not a valid value: use one of {}", sorted(valid).join(", ")))
        }
    }
}

/// Durations in day order (LIFETIME last), so error messages read naturally.
fn sorted(values: &[&'static str]) -> Vec<&'static str> {
    let mut v = values.to_vec();
    v.sort_by_key(|s| s.strip_prefix("DAYS_").and_then(|d| d.parse::<u32>().ok()).unwrap_or(u32::MAX));
    v
}

impl EcrRescanConfig {
    pub fn get(&self, s: Setting) -> Option<&String> {
        match s {
            Setting::RescanDuration => self.rescan_duration.as_ref(),
            Setting::PullDateRescanDuration => self.pull_date_rescan_duration.as_ref(),
            Setting::PullDateRescanMode => self.pull_date_rescan_mode.as_ref(),
        }
    }

    pub fn set(&mut self, s: Setting, value: Option<String>) {
        match s {
            Setting::RescanDuration => self.rescan_duration = value,
            Setting::PullDateRescanDuration => self.pull_date_rescan_duration = value,
            Setting::PullDateRescanMode => self.pull_date_rescan_mode = value,
        }
    }

    /// The settings this configuration manages (those that are set).
    pub fn managed(&self) -> Vec<Setting> {
        Setting::ALL.into_iter().filter(|s| self.get(*s).is_some()).collect()
    }

    /// What UpdateConfiguration must carry so that only the `desired` settings change:
    /// UpdateConfiguration requires `rescanDuration`, so the settings not managed are sent back
    /// as `current` has them.
    pub fn request(desired: &EcrRescanConfig, current: &EcrRescanConfig) -> Result<EcrRescanConfig, String> {
        let mut out = current.clone();
        for s in desired.managed() {
            out.set(s, desired.get(s).cloned());
        }
        if out.rescan_duration.is_none() {
            return Err("GetConfiguration reported no rescan_duration, which UpdateConfiguration requires: \
                        set rescan_duration in the configuration"
                .into());
        }
        Ok(out)
    }

    /// AWS's documented defaults for exactly the settings `managed` sets.
    pub fn defaults_for(managed: &EcrRescanConfig) -> EcrRescanConfig {
        let mut out = EcrRescanConfig::default();
        for s in managed.managed() {
            out.set(s, Some(s.documented_default().to_owned()));
        }
        out
    }
}

/// A user-facing sentence for a failed GetConfiguration/UpdateConfiguration.
pub fn explain(e: &AwsError, caller: Option<&str>) -> String {
    let code = e.code.as_deref().unwrap_or("error");
    let base = format!("{}: {code}: {}", e.operation, e.message);
    match e.service_code() {
        Some(ServiceErrorCode::AccessDenied) => format!(
            "{base}. Either the role lacks the IAM permission inspector2:{op}, or the account is a member: in an \
             organization only the delegated Inspector administrator can change the ECR rescan settings (they then \
             apply to every member). Grant the permission, or run this as the administrator{}.",
            caller.map(|a| format!(", not as account {a}")).unwrap_or_default(),
            op = e.operation
        ),
        Some(ServiceErrorCode::ResourceNotFound) => {
            format!("{base}. Is Amazon Inspector enabled in this account and Region?")
        }
        _ => base,
    }
}

#[cfg(test)]
mod tests;

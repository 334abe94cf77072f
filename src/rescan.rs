//! Inspector's ECR rescan settings (GetConfiguration / UpdateConfiguration, `ecrConfiguration`
//! only), free of Terraform: valid values, what to send, AWS's documented defaults, and what an
//! error means.

use crate::aws::AwsError;

pub use crate::aws::api::EcrRescanConfig;

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
    match code {
        "AccessDeniedException" => format!(
            "{base}. In an organization only the delegated Inspector administrator can change the ECR rescan \
             settings (they then apply to every member): run this as the administrator{}.",
            caller.map(|a| format!(", not as account {a}")).unwrap_or_default()
        ),
        "ResourceNotFoundException" => format!("{base}. Is Amazon Inspector enabled in this account and Region?"),
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(push: Option<&str>, pull: Option<&str>, mode: Option<&str>) -> EcrRescanConfig {
        EcrRescanConfig {
            rescan_duration: push.map(Into::into),
            pull_date_rescan_duration: pull.map(Into::into),
            pull_date_rescan_mode: mode.map(Into::into),
        }
    }

    #[test]
    fn valid_values_come_from_the_sdk() {
        assert!(Setting::RescanDuration.valid_values().contains(&"LIFETIME"));
        assert!(Setting::RescanDuration.valid_values().contains(&"DAYS_3"));
        assert!(!Setting::PullDateRescanDuration.valid_values().contains(&"LIFETIME"));
        assert_eq!(Setting::PullDateRescanMode.valid_values().len(), 2);
        for s in Setting::ALL {
            assert!(s.check(s.documented_default()).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn a_bad_value_lists_the_valid_ones_in_day_order() {
        let e = Setting::PullDateRescanDuration.check("LIFETIME").unwrap_err();
        assert!(e.starts_with("\"LIFETIME\" is not a valid value"), "{e}");
        assert!(e.contains("DAYS_3, DAYS_7, DAYS_14, DAYS_30, DAYS_60, DAYS_90, DAYS_180"), "{e}");
        let e = Setting::RescanDuration.check("days_30").unwrap_err();
        assert!(e.ends_with("DAYS_180, LIFETIME"), "{e}");
    }

    #[test]
    fn request_changes_only_what_is_managed() {
        let current = cfg(Some("DAYS_90"), Some("DAYS_30"), Some("LAST_PULL_DATE"));
        let desired = cfg(None, Some("DAYS_7"), None);
        assert_eq!(
            EcrRescanConfig::request(&desired, &current).unwrap(),
            cfg(Some("DAYS_90"), Some("DAYS_7"), Some("LAST_PULL_DATE"))
        );
        let bare = cfg(None, None, None);
        assert!(EcrRescanConfig::request(&desired, &bare).unwrap_err().contains("rescan_duration"));
        assert_eq!(
            EcrRescanConfig::request(&cfg(Some("LIFETIME"), None, None), &bare).unwrap().rescan_duration.unwrap(),
            "LIFETIME"
        );
    }

    #[test]
    fn defaults_cover_exactly_the_managed_settings() {
        let d = EcrRescanConfig::defaults_for(&cfg(None, Some("DAYS_7"), Some("LAST_PULL_DATE")));
        assert_eq!(d, cfg(None, Some("DAYS_14"), Some("LAST_IN_USE_AT")));
        assert_eq!(EcrRescanConfig::defaults_for(&cfg(None, None, None)), cfg(None, None, None));
    }

    #[test]
    fn access_denied_says_to_use_the_administrator() {
        let e = AwsError::new(
            "UpdateConfiguration",
            crate::aws::ErrorClass::Final,
            Some("AccessDeniedException"),
            "member accounts cannot update this setting",
        );
        let text = explain(&e, Some("222222222222"));
        assert!(text.starts_with("UpdateConfiguration: AccessDeniedException: member accounts"), "{text}");
        assert!(text.contains("delegated Inspector administrator") && text.contains("222222222222"), "{text}");
    }
}

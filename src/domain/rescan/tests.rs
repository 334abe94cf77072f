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
    assert!(text.contains("Either the role lacks the IAM permission inspector2:UpdateConfiguration"), "{text}");
}

//! Standards control associations: which security standards each account has enabled, and
//! whether a control is ENABLED or DISABLED in each of them (with the reason given). A control
//! disabled in every enabled standard of an account produces no findings there. Plus the
//! Security Hub organization configuration (CENTRAL or LOCAL).

use std::collections::{BTreeMap, BTreeSet};

/// AWS Foundational Security Best Practices, the standard Inspector.2 belongs to.
pub const FSBP: &str = "aws-foundational-security-best-practices/v/1.0.0";
/// NIST SP 800-53 Rev. 5, which also holds Inspector.2.
pub const NIST: &str = "nist-800-53/v/5.0.0";
/// The standards the emulator knows (both hold the built-in Inspector controls).
pub const STANDARDS: &[&str] = &[FSBP, NIST];

/// The ARN of `standard` (one of [`STANDARDS`]) in `region`.
pub fn standards_arn(region: &str, standard: &str) -> String {
    format!("arn:aws:securityhub:{region}::standards/{standard}")
}

/// The standard an ARN names in `region`, if the emulator knows it.
pub fn standard_of_arn(region: &str, arn: &str) -> Option<&'static str> {
    STANDARDS.iter().copied().find(|s| standards_arn(region, s) == arn)
}

/// One control in one standard of one account, once changed from the default (ENABLED).
#[derive(Clone, Debug, PartialEq)]
pub struct Association {
    pub enabled: bool,
    pub reason: Option<String>,
    /// ISO 8601.
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Associations {
    /// Account -> its enabled standards (absent: FSBP only, as Security Hub enables by default).
    standards: BTreeMap<String, Vec<String>>,
    /// (account, control, standard) -> the association, where it was changed.
    changed: BTreeMap<(String, String, String), Association>,
    /// Evaluated findings archived because their control was disabled (re-activated when it is
    /// enabled again).
    pub archived: BTreeSet<String>,
}

impl Associations {
    pub fn standards_of(&self, account: &str) -> Vec<String> {
        self.standards.get(account).cloned().unwrap_or_else(|| vec![FSBP.to_string()])
    }

    pub fn set_standards(&mut self, account: &str, standards: Vec<String>) {
        self.standards.insert(account.to_string(), standards);
    }

    /// The association of `control` in `standard` for `account` (None: unchanged, ENABLED).
    pub fn get(&self, account: &str, control: &str, standard: &str) -> Option<&Association> {
        self.changed.get(&(account.to_string(), control.to_string(), standard.to_string()))
    }

    pub fn set(&mut self, account: &str, control: &str, standard: &str, a: Association) {
        self.changed.insert((account.to_string(), control.to_string(), standard.to_string()), a);
    }

    /// Is `control` off for `account`: disabled in every standard it has enabled (or it has none)?
    pub fn control_disabled(&self, account: &str, control: &str) -> bool {
        !self.standards_of(account).iter().any(|s| self.get(account, control, s).is_none_or(|a| a.enabled))
    }
}

/// Security Hub's organization configuration in one Region.
#[derive(Clone, Debug, PartialEq)]
pub struct HubOrganization {
    /// `CENTRAL` or `LOCAL`.
    pub configuration_type: String,
    /// The Security Hub delegated administrator; None: the Region's Inspector delegated
    /// administrator (one security-tooling account administers both in a landing zone).
    pub admin: Option<String>,
}

impl Default for HubOrganization {
    fn default() -> Self {
        HubOrganization { configuration_type: "LOCAL".into(), admin: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn off(reason: &str) -> Association {
        Association { enabled: false, reason: Some(reason.into()), updated_at: "2026-01-01T00:00:00.000Z".into() }
    }

    #[test]
    fn disabled_only_when_off_in_every_enabled_standard() {
        let mut a = Associations::default();
        assert!(!a.control_disabled("111111111111", "Inspector.2"), "ENABLED by default");
        a.set("111111111111", "Inspector.2", FSBP, off("no ECR"));
        assert!(a.control_disabled("111111111111", "Inspector.2"));
        assert!(!a.control_disabled("222222222222", "Inspector.2"), "per account");
        a.set_standards("111111111111", vec![FSBP.into(), NIST.into()]);
        assert!(!a.control_disabled("111111111111", "Inspector.2"), "still on in NIST");
        a.set("111111111111", "Inspector.2", NIST, off("no ECR"));
        assert!(a.control_disabled("111111111111", "Inspector.2"));
        a.set_standards("333333333333", vec![]);
        assert!(a.control_disabled("333333333333", "Inspector.2"), "no standard enabled: no findings");
        assert_eq!(standard_of_arn("eu-west-1", &standards_arn("eu-west-1", NIST)), Some(NIST));
        assert_eq!(standard_of_arn("us-east-1", &standards_arn("eu-west-1", NIST)), None);
    }
}

//! Inspector2 scan settings of one account, what Inspector's GetConfiguration / UpdateConfiguration
//! call its "configuration": the ECR rescan durations and the EC2 scan mode. Plain data; it
//! knows nothing of HTTP (`services::inspector2_scan_settings` serves it).

use serde_json::{json, Map, Value};

pub const RESCAN_DURATIONS: &[&str] =
    &["LIFETIME", "DAYS_3", "DAYS_7", "DAYS_14", "DAYS_30", "DAYS_60", "DAYS_90", "DAYS_180"];
pub const PULL_DATE_RESCAN_DURATIONS: &[&str] =
    &["DAYS_3", "DAYS_7", "DAYS_14", "DAYS_30", "DAYS_60", "DAYS_90", "DAYS_180"];
pub const PULL_DATE_RESCAN_MODES: &[&str] = &["LAST_PULL_DATE", "LAST_IN_USE_AT"];
pub const EC2_SCAN_MODES: &[&str] = &["EC2_SSM_AGENT_BASED", "EC2_HYBRID"];

/// One account's settings. The defaults are AWS's documented ones for new accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanSettings {
    pub rescan_duration: String,
    pub pull_date_rescan_duration: String,
    pub pull_date_rescan_mode: String,
    pub ec2_scan_mode: String,
    /// Seconds since the Unix epoch of the last change.
    pub updated_at: u64,
}

impl Default for ScanSettings {
    fn default() -> Self {
        ScanSettings {
            rescan_duration: "DAYS_14".into(),
            pull_date_rescan_duration: "DAYS_14".into(),
            pull_date_rescan_mode: "LAST_IN_USE_AT".into(),
            ec2_scan_mode: "EC2_SSM_AGENT_BASED".into(),
            updated_at: 0,
        }
    }
}

/// `(wire name, control-API name, valid values)` of each field, in one place.
const FIELDS: [(&str, &str, &[&str]); 4] = [
    ("rescanDuration", "rescan_duration", RESCAN_DURATIONS),
    ("pullDateRescanDuration", "pull_date_rescan_duration", PULL_DATE_RESCAN_DURATIONS),
    ("pullDateRescanMode", "pull_date_rescan_mode", PULL_DATE_RESCAN_MODES),
    ("scanMode", "ec2_scan_mode", EC2_SCAN_MODES),
];

impl ScanSettings {
    fn field_mut(&mut self, control_name: &str) -> &mut String {
        match control_name {
            "rescan_duration" => &mut self.rescan_duration,
            "pull_date_rescan_duration" => &mut self.pull_date_rescan_duration,
            "pull_date_rescan_mode" => &mut self.pull_date_rescan_mode,
            _ => &mut self.ec2_scan_mode,
        }
    }

    /// Sets the field with this wire name; Err names the valid values.
    pub fn set_wire(&mut self, wire: &str, value: &str) -> Result<(), String> {
        let (_, name, valid) = FIELDS.iter().find(|(w, _, _)| *w == wire).ok_or(format!("unknown field {wire}"))?;
        if !valid.contains(&value) {
            return Err(format!(
                "Value {value:?} at '{wire}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                valid.join(", ")
            ));
        }
        *self.field_mut(name) = value.to_owned();
        Ok(())
    }

    /// The GetConfiguration response.
    pub fn to_wire(&self) -> Value {
        json!({
            "ecrConfiguration": {"rescanDurationState": {
                "rescanDuration": self.rescan_duration,
                "pullDateRescanDuration": self.pull_date_rescan_duration,
                "pullDateRescanMode": self.pull_date_rescan_mode,
                "status": "SUCCESS",
                "updatedAt": self.updated_at,
            }},
            "ec2Configuration": {"scanModeState": {"scanMode": self.ec2_scan_mode, "scanModeStatus": "SUCCESS"}},
        })
    }

    /// Control-API view.
    pub fn to_json(&self) -> Value {
        json!({
            "rescan_duration": self.rescan_duration,
            "pull_date_rescan_duration": self.pull_date_rescan_duration,
            "pull_date_rescan_mode": self.pull_date_rescan_mode,
            "ec2_scan_mode": self.ec2_scan_mode,
        })
    }

    /// A control-API patch: any of the four fields by their control-API names (all or nothing).
    pub fn patched(&self, patch: &Map<String, Value>) -> Result<ScanSettings, String> {
        let mut c = self.clone();
        for (k, v) in patch {
            let (wire, _, _) =
                FIELDS.iter().find(|(_, n, _)| n == k).ok_or(format!("unknown configuration field {k:?}"))?;
            let v = v.as_str().ok_or(format!("{k}: expected a string"))?;
            c.set_wire(wire, v)?;
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_patches() {
        let c = ScanSettings::default();
        assert_eq!(c.to_wire()["ecrConfiguration"]["rescanDurationState"]["rescanDuration"], "DAYS_14");
        let p = json!({"ec2_scan_mode": "EC2_HYBRID", "pull_date_rescan_mode": "LAST_PULL_DATE"});
        let c2 = c.patched(p.as_object().unwrap()).unwrap();
        assert_eq!(c2.to_wire()["ec2Configuration"]["scanModeState"]["scanMode"], "EC2_HYBRID");
        assert_eq!(c2.pull_date_rescan_mode, "LAST_PULL_DATE");
        assert!(c.patched(json!({"rescan_duration": "DAYS_1"}).as_object().unwrap()).unwrap_err().contains("LIFETIME"));
        assert!(c.patched(json!({"typo": "x"}).as_object().unwrap()).is_err());
        let mut c3 = c.clone();
        assert!(c3.set_wire("pullDateRescanDuration", "LIFETIME").is_err());
        assert_eq!(c3, c);
    }
}

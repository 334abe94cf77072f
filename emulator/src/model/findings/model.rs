//! The Security Hub data model: security controls, control findings and the workflow rules AWS
//! applies when a finding's compliance or record state changes.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::util::unknown_key;

pub const SCHEMA_VERSION: &str = "2018-10-08";
pub const PRODUCT_NAME: &str = "Security Hub";
pub const COMPANY_NAME: &str = "AWS";
pub const FINDING_TYPE: &str = "Software and Configuration Checks/Industry and Regulatory Standards";
pub const RESOURCE_TYPE: &str = "AwsAccount";
/// The control the emulator evaluates from Inspector2 state.
pub const INSPECTOR2_CONTROL: &str = "Inspector.2";

const SEVERITY_RATINGS: &[&str] = &["LOW", "MEDIUM", "HIGH", "CRITICAL"];
pub const SEVERITY_LABELS: &[&str] = &["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
const CONTROL_STATUSES: &[&str] = &["ENABLED", "DISABLED"];

macro_rules! wire_enum {
    ($name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

wire_enum!(Compliance {
    Passed = "PASSED",
    Warning = "WARNING",
    Failed = "FAILED",
    NotAvailable = "NOT_AVAILABLE",
});

wire_enum!(Workflow {
    New = "NEW",
    Notified = "NOTIFIED",
    Resolved = "RESOLVED",
    Suppressed = "SUPPRESSED",
});

wire_enum!(RecordState {
    Active = "ACTIVE",
    Archived = "ARCHIVED",
});

impl Workflow {
    /// The deprecated `WorkflowState` that goes with a `Workflow.Status`.
    pub fn legacy_state(self) -> &'static str {
        match self {
            Workflow::New => "NEW",
            Workflow::Notified => "ASSIGNED",
            Workflow::Resolved => "RESOLVED",
            Workflow::Suppressed => "DEFERRED",
        }
    }
}

/// A security control (BatchGetSecurityControls).
#[derive(Clone, Debug, PartialEq)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub description: String,
    pub remediation_url: String,
    pub severity: String,
    pub status: String,
}

pub(super) fn remediation_url(id: &str) -> String {
    format!("https://docs.aws.amazon.com/console/securityhub/{id}/remediation")
}

impl Control {
    fn new(id: &str, title: &str, description: &str, severity: &str) -> Control {
        Control {
            id: id.into(),
            title: title.into(),
            description: description.into(),
            remediation_url: remediation_url(id),
            severity: severity.into(),
            status: "ENABLED".into(),
        }
    }

    /// The controls every emulator starts with.
    pub fn builtin() -> Vec<Control> {
        vec![
            Control::new(
                "Inspector.1",
                "Amazon Inspector EC2 scanning should be enabled",
                "This control checks whether Amazon Inspector EC2 scanning is activated.",
                "HIGH",
            ),
            Control::new(
                "Inspector.2",
                "Amazon Inspector ECR scanning should be enabled",
                "This control checks whether Amazon Inspector ECR scanning is activated.",
                "HIGH",
            ),
            Control::new(
                "Inspector.3",
                "Amazon Inspector Lambda code scanning should be enabled",
                "This control checks whether Amazon Inspector Lambda code scanning is activated.",
                "HIGH",
            ),
        ]
    }

    /// Control-API view (the API shape without the ARN and UpdateStatus).
    pub fn to_json(&self) -> Value {
        json!({
            "SecurityControlId": self.id,
            "Title": self.title,
            "Description": self.description,
            "RemediationUrl": self.remediation_url,
            "SeverityRating": self.severity,
            "SecurityControlStatus": self.status,
        })
    }

    /// BatchGetSecurityControls element.
    pub fn to_api_json(&self, region: &str, account: &str) -> Value {
        let mut v = self.to_json();
        v["SecurityControlArn"] = json!(format!("arn:aws:securityhub:{region}:{account}:security-control/{}", self.id));
        v["UpdateStatus"] = json!("READY");
        v
    }

    /// Upsert from control-API JSON. For a new control, Title and SeverityRating are required;
    /// for an existing one every field but the id is optional.
    pub fn upsert(existing: Option<&Control>, v: &Value) -> Result<Control, String> {
        let obj = v.as_object().ok_or("a control must be a JSON object")?;
        let fields =
            ["SecurityControlId", "Title", "Description", "RemediationUrl", "SeverityRating", "SecurityControlStatus"];
        if let Some(k) = unknown_key(obj, &fields) {
            return Err(format!("unknown control field {k:?}"));
        }
        let id = opt_str(obj, "SecurityControlId")?.filter(|s| !s.is_empty()).ok_or("SecurityControlId is required")?;
        if let Some(e) = existing {
            if e.id != id {
                return Err("SecurityControlId mismatch".into());
            }
        }
        let title = match (opt_str(obj, "Title")?, existing) {
            (Some(t), _) => t,
            (None, Some(e)) => e.title.clone(),
            (None, None) => return Err(format!("{id}: Title is required for a new control")),
        };
        let severity = match (opt_str(obj, "SeverityRating")?, existing) {
            (Some(s), _) => enum_value(&s, SEVERITY_RATINGS, "SeverityRating")?,
            (None, Some(e)) => e.severity.clone(),
            (None, None) => return Err(format!("{id}: SeverityRating is required for a new control")),
        };
        let status = match (opt_str(obj, "SecurityControlStatus")?, existing) {
            (Some(s), _) => enum_value(&s, CONTROL_STATUSES, "SecurityControlStatus")?,
            (None, Some(e)) => e.status.clone(),
            (None, None) => "ENABLED".into(),
        };
        let description =
            opt_str(obj, "Description")?.or_else(|| existing.map(|e| e.description.clone())).unwrap_or_default();
        let remediation = opt_str(obj, "RemediationUrl")?
            .or_else(|| existing.map(|e| e.remediation_url.clone()))
            .unwrap_or_else(|| remediation_url(&id));
        Ok(Control { id, title, description, remediation_url: remediation, severity, status })
    }
}

pub(super) fn opt_str(obj: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("{name}: expected a string, got {other}")),
    }
}

fn enum_value(s: &str, allowed: &[&str], field: &str) -> Result<String, String> {
    if allowed.contains(&s) {
        Ok(s.to_string())
    } else {
        Err(format!("{field}: {s:?} is not one of {allowed:?}"))
    }
}

pub(super) fn parse_enum<T>(
    obj: &Map<String, Value>,
    name: &str,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
) -> Result<Option<T>, String> {
    match opt_str(obj, name)? {
        None => Ok(None),
        Some(s) => parse(&s).map(Some).ok_or_else(|| format!("{name}: {s:?} is not one of {names:?}")),
    }
}

/// A note on a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub text: String,
    pub updated_by: String,
    pub updated_at: String,
}

/// One stored control finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub id: String,
    pub aws_account_id: String,
    pub region: String,
    pub control_id: String,
    pub compliance: Compliance,
    pub workflow: Workflow,
    pub record_state: RecordState,
    pub resource_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub note: Option<Note>,
    /// Set by BatchUpdateFindings `Severity.Label`; otherwise the control's rating.
    pub severity_label: Option<String>,
    pub verification_state: Option<String>,
}

pub fn product_arn(region: &str) -> String {
    format!("arn:aws:securityhub:{region}::product/aws/securityhub")
}

pub fn account_resource_id(account: &str) -> String {
    format!("AWS::::Account:{account}")
}

/// The workflow status a new finding gets when none is given: RESOLVED for PASSED, else NEW.
pub fn initial_workflow(c: Compliance) -> Workflow {
    if c == Compliance::Passed {
        Workflow::Resolved
    } else {
        Workflow::New
    }
}

impl Finding {
    /// An ACTIVE finding on `account` itself, with the initial workflow of `compliance`, created
    /// and updated `now`.
    pub fn new(id: String, account: &str, region: &str, control: &str, compliance: Compliance, now: &str) -> Finding {
        Finding {
            id,
            aws_account_id: account.to_string(),
            region: region.to_string(),
            control_id: control.to_string(),
            compliance,
            workflow: initial_workflow(compliance),
            record_state: RecordState::Active,
            resource_id: account_resource_id(account),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            note: None,
            severity_label: None,
            verification_state: None,
        }
    }

    pub fn product_arn(&self) -> String {
        product_arn(&self.region)
    }

    /// Change the compliance status, applying the AWS workflow rules: becoming PASSED resolves a
    /// NEW or NOTIFIED finding; leaving PASSED turns NOTIFIED or RESOLVED back to NEW. SUPPRESSED
    /// is never changed automatically. Returns whether anything changed.
    pub fn set_compliance(&mut self, c: Compliance) -> bool {
        if self.compliance == c {
            return false;
        }
        let was_passed = self.compliance == Compliance::Passed;
        self.compliance = c;
        if c == Compliance::Passed {
            if matches!(self.workflow, Workflow::New | Workflow::Notified) {
                self.workflow = Workflow::Resolved;
            }
        } else if was_passed && matches!(self.workflow, Workflow::Notified | Workflow::Resolved) {
            self.workflow = Workflow::New;
        }
        true
    }

    /// Change the record state. ARCHIVED -> ACTIVE turns NOTIFIED or RESOLVED back to NEW
    /// (unless the finding is PASSED). Returns whether anything changed.
    pub fn set_record_state(&mut self, r: RecordState) -> bool {
        if self.record_state == r {
            return false;
        }
        let reactivated = self.record_state == RecordState::Archived;
        self.record_state = r;
        if reactivated
            && self.compliance != Compliance::Passed
            && matches!(self.workflow, Workflow::Notified | Workflow::Resolved)
        {
            self.workflow = Workflow::New;
        }
        true
    }

    pub(super) fn severity<'a>(&'a self, control: Option<&'a Control>) -> &'a str {
        self.severity_label.as_deref().or(control.map(|c| c.severity.as_str())).unwrap_or("MEDIUM")
    }

    pub(super) fn title(&self, control: Option<&Control>) -> String {
        control.map(|c| c.title.clone()).unwrap_or_else(|| format!("Security control {}", self.control_id))
    }

    /// The full AwsSecurityFinding.
    pub fn to_json(&self, control: Option<&Control>) -> Value {
        let severity = self.severity(control);
        let product_arn = self.product_arn();
        let mut v = json!({
            "SchemaVersion": SCHEMA_VERSION,
            "Id": self.id,
            "ProductArn": product_arn,
            "ProductName": PRODUCT_NAME,
            "CompanyName": COMPANY_NAME,
            "Region": self.region,
            "GeneratorId": format!("security-control/{}", self.control_id),
            "AwsAccountId": self.aws_account_id,
            "Types": [FINDING_TYPE],
            "FirstObservedAt": self.created_at,
            "LastObservedAt": self.updated_at,
            "CreatedAt": self.created_at,
            "UpdatedAt": self.updated_at,
            "Severity": {"Label": severity, "Original": severity},
            "Title": self.title(control),
            "Description": control.map(|c| c.description.as_str()).unwrap_or(""),
            "Remediation": {"Recommendation": {
                "Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.",
                "Url": control.map(|c| c.remediation_url.clone()).unwrap_or_else(|| remediation_url(&self.control_id)),
            }},
            "ProductFields": {
                "aws/securityhub/ProductName": PRODUCT_NAME,
                "aws/securityhub/CompanyName": COMPANY_NAME,
                "aws/securityhub/FindingId": format!("{product_arn}/{}", self.id),
            },
            "Resources": [{
                "Type": RESOURCE_TYPE,
                "Id": self.resource_id,
                "Partition": "aws",
                "Region": self.region,
            }],
            "Compliance": {
                "Status": self.compliance.as_str(),
                "SecurityControlId": self.control_id,
            },
            "WorkflowState": self.workflow.legacy_state(),
            "Workflow": {"Status": self.workflow.as_str()},
            "RecordState": self.record_state.as_str(),
            "FindingProviderFields": {
                "Severity": {"Label": severity, "Original": severity},
                "Types": [FINDING_TYPE],
            },
            "ProcessedAt": self.updated_at,
        });
        if let Some(n) = &self.note {
            v["Note"] = json!({"Text": n.text, "UpdatedBy": n.updated_by, "UpdatedAt": n.updated_at});
        }
        if let Some(s) = &self.verification_state {
            v["VerificationState"] = json!(s);
        }
        v
    }
}

pub fn finding_id(home: &str, region: &str, control: &str, uuid: &str) -> String {
    format!("arn:aws:securityhub:{region}:{home}:security-control/{control}/finding/{uuid}")
}

/// Distinct values of `ids`, in order (for BatchGetSecurityControls).
pub fn dedup(ids: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.iter().filter(|i| seen.insert(i.as_str())).cloned().collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub const HOME: &str = "111111111111";
    pub const NOW: &str = "2024-01-01T00:00:00.000Z";

    pub fn finding(id: &str, account: &str, compliance: Compliance, workflow: Workflow) -> Finding {
        Finding { workflow, ..Finding::new(id.into(), account, "us-east-1", "Inspector.2", compliance, NOW) }
    }

    #[test]
    fn workflow_rules_and_suppressed_is_sticky() {
        let mut f = finding("x", HOME, Compliance::Failed, Workflow::New);
        assert!(f.set_compliance(Compliance::Passed));
        assert_eq!(f.workflow, Workflow::Resolved);
        assert!(!f.set_compliance(Compliance::Passed));
        assert!(f.set_compliance(Compliance::Failed));
        assert_eq!(f.workflow, Workflow::New);
        f.workflow = Workflow::Notified;
        f.set_compliance(Compliance::Passed);
        assert_eq!(f.workflow, Workflow::Resolved);
        // Suppressed stays suppressed both ways.
        f.workflow = Workflow::Suppressed;
        f.set_compliance(Compliance::Failed);
        assert_eq!(f.workflow, Workflow::Suppressed);
        f.set_compliance(Compliance::Passed);
        assert_eq!(f.workflow, Workflow::Suppressed);
        // FAILED -> WARNING does not touch the workflow.
        let mut g = finding("y", HOME, Compliance::Failed, Workflow::Notified);
        g.set_compliance(Compliance::Warning);
        assert_eq!(g.workflow, Workflow::Notified);
        // Reactivation resets RESOLVED to NEW for a failing finding.
        g.workflow = Workflow::Resolved;
        g.set_record_state(RecordState::Archived);
        assert_eq!(g.workflow, Workflow::Resolved);
        g.set_record_state(RecordState::Active);
        assert_eq!(g.workflow, Workflow::New);
        assert_eq!(initial_workflow(Compliance::Passed), Workflow::Resolved);
        assert_eq!(initial_workflow(Compliance::Failed), Workflow::New);
    }

    #[test]
    fn control_upsert() {
        let c = Control::upsert(None, &json!({"SecurityControlId": "S3.1", "Title": "t", "SeverityRating": "MEDIUM"}))
            .unwrap();
        assert_eq!(c.status, "ENABLED");
        assert_eq!(c.remediation_url, "https://docs.aws.amazon.com/console/securityhub/S3.1/remediation");
        assert!(Control::upsert(None, &json!({"SecurityControlId": "S3.1", "SeverityRating": "MEDIUM"})).is_err());
        assert!(Control::upsert(None, &json!({"SecurityControlId": "S3.1", "Title": "t", "SeverityRating": "SEVERE"}))
            .is_err());
        let builtin = Control::builtin();
        let existing = builtin.iter().find(|c| c.id == "Inspector.2");
        let c = Control::upsert(
            existing,
            &json!({"SecurityControlId": "Inspector.2", "SecurityControlStatus": "DISABLED"}),
        )
        .unwrap();
        assert_eq!(c.title, "Amazon Inspector ECR scanning should be enabled");
        assert_eq!(c.status, "DISABLED");
        let api = c.to_api_json("us-east-1", HOME);
        assert_eq!(
            api["SecurityControlArn"],
            "arn:aws:securityhub:us-east-1:111111111111:security-control/Inspector.2"
        );
        assert_eq!(api["UpdateStatus"], "READY");
    }
}

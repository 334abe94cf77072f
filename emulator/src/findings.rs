//! Security Hub data model: security controls, the findings store (one per Security Hub home
//! account), GetFindings filters and NextTokens, and the workflow rules AWS applies when a
//! finding's compliance or record state changes. Nothing here knows about HTTP.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;

use serde_json::{json, Map, Value};

use crate::util::{base64_decode, base64_encode, fnv64, is_account_id, stable_uuid, unknown_key};

pub const SCHEMA_VERSION: &str = "2018-10-08";
pub const PRODUCT_NAME: &str = "Security Hub";
pub const COMPANY_NAME: &str = "AWS";
pub const FINDING_TYPE: &str = "Software and Configuration Checks/Industry and Regulatory Standards";
pub const RESOURCE_TYPE: &str = "AwsAccount";
/// The control the emulator evaluates from Inspector2 state.
pub const INSPECTOR2_CONTROL: &str = "Inspector.2";

/// GetFindings filter limits.
pub const MAX_FILTER_ATTRIBUTES: usize = 10;
pub const MAX_FILTER_VALUES: usize = 20;
/// Largest `generate.count` the control API accepts.
pub const MAX_GENERATE: u64 = 1_000_000;

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

fn remediation_url(id: &str) -> String {
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

fn opt_str(obj: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
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

fn parse_enum<T>(
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

    fn severity<'a>(&'a self, control: Option<&'a Control>) -> &'a str {
        self.severity_label.as_deref().or(control.map(|c| c.severity.as_str())).unwrap_or("MEDIUM")
    }

    fn title(&self, control: Option<&Control>) -> String {
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

    /// The value of a string filter attribute.
    fn attr(&self, a: Attr, control: Option<&Control>) -> Cow<'_, str> {
        match a {
            Attr::Id => Cow::Borrowed(&self.id),
            Attr::ProductArn => Cow::Owned(self.product_arn()),
            Attr::ProductName => Cow::Borrowed(PRODUCT_NAME),
            Attr::CompanyName => Cow::Borrowed(COMPANY_NAME),
            Attr::GeneratorId => Cow::Owned(format!("security-control/{}", self.control_id)),
            Attr::AwsAccountId => Cow::Borrowed(&self.aws_account_id),
            Attr::Region | Attr::ResourceRegion => Cow::Borrowed(&self.region),
            Attr::ComplianceSecurityControlId => Cow::Borrowed(&self.control_id),
            Attr::ComplianceStatus => Cow::Borrowed(self.compliance.as_str()),
            Attr::WorkflowStatus => Cow::Borrowed(self.workflow.as_str()),
            Attr::WorkflowState => Cow::Borrowed(self.workflow.legacy_state()),
            Attr::RecordState => Cow::Borrowed(self.record_state.as_str()),
            Attr::ResourceId => Cow::Borrowed(&self.resource_id),
            Attr::ResourceType => Cow::Borrowed(RESOURCE_TYPE),
            Attr::ResourcePartition => Cow::Borrowed("aws"),
            Attr::Title => Cow::Owned(self.title(control)),
            Attr::SeverityLabel => Cow::Owned(self.severity(control).to_string()),
        }
    }
}

/// String attributes GetFindings can filter on (others are accepted and ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attr {
    Id,
    ProductArn,
    ProductName,
    CompanyName,
    GeneratorId,
    AwsAccountId,
    Region,
    ComplianceSecurityControlId,
    ComplianceStatus,
    WorkflowStatus,
    WorkflowState,
    RecordState,
    ResourceId,
    ResourceType,
    ResourceRegion,
    ResourcePartition,
    Title,
    SeverityLabel,
}

impl Attr {
    fn parse(key: &str) -> Option<Attr> {
        Some(match key {
            "Id" => Attr::Id,
            "ProductArn" => Attr::ProductArn,
            "ProductName" => Attr::ProductName,
            "CompanyName" => Attr::CompanyName,
            "GeneratorId" => Attr::GeneratorId,
            "AwsAccountId" => Attr::AwsAccountId,
            "Region" => Attr::Region,
            "ComplianceSecurityControlId" => Attr::ComplianceSecurityControlId,
            "ComplianceStatus" => Attr::ComplianceStatus,
            "WorkflowStatus" => Attr::WorkflowStatus,
            "WorkflowState" => Attr::WorkflowState,
            "RecordState" => Attr::RecordState,
            "ResourceId" => Attr::ResourceId,
            "ResourceType" => Attr::ResourceType,
            "ResourceRegion" => Attr::ResourceRegion,
            "ResourcePartition" => Attr::ResourcePartition,
            "Title" => Attr::Title,
            "SeverityLabel" => Attr::SeverityLabel,
            _ => return None,
        })
    }
}

/// StringFilter comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Equals,
    Prefix,
    Contains,
    NotEquals,
    PrefixNotEquals,
    NotContains,
}

impl Cmp {
    fn parse(s: &str) -> Result<Cmp, String> {
        Ok(match s {
            "EQUALS" => Cmp::Equals,
            "PREFIX" => Cmp::Prefix,
            "CONTAINS" => Cmp::Contains,
            "NOT_EQUALS" => Cmp::NotEquals,
            "PREFIX_NOT_EQUALS" => Cmp::PrefixNotEquals,
            "NOT_CONTAINS" => Cmp::NotContains,
            "CONTAINS_WORD" => {
                return Err("Comparison CONTAINS_WORD is not supported for this attribute".into())
            }
            other => return Err(format!(
                "Comparison {other:?} is not valid; expected EQUALS, PREFIX, NOT_EQUALS, PREFIX_NOT_EQUALS, CONTAINS or NOT_CONTAINS"
            )),
        })
    }

    fn is_positive(self) -> bool {
        matches!(self, Cmp::Equals | Cmp::Prefix | Cmp::Contains)
    }

    fn test(self, value: &str, filter: &str) -> bool {
        match self {
            Cmp::Equals => value == filter,
            Cmp::Prefix => value.starts_with(filter),
            Cmp::Contains => value.contains(filter),
            Cmp::NotEquals => value != filter,
            Cmp::PrefixNotEquals => !value.starts_with(filter),
            Cmp::NotContains => !value.contains(filter),
        }
    }
}

/// Parsed GetFindings `Filters` (only the string attributes the emulator implements).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    attrs: Vec<(Attr, Vec<(Cmp, String)>)>,
}

impl Filters {
    /// Parse and validate `Filters` as sent. Err is the InvalidInputException message.
    ///
    /// Semantics (as AWS documents them): different attributes are AND'ed; within one attribute,
    /// EQUALS / PREFIX / CONTAINS values are OR'ed and NOT_EQUALS / PREFIX_NOT_EQUALS /
    /// NOT_CONTAINS values are AND'ed (and both groups must hold). EQUALS cannot be combined with
    /// NOT_EQUALS or PREFIX_NOT_EQUALS on one attribute; CONTAINS and NOT_CONTAINS only combine
    /// with themselves.
    pub fn parse(v: Option<&Value>) -> Result<Filters, String> {
        let obj = match v {
            None | Some(Value::Null) => return Ok(Filters::default()),
            Some(Value::Object(o)) => o,
            Some(_) => return Err("Filters must be an object".into()),
        };
        let used = obj
            .values()
            .filter(|v| !matches!(v, Value::Null))
            .filter(|v| !matches!(v, Value::Array(a) if a.is_empty()))
            .count();
        if used > MAX_FILTER_ATTRIBUTES {
            return Err(format!("Filters can contain at most {MAX_FILTER_ATTRIBUTES} attributes; {used} were given"));
        }
        let mut out = Filters::default();
        for (key, list) in obj {
            let list = match list {
                Value::Null => continue,
                Value::Array(a) => a,
                _ => return Err(format!("Filters.{key} must be a list")),
            };
            if list.len() > MAX_FILTER_VALUES {
                return Err(format!(
                    "Filters.{key} can contain at most {MAX_FILTER_VALUES} values; {} were given",
                    list.len()
                ));
            }
            let Some(attr) = Attr::parse(key) else {
                continue; // not a string attribute the emulator implements: ignored
            };
            let mut conds = Vec::with_capacity(list.len());
            for f in list {
                let value = f
                    .get("Value")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("Filters.{key}: every filter needs a string Value"))?;
                let cmp = f
                    .get("Comparison")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("Filters.{key}: every filter needs a Comparison"))
                    .and_then(|c| Cmp::parse(c).map_err(|e| format!("Filters.{key}: {e}")))?;
                conds.push((cmp, value.to_string()));
            }
            let has = |c: Cmp| conds.iter().any(|(x, _)| *x == c);
            if has(Cmp::Equals) && (has(Cmp::NotEquals) || has(Cmp::PrefixNotEquals)) {
                return Err(format!("Filters.{key}: EQUALS cannot be combined with NOT_EQUALS or PREFIX_NOT_EQUALS"));
            }
            for only in [Cmp::Contains, Cmp::NotContains] {
                if has(only) && conds.iter().any(|(x, _)| *x != only) {
                    return Err(format!(
                        "Filters.{key}: {only:?} filters can only be combined with other {only:?} filters"
                    ));
                }
            }
            if !conds.is_empty() {
                out.attrs.push((attr, conds));
            }
        }
        Ok(out)
    }

    pub fn is_empty(&self) -> bool {
        self.attrs.is_empty()
    }

    pub fn matches(&self, f: &Finding, control: Option<&Control>) -> bool {
        self.attrs.iter().all(|(attr, conds)| {
            let value = f.attr(*attr, control);
            let mut any_positive = false;
            let mut positive_hit = false;
            for (cmp, filter) in conds {
                if cmp.is_positive() {
                    any_positive = true;
                    positive_hit = positive_hit || cmp.test(&value, filter);
                } else if !cmp.test(&value, filter) {
                    return false;
                }
            }
            !any_positive || positive_hit
        })
    }
}

/// Canonical JSON (object keys sorted at every level) for digests.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Digest binding a NextToken to the home account and the Filters it was issued for.
pub fn query_digest(home: &str, filters: Option<&Value>) -> u64 {
    let mut s = String::from(home);
    s.push('\n');
    match filters {
        None | Some(Value::Null) => s.push_str("{}"),
        Some(f) => canonical(f, &mut s),
    }
    fnv64(s.as_bytes())
}

/// A NextToken: a cursor (the last Id returned) plus the query digest, base64-encoded.
/// Cursor-based, so updating findings between pages neither skips nor repeats any.
pub fn encode_token(digest: u64, last_id: &str) -> String {
    base64_encode(format!("v1\n{digest:016x}\n{last_id}").as_bytes())
}

/// The cursor inside a NextToken, if the token is well-formed and was issued for `digest`.
pub fn decode_token(token: &str, digest: u64) -> Option<String> {
    let raw = String::from_utf8(base64_decode(token)?).ok()?;
    let mut parts = raw.splitn(3, '\n');
    if parts.next()? != "v1" {
        return None;
    }
    let d = u64::from_str_radix(parts.next()?, 16).ok()?;
    let last = parts.next()?;
    (d == digest && !last.is_empty()).then(|| last.to_string())
}

/// All Security Hub state.
#[derive(Clone, Debug)]
pub struct Hub {
    pub controls: BTreeMap<String, Control>,
    /// Home account -> (finding Id -> finding).
    pub findings: BTreeMap<String, BTreeMap<String, Finding>>,
    /// Counter behind generated finding ids (deterministic from a reset).
    seq: u64,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            controls: Control::builtin().into_iter().map(|c| (c.id.clone(), c)).collect(),
            findings: BTreeMap::new(),
            seq: 0,
        }
    }
}

/// One GetFindings page: the findings and, when more match, the cursor for the next page.
pub struct Page<'a> {
    pub findings: Vec<&'a Finding>,
    pub next_after: Option<String>,
}

impl Hub {
    pub fn store(&self, home: &str) -> Option<&BTreeMap<String, Finding>> {
        self.findings.get(home)
    }

    pub fn store_mut(&mut self, home: &str) -> &mut BTreeMap<String, Finding> {
        self.findings.entry(home.to_string()).or_default()
    }

    pub fn find_mut(&mut self, home: &str, id: &str) -> Option<&mut Finding> {
        self.findings.get_mut(home)?.get_mut(id)
    }

    /// A fresh, deterministic finding id.
    pub fn new_finding_id(&mut self, home: &str, region: &str, control: &str) -> String {
        self.seq += 1;
        let uuid = stable_uuid(&format!("{home}|{region}|{control}|{}", self.seq));
        finding_id(home, region, control, &uuid)
    }

    /// Up to `max` findings of `home` matching `filters`, in Id order, after the cursor `after`.
    pub fn page(&self, home: &str, filters: &Filters, after: Option<&str>, max: usize) -> Page<'_> {
        let mut out = Vec::with_capacity(max.min(128));
        let Some(store) = self.findings.get(home) else {
            return Page { findings: out, next_after: None };
        };
        let lower = match after {
            Some(a) => Bound::Excluded(a),
            None => Bound::Unbounded,
        };
        let mut more = false;
        for f in store.range::<str, _>((lower, Bound::Unbounded)).map(|(_, f)| f) {
            if !filters.matches(f, self.controls.get(&f.control_id)) {
                continue;
            }
            if out.len() == max {
                more = true;
                break;
            }
            out.push(f);
        }
        let next_after = if more { out.last().map(|f| f.id.clone()) } else { None };
        Page { findings: out, next_after }
    }

    /// Every finding of `home` (sorted by Id) as AwsSecurityFinding JSON.
    pub fn findings_json(&self, home: &str) -> Vec<Value> {
        self.findings
            .get(home)
            .map(|s| s.values().map(|f| f.to_json(self.controls.get(&f.control_id))).collect())
            .unwrap_or_default()
    }

    /// Control API: seed findings into `home`'s store from `{"findings": [...], "generate": {...}}`
    /// (either or both). All or nothing. Returns the ids added (or replaced), in input order.
    pub fn seed(&mut self, home: &str, body: &Map<String, Value>, now: &str) -> Result<Vec<String>, String> {
        let mut new: Vec<Finding> = Vec::new();
        if let Some(list) = body.get("findings").filter(|v| !v.is_null()) {
            let list = list.as_array().ok_or("findings must be an array")?;
            for (i, v) in list.iter().enumerate() {
                let f = self.parse_seed_finding(home, v, now).map_err(|e| format!("findings[{i}]: {e}"))?;
                new.push(f);
            }
        }
        if let Some(g) = body.get("generate").filter(|v| !v.is_null()) {
            new.extend(self.generate(home, g, now).map_err(|e| format!("generate: {e}"))?);
        }
        let store = self.store_mut(home);
        let mut ids = Vec::with_capacity(new.len());
        for mut f in new {
            if let Some(old) = store.get(&f.id) {
                f.created_at = old.created_at.clone();
            }
            ids.push(f.id.clone());
            store.insert(f.id.clone(), f);
        }
        Ok(ids)
    }

    fn parse_seed_finding(&mut self, home: &str, v: &Value, now: &str) -> Result<Finding, String> {
        let obj = v.as_object().ok_or("a finding must be a JSON object")?;
        let fields = [
            "Id",
            "AwsAccountId",
            "SecurityControlId",
            "ComplianceStatus",
            "WorkflowStatus",
            "RecordState",
            "Region",
            "ResourceId",
            "UpdatedAt",
            "CreatedAt",
        ];
        if let Some(k) = unknown_key(obj, &fields) {
            return Err(format!("unknown finding field {k:?}"));
        }
        let account =
            opt_str(obj, "AwsAccountId")?.filter(|a| is_account_id(a)).ok_or("AwsAccountId is required (12 digits)")?;
        let control =
            opt_str(obj, "SecurityControlId")?.filter(|c| !c.is_empty()).ok_or("SecurityControlId is required")?;
        let compliance = parse_enum(obj, "ComplianceStatus", Compliance::parse, Compliance::NAMES)?
            .ok_or("ComplianceStatus is required")?;
        let workflow = parse_enum(obj, "WorkflowStatus", Workflow::parse, Workflow::NAMES)?
            .unwrap_or_else(|| initial_workflow(compliance));
        let record_state =
            parse_enum(obj, "RecordState", RecordState::parse, RecordState::NAMES)?.unwrap_or(RecordState::Active);
        let region = opt_str(obj, "Region")?.filter(|r| !r.is_empty()).unwrap_or_else(|| "us-east-1".into());
        let resource_id = opt_str(obj, "ResourceId")?.unwrap_or_else(|| account_resource_id(&account));
        let updated_at = opt_str(obj, "UpdatedAt")?.unwrap_or_else(|| now.to_string());
        let created_at = opt_str(obj, "CreatedAt")?.unwrap_or_else(|| updated_at.clone());
        let id = match opt_str(obj, "Id")? {
            Some(id) if !id.is_empty() => id,
            Some(_) => return Err("Id must not be empty".into()),
            None => self.new_finding_id(home, &region, &control),
        };
        Ok(Finding {
            workflow,
            record_state,
            resource_id,
            created_at,
            ..Finding::new(id, &account, &region, &control, compliance, &updated_at)
        })
    }

    fn generate(&mut self, home: &str, g: &Value, now: &str) -> Result<Vec<Finding>, String> {
        let obj = g.as_object().ok_or("must be a JSON object")?;
        let fields =
            ["control_id", "count", "compliance_status", "workflow_status", "record_state", "account_ids", "region"];
        if let Some(k) = unknown_key(obj, &fields) {
            return Err(format!("unknown field {k:?}"));
        }
        let control = opt_str(obj, "control_id")?.filter(|c| !c.is_empty()).ok_or("control_id is required")?;
        let count = obj
            .get("count")
            .and_then(Value::as_u64)
            .filter(|&n| n <= MAX_GENERATE)
            .ok_or_else(|| format!("count is required (an integer 0..={MAX_GENERATE})"))?;
        let compliance =
            parse_enum(obj, "compliance_status", Compliance::parse, Compliance::NAMES)?.unwrap_or(Compliance::Failed);
        let workflow = parse_enum(obj, "workflow_status", Workflow::parse, Workflow::NAMES)?
            .unwrap_or_else(|| initial_workflow(compliance));
        let record_state =
            parse_enum(obj, "record_state", RecordState::parse, RecordState::NAMES)?.unwrap_or(RecordState::Active);
        let region = opt_str(obj, "region")?.filter(|r| !r.is_empty()).unwrap_or_else(|| "us-east-1".into());
        let accounts = match obj.get("account_ids") {
            None | Some(Value::Null) => vec![home.to_string()],
            Some(v) => {
                let a = crate::config::account_id_list(v, "account_ids")?;
                if a.is_empty() {
                    return Err("account_ids must not be empty".into());
                }
                a
            }
        };
        let mut out = Vec::with_capacity(count as usize);
        for i in 0..count as usize {
            let account = &accounts[i % accounts.len()];
            let id = self.new_finding_id(home, &region, &control);
            out.push(Finding {
                workflow,
                record_state,
                ..Finding::new(id, account, &region, &control, compliance, now)
            });
        }
        Ok(out)
    }

    /// Control API: change one finding (`{ComplianceStatus?, WorkflowStatus?, RecordState?}`).
    /// Compliance and record state changes apply the workflow rules first; an explicit
    /// WorkflowStatus wins. UpdatedAt becomes `now` when anything changed.
    pub fn patch_finding(&mut self, home: &str, id: &str, v: &Value, now: &str) -> Result<Option<Value>, String> {
        let obj = v.as_object().ok_or("body must be a JSON object")?;
        if let Some(k) = unknown_key(obj, &["ComplianceStatus", "WorkflowStatus", "RecordState"]) {
            return Err(format!("unknown field {k:?} (ComplianceStatus|WorkflowStatus|RecordState)"));
        }
        let compliance = parse_enum(obj, "ComplianceStatus", Compliance::parse, Compliance::NAMES)?;
        let workflow = parse_enum(obj, "WorkflowStatus", Workflow::parse, Workflow::NAMES)?;
        let record = parse_enum(obj, "RecordState", RecordState::parse, RecordState::NAMES)?;
        let Some(f) = self.find_mut(home, id) else {
            return Ok(None);
        };
        let before = f.clone();
        if let Some(r) = record {
            f.set_record_state(r);
        }
        if let Some(c) = compliance {
            f.set_compliance(c);
        }
        if let Some(w) = workflow {
            f.workflow = w;
        }
        if *f != before {
            f.updated_at = now.to_string();
        }
        let f = f.clone();
        Ok(Some(f.to_json(self.controls.get(&f.control_id))))
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
mod tests {
    use super::*;

    const HOME: &str = "111111111111";
    const NOW: &str = "2024-01-01T00:00:00.000Z";

    fn finding(id: &str, account: &str, compliance: Compliance, workflow: Workflow) -> Finding {
        Finding { workflow, ..Finding::new(id.into(), account, "us-east-1", "Inspector.2", compliance, NOW) }
    }

    fn filters(v: Value) -> Filters {
        Filters::parse(Some(&v)).unwrap()
    }

    fn m(f: &Filters, x: &Finding) -> bool {
        let controls = Hub::default().controls;
        f.matches(x, controls.get(&x.control_id))
    }

    #[test]
    fn filter_semantics() {
        let a = finding("a", "222222222222", Compliance::Failed, Workflow::New);
        let b = finding("b", "333333333333", Compliance::Passed, Workflow::Resolved);
        let c = finding("c", "444444444444", Compliance::Failed, Workflow::Suppressed);
        let all = [&a, &b, &c];
        let hits = |f: &Filters| -> Vec<&str> { all.iter().filter(|x| m(f, x)).map(|x| x.id.as_str()).collect() };
        // No filters: everything.
        assert_eq!(hits(&Filters::default()), vec!["a", "b", "c"]);
        // EQUALS values are OR'ed.
        let f = filters(json!({"AwsAccountId": [
            {"Value": "222222222222", "Comparison": "EQUALS"},
            {"Value": "444444444444", "Comparison": "EQUALS"}]}));
        assert_eq!(hits(&f), vec!["a", "c"]);
        // Different attributes are AND'ed.
        let f = filters(json!({
            "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}],
            "WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}, {"Value": "NOTIFIED", "Comparison": "EQUALS"}]}));
        assert_eq!(hits(&f), vec!["a"]);
        // NOT_EQUALS values are AND'ed.
        let f = filters(json!({"WorkflowStatus": [
            {"Value": "SUPPRESSED", "Comparison": "NOT_EQUALS"},
            {"Value": "RESOLVED", "Comparison": "NOT_EQUALS"}]}));
        assert_eq!(hits(&f), vec!["a"]);
        // PREFIX OR'ed, then PREFIX_NOT_EQUALS AND'ed on the same attribute.
        let f = filters(json!({"ResourceId": [
            {"Value": "AWS::::Account:2", "Comparison": "PREFIX"},
            {"Value": "AWS::::Account:3", "Comparison": "PREFIX"},
            {"Value": "AWS::::Account:33", "Comparison": "PREFIX_NOT_EQUALS"}]}));
        assert_eq!(hits(&f), vec!["a"]);
        // PREFIX with NOT_EQUALS.
        let f = filters(json!({"AwsAccountId": [
            {"Value": "", "Comparison": "PREFIX"},
            {"Value": "333333333333", "Comparison": "NOT_EQUALS"}]}));
        assert_eq!(hits(&f), vec!["a", "c"]);
        // Derived attributes.
        let f = filters(json!({
            "ProductArn": [{"Value": "arn:aws:securityhub:us-east-1::product/aws/securityhub", "Comparison": "EQUALS"}],
            "GeneratorId": [{"Value": "security-control/Inspector.2", "Comparison": "EQUALS"}],
            "ComplianceSecurityControlId": [{"Value": "Inspector.2", "Comparison": "EQUALS"}],
            "ResourceType": [{"Value": "AwsAccount", "Comparison": "EQUALS"}],
            "Title": [{"Value": "Amazon Inspector ECR", "Comparison": "PREFIX"}],
            "Region": [{"Value": "us-east-1", "Comparison": "EQUALS"}],
            "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
            "Id": [{"Value": "b", "Comparison": "NOT_EQUALS"}]}));
        assert_eq!(hits(&f), vec!["a", "c"]);
        // Unknown attributes are ignored.
        let f = filters(json!({"UpdatedAt": [{"DateRange": {"Value": 1, "Unit": "DAYS"}}],
            "SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}]}));
        assert_eq!(hits(&f), vec!["a", "b", "c"]);
        // CONTAINS / NOT_CONTAINS.
        let f = filters(json!({"AwsAccountId": [{"Value": "44", "Comparison": "CONTAINS"}]}));
        assert_eq!(hits(&f), vec!["c"]);
        let f = filters(json!({"AwsAccountId": [{"Value": "44", "Comparison": "NOT_CONTAINS"}]}));
        assert_eq!(hits(&f), vec!["a", "b"]);
    }

    #[test]
    fn filter_validation() {
        let p = |v: Value| Filters::parse(Some(&v));
        let values: Vec<Value> = (0..21).map(|i| json!({"Value": format!("{i}"), "Comparison": "EQUALS"})).collect();
        assert!(p(json!({"Id": values})).unwrap_err().contains("20"));
        let many: Map<String, Value> =
            (0..11).map(|i| (format!("K{i}"), json!([{"Value": "x", "Comparison": "EQUALS"}]))).collect();
        assert!(p(Value::Object(many.clone())).unwrap_err().contains("10"));
        let ten: Map<String, Value> = many.into_iter().take(10).collect();
        assert!(p(Value::Object(ten)).is_ok());
        assert!(p(json!({"Id": [{"Value": "x", "Comparison": "LIKE"}]})).is_err());
        assert!(p(json!({"Id": [{"Value": "x"}]})).is_err());
        assert!(p(json!({"Id": [{"Comparison": "EQUALS"}]})).is_err());
        assert!(p(json!({"Id": {"Value": "x", "Comparison": "EQUALS"}})).is_err());
        assert!(p(json!([])).is_err());
        assert!(p(json!({"Id": [
            {"Value": "x", "Comparison": "EQUALS"},
            {"Value": "y", "Comparison": "NOT_EQUALS"}]}))
        .is_err());
        assert!(p(json!({"Id": [
            {"Value": "x", "Comparison": "CONTAINS"},
            {"Value": "y", "Comparison": "PREFIX"}]}))
        .is_err());
        assert!(Filters::parse(None).unwrap().is_empty());
    }

    #[test]
    fn tokens() {
        let f1 = json!({"Id": [{"Value": "x", "Comparison": "EQUALS"}], "Region": []});
        // Key order does not matter.
        let f2: Value =
            serde_json::from_str(r#"{"Region": [], "Id": [{"Comparison": "EQUALS", "Value": "x"}]}"#).unwrap();
        let d = query_digest(HOME, Some(&f1));
        assert_eq!(d, query_digest(HOME, Some(&f2)));
        assert_ne!(d, query_digest("222222222222", Some(&f1)));
        assert_ne!(d, query_digest(HOME, None));
        assert_eq!(query_digest(HOME, None), query_digest(HOME, Some(&Value::Null)));
        let last = "arn:aws:securityhub:us-east-1:111111111111:security-control/Inspector.2/finding/x";
        let t = encode_token(d, last);
        assert_eq!(decode_token(&t, d).as_deref(), Some(last));
        // Issued for other filters.
        assert_eq!(decode_token(&t, d ^ 1), None);
        // Garbage.
        assert_eq!(decode_token("garbage!", d), None);
        assert_eq!(decode_token(&base64_encode(b"v2\n00\nx"), d), None);
        assert_eq!(decode_token("", d), None);
    }

    #[test]
    fn paging_is_a_stable_cursor() {
        let mut hub = Hub::default();
        let body = json!({"generate": {"control_id": "Inspector.2", "count": 25,
            "account_ids": ["222222222222", "333333333333"]}});
        let ids = hub.seed(HOME, body.as_object().unwrap(), NOW).unwrap();
        assert_eq!(ids.len(), 25);
        let f = filters(json!({
            "AwsAccountId": [{"Value": "222222222222", "Comparison": "EQUALS"}],
            "WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}]}));
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = hub.page(HOME, &f, after.as_deref(), 5);
            let got: Vec<String> = page.findings.iter().map(|x| x.id.clone()).collect();
            let next = page.next_after;
            assert!(got.len() <= 5);
            // Suppress what we saw: those no longer match, yet the cursor skips nothing.
            for id in &got {
                hub.find_mut(HOME, id).unwrap().workflow = Workflow::Suppressed;
            }
            seen.extend(got);
            match next {
                Some(a) => after = Some(a),
                None => break,
            }
        }
        assert_eq!(seen.len(), 13);
        assert!(hub.page(HOME, &f, None, 5).findings.is_empty());
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
        // Exactly a full last page: no next cursor.
        let page = hub.page(HOME, &Filters::default(), None, 25);
        assert_eq!(page.findings.len(), 25);
        assert!(page.next_after.is_none());
        let page = hub.page(HOME, &Filters::default(), None, 24);
        assert!(page.next_after.is_some());
        // Unknown home: empty.
        assert!(hub.page("999999999999", &Filters::default(), None, 5).findings.is_empty());
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
    fn seeding_and_patching() {
        let mut hub = Hub::default();
        let body = json!({"findings": [
            {"AwsAccountId": "222222222222", "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED"},
            {"Id": "custom-1", "AwsAccountId": "333333333333", "SecurityControlId": "Inspector.2",
             "ComplianceStatus": "PASSED", "Region": "eu-west-1", "UpdatedAt": "2023-05-05T00:00:00Z"}
        ]});
        let ids = hub.seed(HOME, body.as_object().unwrap(), NOW).unwrap();
        assert!(ids[0].starts_with("arn:aws:securityhub:us-east-1:111111111111:security-control/Inspector.2/finding/"));
        assert_eq!(ids[1], "custom-1");
        let all = hub.findings_json(HOME);
        let c = all.iter().find(|f| f["Id"] == "custom-1").unwrap();
        assert_eq!(c["Workflow"]["Status"], "RESOLVED");
        assert_eq!(c["ProductArn"], "arn:aws:securityhub:eu-west-1::product/aws/securityhub");
        assert_eq!(c["UpdatedAt"], "2023-05-05T00:00:00Z");
        assert_eq!(c["Resources"][0]["Id"], "AWS::::Account:333333333333");
        assert_eq!(c["Title"], "Amazon Inspector ECR scanning should be enabled");
        assert_eq!(c["Severity"]["Label"], "HIGH");
        let a = all.iter().find(|f| f["Id"] == ids[0].as_str()).unwrap();
        assert_eq!(a["Workflow"]["Status"], "NEW");
        assert_eq!(a["RecordState"], "ACTIVE");
        assert_eq!(a["UpdatedAt"], NOW);
        assert!(a.get("Note").is_none());
        // All or nothing.
        let bad = json!({"findings": [
            {"AwsAccountId": "222222222222", "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED"},
            {"AwsAccountId": "2", "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED"}]});
        assert!(hub.seed(HOME, bad.as_object().unwrap(), NOW).is_err());
        assert!(hub
            .seed(
                HOME,
                json!({"generate": {"control_id": "X", "count": 1, "compliance_status": "BAD"}}).as_object().unwrap(),
                NOW
            )
            .is_err());
        assert_eq!(hub.store(HOME).unwrap().len(), 2);
        // Patch.
        let v = hub.patch_finding(HOME, "custom-1", &json!({"ComplianceStatus": "FAILED"}), "later").unwrap().unwrap();
        assert_eq!(v["Workflow"]["Status"], "NEW");
        assert_eq!(v["UpdatedAt"], "later");
        assert_eq!(v["CreatedAt"], "2023-05-05T00:00:00Z");
        let v = hub
            .patch_finding(
                HOME,
                "custom-1",
                &json!({"ComplianceStatus": "PASSED", "WorkflowStatus": "NOTIFIED"}),
                "later",
            )
            .unwrap()
            .unwrap();
        assert_eq!(v["Workflow"]["Status"], "NOTIFIED");
        assert_eq!(v["WorkflowState"], "ASSIGNED");
        assert!(hub.patch_finding(HOME, "nope", &json!({}), NOW).unwrap().is_none());
        assert!(hub.patch_finding(HOME, "custom-1", &json!({"Bogus": 1}), NOW).is_err());
    }

    #[test]
    fn control_upsert() {
        let hub = Hub::default();
        let c = Control::upsert(None, &json!({"SecurityControlId": "S3.1", "Title": "t", "SeverityRating": "MEDIUM"}))
            .unwrap();
        assert_eq!(c.status, "ENABLED");
        assert_eq!(c.remediation_url, "https://docs.aws.amazon.com/console/securityhub/S3.1/remediation");
        assert!(Control::upsert(None, &json!({"SecurityControlId": "S3.1", "SeverityRating": "MEDIUM"})).is_err());
        assert!(Control::upsert(None, &json!({"SecurityControlId": "S3.1", "Title": "t", "SeverityRating": "SEVERE"}))
            .is_err());
        let existing = hub.controls.get("Inspector.2");
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

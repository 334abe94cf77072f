//! Amazon Inspector policies (the AWS Organizations policy type `INSPECTOR_POLICY`): the document
//! syntax and the inheritance operators of management policies, as the Organizations guide pages
//! "Amazon Inspector policy syntax and examples" and "Policy syntax and inheritance" describe them.
//!
//! A document is `{"inspector": {"enablement": {SCAN: {"enable_in_regions": {OP: [...]},
//! "disable_in_regions": {OP: [...]}}}}}` with SCAN one of [`SCAN_KEYS`] and OP one of
//! `@@assign`, `@@append`, `@@remove`. Values are Region names or `ALL_SUPPORTED` (every current
//! and future Region). Either list may be left out (AWS's own examples leave out
//! `disable_in_regions`). Policies apply from the root down to the account, and in policy-id
//! order at one level; `disable_in_regions` wins over `enable_in_regions`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::util::is_region;

/// The scan types a policy can name.
pub const SCAN_KEYS: &[&str] =
    &["ec2_scanning", "ecr_scanning", "lambda_standard_scanning", "lambda_code_scanning", "code_repository_scanning"];

/// The scan type of Amazon ECR scanning (the one Inspector.2 is about).
pub const ECR_SCANNING: &str = "ecr_scanning";

/// Every Region, now and later.
pub const ALL_SUPPORTED: &str = "ALL_SUPPORTED";

const LISTS: [&str; 2] = ["enable_in_regions", "disable_in_regions"];

/// An inheritance operator with its values.
#[derive(Clone, Debug, PartialEq)]
enum Operator {
    Assign(Vec<String>),
    Append(Vec<String>),
    Remove(Vec<String>),
}

/// A validated policy: scan type -> list name -> operator, as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    scans: BTreeMap<String, BTreeMap<&'static str, Operator>>,
}

fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object().ok_or_else(|| format!("{at} must be a JSON object"))
}

fn only_keys(obj: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), String> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("{at} has an unknown key {k:?}; expected one of {allowed:?}")),
        None => Ok(()),
    }
}

fn regions(v: &Value, at: &str) -> Result<Vec<String>, String> {
    let list = v.as_array().ok_or_else(|| format!("{at} must be a list of Region names"))?;
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        match r.as_str() {
            Some(s) if s == ALL_SUPPORTED || is_region(s) => out.push(s.to_string()),
            _ => return Err(format!("{at}: {r} is not a Region name or {ALL_SUPPORTED}")),
        }
    }
    Ok(out)
}

fn operator(v: &Value, at: &str) -> Result<Operator, String> {
    let obj = object(v, at)?;
    let mut ops = obj.iter();
    let (Some((name, values)), None) = (ops.next(), ops.next()) else {
        return Err(format!("{at} must hold exactly one of @@assign, @@append, @@remove"));
    };
    let at = format!("{at}.{name}");
    let values = regions(values, &at)?;
    match name.as_str() {
        "@@assign" => Ok(Operator::Assign(values)),
        "@@append" => Ok(Operator::Append(values)),
        "@@remove" => Ok(Operator::Remove(values)),
        _ => Err(format!("{at}: unknown operator; expected @@assign, @@append or @@remove")),
    }
}

impl Document {
    /// Parse a policy's `Content`; the error says what is malformed (MalformedPolicyDocumentException).
    pub fn parse(content: &str) -> Result<Document, String> {
        let v: Value = serde_json::from_str(content).map_err(|e| format!("the policy is not valid JSON: {e}"))?;
        let top = object(&v, "the policy")?;
        only_keys(top, &["inspector"], "the policy")?;
        let inspector =
            object(top.get("inspector").ok_or("the policy needs the top-level key \"inspector\"")?, "inspector")?;
        only_keys(inspector, &["enablement"], "inspector")?;
        let mut doc = Document::default();
        let Some(enablement) = inspector.get("enablement") else { return Ok(doc) };
        for (scan, lists) in object(enablement, "inspector.enablement")? {
            let at = format!("inspector.enablement.{scan}");
            if !SCAN_KEYS.contains(&scan.as_str()) {
                return Err(format!("{at}: unknown scan type; expected one of {SCAN_KEYS:?}"));
            }
            let lists = object(lists, &at)?;
            only_keys(lists, &LISTS, &at)?;
            let mut parsed = BTreeMap::new();
            for list in LISTS {
                if let Some(op) = lists.get(list) {
                    parsed.insert(list, operator(op, &format!("{at}.{list}"))?);
                }
            }
            doc.scans.insert(scan.clone(), parsed);
        }
        Ok(doc)
    }
}

/// The result of inheritance: scan type -> list name -> Regions (in first-named order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effective {
    scans: BTreeMap<String, BTreeMap<&'static str, Vec<String>>>,
}

impl Effective {
    /// Apply one more policy (a lower level, or the next policy at the same level).
    pub fn apply(&mut self, doc: &Document) {
        for (scan, lists) in &doc.scans {
            let target = self.scans.entry(scan.clone()).or_default();
            for (list, op) in lists {
                let values = target.entry(list).or_default();
                match op {
                    Operator::Assign(v) => *values = v.clone(),
                    Operator::Append(v) => v.iter().for_each(|r| {
                        if !values.contains(r) {
                            values.push(r.clone());
                        }
                    }),
                    Operator::Remove(v) => values.retain(|r| !v.contains(r)),
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.scans.is_empty()
    }

    /// What the policy decides for `scan` in `region`: Some(true) enabled, Some(false) disabled
    /// (`disable_in_regions` wins), None when it does not manage that scan type there.
    pub fn decision(&self, scan: &str, region: &str) -> Option<bool> {
        let lists = self.scans.get(scan)?;
        let names = |list: &str| lists.get(list).is_some_and(|v| v.iter().any(|r| r == region || r == ALL_SUPPORTED));
        if names("disable_in_regions") {
            Some(false)
        } else if names("enable_in_regions") {
            Some(true)
        } else {
            None
        }
    }

    /// The effective document, each list as `{"@@assign": [...]}` (as AWS shows effective
    /// management policies).
    pub fn to_json(&self) -> Value {
        let scans: Map<String, Value> = self
            .scans
            .iter()
            .map(|(scan, lists)| {
                let lists: Map<String, Value> =
                    lists.iter().map(|(list, v)| (list.to_string(), json!({ "@@assign": v }))).collect();
                (scan.clone(), Value::Object(lists))
            })
            .collect();
        json!({"inspector": {"enablement": scans}})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Value) -> Document {
        Document::parse(&v.to_string()).unwrap()
    }

    fn ecr(enable: Value, disable: Value) -> Document {
        doc(
            json!({"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": enable, "disable_in_regions": disable}}}}),
        )
    }

    #[test]
    fn malformed_documents_say_what_is_wrong() {
        for (content, says) in [
            ("not json", "not valid JSON"),
            ("[]", "JSON object"),
            ("{}", "\"inspector\""),
            (r#"{"inspector": {}, "x": 1}"#, "\"x\""),
            (r#"{"inspector": {"enablement": {"ami_scanning": {}}}}"#, "ami_scanning"),
            (r#"{"inspector": {"enablement": {"ecr_scanning": {"enable": {}}}}}"#, "\"enable\""),
            (r#"{"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": ["us-east-1"]}}}}"#, "JSON object"),
            (r#"{"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {}}}}}"#, "exactly one"),
            (
                r#"{"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {"@@assign": [], "@@append": []}}}}}"#,
                "exactly one",
            ),
            (r#"{"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {"@@set": []}}}}}"#, "@@set"),
            (
                r#"{"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {"@@assign": ["moon-1"]}}}}}"#,
                "moon-1",
            ),
        ] {
            let e = Document::parse(content).unwrap_err();
            assert!(e.contains(says), "{content}: {e}");
        }
        // Either list may be left out, and an empty enablement is a valid (empty) policy.
        doc(
            json!({"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {"@@assign": ["ALL_SUPPORTED"]}}}}}),
        );
        assert_eq!(doc(json!({"inspector": {}})), Document::default());
    }

    #[test]
    fn disable_wins_and_all_supported_means_every_region() {
        let mut e = Effective::default();
        e.apply(&ecr(json!({"@@assign": ["ALL_SUPPORTED"]}), json!({"@@assign": ["eu-west-1"]})));
        assert_eq!(e.decision(ECR_SCANNING, "us-east-1"), Some(true));
        assert_eq!(e.decision(ECR_SCANNING, "ap-south-2"), Some(true), "a Region nobody named");
        assert_eq!(e.decision(ECR_SCANNING, "eu-west-1"), Some(false));
        assert_eq!(e.decision("ec2_scanning", "us-east-1"), None, "other scan types are not managed");
        let mut e = Effective::default();
        e.apply(&ecr(json!({"@@assign": ["us-east-1"]}), json!({"@@assign": []})));
        assert_eq!(e.decision(ECR_SCANNING, "us-west-2"), None);
    }

    #[test]
    fn operators_inherit_down_the_tree() {
        let mut e = Effective::default();
        e.apply(&ecr(json!({"@@assign": ["us-east-1", "eu-west-1"]}), json!({"@@assign": []})));
        // An OU adds a Region, the account removes one and disables another.
        e.apply(&doc(json!({"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {"@@append": ["us-west-2", "us-east-1"]}}}}})));
        e.apply(&ecr(json!({"@@remove": ["eu-west-1"]}), json!({"@@append": ["us-west-2"]})));
        assert_eq!(e.decision(ECR_SCANNING, "us-east-1"), Some(true));
        assert_eq!(e.decision(ECR_SCANNING, "eu-west-1"), None);
        assert_eq!(e.decision(ECR_SCANNING, "us-west-2"), Some(false));
        assert_eq!(
            e.to_json(),
            json!({"inspector": {"enablement": {"ecr_scanning": {
                "enable_in_regions": {"@@assign": ["us-east-1", "us-west-2"]},
                "disable_in_regions": {"@@assign": ["us-west-2"]}}}}})
        );
        // A lower @@assign replaces what was inherited.
        e.apply(&ecr(json!({"@@assign": ["ca-central-1"]}), json!({"@@assign": []})));
        assert_eq!(e.decision(ECR_SCANNING, "us-east-1"), None);
        assert_eq!(e.decision(ECR_SCANNING, "ca-central-1"), Some(true));
        assert!(!e.is_empty());
    }
}

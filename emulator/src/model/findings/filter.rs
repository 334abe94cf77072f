//! The GetFindings filter language: string filters on the attributes the emulator implements,
//! with the AND / OR rules AWS documents.

use std::borrow::Cow;

use serde_json::Value;

use super::model::{Control, Finding, COMPANY_NAME, PRODUCT_NAME, RESOURCE_TYPE};

/// GetFindings filter limits.
pub const MAX_FILTER_ATTRIBUTES: usize = 10;
pub const MAX_FILTER_VALUES: usize = 20;

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

/// The value of string filter attribute `a` of `f`.
fn attr<'a>(f: &'a Finding, a: Attr, control: Option<&'a Control>) -> Cow<'a, str> {
    match a {
        Attr::Id => Cow::Borrowed(&f.id),
        Attr::ProductArn => Cow::Owned(f.product_arn()),
        Attr::ProductName => Cow::Borrowed(PRODUCT_NAME),
        Attr::CompanyName => Cow::Borrowed(COMPANY_NAME),
        Attr::GeneratorId => Cow::Owned(format!("security-control/{}", f.control_id)),
        Attr::AwsAccountId => Cow::Borrowed(&f.aws_account_id),
        Attr::Region | Attr::ResourceRegion => Cow::Borrowed(&f.region),
        Attr::ComplianceSecurityControlId => Cow::Borrowed(&f.control_id),
        Attr::ComplianceStatus => Cow::Borrowed(f.compliance.as_str()),
        Attr::WorkflowStatus => Cow::Borrowed(f.workflow.as_str()),
        Attr::WorkflowState => Cow::Borrowed(f.workflow.legacy_state()),
        Attr::RecordState => Cow::Borrowed(f.record_state.as_str()),
        Attr::ResourceId => Cow::Borrowed(&f.resource_id),
        Attr::ResourceType => Cow::Borrowed(RESOURCE_TYPE),
        Attr::ResourcePartition => Cow::Borrowed("aws"),
        Attr::Title => Cow::Owned(f.title(control)),
        Attr::SeverityLabel => Cow::Owned(f.severity(control).to_string()),
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
        self.attrs.iter().all(|(a, conds)| {
            let value = attr(f, *a, control);
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

#[cfg(test)]
pub(super) mod tests {
    use serde_json::{json, Map};

    use super::super::model::tests::finding;
    use super::super::model::{Compliance, Workflow};
    use super::*;

    pub fn filters(v: Value) -> Filters {
        Filters::parse(Some(&v)).unwrap()
    }

    fn m(f: &Filters, x: &Finding) -> bool {
        let controls = Control::builtin();
        f.matches(x, controls.iter().find(|c| c.id == x.control_id))
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
}

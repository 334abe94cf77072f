//! Inspector policies (`INSPECTOR_POLICY`) as far as ECR scanning goes, free of Terraform: the
//! document `inspector2fix_ecr_scanning_policy` owns, what any policy document says about ECR
//! scanning in a Region, and the checks of its arguments.
//!
//! Syntax ("Amazon Inspector policy syntax and examples", AWS Organizations guide):
//! `{"inspector": {"enablement": {"ecr_scanning": {"enable_in_regions": {"@@assign": [...]},
//! "disable_in_regions": {"@@assign": [...]}}}}}`. `disable_in_regions` wins over
//! `enable_in_regions`; `ALL_SUPPORTED` means every current and future Region.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::validate;

/// Every Region Inspector supports, now and later.
pub const ALL_SUPPORTED: &str = "ALL_SUPPORTED";

/// What an Inspector policy document says about ECR scanning in one Region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcrDecision {
    /// `enable_in_regions` names the Region (or ALL_SUPPORTED) and `disable_in_regions` does not.
    Enabled,
    /// `disable_in_regions` names the Region (or ALL_SUPPORTED).
    Disabled,
    /// The document does not decide ECR scanning in the Region.
    Unmanaged,
}

/// The document `inspector2fix_ecr_scanning_policy` writes: only `ecr_scanning`, so every other
/// scan type is left to other policies, with both lists (the syntax requires them) and
/// `disable_in_regions` empty. Regions sorted, so the same set always gives the same text.
pub fn document(enable_in_regions: &BTreeSet<String>) -> String {
    let regions: Vec<&String> = enable_in_regions.iter().collect();
    let doc = json!({"inspector": {"enablement": {"ecr_scanning": {
        "enable_in_regions": {"@@assign": regions},
        "disable_in_regions": {"@@assign": []},
    }}}});
    doc.to_string()
}

/// The two ECR lists of a document, each the values of `@@assign` and `@@append` (or a bare
/// list, as an effective policy may show it). None when the document is not JSON.
fn ecr_lists(content: &str) -> Option<(BTreeSet<String>, BTreeSet<String>)> {
    let doc: Value = serde_json::from_str(content).ok()?;
    let ecr = &doc["inspector"]["enablement"]["ecr_scanning"];
    Some((values(&ecr["enable_in_regions"]), values(&ecr["disable_in_regions"])))
}

fn values(list: &Value) -> BTreeSet<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()).unwrap_or_default()
    };
    match list {
        Value::Array(_) => strings(list).into_iter().collect(),
        Value::Object(ops) => ["@@assign", "@@append"].iter().flat_map(|op| ops.get(*op).map(strings)).flatten().collect(),
        _ => BTreeSet::new(),
    }
}

/// What `content` decides for ECR scanning in `region`; a document that is not JSON decides
/// nothing.
pub fn decision(content: &str, region: &str) -> EcrDecision {
    let Some((enable, disable)) = ecr_lists(content) else { return EcrDecision::Unmanaged };
    let names = |set: &BTreeSet<String>| set.contains(region) || set.contains(ALL_SUPPORTED);
    match (names(&enable), names(&disable)) {
        (_, true) => EcrDecision::Disabled,
        (true, false) => EcrDecision::Enabled,
        (false, false) => EcrDecision::Unmanaged,
    }
}

/// The `enable_in_regions` a document holds when it is exactly what [`document`] writes for
/// them; None when it was changed outside Terraform in any other way (another scan type, a
/// `disable_in_regions`, another operator), so the whole document shows as drift.
pub fn owned_regions(content: &str) -> Option<BTreeSet<String>> {
    let doc: Value = serde_json::from_str(content).ok()?;
    let regions = doc["inspector"]["enablement"]["ecr_scanning"]["enable_in_regions"]["@@assign"].as_array()?;
    let regions: BTreeSet<String> = regions.iter().map(|r| r.as_str().map(str::to_owned)).collect::<Option<_>>()?;
    let canonical: Value = serde_json::from_str(&document(&regions)).ok()?;
    (canonical == doc).then_some(regions)
}

/// `enable_in_regions`: Region names, or `ALL_SUPPORTED` alone; not empty.
pub fn check_regions(regions: &BTreeSet<String>) -> Result<(), String> {
    if regions.is_empty() {
        return Err("must name at least one Region, or [\"ALL_SUPPORTED\"]".into());
    }
    if regions.contains(ALL_SUPPORTED) {
        return match regions.len() {
            1 => Ok(()),
            _ => Err("\"ALL_SUPPORTED\" already means every Region: it must be the only value".into()),
        };
    }
    regions.iter().try_for_each(|r| validate::region(r))
}

/// One `target_ids` member: a root (`r-` and 4 to 32 lowercase letters or digits), an OU
/// (`ou-`, 4 to 32, `-`, 8 to 32) or a 12-digit account, the patterns AWS Organizations checks.
pub fn check_target(id: &str) -> Result<(), String> {
    let lower_alnum = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let ok = if let Some(rest) = id.strip_prefix("ou-") {
        rest.split_once('-').is_some_and(|(a, b)| lower_alnum(a, 4, 32) && lower_alnum(b, 8, 32))
    } else if let Some(rest) = id.strip_prefix("r-") {
        lower_alnum(rest, 4, 32)
    } else {
        validate::account_id(id).is_ok()
    };
    match ok {
        true => Ok(()),
        false => Err(format!(
            "{id:?} is not a root id (r-xxxx), an organizational unit id (ou-xxxx-xxxxxxxx) or a 12-digit account id"
        )),
    }
}

/// A policy id as `terraform import` takes it: `p-` and 8 to 128 letters, digits or `_`.
pub fn check_policy_id(id: &str) -> Result<(), String> {
    let rest = id.strip_prefix("p-").ok_or_else(|| format!("{id:?} does not start with \"p-\""))?;
    match (8..=128).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        true => Ok(()),
        false => Err(format!("{id:?} is not a policy id (p- and 8 to 128 letters, digits or _)")),
    }
}

/// The error text when `INSPECTOR_POLICY` is not enabled on the organization's root.
pub fn policy_type_not_enabled(root_id: &str) -> String {
    format!(
        "The policy type INSPECTOR_POLICY is not enabled on the organization's root {root_id}, so an Inspector \
         policy cannot be attached. inspector2fix never enables policy types by itself. Enable it once, from the \
         management account: `aws organizations enable-policy-type --root-id {root_id} --policy-type \
         INSPECTOR_POLICY`, or add \"INSPECTOR_POLICY\" to `enabled_policy_types` of the AWS provider's \
         aws_organizations_organization; then apply again."
    )
}

#[cfg(test)]
mod tests;

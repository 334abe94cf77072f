//! Resource ids: composed from their parts, and parsed back on import.

use std::collections::BTreeSet;

use crate::validate;

/// Account ids, sorted, joined with commas: `111111111111,222222222222`.
pub fn join_accounts(accounts: &BTreeSet<String>) -> String {
    accounts.iter().cloned().collect::<Vec<_>>().join(",")
}

/// The short id of a resource owning `accounts`: the smallest account id, whatever their number.
/// Kept once given, so it does not change when accounts are added or removed later.
pub fn short_account_id(accounts: &BTreeSet<String>) -> Option<String> {
    accounts.first().cloned()
}

/// `123456789012` or `111111111111,222222222222` (spaces around commas allowed), each checked.
pub fn parse_accounts(id: &str) -> Result<BTreeSet<String>, String> {
    let accounts: BTreeSet<String> = id.split(',').map(|s| s.trim().to_owned()).collect();
    for a in &accounts {
        validate::account_id(a)?;
    }
    Ok(accounts)
}

/// The AWS provider's `aws_inspector2_enabler` id: accounts joined by `:`, a `-`, then the scan
/// types joined by `:` (`111111111111:222222222222-EC2:ECR`). Returns the accounts, each checked,
/// and the scan types.
pub fn parse_enabler_id(id: &str) -> Result<(BTreeSet<String>, BTreeSet<String>), String> {
    let Some((accounts, types)) = id.split_once('-') else {
        return Err("an aws_inspector2_enabler id has a \"-\" between the accounts and the scan types".into());
    };
    let accounts: BTreeSet<String> = accounts.split(':').map(|s| s.trim().to_owned()).collect();
    for a in &accounts {
        validate::account_id(a)?;
    }
    let types: BTreeSet<String> = types.split(':').map(|s| s.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    if types.is_empty() {
        return Err("an aws_inspector2_enabler id names at least one scan type after the \"-\"".into());
    }
    Ok((accounts, types))
}

/// `PARENT`, or `PARENT/ACCOUNT` when scoped to one account (e.g. `Inspector.2/123456789012`).
pub fn scoped(parent: &str, account_id: Option<&str>) -> String {
    match account_id {
        Some(a) => format!("{parent}/{a}"),
        None => parent.to_owned(),
    }
}

/// Splits `PARENT` or `PARENT/ACCOUNT`; the parts are left for the caller to check.
pub fn split_scoped(id: &str) -> (&str, Option<&str>) {
    match id.split_once('/') {
        Some((parent, account)) => (parent, Some(account)),
        None => (id, None),
    }
}

/// `ID@REGION`: an id with the Region it lives in, as AWS provider v6 import ids are written.
pub fn with_region(id: &str, region: &str) -> String {
    format!("{id}@{region}")
}

/// Splits `ID@REGION` at its last `@` into the id and the Region; an id without `@` has no
/// Region. The Region is left for the caller to check (an empty one is `Some("")`).
pub fn split_region(import_id: &str) -> (&str, Option<&str>) {
    match import_id.rsplit_once('@') {
        Some((id, region)) => (id, Some(region)),
        None => (import_id, None),
    }
}

#[cfg(test)]
mod tests;

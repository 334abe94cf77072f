//! Resource ids: composed from their parts, and parsed back on import.

use std::collections::BTreeSet;

use crate::validate;

/// Account ids, sorted, joined with commas: `111111111111,222222222222`.
pub fn join_accounts(accounts: &BTreeSet<String>) -> String {
    accounts.iter().cloned().collect::<Vec<_>>().join(",")
}

/// `123456789012` or `111111111111,222222222222` (spaces around commas allowed), each checked.
pub fn parse_accounts(id: &str) -> Result<BTreeSet<String>, String> {
    let accounts: BTreeSet<String> = id.split(',').map(|s| s.trim().to_owned()).collect();
    for a in &accounts {
        validate::account_id(a)?;
    }
    Ok(accounts)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_sorted_and_joined() {
        let set: BTreeSet<String> = ["222222222222", "111111111111"].iter().map(|s| s.to_string()).collect();
        assert_eq!(join_accounts(&set), "111111111111,222222222222");
        assert_eq!(parse_accounts("222222222222, 111111111111").unwrap(), set);
        assert_eq!(parse_accounts("123456789012").unwrap().len(), 1);
        assert!(parse_accounts("12345").unwrap_err().contains("12 digits"));
        assert!(parse_accounts("111111111111,,222222222222").is_err());
    }

    #[test]
    fn scoped_ids_round_trip() {
        assert_eq!(scoped("Inspector.2", None), "Inspector.2");
        assert_eq!(scoped("Inspector.2", Some("123456789012")), "Inspector.2/123456789012");
        assert_eq!(split_scoped("Inspector.2/123456789012"), ("Inspector.2", Some("123456789012")));
        assert_eq!(split_scoped("Inspector.2"), ("Inspector.2", None));
    }
}

//! Input checks of `account_ids` and `accounts`, each error naming its attribute.

use std::collections::BTreeSet;

use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::terraform::values::{duplicates, null_members_error, StringSet};
use crate::{terraform::diag, text, validate};

use super::state::*;

/// The wanted accounts as planned; Terraform resolves every unknown before apply.
pub(super) fn accounts_at_apply(diags: &mut Diagnostics, planned: &State) -> Option<BTreeSet<String>> {
    let accounts = wanted(planned);
    if accounts.is_none() {
        diag::error(
            diags,
            "account_ids is not known at apply time",
            "This is a bug in the provider: please report it.",
        );
    }
    accounts
}

/// Checks the known members of `account_ids`: one error for all the bad ones, listing the first
/// few, so 10,000 bad ids give a short message. Unknown members are checked once known.
pub(crate) fn check_account_ids(diags: &mut Diagnostics, account_ids: &StringSet) {
    let Value::Value(members) = account_ids else { return };
    let path = || AttributePath::new("account_ids");
    if members.is_empty() {
        let empty =
            "the list is empty: name at least one account, or leave account_ids out to use the caller's account";
        diag::invalid_attr(diags, path(), "account_ids", Err::<(), _>(empty.to_owned()));
    }
    if let Some(detail) = null_members_error("account_ids", account_ids) {
        diag::attr_error(diags, path(), "Null in account_ids", detail);
    }
    let twice = duplicates(account_ids);
    if !twice.is_empty() {
        let detail = format!(
            "account_ids: {} account id(s) are listed more than once; name each account once:\n{}",
            twice.len(),
            text::capped_lines(twice)
        );
        diag::attr_error(diags, path(), "Duplicate account_ids", detail);
    }
    let bad: Vec<&String> =
        members.iter().filter_map(Value::as_ref_option).filter(|a| validate::account_id(a).is_err()).collect();
    match bad.as_slice() {
        [] => {}
        [one] => diag::invalid_attr(diags, path(), "account_ids", validate::account_id(one)),
        many => {
            let quoted = many.iter().map(|a| format!("{a:?}"));
            let detail = format!(
                "account_ids: {} values are not AWS account ids, which are exactly 12 digits:\n{}",
                many.len(),
                text::capped_lines(quoted)
            );
            diag::attr_error(diags, path(), "Invalid account_ids", detail);
        }
    }
}

/// Checks `accounts`: not beside `account_ids`, not empty, and every key an account id.
pub(super) fn check_accounts_map(diags: &mut Diagnostics, config: &State) {
    let Value::Value(map) = &config.accounts else { return };
    let path = || AttributePath::new("accounts");
    if !config.account_ids.is_null() {
        let both = "set either accounts or account_ids, not both".to_owned();
        diag::invalid_attr(diags, path(), "accounts", Err::<(), _>(both));
    }
    if map.is_empty() {
        let empty = "the map is empty: name at least one account, or leave accounts out to use the caller's account";
        diag::invalid_attr(diags, path(), "accounts", Err::<(), _>(empty.to_owned()));
    }
    let unlabelled: Vec<&String> = map.iter().filter(|(_, label)| label.is_null()).map(|(a, _)| a).collect();
    if !unlabelled.is_empty() {
        let detail = format!(
            "accounts: {} account(s) have a null label; give each account a string label (its name, say, or \"\"):\n{}",
            unlabelled.len(),
            text::capped_lines(unlabelled.iter().map(|a| format!("{a:?}")))
        );
        diag::attr_error(diags, path(), "Null in accounts", detail);
    }
    let bad: Vec<&String> = map.keys().filter(|a| validate::account_id(a).is_err()).collect();
    match bad.as_slice() {
        [] => {}
        [one] => diag::invalid_attr(diags, path(), "accounts", validate::account_id(one)),
        many => {
            let quoted = many.iter().map(|a| format!("{a:?}"));
            let detail = format!(
                "accounts: {} keys are not AWS account ids, which are exactly 12 digits:\n{}",
                many.len(),
                text::capped_lines(quoted)
            );
            diag::attr_error(diags, path(), "Invalid accounts", detail);
        }
    }
}

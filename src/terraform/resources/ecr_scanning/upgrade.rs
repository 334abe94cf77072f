//! State upgrades of `inspector2fix_ecr_scanning`, one function per older schema version. Terraform
//! calls UpgradeResourceState with the stored JSON and its version before anything else reads a
//! state; the result must be a state of the current version.
//!
//! Version 0 (0.1.0 and the 0.2.0 development builds before issue 10): `account_ids` a set of the
//! accounts owned, `id` those accounts sorted and joined with `,`; `status`, `disable_on_destroy`
//! and `timeouts` as now. Its JSON is a valid version-1 state but for the id: a set's JSON is a
//! sorted array, which is a list, and the same accounts are owned.

use std::collections::BTreeSet;

use tf_provider::value::Value;
use tf_provider::{Diagnostics, RawValue};

use super::{State, SCHEMA_VERSION};
use crate::terraform::values::known_members;
use crate::{ids, terraform::diag};

pub fn upgrade(diags: &mut Diagnostics, version: i64, prior: RawValue) -> Option<State> {
    match version {
        0 => from_v0(diags, &prior),
        _ => {
            diag::error(
                diags,
                "Cannot upgrade inspector2fix_ecr_scanning state",
                format!(
                    "The state has schema version {version}; this provider reads versions 0 to {SCHEMA_VERSION}. \
                     Use the provider version that wrote it, or remove the resource from state and import it."
                ),
            );
            None
        }
    }
}

/// Version 0 to 1: the accounts stay as they were (sorted); the id becomes the smallest of them.
fn from_v0(diags: &mut Diagnostics, prior: &RawValue) -> Option<State> {
    let mut scratch = Diagnostics::default();
    let Some(mut state) = prior.deserialize::<State>(&mut scratch) else {
        let why = scratch.errors.iter().map(|d| d.summary.to_string()).collect::<Vec<_>>().join("; ");
        diag::error(
            diags,
            "Cannot upgrade inspector2fix_ecr_scanning state",
            format!("The version-0 state does not have the expected shape ({why}). Remove the resource from state and import it."),
        );
        return None;
    };
    let accounts: BTreeSet<String> = known_members(&state.account_ids);
    if let Some(id) = ids::short_account_id(&accounts) {
        state.id = Value::Value(id);
    }
    Some(state)
}

#[cfg(test)]
mod tests;

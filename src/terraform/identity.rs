//! Resource identity (plugin protocol 6.9; Terraform 1.12 and later, OpenTofu 1.12): the data
//! that names a resource's object, written by hand in `import { to = ..., identity = { ... } }`
//! and shown by `terraform query`.
//!
//! Each identity comes from the state the provider answers (read, plan, apply, import, move), so
//! it always says what the state says. `region` is in every identity and optional for import:
//! the provider's Region by default, as in the AWS provider v6. An identity by hand is turned
//! into the resource's import ID and imported exactly as that ID would be.
//!
//! - `{ account_id, region }`: one-per-account resources (`ecr_auto_enable`,
//!   `ecr_rescan_configuration`); the account is the provider's (the delegated administrator's).
//! - `{ control_id, account_id, region }`: `control_suppression` (`account_id` null: every account).
//! - `{ account_ids, region }`: `ecr_scanning`, which holds many accounts: its identity is the
//!   sorted set of accounts it turns scanning on for, the one thing that tells two of them apart
//!   (two resources never hold the same account in a Region). It follows `account_ids` when that
//!   changes, as the object it names does.
//! - `{ policy_id }`: `ecr_scanning_policy`, an AWS Organizations policy. Organizations is global,
//!   so this identity alone has no `region`: the `p-...` id names the policy everywhere.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, IdentityAttribute, IdentitySchema};
use tf_provider::value::Value;
use tf_provider::{Diagnostics, RawValue};

use crate::ids;
use crate::terraform::diag;
use crate::terraform::values::{known_set, StringSet};

/// Every identity here is at version 0: Terraform stores objects written before identities
/// existed at version 0 too, so none of them needs an UpgradeResourceIdentity.
pub const VERSION: i64 = 0;

fn attribute(attr_type: AttributeType, required: bool, description: &str) -> IdentityAttribute {
    IdentityAttribute {
        attr_type,
        description: description.into(),
        required_for_import: required,
        optional_for_import: !required,
    }
}

fn region() -> IdentityAttribute {
    attribute(AttributeType::String, false, "The Region. Optional for import: the provider's Region by default.")
}

/// `{ account_id, region }`; `account` says which account that is
pub fn account_schema(account: &str) -> IdentitySchema {
    let attributes =
        [("account_id".to_string(), attribute(AttributeType::String, true, account)), ("region".to_string(), region())];
    IdentitySchema { version: VERSION, attributes: attributes.into_iter().collect() }
}

/// `{ control_id, account_id, region }`
pub fn suppression_schema() -> IdentitySchema {
    let attributes = [
        (
            "control_id".to_string(),
            attribute(AttributeType::String, true, "The Security Hub control, e.g. `Inspector.2`."),
        ),
        (
            "account_id".to_string(),
            attribute(
                AttributeType::String,
                false,
                "The account whose findings are suppressed; null for every account.",
            ),
        ),
        ("region".to_string(), region()),
    ];
    IdentitySchema { version: VERSION, attributes: attributes.into_iter().collect() }
}

/// `{ account_ids, region }`
pub fn accounts_schema() -> IdentitySchema {
    let accounts = attribute(
        AttributeType::List(Box::new(AttributeType::String)),
        true,
        "The accounts the resource turns ECR scanning on for, sorted.",
    );
    let attributes = [("account_ids".to_string(), accounts), ("region".to_string(), region())];
    IdentitySchema { version: VERSION, attributes: attributes.into_iter().collect() }
}

/// `{ policy_id }`, with no `region`: AWS Organizations is global
pub fn policy_schema() -> IdentitySchema {
    let id = attribute(
        AttributeType::String,
        true,
        "The AWS Organizations policy id, `p-...`, as `terraform import` takes it.",
    );
    IdentitySchema { version: VERSION, attributes: [("policy_id".to_string(), id)].into_iter().collect() }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyIdentity {
    pub policy_id: Value<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountIdentity {
    pub account_id: Value<String>,
    pub region: Value<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SuppressionIdentity {
    pub control_id: Value<String>,
    pub account_id: Value<String>,
    pub region: Value<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountsIdentity {
    pub account_ids: Value<Vec<String>>,
    pub region: Value<String>,
}

/// The fields of a one-per-account resource's state its identity comes from (`id` is the account)
#[derive(Deserialize, Default)]
#[serde(default)]
struct AccountFields {
    id: Value<String>,
    region: Value<String>,
}

/// The fields of an `ecr_scanning` state its identity comes from; `accounts`' values are skipped
#[derive(Deserialize, Default)]
#[serde(default)]
struct AccountsFields {
    account_ids: StringSet,
    accounts: Value<BTreeMap<String, IgnoredAny>>,
    region: Value<String>,
}

/// A value that is known, for an identity (null stays null); None while it is unknown
fn settled(value: Value<String>) -> Option<Value<String>> {
    (!value.is_unknown()).then_some(value)
}

/// The identity of a one-per-account resource's state; None while the account or Region is
/// unknown (a planned create: Terraform takes the identity from the apply then).
pub fn of_account_state(diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
    let fields: AccountFields = state.deserialize(diags)?;
    let identity = AccountIdentity { account_id: settled(fields.id)?, region: settled(fields.region)? };
    RawValue::serialize(diags, &identity)
}

/// The identity of a `control_suppression` state (its fields have the identity's names)
pub fn of_suppression_state(diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
    let fields: SuppressionIdentity = state.deserialize(diags)?;
    let identity = SuppressionIdentity {
        control_id: settled(fields.control_id)?,
        account_id: settled(fields.account_id)?,
        region: settled(fields.region)?,
    };
    RawValue::serialize(diags, &identity)
}

/// The identity of an `ecr_scanning` state: its wanted accounts (the keys of `accounts` when set,
/// else `account_ids`), sorted; None while they are unknown.
pub fn of_accounts_state(diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
    let fields: AccountsFields = state.deserialize(diags)?;
    let accounts: BTreeSet<String> = match fields.accounts {
        Value::Value(map) => map.into_keys().collect(),
        Value::Unknown => return None,
        Value::Null => known_set(&fields.account_ids)?,
    };
    let identity =
        AccountsIdentity { account_ids: Value::Value(accounts.into_iter().collect()), region: settled(fields.region)? };
    RawValue::serialize(diags, &identity)
}

/// The identity of an `ecr_scanning_policy` state: its `id`; None while it is unknown (a planned
/// create) or null.
pub fn of_policy_state(diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
    let fields: AccountFields = state.deserialize(diags)?;
    let id = settled(fields.id)?;
    if id.is_null() {
        return None;
    }
    RawValue::serialize(diags, &PolicyIdentity { policy_id: id })
}

/// The import ID (the policy id) a `{ policy_id }` identity names
pub fn policy_import_id(diags: &mut Diagnostics, resource: &str, identity: RawValue) -> Option<String> {
    let identity: PolicyIdentity = identity.deserialize(diags)?;
    required(diags, resource, "policy_id", identity.policy_id)
}

/// `ID` or `ID@REGION`, the import ID form every resource takes
fn with_optional_region(id: String, region: Value<String>) -> String {
    match region {
        Value::Value(region) => ids::with_region(&id, &region),
        _ => id,
    }
}

/// The identity's attribute `name`, required for import
fn required(diags: &mut Diagnostics, resource: &str, name: &str, value: Value<String>) -> Option<String> {
    let value = value.as_option();
    if value.is_none() {
        diag::error(
            diags,
            "Invalid import identity",
            format!("{resource}: the identity's {name} is required, and was null."),
        );
    }
    value
}

/// The import ID `ACCOUNT_ID[@REGION]` an `{ account_id, region }` identity names
pub fn account_import_id(diags: &mut Diagnostics, resource: &str, identity: RawValue) -> Option<String> {
    let identity: AccountIdentity = identity.deserialize(diags)?;
    let account = required(diags, resource, "account_id", identity.account_id)?;
    Some(with_optional_region(account, identity.region))
}

/// The import ID `CONTROL_ID[/ACCOUNT_ID][@REGION]` a suppression identity names
pub fn suppression_import_id(diags: &mut Diagnostics, resource: &str, identity: RawValue) -> Option<String> {
    let identity: SuppressionIdentity = identity.deserialize(diags)?;
    let control = required(diags, resource, "control_id", identity.control_id)?;
    let scoped = match identity.account_id {
        Value::Value(account) => format!("{control}/{account}"),
        _ => control,
    };
    Some(with_optional_region(scoped, identity.region))
}

/// The import ID `ACCOUNT_ID,ACCOUNT_ID...[@REGION]` an `{ account_ids, region }` identity names
pub fn accounts_import_id(diags: &mut Diagnostics, resource: &str, identity: RawValue) -> Option<String> {
    let identity: AccountsIdentity = identity.deserialize(diags)?;
    let accounts = match identity.account_ids {
        Value::Value(accounts) if !accounts.is_empty() => accounts,
        _ => {
            let problem = format!("{resource}: the identity's account_ids is required, and was null or empty.");
            diag::error(diags, "Invalid import identity", problem);
            return None;
        }
    };
    Some(with_optional_region(accounts.join(","), identity.region))
}

#[cfg(test)]
mod tests;

//! `moved {}` from the AWS provider's `aws_inspector2_enabler`: its accounts, nothing else of it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics, MoveSource};

use crate::aws::InspectorStatus;
use crate::terraform::values::{string_map, string_set};
use crate::{ids, terraform::diag, validate};

use super::state::*;

/// The only source `moved {}` accepts: the AWS provider's enabler, from Terraform's registry or
/// OpenTofu's (OpenTofu reads `hashicorp/aws` as registry.opentofu.org/hashicorp/aws, and renames
/// the provider of a state Terraform wrote the same way).
pub const ENABLER_PROVIDER: &str = "registry.terraform.io/hashicorp/aws";
pub const ENABLER_PROVIDER_OPENTOFU: &str = "registry.opentofu.org/hashicorp/aws";
pub const ENABLER_TYPE: &str = "aws_inspector2_enabler";

/// The attributes of an `aws_inspector2_enabler` state that a move reads. Every schema version the
/// AWS provider has shipped (0) has them; other attributes (`timeouts`, `region`) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EnablerState {
    id: Option<String>,
    account_ids: Option<Vec<String>>,
    resource_types: Option<Vec<String>>,
    /// Set by AWS provider v6; older states are in the provider's Region.
    region: Option<String>,
}

/// Our state for `accounts`, as a create that found them on would write it: ECR is `ENABLED`
/// where the enabler had turned it on; otherwise status is empty, and the refresh and the plan
/// after the move find ECR off and plan to turn it on.
pub(super) fn adopted(accounts: &BTreeSet<String>, ecr_on: bool, region: Option<String>) -> State {
    let status = if ecr_on {
        accounts.iter().map(|a| (a.clone(), InspectorStatus::Enabled.to_string())).collect()
    } else {
        BTreeMap::new()
    };
    State {
        id: new_id(Some(accounts)),
        account_ids: string_set(accounts),
        accounts: Value::Null,
        disable_on_destroy: Value::Value(true),
        status: string_map(status),
        timeouts: Value::Value(vec![]),
        associate_members: Value::Value(false),
        region: region.map(Value::Value).unwrap_or(Value::Null),
    }
}

/// The state `moved {}` gives an `aws_inspector2_enabler`: its accounts, nothing else of it.
/// Any other source is refused, naming its type and provider.
pub(super) fn moved_state(diags: &mut Diagnostics, source: &MoveSource) -> Option<State> {
    let from_aws = [ENABLER_PROVIDER, ENABLER_PROVIDER_OPENTOFU].contains(&source.provider_address.as_str());
    if !from_aws || source.type_name != ENABLER_TYPE {
        diag::error(
            diags,
            "Unsupported move to inspector2fix_ecr_scanning",
            format!(
                "inspector2fix_ecr_scanning cannot take over {} of provider {}: it accepts `moved` only from {ENABLER_TYPE} \
                 of {ENABLER_PROVIDER}. Remove the moved block, and import the accounts instead.",
                source.type_name, source.provider_address
            ),
        );
        return None;
    }
    let enabler: EnablerState = source.state.deserialize(diags)?;
    let accounts: BTreeSet<String> = match (&enabler.account_ids, &enabler.id) {
        (Some(list), _) if !list.is_empty() => list.iter().cloned().collect(),
        (_, Some(id)) => ids::parse_enabler_id(id).map(|(a, _)| a).unwrap_or_default(),
        _ => BTreeSet::new(),
    };
    let bad: Vec<String> = accounts.iter().filter_map(|a| validate::account_id(a).err()).collect();
    if accounts.is_empty() || !bad.is_empty() {
        let why = if accounts.is_empty() { "the state has no accounts".to_owned() } else { bad.join("; ") };
        diag::attr_error(
            diags,
            AttributePath::new("account_ids"),
            "Cannot move aws_inspector2_enabler",
            format!("account_ids: {why}"),
        );
        return None;
    }
    let ecr_on = enabler.resource_types.unwrap_or_default().iter().any(|t| t == "ECR");
    let region = enabler.region.filter(|r| validate::region(r).is_ok());
    Some(adopted(&accounts, ecr_on, region))
}

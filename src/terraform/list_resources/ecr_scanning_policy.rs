//! `list "inspector2fix_ecr_scanning_policy"`: the organization's Inspector policies
//! (`INSPECTOR_POLICY`), one result per policy, sorted by id. The listing lives in
//! [`crate::domain::policy_list`]; this file translates.
//!
//! Each result's identity is the resource's (`{ policy_id }`), and with `include_resource = true`
//! an importable policy's object is the state an import of it holds, so `terraform query
//! -generate-config-out=FILE` writes a resource and an import block for it (GenerateResourceConfig).
//! A policy whose document decides more than the resource owns (another scan type, a
//! `disable_in_regions`) is not offered for import, as the resource's first apply would rewrite
//! its document: without `include_resource` it is listed, its display name saying it is not
//! importable; with it, it is left out of the results (Terraform's `-generate-config-out` asks
//! for configuration for every result, and there is none to give) and a warning names it.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use tf_provider::schema::{Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{Diagnostics, ListResource, ListResult, ListSink, RawValue};

use crate::domain::policy_list::{self, Listed, NotOwnable, Policies};
use crate::terraform::diag;
use crate::terraform::identity::PolicyIdentity;
use crate::terraform::resources::ecr_scanning_policy::EcrScanningPolicy;
use crate::terraform::shared::Shared;
use crate::text;

const NAME: &str = "inspector2fix_ecr_scanning_policy";

pub struct EcrScanningPolicyList {
    shared: Arc<Shared>,
}

impl EcrScanningPolicyList {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrScanningPolicyList { shared }
    }

    pub fn schema_block() -> Block {
        crate::terraform::schema::block(
            "The organization's AWS Organizations Inspector policies (`INSPECTOR_POLICY`), one result per policy, \
             sorted by id, each named with how many Regions it turns ECR scanning on in. A policy whose document \
             decides more than `ecr_scanning` in the resource's form (another scan type, a `disable_in_regions`) is \
             not offered for import: listed as not importable, or, with `include_resource = true`, left out of \
             the results and named in a warning. Read-only: the ListPolicies pages, one DescribePolicy per \
             policy listed and, with `include_resource = true`, one ListTargetsForPolicy and one \
             ListTagsForResource per importable policy. No arguments: AWS Organizations is global.",
            [],
        )
    }
}

/// The listing's policies, sent to Terraform as list results
struct Results<'s> {
    sink: &'s mut ListSink,
    diags: Diagnostics,
    /// Policies listed with `include_resource` that cannot be imported, with why
    not_importable: BTreeMap<String, String>,
}

impl Results<'_> {
    fn result(&mut self, policy: &Listed) -> Option<ListResult> {
        let identity = PolicyIdentity { policy_id: Value::Value(policy.summary.id.clone()) };
        let object = match &policy.found {
            Some(found) => Some(RawValue::serialize(&mut self.diags, &EcrScanningPolicy::state_of(found.clone()))?),
            None => None,
        };
        Some(ListResult {
            identity: RawValue::serialize(&mut self.diags, &identity)?,
            display_name: policy.display_name(),
            resource_object: object,
        })
    }
}

/// Why a policy is not offered for import, for the warning
fn reason(why: &NotOwnable) -> String {
    match why {
        NotOwnable::OtherScanTypes(types) => format!("its document also decides {}", types.join(", ")),
        NotOwnable::NoEcrScanning => "its document turns ECR scanning on nowhere".to_owned(),
        NotOwnable::OtherForm => {
            "its ECR settings are not only enable_in_regions (e.g. a disable_in_regions)".to_owned()
        }
    }
}

#[async_trait]
impl Policies for Results<'_> {
    fn wants_objects(&self) -> bool {
        self.sink.include_resource_object()
    }

    async fn found(&mut self, policy: Listed) -> bool {
        if let (true, Some(why)) = (self.sink.include_resource_object(), &policy.not_ownable) {
            // No object, so no configuration to generate: not a result, but named in the warning.
            self.not_importable.insert(policy.summary.id.clone(), reason(why));
            return true;
        }
        let Some(result) = self.result(&policy) else { return false };
        self.sink.send(result).await
    }
}

/// The warning for policies listed without an object: no import block is written for them
fn warn_not_importable(diags: &mut Diagnostics, policies: &BTreeMap<String, String>) {
    if policies.is_empty() {
        return;
    }
    diag::warning(
        diags,
        format!("{} listed policy(ies) cannot be imported as {NAME}", policies.len()),
        format!(
            "{NAME} owns only a document that decides ecr_scanning's enable_in_regions, and its first apply would \
             rewrite any other, so these are left out of the results and get no generated configuration (a query \
             without include_resource lists them). Leave them to the configuration that manages them (for \
             example aws_organizations_policy):\n{}",
            text::capped_lines(policies.iter().map(|(id, why)| format!("{id}: {why}")))
        ),
    );
}

#[async_trait]
impl ListResource for EcrScanningPolicyList {
    type Config<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn list<'a>(&self, diags: &mut Diagnostics, _config: ValueEmpty, sink: &mut ListSink) -> Option<()> {
        let org = EcrScanningPolicy::organizations(&self.shared, diags).await?;
        let mut results = Results { sink, diags: Diagnostics::default(), not_importable: BTreeMap::new() };
        let listed = policy_list::list(org.as_ref(), &mut results).await;
        diags.add_diagnostics(std::mem::take(&mut results.diags));
        warn_not_importable(diags, &results.not_importable);
        if let Err(e) = listed {
            diag::error(diags, format!("{NAME}: cannot list the organization's Inspector policies"), e);
            return None;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests;

//! Resource `inspector2fix_ecr_scanning_policy`: one AWS Organizations Inspector policy
//! (`INSPECTOR_POLICY`) that enables ECR scanning in the Regions given for the roots, OUs and
//! accounts given. Its document names only `ecr_scanning`, so other scan types stay with other
//! policies. Organizations is global, so the resource has no `region`. The logic lives in
//! [`crate::domain::ecr_policy`]; this file translates Terraform values.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::aws::organizations::api::OrganizationsApi;
use crate::domain::ecr_policy::{self, Applied, Found, Wanted};
use crate::terraform::diag;
use crate::terraform::schema::attribute;
use crate::terraform::shared::Shared;
use crate::terraform::values::{duplicates, known_entries, known_set, string_map, string_set, StringMap, StringSet};

const NAME: &str = "inspector2fix_ecr_scanning_policy";

/// Where AWS Organizations answers in the `aws` partition, used when the provider has no Region.
const GLOBAL_REGION: &str = "us-east-1";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub id: Value<String>,
    pub arn: Value<String>,
    pub name: Value<String>,
    pub description: Value<String>,
    pub enable_in_regions: StringSet,
    pub target_ids: StringSet,
    pub tags: StringMap,
    pub content: Value<String>,
}

pub use super::Private;

pub struct EcrScanningPolicy {
    shared: Arc<Shared>,
}

/// Checks every argument that is known, naming it; no AWS call.
pub fn check(diags: &mut Diagnostics, config: &State) {
    if let Value::Value(name) = &config.name {
        let ok = (1..=128).contains(&name.chars().count());
        let result = if ok { Ok(()) } else { Err("must be 1 to 128 characters".to_owned()) };
        diag::invalid_attr(diags, AttributePath::new("name"), "name", result);
    }
    if let Value::Value(d) = &config.description {
        let result = if d.chars().count() <= 512 { Ok(()) } else { Err("must be at most 512 characters".to_owned()) };
        diag::invalid_attr(diags, AttributePath::new("description"), "description", result);
    }
    for (attribute, set) in [("enable_in_regions", &config.enable_in_regions), ("target_ids", &config.target_ids)] {
        let twice = duplicates(set);
        if !twice.is_empty() {
            let result: Result<(), String> = Err(format!("listed more than once: {}", twice.join(", ")));
            diag::invalid_attr(diags, AttributePath::new(attribute), attribute, result);
        }
    }
    if let Some(regions) = known_set(&config.enable_in_regions) {
        let path = AttributePath::new("enable_in_regions");
        diag::invalid_attr(diags, path, "enable_in_regions", ecr_policy::check_regions(&regions));
    }
    if let Value::Value(targets) = &config.target_ids {
        for (i, target) in targets.iter().enumerate() {
            if let Value::Value(t) = target {
                let path = AttributePath::new("target_ids").index(i as i64);
                diag::invalid_attr(diags, path, "target_ids", ecr_policy::check_target(t));
            }
        }
    }
}

impl State {
    fn wanted(&self) -> Wanted {
        Wanted {
            name: self.name.as_ref_option().cloned().unwrap_or_default(),
            description: self.description.as_ref_option().cloned().unwrap_or_default(),
            enable_in_regions: known_set(&self.enable_in_regions).unwrap_or_default(),
            target_ids: known_set(&self.target_ids).unwrap_or_default(),
            tags: known_entries(&self.tags),
        }
    }

    /// The document planned from `enable_in_regions`; unknown until every Region is known.
    fn planned_content(&self) -> Value<String> {
        match known_set(&self.enable_in_regions) {
            Some(regions) => Value::Value(ecr_policy::document(&regions)),
            None => Value::Unknown,
        }
    }

    /// The state with what AWS holds: drift shows per attribute. A document changed outside
    /// Terraform in any other way than its Regions shows whole in `content`.
    fn with_found(mut self, found: Found) -> Self {
        self.id = Value::Value(found.summary.id);
        self.arn = Value::Value(found.summary.arn);
        self.name = Value::Value(found.summary.name);
        self.description = Value::Value(found.summary.description);
        match ecr_policy::owned_regions(&found.content) {
            Some(regions) => {
                self.content = Value::Value(ecr_policy::document(&regions));
                self.enable_in_regions = string_set(&regions);
            }
            None => {
                self.enable_in_regions = string_set(&ecr_policy::enable_regions(&found.content));
                self.content = Value::Value(found.content);
            }
        }
        self.target_ids = string_set(&found.target_ids);
        // No tags and none configured stays null, so a configuration without `tags` shows no diff.
        if !(found.tags.is_empty() && self.tags.is_null()) {
            self.tags = string_map(found.tags);
        }
        self
    }
}

impl EcrScanningPolicy {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrScanningPolicy { shared }
    }

    pub fn schema_block() -> Block {
        let set = T::Set(Box::new(T::String));
        crate::terraform::schema::block(
            "One AWS Organizations Inspector policy (`INSPECTOR_POLICY`) that turns Amazon Inspector ECR scanning on in \
             the Regions given for every account under the roots, OUs and accounts given, including accounts that join \
             later: Inspector.2 fixed the organization-policy way. Its document names only `ecr_scanning` (with \
             `disable_in_regions` empty), so other scan types are left to other policies. Run it from the management \
             account or an account AWS Organizations delegates policy management to. `INSPECTOR_POLICY` must be \
             enabled on the root; this resource never enables policy types. AWS Organizations is global: there is no \
             `region`.",
            [
                ("id", attribute(T::String, C::Computed, "The policy id, `p-...`; `terraform import` takes it.")),
                ("arn", attribute(T::String, C::Computed, "The policy's ARN.")),
                ("name", attribute(T::String, C::Required, "The policy's name, 1 to 128 characters, unique among the organization's Inspector policies.")),
                ("description", attribute(T::String, C::OptionalComputed, "The policy's description, up to 512 characters. Default: empty.")),
                (
                    "enable_in_regions",
                    attribute(
                        set.clone(),
                        C::Required,
                        "Regions where ECR scanning is turned on, e.g. `[\"us-east-1\", \"eu-west-1\"]`, or \
                         `[\"ALL_SUPPORTED\"]` alone for every Region Inspector supports, now and later.",
                    ),
                ),
                (
                    "target_ids",
                    attribute(
                        set,
                        C::Required,
                        "Where the policy is attached: the root (`r-...`), organizational units (`ou-...-...`) and \
                         12-digit accounts. Accounts below them inherit it. A change attaches and detaches only the \
                         targets that changed, attaching first.",
                    ),
                ),
                (
                    "tags",
                    attribute(
                        T::Map(Box::new(T::String)),
                        C::Optional,
                        "Tags of the policy, set at creation and changed with TagResource / UntagResource; tags changed \
                         outside Terraform show as drift.",
                    ),
                ),
                (
                    "content",
                    attribute(
                        T::String,
                        C::Computed,
                        "The policy document as AWS holds it: `{\"inspector\":{\"enablement\":{\"ecr_scanning\":\
                         {\"enable_in_regions\":{\"@@assign\":[...]},\"disable_in_regions\":{\"@@assign\":[]}}}}}`. A \
                         document edited outside Terraform shows here as drift, and the next apply writes it back.",
                    ),
                ),
            ],
        )
    }

    /// The Organizations client: global, so any Region of the partition serves; the provider's,
    /// or us-east-1 when the provider has none (every other resource may set its own `region`).
    async fn org(&self, diags: &mut Diagnostics) -> Option<Arc<dyn OrganizationsApi>> {
        let region = self.shared.provider_region().await.unwrap_or_else(|_| GLOBAL_REGION.to_owned());
        Some(self.shared.clients_in_or_error(diags, Some(&region)).await?.organizations.clone())
    }
}

/// The state after an apply that may have stopped part way: what was done, and the error.
fn applied_state(diags: &mut Diagnostics, prior: Option<&State>, mut planned: State, applied: Applied) -> State {
    if let Some(summary) = &applied.summary {
        planned.id = Value::Value(summary.id.clone());
        planned.arn = Value::Value(summary.arn.clone());
    }
    if let Some(prior) = prior {
        if !applied.document_done {
            planned.name = prior.name.clone();
            planned.description = prior.description.clone();
            planned.enable_in_regions = prior.enable_in_regions.clone();
            planned.content = prior.content.clone();
        }
        if !applied.tags_done {
            planned.tags = prior.tags.clone();
        }
    }
    planned.target_ids = string_set(&applied.target_ids);
    if let Some(error) = applied.error {
        diag::error(diags, format!("{NAME}: apply incomplete"), error);
    }
    planned
}

#[async_trait]
impl Resource for EcrScanningPolicy {
    type State<'a> = State;
    type PrivateState<'a> = Option<Private>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        check(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        let Some(id) = state.id.as_ref_option().cloned() else { return Some((state, private)) };
        let org = self.org(diags).await?;
        match ecr_policy::read(org.as_ref(), &id).await {
            Ok(Some(found)) => Some((state.with_found(found), private)),
            // Deleted outside Terraform: gone, and the plan creates it again.
            Ok(None) => None,
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot read policy {id}"), e);
                Some((state, private))
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        config: State,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        check(diags, &config);
        let content = proposed.planned_content();
        let description = match proposed.description {
            Value::Null => Value::Value(String::new()),
            d => d,
        };
        let planned = State { id: Value::Unknown, arn: Value::Unknown, content, description, ..proposed };
        Some((planned, Some(Private::default())))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        proposed: State,
        config: State,
        _prior_private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>, Vec<AttributePath>)> {
        check(diags, &config);
        let content = proposed.planned_content();
        let description = match config.description {
            Value::Null => Value::Value(String::new()),
            d => d,
        };
        let planned = State { id: prior.id, arn: prior.arn, content, description, ..proposed };
        Some((planned, Some(Private::default()), vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: State,
        _prior_private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<Option<Private>> {
        Private::planned_destroy()
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: State,
        _config: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        let org = self.org(diags).await?;
        let applied = ecr_policy::create(org.as_ref(), &planned.wanted()).await;
        if applied.summary.is_none() {
            // Nothing was created: nothing to keep in state.
            diag::error(diags, format!("{NAME}: cannot create the policy"), applied.error.unwrap_or_default());
            return None;
        }
        Some((applied_state(diags, None, planned, applied), Some(Private::default())))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        planned: State,
        _config: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        let org = self.org(diags).await?;
        let id = prior.id.as_ref_option().cloned().unwrap_or_default();
        let mut before = prior.wanted();
        // The document as read, so drift made outside Terraform is written back.
        if prior.content != planned.content {
            before.enable_in_regions.clear();
        }
        let applied = ecr_policy::update(org.as_ref(), &id, &before, &planned.wanted()).await;
        Some((applied_state(diags, Some(&prior), planned, applied), Some(Private::default())))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<()> {
        let Some(id) = prior.id.as_ref_option().cloned() else { return Some(()) };
        let org = self.org(diags).await?;
        match ecr_policy::delete(org.as_ref(), &id).await {
            Ok(()) => Some(()),
            Err((error, still_attached)) => {
                let attached: Vec<String> = still_attached.into_iter().collect();
                let note = match attached.is_empty() {
                    true => String::new(),
                    false => format!(" It is still attached to: {}.", attached.join(", ")),
                };
                diag::error(diags, format!("{NAME}: cannot delete policy {id}"), format!("{error}.{note}"));
                None
            }
        }
    }

    async fn import<'a>(&self, diags: &mut Diagnostics, id: String) -> Option<(State, Option<Private>)> {
        if let Err(e) = ecr_policy::check_policy_id(&id) {
            diag::invalid_import(diags, &id, &e, "Use the policy id, e.g. p-examplepolicyid111");
            return None;
        }
        let org = self.org(diags).await?;
        match ecr_policy::read(org.as_ref(), &id).await {
            Ok(Some(found)) => Some((State::default().with_found(found), Some(Private::default()))),
            Ok(None) => {
                diag::error(
                    diags,
                    format!("{NAME}: cannot import {id}"),
                    format!("No AWS Organizations policy {id} exists."),
                );
                None
            }
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot import {id}"), e);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;

//! Resource `inspector2fix_delegated_admin`: the landing zone's first step, run from the AWS
//! Organizations management account: makes an account the organization's Amazon Inspector
//! delegated administrator in one Region and waits until Inspector reports it `ENABLED`. The logic
//! is in [`crate::domain::delegated_admin`]; this file translates Terraform values.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, IdentitySchema, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, RawValue, Resource};

use crate::aws::inspector::api::DelegatedAdmin;
use crate::domain::delegated_admin::{self as admin, Outcome};
use crate::terraform::identity;
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::terraform::timeouts::{self, Operation, Timeouts};
use crate::{ids, terraform::diag, terraform::region, validate};

const NAME: &str = "inspector2fix_delegated_admin";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub id: Value<String>,
    pub account_id: Value<String>,
    pub region: Value<String>,
    pub disable_on_destroy: Value<bool>,
    pub relationship_status: Value<String>,
    pub timeouts: Value<Vec<Timeouts>>,
}

/// Private state: see [`super::Private`]. A destroy without the marker is the first half of a
/// replacement, so it never removes the administrator.
pub use super::Private;

pub struct DelegatedAdminResource {
    shared: Arc<Shared>,
}

fn account_path() -> AttributePath {
    AttributePath::new("account_id")
}

impl DelegatedAdminResource {
    pub fn new(shared: Arc<Shared>) -> Self {
        DelegatedAdminResource { shared }
    }

    pub fn schema_block() -> Block {
        let mut b = crate::terraform::schema::block(
            "Makes an account the organization's Amazon Inspector delegated administrator in one Region, from the AWS \
             Organizations management account, and waits until Inspector reports it `ENABLED`. AWS allows one \
             administrator per organization, and it must be the same account in every Region: declare one resource \
             per Region with the same `account_id`.",
            [
                ("id", attribute(T::String, C::Computed, "The administrator's account id.")),
                (
                    "account_id",
                    attribute(
                        T::String,
                        C::Required,
                        "The account to make the delegated administrator (12 digits): a member of the organization, \
                         not the management account. Changing it replaces the resource; the new account can only \
                         become administrator once the old one is removed (see `disable_on_destroy`).",
                    ),
                ),
                ("region", region_attribute(RegionOf::Resource)),
                (
                    "disable_on_destroy",
                    attribute(
                        T::Bool,
                        C::OptionalComputed,
                        "Whether destroying the resource removes the account as delegated administrator in this \
                         Region (DisableDelegatedAdminAccount, then a wait until Inspector no longer lists it). \
                         Default `false`: destroy only forgets it. Removing the administrator turns every member \
                         account into a standalone account (Inspector stays on in each, with its scan settings), \
                         and the next administrator has to associate them again.",
                    ),
                ),
                (
                    "relationship_status",
                    attribute(
                        T::String,
                        C::Computed,
                        "The administrator's relationship status as GetDelegatedAdminAccount reports it: \
                         `ENABLED` once designated; after a timeout or interrupt, the status read last, \
                         which is not `ENABLED` yet.",
                    ),
                ),
            ],
        );
        b.blocks.insert("timeouts".into(), timeouts::schema());
        b
    }

    async fn caller(&self) -> Option<String> {
        self.shared.caller_account().await.ok()
    }

    /// A refusal at plan: the caller is not the management account, or another account is the
    /// administrator in `region`. Other errors are left for the apply, which retries what can heal.
    async fn check_at_plan(&self, diags: &mut Diagnostics, region: &str, account: &str) -> Option<()> {
        let clients = self.shared.clients_in_or_error(diags, Some(region)).await?;
        match admin::current(clients.delegated_admin.as_ref()).await {
            Err(e) if admin::is_refusal(&e) => {
                let text = admin::explain(&e, self.caller().await.as_deref());
                diag::error(diags, format!("{NAME}: not the management account"), text);
                None
            }
            Ok(Some(other)) if other.account_id != account && admin::is_active(&other) => {
                let text = admin::other_admin(&other, account, region);
                diag::attr_error(diags, account_path(), "Another account is the delegated administrator", text);
                None
            }
            _ => Some(()),
        }
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        config: &State,
        prior: Option<&State>,
    ) -> Option<(State, Vec<AttributePath>)> {
        let mut planned = proposed;
        planned.region = region::planned(&self.shared, diags, &config.region).await?;
        planned.disable_on_destroy = match config.disable_on_destroy {
            Value::Null => Value::Value(false),
            v => v,
        };
        planned.timeouts = timeouts::normalized(&planned.timeouts);
        planned.id = planned.account_id.clone();
        let mut replace = prior.map(|p| region::requires_replace(&p.region, &planned.region)).unwrap_or_default();
        if prior.is_some_and(|p| p.account_id != planned.account_id) {
            replace.push(account_path());
        }
        match prior {
            Some(prior) if replace.is_empty() => planned.relationship_status = prior.relationship_status.clone(),
            _ => {
                planned.relationship_status = Value::Unknown;
                // The caller is known only at apply when the provider configuration is not.
                if let (false, Value::Value(region), Value::Value(account)) =
                    (self.shared.config_unknown(), &planned.region, &planned.account_id)
                {
                    self.check_at_plan(diags, &region.clone(), &account.clone()).await?;
                }
            }
        }
        Some((planned, replace))
    }

    /// Designates the planned account and returns the state to save: None when nothing took
    /// effect; the account with an error when Inspector accepted it but did not finish in time.
    async fn designate(&self, diags: &mut Diagnostics, planned: State) -> Option<State> {
        let region = region::at_apply(&planned.region)?.to_owned();
        let account = planned.account_id.as_ref_option()?.clone();
        let timeout = timeouts::get(&planned.timeouts, Operation::Create);
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        let mut limit = self.shared.limit(timeout);
        let outcome = admin::designate(clients.delegated_admin.as_ref(), &account, &mut limit).await;
        if let Some(text) = outcome.designate_problem(&region, self.caller().await.as_deref()) {
            diag::error(diags, format!("{NAME}: designating account {account} incomplete"), text);
            if !outcome.took_effect {
                return None;
            }
        }
        Some(Self::with_status(planned, &outcome))
    }

    fn with_status(mut state: State, outcome: &Outcome) -> State {
        state.id = Value::Value(outcome.account_id.clone());
        state.relationship_status = match &outcome.status {
            Some(status) => Value::Value(status.as_str().to_owned()),
            None => Value::Null,
        };
        state
    }

    async fn remove(&self, diags: &mut Diagnostics, prior: &State, timeout: Duration) -> Option<()> {
        let region = region::of_state(&self.shared, diags, &prior.region).await?;
        let account = prior.account_id.as_ref_option()?.clone();
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        let mut limit = self.shared.limit(timeout);
        let outcome = admin::remove(clients.delegated_admin.as_ref(), &account, &mut limit).await;
        match outcome.remove_problem(&region, self.caller().await.as_deref()) {
            Some(text) => {
                diag::error(diags, format!("{NAME}: removing account {account} incomplete"), text);
                None
            }
            None => Some(()),
        }
    }

    /// The state of `account` in `region` from what GetDelegatedAdminAccount names.
    fn imported(account: &str, region: String, admin: &DelegatedAdmin) -> State {
        State {
            id: Value::Value(account.to_owned()),
            account_id: Value::Value(account.to_owned()),
            region: Value::Value(region),
            disable_on_destroy: Value::Value(false),
            relationship_status: admin
                .relationship_status
                .as_ref()
                .map(|s| Value::Value(s.as_str().to_owned()))
                .unwrap_or(Value::Null),
            timeouts: Value::Value(vec![]),
        }
    }

    async fn import_account(
        &self,
        diags: &mut Diagnostics,
        import_id: &str,
        account: &str,
        region: String,
    ) -> Option<State> {
        if let Err(e) = validate::account_id(account) {
            let accepted = format!(
                "Use the administrator's account id, optionally with @REGION ({})",
                ids::with_region("111111111111", "eu-west-1")
            );
            diag::invalid_import(diags, import_id, &e, &accepted);
            return None;
        }
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        let current = match admin::current(clients.delegated_admin.as_ref()).await {
            Ok(current) => current,
            Err(e) => {
                let text = admin::explain(&e, self.caller().await.as_deref());
                diag::error(diags, format!("{NAME}: cannot read the delegated administrator"), text);
                return None;
            }
        };
        match current {
            Some(found) if found.account_id == account && admin::is_active(&found) => {
                Some(Self::imported(account, region, &found))
            }
            other => {
                let there = match other {
                    Some(found) => format!("the administrator there is {}", admin::describe(&found)),
                    None => "Inspector names no administrator there".to_owned(),
                };
                let problem =
                    format!("account {account} is not the Inspector delegated administrator in {region}: {there}");
                diag::invalid_import(diags, import_id, &problem, "Import the account GetDelegatedAdminAccount names.");
                None
            }
        }
    }
}

#[async_trait]
impl Resource for DelegatedAdminResource {
    type State<'a> = State;
    type PrivateState<'a> = Option<Private>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        if let Value::Value(account) = &config.account_id {
            diag::invalid_attr(diags, account_path(), "account_id", validate::account_id(account));
        }
        region::check(diags, &config.region);
        timeouts::validate(diags, &config.timeouts);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        mut state: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        let Some((region, clients)) = region::clients_to_refresh(&self.shared, diags, &state.region).await else {
            return Some((state, private));
        };
        let current = match admin::current(clients.delegated_admin.as_ref()).await {
            Ok(current) => current,
            Err(e) => {
                // A failed read is not evidence: state stays as it was.
                let text = admin::explain(&e, self.caller().await.as_deref());
                diag::error(diags, format!("{NAME}: cannot read the delegated administrator"), text);
                return Some((state, private));
            }
        };
        let account = state.account_id.as_ref_option().cloned().unwrap_or_default();
        // Removed, or another account designated, outside Terraform: gone, and plan proposes it again.
        let found = current.filter(|c| c.account_id == account && admin::is_active(c))?;
        let fresh = Self::imported(&account, region, &found);
        state.id = fresh.id;
        state.region = fresh.region;
        state.relationship_status = fresh.relationship_status;
        if state.disable_on_destroy.is_null() {
            state.disable_on_destroy = Value::Value(false);
        }
        state.timeouts = timeouts::normalized(&state.timeouts);
        Some((state, Some(Private::default())))
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        config: State,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        let (planned, _) = self.plan(diags, proposed, &config, None).await?;
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
        let (planned, replace) = self.plan(diags, proposed, &config, Some(&prior)).await?;
        Some((planned, Some(Private::default()), replace))
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
        let state = self.designate(diags, planned).await?;
        Some((state, Some(Private::default())))
    }

    async fn update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: State,
        planned: State,
        _config: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        // Only disable_on_destroy and timeouts update in place: nothing to send.
        let state = State { relationship_status: prior.relationship_status, ..planned };
        Some((state, Some(Private::default())))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<()> {
        // Without a planned destroy this is the first half of a replacement; and by default a
        // destroy only forgets, because removing the administrator makes every member standalone.
        if !private.unwrap_or_default().destroy_planned || prior.disable_on_destroy != Value::Value(true) {
            return Some(());
        }
        let timeout = timeouts::get(&prior.timeouts, Operation::Delete);
        self.remove(diags, &prior, timeout).await
    }

    fn identity_schema(&self, _diags: &mut Diagnostics) -> Option<IdentitySchema> {
        Some(identity::account_schema("The account designated as the delegated Inspector administrator."))
    }

    fn identity(&self, diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
        identity::of_account_state(diags, state)
    }

    /// `import { identity = { ... } }`: the import ID the identity names, imported as that ID is.
    async fn import_by_identity<'a>(
        &self,
        diags: &mut Diagnostics,
        identity: RawValue,
    ) -> Option<(State, Option<Private>)> {
        let id = identity::account_import_id(diags, NAME, identity)?;
        <Self as Resource>::import(self, diags, id).await
    }

    async fn import<'a>(&self, diags: &mut Diagnostics, id: String) -> Option<(State, Option<Private>)> {
        let (account, region) = region::of_import(&self.shared, diags, &id).await?;
        let state = self.import_account(diags, &id, account, region).await?;
        Some((state, Some(Private::default())))
    }
}

#[cfg(test)]
mod tests;

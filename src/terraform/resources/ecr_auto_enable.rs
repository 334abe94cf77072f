//! Resource `inspector2fix_ecr_auto_enable`: the organization's auto-enable flag for ECR scanning,
//! so accounts that join the organization later scan ECR by themselves. Only the ECR flag is ever
//! changed; EC2, Lambda, Lambda code, code repository and AMI flags are sent back as read. Domain
//! logic lives in `crate::domain::auto_enable`; this file translates Terraform values.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, IdentitySchema, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, RawValue, Resource};

use crate::aws::inspector::organization::OrganizationConfiguration;
use crate::domain::auto_enable::{self, Outcome};
use crate::terraform::identity;
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::terraform::timeouts::{self, Operation, Timeouts};
use crate::{terraform::diag, terraform::region, validate};

const NAME: &str = "inspector2fix_ecr_auto_enable";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub id: Value<String>,
    pub region: Value<String>,
    pub disable_on_destroy: Value<bool>,
    pub max_account_limit_reached: Value<bool>,
    pub timeouts: Value<Vec<Timeouts>>,
}

/// Private state: see [`super::Private`]. A destroy without the marker is the first half of a
/// replacement, so it must not turn the flag off that the new instance turns on.
pub use super::Private;

pub struct EcrAutoEnable {
    shared: Arc<Shared>,
}

/// The warning for an organization at Inspector's member limit: auto-enable cannot cover newcomers.
fn warn_if_at_limit(diags: &mut Diagnostics, config: &OrganizationConfiguration) {
    if config.max_account_limit_reached {
        diag::warning(
            diags,
            "Inspector's member account limit is reached",
            "max_account_limit_reached: the delegated administrator manages the maximum number of member accounts \
             (10,000) in this Region, so accounts that join now are not associated or enabled automatically, and \
             fail Inspector.2. Remove accounts that left, or ask AWS Support about the limit.",
        );
    }
}

impl EcrAutoEnable {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrAutoEnable { shared }
    }

    pub fn schema_block() -> Block {
        let mut b = crate::terraform::schema::block(
            "Turns on the organization's auto-enable setting for Amazon Inspector ECR scanning, so that accounts \
             joining the organization later scan ECR by themselves and keep Inspector.2 passing. Run as the delegated \
             Inspector administrator. Only the ECR flag is changed: the EC2, Lambda, Lambda code, code repository and \
             AMI flags are sent back exactly as read.",
            [
                ("id", attribute(T::String, C::Computed, "The delegated administrator's account id.")),
                ("region", region_attribute(RegionOf::Resource)),
                (
                    "disable_on_destroy",
                    attribute(
                        T::Bool,
                        C::OptionalComputed,
                        "Whether destroying the resource turns the organization's auto-enable flag for ECR off again \
                         (only that flag). Default `true`; `false` only forgets it. Scanning in existing accounts is \
                         not changed either way.",
                    ),
                ),
                (
                    "max_account_limit_reached",
                    attribute(
                        T::Bool,
                        C::Computed,
                        "Whether the administrator manages Inspector's maximum number of member accounts, so that new \
                         accounts are no longer covered. A warning says so when `true`.",
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

    /// A refusal at plan when the caller is not the administrator, so no apply is started that
    /// cannot work. Other errors are left for the apply, which retries what can heal.
    async fn check_administrator(&self, diags: &mut Diagnostics, region: &str) -> Option<()> {
        let clients = self.shared.clients_in_or_error(diags, Some(region)).await?;
        match clients.inspector.organization_configuration().await {
            Err(e) if auto_enable::is_not_administrator(&e) => {
                let text = auto_enable::explain(&e, self.caller().await.as_deref());
                diag::error(diags, format!("{NAME}: the organization configuration was refused"), text);
                None
            }
            _ => Some(()),
        }
    }

    /// Sets the flag to `wanted` in `region` within the `op` timeout; an error names what was read.
    async fn set(
        &self,
        diags: &mut Diagnostics,
        region: Option<&str>,
        wanted: bool,
        timeout: std::time::Duration,
    ) -> Option<Outcome> {
        let clients = self.shared.clients_in_or_error(diags, region).await?;
        let mut limit = self.shared.limit(timeout);
        let outcome = auto_enable::set_ecr(clients.inspector.as_ref(), wanted, &mut limit).await;
        if let Some(text) = outcome.problem_text(self.caller().await.as_deref()) {
            let what = if wanted { "turning auto-enable for ECR on" } else { "turning auto-enable for ECR off" };
            diag::error(diags, format!("{NAME}: {what} incomplete"), text);
            return None;
        }
        Some(outcome)
    }

    /// Turns the flag on for create and update, and returns the state to save.
    async fn turn_on(&self, diags: &mut Diagnostics, planned: State, op: Operation) -> Option<State> {
        let region = region::at_apply(&planned.region).map(str::to_owned);
        let timeout = timeouts::get(&planned.timeouts, op);
        let caller = match self.shared.caller_account().await {
            Ok(account) => account,
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot tell the provider's account"), e.to_string());
                return None;
            }
        };
        let outcome = self.set(diags, region.as_deref(), true, timeout).await?;
        let read = outcome.last_read.unwrap_or_default();
        warn_if_at_limit(diags, &read);
        Some(State {
            id: Value::Value(caller),
            max_account_limit_reached: Value::Value(read.max_account_limit_reached),
            ..planned
        })
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        config: &State,
        prior: Option<&State>,
    ) -> Option<State> {
        let mut planned = proposed;
        planned.region = region::planned(&self.shared, diags, &config.region).await?;
        planned.disable_on_destroy = match config.disable_on_destroy {
            Value::Null => Value::Value(true),
            v => v,
        };
        planned.timeouts = timeouts::normalized(&planned.timeouts);
        let replaced = prior.is_some_and(|p| !region::requires_replace(&p.region, &planned.region).is_empty());
        match prior {
            Some(prior) if !replaced => {
                planned.id = prior.id.clone();
                planned.max_account_limit_reached = prior.max_account_limit_reached;
            }
            _ => {
                planned.id = Value::Unknown;
                planned.max_account_limit_reached = Value::Unknown;
                // The caller is known only at apply when the provider configuration is not.
                if let (false, Value::Value(region)) = (self.shared.config_unknown(), &planned.region) {
                    self.check_administrator(diags, &region.clone()).await?;
                    planned.id = self.caller().await.map(Value::Value).unwrap_or(Value::Unknown);
                }
            }
        }
        Some(planned)
    }

    /// The import id's account must be the caller's: the resource belongs to the administrator.
    async fn check_import_account(&self, diags: &mut Diagnostics, import_id: &str, account: &str) -> Option<()> {
        if let Err(e) = validate::account_id(account) {
            let accepted =
                "Use the delegated administrator's account id, optionally with @REGION (111111111111@eu-west-1)";
            diag::invalid_import(diags, import_id, &e, accepted);
            return None;
        }
        let caller = match self.shared.caller_account().await {
            Ok(caller) => caller,
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot tell the provider's account"), e.to_string());
                return None;
            }
        };
        if caller != account {
            let problem = format!(
                "account {account} is not the provider's account {caller}; the id is the delegated administrator's \
                 account, and the provider must run as it"
            );
            diag::invalid_import(diags, import_id, &problem, "Import with the administrator's credentials.");
            return None;
        }
        Some(())
    }
}

#[async_trait]
impl Resource for EcrAutoEnable {
    type State<'a> = State;
    type PrivateState<'a> = Option<Private>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
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
        // A read that fails is no evidence that auto-enable is off: the state stays as it was.
        let Some((region, clients)) = region::clients_to_refresh(&self.shared, diags, &state.region).await else {
            return Some((state, private));
        };
        let read = match clients.inspector.organization_configuration().await {
            Ok(read) => read,
            Err(e) => {
                let text = auto_enable::explain(&e, self.caller().await.as_deref());
                diag::error(diags, format!("{NAME}: cannot read the organization configuration"), text);
                return Some((state, private));
            }
        };
        if !read.auto_enable.ecr {
            // Turned off outside Terraform: the resource is gone, and plan proposes to create it.
            return None;
        }
        warn_if_at_limit(diags, &read);
        state.region = Value::Value(region);
        state.max_account_limit_reached = Value::Value(read.max_account_limit_reached);
        if state.disable_on_destroy.is_null() {
            state.disable_on_destroy = Value::Value(true);
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
        let planned = self.plan(diags, proposed, &config, None).await?;
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
        let planned = self.plan(diags, proposed, &config, Some(&prior)).await?;
        let replace = region::requires_replace(&prior.region, &planned.region);
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
        let state = self.turn_on(diags, planned, Operation::Create).await?;
        Some((state, Some(Private::default())))
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
        // On failure the prior state stays (a null one would drop the resource); the next refresh
        // reads the flag as it is.
        let state = self.turn_on(diags, planned, Operation::Update).await.unwrap_or(prior);
        Some((state, Some(Private::default())))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<()> {
        // Without a planned destroy this is the first half of a replacement: the new instance
        // keeps the flag on.
        if !private.unwrap_or_default().destroy_planned || prior.disable_on_destroy == Value::Value(false) {
            return Some(());
        }
        let region = region::of_state(&self.shared, diags, &prior.region).await?;
        let timeout = timeouts::get(&prior.timeouts, Operation::Delete);
        self.set(diags, Some(&region), false, timeout).await.map(|_| ())
    }

    fn identity_schema(&self, _diags: &mut Diagnostics) -> Option<IdentitySchema> {
        Some(identity::account_schema("The delegated administrator's account id (the provider's account)."))
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
        self.check_import_account(diags, &id, account).await?;
        let state = State {
            id: Value::Value(account.to_owned()),
            region: Value::Value(region),
            disable_on_destroy: Value::Value(true),
            max_account_limit_reached: Value::Null,
            timeouts: Value::Value(vec![]),
        };
        Some((state, Some(Private::default())))
    }
}

#[cfg(test)]
mod tests;

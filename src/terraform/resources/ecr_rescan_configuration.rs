//! Resource `inspector2fix_ecr_rescan_configuration`: Inspector's ECR rescan durations and
//! pull-date mode for the provider's account (for a delegated administrator, its organization).
//! Only `ecrConfiguration` is ever sent; settings left out of the configuration are left as AWS
//! has them. Domain logic lives in `crate::domain::rescan`; this file translates Terraform values.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, IdentitySchema, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, RawValue, Resource};

use crate::aws::clients::Clients;
use crate::domain::rescan::{explain, EcrRescanConfig, Setting};
use crate::terraform::identity;
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::{ids, terraform::diag, terraform::region, validate};

const NAME: &str = "inspector2fix_ecr_rescan_configuration";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub id: Value<String>,
    pub rescan_duration: Value<String>,
    pub pull_date_rescan_duration: Value<String>,
    pub pull_date_rescan_mode: Value<String>,
    pub reset_on_destroy: Value<bool>,
    pub region: Value<String>,
}

/// Private state: see [`super::Private`]. A destroy without the marker is the first half of a
/// replacement, so it resets nothing.
pub use super::Private;

impl State {
    fn value(&self, s: Setting) -> &Value<String> {
        match s {
            Setting::RescanDuration => &self.rescan_duration,
            Setting::PullDateRescanDuration => &self.pull_date_rescan_duration,
            Setting::PullDateRescanMode => &self.pull_date_rescan_mode,
        }
    }

    fn value_mut(&mut self, s: Setting) -> &mut Value<String> {
        match s {
            Setting::RescanDuration => &mut self.rescan_duration,
            Setting::PullDateRescanDuration => &mut self.pull_date_rescan_duration,
            Setting::PullDateRescanMode => &mut self.pull_date_rescan_mode,
        }
    }

    /// The settings this resource manages: those set in its state or plan.
    fn desired(&self) -> EcrRescanConfig {
        let mut c = EcrRescanConfig::default();
        for s in Setting::ALL {
            c.set(s, self.value(s).as_ref_option().cloned());
        }
        c
    }
}

/// Checks every setting's value, with its attribute path; errors list the valid values.
pub fn check(diags: &mut Diagnostics, config: &State) {
    for s in Setting::ALL {
        if let Value::Value(v) = config.value(s) {
            if let Err(e) = s.check(v) {
                let name = s.attribute();
                diag::attr_error(diags, AttributePath::new(name), format!("Invalid {name}"), format!("{name}: {e}"));
            }
        }
    }
    if Setting::ALL.iter().all(|s| config.value(*s).is_null()) {
        diag::error(
            diags,
            "Nothing to manage",
            "rescan_duration, pull_date_rescan_duration, pull_date_rescan_mode: set at least one of them",
        );
    }
}

pub struct EcrRescanConfiguration {
    shared: Arc<Shared>,
}

impl EcrRescanConfiguration {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrRescanConfiguration { shared }
    }

    pub fn schema_block() -> Block {
        let setting = |s: Setting, what: &str| {
            let values = s.valid_values().iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
            attribute(T::String, C::Optional, &format!("{what} One of {values}. Not set: left as AWS has it."))
        };
        crate::terraform::schema::block(
            "Inspector's Amazon ECR rescan settings: how long images stay under continuous rescanning after their push \
             date and their last pull (or last in-use) date. Run as the delegated Inspector administrator, they apply \
             to the whole organization. Only `ecrConfiguration` is sent; EC2 and other settings are never touched.",
            [
                ("id", attribute(T::String, C::Computed, "The account whose settings these are (the provider's account).")),
                (
                    "rescan_duration",
                    setting(Setting::RescanDuration, "How long after its push date an image is rescanned."),
                ),
                (
                    "pull_date_rescan_duration",
                    setting(Setting::PullDateRescanDuration, "How long after its last pull (or last in-use) date an image is rescanned."),
                ),
                (
                    "pull_date_rescan_mode",
                    setting(Setting::PullDateRescanMode, "Which date `pull_date_rescan_duration` counts from."),
                ),
                (
                    "reset_on_destroy",
                    attribute(
                        T::Bool,
                        C::Optional,
                        "On destroy, restore AWS's documented defaults (`DAYS_14`, `DAYS_14`, `LAST_IN_USE_AT`) for exactly \
                         the settings this resource manages. Default `false`: destroy only forgets them. A replacement \
                         (e.g. for another `region`) resets nothing.",
                    ),
                ),
                ("region", region_attribute(RegionOf::Resource)),
            ],
        )
    }

    /// The clients of the Region `state` is in (a 0.1.0 state: the provider's).
    async fn clients(&self, diags: &mut Diagnostics, state: &State) -> Option<Arc<Clients>> {
        self.shared.clients_in_or_error(diags, region::at_apply(&state.region)).await
    }

    async fn fail<T>(&self, diags: &mut Diagnostics, what: &str, e: &crate::aws::AwsError) -> Option<T> {
        let caller = self.shared.caller_account().await.ok();
        diag::error(diags, format!("{NAME}: {what}"), explain(e, caller.as_deref()));
        None
    }

    async fn caller(&self, diags: &mut Diagnostics) -> Option<String> {
        match self.shared.caller_account().await {
            Ok(a) => Some(a),
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot tell the provider's account"), e.to_string());
                None
            }
        }
    }

    /// Sets the `desired` settings in `state`'s Region, leaving the others as AWS has them. No
    /// call when nothing would change.
    async fn apply(&self, diags: &mut Diagnostics, state: &State, desired: &EcrRescanConfig) -> Option<()> {
        let clients = self.clients(diags, state).await?;
        let current = match clients.inspector.ecr_rescan_configuration().await {
            Ok(c) => c,
            Err(e) => return self.fail(diags, "cannot read the settings", &e).await,
        };
        let request = match EcrRescanConfig::request(desired, &current) {
            Ok(r) => r,
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot update the settings"), e);
                return None;
            }
        };
        if request == current {
            return Some(());
        }
        match clients.inspector.update_ecr_rescan_configuration(&request).await {
            Ok(()) => Some(()),
            Err(e) => self.fail(diags, "cannot update the settings", &e).await,
        }
    }

    /// The account the state belongs to must be the provider's: there is no `account_id`.
    /// The Region of `state` and the settings AWS has there, read as the account in `state`'s id;
    /// None with an error when any of that cannot be read.
    async fn current(&self, diags: &mut Diagnostics, state: &State) -> Option<(String, EcrRescanConfig)> {
        let account = state.id.as_ref_option().cloned().unwrap_or_default();
        self.same_account(diags, &account).await?;
        let region = region::of_state(&self.shared, diags, &state.region).await?;
        let clients = self.shared.clients_in_or_error(diags, Some(&region)).await?;
        match clients.inspector.ecr_rescan_configuration().await {
            Ok(c) => Some((region, c)),
            Err(e) => self.fail(diags, "cannot read the settings", &e).await,
        }
    }

    async fn same_account(&self, diags: &mut Diagnostics, account: &str) -> Option<()> {
        let caller = self.caller(diags).await?;
        if caller == account {
            return Some(());
        }
        diag::error(
            diags,
            format!("{NAME}: wrong account"),
            format!(
                "id: these settings belong to account {account}, but the provider's credentials are for account \
                 {caller}. Configure the provider with credentials of account {account}."
            ),
        );
        None
    }
}

#[async_trait]
impl Resource for EcrRescanConfiguration {
    type State<'a> = State;
    type PrivateState<'a> = Option<Private>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        check(diags, &config);
        region::check(diags, &config.region);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        mut state: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        // A read that fails is no evidence that the settings are gone: the state stays as it was.
        let current = match self.current(diags, &state).await {
            Some(current) => current,
            None => return Some((state, private)),
        };
        state.region = Value::Value(current.0);
        // Drift shows per managed attribute; settings not managed stay null.
        for s in state.desired().managed() {
            *state.value_mut(s) = current.1.get(s).cloned().map(Value::Value).unwrap_or(Value::Null);
        }
        Some((state, private))
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        config: State,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        // No AWS call at plan: the account is known once applied.
        let region = region::planned(&self.shared, diags, &config.region).await?;
        Some((State { id: Value::Unknown, region, ..proposed }, Some(Private::default())))
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
        let region = region::planned(&self.shared, diags, &config.region).await?;
        let replace = region::requires_replace(&prior.region, &region);
        Some((State { id: prior.id, region, ..proposed }, Some(Private::default()), replace))
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
        let account = self.caller(diags).await?;
        self.apply(diags, &planned, &planned.desired()).await?;
        Some((State { id: Value::Value(account), ..planned }, Some(Private::default())))
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
        self.same_account(diags, prior.id.as_ref_option().map(String::as_str).unwrap_or_default()).await?;
        self.apply(diags, &planned, &planned.desired()).await?;
        Some((planned, Some(Private::default())))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<()> {
        let managed = prior.desired();
        let planned = private.unwrap_or_default().destroy_planned;
        // Without the marker this is the first half of a replacement: the old Region keeps its settings.
        if !planned || prior.reset_on_destroy != Value::Value(true) || managed.managed().is_empty() {
            return Some(());
        }
        self.same_account(diags, prior.id.as_ref_option().map(String::as_str).unwrap_or_default()).await?;
        self.apply(diags, &prior, &EcrRescanConfig::defaults_for(&managed)).await
    }

    fn identity_schema(&self, _diags: &mut Diagnostics) -> Option<IdentitySchema> {
        Some(identity::account_schema("The account id (the provider's account)."))
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
        if let Err(e) = validate::account_id(account) {
            let accepted =
                format!("Use ACCOUNT_ID or ACCOUNT_ID@REGION, e.g. {}", ids::with_region("123456789012", "eu-west-1"));
            diag::invalid_import(diags, &id, &e, &accepted);
            return None;
        }
        self.same_account(diags, account).await?;
        let mut state =
            State { id: Value::Value(account.to_owned()), region: Value::Value(region), ..State::default() };
        let clients = self.clients(diags, &state).await?;
        let current = match clients.inspector.ecr_rescan_configuration().await {
            Ok(c) => c,
            Err(e) => return self.fail(diags, "cannot read the settings", &e).await,
        };
        for s in Setting::ALL {
            *state.value_mut(s) = current.get(s).cloned().map(Value::Value).unwrap_or(Value::Null);
        }
        Some((state, Some(Private::default())))
    }
}

#[cfg(test)]
mod tests;

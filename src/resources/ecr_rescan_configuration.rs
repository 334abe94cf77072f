//! Resource `inspector2fix_ecr_rescan_configuration`: Inspector's ECR rescan durations and
//! pull-date mode for the provider's account (for a delegated administrator, its organization).
//! Only `ecrConfiguration` is ever sent; settings left out of the configuration are left as AWS
//! has them. Domain logic lives in `crate::rescan`; this file translates Terraform values.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::aws::clients::Clients;
use crate::rescan::{explain, EcrRescanConfig, Setting};
use crate::schema::attribute;
use crate::shared::Shared;
use crate::{diag, validate};

const NAME: &str = "inspector2fix_ecr_rescan_configuration";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RescanState {
    pub id: Value<String>,
    pub rescan_duration: Value<String>,
    pub pull_date_rescan_duration: Value<String>,
    pub pull_date_rescan_mode: Value<String>,
    pub reset_on_destroy: Value<bool>,
}

impl RescanState {
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
pub fn check(diags: &mut Diagnostics, config: &RescanState) {
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

/// `123456789012` or `123456789012@us-east-1`: the account, and the Region when given.
pub fn parse_id(id: &str) -> Result<(String, Option<String>), String> {
    let (account, region) = match id.split_once('@') {
        Some((a, r)) if !r.is_empty() => (a, Some(r.to_owned())),
        Some(_) => return Err("the Region after @ is empty".into()),
        None => (id, None),
    };
    validate::account_id(account)?;
    Ok((account.to_owned(), region))
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
        crate::schema::block(
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
                         the settings this resource manages. Default `false`: destroy only forgets them.",
                    ),
                ),
            ],
        )
    }

    async fn clients(&self, diags: &mut Diagnostics) -> Option<Arc<Clients>> {
        self.shared.clients_or_error(diags).await
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

    /// Sets the `desired` settings, leaving the others as AWS has them. No call when nothing
    /// would change.
    async fn apply(&self, diags: &mut Diagnostics, desired: &EcrRescanConfig) -> Option<()> {
        let clients = self.clients(diags).await?;
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
    type State<'a> = RescanState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: RescanState) -> Option<()> {
        check(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        mut state: RescanState,
        private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RescanState, ValueEmpty)> {
        let account = state.id.as_ref_option().cloned().unwrap_or_default();
        self.same_account(diags, &account).await?;
        let clients = self.clients(diags).await?;
        let current = match clients.inspector.ecr_rescan_configuration().await {
            Ok(c) => c,
            Err(e) => return self.fail(diags, "cannot read the settings", &e).await,
        };
        // Drift shows per managed attribute; settings not managed stay null.
        for s in state.desired().managed() {
            *state.value_mut(s) = current.get(s).cloned().map(Value::Value).unwrap_or(Value::Null);
        }
        Some((state, private))
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: RescanState,
        _config: RescanState,
        _meta: ValueEmpty,
    ) -> Option<(RescanState, ValueEmpty)> {
        // No AWS call at plan: the account is known once applied.
        Some((RescanState { id: Value::Unknown, ..proposed }, ValueEmpty::Null))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: RescanState,
        proposed: RescanState,
        _config: RescanState,
        _prior_private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RescanState, ValueEmpty, Vec<AttributePath>)> {
        Some((RescanState { id: prior.id, ..proposed }, ValueEmpty::Null, vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: RescanState,
        _prior_private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(ValueEmpty::Null)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: RescanState,
        _config: RescanState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RescanState, ValueEmpty)> {
        let account = self.caller(diags).await?;
        self.apply(diags, &planned.desired()).await?;
        Some((RescanState { id: Value::Value(account), ..planned }, ValueEmpty::Null))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RescanState,
        planned: RescanState,
        _config: RescanState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RescanState, ValueEmpty)> {
        self.same_account(diags, prior.id.as_ref_option().map(String::as_str).unwrap_or_default()).await?;
        self.apply(diags, &planned.desired()).await?;
        Some((planned, ValueEmpty::Null))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RescanState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        let managed = prior.desired();
        if prior.reset_on_destroy != Value::Value(true) || managed.managed().is_empty() {
            return Some(());
        }
        self.same_account(diags, prior.id.as_ref_option().map(String::as_str).unwrap_or_default()).await?;
        self.apply(diags, &EcrRescanConfig::defaults_for(&managed)).await
    }

    async fn import<'a>(&self, diags: &mut Diagnostics, id: String) -> Option<(RescanState, ValueEmpty)> {
        let (account, region) = match parse_id(&id) {
            Ok(parsed) => parsed,
            Err(e) => {
                diag::error(
                    diags,
                    "Invalid import id",
                    format!("Import id {id:?}: {e}. Use ACCOUNT_ID or ACCOUNT_ID@REGION, e.g. 123456789012@eu-west-1"),
                );
                return None;
            }
        };
        let clients = self.clients(diags).await?;
        if let Some(r) = region.filter(|r| *r != clients.region) {
            diag::error(
                diags,
                "Invalid import id",
                format!("Import id {id:?}: Region {r} is not the provider's Region {}", clients.region),
            );
            return None;
        }
        self.same_account(diags, &account).await?;
        let current = match clients.inspector.ecr_rescan_configuration().await {
            Ok(c) => c,
            Err(e) => return self.fail(diags, "cannot read the settings", &e).await,
        };
        let mut state = RescanState { id: Value::Value(account), ..RescanState::default() };
        for s in Setting::ALL {
            *state.value_mut(s) = current.get(s).cloned().map(Value::Value).unwrap_or(Value::Null);
        }
        Some((state, ValueEmpty::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> RescanState {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn bad_values_are_named_and_list_the_valid_ones() {
        let mut diags = Diagnostics::default();
        check(&mut diags, &config(r#"{"rescan_duration": "DAYS_1", "pull_date_rescan_mode": "LAST_PUSH"}"#));
        assert_eq!(diags.errors.len(), 2);
        assert!(diags.errors[0].detail.starts_with("rescan_duration: \"DAYS_1\" is not a valid value"));
        assert!(diags.errors[0].detail.contains("LIFETIME"));
        assert!(diags.errors[1].detail.starts_with("pull_date_rescan_mode:"));
        assert!(diags.errors[1].detail.contains("LAST_IN_USE_AT, LAST_PULL_DATE"), "{}", diags.errors[1].detail);
        assert_eq!(diags.errors[1].attribute, AttributePath::new("pull_date_rescan_mode"));
    }

    #[test]
    fn nothing_set_is_an_error_but_unknown_counts_as_set() {
        let mut diags = Diagnostics::default();
        check(&mut diags, &config(r#"{"reset_on_destroy": true}"#));
        assert_eq!(diags.errors.len(), 1);
        let mut diags = Diagnostics::default();
        check(&mut diags, &RescanState { rescan_duration: Value::Unknown, ..RescanState::default() });
        assert!(diags.errors.is_empty());
    }

    #[test]
    fn import_ids() {
        assert_eq!(parse_id("123456789012").unwrap(), ("123456789012".into(), None));
        assert_eq!(parse_id("123456789012@eu-west-1").unwrap(), ("123456789012".into(), Some("eu-west-1".into())));
        assert!(parse_id("123456789012@").is_err());
        assert!(parse_id("12345@eu-west-1").is_err());
    }

    #[test]
    fn desired_is_what_is_set() {
        let s = config(r#"{"pull_date_rescan_duration": "DAYS_30"}"#);
        assert_eq!(s.desired().managed(), vec![Setting::PullDateRescanDuration]);
    }
}

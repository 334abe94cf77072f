//! Resource `inspector2fix_control_suppression`: the "owners declined" path. Suppresses the ACTIVE
//! findings of a Security Hub control (default Inspector.2) with a note giving the reason, keeps
//! new findings suppressed, and returns them to NEW on destroy. The logic is in
//! [`crate::domain::suppression`]; this file translates between Terraform values and its reports.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, IdentitySchema, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, RawValue, Resource};

use crate::aws::clients::Clients;
use crate::aws::securityhub::api::{FindingQuery, SecurityHubApi};
use crate::aws::AwsError;
use crate::domain::control_enablement::{self as enablement, Read};
use crate::domain::findings::{self, Hub, DEFAULT_CONTROL};
use crate::domain::suppression::{self, Owned, SetupError, SuppressReport};
use crate::terraform::checks;
use crate::terraform::identity;
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::{ids, terraform::diag, terraform::region, validate};

type Ids = Value<BTreeSet<Value<String>>>;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub id: Value<String>,
    pub control_id: Value<String>,
    pub reason: Value<String>,
    pub account_id: Value<String>,
    pub finding_ids: Ids,
    pub pending_finding_ids: Ids,
    pub region: Value<String>,
}

impl State {
    fn query(&self) -> FindingQuery {
        FindingQuery {
            control_id: findings::control_or_default(self.control_id.as_ref_option().map(String::as_str)),
            account_id: self.account_id.as_ref_option().cloned(),
            region: self.region.as_ref_option().cloned(),
        }
    }

    fn default_control(&mut self) {
        if self.control_id.is_null() {
            self.control_id = Value::Value(DEFAULT_CONTROL.into());
        }
    }
}

/// Private state: see [`super::Private`]. A destroy without the marker is the first half of a
/// replacement, so it must not reopen the findings the new instance adopts right after.
pub use super::Private;

pub struct ControlSuppression {
    shared: Arc<Shared>,
}

fn ids_value<'a>(ids: impl IntoIterator<Item = &'a String>) -> Ids {
    Value::Value(ids.into_iter().cloned().map(Value::Value).collect())
}

fn ids_of(ids: &Ids) -> BTreeSet<String> {
    match ids {
        Value::Value(set) => set.iter().filter_map(|v| v.as_ref_option().cloned()).collect(),
        _ => BTreeSet::new(),
    }
}

/// The id once control_id and account_id are known.
fn planned_id(state: &State) -> Value<String> {
    match (&state.control_id, &state.account_id) {
        (Value::Value(c), Value::Value(a)) => Value::Value(findings::scoped_id(c, Some(a))),
        (Value::Value(c), Value::Null) => Value::Value(findings::scoped_id(c, None)),
        _ => Value::Unknown,
    }
}

/// The warning for a control with no ACTIVE finding in the query's scope.
fn no_findings(query: &FindingQuery) -> String {
    let scope = match &query.account_id {
        Some(account) => format!(" about account {account}"),
        None => String::new(),
    };
    format!(
        "control_id: Security Hub has no ACTIVE finding of {:?}{scope}, so nothing was suppressed. If that is \
         unexpected, check control_id and account_id, and that the control is enabled; findings that appear later \
         are suppressed on the next apply.",
        query.control_id
    )
}

/// `Inspector.2` or `Inspector.2/123456789012`.
pub fn parse_id(id: &str) -> Result<(String, Option<String>), String> {
    let (control, account) = match id.split_once('/') {
        Some((c, a)) => (c, Some(a)),
        None => (id, None),
    };
    validate::control_id(control)?;
    if let Some(a) = account {
        validate::account_id(a)?;
    }
    Ok((control.to_owned(), account.map(str::to_owned)))
}

impl ControlSuppression {
    pub fn new(shared: Arc<Shared>) -> Self {
        ControlSuppression { shared }
    }

    pub fn schema_block() -> Block {
        let ids = |d: &str| attribute(T::Set(Box::new(T::String)), C::Computed, d);
        crate::terraform::schema::block(
            "Suppresses the ACTIVE findings of a Security Hub control (default Inspector.2) when its owners decline the fix, \
             with the reason as the findings' note, and keeps new findings of the control suppressed on every apply. \
             Destroying it returns the findings it suppressed to NEW.",
            [
                ("id", attribute(T::String, C::Computed, "`control_id`, or `control_id/account_id` when scoped to an account.")),
                (
                    "control_id",
                    attribute(
                        T::String,
                        C::OptionalComputed,
                        &format!("Security control id. Default `\"{DEFAULT_CONTROL}\"`. Changing it returns the findings of the old control to NEW and suppresses the new one's."),
                    ),
                ),
                (
                    "reason",
                    attribute(T::String, C::Required, "Why the control is suppressed: written as the findings' note. At most 512 characters, at least one of them visible, and no control characters (one line of plain text)."),
                ),
                (
                    "account_id",
                    attribute(T::String, C::Optional, "Only suppress findings about this account (12 digits). Changing it returns the owned findings the new scope does not cover to NEW."),
                ),
                ("finding_ids", ids("Findings this resource suppressed and that are still suppressed.")),
                (
                    "pending_finding_ids",
                    ids("ACTIVE findings of the control that are not suppressed (new, or reopened by someone): the next apply suppresses them. Empty after a successful apply."),
                ),
                ("region", region_attribute(RegionOf::Resource)),
            ],
        )
    }

    /// The clients of the Region `state` is in; only findings whose `Region` is that Region are
    /// read or changed (see [`State::query`]).
    async fn clients(&self, diags: &mut Diagnostics, state: &State) -> Option<Arc<Clients>> {
        self.shared.clients_in_or_error(diags, region::at_apply(&state.region)).await
    }

    /// `state` with its Region: a state written before `region` existed is in the provider's.
    async fn in_region(&self, diags: &mut Diagnostics, mut state: State) -> Option<State> {
        state.region = Value::Value(region::of_state(&self.shared, diags, &state.region).await?);
        Some(state)
    }

    fn hub<'a>(&'a self, api: &'a dyn SecurityHubApi) -> Hub<'a> {
        Hub { api, list_rate: &self.shared.get_findings_rate, update_rate: &self.shared.update_findings_rate }
    }

    /// Reports a failed Security Hub call, naming the caller's account when it is known.
    async fn report(&self, diags: &mut Diagnostics, e: &AwsError, clients: &Clients) {
        let caller = self.shared.caller_account().await.ok();
        let (summary, detail) = findings::explain(e, caller.as_deref(), &clients.region);
        diag::error(diags, summary, detail);
    }

    /// Reports why a suppression could not start: an unknown control names `control_id`.
    async fn report_setup(&self, diags: &mut Diagnostics, e: &SetupError, clients: &Clients) {
        match e {
            SetupError::UnknownControl(id) => {
                let detail = findings::unknown_control(id);
                diag::attr_error(diags, AttributePath::new("control_id"), "Unknown control", detail);
            }
            SetupError::Aws(e) => self.report(diags, e, clients).await,
        }
    }

    /// A plan-time warning when the control is disabled everywhere: there is nothing to suppress.
    /// One ListStandardsControlAssociations call; a refused or failed read says nothing.
    async fn warn_if_disabled(&self, diags: &mut Diagnostics, planned: &State) {
        let (Value::Value(region), Value::Value(control)) = (&planned.region, &planned.control_id) else { return };
        if self.shared.config_unknown() {
            return;
        }
        let Ok(clients) = self.shared.clients_in(Some(region)).await else { return };
        let api = clients.securityhub.clone();
        if let Ok(Read::Known(found)) = enablement::enablement(api.as_ref(), control).await {
            if let Some(text) = enablement::nothing_to_suppress(&found, region) {
                diag::warning(diags, "Nothing to suppress: the control is disabled", text);
            }
        }
    }

    /// Records what a suppression run did in `state` and reports the findings it could not update.
    fn record(diags: &mut Diagnostics, mut state: State, report: &SuppressReport) -> State {
        state.finding_ids = ids_value(&report.suppressed);
        state.pending_finding_ids = ids_value(&report.pending);
        if let Some(problems) = report.problems() {
            diag::error(diags, "inspector2fix_control_suppression: some findings were not updated", problems);
        }
        state
    }

    /// A new suppression: checks the control, adopts what a replaced instance had suppressed, and
    /// suppresses the rest; warns when the control has no finding to suppress.
    async fn start(&self, diags: &mut Diagnostics, state: State) -> Option<State> {
        let clients = self.clients(diags, &state).await?;
        let api = clients.securityhub.clone();
        let reason = state.reason.as_ref_option().cloned().unwrap_or_default();
        let query = state.query();
        let report = match suppression::create(&self.hub(api.as_ref()), &query, &reason).await {
            Ok(report) => report,
            Err(e) => {
                self.report_setup(diags, &e, &clients).await;
                return None;
            }
        };
        if report.listed == 0 {
            diag::warning(diags, "The control has no findings to suppress", no_findings(&query));
        }
        Some(Self::record(diags, state, &report))
    }

    /// Suppresses what is pending and, when `rewrite_note` is set, rewrites the note on owned findings.
    async fn converge(
        &self,
        diags: &mut Diagnostics,
        state: State,
        owned_before: &BTreeSet<String>,
        rewrite_note: bool,
    ) -> Option<State> {
        let clients = self.clients(diags, &state).await?;
        let api = clients.securityhub.clone();
        let reason = state.reason.as_ref_option().cloned().unwrap_or_default();
        let report =
            match suppression::suppress(&self.hub(api.as_ref()), &state.query(), &reason, owned_before, rewrite_note)
                .await
            {
                Ok(report) => report,
                Err(e) => {
                    self.report(diags, &e, &clients).await;
                    return None;
                }
            };
        Some(Self::record(diags, state, &report))
    }

    /// A changed `control_id` or `account_id`: checks a new control, suppresses in the new scope
    /// (keeping owned findings it still covers), then returns the owned findings it no longer
    /// covers to NEW. An update rather than a replacement, because a replacement never reopens.
    async fn rescope(&self, diags: &mut Diagnostics, prior: &State, planned: State) -> Option<State> {
        if planned.control_id != prior.control_id {
            let clients = self.clients(diags, &planned).await?;
            let api = clients.securityhub.clone();
            let control = planned.query().control_id;
            if let Err(e) = suppression::check_control(&self.hub(api.as_ref()), &control).await {
                self.report_setup(diags, &e, &clients).await;
                return None;
            }
        }
        let owned = ids_of(&prior.finding_ids);
        let rewrite = planned.reason != prior.reason;
        let state = self.converge(diags, planned, &owned, rewrite).await?;
        let left: BTreeSet<String> = owned.difference(&ids_of(&state.finding_ids)).cloned().collect();
        let released = State { finding_ids: ids_value(&left), ..prior.clone() };
        self.restore(diags, &released).await;
        Some(state)
    }

    /// Refreshes the owned and pending findings; on import also adopts the reason.
    async fn refresh(&self, diags: &mut Diagnostics, state: &mut State) {
        let Some(clients) = self.clients(diags, state).await else { return };
        let api = clients.securityhub.clone();
        let owned_before = ids_of(&state.finding_ids);
        let owned = if state.reason.is_null() { Owned::Adopt } else { Owned::These(&owned_before) };
        let observed = match suppression::observe(&self.hub(api.as_ref()), &state.query(), owned).await {
            Ok(observed) => observed,
            Err(e) => return self.report(diags, &e, &clients).await,
        };
        if let Owned::Adopt = owned {
            state.reason = observed.adopted_reason.map(Value::Value).unwrap_or(Value::Null);
        }
        state.finding_ids = ids_value(&observed.owned);
        state.pending_finding_ids = ids_value(&observed.pending);
        state.default_control();
    }

    /// Returns the owned findings to NEW; false when some stay suppressed or cannot be read.
    async fn restore(&self, diags: &mut Diagnostics, prior: &State) -> bool {
        let owned = ids_of(&prior.finding_ids);
        if owned.is_empty() {
            return true;
        }
        let Some(clients) = self.clients(diags, prior).await else { return false };
        let api = clients.securityhub.clone();
        let reason = prior.reason.as_ref_option().map(String::as_str);
        let report = match suppression::restore(&self.hub(api.as_ref()), &prior.query(), &owned, reason).await {
            Ok(report) => report,
            Err(e) => {
                self.report(diags, &e, &clients).await;
                return false;
            }
        };
        match report.problems() {
            None => true,
            Some(problems) => {
                diag::error(diags, "inspector2fix_control_suppression: some findings stay suppressed", problems);
                false
            }
        }
    }
}

#[async_trait]
impl Resource for ControlSuppression {
    type State<'a> = State;
    type PrivateState<'a> = Option<Private>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        checks::control_and_account(diags, &config.control_id, &config.account_id);
        region::check(diags, &config.region);
        if let Value::Value(reason) = &config.reason {
            diag::invalid_attr(diags, AttributePath::new("reason"), "reason", validate::reason(reason));
        }
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        let Some(mut state) = self.in_region(diags, state.clone()).await else {
            return Some((state, Some(Private::default())));
        };
        self.refresh(diags, &mut state).await;
        Some((state, Some(Private::default())))
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        config: State,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        let mut planned = proposed;
        planned.region = region::planned(&self.shared, diags, &config.region).await?;
        planned.default_control();
        planned.id = planned_id(&planned);
        planned.finding_ids = Value::Unknown;
        planned.pending_finding_ids = Value::Value(BTreeSet::new());
        self.warn_if_disabled(diags, &planned).await;
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
        let mut planned = proposed;
        planned.region = region::planned(&self.shared, diags, &config.region).await?;
        // Another Region is another set of findings: a replacement, whose destroy half leaves the
        // old Region's findings as they are.
        let replace = region::requires_replace(&prior.region, &planned.region);
        if config.control_id.is_null() {
            planned.control_id = Value::Value(DEFAULT_CONTROL.into());
        }
        // A new control or account is an update (see `rescope`), not a replacement: the destroy
        // half of a replacement never reopens findings, so it would leave the old scope's behind.
        let rescoped = planned.control_id != prior.control_id || planned.account_id != prior.account_id;
        planned.id = planned_id(&planned);
        let work = planned.reason != prior.reason || !ids_of(&prior.pending_finding_ids).is_empty() || rescoped;
        if work {
            planned.finding_ids = Value::Unknown;
            planned.pending_finding_ids = Value::Value(BTreeSet::new());
            self.warn_if_disabled(diags, &planned).await;
        }
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
        let state = self.start(diags, planned).await?;
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
        let prior = self.in_region(diags, prior).await?;
        if prior.query() != planned.query() {
            let state = self.rescope(diags, &prior, planned).await?;
            return Some((state, Some(Private::default())));
        }
        let rewrite = planned.reason != prior.reason;
        let owned = ids_of(&prior.finding_ids);
        let state = self.converge(diags, planned, &owned, rewrite).await?;
        Some((state, Some(Private::default())))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<()> {
        if !private.unwrap_or_default().destroy_planned {
            // First half of a replacement: the new instance adopts these findings right after.
            return Some(());
        }
        let prior = self.in_region(diags, prior).await?;
        self.restore(diags, &prior).await.then_some(())
    }

    fn identity_schema(&self, _diags: &mut Diagnostics) -> Option<IdentitySchema> {
        Some(identity::suppression_schema())
    }

    fn identity(&self, diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
        identity::of_suppression_state(diags, state)
    }

    /// `import { identity = { ... } }`: the import ID the identity names, imported as that ID is.
    async fn import_by_identity<'a>(
        &self,
        diags: &mut Diagnostics,
        identity: RawValue,
    ) -> Option<(State, Option<Private>)> {
        let id = identity::suppression_import_id(diags, "inspector2fix_control_suppression", identity)?;
        <Self as Resource>::import(self, diags, id).await
    }

    async fn import<'a>(&self, diags: &mut Diagnostics, id: String) -> Option<(State, Option<Private>)> {
        let (scoped, region) = region::of_import(&self.shared, diags, &id).await?;
        match parse_id(scoped) {
            Ok((control, account)) => Some((
                State {
                    id: Value::Value(findings::scoped_id(&control, account.as_deref())),
                    control_id: Value::Value(control),
                    account_id: account.map(Value::Value).unwrap_or(Value::Null),
                    reason: Value::Null,
                    finding_ids: Value::Value(BTreeSet::new()),
                    pending_finding_ids: Value::Value(BTreeSet::new()),
                    region: Value::Value(region),
                },
                Some(Private::default()),
            )),
            Err(e) => {
                diag::error(
                    diags,
                    "Invalid import id",
                    format!(
                        "Import id {id:?}: {e}. Use CONTROL_ID or CONTROL_ID/ACCOUNT_ID, optionally followed by @REGION, e.g. {}",
                        ids::with_region(&format!("{DEFAULT_CONTROL}/123456789012"), "eu-west-1")
                    ),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;

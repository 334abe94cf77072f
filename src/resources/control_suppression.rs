//! Resource `inspector2fix_control_suppression`: the "owners declined" path. Suppresses the ACTIVE
//! findings of a Security Hub control (default Inspector.2) with a note giving the reason, keeps
//! new findings suppressed, and returns them to NEW on destroy.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::aws::{Finding, FindingQuery, FindingUpdate};
use crate::findings::{self, is_suppressed, DEFAULT_CONTROL, NOTE_AUTHOR};
use crate::schema::attribute;
use crate::shared::Shared;
use crate::{diag, validate};

type Ids = Value<BTreeSet<Value<String>>>;

/// Security Hub's limit on Note.Text.
const MAX_REASON: usize = 512;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SuppressionState {
    pub id: Value<String>,
    pub control_id: Value<String>,
    pub reason: Value<String>,
    pub account_id: Value<String>,
    pub finding_ids: Ids,
    pub pending_finding_ids: Ids,
}

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

fn id_for(control_id: &str, account_id: Option<&str>) -> String {
    match account_id {
        Some(a) => format!("{control_id}/{a}"),
        None => control_id.to_owned(),
    }
}

/// The id once control_id and account_id are known.
fn planned_id(state: &SuppressionState) -> Value<String> {
    match (&state.control_id, &state.account_id) {
        (Value::Value(c), Value::Value(a)) => Value::Value(id_for(c, Some(a))),
        (Value::Value(c), Value::Null) => Value::Value(id_for(c, None)),
        _ => Value::Unknown,
    }
}

/// `Inspector.2` or `Inspector.2/123456789012`.
pub fn parse_id(id: &str) -> Result<(String, Option<String>), String> {
    let (control, account) = match id.split_once('/') {
        Some((c, a)) => (c, Some(a)),
        None => (id, None),
    };
    findings::validate_control_id(control)?;
    if let Some(a) = account {
        validate::account_id(a)?;
    }
    Ok((control.to_owned(), account.map(str::to_owned)))
}

fn removal_note(reason: Option<&str>) -> String {
    match reason {
        Some(r) => format!("Suppression removed by {NOTE_AUTHOR} (the reason was: {r})"),
        None => format!("Suppression removed by {NOTE_AUTHOR}"),
    }
}

impl ControlSuppression {
    pub fn new(shared: Arc<Shared>) -> Self {
        ControlSuppression { shared }
    }

    pub fn schema_block() -> Block {
        let ids = |d: &str| attribute(T::Set(Box::new(T::String)), C::Computed, d);
        crate::schema::block(
            "Suppresses the ACTIVE findings of a Security Hub control (default Inspector.2) when its owners decline the fix, \
             with the reason as the findings' note, and keeps new findings of the control suppressed on every apply. \
             Destroying it returns the findings it suppressed to NEW.",
            [
                ("id", attribute(T::String, C::Computed, "`control_id`, or `control_id/account_id` when scoped to an account.")),
                ("control_id", attribute(T::String, C::OptionalComputed, "Security control id. Default `\"Inspector.2\"`. Changing it replaces the resource.")),
                (
                    "reason",
                    attribute(T::String, C::Required, "Why the control is suppressed: written as the findings' note (at most 512 characters)."),
                ),
                (
                    "account_id",
                    attribute(T::String, C::Optional, "Only suppress findings about this account (12 digits). Changing it replaces the resource."),
                ),
                ("finding_ids", ids("Findings this resource suppressed and that are still suppressed.")),
                (
                    "pending_finding_ids",
                    ids("ACTIVE findings of the control that are not suppressed (new, or reopened by someone): the next apply suppresses them. Empty after a successful apply."),
                ),
            ],
        )
    }

    async fn list(&self, diags: &mut Diagnostics, state: &SuppressionState) -> Option<Vec<Finding>> {
        let clients = self.shared.clients_or_error(diags).await?;
        let query = FindingQuery {
            control_id: state.control_id.as_ref_option().cloned().unwrap_or_else(|| DEFAULT_CONTROL.into()),
            account_id: state.account_id.as_ref_option().cloned(),
        };
        match findings::list(clients.securityhub.as_ref(), &self.shared.get_findings_rate, &query).await {
            Ok(all) => Some(all),
            Err(e) => {
                let (summary, detail) =
                    findings::explain(&e, self.shared.caller_account().await.ok().as_deref(), &clients.region);
                diag::error(diags, summary, detail);
                None
            }
        }
    }

    async fn apply_update(
        &self,
        targets: &[&Finding],
        update: &FindingUpdate,
    ) -> (Vec<String>, std::collections::BTreeMap<String, String>) {
        match self.shared.clients().await {
            Ok(clients) => {
                findings::update(clients.securityhub.as_ref(), &self.shared.update_findings_rate, targets, update).await
            }
            Err(e) => (vec![], targets.iter().map(|f| (f.id.clone(), e.clone())).collect()),
        }
    }

    /// Suppresses what is pending and, when `rewrite` is set, rewrites the note on owned findings.
    async fn converge(
        &self,
        diags: &mut Diagnostics,
        mut state: SuppressionState,
        owned_before: &BTreeSet<String>,
        rewrite: bool,
    ) -> Option<SuppressionState> {
        let all = self.list(diags, &state).await?;
        let reason = state.reason.as_ref_option().cloned().unwrap_or_default();
        let owned: Vec<&Finding> = all.iter().filter(|f| is_suppressed(f) && owned_before.contains(&f.id)).collect();
        let pending: Vec<&Finding> = all.iter().filter(|f| !is_suppressed(f)).collect();
        let mut problems = Vec::new();
        if rewrite && !owned.is_empty() {
            let (_, failed) =
                self.apply_update(&owned, &FindingUpdate { workflow_status: None, note: Some(reason.clone()) }).await;
            problems.extend(failed.into_iter().map(|(id, e)| format!("  {id}: note not rewritten: {e}")));
        }
        let (processed, failed) = self
            .apply_update(&pending, &FindingUpdate { workflow_status: Some("SUPPRESSED".into()), note: Some(reason) })
            .await;
        problems.extend(failed.iter().map(|(id, e)| format!("  {id}: {e}")));
        let mut finding_ids: BTreeSet<String> = owned.iter().map(|f| f.id.clone()).collect();
        finding_ids.extend(processed.iter().cloned());
        let still_pending: BTreeSet<String> =
            pending.iter().map(|f| f.id.clone()).filter(|id| !finding_ids.contains(id)).collect();
        state.finding_ids = ids_value(&finding_ids);
        state.pending_finding_ids = ids_value(&still_pending);
        if !problems.is_empty() {
            diag::error(
                diags,
                "inspector2fix_control_suppression: some findings were not updated",
                format!(
                    "Security Hub did not process {} finding(s):\n{}\nThe findings that were suppressed are saved in state; apply again to retry.",
                    failed.len().max(problems.len()),
                    problems.join("\n")
                ),
            );
        }
        Some(state)
    }
}

#[async_trait]
impl Resource for ControlSuppression {
    type State<'a> = SuppressionState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: SuppressionState) -> Option<()> {
        crate::data_sources::security_hub_control::check(diags, &config.control_id, &config.account_id);
        if let Value::Value(reason) = &config.reason {
            if reason.trim().is_empty() || reason.chars().count() > MAX_REASON {
                diag::attr_error(
                    diags,
                    AttributePath::new("reason"),
                    "Invalid reason",
                    format!("reason: must be 1 to {MAX_REASON} characters, not blank: it is the note written on the findings"),
                );
            }
        }
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        mut state: SuppressionState,
        private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(SuppressionState, ValueEmpty)> {
        let Some(all) = self.list(diags, &state).await else {
            return Some((state, private));
        };
        let mut owned_before = ids_of(&state.finding_ids);
        if state.reason.is_null() {
            // Just imported: adopt the findings this provider suppressed, and their reason.
            let ours: Vec<&Finding> =
                all.iter().filter(|f| is_suppressed(f) && f.note_updated_by.as_deref() == Some(NOTE_AUTHOR)).collect();
            owned_before = ours.iter().map(|f| f.id.clone()).collect();
            state.reason = match ours.first().and_then(|f| f.note_text.clone()) {
                Some(text) => Value::Value(text),
                None => Value::Null,
            };
        }
        let owned: BTreeSet<String> =
            all.iter().filter(|f| is_suppressed(f) && owned_before.contains(&f.id)).map(|f| f.id.clone()).collect();
        let pending: BTreeSet<String> = all.iter().filter(|f| !is_suppressed(f)).map(|f| f.id.clone()).collect();
        state.finding_ids = ids_value(&owned);
        state.pending_finding_ids = ids_value(&pending);
        if state.control_id.is_null() {
            state.control_id = Value::Value(DEFAULT_CONTROL.into());
        }
        Some((state, private))
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: SuppressionState,
        _config: SuppressionState,
        _meta: ValueEmpty,
    ) -> Option<(SuppressionState, ValueEmpty)> {
        let mut planned = proposed;
        if planned.control_id.is_null() {
            planned.control_id = Value::Value(DEFAULT_CONTROL.into());
        }
        planned.id = planned_id(&planned);
        planned.finding_ids = Value::Unknown;
        planned.pending_finding_ids = Value::Value(BTreeSet::new());
        Some((planned, ValueEmpty::Null))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: SuppressionState,
        proposed: SuppressionState,
        config: SuppressionState,
        _prior_private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(SuppressionState, ValueEmpty, Vec<AttributePath>)> {
        let mut planned = proposed;
        if config.control_id.is_null() {
            planned.control_id = Value::Value(DEFAULT_CONTROL.into());
        }
        let mut replace = Vec::new();
        if planned.control_id != prior.control_id {
            replace.push(AttributePath::new("control_id"));
        }
        if planned.account_id != prior.account_id {
            replace.push(AttributePath::new("account_id"));
        }
        planned.id = planned_id(&planned);
        let work =
            planned.reason != prior.reason || !ids_of(&prior.pending_finding_ids).is_empty() || !replace.is_empty();
        if work {
            planned.finding_ids = Value::Unknown;
            planned.pending_finding_ids = Value::Value(BTreeSet::new());
        }
        Some((planned, ValueEmpty::Null, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: SuppressionState,
        _prior_private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(ValueEmpty::Null)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: SuppressionState,
        _config: SuppressionState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(SuppressionState, ValueEmpty)> {
        let state = self.converge(diags, planned, &BTreeSet::new(), false).await?;
        Some((state, ValueEmpty::Null))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: SuppressionState,
        planned: SuppressionState,
        _config: SuppressionState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(SuppressionState, ValueEmpty)> {
        let rewrite = planned.reason != prior.reason;
        let owned = ids_of(&prior.finding_ids);
        let state = self.converge(diags, planned, &owned, rewrite).await?;
        Some((state, ValueEmpty::Null))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: SuppressionState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        let owned = ids_of(&prior.finding_ids);
        if owned.is_empty() {
            return Some(());
        }
        let all = self.list(diags, &prior).await?;
        let targets: Vec<&Finding> = all.iter().filter(|f| is_suppressed(f) && owned.contains(&f.id)).collect();
        let note = removal_note(prior.reason.as_ref_option().map(String::as_str));
        let (_, failed) =
            self.apply_update(&targets, &FindingUpdate { workflow_status: Some("NEW".into()), note: Some(note) }).await;
        if failed.is_empty() {
            Some(())
        } else {
            diag::error(
                diags,
                "inspector2fix_control_suppression: some findings stay suppressed",
                format!(
                    "Security Hub did not return {} finding(s) to NEW:\n{}",
                    failed.len(),
                    failed.iter().map(|(id, e)| format!("  {id}: {e}")).collect::<Vec<_>>().join("\n")
                ),
            );
            None
        }
    }

    async fn import<'a>(&self, diags: &mut Diagnostics, id: String) -> Option<(SuppressionState, ValueEmpty)> {
        match parse_id(&id) {
            Ok((control, account)) => Some((
                SuppressionState {
                    id: Value::Value(id_for(&control, account.as_deref())),
                    control_id: Value::Value(control),
                    account_id: account.map(Value::Value).unwrap_or(Value::Null),
                    reason: Value::Null,
                    finding_ids: Value::Value(BTreeSet::new()),
                    pending_finding_ids: Value::Value(BTreeSet::new()),
                },
                ValueEmpty::Null,
            )),
            Err(e) => {
                diag::error(
                    diags,
                    "Invalid import id",
                    format!(
                        "Import id {id:?}: {e}. Use CONTROL_ID or CONTROL_ID/ACCOUNT_ID, e.g. Inspector.2/123456789012"
                    ),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids() {
        assert_eq!(parse_id("Inspector.2").unwrap(), ("Inspector.2".into(), None));
        assert_eq!(parse_id("Inspector.2/123456789012").unwrap(), ("Inspector.2".into(), Some("123456789012".into())));
        assert!(parse_id("Inspector.2/12").is_err());
        assert!(parse_id("nonsense").is_err());
    }

    #[tokio::test]
    async fn blank_reason_is_rejected_naming_it() {
        let r = ControlSuppression::new(Arc::new(Shared::default()));
        for reason in ["", "   ", &"x".repeat(513)] {
            let mut diags = Diagnostics::default();
            r.validate(&mut diags, SuppressionState { reason: Value::Value(reason.to_string()), ..Default::default() })
                .await;
            assert_eq!(diags.errors.len(), 1);
            assert!(diags.errors[0].detail.starts_with("reason:"));
        }
    }
}

//! Resource `inspector2fix_ecr_scanning`: Amazon Inspector ECR scanning, on and kept on, for the
//! accounts it is given. Create/Update call Enable, Read calls BatchGetAccountStatus, Delete calls Disable,
//! always with resourceTypes = `["ECR"]` only.
//!
//! Shape (schema version 1, chosen by the figures of docs/benchmarks.md groups 6 and 7): the wanted
//! accounts are `accounts`, a map from account id to a label, or `account_ids`, a list kept exactly
//! as configured (Terraform compares a set of N members pairwise, and renders an unchanged list of
//! N with an N×N diff, so only maps stay fast at 10,000); `status` is a map from account to what
//! Inspector says, and a plan puts `ENABLED` for every wanted account, so drift shows as one map
//! line per account. `id` is short and never changes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use async_trait::async_trait;
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, IdentitySchema, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, MoveSource, RawValue, Resource};

use crate::domain::association::{self, AssociationReport};
use crate::domain::policy_cause;
use crate::domain::scanning::change::ChangeSet;
use crate::domain::scanning::{self, Report};
use crate::domain::status::{self, Direction};
use crate::terraform::identity;
use crate::terraform::schema::{attribute, region_attribute, RegionOf};
use crate::terraform::shared::Shared;
use crate::terraform::timeouts::{self, Operation};
use crate::terraform::values::{into_known_entries, string_set, StringSet};
use crate::{ids, terraform::diag, terraform::region, text};

mod adopt;
pub(crate) mod checks;
pub mod state;
#[cfg(test)]
mod tests;
/// State upgrades from older schema versions.
mod upgrade;

use adopt::*;
use checks::*;
use state::*;
pub use state::{State, SCHEMA_VERSION};

pub struct EcrScanning {
    shared: Arc<Shared>,
}

impl EcrScanning {
    pub fn new(shared: Arc<Shared>) -> Self {
        EcrScanning { shared }
    }

    pub fn schema_block() -> Block {
        let mut b = crate::terraform::schema::block(
            "Turns Amazon Inspector ECR scanning on, and keeps it on, for one account or, as the delegated \
             Inspector administrator, for member accounts. Fixes Security Hub control Inspector.2. Only ECR \
             scanning is touched: EC2, Lambda and code repository scanning stay exactly as they are.",
            [
                (
                    "id",
                    attribute(
                        T::String,
                        C::Computed,
                        "The smallest account id in `account_ids` when the resource was created or imported. It stays the \
                         same when accounts are added or removed later.",
                    ),
                ),
                (
                    "account_ids",
                    attribute(
                        T::List(Box::new(T::String)),
                        C::OptionalComputed,
                        "Accounts whose ECR scanning this resource owns, each exactly 12 digits, in any order, each once \
                         (a list or a set, up to Inspector's 10,000 members). Kept as configured. Default: the caller's own \
                         account. Accounts other than the caller's need the delegated Inspector administrator's credentials.",
                    ),
                ),
                (
                    "accounts",
                    attribute(
                        T::Map(Box::new(T::String)),
                        C::Optional,
                        "The accounts as a map from account id (12 digits) to a label of your choice, for example the \
                         account's name. The form for large organizations: Terraform plans a map of 10,000 accounts \
                         in about a second, where an unchanged list of 10,000 costs it over 10 s and a gigabyte of \
                         memory in every plan that shows the resource. Set either `accounts` or `account_ids`, not both; the labels are not sent to AWS.",
                    ),
                ),
                (
                    "disable_on_destroy",
                    attribute(
                        T::Bool,
                        C::OptionalComputed,
                        "Whether destroying the resource, or removing an account from `account_ids`, turns ECR scanning off \
                         for those accounts. Default `true`. If ECR was the last scan type on in an account, Inspector then \
                         turns itself off there, which deletes that account's findings.",
                    ),
                ),
                (
                    "status",
                    attribute(
                        T::Map(Box::new(T::String)),
                        C::Computed,
                        "ECR scan status per account as Inspector reports it: `ENABLED`, `ENABLING` while in progress, or \
                         `DISABLED` (or another Inspector status) for an account whose scanning was turned off outside \
                         Terraform, which the next plan shows as a change to `ENABLED`. `DISABLING` marks an account \
                         removed from `account_ids` whose scanning is still being turned off. An account Inspector did not \
                         report on the last read keeps its last known status (with a warning naming it); one never known \
                         is absent, and the next plan shows it as to be enabled.",
                    ),
                ),
                ("region", region_attribute(RegionOf::Resource)),
            ],
        );
        b.attributes.insert(
            "associate_members".into(),
            attribute(
                T::Bool,
                C::OptionalComputed,
                "Whether accounts in `account_ids` that are not associated Inspector members are associated first \
                 (AssociateMember, as the delegated administrator), waiting within the `timeouts` until their \
                 relationship is `ENABLED`. Default `false`. Nothing ever disassociates an account: not destroy, not \
                 removal from `account_ids`. Accounts that cannot be associated are reported and left out of `status`.",
            ),
        );
        b.blocks.insert("timeouts".into(), timeouts::schema());
        b
    }
}

fn report_problems(diags: &mut Diagnostics, action: &str, reports: &[&Report]) {
    let text: Vec<String> = reports.iter().filter(|r| !r.is_complete()).map(|r| r.problems()).collect();
    if !text.is_empty() {
        diag::error(diags, format!("inspector2fix_ecr_scanning: {action} incomplete"), text.join("\n"));
    }
}

/// The warning naming accounts a Disable released because an Inspector policy keeps them on.
fn warn_kept_by_policy(diags: &mut Diagnostics, report: &Report, region: Option<&str>) {
    if let Some(text) = report.kept_by_policy_warning(region.unwrap_or("the provider's Region")) {
        diag::warning(diags, "ECR scanning stays on under an AWS Organizations Inspector policy", text);
    }
}

fn report_association(diags: &mut Diagnostics, report: &AssociationReport) {
    if !report.is_complete() {
        diag::error(diags, "inspector2fix_ecr_scanning: associating members incomplete", report.problems());
    }
}

/// One warning for every account whose status Inspector did not report, listing the first few.
fn warn_unreadable(diags: &mut Diagnostics, unreadable: &BTreeMap<String, scanning::Failure>) {
    if unreadable.is_empty() {
        return;
    }
    let lines = text::item_lines(unreadable.iter().map(|(account, f)| (account, format!("{}: {}", f.code, f.message))));
    diag::warning(
        diags,
        "Inspector did not report an account's status",
        format!("{} account(s) are kept in state as last known:\n{lines}", unreadable.len()),
    );
}

impl EcrScanning {
    /// account_ids as planned: the configured set, or the caller's account when none is set.
    /// A set with unknown members is planned exactly as configured, as Terraform requires.
    async fn planned_accounts(&self, diags: &mut Diagnostics, config: &State) -> Option<StringSet> {
        if !config.accounts.is_null() {
            // The map names the accounts; a 10,000-member list beside it would cost Terraform dearly.
            return Some(Value::Null);
        }
        match &config.account_ids {
            // Who the caller is will be known at apply: asking now would use the base credentials.
            Value::Null if self.shared.config_unknown() => Some(Value::Unknown),
            Value::Null => match self.shared.caller_account().await {
                Ok(account) => Some(string_set([&account])),
                Err(e) => {
                    diag::attr_error(
                        diags,
                        AttributePath::new("account_ids"),
                        "Cannot find the caller's account",
                        format!("account_ids is not set, so it defaults to the caller's account, but STS GetCallerIdentity failed: {e}"),
                    );
                    None
                }
            },
            // A configured list is planned exactly as written: order, unknown members and all.
            v => Some(v.clone()),
        }
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        proposed: State,
        mut config: State,
        prior: Option<&State>,
    ) -> Option<State> {
        // Members unknown at validate are known now, or at the final plan of the apply.
        check_account_ids(diags, &config.account_ids);
        check_accounts_map(diags, &config);
        if !diags.errors.is_empty() {
            return None;
        }
        let mut planned = proposed;
        planned.region = region::planned(&self.shared, diags, &config.region).await?;
        planned.account_ids = self.planned_accounts(diags, &config).await?;
        planned.disable_on_destroy = match config.disable_on_destroy {
            Value::Null => Value::Value(true),
            v => v,
        };
        planned.associate_members = match config.associate_members {
            Value::Null => Value::Value(false),
            v => v,
        };
        // Moved, not cloned, and the config and the proposed status (replaced below) freed: at
        // 10,000 accounts each map is a megabyte.
        planned.accounts = std::mem::take(&mut config.accounts);
        drop(config);
        planned.status = Value::Null;
        let accounts = wanted(&planned);
        // The id never changes once given; a new resource takes its smallest account.
        planned.id = match prior.map(|p| &p.id) {
            Some(Value::Value(id)) => Value::Value(id.clone()),
            _ => new_id(accounts.as_ref()),
        };
        planned.timeouts = timeouts::normalized(&planned.timeouts);
        planned.status = planned_status(prior, accounts.as_ref(), self.shared.config_unknown());
        Some(planned)
    }

    /// Moves `accounts` in `direction` in `region` (None: the provider's) and waits.
    async fn converge(
        &self,
        diags: &mut Diagnostics,
        direction: Direction,
        accounts: &BTreeSet<String>,
        timeout: std::time::Duration,
        region: Option<&str>,
    ) -> Option<Report> {
        let mut limit = self.shared.limit(timeout);
        let clients = self.shared.clients_in_or_error(diags, region).await?;
        // Used for hints ("only the delegated administrator can ..."), and counted against the
        // deadline. A final error (no credentials, a role that cannot be assumed) ends it here,
        // with its first, most telling message; anything else is no reason not to try.
        let caller = match limit.run(self.shared.caller_account()).await {
            Ok(Ok(account)) => Some(account),
            Ok(Err(e)) if e.is_final() => return Some(Report::refused(direction, accounts, &e, &limit)),
            _ => None,
        };
        Some(scanning::converge(clients.inspector.as_ref(), direction, accounts, limit, caller.as_deref()).await)
    }

    /// Enables `accounts`; with `associate_members`, those that are not ENABLED members are
    /// associated first, and accounts that cannot be are reported in an error and left out.
    async fn enable(
        &self,
        diags: &mut Diagnostics,
        planned: &State,
        accounts: &BTreeSet<String>,
        timeout: std::time::Duration,
        region: Option<&str>,
    ) -> Option<Report> {
        let associate = planned.associate_members == Value::Value(true) && !accounts.is_empty();
        // Without the caller, the plain converge reports why it cannot be found.
        let caller = if associate { self.shared.caller_account().await.ok() } else { None };
        let mut report = match caller {
            None => self.converge(diags, Direction::Enable, accounts, timeout, region).await?,
            Some(caller) => {
                let clients = self.shared.clients_in_or_error(diags, region).await?;
                let stop = || self.shared.stop_future();
                let limit = self.shared.limit(timeout);
                // Hints say "remove it from <the attribute the user wrote>".
                let named_in = if planned.accounts.is_null() { "account_ids" } else { "accounts" };
                let (association, report) = association::associate_and_enable(
                    clients.inspector.as_ref(),
                    accounts,
                    &caller,
                    named_in,
                    limit,
                    &stop,
                )
                .await;
                report_association(diags, &association);
                report
            }
        };
        // Name the Inspector policy behind each BLOCKED_BY_ORGANIZATION_POLICY, where Organizations can be read.
        // Bounded, and ended by Terraform's stop: cut off, the failures keep their hint, unnamed.
        let clients = self.shared.clients_in_or_error(diags, region).await?;
        let mut limit = self.shared.limit(policy_cause::LOOKUP_TIMEOUT);
        let explained = policy_cause::explain_blocked(clients.organizations.as_ref(), &clients.region, &mut report);
        let _ = limit.run(explained).await;
        Some(report)
    }
}

#[async_trait]
impl Resource for EcrScanning {
    type State<'a> = State;
    type PrivateState<'a> = Option<Private>;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: SCHEMA_VERSION, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: State) -> Option<()> {
        check_account_ids(diags, &config.account_ids);
        check_accounts_map(diags, &config);
        timeouts::validate(diags, &config.timeouts);
        region::check(diags, &config.region);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        if wanted(&state).is_none() || self.shared.config_unknown() {
            // Accounts, or the role to read with, are known only at apply; the plan shows status as unknown.
            return Some((state, private));
        }
        let accounts = owned(&state);
        if accounts.is_empty() {
            return None;
        }
        // A state written before `region` existed is in the provider's Region.
        let Some(region) = region::of_state(&self.shared, diags, &state.region).await else {
            return Some((state, private));
        };
        let Some(clients) = self.shared.clients_in_or_error(diags, Some(&region)).await else {
            return Some((state, private));
        };
        let reading = match scanning::read(clients.inspector.as_ref(), &accounts).await {
            Ok(r) => r,
            Err(e) => {
                diag::error(diags, "Cannot read Inspector ECR scanning status", e.to_string());
                return Some((state, private));
            }
        };
        warn_unreadable(diags, &reading.unreadable);
        if reading.unreadable.is_empty() && !reading.ecr.values().any(status::is_on) {
            // Scanning is off everywhere: the resource is gone, and plan proposes to create it.
            return None;
        }
        let kept = read_status(&state, accounts, &reading);
        let mut state = with_status(state, kept);
        if state.id.is_null() {
            state.id = new_id(wanted(&state).as_ref());
        }
        state.region = Value::Value(region);
        if state.disable_on_destroy.is_null() {
            state.disable_on_destroy = Value::Value(true);
        }
        if state.associate_members.is_null() {
            state.associate_members = Value::Value(false);
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
        let planned = self.plan(diags, proposed, config, None).await?;
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
        let planned = self.plan(diags, proposed, config, Some(&prior)).await?;
        // Another Region is another resource; the destroy half of the replacement leaves the old
        // Region's scanning as it is (see `destroy`).
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
        config: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        drop(config); // the planned state holds all the apply reads; free its maps now
        let accounts = accounts_at_apply(diags, &planned)?;
        let timeout = timeouts::get(&planned.timeouts, Operation::Create);
        let in_region = region::at_apply(&planned.region);
        let report = self.enable(diags, &planned, &accounts, timeout, in_region).await?;
        report_problems(diags, "enabling ECR scanning", &[&report]);
        let on: BTreeMap<String, String> = report.on().map(|(a, s)| (a.clone(), s.to_string())).collect();
        if on.is_empty() {
            // Nothing was turned on: nothing to keep in state.
            return None;
        }
        Some((with_status(planned, on), Some(Private::default())))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        mut prior: State,
        mut planned: State,
        config: State,
        _private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<(State, Option<Private>)> {
        // At 10,000 accounts each map is a megabyte: free what the apply never reads (the config,
        // the planned status it replaces) and move the prior status instead of copying it.
        drop(config);
        planned.status = Value::Null;
        let wanted = accounts_at_apply(diags, &planned)?;
        let prior_status = typed_status(into_known_entries(std::mem::take(&mut prior.status)));
        let mut had = wanted_known(&prior);
        drop(prior);
        had.extend(prior_status.keys().cloned());
        let disable = planned.disable_on_destroy.as_ref_option().copied().unwrap_or(true);
        let change = ChangeSet::plan(&wanted, &had, prior_status, disable);
        if change.is_empty() {
            return Some((with_status(planned, status_strings(change.keep)), Some(Private::default())));
        }
        let timeout = timeouts::get(&planned.timeouts, Operation::Update);
        let in_region = region::at_apply(&planned.region);
        let mut enable_diags = Diagnostics::default();
        let mut disable_diags = Diagnostics::default();
        let (enabled, disabled) = tokio::join!(
            self.enable(&mut enable_diags, &planned, &change.enable, timeout, in_region),
            self.converge(&mut disable_diags, Direction::Disable, &change.disable, timeout, in_region),
        );
        diags.add_diagnostics(enable_diags);
        diags.add_diagnostics(disable_diags);
        let (enabled, disabled) = (enabled?, disabled?);
        report_problems(diags, "updating ECR scanning", &[&enabled, &disabled]);
        // Accounts an Inspector policy keeps on are released (`merge` leaves them out), with a warning.
        warn_kept_by_policy(diags, &disabled, in_region);
        let status = status_strings(change.merge(&enabled, &disabled));
        Some((with_status(planned, status), Some(Private::default())))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: State,
        private: Option<Private>,
        _meta: ValueEmpty,
    ) -> Option<()> {
        if !private.unwrap_or_default().destroy_planned {
            // First half of a replacement: the new instance enables the same accounts right after.
            return Some(());
        }
        if prior.disable_on_destroy == Value::Value(false) {
            return Some(());
        }
        // Only what the resource turned on, or what last read as on, is turned off: an account
        // never known to be on (one that could not be associated, say) or known to be off is
        // released without a call, so a Disable it would be refused cannot keep it in state.
        let accounts = may_be_on(&prior);
        if accounts.is_empty() {
            return Some(());
        }
        let timeout = timeouts::get(&prior.timeouts, Operation::Delete);
        let in_region = region::at_apply(&prior.region);
        let report = self.converge(diags, Direction::Disable, &accounts, timeout, in_region).await?;
        // Accounts an Inspector policy keeps on leave state with the resource, with a warning.
        warn_kept_by_policy(diags, &report, in_region);
        if report.is_complete() {
            Some(())
        } else {
            report_problems(diags, "disabling ECR scanning", &[&report]);
            None
        }
    }

    async fn upgrade<'a>(&self, diags: &mut Diagnostics, version: i64, prior_state: RawValue) -> Option<State> {
        upgrade::upgrade(diags, version, prior_state)
    }

    async fn move_state<'a>(&self, diags: &mut Diagnostics, source: MoveSource) -> Option<(State, Option<Private>)> {
        Some((moved_state(diags, &source)?, Some(Private::default())))
    }

    fn identity_schema(&self, _diags: &mut Diagnostics) -> Option<IdentitySchema> {
        Some(identity::accounts_schema())
    }

    fn identity(&self, diags: &mut Diagnostics, state: &RawValue) -> Option<RawValue> {
        identity::of_accounts_state(diags, state)
    }

    /// `import { identity = { ... } }`: the import ID the identity names, imported as that ID is.
    async fn import_by_identity<'a>(
        &self,
        diags: &mut Diagnostics,
        identity: RawValue,
    ) -> Option<(State, Option<Private>)> {
        let id = identity::accounts_import_id(diags, "inspector2fix_ecr_scanning", identity)?;
        <Self as Resource>::import(self, diags, id).await
    }

    fn generates_config(&self) -> bool {
        true
    }

    /// `terraform query -generate-config-out`: the accounts (as `account_ids`) and the Region when
    /// it is not the provider's; everything else is left to its default.
    async fn generate_config<'a>(&self, _diags: &mut Diagnostics, state: State) -> Option<State> {
        let accounts = state::wanted(&state).map(|accounts| string_set(&accounts)).unwrap_or(state.account_ids);
        let provider_region = self.shared.provider_region().await.ok();
        let region = match state.region {
            Value::Value(region) if Some(&region) != provider_region.as_ref() => Value::Value(region),
            _ => Value::Null,
        };
        Some(State { account_ids: accounts, region, ..State::default() })
    }

    async fn import<'a>(&self, diags: &mut Diagnostics, id: String) -> Option<(State, Option<Private>)> {
        // The AWS provider's enabler id (accounts joined by `:`, `-`, scan types) is accepted too,
        // so its id works unchanged on Terraform older than 1.8. Either may end in `@REGION`.
        let (accounts_id, region) = region::of_import(&self.shared, diags, &id).await?;
        let parsed = if accounts_id.contains('-') || accounts_id.contains(':') {
            ids::parse_enabler_id(accounts_id).map(|(accounts, _)| accounts)
        } else {
            ids::parse_accounts(accounts_id)
        };
        match parsed {
            Ok(accounts) => Some((
                State {
                    id: new_id(Some(&accounts)),
                    account_ids: string_set(&accounts),
                    accounts: Value::Null,
                    disable_on_destroy: Value::Value(true),
                    status: Value::Value(BTreeMap::new()),
                    timeouts: Value::Value(vec![]),
                    associate_members: Value::Value(false),
                    region: Value::Value(region),
                },
                Some(Private::default()),
            )),
            Err(e) => {
                let accepted = "Use one account id, several joined with commas (111111111111,222222222222), \
                                or an aws_inspector2_enabler id (111111111111:222222222222-EC2:ECR), each \
                                optionally followed by @REGION (111111111111@eu-west-1)";
                diag::invalid_import(diags, &id, &e, accepted);
                None
            }
        }
    }
}

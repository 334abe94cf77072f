//! Action `inspector2fix_enable_ecr_scanning`: turns ECR scanning on in the given accounts with
//! the converge of `inspector2fix_ecr_scanning` (chunks of 100, the wait, the per-account report),
//! for an account vending pipeline (`action_trigger { events = [after_create] }` on the resource
//! that creates an account) or a one-off (`terraform apply -invoke=...`). It changes no state:
//! nothing is ever turned off by it, and no resource records what it did.
//!
//! Progress: one message at the start, then the counts every [`PROGRESS_EVERY`] while it waits,
//! and the final counts. Ctrl-C (StopProvider) ends the wait like every other wait, and from then
//! on only the Completed event is sent: Terraform 1.15.5 stops reading an invocation's events at
//! an interrupt and crashes ("range function continued iteration") on any event after that one.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint as C, AttributeType as T, Block, Schema};
use tf_provider::value::Value;
use tf_provider::{Action, ActionProgress, AttributePath, Diagnostics};

use crate::domain::association;
use crate::domain::scanning::{self, Counts, Report};
use crate::domain::status::Direction;
use crate::terraform::resources::ecr_scanning::checks::check_account_ids;
use crate::terraform::schema::attribute;
use crate::terraform::shared::Shared;
use crate::terraform::values::{known_set, StringSet};
use crate::terraform::{diag, region, timeouts};
use crate::validate;

const NAME: &str = "inspector2fix_enable_ecr_scanning";

/// How often the counts are reported while the action waits (Terraform prints each)
pub const PROGRESS_EVERY: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub account_ids: StringSet,
    pub region: Value<String>,
    pub associate_members: Value<bool>,
    pub timeout: Value<String>,
}

pub struct EnableEcrScanning {
    shared: Arc<Shared>,
}

impl EnableEcrScanning {
    pub fn new(shared: Arc<Shared>) -> Self {
        EnableEcrScanning { shared }
    }

    pub fn schema_block() -> Block {
        crate::terraform::schema::block(
            "Turns Amazon Inspector ECR scanning on in the given accounts and waits until each scans, as \
             `inspector2fix_ecr_scanning` does, without recording anything in state: for account vending \
             (`action_trigger` after the account is created) or a one-off `terraform apply -invoke`. Never \
             turns anything off.",
            [
                (
                    "account_ids",
                    attribute(
                        T::List(Box::new(T::String)),
                        C::Required,
                        "The accounts (12 digits each) to turn ECR scanning on in; members need the delegated \
                         administrator's credentials.",
                    ),
                ),
                ("region", attribute(T::String, C::Optional, "The Region. Default: the provider's Region.")),
                (
                    "associate_members",
                    attribute(
                        T::Bool,
                        C::Optional,
                        "Whether to associate accounts that are not yet associated members first (AssociateMember, \
                         as the delegated administrator). Default `false`.",
                    ),
                ),
                (
                    "timeout",
                    attribute(
                        T::String,
                        C::Optional,
                        "How long to wait for Inspector, e.g. `\"45m\"`. Default `\"30m\"`.",
                    ),
                ),
            ],
        )
    }
}

fn check(diags: &mut Diagnostics, config: &Config) {
    if config.account_ids.is_null() {
        diag::attr_error(
            diags,
            AttributePath::new("account_ids"),
            "Missing account_ids",
            "account_ids: name at least one account.",
        );
    }
    check_account_ids(diags, &config.account_ids);
    region::check(diags, &config.region);
    if let Value::Value(timeout) = &config.timeout {
        diag::invalid_attr(diags, AttributePath::new("timeout"), "timeout", validate::duration(timeout));
    }
}

/// The timeout the config sets, or the default
fn timeout_of(config: &Config) -> Duration {
    match &config.timeout {
        Value::Value(text) => validate::duration(text).unwrap_or(timeouts::DEFAULT),
        _ => timeouts::DEFAULT,
    }
}

impl EnableEcrScanning {
    /// The converge, with its counts sent as progress every [`PROGRESS_EVERY`] until it ends
    async fn converge_reporting(
        &self,
        diags: &mut Diagnostics,
        accounts: &BTreeSet<String>,
        region: &str,
        timeout: Duration,
        progress: &mut ActionProgress,
    ) -> Option<Report> {
        let clients = self.shared.clients_in_or_error(diags, Some(region)).await?;
        let mut limit = self.shared.limit(timeout);
        let caller = match limit.run(self.shared.caller_account()).await {
            Ok(Ok(account)) => Some(account),
            Ok(Err(e)) if e.is_final() => return Some(Report::refused(Direction::Enable, accounts, &e, &limit)),
            _ => None,
        };
        let (tx, rx) = tokio::sync::watch::channel(Counts::start(Direction::Enable, accounts.len()));
        let api = clients.inspector.as_ref();
        let converge = scanning::converge_watched(api, Direction::Enable, accounts, limit, caller.as_deref(), tx);
        let report = report_while(converge, progress, || rx.borrow().line(), || self.shared.stopped()).await;
        if !self.shared.stopped() {
            let last = rx.borrow().line();
            progress.send(last).await;
        }
        Some(report)
    }

    /// Associating first: the association's own converges, reported by elapsed time
    async fn associate_and_enable(
        &self,
        diags: &mut Diagnostics,
        accounts: &BTreeSet<String>,
        region: &str,
        timeout: Duration,
        progress: &mut ActionProgress,
    ) -> Option<Report> {
        let caller = match self.shared.caller_account().await {
            Ok(caller) => caller,
            Err(e) => {
                diag::error(diags, format!("{NAME}: cannot tell the provider's account"), e.to_string());
                return None;
            }
        };
        let clients = self.shared.clients_in_or_error(diags, Some(region)).await?;
        let stop = || self.shared.stop_future();
        let limit = self.shared.limit(timeout);
        let started = tokio::time::Instant::now();
        let total = accounts.len();
        let work = association::associate_and_enable(
            clients.inspector.as_ref(),
            accounts,
            &caller,
            "account_ids",
            limit,
            &stop,
        );
        let line = || format!("Associating and enabling {total} accounts, {} s", started.elapsed().as_secs());
        let (association, report) = report_while(work, progress, line, || self.shared.stopped()).await;
        if !association.is_complete() {
            diag::error(diags, format!("{NAME}: associating members incomplete"), association.problems());
        }
        Some(report)
    }
}

/// Where progress lines go: Terraform's action progress, or a test's list
#[async_trait]
trait Progress: Send {
    async fn line(&mut self, line: String);
}

#[async_trait]
impl Progress for ActionProgress {
    async fn line(&mut self, line: String) {
        // Terraform gone: the server drops this invocation where it waits next.
        let _ = self.send(line).await;
    }
}

/// Runs `work`, sending `line()` as progress every [`PROGRESS_EVERY`] until it is done, and
/// nothing once `stopped()`
async fn report_while<T>(
    work: impl std::future::Future<Output = T>,
    progress: &mut dyn Progress,
    line: impl Fn() -> String,
    stopped: impl Fn() -> bool,
) -> T {
    tokio::pin!(work);
    let mut ticks = tokio::time::interval(PROGRESS_EVERY);
    ticks.tick().await; // the first tick is immediate
    loop {
        tokio::select! {
            done = &mut work => return done,
            _ = ticks.tick() => {
                if !stopped() {
                    progress.line(line()).await;
                }
            }
        }
    }
}

#[async_trait]
impl Action for EnableEcrScanning {
    type Config<'a> = Config;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Schema { version: 0, block: Self::schema_block() })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Config) -> Option<()> {
        check(diags, &config);
        Some(())
    }

    async fn plan<'a>(&self, diags: &mut Diagnostics, config: Config) -> Option<()> {
        check(diags, &config);
        Some(())
    }

    async fn invoke<'a>(&self, diags: &mut Diagnostics, config: Config, progress: &mut ActionProgress) -> Option<()> {
        check(diags, &config);
        if !diags.errors.is_empty() {
            return None;
        }
        let Some(accounts) = known_set(&config.account_ids) else {
            diag::attr_error(
                diags,
                AttributePath::new("account_ids"),
                "Unknown account_ids",
                "account_ids: not known when the action runs.",
            );
            return None;
        };
        let region = region::to_read(&self.shared, diags, &config.region).await?;
        let timeout = timeout_of(&config);
        progress.send(format!("Enabling ECR scanning in {} accounts in {region}", accounts.len())).await;
        let report = if config.associate_members == Value::Value(true) {
            self.associate_and_enable(diags, &accounts, &region, timeout, progress).await?
        } else {
            self.converge_reporting(diags, &accounts, &region, timeout, progress).await?
        };
        // Per account: Inspector's code and message, and a next step where one is known.
        if !report.is_complete() {
            diag::error(diags, format!("{NAME}: enabling incomplete"), report.problems());
        }
        Some(())
    }
}

#[cfg(test)]
mod tests;

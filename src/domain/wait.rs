//! Polling cadence for waits on Inspector's asynchronous Enable and Disable.
//!
//! The first look comes after 250 ms (the AWS provider sleeps 10 s first), the interval grows by
//! half each time and is capped at 1 s for the first minute, so an apply returns within about a
//! second of the service finishing; after that the cap rises to 5 s to spare the API during the
//! long organization-wide enables that take many minutes.

use std::future::Future;
use std::time::Duration;

use futures::future::{BoxFuture, Fuse, FutureExt};
use tokio::time::Instant;

pub struct Backoff {
    started: Instant,
    next: Duration,
}

const FIRST: Duration = Duration::from_millis(250);
const EARLY_CAP: Duration = Duration::from_secs(1);
const LATE_CAP: Duration = Duration::from_secs(5);
const EARLY_PHASE: Duration = Duration::from_secs(60);

impl Backoff {
    pub fn new() -> Self {
        Backoff { started: Instant::now(), next: FIRST }
    }

    /// The delay before the next look.
    pub fn next_delay(&mut self) -> Duration {
        let cap = if self.started.elapsed() < EARLY_PHASE { EARLY_CAP } else { LATE_CAP };
        let delay = self.next.min(cap);
        self.next = (self.next * 3 / 2).min(LATE_CAP);
        delay
    }

    /// Sleeps for the next delay, but never past `deadline`.
    pub async fn sleep_until_next(&mut self, deadline: Instant) {
        let wake = later(Instant::now(), self.next_delay()).min(deadline);
        tokio::time::sleep_until(wake).await;
    }
}

/// `at + by`, or the latest instant that can be represented: a huge timeout means "no limit",
/// never a panic.
pub fn later(at: Instant, by: Duration) -> Instant {
    const FALLBACKS: [Duration; 3] =
        [Duration::from_secs(100 * 365 * 86_400), Duration::from_secs(365 * 86_400), Duration::from_secs(86_400)];
    at.checked_add(by).or_else(|| FALLBACKS.iter().find_map(|d| at.checked_add(*d))).unwrap_or(at)
}

/// Why a wait ended before its work did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The `timeouts` deadline passed.
    Deadline,
    /// Terraform asked the provider to stop (one Ctrl-C).
    Stopped,
}

/// A future that completes when the wait must stop; never completing means "never told to".
pub type StopFuture = BoxFuture<'static, ()>;

/// The bounds of one wait: a deadline and a stop signal, whichever comes first. Every AWS call
/// and every sleep of the wait runs under it, so in-flight calls and their SDK retries are cut
/// off at the deadline too.
pub struct Limit {
    timeout: Duration,
    deadline: Instant,
    stop: Fuse<StopFuture>,
    stopped: bool,
}

impl Limit {
    pub fn new(timeout: Duration, stop: StopFuture) -> Self {
        Limit { timeout, deadline: later(Instant::now(), timeout), stop: stop.fuse(), stopped: false }
    }

    /// A limit nobody can stop.
    pub fn deadline_only(timeout: Duration) -> Self {
        Self::new(timeout, futures::future::pending().boxed())
    }

    /// A limit with the same timeout and deadline and its own stop signal, for work that runs
    /// beside this limit's (the waits of one operation share one deadline).
    pub fn sibling(&self, stop: StopFuture) -> Limit {
        Limit { timeout: self.timeout, deadline: self.deadline, stop: stop.fuse(), stopped: false }
    }

    /// The `timeouts` value the deadline was set from, for messages.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the wait is over, by deadline or stop, without waiting.
    pub fn ended(&mut self) -> Option<Ended> {
        if !self.stopped && (&mut self.stop).now_or_never().is_some() {
            self.stopped = true;
        }
        if self.stopped {
            Some(Ended::Stopped)
        } else if Instant::now() >= self.deadline {
            Some(Ended::Deadline)
        } else {
            None
        }
    }

    /// Runs `work` until it finishes, the deadline passes or a stop comes; a stop wins a tie.
    pub async fn run<F: Future>(&mut self, work: F) -> Result<F::Output, Ended> {
        if let Some(ended) = self.ended() {
            return Err(ended);
        }
        tokio::select! {
            biased;
            _ = &mut self.stop => {
                self.stopped = true;
                Err(Ended::Stopped)
            }
            _ = tokio::time::sleep_until(self.deadline) => Err(Ended::Deadline),
            out = work => Ok(out),
        }
    }

    /// Sleeps for the backoff's next delay, ending early at the deadline or a stop.
    pub async fn sleep(&mut self, backoff: &mut Backoff) -> Result<(), Ended> {
        let deadline = self.deadline;
        self.run(backoff.sleep_until_next(deadline)).await
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;

//! Polling cadence for waits on Inspector's asynchronous Enable and Disable.
//!
//! The first look comes after 250 ms (the AWS provider sleeps 10 s first), the interval grows by
//! half each time and is capped at 1 s for the first minute, so an apply returns within about a
//! second of the service finishing; after that the cap rises to 5 s to spare the API during the
//! long organization-wide enables that take many minutes.

use std::time::Duration;
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
        let wake = (Instant::now() + self.next_delay()).min(deadline);
        tokio::time::sleep_until(wake).await;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn prompt_first_look_then_capped() {
        let mut b = Backoff::new();
        let delays: Vec<_> = (0..8).map(|_| b.next_delay()).collect();
        assert_eq!(delays[0], Duration::from_millis(250));
        assert_eq!(delays[1], Duration::from_millis(375));
        assert!(delays.iter().all(|d| *d <= EARLY_CAP));
        assert!(delays.windows(2).all(|w| w[0] <= w[1]));
        tokio::time::advance(Duration::from_secs(61)).await;
        let late: Vec<_> = (0..8).map(|_| b.next_delay()).collect();
        assert_eq!(*late.last().unwrap(), LATE_CAP);
    }

    #[tokio::test(start_paused = true)]
    async fn never_sleeps_past_the_deadline() {
        let mut b = Backoff::new();
        for _ in 0..10 {
            b.next_delay();
        }
        let start = Instant::now();
        let deadline = start + Duration::from_millis(100);
        b.sleep_until_next(deadline).await;
        assert_eq!(Instant::now(), deadline);
    }
}

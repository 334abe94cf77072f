//! A token bucket: calls wait for a token rather than being throttled by AWS.
//! Security Hub documents GetFindings at 3 requests/s with a burst of 6, and BatchUpdateFindings
//! at 10/s; the provider keeps to those itself.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    state: Mutex<(f64, Instant)>,
}

impl RateLimiter {
    pub fn new(per_second: f64, burst: u32) -> Self {
        RateLimiter { per_second, burst: burst as f64, state: Mutex::new((burst as f64, Instant::now())) }
    }

    /// Waits until a call is allowed, then takes its token.
    pub async fn acquire(&self) {
        let mut state = self.state.lock().await;
        let (tokens, last) = &mut *state;
        let now = Instant::now();
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.per_second).min(self.burst);
        *last = now;
        if *tokens < 1.0 {
            let wait = Duration::from_secs_f64((1.0 - *tokens) / self.per_second);
            // Holding the lock while sleeping keeps callers in order.
            tokio::time::sleep(wait).await;
            *tokens = 1.0;
            *last = Instant::now();
        }
        *tokens -= 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn burst_then_steady_rate() {
        let limiter = RateLimiter::new(3.0, 6);
        let start = Instant::now();
        let mut at = Vec::new();
        for _ in 0..12 {
            limiter.acquire().await;
            at.push(Instant::now() - start);
        }
        assert!(at[..6].iter().all(|d| d.is_zero()), "the burst of 6 goes at once: {at:?}");
        // The remaining 6 are spaced a third of a second apart: 12 calls take 2 s.
        assert!((at[11].as_secs_f64() - 2.0).abs() < 0.01, "{at:?}");
        for w in at[6..].windows(2) {
            assert!(((w[1] - w[0]).as_secs_f64() - 1.0 / 3.0).abs() < 0.01, "{at:?}");
        }
    }
}

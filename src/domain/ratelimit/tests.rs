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

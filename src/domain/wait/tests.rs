use super::*;

#[tokio::test(start_paused = true)]
async fn a_huge_timeout_is_no_panic() {
    let now = Instant::now();
    assert!(later(now, Duration::MAX) > later(now, Duration::from_secs(86_400)));
    let mut limit = Limit::deadline_only(Duration::MAX);
    assert_eq!(limit.ended(), None);
}

#[tokio::test(start_paused = true)]
async fn work_is_cut_off_at_the_deadline() {
    let start = Instant::now();
    let mut limit = Limit::deadline_only(Duration::from_secs(10));
    let out = limit.run(tokio::time::sleep(Duration::from_secs(600))).await;
    assert_eq!(out, Err(Ended::Deadline));
    assert_eq!(Instant::now() - start, Duration::from_secs(10));
    assert_eq!(limit.ended(), Some(Ended::Deadline));
    assert_eq!(limit.run(async { 1 }).await, Err(Ended::Deadline));
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_work_at_once_and_stays() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut limit = Limit::new(Duration::from_secs(600), async move { rx.await.unwrap_or(()) }.boxed());
    assert_eq!(limit.run(async { 7 }).await, Ok(7));
    let start = Instant::now();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let _ = tx.send(());
    });
    let mut backoff = Backoff::new();
    let out = limit.run(tokio::time::sleep(Duration::from_secs(300))).await;
    assert_eq!(out, Err(Ended::Stopped));
    assert_eq!(Instant::now() - start, Duration::from_secs(3));
    assert_eq!(limit.sleep(&mut backoff).await, Err(Ended::Stopped));
    assert_eq!(limit.ended(), Some(Ended::Stopped));
}

#[tokio::test(start_paused = true)]
async fn a_sibling_shares_the_deadline_and_timeout() {
    let limit = Limit::deadline_only(Duration::from_secs(10));
    tokio::time::advance(Duration::from_secs(4)).await;
    let sibling = limit.sibling(futures::future::pending().boxed());
    assert_eq!((sibling.deadline(), sibling.timeout()), (limit.deadline(), limit.timeout()));
}

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

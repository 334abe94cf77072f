use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{:012}", i)).collect()
}

#[tokio::test]
async fn chunks_of_at_most_100_in_order() {
    for (n, chunks) in [(0, 0), (1, 1), (100, 1), (101, 2), (150, 2), (1000, 10), (5001, 51)] {
        let out = for_each_chunk(&ids(n), |i, c| async move { (i, c.len()) }).await;
        assert_eq!(out.len(), chunks, "n={n}");
        assert!(out.iter().all(|(c, (_, len))| c.len() == *len && *len <= 100));
        assert!(out.iter().enumerate().all(|(i, (_, (idx, _)))| i == *idx));
        let flat: Vec<String> = out.into_iter().flat_map(|(c, _)| c).collect();
        assert_eq!(flat, ids(n));
    }
}

#[tokio::test(start_paused = true)]
async fn runs_chunks_concurrently_but_bounded_and_keeps_order() {
    let in_flight = AtomicUsize::new(0);
    let peak = AtomicUsize::new(0);
    let out = for_each_chunk(&ids(2500), |i, _| {
        let (in_flight, peak) = (&in_flight, &peak);
        async move {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            // Later chunks finish first: order must still follow the chunks.
            tokio::time::sleep(Duration::from_millis(100 - i as u64)).await;
            in_flight.fetch_sub(1, Ordering::SeqCst);
            i
        }
    })
    .await;
    assert_eq!(peak.load(Ordering::SeqCst), MAX_CONCURRENT_CALLS);
    assert_eq!(out.iter().map(|(_, i)| *i).collect::<Vec<_>>(), (0..25).collect::<Vec<_>>());
}

//! Splitting account lists into API-sized chunks and running the chunks concurrently.

use futures::stream::{self, StreamExt};
use std::future::Future;

/// Inspector2 Enable, Disable and BatchGetAccountStatus take at most 100 account ids.
pub const MAX_ACCOUNTS_PER_CALL: usize = 100;
/// Calls in flight at once: enough to hide latency for thousands of accounts, few enough not to
/// provoke throttling.
pub const MAX_CONCURRENT_CALLS: usize = 10;

/// Runs `call` on each chunk of at most 100 ids, at most 10 at a time, and returns the results in
/// chunk order (not completion order) so that what is built from them is deterministic.
pub async fn for_each_chunk<T, F, Fut>(ids: &[String], call: F) -> Vec<(Vec<String>, T)>
where
    F: Fn(usize, Vec<String>) -> Fut,
    Fut: Future<Output = T>,
{
    // Owned chunks: closures over borrowed slices trip the compiler's Send checks in async traits.
    let chunks: Vec<(usize, Vec<String>)> =
        ids.chunks(MAX_ACCOUNTS_PER_CALL).map(<[String]>::to_vec).enumerate().collect();
    stream::iter(chunks)
        .map(|(index, chunk)| {
            let call = call(index, chunk.clone());
            async move { (chunk, call.await) }
        })
        .buffered(MAX_CONCURRENT_CALLS)
        .collect()
        .await
}

#[cfg(test)]
mod tests {
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
}

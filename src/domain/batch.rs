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
mod tests;

// inspector2fix patch: Terraform's StopProvider made visible to resource code (PATCHED.md, patch 1).

//! [`StopSignal`] module

use tokio_util::sync::CancellationToken;

/// Cheap, clonable handle that says whether Terraform asked the provider to stop
///
/// Terraform sends `StopProvider` on the first Ctrl-C (and when a run is cancelled). The server fires
/// every clone of the signal given to [`serve_with_stop`](crate::serve_with_stop) and answers at once;
/// it does not cancel the calls in flight. Resource code that waits (polling, retrying) should stop
/// waiting when the signal fires and return what it has done so far, with an error diagnostic, so
/// Terraform records it in state.
///
/// Once fired, the signal stays fired for the life of the process: Terraform starts no new
/// operation on a provider it stopped. (terraform-plugin-framework cancels only the calls in
/// flight; a permanent flag is simpler to reason about and gives the same result under Terraform.)
///
/// # Examples
///
/// ```
/// # async fn example(stop: tf_provider::StopSignal) {
/// tokio::select! {
///     _ = stop.stopped() => { /* return the partial state with an error */ }
///     _ = std::future::ready(()) => { /* one step of the wait */ }
/// }
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct StopSignal {
    token: CancellationToken,
}

impl StopSignal {
    /// A signal that has not fired
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the signal has fired
    pub fn is_stopped(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Completes when the signal fires, at once if it already has
    ///
    /// Cancel safe: dropping the future (e.g. in `tokio::select!`) loses nothing.
    pub async fn stopped(&self) {
        self.token.cancelled().await
    }

    /// Fire the signal, as the server does on `StopProvider`
    ///
    /// Public so that tests of resource code can stop a wait without a Terraform.
    pub fn stop(&self) {
        self.token.cancel()
    }
}

#[cfg(test)]
mod tests {
    use super::StopSignal;

    #[tokio::test]
    async fn stop_fires_every_clone_and_stays_fired() {
        let signal = StopSignal::new();
        let clone = signal.clone();
        assert!(!clone.is_stopped());

        let waiter = tokio::spawn(async move { clone.stopped().await });
        signal.stop();
        tokio::time::timeout(std::time::Duration::from_secs(30), waiter)
            .await
            .expect("stopped() did not complete after stop()")
            .expect("waiter task failed");

        assert!(signal.is_stopped());
        // Already fired: completes at once for a later waiter too.
        tokio::time::timeout(std::time::Duration::from_secs(30), signal.stopped())
            .await
            .expect("stopped() did not complete on a fired signal");
    }
}

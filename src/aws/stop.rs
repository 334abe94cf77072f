//! Terraform's stop, as the boundary sees it: something that can say whether it has fired and
//! complete when it fires. The Terraform layer implements [`StopWatch`] for tf-provider's signal,
//! so nothing here names Terraform.

use std::future::Future;

use futures::future::BoxFuture;

use crate::aws::{AwsError, ErrorClass};

/// Fired once, by Terraform's StopProvider (one Ctrl-C); stays fired.
pub trait StopWatch: Send + Sync {
    fn is_stopped(&self) -> bool;
    /// Completes when the stop fires (at once if it has).
    fn stopped(&self) -> BoxFuture<'static, ()>;
}

/// `call`, unless the stop fires first: then `operation` fails `Final`, naming the stop.
pub async fn unless_stopped<T>(
    stop: &dyn StopWatch,
    operation: &'static str,
    call: impl Future<Output = Result<T, AwsError>>,
) -> Result<T, AwsError> {
    let stopped = || {
        AwsError::new(operation, ErrorClass::Final, None, "stopped by Terraform (interrupt) before the call answered")
    };
    if stop.is_stopped() {
        return Err(stopped());
    }
    tokio::select! {
        biased;
        _ = stop.stopped() => Err(stopped()),
        out = call => out,
    }
}

/// A stop for unit tests.
#[cfg(test)]
#[derive(Default)]
pub struct TestStop {
    fired: std::sync::atomic::AtomicBool,
    notify: std::sync::Arc<tokio::sync::Notify>,
}

#[cfg(test)]
impl TestStop {
    pub fn stop(&self) {
        self.fired.store(true, std::sync::atomic::Ordering::SeqCst);
        self.notify.notify_waiters();
    }
}

#[cfg(test)]
impl StopWatch for TestStop {
    fn is_stopped(&self) -> bool {
        self.fired.load(std::sync::atomic::Ordering::SeqCst)
    }
    fn stopped(&self) -> BoxFuture<'static, ()> {
        use futures::FutureExt;
        let notify = self.notify.clone();
        let fired = self.is_stopped();
        async move {
            if !fired {
                notify.notified().await;
            }
        }
        .boxed()
    }
}

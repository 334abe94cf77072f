//! One DEBUG line per AWS call attempt (operation, attempt, latency, outcome, RequestId) and one
//! WARN line per retry, through an SDK interceptor so every client logs the same way. Nothing from
//! the request or response body is logged, so no credential can leak through here.

use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// The interceptor; add it to each service client's config.
#[derive(Debug, Default, Clone, Copy)]
pub struct CallLog;

/// When the current attempt started, kept in the attempt's config bag.
#[derive(Debug, Clone, Copy)]
struct AttemptStart(Instant);

impl Storable for AttemptStart {
    type Storer = StoreReplace<Self>;
}

fn operation(cfg: &ConfigBag) -> (String, String) {
    cfg.load::<Metadata>()
        .map(|m| (m.service().to_owned(), m.name().to_owned()))
        .unwrap_or_else(|| ("unknown".into(), "unknown".into()))
}

fn attempt(cfg: &ConfigBag) -> u32 {
    cfg.load::<RequestAttempts>().map(|a| a.attempts()).unwrap_or(1)
}

/// What happened to one attempt, in words a log reader can filter on.
pub fn outcome(status: Option<u16>, transport_error: bool) -> &'static str {
    match status {
        Some(200..=299) => "ok",
        Some(429) => "throttled",
        Some(400..=499) => "client error",
        Some(500..=599) => "server error",
        Some(_) => "unexpected status",
        None if transport_error => "no response",
        None => "not sent",
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "inspector2fix::CallLog"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempt = attempt(cfg);
        if attempt > 1 {
            let (service, operation) = operation(cfg);
            tracing::warn!(service, operation, attempt, "retrying AWS call {operation} (attempt {attempt})");
        }
        cfg.interceptor_state().store_put(AttemptStart(Instant::now()));
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let (service, operation) = operation(cfg);
        let latency_ms = cfg.load::<AttemptStart>().map(|s| s.0.elapsed().as_millis() as u64).unwrap_or(0);
        let response = context.response();
        let status = response.map(|r| r.status().as_u16());
        let request_id = response
            .and_then(|r| r.headers().get("x-amzn-requestid").or_else(|| r.headers().get("x-amz-request-id")))
            .unwrap_or("");
        let transport_error = matches!(context.output_or_error(), Some(Err(_)));
        let outcome = outcome(status, transport_error);
        tracing::debug!(
            service,
            operation,
            attempt = attempt(cfg),
            latency_ms,
            http_status = status.unwrap_or(0),
            outcome,
            request_id,
            "AWS call {operation}: {outcome}"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests;

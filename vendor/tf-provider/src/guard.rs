// inspector2fix patch: a panic in provider code becomes an error diagnostic (PATCHED.md, patch 2).

//! Panic guard for RPC handlers
//!
//! Without it a panic unwinds through tonic, the HTTP/2 stream is reset and Terraform reports
//! "Request cancelled" with no hint of where or why.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;

use crate::attribute_path::AttributePath;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// What an RPC was working on, for the panic diagnostic
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    Provider,
    Resource(String),
    DataSource(String),
    Function(String),
    /// inspector2fix patch 9
    ListResource(String),
    /// inspector2fix patch 10
    Action(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Provider => write!(f, "the provider"),
            Subject::Resource(name) => write!(f, "resource {name}"),
            Subject::DataSource(name) => write!(f, "data source {name}"),
            Subject::Function(name) => write!(f, "function {name}"),
            Subject::ListResource(name) => write!(f, "list resource {name}"),
            Subject::Action(name) => write!(f, "action {name}"),
        }
    }
}

/// The text a panic was raised with; no backtrace, no location
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> Cow<'_, str> {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        Cow::Borrowed(message)
    } else if let Some(message) = payload.downcast_ref::<String>() {
        Cow::Borrowed(message.as_str())
    } else {
        Cow::Borrowed("(the panic carried no message)")
    }
}

/// Error diagnostic for a panic in `rpc` while working on `subject`
///
/// Built from public fields: `Diagnostic::new` would append a captured backtrace.
pub(crate) fn panic_diagnostics(rpc: &str, subject: &Subject, payload: &(dyn Any + Send)) -> Diagnostics {
    let mut diags = Diagnostics::default();
    diags.add_error(Diagnostic {
        summary: format!("Provider panicked in {rpc} for {subject}").into(),
        detail: format!(
            "{rpc} for {subject} stopped on an internal error (a panic): {}. \
             This is a bug in the provider; please report it with this message.",
            panic_message(payload)
        )
        .into(),
        attribute: AttributePath::default(),
    });
    diags
}

/// Run an RPC handler; if it panics, answer with `fallback` given the panic's error diagnostics
pub(crate) async fn guard<R, F>(rpc: &str, subject: Subject, fallback: impl FnOnce(Diagnostics) -> R, handler: F) -> R
where
    F: Future<Output = R>,
{
    match AssertUnwindSafe(handler).catch_unwind().await {
        Ok(response) => response,
        Err(payload) => fallback(panic_diagnostics(rpc, &subject, payload.as_ref())),
    }
}

/// Synchronous [`guard`], for the schema calls made once before serving
pub(crate) fn guard_sync<T>(
    diags: &mut Diagnostics,
    rpc: &str,
    subject: Subject,
    call: impl FnOnce(&mut Diagnostics) -> Option<T>,
) -> Option<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| call(diags))) {
        Ok(value) => value,
        Err(payload) => {
            diags.add_diagnostics(panic_diagnostics(rpc, &subject, payload.as_ref()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_of_str_and_string_panics() {
        let payload = std::panic::catch_unwind(|| panic!("plain")).unwrap_err();
        assert_eq!(panic_message(payload.as_ref()), "plain");
        let payload = std::panic::catch_unwind(|| panic!("formatted {}", 42)).unwrap_err();
        assert_eq!(panic_message(payload.as_ref()), "formatted 42");
        let payload = std::panic::catch_unwind(|| std::panic::panic_any(7_u8)).unwrap_err();
        assert_eq!(panic_message(payload.as_ref()), "(the panic carried no message)");
    }

    #[test]
    fn diagnostic_names_rpc_subject_and_message_without_backtrace() {
        let payload = std::panic::catch_unwind(|| panic!("boom")).unwrap_err();
        let diags = panic_diagnostics("PlanResourceChange", &Subject::Resource("x_thing".into()), payload.as_ref());
        assert!(diags.warnings.is_empty());
        assert_eq!(diags.errors.len(), 1);
        let error = &diags.errors[0];
        assert_eq!(error.summary, "Provider panicked in PlanResourceChange for resource x_thing");
        assert!(error.detail.contains("PlanResourceChange for resource x_thing"), "{}", error.detail);
        assert!(error.detail.contains(": boom."), "{}", error.detail);
        assert!(!error.detail.contains("backtrace") && !error.detail.contains(".rs:"), "{}", error.detail);
    }

    #[tokio::test]
    async fn guard_passes_results_through_and_turns_panics_into_fallback() {
        let fallback = |diags: Diagnostics| Err::<u8, _>(diags);
        let ok = guard("ReadDataSource", Subject::DataSource("x_d".into()), fallback, async { Ok(3) }).await;
        assert_eq!(ok, Ok(3));

        let panicked = guard("ReadDataSource", Subject::DataSource("x_d".into()), fallback, async {
            if true {
                panic!("bad read");
            }
            Ok(3)
        })
        .await;
        let diags = panicked.expect_err("the panic was not caught");
        assert_eq!(diags.errors[0].summary, "Provider panicked in ReadDataSource for data source x_d");
        assert!(diags.errors[0].detail.contains("bad read"));
    }

    #[test]
    fn guard_sync_adds_the_diagnostic_and_returns_none() {
        let mut diags = Diagnostics::default();
        let schema: Option<u8> =
            guard_sync(&mut diags, "GetProviderSchema", Subject::Provider, |_| panic!("no schema"));
        assert_eq!(schema, None);
        assert_eq!(diags.errors[0].summary, "Provider panicked in GetProviderSchema for the provider");
        assert!(diags.errors[0].detail.contains("no schema"));
    }
}

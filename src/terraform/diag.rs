//! Diagnostics users read.
//!
//! tf-provider's helper constructors append `Backtrace::capture()` to the detail, and these
//! machines set RUST_BACKTRACE=1; so every diagnostic is built here from its public fields.

use tf_provider::{AttributePath, Diagnostic, Diagnostics};

pub fn error(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>) {
    diags.add_error(Diagnostic {
        summary: summary.into().into(),
        detail: detail.into().into(),
        attribute: AttributePath::default(),
    });
}

pub fn attr_error(
    diags: &mut Diagnostics,
    attribute: AttributePath,
    summary: impl Into<String>,
    detail: impl Into<String>,
) {
    diags.add_error(Diagnostic { summary: summary.into().into(), detail: detail.into().into(), attribute });
}

/// When `result` is an error, adds "Invalid NAME" at `attribute` with the detail "NAME: reason",
/// so the detail starts with the attribute's name.
pub fn invalid_attr<T>(diags: &mut Diagnostics, attribute: AttributePath, name: &str, result: Result<T, String>) {
    if let Err(reason) = result {
        attr_error(diags, attribute, format!("Invalid {name}"), format!("{name}: {reason}"));
    }
}

/// The error for an import id that does not parse: what is wrong with it and the forms accepted.
pub fn invalid_import(diags: &mut Diagnostics, id: &str, problem: &str, accepted: &str) {
    error(diags, "Invalid import id", format!("Import id {id:?}: {problem}. {accepted}"));
}

pub fn warning(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>) {
    diags.add_warning(Diagnostic {
        summary: summary.into().into(),
        detail: detail.into().into(),
        attribute: AttributePath::default(),
    });
}

#[cfg(test)]
mod tests;

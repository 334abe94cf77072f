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

pub fn warning(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>) {
    diags.add_warning(Diagnostic {
        summary: summary.into().into(),
        detail: detail.into().into(),
        attribute: AttributePath::default(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_carry_no_backtrace_even_with_rust_backtrace_set() {
        std::env::set_var("RUST_BACKTRACE", "1");
        std::env::set_var("RUST_LIB_BACKTRACE", "1");
        let mut diags = Diagnostics::default();
        error(&mut diags, "Enable failed", "account 111111111111: ACCESS_DENIED");
        attr_error(&mut diags, AttributePath::new("account_ids"), "bad", "detail");
        warning(&mut diags, "w", "detail");
        for d in diags.errors.iter().chain(diags.warnings.iter()) {
            assert!(!d.detail.contains("backtrace"), "{}", d.detail);
            assert!(!d.detail.contains(".rs:"), "{}", d.detail);
        }
        assert_eq!(diags.errors[0].detail, "account 111111111111: ACCESS_DENIED");
        assert_eq!(diags.errors[1].attribute, AttributePath::new("account_ids"));
    }
}

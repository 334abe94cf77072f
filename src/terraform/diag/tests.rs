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

#[test]
fn invalid_attr_names_the_attribute_and_passes_ok_results() {
    let mut diags = Diagnostics::default();
    invalid_attr(&mut diags, AttributePath::new("region"), "region", Ok::<(), String>(()));
    assert!(diags.errors.is_empty());
    invalid_attr(&mut diags, AttributePath::new("region"), "region", Err::<(), _>("\"x\" is bad".to_string()));
    assert_eq!(diags.errors.len(), 1);
    assert_eq!(diags.errors[0].summary, "Invalid region");
    assert_eq!(diags.errors[0].detail, "region: \"x\" is bad");
    assert_eq!(diags.errors[0].attribute, AttributePath::new("region"));
}

#[test]
fn invalid_import_quotes_the_id_and_the_accepted_forms() {
    let mut diags = Diagnostics::default();
    invalid_import(&mut diags, "12", "too short", "Use one account id.");
    assert_eq!(diags.errors[0].summary, "Invalid import id");
    assert_eq!(diags.errors[0].detail, "Import id \"12\": too short. Use one account id.");
}

use super::*;

#[test]
fn numbers_arrive_in_every_form_and_go_back_unchanged() {
    let s: State = serde_json::from_str(
        r#"{"price_per_image_scan": "0.11", "price_per_rescan": 0.5, "rescans_per_image_per_month": 2}"#,
    )
    .unwrap();
    assert_eq!(s.micro("price_per_image_scan").unwrap(), Some(110_000));
    assert_eq!(s.micro("price_per_rescan").unwrap(), Some(500_000));
    assert_eq!(s.micro("rescans_per_image_per_month").unwrap(), Some(2_000_000));
    let back = serde_json::to_value(&s).unwrap();
    assert_eq!(back["price_per_image_scan"], "0.11");
    assert_eq!(back["rescans_per_image_per_month"], 2);
}

#[test]
fn bad_inputs_are_named() {
    let s: State =
        serde_json::from_str(r#"{"price_per_image_scan": -1, "price_per_rescan": "0.01", "rescans_per_image_per_month": 1, "rescan_duration": "DAYS_1"}"#).unwrap();
    let mut diags = Diagnostics::default();
    check(&mut diags, &s);
    assert_eq!(diags.errors.len(), 2);
    assert!(diags.errors[0].detail.starts_with("price_per_image_scan:"), "{}", diags.errors[0].detail);
    assert!(diags.errors[1].detail.starts_with("rescan_duration:"), "{}", diags.errors[1].detail);
}

/// Prices of 9e12 USD are refused at validate, naming the attribute: the estimate never computes
/// with them.
#[test]
fn prices_above_the_bound_are_refused_naming_the_attribute() {
    let s: State = serde_json::from_str(
        r#"{"price_per_image_scan": 9e12, "price_per_rescan": "9000000000000", "rescans_per_image_per_month": 9e12}"#,
    )
    .unwrap();
    let mut diags = Diagnostics::default();
    check(&mut diags, &s);
    let details: Vec<String> = diags.errors.iter().map(|d| d.detail.to_string()).collect();
    assert_eq!(details.len(), 3, "{details:?}");
    assert!(details[0].starts_with("price_per_image_scan: 9000000000000 is more than 1000000"), "{}", details[0]);
    assert!(details[1].starts_with("price_per_rescan: 9000000000000 is more than 1000000"), "{}", details[1]);
    assert!(details[2].starts_with("rescans_per_image_per_month: 9000000000000 is more than 100000"), "{}", details[2]);
    assert_eq!(diags.errors[1].attribute, AttributePath::new("price_per_rescan"));
}

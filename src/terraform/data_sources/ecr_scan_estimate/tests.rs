use super::*;

#[test]
fn numbers_arrive_in_every_form_and_go_back_unchanged() {
    let s: EstimateState = serde_json::from_str(
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
    let s: EstimateState =
        serde_json::from_str(r#"{"price_per_image_scan": -1, "price_per_rescan": "0.01", "rescans_per_image_per_month": 1, "rescan_duration": "DAYS_1"}"#).unwrap();
    let mut diags = Diagnostics::default();
    check(&mut diags, &s);
    assert_eq!(diags.errors.len(), 2);
    assert!(diags.errors[0].detail.starts_with("price_per_image_scan:"), "{}", diags.errors[0].detail);
    assert!(diags.errors[1].detail.starts_with("rescan_duration:"), "{}", diags.errors[1].detail);
}

use super::*;

const NOW: i64 = 1_800_000_000;

fn img(pushed_days_ago: Option<i64>, pulled_days_ago: Option<i64>) -> ImageDates {
    ImageDates {
        pushed_at: pushed_days_ago.map(|d| NOW - d * DAY),
        last_pulled_at: pulled_days_ago.map(|d| NOW - d * DAY),
    }
}

#[test]
fn durations_parse() {
    assert_eq!(days("DAYS_14").unwrap(), Some(14));
    assert_eq!(days("LIFETIME").unwrap(), None);
    assert!(days("DAYS_").is_err() && days("14").is_err());
}

#[test]
fn counts_follow_the_windows() {
    let images = [
        img(Some(2), None),        // initial, kept by push (14)
        img(Some(20), None),       // initial, push too old for 14, never pulled
        img(Some(200), Some(10)),  // initial by pull, kept by pull (14)
        img(Some(200), Some(60)),  // initial by pull (<=90), pull too old for 14
        img(Some(200), Some(120)), // not initial
        img(None, None),           // no dates at all
    ];
    let c = count(&images, NOW, Durations { push_days: Some(14), pull_days: 14 });
    assert_eq!(c, Counts { images: 6, initial_scan_images: 4, continuous_rescan_images: 2, pushed_last_30_days: 2 });
    let life = count(&images, NOW, Durations { push_days: None, pull_days: 14 });
    assert_eq!(life.continuous_rescan_images, 4, "LIFETIME keeps every initially scanned image");
}

#[test]
fn costs_are_exact() {
    let c = Counts { images: 9, initial_scan_images: 5, continuous_rescan_images: 3, pushed_last_30_days: 2 };
    let p = Prices {
        image_scan_micro_usd: micro("0.11").unwrap(),
        rescan_micro_usd: micro("0.01").unwrap(),
        rescans_per_month_micro: micro("2.5").unwrap(),
    };
    let k = costs(&c, &p).expect("a realistic estimate");
    assert_eq!(k.initial_scan_micro_usd, 550_000); // 5 x 0.11
    assert_eq!(k.monthly_micro_usd, 220_000 + 75_000); // 2 x 0.11 + 3 x 2.5 x 0.01
    assert_eq!(dollars(k.monthly_micro_usd), 0.295);
}

#[test]
fn micro_parses_decimals_only() {
    assert_eq!(micro("0.11").unwrap(), 110_000);
    assert_eq!(micro("2").unwrap(), 2_000_000);
    assert_eq!(micro(".5").unwrap(), 500_000);
    for bad in ["", "-1", "1e-2", "0.1234567", "abc", "."] {
        assert!(micro(bad).is_err(), "{bad}");
    }
    assert_eq!(micro("9223372036855").unwrap_err(), "\"9223372036855\" is too large");
    assert_eq!(micro("99999999999999999999999").unwrap_err(), "\"99999999999999999999999\" is too large");
}

/// The case: 5 images x 9e12 rescans x 9e12 USD is 4.05e26 USD; i128 micro-dollars
/// cannot hold it, so the answer is an error, never the wrapped 6.47e25 nor a panic.
#[test]
fn an_estimate_that_does_not_fit_is_an_error_never_a_wrong_number() {
    let c = Counts { images: 5, initial_scan_images: 5, continuous_rescan_images: 5, pushed_last_30_days: 5 };
    let nine_e12 = micro("9000000000000").unwrap();
    let p = Prices { image_scan_micro_usd: nine_e12, rescan_micro_usd: nine_e12, rescans_per_month_micro: nine_e12 };
    let e = costs(&c, &p).unwrap_err();
    assert!(e.starts_with("the estimate is too large to compute exactly"), "{e}");
    let p = Prices { rescans_per_month_micro: micro("1").unwrap(), ..p };
    let k = costs(&c, &p).expect("5 x 9e12 fits");
    assert_eq!(k.initial_scan_micro_usd, 45_000_000_000_000 * 1_000_000);
    assert_eq!(k.monthly_micro_usd, 2 * 45_000_000_000_000 * 1_000_000);
}

#[test]
fn inputs_are_bounded_naming_the_attribute() {
    assert_eq!(bounded_micro("price_per_rescan", "1000000", MAX_PRICE_USD), Ok(1_000_000 * 1_000_000));
    let e = bounded_micro("price_per_rescan", "9000000000000", MAX_PRICE_USD).unwrap_err();
    assert_eq!(e, "price_per_rescan: 9000000000000 is more than 1000000, the largest value the estimate takes");
    let e = bounded_micro("price_per_image_scan", "1e30", MAX_PRICE_USD).unwrap_err();
    assert!(e.starts_with("price_per_image_scan: "), "{e}");
}

/// Dates and durations at the ends of i64 are far away or long, never an overflow.
#[test]
fn extreme_dates_and_durations_do_not_overflow() {
    let images = [ImageDates { pushed_at: Some(i64::MIN), last_pulled_at: Some(i64::MAX) }];
    let c = count(&images, NOW, Durations { push_days: Some(i64::MAX), pull_days: i64::MAX });
    assert_eq!(c.images, 1);
    assert_eq!(c.continuous_rescan_images, 1, "an endless duration keeps the image");
    let c = count(&images, i64::MAX, Durations { push_days: Some(1), pull_days: 1 });
    assert_eq!(c.pushed_last_30_days, 0);
}

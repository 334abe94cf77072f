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
    let k = costs(&c, &p);
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
}

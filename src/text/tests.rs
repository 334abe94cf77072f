use super::*;

#[test]
fn items_one_per_line_indented() {
    assert_eq!(
        item_lines([("111111111111", "ACCESS_DENIED: no"), ("2", "x")]),
        "  111111111111: ACCESS_DENIED: no\n  2: x"
    );
    assert_eq!(item_lines(Vec::<(String, String)>::new()), "");
}

#[test]
fn long_lists_stop_after_the_cap_and_count_the_rest() {
    let exactly: Vec<String> = (0..LIST_CAP).map(|i| format!("v{i}")).collect();
    let text = capped_lines(&exactly);
    assert_eq!(text.lines().count(), LIST_CAP);
    assert!(!text.contains("more"), "{text}");
    assert_eq!(text.lines().last(), Some("  v19"));

    let text = capped_lines((0..10_000).map(|i| format!("v{i}")));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), LIST_CAP + 1);
    assert_eq!(lines[0], "  v0");
    assert_eq!(lines[LIST_CAP - 1], "  v19");
    assert_eq!(lines[LIST_CAP], "  and 9980 more");

    let items = item_lines((0..21).map(|i| (format!("{i:012}"), "ACCESS_DENIED")));
    assert_eq!(items.lines().count(), LIST_CAP + 1);
    assert!(items.ends_with("  000000000019: ACCESS_DENIED\n  and 1 more"), "{items}");
}

#[test]
fn durations_print_like_terraform_writes_them() {
    assert_eq!(fmt_duration(Duration::from_secs(1800)), "30m");
    assert_eq!(fmt_duration(Duration::from_secs(5)), "5s");
    assert_eq!(fmt_duration(Duration::from_secs(3690)), "1h1m30s");
    assert_eq!(fmt_duration(Duration::from_millis(300)), "300ms");
}

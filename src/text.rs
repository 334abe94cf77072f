//! Text users read in errors: per-account lists and durations. Free of Terraform types, so the
//! domain modules can use it.

use std::fmt::Display;
use std::time::Duration;

/// How many entries of a per-account (or per-value) list an error shows. 10,000 bad ids would
/// otherwise fill tens of thousands of lines; the first few tell the user what is wrong.
pub const LIST_CAP: usize = 20;

/// One line per entry, `  KEY: TEXT`, in the order given: the shape of every per-account (or
/// per-finding) list in an error. At most [`LIST_CAP`] entries, then `  and N more`.
pub fn item_lines<K: Display, V: Display>(items: impl IntoIterator<Item = (K, V)>) -> String {
    capped_lines(items.into_iter().map(|(key, text)| format!("{key}: {text}")))
}

/// `lines`, each indented by two spaces, one per line: the first [`LIST_CAP`], then `  and N more`
/// when there were more.
pub fn capped_lines<L: Display>(lines: impl IntoIterator<Item = L>) -> String {
    let mut shown = Vec::with_capacity(LIST_CAP + 1);
    let mut more = 0_usize;
    for line in lines {
        if shown.len() < LIST_CAP {
            shown.push(format!("  {line}"));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        shown.push(format!("  and {more} more"));
    }
    shown.join("\n")
}

/// A duration as Terraform users write one: `30m`, `1h1m30s`, `300ms`.
pub fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs();
    match (secs / 3600, (secs % 3600) / 60, secs % 60) {
        (0, 0, 0) => format!("{}ms", d.as_millis()),
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
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
}

//! Text users read in errors: per-account lists and durations. Free of Terraform types, so the
//! domain modules can use it.

use std::fmt::Display;
use std::time::Duration;

/// One line per entry, `  KEY: TEXT`, in the order given: the shape of every per-account (or
/// per-finding) list in an error.
pub fn item_lines<K: Display, V: Display>(items: impl IntoIterator<Item = (K, V)>) -> String {
    items.into_iter().map(|(key, text)| format!("  {key}: {text}")).collect::<Vec<_>>().join("\n")
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
    fn durations_print_like_terraform_writes_them() {
        assert_eq!(fmt_duration(Duration::from_secs(1800)), "30m");
        assert_eq!(fmt_duration(Duration::from_secs(5)), "5s");
        assert_eq!(fmt_duration(Duration::from_secs(3690)), "1h1m30s");
        assert_eq!(fmt_duration(Duration::from_millis(300)), "300ms");
    }
}

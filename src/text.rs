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
mod tests;

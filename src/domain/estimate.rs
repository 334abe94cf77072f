//! The cost model of the ECR scan estimate: pure arithmetic on image dates, durations and
//! prices. Money is counted in millionths of a dollar (micro-USD) so sums are exact.

use crate::aws::ecr::ImageDates;

const DAY: i64 = 86_400;

/// When ECR scanning is first activated, Inspector scans the images pushed within the last 30
/// days or pulled within the last 90 (Amazon Inspector User Guide, "Scanning Amazon ECR
/// container images with Amazon Inspector", scan behaviors).
pub const INITIAL_PUSH_DAYS: i64 = 30;
pub const INITIAL_PULL_DAYS: i64 = 90;

/// Rescan durations in days; `None` push days means LIFETIME.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Durations {
    pub push_days: Option<i64>,
    pub pull_days: i64,
}

/// `DAYS_30` -> Some(30), `LIFETIME` -> None.
pub fn days(value: &str) -> Result<Option<i64>, String> {
    if value == "LIFETIME" {
        return Ok(None);
    }
    value
        .strip_prefix("DAYS_")
        .and_then(|d| d.parse::<i64>().ok())
        .filter(|d| *d > 0)
        .map(Some)
        .ok_or_else(|| format!("{value:?} is not a rescan duration (DAYS_<n> or LIFETIME)"))
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub images: u64,
    /// Pushed within 30 days or pulled within 90: what enabling scans first.
    pub initial_scan_images: u64,
    /// Of those, the images the durations keep under continuous rescanning.
    pub continuous_rescan_images: u64,
    /// Pushed within the last 30 days: the pace of new images, each scanned once on push.
    pub pushed_last_30_days: u64,
}

/// Whether `at` is at most `days` days before `now`. Saturating: a date or a duration beyond what
/// i64 seconds hold is simply far away or long, never an overflow.
fn within(at: Option<i64>, now: i64, days: i64) -> bool {
    at.is_some_and(|t| now.saturating_sub(t) <= days.saturating_mul(DAY))
}

pub fn count(images: &[ImageDates], now: i64, d: Durations) -> Counts {
    let mut c = Counts { images: images.len() as u64, ..Counts::default() };
    for i in images {
        let initial = within(i.pushed_at, now, INITIAL_PUSH_DAYS) || within(i.last_pulled_at, now, INITIAL_PULL_DAYS);
        let by_push = match d.push_days {
            None => i.pushed_at.is_some(),
            Some(days) => within(i.pushed_at, now, days),
        };
        let kept = by_push || within(i.last_pulled_at, now, d.pull_days);
        c.initial_scan_images += u64::from(initial);
        c.continuous_rescan_images += u64::from(initial && kept);
        c.pushed_last_30_days += u64::from(within(i.pushed_at, now, 30));
    }
    c
}

/// Prices and the rescan pace, in micro-units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prices {
    pub image_scan_micro_usd: i64,
    pub rescan_micro_usd: i64,
    /// Rescans per image per month, times 1,000,000.
    pub rescans_per_month_micro: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Costs {
    pub initial_scan_micro_usd: i128,
    pub monthly_micro_usd: i128,
}

/// The largest price, in USD, the estimate takes (per image scan or rescan): far above any
/// Inspector price, and low enough that no realistic registry overflows the arithmetic.
pub const MAX_PRICE_USD: i64 = 1_000_000;
/// The largest number of rescans per image per month the estimate takes.
pub const MAX_RESCANS_PER_MONTH: i64 = 100_000;

/// The costs of `c` at `p`, with checked arithmetic: an error, never a wrapped or saturated
/// figure, when a product does not fit.
pub fn costs(c: &Counts, p: &Prices) -> Result<Costs, String> {
    let too_large = || {
        "the estimate is too large to compute exactly: check price_per_image_scan, price_per_rescan and \
         rescans_per_image_per_month"
            .to_owned()
    };
    let scan = i128::from(p.image_scan_micro_usd);
    let initial = i128::from(c.initial_scan_images).checked_mul(scan).ok_or_else(too_large)?;
    let pushed = i128::from(c.pushed_last_30_days).checked_mul(scan).ok_or_else(too_large)?;
    let rescans = i128::from(c.continuous_rescan_images)
        .checked_mul(i128::from(p.rescans_per_month_micro))
        .and_then(|r| r.checked_mul(i128::from(p.rescan_micro_usd)))
        .ok_or_else(too_large)?
        / 1_000_000;
    let monthly = pushed.checked_add(rescans).ok_or_else(too_large)?;
    Ok(Costs { initial_scan_micro_usd: initial, monthly_micro_usd: monthly })
}

/// `micro` of at most `max` whole units, for an input named `name`: an error naming it otherwise.
pub fn bounded_micro(name: &str, text: &str, max: i64) -> Result<i64, String> {
    let value = micro(text).map_err(|e| format!("{name}: {e}"))?;
    if value > max.saturating_mul(1_000_000) {
        return Err(format!("{name}: {text} is more than {max}, the largest value the estimate takes"));
    }
    Ok(value)
}

/// A non-negative decimal with at most 6 decimals ("0.11", "2", "1.5e-2" is refused) in
/// millionths.
pub fn micro(text: &str) -> Result<i64, String> {
    let bad = || format!("{text:?} is not a non-negative decimal number with at most 6 decimals");
    let (whole, frac) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if (whole.is_empty() && frac.is_empty()) || frac.len() > 6 {
        return Err(bad());
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(frac) {
        return Err(bad());
    }
    let too_large = || format!("{text:?} is too large");
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
    let frac: i64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
    whole.checked_mul(1_000_000).and_then(|w| w.checked_add(frac)).ok_or_else(too_large)
}

/// Micro-USD as dollars, for output (exact to the micro-dollar in f64 for any realistic bill).
pub fn dollars(micro_usd: i128) -> f64 {
    micro_usd as f64 / 1_000_000.0
}

#[cfg(test)]
mod tests;

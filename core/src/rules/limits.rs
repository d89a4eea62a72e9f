//! The bounds on every number a rule file or an input may hold. Within them no evaluation,
//! selection or allocation can overflow, so arithmetic never wraps and never saturates.

use std::ops::RangeInclusive;

/// Points of a criterion, section, sheet, band, step, deduction or threshold: 0 to a million
/// (10⁸ hundredths, so a million criteria still sum within `i64`).
pub const POINTS: RangeInclusive<f64> = 0.0..=1e6;

/// Any other number in a rule file (floors, targets, step thresholds, bounds of triggers and
/// conditions, indicator minimum and maximum) and any `amount` input, in absolute value: 10¹⁵,
/// below which every whole number is exact in an `f64`.
pub const VALUE: f64 = 1e15;

/// A count: an indicator of kind `count`, the events of one kind in one report, `required`.
pub const COUNT: f64 = 1e9;

/// The largest `per` of a deduction or a bonus, in points per unit (it must be above 0).
pub const PER_MAX: f64 = 1e6;

/// The largest `scale` of a ratio (it must be above 0).
pub const SCALE_MAX: f64 = 1e6;

/// Years a conferred title runs.
pub const TITLE_TERM_YEARS: RangeInclusive<u32> = 1..=50;

/// Days of a stage's time limit, or until a rectification's follow-up review: up to ten years.
pub const DAYS: RangeInclusive<u32> = 0..=3650;

/// Money in a rule file or a request (a pool, a floor, a cap, a tier): up to 10¹⁵ fen, ten
/// trillion yuan, so sums of a million such amounts stay far inside `i64` and products with
/// weights inside `u128`.
pub const FEN: RangeInclusive<i64> = 0..=1_000_000_000_000_000;

/// A relative weight in a rule file: a tier's weight in a share, a sub-pool's fixed share.
pub const WEIGHT: RangeInclusive<u64> = 1..=1_000_000_000;

/// Exemplars to name, limits per scheme and county, the waiting list: up to ten million.
pub const HEADCOUNT: u32 = 10_000_000;

/// Contact visits required per window.
pub const VISITS: RangeInclusive<u32> = 1..=1000;

/// Problems listed in full when a rule file is refused; the rest are counted.
pub const PROBLEMS_LISTED: usize = 100;

/// `x` as text for a message: whole numbers without a fraction, huge ones as `1e308`.
pub(crate) fn show(x: f64) -> String {
    if !x.is_finite() || x.abs() >= 1e16 {
        format!("{x:e}")
    } else if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// At most this many threads split a table's rows: more only costs thread starts (and an
/// operating system may refuse them); any count gives the same results.
pub const THREADS: usize = 256;

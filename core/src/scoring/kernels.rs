//! Column-at-a-time scoring: each check, rule kind, veto and band is one tight loop over a block
//! of rows of one column, with no per-cell dispatch. Every kernel computes exactly what
//! `Plan::score_row` computes for a row, bit for bit (`equivalence.rs` holds them to that over a
//! million random rows).

use crate::rules::limits;
use crate::rules::rubric::IndicatorKind;
use crate::scoring::plan::{BadValue, BandPlan, Kind, Plan};
use crate::scoring::points::{Points, PointsOut, nearest_whole, round_small, whole_to_i64};

/// Rows per block: a block of every column a criterion reads, and the running totals, stay in
/// the core's cache while the criteria pass over it. A column's block is 32 KB: long enough for
/// the memory prefetchers to follow each column before the pass moves to the next (1,024 rows
/// scored the standard job a quarter slower).
pub(super) const BLOCK: usize = 4096;

/// What a slot accepts, as plain numbers, so checking a block is one branch-free pass; only a
/// block that fails is checked again cell by cell, by `Plan::check_value`, for the message.
#[derive(Clone, Copy, Debug)]
pub(super) struct Accepts {
    lo: f64,
    hi: f64,
    missing_ok: bool,
    kind: IndicatorKind,
}

impl Accepts {
    /// The same set of values `Plan::check_value` lets through for slot `s`.
    pub fn of(plan: &Plan, s: usize) -> Accepts {
        let slot = &plan.slots[s];
        let missing_ok = !plan.missing_is_error(s);
        let (lo, hi) = match slot.kind {
            IndicatorKind::Count => (0.0, limits::COUNT),
            IndicatorKind::Amount => (-limits::VALUE, limits::VALUE),
            IndicatorKind::Percent => (0.0, 100.0),
            IndicatorKind::YesNo => (0.0, 1.0),
        };
        Accepts {
            lo: slot.min.map_or(lo, |m| m.max(lo)),
            hi: slot.max.map_or(hi, |m| m.min(hi)),
            missing_ok,
            kind: slot.kind,
        }
    }

    /// Whether every value of the block is accepted. One loop per kind, each without branches
    /// (`&` and `|`, not `&&` and `||`); NaN fails every comparison, so it passes only as missing.
    pub fn all(&self, col: &[f64]) -> bool {
        let (lo, hi, nan) = (self.lo, self.hi, self.missing_ok);
        let whole = |x: f64| nearest_whole(x) == x;
        match (self.kind, nan) {
            (IndicatorKind::Count, false) => col.iter().fold(true, |ok, &x| ok & (x >= lo) & (x <= hi) & whole(x)),
            (IndicatorKind::Count, true) => {
                col.iter().fold(true, |ok, &x| ok & (x.is_nan() | ((x >= lo) & (x <= hi) & whole(x))))
            }
            (IndicatorKind::YesNo, _) => col
                .iter()
                .fold(true, |ok, &x| ok & ((x.is_nan() & nan) | (((x == 0.0) | (x == 1.0)) & (x >= lo) & (x <= hi)))),
            (_, false) => col.iter().fold(true, |ok, &x| ok & (x >= lo) & (x <= hi)),
            (_, true) => col.iter().fold(true, |ok, &x| ok & (x.is_nan() | ((x >= lo) & (x <= hi)))),
        }
    }
}

/// The first bad cell of a column block, as `Plan::check_value` reports it.
pub(super) fn first_bad(plan: &Plan, s: usize, col: &[f64]) -> Option<(usize, BadValue)> {
    col.iter().enumerate().find_map(|(r, &x)| plan.check_value(s, x).err().map(|bad| (r, bad)))
}

/// One criterion's points over a block, as whole hundredths in floats; `a` is the rule's input
/// column, `b` a ratio's denominator. The arithmetic of `Plan::score_criterion`, in its order,
/// computed in every lane and kept or dropped by selects.
pub(super) fn criterion(kind: &Kind, max: Points, on_event: bool, a: &[f64], b: &[f64], out: &mut [f64]) {
    let (m, top) = (max.as_f64(), max.0 as f64);
    // Between floor and target, `Points::round(m × frac)`; at or past the target that rounds to
    // at least `top`, which the `min` keeps; at or below the floor, or missing (NaN), zero.
    let linear = |frac: f64| {
        let between = round_small((m * frac) * 100.0);
        let capped = if between < top { between } else { top };
        if frac > 0.0 { capped } else { 0.0 }
    };
    match kind {
        Kind::Linear { floor, target } => {
            let span = target - floor;
            for (o, &x) in out.iter_mut().zip(a) {
                *o = linear((x - floor) / span);
            }
        }
        Kind::Ratio { scale, floor, target } => {
            let span = target - floor;
            for ((o, &x), &d) in out.iter_mut().zip(a).zip(b) {
                let p = linear((x / d * scale - floor) / span);
                *o = if d == 0.0 { 0.0 } else { p };
            }
        }
        Kind::Steps { steps, higher } => {
            out.fill(0.0);
            // The best step reached (step points are never negative).
            for &(t, p) in steps {
                let p = p.0 as f64;
                for (o, &x) in out.iter_mut().zip(a) {
                    let reached = if *higher { x >= t } else { x <= t };
                    let q = if reached { p } else { 0.0 };
                    *o = if q > *o { q } else { *o };
                }
            }
        }
        Kind::YesNo => {
            for (o, &x) in out.iter_mut().zip(a) {
                *o = if x >= 0.5 { top } else { 0.0 };
            }
        }
        Kind::Deduction { required, per } => {
            for (o, &x) in out.iter_mut().zip(a) {
                let x = if on_event && x.is_nan() { 0.0 } else { x };
                let count = match required {
                    Some(r) => (r - x).max(0.0),
                    None => x,
                };
                let kept = (max.0 - Points::round_up_to(per * count, max).0) as f64;
                *o = if x.is_nan() { 0.0 } else { kept };
            }
        }
        Kind::Bonus { per } => {
            for (o, &x) in out.iter_mut().zip(a) {
                *o = Points::round_up_to(per * x, max).0 as f64;
            }
        }
    }
}

/// `section += points`.
pub(super) fn add(points: &[f64], section: &mut [f64]) {
    for (t, &p) in section.iter_mut().zip(points) {
        *t += p;
    }
}

/// `section += points`, and the points into the caller's column, in one pass.
pub(super) fn add_and_store<P: PointsOut>(points: &[f64], section: &mut [f64], column: &mut [P]) {
    for ((t, o), &p) in section.iter_mut().zip(column.iter_mut()).zip(points) {
        *t += p;
        *o = P::from_hundredths(p);
    }
}

/// Whole hundredths into the caller's column.
pub(super) fn store<P: PointsOut>(points: &[f64], column: &mut [P]) {
    for (o, &p) in column.iter_mut().zip(points) {
        *o = P::from_hundredths(p);
    }
}

/// `total += min(section, cap)`, and the section's running sum starts again. Sums of whole
/// hundredths in floats are exact far beyond any sheet's points (below 2⁵³).
pub(super) fn close_section(section: &mut [f64], cap: Points, total: &mut [f64]) {
    let cap = cap.0 as f64;
    for (s, t) in section.iter_mut().zip(total.iter_mut()) {
        *t += if *s < cap { *s } else { cap };
        *s = 0.0;
    }
}

/// `h += weight × points`, the weighted blend of sheets that `Plan::blended` sums.
pub(super) fn blend(points: &[f64], weight: f64, h: &mut [f64]) {
    for (h, &p) in h.iter_mut().zip(points) {
        *h += weight * p;
    }
}

/// A blend (never negative) rounded by the one rule, in place.
pub(super) fn round_blend(h: &mut [f64]) {
    for h in h.iter_mut() {
        *h = round_small(*h);
    }
}

/// Takes direct deductions off the scores, floored at zero: `per` × the count (a checked whole
/// number ≤ `limits::COUNT`, so each product fits), summed saturating. A score is never
/// negative before, so a saturated sum floors it exactly as the exact one would.
pub(super) fn deduct(deductions: &[(Points, &[f64])], score: &mut [f64]) {
    for (r, s) in score.iter_mut().enumerate() {
        let off = deductions.iter().fold(0i64, |off, &(per, counts)| {
            let c = counts[r];
            off.saturating_add(if c > 0.0 { per.0 * c.min(limits::COUNT) as i64 } else { 0 })
        });
        *s = (whole_to_i64(*s) - off).max(0) as f64;
    }
}

/// `hit |= bound holds`, for a veto or a weak-and-lax situation.
pub(super) fn trigger(test: crate::rules::rubric::Bound, x: &[f64], hit: &mut [bool]) {
    for (h, &x) in hit.iter_mut().zip(x) {
        *h |= test.holds(x);
    }
}

/// Band codes (0 where none applies): the first band, in plan order, whose minimum the score
/// reaches and whose conditions hold.
pub(super) fn bands<T: Copy>(
    bands: &[BandPlan<T>],
    code: impl Fn(T) -> u8,
    score: &[f64],
    columns: &[&[f64]],
    ok: &mut [bool],
    out: &mut [u8],
) {
    out.fill(0);
    for band in bands {
        for (o, &s) in ok.iter_mut().zip(score) {
            *o = s >= band.min.0 as f64;
        }
        for c in &band.requires {
            for (o, &x) in ok.iter_mut().zip(columns[c.slot]) {
                *o &= c.test.holds(x);
            }
        }
        let v = code(band.value);
        for (o, &ok) in out.iter_mut().zip(ok.iter()) {
            *o = if *o == 0 && ok { v } else { *o };
        }
    }
}

/// Vetoed rows get the vetoed band's code.
pub(super) fn vetoed_band(vetoed: &[bool], code: u8, out: &mut [u8]) {
    for (o, &v) in out.iter_mut().zip(vetoed) {
        *o = if v { code } else { *o };
    }
}

//! Scores as whole hundredths of a point, and the one rounding rule that makes them.
//! Every criterion's points are rounded here before any sum, threshold or ranking sees them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A score in hundredths of a point: `Points(8999)` is 89.99 points.
///
/// Sums of `Points` are exact integers, so section totals, sheet totals and band thresholds never
/// depend on float summation order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub i64);

/// Half a hundredth closer than this is taken as exactly half: f64 stores 89.995 as
/// 89.99499999999999, and a person reading the sheet expects it to round up to 90.00.
const HALF_TOLERANCE: f64 = 1e-6;

impl Points {
    /// No points.
    pub const ZERO: Points = Points(0);

    /// The rounding rule: half away from zero at 0.01 point.
    ///
    /// `Points::round(89.995) == Points(9000)`, `Points::round(89.994) == Points(8999)`,
    /// `Points::round(-0.005) == Points(-1)`. The caller guarantees `x` is finite.
    pub fn round(x: f64) -> Points {
        Points::round_hundredths(x * 100.0)
    }

    /// The same rule for a value already in hundredths (used for weighted blends of totals).
    #[inline]
    pub fn round_hundredths(h: f64) -> Points {
        Points(round_hundredths_whole(h) as i64)
    }

    /// `x` (≥ 0, possibly huge or infinite) rounded by the one rule, but never above `cap`: what a
    /// deduction takes off or a bonus adds, both limited by the criterion's points. Compared
    /// before rounding, so no product of a rate and a count can overflow.
    pub fn round_up_to(x: f64, cap: Points) -> Points {
        if x.is_nan() || x <= 0.0 {
            Points::ZERO
        } else if x >= cap.as_f64() {
            cap
        } else {
            Points::round(x).min(cap)
        }
    }

    /// Whole points given in a rule file (at most two decimals, checked when it loads).
    pub fn from_f64(x: f64) -> Points {
        Points::round(x)
    }

    /// As a float, for display and frames.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Whole hundredths of a point.
    pub fn hundredths(self) -> i64 {
        self.0
    }
}

const TWO52: f64 = 4_503_599_627_370_496.0;

/// The one rule on a value in hundredths, the whole result kept as a float: what
/// `Points::round_hundredths` gives, for column loops with no integer conversion in them.
#[inline(always)]
pub(crate) fn round_hundredths_whole(h: f64) -> f64 {
    let m = h.abs();
    // From 2⁵² up every float is whole.
    let rounded = if m < TWO52 { round_small(m) } else { m };
    if h < 0.0 { -rounded } else { rounded }
}

/// The rule on 0 ≤ h < 2⁵² hundredths, as a whole float. Branch-free and without a libm call, so
/// the column kernels run it in vector registers: adding and taking away 2⁵² rounds to the
/// nearest whole number, a round-up is stepped back to the floor, and the fraction decides.
#[inline(always)]
pub(crate) fn round_small(h: f64) -> f64 {
    let nearest = nearest_whole(h);
    let whole = nearest - if nearest > h { 1.0 } else { 0.0 };
    whole + if h - whole >= 0.5 - HALF_TOLERANCE { 1.0 } else { 0.0 }
}

/// The whole number nearest 0 ≤ x < 2⁵² (adding 2⁵² leaves no bits for a fraction), without a
/// libm call.
#[inline(always)]
pub(crate) fn nearest_whole(x: f64) -> f64 {
    (x + TWO52) - TWO52
}

/// A whole float 0 ≤ w < 2⁵² as an integer, by its bits after adding 2⁵² (a plain cast has no
/// vector instruction before AVX-512).
#[inline(always)]
pub(crate) fn whole_to_i64(w: f64) -> i64 {
    ((w + TWO52).to_bits() - TWO52.to_bits()) as i64
}

/// How a result column stores a criterion's points.
pub trait PointsOut: Copy + Send + Sync {
    /// Points given as whole hundredths in a float (exact, never negative).
    fn from_hundredths(h: f64) -> Self;
}

impl PointsOut for Points {
    fn from_hundredths(h: f64) -> Points {
        Points(whole_to_i64(h))
    }
}

/// Points as a float (hundredths ÷ 100, as [`Points::as_f64`]), for frames and C callers.
impl PointsOut for f64 {
    fn from_hundredths(h: f64) -> f64 {
        h / 100.0
    }
}

impl PointsOut for Option<Points> {
    fn from_hundredths(h: f64) -> Option<Points> {
        Some(Points::from_hundredths(h))
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0 + o.0)
    }
}

impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0 - o.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        let x = f64::deserialize(d)?;
        if !x.is_finite() {
            return Err(serde::de::Error::custom("points must be a finite number"));
        }
        Ok(Points::round(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_at_a_hundredth() {
        // 89.995 is stored as 89.99499999999999; the rule still sends it up to 90.00.
        assert_eq!(Points::round(89.995), Points(9000));
        assert_eq!(Points::round(89.994_9), Points(8999));
        assert_eq!(Points::round(0.125), Points(13));
        assert_eq!(Points::round(-0.125), Points(-13));
        assert_eq!(Points::round(2.0 / 3.0), Points(67));
        assert_eq!(Points::round_hundredths(0.4 * 8975.0 + 0.6 * 9000.0), Points(8990));
    }

    #[test]
    fn the_vector_friendly_rule_is_the_plain_one() {
        // The rule as written plainly, with the libm floor.
        let plain = |h: f64| {
            let whole = h.floor();
            if h - whole >= 0.5 - HALF_TOLERANCE { whole + 1.0 } else { whole }
        };
        let edges = [0.0, 0.499_999, 0.499_999_5, 0.5, 0.999_999_999, 1.0, 2.5, 3.5, 1e8 - 0.5, 1e8 + 0.499_999_1];
        let big = [2f64.powi(51) + 0.5, 2f64.powi(52) - 0.5, 2f64.powi(52) - 1.0, f64::MIN_POSITIVE];
        for h in edges.into_iter().chain(big).chain((0..200_000).map(|i| i as f64 * 0.037)) {
            assert_eq!(round_small(h), plain(h), "round_small({h})");
        }
        for w in [0.0, 1.0, 12_345.0, 1e8, 2f64.powi(52) - 1.0] {
            assert_eq!(whole_to_i64(w), w as i64);
            assert_eq!(f64::from_hundredths(w), Points(w as i64).as_f64());
        }
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Points(9000).to_string(), "90.00");
        assert_eq!(Points(5).to_string(), "0.05");
        assert_eq!(Points(-1250).to_string(), "-12.50");
    }
}

//! The ranking order of a year's candidates — score descending, the first tie-break's points
//! descending, then organization id, scheme id, period — as integer keys, so that millions of
//! candidates sort in a few passes over memory.

use crate::data::model::Period;
use crate::decisions::roster::Place;
use crate::scoring::points::Points;
use std::cmp::Reverse;

/// The order of candidates given as (score, first tie-break points, place, period). Each part is
/// counted from its least value (score and points from their greatest, so higher ranks first)
/// and the parts are packed into one integer in as few bits as the candidates' spreads need:
/// 64 bits for any year of a country (radix sorted), else 128, else the parts are compared.
/// Candidates given in the order of their places and periods are ranked as `InPlaceOrder`
/// ranks them.
pub(crate) fn ranking(parts: impl Iterator<Item = (Points, Points, Place, Period)> + Clone) -> Vec<usize> {
    let Some(spread) = Spread::of(parts.clone()) else { return Vec::new() };
    if spread.in_place_order && u32::try_from(spread.count).is_ok() {
        let mut order = InPlaceOrder::default();
        for (score, tie, ..) in parts.clone() {
            order.widen(score, tie);
        }
        let mut keys = order.keys();
        for (i, (score, tie, ..)) in parts.enumerate() {
            keys.push(i as u32, score, tie);
        }
        return keys.sorted().into_iter().map(|i| i as usize).collect();
    }
    let widths = spread.widths();
    let bits: u32 = widths.iter().sum();
    if bits <= 64 && u32::try_from(spread.count).is_ok() {
        let mut keys: Vec<(u64, u32)> =
            parts.enumerate().map(|(i, p)| (spread.key(p, &widths) as u64, i as u32)).collect();
        radix_sort(&mut keys, bits);
        return keys.into_iter().map(|(_, i)| i as usize).collect();
    }
    if bits <= 128 {
        let mut keys: Vec<(u128, usize)> = parts.enumerate().map(|(i, p)| (spread.key(p, &widths), i)).collect();
        keys.sort_unstable();
        return keys.into_iter().map(|(_, i)| i).collect();
    }
    let mut keyed: Vec<_> = parts
        .enumerate()
        .map(|(i, (score, tie, place, period))| ((Reverse(score), Reverse(tie), place.org, place.scheme, period), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Ranks candidates met in the order of their places and periods (organization id, scheme id,
/// period) from their score and first tie-break points alone: the order `ranking` gives them,
/// as every sort here keeps the order met among equal keys. Every candidate is spread first
/// (`widen`); then each is `push`ed, in place order, to the `keys` made for them.
#[derive(Default)]
pub(crate) struct InPlaceOrder {
    /// The least and greatest score, and first tie-break points.
    spread: Option<((i64, i64), (i64, i64))>,
    count: usize,
}

impl InPlaceOrder {
    #[inline]
    pub(crate) fn widen(&mut self, score: Points, tie: Points) {
        let widen = |(lo, hi): (i64, i64), x: i64| (lo.min(x), hi.max(x));
        self.spread = Some(match self.spread {
            None => ((score.0, score.0), (tie.0, tie.0)),
            Some((s, t)) => (widen(s, score.0), widen(t, tie.0)),
        });
        self.count += 1;
    }

    /// Spreads over `other`'s candidates too.
    pub(crate) fn join(&mut self, other: &InPlaceOrder) {
        let widen = |(lo, hi): (i64, i64), (l, h): (i64, i64)| (lo.min(l), hi.max(h));
        self.spread = match (self.spread, other.spread) {
            (Some((s, t)), Some((s2, t2))) => Some((widen(s, s2), widen(t, t2))),
            (mine, theirs) => mine.or(theirs),
        };
        self.count += other.count;
    }

    /// Room for the candidates spread, each keyed by its score's and points' offsets from the
    /// greatest, in as few bits as they need.
    pub(crate) fn keys(&self) -> Keys {
        let ((_, score), (_, tie)) = self.spread.unwrap_or_default();
        let width = |(lo, hi): (i64, i64)| 128 - ((i128::from(hi) - i128::from(lo)) as u128).leading_zeros();
        let (ws, wt) = self.spread.map_or((0, 0), |(s, t)| (width(s), width(t)));
        let n = self.count;
        let sort = match ws + wt {
            0..=32 => Sort::Narrow(Vec::with_capacity(n)),
            33..=64 => Sort::Wide(Vec::with_capacity(n)),
            _ => Sort::Compared(Vec::with_capacity(n)),
        };
        Keys { sort, score, tie, tie_width: wt, bits: ws + wt }
    }
}

/// The keys of candidates met in place order, sorted into their ranking by `sorted`.
pub(crate) struct Keys {
    sort: Sort,
    /// The greatest score and points.
    score: i64,
    tie: i64,
    tie_width: u32,
    bits: u32,
}

/// A score and points, the greater first.
type Head = (Reverse<Points>, Reverse<Points>);

enum Sort {
    /// Keys of at most 32 bits, or 64, radix sorted; else the parts compared.
    Narrow(Vec<(u32, u32)>),
    Wide(Vec<(u64, u32)>),
    Compared(Vec<(Head, u32)>),
}

impl Keys {
    /// The next candidate in place order, by the caller's number for it.
    #[inline]
    pub(crate) fn push(&mut self, at: u32, score: Points, tie: Points) {
        let from_top = |hi: i64, x: i64| (i128::from(hi) - i128::from(x)) as u128;
        let key = || from_top(self.score, score.0) << self.tie_width | from_top(self.tie, tie.0);
        match &mut self.sort {
            Sort::Narrow(keys) => keys.push((key() as u32, at)),
            Sort::Wide(keys) => keys.push((key() as u64, at)),
            Sort::Compared(keys) => keys.push(((Reverse(score), Reverse(tie)), at)),
        }
    }

    /// Appends `other`'s candidates, met after these (keys made alike).
    pub(crate) fn append(&mut self, other: Keys) {
        match (&mut self.sort, other.sort) {
            (Sort::Narrow(keys), Sort::Narrow(more)) => keys.extend(more),
            (Sort::Wide(keys), Sort::Wide(more)) => keys.extend(more),
            (Sort::Compared(keys), Sort::Compared(more)) => keys.extend(more),
            _ => debug_assert!(false, "keys made alike"),
        }
    }

    /// The candidates' numbers in rank order.
    pub(crate) fn sorted(self) -> Vec<u32> {
        match self.sort {
            Sort::Narrow(mut keys) => {
                radix_sort(&mut keys, self.bits);
                keys.into_iter().map(|(_, at)| at).collect()
            }
            Sort::Wide(mut keys) => {
                radix_sort(&mut keys, self.bits);
                keys.into_iter().map(|(_, at)| at).collect()
            }
            Sort::Compared(mut keys) => {
                keys.sort_by_key(|&(head, _)| head);
                keys.into_iter().map(|(_, at)| at).collect()
            }
        }
    }
}

/// Each part's least and greatest value over the candidates.
struct Spread {
    count: usize,
    score: (i64, i64),
    tie: (i64, i64),
    org: (u32, u32),
    scheme: (u32, u32),
    period: (u32, u32),
    /// Whether the candidates come ordered by place (organization, scheme), then period.
    in_place_order: bool,
}

impl Spread {
    fn of(mut parts: impl Iterator<Item = (Points, Points, Place, Period)>) -> Option<Spread> {
        let (score, tie, place, period) = parts.next()?;
        let o = period.order();
        let mut s = Spread {
            count: 1,
            score: (score.0, score.0),
            tie: (tie.0, tie.0),
            org: (place.org, place.org),
            scheme: (place.scheme, place.scheme),
            period: (o, o),
            in_place_order: true,
        };
        let mut last = (place.org, place.scheme, o);
        fn widen<T: Ord + Copy>(r: &mut (T, T), x: T) {
            *r = (r.0.min(x), r.1.max(x));
        }
        for (score, tie, place, period) in parts {
            s.count += 1;
            widen(&mut s.score, score.0);
            widen(&mut s.tie, tie.0);
            widen(&mut s.org, place.org);
            widen(&mut s.scheme, place.scheme);
            widen(&mut s.period, period.order());
            let tail = (place.org, place.scheme, period.order());
            s.in_place_order &= last <= tail;
            last = tail;
        }
        Some(s)
    }

    /// The bits each part's offsets need, in key order.
    fn widths(&self) -> [u32; 5] {
        let bits = |span: u128| 128 - span.leading_zeros();
        let wide = |(lo, hi): (i64, i64)| bits((i128::from(hi) - i128::from(lo)) as u128);
        let narrow = |(lo, hi): (u32, u32)| bits(u128::from(hi - lo));
        [wide(self.score), wide(self.tie), narrow(self.org), narrow(self.scheme), narrow(self.period)]
    }

    /// The candidate's key: its parts' offsets side by side, the score's in the highest bits.
    /// Only called when the widths sum to at most 128.
    fn key(&self, (score, tie, place, period): (Points, Points, Place, Period), widths: &[u32; 5]) -> u128 {
        let from_top = |(_, hi): (i64, i64), x: i64| (i128::from(hi) - i128::from(x)) as u128;
        let offsets = [
            from_top(self.score, score.0),
            from_top(self.tie, tie.0),
            u128::from(place.org - self.org.0),
            u128::from(place.scheme - self.scheme.0),
            u128::from(period.order() - self.period.0),
        ];
        offsets.iter().zip(widths).fold(0, |key, (&x, &w)| if w == 0 { key } else { key << w | x })
    }
}

/// Sorts by key, a digit of at most 14 bits at a time from the least significant (16,384
/// counts stay in the core's near caches), as few passes as the bits need. Each pass keeps the
/// order of equal digits, so equal keys stay in the order given, as the index after the key kept
/// them before. Digits every key shares are skipped.
fn radix_sort<K: Copy + Default + Into<u64>>(keys: &mut Vec<(K, u32)>, bits: u32) {
    const WIDEST: u32 = 14;
    let passes = bits.div_ceil(WIDEST).max(1);
    let width = bits.div_ceil(passes);
    let mut spare = vec![(K::default(), 0); keys.len()];
    let mut shift = 0;
    while shift < bits {
        let digit = |k: K| ((k.into() >> shift) & ((1 << width) - 1)) as usize;
        let mut start = vec![0usize; 1 << width];
        for &(k, _) in keys.iter() {
            start[digit(k)] += 1;
        }
        if start.contains(&keys.len()) {
            shift += width;
            continue;
        }
        let mut at = 0;
        for s in start.iter_mut() {
            (*s, at) = (at, at + *s);
        }
        for &(k, i) in keys.iter() {
            let d = digit(k);
            spare[start[d]] = (k, i);
            start[d] += 1;
        }
        std::mem::swap(keys, &mut spare);
        shift += width;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(parts: &[(Points, Points, Place, Period)]) -> Vec<usize> {
        let mut want: Vec<usize> = (0..parts.len()).collect();
        want.sort_by_key(|&i| {
            let (score, tie, place, period) = parts[i];
            (Reverse(score), Reverse(tie), place.org, place.scheme, period)
        });
        want
    }

    /// The packed keys order as the parts do, in 64 bits, in 128 and compared part by part.
    #[test]
    fn the_ranking_order_is_the_order_of_its_parts() {
        let periods: Vec<Period> =
            ["2023", "2023-Q1", "2023-Q4", "2023-01", "2023-12", "2024"].iter().map(|p| p.parse().unwrap()).collect();
        // Every combination of a few scores, points, organizations, schemes and periods, out of
        // order (a fixed shuffle): 14 + 14 + 20 + 2 + 6 bits, packed in 64 and radix sorted.
        let mut parts = Vec::new();
        for score in [0, 1, 5000, 10_000] {
            for tie in [0, 7, 10_000] {
                for org in [0, 3, 1_000_000] {
                    for scheme in [0, 2, 3] {
                        for &period in &periods {
                            parts.push((Points(score), Points(tie), Place { org, scheme, county: org % 3 }, period));
                        }
                    }
                }
            }
        }
        let n = parts.len();
        parts = (0..n).map(|i| parts[(i * 7919) % n]).collect();
        assert_eq!(ranking(parts.iter().copied()), want(&parts));
        // A negative score and the widest scheme: 15 + 14 + 20 + 32 + 6 bits, packed in 128.
        let mut wider = parts.clone();
        wider[3].2.scheme = u32::MAX;
        wider[5].0 = Points(-10_000);
        assert_eq!(ranking(wider.iter().copied()), want(&wider));
        // Scores and points across all of i64: 64 + 64 + … bits, compared part by part.
        let mut widest = parts.clone();
        (widest[7].0, widest[8].0) = (Points(i64::MIN), Points(i64::MAX));
        (widest[9].1, widest[10].1) = (Points(i64::MIN), Points(i64::MAX));
        assert_eq!(ranking(widest.iter().copied()), want(&widest));
        assert_eq!(ranking(std::iter::empty()), Vec::<usize>::new());
    }

    /// A year of a million candidates with every digit in use: the radix passes order it as a
    /// comparison sort does.
    #[test]
    fn a_million_candidates_rank_as_compared() {
        let period: Period = "2023".parse().unwrap();
        let mut state = 7u64;
        let parts: Vec<_> = (0..1_000_000u32)
            .map(|i| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let score = Points((state >> 33) as i64 % 10_001);
                let tie = Points((state >> 20) as i64 % 2_001);
                // Distinct organizations, out of order.
                (score, tie, Place { org: i.wrapping_mul(2_654_435_761) >> 8, scheme: i % 6, county: 0 }, period)
            })
            .collect();
        assert_eq!(ranking(parts.iter().copied()), want(&parts));
        // The same candidates given in the order of their places rank by score and points
        // alone (`InPlaceOrder`), in 24 bits; and with points across all of i64, compared.
        let mut in_order = parts.clone();
        in_order.sort_by_key(|&(_, _, place, period)| (place, period));
        assert_eq!(ranking(in_order.iter().copied()), want(&in_order));
        (in_order[10].1, in_order[20].1) = (Points(i64::MIN), Points(i64::MAX));
        assert_eq!(ranking(in_order.iter().copied()), want(&in_order));
    }
}

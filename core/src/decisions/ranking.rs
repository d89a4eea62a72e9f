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
pub(crate) fn ranking(parts: impl Iterator<Item = (Points, Points, Place, Period)> + Clone) -> Vec<usize> {
    let Some(spread) = Spread::of(parts.clone()) else { return Vec::new() };
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

/// Each part's least and greatest value over the candidates.
struct Spread {
    count: usize,
    score: (i64, i64),
    tie: (i64, i64),
    org: (u32, u32),
    scheme: (u32, u32),
    period: (u32, u32),
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
        };
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

/// Sorts by key, 11 bits at a time from the least significant (2,048 counts stay in the core's
/// nearest cache). Each pass keeps the order of equal digits, so equal keys stay in the order
/// given, as the index after the key kept them before. Digits every key shares are skipped.
fn radix_sort(keys: &mut Vec<(u64, u32)>, bits: u32) {
    const DIGIT: u32 = 11;
    let mut spare = vec![(0, 0); keys.len()];
    let mut shift = 0;
    while shift < bits {
        let digit = |k: u64| ((k >> shift) & ((1 << DIGIT) - 1)) as usize;
        let mut start = vec![0usize; 1 << DIGIT];
        for &(k, _) in keys.iter() {
            start[digit(k)] += 1;
        }
        if start.contains(&keys.len()) {
            shift += DIGIT;
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
        shift += DIGIT;
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
    }
}

//! Scoring under other weights without reading the inputs again: each criterion's fraction of its
//! maximum is computed once per report, then any weights give every report's score, bands and
//! tie-break points as evaluating the re-weighted sheet gives them — the one rounding rule on each
//! criterion's points, section caps that move with their sections, direct deductions, vetoes and
//! band conditions as the inputs set them. With the sheet's own weights the results are the
//! evaluation's, bit for bit.

use crate::data::year_columns::SchemeRows;
use crate::scoring::bulk::BulkResult;
use crate::scoring::plan::{BandPlan, Kind, Plan};
use crate::scoring::points::Points;

/// A scheme's weights, in points: each criterion's maximum and each section's cap.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// Each criterion's maximum, in `Plan::criterion_ids` order.
    pub criteria: Vec<f64>,
    /// Each section's cap, in the sheet's order.
    pub sections: Vec<f64>,
}

/// One scheme's reports reduced to what weights act on.
#[derive(Clone, Debug)]
pub struct Reweighable {
    rows: usize,
    /// `frac[sheet × criteria + c][row]`: the criterion's fraction of its maximum (above 1 or
    /// below 0 where the input lies beyond the target or floor).
    frac: Vec<Vec<f64>>,
    /// Each row's direct deductions, in hundredths.
    off: Vec<i128>,
    vetoed: Vec<bool>,
    weak_lax: Vec<bool>,
    /// Bit `b` set where the conditions of star band `b` (standing band `b`) hold.
    stars_ok: Vec<u32>,
    standing_ok: Vec<u32>,
}

impl Reweighable {
    /// How many reports.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

impl Plan {
    /// The sheet's own weights.
    pub fn weights(&self) -> Weights {
        Weights {
            criteria: self.criteria.iter().map(|c| c.max.as_f64()).collect(),
            sections: self.sections.iter().map(|s| s.max.as_f64()).collect(),
        }
    }

    /// Each section's criteria, by index.
    pub fn section_criteria(&self) -> Vec<std::ops::Range<usize>> {
        self.sections.iter().map(|s| s.criteria.clone()).collect()
    }

    /// The section ids, in the sheet's order.
    pub fn section_ids(&self) -> Vec<&str> {
        self.sections.iter().map(|s| s.id.as_str()).collect()
    }

    /// A criterion's fraction of its maximum on one sheet: the linear fraction itself for linear
    /// and ratio rules (rounded only once weighted), else its points over its maximum.
    fn criterion_fraction(&self, c: usize, sheet: usize, x: &[f64]) -> f64 {
        let cp = &self.criteria[c];
        let [a, b] = cp.inputs[sheet];
        let v = if cp.on_event && x[a].is_nan() { 0.0 } else { x[a] };
        if v.is_nan() {
            return 0.0;
        }
        match &cp.kind {
            Kind::Linear { floor, target } => (v - floor) / (target - floor),
            Kind::Ratio { scale, floor, target } if !x[b].is_nan() && x[b] != 0.0 => {
                (v / x[b] * scale - floor) / (target - floor)
            }
            Kind::Ratio { .. } => 0.0,
            _ if cp.max == Points::ZERO => 0.0,
            _ => self.score_criterion(c, sheet, x).0.as_f64() / cp.max.as_f64(),
        }
    }

    /// The scheme's reports reduced to their fractions, deductions, flags and band conditions.
    pub fn reweighable(&self, rows: &SchemeRows) -> Reweighable {
        let (n, sheets) = (self.criteria.len(), self.sheets.len());
        let mut frac = vec![Vec::with_capacity(rows.rows()); sheets * n];
        let mut r = Reweighable {
            rows: rows.rows(),
            frac: Vec::new(),
            off: Vec::with_capacity(rows.rows()),
            vetoed: Vec::with_capacity(rows.rows()),
            weak_lax: Vec::with_capacity(rows.rows()),
            stars_ok: Vec::with_capacity(rows.rows()),
            standing_ok: Vec::with_capacity(rows.rows()),
        };
        for row in 0..rows.rows() {
            let x = rows.row(row);
            for sheet in 0..sheets {
                for c in 0..n {
                    frac[sheet * n + c].push(self.criterion_fraction(c, sheet, &x));
                }
            }
            r.off.push((0..self.deductions.len()).map(|d| i128::from(self.deduction_points(d, &x).0)).sum());
            r.vetoed.push((0..self.vetoes.len()).any(|v| self.veto_hit(v, &x)));
            r.weak_lax.push(self.weak_lax.iter().any(|t| t.hit(&x)));
            r.stars_ok.push(conditions_held(&self.stars, &x));
            r.standing_ok.push(conditions_held(&self.standings, &x));
        }
        r.frac = frac;
        r
    }

    /// Every report scored under `w` into `out` (sized by `BulkResult::new(rows, 0)`), with the
    /// points of the criteria `ties` (by index) in `out.criteria` and none of the others'.
    pub fn rescore(&self, r: &Reweighable, w: &Weights, ties: &[usize], out: &mut BulkResult) {
        let (n, sheets) = (self.criteria.len(), self.sheets.len());
        let caps: Vec<Points> = w.sections.iter().map(|&c| Points::round(c)).collect();
        let full: Vec<Points> = w.criteria.iter().map(|&c| Points::round(c)).collect();
        out.criteria =
            (0..n).map(|c| if ties.contains(&c) { vec![Points::ZERO; r.rows] } else { Vec::new() }).collect();
        let mut crit = vec![Points::ZERO; sheets * n];
        for row in 0..r.rows {
            for sheet in 0..sheets {
                for c in 0..n {
                    let f = r.frac[sheet * n + c][row];
                    // As `score_criterion`: the full weight at or past the target, none at or
                    // below the floor, else the weighted fraction rounded by the one rule.
                    crit[sheet * n + c] = if f >= 1.0 {
                        full[c]
                    } else if f <= 0.0 {
                        Points::ZERO
                    } else {
                        Points::round(w.criteria[c] * f)
                    };
                }
            }
            let total = |sheet: usize| -> Points {
                let section = |(s, range): (usize, &std::ops::Range<usize>)| {
                    let sum: Points = range.clone().map(|c| crit[sheet * n + c]).sum();
                    sum.min(caps[s])
                };
                self.sections.iter().map(|s| &s.criteria).enumerate().map(section).sum()
            };
            let blended = if sheets == 1 {
                total(0)
            } else {
                Points::round_hundredths((0..sheets).map(|s| self.sheets[s].weight * total(s).0 as f64).sum())
            };
            let score = Points((i128::from(blended.0) - r.off[row]).max(0) as i64);
            let (stars, standing) = if r.vetoed[row] {
                (self.vetoed_stars, self.vetoed_standing)
            } else {
                (band(&self.stars, score, r.stars_ok[row]), band(&self.standings, score, r.standing_ok[row]))
            };
            out.score[row] = score;
            out.stars[row] = stars.map_or(0, |s| s.get());
            out.standing[row] = standing.map_or(0, |s| s.code());
            out.vetoed[row] = r.vetoed[row];
            out.weak_lax[row] = r.weak_lax[row];
            for &c in ties {
                out.criteria[c][row] = self.criterion_blend(c, &crit);
            }
        }
    }
}

/// Bit `b` set where the conditions of band `b` hold on the inputs `x`.
fn conditions_held<T>(bands: &[BandPlan<T>], x: &[f64]) -> u32 {
    let held = |b: &BandPlan<T>| b.requires.iter().all(|c| c.test.holds(x[c.slot]));
    bands.iter().enumerate().filter(|(_, b)| held(b)).fold(0, |m, (i, _)| m | 1 << i)
}

/// The first band the score reaches whose conditions hold (`ok`, from `conditions_held`).
fn band<T: Copy>(bands: &[BandPlan<T>], score: Points, ok: u32) -> Option<T> {
    bands.iter().enumerate().find(|(i, b)| score >= b.min && ok & (1 << i) != 0).map(|(_, b)| b.value)
}

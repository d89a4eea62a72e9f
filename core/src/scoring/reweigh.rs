//! Scoring under other weights without reading the inputs again: each criterion's fraction of its
//! maximum is computed once per report, then any weights give every report's score, bands and
//! tie-break points as evaluating the re-weighted sheet gives them — the one rounding rule on each
//! criterion's points, section caps that move with their sections, direct deductions, vetoes and
//! band conditions as the inputs set them. With the sheet's own weights the results are the
//! evaluation's, bit for bit.

use crate::data::model::{Standing, Stars};
use crate::data::year_columns::SchemeRows;
use crate::scoring::bulk::BulkResult;
use crate::scoring::kernels::{BLOCK, blend, close_section, round_blend};
use crate::scoring::plan::{BandPlan, Kind, Plan};
use crate::scoring::points::{Points, round_hundredths_whole, whole_to_i64};

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
    /// `frac[sheet × criteria + c]`: each row's fraction of the criterion's maximum (above 1 or
    /// below 0 where the input lies beyond the target or floor).
    frac: Vec<Fractions>,
    /// Each row's direct deductions, in hundredths, as a float capped at 2⁵³: exact wherever a
    /// score could stay above zero (scores are far below 2⁵³).
    off: Vec<f64>,
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

    /// Each report vetoed, whatever the weights.
    pub fn vetoed(&self) -> &[bool] {
        &self.vetoed
    }

    /// Each report in a weak-and-lax situation, whatever the weights.
    pub fn weak_lax(&self) -> &[bool] {
        &self.weak_lax
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
            let off: i128 = (0..self.deductions.len()).map(|d| i128::from(self.deduction_points(d, &x).0)).sum();
            r.off.push(off.min(1 << 53) as f64);
            r.vetoed.push((0..self.vetoes.len()).any(|v| self.veto_hit(v, &x)));
            r.weak_lax.push(self.weak_lax.iter().any(|t| t.hit(&x)));
            r.stars_ok.push(conditions_held(&self.stars, &x));
            r.standing_ok.push(conditions_held(&self.standings, &x));
        }
        r.frac = frac.into_iter().map(Fractions::new).collect();
        r
    }

    /// Every report scored under `w` into `out` (sized by `BulkResult::new(rows, 0)`), with the
    /// points of the criteria `ties` (by index) in `out.criteria` and none of the others'.
    pub fn rescore(&self, r: &Reweighable, w: &Weights, ties: &[usize], out: &mut BulkResult) {
        self.rescore_totals(r, w, out, true, &mut Tables::default());
        out.vetoed.clone_from(&r.vetoed);
        out.weak_lax.clone_from(&r.weak_lax);
        out.criteria = (0..self.criteria.len())
            .map(|c| match ties.contains(&c) {
                true => (0..r.rows).map(|row| self.reweighed_points(r, w, c, row)).collect(),
                false => Vec::new(),
            })
            .collect();
    }

    /// Every report's score and stars under `w` into `out` (its standing too, if `standing`),
    /// column by column in blocks of rows, with `kernels`' sums: what a draw of a study computes.
    pub(crate) fn rescore_totals(
        &self,
        r: &Reweighable,
        w: &Weights,
        out: &mut BulkResult,
        standing: bool,
        tables: &mut Tables,
    ) {
        let n = self.criteria.len();
        let caps: Vec<Points> = w.sections.iter().map(|&c| Points::round(c)).collect();
        let full: Vec<f64> = w.criteria.iter().map(|&c| Points::round(c).0 as f64).collect();
        // Each coded column's distinct fractions weighed once.
        tables.0.resize_with(r.frac.len(), || Box::new([0.0; CODES]));
        for (j, (f, table)) in r.frac.iter().zip(tables.0.iter_mut()).enumerate() {
            if let Fractions::Few { values, .. } = f {
                let c = j % n;
                table.iter_mut().zip(values).for_each(|(t, &f)| *t = weighted(f, w.criteria[c], full[c]));
            }
        }
        let (mut section, mut total, mut blended) = ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
        for from in (0..r.rows).step_by(BLOCK) {
            let to = (from + BLOCK).min(r.rows);
            let k = to - from;
            blended[..k].fill(0.0);
            for (sheet, sp) in self.sheets.iter().enumerate() {
                total[..k].fill(0.0);
                for (s, sec) in self.sections.iter().enumerate() {
                    for c in sec.criteria.clone() {
                        let j = sheet * n + c;
                        match &r.frac[j] {
                            Fractions::Few { values, codes } if values.len() <= 2 => {
                                let t = &tables.0[j];
                                add_two(&codes[from..to], t[0], t[values.len() - 1], &mut section[..k])
                            }
                            Fractions::Few { codes, .. } => {
                                add_coded(&codes[from..to], &tables.0[j], &mut section[..k])
                            }
                            Fractions::Many(f) => add_weighted(&f[from..to], w.criteria[c], full[c], &mut section[..k]),
                        }
                    }
                    close_section(&mut section[..k], caps[s], &mut total[..k]);
                }
                if self.sheets.len() == 1 {
                    blended[..k].copy_from_slice(&total[..k]);
                } else {
                    blend(&total[..k], sp.weight, &mut blended[..k]);
                }
            }
            if self.sheets.len() > 1 {
                round_blend(&mut blended[..k]);
            }
            let (off, vetoed) = (&r.off[from..to], &r.vetoed[from..to]);
            for (b, &off) in blended[..k].iter_mut().zip(off) {
                *b = (*b - off).max(0.0);
            }
            for (o, &b) in out.score[from..to].iter_mut().zip(&blended[..k]) {
                *o = Points(whole_to_i64(b));
            }
            let code = |s: Option<Stars>| s.map_or(0, |s| s.get());
            bands(
                &self.stars,
                code,
                self.vetoed_stars,
                &blended[..k],
                &r.stars_ok[from..to],
                vetoed,
                &mut out.stars[from..to],
            );
            if standing {
                let code = |s: Option<Standing>| s.map_or(0, |s| s.code());
                let ok = &r.standing_ok[from..to];
                bands(
                    &self.standings,
                    code,
                    self.vetoed_standing,
                    &blended[..k],
                    ok,
                    vetoed,
                    &mut out.standing[from..to],
                );
            }
        }
    }

    /// One report's points on criterion `c` under `w`, blended across the sheets as
    /// `Plan::criterion_blend` blends them: what a tie-break reads.
    pub(crate) fn reweighed_points(&self, r: &Reweighable, w: &Weights, c: usize, row: usize) -> Points {
        let n = self.criteria.len();
        let full = Points::round(w.criteria[c]).0 as f64;
        self.blend_sheets(|sheet| weighted(r.frac[sheet * n + c].get(row), w.criteria[c], full))
    }
}

/// A criterion's points under weight `w`, in hundredths, from its fraction `f`: as
/// `score_criterion` gives them, the full weight (`full`, rounded) at or past the target, none at
/// or below the floor, else the weighted fraction rounded by the one rule.
#[inline(always)]
fn weighted(f: f64, w: f64, full: f64) -> f64 {
    let between = round_hundredths_whole((w * f) * 100.0);
    if f >= 1.0 {
        full
    } else if f <= 0.0 {
        0.0
    } else {
        between
    }
}

/// How many distinct fractions a column may have to be coded.
const CODES: usize = 4096;

/// One criterion's fractions on one sheet, row by row: coded by their distinct values where
/// there are at most `CODES` and at most one per eight rows (a draw then weighs each value once
/// and reads a table — two values need none — and a row costs two bytes, not eight), else as
/// they are.
#[derive(Clone, Debug)]
enum Fractions {
    Few { values: Vec<f64>, codes: Vec<u16> },
    Many(Vec<f64>),
}

impl Fractions {
    fn new(f: Vec<f64>) -> Fractions {
        let most = CODES.min(f.len() / 8);
        let mut values: Vec<f64> = Vec::new();
        let mut code: std::collections::HashMap<u64, u16> = std::collections::HashMap::new();
        let mut codes = Vec::with_capacity(f.len());
        for &x in &f {
            let c = match code.get(&x.to_bits()) {
                Some(&c) => c,
                None if values.len() >= most => return Fractions::Many(f),
                None => {
                    let c = values.len() as u16;
                    values.push(x);
                    code.insert(x.to_bits(), c);
                    c
                }
            };
            codes.push(c);
        }
        Fractions::Few { values, codes }
    }

    fn get(&self, row: usize) -> f64 {
        match self {
            Fractions::Few { values, codes } => values[usize::from(codes[row])],
            Fractions::Many(f) => f[row],
        }
    }
}

/// The tables a re-scoring fills for its coded columns, kept from draw to draw.
#[derive(Default)]
pub(crate) struct Tables(Vec<Box<[f64; CODES]>>);

/// `section +=` the points of a block of fractions of at most two values (codes 0 and 1, with
/// points `at0` and `at1`), by arithmetic rather than a table: exact, as points are whole.
fn add_two(codes: &[u16], at0: f64, at1: f64, section: &mut [f64]) {
    let step = at1 - at0;
    for (s, &c) in section.iter_mut().zip(codes) {
        *s += at0 + step * f64::from(c);
    }
}

/// `section +=` the points of a block of coded fractions, read from their table (a code is
/// below `CODES`: the mask only lets the compiler see it).
fn add_coded(codes: &[u16], table: &[f64; CODES], section: &mut [f64]) {
    for (s, &c) in section.iter_mut().zip(codes) {
        *s += table[usize::from(c) & (CODES - 1)];
    }
}

/// `section +=` a criterion's points under weight `w` for a block of fractions.
fn add_weighted(frac: &[f64], w: f64, full: f64, section: &mut [f64]) {
    for (s, &f) in section.iter_mut().zip(frac) {
        *s += weighted(f, w, full);
    }
}

/// Bit `b` set where the conditions of band `b` hold on the inputs `x`.
fn conditions_held<T>(bands: &[BandPlan<T>], x: &[f64]) -> u32 {
    let held = |b: &BandPlan<T>| b.requires.iter().all(|c| c.test.holds(x[c.slot]));
    bands.iter().enumerate().filter(|(_, b)| held(b)).fold(0, |m, (i, _)| m | 1 << i)
}

/// Each row's band code (0 for none): the first band, in plan order, that its score reaches and
/// whose conditions hold (`ok`, from `conditions_held`); a vetoed row's is the vetoed band's. One
/// branch-free pass per band, last band first, so the first that fits is written last.
fn bands<T: Copy>(
    bands: &[BandPlan<T>],
    code: impl Fn(Option<T>) -> u8,
    vetoed_band: Option<T>,
    score: &[f64],
    ok: &[u32],
    vetoed: &[bool],
    out: &mut [u8],
) {
    out.fill(0);
    for (i, b) in bands.iter().enumerate().rev() {
        let (min, v) = (b.min.0 as f64, code(Some(b.value)));
        for ((o, &s), &ok) in out.iter_mut().zip(score).zip(ok) {
            *o = if s >= min && ok & (1 << i) != 0 { v } else { *o };
        }
    }
    let v = code(vetoed_band);
    for (o, &vetoed) in out.iter_mut().zip(vetoed) {
        *o = if vetoed { v } else { *o };
    }
}

//! Gap analysis (整软散、创示范): how far an evaluation is from the next band, which criteria
//! have the most points left, and the indicator value each would need to close the gap.

use crate::error::{Error, Result};
use crate::rules::program::Program;
use crate::rules::rubric::IndicatorKind;
use crate::scoring::evaluate::Evaluation;
use crate::scoring::plan::{BandPlan, Kind};
use crate::scoring::points::Points;
use serde::{Deserialize, Serialize};

/// How far an evaluation is from full marks, and what would close the gap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// The organization.
    pub org_id: String,
    /// The scheme.
    pub scheme: String,
    /// The score now.
    pub score: Points,
    /// The next band up: "4★", or a standing such as "先进" when the scheme has no stars.
    pub next: Option<String>,
    /// Points still needed to reach the next band's minimum (0 when only conditions are unmet).
    pub points_needed: Points,
    /// Extra conditions of the next band not yet met.
    pub unmet_conditions: Vec<String>,
    /// A vetoed organization stays in the lowest band whatever it scores.
    pub vetoed: bool,
    /// Criteria with points left, most attainable first.
    pub items: Vec<GapItem>,
}

/// One criterion short of full marks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapItem {
    /// The criterion.
    pub criterion: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// The indicator it reads, if any.
    pub indicator: Option<String>,
    /// Points this criterion can still add to the total (after section caps and weights).
    pub attainable: Points,
    /// The value reported.
    pub value_now: Option<f64>,
    /// The value that gains the points needed (or all attainable points, if fewer).
    pub value_needed: Option<f64>,
    /// Reaching `value_needed` alone closes the gap.
    pub closes_gap: bool,
}

impl Program {
    /// The gap of an evaluation: every criterion short of full marks, the most points to gain
    /// first.
    ///
    /// ```
    /// let program = exemplar::Program::default();
    /// let year = exemplar::sample::sample_year(&program, Some(50), 1, 2023)?;
    /// let e = program.evaluate(&year.reports[0])?;
    /// let gap = program.gap(&e)?;
    /// assert!(gap.items.iter().all(|i| i.attainable.hundredths() > 0));
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn gap(&self, e: &Evaluation) -> Result<Gap> {
        let plan = self.plan(&e.scheme)?;
        if e.sheets.len() != plan.sheets.len() || e.sheets.iter().any(|s| s.sections.len() != plan.sections.len()) {
            return Err(Error::Shape(format!("evaluation of `{}` does not match scheme `{}`", e.org_id, e.scheme)));
        }
        let (next, min, conds) = if !plan.stars.is_empty() {
            next_band(&plan.stars, e.stars, |s| s.to_string(), e, self)
        } else {
            next_band(&plan.standings, e.standing, |s| s.name_zh().to_string(), e, self)
        };
        let needed = Points((min.0 - e.score.0).max(0));
        // The heaviest assessor's sheet is the one to work on.
        let si = (0..plan.sheets.len())
            .fold(0, |best, s| if plan.sheets[s].weight > plan.sheets[best].weight { s } else { best });
        let w = plan.sheets[si].weight;
        let needed_sheet = Points((needed.0 as f64 / w).ceil() as i64);
        let sheet = &e.sheets[si];
        let mut items = Vec::new();
        for (k, sec) in sheet.sections.iter().enumerate() {
            let headroom = Points((sec.max.0 - sec.points.0).max(0));
            for (ci, c) in sec.criteria.iter().enumerate() {
                let cp = &plan.criteria[plan.sections[k].criteria.start + ci];
                let left = Points((c.max.0 - c.points.0).min(headroom.0).max(0));
                if left == Points::ZERO || cp.on_event {
                    continue;
                }
                let gain = if needed_sheet > Points::ZERO { left.min(needed_sheet) } else { left };
                let kind = cp.indicator.as_ref().and_then(|i| self.indicator(i)).map(|d| d.kind);
                items.push(GapItem {
                    criterion: c.id.clone(),
                    name_zh: c.name_zh.clone(),
                    indicator: cp.indicator.clone(),
                    attainable: Points::round_hundredths(left.0 as f64 * w),
                    value_now: c.input,
                    value_needed: value_for(cp, c.points + gain, kind),
                    closes_gap: needed > Points::ZERO && left >= needed_sheet,
                });
            }
        }
        items.sort_by(|a, b| b.attainable.cmp(&a.attainable).then_with(|| a.criterion.cmp(&b.criterion)));
        Ok(Gap {
            org_id: e.org_id.clone(),
            scheme: e.scheme.clone(),
            score: e.score,
            next,
            points_needed: needed,
            unmet_conditions: conds,
            vetoed: e.vetoed,
            items,
        })
    }
}

/// The band above `current` (bands are sorted best first): its label, minimum and the
/// conditions the evaluation does not meet yet.
fn next_band<T: Copy + PartialEq>(
    bands: &[BandPlan<T>],
    current: Option<T>,
    label: impl Fn(T) -> String,
    e: &Evaluation,
    program: &Program,
) -> (Option<String>, Points, Vec<String>) {
    let pos = current.and_then(|c| bands.iter().position(|b| b.value == c)).unwrap_or(bands.len());
    let Some(b) = pos.checked_sub(1).map(|i| &bands[i]) else {
        return (None, e.score, Vec::new());
    };
    let unmet = b
        .requires
        .iter()
        .filter(|c| {
            let v = e.condition_values.get(&c.indicator).copied();
            !v.is_some_and(|v| c.test.holds(v))
        })
        .map(|c| {
            let zh = program.indicator(&c.indicator).map(|d| d.name_zh.as_str()).unwrap_or_default();
            format!("{} ({zh}) {}", c.indicator, c.test)
        })
        .collect();
    (Some(label(b.value)), b.min, unmet)
}

/// The indicator value (for a ratio: the ratio) that earns `points` on a criterion.
fn value_for(cp: &crate::scoring::plan::CriterionPlan, points: Points, kind: Option<IndicatorKind>) -> Option<f64> {
    let frac = points.0 as f64 / cp.max.0 as f64;
    let whole = |v: f64, higher: bool| {
        if kind == Some(IndicatorKind::Count) {
            if higher { v.ceil() } else { v.floor() }
        } else {
            (v * 100.0).round() / 100.0
        }
    };
    match &cp.kind {
        Kind::Linear { floor, target } => Some(whole(floor + frac * (target - floor), target > floor)),
        Kind::Ratio { floor, target, .. } => Some(((floor + frac * (target - floor)) * 100.0).ceil() / 100.0),
        Kind::Steps { steps, higher } => {
            let reach = steps.iter().filter(|(_, p)| *p >= points).map(|(t, _)| *t);
            let best = if *higher { reach.reduce(f64::min) } else { reach.reduce(f64::max) };
            best.or_else(|| steps.iter().max_by_key(|(_, p)| *p).map(|(t, _)| *t))
        }
        Kind::YesNo => Some(1.0),
        Kind::Deduction { required, per } => {
            let allowed = (((cp.max.0 - points.0) as f64 / 100.0) / per + 1e-9).floor().max(0.0);
            Some(match required {
                Some(r) => r - allowed,
                None => allowed,
            })
        }
        Kind::Bonus { per } => Some((points.as_f64() / per - 1e-9).ceil()),
    }
}

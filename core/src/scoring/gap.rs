//! Gap analysis (整软散、创示范): how far an evaluation is from the next band, which criteria
//! have the most points left, and the indicator value each would need to close the gap.

use crate::error::{Error, Result};
use crate::rules::language::{Language, text};
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

/// An evaluation handed to a scheme it was not made under.
fn mismatch(e: &Evaluation) -> Error {
    let (org, scheme) = (&e.org_id, &e.scheme);
    Error::Shape(text!("`{org}`的评价与方案`{scheme}`不符", "evaluation of `{org}` does not match scheme `{scheme}`"))
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
            return Err(mismatch(e));
        }
        let lang = self.language();
        let (next, min, conds) = if !plan.stars.is_empty() {
            next_band(&plan.stars, e.stars, |s| s.to_string(), e, self)
        } else {
            next_band(&plan.standings, e.standing, |s| s.name(lang).to_string(), e, self)
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

/// What an improvement plan aims at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// The next band up.
    Reach,
    /// The band it has, whatever else happens.
    Keep,
}

/// The combined plan an organization asks for: the fewest criteria, and the value each must
/// reach (or hold), that together reach the next band or keep the present one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImprovementPlan {
    /// The organization.
    pub org_id: String,
    /// The scheme.
    pub scheme: String,
    /// The score now.
    pub score: Points,
    /// Reach the next band, or keep this one.
    pub goal: Goal,
    /// The band to reach or keep ("4★", or a standing such as "先进"); None at the top band
    /// (reach) or with no band (keep).
    pub band: Option<String>,
    /// The band's minimum score.
    pub band_min: Points,
    /// Reach: the points to gain; keep: the points the held criteria must secure (the minimum).
    pub points: Points,
    /// The criteria, most points first; the last may need only part of its points.
    pub steps: Vec<PlanStep>,
    /// The band's extra conditions to meet (reach: those unmet) or to keep meeting (keep).
    pub conditions: Vec<String>,
    /// The steps (with the conditions) reach or keep the band; never for a vetoed organization.
    pub achievable: bool,
    /// The plan in words, as the gap analysis words its items.
    pub summary: String,
}

/// One criterion of an improvement plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanStep {
    /// The criterion.
    pub criterion: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// The indicator it reads (for an event deduction: the event).
    pub indicator: Option<String>,
    /// Its points on the total now (after the assessor's weight).
    pub points_now: Points,
    /// Reach: the points it adds to the total; keep: the points of the total it secures.
    pub points: Points,
    /// The value reported.
    pub value_now: Option<f64>,
    /// The value to reach (or to hold) for those points.
    pub value_needed: Option<f64>,
}

impl Program {
    /// The fewest criteria, with the value each must reach, that together reach the next band
    /// (`Goal::Reach`: on the heaviest assessor's sheet, as the gap analysis counts, within the
    /// section caps, with the band's unmet conditions), or that keep the present band should
    /// every other criterion score nothing (`Goal::Keep`: the values to hold, on every sheet,
    /// with the band's conditions and no veto or direct deduction). Most points first: no
    /// fewer criteria can do it.
    ///
    /// ```
    /// use exemplar::scoring::gap::Goal;
    /// let program = exemplar::Program::default();
    /// let year = exemplar::sample::sample_year(&program, Some(50), 1, 2023)?;
    /// let e = program.evaluate(&year.reports[0])?;
    /// let plan = program.improvement_plan(&e, Goal::Reach)?;
    /// let gained: i64 = plan.steps.iter().map(|s| s.points.hundredths()).sum();
    /// assert!(!plan.achievable || gained >= plan.points.hundredths());
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn improvement_plan(&self, e: &Evaluation, goal: Goal) -> Result<ImprovementPlan> {
        let plan = self.plan(&e.scheme)?;
        if e.sheets.len() != plan.sheets.len() || e.sheets.iter().any(|s| s.sections.len() != plan.sections.len()) {
            return Err(mismatch(e));
        }
        let stars = !plan.stars.is_empty();
        let lang = self.language();
        let standing = |s: crate::Standing| s.name(lang).to_string();
        let (band, min, conditions) = match (goal, stars) {
            (Goal::Reach, true) => next_band(&plan.stars, e.stars, |s| s.to_string(), e, self),
            (Goal::Reach, false) => next_band(&plan.standings, e.standing, standing, e, self),
            (Goal::Keep, true) => this_band(&plan.stars, e.stars, |s| s.to_string(), self),
            (Goal::Keep, false) => this_band(&plan.standings, e.standing, standing, self),
        };
        let points = match goal {
            Goal::Reach => Points((min.0 - e.score.0).max(0)),
            Goal::Keep => min,
        };
        // Reach works on the heaviest assessor's sheet (as the gap does); keep holds every sheet.
        let heaviest = (0..plan.sheets.len())
            .fold(0, |best, s| if plan.sheets[s].weight > plan.sheets[best].weight { s } else { best });
        let sheets: Vec<usize> = match goal {
            Goal::Reach => vec![heaviest],
            Goal::Keep => (0..plan.sheets.len()).collect(),
        };
        // Each candidate: (sheet, section, criterion index in the section) and its points on
        // offer in sheet hundredths (reach: points left; keep: points now).
        let mut room: Vec<Vec<i64>> = e
            .sheets
            .iter()
            .map(|sh| {
                sh.sections
                    .iter()
                    .map(|sec| match goal {
                        Goal::Reach => (sec.max.0 - sec.points.0).max(0),
                        Goal::Keep => sec.max.0,
                    })
                    .collect()
            })
            .collect();
        let mut offers = Vec::new();
        for &si in &sheets {
            for (k, sec) in e.sheets[si].sections.iter().enumerate() {
                for (ci, c) in sec.criteria.iter().enumerate() {
                    let cp = &plan.criteria[plan.sections[k].criteria.start + ci];
                    let offer = match goal {
                        Goal::Reach if cp.on_event => 0,
                        Goal::Reach => (c.max.0 - c.points.0).max(0),
                        Goal::Keep => c.points.0,
                    };
                    if offer > 0 {
                        offers.push((si, k, ci, offer));
                    }
                }
            }
        }
        // The most points the next criterion can give (within its section's room), weighted;
        // ties to the earlier criterion. Taking the most each time needs the fewest criteria.
        let weight = |si: usize| if plan.sheets.len() > 1 { plan.sheets[si].weight } else { 1.0 };
        let mut left = points.0;
        let mut steps = Vec::new();
        let mut names = Vec::new();
        while left > 0 {
            let best = offers
                .iter()
                .enumerate()
                .map(|(i, &(si, k, _, offer))| (i, (offer.min(room[si][k]) as f64 * weight(si)).floor() as i64))
                .filter(|&(_, g)| g > 0)
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
            let Some((i, _)) = best else { break };
            let (si, k, ci, offer) = offers.remove(i);
            let w = weight(si);
            // Sheet hundredths to take: enough for what is left, within offer and room.
            let take = offer.min(room[si][k]).min((left as f64 / w).ceil() as i64);
            room[si][k] -= take;
            let gained = Points::round_hundredths(take as f64 * w);
            left -= gained.0;
            let c = &e.sheets[si].sections[k].criteria[ci];
            let cp = &plan.criteria[plan.sections[k].criteria.start + ci];
            let kind = cp.indicator.as_ref().and_then(|i| self.indicator(i)).map(|d| d.kind);
            let at = match goal {
                Goal::Reach => c.points + Points(take),
                Goal::Keep => Points(take),
            };
            names.push(lang.pick(&cp.name_zh, &cp.name_en));
            steps.push(PlanStep {
                criterion: c.id.clone(),
                name_zh: c.name_zh.clone(),
                indicator: cp.indicator.clone(),
                points_now: Points::round_hundredths(c.points.0 as f64 * w),
                points: gained,
                value_now: c.input,
                value_needed: value_for(cp, at, kind),
            });
        }
        let achievable = band.is_some() && left <= 0 && !e.vetoed;
        let band_words = Band { goal, label: band.as_deref(), min, points, conditions: &conditions };
        let summary = summary(lang, &band_words, &steps, &names, achievable, e.vetoed);
        Ok(ImprovementPlan {
            org_id: e.org_id.clone(),
            scheme: e.scheme.clone(),
            score: e.score,
            goal,
            band,
            band_min: min,
            points,
            steps,
            conditions,
            achievable,
            summary,
        })
    }
}

/// The band a plan aims at, for its words.
struct Band<'a> {
    goal: Goal,
    label: Option<&'a str>,
    min: Points,
    points: Points,
    conditions: &'a [String],
}

/// A plan in words, in `lang`: each step (named `names[i]`) as the gap analysis words an item.
fn summary(lang: Language, band: &Band, steps: &[PlanStep], names: &[&str], achievable: bool, vetoed: bool) -> String {
    let Band { goal, label, min, points, conditions } = *band;
    let zh = lang == Language::Zh;
    let Some(band) = label else {
        return match goal {
            Goal::Reach => lang.pick("已处于最高档次", "already in the top band"),
            Goal::Keep => lang.pick("未评定档次，无可保持", "in no band: nothing to keep"),
        }
        .into();
    };
    if vetoed {
        return match (zh, goal) {
            (true, Goal::Reach) => format!("已触发一票否决：无论得分多少均为最低档次（无法达到{band}）"),
            (true, Goal::Keep) => format!("已触发一票否决：无论得分多少均为最低档次（无法保持{band}）"),
            (false, _) => {
                format!("vetoed: no band above the lowest, whatever it scores (to {} {band})", goal_words(goal))
            }
        };
    }
    let value = |v: Option<f64>| v.map_or(lang.pick("未填报", "missing").into(), crate::rules::limits::show);
    let words: Vec<String> = steps
        .iter()
        .zip(names)
        .map(|(s, name)| {
            let (now, needed) = (value(s.value_now), value(s.value_needed));
            match (zh, goal) {
                (true, Goal::Reach) => format!("{name}+{}分（现为{now}，需达到{needed}）", s.points),
                (true, Goal::Keep) => format!("{name}{}分（现为{now}，需保持{needed}）", s.points),
                (false, Goal::Reach) => format!("{name} +{} (now {now}, needs {needed})", s.points),
                (false, Goal::Keep) => format!("{name} {} (now {now}, holds at {needed})", s.points),
            }
        })
        .collect();
    let words = words.join(lang.clause_sep());
    let conds = conditions.join(lang.list_sep());
    let conds = match (conditions.is_empty(), zh) {
        (true, _) => String::new(),
        (false, true) => format!("；并满足{conds}"),
        (false, false) => format!("; and {conds}"),
    };
    let n = steps.len();
    let attainable = steps.iter().map(|s| s.points).fold(Points::ZERO, |a, b| a + b);
    match (zh, goal, achievable) {
        (true, Goal::Reach, true) if n == 0 => format!("达到{band}（{min}分）：无需再增加分数{conds}"),
        (true, Goal::Reach, true) => format!("达到{band}（{min}分）：还需{points}分，来自{n}项指标：{words}{conds}"),
        (true, Goal::Reach, false) => {
            format!("本表无法达到{band}（{min}分）：还需{points}分，最多可得{attainable}分")
        }
        (true, Goal::Keep, true) => format!(
            "其他指标均不得分时保持{band}（{min}分）：需保持{n}项指标：{words}{conds}；且不发生一票否决或直接扣分"
        ),
        (true, Goal::Keep, false) => format!("仅靠本表指标无法确保{band}（{min}分）"),
        (false, Goal::Reach, true) if n == 0 => format!("to reach {band} ({min}): no more points{conds}"),
        (false, Goal::Reach, true) => {
            format!("to reach {band} ({min}): {points} more points from {n} criteria: {words}{conds}")
        }
        (false, Goal::Reach, false) => format!(
            "{band} ({min}) cannot be reached on this sheet: {points} more points needed, {attainable} attainable"
        ),
        (false, Goal::Keep, true) => format!(
            "to keep {band} ({min}) should every other criterion score nothing: hold {n} criteria: {words}{conds}; and no veto or direct deduction"
        ),
        (false, Goal::Keep, false) => format!("{band} ({min}) cannot be secured by its criteria alone"),
    }
}

fn goal_words(goal: Goal) -> &'static str {
    match goal {
        Goal::Reach => "reach",
        Goal::Keep => "keep",
    }
}

/// The band the evaluation is in: its label, minimum and every condition it must keep meeting.
fn this_band<T: Copy + PartialEq>(
    bands: &[BandPlan<T>],
    current: Option<T>,
    label: impl Fn(T) -> String,
    program: &Program,
) -> (Option<String>, Points, Vec<String>) {
    let Some(b) = current.and_then(|c| bands.iter().find(|b| b.value == c)) else {
        return (None, Points::ZERO, Vec::new());
    };
    let conditions = b.requires.iter().map(|c| condition_words(program, c)).collect();
    (Some(label(b.value)), b.min, conditions)
}

/// A band condition in words, in the program's language: the indicator's name and the bound.
fn condition_words(program: &Program, c: &crate::scoring::plan::CondPlan) -> String {
    let d = program.indicator(&c.indicator);
    let name = match program.language() {
        Language::Zh => d.map_or(c.indicator.as_str(), |d| d.name_zh.as_str()),
        Language::En => d.and_then(|d| d.name_en.as_deref()).unwrap_or(&c.indicator),
    };
    match program.language() {
        Language::Zh => format!("{name}{}", c.test.words(Language::Zh)),
        Language::En => format!("{name} {}", c.test),
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
        .map(|c| condition_words(program, c))
        .collect();
    (Some(label(b.value)), b.min, unmet)
}

/// The indicator value (for a ratio: the ratio) that earns `points` on a criterion.
fn value_for(cp: &crate::scoring::plan::CriterionPlan, points: Points, kind: Option<IndicatorKind>) -> Option<f64> {
    let frac = points.0 as f64 / cp.max.0 as f64;
    // Rounded away from the floor (to a whole count, or to hundredths), so the value earns the
    // points; a hair of float error is not a hundredth more.
    let whole = |v: f64, higher: bool| {
        let (v, unit) = if kind == Some(IndicatorKind::Count) { (v, 1.0) } else { (v * 100.0, 100.0) };
        (if higher { (v - 1e-6).ceil() } else { (v + 1e-6).floor() }) / unit
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

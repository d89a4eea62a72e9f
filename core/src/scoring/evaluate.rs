//! Evaluating one report: the total, every section and criterion with the input it used and a
//! reason in words, vetoes, direct deductions, stars and standing.

use crate::data::model::{Period, Report, Standing, Stars};
use crate::error::{Error, Field, Result};
use crate::rules::language::{Language, text};
use crate::rules::program::Program;
use crate::scoring::plan::{Kind, Outcome, Plan, RowResult};
use crate::scoring::points::Points;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One report scored and explained: every sheet, section and criterion with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The organization.
    pub org_id: String,
    /// The scheme.
    pub scheme: String,
    /// The period.
    pub period: Period,
    /// The score, in the one rounding rule.
    pub score: Points,
    /// The sheet's full marks.
    pub max_points: Points,
    /// One sheet per assessor; a single sheet when the scheme does not blend assessors.
    pub sheets: Vec<Sheet>,
    /// Direct deductions that took points off.
    pub deductions: Vec<DeductionHit>,
    /// Vetoes that fired.
    pub vetoes: Vec<Hit>,
    /// Whether a veto fired.
    pub vetoed: bool,
    /// Weak-and-lax situations (软弱涣散) this report shows; any one designates the organization.
    pub weak_lax: Vec<Hit>,
    /// Stars, if the bands rate it.
    pub stars: Option<Stars>,
    /// Standing, if the bands rate it.
    pub standing: Option<Standing>,
    /// Why the stars and standing are what they are.
    pub band_reason: String,
    /// Indicators that were missing and scored zero under the `zero` missing policy.
    pub missing: Vec<String>,
    /// Values of the indicators that band conditions read (absent when not reported).
    pub condition_values: BTreeMap<String, f64>,
    /// Each criterion's points weighted across assessors as the total is (the bulk columns), in
    /// the plan's criterion order.
    #[serde(default)]
    pub points: Vec<(String, Points)>,
    /// The content hash of the program that evaluated it ([`Program::content_hash`]).
    #[serde(default)]
    pub program_hash: String,
}

/// One assessor's sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    /// The assessor, in a blended scheme.
    pub assessor: Option<String>,
    /// The assessor's weight (1 for a single assessor).
    pub weight: f64,
    /// This sheet's score.
    pub score: Points,
    /// Its sections.
    pub sections: Vec<SectionScore>,
}

/// A section's points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionScore {
    /// The section's id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its cap.
    pub max: Points,
    /// Its points, capped.
    pub points: Points,
    /// The criteria added up to more than the section's max.
    pub capped: bool,
    /// Its criteria.
    pub criteria: Vec<CriterionScore>,
}

/// A criterion's points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionScore {
    /// The criterion's id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its full marks.
    pub max: Points,
    /// Its points.
    pub points: Points,
    /// The value the rule read (for a ratio: the ratio); None when missing.
    pub input: Option<f64>,
    /// Its input was missing (scored 0 under `missing = "zero"`).
    pub missing: bool,
    /// Why these points, in words.
    pub reason: String,
}

/// A direct deduction that took points off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeductionHit {
    /// The deduction's id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Events counted.
    pub count: u32,
    /// Points taken off.
    pub points: Points,
}

/// A veto or weak-and-lax situation that fired.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Its id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Why it fired, in words.
    pub reason: String,
}

/// What a trigger that fired does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// 一票否决.
    Vetoed,
    /// 软弱涣散.
    WeakLax,
}

/// A trigger that fired, worded; `x` is the value of its slot.
pub(super) fn hit(plan: &Plan, t: &crate::scoring::plan::TriggerPlan, x: f64, verdict: Verdict) -> Hit {
    Hit { id: t.id.clone(), name_zh: t.name.zh.clone(), reason: hit_reason(plan, t, x, verdict) }
}

/// Why a trigger fired, in words (a `Hit`'s reason), in the plan's language.
pub(super) fn hit_reason(plan: &Plan, t: &crate::scoring::plan::TriggerPlan, x: f64, verdict: Verdict) -> String {
    let lang = plan.language;
    let name = t.name.get(lang);
    let label = plan.slots[t.slot].label.get(lang);
    let verdict = match verdict {
        Verdict::Vetoed => lang.pick("一票否决", "vetoed"),
        Verdict::WeakLax => lang.pick("软弱涣散", "weak and lax"),
    };
    match (lang, t.is_event) {
        (Language::Zh, true) => format!("{verdict}：{name}（记录{x}次）"),
        (Language::Zh, false) => format!("{verdict}：{name}（{label}为{x}，{}）", t.test.words(lang)),
        (Language::En, true) => format!("{verdict}: {name} ({x} recorded)"),
        (Language::En, false) => format!("{verdict}: {name} ({label} = {x}, {})", t.test),
    }
}

impl Evaluation {
    /// Each criterion's points, weighted across assessors as the total is (the bulk columns).
    pub fn criterion_points(&self) -> Vec<(&str, Points)> {
        self.points.iter().map(|(id, p)| (id.as_str(), *p)).collect()
    }

    /// A criterion's score on the first sheet.
    pub fn criterion(&self, id: &str) -> Option<&CriterionScore> {
        self.sheets.first()?.sections.iter().flat_map(|s| &s.criteria).find(|c| c.id == id)
    }
}

/// One report scored, its explanation not yet written: the compact result kept by a caller that
/// reads totals first. `Program::explain` words it in full, exactly as `Program::evaluate` does.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub(super) org_id: String,
    pub(super) scheme: String,
    pub(super) period: Period,
    /// The input row, in `Plan::slots` order.
    pub(super) x: Vec<f64>,
    /// Each sheet's criterion points, sheet after sheet.
    pub(super) crit: Vec<Points>,
    pub(super) row: RowResult,
}

/// What decisions read of one report's result: an explained `Evaluation`, or a `Scored` that
/// words only the vetoes and situations a decision cites.
pub trait Assessed {
    /// The organization.
    fn org_id(&self) -> &str;
    /// The scheme.
    fn scheme(&self) -> &str;
    /// The period.
    fn period(&self) -> Period;
    /// The score, in the one rounding rule.
    fn score(&self) -> Points;
    /// Stars, if the bands rate it.
    fn stars(&self) -> Option<Stars>;
    /// Standing, if the bands rate it.
    fn standing(&self) -> Option<Standing>;
    /// Whether a veto fired.
    fn vetoed(&self) -> bool;
    /// Whether a weak-and-lax situation fired.
    fn is_weak_lax(&self) -> bool;
    /// Why each veto that fired did, in words.
    fn veto_reasons(&self, program: &Program) -> Result<Vec<String>>;
    /// Why each weak-and-lax situation that fired did, in words.
    fn weak_lax_reasons(&self, program: &Program) -> Result<Vec<String>>;
    /// A criterion's points, weighted across assessors as the total is; zero when the scheme
    /// has no such criterion.
    fn points_of(&self, program: &Program, criterion: &str) -> Result<Points>;
    /// Where the result sits in a columnar year, when it is a row of one: the decisions then
    /// read its organization there instead of looking its id up.
    fn in_year(&self) -> Option<crate::scoring::year_scores::YearRow<'_>> {
        None
    }
    /// The weak-and-lax situations the result shows, unworded, when it can give them: its
    /// scheme's plan, and each situation's index in it with the value that set it off put in
    /// `fired` (cleared first; one buffer serves a whole year). The decisions then word each
    /// distinct one once (`Plan::weak_lax_reason`).
    fn weak_lax_fired(&self, fired: &mut Vec<(usize, f64)>) -> Option<&Plan> {
        let _ = fired;
        None
    }
}

impl Assessed for Evaluation {
    fn org_id(&self) -> &str {
        &self.org_id
    }
    fn scheme(&self) -> &str {
        &self.scheme
    }
    fn period(&self) -> Period {
        self.period
    }
    fn score(&self) -> Points {
        self.score
    }
    fn stars(&self) -> Option<Stars> {
        self.stars
    }
    fn standing(&self) -> Option<Standing> {
        self.standing
    }
    fn vetoed(&self) -> bool {
        self.vetoed
    }
    fn is_weak_lax(&self) -> bool {
        !self.weak_lax.is_empty()
    }
    fn veto_reasons(&self, _: &Program) -> Result<Vec<String>> {
        Ok(self.vetoes.iter().map(|h| h.reason.clone()).collect())
    }
    fn weak_lax_reasons(&self, _: &Program) -> Result<Vec<String>> {
        Ok(self.weak_lax.iter().map(|h| h.reason.clone()).collect())
    }
    fn points_of(&self, _: &Program, criterion: &str) -> Result<Points> {
        Ok(self.points.iter().find(|(id, _)| id == criterion).map_or(Points::ZERO, |p| p.1))
    }
}

impl Assessed for Scored {
    fn org_id(&self) -> &str {
        &self.org_id
    }
    fn scheme(&self) -> &str {
        &self.scheme
    }
    fn period(&self) -> Period {
        self.period
    }
    fn score(&self) -> Points {
        self.row.score
    }
    fn stars(&self) -> Option<Stars> {
        self.row.stars
    }
    fn standing(&self) -> Option<Standing> {
        self.row.standing
    }
    fn vetoed(&self) -> bool {
        self.row.vetoed
    }
    fn is_weak_lax(&self) -> bool {
        self.row.weak_lax
    }
    fn veto_reasons(&self, program: &Program) -> Result<Vec<String>> {
        let plan = program.plan_of(self)?;
        Ok(plan
            .vetoes
            .iter()
            .filter(|t| t.hit(&self.x))
            .map(|t| hit_reason(plan, t, self.x[t.slot], Verdict::Vetoed))
            .collect())
    }
    fn weak_lax_reasons(&self, program: &Program) -> Result<Vec<String>> {
        let plan = program.plan_of(self)?;
        let fired = plan.weak_lax.iter().filter(|t| t.hit(&self.x));
        Ok(fired.map(|t| hit_reason(plan, t, self.x[t.slot], Verdict::WeakLax)).collect())
    }
    fn points_of(&self, program: &Program, criterion: &str) -> Result<Points> {
        let plan = program.plan_of(self)?;
        let c = plan.criteria.iter().position(|c| c.id == criterion);
        Ok(c.map_or(Points::ZERO, |c| plan.criterion_blend(c, &self.crit)))
    }
}

impl<T: Assessed + ?Sized> Assessed for &T {
    fn org_id(&self) -> &str {
        (**self).org_id()
    }
    fn scheme(&self) -> &str {
        (**self).scheme()
    }
    fn period(&self) -> Period {
        (**self).period()
    }
    fn score(&self) -> Points {
        (**self).score()
    }
    fn stars(&self) -> Option<Stars> {
        (**self).stars()
    }
    fn standing(&self) -> Option<Standing> {
        (**self).standing()
    }
    fn vetoed(&self) -> bool {
        (**self).vetoed()
    }
    fn is_weak_lax(&self) -> bool {
        (**self).is_weak_lax()
    }
    fn veto_reasons(&self, program: &Program) -> Result<Vec<String>> {
        (**self).veto_reasons(program)
    }
    fn weak_lax_reasons(&self, program: &Program) -> Result<Vec<String>> {
        (**self).weak_lax_reasons(program)
    }
    fn points_of(&self, program: &Program, criterion: &str) -> Result<Points> {
        (**self).points_of(program, criterion)
    }
    fn in_year(&self) -> Option<crate::scoring::year_scores::YearRow<'_>> {
        (**self).in_year()
    }
    fn weak_lax_fired(&self, fired: &mut Vec<(usize, f64)>) -> Option<&Plan> {
        (**self).weak_lax_fired(fired)
    }
}

impl Program {
    /// Evaluates one report under its scheme, explained: every criterion's points and reason.
    ///
    /// ```
    /// use exemplar::{Period, Program, Report};
    /// let program = Program::default();
    /// let report = Report::new("v001", "relocation_follow_up", Period::year(2023)?);
    /// // Nothing reported: under the default `missing = "error"` the error names the indicator.
    /// let err = program.evaluate(&report).unwrap_err();
    /// assert!(matches!(err, exemplar::Error::Input { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(&self, report: &Report) -> Result<Evaluation> {
        self.explain(&self.score(report)?)
    }

    /// Scores one report without wording it: totals, bands and flags at once, the explanation
    /// when `explain` is asked.
    pub fn score(&self, report: &Report) -> Result<Scored> {
        self.report_input(report)?.score()
    }

    /// The full explanation of a scored report. An error if it was scored by another program
    /// (no scheme of that name, or a row of another shape).
    pub fn explain(&self, s: &Scored) -> Result<Evaluation> {
        Ok(explain(self.plan_of(s)?, s, self.content_hash()))
    }

    /// Each criterion's points of a scored report, weighted across assessors as the total is
    /// (the bulk columns), in the plan's criterion order.
    pub fn criterion_points<'p>(&'p self, s: &Scored) -> Result<Vec<(&'p str, Points)>> {
        let plan = self.plan_of(s)?;
        Ok(plan.criteria.iter().enumerate().map(|(c, cp)| (cp.id.as_str(), plan.criterion_blend(c, &s.crit))).collect())
    }

    /// The plan a scored report was scored under, checked to be of this program.
    fn plan_of(&self, s: &Scored) -> Result<&Plan> {
        let plan = self.plan(&s.scheme)?;
        if s.x.len() != plan.slots.len() || s.crit.len() != plan.sheets.len() * plan.criteria.len() {
            return Err(Error::input(
                &s.org_id,
                &s.scheme,
                Field::column("scheme"),
                text!("由另一套规则评分", "scored by another program"),
            ));
        }
        Ok(plan)
    }
}

fn explain(plan: &Plan, s: &Scored, program_hash: &str) -> Evaluation {
    let (x, crit, row) = (s.x.as_slice(), s.crit.as_slice(), s.row);
    let n = plan.criteria.len();
    let mut missing = Vec::new();
    let sheets = plan
        .sheets
        .iter()
        .enumerate()
        .map(|(si, sheet)| {
            let sections = plan
                .sections
                .iter()
                .enumerate()
                .map(|(k, sec)| {
                    let (points, capped) = plan.section_points(k, si, crit);
                    let criteria = sec
                        .criteria
                        .clone()
                        .map(|c| {
                            let (p, outcome) = plan.score_criterion(c, si, x);
                            debug_assert_eq!(p, crit[si * n + c]);
                            let input = criterion_input(plan, c, si, x);
                            if outcome == Outcome::Missing {
                                missing.push(plan.slots[plan.criteria[c].inputs[si][0]].name.clone());
                            }
                            CriterionScore {
                                id: plan.criteria[c].id.clone(),
                                name_zh: plan.criteria[c].name_zh.clone(),
                                max: plan.criteria[c].max,
                                points: p,
                                input,
                                missing: outcome == Outcome::Missing,
                                reason: reason(plan, c, outcome, input, p),
                            }
                        })
                        .collect();
                    SectionScore {
                        id: sec.id.clone(),
                        name_zh: sec.name_zh.clone(),
                        max: sec.max,
                        points,
                        capped,
                        criteria,
                    }
                })
                .collect();
            Sheet { assessor: sheet.role.clone(), weight: sheet.weight, score: plan.sheet_total(si, crit), sections }
        })
        .collect();
    missing.sort();
    missing.dedup();
    let deductions = (0..plan.deductions.len())
        .filter_map(|d| {
            let p = plan.deduction_points(d, x);
            (p > Points::ZERO).then(|| DeductionHit {
                id: plan.deductions[d].id.clone(),
                name_zh: plan.deductions[d].name_zh.clone(),
                count: x[plan.deductions[d].slot] as u32,
                points: p,
            })
        })
        .collect();
    let vetoes: Vec<Hit> =
        plan.vetoes.iter().filter(|t| t.hit(x)).map(|t| hit(plan, t, x[t.slot], Verdict::Vetoed)).collect();
    let weak_lax: Vec<Hit> =
        plan.weak_lax.iter().filter(|t| t.hit(x)).map(|t| hit(plan, t, x[t.slot], Verdict::WeakLax)).collect();
    let band_reason = band_reason(plan, x, row, &vetoes);
    let condition_values = plan
        .stars
        .iter()
        .flat_map(|b| &b.requires)
        .chain(plan.standings.iter().flat_map(|b| &b.requires))
        .filter(|c| !x[c.slot].is_nan())
        .map(|c| (c.indicator.clone(), x[c.slot]))
        .collect();
    Evaluation {
        org_id: s.org_id.clone(),
        scheme: plan.id.clone(),
        period: s.period,
        score: row.score,
        max_points: plan.max_points,
        sheets,
        deductions,
        vetoes,
        vetoed: row.vetoed,
        weak_lax,
        stars: row.stars,
        standing: row.standing,
        band_reason,
        missing,
        condition_values,
        points: (0..n).map(|c| (plan.criteria[c].id.clone(), plan.criterion_blend(c, crit))).collect(),
        program_hash: program_hash.to_string(),
    }
}

fn criterion_input(plan: &Plan, c: usize, sheet: usize, x: &[f64]) -> Option<f64> {
    let [a, b] = plan.criteria[c].inputs[sheet];
    let v = x[a];
    let v = match plan.criteria[c].kind {
        Kind::Ratio { scale, .. } if x[b] != 0.0 => v / x[b] * scale,
        _ => v,
    };
    (!v.is_nan()).then_some(v)
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{:.2}", x) }
}

fn reason(plan: &Plan, c: usize, outcome: Outcome, input: Option<f64>, p: Points) -> String {
    let cp = &plan.criteria[c];
    let v = input.map(num).unwrap_or_default();
    let max = num(cp.max.as_f64());
    if plan.language == Language::En {
        return reason_en(cp, outcome, &v, p);
    }
    match (&cp.kind, outcome) {
        (_, Outcome::Missing) => "未填报，记0分".into(),
        (Kind::Linear { target, .. } | Kind::Ratio { target, .. }, Outcome::ReachedTarget) => {
            format!("{v}，达到目标{}，得满分{max}分", num(*target))
        }
        (Kind::Linear { floor, .. } | Kind::Ratio { floor, .. }, Outcome::BelowFloor) => {
            format!("{v}，未超过下限{}，不得分", num(*floor))
        }
        (Kind::Linear { floor, target } | Kind::Ratio { floor, target, .. }, Outcome::Between) => {
            format!("{v}，介于下限{}与目标{}之间，得{p}分（满分{max}分）", num(*floor), num(*target))
        }
        (_, Outcome::NoDenominator) => "分母为0，不得分".into(),
        (Kind::Steps { steps, higher }, Outcome::Step(i)) => {
            format!("{v}，达到“{}{}”档，得{p}分", if *higher { "≥" } else { "≤" }, num(steps[i].0))
        }
        (_, Outcome::NoStep) => format!("{v}，未达到任何档次，不得分"),
        (_, Outcome::Yes) => "已开展，得满分".into(),
        (_, Outcome::No) => "未开展，不得分".into(),
        (Kind::Deduction { per, required, .. }, Outcome::Deducted { count }) => {
            let (what, unit) = match (required.is_some(), cp.on_event) {
                (true, _) => ("缺", "项"),
                (false, true) => ("发生", "次"),
                (false, false) => ("计", "项"),
            };
            if count == 0.0 {
                "无缺项或扣分事项，得满分".into()
            } else if p == Points::ZERO {
                format!("{what}{}{unit}，每{unit}扣{}分，扣完为止，得0分", num(count), num(*per))
            } else {
                format!("{what}{}{unit}，每{unit}扣{}分", num(count), num(*per))
            }
        }
        (Kind::Bonus { per }, Outcome::Bonus) => {
            if p == cp.max {
                format!("{v}项，每项加{}分，以{max}分封顶", num(*per))
            } else {
                format!("{v}项，每项加{}分", num(*per))
            }
        }
        _ => format!("{v}，得{p}分"),
    }
}

fn reason_en(cp: &crate::scoring::plan::CriterionPlan, outcome: Outcome, v: &str, p: Points) -> String {
    match (&cp.kind, outcome) {
        (_, Outcome::Missing) => "missing: scored 0".into(),
        (Kind::Linear { target, .. } | Kind::Ratio { target, .. }, Outcome::ReachedTarget) => {
            format!("{v} reached target {}", num(*target))
        }
        (Kind::Linear { floor, .. } | Kind::Ratio { floor, .. }, Outcome::BelowFloor) => {
            format!("{v} is at or below floor {}", num(*floor))
        }
        (Kind::Linear { floor, target } | Kind::Ratio { floor, target, .. }, Outcome::Between) => {
            format!("{v} between floor {} and target {}: {p} of {}", num(*floor), num(*target), cp.max)
        }
        (_, Outcome::NoDenominator) => "denominator is 0: scored 0".into(),
        (Kind::Steps { steps, higher }, Outcome::Step(i)) => {
            format!("{v} reached step {} {}: {p}", if *higher { "≥" } else { "≤" }, num(steps[i].0))
        }
        (_, Outcome::NoStep) => format!("{v} reached no step"),
        (_, Outcome::Yes) => "yes".into(),
        (_, Outcome::No) => "no".into(),
        (Kind::Deduction { per, required, .. }, Outcome::Deducted { count }) => {
            let what = if required.is_some() { "missing" } else { "counted" };
            if count == 0.0 {
                "none missing or counted: full points".into()
            } else if p == Points::ZERO {
                format!("{} {what} × −{}: floored at 0", num(count), num(*per))
            } else {
                format!("{} {what} × −{}", num(count), num(*per))
            }
        }
        (Kind::Bonus { per }, Outcome::Bonus) => {
            if p == cp.max {
                format!("{v} × {}: capped at {}", num(*per), cp.max)
            } else {
                format!("{v} × {}", num(*per))
            }
        }
        _ => format!("{v}: {p}"),
    }
}

fn band_reason(plan: &Plan, x: &[f64], row: RowResult, vetoes: &[Hit]) -> String {
    let lang = plan.language;
    let zh = lang == Language::Zh;
    if row.vetoed {
        let names: Vec<&str> =
            plan.vetoes.iter().filter(|t| vetoes.iter().any(|v| v.id == t.id)).map(|t| t.name.get(lang)).collect();
        let names = names.join(lang.list_sep());
        return if zh {
            format!("触发一票否决（{names}），不论得分均定为最低档次")
        } else {
            format!("vetoed ({names}): lowest band regardless of score")
        };
    }
    let mut parts = Vec::new();
    for b in &plan.stars {
        if row.score >= b.min {
            let unmet: Vec<&str> = b
                .requires
                .iter()
                .filter(|c| !c.test.holds(x[c.slot]))
                .map(|c| plan.slots[c.slot].label.get(lang))
                .collect();
            let (score, min, stars) = (row.score, b.min, b.value);
            if unmet.is_empty() {
                parts.push(if zh {
                    format!("{score}分，达到{min}分：{stars}")
                } else {
                    format!("{score} ≥ {min}: {stars}")
                });
                break;
            }
            let unmet = unmet.join(lang.list_sep());
            parts.push(if zh {
                format!("{score}分达到{min}分，但{unmet}未达要求：不评{stars}")
            } else {
                format!("{score} ≥ {min} but {unmet} not met: not {stars}")
            });
        }
    }
    if let Some(s) = row.standing {
        parts.push(s.name(lang).to_string());
    }
    if parts.is_empty() {
        if zh { format!("{}分，低于所有档次", row.score) } else { format!("{} is below every band", row.score) }
    } else {
        parts.join(lang.clause_sep())
    }
}

//! A scheme compiled once into flat arrays: input slots, criteria, sections, vetoes and bands.
//! `score_row` is the one scoring path; single and bulk evaluation both run it.

use crate::data::model::{Standing, Stars};
use crate::error::Field;
use crate::rules::language::{Language, Name, Text, text};
use crate::rules::limits;
use crate::rules::rubric::*;
use crate::scoring::evaluate::Verdict;
use crate::scoring::points::Points;
use std::collections::HashMap;

/// Where a slot's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Source {
    Indicator(usize),
    Event(usize),
}

/// One input column of a plan: an indicator as a given assessor reports it, or an event count.
#[derive(Clone, Debug)]
pub struct Slot {
    /// Column name: `indicator`, `role.indicator` for a blended assessor, or the event id.
    pub name: String,
    /// What the column holds, named for a reader: the indicator's or event's name.
    pub(super) label: Name,
    /// What the column holds, for errors.
    pub(super) field: Field,
    pub(super) source: Source,
    /// Used by a criterion or a veto (a band condition alone leaves a slot optional).
    pub(super) required: bool,
    pub(super) kind: IndicatorKind,
    pub(super) min: Option<f64>,
    pub(super) max: Option<f64>,
}

#[derive(Clone, Debug)]
pub(super) enum Kind {
    Linear { floor: f64, target: f64 },
    Steps { steps: Vec<(f64, Points)>, higher: bool },
    YesNo,
    Deduction { required: Option<f64>, per: f64 },
    Bonus { per: f64 },
    Ratio { scale: f64, floor: f64, target: f64 },
}

#[derive(Clone, Debug)]
pub(super) struct CriterionPlan {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub max: Points,
    pub kind: Kind,
    /// Input slots (second used by ratios only) for each sheet.
    pub inputs: Vec<[usize; 2]>,
    /// The indicator read (for a ratio: the numerator; for an event deduction: the event).
    pub indicator: Option<String>,
    /// Counts recorded events: history that no later value can undo.
    pub on_event: bool,
}

#[derive(Clone, Debug)]
pub(super) struct SectionPlan {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub max: Points,
    pub criteria: std::ops::Range<usize>,
}

#[derive(Clone, Debug)]
pub(super) struct SheetPlan {
    pub role: Option<String>,
    pub weight: f64,
}

/// Why an input value is refused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum BadValue {
    /// Missing, and the program's missing policy is `error`.
    Missing,
    NotFinite(f64),
    NegativeCount(f64),
    FractionalCount(f64),
    CountTooLarge(f64),
    AmountTooLarge(f64),
    NotPercent(f64),
    NotYesNo(f64),
    BelowMin {
        x: f64,
        min: f64,
    },
    AboveMax {
        x: f64,
        max: f64,
    },
}

impl BadValue {
    /// Why, in both languages: the message an input error carries.
    pub(super) fn text(&self) -> Text {
        let show = limits::show;
        match *self {
            BadValue::Missing => text!(
                "缺少数值（本规则对缺失值的处理为报错）",
                "missing value (the program's missing policy is `error`)"
            ),
            BadValue::NotFinite(x) => text!("{x}不是有限数值", "{x} is not a finite number"),
            BadValue::NegativeCount(x) => text!("次数不能为负数，填报为{x}", "a count cannot be negative, got {x}"),
            BadValue::FractionalCount(x) => text!("次数应为整数，填报为{x}", "a count must be a whole number, got {x}"),
            BadValue::CountTooLarge(x) => {
                let (max, x) = (show(limits::COUNT), show(x));
                text!("次数最多为{max}，填报为{x}", "a count may be at most {max}, got {x}")
            }
            BadValue::AmountTooLarge(x) => {
                let max = limits::VALUE;
                text!("数额最多为±{max:e}，填报为{x:e}", "an amount may be at most ±{max:e}, got {x:e}")
            }
            BadValue::NotPercent(x) => {
                text!("百分比应在0至100之间，填报为{x}", "a percent must be between 0 and 100, got {x}")
            }
            BadValue::NotYesNo(x) => text!("是否项应填0或1，填报为{x}", "yes/no must be 0 or 1, got {x}"),
            BadValue::BelowMin { x, min } => {
                text!("{x}低于该指标的最小值{min}", "{x} is below the indicator's minimum {min}")
            }
            BadValue::AboveMax { x, max } => {
                text!("{x}高于该指标的最大值{max}", "{x} is above the indicator's maximum {max}")
            }
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct TriggerPlan {
    pub id: String,
    pub name: Name,
    pub slot: usize,
    pub test: Bound,
    pub is_event: bool,
}

impl Plan {
    /// Weak-and-lax situation `i` of the plan, set off by the value `x`, in words: what
    /// `Assessed::weak_lax_reasons` says of it.
    pub fn weak_lax_reason(&self, i: usize, x: f64) -> String {
        crate::scoring::evaluate::hit_reason(self, &self.weak_lax[i], x, Verdict::WeakLax)
    }
}

impl TriggerPlan {
    pub fn hit(&self, x: &[f64]) -> bool {
        self.test.holds(x[self.slot])
    }
}

#[derive(Clone, Debug)]
pub(super) struct DeductionPlan {
    pub id: String,
    pub name_zh: String,
    pub slot: usize,
    pub points: Points,
}

#[derive(Clone, Debug)]
pub(super) struct CondPlan {
    pub indicator: String,
    pub slot: usize,
    pub test: Bound,
}

#[derive(Clone, Debug)]
pub(super) struct BandPlan<T> {
    pub value: T,
    pub min: Points,
    pub requires: Vec<CondPlan>,
}

/// A scheme ready to score rows of flat `f64` input, one value per slot; NaN means missing.
#[derive(Clone, Debug)]
pub struct Plan {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    /// The language its results are worded in.
    pub(crate) language: Language,
    pub(super) max_points: Points,
    pub(super) missing: MissingPolicy,
    pub(super) slots: Vec<Slot>,
    /// Indicator slots by column name, for reports read key by key.
    by_name: HashMap<String, usize>,
    pub(super) sheets: Vec<SheetPlan>,
    pub(super) sections: Vec<SectionPlan>,
    pub(super) criteria: Vec<CriterionPlan>,
    pub(super) vetoes: Vec<TriggerPlan>,
    pub(super) weak_lax: Vec<TriggerPlan>,
    pub(super) deductions: Vec<DeductionPlan>,
    pub(super) stars: Vec<BandPlan<Stars>>,
    pub(super) standings: Vec<BandPlan<Standing>>,
    pub(super) vetoed_stars: Option<Stars>,
    pub(super) vetoed_standing: Option<Standing>,
}

/// What scoring one criterion found, without allocating; `explain.rs` turns it into words.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Outcome {
    Missing,
    ReachedTarget,
    BelowFloor,
    Between,
    Step(usize),
    NoStep,
    Yes,
    No,
    Deducted { count: f64 },
    Bonus,
    NoDenominator,
}

/// The totals of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RowResult {
    pub score: Points,
    pub vetoed: bool,
    pub weak_lax: bool,
    pub stars: Option<Stars>,
    pub standing: Option<Standing>,
}

struct Slots<'a> {
    file: &'a ProgramFile,
    index: HashMap<(Option<usize>, Source), usize>,
    slots: Vec<Slot>,
    roles: Vec<String>,
    indicators: HashMap<&'a str, usize>,
    events: HashMap<&'a str, usize>,
}

impl Slot {
    /// Whether the column counts an event (else it holds an indicator's value).
    pub fn is_event(&self) -> bool {
        matches!(self.source, Source::Event(_))
    }

    /// The indicator the column holds (its index in the rule file), unless it counts an event.
    pub(crate) fn indicator(&self) -> Option<usize> {
        match self.source {
            Source::Indicator(i) => Some(i),
            Source::Event(_) => None,
        }
    }
}

impl Slots<'_> {
    fn get(&mut self, role: Option<usize>, source: Source, required: bool) -> usize {
        if let Some(&i) = self.index.get(&(role, source)) {
            self.slots[i].required |= required;
            return i;
        }
        let slot = match source {
            Source::Indicator(i) => {
                let d = &self.file.indicators[i];
                let field = Field::Indicator { role: role.map(|r| self.roles[r].to_string()), id: d.id.clone() };
                let label = Name::new(&field.to_string(), &d.name_zh, d.name_en.as_deref());
                Slot { name: field.to_string(), label, field, source, required, kind: d.kind, min: d.min, max: d.max }
            }
            Source::Event(e) => Slot {
                name: self.file.events[e].id.clone(),
                label: {
                    let d = &self.file.events[e];
                    Name::new(&d.id, &d.name_zh, d.name_en.as_deref())
                },
                field: Field::Event(self.file.events[e].id.clone()),
                source,
                required: false,
                kind: IndicatorKind::Count,
                min: None,
                max: None,
            },
        };
        self.slots.push(slot);
        self.index.insert((role, source), self.slots.len() - 1);
        self.slots.len() - 1
    }

    fn indicator(&mut self, role: Option<usize>, id: &str, required: bool) -> usize {
        let i = self.indicators[id];
        self.get(role, Source::Indicator(i), required)
    }

    fn event(&mut self, id: &str) -> usize {
        let e = self.events[id];
        self.get(None, Source::Event(e), false)
    }

    /// The scheme's sections (the common ones it names first) and their criteria, each reading
    /// its input columns on every sheet.
    fn sections(&mut self, scheme: &Scheme, sheet_roles: &[Option<usize>]) -> (Vec<SectionPlan>, Vec<CriterionPlan>) {
        let file = self.file;
        let common: HashMap<&str, &Section> = file.common_sections.iter().rev().map(|c| (c.id.as_str(), c)).collect();
        let all_sections =
            scheme.common.iter().filter_map(|id| common.get(id.as_str()).copied()).chain(&scheme.sections);
        let mut sections = Vec::new();
        let mut criteria = Vec::new();
        for sec in all_sections {
            let start = criteria.len();
            for c in &sec.criteria {
                let inputs = sheet_roles.iter().map(|&role| self.inputs(role, &c.rule)).collect();
                let (kind, indicator) = compile_rule(file, &self.indicators, &c.rule);
                criteria.push(CriterionPlan {
                    id: c.id.clone(),
                    name_zh: c.name_zh.clone(),
                    name_en: c.name_en.clone().unwrap_or_else(|| c.id.clone()),
                    max: Points::from_f64(c.points),
                    on_event: matches!(c.rule, Rule::Deduction(Deduction { counts: Counted::Events(_), .. })),
                    kind,
                    inputs,
                    indicator,
                });
            }
            sections.push(SectionPlan {
                id: sec.id.clone(),
                name_zh: sec.name_zh.clone(),
                name_en: sec.name_en.clone().unwrap_or_else(|| sec.id.clone()),
                max: Points::from_f64(sec.max),
                criteria: start..criteria.len(),
            });
        }
        (sections, criteria)
    }

    /// The input columns a rule reads on one sheet (the second is a ratio's denominator).
    fn inputs(&mut self, role: Option<usize>, rule: &Rule) -> [usize; 2] {
        match rule.reads() {
            Reads::Indicator(indicator) => [self.indicator(role, indicator, true); 2],
            Reads::Event(e) => [self.event(e); 2],
            Reads::Ratio(numerator, denominator) => {
                [self.indicator(role, numerator, true), self.indicator(role, denominator, true)]
            }
        }
    }

    /// Vetoes or weak-and-lax situations that apply under `scheme`. Facts outside the sheet are
    /// read from the report's plain values; a veto's indicator is required, a situation's is not.
    fn triggers<'t>(
        &mut self,
        list: impl Iterator<Item = &'t Trigger>,
        scheme: &str,
        required: bool,
    ) -> Vec<TriggerPlan> {
        list.filter(|t| t.schemes.is_empty() || t.schemes.iter().any(|s| s == scheme))
            .map(|v| {
                let (slot, test, is_event) = match &v.on {
                    Fires::Event(e) => (self.event(e), Bound::AtLeast(1.0), true),
                    Fires::Indicator { indicator, bound } => (self.indicator(None, indicator, required), *bound, false),
                };
                let name = Name::new(&v.id, &v.name_zh, v.name_en.as_deref());
                TriggerPlan { id: v.id.clone(), name, slot, test, is_event }
            })
            .collect()
    }

    /// A band's extra conditions, read from plain values (not required).
    fn conditions(&mut self, req: &[Condition]) -> Vec<CondPlan> {
        req.iter()
            .map(|c| CondPlan {
                indicator: c.indicator.clone(),
                slot: self.indicator(None, &c.indicator, false),
                test: c.bound,
            })
            .collect()
    }
}

impl Plan {
    /// Compiles a scheme of a file that `validate::check` accepted.
    pub(crate) fn compile(file: &ProgramFile, scheme: &Scheme) -> Plan {
        let mut s = Slots {
            file,
            index: HashMap::new(),
            slots: Vec::new(),
            roles: scheme.assessors.iter().map(|a| a.role.clone()).collect(),
            indicators: file.indicators.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect(),
            events: file.events.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect(),
        };
        let sheets: Vec<SheetPlan> = if scheme.assessors.is_empty() {
            vec![SheetPlan { role: None, weight: 1.0 }]
        } else {
            scheme.assessors.iter().map(|a| SheetPlan { role: Some(a.role.clone()), weight: a.weight }).collect()
        };
        let sheet_roles: Vec<Option<usize>> =
            if scheme.assessors.is_empty() { vec![None] } else { (0..scheme.assessors.len()).map(Some).collect() };

        // The order of these calls is the order of the input columns.
        let (sections, criteria) = s.sections(scheme, &sheet_roles);
        let vetoes = s.triggers(file.vetoes.iter().chain(&scheme.vetoes), &scheme.id, true);
        let weak_lax = s.triggers(file.weak_lax.iter(), &scheme.id, false);
        let deductions = scheme
            .deductions
            .iter()
            .map(|d| DeductionPlan {
                id: d.id.clone(),
                name_zh: d.name_zh.clone(),
                slot: s.event(&d.event),
                points: Points::from_f64(d.points),
            })
            .collect();
        let bands = scheme.bands.as_ref().unwrap_or(&file.bands);
        let mut stars: Vec<BandPlan<Stars>> = bands
            .stars
            .iter()
            .filter_map(|b| {
                Some(BandPlan {
                    value: Stars::new(b.stars)?,
                    min: Points::from_f64(b.min_score),
                    requires: s.conditions(&b.requires),
                })
            })
            .collect();
        stars.sort_by_key(|b| std::cmp::Reverse(b.value));
        let mut standings: Vec<BandPlan<Standing>> = bands
            .standings
            .iter()
            .map(|b| BandPlan {
                value: b.standing,
                min: Points::from_f64(b.min_score),
                requires: s.conditions(&b.requires),
            })
            .collect();
        standings.sort_by_key(|b| b.value);
        let vetoed_stars = if stars.is_empty() { None } else { Stars::new(bands.vetoed_stars) };
        let vetoed_standing = if standings.is_empty() { None } else { Some(bands.vetoed_standing) };

        let by_name =
            s.slots.iter().enumerate().filter(|(_, s)| !s.is_event()).map(|(i, s)| (s.name.clone(), i)).collect();
        Plan {
            id: scheme.id.clone(),
            name_zh: scheme.name_zh.clone(),
            name_en: scheme.name_en.clone().unwrap_or_else(|| scheme.id.clone()),
            language: file.program.language,
            max_points: Points::from_f64(scheme.max_points),
            missing: scheme.missing.unwrap_or(file.program.missing),
            slots: s.slots,
            by_name,
            sheets,
            sections,
            criteria,
            vetoes,
            weak_lax,
            deductions,
            stars,
            standings,
            vetoed_stars,
            vetoed_standing,
        }
    }

    /// The scheme's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The scheme's Chinese name.
    pub fn name_zh(&self) -> &str {
        &self.name_zh
    }

    /// The scheme's name in `lang` (in English: its `name_en`, else its id).
    pub fn name(&self, lang: Language) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }

    /// The language its results are worded in.
    pub fn language(&self) -> Language {
        self.language
    }

    /// A criterion's name in `lang` (in English: its `name_en`, else its id).
    pub fn criterion_name(&self, id: &str, lang: Language) -> Option<&str> {
        self.criteria.iter().find(|c| c.id == id).map(|c| lang.pick(&c.name_zh, &c.name_en))
    }

    /// A section's name in `lang` (in English: its `name_en`, else its id).
    pub fn section_name(&self, id: &str, lang: Language) -> Option<&str> {
        self.sections.iter().find(|s| s.id == id).map(|s| lang.pick(&s.name_zh, &s.name_en))
    }

    /// The input columns, in the order `evaluate_columns` takes them.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// The indicator slot a flat row names `name` (`indicator` or `role.indicator`).
    pub(super) fn slot_named(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The input column names, in slot order.
    pub fn column_names(&self) -> Vec<&str> {
        self.slots.iter().map(|s| s.name.as_str()).collect()
    }

    /// The criterion ids, in the order of the points columns.
    pub fn criterion_ids(&self) -> Vec<&str> {
        self.criteria.iter().map(|c| c.id.as_str()).collect()
    }

    /// Whether a missing value in the slot is an error: a criterion or veto reads it, the missing
    /// policy is `error`, and it is not an event count (no events is a count of zero).
    pub(super) fn missing_is_error(&self, slot: usize) -> bool {
        let s = &self.slots[slot];
        s.required && self.missing == MissingPolicy::Error && !matches!(s.source, Source::Event(_))
    }

    /// Checks one input value against its slot's kind and bounds.
    pub(super) fn check_value(&self, slot: usize, x: f64) -> Result<(), BadValue> {
        let s = &self.slots[slot];
        if x.is_nan() {
            return if self.missing_is_error(slot) { Err(BadValue::Missing) } else { Ok(()) };
        }
        let bad = match s.kind {
            _ if x.is_infinite() => Some(BadValue::NotFinite(x)),
            IndicatorKind::Count if x < 0.0 => Some(BadValue::NegativeCount(x)),
            IndicatorKind::Count if x.fract() != 0.0 => Some(BadValue::FractionalCount(x)),
            IndicatorKind::Count if x > limits::COUNT => Some(BadValue::CountTooLarge(x)),
            IndicatorKind::Amount if x.abs() > limits::VALUE => Some(BadValue::AmountTooLarge(x)),
            IndicatorKind::Percent if !(0.0..=100.0).contains(&x) => Some(BadValue::NotPercent(x)),
            IndicatorKind::YesNo if x != 0.0 && x != 1.0 => Some(BadValue::NotYesNo(x)),
            _ => s
                .min
                .filter(|lo| x < *lo)
                .map(|min| BadValue::BelowMin { x, min })
                .or_else(|| s.max.filter(|hi| x > *hi).map(|max| BadValue::AboveMax { x, max })),
        };
        bad.map_or(Ok(()), Err)
    }

    /// Scores one criterion on one sheet.
    pub(super) fn score_criterion(&self, c: usize, sheet: usize, x: &[f64]) -> (Points, Outcome) {
        let cp = &self.criteria[c];
        let [a, b] = cp.inputs[sheet];
        // A null event count is no events, as an absent event column is.
        let v = if cp.on_event && x[a].is_nan() { 0.0 } else { x[a] };
        if v.is_nan() {
            return (Points::ZERO, Outcome::Missing);
        }
        let max = cp.max;
        let linear = |v: f64, floor: f64, target: f64| {
            let frac = (v - floor) / (target - floor);
            if frac >= 1.0 {
                (max, Outcome::ReachedTarget)
            } else if frac <= 0.0 {
                (Points::ZERO, Outcome::BelowFloor)
            } else {
                (Points::round(max.as_f64() * frac), Outcome::Between)
            }
        };
        match &cp.kind {
            Kind::Linear { floor, target } => linear(v, *floor, *target),
            Kind::Steps { steps, higher } => {
                let mut best: Option<(Points, usize)> = None;
                for (i, (t, p)) in steps.iter().enumerate() {
                    let reached = if *higher { v >= *t } else { v <= *t };
                    if reached && best.is_none_or(|(bp, _)| *p > bp) {
                        best = Some((*p, i));
                    }
                }
                match best {
                    Some((p, i)) => (p, Outcome::Step(i)),
                    None => (Points::ZERO, Outcome::NoStep),
                }
            }
            Kind::YesNo => {
                if v >= 0.5 {
                    (max, Outcome::Yes)
                } else {
                    (Points::ZERO, Outcome::No)
                }
            }
            Kind::Deduction { required, per } => {
                let count = match required {
                    Some(r) => (r - v).max(0.0),
                    None => v,
                };
                (Points(max.0 - Points::round_up_to(per * count, max).0), Outcome::Deducted { count })
            }
            Kind::Bonus { per } => (Points::round_up_to(per * v, max), Outcome::Bonus),
            Kind::Ratio { scale, floor, target } => {
                let d = x[b];
                if d.is_nan() {
                    (Points::ZERO, Outcome::Missing)
                } else if d == 0.0 {
                    (Points::ZERO, Outcome::NoDenominator)
                } else {
                    linear(v / d * scale, *floor, *target)
                }
            }
        }
    }

    /// Section points on a sheet: the capped sum of its criteria's points.
    pub(super) fn section_points(&self, sec: usize, sheet: usize, crit: &[Points]) -> (Points, bool) {
        let s = &self.sections[sec];
        let n = self.criteria.len();
        let sum: Points = s.criteria.clone().map(|c| crit[sheet * n + c]).sum();
        if sum > s.max { (s.max, true) } else { (sum, false) }
    }

    pub(super) fn sheet_total(&self, sheet: usize, crit: &[Points]) -> Points {
        (0..self.sections.len()).map(|s| self.section_points(s, sheet, crit).0).sum()
    }

    /// The weighted blend of sheet totals, rounded by the one rule.
    pub(super) fn blended(&self, crit: &[Points]) -> Points {
        if self.sheets.len() == 1 {
            return self.sheet_total(0, crit);
        }
        let h: f64 = (0..self.sheets.len()).map(|s| self.sheets[s].weight * self.sheet_total(s, crit).0 as f64).sum();
        Points::round_hundredths(h)
    }

    /// A criterion's points across sheets, weighted as the totals are (the bulk points column).
    pub(super) fn criterion_blend(&self, c: usize, crit: &[Points]) -> Points {
        let n = self.criteria.len();
        self.blend_sheets(|s| crit[s * n + c].0 as f64)
    }

    /// Points blended across the sheets: each sheet's (`on(sheet)`, whole hundredths) weighted
    /// and summed, rounded once; one sheet's as they are.
    pub(super) fn blend_sheets(&self, on: impl Fn(usize) -> f64) -> Points {
        if self.sheets.len() == 1 {
            return Points(on(0) as i64);
        }
        Points::round_hundredths(self.sheets.iter().enumerate().map(|(s, sheet)| sheet.weight * on(s)).sum())
    }

    /// A direct deduction's points: at most `limits::POINTS` × `limits::COUNT` in hundredths,
    /// 10¹⁷, inside `i64` (counts are checked before they get here).
    pub(super) fn deduction_points(&self, d: usize, x: &[f64]) -> Points {
        let dp = &self.deductions[d];
        let count = x[dp.slot];
        if count.is_nan() || count <= 0.0 {
            Points::ZERO
        } else {
            Points(dp.points.0 * count.min(limits::COUNT) as i64)
        }
    }

    pub(super) fn veto_hit(&self, v: usize, x: &[f64]) -> bool {
        self.vetoes[v].hit(x)
    }

    pub(super) fn band<T: Copy>(bands: &[BandPlan<T>], score: Points, x: &[f64]) -> Option<T> {
        bands.iter().find(|b| score >= b.min && b.requires.iter().all(|c| c.test.holds(x[c.slot]))).map(|b| b.value)
    }

    /// Scores one row. `crit` receives every criterion's points for every sheet
    /// (sheet-major, `sheets × criteria` long). Allocates nothing.
    pub(super) fn score_row(&self, x: &[f64], crit: &mut [Points]) -> RowResult {
        let n = self.criteria.len();
        for sheet in 0..self.sheets.len() {
            for c in 0..n {
                crit[sheet * n + c] = self.score_criterion(c, sheet, x).0;
            }
        }
        let blended = self.blended(crit);
        // Summed wide: many deductions of 10¹⁷ each cannot wrap; the total is floored at zero.
        let off: i128 = (0..self.deductions.len()).map(|d| i128::from(self.deduction_points(d, x).0)).sum();
        let score = Points((i128::from(blended.0) - off).max(0) as i64);
        let vetoed = (0..self.vetoes.len()).any(|v| self.veto_hit(v, x));
        let (stars, standing) = if vetoed {
            (self.vetoed_stars, self.vetoed_standing)
        } else {
            (Plan::band(&self.stars, score, x), Plan::band(&self.standings, score, x))
        };
        let weak_lax = self.weak_lax.iter().any(|t| t.hit(x));
        RowResult { score, vetoed, weak_lax, stars, standing }
    }
}

fn compile_rule(file: &ProgramFile, indicators: &HashMap<&str, usize>, rule: &Rule) -> (Kind, Option<String>) {
    let higher = |id: &str| indicators.get(id).is_none_or(|&i| file.indicators[i].direction == Direction::HigherBetter);
    match rule {
        Rule::Linear { indicator, floor, target } => {
            (Kind::Linear { floor: *floor, target: *target }, Some(indicator.clone()))
        }
        Rule::Steps { indicator, steps } => {
            let higher = higher(indicator);
            let steps =
                steps.iter().filter_map(|s| Some((s.at_least.or(s.at_most)?, Points::from_f64(s.points)))).collect();
            (Kind::Steps { steps, higher }, Some(indicator.clone()))
        }
        Rule::YesNo { indicator } => (Kind::YesNo, Some(indicator.clone())),
        Rule::Deduction(Deduction { counts, per }) => {
            let required = match counts {
                Counted::Shortfall { required, .. } => Some(*required),
                Counted::Indicator(_) | Counted::Events(_) => None,
            };
            (Kind::Deduction { required, per: *per }, Some(counts.source().to_string()))
        }
        Rule::Bonus { indicator, per } => (Kind::Bonus { per: *per }, Some(indicator.clone())),
        Rule::Ratio { numerator, scale, floor, target, .. } => {
            (Kind::Ratio { scale: *scale, floor: *floor, target: *target }, Some(numerator.clone()))
        }
    }
}

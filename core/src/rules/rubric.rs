//! The rule-file schema: what a prefecture writes in TOML or JSON (one schema for both).
//! These are plain data; `validate.rs` checks them and `Program` only ever holds checked ones.

use crate::data::model::{OrgForm, ProgramArea, Sector, Standing};
use serde::{Deserialize, Serialize};

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A whole program file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramFile {
    /// The program's id and name.
    pub program: ProgramInfo,
    /// Program-wide numbers: selection target, reward pool, title term.
    #[serde(default)]
    pub settings: Settings,
    /// Every indicator a score sheet may read.
    pub indicators: Vec<IndicatorDef>,
    /// Every kind of event reports may record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventDef>,
    /// Default bands for every scheme that does not set its own.
    pub bands: Bands,
    /// Vetoes that apply under every scheme.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vetoes: Vec<Trigger>,
    /// Situations that designate an organization weak and lax (软弱涣散), any one suffices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weak_lax: Vec<Trigger>,
    /// How exemplars are named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<crate::rules::policy::SelectionPolicy>,
    /// How the reward pool is paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward: Option<crate::rules::policy::RewardPolicy>,
    /// How weak-and-lax organizations are rectified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rectification: Option<crate::rules::policy::RectificationPolicy>,
    /// The oversight rhythm: cadences, visits, tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oversight: Option<crate::rules::policy::OversightPolicy>,
    /// Sections shared by several schemes, named in a scheme's `common`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_sections: Vec<Section>,
    /// The selection procedure (程序) with its time limits (时限).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageDef>,
    /// The score sheets.
    pub schemes: Vec<Scheme>,
}

/// A program's id and name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramInfo {
    /// Lower-case id: letters, digits, `_`.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// What a missing indicator value does: `error` (default) or `zero` (scores 0, flagged).
    #[serde(default, skip_serializing_if = "is_default")]
    pub missing: MissingPolicy,
    /// The language results are worded in: `zh` (default) or `en`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub language: crate::rules::language::Language,
}

/// What a missing indicator value means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// An error naming the value (the default).
    #[default]
    Error,
    /// Zero points for the criteria that read it.
    Zero,
}

/// Program-wide numbers used by selection and rewards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Exemplars to name a year (每年培树先进党组织200余个).
    pub selection_target: u32,
    /// Reward pool in fen (不少于200万元 = 200,000,000 fen).
    pub reward_pool_fen: i64,
    /// Years a conferred title runs before it must be earned again.
    #[serde(default = "five", skip_serializing_if = "is_five")]
    pub title_term_years: u32,
    /// Working days, from the day after a result is published, to appeal it (申诉).
    #[serde(default = "five", skip_serializing_if = "is_five")]
    pub appeal_days: u32,
    /// Working days, from the day after an appeal is filed, to review it (复核).
    #[serde(default = "ten", skip_serializing_if = "is_ten")]
    pub review_days: u32,
}

fn five() -> u32 {
    5
}
fn is_five(n: &u32) -> bool {
    *n == 5
}
fn ten() -> u32 {
    10
}
fn is_ten(n: &u32) -> bool {
    *n == 10
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            selection_target: 200,
            reward_pool_fen: 200_000_000,
            title_term_years: 5,
            appeal_days: 5,
            review_days: 10,
        }
    }
}

/// What values an indicator takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// Whole, non-negative numbers: meetings held, persons employed.
    #[default]
    Count,
    /// Any finite number in the indicator's unit (万元, 元, %-growth); bounds via min/max.
    Amount,
    /// 0 to 100.
    Percent,
    /// 0 (no) or 1 (yes).
    YesNo,
}

/// Which way an indicator is better.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better.
    #[default]
    HigherBetter,
    /// Less is better (incidents, complaints).
    LowerBetter,
}

/// An indicator: one number an organization reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    /// Lower-case id: letters, digits, `_`.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Its unit (次, 人, %), for display.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// What values it takes.
    pub kind: IndicatorKind,
    /// Which way is better (default higher).
    #[serde(default, skip_serializing_if = "is_default")]
    pub direction: Direction,
    /// The lowest acceptable value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The highest acceptable value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A kind of event a report may record (an incident, a disciplinary case).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    /// Lower-case id; shares one namespace with indicators.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

/// One score sheet: an area's, or a merged department scheme's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Lower-case id: letters, digits, `_`.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The program area it scores, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<ProgramArea>,
    /// The department that runs a merged scheme (融合其他行业部门的示范创建).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The sheet's full marks.
    pub max_points: f64,
    /// The organizations it applies to.
    #[serde(default, skip_serializing_if = "is_default")]
    pub applies_to: Applicability,
    /// What a missing value means here (default: the program's `missing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingPolicy>,
    /// Blended assessors (e.g. 40 % self + 60 % superior), each scoring the same sheet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessors: Vec<Assessor>,
    /// Ids of `common_sections` placed before this scheme's own sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common: Vec<String>,
    /// The sheet's own sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Points taken off the total per event, outside any section, floored at zero.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deductions: Vec<DirectDeduction>,
    /// Vetoes under this scheme only, besides the program's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vetoes: Vec<Trigger>,
    /// Bands of its own, instead of the program's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<Bands>,
    /// Tasks with deadlines, for the oversight rhythm.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Task>,
}

/// Which organizations a scheme applies to; an empty list means all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    /// Sectors covered; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<Sector>,
    /// Organization forms covered; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<OrgForm>,
}

impl Applicability {
    /// Whether an organization of this sector and form is covered.
    pub fn covers(&self, sector: Sector, form: OrgForm) -> bool {
        (self.sectors.is_empty() || self.sectors.contains(&sector))
            && (self.forms.is_empty() || self.forms.contains(&form))
    }
}

/// One assessor of a blended scheme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessor {
    /// The assessor's role (`self`, `superior`), the prefix of its columns.
    pub role: String,
    /// Its weight; the weights add up to 1.
    pub weight: f64,
}

/// A section of a score sheet, with its cap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Lower-case id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The section's cap: its criteria may add up to more (bonus items), never count for more.
    pub max: f64,
    /// Its criteria.
    pub criteria: Vec<Criterion>,
}

/// One line of a score sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Lower-case id, unique in the program.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Full marks of this criterion (for a bonus item: its cap).
    pub points: f64,
    /// How it turns its input into points.
    pub rule: Rule,
}

/// How a criterion turns its input into points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Zero at `floor`, full at `target`, straight line between; the indicator's direction says
    /// which side is better.
    Linear {
        /// The indicator read.
        indicator: String,
        /// The value scoring 0.
        floor: f64,
        /// The value scoring full marks.
        target: f64,
    },
    /// The best step reached: `at_least` for higher-better indicators, `at_most` for lower-better.
    Steps {
        /// The indicator read.
        indicator: String,
        /// The steps, in any order.
        steps: Vec<Step>,
    },
    /// Full points for yes (1), none for no (0).
    YesNo {
        /// The yes/no indicator read.
        indicator: String,
    },
    /// Full points less `per` for each missing element or incident, floored at zero (扣完为止).
    /// The count is the indicator's value, or `required` minus it, or the number of `event`s.
    Deduction(Deduction),
    /// `per` points for each unit, up to the criterion's points (奖1分，封顶).
    Bonus {
        /// The indicator counted.
        indicator: String,
        /// Points per unit.
        per: f64,
    },
    /// numerator / denominator × scale, then linear between floor and target.
    Ratio {
        /// The indicator divided.
        numerator: String,
        /// The indicator it is divided by.
        denominator: String,
        /// The quotient's multiplier (100 for a percentage; default 1).
        #[serde(default = "one", skip_serializing_if = "is_one")]
        scale: f64,
        /// The scaled ratio scoring 0.
        floor: f64,
        /// The scaled ratio scoring full marks.
        target: f64,
    },
}

/// What a rule reads on each assessor's sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reads<'r> {
    /// One indicator's value.
    Indicator(&'r str),
    /// A ratio's numerator and denominator.
    Ratio(&'r str, &'r str),
    /// An event's count, the same on every sheet.
    Event(&'r str),
}

impl Rule {
    /// What the rule reads: the one place that says which rule kind reads which input.
    pub fn reads(&self) -> Reads<'_> {
        match self {
            Rule::Linear { indicator, .. }
            | Rule::Steps { indicator, .. }
            | Rule::YesNo { indicator }
            | Rule::Bonus { indicator, .. }
            | Rule::Deduction(Deduction {
                counts: Counted::Indicator(indicator) | Counted::Shortfall { indicator, .. },
                ..
            }) => Reads::Indicator(indicator),
            Rule::Deduction(Deduction { counts: Counted::Events(e), .. }) => Reads::Event(e),
            Rule::Ratio { numerator, denominator, .. } => Reads::Ratio(numerator, denominator),
        }
    }
}

/// A deduction: what it counts, and the points off per unit counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DeductionKeys", into = "DeductionKeys")]
pub struct Deduction {
    /// What is counted.
    pub counts: Counted,
    /// Points off per unit counted.
    pub per: f64,
}

/// What a deduction counts.
#[derive(Clone, Debug, PartialEq)]
pub enum Counted {
    /// The indicator's value (`indicator = "…"`): missing elements, incidents.
    Indicator(String),
    /// What the indicator falls short of `required` (`indicator` and `required`).
    Shortfall {
        /// The indicator read.
        indicator: String,
        /// What it should reach.
        required: f64,
    },
    /// Events recorded (`event = "…"`); history no later value can undo.
    Events(String),
}

impl Counted {
    /// The indicator or event read.
    pub fn source(&self) -> &str {
        match self {
            Counted::Indicator(i) | Counted::Shortfall { indicator: i, .. } | Counted::Events(i) => i,
        }
    }
}

/// A deduction as a rule file writes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeductionKeys {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    indicator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    required: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event: Option<String>,
    per: f64,
}

impl TryFrom<DeductionKeys> for Deduction {
    type Error = String;
    fn try_from(k: DeductionKeys) -> Result<Deduction, String> {
        let counts = match (k.indicator, k.required, k.event) {
            (Some(i), None, None) => Counted::Indicator(i),
            (Some(indicator), Some(required), None) => Counted::Shortfall { indicator, required },
            (None, Some(_), Some(_)) => {
                return Err("a deduction's `required` goes with an indicator, not an event".into());
            }
            (None, None, Some(e)) => Counted::Events(e),
            _ => return Err("a deduction counts exactly one of an indicator or an event".into()),
        };
        Ok(Deduction { counts, per: k.per })
    }
}

impl From<Deduction> for DeductionKeys {
    fn from(d: Deduction) -> DeductionKeys {
        let (indicator, required, event) = match d.counts {
            Counted::Indicator(i) => (Some(i), None, None),
            Counted::Shortfall { indicator, required } => (Some(indicator), Some(required), None),
            Counted::Events(e) => (None, None, Some(e)),
        };
        DeductionKeys { indicator, required, event, per: d.per }
    }
}

fn one() -> f64 {
    1.0
}

fn is_one(x: &f64) -> bool {
    *x == 1.0
}

/// One step of a step table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Reached at or above this value (higher-better indicators).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Reached at or below this value (lower-better indicators).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// The points of this step.
    pub points: f64,
}

/// Points taken off the whole sheet per event, outside any section (直接扣分).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectDeduction {
    /// Lower-case id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The event counted.
    pub event: String,
    /// Points off per event.
    pub points: f64,
}

/// The one bound a trigger or a condition tests an indicator against. A rule file gives exactly
/// one of the keys `at_least`, `at_most`, `below` and `above`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// The value is at least this.
    AtLeast(f64),
    /// The value is at most this.
    AtMost(f64),
    /// The value is below this.
    Below(f64),
    /// The value is above this.
    Above(f64),
}

impl Bound {
    /// Whether `x` meets the bound; a missing value (NaN) never does.
    pub fn holds(self, x: f64) -> bool {
        match self {
            Bound::AtLeast(b) => x >= b,
            Bound::AtMost(b) => x <= b,
            Bound::Below(b) => x < b,
            Bound::Above(b) => x > b,
        }
    }

    /// The number the value is compared with.
    pub fn value(self) -> f64 {
        match self {
            Bound::AtLeast(b) | Bound::AtMost(b) | Bound::Below(b) | Bound::Above(b) => b,
        }
    }
}

/// "≥ 3", "< 60": the bound as a reason shows it.
impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::AtLeast(b) => write!(f, "≥ {b}"),
            Bound::AtMost(b) => write!(f, "≤ {b}"),
            Bound::Below(b) => write!(f, "< {b}"),
            Bound::Above(b) => write!(f, "> {b}"),
        }
    }
}

impl Bound {
    /// The bound in words: symbols in English (`≥ 3`), words in Chinese (不低于3).
    pub fn words(&self, lang: crate::Language) -> String {
        match (lang, self) {
            (crate::Language::En, _) => self.to_string(),
            (crate::Language::Zh, Bound::AtLeast(b)) => format!("不低于{b}"),
            (crate::Language::Zh, Bound::AtMost(b)) => format!("不高于{b}"),
            (crate::Language::Zh, Bound::Below(b)) => format!("低于{b}"),
            (crate::Language::Zh, Bound::Above(b)) => format!("高于{b}"),
        }
    }
}

/// A bound as a rule file writes it: `[at_least, at_most, below, above]`, exactly one given.
type BoundKeys = [Option<f64>; 4];

fn bound_of(keys: BoundKeys) -> Option<Bound> {
    match keys {
        [Some(x), None, None, None] => Some(Bound::AtLeast(x)),
        [None, Some(x), None, None] => Some(Bound::AtMost(x)),
        [None, None, Some(x), None] => Some(Bound::Below(x)),
        [None, None, None, Some(x)] => Some(Bound::Above(x)),
        _ => None,
    }
}

fn keys_of(bound: Option<Bound>) -> BoundKeys {
    let mut k = [None; 4];
    match bound {
        Some(Bound::AtLeast(x)) => k[0] = Some(x),
        Some(Bound::AtMost(x)) => k[1] = Some(x),
        Some(Bound::Below(x)) => k[2] = Some(x),
        Some(Bound::Above(x)) => k[3] = Some(x),
        None => {}
    }
    k
}

const ONE_BOUND: &str = "give exactly one of at_least, at_most, below and above";

/// A yes/no test on an event or an indicator: a veto (一票否决) or a weak-and-lax situation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TriggerKeys", into = "TriggerKeys")]
pub struct Trigger {
    /// Lower-case id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// What fires it.
    pub on: Fires,
    /// Schemes it applies under; empty means all.
    pub schemes: Vec<String>,
}

/// What fires a trigger.
#[derive(Clone, Debug, PartialEq)]
pub enum Fires {
    /// The event was recorded at least once (`event = "…"`).
    Event(String),
    /// The indicator meets the bound (a missing value never fires).
    Indicator {
        /// The indicator tested.
        indicator: String,
        /// The bound.
        bound: Bound,
    },
}

/// A trigger as a rule file writes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerKeys {
    id: String,
    name_zh: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    indicator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_most: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    below: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    above: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    schemes: Vec<String>,
}

impl TryFrom<TriggerKeys> for Trigger {
    type Error = String;
    fn try_from(k: TriggerKeys) -> Result<Trigger, String> {
        let keys = [k.at_least, k.at_most, k.below, k.above];
        let on = match (k.event, k.indicator) {
            (Some(e), None) if keys == [None; 4] => Fires::Event(e),
            (Some(_), None) => return Err(format!("{}: an event takes no bound", k.id)),
            (None, Some(indicator)) => {
                let bound = bound_of(keys).ok_or_else(|| format!("{}: {ONE_BOUND}", k.id))?;
                Fires::Indicator { indicator, bound }
            }
            _ => return Err(format!("{}: name exactly one of an event or an indicator", k.id)),
        };
        Ok(Trigger { id: k.id, name_zh: k.name_zh, name_en: k.name_en, on, schemes: k.schemes })
    }
}

impl From<Trigger> for TriggerKeys {
    fn from(t: Trigger) -> TriggerKeys {
        let (event, indicator, bound) = match t.on {
            Fires::Event(e) => (Some(e), None, None),
            Fires::Indicator { indicator, bound } => (None, Some(indicator), Some(bound)),
        };
        let [at_least, at_most, below, above] = keys_of(bound);
        TriggerKeys {
            id: t.id,
            name_zh: t.name_zh,
            name_en: t.name_en,
            event,
            indicator,
            at_least,
            at_most,
            below,
            above,
            schemes: t.schemes,
        }
    }
}

/// An extra condition on a band (5★ also needs an innovation project).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ConditionKeys", into = "ConditionKeys")]
pub struct Condition {
    /// The indicator tested.
    pub indicator: String,
    /// The bound it must meet.
    pub bound: Bound,
}

/// A condition as a rule file writes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionKeys {
    indicator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_most: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    below: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    above: Option<f64>,
}

impl TryFrom<ConditionKeys> for Condition {
    type Error = String;
    fn try_from(k: ConditionKeys) -> Result<Condition, String> {
        let bound = bound_of([k.at_least, k.at_most, k.below, k.above])
            .ok_or_else(|| format!("condition on {}: {ONE_BOUND}", k.indicator))?;
        Ok(Condition { indicator: k.indicator, bound })
    }
}

impl From<Condition> for ConditionKeys {
    fn from(c: Condition) -> ConditionKeys {
        let [at_least, at_most, below, above] = keys_of(Some(c.bound));
        ConditionKeys { indicator: c.indicator, at_least, at_most, below, above }
    }
}

/// How scores become stars and standings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// Star bands, each from a minimum score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stars: Vec<StarBand>,
    /// Standing bands, each from a minimum score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standings: Vec<StandingBand>,
    /// What a vetoed organization is given (default 1★ and lagging).
    #[serde(default = "lowest_stars", skip_serializing_if = "is_lowest_stars")]
    pub vetoed_stars: u8,
    /// The standing a vetoed organization is given (default lagging).
    #[serde(default = "lagging", skip_serializing_if = "is_lagging")]
    pub vetoed_standing: Standing,
}

fn lowest_stars() -> u8 {
    1
}
fn is_lowest_stars(s: &u8) -> bool {
    *s == 1
}
fn lagging() -> Standing {
    Standing::Lagging
}
fn is_lagging(s: &Standing) -> bool {
    *s == Standing::Lagging
}

/// A star band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarBand {
    /// The stars: 1 to 5.
    pub stars: u8,
    /// The lowest score of the band.
    pub min_score: f64,
    /// Further conditions to reach it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Condition>,
}

/// A standing band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandingBand {
    /// The standing.
    pub standing: Standing,
    /// The lowest score of the band.
    pub min_score: f64,
    /// Further conditions to reach it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Condition>,
}

/// A task with its deadline (时限), as month-day within the program year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Lower-case id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Written `MM-DD`; 02-29 falls on 02-28 in common years.
    pub due: MonthDay,
}

/// A day of the program year written `MM-DD`: a task's deadline. Any day of a leap year, so
/// 02-29 exists; in a common year it falls on 02-28.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthDay {
    month: u32,
    day: u32,
}

impl MonthDay {
    /// A month (1–12) and a day of it in a leap year; `None` otherwise.
    pub fn new(month: u32, day: u32) -> Option<MonthDay> {
        chrono::NaiveDate::from_ymd_opt(2024, month, day).map(|_| MonthDay { month, day })
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        self.day
    }

    /// The date in `year` (02-29 is 02-28 in a common year); `None` only beyond chrono's years.
    pub fn in_year(self, year: i32) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| chrono::NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
    }
}

impl std::str::FromStr for MonthDay {
    type Err = String;
    /// Exactly two digits, `-`, two digits, naming a calendar day.
    fn from_str(s: &str) -> Result<MonthDay, String> {
        let bad = || format!("due `{s}` is not a calendar day written MM-DD");
        let (m, d) = s.split_once('-').ok_or_else(bad)?;
        let two = |t: &str| t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit());
        if !(two(m) && two(d)) {
            return Err(bad());
        }
        MonthDay::new(m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?).ok_or_else(bad)
    }
}

impl TryFrom<String> for MonthDay {
    type Error = String;
    fn try_from(s: String) -> Result<MonthDay, String> {
        s.parse()
    }
}

impl std::fmt::Display for MonthDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl From<MonthDay> for String {
    fn from(d: MonthDay) -> String {
        d.to_string()
    }
}

/// The stages of selection, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 自评: self-assessment.
    SelfAssessment,
    /// 申报: application.
    Application,
    /// 推荐: nomination.
    Nomination,
    /// 审核: review.
    Review,
    /// 实地考察: field inspection.
    FieldInspection,
    /// 征求意见: clearance by the discipline and other departments.
    Clearance,
    /// 研究决定: decision.
    Decision,
    /// 公示: public notice.
    PublicNotice,
    /// 命名授牌: conferral.
    Conferral,
}

/// A selection stage and its time limit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDef {
    /// The stage.
    pub stage: Stage,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Time limit in days; 0 for a one-day act such as conferral.
    pub days: u32,
    /// Count the limit in working days (public notice: 5 working days).
    #[serde(default, skip_serializing_if = "is_default")]
    pub working_days: bool,
}

crate::data::model::snake_case_text!(MissingPolicy, "missing policy", "缺失值处理方式");
crate::data::model::snake_case_text!(IndicatorKind, "indicator kind", "指标类型");
crate::data::model::snake_case_text!(Direction, "direction", "指标方向");
crate::data::model::snake_case_text!(Stage, "stage", "程序环节");

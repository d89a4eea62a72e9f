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
    pub program: ProgramInfo,
    #[serde(default)]
    pub settings: Settings,
    pub indicators: Vec<IndicatorDef>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<crate::rules::policy::SelectionPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward: Option<crate::rules::policy::RewardPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rectification: Option<crate::rules::policy::RectificationPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oversight: Option<crate::rules::policy::OversightPolicy>,
    /// Sections shared by several schemes, named in a scheme's `common`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_sections: Vec<Section>,
    /// The selection procedure (程序) with its time limits (时限).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageDef>,
    pub schemes: Vec<Scheme>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramInfo {
    pub id: String,
    pub name_zh: String,
    /// What a missing indicator value does: `error` (default) or `zero` (scores 0, flagged).
    #[serde(default, skip_serializing_if = "is_default")]
    pub missing: MissingPolicy,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    #[default]
    Error,
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
}

fn five() -> u32 {
    5
}
fn is_five(n: &u32) -> bool {
    *n == 5
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { selection_target: 200, reward_pool_fen: 200_000_000, title_term_years: 5 }
    }
}

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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    HigherBetter,
    LowerBetter,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub id: String,
    pub name_zh: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    pub kind: IndicatorKind,
    #[serde(default, skip_serializing_if = "is_default")]
    pub direction: Direction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    pub id: String,
    pub name_zh: String,
}

/// One score sheet: an area's, or a merged department scheme's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub id: String,
    pub name_zh: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<ProgramArea>,
    /// The department that runs a merged scheme (融合其他行业部门的示范创建).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    pub max_points: f64,
    #[serde(default, skip_serializing_if = "is_default")]
    pub applies_to: Applicability,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingPolicy>,
    /// Blended assessors (e.g. 40 % self + 60 % superior), each scoring the same sheet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessors: Vec<Assessor>,
    /// Ids of `common_sections` placed before this scheme's own sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Points taken off the total per event, outside any section, floored at zero.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deductions: Vec<DirectDeduction>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vetoes: Vec<Trigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<Bands>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Task>,
}

/// Which organizations a scheme applies to; an empty list means all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<Sector>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<OrgForm>,
}

impl Applicability {
    pub fn covers(&self, sector: Sector, form: OrgForm) -> bool {
        (self.sectors.is_empty() || self.sectors.contains(&sector))
            && (self.forms.is_empty() || self.forms.contains(&form))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessor {
    pub role: String,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub name_zh: String,
    /// The section's cap: its criteria may add up to more (bonus items), never count for more.
    pub max: f64,
    pub criteria: Vec<Criterion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub name_zh: String,
    /// Full marks of this criterion (for a bonus item: its cap).
    pub points: f64,
    pub rule: Rule,
}

/// How a criterion turns its input into points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Zero at `floor`, full at `target`, straight line between; the indicator's direction says
    /// which side is better.
    Linear { indicator: String, floor: f64, target: f64 },
    /// The best step reached: `at_least` for higher-better indicators, `at_most` for lower-better.
    Steps { indicator: String, steps: Vec<Step> },
    /// Full points for yes (1), none for no (0).
    YesNo { indicator: String },
    /// Full points less `per` for each missing element or incident, floored at zero (扣完为止).
    /// The count is the indicator's value, or `required` minus it, or the number of `event`s.
    Deduction {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        indicator: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        required: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event: Option<String>,
        per: f64,
    },
    /// `per` points for each unit, up to the criterion's points (奖1分，封顶).
    Bonus { indicator: String, per: f64 },
    /// numerator / denominator × scale, then linear between floor and target.
    Ratio {
        numerator: String,
        denominator: String,
        #[serde(default = "one", skip_serializing_if = "is_one")]
        scale: f64,
        floor: f64,
        target: f64,
    },
}

fn one() -> f64 {
    1.0
}

fn is_one(x: &f64) -> bool {
    *x == 1.0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    pub points: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectDeduction {
    pub id: String,
    pub name_zh: String,
    pub event: String,
    pub points: f64,
}

/// A yes/no test on an event or an indicator: a veto (一票否决) or a weak-and-lax situation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub id: String,
    pub name_zh: String,
    /// Fires when the event was recorded at least once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Fires when the indicator passes the bound (a missing value never fires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    /// Schemes it applies under; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemes: Vec<String>,
}

/// An extra condition on a band (5★ also needs an innovation project).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub indicator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
}

/// The one bound a trigger or condition sets: `[at_least, at_most, below, above]`.
pub(crate) fn bounds(b: [Option<f64>; 4]) -> Vec<(usize, f64)> {
    b.iter().enumerate().filter_map(|(i, x)| x.map(|x| (i, x))).collect()
}

impl Trigger {
    pub(crate) fn bound(&self) -> [Option<f64>; 4] {
        [self.at_least, self.at_most, self.below, self.above]
    }
}

impl Condition {
    pub(crate) fn bound(&self) -> [Option<f64>; 4] {
        [self.at_least, self.at_most, self.below, self.above]
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stars: Vec<StarBand>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standings: Vec<StandingBand>,
    /// What a vetoed organization is given (default 1★ and lagging).
    #[serde(default = "lowest_stars", skip_serializing_if = "is_lowest_stars")]
    pub vetoed_stars: u8,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarBand {
    pub stars: u8,
    pub min_score: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Condition>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandingBand {
    pub standing: Standing,
    pub min_score: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Condition>,
}

/// A task with its deadline (时限), as month-day within the program year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: String,
    pub name_zh: String,
    /// `MM-DD`; 02-29 falls on 02-28 in common years.
    pub due: String,
}

/// The stages of selection, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    SelfAssessment,
    Application,
    Nomination,
    Review,
    FieldInspection,
    Clearance,
    Decision,
    PublicNotice,
    Conferral,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDef {
    pub stage: Stage,
    pub name_zh: String,
    /// Time limit in days; 0 for a one-day act such as conferral.
    pub days: u32,
    /// Count the limit in working days (public notice: 5 working days).
    #[serde(default, skip_serializing_if = "is_default")]
    pub working_days: bool,
}

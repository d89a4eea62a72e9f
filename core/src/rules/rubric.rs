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
    /// What a missing indicator value does: `error` (default) or `zero` (scores 0, flagged).
    #[serde(default, skip_serializing_if = "is_default")]
    pub missing: MissingPolicy,
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
}

/// One score sheet: an area's, or a merged department scheme's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Lower-case id: letters, digits, `_`.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
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
    Deduction {
        /// The indicator counted (or, with `required`, whose shortfall is counted).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        indicator: Option<String>,
        /// What the indicator should reach: the count is `required` minus its value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        required: Option<f64>,
        /// The event counted, instead of an indicator.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event: Option<String>,
        /// Points off per unit counted.
        per: f64,
    },
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
    /// The event counted.
    pub event: String,
    /// Points off per event.
    pub points: f64,
}

/// A yes/no test on an event or an indicator: a veto (一票否决) or a weak-and-lax situation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Lower-case id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Fires when the event was recorded at least once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Fires when the indicator passes the bound (a missing value never fires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// Fires at or above this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Fires at or below this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// Fires below this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Fires above this value.
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
    /// The indicator tested.
    pub indicator: String,
    /// Met at or above this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Met at or below this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// Met below this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Met above this value.
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
    /// `MM-DD`; 02-29 falls on 02-28 in common years.
    pub due: String,
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
    /// Time limit in days; 0 for a one-day act such as conferral.
    pub days: u32,
    /// Count the limit in working days (public notice: 5 working days).
    #[serde(default, skip_serializing_if = "is_default")]
    pub working_days: bool,
}

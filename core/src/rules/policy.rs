//! The rule-file policies for selection (评选), rewards (以奖代补) and rectification (整顿):
//! plain data read from the program file, checked by `validate.rs`.

use serde::{Deserialize, Serialize};

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// How exemplars are named from a year's evaluations. The total target is
/// `settings.selection_target`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionPolicy {
    /// Only candidates rated at least this many stars are eligible ("below 4★").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_stars: Option<u8>,
    /// Only candidates scoring at least this are eligible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
    /// Limits for every scheme (area), and for every county.
    #[serde(default, skip_serializing_if = "is_default")]
    pub per_scheme: Limits,
    /// Limits for every county.
    #[serde(default, skip_serializing_if = "is_default")]
    pub per_county: Limits,
    /// Limits for a named scheme, replacing `per_scheme` for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scheme_limits: Vec<SchemeLimits>,
    /// At most this share of the rated organizations may be named in a star band.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub band_quotas: Vec<BandQuota>,
    /// Events during the year that rule a candidate out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disqualifying_events: Vec<String>,
    /// Criteria whose points break ties in score, in order; then organization id, then scheme id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tie_break: Vec<String>,
    /// How many eligible candidates not named are listed as the waiting list.
    #[serde(default = "twenty", skip_serializing_if = "is_twenty")]
    pub waiting_list: usize,
}

fn twenty() -> usize {
    20
}
fn is_twenty(n: &usize) -> bool {
    *n == 20
}

/// At least `min` and at most `max` named.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// At least this many named, where there are candidates.
    #[serde(default, skip_serializing_if = "is_default")]
    pub min: u32,
    /// At most this many named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// Limits for one scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeLimits {
    /// The scheme.
    pub scheme: String,
    /// At least this many named, where there are candidates.
    #[serde(default, skip_serializing_if = "is_default")]
    pub min: u32,
    /// At most this many named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// A cap on how many may be named in a star band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandQuota {
    /// The band: 1 to 5 stars.
    pub stars: u8,
    /// 0.10 for "at most 10 % of those rated".
    pub max_share: f64,
}

/// How the pool is divided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RewardKind {
    /// The same share for every recipient.
    Equal,
    /// A fixed amount per star tier.
    Tiered,
    /// In proportion to the score.
    #[default]
    Proportional,
    /// A published amount linked to the score: `full_fen` at `full_at` or above, less
    /// `per_point_fen` for every point below (pro rata), never below zero; scaled down to the
    /// pool when the amounts add up to more.
    ScoreLinked,
    /// `base_fen` to every exemplar, and the rest of the pool shared (`share`).
    BasePlusShare,
}

/// How the rest of the pool is shared after the base (`base_plus_share`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Share {
    /// Alike.
    #[default]
    Equal,
    /// In proportion to the score.
    Score,
    /// In proportion to the `weight` of the exemplar's star tier.
    Tier,
}

/// How the reward pool (`settings.reward_pool_fen`) is paid out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewardPolicy {
    /// Equal, tiered, proportional (the default), score-linked or base plus share.
    #[serde(default)]
    pub kind: RewardKind,
    /// Exemplars scoring below this get nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The least any award may be (fen): amounts below are raised to it (a guaranteed minimum;
    /// `base_plus_share` adds its base instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_fen: Option<i64>,
    /// No award above this (fen); what it leaves undistributed is the stated rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_fen: Option<i64>,
    /// Fixed amounts per star tier (`tiered`), or their weights (`base_plus_share`, share by tier).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    /// `score_linked`: the score at or above which the full amount is paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_at: Option<f64>,
    /// `score_linked`: the full amount (fen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_fen: Option<i64>,
    /// `score_linked`: deducted for every point below `full_at`, pro rata for hundredths (fen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_point_fen: Option<i64>,
    /// `base_plus_share`: what every exemplar receives before the share (fen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_fen: Option<i64>,
    /// `base_plus_share`: how the rest is shared (default equally).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Share>,
    /// The pool split first across schemes or counties, then paid within each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_pools: Option<SubPools>,
}

/// An amount or a weight for a star tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The tier: 1 to 5 stars.
    pub stars: u8,
    /// The amount, in fen (`tiered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fen: Option<i64>,
    /// The tier's weight in the share (`base_plus_share` by tier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
}

/// What the pool is split across.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubPoolBy {
    /// The scheme (area) an exemplar is named under.
    Scheme,
    /// The exemplar's county.
    County,
}

/// How the pool is split across the sub-pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// In proportion to the exemplars named in each.
    Named,
    /// By the fixed weights of `shares`.
    Fixed,
}

/// Sub-pools: the pool apportioned to the fen across schemes or counties, by fixed weights or
/// by the number named in each, then paid within each under the policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubPools {
    /// Scheme or county.
    pub by: SubPoolBy,
    /// In proportion to the named, or fixed weights.
    pub split: Split,
    /// The weight of each scheme or county (`fixed`): every one that names an exemplar needs one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<SubPoolShare>,
}

/// One scheme's or county's fixed weight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubPoolShare {
    /// The scheme id or the county.
    pub of: String,
    /// Its weight (30 and 70 split the pool 30 : 70).
    pub weight: u64,
}

/// Weak-and-lax rectification: the ranking share taken in, the acceptance pass mark, timing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RectificationPolicy {
    /// The bottom share of each county's ranking is designated too (0.05 = bottom 5 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottom_share: Option<f64>,
    /// Acceptance passes at this score (≥ 70 points); more than half dissatisfied fails outright.
    pub pass_mark: f64,
    /// Days from acceptance to the follow-up review (回头看).
    pub follow_up_days: u32,
}

impl Default for RectificationPolicy {
    fn default() -> RectificationPolicy {
        RectificationPolicy { bottom_share: None, pass_mark: 70.0, follow_up_days: 180 }
    }
}

/// How often a cadence or a visit falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    /// Monthly.
    Month,
    /// Quarterly.
    Quarter,
    /// Twice a year.
    HalfYear,
    /// Yearly.
    Year,
}

/// A recurring meeting or inspection of a group (一月一调度、一季一督查、半年观摩、年终考评).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CadenceDef {
    /// The cadence's id, referred to by groups.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name (English texts use the id when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// How often it falls due.
    pub every: Every,
    /// Due on this day of each window's last month (clamped to its length); default its last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u32>,
    /// The indicator fed with the number held (e.g. `monthly_dispatches`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
}

/// Leading cadres' contact visits (党员领导干部党支部联系点): at least so many per window per link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitRule {
    /// The window: each month, quarter, half-year or year.
    pub every: Every,
    /// Visits due per window per link.
    pub at_least: u32,
    /// The indicator fed with the number of visits each linked organization received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
}

/// The oversight rhythm. Due dates that fall on a day off move to the next working day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OversightPolicy {
    /// The recurring meetings and inspections groups keep.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cadences: Vec<CadenceDef>,
    /// The leading cadres' visit rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<VisitRule>,
    /// The indicator fed with the share of tasks done on time (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks_indicator: Option<String>,
}

crate::data::model::snake_case_text!(RewardKind, "reward kind", "奖补方式");
crate::data::model::snake_case_text!(Every, "cadence interval", "周期");

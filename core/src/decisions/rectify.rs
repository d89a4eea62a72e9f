//! Punishment and rectification (整顿软弱涣散): designating weak and lax organizations from the
//! program's situations and the bottom of each county's ranking, and the life of a case until it
//! is accepted and closed (摘帽).

use crate::data::model::Period;
use crate::data::year_columns::Texts;
use crate::decisions::parts;
use crate::decisions::roster::{Places, Roster};
use crate::error::{Error, Result};
use crate::rules::language::{Language, Text, text};
use crate::rules::program::Program;
use crate::scoring::evaluate::Assessed;
use crate::scoring::points::Points;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// What ranks a result in its county, lowest first: score, organization rank, scheme rank,
/// period (each result distinct).
type Ranked = (Points, u32, u32, Period);

/// What `designations` meets in a part of the evaluations.
#[derive(Default)]
struct Met {
    /// The situations, in words, by the number the part gives them.
    situations: Vec<String>,
    /// Every situation found, by organization rank and county, in the order met.
    found: Vec<(u32, u32, Reason)>,
    /// The least and greatest score, and how many results each county ranks.
    scores: Option<(i64, i64)>,
    sizes: Vec<u32>,
}

/// The number of a situation's `words` among `situations`, added the first time (`by_words`
/// holds the numbers given).
fn number_words(by_words: &mut HashMap<String, u32>, situations: &mut Vec<String>, words: String) -> u32 {
    *by_words.entry(words).or_insert_with_key(|words| {
        situations.push(words.clone());
        situations.len() as u32 - 1
    })
}

/// An organization designated weak and lax, with every reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Designation {
    /// The organization designated.
    pub org_id: String,
    /// Its county.
    pub county: String,
    /// Every situation that designated it, in words.
    pub reasons: Vec<String>,
}

impl Program {
    /// Designates weak and lax organizations: any situation a report shows, plus the bottom
    /// `bottom_share` of each county's ranking (⌊share × evaluations⌋ of them, lowest total first,
    /// ties by organization id then scheme). Sorted by organization id.
    pub fn designate<Y: Roster, E: Assessed + Sync>(&self, year: &Y, evals: &[E]) -> Result<Vec<Designation>> {
        Ok(self.designations(year, evals)?.iter().collect())
    }

    /// The designations of `designate`, held compactly and worded when read: what a province's
    /// or the country's year designates, and what `select_designated` rules out.
    pub fn designations<Y: Roster, E: Assessed + Sync>(&self, year: &Y, evals: &[E]) -> Result<Designations> {
        let places = year.places(self, evals)?;
        let policy = self.file().rectification.clone().unwrap_or_default();
        let counties = year.county_names();
        let lang = self.language();
        let met = parts::each(parts::ranges(evals.len()), |range| -> Result<Met> {
            let mut met = Met { sizes: vec![0; counties.len()], ..Met::default() };
            // Each distinct situation worded once (a year repeats them), found by the plan's
            // address (the plans outlive this call), the trigger and the value, or by its words.
            let (mut by_cell, mut by_words) = (HashMap::new(), HashMap::new());
            let mut number = |words: String| number_words(&mut by_words, &mut met.situations, words);
            let mut fired = Vec::new();
            for i in range {
                let (e, place) = (&evals[i], places.get(i, &evals[i]));
                met.sizes[place.county as usize] += 1;
                let score = e.score().0;
                met.scores = Some(met.scores.map_or((score, score), |(lo, hi)| (lo.min(score), hi.max(score))));
                if !e.is_weak_lax() {
                    continue;
                }
                let situation = |code| (place.org, place.county, Reason::Situation(code));
                match e.weak_lax_fired(&mut fired) {
                    Some(plan) => {
                        for &(t, x) in &fired {
                            let key = (std::ptr::from_ref(plan) as usize, t, x.to_bits());
                            let code = *by_cell.entry(key).or_insert_with(|| number(plan.weak_lax_reason(t, x)));
                            met.found.push(situation(code));
                        }
                    }
                    None => {
                        for words in e.weak_lax_reasons(self)? {
                            met.found.push(situation(number(words)));
                        }
                    }
                }
            }
            Ok(met)
        });
        // The parts joined in order, each situation numbered as one pass would number it.
        let (mut situations, mut by_words) = (Vec::new(), HashMap::new());
        let (mut found, mut sizes, mut scores) = (Vec::new(), vec![0; counties.len()], None::<(i64, i64)>);
        for part in met {
            let part = part?;
            let number: Vec<u32> =
                part.situations.into_iter().map(|words| number_words(&mut by_words, &mut situations, words)).collect();
            found.extend(part.found.into_iter().map(|(org, county, reason)| match reason {
                Reason::Situation(k) => (org, county, Reason::Situation(number[k as usize])),
                bottom => (org, county, bottom),
            }));
            sizes.iter_mut().zip(&part.sizes).for_each(|(n, k)| *n += k);
            scores = match (scores, part.scores) {
                (Some((lo, hi)), Some((l, h))) => Some((lo.min(l), hi.max(h))),
                (mine, theirs) => mine.or(theirs),
            };
        }
        let mut d = Designated {
            ids: year.org_ids(),
            counties: counties.iter().map(|c| c.to_string()).collect(),
            sizes,
            schemes: crate::decisions::select::scheme_ids(self)
                .into_iter()
                .map(|id| self.plan(id).map_or(id, |p| p.name(lang)).to_string())
                .collect(),
            situations,
            language: lang,
            percent: 0.0,
            org: Vec::new(),
            county: Vec::new(),
            start: Vec::new(),
            reasons: Vec::new(),
        };
        if let Some(share) = policy.bottom_share {
            d.percent = (share * 1000.0).round() / 10.0;
            let take: Vec<usize> = d.sizes.iter().map(|&n| bottom_count(share, n as usize)).collect();
            for (c, list) in county_bottoms(evals, &places, scores, &take).into_iter().enumerate() {
                let n = d.sizes[c];
                for (k, &(score, org, scheme, _)) in list.iter().enumerate() {
                    found.push((org, c as u32, Reason::Bottom { rank: n - k as u32, scheme, score }));
                }
            }
        }
        // An organization's reasons in the order found, each situation once.
        found.sort_by_key(|f| f.0);
        for run in found.chunk_by(|a, b| a.0 == b.0) {
            d.org.push(run[0].0);
            d.county.push(run[0].1);
            d.start.push(d.reasons.len() as u32);
            let from = d.reasons.len();
            for &(.., reason) in run {
                if !(matches!(reason, Reason::Situation(_)) && d.reasons[from..].contains(&reason)) {
                    d.reasons.push(reason);
                }
            }
        }
        d.start.push(d.reasons.len() as u32);
        Ok(Designations(Arc::new(d)))
    }
}

/// One reason for a designation, worded on read.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reason {
    /// A situation, by its words' index in `Designated::situations`.
    Situation(u32),
    /// In the bottom share of the county's ranking: the rank from the top (of the county's
    /// `sizes`), the scheme (by rank) and the score.
    Bottom { rank: u32, scheme: u32, score: Points },
}

/// A year's weak-and-lax designations, a few bytes each: each organization by rank, its county
/// and its reasons as codes, worded when read as `Designation`s (sorted by organization id).
/// Clones share them.
#[derive(Clone, Debug)]
pub struct Designations(Arc<Designated>);

#[derive(Debug)]
struct Designated {
    /// Every organization's id, by rank (shared with the year).
    ids: Arc<Texts>,
    counties: Vec<String>,
    /// How many results each county ranks.
    sizes: Vec<u32>,
    /// Each scheme's name, by rank.
    schemes: Vec<String>,
    /// Each distinct situation, in words.
    situations: Vec<String>,
    language: Language,
    /// The bottom share, in per cent to one decimal.
    percent: f64,
    /// Each designated organization's rank and county; its reasons are
    /// `reasons[start[i]..start[i + 1]]`.
    org: Vec<u32>,
    county: Vec<u32>,
    start: Vec<u32>,
    reasons: Vec<Reason>,
}

impl Designations {
    /// How many organizations are designated.
    pub fn len(&self) -> usize {
        self.0.org.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.0.org.is_empty()
    }

    /// Designation `i`, worded.
    pub fn get(&self, i: usize) -> Designation {
        Designation {
            org_id: self.0.ids.get(self.0.org[i] as usize).to_string(),
            county: self.0.counties[self.0.county[i] as usize].clone(),
            reasons: self.reasons(i).collect(),
        }
    }

    /// Every designation, worded, sorted by organization id.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Designation> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Designation `i`'s reasons, in words.
    fn reasons(&self, i: usize) -> impl Iterator<Item = String> + '_ {
        let (county, n, pct) =
            (&self.0.counties[self.0.county[i] as usize], self.0.sizes[self.0.county[i] as usize], self.0.percent);
        self.0.reasons[self.0.start[i] as usize..self.0.start[i + 1] as usize].iter().map(move |r| match *r {
            Reason::Situation(k) => self.0.situations[k as usize].clone(),
            Reason::Bottom { rank, scheme, score } => {
                let scheme = &self.0.schemes[scheme as usize];
                match self.0.language {
                    Language::Zh => format!("{county}排名后{pct}%：{n}个中第{rank}名，{score}分（{scheme}）"),
                    Language::En => {
                        format!("bottom {pct}% of {county}'s ranking: {rank} of {n} with {score} ({scheme})")
                    }
                }
            }
        })
    }

    /// The language the reasons are worded in.
    pub(crate) fn language(&self) -> Language {
        self.0.language
    }

    /// Designation `i`'s reasons joined as its language joins clauses.
    pub(crate) fn joined(&self, i: usize) -> String {
        self.reasons(i).collect::<Vec<_>>().join(self.0.language.clause_sep())
    }

    /// Each designated organization's rank by id among the year's organizations: the
    /// designations' own ranks where the year is the one they were made from (its ids shared).
    pub(crate) fn ranks_in<Y: Roster>(&self, year: &Y) -> Vec<Option<u32>> {
        let ids = year.org_ids();
        if Arc::ptr_eq(&ids, &self.0.ids) {
            return self.0.org.iter().map(|&r| Some(r)).collect();
        }
        let mine: Vec<&str> = self.0.org.iter().map(|&r| self.0.ids.get(r as usize)).collect();
        year.ranks_of(&mine)
    }
}

/// Each county's `take` lowest results, lowest total first, ties by organization id, scheme id,
/// period; `scores` the least and greatest. A county's whole ranking is never ordered: a first
/// pass counts each county's scores in coarse buckets, and only the results in or below the
/// bucket where its bottom ends are gathered and ordered. Each pass is done in parts.
fn county_bottoms<E: Assessed + Sync>(
    evals: &[E],
    places: &Places<'_>,
    scores: Option<(i64, i64)>,
    take: &[usize],
) -> Vec<Vec<Ranked>> {
    let mut bottoms = vec![Vec::new(); take.len()];
    let Some((lo, hi)) = scores else { return bottoms };
    // Scores in buckets of a power of two: at most 256 a county, about a million counts in all.
    // A score's distance from the least, `s - lo`, is below 2⁶⁴ even where it is not an i64.
    let most = ((1 << 20) / take.len().max(1)).clamp(2, 256) as u64;
    let shift = (0..64).find(|&k| (hi.wrapping_sub(lo) as u64 >> k) < most).unwrap_or(63);
    let buckets = ((hi.wrapping_sub(lo) as u64 >> shift) + 1) as usize;
    let bucket = |s: Points| (s.0.wrapping_sub(lo) as u64 >> shift) as usize;
    let mut counts = vec![0usize; take.len() * buckets];
    let counted = parts::each(parts::ranges(evals.len()), |range| {
        let mut counts = vec![0u32; take.len() * buckets];
        for i in range {
            let e = &evals[i];
            counts[places.get(i, e).county as usize * buckets + bucket(e.score())] += 1;
        }
        counts
    });
    for part in counted {
        counts.iter_mut().zip(part).for_each(|(n, k)| *n += k as usize);
    }
    // The last bucket each county's bottom reaches into; none where it designates none.
    let cut: Vec<Option<usize>> = counts
        .chunks(buckets)
        .zip(take)
        .map(|(counts, &take)| {
            let mut sum = 0;
            counts.iter().position(|&k| {
                sum += k;
                take > 0 && sum >= take
            })
        })
        .collect();
    let gathered = parts::each(parts::ranges(evals.len()), |range| {
        let mut bottoms = vec![Vec::new(); take.len()];
        for i in range {
            let (e, p) = (&evals[i], places.get(i, &evals[i]));
            if cut[p.county as usize].is_some_and(|b| bucket(e.score()) <= b) {
                bottoms[p.county as usize].push((e.score(), p.org, p.scheme, e.period()));
            }
        }
        bottoms
    });
    for part in gathered {
        bottoms.iter_mut().zip(part).for_each(|(list, more)| list.extend(more));
    }
    for (list, &take) in bottoms.iter_mut().zip(take) {
        if take < list.len() {
            list.select_nth_unstable(take - 1);
            list.truncate(take);
        }
        list.sort_unstable();
    }
    bottoms
}

/// How many of a county's `n` results its bottom `share` designates: ⌊share × n⌋, a share that
/// lands on a whole number in exact arithmetic taken as whole.
pub(crate) fn bottom_count(share: f64, n: usize) -> usize {
    ((share * n as f64) + 1e-9).floor() as usize
}

/// Where a rectification case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Opened; the plan is being carried out.
    Open,
    /// Passed the acceptance check; closed (摘帽) next.
    Accepted,
    /// Failed the acceptance check: the case starts over and is checked again.
    FailedRestarted,
    /// Closed (摘帽) after acceptance.
    Closed,
}

/// One item of a rectification plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    /// The item's id, unique in the case.
    pub id: String,
    /// What is to be done.
    pub text: String,
    /// When it is due.
    #[serde(with = "crate::data::model::date")]
    pub due: NaiveDate,
    /// When it was done, once done.
    #[serde(default, with = "crate::data::model::date::option")]
    pub done: Option<NaiveDate>,
}

/// One acceptance check (验收) of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptanceCheck {
    /// When it was held.
    #[serde(with = "crate::data::model::date")]
    pub date: NaiveDate,
    /// The score at the check.
    pub score: Points,
    /// Members satisfied.
    pub satisfied: u32,
    /// Members dissatisfied.
    pub dissatisfied: u32,
    /// Whether it passed: the pass mark reached and no more than half dissatisfied.
    pub passed: bool,
    /// Why it passed or failed, in words.
    pub reason: String,
}

/// One weak-and-lax organization's rectification, from designation to delisting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationCase {
    /// The organization being rectified.
    pub org_id: String,
    /// Why it was designated.
    pub reasons: Vec<String>,
    /// When the case opened.
    #[serde(with = "crate::data::model::date")]
    pub opened: NaiveDate,
    /// Where it stands.
    pub status: CaseStatus,
    /// 挂包领导 and 第一书记, named as input.
    pub liaison_cadre: Option<String>,
    /// The first secretary (第一书记) sent to the organization.
    pub first_secretary: Option<String>,
    /// The rectification plan.
    pub plan: Vec<PlanItem>,
    /// Every acceptance check, oldest first.
    pub checks: Vec<AcceptanceCheck>,
    /// How many times a failed check restarted the case.
    pub restarts: u32,
    /// The follow-up review (回头看), set at acceptance.
    #[serde(default, with = "crate::data::model::date::option")]
    pub follow_up: Option<NaiveDate>,
    /// When the case closed.
    #[serde(default, with = "crate::data::model::date::option")]
    pub closed: Option<NaiveDate>,
}

impl RectificationCase {
    /// Opens a case for a designation under the program's rectification policy.
    pub fn open(d: &Designation, opened: NaiveDate) -> RectificationCase {
        RectificationCase {
            org_id: d.org_id.clone(),
            reasons: d.reasons.clone(),
            opened,
            status: CaseStatus::Open,
            liaison_cadre: None,
            first_secretary: None,
            plan: Vec::new(),
            checks: Vec::new(),
            restarts: 0,
            follow_up: None,
            closed: None,
        }
    }

    /// Checks a case handed back in (saved by a records system): a status its checks and dates
    /// bear out, plan items once each.
    pub fn validate(&self) -> Result<()> {
        let bad = |why: Text| self.refuse(("接收保存的整顿记录", "take a saved case"), why);
        let last = self.checks.last();
        let status_fits = match self.status {
            CaseStatus::Open => self.checks.is_empty(),
            CaseStatus::FailedRestarted => last.is_some_and(|c| !c.passed),
            CaseStatus::Accepted | CaseStatus::Closed => last.is_some_and(|c| c.passed) && self.follow_up.is_some(),
        };
        if !status_fits || (self.status == CaseStatus::Closed) != self.closed.is_some() {
            let (zh, en) = (status_zh(self.status), self.status);
            return Err(bad(text!(
                "其状态“{zh}”与验收记录和日期不符",
                "its status {en} does not fit its checks and dates"
            )));
        }
        if self.checks.windows(2).any(|w| w[0].date >= w[1].date || w[0].passed) {
            return Err(bad(text!(
                "其验收记录未按时间顺序、在未通过的验收之后进行",
                "its checks do not run forward, each after a failed one"
            )));
        }
        if self.restarts as usize != self.checks.iter().filter(|c| !c.passed).count() {
            return Err(bad(text!(
                "其重新整顿次数与未通过的验收次数不符",
                "its restarts do not match its failed checks"
            )));
        }
        let mut ids = std::collections::HashSet::new();
        if let Some(p) = self.plan.iter().find(|p| !ids.insert(p.id.as_str())) {
            let id = &p.id;
            return Err(bad(text!("整改事项`{id}`出现两次", "plan item `{id}` appears twice")));
        }
        Ok(())
    }

    /// Refuses `what` (in Chinese and English) for `why`.
    fn refuse(&self, (zh, en): Act, why: Text) -> Error {
        let org = &self.org_id;
        Error::Lifecycle {
            subject: text!("`{org}`的整顿", "rectification case of `{org}`"),
            message: Text::new(format!("不能{zh}：{}", why.zh), format!("cannot {en}: {}", why.en)),
        }
    }

    fn still_open(&self, what: Act) -> Result<()> {
        match self.status {
            CaseStatus::Open | CaseStatus::FailedRestarted => Ok(()),
            s => {
                let zh = status_zh(s);
                Err(self.refuse(what, text!("整顿状态为“{zh}”", "the case is {s}")))
            }
        }
    }

    /// Names the liaison cadre (挂包领导) and the first secretary (第一书记).
    pub fn assign(&mut self, liaison_cadre: &str, first_secretary: &str) -> Result<()> {
        const ASSIGN: Act = ("指定挂包领导和第一书记", "assign cadres");
        self.still_open(ASSIGN)?;
        if liaison_cadre.trim().is_empty() || first_secretary.trim().is_empty() {
            return Err(self.refuse(
                ASSIGN,
                text!("挂包领导和第一书记都须有姓名", "both the liaison cadre and the first secretary need a name"),
            ));
        }
        self.liaison_cadre = Some(liaison_cadre.to_string());
        self.first_secretary = Some(first_secretary.to_string());
        Ok(())
    }

    /// Adds a plan item due on `due` (not before the case opened).
    pub fn add_item(&mut self, id: &str, text: &str, due: NaiveDate) -> Result<()> {
        const ADD: Act = ("增加整改事项", "add a plan item");
        self.still_open(ADD)?;
        if self.plan.iter().any(|p| p.id == id) {
            return Err(self.refuse(ADD, text!("事项`{id}`已存在", "item `{id}` exists")));
        }
        let opened = self.opened;
        if due < opened {
            return Err(self.refuse(
                ADD,
                text!("完成时限{due}早于整顿开始日期{opened}", "due {due} is before the case opened on {opened}"),
            ));
        }
        self.plan.push(PlanItem { id: id.to_string(), text: text.to_string(), due, done: None });
        Ok(())
    }

    /// Marks a plan item done on `date`.
    pub fn complete_item(&mut self, id: &str, date: NaiveDate) -> Result<()> {
        const COMPLETE: Act = ("完成整改事项", "complete a plan item");
        self.still_open(COMPLETE)?;
        let opened = self.opened;
        let err = |why: Text| self.refuse(COMPLETE, why);
        let Some(i) = self.plan.iter().position(|p| p.id == id) else {
            return Err(err(text!("没有事项`{id}`", "no item `{id}`")));
        };
        if date < opened {
            return Err(err(text!("{date}早于整顿开始日期{opened}", "{date} is before the case opened on {opened}")));
        }
        if self.plan[i].done.is_some() {
            return Err(err(text!("事项`{id}`已完成", "item `{id}` is already done")));
        }
        self.plan[i].done = Some(date);
        Ok(())
    }

    /// The acceptance check: passes at the pass mark unless more than half of the votes are
    /// dissatisfied, which fails it outright. A failure restarts the case.
    pub fn check(
        &mut self,
        program: &Program,
        date: NaiveDate,
        score: f64,
        satisfied: u32,
        dissatisfied: u32,
    ) -> Result<&AcceptanceCheck> {
        const CHECK: Act = ("验收", "check");
        self.still_open(CHECK)?;
        if let Some(last) = self.checks.last().filter(|c| c.date >= date) {
            let on = last.date;
            return Err(self.refuse(CHECK, text!("上次验收在{on}", "the last check was on {on}")));
        }
        if self.liaison_cadre.is_none() || self.first_secretary.is_none() {
            return Err(self
                .refuse(CHECK, text!("尚未指定挂包领导和第一书记", "no liaison cadre and first secretary assigned")));
        }
        if self.plan.is_empty() {
            return Err(self.refuse(CHECK, text!("该整顿没有整改方案", "the case has no rectification plan")));
        }
        if let Some(p) = self.plan.iter().find(|p| p.done.is_none_or(|d| d > date)) {
            let id = &p.id;
            return Err(
                self.refuse(CHECK, text!("整改事项`{id}`在{date}前未完成", "plan item `{id}` is not done by {date}"))
            );
        }
        if !(score.is_finite() && score >= 0.0) {
            return Err(self.refuse(CHECK, text!("得分{score}不是有效分值", "score {score} is not a number of points")));
        }
        let policy = program.file().rectification.clone().unwrap_or_default();
        let pass_mark = Points::round(policy.pass_mark);
        if score > *crate::rules::limits::POINTS.end() {
            return Err(self
                .refuse(CHECK, text!("得分{score}高于任何评分表的满分", "score {score} is above any sheet's points")));
        }
        let score = Points::round(score);
        let votes = u64::from(satisfied) + u64::from(dissatisfied);
        let zh = program.language() == Language::Zh;
        let (passed, reason) = if u64::from(dissatisfied) * 2 > votes {
            (
                false,
                if zh {
                    format!("{votes}票中{dissatisfied}票不满意，超过半数，直接判定不合格")
                } else {
                    format!("{dissatisfied} of {votes} votes dissatisfied, more than half: failed outright")
                },
            )
        } else if score < pass_mark {
            (
                false,
                if zh {
                    format!("{score}分，低于合格线{pass_mark}分")
                } else {
                    format!("{score} is below the pass mark {pass_mark}")
                },
            )
        } else if zh {
            (true, format!("{score}分，达到合格线{pass_mark}分，{votes}票中{dissatisfied}票不满意"))
        } else {
            (true, format!("{score} ≥ {pass_mark} with {dissatisfied} of {votes} dissatisfied"))
        };
        if passed {
            self.status = CaseStatus::Accepted;
            self.follow_up = date.checked_add_days(chrono::Days::new(u64::from(policy.follow_up_days)));
        } else {
            self.status = CaseStatus::FailedRestarted;
            self.restarts += 1;
            self.opened = date;
            for p in &mut self.plan {
                p.done = None;
            }
        }
        let at = self.checks.len();
        self.checks.push(AcceptanceCheck { date, score, satisfied, dissatisfied, passed, reason });
        Ok(&self.checks[at])
    }

    /// Closes an accepted case: the organization is delisted (摘帽).
    pub fn close(&mut self, date: NaiveDate) -> Result<()> {
        const CLOSE: Act = ("摘帽", "close");
        if self.status != CaseStatus::Accepted {
            let (s, zh) = (self.status, status_zh(self.status));
            return Err(self.refuse(CLOSE, text!("整顿状态为“{zh}”，尚未验收通过", "the case is {s}, not accepted")));
        }
        let accepted = self.checks.last().map(|c| c.date).unwrap_or(self.opened);
        if date < accepted {
            return Err(self.refuse(
                CLOSE,
                text!("{date}早于验收日期{accepted}", "{date} is before the acceptance on {accepted}"),
            ));
        }
        self.status = CaseStatus::Closed;
        self.closed = Some(date);
        Ok(())
    }
}

/// What a case is asked to do, in Chinese and English, for its refusals.
type Act = (&'static str, &'static str);

/// Where a case stands, in Chinese (in English its snake_case name).
fn status_zh(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Open => "正在整顿",
        CaseStatus::FailedRestarted => "验收未通过、重新整顿",
        CaseStatus::Accepted => "已验收通过",
        CaseStatus::Closed => "已摘帽",
    }
}

crate::data::model::snake_case_text!(CaseStatus, "case status", "整顿状态");

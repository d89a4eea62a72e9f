//! Selection (评选): naming a year's exemplars under the program's policy — target, minimum and
//! maximum per scheme and county, star and score thresholds, band quotas, exclusions — with a
//! documented ranking and a reason for every candidate not named.

use crate::data::model::{Period, Stars};
use crate::data::year_columns::Texts;
pub use crate::decisions::not_named::NotNamedList;
use crate::decisions::not_named::{Entry, Stored};
use crate::decisions::parts;
use crate::decisions::ranking::{InPlaceOrder, Keys, ranking};
use crate::decisions::rectify::Designations;
use crate::decisions::roster::{Place, Places, Roster};
use crate::error::{Error, Field, Result};
use crate::rules::language::Language;
use crate::rules::policy::SelectionPolicy;
use crate::rules::program::Program;
use crate::scoring::evaluate::Assessed;
use crate::scoring::points::Points;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// Organizations ruled out before ranking, with the reason to show: weak-and-lax designations
/// (from `Program::designate`) and selection procedures not complete.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exclusions {
    /// Organization → why it is designated weak and lax.
    pub weak_lax: BTreeMap<String, String>,
    /// Organization → why its selection procedure is not complete.
    pub procedure_incomplete: BTreeMap<String, String>,
}

impl Exclusions {
    /// The weak-and-lax exclusions of a year's designations, each with its reasons joined as
    /// `lang` joins clauses (the reasons are worded in the program's language).
    pub fn from_designations(designations: &[crate::decisions::rectify::Designation], lang: Language) -> Exclusions {
        Exclusions {
            weak_lax: designations.iter().map(|d| (d.org_id.clone(), d.reasons.join(lang.clause_sep()))).collect(),
            procedure_incomplete: BTreeMap::new(),
        }
    }
}

/// An exemplar named, with its rank and basis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    /// Place in the ranking of eligible candidates (1 = best).
    pub rank: usize,
    /// The organization.
    pub org_id: String,
    /// The scheme it is named under.
    pub scheme: String,
    /// Its county.
    pub county: String,
    /// Its score.
    pub score: Points,
    /// The stars it earned.
    pub stars: Option<Stars>,
    /// The star tier named at: the earned stars, or lower where a band quota was full.
    pub tier: Option<Stars>,
    /// Why it was named, in words.
    pub basis: String,
}

/// A candidate not named, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotNamed {
    /// The organization.
    pub org_id: String,
    /// The scheme.
    pub scheme: String,
    /// Its county.
    pub county: String,
    /// Its score.
    pub score: Points,
    /// The stars it earned, if rated.
    pub stars: Option<Stars>,
    /// Passed every exclusion and threshold, but a target or quota stopped it.
    pub eligible: bool,
    /// Rank among eligible candidates, for those eligible.
    pub rank: Option<usize>,
    /// Why it was not named, in words.
    pub reason: String,
}

/// A year's selection: who is named, who waits, who is not named and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// The number to name (`settings.selection_target`).
    pub target: u32,
    /// In rank order.
    pub named: Vec<Named>,
    /// The first eligible candidates not named, in rank order.
    pub waiting: Vec<NotNamed>,
    /// Every candidate not named: eligible ones in rank order, then the rest by score.
    pub not_named: NotNamedList,
    /// Minimums that could not be met, in words.
    pub shortfalls: Vec<String>,
    /// The content hash of the program that selected ([`Program::content_hash`]).
    #[serde(default)]
    pub program_hash: String,
}

/// A candidate past every exclusion, as the quotas read it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cand {
    /// The caller's number for it: its entry in the not-named list (`select`), its report
    /// (`redecide`).
    pub(super) at: u32,
    pub(super) score: Points,
    pub(super) stars: Option<Stars>,
    pub(super) place: Place,
}

/// Why a candidate was excluded before ranking: words where they differ from candidate to
/// candidate, else what they are worded from (so a million candidates alike are worded once).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Why {
    Words(String),
    /// Designated weak and lax, by the designation's reason (its index in `ByRank`).
    WeakLax(u32),
    /// The selection procedure not complete, by its reason (its index in `ByRank`).
    Incomplete(u32),
    /// A disqualifying event, by index in the program's events.
    Event(usize),
    /// Below the minimum stars (the minimum; the stars, 0 for unrated).
    BelowStars(u8, u8),
    /// Below the minimum score (the minimum; the score).
    BelowScore(Points, Points),
}

/// Every candidate stored in the not-named list as met, to be placed once ranked: an entry's
/// number there is its evaluation's index.
struct Split {
    /// The eligible's entries, in rank order.
    ranked: Vec<u32>,
    /// How many are eligible, by scheme rank and by county index.
    per_scheme: Vec<u32>,
    per_county: Vec<u32>,
    /// The excluded's entries, in their order in the list.
    excluded: Vec<u32>,
    /// How many are rated (in a star band).
    rated: usize,
}

/// What stopped an eligible candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Blocked {
    Target,
    /// The scheme (by rank) and its maximum.
    SchemeFull(u32, u32),
    /// The county (by index) and its maximum.
    CountyFull(u32, u32),
    /// The lowest tier its quota may place it in.
    TierFull(u8),
}

/// Reasons by organization rank, for organizations the year lists.
struct ByRank<'a> {
    /// Index into the reasons by rank; `u32::MAX` for none. Empty when no organization has one.
    at: Vec<u32>,
    reasons: Reasons<'a>,
}

/// The reasons `ByRank` indexes: given in words, or designations worded when needed.
enum Reasons<'a> {
    Given(Vec<&'a str>),
    Designated(&'a Designations),
}

impl ByRank<'_> {
    /// The index of the organization's reason, if it has one.
    fn at(&self, rank: u32) -> Option<u32> {
        self.at.get(rank as usize).copied().filter(|&i| i != u32::MAX)
    }

    /// Reason `r` in words.
    fn words(&self, r: u32) -> Cow<'_, str> {
        match &self.reasons {
            Reasons::Given(words) => Cow::Borrowed(words[r as usize]),
            Reasons::Designated(d) => Cow::Owned(d.joined(r as usize)),
        }
    }
}

/// The reasons met so far, each numbered once, in the order met. The reasons a million
/// candidates share (stars, events, one designation each) are found by index, not by hashing.
#[derive(Default)]
struct Seen {
    /// Each reason, by number.
    whys: Vec<Why>,
    /// By stars (0 for unrated), for the one minimum; by event index; by `ByRank` index.
    stars: Vec<u32>,
    event: Vec<u32>,
    weak_lax: Vec<u32>,
    incomplete: Vec<u32>,
    other: HashMap<Why, u32>,
}

impl Seen {
    /// The reason's number, given the first time it is met.
    #[inline]
    fn number(&mut self, why: &Why) -> u32 {
        let fresh = self.whys.len() as u32;
        let table = match why {
            Why::BelowStars(_, s) => Some((&mut self.stars, usize::from(*s))),
            Why::Event(k) => Some((&mut self.event, *k)),
            Why::WeakLax(r) => Some((&mut self.weak_lax, *r as usize)),
            Why::Incomplete(r) => Some((&mut self.incomplete, *r as usize)),
            Why::Words(_) | Why::BelowScore(..) => None,
        };
        let number = match table {
            Some((table, i)) => {
                if table.len() <= i {
                    table.resize(i + 1, u32::MAX);
                }
                if table[i] == u32::MAX {
                    table[i] = fresh;
                }
                table[i]
            }
            None => match self.other.get(why) {
                Some(&i) => i,
                None => {
                    self.other.insert(why.clone(), fresh);
                    fresh
                }
            },
        };
        if number == fresh {
            self.whys.push(why.clone());
        }
        number
    }
}

/// What `eligibility` finds in one part of the evaluations.
struct Part<'a> {
    /// The part's entries in the not-named list, their reasons numbered as `seen` numbers them.
    stored: Stored<'a>,
    seen: Seen,
    /// The spread of what ranks the eligible and the excluded.
    eligible: InPlaceOrder,
    excluded: InPlaceOrder,
    /// How many are eligible, by scheme rank and by county index; how many are rated.
    per_scheme: Vec<u32>,
    per_county: Vec<u32>,
    rated: usize,
}

/// Each designation by its organization's rank in the year.
fn designated<'a, Y: Roster>(year: &Y, designations: &'a Designations) -> ByRank<'a> {
    let mut at = Vec::new();
    if !designations.is_empty() {
        at = vec![u32::MAX; year.len()];
        for (i, rank) in designations.ranks_in(year).into_iter().enumerate() {
            if let Some(r) = rank {
                at[r as usize] = i as u32;
            }
        }
    }
    ByRank { at, reasons: Reasons::Designated(designations) }
}

fn by_rank<'a, Y: Roster>(year: &Y, map: &'a BTreeMap<String, String>) -> ByRank<'a> {
    let mut by = ByRank { at: Vec::new(), reasons: Reasons::Given(Vec::new()) };
    if map.is_empty() {
        return by;
    }
    let ids: Vec<&str> = map.keys().map(String::as_str).collect();
    // Each distinct reason once, so organizations with the same reason share its number.
    let mut number: HashMap<&str, u32> = HashMap::new();
    let mut reasons = Vec::new();
    by.at = vec![u32::MAX; year.len()];
    for (rank, reason) in year.ranks_of(&ids).into_iter().zip(map.values()) {
        if let Some(r) = rank {
            by.at[r as usize] = *number.entry(reason).or_insert_with(|| {
                reasons.push(reason.as_str());
                reasons.len() as u32 - 1
            });
        }
    }
    by.reasons = Reasons::Given(reasons);
    by
}

/// Why a candidate designated weak and lax for `reasons` is not named, in words.
pub(crate) fn weak_lax_words(lang: Language, reasons: &str) -> String {
    match lang {
        Language::Zh => format!("已列为软弱涣散党组织：{reasons}"),
        Language::En => format!("designated weak and lax: {reasons}"),
    }
}

/// The error for an evaluation of an organization the year does not list.
pub(crate) fn not_listed<E: Assessed>(e: &E) -> Error {
    Error::input(e.org_id(), e.scheme(), Field::column("org_id"), crate::data::year::not_listed())
}

/// The program's scheme ids, sorted: a scheme's rank in a `Place` indexes this.
pub(crate) fn scheme_ids(program: &Program) -> Vec<&str> {
    let mut ids: Vec<&str> = program.schemes().iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids
}

impl Program {
    /// Names the exemplars excluding the weak and lax as given (organization → reason) or, when
    /// none are given, as designated from the evaluations; and the procedures not complete.
    pub fn select_designating<Y: Roster, E: Assessed + Sync>(
        &self,
        year: &Y,
        evals: &[E],
        weak_lax: Option<BTreeMap<String, String>>,
        procedure_incomplete: BTreeMap<String, String>,
    ) -> Result<Selection> {
        match weak_lax {
            Some(weak_lax) => self.select(year, evals, &Exclusions { weak_lax, procedure_incomplete }),
            None => self.select_designated(year, evals, &self.designations(year, evals)?, &procedure_incomplete),
        }
    }

    /// Names the exemplars as `select` does, excluding the weak and lax `designations` (of the
    /// same year, from `Program::designations`) and the procedures not complete: the same
    /// selection as with `Exclusions::from_designations`, without making the map of words.
    pub fn select_designated<Y: Roster, E: Assessed + Sync>(
        &self,
        year: &Y,
        evals: &[E],
        designations: &Designations,
        procedure_incomplete: &BTreeMap<String, String>,
    ) -> Result<Selection> {
        self.select_by(year, evals, designated(year, designations), procedure_incomplete)
    }

    /// Names the year's exemplars. Ranking: score (desc), then the points of each `tie_break`
    /// criterion (desc), then organization id, then scheme id, then period — so input order
    /// never matters.
    ///
    /// ```
    /// use exemplar::decisions::select::Exclusions;
    /// let program = exemplar::Program::default();
    /// let year = exemplar::sample::sample_year(&program, Some(400), 1, 2023)?;
    /// let evals = program.evaluate_year(&year)?;
    /// let weak_lax = Exclusions::from_designations(&program.designate(&year, &evals)?, program.language());
    /// let selection = program.select(&year, &evals, &weak_lax)?;
    /// assert!(selection.named.len() <= selection.target as usize);
    /// let pay = program.reward(&selection)?;
    /// assert_eq!(pay.paid_fen.0 + pay.rest_fen.0, pay.pool_fen.0);
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn select<Y: Roster, E: Assessed + Sync>(&self, year: &Y, evals: &[E], ex: &Exclusions) -> Result<Selection> {
        self.select_by(year, evals, by_rank(year, &ex.weak_lax), &ex.procedure_incomplete)
    }

    /// Names the year's exemplars, the weak and lax as `weak_lax` gives them.
    fn select_by<Y: Roster, E: Assessed + Sync>(
        &self,
        year: &Y,
        evals: &[E],
        weak_lax: ByRank<'_>,
        procedure_incomplete: &BTreeMap<String, String>,
    ) -> Result<Selection> {
        let places = year.places(self, evals)?;
        let policy = self.file().selection.clone().unwrap_or_default();
        let target = self.file().settings.selection_target;
        let (schemes, counties) = (scheme_ids(self), year.county_names());
        // Every candidate not named: the eligible ones stopped by a target or quota in rank
        // order (the first of them are the waiting list), then the excluded ones by score.
        let ids = year.org_ids();
        let mut not_named = NotNamedList::new(
            ids.clone(),
            schemes.iter().map(|s| s.to_string()).collect(),
            counties.iter().map(|c| c.to_string()).collect(),
            match &weak_lax.reasons {
                Reasons::Designated(d) => Some((*d).clone()),
                Reasons::Given(_) => None,
            },
            evals.len(),
        );
        let groups = (schemes.len(), counties.len());
        let exclusions = (weak_lax, by_rank(year, procedure_incomplete));
        let split = self.eligibility(year, evals, places, exclusions, &policy, &mut not_named, groups)?;
        let mut quotas = Quotas::new(self, &policy, target, split.rated, &schemes, &counties, Some(&ids));
        let cand = |i: usize| {
            let at = split.ranked[i];
            let (score, stars, place) = not_named.stored(at as usize);
            Cand { at, score, stars, place }
        };
        let (named, stopped) = quotas.fill(split.ranked.len(), cand);
        let shortfalls = quotas.shortfalls(&split.per_scheme, &split.per_county);

        // The eligible not named, in rank order: each stopped by what `fill` says, else by the
        // target. Runs stopped alike (the target stops most) number their reason once.
        let (mut seen, mut last) = (HashMap::new(), None);
        let (mut named_at, mut stopped_at) = (named.iter().map(|n| n.rank - 1).peekable(), stopped.iter().peekable());
        not_named.reserve_ranked(split.ranked.len() - named.len());
        for (i, &at) in split.ranked.iter().enumerate() {
            if named_at.next_if_eq(&i).is_some() {
                continue;
            }
            let b = stopped_at.next_if(|(j, _)| *j == i).map_or(Blocked::Target, |&(_, b)| b);
            let reason = match last {
                Some((l, r)) if l == b => r,
                _ => not_named.reason(&mut seen, &b, || quotas.words(b)),
            };
            last = Some((b, reason));
            not_named.place_ranked(at, i as u32 + 1, reason);
        }
        let waiting = not_named.iter().take(policy.waiting_list).collect();
        not_named.place(split.excluded);
        Ok(Selection { target, named, waiting, not_named, shortfalls, program_hash: self.content_hash().to_string() })
    }

    /// A reason for not naming a candidate before ranking, in words.
    fn words(&self, why: &Why, weak_lax: &ByRank<'_>, incomplete: &ByRank<'_>) -> String {
        let zh = self.language() == Language::Zh;
        match why {
            Why::Words(w) => w.clone(),
            Why::WeakLax(r) => weak_lax_words(self.language(), &weak_lax.words(*r)),
            Why::Incomplete(r) if zh => format!("推荐程序未完成：{}", incomplete.words(*r)),
            Why::Incomplete(r) => format!("procedure not complete: {}", incomplete.words(*r)),
            Why::Event(k) => {
                let e = self.file().events.get(*k);
                if zh {
                    format!("年内发生取消资格事项：{}", e.map_or("", |e| e.name_zh.as_str()))
                } else {
                    let name = e.map_or("", |e| e.name_en.as_deref().unwrap_or(&e.id));
                    format!("disqualifying event during the year: {name}")
                }
            }
            Why::BelowStars(min, 0) if zh => format!("未达到{min}★（未评星）"),
            Why::BelowStars(min, 0) => format!("below {min}★ (unrated)"),
            Why::BelowStars(min, s) => {
                let rated = Stars::new(*s).map_or(String::new(), |s| s.to_string());
                if zh {
                    format!("未达到{min}★（评为{rated}）")
                } else {
                    format!("below {min}★ (rated {rated})")
                }
            }
            Why::BelowScore(min, score) if zh => format!("低于最低分数线{min}分（{score}分）"),
            Why::BelowScore(min, score) => format!("below the minimum score {min} ({score})"),
        }
    }

    /// The policy's disqualifying events (by index in the program's events) and, for each
    /// organization (by rank), the first of them, in the policy's order, that its reports
    /// record (`u32::MAX` for none; empty when the policy has none).
    pub(super) fn disqualified<Y: Roster>(&self, year: &Y, policy: &SelectionPolicy) -> (Vec<usize>, Vec<u32>) {
        let events = &self.file().events;
        let disqualifying: Vec<usize> =
            policy.disqualifying_events.iter().filter_map(|k| events.iter().position(|e| &e.id == k)).collect();
        let mut event = Vec::new();
        if !disqualifying.is_empty() {
            event = vec![u32::MAX; year.len()];
            for (org, kind) in year.org_events(self) {
                if let Some(p) = disqualifying.iter().position(|&k| k == kind as usize) {
                    let first = &mut event[org as usize];
                    *first = (*first).min(p as u32);
                }
            }
        }
        (disqualifying, event)
    }

    /// Stores every evaluation in `not_named` (its entry is its index), the excluded with the
    /// first reason that rules them out, and splits them into the eligible, ranked (score desc,
    /// then the tie-break criteria's points desc, then organization id, scheme id, period), and
    /// the excluded, by score (desc, then organization id, scheme id, period). Both are met in
    /// the order of their places and periods once stored, so they rank by score and points
    /// alone. Done in parts, one a thread.
    #[allow(clippy::too_many_arguments)]
    fn eligibility<Y: Roster, E: Assessed + Sync>(
        &self,
        year: &Y,
        evals: &[E],
        places: Places<'_>,
        (weak_lax, incomplete): (ByRank<'_>, ByRank<'_>),
        policy: &SelectionPolicy,
        not_named: &mut NotNamedList,
        groups: (usize, usize),
    ) -> Result<Split> {
        let (disqualifying, event) = self.disqualified(year, policy);
        let k = policy.tie_break.len();
        let n = evals.len();
        // The eligible's tie-break points in hundredths, a run of `k` by entry (the excluded's
        // room is never touched, and costs no memory).
        let mut ties = vec![0i64; n * k];
        let mut pieces = Vec::new();
        let (mut stored, mut rest) = (not_named.store_all(n), ties.as_mut_slice());
        for range in parts::ranges(n) {
            let (part, after) = stored.split_at(range.len());
            let (part_ties, ties_after) = std::mem::take(&mut rest).split_at_mut(range.len() * k);
            pieces.push((range, part, part_ties));
            (stored, rest) = (after, ties_after);
        }
        let found = parts::each(pieces, |(range, stored, ties)| -> Result<Part<'_>> {
            let mut part = Part {
                stored,
                seen: Seen::default(),
                eligible: InPlaceOrder::default(),
                excluded: InPlaceOrder::default(),
                per_scheme: vec![0; groups.0],
                per_county: vec![0; groups.1],
                rated: 0,
            };
            for (j, i) in range.enumerate() {
                let (e, place) = (&evals[i], places.get(i, &evals[i]));
                let why = if e.vetoed() {
                    Some(Why::Words(e.veto_reasons(self)?.join(self.language().clause_sep())))
                } else if let Some(r) = weak_lax.at(place.org) {
                    Some(Why::WeakLax(r))
                } else if let Some(&p) = event.get(place.org as usize).filter(|&&p| p != u32::MAX) {
                    Some(Why::Event(disqualifying[p as usize]))
                } else if let Some(r) = incomplete.at(place.org) {
                    Some(Why::Incomplete(r))
                } else if let Some(min) = policy.min_stars.filter(|m| e.stars().is_none_or(|s| s.get() < *m)) {
                    Some(Why::BelowStars(min, e.stars().map_or(0, Stars::get)))
                } else {
                    let min = policy.min_score.map(Points::round);
                    min.filter(|m| e.score() < *m).map(|m| Why::BelowScore(m, e.score()))
                };
                // An eligible one's reason is given once ranked.
                let reason = why.as_ref().map_or(u32::MAX, |why| part.seen.number(why));
                let (org, scheme, county) = (place.org, place.scheme, place.county);
                let (score, stars) = (e.score(), e.stars());
                part.rated += usize::from(stars.is_some());
                part.stored.set(j, Entry { org, scheme, county, reason, score, stars });
                if why.is_some() {
                    part.excluded.widen(score, Points::ZERO);
                    continue;
                }
                let ties = &mut ties[j * k..(j + 1) * k];
                for (t, c) in ties.iter_mut().zip(&policy.tie_break) {
                    *t = e.points_of(self, c)?.0;
                }
                part.eligible.widen(score, Points(ties.first().copied().unwrap_or(0)));
                part.per_scheme[scheme as usize] += 1;
                part.per_county[county as usize] += 1;
            }
            Ok(part)
        });
        // The parts joined in order: their reasons numbered as one pass would number them.
        let mut seen = Seen::default();
        let (mut spread, mut excluded_spread) = (InPlaceOrder::default(), InPlaceOrder::default());
        let mut split = Split {
            ranked: Vec::new(),
            per_scheme: vec![0; groups.0],
            per_county: vec![0; groups.1],
            excluded: Vec::new(),
            rated: 0,
        };
        for part in found {
            let mut part = part?;
            let number: Vec<u32> = part.seen.whys.iter().map(|why| seen.number(why)).collect();
            if number.iter().enumerate().any(|(i, &r)| i as u32 != r) {
                for r in part.stored.reasons().iter_mut().filter(|r| **r != u32::MAX) {
                    *r = number[*r as usize];
                }
            }
            spread.join(&part.eligible);
            excluded_spread.join(&part.excluded);
            split.per_scheme.iter_mut().zip(&part.per_scheme).for_each(|(a, b)| *a += b);
            split.per_county.iter_mut().zip(&part.per_county).for_each(|(a, b)| *a += b);
            split.rated += part.rated;
        }
        for why in &seen.whys {
            match (why, &weak_lax.reasons) {
                (Why::WeakLax(r), Reasons::Designated(_)) => not_named.add_designated(*r),
                _ => not_named.add_reason(self.words(why, &weak_lax, &incomplete)),
            };
        }

        // The eligible and the excluded keyed in the order of their places, in parts.
        let not_named = &*not_named;
        let keyed = parts::each(places.orders(evals, year.len()), |order| {
            let (mut eligible, mut excluded) = (spread.keys(), excluded_spread.keys());
            for at in order {
                let score = not_named.stored(at).0;
                match not_named.stored_reason(at) {
                    Some(_) => excluded.push(at as u32, score, Points::ZERO),
                    None => eligible.push(at as u32, score, Points(ties[at * k..].first().copied().unwrap_or(0))),
                }
            }
            (eligible, excluded)
        });
        let mut keyed = keyed.into_iter();
        let (mut eligible, mut excluded) = keyed.next().unwrap_or_else(|| (spread.keys(), excluded_spread.keys()));
        for (e, x) in keyed {
            eligible.append(e);
            excluded.append(x);
        }
        let mut sorted = parts::each(vec![eligible, excluded], Keys::sorted).into_iter();
        (split.ranked, split.excluded) = (sorted.next().unwrap_or_default(), sorted.next().unwrap_or_default());
        if k > 1 {
            // Each run of one score and first tie-break ordered by the others (stably).
            let head = |at: u32| (not_named.stored(at as usize).0, ties[at as usize * k]);
            let rest = |at: u32| &ties[at as usize * k + 1..(at as usize + 1) * k];
            for run in split.ranked.chunk_by_mut(|&x, &y| head(x) == head(y)) {
                run.sort_by(|&x, &y| rest(y).cmp(rest(x)));
            }
        }
        Ok(split)
    }
}

/// The rank order of candidates given as (score, first tie-break's points, place, period):
/// score descending, the first tie-break's points descending, then organization id, scheme id,
/// period; then, within each run of one score and first tie-break, the other `k - 1`
/// tie-breaks descending (`rest`, a run per candidate; a stable sort keeps the rest in order).
pub(super) fn rank(
    parts: impl Iterator<Item = (Points, Points, Place, Period)> + Clone,
    rest: &[Points],
    k: usize,
) -> Vec<usize> {
    let mut order = ranking(parts.clone());
    if k > 1 {
        let first: Vec<(Points, Points)> = parts.map(|(score, tie, ..)| (score, tie)).collect();
        let rest = |i: usize| &rest[i * (k - 1)..(i + 1) * (k - 1)];
        for run in order.chunk_by_mut(|&x, &y| first[x] == first[y]) {
            run.sort_by(|&x, &y| rest(y).cmp(rest(x)));
        }
    }
    order
}

/// Each scheme's (minimum, maximum) under the policy, for the scheme ids given.
pub(super) fn scheme_limits(policy: &SelectionPolicy, schemes: &[&str]) -> Vec<(u32, Option<u32>)> {
    let own = |id: &str| policy.scheme_limits.iter().find(|l| l.scheme == id);
    schemes
        .iter()
        .map(|id| own(id).map_or((policy.per_scheme.min, policy.per_scheme.max), |l| (l.min, l.max)))
        .collect()
}

/// The target, the limits per scheme and county and the band quotas, with what has been named
/// against each so far.
pub(super) struct Quotas<'a> {
    program: &'a Program,
    policy: &'a SelectionPolicy,
    target: u32,
    /// The program's scheme ids, sorted, and the year's counties: what a `Place` indexes.
    schemes: &'a [&'a str],
    counties: &'a [&'a str],
    /// Organizations rated (in a star band), the base of the band quotas.
    rated: usize,
    /// Stars → (most that may be named in the band, the share that gives it).
    quota: BTreeMap<u8, (usize, f64)>,
    pub(super) named: usize,
    /// Named so far, by scheme rank and by county index.
    pub(super) by_scheme: Vec<u32>,
    pub(super) by_county: Vec<u32>,
    by_tier: BTreeMap<u8, usize>,
    /// Each scheme's (minimum, maximum), by scheme rank.
    pub(super) limits: Vec<(u32, Option<u32>)>,
    /// The organizations' ids by rank, to word the named (without them only their rank, score,
    /// stars and tier are kept).
    ids: Option<&'a Texts>,
}

impl<'a> Quotas<'a> {
    /// Nothing named yet; `rated` organizations in a star band; the named worded if `ids` are
    /// given.
    pub(super) fn new(
        program: &'a Program,
        policy: &'a SelectionPolicy,
        target: u32,
        rated: usize,
        schemes: &'a [&'a str],
        counties: &'a [&'a str],
        ids: Option<&'a Texts>,
    ) -> Quotas<'a> {
        let quota = policy
            .band_quotas
            .iter()
            .map(|q| (q.stars, (((q.max_share * rated as f64) + 1e-9).floor() as usize, q.max_share)))
            .collect();
        let limits = scheme_limits(policy, schemes);
        Quotas {
            program,
            policy,
            target,
            schemes,
            counties,
            rated,
            quota,
            named: 0,
            by_scheme: vec![0; schemes.len()],
            by_county: vec![0; counties.len()],
            by_tier: BTreeMap::new(),
            limits,
            ids,
        }
    }

    /// A scheme's name in the program's language.
    fn scheme_name(&self, id: &str) -> String {
        self.program.plan(id).map_or(id.to_string(), |p| p.name(self.program.language()).to_string())
    }

    /// What stopped a candidate, in words.
    fn words(&self, b: Blocked) -> String {
        let zh = self.program.language() == Language::Zh;
        match b {
            Blocked::Target if zh => format!("已达到推荐总数{}个", self.target),
            Blocked::Target => format!("target of {} reached", self.target),
            Blocked::SchemeFull(s, max) => {
                let scheme = self.scheme_name(self.schemes[s as usize]);
                if zh {
                    format!("{scheme}名额{max}个已满")
                } else {
                    format!("scheme {scheme} quota of {max} full")
                }
            }
            Blocked::CountyFull(c, max) => {
                let county = self.counties[c as usize];
                if zh {
                    format!("{county}名额{max}个已满")
                } else {
                    format!("county {county} quota of {max} full")
                }
            }
            Blocked::TierFull(tier) => {
                let (max, share) = self.quota.get(&tier).copied().unwrap_or_default();
                let (rated, pct) = (self.rated, (share * 1000.0).round() / 10.0);
                if zh {
                    format!("{tier}★名额{max}个（评星{rated}个的{pct}%）已满")
                } else {
                    format!("{tier}★ quota of {max} ({pct}% of {rated} rated) full")
                }
            }
        }
    }

    /// Whether a candidate fits now and at which tier (with a note when a band quota lowered
    /// it), or the target or quota that stops it.
    fn fits(&self, c: &Cand) -> std::result::Result<(Option<Stars>, String), Blocked> {
        if self.named >= self.target as usize {
            return Err(Blocked::Target);
        }
        let (s, county) = (c.place.scheme, c.place.county);
        if let Some(max) = self.limits[s as usize].1.filter(|m| self.by_scheme[s as usize] >= *m) {
            return Err(Blocked::SchemeFull(s, max));
        }
        if let Some(max) = self.policy.per_county.max.filter(|m| self.by_county[county as usize] >= *m) {
            return Err(Blocked::CountyFull(county, max));
        }
        let Some(earned) = c.stars else { return Ok((None, String::new())) };
        let lowest_tier = self.policy.min_stars.unwrap_or(1);
        let mut tier = earned.get();
        while self.quota.get(&tier).is_some_and(|(max, _)| self.by_tier.get(&tier).copied().unwrap_or(0) >= *max) {
            if tier <= lowest_tier {
                return Err(Blocked::TierFull(tier));
            }
            tier -= 1;
        }
        let note = match (tier < earned.get(), self.program.language()) {
            (false, _) => String::new(),
            (true, Language::Zh) => format!("；{}★名额已满，按{tier}★推荐", earned.get()),
            (true, Language::En) => format!("; {}★ quota full: named at {tier}★", earned.get()),
        };
        Ok((Stars::new(tier), note))
    }

    /// Counts a candidate named at `tier` against the target and its quotas.
    fn take(&mut self, c: &Cand, tier: Option<Stars>) {
        self.named += 1;
        self.by_scheme[c.place.scheme as usize] += 1;
        self.by_county[c.place.county as usize] += 1;
        if let Some(t) = tier {
            *self.by_tier.entry(t.get()).or_default() += 1;
        }
    }

    /// How many schemes and counties are short of their minimum.
    fn short(&self) -> usize {
        let schemes = self.limits.iter().zip(&self.by_scheme).filter(|((min, _), got)| *got < min).count();
        schemes + self.by_county.iter().filter(|&&got| got < self.policy.per_county.min).count()
    }

    /// Names candidates in two passes over the ranking (`cand(i)` is the `i`-th of `n`): first
    /// those a scheme or county still needs for its minimum (in rank order within each short
    /// group), then the rest by rank. Returns the named in rank order, and by rank index what
    /// stopped each candidate the second pass tried and did not name; every other one not named
    /// was stopped by the target.
    pub(super) fn fill(&mut self, n: usize, cand: impl Fn(usize) -> Cand) -> (Vec<Named>, Vec<(usize, Blocked)>) {
        let mut named: Vec<Named> = Vec::new();
        let mut done = vec![false; n];
        let mut stopped = Vec::new();
        // The first pass ends once no group is short or the target is met: after that it would
        // name no one, and the second pass decides for every candidate left.
        let mut first_over = self.short() == 0;
        for pass in 0..2 {
            for (i, done) in done.iter_mut().enumerate() {
                if (pass == 0 && first_over) || (pass == 1 && self.named >= self.target as usize) {
                    break;
                }
                if *done {
                    continue;
                }
                let c = cand(i);
                let (s, county) = (c.place.scheme as usize, c.place.county as usize);
                let (smin, cmin) = (self.limits[s].0, self.policy.per_county.min);
                let s_short = self.by_scheme[s] < smin;
                let c_short = self.by_county[county] < cmin;
                if pass == 0 && !s_short && !c_short {
                    continue;
                }
                let (tier, note) = match self.fits(&c) {
                    Ok(fit) => fit,
                    Err(b) => {
                        if pass == 1 {
                            stopped.push((i, b));
                        }
                        continue;
                    }
                };
                let mut basis = String::new();
                let (mut org_id, mut scheme_id, mut county_name) = (String::new(), String::new(), String::new());
                if let Some(ids) = self.ids {
                    let scheme = self.schemes[s];
                    let zh = self.program.language() == Language::Zh;
                    let why = match (pass, s_short, zh) {
                        (0, true, true) => format!("；为保证{}最低名额{smin}个而推荐", self.scheme_name(scheme)),
                        (0, true, false) => {
                            format!("; named to meet scheme {}'s minimum of {smin}", self.scheme_name(scheme))
                        }
                        (0, false, true) => format!("；为保证{}最低名额{cmin}个而推荐", self.counties[county]),
                        (0, false, false) => {
                            format!("; named to meet county {}'s minimum of {cmin}", self.counties[county])
                        }
                        _ => String::new(),
                    };
                    let stars = c.stars.map_or(if zh { "未评星" } else { "unrated" }.into(), |s| s.to_string());
                    let (rank, score) = (i + 1, c.score);
                    basis = if zh {
                        format!("在{n}个符合条件的组织中排第{rank}名，{score}分（{stars}）{why}{note}")
                    } else {
                        format!("ranked {rank} of {n} eligible with {score} ({stars}){why}{note}")
                    };
                    org_id = ids.get(c.place.org as usize).to_string();
                    scheme_id = scheme.to_string();
                    county_name = self.counties[county].to_string();
                }
                named.push(Named {
                    rank: i + 1,
                    org_id,
                    scheme: scheme_id,
                    county: county_name,
                    score: c.score,
                    stars: c.stars,
                    tier,
                    basis,
                });
                self.take(&c, tier);
                *done = true;
                first_over = self.short() == 0 || self.named >= self.target as usize;
            }
        }
        named.sort_by_key(|n| n.rank);
        (named, stopped)
    }

    /// Minimums per scheme and county that the eligible could not meet, in words.
    /// How many are eligible is given by scheme rank and by county index.
    fn shortfalls(&self, per_scheme: &[u32], per_county: &[u32]) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.program.schemes() {
            let rank = self.schemes.binary_search(&s.id.as_str()).unwrap_or_default();
            let (min, got) = (self.limits[rank].0, self.by_scheme[rank]);
            if got < min {
                let pool = per_scheme[rank];
                let name = self.scheme_name(&s.id);
                out.push(match self.program.language() {
                    Language::Zh => format!("{name}：最低{min}个，推荐{got}个（符合条件{pool}个）"),
                    Language::En => format!("scheme {name}: minimum {min}, named {got} ({pool} eligible)"),
                });
            }
        }
        let min = self.policy.per_county.min;
        for (k, county) in self.counties.iter().enumerate() {
            let got = self.by_county[k];
            if got < min {
                let pool = per_county[k];
                out.push(match self.program.language() {
                    Language::Zh => format!("{county}：最低{min}个，推荐{got}个（符合条件{pool}个）"),
                    Language::En => format!("county {county}: minimum {min}, named {got} ({pool} eligible)"),
                });
            }
        }
        out
    }
}

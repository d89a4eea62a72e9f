//! Selection (评选): naming a year's exemplars under the program's policy — target, minimum and
//! maximum per scheme and county, star and score thresholds, band quotas, exclusions — with a
//! documented ranking and a reason for every candidate not named.

use crate::data::model::Stars;
use crate::data::year::Year;
use crate::error::{Error, Field, Result};
use crate::rules::policy::SelectionPolicy;
use crate::rules::program::Program;
use crate::scoring::evaluate::Assessed;
use crate::scoring::points::Points;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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
    /// The weak-and-lax exclusions of a year's designations, each with its reasons joined.
    pub fn from_designations(designations: &[crate::decisions::rectify::Designation]) -> Exclusions {
        Exclusions {
            weak_lax: designations.iter().map(|d| (d.org_id.clone(), d.reasons.join("; "))).collect(),
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
    pub not_named: Vec<NotNamed>,
    /// Minimums that could not be met, in words.
    pub shortfalls: Vec<String>,
}

struct Cand<'a, E> {
    e: &'a E,
    county: &'a str,
    ties: Vec<Points>,
}

/// Each (organization, scheme, period) evaluated once: a list given twice would count twice in
/// rankings, quotas and shares.
pub(super) fn distinct<E: Assessed>(evals: &[E]) -> Result<()> {
    let mut seen = HashSet::with_capacity(evals.len());
    for e in evals {
        if !seen.insert((e.org_id(), e.scheme(), e.period())) {
            return Err(Error::input(
                e.org_id(),
                e.scheme(),
                Field::column("evaluations"),
                format!("evaluated twice for {}; pass each evaluation once", e.period()),
            ));
        }
    }
    Ok(())
}

/// The error for an evaluation of an organization the year does not list.
pub(super) fn not_listed<E: Assessed>(e: &E) -> Error {
    Error::input(e.org_id(), e.scheme(), Field::column("org_id"), "no such organization in this year's list")
}

impl Program {
    /// Names the year's exemplars. Ranking: score (desc), then the points of each `tie_break`
    /// criterion (desc), then organization id, then scheme id — so input order never matters.
    ///
    /// ```
    /// use exemplar::decisions::select::Exclusions;
    /// let program = exemplar::Program::default();
    /// let year = exemplar::sample::sample_year(&program, Some(400), 1, 2023)?;
    /// let evals = program.evaluate_year(&year)?;
    /// let weak_lax = Exclusions::from_designations(&program.designate(&year, &evals)?);
    /// let selection = program.select(&year, &evals, &weak_lax)?;
    /// assert!(selection.named.len() <= selection.target as usize);
    /// let pay = program.reward(&selection)?;
    /// assert_eq!(pay.paid_fen.0 + pay.rest_fen.0, pay.pool_fen.0);
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn select<E: Assessed>(&self, year: &Year, evals: &[E], ex: &Exclusions) -> Result<Selection> {
        distinct(evals)?;
        let policy = self.file().selection.clone().unwrap_or_default();
        let target = self.file().settings.selection_target;
        let (eligible, mut not_named) = self.eligibility(year, evals, ex, &policy)?;
        let mut quotas = Quotas::new(self, &policy, target, evals);
        let (named, blocked) = quotas.fill(&eligible);
        let shortfalls = quotas.shortfalls(year, &eligible);

        // Every candidate not named: the eligible ones stopped by a target or quota in rank
        // order (the first of them are the waiting list), then the excluded ones by score.
        let mut not_named_eligible: Vec<NotNamed> = eligible
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                Some(NotNamed {
                    org_id: c.e.org_id().to_string(),
                    scheme: c.e.scheme().to_string(),
                    county: c.county.to_string(),
                    score: c.e.score(),
                    stars: c.e.stars(),
                    eligible: true,
                    rank: Some(i + 1),
                    reason: blocked[i].clone()?,
                })
            })
            .collect();
        let waiting = not_named_eligible.iter().take(policy.waiting_list).cloned().collect();
        not_named
            .sort_by(|a, b| b.score.cmp(&a.score).then_with(|| (&a.org_id, &a.scheme).cmp(&(&b.org_id, &b.scheme))));
        not_named_eligible.extend(not_named);
        Ok(Selection { target, named, waiting, not_named: not_named_eligible, shortfalls })
    }

    /// Splits the evaluations into the eligible, ranked (score desc, then the tie-break
    /// criteria's points desc, then organization id, then scheme id), and the excluded, each
    /// with the first reason that rules it out.
    fn eligibility<'a, E: Assessed>(
        &self,
        year: &'a Year,
        evals: &'a [E],
        ex: &Exclusions,
        policy: &SelectionPolicy,
    ) -> Result<(Vec<Cand<'a, E>>, Vec<NotNamed>)> {
        let orgs: HashMap<&str, &crate::data::model::Organization> =
            year.organizations.iter().map(|o| (o.org_id.as_str(), o)).collect();
        // Who had a disqualifying event, and the first such kind in the policy's order.
        let mut events: HashMap<&str, HashSet<&str>> = HashMap::new();
        if !policy.disqualifying_events.is_empty() {
            for r in &year.reports {
                events.entry(r.org_id.as_str()).or_default().extend(r.events.iter().map(|e| e.kind.as_str()));
            }
        }
        let event_zh =
            |id: &str| self.file().events.iter().find(|e| e.id == id).map_or(id.to_string(), |e| e.name_zh.clone());

        let mut eligible = Vec::new();
        let mut not_named = Vec::new();
        for e in evals {
            let org = orgs.get(e.org_id()).ok_or_else(|| not_listed(e))?;
            let disqualifying = policy
                .disqualifying_events
                .iter()
                .find(|k| events.get(e.org_id()).is_some_and(|s| s.contains(k.as_str())));
            let reason = if e.vetoed() {
                Some(e.veto_reasons(self)?.join("; "))
            } else if let Some(r) = ex.weak_lax.get(e.org_id()) {
                Some(format!("designated weak and lax: {r}"))
            } else if let Some(k) = disqualifying {
                Some(format!("disqualifying event during the year: {}", event_zh(k)))
            } else if let Some(r) = ex.procedure_incomplete.get(e.org_id()) {
                Some(format!("procedure not complete: {r}"))
            } else if let Some(min) = policy.min_stars.filter(|m| e.stars().is_none_or(|s| s.get() < *m)) {
                Some(match e.stars() {
                    Some(s) => format!("below {min}★ (rated {s})"),
                    None => format!("below {min}★ (unrated)"),
                })
            } else {
                policy
                    .min_score
                    .map(Points::round)
                    .filter(|m| e.score() < *m)
                    .map(|m| format!("below the minimum score {m} ({})", e.score()))
            };
            match reason {
                Some(reason) => not_named.push(NotNamed {
                    org_id: e.org_id().to_string(),
                    scheme: e.scheme().to_string(),
                    county: org.county.clone(),
                    score: e.score(),
                    stars: e.stars(),
                    eligible: false,
                    rank: None,
                    reason,
                }),
                None => {
                    let ties = policy.tie_break.iter().map(|c| e.points_of(self, c)).collect::<Result<_>>()?;
                    eligible.push(Cand { e, county: &org.county, ties });
                }
            }
        }
        eligible.sort_by(|a, b| {
            b.e.score()
                .cmp(&a.e.score())
                .then_with(|| b.ties.cmp(&a.ties))
                .then_with(|| a.e.org_id().cmp(b.e.org_id()))
                .then_with(|| a.e.scheme().cmp(b.e.scheme()))
        });
        Ok((eligible, not_named))
    }
}

/// The target, the limits per scheme and county and the band quotas, with what has been named
/// against each so far.
struct Quotas<'a> {
    program: &'a Program,
    policy: &'a SelectionPolicy,
    target: u32,
    /// Organizations rated (in a star band), the base of the band quotas.
    rated: usize,
    /// Stars → (most that may be named in the band, the share that gives it).
    quota: BTreeMap<u8, (usize, f64)>,
    named: usize,
    by_scheme: BTreeMap<&'a str, u32>,
    by_county: BTreeMap<&'a str, u32>,
    by_tier: BTreeMap<u8, usize>,
}

impl<'a> Quotas<'a> {
    fn new<E: Assessed>(program: &'a Program, policy: &'a SelectionPolicy, target: u32, evals: &[E]) -> Quotas<'a> {
        let rated = evals.iter().filter(|e| e.stars().is_some()).count();
        let quota = policy
            .band_quotas
            .iter()
            .map(|q| (q.stars, (((q.max_share * rated as f64) + 1e-9).floor() as usize, q.max_share)))
            .collect();
        let (by_scheme, by_county, by_tier) = Default::default();
        Quotas { program, policy, target, rated, quota, named: 0, by_scheme, by_county, by_tier }
    }

    /// A scheme's (minimum, maximum): its own limits, or the policy's per-scheme ones.
    fn limits(&self, scheme: &str) -> (u32, Option<u32>) {
        let p = self.policy;
        p.scheme_limits
            .iter()
            .find(|l| l.scheme == scheme)
            .map_or((p.per_scheme.min, p.per_scheme.max), |l| (l.min, l.max))
    }

    fn scheme_zh(&self, id: &str) -> String {
        self.program.scheme(id).map_or(id.to_string(), |s| s.name_zh.clone())
    }

    /// Whether a candidate fits now and at which tier (with a note when a band quota lowered
    /// it), or the target or quota that stops it.
    fn fits<E: Assessed>(&self, c: &Cand<'_, E>) -> std::result::Result<(Option<Stars>, String), String> {
        let target = self.target;
        if self.named >= target as usize {
            return Err(format!("target of {target} reached"));
        }
        let in_scheme = self.by_scheme.get(c.e.scheme()).copied().unwrap_or(0);
        if let Some(max) = self.limits(c.e.scheme()).1.filter(|m| in_scheme >= *m) {
            return Err(format!("scheme {} quota of {max} full", self.scheme_zh(c.e.scheme())));
        }
        let in_county = self.by_county.get(c.county).copied().unwrap_or(0);
        if let Some(max) = self.policy.per_county.max.filter(|m| in_county >= *m) {
            return Err(format!("county {} quota of {max} full", c.county));
        }
        let Some(earned) = c.e.stars() else { return Ok((None, String::new())) };
        let lowest_tier = self.policy.min_stars.unwrap_or(1);
        let mut tier = earned.get();
        while let Some(&(max, share)) =
            self.quota.get(&tier).filter(|(max, _)| self.by_tier.get(&tier).copied().unwrap_or(0) >= *max)
        {
            if tier <= lowest_tier {
                let rated = self.rated;
                return Err(format!(
                    "{tier}★ quota of {max} ({}% of {rated} rated) full",
                    (share * 1000.0).round() / 10.0
                ));
            }
            tier -= 1;
        }
        let note = if tier < earned.get() {
            format!("; {}★ quota full: named at {tier}★", earned.get())
        } else {
            String::new()
        };
        Ok((Stars::new(tier), note))
    }

    /// Names candidates in two passes over the ranking: first those a scheme or county still
    /// needs for its minimum (in rank order within each short group), then the rest by rank.
    /// Returns the named in rank order, and for each candidate not named the reason.
    fn fill<E: Assessed>(&mut self, eligible: &'a [Cand<'a, E>]) -> (Vec<Named>, Vec<Option<String>>) {
        let mut named: Vec<Named> = Vec::new();
        let mut done = vec![false; eligible.len()];
        let mut blocked: Vec<Option<String>> = vec![None; eligible.len()];
        for pass in 0..2 {
            for (i, c) in eligible.iter().enumerate() {
                if done[i] {
                    continue;
                }
                let (smin, cmin) = (self.limits(c.e.scheme()).0, self.policy.per_county.min);
                let s_short = self.by_scheme.get(c.e.scheme()).copied().unwrap_or(0) < smin;
                let c_short = self.by_county.get(c.county).copied().unwrap_or(0) < cmin;
                if pass == 0 && !s_short && !c_short {
                    continue;
                }
                match self.fits(c) {
                    Ok((tier, note)) => {
                        let why = match (pass, s_short) {
                            (0, true) => {
                                format!("; named to meet scheme {}'s minimum of {smin}", self.scheme_zh(c.e.scheme()))
                            }
                            (0, false) => format!("; named to meet county {}'s minimum of {cmin}", c.county),
                            _ => String::new(),
                        };
                        let stars = c.e.stars().map_or("unrated".into(), |s| s.to_string());
                        named.push(Named {
                            rank: i + 1,
                            org_id: c.e.org_id().to_string(),
                            scheme: c.e.scheme().to_string(),
                            county: c.county.to_string(),
                            score: c.e.score(),
                            stars: c.e.stars(),
                            tier,
                            basis: format!(
                                "ranked {} of {} eligible with {} ({stars}){why}{note}",
                                i + 1,
                                eligible.len(),
                                c.e.score()
                            ),
                        });
                        self.named += 1;
                        *self.by_scheme.entry(c.e.scheme()).or_default() += 1;
                        *self.by_county.entry(c.county).or_default() += 1;
                        if let Some(t) = tier {
                            *self.by_tier.entry(t.get()).or_default() += 1;
                        }
                        done[i] = true;
                        blocked[i] = None;
                    }
                    Err(reason) => blocked[i] = Some(reason),
                }
            }
        }
        named.sort_by_key(|n| n.rank);
        // Everyone left was stopped by something; one never tried was stopped by the target.
        let reasons = (0..eligible.len())
            .map(|i| {
                (!done[i]).then(|| blocked[i].clone().unwrap_or_else(|| format!("target of {} reached", self.target)))
            })
            .collect();
        (named, reasons)
    }

    /// Minimums per scheme and county that the eligible could not meet, in words.
    fn shortfalls<E: Assessed>(&self, year: &Year, eligible: &[Cand<'_, E>]) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.program.schemes() {
            let (min, _) = self.limits(&s.id);
            let got = self.by_scheme.get(s.id.as_str()).copied().unwrap_or(0);
            if got < min {
                let pool = eligible.iter().filter(|c| c.e.scheme() == s.id).count();
                out.push(format!("scheme {}: minimum {min}, named {got} ({pool} eligible)", s.name_zh));
            }
        }
        let min = self.policy.per_county.min;
        let counties: BTreeSet<&str> = year.organizations.iter().map(|o| o.county.as_str()).collect();
        for county in counties {
            let got = self.by_county.get(county).copied().unwrap_or(0);
            if got < min {
                let pool = eligible.iter().filter(|c| c.county == county).count();
                out.push(format!("county {county}: minimum {min}, named {got} ({pool} eligible)"));
            }
        }
        out
    }
}

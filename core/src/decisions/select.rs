//! Selection (评选): naming a year's exemplars under the program's policy — target, minimum and
//! maximum per scheme and county, star and score thresholds, band quotas, exclusions — with a
//! documented ranking and a reason for every candidate not named.

use crate::data::model::Stars;
use crate::data::year::Year;
use crate::error::{Error, Field, Result};
use crate::rules::program::Program;
use crate::scoring::evaluate::Evaluation;
use crate::scoring::points::Points;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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

struct Cand<'a> {
    e: &'a Evaluation,
    county: &'a str,
    ties: Vec<Points>,
}

/// Each (organization, scheme, period) evaluated once: a list given twice would count twice in
/// rankings, quotas and shares.
pub(crate) fn distinct(evals: &[Evaluation]) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(evals.len());
    for e in evals {
        if !seen.insert((e.org_id.as_str(), e.scheme.as_str(), e.period)) {
            return Err(Error::input(
                &e.org_id,
                &e.scheme,
                Field::column("evaluations"),
                format!("evaluated twice for {}; pass each evaluation once", e.period),
            ));
        }
    }
    Ok(())
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
    pub fn select(&self, year: &Year, evals: &[Evaluation], ex: &Exclusions) -> Result<Selection> {
        distinct(evals)?;
        let policy = self.file().selection.clone().unwrap_or_default();
        let target = self.file().settings.selection_target;
        let orgs: BTreeMap<&str, &crate::data::model::Organization> =
            year.organizations.iter().map(|o| (o.org_id.as_str(), o)).collect();
        let mut events: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for r in &year.reports {
            events.entry(r.org_id.as_str()).or_default().extend(r.events.iter().map(|e| e.kind.as_str()));
        }
        let event_zh =
            |id: &str| self.file().events.iter().find(|e| e.id == id).map_or(id.to_string(), |e| e.name_zh.clone());
        let scheme_zh = |id: &str| self.scheme(id).map_or(id.to_string(), |s| s.name_zh.clone());

        let mut eligible = Vec::new();
        let mut not_named = Vec::new();
        for e in evals {
            let org = orgs.get(e.org_id.as_str()).ok_or_else(|| {
                Error::input(&e.org_id, &e.scheme, Field::column("org_id"), "no such organization in this year's list")
            })?;
            let disqualifying = policy
                .disqualifying_events
                .iter()
                .find(|k| events.get(e.org_id.as_str()).is_some_and(|s| s.contains(k.as_str())));
            let reason = if e.vetoed {
                Some(e.vetoes.iter().map(|v| v.reason.clone()).collect::<Vec<_>>().join("; "))
            } else if let Some(r) = ex.weak_lax.get(&e.org_id) {
                Some(format!("designated weak and lax: {r}"))
            } else if let Some(k) = disqualifying {
                Some(format!("disqualifying event during the year: {}", event_zh(k)))
            } else if let Some(r) = ex.procedure_incomplete.get(&e.org_id) {
                Some(format!("procedure not complete: {r}"))
            } else if let Some(min) = policy.min_stars.filter(|m| e.stars.is_none_or(|s| s.get() < *m)) {
                Some(match e.stars {
                    Some(s) => format!("below {min}★ (rated {s})"),
                    None => format!("below {min}★ (unrated)"),
                })
            } else {
                policy
                    .min_score
                    .map(Points::round)
                    .filter(|m| e.score < *m)
                    .map(|m| format!("below the minimum score {m} ({})", e.score))
            };
            match reason {
                Some(reason) => not_named.push(NotNamed {
                    org_id: e.org_id.clone(),
                    scheme: e.scheme.clone(),
                    county: org.county.clone(),
                    score: e.score,
                    stars: e.stars,
                    eligible: false,
                    rank: None,
                    reason,
                }),
                None => {
                    let cp = e.criterion_points();
                    let ties = policy
                        .tie_break
                        .iter()
                        .map(|c| cp.iter().find(|(id, _)| id == c).map_or(Points::ZERO, |x| x.1))
                        .collect();
                    eligible.push(Cand { e, county: &org.county, ties });
                }
            }
        }
        eligible.sort_by(|a, b| {
            b.e.score
                .cmp(&a.e.score)
                .then_with(|| b.ties.cmp(&a.ties))
                .then_with(|| a.e.org_id.cmp(&b.e.org_id))
                .then_with(|| a.e.scheme.cmp(&b.e.scheme))
        });

        let limits = |scheme: &str| {
            policy
                .scheme_limits
                .iter()
                .find(|l| l.scheme == scheme)
                .map_or((policy.per_scheme.min, policy.per_scheme.max), |l| (l.min, l.max))
        };
        let rated = evals.iter().filter(|e| e.stars.is_some()).count();
        let quota: BTreeMap<u8, (usize, f64)> = policy
            .band_quotas
            .iter()
            .map(|q| (q.stars, (((q.max_share * rated as f64) + 1e-9).floor() as usize, q.max_share)))
            .collect();
        let lowest_tier = policy.min_stars.unwrap_or(1);

        let mut by_scheme: BTreeMap<&str, u32> = BTreeMap::new();
        let mut by_county: BTreeMap<&str, u32> = BTreeMap::new();
        let mut by_tier: BTreeMap<u8, usize> = BTreeMap::new();
        let mut named: Vec<Named> = Vec::new();
        let mut done = vec![false; eligible.len()];
        let mut blocked: Vec<Option<String>> = vec![None; eligible.len()];

        // Whether a candidate fits now, and at which tier.
        let fits = |c: &Cand,
                    named: usize,
                    by_scheme: &BTreeMap<&str, u32>,
                    by_county: &BTreeMap<&str, u32>,
                    by_tier: &BTreeMap<u8, usize>|
         -> std::result::Result<(Option<Stars>, String), String> {
            if named >= target as usize {
                return Err(format!("target of {target} reached"));
            }
            if let Some(max) =
                limits(&c.e.scheme).1.filter(|m| by_scheme.get(c.e.scheme.as_str()).copied().unwrap_or(0) >= *m)
            {
                return Err(format!("scheme {} quota of {max} full", scheme_zh(&c.e.scheme)));
            }
            if let Some(max) = policy.per_county.max.filter(|m| by_county.get(c.county).copied().unwrap_or(0) >= *m) {
                return Err(format!("county {} quota of {max} full", c.county));
            }
            let Some(earned) = c.e.stars else { return Ok((None, String::new())) };
            let mut tier = earned.get();
            while let Some(&(max, share)) =
                quota.get(&tier).filter(|(max, _)| by_tier.get(&tier).copied().unwrap_or(0) >= *max)
            {
                if tier <= lowest_tier {
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
        };

        // Minimums first (in rank order within each short group), then the rest by rank.
        for pass in 0..2 {
            for (i, c) in eligible.iter().enumerate() {
                if done[i] {
                    continue;
                }
                let (smin, cmin) = (limits(&c.e.scheme).0, policy.per_county.min);
                let s_short = by_scheme.get(c.e.scheme.as_str()).copied().unwrap_or(0) < smin;
                let c_short = by_county.get(c.county).copied().unwrap_or(0) < cmin;
                if pass == 0 && !s_short && !c_short {
                    continue;
                }
                match fits(c, named.len(), &by_scheme, &by_county, &by_tier) {
                    Ok((tier, note)) => {
                        let why = match (pass, s_short) {
                            (0, true) => {
                                format!("; named to meet scheme {}'s minimum of {smin}", scheme_zh(&c.e.scheme))
                            }
                            (0, false) => format!("; named to meet county {}'s minimum of {cmin}", c.county),
                            _ => String::new(),
                        };
                        let stars = c.e.stars.map_or("unrated".into(), |s| s.to_string());
                        named.push(Named {
                            rank: i + 1,
                            org_id: c.e.org_id.clone(),
                            scheme: c.e.scheme.clone(),
                            county: c.county.to_string(),
                            score: c.e.score,
                            stars: c.e.stars,
                            tier,
                            basis: format!(
                                "ranked {} of {} eligible with {} ({stars}){why}{note}",
                                i + 1,
                                eligible.len(),
                                c.e.score
                            ),
                        });
                        *by_scheme.entry(c.e.scheme.as_str()).or_default() += 1;
                        *by_county.entry(c.county).or_default() += 1;
                        if let Some(t) = tier {
                            *by_tier.entry(t.get()).or_default() += 1;
                        }
                        done[i] = true;
                    }
                    Err(reason) => blocked[i] = Some(reason),
                }
            }
        }
        named.sort_by_key(|n| n.rank);

        let mut shortfalls = Vec::new();
        for s in self.schemes() {
            let (min, _) = limits(&s.id);
            let got = by_scheme.get(s.id.as_str()).copied().unwrap_or(0);
            if got < min {
                let pool = eligible.iter().filter(|c| c.e.scheme == s.id).count();
                shortfalls.push(format!("scheme {}: minimum {min}, named {got} ({pool} eligible)", s.name_zh));
            }
        }
        let counties: BTreeSet<&str> = year.organizations.iter().map(|o| o.county.as_str()).collect();
        for county in counties {
            let got = by_county.get(county).copied().unwrap_or(0);
            if got < policy.per_county.min {
                let pool = eligible.iter().filter(|c| c.county == county).count();
                shortfalls
                    .push(format!("county {county}: minimum {}, named {got} ({pool} eligible)", policy.per_county.min));
            }
        }

        let mut waiting_and_blocked: Vec<NotNamed> = eligible
            .iter()
            .enumerate()
            .filter(|(i, _)| !done[*i])
            .map(|(i, c)| NotNamed {
                org_id: c.e.org_id.clone(),
                scheme: c.e.scheme.clone(),
                county: c.county.to_string(),
                score: c.e.score,
                stars: c.e.stars,
                eligible: true,
                rank: Some(i + 1),
                reason: blocked[i].clone().unwrap_or_else(|| format!("target of {target} reached")),
            })
            .collect();
        let waiting = waiting_and_blocked.iter().take(policy.waiting_list).cloned().collect();
        not_named
            .sort_by(|a, b| b.score.cmp(&a.score).then_with(|| (&a.org_id, &a.scheme).cmp(&(&b.org_id, &b.scheme))));
        waiting_and_blocked.extend(not_named);
        Ok(Selection { target, named, waiting, not_named: waiting_and_blocked, shortfalls })
    }
}

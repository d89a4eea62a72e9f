//! A year's named list decided again for other scores, as each draw of a weight-sensitivity study
//! needs it, thousands of times. The rules are the decisions' own: the designation's county
//! ranking (`rectify::bottom_count`, lowest first), the selection's exclusions, its ranking
//! (`select::rank`) and its quotas (`Quotas::fill`). Only the words are left out, and the quotas
//! are filled from the best candidates alone wherever they settle the list — checked each time:
//! the target met among them and no minimum left short that a candidate below them could fill —
//! else from every candidate.

use crate::data::model::{Period, Stars};
use crate::data::year_columns::YearColumns;
use crate::decisions::rectify::bottom_count;
use crate::decisions::roster::{Place, Roster};
use crate::decisions::select::{Cand, Quotas, rank, scheme_ids, scheme_limits};
use crate::error::Result;
use crate::rules::policy::SelectionPolicy;
use crate::rules::program::Program;
use crate::scoring::bulk::BulkResult;
use crate::scoring::points::Points;
use crate::scoring::year_scores::YearScores;
use std::cmp::Reverse;

/// A year ready to be decided again: what the scores do not change, read once.
pub(crate) struct Redecide<'a> {
    program: &'a Program,
    year: &'a YearColumns,
    policy: SelectionPolicy,
    target: u32,
    schemes: Vec<&'a str>,
    counties: Vec<&'a str>,
    /// Where each scheme's reports start in the year's order (program order, then row).
    start: Vec<usize>,
    place: Vec<Place>,
    period: Vec<Period>,
    /// Each report by its rank in (organization, scheme, period) order: how equal scores are
    /// ordered in a county's ranking.
    by_base: Vec<u32>,
    base: Vec<u32>,
    /// Ruled out whatever the weights: vetoed, its organization disqualified by an event or
    /// designated weak and lax by a situation.
    fixed_out: Vec<bool>,
    /// Each county's reports, and how many of its lowest are designated weak and lax.
    county_rows: Vec<Vec<u32>>,
    bottom: Vec<usize>,
    /// Each scheme's minimum (by rank), then each county's.
    minimum: Vec<usize>,
    /// Each scheme's tie-break criteria in the policy's order, by index in its plan (none where
    /// the scheme has not the criterion: zero points).
    ties: Vec<Vec<Option<usize>>>,
}

/// What one thread reuses from draw to draw.
#[derive(Default)]
pub(crate) struct Work {
    /// Per organization, the draw that last designated it.
    designated: Vec<u32>,
    draw: u32,
    /// Each county's lowest scores gathered (score, rank in organization, scheme, period order),
    /// and the score up to which they are gathered.
    lowest: Vec<Vec<(Points, u32)>>,
    cutoff: Option<Points>,
    /// The eligible, best score first once ordered, and their indices.
    eligible: Vec<(Reverse<Points>, u32)>,
    candidates: Vec<u32>,
    /// The best eligible scores of each scheme (by rank), then of each county, as many as its
    /// minimum.
    groups: Vec<Vec<Points>>,
    beat: Vec<Points>,
}

/// The quotas are first filled from the best twice-the-target candidates (at least `FEWEST`),
/// and each minimum's best: enough under the usual limits.
const FEWEST: usize = 64;

impl<'a> Redecide<'a> {
    /// Reads what the decisions need of the year; `today` holds its results (for the flags a
    /// draw does not change: vetoes and weak-and-lax situations).
    pub(crate) fn new(program: &'a Program, year: &'a YearColumns, today: &YearScores) -> Redecide<'a> {
        let policy = program.file().selection.clone().unwrap_or_default();
        let schemes = scheme_ids(program);
        let counties = year.county_names();
        let orgs = year.organizations();
        let (mut start, mut place, mut period) = (Vec::new(), Vec::new(), Vec::new());
        let mut vetoed = Vec::new();
        let mut situation = vec![false; year.len()];
        for (plan, (rows, result)) in program.plans().iter().zip(year.schemes().iter().zip(today.schemes())) {
            start.push(place.len());
            let scheme = schemes.binary_search(&plan.id()).unwrap_or_default() as u32;
            for row in 0..rows.rows() {
                let org = rows.org(row);
                place.push(Place { org: org as u32, scheme, county: orgs.county_index(org) });
                period.push(rows.period(row));
                vetoed.push(result.vetoed[row]);
                situation[org] |= result.weak_lax[row];
            }
        }
        start.push(place.len());
        let (_, event) = program.disqualified(year, &policy);
        let fixed_out = place
            .iter()
            .zip(&vetoed)
            .map(|(p, &v)| v || situation[p.org as usize] || event.get(p.org as usize).is_some_and(|&e| e != u32::MAX))
            .collect();
        let mut by_base: Vec<u32> = (0..place.len() as u32).collect();
        by_base.sort_unstable_by_key(|&i| (place[i as usize].org, place[i as usize].scheme, period[i as usize]));
        let mut base = vec![0; place.len()];
        for (b, &i) in by_base.iter().enumerate() {
            base[i as usize] = b as u32;
        }
        let mut county_rows = vec![Vec::new(); counties.len()];
        for (i, p) in place.iter().enumerate() {
            county_rows[p.county as usize].push(i as u32);
        }
        let share = program.file().rectification.as_ref().and_then(|r| r.bottom_share);
        let bottom = county_rows.iter().map(|rows| share.map_or(0, |s| bottom_count(s, rows.len()))).collect();
        let ties = program
            .plans()
            .iter()
            .map(|plan| {
                let ids = plan.criterion_ids();
                policy.tie_break.iter().map(|t| ids.iter().position(|id| id == t)).collect()
            })
            .collect();
        let target = program.file().settings.selection_target;
        let mut minimum: Vec<usize> = scheme_limits(&policy, &schemes).into_iter().map(|l| l.0 as usize).collect();
        minimum.resize(schemes.len() + counties.len(), policy.per_county.min as usize);
        Redecide {
            minimum,
            program,
            year,
            policy,
            target,
            schemes,
            counties,
            start,
            place,
            period,
            by_base,
            base,
            fixed_out,
            county_rows,
            bottom,
            ties,
        }
    }

    /// A report's index in the year's order: row `row` of the scheme at index `p`.
    pub(crate) fn index(&self, p: usize, row: usize) -> u32 {
        (self.start[p] + row) as u32
    }

    /// The reports `Program::select_designating` names for `results` (each scheme's scores and
    /// stars), by index in the year's order, in rank order; `points(p, row, c)` gives a report's
    /// points on criterion `c` of scheme `p`, for the tie-breaks. The results are given back.
    pub(crate) fn named(
        &self,
        results: Vec<BulkResult>,
        points: &dyn Fn(usize, usize, usize) -> Points,
        work: &mut Work,
    ) -> Result<(Vec<u32>, Vec<BulkResult>)> {
        let report = |i: u32| -> (usize, usize) {
            let p = self.start.partition_point(|&s| s <= i as usize) - 1;
            (p, i as usize - self.start[p])
        };
        // The designation's county rankings: each county's lowest, ties by organization,
        // scheme and period.
        if work.designated.len() != self.year.len() {
            work.designated = vec![0; self.year.len()];
            work.draw = 0;
        }
        work.draw += 1;
        // Only scores up to a cutoff are gathered (the highest county threshold of the thread's
        // last draw, and a quarter more): a county that then has fewer than it designates is
        // gathered whole, so the lowest are always exactly the lowest.
        // Each is written and kept only if low enough, without a branch per report.
        work.lowest.resize_with(self.counties.len(), Vec::new);
        for (keys, rows) in work.lowest.iter_mut().zip(&self.county_rows) {
            keys.resize(rows.len() + 1, (Points::ZERO, 0));
        }
        let mut gathered = vec![0; self.counties.len()];
        let cutoff = work.cutoff.unwrap_or(Points(i64::MAX));
        for (p, result) in results.iter().enumerate() {
            let rows = self.start[p]..self.start[p + 1];
            for ((&s, place), &base) in result.score.iter().zip(&self.place[rows.clone()]).zip(&self.base[rows]) {
                let c = place.county as usize;
                work.lowest[c][gathered[c]] = (s, base);
                gathered[c] += usize::from(s <= cutoff);
            }
        }
        for (keys, &n) in work.lowest.iter_mut().zip(&gathered) {
            keys.truncate(n);
        }
        let mut highest = Points::ZERO;
        for ((keys, rows), &take) in work.lowest.iter_mut().zip(&self.county_rows).zip(&self.bottom) {
            if take == 0 {
                continue;
            }
            if keys.len() < take.min(rows.len()) {
                keys.clear();
                keys.extend(rows.iter().map(|&i| {
                    let (p, row) = report(i);
                    (results[p].score[row], self.base[i as usize])
                }));
            }
            let take = take.min(keys.len());
            if take < keys.len() {
                keys.select_nth_unstable(take - 1);
            }
            for &(s, b) in &keys[..take] {
                highest = highest.max(s);
                let org = self.place[self.by_base[b as usize] as usize].org;
                work.designated[org as usize] = work.draw;
            }
        }
        work.cutoff = Some(Points(highest.0.saturating_add(highest.0 / 4 + 100)));

        // The selection's exclusions and thresholds, without a branch per report: each is
        // written and kept only if eligible (the buffer keeps its length; the first `kept` are
        // this draw's).
        let min_stars = self.policy.min_stars.map_or(0, |m| m.max(1));
        let min_score = self.policy.min_score.map_or(Points(i64::MIN), Points::round);
        let mut rated = 0;
        work.eligible.resize(work.eligible.len().max(self.place.len() + 1), (Reverse(Points::ZERO), 0));
        let mut kept = 0;
        for (p, result) in results.iter().enumerate() {
            let from = self.start[p];
            let rows = from..self.start[p + 1];
            let (fixed_out, place) = (&self.fixed_out[rows.clone()], &self.place[rows]);
            for (row, (((&s, &stars), &out), place)) in
                result.score.iter().zip(&result.stars).zip(fixed_out).zip(place).enumerate()
            {
                rated += usize::from(stars > 0);
                let designated = work.designated.get(place.org as usize) == Some(&work.draw);
                let ok = (stars >= min_stars) & (s >= min_score) & !out & !designated;
                work.eligible[kept] = (Reverse(s), (from + row) as u32);
                kept += usize::from(ok);
            }
        }

        // Named from `candidates`, and whether that settles it: the target met and no minimum
        // left short that one of `others` could fill.
        let decide = |candidates: &[u32], others: &[u32]| -> Result<(Vec<u32>, bool)> {
            let k = self.policy.tie_break.len();
            let mut rest = Vec::with_capacity(candidates.len() * k.saturating_sub(1));
            let (mut cands, mut first) = (Vec::with_capacity(candidates.len()), Vec::with_capacity(candidates.len()));
            for &i in candidates {
                let (p, row) = report(i);
                let tie = |t: usize| self.ties[p][t].map_or(Points::ZERO, |c| points(p, row, c));
                for t in 1..k {
                    rest.push(tie(t));
                }
                first.push(if k > 0 { tie(0) } else { Points::ZERO });
                let result = &results[p];
                let (score, stars) = (result.score[row], Stars::new(result.stars[row]));
                cands.push(Cand { at: i, score, stars, place: self.place[i as usize] });
            }
            let parts = cands.iter().zip(&first).map(|(c, &tie)| (c.score, tie, c.place, self.period[c.at as usize]));
            let ranked = rank(parts, &rest, k);
            let mut quotas =
                Quotas::new(self.program, &self.policy, self.target, rated, &self.schemes, &self.counties, None);
            let (named, _) = quotas.fill(ranked.len(), |j| cands[ranked[j]]);
            let scheme_short = |s: u32| quotas.by_scheme[s as usize] < quotas.limits[s as usize].0;
            let county_short = |c: u32| quotas.by_county[c as usize] < self.policy.per_county.min;
            let settled = others.is_empty()
                || (quotas.named >= self.target as usize
                    && !others.iter().any(|&i| {
                        let place = self.place[i as usize];
                        scheme_short(place.scheme) || county_short(place.county)
                    }));
            let named = named.iter().map(|n| cands[ranked[n.rank - 1]].at).collect();
            Ok((named, settled))
        };
        // The best candidates first: all those scoring at least the one ranked `keep`, and at
        // least a group's `minimum`-th best for each scheme and county with a minimum (or its
        // worst); four times as many while that does not settle the list.
        let target = self.target as usize;
        let mut keep = target.saturating_mul(2).max(FEWEST);
        // Each scheme's and county's `minimum` best scores (fewer if it has fewer), kept sorted,
        // and the score a newcomer must beat (the lowest kept once there are enough).
        let schemes = self.schemes.len();
        work.groups.resize_with(self.minimum.len(), Vec::new);
        work.groups.iter_mut().for_each(Vec::clear);
        work.beat.clear();
        work.beat.extend(self.minimum.iter().map(|&m| if m > 0 { Points(i64::MIN) } else { Points(i64::MAX) }));
        for &(Reverse(s), i) in &work.eligible[..kept] {
            let place = self.place[i as usize];
            for g in [place.scheme as usize, schemes + place.county as usize] {
                if s > work.beat[g] {
                    let (best, min) = (&mut work.groups[g], self.minimum[g]);
                    best.insert(best.partition_point(|&b| b >= s), s);
                    best.truncate(min);
                    if best.len() == min {
                        work.beat[g] = best[min - 1];
                    }
                }
            }
        }
        let floor = work.groups.iter().filter_map(|best| best.last()).min().copied().unwrap_or(Points(i64::MAX));
        let eligible = &mut work.eligible[..kept];
        let named = loop {
            let mut cut = floor;
            if keep < eligible.len() {
                eligible.select_nth_unstable(keep - 1);
                cut = cut.min(eligible[keep - 1].0.0);
            } else {
                cut = Points(i64::MIN);
            }
            let mut best = 0;
            for j in 0..eligible.len() {
                if eligible[j].0.0 >= cut {
                    eligible.swap(best, j);
                    best += 1;
                }
            }
            work.candidates.clear();
            work.candidates.extend(eligible.iter().map(|e| e.1));
            let (named, settled) = decide(&work.candidates[..best], &work.candidates[best..])?;
            if settled {
                break named;
            }
            keep = keep.saturating_mul(4);
        };
        Ok((named, results))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::program::DEFAULT_PROGRAM_TOML;
    use crate::sample::{Rng, sample_year_columns};
    use crate::scoring::evaluate::Assessed;
    use crate::scoring::reweigh::Weights;
    use crate::scoring::table::Options;

    /// The default program with its selection policy (and target) replaced.
    fn with_policy(selection: &str, target: u32) -> Program {
        let toml = DEFAULT_PROGRAM_TOML.replace("selection_target = 200", &format!("selection_target = {target}"));
        let from = toml.find("[selection]\n").unwrap();
        let to = from + toml[from..].find("\n\n").unwrap();
        Program::from_toml(&format!("{}[selection]\n{selection}{}", &toml[..from], &toml[to..])).unwrap()
    }

    /// Under weights drawn at random (each section scaled by 0.5 to 1.5), the reports named are
    /// `select_designating`'s, in its order: under the default policy, and under policies where
    /// the best candidates do not settle the list — minimums filled from far down the ranking, a
    /// target beyond the candidates — with two tie-breaks, a score threshold, a tight band quota.
    #[test]
    fn names_as_the_selection_names() {
        let default_policy = DEFAULT_PROGRAM_TOML.split("[selection]\n").nth(1).unwrap();
        let default_policy = &default_policy[..default_policy.find("\n\n").unwrap() + 1];
        let programs = [
            with_policy(default_policy, 200),
            with_policy("min_stars = 3\nper_scheme = { min = 25, max = 40 }\nper_county = { min = 12 }\n", 150),
            with_policy(
                "per_county = { max = 9 }\nband_quotas = [{ stars = 5, max_share = 0.01 }]\nmin_score = 70\n\
                 tie_break = [\"organizational_life\", \"masses_satisfaction\"]\n",
                60,
            ),
            with_policy("min_stars = 5\n", 5000),
        ];
        for (k, program) in programs.iter().enumerate() {
            let year = sample_year_columns(program, Some(3000), 11 + k as u64, 2023).unwrap();
            let today = program.score_year_columns(&year, Options { threads: 1, points: false }).unwrap();
            let redecide = Redecide::new(program, &year, &today);
            let plans = program.plans();
            let ready: Vec<_> = plans.iter().zip(year.schemes()).map(|(p, rows)| p.reweighable(rows)).collect();
            let ties: Vec<Vec<usize>> = plans.iter().map(|p| program.tie_criteria(p)).collect();
            let mut rng = Rng::new(k as u64);
            let mut work = Work::default();
            for _ in 0..6 {
                let weights: Vec<Weights> = plans
                    .iter()
                    .map(|plan| {
                        let mut w = plan.weights();
                        for (s, range) in plan.section_criteria().into_iter().enumerate() {
                            let f = 0.5 + rng.unit();
                            w.sections[s] *= f;
                            range.for_each(|c| w.criteria[c] *= f);
                        }
                        w
                    })
                    .collect();
                let full: Vec<BulkResult> = (0..plans.len())
                    .map(|p| {
                        let mut out = BulkResult::new(ready[p].rows(), 0);
                        plans[p].rescore(&ready[p], &weights[p], &ties[p], &mut out);
                        out
                    })
                    .collect();
                let scores = YearScores::from_schemes(full.clone());
                let rows = scores.rows(program, &year);
                let selection = program.select_designating(&year, &rows, None, Default::default()).unwrap();
                let want: Vec<u32> = selection
                    .named
                    .iter()
                    .map(|n| rows.iter().position(|r| r.org_id() == n.org_id && r.scheme() == n.scheme).unwrap() as u32)
                    .collect();
                let points = |p: usize, row: usize, c: usize| plans[p].reweighed_points(&ready[p], &weights[p], c, row);
                let (got, _) = redecide.named(full, &points, &mut work).unwrap();
                assert_eq!(got, want, "policy {k}");
                assert!(!want.is_empty());
            }
        }
    }
}

//! How robust the named list is to the weights — SMAA-2, stochastic multicriteria acceptability
//! analysis (Lahdelma & Salminen, Operations Research 49(3), 2001): weights drawn at random with
//! a seed, every report re-scored from its criteria's fractions (`scoring/reweigh.rs`) and the
//! year's real decisions made for each draw — designation, then selection under the program's
//! quotas, exclusions and tie-breaks (`redecide.rs`) — and what each report got counted across
//! the draws. A thread re-scores and decides in buffers it keeps from draw to draw.

use crate::data::year_columns::YearColumns;
use crate::decisions::redecide::{Redecide, Work};
use crate::error::{Error, Result};
use crate::rules::language::text;
use crate::rules::limits;
use crate::rules::program::Program;
use crate::sample::Rng;
use crate::scoring::bulk::BulkResult;
use crate::scoring::evaluate::Assessed;
use crate::scoring::plan::Plan;
use crate::scoring::points::Points;
use crate::scoring::reweigh::{Reweighable, Tables, Weights};
use crate::scoring::year_scores::YearScores;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the weights are drawn over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Over {
    /// Each section's weight (its cap); its criteria keep their shares of it.
    Sections,
    /// Each criterion's weight (its maximum); each section's cap moves with its criteria's sum.
    Criteria,
}

/// How far the weights may move; every draw keeps each sheet's total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Spread {
    /// Uniform on the simplex: any weights with the sheet's total.
    Simplex,
    /// Uniform among the weights within this percentage of the sheet's own (0: the sheet's own).
    Within(f64),
    /// Uniform among the weights within these bounds, in points: scheme → unit (section or
    /// criterion id) → (lowest, highest); a unit not listed keeps its own weight.
    Bounds(BTreeMap<String, BTreeMap<String, (f64, f64)>>),
}

/// A weight-sensitivity study; in JSON every field but `draws` may be left out (seed 0, over
/// sections, on the whole simplex, one thread per core).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// How many draws (1 to 100,000). Each keeps every report's rank for the quantiles, two
    /// bytes a report (four where a scheme has 65,536 reports or more): 400 MB for 1,000 draws
    /// over 200,000 reports.
    pub draws: usize,
    /// The seed: the same seed gives the same draws on any number of threads.
    #[serde(default)]
    pub seed: u64,
    /// What the weights are drawn over.
    #[serde(default = "sections")]
    pub over: Over,
    /// How far they may move.
    #[serde(default = "simplex")]
    pub spread: Spread,
    /// Threads to split the draws across (0: one per core; at most `limits::THREADS`).
    #[serde(default)]
    pub threads: usize,
}

impl Study {
    /// The threads the draws are split across: one per core for 0, never more than the draws.
    fn thread_count(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            t => t,
        }
        .clamp(1, self.draws.min(limits::THREADS))
    }
}

fn sections() -> Over {
    Over::Sections
}

fn simplex() -> Spread {
    Spread::Simplex
}

/// What one report got across the draws.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Robustness {
    /// The organization.
    pub org_id: String,
    /// The scheme.
    pub scheme: String,
    /// Its county.
    pub county: String,
    /// Its score under the sheet's own weights.
    pub score: Points,
    /// Named under the sheet's own weights.
    pub named: bool,
    /// The share of draws in which it is named.
    pub p_named: f64,
    /// The share of draws in which it earns each number of stars (index 0: no star band).
    pub p_stars: [f64; 6],
    /// Its rank by score within its scheme (1 = best; equal scores share the best rank): the
    /// 5 %, 50 % and 95 % quantiles over the draws (nearest rank).
    pub rank: [u32; 3],
    /// The mean of the weights drawn (its scheme's units, in points) over the draws in which it
    /// is named; none if it never is.
    pub central_weights: Option<Vec<f64>>,
}

/// A study's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// The study.
    pub study: Study,
    /// Each scheme's units the weights are drawn over (section or criterion ids), in program
    /// order: what `central_weights` list.
    pub units: Vec<(String, Vec<String>)>,
    /// Every report, in `Program::evaluate_year`'s order.
    pub reports: Vec<Robustness>,
    /// The expected share of today's named list that a draw names too.
    pub expected_overlap: f64,
    /// The reports whose naming is least certain (named in some draws, not in others), the
    /// closest to even odds first; at most 20, by index in `reports`.
    pub most_uncertain: Vec<usize>,
}

/// What one draw decided.
struct Outcome {
    units: Vec<Vec<f64>>,
    named: Vec<u32>,
    rank: Ranks,
}

/// One draw's rank of every report within its scheme: two bytes each where every scheme has
/// fewer than 65,536 reports (a rank is at most its scheme's size), else four.
enum Ranks {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Ranks {
    fn new(ranks: &[u32], narrow: bool) -> Ranks {
        match narrow {
            true => Ranks::Narrow(ranks.iter().map(|&r| r as u16).collect()),
            false => Ranks::Wide(ranks.to_vec()),
        }
    }

    fn get(&self, i: usize) -> u32 {
        match self {
            Ranks::Narrow(r) => u32::from(r[i]),
            Ranks::Wide(r) => r[i],
        }
    }
}

/// What a thread reuses from draw to draw, and the stars it has counted.
struct Thread {
    results: Vec<BulkResult>,
    tables: Tables,
    work: Work,
    /// What `ranks` counts scores in, and the draw's ranks before they are stored.
    count: Vec<u32>,
    rank: Vec<u32>,
    /// Per report, how many draws gave it each number of stars.
    stars: Vec<[u32; 6]>,
}

const MAX_DRAWS: usize = 100_000;

impl Plan {
    /// The sheet's own weights of the units drawn over.
    fn units(&self, over: Over) -> Vec<f64> {
        let w = self.weights();
        match over {
            Over::Sections => w.sections,
            Over::Criteria => w.criteria,
        }
    }

    /// The weights a draw of the units gives.
    fn weights_of(&self, over: Over, units: &[f64]) -> Weights {
        let own = self.weights();
        let ranges = self.section_criteria();
        match over {
            Over::Sections => {
                let mut criteria = own.criteria.clone();
                for ((range, &cap), &drawn) in ranges.iter().zip(&own.sections).zip(units) {
                    let k = if cap > 0.0 { drawn / cap } else { 0.0 };
                    for c in range.clone() {
                        criteria[c] = own.criteria[c] * k;
                    }
                }
                Weights { criteria, sections: units.to_vec() }
            }
            Over::Criteria => {
                let sum = |w: &[f64], r: &std::ops::Range<usize>| r.clone().map(|c| w[c]).sum::<f64>();
                let sections = ranges
                    .iter()
                    .zip(&own.sections)
                    .map(|(r, &cap)| {
                        let was = sum(&own.criteria, r);
                        if was > 0.0 { cap * (sum(units, r) / was) } else { cap }
                    })
                    .collect();
                Weights { criteria: units.to_vec(), sections }
            }
        }
    }
}

/// Each unit's interval under `spread` (none for the whole simplex), checked: every bound a
/// finite number of points, the lowest first, and the sheet's total within their sums.
fn intervals(plan: &Plan, over: Over, spread: &Spread) -> Result<Option<Vec<(f64, f64)>>> {
    let own = plan.units(over);
    let ids = match over {
        Over::Sections => plan.section_ids(),
        Over::Criteria => plan.criterion_ids(),
    };
    let scheme = plan.id();
    let bounds: Vec<(f64, f64)> = match spread {
        Spread::Simplex => return Ok(None),
        Spread::Within(p) => own.iter().map(|w| (w * (1.0 - p / 100.0), w * (1.0 + p / 100.0))).collect(),
        Spread::Bounds(given) => {
            let mine = given.get(scheme);
            if let Some(unit) = mine.and_then(|m| m.keys().find(|u| !ids.contains(&u.as_str()))) {
                let known = ids.join(", ");
                return Err(Error::Argument(text!(
                    "方案`{scheme}`没有`{unit}`；它有：{known}",
                    "scheme `{scheme}` has no `{unit}`; it has {known}"
                )));
            }
            let of = |(i, id): (usize, &&str)| mine.and_then(|m| m.get(*id)).copied().unwrap_or((own[i], own[i]));
            ids.iter().enumerate().map(of).collect()
        }
    };
    for (&(lo, hi), id) in bounds.iter().zip(&ids) {
        let most = *limits::POINTS.end();
        if !(lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi && hi <= most) {
            return Err(Error::Argument(text!(
                "方案`{scheme}`的`{id}`：权重范围{lo}至{hi}应为0至{most}分之间由低到高的两个数",
                "scheme `{scheme}`, `{id}`: the bounds {lo} to {hi} must be two numbers of points from 0 to {most}, lowest first"
            )));
        }
    }
    let total: f64 = own.iter().sum();
    let (low, high): (f64, f64) = (bounds.iter().map(|b| b.0).sum(), bounds.iter().map(|b| b.1).sum());
    if !(low <= total + 1e-9 && total <= high + 1e-9) {
        return Err(Error::Argument(text!(
            "方案`{scheme}`：权重范围之和（{low}至{high}）容不下总分{total}",
            "scheme `{scheme}`: the bounds add up to {low} to {high}, which cannot hold the total {total}"
        )));
    }
    Ok(Some(bounds))
}

/// Weights drawn with `own`'s total: on the whole simplex, or uniformly within `bounds`.
fn draw_units(own: &[f64], bounds: Option<&[(f64, f64)]>, rng: &mut Rng) -> Result<Vec<f64>> {
    let total: f64 = own.iter().sum();
    let Some(bounds) = bounds else {
        // Normalised exponentials are uniform on the simplex.
        let e: Vec<f64> = own.iter().map(|_| -(1.0 - rng.unit()).ln()).collect();
        let sum: f64 = e.iter().sum();
        return Ok(e.iter().map(|x| total * x / sum).collect());
    };
    // The widest interval takes what the total leaves, the others uniform in theirs; a draw is
    // kept if that is within its own: uniform on the intervals' slice of the simplex.
    let width = |i: usize| bounds[i].1 - bounds[i].0;
    let Some(last) = (0..own.len()).filter(|&i| width(i) > 0.0).max_by(|&a, &b| width(a).total_cmp(&width(b))) else {
        return Ok(own.to_vec());
    };
    for _ in 0..100_000 {
        let w: Vec<f64> =
            (0..own.len()).map(|i| if i == last { 0.0 } else { bounds[i].0 + rng.unit() * width(i) }).collect();
        let rest = total - w.iter().sum::<f64>();
        if (bounds[last].0..=bounds[last].1).contains(&rest) {
            return Ok(w.into_iter().enumerate().map(|(i, x)| if i == last { rest } else { x }).collect());
        }
    }
    Err(Error::Argument(text!(
        "在给定范围内几乎抽不到保持总分不变的权重；请放宽范围",
        "weights within the bounds that keep the total are too rare to draw; widen them"
    )))
}

/// Each report's rank by score within its scheme (1 + how many score higher), counted by score
/// in `count` where the scores span less than 2²² hundredths (every sheet's do), else sorted.
fn ranks(score: &[Points], into: &mut Vec<u32>, count: &mut Vec<u32>) {
    if score.is_empty() {
        return;
    }
    let (lo, hi) = score.iter().fold((i64::MAX, i64::MIN), |(lo, hi), s| (lo.min(s.0), hi.max(s.0)));
    let span = hi.saturating_sub(lo);
    if (0..1 << 22).contains(&span) {
        count.clear();
        count.resize(span as usize + 1, 0);
        for s in score {
            count[(s.0 - lo) as usize] += 1;
        }
        // Each score's count becomes how many score higher.
        let mut above = 0;
        for c in count.iter_mut().rev() {
            (*c, above) = (above, above + *c);
        }
        into.extend(score.iter().map(|s| count[(s.0 - lo) as usize] + 1));
        return;
    }
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_unstable_by(|&a, &b| score[b].cmp(&score[a]));
    let mut rank = vec![0u32; order.len()];
    for (k, &row) in order.iter().enumerate() {
        rank[row] = if k > 0 && score[order[k - 1]] == score[row] { rank[order[k - 1]] } else { k as u32 + 1 };
    }
    into.extend(rank);
}

/// Each report's rank over the draws at 5 %, 50 % and 95 % (nearest rank): the draws' ranks
/// gathered 256 reports at a time (a run of each draw's, read whole), the reports split across
/// `threads`.
fn rank_quantiles(outcomes: &[Outcome], n: usize, threads: usize) -> Vec<[u32; 3]> {
    const LINE: usize = 256;
    let draws = outcomes.len();
    let mut out = vec![[0; 3]; n];
    let per = n.div_ceil(threads.max(1)).next_multiple_of(LINE).max(LINE);
    std::thread::scope(|s| {
        for (t, part) in out.chunks_mut(per).enumerate() {
            s.spawn(move || {
                let (mut ranks, mut count) = (vec![0u32; LINE * draws], Vec::new());
                for (b, block) in part.chunks_mut(LINE).enumerate() {
                    let from = t * per + b * LINE;
                    // Sixteen draws at a time, so each report's ranks are written a line at once.
                    for (k, tile) in outcomes.chunks(16).enumerate() {
                        for j in 0..block.len() {
                            let at = j * draws + k * 16;
                            for (r, o) in ranks[at..at + tile.len()].iter_mut().zip(tile) {
                                *r = o.rank.get(from + j);
                            }
                        }
                    }
                    for (j, q) in block.iter_mut().enumerate() {
                        *q = quantiles(&mut ranks[j * draws..(j + 1) * draws], &mut count);
                    }
                }
            });
        }
    });
    out
}

/// The 5 %, 50 % and 95 % quantiles of some values by nearest rank (the ⌈q·n⌉-th smallest):
/// counted where the values span at most four per value (ranks over draws mostly do), else
/// found by selection, the median first and the others within the halves it leaves.
fn quantiles(v: &mut [u32], count: &mut Vec<u32>) -> [u32; 3] {
    let at = |q: f64| ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    let ks = [at(0.05), at(0.5), at(0.95)];
    let (lo, hi) = v.iter().fold((u32::MAX, 0), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    if lo <= hi && ((hi - lo) as usize) < 4 * v.len() {
        count.clear();
        count.resize((hi - lo) as usize + 1, 0);
        for &x in v.iter() {
            count[(x - lo) as usize] += 1;
        }
        let (mut out, mut q, mut below) = ([hi; 3], 0, 0);
        for (x, &c) in count.iter().enumerate() {
            below += c as usize;
            while q < 3 && below > ks[q] {
                out[q] = lo + x as u32;
                q += 1;
            }
            if q == 3 {
                break;
            }
        }
        return out;
    }
    let (low, &mut median, high) = v.select_nth_unstable(ks[1]);
    let p5 = if ks[0] < ks[1] { *low.select_nth_unstable(ks[0]).1 } else { median };
    let p95 = if ks[2] > ks[1] { *high.select_nth_unstable(ks[2] - ks[1] - 1).1 } else { median };
    [p5, median, p95]
}

impl Program {
    /// The criteria (by index in the plan) whose points the selection's tie-breaks read.
    pub(crate) fn tie_criteria(&self, plan: &Plan) -> Vec<usize> {
        let wanted = self.file().selection.as_ref().map_or(&[][..], |s| s.tie_break.as_slice());
        let ids = plan.criterion_ids();
        (0..ids.len()).filter(|&c| wanted.iter().any(|w| w == ids[c])).collect()
    }

    /// Runs a weight-sensitivity study on a columnar year. `progress` is told how many draws
    /// are done after each one. Results never depend on the number of threads.
    pub fn sensitivity(
        &self,
        year: &YearColumns,
        study: &Study,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Sensitivity> {
        if !(1..=MAX_DRAWS).contains(&study.draws) {
            let n = study.draws;
            return Err(Error::Argument(text!(
                "抽样次数应在1至{MAX_DRAWS}之间，而非{n}",
                "draws must be from 1 to {MAX_DRAWS}, not {n}"
            )));
        }
        if let Spread::Within(p) = study.spread
            && !(0.0..=100.0).contains(&p)
        {
            return Err(Error::Argument(text!(
                "浮动范围应在0至100（%）之间，而非{p}",
                "the spread must be from 0 to 100 (%), not {p}"
            )));
        }
        year.check_program(self)?;
        let plans = self.plans();
        let ready: Vec<Reweighable> = plans.iter().zip(year.schemes()).map(|(p, rows)| p.reweighable(rows)).collect();
        if let Spread::Bounds(given) = &study.spread
            && let Some(scheme) = given.keys().find(|s| self.plan(s).is_err())
        {
            return Err(self.plan(scheme).err().unwrap_or_else(|| Error::Argument(Default::default())));
        }
        let bounds: Vec<Option<Vec<(f64, f64)>>> =
            plans.iter().map(|p| intervals(p, study.over, &study.spread)).collect::<Result<_>>()?;

        // Today's results and decisions, as the year is scored here.
        let today =
            self.score_year_columns(year, crate::scoring::table::Options { threads: study.threads, points: false })?;
        let rows = today.rows(self, year);
        let index: HashMap<(&str, &str), u32> =
            rows.iter().enumerate().map(|(i, r)| ((r.org_id(), r.scheme()), i as u32)).collect();
        let named_in = |s: &crate::decisions::select::Selection| -> Vec<u32> {
            s.named.iter().filter_map(|n| index.get(&(n.org_id.as_str(), n.scheme.as_str())).copied()).collect()
        };
        let chosen = named_in(&self.select_designating(year, &rows, None, Default::default())?);

        // Each draw re-scores every scheme and decides again with the decisions' own rules
        // (`redecide.rs`), in buffers each thread reuses.
        let redecide = Redecide::new(self, year, &today);
        let fresh = || Thread {
            results: ready
                .iter()
                .map(|r| BulkResult {
                    vetoed: r.vetoed().to_vec(),
                    weak_lax: r.weak_lax().to_vec(),
                    ..BulkResult::new(r.rows(), 0)
                })
                .collect(),
            tables: Tables::default(),
            work: Work::default(),
            count: Vec::new(),
            rank: Vec::new(),
            stars: vec![[0; 6]; rows.len()],
        };
        let narrow = ready.iter().all(|r| r.rows() <= usize::from(u16::MAX));
        let draw = |d: usize, t: &mut Thread| -> Result<Outcome> {
            let mut rng = Rng::new(study.seed.wrapping_add((d as u64 + 1).wrapping_mul(0xa24b_aed4_963e_e407)));
            let mut units = Vec::with_capacity(plans.len());
            let mut weights = Vec::with_capacity(plans.len());
            for (((plan, r), out), bounds) in plans.iter().zip(&ready).zip(&mut t.results).zip(&bounds) {
                let u = draw_units(&plan.units(study.over), bounds.as_deref(), &mut rng)?;
                let w = plan.weights_of(study.over, &u);
                plan.rescore_totals(r, &w, out, false, &mut t.tables);
                units.push(u);
                weights.push(w);
            }
            t.rank.clear();
            for r in &t.results {
                ranks(&r.score, &mut t.rank, &mut t.count);
            }
            let rank = Ranks::new(&t.rank, narrow);
            let mut counts = &mut t.stars[..];
            for r in &t.results {
                let (these, rest) = counts.split_at_mut(r.stars.len());
                for (c, &s) in these.iter_mut().zip(&r.stars) {
                    c[usize::from(s).min(5)] += 1;
                }
                counts = rest;
            }
            let points = |p: usize, row: usize, c: usize| plans[p].reweighed_points(&ready[p], &weights[p], c, row);
            let (named, results) = redecide.named(std::mem::take(&mut t.results), &points, &mut t.work)?;
            t.results = results;
            Ok(Outcome { units, named, rank })
        };

        // The draws split across threads in contiguous runs, then read in draw order.
        let threads = study.thread_count();
        let done = AtomicUsize::new(0);
        let run = |from: usize, to: usize| -> Result<(Vec<Outcome>, Vec<[u32; 6]>)> {
            let mut t = fresh();
            let outcomes = (from..to)
                .map(|d| {
                    let o = draw(d, &mut t)?;
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    Ok(o)
                })
                .collect::<Result<_>>()?;
            Ok((outcomes, t.stars))
        };
        let per = study.draws.div_ceil(threads);
        let (outcomes, stars) = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let run = &run;
                    s.spawn(move || run(t * per, ((t + 1) * per).min(study.draws)))
                })
                .collect();
            let mut all = Vec::with_capacity(study.draws);
            let mut stars = vec![[0u32; 6]; rows.len()];
            for h in handles {
                let (outcomes, counts) =
                    h.join().map_err(|_| Error::Argument(text!("抽样线程意外终止", "a draw's thread stopped")))??;
                all.extend(outcomes);
                for (sum, c) in stars.iter_mut().zip(counts) {
                    sum.iter_mut().zip(c).for_each(|(s, c)| *s += c);
                }
            }
            Ok::<_, Error>((all, stars))
        })?;

        Ok(self.summarize(year, study, &rows, &chosen, &outcomes, &stars))
    }

    fn summarize(
        &self,
        year: &YearColumns,
        study: &Study,
        rows: &[crate::scoring::year_scores::ScoredRow<'_>],
        chosen: &[u32],
        outcomes: &[Outcome],
        stars: &[[u32; 6]],
    ) -> Sensitivity {
        let n = rows.len();
        let draws = outcomes.len() as f64;
        let plan_of: Vec<usize> = {
            let ids: Vec<&str> = self.plans().iter().map(|p| p.id()).collect();
            rows.iter().map(|r| ids.iter().position(|id| *id == r.scheme()).unwrap_or_default()).collect()
        };
        let mut named = vec![0u32; n];
        let mut central: Vec<Option<Vec<f64>>> = vec![None; n];
        let mut overlap = 0usize;
        let today: std::collections::HashSet<u32> = chosen.iter().copied().collect();
        for o in outcomes {
            for &i in &o.named {
                let i = i as usize;
                named[i] += 1;
                let units = &o.units[plan_of[i]];
                match &mut central[i] {
                    Some(sum) => sum.iter_mut().zip(units).for_each(|(s, u)| *s += u),
                    none => *none = Some(units.clone()),
                }
            }
            overlap += o.named.iter().filter(|i| today.contains(i)).count();
        }
        let orgs = year.organizations();
        let rank = rank_quantiles(outcomes, n, study.thread_count());
        let reports: Vec<Robustness> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let county = orgs.find(r.org_id()).map_or("", |k| orgs.county(k)).to_string();
                Robustness {
                    org_id: r.org_id().to_string(),
                    scheme: r.scheme().to_string(),
                    county,
                    score: r.score(),
                    named: today.contains(&(i as u32)),
                    p_named: f64::from(named[i]) / draws,
                    p_stars: stars[i].map(|c| f64::from(c) / draws),
                    rank: rank[i],
                    central_weights: central[i].take().map(|s| s.iter().map(|x| x / f64::from(named[i])).collect()),
                }
            })
            .collect();
        let mut uncertain: Vec<usize> = (0..n).filter(|&i| named[i] > 0 && f64::from(named[i]) < draws).collect();
        uncertain.sort_by(|&a, &b| {
            let far = |i: usize| (reports[i].p_named - 0.5).abs();
            far(a).total_cmp(&far(b)).then_with(|| reports[a].org_id.cmp(&reports[b].org_id))
        });
        uncertain.truncate(20);
        let units = self
            .plans()
            .iter()
            .map(|p| {
                let ids = match study.over {
                    Over::Sections => p.section_ids(),
                    Over::Criteria => p.criterion_ids(),
                };
                (p.id().to_string(), ids.into_iter().map(str::to_string).collect())
            })
            .collect();
        Sensitivity {
            study: study.clone(),
            units,
            reports,
            expected_overlap: if chosen.is_empty() { 1.0 } else { overlap as f64 / (draws * chosen.len() as f64) },
            most_uncertain: uncertain,
        }
    }
}

/// How far one section's weight can move, the others rescaled to keep the sheet's total, before
/// the named list changes (or, for `Program::flip`, one organization's naming or stars).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stability {
    /// The scheme.
    pub scheme: String,
    /// The section.
    pub section: String,
    /// Its weight today, in points.
    pub weight: f64,
    /// The lowest weight found with today's outcome, checked; 0 if it holds all the way down.
    pub from: f64,
    /// The highest weight found with today's outcome, checked; the sheet's total if it holds
    /// all the way up.
    pub to: f64,
    /// The weight just below `from` (within a millionth of a point) where the outcome changes.
    pub changes_below: Option<f64>,
    /// The weight just above `to` where the outcome changes.
    pub changes_above: Option<f64>,
}

/// Steps tried across a sheet's total before the change found is narrowed by halving.
const STEPS: f64 = 100.0;
/// How close the ends are narrowed, in points.
const CLOSE: f64 = 1e-6;

/// A year ready to be decided again with one section's weight moved.
struct Probe<'a> {
    program: &'a Program,
    year: &'a YearColumns,
    p: usize,
    s: usize,
    today: Vec<BulkResult>,
    ready: Reweighable,
    ties: Vec<usize>,
    redecide: Redecide<'a>,
    /// The results decided again (today's, the probed scheme's re-scored) and the buffers.
    again: std::cell::RefCell<(Vec<BulkResult>, Work, Tables)>,
}

impl Probe<'_> {
    fn units(&self) -> Vec<f64> {
        self.program.plans()[self.p].units(Over::Sections)
    }

    /// The scheme's weights with the section weighted `weight`, the others rescaled to keep the
    /// total.
    fn weights(&self, weight: f64) -> Result<Weights> {
        let own = self.units();
        let total: f64 = own.iter().sum();
        if !(0.0..=total).contains(&weight) {
            return Err(Error::Argument(text!(
                "权重应在0至{total}分之间，而非{weight}",
                "the weight must be from 0 to {total} points, not {weight}"
            )));
        }
        let rest = total - own[self.s];
        let units: Vec<f64> = own
            .iter()
            .enumerate()
            .map(|(j, &w)| {
                if j == self.s {
                    weight
                } else if rest > 0.0 {
                    w * (total - weight) / rest
                } else {
                    0.0
                }
            })
            .collect();
        Ok(self.program.plans()[self.p].weights_of(Over::Sections, &units))
    }

    /// The year's full decisions with the section weighted `weight`.
    fn at(&self, weight: f64) -> Result<(crate::decisions::select::Selection, YearScores)> {
        let (program, plan) = (self.program, &self.program.plans()[self.p]);
        let mut results = self.today.clone();
        let mut out = BulkResult::new(self.ready.rows(), 0);
        plan.rescore(&self.ready, &self.weights(weight)?, &self.ties, &mut out);
        results[self.p] = out;
        let scores = YearScores::from_schemes(results);
        let selection =
            program.select_designating(self.year, &scores.rows(program, self.year), None, Default::default())?;
        Ok((selection, scores))
    }

    /// The reports named with the section weighted `weight` (by index in the year's order,
    /// sorted), and `row`'s stars in the probed scheme: the names `at` gives, decided again
    /// without the words (`redecide.rs`).
    fn named_at(&self, weight: f64, row: usize) -> Result<(Vec<u32>, u8)> {
        let plan = &self.program.plans()[self.p];
        let w = self.weights(weight)?;
        let mut again = self.again.borrow_mut();
        let (results, work, tables) = &mut *again;
        plan.rescore_totals(&self.ready, &w, &mut results[self.p], false, tables);
        let stars = results[self.p].stars.get(row).copied().unwrap_or(0);
        let points = |p: usize, r: usize, c: usize| match p == self.p {
            true => plan.reweighed_points(&self.ready, &w, c, r),
            false => self.today[p].criteria.get(c).and_then(|col| col.get(r)).copied().unwrap_or(Points::ZERO),
        };
        let (mut named, back) = self.redecide.named(std::mem::take(results), &points, work)?;
        *results = back;
        named.sort_unstable();
        Ok((named, stars))
    }
}

impl Program {
    /// A year ready to be decided again with a section of a scheme weighted otherwise.
    fn probe<'a>(&'a self, year: &'a YearColumns, scheme: &str, section: &str) -> Result<Probe<'a>> {
        let (p, s) = self.section_at(scheme, section)?;
        let today = self.score_year_columns(year, crate::scoring::table::Options { threads: 1, points: false })?;
        let plan = &self.plans()[p];
        let ties = self.tie_criteria(plan);
        let redecide = Redecide::new(self, year, &today);
        let today = today.schemes().to_vec();
        Ok(Probe {
            program: self,
            year,
            p,
            s,
            again: std::cell::RefCell::new((today.clone(), Work::default(), Tables::default())),
            today,
            ready: plan.reweighable(&year.schemes()[p]),
            ties,
            redecide,
        })
    }

    /// The year's decisions with one section of one scheme weighted `weight` points, the
    /// scheme's other sections rescaled to keep its total: what `stability` and `flip` re-score.
    pub fn with_section_weight(
        &self,
        year: &YearColumns,
        scheme: &str,
        section: &str,
        weight: f64,
    ) -> Result<(crate::decisions::select::Selection, YearScores)> {
        self.probe(year, scheme, section)?.at(weight)
    }

    /// How far a section's weight can move before today's named list changes. The weight is
    /// walked out in steps of a hundredth of the total and each change found narrowed by
    /// halving: a change undone within one step is not seen.
    pub fn stability(&self, year: &YearColumns, scheme: &str, section: &str) -> Result<Stability> {
        let probe = self.probe(year, scheme, section)?;
        let today = probe.named_at(probe.units()[probe.s], 0)?.0;
        edges(&probe, |t| Ok(probe.named_at(t, 0)?.0 == today))
    }

    /// How far a section's weight can move before one organization's naming under `scheme` or
    /// its stars change.
    pub fn flip(&self, year: &YearColumns, org_id: &str, scheme: &str, section: &str) -> Result<Stability> {
        let probe = self.probe(year, scheme, section)?;
        let rows = &year.schemes()[probe.p];
        let org = year.organizations().find(org_id);
        let row = org.map(|o| rows.first_row_of(o)).filter(|&r| r < rows.rows() && Some(rows.org(r)) == org);
        let row = row.ok_or_else(|| {
            Error::input(org_id, scheme, crate::error::Field::column("org_id"), crate::data::year::not_listed())
        })?;
        let index = probe.redecide.index(probe.p, row);
        let outcome = |t: f64| -> Result<(bool, u8)> {
            let (named, stars) = probe.named_at(t, row)?;
            Ok((named.binary_search(&index).is_ok(), stars))
        };
        let today = outcome(probe.units()[probe.s])?;
        edges(&probe, |t| Ok(outcome(t)? == today))
    }

    /// The plan and section index of a scheme's section.
    fn section_at(&self, scheme: &str, section: &str) -> Result<(usize, usize)> {
        let plan = self.plan(scheme)?;
        let p = self.plans().iter().position(|q| q.id() == plan.id()).unwrap_or_default();
        let s = plan.section_ids().iter().position(|id| *id == section).ok_or_else(|| {
            let known = plan.section_ids().join(", ");
            Error::Argument(text!(
                "方案`{scheme}`没有板块`{section}`；它有：{known}",
                "scheme `{scheme}` has no section `{section}`; it has {known}"
            ))
        })?;
        Ok((p, s))
    }
}

/// Walks a section's weight down to 0 and up to the total in steps of a hundredth of the total
/// until `same` fails, then narrows each change found by halving.
fn edges(probe: &Probe<'_>, same: impl Fn(f64) -> Result<bool>) -> Result<Stability> {
    let units = probe.units();
    let (weight, total) = (units[probe.s], units.iter().sum::<f64>());
    let walk = |end: f64| -> Result<(f64, Option<f64>)> {
        let step = (end - weight) / ((end - weight).abs() / total * STEPS).ceil().max(1.0);
        let mut inside = weight;
        while inside != end {
            let t = if (end - inside) / step <= 1.0 { end } else { inside + step };
            if !same(t)? {
                let mut outside = t;
                while (outside - inside).abs() > CLOSE {
                    let mid = (inside + outside) / 2.0;
                    if same(mid)? { inside = mid } else { outside = mid }
                }
                return Ok((inside, Some(outside)));
            }
            inside = t;
        }
        Ok((end, None))
    };
    let (from, changes_below) = walk(0.0)?;
    let (to, changes_above) = walk(total)?;
    let plan = &probe.program.plans()[probe.p];
    Ok(Stability {
        scheme: plan.id().to_string(),
        section: plan.section_ids()[probe.s].to_string(),
        weight,
        from,
        to,
        changes_below,
        changes_above,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting and selection find the nearest-rank quantiles a sort finds (the ⌈q·n⌉-th
    /// smallest), for every length from 1 to 60, values with many repeats and values far apart.
    #[test]
    fn quantiles_by_selection_are_those_of_the_sorted_values() {
        let mut rng = Rng::new(5);
        for n in 1..=60 {
            // Narrow values are counted, wide ones selected.
            for spread in [9.0, 1e6] {
                let v: Vec<u32> = (0..n).map(|_| (rng.unit() * spread) as u32).collect();
                let mut sorted = v.clone();
                sorted.sort_unstable();
                let want = [0.05, 0.5, 0.95].map(|q| sorted[((q * n as f64).ceil() as usize).clamp(1, n) - 1]);
                assert_eq!(quantiles(&mut v.clone(), &mut Vec::new()), want, "{v:?}");
            }
        }
    }

    /// A draw's ranks are kept as given, in two bytes or four.
    #[test]
    fn ranks_are_kept_as_given() {
        let given = [1, 65_535, 7];
        let narrow = Ranks::new(&given, true);
        assert!(matches!(narrow, Ranks::Narrow(_)));
        assert_eq!([0, 1, 2].map(|i| narrow.get(i)), given);
        let wide = Ranks::new(&[70_000, 1], false);
        assert_eq!([wide.get(0), wide.get(1)], [70_000, 1]);
    }

    /// Ranks counted by score are those sorting gives: 1 + how many score higher.
    #[test]
    fn ranks_count_those_scoring_higher() {
        let score: Vec<Points> = [500, 700, 500, 0, 9999, 700].map(Points).to_vec();
        let mut got = Vec::new();
        ranks(&score, &mut got, &mut Vec::new());
        assert_eq!(got, [4, 2, 4, 6, 1, 2]);
        let wide = [Points(0), Points(1 << 40), Points(3)];
        got.clear();
        ranks(&wide, &mut got, &mut Vec::new());
        assert_eq!(got, [3, 1, 2]);
    }
}

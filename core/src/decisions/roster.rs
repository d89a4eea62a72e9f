//! What the decisions read of a year besides the results: where each result's organization sits
//! (its rank by id, its county) and the kinds of event its reports record. A `Year` and a
//! `YearColumns` both answer; the decisions then sort and group by these numbers, not by text.

use crate::data::model::Period;
use crate::data::year::Year;
use crate::data::year_columns::{Texts, YearColumns};
use crate::decisions::parts;
use crate::decisions::select::not_listed;
use crate::error::{Error, Field, Result};
use crate::rules::language::text;
use crate::rules::program::Program;
use crate::scoring::evaluate::Assessed;
use std::collections::HashMap;
use std::sync::Arc;

/// Where a result sits: its organization's rank by id among the year's organizations, its
/// county's index in `Roster::county_names`, and its scheme's rank by id among the program's.
/// Ordering places orders by organization id, then scheme id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    /// The organization's rank by id.
    pub org: u32,
    /// The scheme's rank by id.
    pub scheme: u32,
    /// The county's index in `Roster::county_names`.
    pub county: u32,
}

/// Each result's place, as `Roster::places` finds them: listed one by one, or, where every
/// result is a row of the columnar year asked, read from its row (a country's year keeps no
/// list of millions).
#[derive(Clone, Debug)]
pub struct Places<'a>(Found<'a>);

#[derive(Clone, Debug)]
enum Found<'a> {
    Listed(Vec<Place>),
    /// Each scheme's rank by its index in the program; `whole` when the results are every row
    /// of the year, in its order.
    Rows {
        year: &'a YearColumns,
        ranks: Vec<u32>,
        whole: bool,
    },
}

impl Places<'_> {
    /// The place of result `i`, `e`.
    #[inline(always)]
    pub fn get<E: Assessed>(&self, i: usize, e: &E) -> Place {
        match &self.0 {
            Found::Listed(places) => places[i],
            Found::Rows { year, ranks, .. } => {
                let (org, scheme) = e.in_year().map_or((0, 0), |r| (r.org, r.scheme));
                Place { org: org as u32, scheme: ranks[scheme], county: year.organizations().county_index(org) }
            }
        }
    }

    /// The results' indices ordered by place (organization id, then scheme id), then period,
    /// cut into as many runs as `parts::ranges` cuts them: every row of a columnar year merged
    /// from its schemes' rows (each in that order already) and cut between organizations,
    /// other results counted by organization (of the year's `orgs`; each has but a few).
    pub(crate) fn orders<E: Assessed>(&self, evals: &[E], orgs: usize) -> Vec<PlaceOrder<'_>> {
        let ranges = parts::ranges(evals.len());
        if let Found::Rows { year, ranks, whole: true } = &self.0 {
            let mut runs: Vec<(u32, usize, &[u32])> = Vec::with_capacity(ranks.len());
            let mut base = 0;
            for (rows, &rank) in year.schemes().iter().zip(ranks) {
                runs.push((rank, base, rows.orgs()));
                base += rows.rows();
            }
            runs.sort_unstable_by_key(|r| r.0);
            let cut = |p: usize| (orgs * p / ranges.len()) as u32;
            return (0..ranges.len())
                .map(|p| {
                    let (from, to) = (cut(p), cut(p + 1));
                    let runs: Vec<_> = runs
                        .iter()
                        .map(|&(_, base, col)| {
                            (base, &col[..col.partition_point(|&o| o < to)], col.partition_point(|&o| o < from))
                        })
                        .collect();
                    let heads = runs.iter().map(|(_, col, next)| col.get(*next).copied().unwrap_or(u32::MAX)).collect();
                    PlaceOrder(Ordered::Merged { heads, runs })
                })
                .collect();
        }
        let mut start = vec![0u32; orgs + 1];
        for (i, e) in evals.iter().enumerate() {
            start[self.get(i, e).org as usize + 1] += 1;
        }
        for o in 0..orgs {
            start[o + 1] += start[o];
        }
        let mut order = vec![0u32; evals.len()];
        for (i, e) in evals.iter().enumerate() {
            let next = &mut start[self.get(i, e).org as usize];
            order[*next as usize] = i as u32;
            *next += 1;
        }
        let place = |i: u32| self.get(i as usize, &evals[i as usize]);
        for run in order.chunk_by_mut(|&a, &b| place(a).org == place(b).org) {
            if run.len() > 1 {
                run.sort_by_key(|&i| (place(i).scheme, evals[i as usize].period()));
            }
        }
        let mut cut: Vec<PlaceOrder<'_>> =
            ranges.iter().rev().map(|r| PlaceOrder(Ordered::Counted(order.split_off(r.start).into_iter()))).collect();
        cut.reverse();
        cut
    }
}

/// Results' indices in the order of their places and periods: a part of `Places::orders`.
pub(crate) struct PlaceOrder<'a>(Ordered<'a>);

enum Ordered<'a> {
    /// Each scheme's rows, by scheme id: its first row's index among the results, each row's
    /// organization and the next row; beside, each next row's organization (`u32::MAX` past the
    /// last).
    Merged {
        heads: Vec<u32>,
        runs: Vec<(usize, &'a [u32], usize)>,
    },
    Counted(std::vec::IntoIter<u32>),
}

impl Iterator for PlaceOrder<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        match &mut self.0 {
            // The least organization next; of one organization, the scheme first by id.
            Ordered::Merged { heads, runs } => {
                let least = heads.iter().enumerate().map(|(r, &head)| u64::from(head) << 32 | r as u64).min()?;
                let (best, org) = ((least & u64::from(u32::MAX)) as usize, (least >> 32) as u32);
                if org == u32::MAX {
                    return None;
                }
                let (base, orgs, next) = &mut runs[best];
                let i = *base + *next;
                *next += 1;
                heads[best] = orgs.get(*next).copied().unwrap_or(u32::MAX);
                Some(i)
            }
            Ordered::Counted(order) => order.next().map(|i| i as usize),
        }
    }
}

/// A year's organizations as the decisions read them.
pub trait Roster {
    /// Each result's place; an error names the first result whose organization the year does
    /// not list, else the first given a second time (each organization, scheme and period is
    /// evaluated once: a result given twice would count twice in rankings, quotas and shares).
    fn places<E: Assessed + Sync>(&self, program: &Program, evals: &[E]) -> Result<Places<'_>>;
    /// Every county of the year's organizations, sorted.
    fn county_names(&self) -> Vec<&str>;
    /// How many organizations the year lists.
    fn len(&self) -> usize;
    /// Whether it lists none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The rank by id of each organization named, where the year lists it.
    fn ranks_of(&self, ids: &[&str]) -> Vec<Option<u32>>;
    /// Every organization's id, by rank.
    fn org_ids(&self) -> Arc<Texts>;
    /// Each organization (by rank) with each kind of event (by index in the program's events)
    /// its reports record: sorted, once each.
    fn org_events(&self, program: &Program) -> Vec<(u32, u32)>;
}

/// Each scheme's rank by id, by the scheme's index in the program.
fn scheme_ranks(program: &Program) -> Vec<u32> {
    let mut order: Vec<usize> = (0..program.schemes().len()).collect();
    order.sort_by_key(|&i| &program.schemes()[i].id);
    let mut rank = vec![0; order.len()];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = k as u32;
    }
    rank
}

/// A scheme's rank by id: an error for a scheme the program does not have.
fn scheme_of<E: Assessed>(program: &Program, ranks: &[u32], e: &E) -> Result<u32> {
    program
        .schemes()
        .iter()
        .position(|s| s.id == e.scheme())
        .map(|i| ranks[i])
        .ok_or_else(|| Error::input(e.org_id(), e.scheme(), Field::column("scheme"), program.unknown_scheme()))
}

/// The error for result `e` given a second time.
fn twice<E: Assessed>(e: &E) -> Error {
    let p = e.period();
    let m = text!("{p}期间的评价重复出现；每项评价只传一次", "evaluated twice for {p}; pass each evaluation once");
    Error::input(e.org_id(), e.scheme(), Field::column("evaluations"), m)
}

/// Each (organization, scheme, period) evaluated once, else an error for the first, in the
/// order given, met a second time.
fn distinct<E: Assessed>(evals: &[E], places: &[Place]) -> Result<()> {
    let mut keys: Vec<(u32, u32, Period, usize)> =
        evals.iter().zip(places).enumerate().map(|(i, (e, p))| (p.org, p.scheme, e.period(), i)).collect();
    keys.sort_unstable();
    let again = keys.windows(2).filter(|w| (w[0].0, w[0].1, w[0].2) == (w[1].0, w[1].1, w[1].2)).map(|w| w[1].3).min();
    match again {
        Some(i) => Err(twice(&evals[i])),
        None => Ok(()),
    }
}

/// A year's organization ids, sorted: an id's place here is its rank.
fn sorted_ids(year: &Year) -> Vec<&str> {
    let mut all: Vec<&str> = year.organizations.iter().map(|o| o.org_id.as_str()).collect();
    all.sort_unstable();
    all
}

impl Roster for Year {
    fn places<E: Assessed + Sync>(&self, program: &Program, evals: &[E]) -> Result<Places<'_>> {
        let counties = self.county_names();
        let mut ids: Vec<(&str, &str)> =
            self.organizations.iter().map(|o| (o.org_id.as_str(), o.county.as_str())).collect();
        ids.sort_unstable();
        let at: HashMap<&str, Place> = ids
            .iter()
            .enumerate()
            .map(|(k, &(id, county))| {
                let county = counties.binary_search(&county).unwrap_or_default() as u32;
                (id, Place { org: k as u32, scheme: 0, county })
            })
            .collect();
        let ranks = scheme_ranks(program);
        let places = evals
            .iter()
            .map(|e| {
                let place = at.get(e.org_id()).ok_or_else(|| not_listed(e))?;
                Ok(Place { scheme: scheme_of(program, &ranks, e)?, ..*place })
            })
            .collect::<Result<Vec<Place>>>()?;
        distinct(evals, &places)?;
        Ok(Places(Found::Listed(places)))
    }

    fn len(&self) -> usize {
        self.organizations.len()
    }

    fn ranks_of(&self, ids: &[&str]) -> Vec<Option<u32>> {
        let all = sorted_ids(self);
        ids.iter().map(|id| all.binary_search(id).ok().map(|r| r as u32)).collect()
    }

    fn org_ids(&self) -> Arc<Texts> {
        let all = sorted_ids(self);
        let mut texts = Texts::with_capacity(all.len(), all.iter().map(|s| s.len()).sum());
        for id in all {
            texts.push(id);
        }
        Arc::new(texts)
    }

    fn county_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.organizations.iter().map(|o| o.county.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    fn org_events(&self, program: &Program) -> Vec<(u32, u32)> {
        let mut ids: Vec<&str> = self.organizations.iter().map(|o| o.org_id.as_str()).collect();
        ids.sort_unstable();
        let kinds = &program.file().events;
        let mut out: Vec<(u32, u32)> = self
            .reports
            .iter()
            .flat_map(|r| {
                let org = ids.binary_search(&r.org_id.as_str()).ok();
                r.events
                    .iter()
                    .filter_map(move |e| Some((org? as u32, kinds.iter().position(|k| k.id == e.kind)? as u32)))
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Roster for YearColumns {
    fn places<E: Assessed + Sync>(&self, program: &Program, evals: &[E]) -> Result<Places<'_>> {
        self.check_program(program)?;
        let ranks = scheme_ranks(program);
        // Rows of this very year are placed from their rows, and are distinct unless a row is
        // given twice.
        let mut start = vec![0];
        start.extend(self.schemes().iter().scan(0, |n, s| {
            *n += s.rows();
            Some(*n)
        }));
        let slot = |e: &E| {
            let r = e.in_year().filter(|r| std::ptr::eq(r.year, self) && r.scheme < ranks.len())?;
            let k = start[r.scheme] + r.row;
            (k < start[r.scheme + 1]).then_some(k)
        };
        // Every row in the year's order (what `YearScores::rows` gives) is distinct at once.
        let mut whole = evals.len() == self.reports();
        if whole {
            let in_order =
                parts::each(parts::ranges(evals.len()), |r| r.into_iter().all(|i| slot(&evals[i]) == Some(i)));
            whole = in_order.into_iter().all(|ok| ok);
        }
        if whole {
            return Ok(Places(Found::Rows { year: self, ranks, whole }));
        }
        let (mut seen, mut again) = (vec![false; self.reports()], None);
        for (i, e) in evals.iter().enumerate() {
            match slot(e) {
                Some(k) if std::mem::replace(&mut seen[k], true) => again = again.or(Some(i)),
                Some(_) => {}
                None => return self.places_listed(program, &ranks, evals),
            }
        }
        match again {
            Some(i) => Err(twice(&evals[i])),
            None => Ok(Places(Found::Rows { year: self, ranks, whole })),
        }
    }

    fn county_names(&self) -> Vec<&str> {
        self.organizations().counties().iter().map(String::as_str).collect()
    }

    fn len(&self) -> usize {
        self.organizations().len()
    }

    fn ranks_of(&self, ids: &[&str]) -> Vec<Option<u32>> {
        // Ids in ascending order (a map's keys) are each found onward from the one before.
        let orgs = self.organizations();
        let mut from = 0;
        let mut out = Vec::with_capacity(ids.len());
        for (k, &id) in ids.iter().enumerate() {
            if k > 0 && ids[k - 1] >= id {
                from = 0;
            }
            let at = orgs.search_from(id, from);
            from = at.unwrap_or_else(|i| i);
            out.push(at.ok().map(|r| r as u32));
        }
        out
    }

    fn org_ids(&self) -> Arc<Texts> {
        self.organizations().ids()
    }

    fn org_events(&self, _: &Program) -> Vec<(u32, u32)> {
        self.events().to_vec()
    }
}

impl YearColumns {
    /// Each result's place, one by one: a row of this year without a lookup, any other result
    /// by its organization's id and its scheme's.
    fn places_listed<E: Assessed>(&self, program: &Program, ranks: &[u32], evals: &[E]) -> Result<Places<'_>> {
        let orgs = self.organizations();
        let places = evals
            .iter()
            .map(|e| {
                let (org, scheme) = match e.in_year() {
                    Some(row) if std::ptr::eq(row.year, self) && row.scheme < ranks.len() => {
                        (row.org, ranks[row.scheme])
                    }
                    _ => (orgs.find(e.org_id()).ok_or_else(|| not_listed(e))?, scheme_of(program, ranks, e)?),
                };
                Ok(Place { org: org as u32, scheme, county: orgs.county_index(org) })
            })
            .collect::<Result<Vec<Place>>>()?;
        distinct(evals, &places)?;
        Ok(Places(Found::Listed(places)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::table::Options;

    /// Every row of a columnar year, merged from its schemes' rows and cut into parts, comes in
    /// the order that counting each organization's results (then sorting by scheme and period)
    /// gives: by organization, scheme id and period, each once.
    #[test]
    fn the_merged_place_order_is_the_counted_one() {
        let program = Program::default();
        let year = crate::sample::sample_year_columns(&program, Some(3000), 2023, 2023).unwrap();
        let scores = program.score_year_columns(&year, Options { threads: 1, points: false }).unwrap();
        let rows = scores.rows(&program, &year);
        let places = year.places(&program, &rows).unwrap();
        assert!(matches!(places.0, Found::Rows { whole: true, .. }));
        let merged: Vec<usize> = places.orders(&rows, year.len()).into_iter().flatten().collect();
        let listed = Places(Found::Listed((0..rows.len()).map(|i| places.get(i, &rows[i])).collect()));
        let counted: Vec<usize> = listed.orders(&rows, year.len()).into_iter().flatten().collect();
        assert_eq!(merged, counted);
        let key = |i: usize| {
            let p = places.get(i, &rows[i]);
            (p.org, p.scheme, rows[i].period())
        };
        assert_eq!(merged.len(), rows.len());
        assert!(merged.windows(2).all(|w| key(w[0]) < key(w[1])));
        // Some organization reports under two schemes, so the merge interleaves them.
        assert!(merged.windows(2).any(|w| key(w[0]).0 == key(w[1]).0));
    }
}

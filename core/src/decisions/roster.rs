//! What the decisions read of a year besides the results: where each result's organization sits
//! (its rank by id, its county) and the kinds of event its reports record. A `Year` and a
//! `YearColumns` both answer; the decisions then sort and group by these numbers, not by text.

use crate::data::year::Year;
use crate::data::year_columns::{Texts, YearColumns};
use crate::decisions::select::not_listed;
use crate::error::{Error, Field, Result};
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

/// A year's organizations as the decisions read them.
pub trait Roster {
    /// Each result's place, in order; an error names the first result whose organization the
    /// year does not list.
    fn places<E: Assessed>(&self, program: &Program, evals: &[E]) -> Result<Vec<Place>>;
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

/// A year's organization ids, sorted: an id's place here is its rank.
fn sorted_ids(year: &Year) -> Vec<&str> {
    let mut all: Vec<&str> = year.organizations.iter().map(|o| o.org_id.as_str()).collect();
    all.sort_unstable();
    all
}

impl Roster for Year {
    fn places<E: Assessed>(&self, program: &Program, evals: &[E]) -> Result<Vec<Place>> {
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
        evals
            .iter()
            .map(|e| {
                let place = at.get(e.org_id()).ok_or_else(|| not_listed(e))?;
                Ok(Place { scheme: scheme_of(program, &ranks, e)?, ..*place })
            })
            .collect()
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
    fn places<E: Assessed>(&self, program: &Program, evals: &[E]) -> Result<Vec<Place>> {
        self.check_program(program)?;
        let orgs = self.organizations();
        let ranks = scheme_ranks(program);
        evals
            .iter()
            .map(|e| {
                // A row of this very year is placed without a lookup.
                let (org, scheme) = match e.in_year() {
                    Some(row) if std::ptr::eq(row.year, self) && row.scheme < ranks.len() => {
                        (row.org, ranks[row.scheme])
                    }
                    _ => (orgs.find(e.org_id()).ok_or_else(|| not_listed(e))?, scheme_of(program, &ranks, e)?),
                };
                Ok(Place { org: org as u32, scheme, county: orgs.county_index(org) })
            })
            .collect()
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

//! Year over year: how standings moved (lagging → advanced, …) per county and scheme, and each
//! organization's history, so a turnaround like the seed's village is visible as such.

use crate::data::model::{Organization, Standing, Stars};
use crate::scoring::evaluate::Assessed;
use crate::scoring::points::Points;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Counts of organizations moving between standings from one year to the next.
/// Rows and columns: advanced, good, average, lagging, none (unrated or absent that year).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionMatrix {
    /// The county (county-level division).
    pub county: String,
    /// The scheme.
    pub scheme: String,
    /// The earlier year.
    pub from_year: i32,
    /// The later year.
    pub to_year: i32,
    /// `counts[from][to]`: organizations that went from one standing to another.
    pub counts: [[u32; 5]; 5],
}

/// One year's result of an organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The year.
    pub year: i32,
    /// The score that year.
    pub score: Points,
    /// The stars that year, if rated.
    pub stars: Option<Stars>,
    /// The standing that year, if rated.
    pub standing: Option<Standing>,
}

/// An organization's results over the years under one scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The organization.
    pub org_id: String,
    /// The scheme.
    pub scheme: String,
    /// Its county.
    pub county: String,
    /// By year, oldest first.
    pub entries: Vec<HistoryEntry>,
    /// Lagging in some year and advanced in a later one (从后进一跃成为先进).
    pub turned_around: bool,
}

fn turned_around(entries: &[HistoryEntry]) -> bool {
    entries.iter().enumerate().any(|(i, a)| {
        a.standing == Some(Standing::Lagging) && entries[i + 1..].iter().any(|b| b.standing == Some(Standing::Advanced))
    })
}

/// Years compared: transition matrices and each organization's history.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearOverYear {
    /// One matrix per county, scheme and pair of consecutive years.
    pub matrices: Vec<TransitionMatrix>,
    /// One history per organization and scheme, sorted by id then scheme.
    pub histories: Vec<History>,
}

fn index(s: Option<Standing>) -> usize {
    s.map_or(4, |s| usize::from(s.code()) - 1)
}

/// Builds histories and transition matrices from several years of evaluations.
/// `years`: (year, that year's evaluations); `organizations` give the counties.
pub fn year_over_year<E: Assessed>(years: &[(i32, &[E])], organizations: &[Organization]) -> YearOverYear {
    let county: BTreeMap<&str, &str> = organizations.iter().map(|o| (o.org_id.as_str(), o.county.as_str())).collect();
    let mut hist: BTreeMap<(&str, &str), Vec<HistoryEntry>> = BTreeMap::new();
    for (year, evals) in years {
        for e in evals.iter() {
            hist.entry((e.org_id(), e.scheme())).or_default().push(HistoryEntry {
                year: *year,
                score: e.score(),
                stars: e.stars(),
                standing: e.standing(),
            });
        }
    }
    let mut sorted_years: Vec<i32> = years.iter().map(|y| y.0).collect();
    sorted_years.sort_unstable();
    sorted_years.dedup();
    let mut matrices: BTreeMap<(String, String, i32), [[u32; 5]; 5]> = BTreeMap::new();
    let histories: Vec<History> = hist
        .into_iter()
        .map(|((org, scheme), mut entries)| {
            entries.sort_by_key(|e| e.year);
            let c = county.get(org).copied().unwrap_or_default();
            for w in sorted_years.windows(2) {
                let at = |y: i32| entries.iter().find(|e| e.year == y).and_then(|e| e.standing);
                let cell = matrices.entry((c.to_string(), scheme.to_string(), w[0])).or_default();
                cell[index(at(w[0]))][index(at(w[1]))] += 1;
            }
            History {
                org_id: org.into(),
                scheme: scheme.into(),
                county: c.into(),
                turned_around: turned_around(&entries),
                entries,
            }
        })
        .collect();
    let next: BTreeMap<i32, i32> = sorted_years.windows(2).map(|w| (w[0], w[1])).collect();
    let matrices = matrices
        .into_iter()
        .map(|((county, scheme, from_year), counts)| TransitionMatrix {
            county,
            scheme,
            from_year,
            to_year: next[&from_year],
            counts,
        })
        .collect();
    YearOverYear { matrices, histories }
}

//! Every candidate a selection did not name, held compactly — a few dozen bytes each, each
//! distinct scheme, county and reason once — and read back as `NotNamed` records, so a
//! province's or the country's selection keeps millions of them and words each one only when it
//! is read.

use crate::data::model::Stars;
use crate::data::year_columns::Texts;
use crate::decisions::rectify::Designations;
use crate::decisions::roster::Place;
use crate::decisions::select::{NotNamed, weak_lax_words};
use crate::scoring::points::Points;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

/// Every candidate not named, in the selection's order: read with `get` or `iter`, serialized
/// as the list of `NotNamed` records.
#[derive(Clone, Debug, Default)]
pub struct NotNamedList {
    /// Every organization's id (shared with the year), and each candidate's by index there.
    ids: Arc<Texts>,
    org: Vec<u32>,
    /// Index into `schemes`, `counties`, `reasons`.
    scheme: Vec<u32>,
    county: Vec<u32>,
    reason: Vec<u32>,
    /// In hundredths (`Points`).
    score: Vec<i64>,
    /// 0 where unrated.
    stars: Vec<u8>,
    /// Where each entry of the list is stored, in the list's order: candidates are stored as
    /// they are met and placed once ranked, so millions are never moved.
    order: Vec<u32>,
    /// The rank among the eligible (0 for none) and the reason of each of the list's first
    /// entries, in the list's order (the eligible come first, and are placed in rank order:
    /// written in turn, never scattered); every later entry is not ranked and keeps its stored
    /// reason.
    ranked: Vec<(u32, u32)>,
    schemes: Vec<String>,
    counties: Vec<String>,
    reasons: Vec<Reason>,
    /// The weak-and-lax designations a `Reason::Designated` words.
    designations: Option<Designations>,
}

/// A reason not to name: words, or a designation worded when read.
#[derive(Clone, Debug)]
enum Reason {
    Words(String),
    /// Designated weak and lax, by index in the list's designations.
    Designated(u32),
}

/// One candidate not named: what `NotNamedList::store` takes (scheme, county and reason by
/// number).
pub(crate) struct Entry {
    /// The organization, by index in the list's ids.
    pub org: u32,
    pub scheme: u32,
    pub county: u32,
    pub reason: u32,
    pub score: Points,
    pub stars: Option<Stars>,
}

impl NotNamedList {
    /// An empty list with room to place `n` entries (stored through `store_all`), which name
    /// organizations, schemes and counties by their index here.
    pub(crate) fn new(
        ids: Arc<Texts>,
        schemes: Vec<String>,
        counties: Vec<String>,
        designations: Option<Designations>,
        n: usize,
    ) -> NotNamedList {
        NotNamedList { ids, order: Vec::with_capacity(n), schemes, counties, designations, ..NotNamedList::default() }
    }

    /// How many candidates.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether every candidate was named.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Candidate `i`, worded.
    pub fn get(&self, i: usize) -> NotNamed {
        let (at, i) = (i, self.order[i] as usize);
        let (rank, reason) = self.ranked.get(at).copied().unwrap_or((0, self.reason[i]));
        let rank = (rank > 0).then_some(rank as usize);
        NotNamed {
            org_id: self.ids.get(self.org[i] as usize).to_string(),
            scheme: self.schemes[self.scheme[i] as usize].clone(),
            county: self.counties[self.county[i] as usize].clone(),
            score: Points(self.score[i]),
            stars: Stars::new(self.stars[i]),
            eligible: rank.is_some(),
            rank,
            reason: self.words(reason),
        }
    }

    /// Reason `r` in words.
    fn words(&self, r: u32) -> String {
        match &self.reasons[r as usize] {
            Reason::Words(words) => words.clone(),
            Reason::Designated(i) => match &self.designations {
                Some(d) => weak_lax_words(d.language(), &d.joined(*i as usize)),
                None => String::new(),
            },
        }
    }

    /// Every candidate, worded, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = NotNamed> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The number of the reason `key` stands for (`seen` holds the keys met so far); `word`
    /// words it the first time.
    pub(crate) fn reason<K: Hash + Eq + Clone>(
        &mut self,
        seen: &mut HashMap<K, u32>,
        key: &K,
        word: impl FnOnce() -> String,
    ) -> u32 {
        if let Some(&i) = seen.get(key) {
            return i;
        }
        let i = self.add_reason(word());
        seen.insert(key.clone(), i);
        i
    }

    /// Adds a reason's words; returns its number.
    pub(crate) fn add_reason(&mut self, words: String) -> u32 {
        self.reasons.push(Reason::Words(words));
        self.reasons.len() as u32 - 1
    }

    /// Adds designation `i` of the list's designations as a reason; returns its number.
    pub(crate) fn add_designated(&mut self, i: u32) -> u32 {
        self.reasons.push(Reason::Designated(i));
        self.reasons.len() as u32 - 1
    }

    /// Appends a candidate, ranked `rank` among the eligible if it was eligible.
    fn push(&mut self, e: Entry, rank: Option<usize>) {
        let reason = e.reason;
        let stored = self.store(e);
        self.place_ranked(stored, rank.map_or(0, |r| r as u32), reason);
    }

    /// Keeps a candidate not yet placed in the list; `place` places it by the number returned.
    #[inline]
    pub(crate) fn store(&mut self, e: Entry) -> u32 {
        self.org.push(e.org);
        self.scheme.push(e.scheme);
        self.county.push(e.county);
        self.reason.push(e.reason);
        self.score.push(e.score.0);
        self.stars.push(e.stars.map_or(0, Stars::get));
        self.org.len() as u32 - 1
    }

    /// Room for `n` candidates, stored by number in parts (`Stored::split_at`) rather than
    /// one after another; the list must hold none yet. The room is zeroed as the system gives it,
    /// so each part's pages are first written by the part's own thread.
    pub(crate) fn store_all(&mut self, n: usize) -> Stored<'_> {
        debug_assert!(self.org.is_empty());
        (self.org, self.scheme, self.county, self.reason) = (vec![0; n], vec![0; n], vec![0; n], vec![0; n]);
        (self.score, self.stars) = (vec![0; n], vec![0; n]);
        Stored {
            org: &mut self.org,
            scheme: &mut self.scheme,
            county: &mut self.county,
            reason: &mut self.reason,
            score: &mut self.score,
            stars: &mut self.stars,
        }
    }

    /// Stored candidate `k`'s reason, unless it is to be ranked.
    #[inline]
    pub(crate) fn stored_reason(&self, k: usize) -> Option<u32> {
        Some(self.reason[k]).filter(|&r| r != u32::MAX)
    }

    /// Stored candidate `k`'s score, stars and place (organization, scheme and county).
    #[inline]
    pub(crate) fn stored(&self, k: usize) -> (Points, Option<Stars>, Place) {
        let place = Place { org: self.org[k], scheme: self.scheme[k], county: self.county[k] };
        (Points(self.score[k]), Stars::new(self.stars[k]), place)
    }

    /// Room for `n` more candidates placed by `place_ranked`.
    pub(crate) fn reserve_ranked(&mut self, n: usize) {
        self.ranked.reserve(n);
    }

    /// Places stored candidate `k` next in the list, ranked `rank` (0 for none), not named for
    /// `reason`. Only before any candidate placed by `place`.
    pub(crate) fn place_ranked(&mut self, k: u32, rank: u32, reason: u32) {
        debug_assert_eq!(self.ranked.len(), self.order.len());
        self.ranked.push((rank, reason));
        self.order.push(k);
    }

    /// Places stored candidates next in the list, in the order given.
    pub(crate) fn place(&mut self, stored: impl IntoIterator<Item = u32>) {
        self.order.extend(stored);
    }
}

/// Candidates stored by number: `NotNamedList::store_all`'s room, or a part of it.
pub(crate) struct Stored<'a> {
    org: &'a mut [u32],
    scheme: &'a mut [u32],
    county: &'a mut [u32],
    reason: &'a mut [u32],
    score: &'a mut [i64],
    stars: &'a mut [u8],
}

impl<'a> Stored<'a> {
    /// The first `mid` candidates' room, and the rest's.
    pub(crate) fn split_at(self, mid: usize) -> (Stored<'a>, Stored<'a>) {
        let (org, org2) = self.org.split_at_mut(mid);
        let (scheme, scheme2) = self.scheme.split_at_mut(mid);
        let (county, county2) = self.county.split_at_mut(mid);
        let (reason, reason2) = self.reason.split_at_mut(mid);
        let (score, score2) = self.score.split_at_mut(mid);
        let (stars, stars2) = self.stars.split_at_mut(mid);
        (
            Stored { org, scheme, county, reason, score, stars },
            Stored { org: org2, scheme: scheme2, county: county2, reason: reason2, score: score2, stars: stars2 },
        )
    }

    /// Stores candidate `k` (counted from this part's first).
    #[inline]
    pub(crate) fn set(&mut self, k: usize, e: Entry) {
        self.org[k] = e.org;
        self.scheme[k] = e.scheme;
        self.county[k] = e.county;
        self.reason[k] = e.reason;
        self.score[k] = e.score.0;
        self.stars[k] = e.stars.map_or(0, Stars::get);
    }

    /// The reasons stored, to renumber.
    pub(crate) fn reasons(&mut self) -> &mut [u32] {
        self.reason
    }
}

impl PartialEq for NotNamedList {
    fn eq(&self, other: &NotNamedList) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for NotNamedList {}

impl FromIterator<NotNamed> for NotNamedList {
    fn from_iter<I: IntoIterator<Item = NotNamed>>(records: I) -> NotNamedList {
        let mut list = NotNamedList::default();
        let mut ids = Texts::default();
        let (mut schemes, mut counties, mut reasons) = (HashMap::new(), HashMap::new(), HashMap::new());
        for n in records {
            ids.push(&n.org_id);
            let number = |seen: &mut HashMap<String, u32>, table: &mut Vec<String>, text: &String| {
                *seen.entry(text.clone()).or_insert_with(|| {
                    table.push(text.clone());
                    table.len() as u32 - 1
                })
            };
            let reason = *reasons.entry(n.reason.clone()).or_insert_with(|| list.add_reason(n.reason.clone()));
            let e = Entry {
                org: list.org.len() as u32,
                scheme: number(&mut schemes, &mut list.schemes, &n.scheme),
                county: number(&mut counties, &mut list.counties, &n.county),
                reason,
                score: n.score,
                stars: n.stars,
            };
            list.push(e, n.rank);
        }
        list.ids = Arc::new(ids);
        list
    }
}

impl Serialize for NotNamedList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for NotNamedList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NotNamedList, D::Error> {
        Ok(Vec::<NotNamed>::deserialize(d)?.into_iter().collect())
    }
}

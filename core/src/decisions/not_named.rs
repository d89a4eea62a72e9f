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
    score: Vec<Points>,
    /// 0 where unrated.
    stars: Vec<u8>,
    /// Rank among the eligible; 0 for a candidate excluded before ranking.
    rank: Vec<u32>,
    /// Where each entry of the list is stored, in the list's order: candidates are stored as
    /// they are met and placed once ranked, so millions are never moved.
    order: Vec<u32>,
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

/// One candidate not named: what `NotNamedList::push` takes (scheme, county and reason by
/// number).
pub(crate) struct Entry {
    /// The organization, by index in the list's ids.
    pub org: u32,
    pub scheme: u32,
    pub county: u32,
    pub reason: u32,
    pub score: Points,
    pub stars: Option<Stars>,
    pub rank: Option<usize>,
}

impl NotNamedList {
    /// An empty list with room for `n` entries, which name organizations, schemes and counties
    /// by their index here.
    pub(crate) fn new(
        ids: Arc<Texts>,
        schemes: Vec<String>,
        counties: Vec<String>,
        designations: Option<Designations>,
        n: usize,
    ) -> NotNamedList {
        NotNamedList {
            ids,
            org: Vec::with_capacity(n),
            scheme: Vec::with_capacity(n),
            county: Vec::with_capacity(n),
            reason: Vec::with_capacity(n),
            score: Vec::with_capacity(n),
            stars: Vec::with_capacity(n),
            rank: Vec::with_capacity(n),
            order: Vec::with_capacity(n),
            schemes,
            counties,
            reasons: Vec::new(),
            designations,
        }
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
        let i = self.order[i] as usize;
        let rank = (self.rank[i] > 0).then_some(self.rank[i] as usize);
        NotNamed {
            org_id: self.ids.get(self.org[i] as usize).to_string(),
            scheme: self.schemes[self.scheme[i] as usize].clone(),
            county: self.counties[self.county[i] as usize].clone(),
            score: self.score[i],
            stars: Stars::new(self.stars[i]),
            eligible: rank.is_some(),
            rank,
            reason: self.words(self.reason[i]),
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

    /// Appends a candidate.
    pub(crate) fn push(&mut self, e: Entry) {
        let stored = self.store(e);
        self.order.push(stored);
    }

    /// Keeps a candidate not yet placed in the list; `place` places it by the number returned.
    pub(crate) fn store(&mut self, e: Entry) -> u32 {
        self.org.push(e.org);
        self.scheme.push(e.scheme);
        self.county.push(e.county);
        self.reason.push(e.reason);
        self.score.push(e.score);
        self.stars.push(e.stars.map_or(0, Stars::get));
        self.rank.push(e.rank.map_or(0, |r| r as u32));
        self.org.len() as u32 - 1
    }

    /// Stored candidate `k`'s score, stars and place (organization, scheme and county).
    pub(crate) fn stored(&self, k: usize) -> (Points, Option<Stars>, Place) {
        let place = Place { org: self.org[k], scheme: self.scheme[k], county: self.county[k] };
        (self.score[k], Stars::new(self.stars[k]), place)
    }

    /// Places stored candidate `k` next in the list: eligible, ranked `rank`, not named for
    /// `reason`.
    pub(crate) fn place_ranked(&mut self, k: u32, rank: usize, reason: u32) {
        self.rank[k as usize] = rank as u32;
        self.reason[k as usize] = reason;
        self.order.push(k);
    }

    /// Places stored candidates next in the list, in the order given.
    pub(crate) fn place(&mut self, stored: impl IntoIterator<Item = u32>) {
        self.order.extend(stored);
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
                rank: n.rank,
            };
            list.push(e);
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

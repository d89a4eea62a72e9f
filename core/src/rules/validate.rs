//! Rule-file checks: every problem in a program file, each with its place, before a `Program`
//! exists. A `Program` that loaded cannot reference an unknown indicator or hold a contradiction.

use crate::error::Problem;
use crate::rules::limits;
use crate::rules::rubric::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Places problems in the file text by finding the quoted ids of their path in order.
pub(super) struct Locator<'a> {
    text: &'a str,
    /// Where each collection starts, searched once: a flood of problems does not rescan the text.
    anchors: RefCell<HashMap<&'static str, Option<usize>>>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(text: &'a str) -> Locator<'a> {
        Locator { text, anchors: RefCell::default() }
    }

    fn anchor(&self, a: &'static str) -> Option<usize> {
        *self.anchors.borrow_mut().entry(a).or_insert_with(|| {
            let needles = [format!("[[{a}]]"), format!("[{a}]"), format!("\"{a}\"")];
            needles.iter().filter_map(|n| self.text.find(n.as_str())).min()
        })
    }

    /// Starts at the collection (`[[schemes]]` in TOML, `"schemes"` in JSON), then finds each
    /// id in turn, skipping `skip` earlier declarations (for an id declared twice). An id is
    /// found where it is declared (`id = "x"`, `"role": "x"`, `stage = "x"`), and only where no
    /// declaration exists at any quoted mention, so `indicator = "x"` never stands for `id = "x"`.
    fn find(&self, anchor: Option<&'static str>, path: &[(&str, usize)]) -> Option<(usize, usize)> {
        let mut pos = anchor.and_then(|a| self.anchor(a)).unwrap_or(0);
        let mut at = anchor.is_some().then_some(pos);
        for (id, skip) in path {
            let needle = format!("\"{id}\"");
            let declared = self.next_declaration(pos, &needle).is_some();
            for _ in 0..=*skip {
                let i = if declared {
                    self.next_declaration(pos, &needle)?
                } else {
                    pos + self.text[pos..].find(&needle)?
                };
                at = Some(i + 1);
                pos = i + needle.len();
            }
        }
        at.map(|i| line_col(self.text, i))
    }

    /// The next `needle` (a quoted id) at or after `pos` that is the value of an `id`, `role` or
    /// `stage` key.
    fn next_declaration(&self, mut pos: usize, needle: &str) -> Option<usize> {
        loop {
            let i = pos + self.text[pos..].find(needle)?;
            let before = self.text[..i].trim_end();
            let key = before.strip_suffix('=').or_else(|| before.strip_suffix(':')).map(str::trim_end);
            let key = key.map(|k| k.strip_suffix('"').unwrap_or(k));
            let keyed = key.is_some_and(|k| {
                ["id", "role", "stage"].iter().any(|name| {
                    k.strip_suffix(name).is_some_and(|rest| {
                        !rest.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                    })
                })
            });
            if keyed {
                return Some(i);
            }
            pos = i + needle.len();
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Checker<'a> {
    file: &'a ProgramFile,
    locator: Option<&'a Locator<'a>>,
    problems: Vec<Problem>,
    /// Problems past `limits::PROBLEMS_LISTED`, counted but not located.
    more: usize,
    indicators: BTreeMap<&'a str, &'a IndicatorDef>,
    events: BTreeSet<&'a str>,
    schemes: HashSet<&'a str>,
    common: HashMap<&'a str, &'a Section>,
}

/// How many times each id has been declared so far: the `nth` of a repeated declaration, in
/// constant time.
#[derive(Default)]
struct Seen<'a>(HashMap<&'a str, usize>);

impl<'a> Seen<'a> {
    fn nth(&mut self, id: &'a str) -> usize {
        let n = self.0.entry(id).or_insert(0);
        *n += 1;
        *n - 1
    }
}

/// Where a problem is: a step (`criterion job_fairs`) inside its parent's place. Cheap to make
/// for every item of a large file; the words and the ids that find it in the text are put
/// together only when a problem is reported.
struct Place<'p, 'a> {
    parent: Option<&'p Place<'p, 'a>>,
    anchor: Option<&'static str>,
    /// What kind of item the step is ("criterion"); empty for a named part ("bands").
    what: &'p str,
    /// The step's words where they are not its id (`6★`, a standing's name, a part's name).
    text: Option<String>,
    /// The id that finds the step in the text, and which occurrence of it (0-based).
    id: Option<(&'a str, usize)>,
}

impl<'p, 'a> Place<'p, 'a> {
    fn root() -> Place<'p, 'a> {
        Place { parent: None, anchor: None, what: "", text: None, id: None }
    }
    /// A top-level part of the file without an id (`settings`, `bands`), found at its header.
    fn part(name: &'static str) -> Place<'p, 'a> {
        Place { anchor: Some(name), text: Some(name.to_string()), ..Place::root() }
    }
    /// The collection `anchor` itself, without words of its own (`vetoes`).
    fn anchored(anchor: &'static str) -> Place<'p, 'a> {
        Place { anchor: Some(anchor), ..Place::root() }
    }
    /// A top-level item of collection `anchor`, the `nth` (0-based) with this id.
    fn top(what: &'p str, anchor: &'static str, id: &'a str, nth: usize) -> Place<'p, 'a> {
        Place { anchor: Some(anchor), what, id: Some((id, nth)), ..Place::root() }
    }
    fn then<'q>(&'q self, what: &'q str, id: &'a str) -> Place<'q, 'a> {
        self.nth(what, id, 0)
    }
    /// The `nth` (0-based) item with this id inside this place.
    fn nth<'q>(&'q self, what: &'q str, id: &'a str, nth: usize) -> Place<'q, 'a> {
        Place { parent: Some(self), anchor: self.anchor, what, text: None, id: Some((id, nth)) }
    }
    /// More words for a place the text cannot pin down further (a band has no id).
    fn labeled<'q>(&'q self, what: &'q str, text: impl Into<String>) -> Place<'q, 'a> {
        Place { parent: Some(self), anchor: self.anchor, what, text: Some(text.into()), id: None }
    }
    fn steps(&self) -> Vec<&Place<'p, 'a>> {
        let mut steps = vec![self];
        while let Some(p) = steps.last().and_then(|p| p.parent) {
            steps.push(p);
        }
        steps.reverse();
        steps
    }
    /// "scheme relocation_follow_up, criterion job_fairs".
    fn words(&self) -> String {
        let words = self.steps().into_iter().filter_map(|s| {
            let text = s.text.as_deref().or(s.id.map(|i| i.0)).filter(|t| !t.is_empty())?;
            Some(if s.what.is_empty() { text.to_string() } else { format!("{} {text}", s.what) })
        });
        words.collect::<Vec<_>>().join(", ")
    }
    fn ids(&self) -> Vec<(&'a str, usize)> {
        self.steps().into_iter().filter_map(|s| s.id).collect()
    }
}

pub(super) fn check(file: &ProgramFile, locator: Option<&Locator<'_>>) -> Vec<Problem> {
    let mut c = Checker {
        file,
        locator,
        problems: Vec::new(),
        more: 0,
        indicators: BTreeMap::new(),
        events: BTreeSet::new(),
        schemes: file.schemes.iter().map(|s| s.id.as_str()).collect(),
        common: file.common_sections.iter().rev().map(|s| (s.id.as_str(), s)).collect(),
    };
    c.program();
    if c.more > 0 {
        let message = format!("… and {} more problem(s)", c.more);
        c.problems.push(Problem { place: String::new(), message, line: None, column: None });
    }
    c.problems
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && s.as_bytes()[0].is_ascii_lowercase()
}

/// Points in a rule file are whole hundredths at most.
fn is_hundredths(x: f64) -> bool {
    x.is_finite() && ((x * 100.0).round() - x * 100.0).abs() < 1e-6
}

impl<'a> Checker<'a> {
    fn problem(&mut self, place: &Place<'_, '_>, message: impl Into<String>) {
        if self.problems.len() >= limits::PROBLEMS_LISTED {
            self.more += 1;
            return;
        }
        let (line, column) = match self.locator.and_then(|l| l.find(place.anchor, &place.ids())) {
            Some((l, c)) => (Some(l), Some(c)),
            None => (None, None),
        };
        self.problems.push(Problem { place: place.words(), message: message.into(), line, column });
    }

    /// A number of points: within `limits::POINTS`, in whole hundredths, and above 0 where
    /// `positive`.
    fn points(&mut self, place: &Place<'_, '_>, name: &str, x: f64, positive: bool) -> bool {
        let (lo, hi) = (*limits::POINTS.start(), *limits::POINTS.end());
        let ok = x.is_finite() && x >= lo && x <= hi && is_hundredths(x) && (!positive || x > 0.0);
        if !ok {
            let hi = limits::show(hi);
            let message = if positive {
                format!("{name} {} must be above 0, in hundredths at most, and at most {hi} points", limits::show(x))
            } else {
                format!("{name} {} must be 0 to {hi} points, in hundredths at most", limits::show(x))
            };
            self.problem(place, message);
        }
        ok
    }

    /// Any other number of a rule file: finite and within ±`limits::VALUE`.
    fn value(&mut self, place: &Place<'_, '_>, name: &str, x: f64) -> bool {
        let ok = x.is_finite() && x.abs() <= limits::VALUE;
        if !ok {
            self.problem(
                place,
                format!("{name} {} must be a finite number within ±{:e}", limits::show(x), limits::VALUE),
            );
        }
        ok
    }

    /// A whole number of something within `range`.
    fn within<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        place: &Place<'_, '_>,
        name: &str,
        x: T,
        range: std::ops::RangeInclusive<T>,
    ) {
        if !range.contains(&x) {
            self.problem(place, format!("{name} {x} must be {} to {}", range.start(), range.end()));
        }
    }

    fn id(&mut self, place: &Place<'_, '_>, what: &str, id: &str) {
        if !is_identifier(id) {
            self.problem(
                place,
                format!("{what} id `{id}` must be lower-case letters, digits and _, starting with a letter"),
            );
        }
    }

    fn program(&mut self) {
        let f = self.file;
        let root = Place::root();
        self.id(&Place::top("program", "program", &f.program.id, 0), "program", &f.program.id);
        let settings = Place::part("settings");
        self.within(&settings, "reward_pool_fen", f.settings.reward_pool_fen, limits::FEN);
        self.within(&settings, "selection_target", f.settings.selection_target, 0..=limits::HEADCOUNT);
        self.within(&settings, "appeal_days", f.settings.appeal_days, 1..=*limits::DAYS.end());
        self.within(&settings, "review_days", f.settings.review_days, 1..=*limits::DAYS.end());
        self.within(&settings, "title_term_years", f.settings.title_term_years, limits::TITLE_TERM_YEARS);
        let mut seen = Seen::default();
        for ind in f.indicators.iter() {
            let nth = seen.nth(&ind.id);
            let p = Place::top("indicator", "indicators", &ind.id, nth);
            self.id(&p, "indicator", &ind.id);
            if self.indicators.insert(&ind.id, ind).is_some() {
                self.problem(&p, "declared twice");
            }
            for (name, b) in [("min", ind.min), ("max", ind.max)] {
                if let Some(x) = b {
                    self.value(&p, name, x);
                }
            }
            if let (Some(lo), Some(hi)) = (ind.min, ind.max)
                && lo >= hi
            {
                self.problem(&p, format!("min {lo} must be below max {hi}"));
            }
        }
        let mut seen = Seen::default();
        for ev in f.events.iter() {
            let nth = seen.nth(&ev.id);
            let p = Place::top("event", "events", &ev.id, nth);
            self.id(&p, "event", &ev.id);
            if self.indicators.contains_key(ev.id.as_str()) {
                self.problem(&p, "an indicator has the same id; events and indicators share one namespace");
            }
            if !self.events.insert(&ev.id) {
                self.problem(&p, "declared twice");
            }
        }
        let max_of_all = f.schemes.iter().map(|s| s.max_points).fold(0.0, f64::max);
        self.bands(&Place::part("bands"), &f.bands, max_of_all.max(100.0));
        for v in &f.vetoes {
            self.trigger(&Place::anchored("vetoes"), "veto", v);
        }
        for v in &f.weak_lax {
            self.trigger(&Place::anchored("weak_lax"), "weak_lax", v);
        }
        let mut common = BTreeSet::new();
        let mut seen = Seen::default();
        for s in f.common_sections.iter() {
            let nth = seen.nth(&s.id);
            let p = Place::top("common section", "common_sections", &s.id, nth);
            if !common.insert(s.id.as_str()) {
                self.problem(&p, "declared twice");
            }
            self.section(&p, s);
        }
        let mut last: Option<Stage> = None;
        for st in &f.stages {
            let name = st.stage.to_string();
            let p = Place::top("stage", "stages", &name, 0);
            if let Some(prev) = last
                && st.stage <= prev
            {
                self.problem(&p, format!("stages must run in order without repeats; it comes after {prev}"));
            }
            last = Some(st.stage);
            self.within(&p, "days", st.days, limits::DAYS);
            if st.working_days && st.days == 0 {
                self.problem(&p, "a limit in working days must be at least 1 day");
            }
        }
        let mut schemes = BTreeSet::new();
        let mut seen = Seen::default();
        for s in f.schemes.iter() {
            let nth = seen.nth(&s.id);
            let p = Place::top("scheme", "schemes", &s.id, nth);
            if !schemes.insert(s.id.as_str()) {
                self.problem(&p, "declared twice");
            }
            self.scheme(&p, s);
        }
        if f.schemes.is_empty() {
            self.problem(&root, "the program has no scheme");
        }
        if let Some(sel) = &f.selection {
            self.selection(sel);
        }
        if let Some(r) = &f.reward {
            self.reward(r);
        }
        if let Some(o) = &f.oversight {
            self.oversight(o);
        }
        if let Some(r) = &f.rectification {
            let p = Place::part("rectification");
            if r.bottom_share.is_some_and(|b| !(0.0..=1.0).contains(&b)) {
                self.problem(&p, "bottom_share must be between 0 and 1");
            }
            self.points(&p, "pass_mark", r.pass_mark, false);
            self.within(&p, "follow_up_days", r.follow_up_days, limits::DAYS);
        }
    }

    fn oversight(&mut self, o: &'a crate::rules::policy::OversightPolicy) {
        let p = Place::part("oversight");
        let mut ids = BTreeSet::new();
        let mut seen = Seen::default();
        for c in o.cadences.iter() {
            let cp = p.nth("cadence", &c.id, seen.nth(&c.id));
            self.id(&cp, "cadence", &c.id);
            if !ids.insert(c.id.as_str()) {
                self.problem(&cp, "declared twice");
            }
            if c.day.is_some_and(|d| !(1..=31).contains(&d)) {
                self.problem(&cp, "day must be 1 to 31");
            }
            if let Some(i) = &c.indicator {
                self.indicator_ref(&cp, i);
            }
        }
        if let Some(v) = &o.visits {
            self.within(&p, "visits: at_least", v.at_least, limits::VISITS);
            if let Some(i) = &v.indicator {
                self.indicator_ref(&p, i);
            }
        }
        if let Some(i) = &o.tasks_indicator {
            self.indicator_ref(&p, i);
        }
    }

    fn selection(&mut self, sel: &crate::rules::policy::SelectionPolicy) {
        let p = Place::part("selection");
        if sel.min_stars.is_some_and(|s| !(1..=5).contains(&s)) {
            self.problem(&p, "min_stars must be 1 to 5");
        }
        if let Some(s) = sel.min_score {
            self.points(&p, "min_score", s, false);
        }
        self.within(&p, "waiting_list", sel.waiting_list, 0..=limits::HEADCOUNT as usize);
        let mut mins = u64::from(sel.per_scheme.min) * self.file.schemes.len() as u64;
        for (what, l) in [("per_scheme", &sel.per_scheme), ("per_county", &sel.per_county)] {
            self.within(&p, &format!("{what}: min"), l.min, 0..=limits::HEADCOUNT);
            if let Some(m) = l.max {
                self.within(&p, &format!("{what}: max"), m, 0..=limits::HEADCOUNT);
            }
            if l.max.is_some_and(|m| m < l.min) {
                self.problem(&p, format!("{what}: max {} is below min {}", l.max.unwrap_or_default(), l.min));
            }
        }
        let mut seen = BTreeSet::new();
        for l in &sel.scheme_limits {
            let lp = p.labeled("scheme", &l.scheme);
            let known = self.schemes.contains(l.scheme.as_str());
            if !known {
                self.problem(&lp, "unknown scheme");
            }
            self.within(&lp, "min", l.min, 0..=limits::HEADCOUNT);
            if !seen.insert(l.scheme.as_str()) {
                self.problem(&lp, "limited twice");
            }
            if l.max.is_some_and(|m| m < l.min) {
                self.problem(&lp, format!("max {} is below min {}", l.max.unwrap_or_default(), l.min));
            }
            if known {
                mins = mins - u64::from(sel.per_scheme.min) + u64::from(l.min);
            }
        }
        let target = u64::from(self.file.settings.selection_target);
        if mins > target {
            self.problem(&p, format!("per-scheme minimums add up to {mins}, above the selection target {target}"));
        }
        let mut stars = BTreeSet::new();
        for q in &sel.band_quotas {
            let qp = p.labeled("band quota", format!("{}★", q.stars));
            if !(1..=5).contains(&q.stars) || !stars.insert(q.stars) {
                self.problem(&qp, "stars must be 1 to 5, once each");
            }
            if !(q.max_share > 0.0 && q.max_share <= 1.0) {
                self.problem(&qp, format!("max_share {} must be above 0 and at most 1", q.max_share));
            }
        }
        for e in &sel.disqualifying_events {
            self.event_ref(&p, e);
        }
        let f = self.file;
        let sections = || f.common_sections.iter().chain(f.schemes.iter().flat_map(|s| &s.sections));
        for c in &sel.tie_break {
            if !sections().flat_map(|s| &s.criteria).any(|x| &x.id == c) {
                self.problem(&p, format!("tie_break: no scheme has a criterion `{c}`"));
            }
        }
    }

    fn reward(&mut self, r: &'a crate::rules::policy::RewardPolicy) {
        use crate::rules::policy::{RewardKind, Share, Split, SubPoolBy};
        let p = Place::part("reward");
        let kind = r.kind;
        if let Some(f) = r.floor_fen {
            self.within(&p, "floor_fen", f, limits::FEN);
        }
        if let Some(c) = r.cap_fen {
            self.within(&p, "cap_fen", c, 1..=*limits::FEN.end());
        }
        if let (Some(f), Some(c)) = (r.floor_fen, r.cap_fen)
            && f > c
        {
            self.problem(&p, format!("floor_fen {f} is above cap_fen {c}"));
        }
        if let Some(t) = r.threshold {
            self.points(&p, "threshold", t, false);
        }
        // Each kind's own settings, and only its own.
        let only = |field: &str, set: bool, of: RewardKind| {
            (set && kind != of).then(|| format!("{field} applies only to kind = \"{of}\""))
        };
        let score_linked = [r.full_at.is_some(), r.full_fen.is_some(), r.per_point_fen.is_some()];
        let misplaced = [
            only("full_at", score_linked[0], RewardKind::ScoreLinked),
            only("full_fen", score_linked[1], RewardKind::ScoreLinked),
            only("per_point_fen", score_linked[2], RewardKind::ScoreLinked),
            only("base_fen", r.base_fen.is_some(), RewardKind::BasePlusShare),
            only("share", r.share.is_some(), RewardKind::BasePlusShare),
        ];
        for m in misplaced.into_iter().flatten() {
            self.problem(&p, m);
        }
        if kind == RewardKind::ScoreLinked && score_linked.contains(&false) {
            self.problem(&p, "a score_linked reward needs full_at, full_fen and per_point_fen");
        }
        if let Some(x) = r.full_at {
            self.points(&p, "full_at", x, false);
        }
        for (name, x) in [("full_fen", r.full_fen), ("per_point_fen", r.per_point_fen), ("base_fen", r.base_fen)] {
            if let Some(x) = x {
                self.within(&p, name, x, limits::FEN);
            }
        }
        if kind == RewardKind::BasePlusShare {
            if r.base_fen.is_none() {
                self.problem(&p, "a base_plus_share reward needs base_fen");
            }
            if r.floor_fen.is_some() {
                self.problem(
                    &p,
                    "floor_fen does not apply to base_plus_share: every exemplar receives base_fen plus its share",
                );
            }
            if let (Some(b), Some(c)) = (r.base_fen, r.cap_fen)
                && b > c
            {
                self.problem(&p, format!("base_fen {b} is above cap_fen {c}"));
            }
        }
        let by_tier = kind == RewardKind::BasePlusShare && r.share == Some(Share::Tier);
        let mut stars = BTreeSet::new();
        for t in &r.tiers {
            let tp = p.labeled("tier", format!("{}★", t.stars));
            if !(1..=5).contains(&t.stars) || !stars.insert(t.stars) {
                self.problem(&tp, "stars must be 1 to 5, once each");
            }
            match (kind, t.fen, t.weight) {
                (RewardKind::Tiered, Some(f), None) => self.within(&tp, "fen", f, limits::FEN),
                (RewardKind::Tiered, _, _) => self.problem(&tp, "a tiered reward's tier gives fen (and no weight)"),
                (_, None, Some(w)) if by_tier => self.within(&tp, "weight", w, limits::WEIGHT),
                _ if by_tier => self.problem(&tp, "a tier shared by weight gives weight (and no fen)"),
                _ => self.problem(&tp, "tiers apply to a tiered reward or to base_plus_share with share = \"tier\""),
            }
        }
        if (kind == RewardKind::Tiered || by_tier) && r.tiers.is_empty() {
            self.problem(&p, format!("a {} reward needs tiers", if by_tier { "share by tier" } else { "tiered" }));
        }
        if let Some(sp) = &r.sub_pools {
            let sp_place = p.labeled("", "sub_pools");
            match sp.split {
                Split::Named if !sp.shares.is_empty() => {
                    self.problem(&sp_place, "shares are given only with split = \"fixed\"")
                }
                Split::Fixed if sp.shares.is_empty() => self.problem(&sp_place, "split = \"fixed\" needs shares"),
                _ => {}
            }
            let mut seen = BTreeSet::new();
            for s in &sp.shares {
                let sp_share = sp_place.labeled("share", s.of.clone());
                if !seen.insert(s.of.as_str()) {
                    self.problem(&sp_share, "given twice");
                }
                if sp.by == SubPoolBy::Scheme && !self.schemes.contains(s.of.as_str()) {
                    self.problem(&sp_share, format!("no scheme `{}`", s.of));
                }
                self.within(&sp_share, "weight", s.weight, limits::WEIGHT);
            }
        }
    }

    fn scheme(&mut self, p: &Place<'_, 'a>, s: &'a Scheme) {
        self.id(p, "scheme", &s.id);
        self.points(p, "max_points", s.max_points, true);
        if !s.assessors.is_empty() {
            let mut roles = BTreeSet::new();
            let mut sum = 0.0;
            let mut seen = Seen::default();
            for a in s.assessors.iter() {
                let ap = p.nth("assessor", &a.role, seen.nth(&a.role));
                self.id(&ap, "assessor", &a.role);
                if !roles.insert(a.role.as_str()) {
                    self.problem(&ap, "declared twice");
                }
                if !(a.weight.is_finite() && a.weight > 0.0 && a.weight <= 1.0) {
                    self.problem(&ap, format!("weight {} must be above 0 and at most 1", a.weight));
                }
                sum += a.weight;
            }
            if (sum - 1.0).abs() > 1e-9 {
                self.problem(p, format!("assessor weights add up to {sum}, not 1"));
            }
        }
        let mut sections: Vec<&Section> = Vec::new();
        for id in &s.common {
            match self.common.get(id.as_str()) {
                Some(c) => sections.push(c),
                None => self.problem(&p.then("common", id), "no common section has this id"),
            }
        }
        for sec in &s.sections {
            self.section(&p.then("section", &sec.id), sec);
            sections.push(sec);
        }
        if sections.is_empty() {
            self.problem(p, "the scheme has no section");
        }
        let mut section_ids: BTreeMap<&str, usize> = BTreeMap::new();
        let mut criterion_ids: HashMap<&str, usize> =
            HashMap::with_capacity(sections.iter().map(|s| s.criteria.len()).sum());
        for sec in &sections {
            let n = section_ids.entry(sec.id.as_str()).or_insert(0);
            if *n > 0 {
                let place = p.nth("section", &sec.id, *n);
                self.problem(&place, "appears twice in this scheme");
            }
            *n += 1;
            for c in &sec.criteria {
                let n = criterion_ids.entry(c.id.as_str()).or_insert(0);
                if *n > 0 {
                    let place = p.nth("criterion", &c.id, *n);
                    self.problem(&place, "appears twice in this scheme; criterion ids are unique per scheme");
                }
                *n += 1;
            }
        }
        let total: f64 = sections.iter().map(|x| x.max).fold(0.0, |a, b| a + b);
        if s.max_points.is_finite() && (total - s.max_points).abs() > 0.005 {
            self.problem(p, format!("sections add up to {total} points, not the scheme's max_points {}", s.max_points));
        }
        for d in &s.deductions {
            let dp = p.then("deduction", &d.id);
            self.id(&dp, "deduction", &d.id);
            self.event_ref(&dp, &d.event);
            self.points(&dp, "points", d.points, true);
        }
        for v in &s.vetoes {
            self.trigger(p, "veto", v);
        }
        if let Some(b) = &s.bands {
            self.bands(p, b, s.max_points);
        } else {
            self.band_reach(p, &self.file.bands, s.max_points);
        }
        let mut tasks = BTreeSet::new();
        for t in &s.tasks {
            let tp = p.then("task", &t.id);
            self.id(&tp, "task", &t.id);
            if !tasks.insert(t.id.as_str()) {
                self.problem(&tp, "declared twice");
            }
        }
    }

    fn section(&mut self, p: &Place<'_, 'a>, s: &'a Section) {
        self.id(p, "section", &s.id);
        self.points(p, "max", s.max, true);
        if s.criteria.is_empty() {
            self.problem(p, "the section has no criterion");
        }
        let reach: f64 = s.criteria.iter().map(|c| c.points).fold(0.0, |a, b| a + b);
        if reach.is_finite() && reach + 0.005 < s.max {
            self.problem(p, format!("its criteria give at most {reach} of its {} points", s.max));
        }
        let mut seen = Seen(HashMap::with_capacity(s.criteria.len()));
        for c in s.criteria.iter() {
            let nth = seen.nth(&c.id);
            self.criterion(&p.nth("criterion", &c.id, nth), c);
        }
    }

    fn indicator_ref(&mut self, p: &Place<'_, '_>, id: &str) -> Option<&'a IndicatorDef> {
        let found = self.indicators.get(id).copied();
        if found.is_none() {
            self.problem(p, format!("unknown indicator `{id}`"));
        }
        found
    }

    fn event_ref(&mut self, p: &Place<'_, '_>, id: &str) {
        if !self.events.contains(id) {
            self.problem(p, format!("unknown event `{id}`"));
        }
    }

    fn criterion(&mut self, p: &Place<'_, 'a>, c: &'a Criterion) {
        self.id(p, "criterion", &c.id);
        self.points(p, "points", c.points, true);
        match &c.rule {
            Rule::Linear { indicator, floor, target } => {
                if let Some(def) = self.indicator_ref(p, indicator) {
                    self.span(p, def.direction, *floor, *target);
                }
            }
            Rule::Steps { indicator, steps } => {
                let def = self.indicator_ref(p, indicator);
                if steps.is_empty() {
                    self.problem(p, "a step table needs at least one step");
                }
                let mut seen = HashSet::new();
                for (i, st) in steps.iter().enumerate() {
                    let n = i + 1;
                    let threshold = match (st.at_least, st.at_most, def.map(|d| d.direction)) {
                        (Some(x), None, Some(Direction::HigherBetter) | None) => x,
                        (None, Some(x), Some(Direction::LowerBetter) | None) => x,
                        (Some(_), None, Some(Direction::LowerBetter)) => {
                            self.problem(p, format!("step {n}: `{indicator}` is lower-better, so steps use at_most"));
                            continue;
                        }
                        (None, Some(_), Some(Direction::HigherBetter)) => {
                            self.problem(p, format!("step {n}: `{indicator}` is higher-better, so steps use at_least"));
                            continue;
                        }
                        _ => {
                            self.problem(p, format!("step {n} needs exactly one of at_least and at_most"));
                            continue;
                        }
                    };
                    let finite = self.value(p, &format!("step {n}: threshold"), threshold);
                    if !seen.insert(threshold.to_bits()) && finite {
                        self.problem(p, format!("step {n}: threshold {threshold} appears twice"));
                    }
                    if !(st.points >= 0.0 && st.points <= c.points && is_hundredths(st.points)) {
                        self.problem(
                            p,
                            format!(
                                "step {n}: points {} must be between 0 and the criterion's {}",
                                st.points, c.points
                            ),
                        );
                    }
                }
            }
            Rule::YesNo { indicator } => {
                if let Some(def) = self.indicator_ref(p, indicator)
                    && def.kind != IndicatorKind::YesNo
                {
                    self.problem(p, format!("yes_no rule needs a yes_no indicator; `{indicator}` is a {}", def.kind));
                }
            }
            Rule::Deduction(Deduction { counts, per }) => {
                match counts {
                    Counted::Indicator(i) => {
                        self.indicator_ref(p, i);
                    }
                    Counted::Shortfall { indicator, required } => {
                        self.indicator_ref(p, indicator);
                        if !(required.is_finite() && *required > 0.0 && *required <= limits::VALUE) {
                            self.problem(p, format!("required must be a positive number up to {:e}", limits::VALUE));
                        }
                    }
                    Counted::Events(e) => self.event_ref(p, e),
                }
                self.per(p, *per);
            }
            Rule::Bonus { indicator, per } => {
                self.indicator_ref(p, indicator);
                self.per(p, *per);
            }
            Rule::Ratio { numerator, denominator, scale, floor, target } => {
                let num = self.indicator_ref(p, numerator);
                self.indicator_ref(p, denominator);
                if !(scale.is_finite() && *scale > 0.0 && *scale <= limits::SCALE_MAX) {
                    self.problem(
                        p,
                        format!("scale {scale} must be above 0 and at most {}", limits::show(limits::SCALE_MAX)),
                    );
                }
                if let Some(def) = num {
                    self.span(p, def.direction, *floor, *target);
                }
            }
        }
    }

    fn per(&mut self, p: &Place<'_, '_>, per: f64) {
        if !(per.is_finite() && per > 0.0 && per <= limits::PER_MAX) {
            self.problem(p, format!("per {per} must be above 0 and at most {} points", limits::show(limits::PER_MAX)));
        }
    }

    /// A linear span must run the way its indicator's direction says.
    fn span(&mut self, p: &Place<'_, '_>, direction: Direction, floor: f64, target: f64) {
        if !(self.value(p, "floor", floor) & self.value(p, "target", target)) {
            return;
        }
        if direction == Direction::HigherBetter && target <= floor {
            self.problem(p, format!("target {target} is not above floor {floor} (higher is better)"));
        } else if direction == Direction::LowerBetter && target >= floor {
            self.problem(p, format!("target {target} is not below floor {floor} (lower is better)"));
        }
    }

    fn trigger(&mut self, p: &Place<'_, 'a>, what: &str, v: &'a Trigger) {
        let vp = p.then(what, &v.id);
        self.id(&vp, what, &v.id);
        match &v.on {
            Fires::Event(e) => self.event_ref(&vp, e),
            Fires::Indicator { indicator, bound } => {
                self.indicator_ref(&vp, indicator);
                self.bound(&vp, *bound);
            }
        }
        for s in &v.schemes {
            if !self.schemes.contains(s.as_str()) {
                self.problem(&vp, format!("unknown scheme `{s}`"));
            }
        }
    }

    fn bound(&mut self, p: &Place<'_, '_>, b: Bound) {
        if !(b.value().is_finite() && b.value().abs() <= limits::VALUE) {
            self.problem(p, format!("the bound must be a finite number within ±{:e}", limits::VALUE));
        }
    }

    fn bands(&mut self, p: &Place<'_, 'a>, b: &'a Bands, max_points: f64) {
        let mut prev: Option<(u8, f64)> = None;
        let mut sorted: Vec<&StarBand> = b.stars.iter().collect();
        sorted.sort_by_key(|x| std::cmp::Reverse(x.stars));
        for band in sorted {
            let bp = p.labeled("band", format!("{}★", band.stars));
            if !(1..=5).contains(&band.stars) {
                self.problem(&bp, format!("stars {} must be 1 to 5", band.stars));
            }
            self.points(&bp, "min_score", band.min_score, false);
            if let Some((s, m)) = prev {
                if s == band.stars {
                    self.problem(&bp, "declared twice");
                } else if band.min_score >= m {
                    self.problem(&bp, format!("min_score {} must be below the {}★ band's {m}", band.min_score, s));
                }
            }
            prev = Some((band.stars, band.min_score));
            for cond in &band.requires {
                self.condition(&bp, cond);
            }
        }
        let mut prev: Option<(crate::data::model::Standing, f64)> = None;
        let mut sorted: Vec<&StandingBand> = b.standings.iter().collect();
        sorted.sort_by_key(|x| x.standing);
        for band in sorted {
            let bp = p.labeled("standing", band.standing.name_zh());
            self.points(&bp, "min_score", band.min_score, false);
            if let Some((s, m)) = prev {
                if s == band.standing {
                    self.problem(&bp, "declared twice");
                } else if band.min_score >= m {
                    self.problem(&bp, format!("min_score {} must be below {}'s {m}", band.min_score, s.name_zh()));
                }
            }
            prev = Some((band.standing, band.min_score));
            for cond in &band.requires {
                self.condition(&bp, cond);
            }
        }
        if !(1..=5).contains(&b.vetoed_stars) {
            self.problem(p, format!("vetoed_stars {} must be 1 to 5", b.vetoed_stars));
        }
        self.band_reach(p, b, max_points);
    }

    /// A band above the sheet's maximum can never be reached: a contradiction, not a choice.
    fn band_reach(&mut self, p: &Place<'_, '_>, b: &Bands, max_points: f64) {
        let mins = b.stars.iter().map(|s| s.min_score).chain(b.standings.iter().map(|s| s.min_score));
        if let Some(top) = mins.filter(|m| m.is_finite()).reduce(f64::max)
            && top > max_points
        {
            self.problem(p, format!("a band needs {top} points but the sheet gives at most {max_points}"));
        }
    }

    fn condition(&mut self, p: &Place<'_, '_>, c: &Condition) {
        self.indicator_ref(p, &c.indicator);
        self.bound(p, c.bound);
    }
}

//! Rule-file checks: every problem in a program file, each with its place, before a `Program`
//! exists. A `Program` that loaded cannot reference an unknown indicator or hold a contradiction.

use crate::error::Problem;
use crate::rules::language::{Language, Text, text};
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
    /// "scheme relocation_follow_up, criterion job_fairs", or "方案relocation_follow_up，评分项job_fairs".
    fn words(&self, lang: Language) -> String {
        let words = self.steps().into_iter().filter_map(|s| {
            let text = s.text.as_deref().or(s.id.map(|i| i.0)).filter(|t| !t.is_empty())?;
            Some(match (lang, s.what.is_empty()) {
                (Language::Zh, true) => part_zh(text).to_string(),
                (Language::Zh, false) => format!("{}{text}", kind_zh(s.what)),
                (Language::En, true) => text.to_string(),
                (Language::En, false) => format!("{} {text}", s.what),
            })
        });
        words.collect::<Vec<_>>().join(lang.pick("，", ", "))
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
        let more = c.more;
        let message = text!("……另有{more}处问题", "… and {more} more problem(s)");
        c.problems.push(Problem { place: Text::default(), message, line: None, column: None });
    }
    c.problems
}

/// A kind of item of a rule file, in Chinese.
fn kind_zh(what: &str) -> &str {
    match what {
        "program" => "规则",
        "indicator" => "指标",
        "event" => "事件",
        "common section" => "通用板块",
        "common" => "引用通用板块",
        "section" => "板块",
        "criterion" => "评分项",
        "scheme" => "方案",
        "stage" => "环节",
        "assessor" => "考核方",
        "cadence" => "周期",
        "deduction" => "直接扣分项",
        "task" => "任务",
        "veto" => "否决项",
        "weak_lax" => "软弱涣散情形",
        "band" => "星级",
        "standing" => "等次",
        "band quota" => "星级名额",
        "tier" => "档次",
        "share" => "份额",
        other => other,
    }
}

/// A part of a rule file without an id, in Chinese (the table's name follows in brackets).
pub(crate) fn part_zh(part: &str) -> String {
    let zh = match part {
        "program" => "规则信息",
        "settings" => "基本设置",
        "bands" => "评级标准",
        "selection" => "评选",
        "reward" => "奖补",
        "rectification" => "整顿",
        "oversight" => "督导",
        "sub_pools" => "子资金池",
        _ => return part.to_string(),
    };
    format!("{zh}（{part}）")
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
    fn problem(&mut self, place: &Place<'_, '_>, message: Text) {
        if self.problems.len() >= limits::PROBLEMS_LISTED {
            self.more += 1;
            return;
        }
        let (line, column) = match self.locator.and_then(|l| l.find(place.anchor, &place.ids())) {
            Some((l, c)) => (Some(l), Some(c)),
            None => (None, None),
        };
        let place = Text::new(place.words(Language::Zh), place.words(Language::En));
        self.problems.push(Problem { place, message, line, column });
    }

    /// A number of points: within `limits::POINTS`, in whole hundredths, and above 0 where
    /// `positive`.
    fn points(&mut self, place: &Place<'_, '_>, name: &str, x: f64, positive: bool) -> bool {
        let (lo, hi) = (*limits::POINTS.start(), *limits::POINTS.end());
        let ok = x.is_finite() && x >= lo && x <= hi && is_hundredths(x) && (!positive || x > 0.0);
        if !ok {
            let (hi, x) = (limits::show(hi), limits::show(x));
            let message = if positive {
                text!(
                    "{name}为{x}，应大于0、至多精确到0.01分、不超过{hi}分",
                    "{name} {x} must be above 0, in hundredths at most, and at most {hi} points"
                )
            } else {
                text!(
                    "{name}为{x}，应在0至{hi}分之间、至多精确到0.01分",
                    "{name} {x} must be 0 to {hi} points, in hundredths at most"
                )
            };
            self.problem(place, message);
        }
        ok
    }

    /// Any other number of a rule file: finite and within ±`limits::VALUE`.
    fn value(&mut self, place: &Place<'_, '_>, name: &str, x: f64) -> bool {
        let ok = x.is_finite() && x.abs() <= limits::VALUE;
        if !ok {
            let (x, max) = (limits::show(x), limits::VALUE);
            self.problem(
                place,
                text!("{name}为{x}，应为±{max:e}以内的有限数", "{name} {x} must be a finite number within ±{max:e}"),
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
            let (lo, hi) = (range.start(), range.end());
            self.problem(place, text!("{name}为{x}，应在{lo}至{hi}之间", "{name} {x} must be {lo} to {hi}"));
        }
    }

    fn id(&mut self, place: &Place<'_, '_>, what: &str, id: &str) {
        if !is_identifier(id) {
            let zh = kind_zh(what);
            self.problem(
                place,
                text!(
                    "{zh}编号`{id}`只能由小写字母、数字和_组成，并以字母开头",
                    "{what} id `{id}` must be lower-case letters, digits and _, starting with a letter"
                ),
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
                self.problem(&p, text!("重复声明", "declared twice"));
            }
            for (name, b) in [("min", ind.min), ("max", ind.max)] {
                if let Some(x) = b {
                    self.value(&p, name, x);
                }
            }
            if let (Some(lo), Some(hi)) = (ind.min, ind.max)
                && lo >= hi
            {
                self.problem(&p, text!("min {lo}应小于max {hi}", "min {lo} must be below max {hi}"));
            }
        }
        let mut seen = Seen::default();
        for ev in f.events.iter() {
            let nth = seen.nth(&ev.id);
            let p = Place::top("event", "events", &ev.id, nth);
            self.id(&p, "event", &ev.id);
            if self.indicators.contains_key(ev.id.as_str()) {
                self.problem(
                    &p,
                    text!(
                        "与某指标编号相同；事件和指标共用一套编号",
                        "an indicator has the same id; events and indicators share one namespace"
                    ),
                );
            }
            if !self.events.insert(&ev.id) {
                self.problem(&p, text!("重复声明", "declared twice"));
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
                self.problem(&p, text!("重复声明", "declared twice"));
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
                self.problem(
                    &p,
                    text!(
                        "各环节须按顺序、不重复；此环节排在{prev}之后",
                        "stages must run in order without repeats; it comes after {prev}"
                    ),
                );
            }
            last = Some(st.stage);
            self.within(&p, "days", st.days, limits::DAYS);
            if st.working_days && st.days == 0 {
                self.problem(&p, text!("按工作日计的时限至少为1天", "a limit in working days must be at least 1 day"));
            }
        }
        let mut schemes = BTreeSet::new();
        let mut seen = Seen::default();
        for s in f.schemes.iter() {
            let nth = seen.nth(&s.id);
            let p = Place::top("scheme", "schemes", &s.id, nth);
            if !schemes.insert(s.id.as_str()) {
                self.problem(&p, text!("重复声明", "declared twice"));
            }
            self.scheme(&p, s);
        }
        if f.schemes.is_empty() {
            self.problem(&root, text!("本规则没有任何方案", "the program has no scheme"));
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
                self.problem(&p, text!("bottom_share应在0至1之间", "bottom_share must be between 0 and 1"));
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
                self.problem(&cp, text!("重复声明", "declared twice"));
            }
            if c.day.is_some_and(|d| !(1..=31).contains(&d)) {
                self.problem(&cp, text!("day应在1至31之间", "day must be 1 to 31"));
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
            self.problem(&p, text!("min_stars应在1至5之间", "min_stars must be 1 to 5"));
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
                let (max, min) = (l.max.unwrap_or_default(), l.min);
                self.problem(&p, text!("{what}：max {max}小于min {min}", "{what}: max {max} is below min {min}"));
            }
        }
        let mut seen = BTreeSet::new();
        for l in &sel.scheme_limits {
            let lp = p.labeled("scheme", &l.scheme);
            let known = self.schemes.contains(l.scheme.as_str());
            if !known {
                self.problem(&lp, text!("未知方案", "unknown scheme"));
            }
            self.within(&lp, "min", l.min, 0..=limits::HEADCOUNT);
            if !seen.insert(l.scheme.as_str()) {
                self.problem(&lp, text!("名额限制重复设定", "limited twice"));
            }
            if l.max.is_some_and(|m| m < l.min) {
                let (max, min) = (l.max.unwrap_or_default(), l.min);
                self.problem(&lp, text!("max {max}小于min {min}", "max {max} is below min {min}"));
            }
            if known {
                mins = mins - u64::from(sel.per_scheme.min) + u64::from(l.min);
            }
        }
        let target = u64::from(self.file.settings.selection_target);
        if mins > target {
            self.problem(
                &p,
                text!(
                    "各方案最低名额合计{mins}，超过评选总数{target}",
                    "per-scheme minimums add up to {mins}, above the selection target {target}"
                ),
            );
        }
        let mut stars = BTreeSet::new();
        for q in &sel.band_quotas {
            let qp = p.labeled("band quota", format!("{}★", q.stars));
            if !(1..=5).contains(&q.stars) || !stars.insert(q.stars) {
                self.problem(&qp, text!("星级应在1至5之间，且各出现一次", "stars must be 1 to 5, once each"));
            }
            if !(q.max_share > 0.0 && q.max_share <= 1.0) {
                let share = q.max_share;
                self.problem(
                    &qp,
                    text!("max_share为{share}，应大于0且不超过1", "max_share {share} must be above 0 and at most 1"),
                );
            }
        }
        for e in &sel.disqualifying_events {
            self.event_ref(&p, e);
        }
        let f = self.file;
        let sections = || f.common_sections.iter().chain(f.schemes.iter().flat_map(|s| &s.sections));
        for c in &sel.tie_break {
            if !sections().flat_map(|s| &s.criteria).any(|x| &x.id == c) {
                self.problem(
                    &p,
                    text!("tie_break：没有方案含有评分项`{c}`", "tie_break: no scheme has a criterion `{c}`"),
                );
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
            self.problem(&p, text!("floor_fen {f}高于cap_fen {c}", "floor_fen {f} is above cap_fen {c}"));
        }
        if let Some(t) = r.threshold {
            self.points(&p, "threshold", t, false);
        }
        // Each kind's own settings, and only its own.
        let only = |field: &str, set: bool, of: RewardKind| {
            (set && kind != of)
                .then(|| text!("{field}只适用于kind = \"{of}\"", "{field} applies only to kind = \"{of}\""))
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
            self.problem(
                &p,
                text!(
                    "按得分挂钩的奖补须设定full_at、full_fen和per_point_fen",
                    "a score_linked reward needs full_at, full_fen and per_point_fen"
                ),
            );
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
                self.problem(&p, text!("基数加份额的奖补须设定base_fen", "a base_plus_share reward needs base_fen"));
            }
            if r.floor_fen.is_some() {
                self.problem(
                    &p,
                    text!(
                        "floor_fen不适用于base_plus_share：每个先进典型获得base_fen加其份额",
                        "floor_fen does not apply to base_plus_share: every exemplar receives base_fen plus its share"
                    ),
                );
            }
            if let (Some(b), Some(c)) = (r.base_fen, r.cap_fen)
                && b > c
            {
                self.problem(&p, text!("base_fen {b}高于cap_fen {c}", "base_fen {b} is above cap_fen {c}"));
            }
        }
        let by_tier = kind == RewardKind::BasePlusShare && r.share == Some(Share::Tier);
        let mut stars = BTreeSet::new();
        for t in &r.tiers {
            let tp = p.labeled("tier", format!("{}★", t.stars));
            if !(1..=5).contains(&t.stars) || !stars.insert(t.stars) {
                self.problem(&tp, text!("星级应在1至5之间，且各出现一次", "stars must be 1 to 5, once each"));
            }
            match (kind, t.fen, t.weight) {
                (RewardKind::Tiered, Some(f), None) => self.within(&tp, "fen", f, limits::FEN),
                (RewardKind::Tiered, _, _) => self.problem(
                    &tp,
                    text!("分档奖补的档次应给出fen（不给weight）", "a tiered reward's tier gives fen (and no weight)"),
                ),
                (_, None, Some(w)) if by_tier => self.within(&tp, "weight", w, limits::WEIGHT),
                _ if by_tier => self.problem(
                    &tp,
                    text!(
                        "按权重分配的档次应给出weight（不给fen）",
                        "a tier shared by weight gives weight (and no fen)"
                    ),
                ),
                _ => self.problem(
                    &tp,
                    text!(
                        "档次只适用于分档奖补，或share = \"tier\"的base_plus_share",
                        "tiers apply to a tiered reward or to base_plus_share with share = \"tier\""
                    ),
                ),
            }
        }
        if (kind == RewardKind::Tiered || by_tier) && r.tiers.is_empty() {
            let (zh, en) = if by_tier { ("按档次分配份额", "share by tier") } else { ("分档", "tiered") };
            self.problem(&p, text!("{zh}的奖补须给出tiers", "a {en} reward needs tiers"));
        }
        if let Some(sp) = &r.sub_pools {
            let sp_place = p.labeled("", "sub_pools");
            match sp.split {
                Split::Named if !sp.shares.is_empty() => self.problem(
                    &sp_place,
                    text!("只有split = \"fixed\"时才给出shares", "shares are given only with split = \"fixed\""),
                ),
                Split::Fixed if sp.shares.is_empty() => {
                    self.problem(&sp_place, text!("split = \"fixed\"须给出shares", "split = \"fixed\" needs shares"))
                }
                _ => {}
            }
            let mut seen = BTreeSet::new();
            for s in &sp.shares {
                let sp_share = sp_place.labeled("share", s.of.clone());
                if !seen.insert(s.of.as_str()) {
                    self.problem(&sp_share, text!("重复给出", "given twice"));
                }
                if sp.by == SubPoolBy::Scheme && !self.schemes.contains(s.of.as_str()) {
                    let of = &s.of;
                    self.problem(&sp_share, text!("没有方案`{of}`", "no scheme `{of}`"));
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
                    self.problem(&ap, text!("重复声明", "declared twice"));
                }
                if !(a.weight.is_finite() && a.weight > 0.0 && a.weight <= 1.0) {
                    let w = a.weight;
                    self.problem(
                        &ap,
                        text!("weight为{w}，应大于0且不超过1", "weight {w} must be above 0 and at most 1"),
                    );
                }
                sum += a.weight;
            }
            if (sum - 1.0).abs() > 1e-9 {
                self.problem(p, text!("各考核方权重合计{sum}，不等于1", "assessor weights add up to {sum}, not 1"));
            }
        }
        let mut sections: Vec<&Section> = Vec::new();
        for id in &s.common {
            match self.common.get(id.as_str()) {
                Some(c) => sections.push(c),
                None => {
                    self.problem(&p.then("common", id), text!("没有此编号的通用板块", "no common section has this id"))
                }
            }
        }
        for sec in &s.sections {
            self.section(&p.then("section", &sec.id), sec);
            sections.push(sec);
        }
        if sections.is_empty() {
            self.problem(p, text!("该方案没有任何板块", "the scheme has no section"));
        }
        let mut section_ids: BTreeMap<&str, usize> = BTreeMap::new();
        let mut criterion_ids: HashMap<&str, usize> =
            HashMap::with_capacity(sections.iter().map(|s| s.criteria.len()).sum());
        for sec in &sections {
            let n = section_ids.entry(sec.id.as_str()).or_insert(0);
            if *n > 0 {
                let place = p.nth("section", &sec.id, *n);
                self.problem(&place, text!("在本方案中出现两次", "appears twice in this scheme"));
            }
            *n += 1;
            for c in &sec.criteria {
                let n = criterion_ids.entry(c.id.as_str()).or_insert(0);
                if *n > 0 {
                    let place = p.nth("criterion", &c.id, *n);
                    self.problem(
                        &place,
                        text!(
                            "在本方案中出现两次；同一方案内评分项编号不得重复",
                            "appears twice in this scheme; criterion ids are unique per scheme"
                        ),
                    );
                }
                *n += 1;
            }
        }
        let total: f64 = sections.iter().map(|x| x.max).fold(0.0, |a, b| a + b);
        if s.max_points.is_finite() && (total - s.max_points).abs() > 0.005 {
            let max = s.max_points;
            self.problem(
                p,
                text!(
                    "各板块合计{total}分，不等于方案的max_points {max}",
                    "sections add up to {total} points, not the scheme's max_points {max}"
                ),
            );
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
                self.problem(&tp, text!("重复声明", "declared twice"));
            }
        }
    }

    fn section(&mut self, p: &Place<'_, 'a>, s: &'a Section) {
        self.id(p, "section", &s.id);
        self.points(p, "max", s.max, true);
        if s.criteria.is_empty() {
            self.problem(p, text!("该板块没有任何评分项", "the section has no criterion"));
        }
        let reach: f64 = s.criteria.iter().map(|c| c.points).fold(0.0, |a, b| a + b);
        if reach.is_finite() && reach + 0.005 < s.max {
            let max = s.max;
            self.problem(
                p,
                text!(
                    "其评分项最多只能得{reach}分，不足该板块的{max}分",
                    "its criteria give at most {reach} of its {max} points"
                ),
            );
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
            self.problem(p, text!("未知指标`{id}`", "unknown indicator `{id}`"));
        }
        found
    }

    fn event_ref(&mut self, p: &Place<'_, '_>, id: &str) {
        if !self.events.contains(id) {
            self.problem(p, text!("未知事件`{id}`", "unknown event `{id}`"));
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
                    self.problem(p, text!("分档表至少要有一档", "a step table needs at least one step"));
                }
                let mut seen = HashSet::new();
                for (i, st) in steps.iter().enumerate() {
                    let n = i + 1;
                    let threshold = match (st.at_least, st.at_most, def.map(|d| d.direction)) {
                        (Some(x), None, Some(Direction::HigherBetter) | None) => x,
                        (None, Some(x), Some(Direction::LowerBetter) | None) => x,
                        (Some(_), None, Some(Direction::LowerBetter)) => {
                            self.problem(
                                p,
                                text!(
                                    "第{n}档：`{indicator}`越低越好，应使用at_most",
                                    "step {n}: `{indicator}` is lower-better, so steps use at_most"
                                ),
                            );
                            continue;
                        }
                        (None, Some(_), Some(Direction::HigherBetter)) => {
                            self.problem(
                                p,
                                text!(
                                    "第{n}档：`{indicator}`越高越好，应使用at_least",
                                    "step {n}: `{indicator}` is higher-better, so steps use at_least"
                                ),
                            );
                            continue;
                        }
                        _ => {
                            self.problem(
                                p,
                                text!(
                                    "第{n}档须给出at_least和at_most中的一个，且只给一个",
                                    "step {n} needs exactly one of at_least and at_most"
                                ),
                            );
                            continue;
                        }
                    };
                    let finite = self.value(p, &format!("step {n}: threshold"), threshold);
                    if !seen.insert(threshold.to_bits()) && finite {
                        self.problem(
                            p,
                            text!("第{n}档：门槛{threshold}出现两次", "step {n}: threshold {threshold} appears twice"),
                        );
                    }
                    if !(st.points >= 0.0 && st.points <= c.points && is_hundredths(st.points)) {
                        let (points, max) = (st.points, c.points);
                        self.problem(
                            p,
                            text!(
                                "第{n}档：分值{points}应在0至该评分项的{max}分之间",
                                "step {n}: points {points} must be between 0 and the criterion's {max}"
                            ),
                        );
                    }
                }
            }
            Rule::YesNo { indicator } => {
                if let Some(def) = self.indicator_ref(p, indicator)
                    && def.kind != IndicatorKind::YesNo
                {
                    let kind = def.kind;
                    self.problem(
                        p,
                        text!(
                            "yes_no规则须用yes_no类指标；`{indicator}`是{kind}类",
                            "yes_no rule needs a yes_no indicator; `{indicator}` is a {kind}"
                        ),
                    );
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
                            let max = limits::VALUE;
                            self.problem(
                                p,
                                text!(
                                    "required应为不超过{max:e}的正数",
                                    "required must be a positive number up to {max:e}"
                                ),
                            );
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
                    let max = limits::show(limits::SCALE_MAX);
                    self.problem(
                        p,
                        text!(
                            "scale为{scale}，应大于0且不超过{max}",
                            "scale {scale} must be above 0 and at most {max}"
                        ),
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
            let max = limits::show(limits::PER_MAX);
            self.problem(
                p,
                text!("per为{per}，应大于0且不超过{max}分", "per {per} must be above 0 and at most {max} points"),
            );
        }
    }

    /// A linear span must run the way its indicator's direction says.
    fn span(&mut self, p: &Place<'_, '_>, direction: Direction, floor: f64, target: f64) {
        if !(self.value(p, "floor", floor) & self.value(p, "target", target)) {
            return;
        }
        if direction == Direction::HigherBetter && target <= floor {
            self.problem(
                p,
                text!(
                    "target {target}未高于floor {floor}（越高越好）",
                    "target {target} is not above floor {floor} (higher is better)"
                ),
            );
        } else if direction == Direction::LowerBetter && target >= floor {
            self.problem(
                p,
                text!(
                    "target {target}未低于floor {floor}（越低越好）",
                    "target {target} is not below floor {floor} (lower is better)"
                ),
            );
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
                self.problem(&vp, text!("未知方案`{s}`", "unknown scheme `{s}`"));
            }
        }
    }

    fn bound(&mut self, p: &Place<'_, '_>, b: Bound) {
        if !(b.value().is_finite() && b.value().abs() <= limits::VALUE) {
            let max = limits::VALUE;
            self.problem(
                p,
                text!("界限值应为±{max:e}以内的有限数", "the bound must be a finite number within ±{max:e}"),
            );
        }
    }

    fn bands(&mut self, p: &Place<'_, 'a>, b: &'a Bands, max_points: f64) {
        let mut prev: Option<(u8, f64)> = None;
        let mut sorted: Vec<&StarBand> = b.stars.iter().collect();
        sorted.sort_by_key(|x| std::cmp::Reverse(x.stars));
        for band in sorted {
            let bp = p.labeled("band", format!("{}★", band.stars));
            if !(1..=5).contains(&band.stars) {
                let stars = band.stars;
                self.problem(&bp, text!("星级{stars}应在1至5之间", "stars {stars} must be 1 to 5"));
            }
            self.points(&bp, "min_score", band.min_score, false);
            if let Some((s, m)) = prev {
                if s == band.stars {
                    self.problem(&bp, text!("重复声明", "declared twice"));
                } else if band.min_score >= m {
                    let min = band.min_score;
                    self.problem(
                        &bp,
                        text!("min_score {min}应低于{s}★的{m}", "min_score {min} must be below the {s}★ band's {m}"),
                    );
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
                    self.problem(&bp, text!("重复声明", "declared twice"));
                } else if band.min_score >= m {
                    let (min, name) = (band.min_score, s.name_zh());
                    self.problem(
                        &bp,
                        text!("min_score {min}应低于{name}的{m}", "min_score {min} must be below {name}'s {m}"),
                    );
                }
            }
            prev = Some((band.standing, band.min_score));
            for cond in &band.requires {
                self.condition(&bp, cond);
            }
        }
        if !(1..=5).contains(&b.vetoed_stars) {
            let stars = b.vetoed_stars;
            self.problem(p, text!("vetoed_stars为{stars}，应在1至5之间", "vetoed_stars {stars} must be 1 to 5"));
        }
        self.band_reach(p, b, max_points);
    }

    /// A band above the sheet's maximum can never be reached: a contradiction, not a choice.
    fn band_reach(&mut self, p: &Place<'_, '_>, b: &Bands, max_points: f64) {
        let mins = b.stars.iter().map(|s| s.min_score).chain(b.standings.iter().map(|s| s.min_score));
        if let Some(top) = mins.filter(|m| m.is_finite()).reduce(f64::max)
            && top > max_points
        {
            self.problem(
                p,
                text!(
                    "某评级须{top}分，但评分表最多只有{max_points}分",
                    "a band needs {top} points but the sheet gives at most {max_points}"
                ),
            );
        }
    }

    fn condition(&mut self, p: &Place<'_, '_>, c: &Condition) {
        self.indicator_ref(p, &c.indicator);
        self.bound(p, c.bound);
    }
}

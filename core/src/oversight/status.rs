//! Oversight (督导): groups with their cadences, cadres' contact links, records of what happened,
//! and the status as of any date — due, overdue by how many days, completion and on-time rates —
//! with the indicators it yields for the score sheets (dispatches held of due, …).

use crate::data::model::Period;
use crate::data::year::Year;
use crate::error::{Error, Result};
use crate::oversight::calendar::Calendar;
use crate::oversight::schedule::{Window, task_due, windows};
use crate::rules::language::{Text, text};
use crate::rules::program::Program;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a group oversees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// 一链一小组: an industrial chain's working group.
    Chain,
    /// A program area's group.
    Area,
    /// A county's group.
    County,
    /// Any other group.
    Other,
}

/// Organizations overseen together, and the cadences they keep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The group's id.
    pub id: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// What it oversees.
    pub kind: GroupKind,
    /// Its county, for rates per county.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    /// The scheme (area) the group belongs to, for rates per area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The organizations it oversees.
    pub members: Vec<String>,
    /// The cadences (program `oversight.cadences` ids) it keeps.
    pub cadences: Vec<String>,
}

/// A leading cadre's contact point (联系点).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The leading cadre.
    pub cadre: String,
    /// The organization that is the cadre's contact point.
    pub org_id: String,
}

/// What a record says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A group's meeting (dispatch, review, assessment) held.
    Meeting,
    /// A group's inspection held, with its findings.
    Inspection,
    /// An organization's task done.
    Task,
    /// A cadre's visit to a linked organization.
    Visit,
}

/// One thing that happened, as a Rust value or a CSV row
/// `kind,date,group,cadence,org_id,cadre,task,findings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// What happened.
    pub kind: RecordKind,
    /// When.
    #[serde(with = "crate::data::model::date")]
    pub date: NaiveDate,
    /// The group, for meetings and inspections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The cadence a meeting or inspection serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<String>,
    /// The organization, for tasks and visits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The cadre, for visits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadre: Option<String>,
    /// The task (a scheme's task id), for tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// What an inspection found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<String>,
}

/// A period's oversight data: who is overseen how, and what happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Oversight {
    /// The period overseen.
    pub period: Period,
    /// The groups.
    pub groups: Vec<Group>,
    /// The leading cadres' contact points.
    #[serde(default)]
    pub links: Vec<Link>,
    /// What happened, in any order.
    #[serde(default)]
    pub records: Vec<Record>,
}

fn bad(line: Option<u64>, message: Text) -> Error {
    Error::Data { source_name: "oversight".into(), line, message }
}

impl Oversight {
    /// Reads records from CSV (`kind,date,group,cadence,org_id,cadre,task,findings`; empty cells
    /// are absent), appending to `self.records`.
    pub fn read_records_csv(&mut self, reader: impl std::io::Read) -> Result<()> {
        let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
        for (i, row) in rdr.deserialize::<BTreeMap<String, String>>().enumerate() {
            let row = row.map_err(|e| bad(e.position().map(|p| p.line()), Text::parser(&e)))?;
            let line = Some(i as u64 + 2);
            let cell = |k: &str| row.get(k).filter(|v| !v.is_empty()).cloned();
            let kind = cell("kind").ok_or_else(|| bad(line, text!("kind（类型）为空", "kind is empty")))?;
            let kind = kind.parse().map_err(|m: Text| bad(line, m))?;
            let date = cell("date").ok_or_else(|| bad(line, text!("date（日期）为空", "date is empty")))?;
            let date = crate::data::model::parse_date(&date).map_err(|m| bad(line, m))?;
            self.records.push(Record {
                kind,
                date,
                group: cell("group"),
                cadence: cell("cadence"),
                org_id: cell("org_id"),
                cadre: cell("cadre"),
                task: cell("task"),
                findings: cell("findings"),
            });
        }
        Ok(())
    }

    /// Writes the records as CSV, in the columns `read_records_csv` reads.
    pub fn write_records_csv(&self, writer: impl std::io::Write) -> Result<()> {
        let io = |e: csv::Error| Error::Io { path: "oversight records".into(), message: e.to_string() };
        let mut w = csv::Writer::from_writer(writer);
        w.write_record(["kind", "date", "group", "cadence", "org_id", "cadre", "task", "findings"]).map_err(io)?;
        for r in &self.records {
            let o = |x: &Option<String>| x.clone().unwrap_or_default();
            w.write_record([
                r.kind.to_string(),
                r.date.to_string(),
                o(&r.group),
                o(&r.cadence),
                o(&r.org_id),
                o(&r.cadre),
                o(&r.task),
                o(&r.findings),
            ])
            .map_err(io)?;
        }
        w.flush().map_err(|e| Error::Io { path: "oversight records".into(), message: e.to_string() })
    }

    /// Every group, link and record makes sense against the program and the year's organizations.
    pub fn check(&self, program: &Program, year: &Year) -> Result<()> {
        let cadences: BTreeSet<&str> =
            program.file().oversight.iter().flat_map(|o| &o.cadences).map(|c| c.id.as_str()).collect();
        let orgs: BTreeSet<&str> = year.organizations.iter().map(|o| o.org_id.as_str()).collect();
        let mut groups = BTreeMap::new();
        for g in &self.groups {
            let id = &g.id;
            if groups.insert(g.id.as_str(), g).is_some() {
                return Err(bad(None, text!("督导组`{id}`重复声明", "group `{id}` is declared twice")));
            }
            if let Some(c) = g.cadences.iter().find(|c| !cadences.contains(c.as_str())) {
                return Err(bad(None, text!("督导组`{id}`：未知周期`{c}`", "group `{id}`: unknown cadence `{c}`")));
            }
            if let Some(m) = g.members.iter().find(|m| !orgs.contains(m.as_str())) {
                return Err(bad(
                    None,
                    text!("督导组`{id}`：未知成员组织`{m}`", "group `{id}`: unknown member organization `{m}`"),
                ));
            }
            if let Some(a) = g.area.as_ref().filter(|a| program.scheme(a).is_none()) {
                return Err(bad(None, text!("督导组`{id}`：未知领域`{a}`", "group `{id}`: unknown area `{a}`")));
            }
        }
        let links: BTreeSet<(&str, &str)> = self.links.iter().map(|l| (l.cadre.as_str(), l.org_id.as_str())).collect();
        if links.len() != self.links.len() {
            return Err(bad(None, text!("干部与组织的联系关系重复列出", "a cadre–organization link is listed twice")));
        }
        if let Some(l) = self.links.iter().find(|l| !orgs.contains(l.org_id.as_str())) {
            let (cadre, org) = (&l.cadre, &l.org_id);
            return Err(bad(
                None,
                text!("`{cadre}`的联系关系：未知组织`{org}`", "link of `{cadre}`: unknown organization `{org}`"),
            ));
        }
        let tasks: BTreeSet<&str> = program.schemes().iter().flat_map(|s| &s.tasks).map(|t| t.id.as_str()).collect();
        let mut seen = BTreeSet::new();
        for (i, r) in self.records.iter().enumerate() {
            let (n, kind, date, period) = (i + 1, r.kind, r.date, self.period);
            let kind_zh = match kind {
                RecordKind::Meeting => "会议",
                RecordKind::Inspection => "督查",
                RecordKind::Task => "任务",
                RecordKind::Visit => "走访",
            };
            let at = text!("第{n}条记录（{date}的{kind_zh}）", "record {n} ({kind} on {date})");
            let fail = |m: Text| bad(None, Text::new(format!("{}：{}", at.zh, m.zh), format!("{}: {}", at.en, m.en)));
            if !period.contains(date) {
                return Err(fail(text!("日期不在期间{period}内", "dated outside the period {period}")));
            }
            let need = |v: &Option<String>, (zh, en): (&str, &str)| {
                v.clone().ok_or_else(|| fail(text!("须有{zh}", "needs {en}")))
            };
            let key = match r.kind {
                RecordKind::Meeting | RecordKind::Inspection => {
                    let (g, c) = (need(&r.group, ("督导组", "a group"))?, need(&r.cadence, ("周期", "a cadence"))?);
                    let group =
                        groups.get(g.as_str()).ok_or_else(|| fail(text!("未知督导组`{g}`", "unknown group `{g}`")))?;
                    if !group.cadences.contains(&c) {
                        return Err(fail(text!("督导组`{g}`没有`{c}`周期", "group `{g}` does not keep cadence `{c}`")));
                    }
                    (r.kind, g, c, r.date)
                }
                RecordKind::Task => {
                    let (o, t) = (need(&r.org_id, ("组织", "an organization"))?, need(&r.task, ("任务", "a task"))?);
                    if !orgs.contains(o.as_str()) {
                        return Err(fail(text!("未知组织`{o}`", "unknown organization `{o}`")));
                    }
                    if !tasks.contains(t.as_str()) {
                        return Err(fail(text!("未知任务`{t}`", "unknown task `{t}`")));
                    }
                    // A task is done once: the date is not part of its identity.
                    (r.kind, o, t, self.period.days().0)
                }
                RecordKind::Visit => {
                    let (c, o) = (need(&r.cadre, ("干部", "a cadre"))?, need(&r.org_id, ("组织", "an organization"))?);
                    if !links.contains(&(c.as_str(), o.as_str())) {
                        return Err(fail(text!("干部`{c}`与`{o}`没有联系关系", "cadre `{c}` has no link to `{o}`")));
                    }
                    (r.kind, c, o, r.date)
                }
            };
            if !seen.insert(key) {
                return Err(fail(text!("记录重复", "duplicate record")));
            }
        }
        Ok(())
    }
}

/// Where a due item stands on the status date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Done by its due date.
    Done,
    /// Done, `days` after its due date.
    Late {
        /// Days late.
        days: i64,
    },
    /// Not done, `days` past its due date.
    Overdue {
        /// Days overdue.
        days: i64,
    },
    /// Not yet due.
    Pending,
}

/// The kind of a due item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// A group's meeting or inspection of a cadence.
    Cadence,
    /// An organization's task.
    Task,
    /// A leading cadre's visit to a linked organization.
    Visit,
}

/// One thing due: a group's meeting in a window, an organization's task, a visit in a window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    /// Group id, organization id, or `cadre → org`.
    pub subject: String,
    /// What kind of item it is.
    pub kind: DueKind,
    /// Cadence id, task id, or `visit`.
    pub what: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name.
    pub name_en: String,
    /// The subject's county, if known.
    pub county: Option<String>,
    /// The subject's area (scheme), if known.
    pub area: Option<String>,
    /// When it is due (moved to a working day).
    #[serde(with = "crate::data::model::date")]
    pub due: NaiveDate,
    /// When it was done, if it was.
    #[serde(default, with = "crate::data::model::date::option")]
    pub done: Option<NaiveDate>,
    /// Where it stands.
    pub state: State,
}

/// Items due by the status date, how many done, how many on time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    /// A group, county or area.
    pub key: String,
    /// Items due by the status date.
    pub due: u32,
    /// Items done.
    pub done: u32,
    /// Items done by their due date.
    pub on_time: u32,
}

impl Rate {
    /// Done ÷ due (1 when nothing is due).
    pub fn completion(&self) -> f64 {
        if self.due == 0 { 1.0 } else { f64::from(self.done) / f64::from(self.due) }
    }
    /// On time ÷ due (1 when nothing is due).
    pub fn on_time_rate(&self) -> f64 {
        if self.due == 0 { 1.0 } else { f64::from(self.on_time) / f64::from(self.due) }
    }
}

/// Where the oversight rhythm stands on a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// The status date.
    #[serde(with = "crate::data::model::date")]
    pub as_of: NaiveDate,
    /// Every item of the period, by subject then due date.
    pub items: Vec<DueItem>,
    /// Rates per group.
    pub by_group: Vec<Rate>,
    /// Rates per county.
    pub by_county: Vec<Rate>,
    /// Rates per area.
    pub by_area: Vec<Rate>,
    /// Organization → indicator → value, ready to put into its reports' values.
    pub derived: BTreeMap<String, BTreeMap<String, f64>>,
}

/// Fills windows from dated records: each record serves the earliest window that contains it and
/// still needs one; returns, per window, the date it was met.
fn fill(wins: &[Window], dates: &mut [NaiveDate], need: u32) -> Vec<Option<NaiveDate>> {
    dates.sort_unstable();
    let mut got = vec![0u32; wins.len()];
    let mut met = vec![None; wins.len()];
    for d in dates.iter() {
        if let Some(k) = (0..wins.len()).find(|&k| got[k] < need && wins[k].start <= *d && *d <= wins[k].due) {
            got[k] += 1;
            if got[k] == need {
                met[k] = Some(*d);
            }
        }
    }
    met
}

fn state(due: NaiveDate, done: Option<NaiveDate>, as_of: NaiveDate) -> State {
    match done.filter(|d| *d <= as_of) {
        Some(d) if d <= due => State::Done,
        Some(d) => State::Late { days: (d - due).num_days() },
        None if as_of > due => State::Overdue { days: (as_of - due).num_days() },
        None => State::Pending,
    }
}

impl Program {
    /// Where oversight stands on `as_of`: only records dated on or before it count.
    pub fn oversight_status(&self, data: &Oversight, year: &Year, cal: &Calendar, as_of: NaiveDate) -> Result<Status> {
        data.check(self, year)?;
        let policy = self.file().oversight.clone().unwrap_or_default();
        let county: BTreeMap<&str, &str> =
            year.organizations.iter().map(|o| (o.org_id.as_str(), o.county.as_str())).collect();
        let counted = |r: &&Record| r.date <= as_of;
        let mut items = Vec::new();
        let mut derived: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();

        for g in &data.groups {
            for c in policy.cadences.iter().filter(|c| g.cadences.contains(&c.id)) {
                let wins = windows(data.period, c.every, c.day, cal);
                let mut dates: Vec<NaiveDate> = data
                    .records
                    .iter()
                    .filter(counted)
                    .filter(|r| r.group.as_ref() == Some(&g.id) && r.cadence.as_ref() == Some(&c.id))
                    .map(|r| r.date)
                    .collect();
                let met = fill(&wins, &mut dates, 1);
                let mut held_of_due = 0.0;
                for (w, done) in wins.iter().zip(met) {
                    let st = state(w.due, done, as_of);
                    held_of_due += f64::from(u8::from(st == State::Done));
                    items.push(DueItem {
                        subject: g.id.clone(),
                        kind: DueKind::Cadence,
                        what: c.id.clone(),
                        name_zh: format!("{} {}", g.name_zh, c.name_zh),
                        name_en: format!("{} {}", g.name_zh, c.name_en.as_deref().unwrap_or(&c.id)),
                        county: g.county.clone(),
                        area: g.area.clone(),
                        due: w.due,
                        done,
                        state: st,
                    });
                }
                if let Some(ind) = &c.indicator {
                    for m in &g.members {
                        derived.entry(m.clone()).or_default().insert(ind.clone(), held_of_due);
                    }
                }
            }
        }

        for s in self.schemes() {
            let owers: BTreeSet<&str> =
                year.reports.iter().filter(|r| r.scheme == s.id).map(|r| r.org_id.as_str()).collect();
            for t in &s.tasks {
                let due = task_due(data.period.year_number(), t.due, cal).ok_or_else(|| {
                    let (id, due, period) = (&t.id, t.due, data.period);
                    Error::Argument(text!("任务{id}：{period}中没有日期{due}", "task {id}: no date {due} in {period}"))
                })?;
                for org in &owers {
                    let done = data
                        .records
                        .iter()
                        .filter(counted)
                        .find(|r| {
                            r.kind == RecordKind::Task
                                && r.task.as_ref() == Some(&t.id)
                                && r.org_id.as_deref() == Some(org)
                        })
                        .map(|r| r.date);
                    items.push(DueItem {
                        subject: org.to_string(),
                        kind: DueKind::Task,
                        what: t.id.clone(),
                        name_zh: t.name_zh.clone(),
                        name_en: t.name_en.clone().unwrap_or_else(|| t.id.clone()),
                        county: county.get(org).map(|c| c.to_string()),
                        area: Some(s.id.clone()),
                        due,
                        done,
                        state: state(due, done, as_of),
                    });
                }
            }
        }

        if let Some(v) = &policy.visits {
            let wins = windows(data.period, v.every, None, cal);
            let mut links = data.links.clone();
            links.sort();
            for l in &links {
                let mut dates: Vec<NaiveDate> = data
                    .records
                    .iter()
                    .filter(counted)
                    .filter(|r| {
                        r.kind == RecordKind::Visit
                            && r.cadre.as_ref() == Some(&l.cadre)
                            && r.org_id.as_ref() == Some(&l.org_id)
                    })
                    .map(|r| r.date)
                    .collect();
                let made = dates.len() as f64;
                for (w, done) in wins.iter().zip(fill(&wins, &mut dates, v.at_least)) {
                    items.push(DueItem {
                        subject: format!("{} → {}", l.cadre, l.org_id),
                        kind: DueKind::Visit,
                        what: "visit".into(),
                        name_zh: format!("联系点调研（每期至少{}次）", v.at_least),
                        name_en: format!("contact visit (at least {} a window)", v.at_least),
                        county: county.get(l.org_id.as_str()).map(|c| c.to_string()),
                        area: None,
                        due: w.due,
                        done,
                        state: state(w.due, done, as_of),
                    });
                }
                if let Some(ind) = &v.indicator {
                    *derived.entry(l.org_id.clone()).or_default().entry(ind.clone()).or_default() += made;
                }
            }
        }

        if let Some(ind) = &policy.tasks_indicator {
            let mut per: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
            for i in items.iter().filter(|i| i.due <= as_of && i.area.is_some() && i.kind != DueKind::Visit) {
                if year.organizations.iter().any(|o| o.org_id == i.subject) {
                    let e = per.entry(i.subject.as_str()).or_default();
                    e.0 += 1;
                    e.1 += u32::from(i.state == State::Done);
                }
            }
            for (org, (due, on_time)) in per {
                derived
                    .entry(org.to_string())
                    .or_default()
                    .insert(ind.clone(), f64::from(on_time) * 100.0 / f64::from(due));
            }
        }

        items.sort_by(|a, b| (&a.subject, a.due, &a.what).cmp(&(&b.subject, b.due, &b.what)));
        let rates = |key: &dyn Fn(&DueItem) -> Option<String>| -> Vec<Rate> {
            let mut m: BTreeMap<String, Rate> = BTreeMap::new();
            for i in items.iter().filter(|i| i.due <= as_of || i.done.is_some_and(|d| d <= as_of)) {
                if let Some(k) = key(i) {
                    let r = m.entry(k.clone()).or_insert_with(|| Rate { key: k, ..Rate::default() });
                    r.due += 1;
                    r.done += u32::from(matches!(i.state, State::Done | State::Late { .. }));
                    r.on_time += u32::from(i.state == State::Done);
                }
            }
            m.into_values().collect()
        };
        let group_ids: BTreeSet<&str> = data.groups.iter().map(|g| g.id.as_str()).collect();
        Ok(Status {
            as_of,
            by_group: rates(&|i| group_ids.contains(i.subject.as_str()).then(|| i.subject.clone())),
            by_county: rates(&|i| i.county.clone()),
            by_area: rates(&|i| i.area.clone()),
            items,
            derived,
        })
    }
}

crate::data::model::snake_case_text!(GroupKind, "group kind", "督导组类型");
crate::data::model::snake_case_text!(RecordKind, "record kind", "记录类型");
crate::data::model::snake_case_text!(DueKind, "due item kind", "事项类型");

//! Titles and their lifecycle: the selection procedure stage by stage with its time limits (the
//! public notice in working days), conferral, yearly re-review, revocation with claw-back, expiry.

use crate::data::model::Stars;
use crate::decisions::money::Fen;
use crate::error::{Error, Result};
use crate::oversight::calendar::Calendar;
use crate::rules::program::Program;
use crate::rules::rubric::Stage;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One stage of a selection procedure as it ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    /// The stage.
    pub stage: Stage,
    /// The stage's Chinese name.
    pub name_zh: String,
    /// When it started.
    #[serde(with = "crate::data::model::date")]
    pub started: NaiveDate,
    /// The last day of the stage's time limit (for the public notice: its last working day).
    #[serde(with = "crate::data::model::date")]
    pub due: NaiveDate,
    /// Days the stage ran past `due`, known once the next stage starts.
    pub overdue_days: Option<i64>,
    /// The limit is a minimum the stage must run (the public notice), not a deadline.
    pub runs_full_term: bool,
}

/// One organization's way through the program's selection stages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// The organization.
    pub org_id: String,
    /// The scheme it is selected under.
    pub scheme: String,
    /// The stages run so far, in order; never empty.
    pub stages: Vec<StageRecord>,
}

fn lifecycle(subject: String, message: String) -> Error {
    Error::Lifecycle { subject, message }
}

impl Procedure {
    /// Starts the first stage on `date`.
    pub fn start(program: &Program, org_id: &str, scheme: &str, date: NaiveDate, cal: &Calendar) -> Result<Procedure> {
        let subject = format!("procedure of `{org_id}` under `{scheme}`");
        program.scheme(scheme).ok_or_else(|| lifecycle(subject.clone(), "unknown scheme".into()))?;
        let Some(first) = program.file().stages.first() else {
            return Err(lifecycle(subject, "the program defines no procedure stages".into()));
        };
        let mut p = Procedure { org_id: org_id.into(), scheme: scheme.into(), stages: Vec::new() };
        p.push(first, date, cal)?;
        Ok(p)
    }

    fn push(&mut self, def: &crate::rules::rubric::StageDef, date: NaiveDate, cal: &Calendar) -> Result<()> {
        let due = if def.working_days {
            cal.nth_working_day(date, def.days)
        } else {
            date.checked_add_days(chrono::Days::new(u64::from(def.days.saturating_sub(1)))).ok_or_else(|| {
                lifecycle(self.subject(), format!("{} started {date} would end past the calendar", def.stage))
            })?
        };
        self.stages.push(StageRecord {
            stage: def.stage,
            name_zh: def.name_zh.clone(),
            started: date,
            due,
            overdue_days: None,
            runs_full_term: def.stage == Stage::PublicNotice,
        });
        Ok(())
    }

    fn subject(&self) -> String {
        format!("procedure of `{}` under `{}`", self.org_id, self.scheme)
    }

    /// Checks a procedure handed back in (saved by a records system) against the program: a
    /// known scheme, the program's stages in order from the first, dates that run forward.
    pub fn validate(&self, program: &Program) -> Result<()> {
        let bad = |why: String| lifecycle(self.subject(), format!("not a valid saved procedure: {why}"));
        if program.scheme(&self.scheme).is_none() {
            return Err(bad("unknown scheme".into()));
        }
        let defs = &program.file().stages;
        if self.stages.is_empty() {
            return Err(bad("it has no stage".into()));
        }
        if self.stages.len() > defs.len() {
            return Err(bad(format!("it has {} stages, the program {}", self.stages.len(), defs.len())));
        }
        for (i, (r, def)) in self.stages.iter().zip(defs).enumerate() {
            if r.stage != def.stage {
                return Err(bad(format!("stage {} is {}, the program's is {}", i + 1, r.stage, def.stage)));
            }
            if r.due < r.started || r.runs_full_term != (r.stage == Stage::PublicNotice) {
                return Err(bad(format!("{} is not as the procedure recorded it", r.stage)));
            }
            if i > 0 && r.started < self.stages[i - 1].started {
                return Err(bad(format!("{} starts before the stage before it", r.stage)));
            }
            if r.overdue_days.is_some() != (i + 1 < self.stages.len()) {
                return Err(bad(format!("{} is not as the procedure recorded it", r.stage)));
            }
        }
        Ok(())
    }

    /// The stage under way.
    pub fn current(&self) -> &StageRecord {
        self.stages.last().expect("a procedure always has its first stage")
    }

    /// Whether the procedure reached conferral.
    pub fn is_complete(&self) -> bool {
        self.current().stage == Stage::Conferral
    }

    /// Starts the next stage on `date`. The stages run in the program's order; the public notice
    /// must run its full term before anything follows it.
    pub fn advance(&mut self, program: &Program, next: Stage, date: NaiveDate, cal: &Calendar) -> Result<()> {
        let verb = if next == Stage::Conferral { "confer".to_string() } else { format!("start {}", next) };
        let subject = format!("procedure of `{}` under `{}`", self.org_id, self.scheme);
        let refuse = |why: String| lifecycle(subject.clone(), format!("cannot {verb}: {why}"));
        let cur = self.current().clone();
        let stages = &program.file().stages;
        let pos = stages.iter().position(|s| s.stage == cur.stage);
        let Some(def) = pos.and_then(|i| stages.get(i + 1)) else {
            return Err(refuse("the procedure is complete".into()));
        };
        if def.stage != next {
            return Err(refuse(format!("the next stage is {}", def.stage)));
        }
        if date < cur.started {
            return Err(refuse(format!("{} started on {}", cur.stage, cur.started)));
        }
        if cur.runs_full_term && date <= cur.due {
            return Err(refuse(format!("{} ends {}", cur.stage.to_string().replace('_', " "), cur.due)));
        }
        let overdue = (date - cur.due).num_days() - 1;
        if let Some(last) = self.stages.last_mut() {
            last.overdue_days = Some(if cur.runs_full_term { 0 } else { overdue.max(0) });
        }
        self.push(def, date, cal)
    }

    /// Where the procedure stands, in words (for selection's "procedure not complete").
    pub fn status(&self) -> String {
        let c = self.current();
        if self.is_complete() {
            format!("conferred on {}", c.started)
        } else {
            format!("at {} since {}, due {}", c.stage, c.started, c.due)
        }
    }
}

/// Where a title stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleStatus {
    /// Running.
    Active,
    /// Taken back (撤销).
    Revoked,
    /// Past its term.
    Expired,
}

/// A yearly re-review (复核) of a title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The year reviewed.
    pub year: i32,
    /// When it was held.
    #[serde(with = "crate::data::model::date")]
    pub date: NaiveDate,
    /// Whether the title holds.
    pub passed: bool,
    /// The reviewer's note.
    pub note: String,
}

/// Why and when a title was taken back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// When.
    #[serde(with = "crate::data::model::date")]
    pub date: NaiveDate,
    /// The ground, in words.
    pub ground: String,
    /// That year's award, recovered (追回奖金).
    pub clawback: Fen,
}

/// A conferred title (命名授牌) over its term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title {
    /// The organization holding the title.
    pub org_id: String,
    /// The scheme it was named under.
    pub scheme: String,
    /// The title's Chinese name.
    pub name_zh: String,
    /// The star tier named at, if any.
    pub tier: Option<Stars>,
    /// When it was conferred.
    #[serde(with = "crate::data::model::date")]
    pub conferred: NaiveDate,
    /// The first day the title no longer runs.
    #[serde(with = "crate::data::model::date")]
    pub expires: NaiveDate,
    /// Where it stands.
    pub status: TitleStatus,
    /// Reward paid per year.
    pub awards: BTreeMap<i32, Fen>,
    /// Every re-review, oldest first.
    pub reviews: Vec<Review>,
    /// Why it was revoked, if it was.
    pub revocation: Option<Revocation>,
}

impl Title {
    /// Confers a title at the end of a complete procedure, for the program's term.
    pub fn confer(program: &Program, p: &Procedure, name_zh: &str, tier: Option<Stars>) -> Result<Title> {
        let subject = format!("title of `{}` under `{}`", p.org_id, p.scheme);
        if !p.is_complete() {
            return Err(lifecycle(subject, format!("cannot confer: the procedure is {}", p.status())));
        }
        let conferred = p.current().started;
        let years = program.file().settings.title_term_years;
        let expires = conferred
            .checked_add_months(Months::new(12 * years))
            .ok_or_else(|| lifecycle(subject, "the term runs past the calendar".into()))?;
        Ok(Title {
            org_id: p.org_id.clone(),
            scheme: p.scheme.clone(),
            name_zh: name_zh.into(),
            tier,
            conferred,
            expires,
            status: TitleStatus::Active,
            awards: BTreeMap::new(),
            reviews: Vec::new(),
            revocation: None,
        })
    }

    /// The first and last calendar years of the term.
    fn term_years(&self) -> (i32, i32) {
        (self.conferred.year(), self.expires.pred_opt().unwrap_or(self.expires).year())
    }

    /// Checks a title handed back in (saved by a records system) against the program: the
    /// program's term, a revocation exactly when revoked, awards and re-reviews within the term.
    pub fn validate(&self, program: &Program) -> Result<()> {
        let bad = |why: String| lifecycle(self.subject(), format!("not a valid saved title: {why}"));
        if program.scheme(&self.scheme).is_none() {
            return Err(bad("unknown scheme".into()));
        }
        let years = program.file().settings.title_term_years;
        if self.conferred.checked_add_months(Months::new(12 * years)) != Some(self.expires) {
            return Err(bad(format!(
                "conferred {} expires {}, not after the program's {years} years",
                self.conferred, self.expires
            )));
        }
        if (self.status == TitleStatus::Revoked) != self.revocation.is_some() {
            return Err(bad("a title has a revocation exactly when it is revoked".into()));
        }
        let (first, last) = self.term_years();
        if let Some((y, a)) =
            self.awards.iter().find(|(y, a)| !(first..=last).contains(*y) || !crate::rules::limits::FEN.contains(&a.0))
        {
            return Err(bad(format!(
                "the award of {a} yuan for {y} is outside the term {first} to {last} or out of range"
            )));
        }
        let mut years_seen = std::collections::BTreeSet::new();
        for r in &self.reviews {
            if r.year != r.date.year() || r.year <= first || r.date >= self.expires || !years_seen.insert(r.year) {
                return Err(bad(format!("the re-review of {} is not one the title could have had", r.date)));
            }
        }
        Ok(())
    }

    fn subject(&self) -> String {
        format!("title of `{}` under `{}`", self.org_id, self.scheme)
    }

    fn refuse(&self, what: &str, why: impl std::fmt::Display) -> Error {
        lifecycle(format!("title of `{}` under `{}`", self.org_id, self.scheme), format!("cannot {what}: {why}"))
    }

    fn active(&self, what: &str, date: NaiveDate) -> Result<()> {
        match self.status {
            TitleStatus::Active if date < self.conferred => {
                Err(self.refuse(what, format!("conferred on {}", self.conferred)))
            }
            TitleStatus::Active if date >= self.expires => {
                Err(self.refuse(what, format!("the term ended on {}", self.expires)))
            }
            TitleStatus::Active => Ok(()),
            TitleStatus::Revoked => Err(self.refuse(what, "the title was revoked")),
            TitleStatus::Expired => Err(self.refuse(what, "the title expired")),
        }
    }

    /// Records the award paid for a year of the title's term (the conferral year to the year of
    /// its last day).
    pub fn record_award(&mut self, year: i32, amount: Fen) -> Result<()> {
        let what = "record an award";
        match self.status {
            TitleStatus::Active => {}
            TitleStatus::Revoked => return Err(self.refuse(what, "the title was revoked")),
            TitleStatus::Expired => return Err(self.refuse(what, "the title expired")),
        }
        let (first, last) = self.term_years();
        if !(first..=last).contains(&year) {
            return Err(self.refuse(what, format!("{year} is outside the title's term, {first} to {last}")));
        }
        if !crate::rules::limits::FEN.contains(&amount.0) {
            return Err(self.refuse(what, format!("the amount must be 0 to {} fen", crate::rules::limits::FEN.end())));
        }
        if self.awards.contains_key(&year) {
            return Err(self.refuse("record an award", format!("{year}'s award is recorded")));
        }
        self.awards.insert(year, amount);
        Ok(())
    }

    /// The yearly re-review (复评) in the years after conferral; failing it revokes the title.
    pub fn re_review(&mut self, date: NaiveDate, passed: bool, note: &str) -> Result<()> {
        self.active("re-review", date)?;
        if date.year() <= self.conferred.year() {
            return Err(self.refuse("re-review", format!("the first re-review is in {}", self.conferred.year() + 1)));
        }
        if self.reviews.iter().any(|r| r.year == date.year()) {
            return Err(self.refuse("re-review", format!("{} was already re-reviewed", date.year())));
        }
        self.reviews.push(Review { year: date.year(), date, passed, note: note.into() });
        if !passed {
            self.revoke(date, &format!("failed the {} re-review: {note}", date.year()))?;
        }
        Ok(())
    }

    /// Revokes the title (撤销、摘牌): on a veto event, a failed re-review, falsified results, a
    /// wrong procedure or a serious offence. That year's award is recorded as clawed back.
    pub fn revoke(&mut self, date: NaiveDate, ground: &str) -> Result<&Revocation> {
        self.active("revoke", date)?;
        let clawback = self.awards.get(&date.year()).copied().unwrap_or(Fen::ZERO);
        self.status = TitleStatus::Revoked;
        Ok(self.revocation.insert(Revocation { date, ground: ground.into(), clawback }))
    }

    /// Revokes the title when the organization's evaluation under the title's scheme was vetoed
    /// (一票否决); returns the revocation, or None when there was no veto.
    pub fn revoke_if_vetoed(
        &mut self,
        e: &crate::scoring::evaluate::Evaluation,
        date: NaiveDate,
    ) -> Result<Option<&Revocation>> {
        if e.org_id != self.org_id || e.scheme != self.scheme {
            return Err(
                self.refuse("check vetoes", format!("the evaluation is of `{}` under `{}`", e.org_id, e.scheme))
            );
        }
        if !e.vetoed {
            return Ok(None);
        }
        let reasons: Vec<&str> = e.vetoes.iter().map(|v| v.reason.as_str()).collect();
        self.revoke(date, &reasons.join("; ")).map(Some)
    }

    /// Ends the title at its term (on or after `expires`).
    pub fn expire(&mut self, date: NaiveDate) -> Result<()> {
        if self.status != TitleStatus::Active {
            return self.active("expire", date);
        }
        if date < self.expires {
            return Err(self.refuse("expire", format!("the term runs until {}", self.expires)));
        }
        self.status = TitleStatus::Expired;
        Ok(())
    }
}

crate::data::model::snake_case_text!(TitleStatus, "title status");

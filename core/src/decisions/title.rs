//! Titles and their lifecycle: the selection procedure stage by stage with its time limits (the
//! public notice in working days), conferral, yearly re-review, revocation with claw-back, expiry.

use crate::data::model::Stars;
use crate::decisions::money::Fen;
use crate::error::{Error, Result};
use crate::oversight::calendar::Calendar;
use crate::rules::language::{Language, Text, text};
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

fn lifecycle(subject: Text, message: Text) -> Error {
    Error::Lifecycle { subject, message }
}

/// "cannot {what}: {why}", in both languages.
fn cannot((zh, en): Act, why: Text) -> Text {
    Text::new(format!("不能{zh}：{}", why.zh), format!("cannot {en}: {}", why.en))
}

/// What a procedure or title is asked to do, in Chinese and English, for its refusals.
type Act = (&'static str, &'static str);

/// A stage's Chinese name as the program has it (its id where the program does not list it).
fn stage_zh(program: &Program, stage: Stage) -> String {
    program.file().stages.iter().find(|d| d.stage == stage).map_or_else(|| stage.to_string(), |d| d.name_zh.clone())
}

fn procedure_subject(org: &str, scheme: &str) -> Text {
    text!("`{org}`在方案`{scheme}`下的评选程序", "procedure of `{org}` under `{scheme}`")
}

fn title_subject(org: &str, scheme: &str) -> Text {
    text!("`{org}`在方案`{scheme}`下的称号", "title of `{org}` under `{scheme}`")
}

impl Procedure {
    /// Starts the first stage on `date`.
    pub fn start(program: &Program, org_id: &str, scheme: &str, date: NaiveDate, cal: &Calendar) -> Result<Procedure> {
        let subject = procedure_subject(org_id, scheme);
        program.scheme(scheme).ok_or_else(|| lifecycle(subject.clone(), text!("未知方案", "unknown scheme")))?;
        let Some(first) = program.file().stages.first() else {
            return Err(lifecycle(
                subject,
                text!("本规则未规定评选程序的环节", "the program defines no procedure stages"),
            ));
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
                let (zh, en) = (&def.name_zh, def.stage);
                lifecycle(
                    self.subject(),
                    text!("{zh}环节自{date}开始将超出日历范围", "{en} started {date} would end past the calendar"),
                )
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

    fn subject(&self) -> Text {
        procedure_subject(&self.org_id, &self.scheme)
    }

    /// Checks a procedure handed back in (saved by a records system) against the program: a
    /// known scheme, the program's stages in order from the first, dates that run forward.
    pub fn validate(&self, program: &Program) -> Result<()> {
        let bad = |why: Text| {
            lifecycle(
                self.subject(),
                Text::new(
                    format!("不是有效的已保存程序：{}", why.zh),
                    format!("not a valid saved procedure: {}", why.en),
                ),
            )
        };
        if program.scheme(&self.scheme).is_none() {
            return Err(bad(text!("未知方案", "unknown scheme")));
        }
        let defs = &program.file().stages;
        if self.stages.is_empty() {
            return Err(bad(text!("没有任何环节", "it has no stage")));
        }
        let (has, defined) = (self.stages.len(), defs.len());
        if has > defined {
            return Err(bad(text!(
                "有{has}个环节，本规则只有{defined}个",
                "it has {has} stages, the program {defined}"
            )));
        }
        for (i, (r, def)) in self.stages.iter().zip(defs).enumerate() {
            let (n, stage, stage_zh) = (i + 1, r.stage, &r.name_zh);
            let not_recorded =
                || bad(text!("{stage_zh}环节与程序记录不符", "{stage} is not as the procedure recorded it"));
            if r.stage != def.stage {
                let (want, want_zh) = (def.stage, &def.name_zh);
                return Err(bad(text!(
                    "第{n}个环节是{stage_zh}，本规则规定为{want_zh}",
                    "stage {n} is {stage}, the program's is {want}"
                )));
            }
            if r.due < r.started || r.runs_full_term != (r.stage == Stage::PublicNotice) {
                return Err(not_recorded());
            }
            if i > 0 && r.started < self.stages[i - 1].started {
                return Err(bad(text!("{stage_zh}环节早于前一环节开始", "{stage} starts before the stage before it")));
            }
            if r.overdue_days.is_some() != (i + 1 < self.stages.len()) {
                return Err(not_recorded());
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
        let next_zh = stage_zh(program, next);
        let (verb_zh, verb_en) = match next {
            Stage::Conferral => ("命名授牌".to_string(), "confer".to_string()),
            _ => (format!("开始{next_zh}环节"), format!("start {next}")),
        };
        let subject = self.subject();
        let refuse = |why: Text| {
            lifecycle(
                subject.clone(),
                Text::new(format!("不能{verb_zh}：{}", why.zh), format!("cannot {verb_en}: {}", why.en)),
            )
        };
        let cur = self.current().clone();
        let stages = &program.file().stages;
        let pos = stages.iter().position(|s| s.stage == cur.stage);
        let Some(def) = pos.and_then(|i| stages.get(i + 1)) else {
            return Err(refuse(text!("程序已完成", "the procedure is complete")));
        };
        if def.stage != next {
            let (want, want_zh) = (def.stage, &def.name_zh);
            return Err(refuse(text!("下一环节是{want_zh}", "the next stage is {want}")));
        }
        let (stage, stage_zh, started, due) = (cur.stage, &cur.name_zh, cur.started, cur.due);
        if date < started {
            return Err(refuse(text!("{stage_zh}环节于{started}开始", "{stage} started on {started}")));
        }
        if cur.runs_full_term && date <= due {
            let stage = stage.to_string().replace('_', " ");
            return Err(refuse(text!("{stage_zh}期至{due}结束", "{stage} ends {due}")));
        }
        let overdue = (date - cur.due).num_days() - 1;
        if let Some(last) = self.stages.last_mut() {
            last.overdue_days = Some(if cur.runs_full_term { 0 } else { overdue.max(0) });
        }
        self.push(def, date, cal)
    }

    /// Where the procedure stands, in words (for selection's "procedure not complete").
    pub fn status(&self, lang: Language) -> String {
        let c = self.current();
        let (stage, stage_zh, started, due) = (c.stage, &c.name_zh, c.started, c.due);
        match (lang, self.is_complete()) {
            (Language::Zh, true) => format!("已于{started}命名授牌"),
            (Language::En, true) => format!("conferred on {started}"),
            (Language::Zh, false) => format!("自{started}起处于{stage_zh}环节，时限至{due}"),
            (Language::En, false) => format!("at {stage} since {started}, due {due}"),
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
        let subject = title_subject(&p.org_id, &p.scheme);
        if !p.is_complete() {
            let (zh, en) = (p.status(Language::Zh), p.status(Language::En));
            return Err(lifecycle(subject, text!("不能命名授牌：该程序{zh}", "cannot confer: the procedure is {en}")));
        }
        let conferred = p.current().started;
        let years = program.file().settings.title_term_years;
        let expires = conferred
            .checked_add_months(Months::new(12 * years))
            .ok_or_else(|| lifecycle(subject, text!("称号有效期超出日历范围", "the term runs past the calendar")))?;
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
        let bad = |why: Text| {
            lifecycle(
                self.subject(),
                Text::new(format!("不是有效的已保存称号：{}", why.zh), format!("not a valid saved title: {}", why.en)),
            )
        };
        if program.scheme(&self.scheme).is_none() {
            return Err(bad(text!("未知方案", "unknown scheme")));
        }
        let years = program.file().settings.title_term_years;
        let (conferred, expires) = (self.conferred, self.expires);
        if conferred.checked_add_months(Months::new(12 * years)) != Some(expires) {
            return Err(bad(text!(
                "{conferred}命名、{expires}到期，与本规则的{years}年有效期不符",
                "conferred {conferred} expires {expires}, not after the program's {years} years"
            )));
        }
        if (self.status == TitleStatus::Revoked) != self.revocation.is_some() {
            return Err(bad(text!(
                "称号只有在被撤销时才有撤销记录",
                "a title has a revocation exactly when it is revoked"
            )));
        }
        let (first, last) = self.term_years();
        if let Some((y, a)) =
            self.awards.iter().find(|(y, a)| !(first..=last).contains(*y) || !crate::rules::limits::FEN.contains(&a.0))
        {
            return Err(bad(text!(
                "{y}年的奖补{a}元不在有效期{first}年至{last}年内，或超出范围",
                "the award of {a} yuan for {y} is outside the term {first} to {last} or out of range"
            )));
        }
        let mut years_seen = std::collections::BTreeSet::new();
        for r in &self.reviews {
            if r.year != r.date.year() || r.year <= first || r.date >= self.expires || !years_seen.insert(r.year) {
                let on = r.date;
                return Err(bad(text!(
                    "{on}的复评不可能发生在该称号上",
                    "the re-review of {on} is not one the title could have had"
                )));
            }
        }
        Ok(())
    }

    fn subject(&self) -> Text {
        title_subject(&self.org_id, &self.scheme)
    }

    fn refuse(&self, what: Act, why: Text) -> Error {
        lifecycle(self.subject(), cannot(what, why))
    }

    /// Refused unless the title is active on `date`.
    fn active(&self, what: Act, date: NaiveDate) -> Result<()> {
        let (conferred, expires) = (self.conferred, self.expires);
        match self.status {
            TitleStatus::Active if date < conferred => {
                Err(self.refuse(what, text!("称号于{conferred}命名", "conferred on {conferred}")))
            }
            TitleStatus::Active if date >= expires => {
                Err(self.refuse(what, text!("有效期已于{expires}届满", "the term ended on {expires}")))
            }
            TitleStatus::Active => Ok(()),
            TitleStatus::Revoked => Err(self.refuse(what, text!("称号已被撤销", "the title was revoked"))),
            TitleStatus::Expired => Err(self.refuse(what, text!("称号已到期", "the title expired"))),
        }
    }

    /// Records the award paid for a year of the title's term (the conferral year to the year of
    /// its last day).
    pub fn record_award(&mut self, year: i32, amount: Fen) -> Result<()> {
        const WHAT: Act = ("登记奖补", "record an award");
        match self.status {
            TitleStatus::Active => {}
            TitleStatus::Revoked => return Err(self.refuse(WHAT, text!("称号已被撤销", "the title was revoked"))),
            TitleStatus::Expired => return Err(self.refuse(WHAT, text!("称号已到期", "the title expired"))),
        }
        let (first, last) = self.term_years();
        if !(first..=last).contains(&year) {
            return Err(self.refuse(
                WHAT,
                text!(
                    "{year}年不在称号有效期{first}年至{last}年内",
                    "{year} is outside the title's term, {first} to {last}"
                ),
            ));
        }
        if !crate::rules::limits::FEN.contains(&amount.0) {
            let max = crate::rules::limits::FEN.end();
            return Err(self.refuse(WHAT, text!("金额应在0至{max}分之间", "the amount must be 0 to {max} fen")));
        }
        if self.awards.contains_key(&year) {
            return Err(self.refuse(WHAT, text!("{year}年的奖补已登记", "{year}'s award is recorded")));
        }
        self.awards.insert(year, amount);
        Ok(())
    }

    /// The yearly re-review (复评) in the years after conferral; failing it revokes the title,
    /// its ground worded in `lang`.
    pub fn re_review(&mut self, date: NaiveDate, passed: bool, note: &str, lang: Language) -> Result<()> {
        const WHAT: Act = ("复评", "re-review");
        self.active(WHAT, date)?;
        let (year, first) = (date.year(), self.conferred.year() + 1);
        if year < first {
            return Err(self.refuse(WHAT, text!("首次复评在{first}年", "the first re-review is in {first}")));
        }
        if self.reviews.iter().any(|r| r.year == year) {
            return Err(self.refuse(WHAT, text!("{year}年已复评", "{year} was already re-reviewed")));
        }
        self.reviews.push(Review { year, date, passed, note: note.into() });
        if !passed {
            let ground = match lang {
                Language::Zh => format!("{year}年复评未通过：{note}"),
                Language::En => format!("failed the {year} re-review: {note}"),
            };
            self.revoke(date, &ground)?;
        }
        Ok(())
    }

    /// Revokes the title (撤销、摘牌): on a veto event, a failed re-review, falsified results, a
    /// wrong procedure or a serious offence. That year's award is recorded as clawed back.
    pub fn revoke(&mut self, date: NaiveDate, ground: &str) -> Result<&Revocation> {
        self.active(("撤销", "revoke"), date)?;
        let clawback = self.awards.get(&date.year()).copied().unwrap_or(Fen::ZERO);
        self.status = TitleStatus::Revoked;
        Ok(self.revocation.insert(Revocation { date, ground: ground.into(), clawback }))
    }

    /// Revokes the title when the organization's evaluation under the title's scheme was vetoed
    /// (一票否决); returns the revocation, or None when there was no veto. The ground is the
    /// vetoes' reasons (worded in the evaluating program's `lang`).
    pub fn revoke_if_vetoed(
        &mut self,
        e: &crate::scoring::evaluate::Evaluation,
        date: NaiveDate,
        lang: Language,
    ) -> Result<Option<&Revocation>> {
        if e.org_id != self.org_id || e.scheme != self.scheme {
            let (org, scheme) = (&e.org_id, &e.scheme);
            return Err(self.refuse(
                ("核查一票否决", "check vetoes"),
                text!("该评价是`{org}`在方案`{scheme}`下的评价", "the evaluation is of `{org}` under `{scheme}`"),
            ));
        }
        if !e.vetoed {
            return Ok(None);
        }
        let reasons: Vec<&str> = e.vetoes.iter().map(|v| v.reason.as_str()).collect();
        self.revoke(date, &reasons.join(lang.clause_sep())).map(Some)
    }

    /// Ends the title at its term (on or after `expires`).
    pub fn expire(&mut self, date: NaiveDate) -> Result<()> {
        const WHAT: Act = ("到期终止", "expire");
        if self.status != TitleStatus::Active {
            return self.active(WHAT, date);
        }
        let expires = self.expires;
        if date < expires {
            return Err(self.refuse(WHAT, text!("有效期至{expires}", "the term runs until {expires}")));
        }
        self.status = TitleStatus::Expired;
        Ok(())
    }
}

crate::data::model::snake_case_text!(TitleStatus, "title status", "称号状态");

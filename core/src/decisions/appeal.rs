//! Appeals (申诉复核): an organization contests an evaluation within the program's limit in
//! working days (`settings.appeal_days` from the result's publication); a reviewer upholds the
//! claim, adjusts the values or rejects it within `settings.review_days` of the filing. Every
//! step is appended to the record with the evaluation before and after (score and band) and the
//! appeal it cites; the adjusted year then selects and pays again, and [`decision_diff`] says
//! who entered or left the named list and how much money moved, to the fen.

use crate::data::model::{Period, Report, Standing, Stars};
use crate::data::year::Year;
use crate::decisions::allocate::Allocation;
use crate::decisions::money::Fen;
use crate::decisions::select::Selection;
use crate::error::{Error, Result};
use crate::oversight::calendar::Calendar;
use crate::rules::language::{Language, Text, text};
use crate::rules::program::Program;
use crate::scoring::evaluate::Assessed;
use crate::scoring::points::Points;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the reviewer decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The claim stands: the values claimed replace those reported.
    Upheld,
    /// The reviewer sets values of their own.
    Adjusted,
    /// The evaluation stands as it was.
    Rejected,
}

/// An organization's appeal against one evaluation, as filed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    /// The organization appealing.
    pub org_id: String,
    /// The scheme of the evaluation it contests.
    pub scheme: String,
    /// Its period.
    pub period: Period,
    /// The day the evaluation was published to it; the appeal limit runs from the next day.
    pub published: NaiveDate,
    /// The day it filed.
    pub filed: NaiveDate,
    /// The criteria it contests.
    pub criteria: Vec<String>,
    /// The values it claims, by input column (`indicator`, `role.indicator`, or an event's count).
    pub claimed: BTreeMap<String, f64>,
    /// Why, in its words.
    pub reason: String,
}

/// The reviewer's decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Who reviewed.
    pub reviewer: String,
    /// The day of the decision.
    pub date: NaiveDate,
    /// Upheld, adjusted or rejected.
    pub outcome: Outcome,
    /// The values the reviewer sets (adjusted only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, f64>,
    /// Why, in the reviewer's words.
    pub reason: String,
}

/// One appeal: the evaluation it contests, the filing and, once decided, the review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appeal {
    /// `org_id/scheme/period`: one appeal per evaluation.
    pub id: String,
    /// What was filed.
    pub filing: Filing,
    /// The decision, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

impl Appeal {
    /// The values the evaluation now takes: the claim if upheld, the reviewer's if adjusted,
    /// none otherwise.
    pub fn adopted(&self) -> Option<&BTreeMap<String, f64>> {
        match self.review.as_ref()?.outcome {
            Outcome::Upheld => Some(&self.filing.claimed),
            Outcome::Adjusted => self.review.as_ref().map(|r| &r.values),
            Outcome::Rejected => None,
        }
    }
}

/// An evaluation's result at one step of the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The score.
    pub score: Points,
    /// The stars, if rated.
    pub stars: Option<Stars>,
    /// The standing, if rated.
    pub standing: Option<Standing>,
}

/// One step of the append-only record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// 1, 2, …: the order of the record.
    pub seq: usize,
    /// The day of the step.
    pub date: NaiveDate,
    /// The appeal it cites.
    pub appeal: String,
    /// `filed`, `upheld`, `adjusted` or `rejected`.
    pub action: String,
    /// The organization (filed) or the reviewer.
    pub by: String,
    /// The evaluation before the step.
    pub before: Snapshot,
    /// The evaluation after it (the same as before unless values changed).
    pub after: Snapshot,
    /// The values claimed (filed) or adopted (upheld, adjusted).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, f64>,
    /// Why, in words.
    pub reason: String,
    /// The content hash of the program that evaluated.
    pub program_hash: String,
}

/// A year's appeals and their record, kept append-only: steps are added, never changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Appeals {
    appeals: Vec<Appeal>,
    record: Vec<Entry>,
}

fn refuse(subject: &Text, message: Text) -> Error {
    Error::Lifecycle { subject: subject.clone(), message }
}

/// "appeal `id`", the subject of an appeal's errors.
fn subject(id: &str) -> Text {
    text!("申诉{id}", "appeal {id}")
}

/// The report appeal `id` (`org_id/scheme/period`) contests.
fn find<'y>(year: &'y Year, id: &str) -> Result<&'y Report> {
    year.reports
        .iter()
        .find(|r| format!("{}/{}/{}", r.org_id, r.scheme, r.period) == id)
        .ok_or_else(|| no_evaluation(id))
}

fn no_evaluation(id: &str) -> Error {
    Error::Argument(text!("申诉{id}：本年度没有该评价", "appeal {id}: the year has no such evaluation"))
}

fn snapshot(program: &Program, report: &Report) -> Result<Snapshot> {
    let s = program.score(report)?;
    Ok(Snapshot { score: s.score(), stars: s.stars(), standing: s.standing() })
}

/// The report with `values` (by input column) in place of those reported.
fn with_values(program: &Program, report: &Report, values: &BTreeMap<String, f64>) -> Result<Report> {
    let plan = program.plan(&report.scheme)?;
    let mut r = report.clone();
    for (column, &v) in values {
        let slot = plan.slots().iter().find(|s| &s.name == column).ok_or_else(|| {
            let scheme = &report.scheme;
            Error::Argument(text!("方案`{scheme}`没有`{column}`列", "scheme `{scheme}` reads no column `{column}`"))
        })?;
        match (slot.is_event(), column.split_once('.')) {
            // An appeal strikes recorded events (keeping the first `v` of the kind); it cannot
            // add events the records do not hold.
            (true, _) => {
                let recorded = r.events.iter().filter(|e| &e.kind == column).count();
                if !(v >= 0.0 && v.fract() == 0.0 && v <= recorded as f64) {
                    return Err(Error::Argument(text!(
                        "`{column}`：申诉只能删除已记录的事件，不能增加：应为0至{recorded}的整数，而非{v}",
                        "`{column}`: an appeal can strike recorded events, not add them: a whole number from 0 to {recorded}, not {v}"
                    )));
                }
                let mut keep = v as usize;
                r.events.retain(|e| {
                    let kept = &e.kind != column || keep > 0;
                    if &e.kind == column && keep > 0 {
                        keep -= 1;
                    }
                    kept
                });
            }
            (false, Some((role, indicator))) => {
                r.assessments.entry(role.to_string()).or_default().insert(indicator.to_string(), v);
            }
            (false, None) => {
                r.values.insert(column.clone(), v);
            }
        }
    }
    Ok(r)
}

impl Appeals {
    /// No appeals yet.
    pub fn new() -> Appeals {
        Appeals::default()
    }

    /// The appeals, in the order filed.
    pub fn appeals(&self) -> &[Appeal] {
        &self.appeals
    }

    /// The record, in order.
    pub fn record(&self) -> &[Entry] {
        &self.record
    }

    /// Files an appeal against an evaluation of `year`. Refused: an evaluation the year does
    /// not have, a filing before the publication or after `settings.appeal_days` working days
    /// from the next day, a second appeal against the same evaluation, a criterion the scheme
    /// does not have, a claimed value the scheme does not read or would refuse.
    pub fn file(&mut self, program: &Program, cal: &Calendar, year: &Year, filing: Filing) -> Result<&Appeal> {
        let id = format!("{}/{}/{}", filing.org_id, filing.scheme, filing.period);
        let subject = subject(&id);
        let report = find(year, &id)?;
        if let Some(a) = self.appeals.iter().find(|a| a.id == id) {
            let on = a.filing.filed;
            return Err(refuse(
                &subject,
                text!(
                    "不能提出：已于{on}提出申诉；每项评价只能申诉一次",
                    "cannot file: already appealed on {on}; one appeal per evaluation"
                ),
            ));
        }
        let days = program.file().settings.appeal_days;
        let last = cal.nth_working_day(filing.published.succ_opt().unwrap_or(filing.published), days);
        let (filed, published) = (filing.filed, filing.published);
        if filed < published {
            return Err(refuse(
                &subject,
                text!(
                    "不能在{filed}提出：结果于{published}公布",
                    "cannot file on {filed}: the result was published on {published}"
                ),
            ));
        }
        if filed > last {
            return Err(refuse(
                &subject,
                text!(
                    "不能在{filed}提出：时限为结果公布（{published}）后{days}个工作日，最迟{last}",
                    "cannot file on {filed}: the limit is {days} working days from the publication on {published}, so {last} at the latest"
                ),
            ));
        }
        let plan = program.plan(&report.scheme)?;
        if let Some(c) = filing.criteria.iter().find(|c| !plan.criterion_ids().iter().any(|x| x == *c)) {
            let scheme = &report.scheme;
            return Err(Error::Argument(text!(
                "申诉{id}：方案`{scheme}`没有`{c}`这一评分项",
                "appeal {id}: scheme `{scheme}` has no criterion `{c}`"
            )));
        }
        let before = snapshot(program, report)?;
        // The claim must be values the scheme would accept.
        snapshot(program, &with_values(program, report, &filing.claimed)?)?;
        self.record.push(Entry {
            seq: self.record.len() + 1,
            date: filing.filed,
            appeal: id.clone(),
            action: "filed".into(),
            by: report.org_id.clone(),
            before: before.clone(),
            after: before,
            values: filing.claimed.clone(),
            reason: filing.reason.clone(),
            program_hash: program.content_hash().to_string(),
        });
        self.appeals.push(Appeal { id, filing, review: None });
        Ok(self.appeals.last().expect("just filed"))
    }

    /// Records the reviewer's decision on appeal `id` (`org_id/scheme/period`), the evaluation
    /// as `year` (the year as reported) has it. Refused: no such appeal, an appeal already
    /// decided, a decision before the filing or after `settings.review_days` working days from
    /// the next day, values with an upheld or rejected outcome, none with an adjusted one.
    pub fn review(
        &mut self,
        program: &Program,
        cal: &Calendar,
        year: &Year,
        id: &str,
        review: Review,
    ) -> Result<&Appeal> {
        let subject = subject(id);
        let Some(i) = self.appeals.iter().position(|a| a.id == id) else {
            return Err(refuse(&subject, text!("不能复核：未提出申诉", "cannot review: no appeal was filed")));
        };
        let report = find(year, id)?;
        let a = &self.appeals[i];
        if let Some(r) = &a.review {
            let (zh, en, on) = (outcome_words(r.outcome, Language::Zh), outcome_words(r.outcome, Language::En), r.date);
            return Err(refuse(
                &subject,
                text!("不能复核：已于{on}{zh}，复核已结束", "cannot review: closed, {en} on {on}"),
            ));
        }
        let days = program.file().settings.review_days;
        let last = cal.nth_working_day(a.filing.filed.succ_opt().unwrap_or(a.filing.filed), days);
        if review.date < a.filing.filed || review.date > last {
            let (on, filed) = (review.date, a.filing.filed);
            return Err(refuse(
                &subject,
                text!(
                    "不能在{on}复核：申诉于{filed}提出，应在{days}个工作日内、{last}前复核",
                    "cannot review on {on}: filed on {filed}, the review is due within {days} working days, by {last}"
                ),
            ));
        }
        match (review.outcome, review.values.is_empty()) {
            (Outcome::Adjusted, true) => {
                return Err(Error::Argument(text!(
                    "申诉{id}：调整的复核结论须给出所定数值",
                    "appeal {id}: an adjusted outcome gives the values it sets"
                )));
            }
            (Outcome::Upheld | Outcome::Rejected, false) => {
                let (zh, en) =
                    (outcome_words(review.outcome, Language::Zh), outcome_words(review.outcome, Language::En));
                let (takes_zh, takes_en) = match review.outcome {
                    Outcome::Upheld => ("采用申诉所请数值", "the values claimed"),
                    _ => ("维持填报数值", "those reported"),
                };
                return Err(Error::Argument(text!(
                    "申诉{id}：只有调整的复核结论给出数值（{zh}则{takes_zh}）",
                    "appeal {id}: only an adjusted outcome gives values ({en} takes {takes_en})"
                )));
            }
            _ => {}
        }
        let before = snapshot(program, report)?;
        let adopted = match review.outcome {
            Outcome::Upheld => a.filing.claimed.clone(),
            Outcome::Adjusted => review.values.clone(),
            Outcome::Rejected => BTreeMap::new(),
        };
        let after = snapshot(program, &with_values(program, report, &adopted)?)?;
        self.record.push(Entry {
            seq: self.record.len() + 1,
            date: review.date,
            appeal: id.to_string(),
            action: outcome_words(review.outcome, Language::En).into(),
            by: review.reviewer.clone(),
            before,
            after,
            values: adopted,
            reason: review.reason.clone(),
            program_hash: program.content_hash().to_string(),
        });
        self.appeals[i].review = Some(review);
        Ok(&self.appeals[i])
    }

    /// The year with every upheld or adjusted appeal's values in place of those reported.
    pub fn apply(&self, program: &Program, year: &Year) -> Result<Year> {
        let mut out = year.clone();
        for a in &self.appeals {
            let Some(values) = a.adopted() else { continue };
            let f = &a.filing;
            let r = out
                .reports
                .iter_mut()
                .find(|r| r.org_id == f.org_id && r.scheme == f.scheme && r.period == f.period)
                .ok_or_else(|| no_evaluation(&a.id))?;
            *r = with_values(program, r, values)?;
        }
        Ok(out)
    }

    /// The record as CSV: one line per step, the values as `column=value` separated by `;`.
    pub fn record_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let head = [
            "seq",
            "date",
            "appeal",
            "action",
            "by",
            "score_before",
            "stars_before",
            "standing_before",
            "score_after",
            "stars_after",
            "standing_after",
            "values",
            "reason",
            "program_hash",
        ];
        // Writing to memory cannot fail.
        let _ = w.write_record(head);
        for e in &self.record {
            let stars = |s: Option<Stars>| s.map_or(String::new(), |s| s.get().to_string());
            let standing = |s: Option<Standing>| s.map_or(String::new(), |s| s.to_string());
            let values: Vec<String> =
                e.values.iter().map(|(k, v)| format!("{k}={}", crate::rules::limits::show(*v))).collect();
            let _ = w.write_record([
                e.seq.to_string(),
                e.date.to_string(),
                e.appeal.clone(),
                e.action.clone(),
                e.by.clone(),
                e.before.score.to_string(),
                stars(e.before.stars),
                standing(e.before.standing),
                e.after.score.to_string(),
                stars(e.after.stars),
                standing(e.after.standing),
                values.join(";"),
                e.reason.clone(),
                e.program_hash.clone(),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

fn outcome_words(o: Outcome, lang: Language) -> &'static str {
    match o {
        Outcome::Upheld => lang.pick("予以支持", "upheld"),
        Outcome::Adjusted => lang.pick("予以调整", "adjusted"),
        Outcome::Rejected => lang.pick("予以驳回", "rejected"),
    }
}

/// One exemplar's change between two decisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// The organization.
    pub org_id: String,
    /// The scheme it is (or was) named under.
    pub scheme: String,
    /// Its award before, in fen (0 if not named).
    pub before_fen: Fen,
    /// Its award after.
    pub after_fen: Fen,
    /// after − before.
    pub change_fen: Fen,
}

/// What changed between two selections and their allocations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionDiff {
    /// Named after, not before.
    pub entered: Vec<Move>,
    /// Named before, not after.
    pub left: Vec<Move>,
    /// Named in both, paid differently.
    pub changed: Vec<Move>,
    /// The money that changed hands: the sum of the increases (the decreases, and any change
    /// in the rest, balance it).
    pub moved_fen: Fen,
    /// Paid before and after.
    pub paid_before_fen: Fen,
    /// Paid after.
    pub paid_after_fen: Fen,
    /// The diff in words.
    pub summary: String,
}

/// Who entered or left the named list, whose award changed, and how much money moved; the
/// summary in `lang`.
pub fn decision_diff(
    before: &Selection,
    paid_before: &Allocation,
    after: &Selection,
    paid_after: &Allocation,
    lang: Language,
) -> DecisionDiff {
    let award = |a: &Allocation| -> BTreeMap<(String, String), i64> {
        a.awards.iter().map(|w| ((w.id.clone(), w.scheme.clone().unwrap_or_default()), w.amount_fen.0)).collect()
    };
    let named = |s: &Selection| -> Vec<(String, String)> {
        s.named.iter().map(|n| (n.org_id.clone(), n.scheme.clone())).collect()
    };
    let (ab, aa) = (award(paid_before), award(paid_after));
    let (nb, na) = (named(before), named(after));
    let mv = |k: &(String, String)| {
        let (b, a) = (ab.get(k).copied().unwrap_or(0), aa.get(k).copied().unwrap_or(0));
        Move { org_id: k.0.clone(), scheme: k.1.clone(), before_fen: Fen(b), after_fen: Fen(a), change_fen: Fen(a - b) }
    };
    let entered: Vec<Move> = na.iter().filter(|k| !nb.contains(k)).map(mv).collect();
    let left: Vec<Move> = nb.iter().filter(|k| !na.contains(k)).map(mv).collect();
    let changed: Vec<Move> = na.iter().filter(|k| nb.contains(k)).map(mv).filter(|m| m.change_fen.0 != 0).collect();
    let moved = Fen(entered.iter().chain(&left).chain(&changed).map(|m| m.change_fen.0.max(0)).sum());
    let list = |ms: &[Move]| {
        if ms.is_empty() {
            return lang.pick("无", "none").to_string();
        }
        let each = |m: &Move| match lang {
            Language::Zh => format!("{}（{}元 → {}元）", m.org_id, m.before_fen, m.after_fen),
            Language::En => format!("{} ({} → {} yuan)", m.org_id, m.before_fen, m.after_fen),
        };
        ms.iter().map(each).collect::<Vec<_>>().join(lang.list_sep())
    };
    let (entered_words, left_words, changed_words) = (list(&entered), list(&left), list(&changed));
    let summary = match lang {
        Language::Zh => {
            format!("新进入：{entered_words}；退出：{left_words}；金额变动：{changed_words}；共调整{moved}元")
        }
        Language::En => format!(
            "entered: {entered_words}; left: {left_words}; paid differently: {changed_words}; {moved} yuan moved"
        ),
    };
    DecisionDiff {
        entered,
        left,
        changed,
        moved_fen: moved,
        paid_before_fen: paid_before.paid_fen,
        paid_after_fen: paid_after.paid_fen,
        summary,
    }
}

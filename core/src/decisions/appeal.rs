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

fn refuse(subject: &str, message: String) -> Error {
    Error::Lifecycle { subject: subject.to_string(), message }
}

/// The report appeal `id` (`org_id/scheme/period`) contests.
fn find<'y>(year: &'y Year, id: &str) -> Result<&'y Report> {
    year.reports
        .iter()
        .find(|r| format!("{}/{}/{}", r.org_id, r.scheme, r.period) == id)
        .ok_or_else(|| Error::Argument(format!("appeal {id}: the year has no such evaluation")))
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
        let slot = plan
            .slots()
            .iter()
            .find(|s| &s.name == column)
            .ok_or_else(|| Error::Argument(format!("scheme `{}` reads no column `{column}`", report.scheme)))?;
        match (slot.is_event(), column.split_once('.')) {
            // An appeal strikes recorded events (keeping the first `v` of the kind); it cannot
            // add events the records do not hold.
            (true, _) => {
                let recorded = r.events.iter().filter(|e| &e.kind == column).count();
                if !(v >= 0.0 && v.fract() == 0.0 && v <= recorded as f64) {
                    return Err(Error::Argument(format!(
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
        let subject = format!("appeal {id}");
        let report = find(year, &id)?;
        if let Some(a) = self.appeals.iter().find(|a| a.id == id) {
            return Err(refuse(
                &subject,
                format!("cannot file: already appealed on {}; one appeal per evaluation", a.filing.filed),
            ));
        }
        let days = program.file().settings.appeal_days;
        let last = cal.nth_working_day(filing.published.succ_opt().unwrap_or(filing.published), days);
        if filing.filed < filing.published {
            return Err(refuse(
                &subject,
                format!("cannot file on {}: the result was published on {}", filing.filed, filing.published),
            ));
        }
        if filing.filed > last {
            return Err(refuse(
                &subject,
                format!(
                    "cannot file on {}: the limit is {days} working days from the publication on {}, so {last} at the latest",
                    filing.filed, filing.published
                ),
            ));
        }
        let plan = program.plan(&report.scheme)?;
        if let Some(c) = filing.criteria.iter().find(|c| !plan.criterion_ids().iter().any(|x| x == *c)) {
            return Err(Error::Argument(format!("{subject}: scheme `{}` has no criterion `{c}`", report.scheme)));
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
        let subject = format!("appeal {id}");
        let Some(i) = self.appeals.iter().position(|a| a.id == id) else {
            return Err(refuse(&subject, "cannot review: no appeal was filed".into()));
        };
        let report = find(year, id)?;
        let a = &self.appeals[i];
        if let Some(r) = &a.review {
            return Err(refuse(&subject, format!("cannot review: closed, {} on {}", outcome_words(r.outcome), r.date)));
        }
        let days = program.file().settings.review_days;
        let last = cal.nth_working_day(a.filing.filed.succ_opt().unwrap_or(a.filing.filed), days);
        if review.date < a.filing.filed || review.date > last {
            return Err(refuse(
                &subject,
                format!(
                    "cannot review on {}: filed on {}, the review is due within {days} working days, by {last}",
                    review.date, a.filing.filed
                ),
            ));
        }
        match (review.outcome, review.values.is_empty()) {
            (Outcome::Adjusted, true) => {
                return Err(Error::Argument(format!("{subject}: an adjusted outcome gives the values it sets")));
            }
            (Outcome::Upheld | Outcome::Rejected, false) => {
                return Err(Error::Argument(format!(
                    "{subject}: only an adjusted outcome gives values ({} takes {})",
                    outcome_words(review.outcome),
                    if review.outcome == Outcome::Upheld { "the values claimed" } else { "those reported" }
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
            action: outcome_words(review.outcome).into(),
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
                .ok_or_else(|| Error::Argument(format!("appeal {}: the year has no such evaluation", a.id)))?;
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

fn outcome_words(o: Outcome) -> &'static str {
    match o {
        Outcome::Upheld => "upheld",
        Outcome::Adjusted => "adjusted",
        Outcome::Rejected => "rejected",
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

/// Who entered or left the named list, whose award changed, and how much money moved.
pub fn decision_diff(
    before: &Selection,
    paid_before: &Allocation,
    after: &Selection,
    paid_after: &Allocation,
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
        ms.iter()
            .map(|m| format!("{} ({} → {} yuan)", m.org_id, m.before_fen, m.after_fen))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let summary = format!(
        "entered: {}; left: {}; paid differently: {}; {moved} yuan moved",
        if entered.is_empty() { "none".into() } else { list(&entered) },
        if left.is_empty() { "none".into() } else { list(&left) },
        if changed.is_empty() { "none".into() } else { list(&changed) },
    );
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

//! The year-level operations through C, JSON in and JSON out: designation, selection, rewards,
//! plain allocation, lifecycles of cases, procedures and titles, oversight, year over year.

use crate::error::{Fail, json, need, text};
use crate::program::exemplar_program;
use crate::{exemplar_result, ffi, give, to_json};
use chrono::NaiveDate;
use exemplar::Text;
use exemplar::decisions::allocate::Claim;
use exemplar::decisions::money::Fen;
use exemplar::oversight::calendar::Calendar;
use exemplar::text;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ffi::c_char;

fn year(p: &exemplar::Program, csv: &str) -> Result<exemplar::Year, Fail> {
    Ok(exemplar::Year::from_csv(csv.as_bytes(), "year_csv", p)?)
}

fn year_columns(p: &exemplar::Program, csv: &str) -> Result<exemplar::YearColumns, Fail> {
    Ok(exemplar::YearColumns::from_csv(csv.as_bytes(), "year_csv", p)?)
}

/// Weak-and-lax designations for a year given as the flat CSV: a JSON array, each with its
/// reasons.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_designate_json(
    program: *const exemplar_program,
    year_csv: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let y = year(p, text(year_csv, len, "year_csv")?)?;
        let evals = p.evaluate_year(&y)?;
        give(out, to_json(&p.designate(&y, &evals)?)?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SelectRequest {
    year_csv: String,
    /// org_id → reason; designated from the year when absent.
    #[serde(default)]
    weak_lax: Option<BTreeMap<String, String>>,
    #[serde(default)]
    procedure_incomplete: BTreeMap<String, String>,
}

/// Names the exemplars. Request: `{"year_csv": "…", "weak_lax": {org: reason}?,
/// "procedure_incomplete": {org: reason}?}`; result: the selection (named, waiting, not_named
/// with reasons, shortfalls).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_select_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let req: SelectRequest = json(text(request, len, "request")?, "request")?;
        let y = year(p, &req.year_csv)?;
        let evals = p.evaluate_year(&y)?;
        give(out, to_json(&p.select_designating(&y, &evals, req.weak_lax, req.procedure_incomplete)?)?)
    })
}

/// Pays the program's reward pool to a selection (the JSON `exemplar_program_select_json` wrote)
/// under the program's reward policy. Result: `{"pool_fen", "paid_fen", "rest_fen", "awards":
/// [{"id", "scheme", "weight", "amount_fen", "landing", "sub_pool"?, "basis"}], "scaled_from_fen"?,
/// "sub_pools"?: [{"of", "weight", "pool_fen", "paid_fen", "rest_fen", "scaled_from_fen"?, "basis"}]}`.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_reward_json(
    program: *const exemplar_program,
    selection_json: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let s: exemplar::decisions::select::Selection =
            json(text(selection_json, len, "selection_json")?, "selection_json")?;
        give(out, to_json(&p.reward(&s)?)?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllocateRequest {
    pool_fen: i64,
    #[serde(default)]
    claims: Vec<Claim>,
    /// Fixed amounts instead of weights: `[{"id", "amount_fen"}]`.
    #[serde(default)]
    fixed: Option<Vec<FixedClaim>>,
    #[serde(default)]
    floor_fen: i64,
    #[serde(default)]
    cap_fen: Option<i64>,
    /// Claims weighing less get nothing (listed as excluded).
    #[serde(default)]
    threshold: Option<u64>,
    /// Share alike instead of by weight.
    #[serde(default)]
    equal: bool,
    /// The language of the bases: "zh" (default) or "en".
    #[serde(default)]
    language: exemplar::Language,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixedClaim {
    id: String,
    amount_fen: i64,
}

/// Largest-remainder apportionment of a pool, no program needed. Request: `{"pool_fen",
/// "claims": [{"id", "weight"}], "floor_fen"?, "cap_fen"?, "threshold"?, "equal"?, "language"?}` or with
/// `"fixed": [{"id", "amount_fen"}]` instead of claims. Result: the allocation with every award's basis.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_pool_allocate_json(
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let r: AllocateRequest = json(text(request, len, "request")?, "request")?;
        let (pool, floor, cap) = (Fen(r.pool_fen), Fen(r.floor_fen), r.cap_fen.map(Fen));
        let a = match r.fixed {
            Some(f) => {
                let c: Vec<(Claim, Fen)> =
                    f.into_iter().map(|x| (Claim { id: x.id, scheme: None, weight: 1 }, Fen(x.amount_fen))).collect();
                exemplar::decisions::allocate::fixed(pool, &c, floor, cap, r.language)?
            }
            None => exemplar::decisions::allocate::apportion_above(
                pool,
                &r.claims,
                r.threshold,
                r.equal,
                floor,
                cap,
                r.language,
            )?,
        };
        give(out, to_json(&a)?)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum CaseAction {
    Assign {
        liaison_cadre: String,
        first_secretary: String,
    },
    AddItem {
        id: String,
        text: String,
        #[serde(with = "exemplar::data::model::date")]
        due: NaiveDate,
    },
    CompleteItem {
        id: String,
        #[serde(with = "exemplar::data::model::date")]
        on: NaiveDate,
    },
    Check {
        #[serde(with = "exemplar::data::model::date")]
        on: NaiveDate,
        score: f64,
        satisfied: u32,
        dissatisfied: u32,
    },
    Close {
        #[serde(with = "exemplar::data::model::date")]
        on: NaiveDate,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum ProcedureAction {
    Advance {
        stage: exemplar::rules::rubric::Stage,
        #[serde(with = "exemplar::data::model::date")]
        on: NaiveDate,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum TitleAction {
    RecordAward {
        year: i32,
        fen: i64,
    },
    ReReview {
        #[serde(with = "exemplar::data::model::date")]
        on: NaiveDate,
        passed: bool,
        #[serde(default)]
        note: String,
    },
    Revoke {
        #[serde(with = "exemplar::data::model::date")]
        on: NaiveDate,
        ground: String,
    },
    /// Revokes when this evaluation of the title's organization and scheme was vetoed.
    RevokeIfVetoed {
        #[serde(with = "exemplar::data::model::date")]
        on: NaiveDate,
        evaluation: Box<exemplar::Evaluation>,
    },
    Expire {
        #[serde(with = "exemplar::data::model::date")]
        on: NaiveDate,
    },
}

/// A rectification case: its saved state or how to open it, then the actions to apply.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseRequest {
    #[serde(default)]
    state: Option<exemplar::decisions::rectify::RectificationCase>,
    #[serde(default)]
    open: Option<OpenCase>,
    #[serde(default)]
    actions: Vec<CaseAction>,
}

/// A selection procedure: its saved state or how to start it, then the stages to advance to.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcedureRequest {
    #[serde(default)]
    state: Option<exemplar::decisions::title::Procedure>,
    #[serde(default)]
    start: Option<StartProcedure>,
    #[serde(default)]
    calendar: Calendar,
    #[serde(default)]
    actions: Vec<ProcedureAction>,
}

/// A title: its saved state or how to confer it, then the actions to apply.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleRequest {
    #[serde(default)]
    state: Option<exemplar::decisions::title::Title>,
    #[serde(default)]
    confer: Option<Confer>,
    #[serde(default)]
    actions: Vec<TitleAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenCase {
    designation: exemplar::decisions::rectify::Designation,
    #[serde(with = "exemplar::data::model::date")]
    opened: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartProcedure {
    org_id: String,
    scheme: String,
    #[serde(with = "exemplar::data::model::date")]
    on: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Confer {
    procedure: exemplar::decisions::title::Procedure,
    name_zh: String,
    #[serde(default)]
    tier: Option<u8>,
}

fn shape(msg: Text) -> Fail {
    Fail::new(crate::error::EXEMPLAR_INVALID_JSON, msg)
}

/// A lifecycle call: the request parsed as `R`, and the state `f` leaves written as
/// `{"state": …}`, to hand back in next time.
fn apply_state<R: serde::de::DeserializeOwned, S: serde::Serialize>(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
    f: impl FnOnce(&exemplar::Program, R) -> Result<S, Fail>,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let state = f(p, json(text(request, len, "request")?, "request")?)?;
        give(out, format!("{{\"state\":{}}}", to_json(&state)?))
    })
}

/// Applies actions to a rectification case, state in and state out. Request: `{"state": {…} |
/// "open": {"designation", "opened"}, "actions": [{"assign": {"liaison_cadre",
/// "first_secretary"}}, {"add_item": {"id", "text", "due"}}, {"complete_item": {"id", "on"}},
/// {"check": {"on", "score", "satisfied", "dissatisfied"}}, {"close": {"on"}}]}`. Result:
/// `{"state": …}`, to hand back in next time. An illegal transition fails with
/// `EXEMPLAR_LIFECYCLE` and writes nothing.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_case_apply_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    apply_state(program, request, len, out, |p, CaseRequest { state, open, actions }| {
        let mut c = match (state, open) {
            (Some(s), None) => {
                s.validate()?;
                s
            }
            (None, Some(o)) => exemplar::decisions::rectify::RectificationCase::open(&o.designation, o.opened),
            _ => {
                return Err(shape(text!(
                    "整顿请求须有`state`和`open`之一，且只有其一",
                    "a case request has exactly one of `state` and `open`"
                )));
            }
        };
        for a in actions {
            match a {
                CaseAction::Assign { liaison_cadre, first_secretary } => c.assign(&liaison_cadre, &first_secretary)?,
                CaseAction::AddItem { id, text, due } => c.add_item(&id, &text, due)?,
                CaseAction::CompleteItem { id, on } => c.complete_item(&id, on)?,
                CaseAction::Check { on, score, satisfied, dissatisfied } => {
                    c.check(p, on, score, satisfied, dissatisfied)?;
                }
                CaseAction::Close { on } => c.close(on)?,
            }
        }
        Ok(c)
    })
}

/// Advances a selection procedure, state in and state out. Request: `{"state": {…} | "start":
/// {"org_id", "scheme", "on"}, "calendar"?: {"holidays", "workdays"}, "actions": [{"advance":
/// {"stage", "on"}}]}`. Result: `{"state": …}`. An illegal step fails with `EXEMPLAR_LIFECYCLE`
/// and writes nothing.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_procedure_apply_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    apply_state(program, request, len, out, |p, ProcedureRequest { state, start, calendar, actions }| {
        let mut pr = match (state, start) {
            (Some(s), None) => {
                s.validate(p)?;
                s
            }
            (None, Some(s)) => exemplar::decisions::title::Procedure::start(p, &s.org_id, &s.scheme, s.on, &calendar)?,
            _ => {
                return Err(shape(text!(
                    "程序请求须有`state`和`start`之一，且只有其一",
                    "a procedure request has exactly one of `state` and `start`"
                )));
            }
        };
        for ProcedureAction::Advance { stage, on } in actions {
            pr.advance(p, stage, on, &calendar)?;
        }
        Ok(pr)
    })
}

/// Applies actions to a title, state in and state out. Request: `{"state": {…} | "confer":
/// {"procedure", "name_zh", "tier"?}, "actions": [{"record_award": {"year", "fen"}},
/// {"re_review": {"on", "passed", "note"}}, {"revoke": {"on", "ground"}}, {"revoke_if_vetoed":
/// {"on", "evaluation"}}, {"expire": {"on"}}]}`. Result: `{"state": …}`. An illegal transition
/// fails with `EXEMPLAR_LIFECYCLE` and writes nothing.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_title_apply_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    apply_state(program, request, len, out, |p, TitleRequest { state, confer, actions }| {
        let mut t = match (state, confer) {
            (Some(s), None) => {
                s.validate(p)?;
                s
            }
            (None, Some(c)) => {
                c.procedure.validate(p)?;
                let tier = c.tier.map(exemplar::Stars::try_from).transpose().map_err(|m| {
                    Fail::new(
                        crate::error::EXEMPLAR_INPUT,
                        Text::new(format!("tier：{}", m.zh), format!("tier: {}", m.en)),
                    )
                })?;
                exemplar::decisions::title::Title::confer(p, &c.procedure, &c.name_zh, tier)?
            }
            _ => {
                return Err(shape(text!(
                    "称号请求须有`state`和`confer`之一，且只有其一",
                    "a title request has exactly one of `state` and `confer`"
                )));
            }
        };
        for a in actions {
            match a {
                TitleAction::RecordAward { year, fen } => t.record_award(year, Fen(fen))?,
                TitleAction::ReReview { on, passed, note } => t.re_review(on, passed, &note, p.language())?,
                TitleAction::Revoke { on, ground } => {
                    t.revoke(on, &ground)?;
                }
                TitleAction::RevokeIfVetoed { on, evaluation } => {
                    t.revoke_if_vetoed(&evaluation, on, p.language())?;
                }
                TitleAction::Expire { on } => t.expire(on)?,
            }
        }
        Ok(t)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OversightRequest {
    year_csv: String,
    oversight: exemplar::oversight::status::Oversight,
    #[serde(default)]
    records_csv: Option<String>,
    #[serde(default)]
    calendar: Calendar,
    #[serde(with = "exemplar::data::model::date")]
    as_of: NaiveDate,
}

/// Oversight status as of a date. Request: `{"year_csv", "oversight": {"period", "groups",
/// "links", "records"?}, "records_csv"?, "calendar"?, "as_of"}`; result: every item due with
/// its state, rates per group, county and area, and the derived indicators.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_oversight_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let mut req: OversightRequest = json(text(request, len, "request")?, "request")?;
        if let Some(csv) = &req.records_csv {
            req.oversight.read_records_csv(csv.as_bytes())?;
        }
        let y = year(p, &req.year_csv)?;
        give(out, to_json(&p.oversight_status(&req.oversight, &y, &req.calendar, req.as_of)?)?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryRequest {
    year_csv: String,
    years: BTreeMap<i32, Vec<exemplar::Evaluation>>,
}

/// Year over year. Request: `{"year_csv" (for the counties), "years": {"2022": [evaluations],
/// …}}`; result: transition matrices per county and scheme, and every history.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_year_over_year_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let req: HistoryRequest = json(text(request, len, "request")?, "request")?;
        let y = year(p, &req.year_csv)?;
        let refs: Vec<(i32, &[exemplar::Evaluation])> = req.years.iter().map(|(k, v)| (*k, v.as_slice())).collect();
        give(out, to_json(&exemplar::decisions::history::year_over_year(&refs, &y.organizations))?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppealsRequest {
    #[serde(default)]
    state: Option<exemplar::decisions::appeal::Appeals>,
    year_csv: String,
    #[serde(default)]
    calendar: Option<Calendar>,
    #[serde(default)]
    actions: Vec<AppealAction>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum AppealAction {
    File(exemplar::decisions::appeal::Filing),
    Review {
        id: String,
        reviewer: String,
        date: NaiveDate,
        outcome: exemplar::decisions::appeal::Outcome,
        #[serde(default)]
        values: BTreeMap<String, f64>,
        reason: String,
    },
}

/// Files and reviews appeals (申诉复核) against a year's evaluations, state in and state out.
/// Request: `{"state": {…} | null, "year_csv": the year as reported, "calendar"?: {"holidays",
/// "workdays"}, "actions": [{"file": {"org_id", "scheme", "period", "published", "filed",
/// "criteria", "claimed": {column: value}, "reason"}}, {"review": {"id": "org/scheme/period",
/// "reviewer", "date", "outcome": "upheld" | "adjusted" | "rejected", "values"?, "reason"}}]}`.
/// Result: `{"state": {"appeals", "record"}}`; the record keeps each step with the evaluation
/// before and after. A late, repeated or closed step fails with `EXEMPLAR_LIFECYCLE`.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_appeals_apply_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    apply_state(program, request, len, out, |p, AppealsRequest { state, year_csv, calendar, actions }| {
        let y = year(p, &year_csv)?;
        let cal = calendar.unwrap_or_default();
        let mut appeals = state.unwrap_or_default();
        for a in actions {
            match a {
                AppealAction::File(f) => _ = appeals.file(p, &cal, &y, f)?,
                AppealAction::Review { id, reviewer, date, outcome, values, reason } => {
                    let review = exemplar::decisions::appeal::Review { reviewer, date, outcome, values, reason };
                    appeals.review(p, &cal, &y, &id, review)?;
                }
            }
        }
        Ok(appeals)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustRequest {
    state: exemplar::decisions::appeal::Appeals,
    year_csv: String,
}

/// The year with every upheld or adjusted appeal's values in place. Request: `{"state", "year_csv"}`
/// (the state `exemplar_appeals_apply_json` wrote); result: `{"year_csv": …, "record_csv": …}`: the
/// year to select and pay again, and the appeals' record as CSV.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_appeals_adjust_year_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let AdjustRequest { state, year_csv } = json(text(request, len, "request")?, "request")?;
        let adjusted = state.apply(p, &year(p, &year_csv)?)?;
        let mut csv = Vec::new();
        adjusted.to_csv(p, &mut csv)?;
        let csv = String::from_utf8(csv).map_err(|e| shape(Text::parser(e)))?;
        give(out, to_json(&serde_json::json!({ "year_csv": csv, "record_csv": state.record_csv() }))?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Decisions {
    selection: exemplar::decisions::select::Selection,
    allocation: exemplar::decisions::allocate::Allocation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffRequest {
    before: Decisions,
    after: Decisions,
    #[serde(default)]
    language: exemplar::Language,
}

/// Who entered or left the named list, whose award changed and how much money moved. Request:
/// `{"before": {"selection", "allocation"}, "after": {…}}` as `exemplar_program_select_json` and
/// `exemplar_program_reward_json` wrote them. Result: `{"entered", "left", "changed": [{"org_id",
/// "scheme", "before_fen", "after_fen", "change_fen"}], "moved_fen", "paid_before_fen",
/// "paid_after_fen", "summary"}`, the summary in the request's `"language"` (`"zh"`, the
/// default, or `"en"`).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_decision_diff_json(
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let DiffRequest { before, after, language } = json(text(request, len, "request")?, "request")?;
        let d = exemplar::decisions::appeal::decision_diff(
            &before.selection,
            &before.allocation,
            &after.selection,
            &after.allocation,
            language,
        );
        give(out, to_json(&d)?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SensitivityRequest {
    year_csv: String,
    study: exemplar::decisions::sensitivity::Study,
}

/// A weight-sensitivity study (SMAA-2). Request: `{"year_csv", "study": {"draws", "seed"?,
/// "over"?: "sections" | "criteria", "spread"?: "simplex" | {"within": percent} | {"bounds":
/// {scheme: {unit: [lowest, highest]}}}, "threads"?}}`;
/// result: `{"study", "units": [[scheme, [unit ids]]], "reports": [{"org_id", "scheme",
/// "county", "score", "named", "p_named", "p_stars": [6], "rank": [p5, p50, p95],
/// "central_weights"}], "expected_overlap", "most_uncertain": [report indices]}`.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_sensitivity_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let req: SensitivityRequest = json(text(request, len, "request")?, "request")?;
        let y = year_columns(p, &req.year_csv)?;
        give(out, to_json(&p.sensitivity(&y, &req.study, &|_| {})?)?)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StabilityRequest {
    year_csv: String,
    scheme: String,
    section: String,
    #[serde(default)]
    org_id: Option<String>,
}

/// How far a section's weight can move, the scheme's other sections rescaled to keep its
/// total, before the named list changes, or (with `org_id`) that organization's naming or
/// stars. Request: `{"year_csv", "scheme", "section", "org_id"?}`; result: `{"scheme",
/// "section", "weight", "from", "to", "changes_below", "changes_above"}` (points; null where it
/// holds to 0 or to the total).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_stability_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let req: StabilityRequest = json(text(request, len, "request")?, "request")?;
        let y = year_columns(p, &req.year_csv)?;
        let s = match &req.org_id {
            Some(org) => p.flip(&y, org, &req.scheme, &req.section)?,
            None => p.stability(&y, &req.scheme, &req.section)?,
        };
        give(out, to_json(&s)?)
    })
}

//! Rectification cases through every status, designation by situation and by ranking, the title
//! procedure and lifecycle with every legal and illegal transition, and year-over-year history.

use chrono::NaiveDate;
use exemplar::decisions::money::Fen;
use exemplar::decisions::rectify::{CaseStatus, Designation, RectificationCase};
use exemplar::decisions::title::{Procedure, Title, TitleStatus};
use exemplar::oversight::calendar::Calendar;
use exemplar::rules::rubric::Stage;
use exemplar::{Error, Language, Program, Report, Year};
use std::path::Path;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(name)).unwrap()
}

/// The selection fixture's program with a weak-and-lax situation, a ranking share and a short procedure.
fn program() -> Program {
    Program::from_toml(&format!(
        "{}\n{}",
        fixture("selection/program.toml"),
        r#"
[[weak_lax]]
id = "low_service"
name_zh = "服务差"
indicator = "service"
below = 10

[rectification]
bottom_share = 0.34
pass_mark = 70
follow_up_days = 180

[[stages]]
stage = "review"
name_zh = "审核"
days = 3

[[stages]]
stage = "public_notice"
name_zh = "公示"
days = 5
working_days = true

[[stages]]
stage = "conferral"
name_zh = "命名授牌"
days = 0
"#
    ))
    .unwrap()
}

fn lifecycle_err<T: std::fmt::Debug>(r: Result<T, Error>, words: &str) {
    match r {
        Err(e @ Error::Lifecycle { .. }) => assert!(e.to_string().contains(words), "`{e}` lacks `{words}`"),
        other => panic!("expected a lifecycle error with `{words}`, got {other:?}"),
    }
}

#[test]
fn designation_by_situation_and_by_county_ranking() {
    let p = program();
    let year = Year::from_csv(fixture("selection/year.csv").as_bytes(), "year.csv", &p).unwrap();
    let evals = p.evaluate_year(&year).unwrap();
    let got = p.designate(&year, &evals).unwrap();
    // Situation: service below 10 → A3 (0) and B1 (0).
    // Ranking, ⌊0.34 × n⌋ per county: X has 3 (A1 100, A2 95, B3 70) → 1: B3;
    // Y has 4 (A3 90, A4 90, W1 100, P1 100) → 1: A3 (ties with A4 at 90, smaller id);
    // Z has 4 (B1 81, B2 80, V1 100, D1 100) → 1: B2.
    let ids: Vec<&str> = got.iter().map(|d| d.org_id.as_str()).collect();
    assert_eq!(ids, ["A3", "B1", "B2", "B3"]);
    assert_eq!(got[0].reasons.len(), 2);
    assert!(got[0].reasons[0].contains("软弱涣散：服务差（服务为0，低于10）"), "{:?}", got[0].reasons);
    assert_eq!(got[0].reasons[1], "Y排名后34%：4个中第4名，90.00分（甲）");
    assert_eq!(got[2].reasons, ["Z排名后34%：4个中第4名，80.00分（乙）"]);
    // In English, with the ids where the file gives no English names.
    let en = p.with_language(Language::En);
    let got = en.designate(&year, &en.evaluate_year(&year).unwrap()).unwrap();
    assert!(got[0].reasons[0].contains("weak and lax: low_service (service = 0, < 10)"), "{:?}", got[0].reasons);
    assert_eq!(got[0].reasons[1], "bottom 34% of Y's ranking: 4 of 4 with 90.00 (a)");
    assert_eq!(got[2].reasons, ["bottom 34% of Z's ranking: 4 of 4 with 80.00 (b)"]);
}

fn case(_: &Program) -> RectificationCase {
    let des = Designation {
        org_id: "XS".into(), county: "禄丰市".into(), reasons: vec!["书记空缺3个月以上".into()]
    };
    RectificationCase::open(&des, d("2023-01-10"))
}

fn ready(p: &Program) -> RectificationCase {
    let mut c = case(p);
    c.assign("州委组织部 王", "第一书记 李").unwrap();
    c.add_item("elect", "选优配强书记", d("2023-03-31")).unwrap();
    c.complete_item("elect", d("2023-03-01")).unwrap();
    c
}

#[test]
fn rectification_open_accepted_closed() {
    let p = program();
    let mut c = ready(&p);
    assert_eq!(c.status, CaseStatus::Open);
    let check = c.check(&p, d("2023-11-01"), 75.0, 10, 3).unwrap();
    assert_eq!(check.reason, "75.00分，达到合格线70.00分，13票中3票不满意");
    assert!(check.passed);
    assert_eq!(c.status, CaseStatus::Accepted);
    assert_eq!(c.follow_up, Some(d("2024-04-29"))); // 2023-11-01 + 180 days
    lifecycle_err(c.check(&p, d("2023-11-02"), 80.0, 10, 0), "cannot check: the case is accepted");
    lifecycle_err(c.close(d("2023-10-01")), "before the acceptance on 2023-11-01");
    c.close(d("2023-12-01")).unwrap();
    assert_eq!((c.status, c.closed), (CaseStatus::Closed, Some(d("2023-12-01"))));
    lifecycle_err(c.close(d("2023-12-02")), "the case is closed");
    lifecycle_err(c.assign("a", "b"), "the case is closed");
    lifecycle_err(c.add_item("x", "x", d("2024-01-01")), "the case is closed");
}

#[test]
fn rectification_failed_restarted_then_accepted() {
    let p = program();
    let mut c = ready(&p);
    // 65 < 70: fails and restarts; the plan must be done again.
    let check = c.check(&p, d("2023-11-01"), 65.0, 10, 0).unwrap();
    assert!(!check.passed && check.reason.contains("低于合格线70.00分"));
    assert_eq!((c.status, c.restarts, c.opened), (CaseStatus::FailedRestarted, 1, d("2023-11-01")));
    lifecycle_err(c.check(&p, d("2023-12-01"), 90.0, 10, 0), "plan item `elect` is not done");
    lifecycle_err(c.close(d("2023-12-01")), "the case is failed_restarted, not accepted");
    c.complete_item("elect", d("2023-11-20")).unwrap();
    // 90 points, but 6 of 11 dissatisfied: more than half fails outright.
    let check = c.check(&p, d("2023-12-01"), 90.0, 5, 6).unwrap();
    assert!(!check.passed && check.reason.contains("11票中6票不满意，超过半数"));
    assert_eq!(c.restarts, 2);
    c.complete_item("elect", d("2023-12-10")).unwrap();
    // Exactly half dissatisfied is not more than half: passes at 80.
    assert!(c.check(&p, d("2024-01-05"), 80.0, 5, 5).unwrap().passed);
    assert_eq!(c.status, CaseStatus::Accepted);
    assert_eq!(c.checks.len(), 3);
}

#[test]
fn rectification_illegal_steps() {
    let p = program();
    let mut c = case(&p);
    lifecycle_err(c.check(&p, d("2023-11-01"), 80.0, 1, 0), "no liaison cadre and first secretary");
    lifecycle_err(c.assign("", "李"), "both");
    c.assign("王", "李").unwrap();
    lifecycle_err(c.check(&p, d("2023-11-01"), 80.0, 1, 0), "no rectification plan");
    lifecycle_err(c.add_item("a", "a", d("2022-12-31")), "before the case opened");
    c.add_item("a", "a", d("2023-06-30")).unwrap();
    lifecycle_err(c.add_item("a", "again", d("2023-06-30")), "item `a` exists");
    lifecycle_err(c.complete_item("b", d("2023-02-01")), "no item `b`");
    lifecycle_err(c.check(&p, d("2023-11-01"), 80.0, 1, 0), "plan item `a` is not done by 2023-11-01");
    c.complete_item("a", d("2023-05-01")).unwrap();
    lifecycle_err(c.complete_item("a", d("2023-05-02")), "already done");
    lifecycle_err(c.check(&p, d("2023-04-01"), 80.0, 1, 0), "not done by 2023-04-01");
    lifecycle_err(c.check(&p, d("2023-11-01"), f64::NAN, 1, 0), "not a number of points");
    c.check(&p, d("2023-11-01"), 60.0, 1, 0).unwrap();
    c.complete_item("a", d("2023-11-05")).unwrap();
    lifecycle_err(c.check(&p, d("2023-11-01"), 80.0, 1, 0), "the last check was on 2023-11-01");
}

#[test]
fn public_notice_spans_a_weekend_and_a_holiday() {
    let p = program();
    // 2023-07-03 (Mon) made a holiday for the test.
    let cal = Calendar::from_json(r#"{"holidays": ["2023-07-03"]}"#).unwrap();
    let mut proc = Procedure::start(&p, "A1", "a", d("2023-06-26"), &cal).unwrap();
    assert_eq!(proc.current().due, d("2023-06-28")); // 3 days: 26, 27, 28
    lifecycle_err(proc.advance(&p, Stage::Conferral, d("2023-06-27"), &cal), "the next stage is public_notice");
    lifecycle_err(proc.advance(&p, Stage::PublicNotice, d("2023-06-25"), &cal), "review started on 2023-06-26");
    proc.advance(&p, Stage::PublicNotice, d("2023-06-30"), &cal).unwrap();
    assert_eq!(proc.stages[0].overdue_days, Some(1)); // review ran through the 29th: 1 day late
    // Notice from Fri 06-30: Fri 30 (1), weekend, Mon 3 holiday, Tue 4 (2), Wed 5 (3), Thu 6 (4), Fri 7 (5).
    assert_eq!(proc.current().due, d("2023-07-07"));
    lifecycle_err(
        proc.advance(&p, Stage::Conferral, d("2023-07-07"), &cal),
        "cannot confer: public notice ends 2023-07-07",
    );
    lifecycle_err(Title::confer(&p, &proc, "先进基层党组织", None), "cannot confer: the procedure is at public_notice");
    proc.advance(&p, Stage::Conferral, d("2023-07-10"), &cal).unwrap();
    assert!(proc.is_complete());
    lifecycle_err(proc.advance(&p, Stage::Conferral, d("2023-07-11"), &cal), "the procedure is complete");
    // Without the holiday the notice would end on Thu 07-06.
    let mut plain = Procedure::start(&p, "A2", "a", d("2023-06-26"), &Calendar::default()).unwrap();
    plain.advance(&p, Stage::PublicNotice, d("2023-06-30"), &Calendar::default()).unwrap();
    assert_eq!(plain.current().due, d("2023-07-06"));
    assert!(Procedure::start(&p, "A1", "zzz", d("2023-06-26"), &cal).is_err());
}

fn conferred(p: &Program, on: &str) -> Title {
    let cal = Calendar::default();
    let start = d(on) - chrono::Days::new(30);
    let mut proc = Procedure::start(p, "A1", "a", start, &cal).unwrap();
    proc.advance(p, Stage::PublicNotice, start + chrono::Days::new(3), &cal).unwrap();
    proc.advance(p, Stage::Conferral, d(on), &cal).unwrap();
    Title::confer(p, &proc, "五星级党组织", exemplar::Stars::new(5)).unwrap()
}

#[test]
fn title_re_review_failure_revokes_and_claws_back() {
    let p = program();
    let mut t = conferred(&p, "2023-07-10");
    assert_eq!(t.expires, d("2028-07-10")); // a five-year term
    t.record_award(2023, Fen(1_000_000)).unwrap();
    lifecycle_err(t.record_award(2023, Fen(1)), "2023's award is recorded");
    lifecycle_err(t.re_review(d("2023-12-01"), true, "", Language::En), "the first re-review is in 2024");
    t.re_review(d("2024-03-01"), true, "保持", Language::En).unwrap();
    lifecycle_err(t.re_review(d("2024-09-01"), true, "", Language::En), "2024 was already re-reviewed");
    t.record_award(2025, Fen(800_000)).unwrap();
    t.re_review(d("2025-03-01"), false, "组织生活流于形式", Language::Zh).unwrap();
    assert_eq!(t.status, TitleStatus::Revoked);
    let r = t.revocation.clone().unwrap();
    assert_eq!((r.clawback, r.date), (Fen(800_000), d("2025-03-01")));
    assert_eq!(r.ground, "2025年复评未通过：组织生活流于形式");
    lifecycle_err(t.revoke(d("2025-04-01"), "x"), "the title was revoked");
    lifecycle_err(t.re_review(d("2026-03-01"), true, "", Language::En), "the title was revoked");
    lifecycle_err(t.expire(d("2029-01-01")), "the title was revoked");
    lifecycle_err(t.record_award(2026, Fen(1)), "the title was revoked");
}

#[test]
fn title_veto_revocation_and_expiry() {
    let p = program();
    let mut t = conferred(&p, "2023-07-10");
    t.record_award(2026, Fen(500_000)).unwrap();
    lifecycle_err(t.revoke(d("2023-07-01"), "x"), "conferred on 2023-07-10");
    // The 2026 evaluation of A1 under `a` records an incident, which the program vetoes.
    let report = |events: &str| {
        let r =
            Report::new("A1", "a", exemplar::Period::year(2026).unwrap()).with("work", 100.0).with("service", 100.0);
        if events.is_empty() { r } else { r.with_event(events) }
    };
    let clean = p.evaluate(&report("")).unwrap();
    assert!(t.revoke_if_vetoed(&clean, d("2026-05-01"), Language::Zh).unwrap().is_none());
    let vetoed = p.evaluate(&report("incident")).unwrap();
    let r = t.revoke_if_vetoed(&vetoed, d("2026-05-01"), Language::Zh).unwrap().unwrap();
    assert_eq!(r.clawback, Fen(500_000));
    assert!(r.ground.contains("一票否决：发生事故（记录1次）"), "{}", r.ground);
    assert_eq!(t.status, TitleStatus::Revoked);
    let other = p.evaluate(&Report { org_id: "A2".into(), ..report("") }).unwrap();
    lifecycle_err(t.revoke_if_vetoed(&other, d("2026-06-01"), Language::Zh), "the evaluation is of `A2`");

    let mut t = conferred(&p, "2023-07-10");
    lifecycle_err(t.expire(d("2028-07-09")), "the term runs until 2028-07-10");
    lifecycle_err(t.re_review(d("2028-07-10"), true, "", Language::En), "the term ended on 2028-07-10");
    t.expire(d("2028-07-10")).unwrap();
    assert_eq!(t.status, TitleStatus::Expired);
    lifecycle_err(t.re_review(d("2029-01-01"), true, "", Language::En), "the title expired");
    lifecycle_err(t.revoke(d("2029-01-01"), "x"), "the title expired");

    // Conferred on 29 February: the term ends on 28 February five years on.
    let leap = conferred(&p, "2024-02-29");
    assert_eq!(leap.expires, d("2029-02-28"));
}

#[test]
fn year_over_year_shows_the_village_that_turned_around() {
    let program =
        Program::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/rule_kinds/program.toml"))
            .unwrap();
    let case: serde_json::Value = serde_json::from_str(&fixture("rule_kinds/case.json")).unwrap();
    let report = |i: usize, org: &str, year: i32| {
        let mut r: Report = serde_json::from_value(case["reports"][i].clone()).unwrap();
        r.org_id = org.into();
        r.period = exemplar::Period::year(year).unwrap();
        r.events.retain(|e| e.date.is_none());
        program.evaluate(&r).unwrap()
    };
    // 西山村 (XS): report B in 2022 (26.77, lagging), report A in 2023 (60, advanced).
    // Q: A in both years (advanced → advanced). R: only in 2023.
    let y2022 = vec![report(1, "XS", 2022), report(0, "Q", 2022)];
    let y2023 = vec![report(0, "XS", 2023), report(0, "Q", 2023), report(6, "R", 2023)];
    let org = |id: &str| exemplar::Organization {
        org_id: id.into(),
        name: id.into(),
        form: exemplar::OrgForm::GeneralBranch,
        sector: exemplar::Sector::Village,
        county: "禄丰市".into(),
        township: "碧城镇".into(),
        parent: None,
    };
    let yoy = exemplar::decisions::history::year_over_year(
        &[(2023, &y2023), (2022, &y2022)],
        &[org("XS"), org("Q"), org("R")],
    );
    assert_eq!(yoy.matrices.len(), 1);
    let m = &yoy.matrices[0];
    assert_eq!((m.from_year, m.to_year, m.county.as_str()), (2022, 2023, "禄丰市"));
    // rows/columns: advanced, good, average, lagging, none
    assert_eq!(m.counts[3][0], 1, "lagging → advanced: 西山村");
    assert_eq!(m.counts[0][0], 1, "advanced → advanced: Q");
    assert_eq!(m.counts[4][1], 1, "absent → good: R (48.00)");
    assert_eq!(m.counts.iter().flatten().sum::<u32>(), 3);
    let xs = yoy.histories.iter().find(|h| h.org_id == "XS").unwrap();
    assert!(xs.turned_around);
    assert_eq!(xs.entries.iter().map(|e| e.year).collect::<Vec<_>>(), [2022, 2023]);
    assert!(!yoy.histories.iter().find(|h| h.org_id == "Q").unwrap().turned_around);
}

/// A procedure's standing, its refusals and a case's in both languages. The review stage runs 3
/// calendar days from 1 May: due 3 May; the stage after it is the public notice (公示).
#[test]
fn lifecycle_texts_in_both_languages() {
    let (p, cal) = (program(), Calendar::default());
    let mut proc = Procedure::start(&p, "A1", "a", d("2023-05-01"), &cal).unwrap();
    assert_eq!(proc.status(Language::Zh), "自2023-05-01起处于审核环节，时限至2023-05-03");
    assert_eq!(proc.status(Language::En), "at review since 2023-05-01, due 2023-05-03");
    let e = proc.advance(&p, Stage::Conferral, d("2023-05-02"), &cal).unwrap_err();
    assert_eq!(e.message(Language::Zh), "`A1`在方案`a`下的评选程序：不能命名授牌：下一环节是公示");
    assert_eq!(e.to_string(), "procedure of `A1` under `a`: cannot confer: the next stage is public_notice");
    let e = Title::confer(&p, &proc, "五星级党组织", None).unwrap_err();
    assert_eq!(
        e.message(Language::Zh),
        "`A1`在方案`a`下的称号：不能命名授牌：该程序自2023-05-01起处于审核环节，时限至2023-05-03"
    );
    let e = case(&p).close(d("2023-02-01")).unwrap_err();
    assert_eq!(e.message(Language::Zh), "`XS`的整顿：不能摘帽：整顿状态为“正在整顿”，尚未验收通过");
    assert_eq!(e.message(Language::En), "rectification case of `XS`: cannot close: the case is open, not accepted");
}

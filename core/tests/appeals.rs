//! Appeals (申诉复核): an appeal that raises a score moves the organization into the named list,
//! the decision diff shows the money moved to the fen, and every illegal step is refused.

use chrono::NaiveDate;
use exemplar::decisions::appeal::{Appeals, Filing, Outcome, Review, decision_diff};
use exemplar::decisions::select::Exclusions;
use exemplar::oversight::calendar::Calendar;
use exemplar::{Error, Language, Program, Year};
use std::collections::BTreeMap;

const B1: &str = "B1/b/2023";
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/selection");

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The selection fixture's program naming the best four of 4★ or more (ties on `service`).
fn setup() -> (Program, Year, Exclusions) {
    let base = std::fs::read_to_string(format!("{DIR}/program.toml")).unwrap();
    let text = format!(
        "{base}\n[selection]\ndisqualifying_events = [\"discipline\"]\nmin_stars = 4\ntie_break = [\"service\"]\n"
    );
    let program = Program::from_toml(&text).unwrap();
    let year = Year::from_csv_path(format!("{DIR}/year.csv"), &program).unwrap();
    let mut ex = Exclusions::default();
    ex.weak_lax.insert("W1".into(), "书记空缺".into());
    ex.procedure_incomplete.insert("P1".into(), "at review".into());
    (program, year, ex)
}

/// B1 (work 90, service 0: 81.00, 4★, waiting) claims work 100 and service 50.
fn claim() -> Filing {
    Filing {
        org_id: "B1".into(),
        scheme: "b".into(),
        period: "2023".parse().unwrap(),
        published: day("2024-01-08"),
        filed: day("2024-01-10"),
        criteria: vec!["work".into(), "service".into()],
        claimed: BTreeMap::from([("work".into(), 100.0), ("service".into(), 50.0)]),
        reason: "台账漏报".into(),
    }
}

fn upheld(date: &str) -> Review {
    Review {
        reviewer: "县委组织部复核组".into(),
        date: day(date),
        outcome: Outcome::Upheld,
        values: BTreeMap::new(),
        reason: "台账核实".into(),
    }
}

#[test]
fn an_upheld_appeal_names_the_organization_and_the_diff_moves_the_money() {
    let (p, year, ex) = setup();
    let cal = Calendar::default();
    let evals = p.evaluate_year(&year).unwrap();
    let before = p.select(&year, &evals, &ex).unwrap();
    let paid_before = p.reward(&before).unwrap();
    let named: Vec<&str> = before.named.iter().map(|n| n.org_id.as_str()).collect();
    assert_eq!(named, ["A1", "A2", "A4", "A3"]);

    let mut appeals = Appeals::new();
    appeals.file(&p, &cal, &year, claim()).unwrap();
    appeals.review(&p, &cal, &year, B1, upheld("2024-01-15")).unwrap();
    // 0.9 × 100 + 0.1 × 50 = 95.00: 5★, tied with A2 (95, service 5.00), after it by id.
    let r = &appeals.record()[1];
    assert_eq!(
        (r.action.as_str(), r.before.score.to_string(), r.after.score.to_string()),
        ("upheld", "81.00".into(), "95.00".into())
    );
    assert_eq!((r.before.stars.unwrap().get(), r.after.stars.unwrap().get()), (4, 5));
    assert_eq!(r.appeal, "B1/b/2023");

    let adjusted = appeals.apply(&p, &year).unwrap();
    let evals = p.evaluate_year(&adjusted).unwrap();
    let after = p.select(&adjusted, &evals, &ex).unwrap();
    let paid_after = p.reward(&after).unwrap();
    let named: Vec<&str> = after.named.iter().map(|n| n.org_id.as_str()).collect();
    assert_eq!(named, ["A1", "A2", "B1", "A4"]);

    // Proportional pool of 100,000 fen. Before: 100 : 95 : 90 : 90 (of 375) → 26666 r 250,
    // 25333 r 125, 24000, 24000; the last fen to A1: 26667. After: 100 : 95 : 95 : 90 (of 380)
    // → 26315 r 300, 25000, 25000, 23684 r 80; the last fen to A1: 26316.
    let d = decision_diff(&before, &paid_before, &after, &paid_after, Language::Zh);
    let moves = |ms: &[exemplar::decisions::appeal::Move]| -> Vec<(String, i64, i64)> {
        ms.iter().map(|m| (m.org_id.clone(), m.before_fen.0, m.after_fen.0)).collect()
    };
    assert_eq!(moves(&d.entered), [("B1".to_string(), 0, 25_000)]);
    assert_eq!(moves(&d.left), [("A3".to_string(), 24_000, 0)]);
    assert_eq!(
        moves(&d.changed),
        [("A1".to_string(), 26_667, 26_316), ("A2".to_string(), 25_333, 25_000), ("A4".to_string(), 24_000, 23_684)]
    );
    // B1's 25,000 came from A3 (24,000) and A1, A2, A4 (351 + 333 + 316).
    assert_eq!(d.moved_fen.0, 25_000);
    assert_eq!((d.paid_before_fen.0, d.paid_after_fen.0), (100_000, 100_000));
    assert_eq!(
        d.summary,
        "新进入：B1（0.00元 → 250.00元）；退出：A3（240.00元 → 0.00元）；金额变动：A1（266.67元 → 263.16元）、\
         A2（253.33元 → 250.00元）、A4（240.00元 → 236.84元）；共调整250.00元"
    );
    let en = decision_diff(&before, &paid_before, &after, &paid_after, Language::En).summary;
    assert!(
        en.starts_with("entered: B1 (0.00 → 250.00 yuan); left: A3 (240.00 → 0.00 yuan); paid differently: A1"),
        "{en}"
    );
    // The record exports with the program's hash on every step.
    let csv = appeals.record_csv();
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.contains(p.content_hash()) && csv.contains("service=50;work=100"), "{csv}");
}

fn lifecycle(e: Error) -> String {
    match e {
        Error::Lifecycle { message, .. } => message.en,
        other => panic!("a lifecycle error, not {other:?}"),
    }
}

#[test]
fn every_illegal_step_is_refused() {
    let (p, year, _) = setup();
    let cal = Calendar::default();
    let mut appeals = Appeals::new();
    // Published Monday 2024-01-08: five working days from the Tuesday end on Monday the 15th.
    let late = Filing { filed: day("2024-01-16"), ..claim() };
    assert!(lifecycle(appeals.file(&p, &cal, &year, late).unwrap_err()).contains("2024-01-15 at the latest"));
    let early = Filing { filed: day("2024-01-05"), ..claim() };
    assert!(lifecycle(appeals.file(&p, &cal, &year, early).unwrap_err()).contains("published on 2024-01-08"));
    assert!(
        lifecycle(appeals.review(&p, &cal, &year, B1, upheld("2024-01-11")).unwrap_err())
            .contains("no appeal was filed")
    );
    let unknown = Filing { criteria: vec!["colour".into()], ..claim() };
    assert!(appeals.file(&p, &cal, &year, unknown).unwrap_err().to_string().contains("no criterion `colour`"));
    let impossible = Filing { claimed: BTreeMap::from([("work".into(), 130.0)]), ..claim() };
    assert!(appeals.file(&p, &cal, &year, impossible).is_err());
    assert!(appeals.record().is_empty(), "nothing refused is recorded");

    appeals.file(&p, &cal, &year, claim()).unwrap();
    assert!(lifecycle(appeals.file(&p, &cal, &year, claim()).unwrap_err()).contains("already appealed on 2024-01-10"));
    // Filed Wednesday the 10th: ten working days from the 11th end on Wednesday the 24th.
    assert!(
        lifecycle(appeals.review(&p, &cal, &year, B1, upheld("2024-01-25")).unwrap_err()).contains("by 2024-01-24")
    );
    assert!(
        lifecycle(appeals.review(&p, &cal, &year, B1, upheld("2024-01-09")).unwrap_err())
            .contains("filed on 2024-01-10")
    );
    let bare = Review { outcome: Outcome::Adjusted, ..upheld("2024-01-12") };
    assert!(appeals.review(&p, &cal, &year, B1, bare).unwrap_err().to_string().contains("gives the values it sets"));
    let with_values = Review { values: BTreeMap::from([("work".into(), 95.0)]), ..upheld("2024-01-12") };
    assert!(
        appeals.review(&p, &cal, &year, B1, with_values).unwrap_err().to_string().contains("only an adjusted outcome")
    );

    let adjusted =
        Review { outcome: Outcome::Adjusted, values: BTreeMap::from([("work".into(), 95.0)]), ..upheld("2024-01-24") };
    appeals.review(&p, &cal, &year, B1, adjusted).unwrap();
    assert!(
        lifecycle(appeals.review(&p, &cal, &year, B1, upheld("2024-01-24")).unwrap_err())
            .contains("closed, adjusted on 2024-01-24")
    );
    // 0.9 × 95 = 85.50: still 4★; the record keeps both steps.
    let r = &appeals.record()[1];
    assert_eq!((r.before.score.to_string(), r.after.score.to_string()), ("81.00".into(), "85.50".into()));
    assert_eq!(appeals.record().len(), 2);
    // Holidays count: with the 11th and 12th off, the limit moves two working days on.
    let cal = Calendar::new([day("2024-01-11"), day("2024-01-12")].into(), Default::default()).unwrap();
    let mut again = Appeals::new();
    again.file(&p, &cal, &year, Filing { filed: day("2024-01-17"), ..claim() }).unwrap();
}

#[test]
fn an_appeal_strikes_recorded_events_and_adds_none() {
    let (p, year, _) = setup();
    let cal = Calendar::default();
    // V1 is vetoed for its one recorded incident; its appeal claims none, and is upheld.
    let v1 = Filing {
        org_id: "V1".into(),
        scheme: "a".into(),
        claimed: BTreeMap::from([("incident".into(), 0.0)]),
        criteria: vec![],
        ..claim()
    };
    let mut appeals = Appeals::new();
    let too_many = Filing { claimed: BTreeMap::from([("incident".into(), 2.0)]), ..v1.clone() };
    assert!(appeals.file(&p, &cal, &year, too_many).unwrap_err().to_string().contains("not add them"));
    appeals.file(&p, &cal, &year, v1).unwrap();
    appeals.review(&p, &cal, &year, "V1/a/2023", upheld("2024-01-11")).unwrap();
    let r = &appeals.record()[1];
    // 100.00 either way; the veto's lowest band is gone: 5★.
    assert_eq!((r.before.stars.map(|s| s.get()), r.after.stars.map(|s| s.get())), (Some(1), Some(5)));
    let adjusted = appeals.apply(&p, &year).unwrap();
    assert!(adjusted.reports.iter().find(|r| r.org_id == "V1").unwrap().events.is_empty());
}

//! Oversight with hand-checked calendars: a year's 12 dispatches and 4 inspections, a leap year,
//! deadlines on a weekend or holiday, overdue counts, on-time rates, and the derived indicators
//! scored by the default program's industrial-park sheet. `cargo test oversight` runs these alone.

use chrono::NaiveDate;
use exemplar::oversight::calendar::Calendar;
use exemplar::oversight::status::{Group, GroupKind, Link, Oversight, Record, RecordKind, State, Status};
use exemplar::{OrgForm, Organization, Period, Program, Report, Sector, Year};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn year(y: i32) -> Year {
    let org = |id: &str, sector| Organization {
        org_id: id.into(),
        name: id.into(),
        form: OrgForm::Branch,
        sector,
        county: "禄丰市".into(),
        township: "金山镇".into(),
        parent: None,
    };
    Year {
        organizations: vec![
            org("CH1", Sector::IndustrialChain),
            org("E1", Sector::PrivateEnterprise),
            org("E2", Sector::PrivateEnterprise),
        ],
        reports: ["CH1", "E1", "E2"]
            .iter()
            .map(|o| Report::new(o, "industrial_park", Period::year(y).unwrap()))
            .collect(),
    }
}

fn group() -> Group {
    Group {
        id: "green_titanium".into(),
        name_zh: "绿色钛产业链工作小组".into(),
        kind: GroupKind::Chain,
        county: Some("禄丰市".into()),
        area: Some("industrial_park".into()),
        members: vec!["CH1".into(), "E1".into()],
        cadences: vec!["monthly_dispatch".into(), "quarterly_inspection".into()],
    }
}

fn held(kind: RecordKind, cadence: &str, date: &str) -> Record {
    Record {
        kind,
        date: d(date),
        group: Some("green_titanium".into()),
        cadence: Some(cadence.into()),
        org_id: None,
        cadre: None,
        task: None,
        findings: (kind == RecordKind::Inspection).then(|| "台账不全".to_string()),
    }
}

fn data(y: i32, records: Vec<Record>) -> Oversight {
    Oversight {
        period: Period::year(y).unwrap(),
        groups: vec![group()],
        links: vec![Link { cadre: "王".into(), org_id: "E2".into() }],
        records,
    }
}

/// Dispatches on the 15th of every month but August; inspections in March, June and December.
fn a_year_2023() -> Oversight {
    let mut r: Vec<Record> = (1..=12)
        .filter(|m| *m != 8)
        .map(|m| held(RecordKind::Meeting, "monthly_dispatch", &format!("2023-{m:02}-15")))
        .collect();
    for m in [3, 6, 12] {
        r.push(held(RecordKind::Inspection, "quarterly_inspection", &format!("2023-{m:02}-20")));
    }
    data(2023, r)
}

fn item<'a>(s: &'a Status, what: &str, due: &str) -> &'a exemplar::oversight::status::DueItem {
    s.items.iter().find(|i| i.what == what && i.due == d(due)).unwrap_or_else(|| panic!("no {what} due {due}"))
}

#[test]
fn oversight_year_of_dispatches_and_inspections() {
    let p = Program::default();
    let s = p.oversight_status(&a_year_2023(), &year(2023), &Calendar::default(), d("2023-12-31")).unwrap();
    let dispatches: Vec<_> = s.items.iter().filter(|i| i.what == "monthly_dispatch").collect();
    let inspections: Vec<_> = s.items.iter().filter(|i| i.what == "quarterly_inspection").collect();
    assert_eq!((dispatches.len(), inspections.len()), (12, 4));
    // August is due Thu 08-31; by 12-31 that is 30 + 31 + 30 + 31 = 122 days overdue.
    assert_eq!(item(&s, "monthly_dispatch", "2023-08-31").state, State::Overdue { days: 122 });
    // Q3 ends Sat 09-30, so the inspection is due Mon 10-02: 29 + 30 + 31 = 90 days overdue.
    assert_eq!(item(&s, "quarterly_inspection", "2023-10-02").state, State::Overdue { days: 90 });
    // December ends on a Sunday: due Mon 2024-01-01, but held on 12-15, so it counts.
    assert_eq!(item(&s, "monthly_dispatch", "2024-01-01").state, State::Done);
    // Held of due: 11 of 12 dispatches, 3 of 4 inspections, for every member of the chain group.
    for m in ["CH1", "E1"] {
        assert_eq!(s.derived[m]["monthly_dispatches"], 11.0);
        assert_eq!(s.derived[m]["quarterly_inspections"], 3.0);
    }
    assert!(!s.derived.contains_key("E2"));
    // The group: 16 due, 14 held, all of them in their window: 87.5 %.
    let g = s.by_group.iter().find(|r| r.key == "green_titanium").unwrap();
    assert_eq!((g.due, g.done, g.on_time), (16, 14, 14));
    assert_eq!(g.completion(), 0.875);
}

#[test]
fn oversight_derived_indicators_scored_by_the_industrial_park_sheet() {
    let p = Program::default();
    let s = p.oversight_status(&a_year_2023(), &year(2023), &Calendar::default(), d("2023-12-31")).unwrap();
    let mut r = Report::new("CH1", "industrial_park", Period::year(2023).unwrap());
    for (k, v) in [
        ("secretary_in_post", 1.0),
        ("organizational_life", 100.0),
        ("member_development", 2.0),
        ("missing_records", 0.0),
        ("member_appraisal", 1.0),
        ("members_pledged", 100.0),
        ("model_posts", 4.0),
        ("masses_satisfaction", 95.0),
        ("output_value", 77000.0),
        ("output_growth", 15.0),
        ("incubated_firms", 43.0),
        ("one_stop_cases", 200.0),
        ("party_coverage", 100.0),
    ] {
        r.values.insert(k.into(), v);
    }
    r.values.extend(s.derived["CH1"].clone());
    let e = p.evaluate(&r).unwrap();
    // 一月一调度: 8 − (12 − 11) × 1 = 7; 一季一督查: 8 − (4 − 3) × 2 = 6; everything else full:
    // 50 + 50 − 1 − 2 = 97.
    assert_eq!(e.criterion("monthly_dispatches").unwrap().points, exemplar::Points(700));
    assert_eq!(e.criterion("quarterly_inspections").unwrap().points, exemplar::Points(600));
    assert_eq!(e.score, exemplar::Points(9700));
}

#[test]
fn oversight_leap_year_february() {
    let p = Program::default();
    let rec = vec![held(RecordKind::Meeting, "monthly_dispatch", "2024-02-29")];
    let s = p.oversight_status(&data(2024, rec), &year(2024), &Calendar::default(), d("2024-03-10")).unwrap();
    // 2024-02-29 is a Thursday and February's last day: the dispatch on it counts for February.
    assert_eq!(item(&s, "monthly_dispatch", "2024-02-29").state, State::Done);
    // January (due Wed 01-31) was missed: 29 + 10 = 39 days overdue by 03-10.
    assert_eq!(item(&s, "monthly_dispatch", "2024-01-31").state, State::Overdue { days: 39 });
}

fn national_day_2023() -> Calendar {
    Calendar::from_json(
        r#"{"holidays": ["2023-09-29","2023-10-02","2023-10-03","2023-10-04","2023-10-05","2023-10-06"],
            "workdays": ["2023-10-07","2023-10-08"]}"#,
    )
    .unwrap()
}

#[test]
fn oversight_deadline_on_a_weekend_and_holiday_moves_to_the_next_working_day() {
    let p = Program::default();
    let cal = national_day_2023();
    // September ends on Saturday 09-30 inside the National Day holiday; the next working day is
    // the make-up Saturday 10-07.
    let s = p.oversight_status(&data(2023, vec![]), &year(2023), &cal, d("2023-10-06")).unwrap();
    assert_eq!(item(&s, "monthly_dispatch", "2023-10-07").state, State::Pending);
    let s = p.oversight_status(&data(2023, vec![]), &year(2023), &cal, d("2023-10-09")).unwrap();
    assert_eq!(item(&s, "monthly_dispatch", "2023-10-07").state, State::Overdue { days: 2 });
    // A dispatch held on 10-07 still counts for September.
    let rec = vec![held(RecordKind::Meeting, "monthly_dispatch", "2023-10-07")];
    let s = p.oversight_status(&data(2023, rec), &year(2023), &cal, d("2023-10-09")).unwrap();
    assert_eq!(item(&s, "monthly_dispatch", "2023-10-07").state, State::Done);
    assert_eq!(item(&s, "monthly_dispatch", "2023-10-31").state, State::Pending);
}

#[test]
fn oversight_overdue_counts_as_of_a_date() {
    let p = Program::default();
    let mut o = a_year_2023();
    o.records.retain(|r| r.date != d("2023-05-15"));
    let s = p.oversight_status(&o, &year(2023), &Calendar::default(), d("2023-06-14")).unwrap();
    // May is due Wed 05-31: 14 days overdue on 06-14; June's (held 06-15) is not due yet.
    assert_eq!(item(&s, "monthly_dispatch", "2023-05-31").state, State::Overdue { days: 14 });
    assert_eq!(item(&s, "monthly_dispatch", "2023-06-30").state, State::Pending);
    let overdue = s.items.iter().filter(|i| matches!(i.state, State::Overdue { .. })).count();
    // May's dispatch, the chain task force for 3 organizations (due Tue 02-28), E2's Q1 visit.
    assert_eq!(overdue, 1 + 3 + 1);
    // Records after the status date do not count yet.
    let early = p.oversight_status(&a_year_2023(), &year(2023), &Calendar::default(), d("2023-03-10")).unwrap();
    assert_eq!(item(&early, "monthly_dispatch", "2023-03-31").done, None);
}

#[test]
fn oversight_task_on_time_rate_and_visits_by_hand() {
    let p = Program::default();
    let task = |org: &str, date: &str| Record {
        kind: RecordKind::Task,
        date: d(date),
        group: None,
        cadence: None,
        org_id: Some(org.into()),
        cadre: None,
        task: Some("chain_task_force".into()),
        findings: None,
    };
    let visit = |date: &str| Record {
        kind: RecordKind::Visit,
        date: d(date),
        group: None,
        cadence: None,
        org_id: Some("E2".into()),
        cadre: Some("王".into()),
        task: None,
        findings: None,
    };
    let o = data(
        2023,
        vec![
            task("CH1", "2023-02-20"),
            task("E1", "2023-03-05"),
            visit("2023-01-10"),
            visit("2023-04-05"),
            visit("2023-04-20"),
        ],
    );
    let s = p.oversight_status(&o, &year(2023), &Calendar::default(), d("2023-10-31")).unwrap();
    // Task due Tue 02-28: CH1 on time, E1 5 days late, E2 never: 245 days overdue on 10-31.
    let t = |org: &str| s.items.iter().find(|i| i.what == "chain_task_force" && i.subject == org).unwrap().state;
    assert_eq!((t("CH1"), t("E1"), t("E2")), (State::Done, State::Late { days: 5 }, State::Overdue { days: 245 }));
    // Visits: Q1 (01-10) and Q2 (04-05) met, the extra 04-20 visit cannot cover Q3 (due Mon 10-02).
    let v: Vec<State> = s.items.iter().filter(|i| i.what == "visit").map(|i| i.state).collect();
    assert_eq!(v, [State::Done, State::Done, State::Overdue { days: 29 }, State::Pending]);
    // By area: tasks 3 due, 2 done, 1 on time; plus the group's windows due by 10-31, none held:
    // dispatches Jan–Oct (October's is due Tue 10-31) and inspections Q1–Q3: 10 + 3 = 13.
    let area = s.by_area.iter().find(|r| r.key == "industrial_park").unwrap();
    let g = s.by_group.iter().find(|r| r.key == "green_titanium").unwrap();
    assert_eq!((g.due, g.done), (13, 0));
    assert_eq!((area.due, area.done, area.on_time), (3 + 13, 2, 1));
    assert_eq!(area.on_time_rate(), 1.0 / 16.0);
}

fn err(o: &Oversight, words: &str) {
    let e = Program::default()
        .oversight_status(o, &year(2023), &Calendar::default(), d("2023-12-31"))
        .unwrap_err()
        .to_string();
    assert!(e.contains(words), "`{e}` lacks `{words}`");
}

#[test]
fn oversight_bad_input_is_a_clear_error() {
    err(
        &data(2023, vec![held(RecordKind::Meeting, "monthly_dispatch", "2024-01-05")]),
        "dated outside the period 2023",
    );
    let mut r = held(RecordKind::Meeting, "monthly_dispatch", "2023-01-05");
    r.group = Some("nowhere".into());
    err(&data(2023, vec![r]), "unknown group `nowhere`");
    let visit = Record {
        kind: RecordKind::Visit,
        date: d("2023-02-01"),
        group: None,
        cadence: None,
        org_id: Some("E1".into()),
        cadre: Some("王".into()),
        task: None,
        findings: None,
    };
    err(&data(2023, vec![visit]), "cadre `王` has no link to `E1`");
    let twice = held(RecordKind::Meeting, "monthly_dispatch", "2023-01-05");
    err(&data(2023, vec![twice.clone(), twice]), "duplicate record");
    err(
        &data(2023, vec![held(RecordKind::Meeting, "semiannual_review", "2023-01-05")]),
        "does not keep cadence `semiannual_review`",
    );
    let mut o = data(2023, vec![]);
    o.groups[0].cadences.push("weekly".into());
    err(&o, "unknown cadence `weekly`");
    let mut o = data(2023, vec![]);
    o.links.push(Link { cadre: "王".into(), org_id: "E2".into() });
    err(&o, "listed twice");
    let mut o = data(2023, vec![]);
    assert!(
        o.read_records_csv("kind,date\nparade,2023-01-01\n".as_bytes())
            .unwrap_err()
            .to_string()
            .contains("unknown record kind `parade`")
    );
    assert!(
        o.read_records_csv("kind,date\nvisit,2023-02-30\n".as_bytes()).unwrap_err().to_string().contains("not a date")
    );
}

#[test]
fn oversight_records_round_trip_through_csv() {
    let o = a_year_2023();
    let mut out = Vec::new();
    o.write_records_csv(&mut out).unwrap();
    let mut back = data(2023, vec![]);
    back.read_records_csv(out.as_slice()).unwrap();
    assert_eq!(back, o);
}

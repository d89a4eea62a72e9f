//! The classes of bad input an adversarial pass found: numbers that overflow, duplicates and
//! contradictions that passed, text that was not what it claimed, states handed back in, and
//! rule files that took quadratic time. Each gives a clear error, never a wrong answer or a panic.

use exemplar::Language;
use exemplar::decisions::allocate::{Claim, apportion_above, fixed};
use exemplar::decisions::money::Fen;
use exemplar::decisions::title::{Procedure, Title};
use exemplar::oversight::calendar::Calendar;
use exemplar::{Error, Program};

const SMALL: &str = r#"
[program]
id = "small"
name_zh = "小"

[settings]
selection_target = 10
reward_pool_fen = 100000
title_term_years = 5

[[indicators]]
id = "meetings"
name_zh = "会议"
kind = "count"

[bands]
standings = [{ standing = "advanced", min_score = 90 }, { standing = "lagging", min_score = 0 }]

[[stages]]
stage = "review"
name_zh = "审核"
days = 10

[[stages]]
stage = "conferral"
name_zh = "命名"
days = 0

[[schemes]]
id = "a"
name_zh = "甲"
max_points = 100

[[schemes.sections]]
id = "work"
name_zh = "工作"
max = 100
criteria = [
  { id = "meetings", name_zh = "会议", points = 100, rule = { kind = "linear", indicator = "meetings", floor = 0, target = 12 } },
]
"#;

/// The problems of a rule file that must be refused, as text.
fn refused(text: &str) -> String {
    match Program::from_toml(text) {
        Err(e @ Error::RuleFile(_)) => e.to_string(),
        other => panic!("expected the file refused, got {:?}", other.map(|_| "a program")),
    }
}

#[test]
fn every_number_of_a_rule_file_is_bounded() {
    Program::from_toml(SMALL).unwrap();
    let cases = [
        // Two 5e16-point criteria summed wrapped to 0; points are at most a million.
        ("points = 100, rule", "points = 5e16, rule", "points 5e16 must be above 0"),
        // target − floor was infinite: every score 0.
        ("floor = 0, target = 12", "floor = -1e308, target = 1e308", "floor -1e308 must be a finite number within"),
        // 12 × 357913942 wrapped u32: the title expired after 8 months.
        ("title_term_years = 5", "title_term_years = 357913942", "title_term_years 357913942 must be 1 to 50"),
        ("title_term_years = 5", "title_term_years = 0", "title_term_years 0 must be 1 to 50"),
        // A stage of 10⁸ days panicked when a procedure started.
        ("days = 10", "days = 100000000", "days 100000000 must be 0 to 3650"),
        ("reward_pool_fen = 100000", "reward_pool_fen = 9000000000000000000", "reward_pool_fen"),
    ];
    for (from, to, words) in cases {
        let msg = refused(&SMALL.replace(from, to));
        assert!(msg.contains(words), "{to}: {msg}");
        assert!(msg.contains("line "), "{to}: every problem has its line: {msg}");
    }
}

#[test]
fn a_flood_of_problems_is_capped_and_finishes() {
    // 100,000 criteria with the same id: every duplicate is a problem. This never finished when
    // each problem searched the whole file for its n-th occurrence.
    let n = 100_000;
    let criteria: String = (0..n)
        .map(|_| "  { id = \"dup\", name_zh = \"重\", points = 0.001, rule = { kind = \"yes_no\", indicator = \"x\" } },\n")
        .collect();
    let text = SMALL
        .replace("criteria = [\n  { id = \"meetings\"", &format!("criteria = [\n{criteria}  {{ id = \"meetings\""));
    let msg = refused(&text);
    assert_eq!(msg.lines().filter(|l| l.starts_with("  ")).count(), 101, "100 problems listed, then a count");
    assert!(msg.contains("more problem(s)"), "{}", msg.lines().last().unwrap_or_default());
}

#[test]
fn a_duplicate_id_is_located_at_the_duplicate_not_at_an_earlier_mention() {
    // `meetings` is first mentioned as the indicator of criterion `m1`; the duplicate criterion
    // id `meetings` is on the line after.
    let text = SMALL.replace(
        "criteria = [\n",
        "criteria = [\n  { id = \"m1\", name_zh = \"一\", points = 1, rule = { kind = \"linear\", indicator = \"meetings\", floor = 0, target = 1 } },\n  { id = \"meetings\", name_zh = \"二\", points = 1, rule = { kind = \"linear\", indicator = \"meetings\", floor = 0, target = 1 } },\n",
    );
    let dup_line = text.lines().position(|l| l.contains("name_zh = \"二\"")).unwrap() + 1;
    let second = text.lines().skip(dup_line).position(|l| l.contains("{ id = \"meetings\"")).unwrap() + dup_line + 1;
    let msg = refused(&text);
    let line = msg.lines().find(|l| l.contains("appears twice")).unwrap_or_else(|| panic!("{msg}"));
    assert!(line.contains(&format!("line {second},")), "{line}: the second declaration is on line {second}");
}

#[test]
fn duplicates_in_allocations_are_always_errors() {
    let claim = |id: &str, weight| Claim { id: id.into(), scheme: None, weight };
    // One copy below the threshold used to keep both: 0 shown, 100 paid.
    let err = apportion_above(Fen(100), &[claim("a", 5), claim("a", 1)], Some(3), false, Fen::ZERO, None, Language::En)
        .unwrap_err();
    assert!(err.to_string().contains("recipient `a` appears twice"), "{err}");
    let err = fixed(Fen(100), &[(claim("a", 1), Fen(10)), (claim("a", 1), Fen(10))], Fen::ZERO, None, Language::En)
        .unwrap_err();
    assert!(err.to_string().contains("appears twice"), "{err}");
    // Money is bounded: a pool beyond 10¹⁵ fen is refused with the limit.
    let err = apportion_above(Fen(i64::MAX), &[claim("a", 1)], None, false, Fen::ZERO, None, Language::En).unwrap_err();
    assert!(err.to_string().contains("1000000000000000 fen"), "{err}");
    let err = fixed(Fen(100), &[(claim("a", 1), Fen(-5))], Fen::ZERO, None, Language::En).unwrap_err();
    assert!(err.to_string().contains("fixed amount of `a`"), "{err}");
}

#[test]
fn a_calendar_day_cannot_be_a_holiday_and_a_working_day_however_it_is_read() {
    let text = r#"{"holidays": ["2023-10-07"], "workdays": ["2023-10-07"]}"#;
    assert!(Calendar::from_json(text).unwrap_err().to_string().contains("both a holiday and a make-up working day"));
    // Read through serde directly (as Python and C requests do), the same check holds.
    let err = serde_json::from_str::<Calendar>(text).unwrap_err().to_string();
    assert!(err.contains("both"), "{err}");
    // Only the documented date form.
    assert!(serde_json::from_str::<Calendar>(r#"{"holidays": ["2023-3-1"]}"#).is_err());
    assert!(serde_json::from_str::<Calendar>(r#"{"holidays": ["+2023-03-01"]}"#).is_err());
}

fn conferred(p: &Program) -> Title {
    let cal = Calendar::default();
    let d = |s: &str| exemplar::data::model::parse_date(s).unwrap();
    let mut proc = Procedure::start(p, "A1", "a", d("2023-06-01"), &cal).unwrap();
    proc.advance(p, exemplar::rules::rubric::Stage::Conferral, d("2023-06-20"), &cal).unwrap();
    Title::confer(p, &proc, "示范", None).unwrap()
}

#[test]
fn awards_only_within_the_term_and_saved_states_are_checked() {
    let p = Program::from_toml(SMALL).unwrap();
    let mut t = conferred(&p);
    // Conferred 2023-06-20 for 5 years: expires 2028-06-20, so awards for 2023 to 2028.
    assert_eq!(t.expires.to_string(), "2028-06-20");
    t.record_award(2023, Fen(100)).unwrap();
    t.record_award(2028, Fen(100)).unwrap();
    for year in [2022, 2029, 2040, 9999] {
        let err = t.record_award(year, Fen(100)).unwrap_err().to_string();
        assert!(err.contains("outside the title's term, 2023 to 2028"), "{year}: {err}");
    }
    t.validate(&p).unwrap();
    // A saved title whose term was lengthened by hand, or a procedure with no stage, is refused.
    let mut longer = t.clone();
    longer.expires = exemplar::data::model::parse_date("2099-01-01").unwrap();
    assert!(longer.validate(&p).unwrap_err().to_string().contains("not after the program's 5 years"));
    let empty: Procedure = serde_json::from_str(r#"{"org_id": "A1", "scheme": "a", "stages": []}"#).unwrap();
    assert!(empty.validate(&p).unwrap_err().to_string().contains("no stage"));
}

#[test]
fn evaluations_given_twice_are_refused_by_designation_and_selection() {
    let program = Program::default();
    let year = exemplar::sample::sample_year(&program, Some(300), 1, 2023).unwrap();
    let evals = program.evaluate_year(&year).unwrap();
    let twice: Vec<_> = evals.iter().chain(&evals).cloned().collect();
    let err = program.designate(&year, &twice).unwrap_err().to_string();
    assert!(err.contains("evaluated twice for 2023"), "{err}");
    let err = program.select(&year, &twice, &Default::default()).unwrap_err().to_string();
    assert!(err.contains("evaluated twice for 2023"), "{err}");
}

#[test]
fn a_year_csv_with_a_column_twice_is_refused() {
    let program = Program::default();
    let head = "org_id,name,form,sector,county,township,parent,scheme,period,events,job_fairs,job_fairs\n";
    let row = "A,甲,branch,relocation_community,武定县,狮山镇,,relocation_follow_up,2023,,1,2\n";
    let err = exemplar::Year::from_csv(format!("{head}{row}").as_bytes(), "y.csv", &program).unwrap_err();
    assert!(err.to_string().contains("column `job_fairs` appears twice"), "{err}");
    let err = exemplar::Year::from_csv(
        format!(
            "{}{}",
            head.replace(",job_fairs,job_fairs", ",job_fairs"),
            row.replace(",1,2", ",1").replace("2023", "+2023")
        )
        .as_bytes(),
        "y.csv",
        &program,
    )
    .unwrap_err();
    assert!(err.to_string().contains("period `+2023`"), "{err}");
}

#[test]
fn errors_say_what_kind_of_mistake_and_which_field() {
    let program = Program::from_toml(SMALL).unwrap();
    let report = exemplar::Report::new("A", "a", exemplar::Period::year(2023).unwrap()).with("meetings", -1.0);
    match program.evaluate(&report).unwrap_err() {
        Error::Input { org_id, field, .. } => {
            assert_eq!((org_id.as_str(), &*field), ("A", &exemplar::Field::indicator("meetings")));
            assert_eq!((field.kind(), field.to_string().as_str()), ("indicator", "meetings"));
        }
        other => panic!("{other}"),
    }
    let report = exemplar::Report::new("A", "a", exemplar::Period::year(2023).unwrap()).with_event("flood");
    assert!(
        matches!(program.evaluate(&report), Err(Error::Input { field, .. }) if *field == exemplar::Field::Event("flood".into()))
    );
    assert!(matches!(program.plan("b"), Err(Error::UnknownScheme { scheme, .. }) if scheme == "b"));
    let plan = program.plan("a").unwrap();
    assert!(matches!(plan.evaluate_columns(&[], &|r| r.to_string()), Err(Error::Shape(_))));
    assert!(matches!(
        apportion_above(Fen(100), &[], None, false, Fen(200), Some(Fen(100)), Language::En),
        Err(Error::Argument(_))
    ));
}

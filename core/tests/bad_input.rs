//! Bad input gets a specific error naming the organization, the field and the rule; never a
//! panic, never a silently wrong score.

use exemplar::{Error, OrgForm, Organization, Period, Program, Report, Sector, Year};

fn full_relocation(org: &str) -> Report {
    let values = [
        ("secretary_in_post", 1.0),
        ("organizational_life", 90.0),
        ("member_development", 1.0),
        ("missing_records", 2.0),
        ("member_appraisal", 1.0),
        ("members_pledged", 80.0),
        ("model_posts", 3.0),
        ("masses_satisfaction", 88.0),
        ("persons_trained", 150.0),
        ("job_fairs", 10.0),
        ("job_posts_pushed", 300.0),
        ("employed_persons", 851.0),
        ("able_bodied_persons", 900.0),
        ("households_one_employed", 100.0),
        ("households_two_employed", 50.0),
        ("zero_employment_households", 1.0),
        ("star_rated_households", 60.0),
    ];
    values.iter().fold(Report::new(org, "relocation_follow_up", Period::year(2023).unwrap()), |r, (k, v)| r.with(k, *v))
}

fn input_error(r: &Report) -> String {
    match Program::default().evaluate(r) {
        Err(e @ Error::Input { .. }) => e.to_string(),
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn nan_and_infinity_name_the_organization_and_indicator() {
    let msg = input_error(&full_relocation("HTT").with("job_fairs", f64::NAN));
    assert!(
        msg.contains("HTT") && msg.contains("relocation_follow_up") && msg.contains("job_fairs") && msg.contains("NaN"),
        "{msg}"
    );
    let msg = input_error(&full_relocation("HTT").with("persons_trained", f64::INFINITY));
    assert!(msg.contains("persons_trained") && msg.contains("not a finite number"), "{msg}");
    let msg = input_error(&full_relocation("HTT").with("persons_trained", f64::NEG_INFINITY));
    assert!(msg.contains("persons_trained"), "{msg}");
}

#[test]
fn bulk_rejects_infinity_and_treats_nan_as_missing() {
    let program = Program::default();
    let plan = program.plan("relocation_follow_up").unwrap();
    let row = program.report_row(&full_relocation("HTT")).unwrap();
    let job_fairs = plan.column_names().iter().position(|c| *c == "job_fairs").unwrap();
    for (bad, words) in [(f64::INFINITY, "not a finite number"), (f64::NAN, "missing"), (-1.0, "negative")] {
        let mut cols: Vec<Vec<f64>> = row.iter().map(|v| vec![*v, *v]).collect();
        cols[job_fairs][1] = bad;
        let views: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let err = plan.evaluate_columns(&views, &|i| format!("org-{i}")).unwrap_err().to_string();
        assert!(
            err.contains("org-1") && err.contains("row 1") && err.contains("job_fairs") && err.contains(words),
            "{err}"
        );
    }
}

#[test]
fn bulk_rejects_wrong_shapes_and_accepts_zero_rows() {
    let program = Program::default();
    let plan = program.plan("relocation_follow_up").unwrap();
    let n = plan.slots().len();
    let short: Vec<&[f64]> = vec![&[]; n - 1];
    assert!(plan.evaluate_columns(&short, &|_| String::new()).unwrap_err().to_string().contains("columns"));
    let mut ragged: Vec<&[f64]> = vec![&[1.0]; n];
    ragged[3] = &[];
    assert!(plan.evaluate_columns(&ragged, &|_| String::new()).unwrap_err().to_string().contains("rows"));
    let empty: Vec<&[f64]> = vec![&[]; n];
    let r = plan.evaluate_columns(&empty, &|_| String::new()).unwrap();
    assert!(r.score.is_empty());
    assert_eq!(r.criteria.len(), plan.criterion_ids().len());
}

#[test]
fn missing_policy_zero_scores_and_flags() {
    let text = exemplar::rules::program::DEFAULT_PROGRAM_TOML.replace("# missing = \"error\"", "missing = \"zero\"");
    let program = Program::from_toml(&text).unwrap();
    let mut r = full_relocation("HTT");
    r.values.remove("job_fairs");
    let e = program.evaluate(&r).unwrap();
    // 75.15 + 5 (no cadre disciplined here) = 80.15 in the fixture; without job fairs' 5 points: 75.15.
    assert_eq!(e.score, exemplar::Points(7515));
    assert_eq!(e.missing, vec!["job_fairs".to_string()]);
    let c = e.criterion("job_fairs").unwrap();
    assert!(c.missing && c.points == exemplar::Points::ZERO && c.reason == "未填报，记0分");
    // The default program says `error`.
    assert!(input_error(&r).contains("missing"));
}

fn org(id: &str, sector: Sector) -> Organization {
    Organization {
        org_id: id.into(),
        name: format!("{id}党支部"),
        form: OrgForm::Branch,
        sector,
        county: "武定县".into(),
        township: "狮山镇".into(),
        parent: None,
    }
}

#[test]
fn year_rejects_duplicates_unknown_organizations_and_schemes_that_do_not_apply() {
    let program = Program::default();
    let mut year = Year {
        organizations: vec![org("HTT", Sector::RelocationCommunity), org("HTT", Sector::RelocationCommunity)],
        reports: vec![full_relocation("HTT")],
    };
    let err = program.evaluate_year(&year).unwrap_err().to_string();
    assert!(err.contains("organization id `HTT` appears twice"), "{err}");

    year.organizations.pop();
    year.reports.push(full_relocation("HTT"));
    let err = program.evaluate_year(&year).unwrap_err().to_string();
    assert!(err.contains("HTT") && err.contains("reported twice for 2023"), "{err}");

    year.reports = vec![full_relocation("NOPE")];
    let err = program.evaluate_year(&year).unwrap_err().to_string();
    assert!(err.contains("NOPE") && err.contains("no such organization"), "{err}");

    year.organizations = vec![org("HTT", Sector::Village)];
    year.reports = vec![full_relocation("HTT")];
    let err = program.evaluate_year(&year).unwrap_err().to_string();
    assert!(err.contains("HTT") && err.contains("does not apply to a village branch"), "{err}");
}

#[test]
fn csv_problems_name_line_organization_and_column() {
    let program = Program::default();
    let head = "org_id,name,form,sector,county,township,parent,scheme,period,events,job_fairs\n";
    let cases = [
        (
            format!("{head}A,甲,branch,relocation_community,武定县,狮山镇,,relocation_follow_up,2023,,ten\n"),
            "`ten` is not a number",
        ),
        (
            format!("{head}A,甲,twig,relocation_community,武定县,狮山镇,,relocation_follow_up,2023,,1\n"),
            "unknown organization form `twig`",
        ),
        (
            format!(
                "{head}A,甲,branch,relocation_community,武定县,狮山镇,,relocation_follow_up,2023,,1\nA,甲,branch,relocation_community,双柏县,狮山镇,,relocation_follow_up,2024,,1\n"
            ),
            "line 3: organization `A` is described differently on line 2",
        ),
        (
            format!("{head}A,甲,branch,relocation_community,武定县,狮山镇,,relocation_follow_up,2023-13,,1\n"),
            "period `2023-13`",
        ),
        (
            format!(
                "{head}A,甲,branch,relocation_community,武定县,狮山镇,,relocation_follow_up,2023,flood@2023-02-30,1\n"
            ),
            "not a date",
        ),
        (head.replace("job_fairs", "job_fair"), "column `job_fair` is not an indicator"),
        ("org_id,name\n".to_string(), "column 3 must be `form`"),
    ];
    for (text, words) in cases {
        let err = Year::from_csv(text.as_bytes(), "year.csv", &program).unwrap_err().to_string();
        assert!(err.contains(words), "{err} lacks {words}");
    }
    // Invalid UTF-8 in a CSV is an error, not a panic.
    let mut bytes = head.as_bytes().to_vec();
    bytes.extend_from_slice(b"A,\xff\xfe,branch,relocation_community,x,y,,relocation_follow_up,2023,,1\n");
    assert!(Year::from_csv(bytes.as_slice(), "year.csv", &program).is_err());
}

#[test]
fn unreadable_program_files_are_clear_errors() {
    let dir = std::env::temp_dir().join(format!("exemplar-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("p.toml");
    std::fs::write(&bin, b"[program]\nid = \"\xff\"\n").unwrap();
    assert!(Program::from_path(&bin).unwrap_err().to_string().contains("not UTF-8"));
    let other = dir.join("p.yaml");
    std::fs::write(&other, "x").unwrap();
    assert!(Program::from_path(&other).unwrap_err().to_string().contains(".toml or .json"));
    assert!(Program::from_path(dir.join("absent.toml")).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

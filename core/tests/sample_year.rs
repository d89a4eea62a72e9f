//! The committed sample year: reproducible from its generator, and evaluated identically by the
//! single and bulk paths, in any input order.

use exemplar::{Assessed, Program, Year, sample};
use std::path::Path;

fn committed() -> (Program, Year) {
    let program = Program::default();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/sample_year.csv");
    let year = Year::from_csv_path(path, &program).unwrap();
    (program, year)
}

#[test]
fn committed_sample_is_what_the_generator_makes() {
    let (program, year) = committed();
    let generated = sample::sample_year(&program, None, 2023, 2023).unwrap();
    let mut csv = Vec::new();
    generated.to_csv(&program, &mut csv).unwrap();
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/sample_year.csv"))
        .unwrap()
        .replace("\r\n", "\n");
    assert_eq!(String::from_utf8(csv).unwrap(), text, "regenerate with `cargo run --example make_sample`");
    assert_eq!(year.organizations.len(), sample::STANDARD_SIZE);
    // 960 villages + 146 communities: the 1,106 of PROGRAM.md.
    let vc = year
        .organizations
        .iter()
        .filter(|o| matches!(o.sector, exemplar::Sector::Village | exemplar::Sector::Community));
    assert_eq!(vc.count(), 1106);
}

#[test]
fn sample_year_single_and_bulk_agree_on_every_number() {
    let (program, year) = committed();
    let singles = program.evaluate_year(&year).unwrap();
    let mut checked = 0;
    for scheme in program.schemes() {
        let plan = program.plan(&scheme.id).unwrap();
        let (ids, cols) = year.columns(&program, &scheme.id).unwrap();
        let views: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let bulk = plan.evaluate_columns(&views, &|i| ids[i].clone()).unwrap();
        let mine: Vec<_> = singles.iter().filter(|e| e.scheme == scheme.id).collect();
        assert_eq!(mine.len(), ids.len());
        for (row, e) in mine.iter().enumerate() {
            assert_eq!(e.org_id, ids[row]);
            assert_eq!(bulk.score[row], e.score, "{} {}", e.scheme, e.org_id);
            assert_eq!(bulk.stars[row], e.stars.map_or(0, |s| s.get()));
            assert_eq!(bulk.standing[row], e.standing.map_or(0, |s| s.code()));
            assert_eq!(bulk.vetoed[row], e.vetoed);
            for (c, (_, p)) in e.criterion_points().iter().enumerate() {
                assert_eq!(bulk.criteria[c][row], *p);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, year.reports.len());
    // The sample has what the main job needs to show: every band, some vetoes.
    assert!(singles.iter().any(|e| e.vetoed));
    for s in 1..=5 {
        assert!(singles.iter().any(|e| e.stars.map(|x| x.get()) == Some(s)), "no {s}★ in the sample");
    }
}

#[test]
fn compact_results_agree_with_their_explanations() {
    let (program, year) = committed();
    let scored = program.score_year(&year).unwrap();
    let explained = program.evaluate_year(&year).unwrap();
    assert_eq!(scored.len(), explained.len());
    for (s, e) in scored.iter().zip(&explained) {
        // The compact result says what its explanation says, and words what decisions cite alike.
        assert_eq!((s.org_id(), s.scheme(), s.period()), (e.org_id.as_str(), e.scheme.as_str(), e.period));
        assert_eq!((s.score(), s.stars(), s.standing(), s.vetoed()), (e.score, e.stars, e.standing, e.vetoed));
        assert_eq!(s.is_weak_lax(), !e.weak_lax.is_empty());
        assert_eq!(s.veto_reasons(&program).unwrap(), e.veto_reasons(&program).unwrap());
        assert_eq!(s.weak_lax_reasons(&program).unwrap(), e.weak_lax_reasons(&program).unwrap());
        let points = program.criterion_points(s).unwrap();
        assert_eq!(points, e.criterion_points());
    }
    // A result explained by a program it was not scored by is an error, not a panic.
    let other = Program::from_toml(include_str!("../../examples/data/standard_job.toml")).unwrap();
    let err = other.explain(&scored[0]).unwrap_err();
    assert!(err.to_string().contains(scored[0].scheme()), "{err}");
}

#[test]
fn shuffled_reports_give_identical_results() {
    let (program, year) = committed();
    let want = program.evaluate_year(&year).unwrap();
    let mut shuffled = year.clone();
    let mut rng = sample::Rng::new(99);
    for i in (1..shuffled.reports.len()).rev() {
        let j = rng.below(i + 1);
        shuffled.reports.swap(i, j);
    }
    shuffled.organizations.reverse();
    assert_eq!(program.evaluate_year(&shuffled).unwrap(), want);
}

#[test]
fn csv_round_trips() {
    let (program, year) = committed();
    let mut out = Vec::new();
    year.to_csv(&program, &mut out).unwrap();
    let back = Year::from_csv(out.as_slice(), "round trip", &program).unwrap();
    assert_eq!(back, year);
}

#[test]
fn generator_scales_to_any_size_deterministically() {
    let program = Program::default();
    let a = sample::sample_year(&program, Some(5000), 1, 2024).unwrap();
    let b = sample::sample_year(&program, Some(5000), 1, 2024).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.organizations.len(), 5000);
    program.evaluate_year(&a).unwrap();
}

#[test]
fn committed_oversight_sample_is_what_the_generator_makes() {
    let (program, year) = committed();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap().replace("\r\n", "\n");
    let cal = exemplar::oversight::calendar::Calendar::from_json(&read("calendar_2023.json")).unwrap();
    let generated = sample::oversight(&program, &year, &cal, 2023);
    let mut csv = Vec::new();
    generated.write_records_csv(&mut csv).unwrap();
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        read("oversight_records_2023.csv"),
        "run `cargo run --example make_sample`"
    );
    let mut committed: exemplar::oversight::status::Oversight =
        serde_json::from_str(&read("oversight_2023.json")).unwrap();
    committed.read_records_csv(read("oversight_records_2023.csv").as_bytes()).unwrap();
    assert_eq!(committed, generated);
    // The year's status: every record checks out against the program and the organizations.
    let status = program.oversight_status(&committed, &year, &cal, "2023-12-31".parse().unwrap()).unwrap();
    assert!(status.items.iter().any(|i| matches!(i.state, exemplar::oversight::status::State::Overdue { .. })));
}

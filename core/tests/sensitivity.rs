//! Weight sensitivity (SMAA-2): re-scoring from fractions gives the evaluation's results under
//! the sheet's own weights, a study's probabilities are sound, a seed reproduces it on any number
//! of threads, and small cases match what is worked out by hand.

use exemplar::data::year_columns::YearColumns;
use exemplar::decisions::sensitivity::{Over, Spread, Study};
use exemplar::{Assessed, BulkResult, Options, Program, Year};
use std::path::Path;

fn sample() -> (Program, YearColumns) {
    let program = Program::default();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/sample_year.csv");
    let year = Year::from_csv_path(path, &program).unwrap();
    let columns = YearColumns::from_year(&program, &year).unwrap();
    (program, columns)
}

fn study(draws: usize, over: Over, spread: Spread, threads: usize) -> Study {
    Study { draws, seed: 2026, over, spread, threads }
}

/// One scheme of one section: `a` and `b`, each 0 to 100 linearly for 50 points, one to name.
fn two_criteria(rows: &[(&str, f64, f64)]) -> (Program, YearColumns) {
    let program = Program::from_toml(
        r#"
[program]
id = "two"
name_zh = "两项"
[settings]
selection_target = 1
reward_pool_fen = 100000
[[indicators]]
id = "a"
name_zh = "甲"
kind = "percent"
[[indicators]]
id = "b"
name_zh = "乙"
kind = "percent"
[bands]
stars = [{ stars = 1, min_score = 0 }]
[[schemes]]
id = "s"
name_zh = "表"
max_points = 100
sections = [{ id = "all", name_zh = "全部", max = 100, criteria = [
  { id = "a", name_zh = "甲", points = 50, rule = { kind = "linear", indicator = "a", floor = 0, target = 100 } },
  { id = "b", name_zh = "乙", points = 50, rule = { kind = "linear", indicator = "b", floor = 0, target = 100 } },
] }]
[selection]
"#,
    )
    .unwrap();
    let mut csv = String::from("org_id,name,form,sector,county,township,parent,scheme,period,events,a,b\n");
    for (id, a, b) in rows {
        csv += &format!("{id},{id},branch,village,X,x,,s,2023,,{a},{b}\n");
    }
    let columns = YearColumns::from_csv(csv.as_bytes(), "two", &program).unwrap();
    (program, columns)
}

#[test]
fn the_sheets_own_weights_rescore_exactly_as_evaluation() {
    let (program, year) = sample();
    let scored = program.score_year_columns(&year, Options { threads: 1, points: true }).unwrap();
    for (scheme, want) in program.schemes().iter().zip(scored.schemes()) {
        let plan = program.plan(&scheme.id).unwrap();
        let rows = &year.schemes()[program.schemes().iter().position(|s| s.id == scheme.id).unwrap()];
        let every: Vec<usize> = (0..plan.criterion_ids().len()).collect();
        let mut got = BulkResult::new(rows.rows(), 0);
        plan.rescore(&plan.reweighable(rows), &plan.weights(), &every, &mut got);
        assert_eq!(got, *want, "{}", scheme.id);
    }
}

/// The same on generated years of programs with blended sheets and every rule kind, large
/// enough that some criteria's fractions are coded by value and others kept as they are.
#[test]
fn blended_sheets_and_every_rule_kind_rescore_exactly_as_evaluation() {
    for fixture in ["blended_classification", "rule_kinds"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(fixture).join("program.toml");
        let program = Program::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap();
        let year = exemplar::sample::sample_year_columns(&program, Some(3000), 5, 2023).unwrap();
        let scored = program.score_year_columns(&year, Options { threads: 1, points: true }).unwrap();
        for ((scheme, rows), want) in program.schemes().iter().zip(year.schemes()).zip(scored.schemes()) {
            let plan = program.plan(&scheme.id).unwrap();
            let every: Vec<usize> = (0..plan.criterion_ids().len()).collect();
            let mut got = BulkResult::new(rows.rows(), 0);
            plan.rescore(&plan.reweighable(rows), &plan.weights(), &every, &mut got);
            assert_eq!(got, *want, "{fixture} {}", plan.id());
        }
    }
}

#[test]
fn draws_of_the_sheets_own_weights_reproduce_todays_decisions() {
    let (program, year) = sample();
    for over in [Over::Sections, Over::Criteria] {
        let s = program.sensitivity(&year, &study(3, over, Spread::Within(0.0), 1), &|_| {}).unwrap();
        let named: Vec<bool> = s.reports.iter().map(|r| r.named).collect();
        assert_eq!(named.iter().filter(|&&n| n).count(), 200);
        for r in &s.reports {
            assert_eq!(r.p_named, if r.named { 1.0 } else { 0.0 }, "{}", r.org_id);
            assert_eq!(r.rank[0], r.rank[2]);
        }
        assert_eq!(s.expected_overlap, 1.0);
        assert!(s.most_uncertain.is_empty());
    }
}

#[test]
fn probabilities_are_shares_of_the_draws() {
    let (program, year) = sample();
    let s = program.sensitivity(&year, &study(40, Over::Sections, Spread::Within(20.0), 2), &|_| {}).unwrap();
    for r in &s.reports {
        let total: f64 = r.p_stars.iter().sum();
        assert!((total - 1.0).abs() < 1e-12, "{} {:?}", r.org_id, r.p_stars);
        assert!(r.rank[0] <= r.rank[1] && r.rank[1] <= r.rank[2]);
        assert_eq!(r.central_weights.is_some(), r.p_named > 0.0);
    }
    // Each draw names 200: the probabilities add up to 200.
    let named: f64 = s.reports.iter().map(|r| r.p_named).sum();
    assert!((named - 200.0).abs() < 1e-9, "{named}");
    // Weights that move change some decisions, and keep most.
    assert!(!s.most_uncertain.is_empty() && s.expected_overlap > 0.5 && s.expected_overlap < 1.0);
    // A vetoed report is never named.
    assert!(s.reports.iter().filter(|r| r.p_stars[1] == 1.0 && !r.named).all(|r| r.p_named == 0.0));
    // Central weights keep each scheme's total.
    for r in s.reports.iter().filter(|r| r.p_named > 0.0) {
        let total: f64 = r.central_weights.as_ref().unwrap().iter().sum();
        let plan = program.plan(&r.scheme).unwrap();
        assert!((total - plan.weights().sections.iter().sum::<f64>()).abs() < 1e-9);
    }
}

#[test]
fn a_seed_reproduces_the_study_on_one_and_two_threads() {
    let (program, year) = sample();
    let counted = std::sync::atomic::AtomicUsize::new(0);
    let one = program.sensitivity(&year, &study(12, Over::Criteria, Spread::Simplex, 1), &|_| {}).unwrap();
    let progress = |_| {
        counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let two = program.sensitivity(&year, &study(12, Over::Criteria, Spread::Simplex, 2), &progress).unwrap();
    assert_eq!(one.reports, two.reports);
    assert_eq!(one.expected_overlap.to_bits(), two.expected_overlap.to_bits());
    assert_eq!(counted.into_inner(), 12);
    let other = Study { seed: 7, ..one.study };
    assert_ne!(program.sensitivity(&year, &other, &|_| {}).unwrap().reports, one.reports);
}

#[test]
fn a_dominated_organization_is_never_named() {
    // B is below A on both criteria: whatever the weights, A scores more.
    let (program, year) = two_criteria(&[("A", 90.0, 90.0), ("B", 80.0, 85.0), ("C", 100.0, 10.0), ("D", 10.0, 100.0)]);
    let s = program.sensitivity(&year, &study(2000, Over::Criteria, Spread::Simplex, 2), &|_| {}).unwrap();
    let p = |id: &str| s.reports.iter().find(|r| r.org_id == id).unwrap().p_named;
    assert_eq!(p("B"), 0.0);
    assert!(p("A") > 0.5 && p("C") > 0.0 && p("D") > 0.0);
    assert!((p("A") + p("C") + p("D") - 1.0).abs() < 1e-12);
}

#[test]
fn two_criteria_match_their_closed_form_acceptability() {
    // With weights w and 100 − w uniform on the simplex, A (fractions 1, 0.2) scores
    // w + 0.2(100 − w) = 20 + 0.8w and B (0.4, 1) scores 0.4w + 100 − w = 100 − 0.6w: A is named
    // when 1.4w > 80, w > 57.14…, so P(A) = 1 − 400/700 = 3/7 = 0.4286 and P(B) = 4/7.
    let (program, year) = two_criteria(&[("A", 100.0, 20.0), ("B", 40.0, 100.0)]);
    let s = program.sensitivity(&year, &study(20_000, Over::Criteria, Spread::Simplex, 2), &|_| {}).unwrap();
    let p = |id: &str| s.reports.iter().find(|r| r.org_id == id).unwrap().p_named;
    // 20,000 draws: the standard error is √(3/7 · 4/7 / 20000) = 0.0035; four of them is 0.014.
    assert!((p("A") - 3.0 / 7.0).abs() < 0.014, "{}", p("A"));
    assert!((p("A") + p("B") - 1.0).abs() < 1e-12);
    // Where A is named the mean weight of `a` is the middle of (57.14, 100): 78.57.
    let a = s.reports.iter().find(|r| r.org_id == "A").unwrap().central_weights.clone().unwrap();
    assert!((a[0] - 78.57).abs() < 0.5 && (a[0] + a[1] - 100.0).abs() < 1e-9, "{a:?}");
}

fn named(s: &exemplar::decisions::select::Selection) -> Vec<(String, String)> {
    let mut v: Vec<_> = s.named.iter().map(|n| (n.org_id.clone(), n.scheme.clone())).collect();
    v.sort();
    v
}

#[test]
fn a_stability_interval_holds_inside_and_breaks_just_outside() {
    let (program, year) = sample();
    let scheme = "rural_revitalization";
    let section = program.plan(scheme).unwrap().section_ids()[0].to_string();
    let at = |w: f64| named(&program.with_section_weight(&year, scheme, &section, w).unwrap().0);
    let rows = program.score_year_columns(&year, Options { threads: 1, points: false }).unwrap();
    let today =
        named(&program.select_designating(&year, &rows.rows(&program, &year), None, Default::default()).unwrap());

    let s = program.stability(&year, scheme, &section).unwrap();
    assert_eq!(at(s.weight), today);
    assert!(s.from <= s.weight && s.weight <= s.to);
    assert_eq!((at(s.from), at(s.to)), (today.clone(), today.clone()));
    let outside: Vec<f64> = [s.changes_below, s.changes_above].into_iter().flatten().collect();
    assert!(!outside.is_empty(), "{s:?}");
    for (end, out) in [(s.from, s.changes_below), (s.to, s.changes_above)] {
        if let Some(out) = out {
            assert_ne!(at(out), today, "{s:?}");
            assert!((out - end).abs() <= 1e-6);
        }
    }

    // The last named of the scheme: the smallest move of the section that drops it or changes
    // its stars, checked the same way.
    let last = program.select_designating(&year, &rows.rows(&program, &year), None, Default::default()).unwrap();
    let last = last.named.iter().rfind(|n| n.scheme == scheme).unwrap().org_id.clone();
    let f = program.flip(&year, &last, scheme, &section).unwrap();
    let outcome = |w: f64| {
        let (selection, scores) = program.with_section_weight(&year, scheme, &section, w).unwrap();
        let stars =
            scores.rows(&program, &year).iter().find(|r| r.org_id() == last && r.scheme() == scheme).unwrap().stars();
        (selection.named.iter().any(|n| n.org_id == last && n.scheme == scheme), stars)
    };
    let now = outcome(f.weight);
    assert!(now.0);
    assert_eq!((outcome(f.from), outcome(f.to)), (now, now));
    let nearest = [f.changes_below, f.changes_above].into_iter().flatten().map(|w| (w, (w - f.weight).abs()));
    let (w, _) = nearest.min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert_ne!(outcome(w), now);
}

#[test]
fn explicit_bounds_hold_every_draw_and_refuse_what_cannot_keep_the_total() {
    use std::collections::BTreeMap;
    let (program, year) = sample();
    let bounds = |units: &[(&str, (f64, f64))]| {
        let mine: BTreeMap<String, (f64, f64)> = units.iter().map(|(u, b)| (u.to_string(), *b)).collect();
        Spread::Bounds(BTreeMap::from([("rural_revitalization".to_string(), mine)]))
    };
    // build_up (30) and role (20) trade points within their bounds; rural_results stays at 50.
    let spread = bounds(&[("build_up", (25.0, 35.0)), ("role", (15.0, 25.0))]);
    let s = program.sensitivity(&year, &study(30, Over::Sections, spread, 2), &|_| {}).unwrap();
    assert_eq!(
        s.units[1],
        ("rural_revitalization".to_string(), vec!["build_up".into(), "role".into(), "rural_results".into()])
    );
    let moved = s.reports.iter().filter(|r| r.scheme == "rural_revitalization" && r.p_named > 0.0);
    for r in moved {
        let w = r.central_weights.as_ref().unwrap();
        assert!((25.0..=35.0).contains(&w[0]) && (15.0..=25.0).contains(&w[1]), "{w:?}");
        assert!((w[2] - 50.0).abs() < 1e-9 && (w[0] + w[1] - 50.0).abs() < 1e-9);
    }
    assert!(s.expected_overlap < 1.0);
    // Other schemes keep their weights: their reports are named in every draw or in none.
    assert!(
        s.reports.iter().filter(|r| r.scheme != "rural_revitalization").all(|r| r.p_named == 0.0 || r.p_named == 1.0)
    );

    let refused = |spread: Spread| {
        program.sensitivity(&year, &study(2, Over::Sections, spread, 1), &|_| {}).unwrap_err().to_string()
    };
    let e = refused(bounds(&[("build_up", (31.0, 35.0))]));
    assert!(e.contains("cannot hold the total 100"), "{e}");
    let e = refused(bounds(&[("nope", (0.0, 1.0))]));
    assert!(e.contains("has no `nope`"), "{e}");
    let e = refused(bounds(&[("build_up", (35.0, 25.0))]));
    assert!(e.contains("lowest first"), "{e}");
    let e = refused(Spread::Bounds(BTreeMap::from([("nowhere".to_string(), BTreeMap::new())])));
    assert!(e.contains("nowhere"), "{e}");
}

//! Shuffled input, and compact results in place of explained ones, give identical designations,
//! selection and rewards (the selection fixture itself is replayed with the others in
//! `fixtures.rs`).

use exemplar::decisions::select::Exclusions;
use exemplar::{Assessed, Program, Year};
use std::path::Path;

#[test]
fn shuffled_input_gives_identical_selection_and_rewards() {
    let program = Program::default();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/sample_year.csv");
    let year = Year::from_csv_path(path, &program).unwrap();
    let evals = program.evaluate_year(&year).unwrap();
    let designations = program.designate(&year, &evals).unwrap();
    let ex = Exclusions::from_designations(&designations, program.language());
    let want = program.select(&year, &evals, &ex).unwrap();
    let pay = program.reward(&want).unwrap();
    // The main job's promise: 200 named, the whole 2,000,000.00 yuan paid, nothing left.
    assert_eq!(want.named.len(), 200);
    assert_eq!((pay.paid_fen.0, pay.rest_fen.0), (200_000_000, 0));
    assert!(pay.awards.iter().all(|a| (500_000..=2_000_000).contains(&a.amount_fen.0)));

    let mut rng = exemplar::sample::Rng::new(5);
    let mut shuffled = evals.clone();
    let mut year2 = year.clone();
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.below(i + 1));
    }
    year2.organizations.reverse();
    year2.reports.reverse();
    assert_eq!(program.designate(&year2, &shuffled).unwrap(), designations);
    let got = program.select(&year2, &shuffled, &ex).unwrap();
    assert_eq!(got, want);
    assert_eq!(program.reward(&got).unwrap(), pay);

    // Decisions read from compact results word the same reasons (vetoes, situations) on demand.
    let scored = program.score_year(&year).unwrap();
    assert!(scored.iter().any(|s| s.vetoed()) && scored.iter().any(|s| s.is_weak_lax()));
    assert_eq!(program.designate(&year, &scored).unwrap(), designations);
    assert_eq!(program.select(&year, &scored, &ex).unwrap(), want);
    let years = [(2023, &scored[..])];
    let explained = [(2023, &evals[..])];
    assert_eq!(
        exemplar::decisions::history::year_over_year(&years, &year.organizations),
        exemplar::decisions::history::year_over_year(&explained, &year.organizations)
    );
}

//! Prints how long weight-sensitivity studies take on generated years of the default program:
//! the two sizes, 1,000 draws over 170,000 organizations and 10,000 draws over 20,000,
//! over sections within ±20 %, on every core; then, on each year, how long one section's
//! stability interval and one organization's flip take. `cargo bench --bench sensitivity --
//! [orgs draws]…` runs other sizes.

use exemplar::Program;
use exemplar::decisions::sensitivity::{Over, Spread, Study};
use std::time::Instant;

fn main() -> Result<(), exemplar::Error> {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes: Vec<(usize, usize)> = if args.len() >= 2 {
        args.chunks(2).map(|c| (c[0], c[1])).collect()
    } else {
        vec![(170_000, 1_000), (20_000, 10_000)]
    };
    let program = Program::default();
    println!("| organizations | reports | draws | seconds | draws/s | report-draws/s |");
    println!("|---|---|---|---|---|---|");
    let mut years = Vec::new();
    for (orgs, draws) in sizes {
        let year = exemplar::sample::sample_year_columns(&program, Some(orgs), 2023, 2023)?;
        let study = Study { draws, seed: 1, over: Over::Sections, spread: Spread::Within(20.0), threads: 0 };
        let t = Instant::now();
        let s = program.sensitivity(&year, &study, &|_| {})?;
        let secs = t.elapsed().as_secs_f64();
        let reports = s.reports.len();
        println!(
            "| {orgs} | {reports} | {draws} | {secs:.2} | {:.0} | {:.2} M |",
            draws as f64 / secs,
            (reports * draws) as f64 / secs / 1e6
        );
        years.push((orgs, year));
    }
    // The scheme's build_up section, and the last organization that scheme names.
    let (scheme, section) = ("rural_revitalization", "build_up");
    println!();
    println!("| organizations | stability of a section, seconds | flip of an organization, seconds |");
    println!("|---|---|---|");
    for (orgs, year) in years {
        let t = Instant::now();
        program.stability(&year, scheme, section)?;
        let stability = t.elapsed().as_secs_f64();
        let (selection, _) = program.with_section_weight(&year, scheme, section, 30.0)?;
        let Some(last) = selection.named.iter().rfind(|n| n.scheme == scheme) else { continue };
        let t = Instant::now();
        program.flip(&year, &last.org_id, scheme, section)?;
        println!("| {orgs} | {stability:.2} | {:.2} |", t.elapsed().as_secs_f64());
    }
    Ok(())
}

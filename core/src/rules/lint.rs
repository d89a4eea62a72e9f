//! Warnings about a loaded program that are not errors: rules that load and score, but probably
//! not as their author meant (points a cap throws away, a step that can never decide, scores no
//! band rates, an indicator nothing reads, assessor weights that add up to 1 only nearly).

use crate::error::Problem;
use crate::rules::program::Program;
use crate::rules::rubric::{Bands, Rule, Section};
use crate::scoring::points::Points;
use std::collections::BTreeSet;

fn warning(place: String, message: String) -> Problem {
    Problem { place, message, line: None, column: None }
}

fn show(x: f64) -> String {
    Points::round(x).to_string().trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(crate) fn lint(program: &Program) -> Vec<Problem> {
    let f = program.file();
    let mut out = Vec::new();
    for sec in &f.common_sections {
        section(&mut out, &format!("common section {}", sec.id), sec);
    }
    bands(&mut out, "bands", &f.bands);
    for s in &f.schemes {
        let place = format!("scheme {}", s.id);
        for sec in &s.sections {
            section(&mut out, &format!("{place}, section {}", sec.id), sec);
        }
        if let Some(b) = &s.bands {
            bands(&mut out, &format!("{place}, bands"), b);
        }
        let sum: f64 = s.assessors.iter().map(|a| a.weight).sum();
        if !s.assessors.is_empty() && sum != 1.0 {
            out.push(warning(
                place,
                format!("assessor weights add up to {sum}, not exactly 1: blended totals are weighted by that sum"),
            ));
        }
    }
    // Every indicator some scheme reads: criteria, vetoes, situations and band conditions.
    let read: BTreeSet<usize> = program.plans().iter().flat_map(|p| p.slots()).filter_map(|s| s.indicator()).collect();
    for (_, d) in f.indicators.iter().enumerate().filter(|(i, _)| !read.contains(i)) {
        out.push(warning(
            format!("indicator {}", d.id),
            "defined but never read: no criterion, veto, weak-and-lax situation or band condition of any scheme reads it".into(),
        ));
    }
    out
}

/// Points a section's cap throws away; steps that can never decide.
fn section(out: &mut Vec<Problem>, place: &str, sec: &Section) {
    let sum: f64 = sec.criteria.iter().map(|c| c.points).sum();
    if Points::round(sum) > Points::round(sec.max) {
        out.push(warning(
            place.to_string(),
            format!(
                "its criteria add up to {} points, above its cap of {}: {} points can never count",
                show(sum),
                show(sec.max),
                show(sum - sec.max)
            ),
        ));
    }
    for c in &sec.criteria {
        if let Rule::Steps { steps, .. } = &c.rule {
            // From the easiest step to reach to the hardest; each should pay at least as much.
            let mut order: Vec<(f64, f64)> = steps
                .iter()
                .filter_map(|s| s.at_least.map(|t| (t, s.points)).or(s.at_most.map(|t| (-t, s.points))))
                .collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0));
            for w in order.windows(2).filter(|w| w[1].1 < w[0].1) {
                let at =
                    |t: f64| if t < 0.0 { format!("at most {}", show(-t)) } else { format!("at least {}", show(t)) };
                out.push(warning(
                    format!("{place}, criterion {}", c.id),
                    format!(
                        "the step table is not monotone: {} gives {} points, fewer than {} gives ({}); the harder step can never decide",
                        at(w[1].0),
                        show(w[1].1),
                        at(w[0].0),
                        show(w[0].1)
                    ),
                ));
            }
        }
    }
}

/// Scores no band rates, and star levels skipped.
fn bands(out: &mut Vec<Problem>, place: &str, b: &Bands) {
    let lowest = |mins: &mut dyn Iterator<Item = f64>| mins.fold(f64::INFINITY, f64::min);
    let low = lowest(&mut b.stars.iter().map(|s| s.min_score));
    if !b.stars.is_empty() && low > 0.0 {
        out.push(warning(place.to_string(), format!("scores below {} fall in no star band", show(low))));
    }
    let low = lowest(&mut b.standings.iter().map(|s| s.min_score));
    if !b.standings.is_empty() && low > 0.0 {
        out.push(warning(place.to_string(), format!("scores below {} fall in no standing band", show(low))));
    }
    let stars: BTreeSet<u8> = b.stars.iter().map(|s| s.stars).collect();
    if let (Some(&lo), Some(&hi)) = (stars.first(), stars.last()) {
        for gap in (lo..hi).filter(|s| !stars.contains(s)) {
            out.push(warning(place.to_string(), format!("no {gap}★ band between {lo}★ and {hi}★")));
        }
    }
}

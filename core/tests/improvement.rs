//! Improvement plans hold what they promise: reporting each step's value reaches the next band,
//! and a plan never takes more criteria than the points need.

use exemplar::Program;
use exemplar::rules::rubric::Rule;
use exemplar::scoring::gap::Goal;

/// Whether the criterion reads a ratio (its plan value is the ratio, not an indicator's).
fn is_ratio(program: &Program, criterion: &str) -> bool {
    let f = program.file();
    let sections = f.common_sections.iter().chain(f.schemes.iter().flat_map(|s| &s.sections));
    sections.flat_map(|s| &s.criteria).any(|c| c.id == criterion && matches!(c.rule, Rule::Ratio { .. }))
}

#[test]
fn reporting_the_planned_values_reaches_the_band() {
    let program = Program::default();
    let year = exemplar::sample::sample_year(&program, Some(400), 11, 2023).unwrap();
    let mut checked = 0;
    for report in &year.reports {
        let e = program.evaluate(report).unwrap();
        let plan = program.improvement_plan(&e, Goal::Reach).unwrap();
        // Each criterion adds no more than it had left, and only the last stops short of that.
        let gained: i64 = plan.steps.iter().map(|s| s.points.hundredths()).sum();
        if plan.achievable && !plan.steps.is_empty() {
            assert!(gained >= plan.points.hundredths(), "{}", plan.summary);
            let all_but_last = gained - plan.steps.last().map_or(0, |s| s.points.hundredths());
            assert!(all_but_last < plan.points.hundredths(), "one criterion too many: {}", plan.summary);
        }
        // Plain indicators on a single sheet, no condition to meet: report the values and see.
        let plain = program.scheme(&report.scheme).unwrap().assessors.is_empty()
            && plan.conditions.is_empty()
            && plan.steps.iter().all(|s| {
                s.indicator.as_ref().is_some_and(|i| report.values.contains_key(i)) && !is_ratio(&program, &s.criterion)
            });
        if !plan.achievable || !plain || plan.steps.is_empty() {
            continue;
        }
        let mut better = report.clone();
        for s in &plan.steps {
            better.values.insert(s.indicator.clone().unwrap(), s.value_needed.unwrap());
        }
        let after = program.evaluate(&better).unwrap();
        assert!(after.score >= plan.band_min, "{}: {} after {}", report.org_id, after.score, plan.summary);
        checked += 1;
    }
    assert!(checked > 100, "{checked} plans replayed");
}

#[test]
fn keeping_the_band_needs_no_more_than_the_minimum() {
    let program = Program::default();
    let year = exemplar::sample::sample_year(&program, Some(200), 5, 2023).unwrap();
    for report in &year.reports {
        let e = program.evaluate(report).unwrap();
        let plan = program.improvement_plan(&e, Goal::Keep).unwrap();
        if !plan.achievable {
            continue;
        }
        let held: i64 = plan.steps.iter().map(|s| s.points.hundredths()).sum();
        assert!(held >= plan.band_min.hundredths() && held <= e.score.hundredths() + 100, "{}", plan.summary);
    }
}

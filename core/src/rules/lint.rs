//! Warnings about a loaded program that are not errors: rules that load and score, but probably
//! not as their author meant (points a cap throws away, a step that can never decide, scores no
//! band rates, an indicator nothing reads, assessor weights that add up to 1 only nearly).

use crate::error::Problem;
use crate::rules::language::{Text, text};
use crate::rules::program::Program;
use crate::rules::rubric::{Bands, Rule, Section};
use crate::scoring::points::Points;
use std::collections::BTreeSet;

fn warning(place: &Text, message: Text) -> Problem {
    Problem { place: place.clone(), message, line: None, column: None }
}

fn show(x: f64) -> String {
    Points::round(x).to_string().trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(crate) fn lint(program: &Program) -> Vec<Problem> {
    let f = program.file();
    let mut out = Vec::new();
    for sec in &f.common_sections {
        let id = &sec.id;
        section(&mut out, &text!("通用板块{id}", "common section {id}"), sec);
    }
    bands(&mut out, &text!("评级标准（bands）", "bands"), &f.bands);
    for s in &f.schemes {
        let id = &s.id;
        let place = text!("方案{id}", "scheme {id}");
        for sec in &s.sections {
            let sid = &sec.id;
            section(&mut out, &text!("方案{id}，板块{sid}", "scheme {id}, section {sid}"), sec);
        }
        if let Some(b) = &s.bands {
            bands(&mut out, &text!("方案{id}，评级标准（bands）", "scheme {id}, bands"), b);
        }
        let sum: f64 = s.assessors.iter().map(|a| a.weight).sum();
        if !s.assessors.is_empty() && sum != 1.0 {
            out.push(warning(
                &place,
                text!(
                    "各考核方权重合计{sum}，并非恰好为1：综合得分按该合计加权",
                    "assessor weights add up to {sum}, not exactly 1: blended totals are weighted by that sum"
                ),
            ));
        }
    }
    // Every indicator some scheme reads: criteria, vetoes, situations and band conditions.
    let read: BTreeSet<usize> = program.plans().iter().flat_map(|p| p.slots()).filter_map(|s| s.indicator()).collect();
    for (_, d) in f.indicators.iter().enumerate().filter(|(i, _)| !read.contains(i)) {
        let id = &d.id;
        out.push(warning(
            &text!("指标{id}", "indicator {id}"),
            text!(
                "已定义但从未使用：没有任何方案的评分项、否决项、软弱涣散情形或评级条件用到它",
                "defined but never read: no criterion, veto, weak-and-lax situation or band condition of any scheme reads it"
            ),
        ));
    }
    out
}

/// Points a section's cap throws away; steps that can never decide.
fn section(out: &mut Vec<Problem>, place: &Text, sec: &Section) {
    let sum: f64 = sec.criteria.iter().map(|c| c.points).sum();
    if Points::round(sum) > Points::round(sec.max) {
        let (all, max, lost) = (show(sum), show(sec.max), show(sum - sec.max));
        out.push(warning(
            place,
            text!(
                "其评分项合计{all}分，超过板块上限{max}分：有{lost}分永远计不进去",
                "its criteria add up to {all} points, above its cap of {max}: {lost} points can never count"
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
                let at = |t: f64| match t < 0.0 {
                    true => (format!("不高于{}", show(-t)), format!("at most {}", show(-t))),
                    false => (format!("不低于{}", show(t)), format!("at least {}", show(t))),
                };
                let ((hard_zh, hard), (easy_zh, easy)) = (at(w[1].0), at(w[0].0));
                let (hard_points, easy_points, id) = (show(w[1].1), show(w[0].1), &c.id);
                out.push(warning(
                    &Text::new(format!("{}，评分项{id}", place.zh), format!("{}, criterion {id}", place.en)),
                    text!(
                        "分档表不单调：{hard_zh}得{hard_points}分，少于{easy_zh}的{easy_points}分；较难的一档永远起不了作用",
                        "the step table is not monotone: {hard} gives {hard_points} points, fewer than {easy} gives ({easy_points}); the harder step can never decide"
                    ),
                ));
            }
        }
    }
}

/// Scores no band rates, and star levels skipped.
fn bands(out: &mut Vec<Problem>, place: &Text, b: &Bands) {
    let lowest = |mins: &mut dyn Iterator<Item = f64>| mins.fold(f64::INFINITY, f64::min);
    let low = lowest(&mut b.stars.iter().map(|s| s.min_score));
    if !b.stars.is_empty() && low > 0.0 {
        let low = show(low);
        out.push(warning(place, text!("低于{low}分的得分不属于任何星级", "scores below {low} fall in no star band")));
    }
    let low = lowest(&mut b.standings.iter().map(|s| s.min_score));
    if !b.standings.is_empty() && low > 0.0 {
        let low = show(low);
        out.push(warning(
            place,
            text!("低于{low}分的得分不属于任何等次", "scores below {low} fall in no standing band"),
        ));
    }
    let stars: BTreeSet<u8> = b.stars.iter().map(|s| s.stars).collect();
    if let (Some(&lo), Some(&hi)) = (stars.first(), stars.last()) {
        for gap in (lo..hi).filter(|s| !stars.contains(s)) {
            out.push(warning(place, text!("{lo}★与{hi}★之间没有{gap}★", "no {gap}★ band between {lo}★ and {hi}★")));
        }
    }
}

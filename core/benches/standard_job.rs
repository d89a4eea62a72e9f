//! The core's bulk call on the standard job (../shared/bench/STANDARD_JOB.md) and on the default
//! program's six schemes, into buffers allocated once and reused: ns/row and rows/s, medians of
//! five runs, with and without per-criterion points, on 1 and 2 threads; then the standard job's
//! reports one at a time, scored and explained.
//!
//!     cargo bench -p exemplar --bench standard_job -- [rows]      (default 2,000,000)

use exemplar::{BulkResult, Event, Period, Plan, Program, Report, sample};
use std::time::Instant;

/// The standard job's data: latent quality q, each indicator near floor + span × (1.5q − 0.25),
/// two decimals; the two flags are 1 with probability 0.02.
fn standard_columns(plan: &Plan, n: usize) -> Vec<Vec<f64>> {
    let mut state = 7u64;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut cols = vec![Vec::with_capacity(n); plan.slots().len()];
    for _ in 0..n {
        let q = uniform();
        for (c, col) in cols.iter_mut().enumerate() {
            let x = if c >= 22 {
                f64::from(uniform() < 0.02)
            } else {
                let z = (-2.0 * (1.0 - uniform()).ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
                let (floor, span) = (10.0 + c as f64, 20.0 + 2.0 * c as f64);
                ((floor + span * (1.5 * q - 0.25 + 0.25 * z)) * 100.0).round() / 100.0
            };
            col.push(x);
        }
    }
    cols
}

/// Median seconds of five calls into the same buffers (a first call touches the pages).
fn time(plan: &Plan, cols: &[Vec<f64>], threads: usize, points: bool) -> f64 {
    let n = cols[0].len();
    let views: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let criteria = if points { plan.criterion_ids().len() } else { 0 };
    let mut out = BulkResult::<f64>::new(n, criteria);
    let mut run = || {
        let t = Instant::now();
        plan.evaluate_columns_into(&views, &|r| format!("row {r}"), out.out(), threads).expect("valid rows");
        t.elapsed().as_secs_f64()
    };
    run();
    let mut times: Vec<f64> = (0..5).map(|_| run()).collect();
    times.sort_by(f64::total_cmp);
    times[2]
}

fn report(name: &str, plan: &Plan, cols: &[Vec<f64>]) {
    let n = cols[0].len() as f64;
    for (threads, points) in [(1, true), (1, false), (2, true), (2, false)] {
        let s = time(plan, cols, threads, points);
        let what = if points { "with points" } else { "totals and bands" };
        println!("| {name} | {threads} | {what} | {:.1} | {:.2} M |", s / n * 1e9, n / s / 1e6);
    }
}

/// One report at a time, as a records system or Python's `evaluate()` calls the core: median
/// µs per report to score it (totals, bands, flags) and to score and explain it in words.
fn single(program: &Program, plan: &Plan, cols: &[Vec<f64>]) {
    let period = Period::year(2023).expect("a year");
    let reports: Vec<Report> = (0..cols[0].len().min(20_000))
        .map(|r| {
            let mut report = Report::new(&format!("o{r}"), plan.id(), period);
            for (slot, col) in plan.slots().iter().zip(cols) {
                match slot.is_event() {
                    true => report.events.extend((0..col[r] as usize).map(|_| Event {
                        kind: slot.name.clone(),
                        date: None,
                        note: None,
                    })),
                    false => _ = report.values.insert(slot.name.clone(), col[r]),
                }
            }
            report
        })
        .collect();
    let time = |f: &dyn Fn(&Report)| {
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                reports.iter().for_each(f);
                t.elapsed().as_secs_f64() / reports.len() as f64 * 1e6
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[2]
    };
    let scored = time(&|r| _ = std::hint::black_box(program.score(r).expect("valid")));
    let explained = time(&|r| _ = std::hint::black_box(program.evaluate(r).expect("valid")));
    println!("\none report at a time ({}): scored {scored:.2} µs, scored and explained {explained:.2} µs", plan.id());
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(2_000_000);
    println!("{n} rows; core bulk call into reused buffers (points as f64); medians of 5 runs");
    println!("| job | threads | output | ns/row | rows/s |");
    println!("|---|---|---|---|---|");
    let standard = Program::from_toml(include_str!("../../examples/data/standard_job.toml")).expect("the standard job");
    let plan = standard.plan("standard").expect("its scheme");
    let columns = standard_columns(plan, n);
    report("standard job", plan, &columns);
    let program = Program::default();
    for scheme in program.schemes() {
        let plan = program.plan(&scheme.id).expect("a scheme of the default program");
        report(plan.id(), plan, &sample::columns(&program, plan.id(), n, 7).expect("its columns"));
    }
    single(&standard, plan, &columns);
}

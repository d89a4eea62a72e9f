//! Prints records per second for bulk (columnar) and single (explained) evaluation of generated
//! organizations. `cargo bench --bench bulk -- [rows] [scheme]` (default 1,000,000, rural).

use exemplar::{Event, Period, Program, Report, sample};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let scheme = args.get(1).map_or("rural_revitalization", String::as_str);
    let program = Program::default();
    let plan = program.plan(scheme).expect("a scheme of the default program");
    let cols = sample::columns(&program, scheme, n, 7).expect("a scheme of the default program");
    let views: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();

    let t = Instant::now();
    let bulk = plan.evaluate_columns(&views, &|i| format!("row {i}")).expect("generated rows are valid");
    let bulk_s = t.elapsed().as_secs_f64();

    let names = plan.column_names();
    let reports: Vec<Report> = (0..n)
        .map(|i| {
            let mut r = Report::new(&format!("o{i}"), scheme, Period::year(2023).unwrap());
            for (c, name) in names.iter().enumerate() {
                let v = cols[c][i];
                if program.indicator(name).is_some() {
                    r.values.insert(name.to_string(), v);
                } else {
                    for _ in 0..v as usize {
                        r.events.push(Event { kind: name.to_string(), date: None, note: None });
                    }
                }
            }
            r
        })
        .collect();
    let t = Instant::now();
    let mut same = 0usize;
    for (i, r) in reports.iter().enumerate() {
        let e = program.evaluate(r).expect("generated reports are valid");
        same += usize::from(e.score == bulk.score[i]);
    }
    let single_s = t.elapsed().as_secs_f64();
    assert_eq!(same, n, "bulk and single agree on every row");

    println!("scheme {scheme}, {n} rows, {} input columns, {} criteria", names.len(), plan.criterion_ids().len());
    println!("bulk   (columnar): {:>8.3} s  {:>12.0} rows/s", bulk_s, n as f64 / bulk_s);
    println!("single (explained): {:>7.3} s  {:>12.0} rows/s", single_s, n as f64 / single_s);
}

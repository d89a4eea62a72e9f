//! Prints how a year scales: for each size, the organizations generated as columns, scored (the
//! column kernels, 2 threads, the tie-break points kept), designated, selected and paid; one
//! report found and explained on demand; and memory: the year's input columns (`YearColumns::
//! bytes`: its values, texts, counties and periods, as a frame holds them; the values alone
//! beside), the process's peak during that work (the year in memory included), what the work
//! added at its peak to what was resident before it, and the input columns with that added
//! against the input columns. `cargo bench --bench year_scale -- [n ...]` (default 200,000,
//! 1,000,000 and 5,000,000 organizations).

use exemplar::{Assessed, Options, Program};
use std::collections::BTreeMap;
use std::time::Instant;

/// Starts measuring the peak anew from what is resident now (Linux; elsewhere the peak is the
/// process's).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A line of the process's status in bytes (Linux), if known: `VmHWM` the peak resident memory
/// since `reset_peak`, `VmRSS` what is resident now.
fn status(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}

fn gb(bytes: u64) -> String {
    format!("{:.2}", bytes as f64 / 1e9)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    // One size a process: memory one size freed would otherwise serve the next unseen.
    if let [n] = args[..] {
        return Ok(measure(n)?);
    }
    let sizes = if args.is_empty() { vec![200_000, 1_000_000, 5_000_000] } else { args };
    println!(
        "| organizations | reports | generate (s) | score (s) | designate (s) | select (s) | pay (s) | \
         score → pay (s) | explain one (ms) | input columns (values) (GB) | peak memory (GB) | \
         added by the work (GB) | (input + added) / input |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let run = std::process::Command::new(std::env::current_exe()?).arg(n.to_string()).output()?;
        print!("{}", String::from_utf8_lossy(&run.stdout));
        if !run.status.success() {
            eprint!("{}", String::from_utf8_lossy(&run.stderr));
            std::process::exit(1);
        }
    }
    Ok(())
}

/// Prints the table's row for a year of `n` organizations.
fn measure(n: usize) -> Result<(), exemplar::Error> {
    let program = Program::default();
    let t = Instant::now();
    let year = exemplar::sample::sample_year_columns(&program, Some(n), 2023, 2023)?;
    let generate = t.elapsed().as_secs_f64();
    let values: usize = year.schemes().iter().map(|s| s.columns().iter().map(|c| c.len() * 8).sum::<usize>()).sum();
    let input = year.bytes();
    // The peak of the work on the year in memory, not of generating it.
    reset_peak();
    let before = status("VmRSS:");

    let t0 = Instant::now();
    let scores = program.score_year_columns(&year, Options { threads: 2, points: false })?;
    let rows = scores.rows(&program, &year);
    let score = t0.elapsed().as_secs_f64();
    let t = Instant::now();
    let designations = program.designations(&year, &rows)?;
    let designate = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let selection = program.select_designated(&year, &rows, &designations, &BTreeMap::new())?;
    let select = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pay = program.reward(&selection)?;
    let paid = t.elapsed().as_secs_f64();
    let total = t0.elapsed().as_secs_f64();
    assert_eq!(pay.paid_fen.0 + pay.rest_fen.0, pay.pool_fen.0);
    // A report in the middle of the year, found by organization and scheme, then worded.
    let middle = &rows[rows.len() / 2];
    let (org, scheme) = (middle.org_id().to_string(), middle.scheme().to_string());
    let t = Instant::now();
    let explained = program.explain(&program.score_in_year(&year, &org, &scheme, None)?)?;
    let explain = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(explained.score, middle.score());
    let (peak, added) = match (status("VmHWM:"), before) {
        (Some(peak), Some(before)) => (gb(peak), Some(peak.saturating_sub(before))),
        _ => ("?".into(), None),
    };
    let ratio = added.map_or("?".into(), |a| format!("{:.2}", (input as u64 + a) as f64 / input as f64));
    println!(
        "| {n} | {} | {generate:.2} | {score:.2} | {designate:.2} | {select:.2} | {paid:.3} | {total:.2} | \
         {explain:.3} | {} ({}) | {peak} | {} | {ratio} |",
        rows.len(),
        gb(input as u64),
        gb(values as u64),
        added.map_or("?".into(), gb),
    );
    Ok(())
}

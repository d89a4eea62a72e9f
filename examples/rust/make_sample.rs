//! Writes a generated sample year as CSV to standard output.
//! `cargo run --example make_sample -- [organizations] [seed] [year] > examples/data/sample_year.csv`
//! With no arguments it writes the committed sample year (1,488 organizations, seed 2023, 2023).

use exemplar::{Program, sample};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let n = args.first().map(|_| arg(0, 1488) as usize);
    let program = Program::default();
    let year = sample::sample_year(&program, n, arg(1, 2023), arg(2, 2023) as i32);
    if let Err(e) = year.to_csv(&program, std::io::stdout().lock()) {
        eprintln!("make_sample: {e}");
        std::process::exit(1);
    }
}

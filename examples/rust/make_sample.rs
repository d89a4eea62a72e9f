//! Writes the committed sample data into a folder (default `examples/data`): the year
//! (`sample_year.csv`: 1,488 organizations, seed 2023), its oversight set-up
//! (`oversight_2023.json`: groups and contact links) and records (`oversight_records_2023.csv`).
//! `cargo run --example make_sample [-- folder]`

use exemplar::oversight::calendar::Calendar;
use exemplar::{Program, sample};
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("make_sample: {e}");
        std::process::exit(1);
    }
}

fn run() -> exemplar::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/data");
    let dir = std::env::args().nth(1).map(PathBuf::from).unwrap_or(root);
    let io = |e: std::io::Error| exemplar::Error::Io { path: dir.display().to_string(), message: e.to_string() };
    let program = Program::default();
    let cal = Calendar::from_json(&std::fs::read_to_string(dir.join("calendar_2023.json")).map_err(io)?)?;
    let year = sample::sample_year(&program, None, 2023, 2023)?;
    year.to_csv(&program, std::fs::File::create(dir.join("sample_year.csv")).map_err(io)?)?;
    let mut o = sample::oversight(&program, &year, &cal, 2023);
    o.write_records_csv(std::fs::File::create(dir.join("oversight_records_2023.csv")).map_err(io)?)?;
    o.records.clear();
    let json = serde_json::to_string_pretty(&o).expect("oversight set-up serializes");
    std::fs::write(dir.join("oversight_2023.json"), json + "\n").map_err(io)?;
    Ok(())
}

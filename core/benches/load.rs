//! Prints how long a rule file of many criteria takes to load, valid and with every criterion id
//! repeated (a flood of problems): loading is near-linear. `cargo bench --bench load -- [n]`
//! (default 100,000 criteria).

use exemplar::Program;
use std::time::Instant;

/// A one-scheme program with `n` yes/no criteria of 0.01 point each (plus one to make 100), each
/// with its own id unless `same_id`.
fn program(n: usize, same_id: bool) -> String {
    let mut text = String::from(
        "[program]\nid = \"many\"\nname_zh = \"多\"\n\n[[indicators]]\nid = \"x\"\nname_zh = \"是否\"\nkind = \"yes_no\"\n\n\
         [bands]\n\n[[schemes]]\nid = \"a\"\nname_zh = \"甲\"\nmax_points = 100\n\n[[schemes.sections]]\nid = \"s\"\n\
         name_zh = \"节\"\nmax = 100\ncriteria = [\n",
    );
    for i in 0..n {
        let id = if same_id { "dup".to_string() } else { format!("c{i}") };
        text.push_str(&format!(
            "  {{ id = \"{id}\", name_zh = \"项\", points = 0.01, rule = {{ kind = \"yes_no\", indicator = \"x\" }} }},\n"
        ));
    }
    text.push_str(
        "  { id = \"rest\", name_zh = \"余\", points = 100, rule = { kind = \"yes_no\", indicator = \"x\" } },\n]\n",
    );
    text
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    println!("| rule file | criteria | load (s) | result |");
    println!("|---|---|---|---|");
    for (what, same_id) in [("valid", false), ("every id repeated", true)] {
        for size in [n / 10, n] {
            let text = program(size, same_id);
            let t = Instant::now();
            let r = Program::from_toml(&text);
            let s = t.elapsed().as_secs_f64();
            let result = match &r {
                Ok(_) => "loaded".to_string(),
                Err(e) => e.to_string().lines().last().unwrap_or_default().trim().to_string(),
            };
            println!("| {what}, TOML | {size} | {s:.3} | {result} |");
            if let Ok(p) = r {
                // The same program as JSON: what the TOML parser itself costs.
                let json = p.to_json();
                let t = Instant::now();
                Program::from_json(&json).expect("a loaded program loads back");
                println!("| {what}, JSON | {size} | {:.3} | loaded |", t.elapsed().as_secs_f64());
            }
        }
    }
}

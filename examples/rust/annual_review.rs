//! The main job: load the program and a year's data, evaluate every organization, designate the
//! weak and lax, name the exemplars, pay the reward pool, and print what a prefecture official reads.
//! `cargo run --release --example annual_review -- [program.toml|json] [year.csv]`
//! The oversight section reads `calendar_2023.json`, `oversight_2023.json` and
//! `oversight_records_2023.csv` from the folder of the year's CSV.

use exemplar::decisions::rectify::RectificationCase;
use exemplar::decisions::select::Exclusions;
use exemplar::oversight::calendar::Calendar;
use exemplar::oversight::status::{DueKind, Oversight, State};
use exemplar::sample::COUNTIES;
use exemplar::scoring::gap::Goal;
use exemplar::{Evaluation, Program, Year};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("annual_review: {e}");
        std::process::exit(1);
    }
}

fn run() -> exemplar::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let program = match args.first() {
        Some(p) => Program::from_path(p)?,
        None => Program::default(),
    };
    let data = args.get(1).map(PathBuf::from).unwrap_or_else(|| root.join("examples/data/sample_year.csv"));
    let year = Year::from_csv_path(&data, &program)?;
    let evals = program.evaluate_year(&year)?;
    let name = |id: &str| year.organization(id).map_or(id.to_string(), |o| o.name.clone());
    let county = |id: &str| year.organization(id).map_or(String::new(), |o| o.county.clone());
    let scheme_zh = |id: &str| program.scheme(id).map_or(id.to_string(), |s| s.name_zh.clone());

    println!("{}", program.file().program.name_zh);
    println!(
        "{} organizations, {} evaluations under {} schemes ({})\n",
        year.organizations.len(),
        evals.len(),
        program.schemes().len(),
        data.file_name().and_then(|f| f.to_str()).unwrap_or_default()
    );

    println!("== Stars per scheme (星级分布) ==");
    println!(
        "{:<34} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6} {:>7}",
        "scheme", "5★", "4★", "3★", "2★", "1★", "vetoed", "mean"
    );
    for s in program.schemes() {
        let of: Vec<&Evaluation> = evals.iter().filter(|e| e.scheme == s.id).collect();
        let mean = of.iter().map(|e| e.score.hundredths()).sum::<i64>() as f64 / of.len().max(1) as f64;
        let n = |k: u8| of.iter().filter(|e| e.stars.map(|s| s.get()) == Some(k)).count();
        let vetoed = of.iter().filter(|e| e.vetoed).count();
        println!(
            "{:<28} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6} {:>7}",
            s.name_zh,
            n(5),
            n(4),
            n(3),
            n(2),
            n(1),
            vetoed,
            exemplar::Points::round_hundredths(mean)
        );
    }

    println!("\n== Stars per county (各县市星级分布) ==");
    println!("{:<8} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6}", "county", "5★", "4★", "3★", "2★", "1★", "total");
    let mut per_county: BTreeMap<usize, [usize; 6]> = BTreeMap::new();
    for e in &evals {
        let c = county(&e.org_id);
        let k = COUNTIES.iter().position(|x| *x == c).unwrap_or(COUNTIES.len());
        let row = per_county.entry(k).or_default();
        row[usize::from(e.stars.map_or(0, |s| s.get()))] += 1;
    }
    for (k, row) in &per_county {
        let label = COUNTIES.get(*k).copied().unwrap_or("other");
        let total: usize = row.iter().sum();
        println!("{:<6} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6}", label, row[5], row[4], row[3], row[2], row[1], total);
    }

    let mut ranked: Vec<&Evaluation> = evals.iter().collect();
    ranked.sort_by(|a, b| {
        b.score.cmp(&a.score).then_with(|| a.org_id.cmp(&b.org_id)).then_with(|| a.scheme.cmp(&b.scheme))
    });
    println!("\n== Top 20 (得分前20) ==");
    for (i, e) in ranked.iter().take(20).enumerate() {
        println!(
            "{:>2}. {:>6}  {:<3} {:<28} {}",
            i + 1,
            e.score,
            e.stars.map_or("-".into(), |s| s.to_string()),
            name(&e.org_id),
            scheme_zh(&e.scheme)
        );
    }

    println!("\n== Weakest 10, with reasons and gaps (得分后10及差距) ==");
    for e in ranked.iter().rev().take(10) {
        println!("{:>6}  {:<28} {}  [{}]", e.score, name(&e.org_id), scheme_zh(&e.scheme), e.band_reason);
        let weak: Vec<String> = e
            .sheets
            .iter()
            .flat_map(|s| &s.sections)
            .flat_map(|s| &s.criteria)
            .filter(|c| c.points.hundredths() * 2 < c.max.hundredths())
            .take(4)
            .map(|c| format!("{} {}/{} ({})", c.name_zh, c.points, c.max, c.reason))
            .collect();
        for w in weak {
            println!("        low: {w}");
        }
        let gap = program.gap(e)?;
        if let Some(next) = &gap.next {
            println!(
                "        to reach {next}: {} more points{}",
                gap.points_needed,
                if gap.vetoed { " (vetoed: no band above the lowest)" } else { "" }
            );
            for g in gap.items.iter().take(3) {
                let now = g.value_now.map_or("missing".into(), |v| v.to_string());
                let need = g.value_needed.map_or("-".into(), |v| v.to_string());
                println!("          {} +{} (now {now}, needs {need})", g.name_zh, g.attainable);
            }
            println!("        plan: {}", program.improvement_plan(e, Goal::Reach)?.summary);
        }
    }

    // Designate, select, reward.
    let designations = program.designate(&year, &evals)?;
    let exclusions = Exclusions::from_designations(&designations);
    let selection = program.select(&year, &evals, &exclusions)?;
    let allocation = program.reward(&selection)?;
    let award = |org: &str, scheme: &str| {
        allocation
            .awards
            .iter()
            .find(|a| a.id == org && a.scheme.as_deref() == Some(scheme))
            .map_or(exemplar::decisions::money::Fen::ZERO, |a| a.amount_fen)
    };

    println!("\n== Named exemplars (先进典型): {} of the target {} ==", selection.named.len(), selection.target);
    for s in program.schemes() {
        let of: Vec<_> = selection.named.iter().filter(|n| n.scheme == s.id).collect();
        let paid = exemplar::decisions::money::Fen(of.iter().map(|n| award(&n.org_id, &n.scheme).0).sum());
        println!("\n{} — {} named, {} yuan", s.name_zh, of.len(), paid);
        for c in COUNTIES {
            let here: Vec<_> = of.iter().filter(|n| n.county == c).collect();
            if here.is_empty() {
                continue;
            }
            println!("  {c} ({})", here.len());
            for n in here {
                let tier = n.tier.map_or("-".into(), |t| t.to_string());
                println!(
                    "    {:>6}  {:<3} {:>10} yuan  {}",
                    n.score,
                    tier,
                    award(&n.org_id, &n.scheme),
                    name(&n.org_id)
                );
            }
        }
    }
    for s in &selection.shortfalls {
        println!("  shortfall: {s}");
    }

    println!("\n== Reward pool (以奖代补) ==");
    println!(
        "pool {} yuan; paid {} yuan to {} exemplars; undistributed {} yuan",
        allocation.pool_fen,
        allocation.paid_fen,
        allocation.awards.iter().filter(|a| a.amount_fen.0 > 0).count(),
        allocation.rest_fen
    );

    println!("\n== Waiting list (候补), first {} ==", selection.waiting.len());
    for w in &selection.waiting {
        println!(
            "{:>4}. {:>6}  {}  {} — {}",
            w.rank.unwrap_or(0),
            w.score,
            name(&w.org_id),
            scheme_zh(&w.scheme),
            w.reason
        );
    }

    let opened = chrono::NaiveDate::from_ymd_opt(year.reports.first().map_or(2023, |r| r.period.year_number()), 12, 31)
        .expect("a valid year");
    let cases: Vec<RectificationCase> = designations.iter().map(|d| RectificationCase::open(d, opened)).collect();
    println!("\n== Rectification list (软弱涣散整顿): {} organizations, cases opened {opened} ==", cases.len());
    for c in &cases {
        println!("  {} ({})", name(&c.org_id), county(&c.org_id));
        for r in &c.reasons {
            println!("      {r}");
        }
    }

    // Oversight as of the year's last day.
    let dir = data.parent().map(PathBuf::from).unwrap_or_default();
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .map_err(|e| exemplar::Error::Io { path: dir.join(name).display().to_string(), message: e.to_string() })
    };
    let cal = Calendar::from_json(&read("calendar_2023.json")?)?;
    let mut oversight: Oversight =
        serde_json::from_str(&read("oversight_2023.json")?).map_err(|e| exemplar::Error::Data {
            source_name: "oversight_2023.json".into(),
            line: Some(e.line() as u64),
            message: e.to_string(),
        })?;
    oversight.read_records_csv(read("oversight_records_2023.csv")?.as_bytes())?;
    let as_of = oversight.period.days().1;
    let status = program.oversight_status(&oversight, &year, &cal, as_of)?;
    let overdue = |i: &&exemplar::oversight::status::DueItem| matches!(i.state, State::Overdue { .. });
    let days = |s: State| if let State::Overdue { days } = s { days } else { 0 };
    println!("\n== Oversight as of {as_of} (督导: 一月一调度、一季一督查、联系点) ==");
    println!("Chains and groups behind schedule:");
    for i in status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Cadence) {
        println!("  {}  due {}  {} days overdue", i.name_zh, i.due, days(i.state));
    }
    println!("Cadres behind on contact visits (missed windows, days overdue):");
    let mut by_cadre: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for i in status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Visit) {
        let (cadre, org) = i.subject.split_once(" → ").unwrap_or((&i.subject, ""));
        by_cadre.entry(cadre).or_default().push(format!("{} {}d", name(org), days(i.state)));
    }
    for (cadre, missed) in &by_cadre {
        println!("  {cadre}: {}", missed.join(", "));
    }
    let late_tasks = status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Task).count();
    println!("Tasks not done by their deadline: {late_tasks}");
    println!("Completion and on-time rates per county:");
    for r in COUNTIES.iter().filter_map(|c| status.by_county.iter().find(|r| r.key == *c)) {
        println!(
            "  {:<6} {:>4} due  {:>5.1}% done  {:>5.1}% on time",
            r.key,
            r.due,
            100.0 * r.completion(),
            100.0 * r.on_time_rate()
        );
    }

    // The same block is printed by examples/python/annual_review.py and examples/c; the test
    // command compares them.
    let stars = |k: u8| evals.iter().filter(|e| e.stars.map(|s| s.get()) == Some(k)).count();
    let group_overdue = status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Cadence).count();
    let visits_overdue = status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Visit).count();
    println!("\n== Summary ==");
    println!(
        "evaluations {}; 5★ {} 4★ {} 3★ {} 2★ {} 1★ {}; vetoed {}",
        evals.len(),
        stars(5),
        stars(4),
        stars(3),
        stars(2),
        stars(1),
        evals.iter().filter(|e| e.vetoed).count()
    );
    let top: Vec<String> = ranked.iter().take(20).map(|e| e.score.to_string()).collect();
    println!("top 20: {}", top.join(" "));
    println!(
        "named {}; paid {} yuan; rest {} yuan; waiting {}",
        selection.named.len(),
        allocation.paid_fen,
        allocation.rest_fen,
        selection.waiting.len()
    );
    println!("rectification {} organizations", cases.len());
    println!(
        "oversight as of {as_of}: {group_overdue} group items, {visits_overdue} visits, {late_tasks} tasks overdue"
    );
    let warnings = program.lint();
    println!("program {}; rule-file warnings {}", program.content_hash(), warnings.len());
    for w in warnings {
        println!("warning: {}: {}", w.place, w.message);
    }
    Ok(())
}

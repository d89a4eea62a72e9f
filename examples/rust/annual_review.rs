//! The main job: load the program and a year's data, evaluate every organization, designate the
//! weak and lax, name the exemplars, pay the reward pool, and print what a prefecture official reads.
//! `cargo run --release --example annual_review -- [program.toml|json] [year.csv] [--language zh|en] [--out folder]`
//! Everything is printed in the program's language (Chinese for the built-in program), or in the
//! one `--language` names; the annual workbook (`annual_review.xlsx`) and the public notice
//! (`notice.html`) are written to the `--out` folder (`target/annual_review` by default).
//! The oversight section reads `calendar_2023.json`, `oversight_2023.json` and
//! `oversight_records_2023.csv` from the folder of the year's CSV.

use exemplar::decisions::rectify::RectificationCase;
use exemplar::documents::notice::Notice;
use exemplar::oversight::calendar::Calendar;
use exemplar::oversight::status::{DueKind, Oversight, State};
use exemplar::sample::COUNTIES;
use exemplar::scoring::gap::Goal;
use exemplar::{Evaluation, Language, Program, Year};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("annual_review: {e}");
        std::process::exit(1);
    }
}

fn run() -> exemplar::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut option = |name: &str| {
        let i = args.iter().position(|a| a == name)?;
        args.drain(i..(i + 2).min(args.len())).nth(1).or_else(|| Some(String::new()))
    };
    let language = option("--language").map(|l| l.parse::<Language>()).transpose()?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = option("--out").map_or_else(|| root.join("target/annual_review"), PathBuf::from);
    let program = match args.first() {
        Some(p) => Program::from_path(p)?,
        None => Program::default(),
    };
    let program = match language {
        Some(lang) => program.with_language(lang),
        None => program,
    };
    let lang = program.language();
    let zh = lang == Language::Zh;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let data = args.get(1).map(PathBuf::from).unwrap_or_else(|| root.join("examples/data/sample_year.csv"));
    let year = Year::from_csv_path(&data, &program)?;
    let review = program.annual_review(&year)?;
    let evals = &review.evaluations;
    let name = |id: &str| year.organization(id).map_or(id.to_string(), |o| o.name.clone());
    let county = |id: &str| year.organization(id).map_or(String::new(), |o| o.county.clone());
    let scheme_name = |id: &str| program.plan(id).map_or(id.to_string(), |p| p.name(lang).to_string());
    let info = &program.file().program;
    let file = data.file_name().and_then(|f| f.to_str()).unwrap_or_default();
    let (orgs, n, schemes) = (year.organizations.len(), evals.len(), program.schemes().len());
    if zh {
        println!("{}", info.name_zh);
        println!("{orgs}个党组织，{schemes}个方案下{n}份评价（{file}）\n");
    } else {
        println!("{}", info.name_en.as_deref().unwrap_or(&info.id));
        println!("{orgs} organizations, {n} evaluations under {schemes} schemes ({file})\n");
    }

    println!("{}", t("== 各示范区星级分布 ==", "== Stars per scheme =="));
    // A Chinese character takes two columns of a terminal.
    let (w, wh) = if zh { (28, 34) } else { (48, 48) };
    println!(
        "{:<wh$} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6} {:>7}",
        t("方案", "scheme"),
        "5★",
        "4★",
        "3★",
        "2★",
        "1★",
        t("否决", "vetoed"),
        t("平均分", "mean")
    );
    for s in program.schemes() {
        let of: Vec<&Evaluation> = evals.iter().filter(|e| e.scheme == s.id).collect();
        let mean = of.iter().map(|e| e.score.hundredths()).sum::<i64>() as f64 / of.len().max(1) as f64;
        let n = |k: u8| of.iter().filter(|e| e.stars.map(|s| s.get()) == Some(k)).count();
        let vetoed = of.iter().filter(|e| e.vetoed).count();
        println!(
            "{:<w$} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6} {:>7}",
            scheme_name(&s.id),
            n(5),
            n(4),
            n(3),
            n(2),
            n(1),
            vetoed,
            exemplar::Points::round_hundredths(mean)
        );
    }

    println!("\n{}", t("== 各县市星级分布 ==", "== Stars per county =="));
    println!(
        "{:<8} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6}",
        t("县市", "county"),
        "5★",
        "4★",
        "3★",
        "2★",
        "1★",
        t("合计", "total")
    );
    let mut per_county: BTreeMap<usize, [usize; 6]> = BTreeMap::new();
    for e in evals {
        let c = county(&e.org_id);
        let k = COUNTIES.iter().position(|x| *x == c).unwrap_or(COUNTIES.len());
        let row = per_county.entry(k).or_default();
        row[usize::from(e.stars.map_or(0, |s| s.get()))] += 1;
    }
    for (k, row) in &per_county {
        let label = COUNTIES.get(*k).copied().unwrap_or(t("其他", "other"));
        let total: usize = row.iter().sum();
        println!("{:<6} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6}", label, row[5], row[4], row[3], row[2], row[1], total);
    }

    let mut ranked: Vec<&Evaluation> = evals.iter().collect();
    ranked.sort_by(|a, b| {
        b.score.cmp(&a.score).then_with(|| a.org_id.cmp(&b.org_id)).then_with(|| a.scheme.cmp(&b.scheme))
    });
    println!("\n{}", t("== 得分前20 ==", "== Top 20 =="));
    for (i, e) in ranked.iter().take(20).enumerate() {
        println!(
            "{:>2}. {:>6}  {:<3} {:<28} {}",
            i + 1,
            e.score,
            e.stars.map_or("-".into(), |s| s.to_string()),
            name(&e.org_id),
            scheme_name(&e.scheme)
        );
    }

    println!("\n{}", t("== 得分后10及差距 ==", "== Weakest 10, with reasons and gaps =="));
    let criterion_name = |scheme: &str, id: &str, name_zh: &str| {
        program.plan(scheme).ok().and_then(|p| p.criterion_name(id, lang)).unwrap_or(name_zh).to_string()
    };
    for e in ranked.iter().rev().take(10) {
        println!("{:>6}  {:<28} {}  [{}]", e.score, name(&e.org_id), scheme_name(&e.scheme), e.band_reason);
        let weak: Vec<String> = e
            .sheets
            .iter()
            .flat_map(|s| &s.sections)
            .flat_map(|s| &s.criteria)
            .filter(|c| c.points.hundredths() * 2 < c.max.hundredths())
            .take(4)
            .map(|c| {
                let (name, points, max, reason) =
                    (criterion_name(&e.scheme, &c.id, &c.name_zh), c.points, c.max, &c.reason);
                if zh {
                    format!("{name} {points}/{max}（{reason}）")
                } else {
                    format!("{name} {points}/{max} ({reason})")
                }
            })
            .collect();
        for w in weak {
            println!("        {}{w}", t("失分较多：", "low: "));
        }
        let gap = program.gap(e)?;
        if let Some(next) = &gap.next {
            let (points, vetoed) = (gap.points_needed, gap.vetoed);
            match (zh, vetoed) {
                (true, false) => println!("        达到{next}还需{points}分"),
                (true, true) => println!("        达到{next}还需{points}分（已一票否决：不能高于最低档次）"),
                (false, false) => println!("        to reach {next}: {points} more points"),
                (false, true) => {
                    println!("        to reach {next}: {points} more points (vetoed: no band above the lowest)")
                }
            }
            for g in gap.items.iter().take(3) {
                let now = g.value_now.map_or(t("未填报", "missing").into(), |v| v.to_string());
                let need = g.value_needed.map_or("-".into(), |v| v.to_string());
                let (name, gain) = (criterion_name(&e.scheme, &g.criterion, &g.name_zh), g.attainable);
                if zh {
                    println!("          {name}+{gain}分（现为{now}，需达到{need}）");
                } else {
                    println!("          {name} +{gain} (now {now}, needs {need})");
                }
            }
            println!("        {}{}", t("提升方案：", "plan: "), program.improvement_plan(e, Goal::Reach)?.summary);
        }
    }

    let (designations, selection, allocation) = (&review.designations, &review.selection, &review.allocation);
    let award = |org: &str, scheme: &str| {
        allocation
            .awards
            .iter()
            .find(|a| a.id == org && a.scheme.as_deref() == Some(scheme))
            .map_or(exemplar::decisions::money::Fen::ZERO, |a| a.amount_fen)
    };

    let (named, target) = (selection.named.len(), selection.target);
    if zh {
        println!("\n== 先进典型：推荐{named}个（目标{target}个） ==");
    } else {
        println!("\n== Named exemplars: {named} of the target {target} ==");
    }
    for s in program.schemes() {
        let of: Vec<_> = selection.named.iter().filter(|n| n.scheme == s.id).collect();
        let paid = exemplar::decisions::money::Fen(of.iter().map(|n| award(&n.org_id, &n.scheme).0).sum());
        let (scheme, count) = (scheme_name(&s.id), of.len());
        if zh {
            println!("\n{scheme} — 推荐{count}个，{paid}元");
        } else {
            println!("\n{scheme} — {count} named, {paid} yuan");
        }
        for c in COUNTIES {
            let here: Vec<_> = of.iter().filter(|n| n.county == c).collect();
            if here.is_empty() {
                continue;
            }
            let k = here.len();
            if zh {
                println!("  {c}（{k}个）")
            } else {
                println!("  {c} ({k})")
            }
            for n in here {
                let tier = n.tier.map_or("-".into(), |t| t.to_string());
                println!(
                    "    {:>6}  {:<3} {:>10} {}  {}",
                    n.score,
                    tier,
                    award(&n.org_id, &n.scheme),
                    t("元", "yuan"),
                    name(&n.org_id)
                );
            }
        }
    }
    for s in &selection.shortfalls {
        println!("  {}{s}", t("未达最低名额：", "shortfall: "));
    }

    println!("\n{}", t("== 以奖代补资金 ==", "== Reward pool =="));
    let (pool, paid, rest) = (allocation.pool_fen, allocation.paid_fen, allocation.rest_fen);
    let paid_to = allocation.awards.iter().filter(|a| a.amount_fen.0 > 0).count();
    if zh {
        println!("资金池{pool}元；已向{paid_to}个先进典型发放{paid}元；结余{rest}元");
    } else {
        println!("pool {pool} yuan; paid {paid} yuan to {paid_to} exemplars; undistributed {rest} yuan");
    }

    let waiting = selection.waiting.len();
    println!(
        "\n{}",
        if zh {
            format!("== 候补名单（前{waiting}个） ==")
        } else {
            format!("== Waiting list, first {waiting} ==")
        }
    );
    for w in &selection.waiting {
        println!(
            "{:>4}. {:>6}  {}  {} — {}",
            w.rank.unwrap_or(0),
            w.score,
            name(&w.org_id),
            scheme_name(&w.scheme),
            w.reason
        );
    }

    let opened = chrono::NaiveDate::from_ymd_opt(year.reports.first().map_or(2023, |r| r.period.year_number()), 12, 31)
        .expect("a valid year");
    let cases: Vec<RectificationCase> = designations.iter().map(|d| RectificationCase::open(d, opened)).collect();
    let n_cases = cases.len();
    if zh {
        println!("\n== 软弱涣散整顿名单：{n_cases}个党组织，{opened}立案 ==");
    } else {
        println!("\n== Rectification list: {n_cases} organizations, cases opened {opened} ==");
    }
    for c in &cases {
        let (org, county) = (name(&c.org_id), county(&c.org_id));
        if zh {
            println!("  {org}（{county}）")
        } else {
            println!("  {org} ({county})")
        }
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
            message: exemplar::Text::parser(&e),
        })?;
    oversight.read_records_csv(read("oversight_records_2023.csv")?.as_bytes())?;
    let as_of = oversight.period.days().1;
    let status = program.oversight_status(&oversight, &year, &cal, as_of)?;
    let overdue = |i: &&exemplar::oversight::status::DueItem| matches!(i.state, State::Overdue { .. });
    let days = |s: State| if let State::Overdue { days } = s { days } else { 0 };
    let item_name = |i: &exemplar::oversight::status::DueItem| lang.pick(&i.name_zh, &i.name_en).to_string();
    if zh {
        println!("\n== 截至{as_of}的督导（一月一调度、一季一督查、联系点） ==");
        println!("进度滞后的产业链和工作组：");
    } else {
        println!("\n== Oversight as of {as_of} (monthly dispatch, quarterly inspection, contact points) ==");
        println!("Chains and groups behind schedule:");
    }
    for i in status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Cadence) {
        let (name, due, d) = (item_name(i), i.due, days(i.state));
        if zh {
            println!("  {name}  应于{due}完成  逾期{d}天");
        } else {
            println!("  {name}  due {due}  {d} days overdue");
        }
    }
    println!(
        "{}",
        t(
            "联系点调研滞后的领导干部（错过的期次，逾期天数）：",
            "Cadres behind on contact visits (missed windows, days overdue):"
        )
    );
    let mut by_cadre: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for i in status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Visit) {
        let (cadre, org) = i.subject.split_once(" → ").unwrap_or((&i.subject, ""));
        by_cadre.entry(cadre).or_default().push(format!("{} {}{}", name(org), days(i.state), t("天", "d")));
    }
    for (cadre, missed) in &by_cadre {
        println!("  {cadre}{}{}", t("：", ": "), missed.join(lang.list_sep()));
    }
    let late_tasks = status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Task).count();
    if zh {
        println!("未按期完成的任务：{late_tasks}项");
        println!("各县市完成率和按期完成率：");
    } else {
        println!("Tasks not done by their deadline: {late_tasks}");
        println!("Completion and on-time rates per county:");
    }
    for r in COUNTIES.iter().filter_map(|c| status.by_county.iter().find(|r| r.key == *c)) {
        let (due, done, on_time) = (r.due, 100.0 * r.completion(), 100.0 * r.on_time_rate());
        if zh {
            println!("  {:<6} 应完成{due:>4}项  完成率{done:>5.1}%  按期完成率{on_time:>5.1}%", r.key);
        } else {
            println!("  {:<6} {due:>4} due  {done:>5.1}% done  {on_time:>5.1}% on time", r.key);
        }
    }

    // The documents officials keep and post: the annual workbook and the public notice.
    let io = |e: std::io::Error| exemplar::Error::Io { path: out.display().to_string(), message: e.to_string() };
    std::fs::create_dir_all(&out).map_err(io)?;
    let out = std::fs::canonicalize(&out).map_err(io)?;
    std::fs::write(out.join("annual_review.xlsx"), program.annual_workbook(&year, &review)?).map_err(io)?;
    let notice = sample_notice(lang);
    std::fs::write(out.join("notice.html"), program.public_notice(&year, selection, &notice, &cal)?).map_err(io)?;
    if zh {
        println!("\n已写入{}：annual_review.xlsx、notice.html", out.display());
    } else {
        println!("\nwrote annual_review.xlsx and notice.html to {}", out.display());
    }

    // The same block is printed by examples/python/annual_review.py and examples/c; the test
    // command compares them.
    let stars = |k: u8| evals.iter().filter(|e| e.stars.map(|s| s.get()) == Some(k)).count();
    let group_overdue = status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Cadence).count();
    let visits_overdue = status.items.iter().filter(overdue).filter(|i| i.kind == DueKind::Visit).count();
    let (n, vetoed) = (evals.len(), evals.iter().filter(|e| e.vetoed).count());
    let top: Vec<String> = ranked.iter().take(20).map(|e| e.score.to_string()).collect();
    let top = top.join(" ");
    let (named, waiting, rectified) = (selection.named.len(), selection.waiting.len(), cases.len());
    let (paid, rest) = (allocation.paid_fen, allocation.rest_fen);
    let warnings = program.lint();
    let (hash, n_warnings) = (program.content_hash(), warnings.len());
    let [s5, s4, s3, s2, s1] = [5, 4, 3, 2, 1].map(stars);
    if zh {
        println!("\n== 汇总 ==");
        println!("评价{n}份；5★ {s5} 4★ {s4} 3★ {s3} 2★ {s2} 1★ {s1}；一票否决{vetoed}份");
        println!("前20名得分：{top}");
        println!("推荐{named}个；发放{paid}元；结余{rest}元；候补{waiting}个");
        println!("软弱涣散整顿{rectified}个党组织");
        println!(
            "截至{as_of}的督导：逾期工作组事项{group_overdue}项、联系点调研{visits_overdue}次、任务{late_tasks}项"
        );
        println!("规则文件{hash}；警告{n_warnings}条");
    } else {
        println!("\n== Summary ==");
        println!("evaluations {n}; 5★ {s5} 4★ {s4} 3★ {s3} 2★ {s2} 1★ {s1}; vetoed {vetoed}");
        println!("top 20: {top}");
        println!("named {named}; paid {paid} yuan; rest {rest} yuan; waiting {waiting}");
        println!("rectification {rectified} organizations");
        println!(
            "oversight as of {as_of}: {group_overdue} group items, {visits_overdue} visits, {late_tasks} tasks overdue"
        );
        println!("program {hash}; rule-file warnings {n_warnings}");
    }
    for w in warnings {
        println!("{}{}{}{}", t("警告：", "warning: "), w.place, t("：", ": "), w.message);
    }
    Ok(())
}

/// The sample's notice: posted on Monday 25 December 2023, five working days to the 29th.
fn sample_notice(lang: Language) -> Notice {
    Notice {
        posted: chrono::NaiveDate::from_ymd_opt(2023, 12, 25).expect("a valid date"),
        issuer: lang.pick("中共楚雄州委组织部", "Organization Department, CPC Chuxiong Prefecture Committee").into(),
        contact: lang
            .pick(
                "州委组织部组织科（电话：0878-3120000）",
                "the Organization Section of the Organization Department (tel. 0878-3120000)",
            )
            .into(),
    }
}

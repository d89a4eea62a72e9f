//! Replays the shared hand-worked fixtures in `tests/fixtures/` (also replayed by the Python and
//! C tests): every expected total, band, criterion, gap and error; and bulk equals single.

use exemplar::decisions::select::{Exclusions, Selection};
use exemplar::scoring::gap::Goal;
use exemplar::{Error, Language, Points, Program, Report, Year};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn pts(v: &Value) -> Points {
    Points::round(v.as_f64().expect("fixture points are numbers"))
}

fn load(dir: &Path, case: &Value) -> Program {
    match case["program"].as_str().expect("case names its program") {
        "default" => Program::default(),
        file => Program::from_path(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.display())),
    }
}

/// Reports: every expected total, band, criterion, gap and error; and bulk equals single.
fn check_reports(name: &str, dir: &Path, case: &Value) -> usize {
    let program = load(dir, case);
    let mut compared = 0;
    let reports = case["reports"].as_array().unwrap();
    let expected = case["expected"].as_array().unwrap();
    assert_eq!(reports.len(), expected.len(), "{name}: one expectation per report");
    for (r, want) in reports.iter().zip(expected) {
        let report: Report = serde_json::from_value(r.clone()).unwrap();
        let at = format!("{name}/{}", report.org_id);
        let got = program.evaluate(&report);
        if let Some(parts) = want.get("error") {
            let msg = match got {
                Err(e @ Error::Input { .. }) => e.to_string(),
                other => panic!("{at}: expected an input error, got {other:?}"),
            };
            for p in parts.as_array().unwrap() {
                assert!(msg.contains(p.as_str().unwrap()), "{at}: `{msg}` lacks `{p}`");
            }
            compared += 1;
            continue;
        }
        let e = got.unwrap_or_else(|err| panic!("{at}: {err}"));
        assert_eq!(e.score, pts(&want["score"]), "{at}: total ({})", want["why"]);
        assert_eq!(e.stars.map(|s| s.get() as u64), want["stars"].as_u64(), "{at}: stars");
        assert_eq!(e.standing.map(|s| s.to_string()), want["standing"].as_str().map(String::from), "{at}: standing");
        assert_eq!(e.vetoed, want["vetoed"].as_bool().unwrap(), "{at}: vetoed");
        if let Some(v) = want.get("vetoes") {
            let ids: Vec<&str> = e.vetoes.iter().map(|v| v.id.as_str()).collect();
            let want: Vec<&str> = v.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
            assert_eq!(ids, want, "{at}: vetoes");
        }
        for (id, p) in want.get("sections").and_then(Value::as_object).into_iter().flatten() {
            let s = e.sheets[0].sections.iter().find(|s| &s.id == id).unwrap_or_else(|| panic!("{at}: section {id}"));
            assert_eq!(s.points, pts(p), "{at}: section {id}");
        }
        let cp = e.criterion_points();
        for (id, p) in want.get("criteria").and_then(Value::as_object).into_iter().flatten() {
            let got = cp.iter().find(|(c, _)| c == id).unwrap_or_else(|| panic!("{at}: criterion {id}")).1;
            assert_eq!(got, pts(p), "{at}: criterion {id}");
        }
        if let Some(g) = want.get("gap") {
            let gap = program.gap(&e).unwrap();
            assert_eq!(gap.next.as_deref(), g["next"].as_str(), "{at}: gap next");
            assert_eq!(gap.points_needed, pts(&g["points_needed"]), "{at}: gap points");
            for (i, item) in g.get("items").and_then(Value::as_array).into_iter().flatten().enumerate() {
                let it = &gap.items[i];
                assert_eq!(it.criterion, item[0].as_str().unwrap(), "{at}: gap item {i}");
                assert_eq!(it.attainable, pts(&item[1]), "{at}: gap item {i} attainable");
                assert_eq!(it.value_needed, item[2].as_f64(), "{at}: gap item {i} value");
            }
            for c in g.get("unmet_conditions").and_then(Value::as_array).into_iter().flatten() {
                let en = program.with_language(Language::En).gap(&e).unwrap();
                for (gap, lang) in [(&gap, Language::Zh), (&en, Language::En)] {
                    let c = text(c, lang);
                    assert!(gap.unmet_conditions.iter().any(|u| u.contains(c)), "{at}: unmet {c}");
                }
            }
        }
        for (goal, want) in want.get("plans").and_then(Value::as_object).into_iter().flatten() {
            let goal = if goal == "reach" { Goal::Reach } else { Goal::Keep };
            let plan = program.improvement_plan(&e, goal).unwrap();
            let steps: Vec<(String, Points, Option<f64>)> =
                plan.steps.iter().map(|s| (s.criterion.clone(), s.points, s.value_needed)).collect();
            let expected: Vec<(String, Points, Option<f64>)> = want["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| (x[0].as_str().unwrap().to_string(), pts(&x[1]), x[2].as_f64()))
                .collect();
            assert_eq!(steps, expected, "{at}: {goal:?} plan: {}", plan.summary);
            assert_eq!(plan.achievable, want["achievable"].as_bool().unwrap(), "{at}: {}", plan.summary);
            assert_eq!(plan.conditions.len(), want["conditions"].as_u64().unwrap() as usize, "{at}: {}", plan.summary);
        }
        // The same report through the bulk path gives the same numbers.
        let plan = program.plan(&report.scheme).unwrap();
        let row = program.report_row(&report).unwrap();
        let cols: Vec<&[f64]> = row.iter().map(std::slice::from_ref).collect();
        let bulk = plan.evaluate_columns(&cols, &|_| report.org_id.clone()).unwrap();
        assert_eq!(bulk.score[0], e.score, "{at}: bulk total");
        assert_eq!(bulk.stars[0], e.stars.map_or(0, |s| s.get()), "{at}: bulk stars");
        assert_eq!(bulk.standing[0], e.standing.map_or(0, |s| s.code()), "{at}: bulk standing");
        assert_eq!(bulk.vetoed[0], e.vetoed, "{at}: bulk vetoed");
        for (c, (_, p)) in cp.iter().enumerate() {
            assert_eq!(bulk.criteria[c][0], *p, "{at}: bulk criterion {c}");
        }
        // The same report as a flat row read key by key (`role.indicator` for an assessor's
        // value, keys in reverse order) fills the same input row.
        let mut keys: Vec<(String, f64)> = report.values.iter().map(|(k, v)| (k.clone(), *v)).collect();
        for (role, values) in &report.assessments {
            keys.extend(values.iter().map(|(k, v)| (format!("{role}.{k}"), *v)));
        }
        let mut flat = program.row_input(&report.org_id, &report.scheme, report.period).unwrap();
        for (k, v) in keys.iter().rev() {
            flat.flat(k, *v).unwrap();
        }
        for ev in &report.events {
            flat.event(ev).unwrap();
        }
        let flat = flat.finish().unwrap();
        assert!(flat.iter().zip(&row).all(|(a, b)| a.to_bits() == b.to_bits()), "{at}: flat row");
        compared += 1;
    }
    compared
}

/// Rule files that must fail to load: every problem with its place, and no other.
/// Every warning of each rule file, in order: its place and a part of its message, in English
/// and in Chinese.
fn check_lint(dir: &Path, case: &Value) -> usize {
    let mut compared = 0;
    for p in case["lint"].as_array().unwrap() {
        let file = p["file"].as_str().unwrap();
        let got = Program::from_path(dir.join(file)).unwrap().lint();
        let want = p["warnings"].as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{file}: {got:?}");
        for (w, want) in got.iter().zip(want) {
            let texts = [&w.place.en, &w.message.en, &w.place.zh, &w.message.zh];
            for (k, text) in texts.iter().enumerate() {
                let part = want[k].as_str().unwrap();
                let ok = if k % 2 == 0 { *text == part } else { text.contains(part) };
                assert!(ok, "{file}: `{text}` is not `{part}`");
            }
        }
        compared += 1;
    }
    compared
}

fn check_bad_programs(dir: &Path, case: &Value) -> usize {
    let mut compared = 0;
    for p in case["programs"].as_array().unwrap() {
        let file = p["file"].as_str().unwrap();
        let problems = match Program::from_path(dir.join(file)) {
            Err(Error::RuleFile(problems)) => problems,
            other => panic!("{file}: expected rule-file problems, got {other:?}"),
        };
        let want = p["problems"].as_array().unwrap();
        for w in want {
            let (line, text) = (w[0].as_u64().map(|l| l as usize), w[1].as_str().unwrap());
            assert!(
                problems.iter().any(|pr| pr.to_string().contains(text) && (line.is_none() || pr.line == line)),
                "{file}: no problem `{text}` at line {line:?} in:\n{}",
                problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
            );
        }
        assert_eq!(problems.len(), want.len(), "{file}: exactly the expected problems:\n{problems:#?}");
        compared += 1;
    }
    compared
}

/// One table of the `tables` fixture as the core's `Table`: text columns by name, the rest as
/// numbers (null is NaN).
enum Col {
    Text(Vec<Option<String>>),
    Numbers(Vec<f64>),
}

/// Tables of named columns: routing, events, absent columns and their errors.
fn check_tables(dir: &Path, case: &Value) -> usize {
    let program = load(dir, case);
    let tables = case["tables"].as_array().unwrap();
    let mut compared = 0;
    for t in tables {
        let name = t["name"].as_str().unwrap();
        let columns: Vec<(String, Col)> = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                let (col, values) = (pair[0].as_str().unwrap().to_string(), pair[1].as_array().unwrap());
                let c = if exemplar::scoring::table::TEXT_COLUMNS.contains(&col.as_str()) {
                    Col::Text(values.iter().map(|v| v.as_str().map(String::from)).collect())
                } else {
                    Col::Numbers(values.iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect())
                };
                (col, c)
            })
            .collect();
        let rows = match &columns[0].1 {
            Col::Text(v) => v.len(),
            Col::Numbers(v) => v.len(),
        };
        let mut table = exemplar::Table::new(rows);
        for (col, c) in &columns {
            table = match c {
                Col::Text(v) => table.text(col, v),
                Col::Numbers(v) => table.number(col, v),
            };
        }
        let got = program.evaluate_table(&table, t["scheme"].as_str());
        let want = &t["expected"];
        if let Some(parts) = want.get("error") {
            let msg = got.map(|_| String::new()).unwrap_or_else(|e| e.to_string());
            for p in parts.as_array().unwrap() {
                assert!(msg.contains(p.as_str().unwrap()), "{name}: `{msg}` lacks `{p}`");
            }
            compared += 1;
            continue;
        }
        let r = got.unwrap_or_else(|e| panic!("{name}: {e}"));
        let score: Vec<Points> = want["score"].as_array().unwrap().iter().map(pts).collect();
        assert_eq!(r.score, score, "{name}: {}", t["why"]);
        let standing: Vec<u8> =
            want["standing"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u8).collect();
        assert_eq!(r.standing, standing, "{name}: standing");
        let flags =
            |k: &str| -> Vec<bool> { want[k].as_array().unwrap().iter().map(|v| v.as_bool().unwrap()).collect() };
        assert_eq!(r.vetoed, flags("vetoed"), "{name}: vetoed");
        assert_eq!(r.weak_lax, flags("weak_lax"), "{name}: weak_lax");
        compared += 1;
    }
    compared
}

fn selection_program(dir: &Path, selection: &str, reward: Option<&str>) -> Program {
    let base = std::fs::read_to_string(dir.join("program.toml")).unwrap();
    let reward = reward.map(|r| format!("[reward]\n{r}\n")).unwrap_or_default();
    Program::from_toml(&format!("{base}\n[selection]\n{selection}\n{reward}")).unwrap()
}

fn exclusions(c: &Value) -> Exclusions {
    let map = |v: &Value| -> BTreeMap<String, String> {
        v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect()
    };
    Exclusions {
        weak_lax: map(&c["exclusions"]["weak_lax"]),
        procedure_incomplete: map(&c["exclusions"]["procedure_incomplete"]),
    }
}

fn run(p: &Program, year: &Year, ex: &Exclusions) -> Selection {
    let evals = p.evaluate_year(year).unwrap();
    p.select(year, &evals, ex).unwrap()
}

/// Selection: each quota kind and each exclusion reason, worked by hand in the fixture.
fn check_selection(dir: &Path, c: &Value) -> usize {
    let ex = exclusions(c);
    let mut compared = 0;
    for k in c["cases"].as_array().unwrap() {
        let name = k["name"].as_str().unwrap();
        let selection = format!("{}\n{}", c["selection_common"].as_str().unwrap(), k["selection"].as_str().unwrap());
        let p = selection_program(dir, &selection, k.get("reward").and_then(Value::as_str));
        let year = Year::from_csv_path(dir.join("year.csv"), &p).unwrap();
        let s = run(&p, &year, &ex);
        let got: Vec<(String, String, u64)> = s
            .named
            .iter()
            .map(|n| (n.org_id.clone(), n.scheme.clone(), n.tier.map_or(0, |t| t.get() as u64)))
            .collect();
        let want: Vec<(String, String, u64)> = k["named"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x[0].as_str().unwrap().into(), x[1].as_str().unwrap().into(), x[2].as_u64().unwrap()))
            .collect();
        assert_eq!(got, want, "{name}: {}", k["why"]);
        // The texts, in Chinese (the program's default) and in English: the same selection.
        for lang in [Language::Zh, Language::En] {
            let p = p.with_language(lang);
            let s = run(&p, &year, &ex);
            check_selection_texts(name, k, c, &s, lang);
        }
        // Every candidate is accounted for exactly once.
        assert_eq!(s.named.len() + s.not_named.len(), year.reports.len(), "{name}");
        check_reward(name, k, p.reward(&s));
        compared += 1;
    }
    compared
}

/// A fixture text in `lang`: `{"zh": …, "en": …}`.
fn text(v: &Value, lang: Language) -> &str {
    v[lang.code()].as_str().unwrap_or_else(|| panic!("{v} gives no {lang} text"))
}

/// The reasons for not naming, the bases of the named, the waiting list and the shortfalls, in
/// `lang`, as the case gives them.
fn check_selection_texts(name: &str, k: &Value, c: &Value, s: &Selection, lang: Language) {
    let reason = |key: &str| {
        let (org, scheme) = key.split_once(':').unwrap();
        s.not_named.iter().find(|n| n.org_id == org && n.scheme == scheme).map(|n| n.reason.clone())
    };
    for (key, words) in
        k.get("reasons").and_then(Value::as_object).into_iter().flatten().chain(c["always"].as_object().unwrap())
    {
        let r = reason(key).unwrap_or_else(|| panic!("{name}: {key} was named"));
        assert!(r.contains(text(words, lang)), "{name}: {key}: `{r}` lacks `{words}`");
    }
    for (key, words) in k.get("basis").and_then(Value::as_object).into_iter().flatten() {
        let (org, scheme) = key.split_once(':').unwrap();
        let n = s.named.iter().find(|n| n.org_id == org && n.scheme == scheme).unwrap();
        assert!(n.basis.contains(text(words, lang)), "{name}: {key}: `{}` lacks `{words}`", n.basis);
    }
    if let Some(w) = k.get("waiting") {
        let ids: Vec<&str> = s.waiting.iter().map(|n| n.org_id.as_str()).collect();
        let want: Vec<&str> = w.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
        assert_eq!(ids, want, "{name}: waiting list");
    }
    let want: Vec<&str> =
        k.get("shortfalls").and_then(Value::as_array).into_iter().flatten().map(|x| text(x, lang)).collect();
    assert_eq!(s.shortfalls, want, "{name}: shortfalls");
}

/// The awards (`org:scheme` → fen), what was paid, the rest, the scaling and each sub-pool's
/// part, or the error, as the case gives them.
fn check_reward(name: &str, k: &Value, got: exemplar::Result<exemplar::decisions::allocate::Allocation>) {
    if let Some(parts) = k.get("reward_error") {
        let e = got.expect_err(name).to_string();
        for part in parts.as_array().unwrap() {
            assert!(e.contains(part.as_str().unwrap()), "{name}: `{e}` lacks {part}");
        }
        return;
    }
    let Some(want) = k.get("awards") else { return };
    let a = got.unwrap();
    let awards: BTreeMap<String, i64> =
        a.awards.iter().map(|w| (format!("{}:{}", w.id, w.scheme.as_deref().unwrap_or("")), w.amount_fen.0)).collect();
    let want: BTreeMap<String, i64> =
        want.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_i64().unwrap())).collect();
    assert_eq!(awards, want, "{name}: {}", k["why"]);
    assert_eq!(
        (a.paid_fen.0, a.rest_fen.0),
        (k["paid_fen"].as_i64().unwrap(), k["rest_fen"].as_i64().unwrap()),
        "{name}"
    );
    assert_eq!(a.scaled_from_fen.map(|f| f.0), k.get("scaled_from_fen").and_then(Value::as_i64), "{name}");
    let parts: BTreeMap<String, i64> = a.sub_pools.iter().map(|s| (s.of.clone(), s.pool_fen.0)).collect();
    let want: BTreeMap<String, i64> = k
        .get("sub_pools")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect();
    assert_eq!(parts, want, "{name}: sub-pools");
}

/// Every folder of `tests/fixtures` is replayed, by what its `case.json` holds, and every
/// expectation in it is compared: a new fixture cannot be left out, nor half of one.
#[test]
fn every_fixture_is_replayed() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.json").exists())
        .collect();
    folders.sort();
    assert!(folders.len() >= 7, "the fixtures folder is found");
    for dir in folders {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
        let (compared, held) = if case.get("reports").is_some() {
            (check_reports(&name, &dir, &case), case["expected"].as_array().unwrap().len())
        } else if case.get("tables").is_some() {
            (check_tables(&dir, &case), case["tables"].as_array().unwrap().len())
        } else if case.get("programs").is_some() {
            (check_bad_programs(&dir, &case), case["programs"].as_array().unwrap().len())
        } else if case.get("lint").is_some() {
            (check_lint(&dir, &case), case["lint"].as_array().unwrap().len())
        } else if case.get("cases").is_some() {
            (check_selection(&dir, &case), case["cases"].as_array().unwrap().len())
        } else {
            panic!("{name}: a fixture of no known kind");
        };
        assert_eq!(compared, held, "{name}: every expectation compared");
    }
}

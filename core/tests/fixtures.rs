//! Replays the shared hand-worked fixtures in `tests/fixtures/` (also replayed by the Python and
//! C tests): every expected total, band, criterion, gap and error; and bulk equals single.

use exemplar::{Error, Points, Program, Report};
use serde_json::Value;
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

fn check_case(name: &str) {
    let dir = fixtures().join(name);
    let case: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let program = load(&dir, &case);
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
            continue;
        }
        let e = got.unwrap_or_else(|err| panic!("{at}: {err}"));
        assert_eq!(e.total, pts(&want["total"]), "{at}: total ({})", want["why"]);
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
                let c = c.as_str().unwrap();
                assert!(gap.unmet_conditions.iter().any(|u| u.contains(c)), "{at}: unmet {c}");
            }
        }
        // The same report through the bulk path gives the same numbers.
        let plan = program.plan(&report.scheme).unwrap();
        let row = program.report_row(&report).unwrap();
        let cols: Vec<&[f64]> = row.iter().map(std::slice::from_ref).collect();
        let bulk = plan.evaluate_columns(&cols, &|_| report.org_id.clone()).unwrap();
        assert_eq!(bulk.total[0], e.total, "{at}: bulk total");
        assert_eq!(bulk.stars[0], e.stars.map_or(0, |s| s.get()), "{at}: bulk stars");
        assert_eq!(bulk.standing[0], e.standing.map_or(0, |s| s.code()), "{at}: bulk standing");
        assert_eq!(bulk.vetoed[0], e.vetoed, "{at}: bulk vetoed");
        for (c, (_, p)) in cp.iter().enumerate() {
            assert_eq!(bulk.criteria[c][0], *p, "{at}: bulk criterion {c}");
        }
    }
}

#[test]
fn fixture_rule_kinds() {
    check_case("rule_kinds");
}

#[test]
fn fixture_star_sheet_110() {
    check_case("star_sheet_110");
}

#[test]
fn fixture_blended_classification() {
    check_case("blended_classification");
}

#[test]
fn fixture_default_relocation() {
    check_case("default_relocation");
}

#[test]
fn fixture_bad_programs_report_every_problem_with_its_place() {
    let dir = fixtures().join("bad_programs");
    let case: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
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
    }
}

/// One table of the `tables` fixture as the core's `Table`: text columns by name, the rest as
/// numbers (null is NaN).
enum Col {
    Text(Vec<Option<String>>),
    Numbers(Vec<f64>),
}

#[test]
fn fixture_tables() {
    let dir = fixtures().join("tables");
    let case: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let program = load(&dir, &case);
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
                let c = if exemplar::table::TEXT_COLUMNS.contains(&col.as_str()) {
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
    assert_eq!(compared, tables.len(), "every table compared");
}

//! Selection replayed from the shared fixture (`tests/fixtures/selection`): each quota kind and
//! each exclusion reason, worked by hand there; and shuffled input gives identical output.

use exemplar::select::{Exclusions, Selection};
use exemplar::{Program, Year};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/selection")
}

fn case() -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join("case.json")).unwrap()).unwrap()
}

fn program(selection: &str) -> Program {
    let base = std::fs::read_to_string(dir().join("program.toml")).unwrap();
    Program::from_toml(&format!("{base}\n[selection]\n{selection}\n")).unwrap()
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

#[test]
fn selection_fixture_cases() {
    let c = case();
    let ex = exclusions(&c);
    for k in c["cases"].as_array().unwrap() {
        let name = k["name"].as_str().unwrap();
        let p = program(&format!("{}\n{}", c["selection_common"].as_str().unwrap(), k["selection"].as_str().unwrap()));
        let year = Year::from_csv_path(dir().join("year.csv"), &p).unwrap();
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
        let reason = |key: &str| {
            let (org, scheme) = key.split_once(':').unwrap();
            s.not_named.iter().find(|n| n.org_id == org && n.scheme == scheme).map(|n| n.reason.clone())
        };
        for (key, words) in
            k.get("reasons").and_then(Value::as_object).into_iter().flatten().chain(c["always"].as_object().unwrap())
        {
            let r = reason(key).unwrap_or_else(|| panic!("{name}: {key} was named"));
            assert!(r.contains(words.as_str().unwrap()), "{name}: {key}: `{r}` lacks `{words}`");
        }
        for (key, words) in k.get("basis").and_then(Value::as_object).into_iter().flatten() {
            let (org, scheme) = key.split_once(':').unwrap();
            let n = s.named.iter().find(|n| n.org_id == org && n.scheme == scheme).unwrap();
            assert!(n.basis.contains(words.as_str().unwrap()), "{name}: {key}: `{}` lacks `{words}`", n.basis);
        }
        if let Some(w) = k.get("waiting") {
            let ids: Vec<&str> = s.waiting.iter().map(|n| n.org_id.as_str()).collect();
            let want: Vec<&str> = w.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
            assert_eq!(ids, want, "{name}: waiting list");
        }
        let want: Vec<&str> =
            k.get("shortfalls").and_then(Value::as_array).into_iter().flatten().map(|x| x.as_str().unwrap()).collect();
        assert_eq!(s.shortfalls, want, "{name}: shortfalls");
        // Every candidate is accounted for exactly once.
        assert_eq!(s.named.len() + s.not_named.len(), year.reports.len(), "{name}");
    }
}

#[test]
fn shuffled_input_gives_identical_selection_and_rewards() {
    let program = Program::default();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/sample_year.csv");
    let year = Year::from_csv_path(path, &program).unwrap();
    let evals = program.evaluate_year(&year).unwrap();
    let designations = program.designate(&year, &evals).unwrap();
    let ex = Exclusions::from_designations(&designations);
    let want = program.select(&year, &evals, &ex).unwrap();
    let pay = program.reward(&want).unwrap();
    // The main job's promise: 200 named, the whole 2,000,000.00 yuan paid, nothing left.
    assert_eq!(want.named.len(), 200);
    assert_eq!((pay.paid.0, pay.rest.0), (200_000_000, 0));
    assert!(pay.awards.iter().all(|a| (500_000..=2_000_000).contains(&a.amount.0)));

    let mut rng = exemplar::sample::Rng::new(5);
    let mut shuffled = evals.clone();
    let mut year2 = year.clone();
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.below(i + 1));
    }
    year2.organizations.reverse();
    year2.reports.reverse();
    assert_eq!(program.designate(&year2, &shuffled).unwrap(), designations);
    let got = program.select(&year2, &shuffled, &ex).unwrap();
    assert_eq!(got, want);
    assert_eq!(program.reward(&got).unwrap(), pay);
}

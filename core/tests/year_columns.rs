//! A year held as columns gives what the year of reports gives: the same results row for row, the
//! same explanations word for word, the same designations, selection and rewards; read from a
//! table of the flat year's columns it equals the year read from the same CSV.

use exemplar::data::year_columns::YearColumns;
use exemplar::decisions::select::Exclusions;
use exemplar::{Assessed, Options, Period, Program, Table, TextColumn, Year};
use std::path::Path;

fn sample() -> (Program, Year) {
    let program = Program::default();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/sample_year.csv");
    let year = Year::from_csv_path(path, &program).unwrap();
    (program, year)
}

/// The flat CSV as a table: the fixed columns as text, every other column as numbers (NaN for
/// an empty cell).
struct CsvTable {
    names: Vec<String>,
    texts: Vec<Vec<String>>,
    numbers: Vec<Vec<f64>>,
    rows: usize,
}

fn csv_table(text: &str) -> CsvTable {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let fixed = exemplar::data::year::FIXED_COLUMNS.len();
    let mut texts = vec![Vec::new(); fixed];
    let mut numbers = vec![Vec::new(); names.len() - fixed];
    let mut rows = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        for (i, cell) in rec.iter().enumerate() {
            match i < fixed {
                true => texts[i].push(cell.to_string()),
                false => numbers[i - fixed].push(if cell.is_empty() { f64::NAN } else { cell.parse().unwrap() }),
            }
        }
        rows += 1;
    }
    CsvTable { names, texts, numbers, rows }
}

impl CsvTable {
    fn table(&self) -> Table<'_> {
        let fixed = self.texts.len();
        let mut t = Table::new(self.rows);
        for (name, column) in self.names.iter().zip(&self.texts) {
            t = t.text(name, column as &dyn TextColumn);
        }
        for (name, column) in self.names[fixed..].iter().zip(&self.numbers) {
            t = t.number(name, column);
        }
        t
    }
}

#[test]
fn columns_score_decide_and_explain_as_the_reports_do() {
    let (program, year) = sample();
    let cols = YearColumns::from_year(&program, &year).unwrap();
    assert_eq!(cols.reports(), year.reports.len());
    let scores = program.score_year_columns(&cols, Options { threads: 1, points: true }).unwrap();
    let rows = scores.rows(&program, &cols);
    let evals = program.evaluate_year(&year).unwrap();
    assert_eq!(rows.len(), evals.len());
    for (r, e) in rows.iter().zip(&evals) {
        assert_eq!((r.org_id(), r.scheme(), r.period()), (e.org_id(), e.scheme(), e.period()));
        assert_eq!((r.score(), r.stars(), r.standing()), (e.score(), e.stars(), e.standing()));
        assert_eq!((r.vetoed(), r.is_weak_lax()), (e.vetoed(), e.is_weak_lax()));
        assert_eq!(r.veto_reasons(&program).unwrap(), e.veto_reasons(&program).unwrap());
        assert_eq!(r.weak_lax_reasons(&program).unwrap(), e.weak_lax_reasons(&program).unwrap());
        assert_eq!(program.explain(&r.scored()).unwrap(), *e);
        let place = r.in_year().unwrap();
        assert!(std::ptr::eq(place.year, &cols) && cols.organizations().id(place.org) == e.org_id());
    }
    // The sample year shows vetoes, situations and disqualifying events, so each rule is used.
    assert!(rows.iter().any(|r| r.vetoed()) && rows.iter().any(|r| r.is_weak_lax()));
    assert!(!cols.events().is_empty());

    let designations = program.designate(&year, &evals).unwrap();
    assert_eq!(program.designate(&cols, &rows).unwrap(), designations);
    let ex = Exclusions::from_designations(&designations, program.language());
    let want = program.select(&year, &evals, &ex).unwrap();
    let got = program.select(&cols, &rows, &ex).unwrap();
    assert_eq!(got, want);
    assert_eq!(program.reward(&got).unwrap(), program.reward(&want).unwrap());
    // The compact designations read as the list, and rule out as its words do, in either year.
    let compact = program.designations(&cols, &rows).unwrap();
    assert!(compact.iter().eq(designations.iter().cloned()) && compact.len() == designations.len());
    let none = std::collections::BTreeMap::new();
    assert_eq!(program.select_designated(&cols, &rows, &compact, &none).unwrap(), want);
    assert_eq!(program.select_designated(&year, &evals, &compact, &none).unwrap(), want);
    assert_eq!(program.select_designating(&cols, &rows, None, none).unwrap(), want);

    // A row given twice would count twice.
    let mut twice = rows.clone();
    twice.push(rows[5]);
    let e = program.select(&cols, &twice, &ex).unwrap_err().to_string();
    assert!(e.contains("evaluated twice for 2023") && e.contains(rows[5].org_id()), "{e}");
    assert!(program.designate(&cols, &twice).is_err());

    // Without the points asked for, only the tie-break criterion's are kept (the others'
    // columns are empty): the same results and the same selection.
    let totals = program.score_year_columns(&cols, Options { threads: 3, points: false }).unwrap();
    let totals_rows = totals.rows(&program, &cols);
    assert_eq!(program.select(&cols, &totals_rows, &ex).unwrap(), want);
    let tie = "masses_satisfaction";
    let plans: Vec<_> = program.schemes().iter().map(|s| program.plan(&s.id).unwrap()).collect();
    for ((a, b), plan) in scores.schemes().iter().zip(totals.schemes()).zip(&plans) {
        assert_eq!(
            (&a.score, &a.stars, &a.standing, &a.vetoed, &a.weak_lax),
            (&b.score, &b.stars, &b.standing, &b.vetoed, &b.weak_lax)
        );
        for ((id, full), kept) in plan.criterion_ids().iter().zip(&a.criteria).zip(&b.criteria) {
            assert_eq!(kept.as_slice(), if *id == tie { full.as_slice() } else { &[] }, "{id}");
        }
    }
    assert!(plans.iter().any(|p| p.criterion_ids().contains(&tie)));
}

#[test]
fn organizations_are_found_by_id_in_any_order() {
    use exemplar::decisions::roster::Roster;
    let (program, year) = sample();
    let cols = YearColumns::from_year(&program, &year).unwrap();
    let orgs = cols.organizations();
    let mut ids: Vec<String> = (0..orgs.len()).step_by(7).map(|i| orgs.id(i).to_string()).collect();
    // Ascending with gaps, ids the year does not list before, between and after, then out of order.
    ids.extend(["", "0", "zzzz"].map(String::from));
    ids.insert(3, format!("{}x", ids[2]));
    ids.sort();
    ids.extend([orgs.id(orgs.len() - 1).to_string(), orgs.id(0).to_string(), ids[5].clone()]);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let want: Vec<Option<u32>> = ids.iter().map(|id| orgs.find(id).map(|r| r as u32)).collect();
    assert_eq!(cols.ranks_of(&ids), want);
    // Both kinds are met: every seventh organization found, and the four made-up ids not.
    assert!(want.iter().flatten().count() >= orgs.len() / 7);
    assert!(want.iter().filter(|w| w.is_none()).count() >= 4);
}

#[test]
fn a_table_of_the_flat_columns_reads_as_the_csv_does() {
    let (program, year) = sample();
    let mut text = Vec::new();
    year.to_csv(&program, &mut text).unwrap();
    let csv = csv_table(std::str::from_utf8(&text).unwrap());
    let cols = program.year_columns(&csv.table()).unwrap();
    assert_eq!(cols, YearColumns::from_year(&program, &year).unwrap());
    // Rows in any order read alike (a table sorted by organization is read without lookups).
    let mut reversed =
        CsvTable { names: csv.names.clone(), texts: csv.texts.clone(), numbers: csv.numbers.clone(), rows: csv.rows };
    reversed.texts.iter_mut().for_each(|c| c.reverse());
    reversed.numbers.iter_mut().for_each(|c| c.reverse());
    assert_eq!(program.year_columns(&reversed.table()).unwrap(), cols);
    assert_eq!(cols.organizations().len(), year.organizations.len());
    let o = &year.organizations[7];
    assert_eq!(cols.organizations().get(cols.organizations().find(&o.org_id).unwrap()), *o);
}

#[test]
fn a_table_that_is_not_one_year_is_refused() {
    let program = Program::default();
    let mut text = Vec::new();
    exemplar::sample::sample_year(&program, Some(60), 1, 2023).unwrap().to_csv(&program, &mut text).unwrap();
    let csv = csv_table(std::str::from_utf8(&text).unwrap());
    let err = |edit: &dyn Fn(&mut CsvTable)| {
        let mut c = CsvTable {
            names: csv.names.clone(),
            texts: csv.texts.clone(),
            numbers: csv.numbers.clone(),
            rows: csv.rows,
        };
        edit(&mut c);
        program.year_columns(&c.table()).unwrap_err().to_string()
    };
    // The first organization (a community) reports under two schemes; column 4 is `county`,
    // column 7 `scheme`.
    let r = (1..csv.rows).find(|&r| csv.texts[0][r] == csv.texts[0][0]).unwrap();
    let e = err(&|c| c.texts[4][r] = "某县".into());
    assert!(e.contains("is described differently on row 0"), "{e}");
    let e = err(&|c| c.texts[7][r] = c.texts[7][0].clone());
    assert!(e.contains("reported twice for 2023"), "{e}");
    let e = err(&|c| c.texts[0][3] = String::new());
    assert!(e.contains("org_id is empty"), "{e}");
    let e = err(&|c| {
        c.names[5] = "town".into();
    });
    assert!(e.contains("needs the text column `township`"), "{e}");
    // A township committee's scheme for a village's row.
    let village = (0..csv.rows).find(|&r| csv.texts[3][r] == "village").unwrap();
    let e = err(&|c| c.texts[7][village] = "demonstration_belt".into());
    assert!(e.contains("does not apply to a village"), "{e}");
}

#[test]
fn the_sample_year_as_columns_is_the_sample_year() {
    let program = Program::default();
    let year = exemplar::sample::sample_year(&program, Some(3000), 9, 2024).unwrap();
    let cols = exemplar::sample::sample_year_columns(&program, Some(3000), 9, 2024).unwrap();
    assert_eq!(cols, YearColumns::from_year(&program, &year).unwrap());
}

#[test]
fn the_flat_sample_rows_are_the_sample_year_csv() {
    use exemplar::data::year::{FIXED_COLUMNS, value_columns};
    let program = Program::default();
    let mut want = Vec::new();
    exemplar::sample::sample_year(&program, Some(2000), 5, 2023).unwrap().to_csv(&program, &mut want).unwrap();
    let columns = value_columns(&program);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(FIXED_COLUMNS.iter().copied().chain(columns.iter().map(String::as_str))).unwrap();
    exemplar::sample::sample_year_flat(&program, Some(2000), 5, 2023, |r| {
        let o = r.organizations;
        let (form, sector) = (o.form(r.org).to_string(), o.sector(r.org).to_string());
        let mut row = vec![o.id(r.org), o.name(r.org), &form, &sector, o.county(r.org), o.township(r.org)];
        row.push(o.parent(r.org).unwrap_or_default());
        let (period, events) = (r.period.to_string(), exemplar::Event::list_text(r.events));
        row.extend([r.scheme, &period, &events]);
        let mut cells = vec![String::new(); columns.len()];
        for &(c, v) in r.values {
            cells[c] = (v + 0.0).to_string();
        }
        w.write_record(row.into_iter().chain(cells.iter().map(String::as_str))).unwrap();
    })
    .unwrap();
    assert_eq!(String::from_utf8(w.into_inner().unwrap()).unwrap(), String::from_utf8(want).unwrap());
}

#[test]
fn any_one_report_of_a_columnar_year_is_explained_as_evaluate_explains_it() {
    let (program, year) = sample();
    let cols = YearColumns::from_year(&program, &year).unwrap();
    for r in year.reports.iter().step_by(97) {
        let one = program.score_in_year(&cols, &r.org_id, &r.scheme, None).unwrap();
        assert_eq!(program.explain(&one).unwrap(), program.evaluate(r).unwrap());
        assert_eq!(program.score_in_year(&cols, &r.org_id, &r.scheme, Some(r.period)).unwrap(), one);
    }
    let r = &year.reports[0];
    let e = program.score_in_year(&cols, "no-such-org", &r.scheme, None).unwrap_err();
    assert!(e.to_string().contains("no such organization"), "{e}");
    let other = Period::year(2024).unwrap();
    let e = program.score_in_year(&cols, &r.org_id, &r.scheme, Some(other)).unwrap_err();
    assert!(e.to_string().contains("no report under this scheme"), "{e}");
}

#[test]
fn the_flat_csv_streams_into_the_same_columns() {
    let program = Program::default();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/sample_year.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let streamed = YearColumns::from_csv(text.as_bytes(), "sample", &program).unwrap();
    let year = Year::from_csv(text.as_bytes(), "sample", &program).unwrap();
    assert_eq!(streamed, YearColumns::from_year(&program, &year).unwrap());
    // A bad cell names the organization, the column and the line.
    let bad = text.replacen(",99.7,", ",ten,", 1);
    let e = YearColumns::from_csv(bad.as_bytes(), "sample", &program).unwrap_err().to_string();
    assert!(e.contains("`ten` is not a number (line 2)") && e.contains("CX01-C000016"), "{e}");
    let nan = text.replacen(",99.7,", ",NaN,", 1);
    let e = YearColumns::from_csv(nan.as_bytes(), "sample", &program).unwrap_err().to_string();
    assert!(e.contains("NaN is not a value (line 2)"), "{e}");
}

/// Results scored elsewhere (row for row with the table, here in reverse order), read back with
/// only the columns the decisions need, decide exactly as the year scored here.
#[test]
fn results_scored_elsewhere_decide_as_the_year_scored_here() {
    let (program, year) = sample();
    let mut text = Vec::new();
    year.to_csv(&program, &mut text).unwrap();
    let mut csv = csv_table(std::str::from_utf8(&text).unwrap());
    csv.texts.iter_mut().for_each(|c| c.reverse());
    csv.numbers.iter_mut().for_each(|c| c.reverse());
    let r = program.evaluate_table(&csv.table(), None).unwrap();

    // Keep the fixed columns and the tested ones; the others are absent.
    let fixed = csv.texts.len();
    let tested = program.decision_columns();
    let kept: Vec<(&str, &Vec<f64>)> = csv.names[fixed..]
        .iter()
        .zip(&csv.numbers)
        .filter(|(name, _)| tested.contains(&name.as_str()))
        .map(|(name, column)| (name.as_str(), column))
        .collect();
    assert!(!kept.is_empty() && kept.len() < csv.numbers.len() / 2);
    let score: Vec<f64> = r.score.iter().map(|p| p.as_f64()).collect();
    let stars: Vec<f64> = r.stars.iter().map(|&s| f64::from(s)).collect();
    let standing: Vec<Option<&str>> =
        r.standing.iter().map(|&c| exemplar::Standing::from_code(c).map(|s| s.name(exemplar::Language::En))).collect();
    let flag = |v: &[bool]| v.iter().map(|&b| f64::from(u8::from(b))).collect::<Vec<f64>>();
    let (vetoed, weak_lax) = (flag(&r.vetoed), flag(&r.weak_lax));
    let tie = r.criteria.iter().find(|(id, _)| id == "masses_satisfaction").unwrap();
    let tie: Vec<f64> = tie.1.iter().map(|p| p.map_or(f64::NAN, |p| p.as_f64())).collect();
    // The second copy has one score off the hundredths.
    let mut off = score.clone();
    off[4] += 0.001;
    let [good, bad] = [&score, &off].map(|score| {
        let mut t = Table::new(csv.rows);
        for (name, column) in csv.names.iter().zip(&csv.texts) {
            t = t.text(name, column as &dyn TextColumn);
        }
        for &(name, column) in &kept {
            t = t.number(name, column);
        }
        let t = t.number("score", score).number("stars", &stars).number("vetoed", &vetoed);
        let t = t.number("weak_lax", &weak_lax).number("pts_masses_satisfaction", &tie).text("standing", &standing);
        program.year_with_results(&t)
    });
    // It is refused, naming the organization and the column.
    let e = bad.unwrap_err().to_string();
    assert!(e.contains(&csv.texts[0][4]) && e.contains("`score`"), "{e}");
    let (cols, scores) = good.unwrap();
    let rows = scores.rows(&program, &cols);

    let here = YearColumns::from_year(&program, &year).unwrap();
    let here_scores = program.score_year_columns(&here, Options { threads: 1, points: false }).unwrap();
    let here_rows = here_scores.rows(&program, &here);
    assert_eq!(program.designate(&cols, &rows).unwrap(), program.designate(&here, &here_rows).unwrap());
    let got = program.select_designating(&cols, &rows, None, Default::default()).unwrap();
    let want = program.select_designating(&here, &here_rows, None, Default::default()).unwrap();
    assert_eq!(got, want);
    assert_eq!(program.reward(&got).unwrap(), program.reward(&want).unwrap());
    assert!(rows.iter().any(|r| r.vetoed()) && rows.iter().any(|r| r.is_weak_lax()));
}

//! Evaluation through C: reports as JSON in and explained evaluations as JSON out, and the
//! columnar call that writes into arrays the caller owns.

use crate::error::{EXEMPLAR_NULL_ARGUMENT, EXEMPLAR_SHAPE, Fail, c_text, json, need, text};
use crate::program::exemplar_program;
use crate::{exemplar_result, ffi, give, to_json};
use exemplar::Text;
use exemplar::text;
use exemplar::{Options, Points, Report, Table, TableResult};
use std::ffi::c_char;

/// Evaluates one report (a JSON object) or many (an array) in the form of `exemplar::Report`:
/// `{"org_id", "scheme", "period", "values": {…}, "assessments": {…}, "events": […]}`. Writes
/// the evaluation (or an array of them, in input order) with every explanation as JSON.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_evaluate_json(
    program: *const exemplar_program,
    reports_json: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let text = text(reports_json, len, "reports_json")?;
        let value: serde_json::Value = json(text, "reports_json")?;
        let result = if value.is_array() {
            let reports: Vec<Report> = serde_json::from_value(value).map_err(|e| {
                Fail::new(crate::error::EXEMPLAR_INVALID_JSON, Text::parser(format!("reports_json: {e}")))
            })?;
            let evals = reports.iter().map(|r| p.evaluate(r)).collect::<Result<Vec<_>, _>>()?;
            to_json(&evals)?
        } else {
            let report: Report = serde_json::from_value(value).map_err(|e| {
                Fail::new(crate::error::EXEMPLAR_INVALID_JSON, Text::parser(format!("reports_json: {e}")))
            })?;
            to_json(&p.evaluate(&report)?)?
        };
        give(out, result)
    })
}

/// Evaluates one report (as `exemplar_program_evaluate_json` takes it) and writes what would
/// move it: `{"gap": …, "reach": …, "keep": …}` — the gap analysis, and the improvement plans to
/// reach the next band and to keep the present one (each: band, band_min, points, steps with
/// `criterion`, `points`, `value_now`, `value_needed`, conditions, achievable, summary).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_gap_json(
    program: *const exemplar_program,
    report_json: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    use exemplar::scoring::gap::Goal;
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let report: Report = json(text(report_json, len, "report_json")?, "report_json")?;
        let e = p.evaluate(&report)?;
        let result = serde_json::json!({
            "gap": p.gap(&e)?,
            "reach": p.improvement_plan(&e, Goal::Reach)?,
            "keep": p.improvement_plan(&e, Goal::Keep)?,
        });
        give(out, to_json(&result)?)
    })
}

/// `n` C strings as a text column: a NULL entry is a null cell; invalid UTF-8 is an error naming
/// the column and row.
fn text_column<'a>(ptr: *const *const c_char, n: usize, what: &str) -> Result<Vec<Option<&'a str>>, Fail> {
    if n == 0 {
        return Ok(Vec::new());
    }
    need(ptr, what)?;
    // SAFETY: `ptr` holds `n` pointers, each NULL or to a NUL-terminated string (documented).
    let ptrs = unsafe { std::slice::from_raw_parts(ptr, n) };
    ptrs.iter()
        .enumerate()
        .map(|(row, p)| if p.is_null() { Ok(None) } else { c_text(*p, &format!("{what}, row {row}")).map(Some) })
        .collect()
}

/// `n` pointers to `rows` doubles each (with no rows, no pointer is read).
fn number_columns<'a>(
    ptr: *const *const f64,
    n: usize,
    rows: usize,
    name: &dyn Fn(usize) -> String,
) -> Result<Vec<&'a [f64]>, Fail> {
    if rows == 0 {
        return Ok(vec![&[]; n]);
    }
    need(ptr, "columns")?;
    // SAFETY: `ptr` holds `n` column pointers (documented).
    let ptrs = unsafe { std::slice::from_raw_parts(ptr, n) };
    ptrs.iter()
        .enumerate()
        .map(|(i, c)| {
            if c.is_null() {
                let name = name(i);
                return Err(Fail::new(
                    EXEMPLAR_NULL_ARGUMENT,
                    text!("第{i}列（`{name}`）为NULL", "column {i} (`{name}`) is NULL"),
                ));
            }
            // SAFETY: each column holds `rows` doubles and is not written while the call runs.
            Ok(unsafe { std::slice::from_raw_parts(*c, rows) })
        })
        .collect()
}

/// Copies the row results out, once every row was valid.
fn write_rows(
    r: &TableResult,
    score: *mut f64,
    stars: *mut u8,
    standing: *mut u8,
    vetoed: *mut u8,
    weak_lax: *mut u8,
) -> Result<(), Fail> {
    let n = r.score.len();
    if n == 0 {
        return Ok(());
    }
    for (ptr, what) in
        [(score as *const u8, "score"), (stars as *const u8, "stars"), (standing as *const u8, "standing")]
    {
        need(ptr, what)?;
    }
    for (ptr, what) in [(vetoed as *const u8, "vetoed"), (weak_lax as *const u8, "weak_lax")] {
        need(ptr, what)?;
    }
    // SAFETY: every output holds `n` elements (documented) and is not aliased.
    unsafe {
        for i in 0..n {
            *score.add(i) = r.score[i].as_f64();
            *stars.add(i) = r.stars[i];
            *standing.add(i) = r.standing[i];
            *vetoed.add(i) = u8::from(r.vetoed[i]);
            *weak_lax.add(i) = u8::from(r.weak_lax[i]);
        }
    }
    Ok(())
}

/// Evaluates `n_rows` rows of one scheme, columnar. `columns` holds `n_columns` pointers, one
/// per input column in the order `exemplar_program_describe_json` lists for the scheme, each to
/// `n_rows` doubles (NaN: missing; in an event count column, no events). `ids` (may be NULL)
/// names each row's organization in error messages. Outputs, each caller-allocated for
/// `n_rows`: `score`, `stars` (0 = unrated), `standing` (1 advanced … 4 lagging, 0 none),
/// `vetoed` and `weak_lax` (0/1); and `criteria`, `criteria_len` = criteria × n_rows doubles,
/// criterion-major, or NULL and 0 for the totals and bands only (faster). Nothing is written
/// unless every row is valid. Rows are split across the threads `exemplar_set_threads` sets.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_evaluate_columns(
    program: *const exemplar_program,
    scheme: *const c_char,
    columns: *const *const f64,
    n_columns: usize,
    n_rows: usize,
    ids: *const *const c_char,
    score: *mut f64,
    stars: *mut u8,
    standing: *mut u8,
    vetoed: *mut u8,
    weak_lax: *mut u8,
    criteria: *mut f64,
    criteria_len: usize,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let plan = p.plan(c_text(scheme, "scheme")?)?;
        let names = plan.column_names();
        if n_columns != names.len() {
            let (id, want, list) = (plan.id(), names.len(), names.join(", "));
            return Err(Fail::new(
                EXEMPLAR_SHAPE,
                text!(
                    "方案`{id}`需要{want}列（{list}），实际给了{n_columns}列",
                    "scheme `{id}` takes {want} columns ({list}), got {n_columns}"
                ),
            ));
        }
        let nc = plan.criterion_ids().len();
        let points = !(criteria.is_null() && criteria_len == 0);
        if points && criteria_len != nc * n_rows {
            let want = nc * n_rows;
            return Err(Fail::new(
                EXEMPLAR_SHAPE,
                text!(
                    "criteria_len应为{nc}个评分项 × {n_rows}行 = {want}",
                    "criteria_len must be {nc} criteria × {n_rows} rows = {want}"
                ),
            ));
        }
        let cols = number_columns(columns, n_columns, n_rows, &|i| names[i].to_string())?;
        let org_ids = if ids.is_null() { None } else { Some(text_column(ids, n_rows, "ids")?) };
        let mut table = Table::new(n_rows);
        for (name, col) in names.iter().zip(&cols) {
            table = table.number(name, col);
        }
        if let Some(o) = &org_ids {
            table = table.text("org_id", o);
        }
        let r = p.evaluate_table_with(&table, Some(plan.id()), Options { threads: crate::threads(), points })?;
        if points && n_rows > 0 {
            need(criteria as *const u8, "criteria")?;
        }
        write_rows(&r, score, stars, standing, vetoed, weak_lax)?;
        for (c, (_, points)) in r.criteria.iter().enumerate() {
            for (row, p) in points.iter().enumerate() {
                // SAFETY: `criteria` holds criteria × n_rows doubles (checked above).
                unsafe { *criteria.add(c * n_rows + row) = p.map_or(f64::NAN, |p| p.as_f64()) };
            }
        }
        Ok(())
    })
}

/// Evaluates a table of reports given as named columns, each row under its scheme: the
/// `scheme` (or `area`) text column, or `scheme` for every row when it is not NULL.
///
/// - `names`/`columns`: `n_columns` numeric columns of `n_rows` doubles, named by indicator
///   (`job_fairs`), by assessor and indicator (`superior.job_fairs`) or by event (a count).
///   NaN is a missing value; an absent indicator column is missing in every row, under the
///   program's missing policy; an absent event column, or NaN in one, means no events.
/// - `text_names`/`texts`: `n_texts` text columns of `n_rows` NUL-terminated strings (a NULL
///   entry is a null cell): `org_id`, `scheme`, `area`, `period` (`2023`, `2023-Q2`, `2023-05`)
///   and `events` (`kind;kind@2023-05-01`; a dated event must fall in the row's period).
/// - Outputs, each caller-allocated for `n_rows`: `score`, `stars` (0 = unrated), `standing`
///   (1 advanced … 4 lagging, 0 none), `vetoed` and `weak_lax` (0/1). Nothing is written unless
///   every row is valid; an error names the organization, scheme, column and row. Rows are
///   split across the threads `exemplar_set_threads` sets.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_evaluate_table(
    program: *const exemplar_program,
    scheme: *const c_char,
    names: *const *const c_char,
    columns: *const *const f64,
    n_columns: usize,
    text_names: *const *const c_char,
    texts: *const *const *const c_char,
    n_texts: usize,
    n_rows: usize,
    score: *mut f64,
    stars: *mut u8,
    standing: *mut u8,
    vetoed: *mut u8,
    weak_lax: *mut u8,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let scheme = if scheme.is_null() { None } else { Some(c_text(scheme, "scheme")?) };
        let names = text_column(names, n_columns, "names")?;
        let names: Vec<&str> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                n.ok_or_else(|| {
                    Fail::new(EXEMPLAR_NULL_ARGUMENT, text!("第{i}列的列名为NULL", "name of column {i} is NULL"))
                })
            })
            .collect::<Result<_, _>>()?;
        let cols = number_columns(columns, n_columns, n_rows, &|i| names[i].to_string())?;
        let text_names = text_column(text_names, n_texts, "text_names")?;
        let text_cols: Vec<*const *const c_char> = if n_texts == 0 {
            Vec::new()
        } else {
            need(texts, "texts")?;
            // SAFETY: `texts` holds `n_texts` pointers (documented).
            unsafe { std::slice::from_raw_parts(texts, n_texts) }.to_vec()
        };
        let mut text_values = Vec::with_capacity(n_texts);
        for (i, (name, ptr)) in text_names.iter().zip(&text_cols).enumerate() {
            let name = name.ok_or_else(|| {
                Fail::new(EXEMPLAR_NULL_ARGUMENT, text!("第{i}个文本列的列名为NULL", "name of text column {i} is NULL"))
            })?;
            text_values.push((name, text_column(*ptr, n_rows, name)?));
        }
        let mut table = Table::new(n_rows);
        for (name, col) in names.iter().zip(&cols) {
            table = table.number(name, col);
        }
        for (name, values) in &text_values {
            table = table.text(name, values);
        }
        let r = p.evaluate_table_with::<Option<Points>>(
            &table,
            scheme,
            Options { threads: crate::threads(), points: false },
        )?;
        write_rows(&r, score, stars, standing, vetoed, weak_lax)
    })
}

/// Evaluates a year given as the flat CSV (`len` bytes): the evaluations as a JSON array, sorted
/// by scheme (program order) then organization id.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_evaluate_year_json(
    program: *const exemplar_program,
    year_csv: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let year = exemplar::Year::from_csv(text(year_csv, len, "year_csv")?.as_bytes(), "year_csv", p)?;
        give(out, to_json(&p.evaluate_year(&year)?)?)
    })
}

//! Evaluation through C: reports as JSON in and explained evaluations as JSON out, and the
//! columnar call that writes into arrays the caller owns.

use crate::error::{EXEMPLAR_INPUT, EXEMPLAR_NULL_ARGUMENT, EXEMPLAR_POLICY, Fail, c_text, json, need, text};
use crate::program::exemplar_program;
use crate::{exemplar_result, ffi, give, to_json};
use exemplar::{BulkOut, Points, Report};
use std::ffi::c_char;

/// Evaluates one report (a JSON object) or many (an array) in the form of `exemplar::Report`:
/// `{"org_id", "scheme", "period", "values": {…}, "assessments": {…}, "events": […]}`. Writes
/// the evaluation (or an array of them, in input order) with every explanation as JSON.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_evaluate_json(
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
            let reports: Vec<Report> = serde_json::from_value(value)
                .map_err(|e| Fail(crate::error::EXEMPLAR_INVALID_JSON, format!("reports_json: {e}")))?;
            let evals = reports.iter().map(|r| p.evaluate(r)).collect::<Result<Vec<_>, _>>()?;
            to_json(&evals)?
        } else {
            let report: Report = serde_json::from_value(value)
                .map_err(|e| Fail(crate::error::EXEMPLAR_INVALID_JSON, format!("reports_json: {e}")))?;
            to_json(&p.evaluate(&report)?)?
        };
        give(out, result)
    })
}

/// Evaluates `n_rows` rows of one scheme, columnar. `columns` holds `n_columns` pointers, one
/// per input column in the order `exemplar_program_describe_json` lists for the scheme, each to
/// `n_rows` doubles (NaN: missing). `ids` (may be NULL) names each row's organization in error
/// messages. Outputs, each caller-allocated for `n_rows`: `score`, `stars` (0 = unrated),
/// `standing` (1 advanced … 4 lagging, 0 none), `vetoed` (0/1); and `criteria`, `criteria_len`
/// = criteria × n_rows doubles, criterion-major. Nothing is written unless every row is valid.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_evaluate_columns(
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
    criteria: *mut f64,
    criteria_len: usize,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let plan = p.plan(c_text(scheme, "scheme")?)?;
        if n_columns != plan.slots().len() {
            return Err(Fail(
                EXEMPLAR_POLICY,
                format!(
                    "scheme `{}` takes {} columns ({}), got {n_columns}",
                    plan.id(),
                    plan.slots().len(),
                    plan.column_names().join(", ")
                ),
            ));
        }
        let nc = plan.criterion_ids().len();
        if criteria_len != nc * n_rows {
            return Err(Fail(
                EXEMPLAR_POLICY,
                format!("criteria_len must be {nc} criteria × {n_rows} rows = {}", nc * n_rows),
            ));
        }
        if n_rows == 0 {
            return Ok(());
        }
        for (ptr, what) in
            [(columns as *const u8, "columns"), (score as *const u8, "score"), (stars as *const u8, "stars")]
        {
            need(ptr, what)?;
        }
        for (ptr, what) in
            [(standing as *const u8, "standing"), (vetoed as *const u8, "vetoed"), (criteria as *const u8, "criteria")]
        {
            need(ptr, what)?;
        }
        // SAFETY: `columns` holds `n_columns` pointers, each to `n_rows` doubles (documented).
        let col_ptrs = unsafe { std::slice::from_raw_parts(columns, n_columns) };
        let mut views = Vec::with_capacity(n_columns);
        for (i, c) in col_ptrs.iter().enumerate() {
            if c.is_null() {
                return Err(Fail(EXEMPLAR_NULL_ARGUMENT, format!("column {i} (`{}`) is NULL", plan.slots()[i].name)));
            }
            // SAFETY: as above; the column is not written while this call runs.
            views.push(unsafe { std::slice::from_raw_parts(*c, n_rows) });
        }
        let id_of = |row: usize| -> String {
            if ids.is_null() {
                return format!("row {row}");
            }
            // SAFETY: `ids`, when given, holds `n_rows` NUL-terminated strings.
            let p = unsafe { *ids.add(row) };
            c_text(p, "id").map(str::to_string).unwrap_or_else(|_| format!("row {row}"))
        };
        let mut total = vec![Points::ZERO; n_rows];
        let (mut s, mut st, mut v, mut w) =
            (vec![0u8; n_rows], vec![0u8; n_rows], vec![false; n_rows], vec![false; n_rows]);
        let mut crit = vec![Points::ZERO; nc * n_rows];
        let out = BulkOut {
            total: &mut total,
            stars: &mut s,
            standing: &mut st,
            vetoed: &mut v,
            weak_lax: &mut w,
            criteria: &mut crit,
        };
        plan.evaluate_columns_into(&views, &id_of, out).map_err(|e| match e {
            e @ exemplar::Error::Input { .. } => Fail(EXEMPLAR_INPUT, e.to_string()),
            e => Fail::from(e),
        })?;
        // SAFETY: every output holds the documented number of elements and is not aliased.
        unsafe {
            for r in 0..n_rows {
                *score.add(r) = total[r].as_f64();
                *stars.add(r) = s[r];
                *standing.add(r) = st[r];
                *vetoed.add(r) = u8::from(v[r]);
            }
            for (i, c) in crit.iter().enumerate() {
                *criteria.add(i) = c.as_f64();
            }
        }
        Ok(())
    })
}

/// Evaluates a year given as the flat CSV (`len` bytes): the evaluations as a JSON array, sorted
/// by scheme (program order) then organization id.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_year_evaluate_json(
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

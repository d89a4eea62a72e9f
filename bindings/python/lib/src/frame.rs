//! Columnar evaluation from Arrow streams (pandas ≥ 2.2, polars, pyarrow, duckdb) or numpy
//! columns: columns are taken whole, rows are split by scheme, and the core runs with the GIL
//! released. No Python object is created or read per row.

use crate::errors::{PolicyError, err, input};
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, SchemaRef};
use exemplar::{BulkOut, Points, Program};
use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::collections::HashMap;

pub enum Input {
    Arrow {
        n: usize,
        batches: Vec<RecordBatch>,
        schema: SchemaRef,
    },
    /// Float64 columns, with the organization id and scheme of each row as text where given.
    Numpy {
        n: usize,
        columns: HashMap<String, Vec<f64>>,
        text: HashMap<&'static str, StringArray>,
    },
}

impl Input {
    pub fn from_arrow(table: pyo3_arrow::PyTable) -> PyResult<Input> {
        let (batches, schema) = table.into_inner();
        let n = batches.iter().map(|b| b.num_rows()).sum();
        Ok(Input::Arrow { n, batches, schema })
    }

    pub fn from_numpy(
        columns: &Bound<'_, PyDict>,
        ids: Option<Vec<String>>,
        schemes: Option<Vec<String>>,
    ) -> PyResult<Input> {
        let mut out = HashMap::new();
        let mut n = None;
        for (k, v) in columns.iter() {
            let name: String = k.extract()?;
            let arr = v
                .cast::<PyArray1<f64>>()
                .map_err(|_| input(format!("column `{name}` must be a 1-d float64 numpy array")))?
                .readonly();
            let vals = arr.as_slice().map_err(|_| input(format!("column `{name}` must be contiguous")))?.to_vec();
            if *n.get_or_insert(vals.len()) != vals.len() {
                return Err(input(format!("column `{name}` has {} rows, the others {}", vals.len(), n.unwrap_or(0))));
            }
            out.insert(name, vals);
        }
        let n = n.or(ids.as_ref().map(Vec::len)).or(schemes.as_ref().map(Vec::len)).unwrap_or(0);
        let mut text = HashMap::new();
        for (name, values) in [("org_id", ids), ("scheme", schemes)] {
            if let Some(v) = values {
                if v.len() != n {
                    return Err(input(format!("`{name}` has {} entries for {n} rows", v.len())));
                }
                text.insert(name, StringArray::from(v));
            }
        }
        Ok(Input::Numpy { n, columns: out, text })
    }

    fn n(&self) -> usize {
        match self {
            Input::Arrow { n, .. } | Input::Numpy { n, .. } => *n,
        }
    }

    /// One Arrow column across all batches (no copy when there is one batch).
    fn arrow_column(&self, name: &str) -> PyResult<Option<ArrayRef>> {
        let Input::Arrow { batches, schema, .. } = self else { return Ok(None) };
        let Ok(i) = schema.index_of(name) else { return Ok(None) };
        match batches.as_slice() {
            [] => Ok(Some(arrow_array::new_empty_array(schema.field(i).data_type()))),
            [one] => Ok(Some(one.column(i).clone())),
            many => {
                let parts: Vec<&dyn Array> = many.iter().map(|b| b.column(i).as_ref()).collect();
                arrow_select::concat::concat(&parts).map(Some).map_err(|e| input(format!("column `{name}`: {e}")))
            }
        }
    }

    /// A numeric column as f64 with nulls as NaN (missing), or None when absent. A float64
    /// column without nulls is used where it lies.
    fn numeric(&self, name: &str) -> PyResult<Option<Col>> {
        if let Input::Numpy { columns, .. } = self {
            return Ok(columns.get(name).cloned().map(Col::Owned));
        }
        let Some(col) = self.arrow_column(name)? else { return Ok(None) };
        let ok = col.data_type().is_numeric() || matches!(col.data_type(), DataType::Boolean | DataType::Null);
        if !ok {
            return Err(input(format!("column `{name}` holds {}, not numbers", col.data_type())));
        }
        let f = arrow_cast::cast(&col, &DataType::Float64).map_err(|e| input(format!("column `{name}`: {e}")))?;
        let f =
            f.as_any().downcast_ref::<Float64Array>().ok_or_else(|| input(format!("column `{name}`: not float64")))?;
        Ok(Some(if f.null_count() == 0 {
            Col::Arrow(f.clone())
        } else {
            Col::Owned(f.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
        }))
    }

    /// A text column (Utf8, LargeUtf8, views or dictionaries of them).
    fn strings(&self, name: &str) -> PyResult<Option<StringArray>> {
        if let Input::Numpy { text, .. } = self {
            return Ok(text.get(name).cloned());
        }
        let Some(col) = self.arrow_column(name)? else { return Ok(None) };
        let s = arrow_cast::cast(&col, &DataType::Utf8).map_err(|e| input(format!("column `{name}`: {e}")))?;
        Ok(s.as_any().downcast_ref::<StringArray>().cloned())
    }
}

/// An input column: borrowed from Arrow where possible, else owned.
#[derive(Clone)]
enum Col {
    Arrow(Float64Array),
    Owned(Vec<f64>),
}

impl Col {
    fn as_slice(&self) -> &[f64] {
        match self {
            Col::Arrow(a) => a.values(),
            Col::Owned(v) => v,
        }
    }
}

/// The result columns, aligned with the input rows.
pub struct Output {
    total: Vec<f64>,
    stars: Vec<u8>,
    standing: Vec<u8>,
    vetoed: Vec<bool>,
    weak_lax: Vec<bool>,
    criteria: Vec<(String, Vec<f64>)>,
}

impl Output {
    pub fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("score", PyArray1::from_vec(py, self.total))?;
        d.set_item("stars", PyArray1::from_vec(py, self.stars))?;
        d.set_item("standing", PyArray1::from_vec(py, self.standing))?;
        d.set_item("vetoed", PyArray1::from_vec(py, self.vetoed))?;
        d.set_item("weak_lax", PyArray1::from_vec(py, self.weak_lax))?;
        let list = PyList::empty(py);
        for (id, col) in self.criteria {
            list.append((id, PyArray1::from_vec(py, col)))?;
        }
        d.set_item("criteria", list)?;
        Ok(d)
    }
}

/// Counts of every event kind per row, from a text column like `kind;kind@2023-05-01`, read by
/// the core's parser; an unknown kind or a bad date is an error, as in a single report.
fn event_counts(
    program: &Program,
    events: &StringArray,
    id_of: &dyn Fn(usize) -> String,
    scheme_of: &dyn Fn(usize) -> String,
) -> PyResult<HashMap<String, Vec<f64>>> {
    let n = events.len();
    let mut counts: HashMap<String, Vec<f64>> =
        program.file().events.iter().map(|e| (e.id.clone(), vec![0.0; n])).collect();
    for row in (0..n).filter(|&r| !events.is_null(r) && !events.value(r).trim().is_empty()) {
        let fail = |message: String| {
            err(exemplar::Error::Input {
                org_id: id_of(row),
                scheme: scheme_of(row),
                field: format!("row {row}, events"),
                message,
            })
        };
        for e in exemplar::Event::parse_list(events.value(row)).map_err(fail)? {
            let at = counts.get_mut(&e.kind).ok_or_else(|| fail(format!("unknown event kind `{}`", e.kind)))?;
            at[row] += 1.0;
        }
    }
    Ok(counts)
}

pub fn evaluate(py: Python<'_>, program: &Program, input: Input, scheme: Option<String>) -> PyResult<Output> {
    let n = input.n();
    let org_ids = input.strings("org_id")?;
    let id_of = move |row: usize| -> String {
        match &org_ids {
            Some(a) if !a.is_null(row) => a.value(row).to_string(),
            _ => format!("row {row}"),
        }
    };
    // Which scheme each row is under.
    let schemes = program.schemes();
    let by_id: HashMap<&str, usize> = schemes.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let col = match input.strings("scheme")? {
        Some(c) => Some(c),
        None => input.strings("area")?,
    };
    let row_scheme: Vec<usize> = match (&scheme, &col) {
        (Some(s), _) => {
            let i = *by_id
                .get(s.as_str())
                .ok_or_else(|| err(program.plan(s).err().unwrap_or_else(|| exemplar::Error::Policy(s.clone()))))?;
            vec![i; n]
        }
        (None, Some(c)) => (0..n)
            .map(|r| {
                let s = if c.is_null(r) { "" } else { c.value(r) };
                by_id.get(s).copied().ok_or_else(|| {
                    err(exemplar::Error::Input {
                        org_id: id_of(r),
                        scheme: s.to_string(),
                        field: format!("row {r}, scheme"),
                        message: "unknown scheme".into(),
                    })
                })
            })
            .collect::<PyResult<_>>()?,
        (None, None) if schemes.len() == 1 => vec![0; n],
        (None, None) => {
            return Err(PolicyError::new_err("the table needs a `scheme` (or `area`) column, or pass scheme=..."));
        }
    };
    let events = match input.strings("events")? {
        Some(e) => event_counts(program, &e, &id_of, &|r| schemes[row_scheme[r]].id.clone())?,
        None => HashMap::new(),
    };

    let mut out = Output {
        total: vec![f64::NAN; n],
        stars: vec![0; n],
        standing: vec![0; n],
        vetoed: vec![false; n],
        weak_lax: vec![false; n],
        criteria: Vec::new(),
    };
    let mut crit_index: HashMap<String, usize> = HashMap::new();
    let mut cache: HashMap<String, Col> = HashMap::new();
    for (si, s) in schemes.iter().enumerate() {
        let rows: Vec<usize> = if row_scheme.iter().all(|&x| x == si) {
            (0..n).collect()
        } else {
            (0..n).filter(|&r| row_scheme[r] == si).collect()
        };
        if rows.is_empty() {
            continue;
        }
        let plan = program.plan(&s.id).map_err(err)?;
        let whole = rows.len() == n;
        let mut cols: Vec<Vec<f64>> = Vec::with_capacity(plan.slots().len());
        for slot in plan.slots() {
            if !cache.contains_key(&slot.name) {
                let is_event = program.indicator(&slot.name).is_none();
                let full = match input.numeric(&slot.name)? {
                    Some(v) => v,
                    None if is_event => Col::Owned(events.get(&slot.name).cloned().unwrap_or_else(|| vec![0.0; n])),
                    None => Col::Owned(vec![f64::NAN; n]),
                };
                cache.insert(slot.name.clone(), full);
            }
            let full = cache[&slot.name].as_slice();
            cols.push(if whole { Vec::new() } else { rows.iter().map(|&r| full[r]).collect() });
        }
        let views: Vec<&[f64]> = plan
            .slots()
            .iter()
            .zip(&cols)
            .map(|(slot, c)| if whole { cache[&slot.name].as_slice() } else { c.as_slice() })
            .collect();
        let m = rows.len();
        let nc = plan.criterion_ids().len();
        let (mut total, mut stars, mut standing) = (vec![Points::ZERO; m], vec![0u8; m], vec![0u8; m]);
        let (mut vetoed, mut weak) = (vec![false; m], vec![false; m]);
        let mut crit = vec![Points::ZERO; nc * m];
        let local_id = |r: usize| id_of(rows[r]);
        py.detach(|| {
            plan.evaluate_columns_into(
                &views,
                &local_id,
                BulkOut {
                    total: &mut total,
                    stars: &mut stars,
                    standing: &mut standing,
                    vetoed: &mut vetoed,
                    weak_lax: &mut weak,
                    criteria: &mut crit,
                },
            )
        })
        .map_err(err)?;
        for (k, &r) in rows.iter().enumerate() {
            out.total[r] = total[k].as_f64();
            out.stars[r] = stars[k];
            out.standing[r] = standing[k];
            out.vetoed[r] = vetoed[k];
            out.weak_lax[r] = weak[k];
        }
        for (c, id) in plan.criterion_ids().iter().enumerate() {
            let at = *crit_index.entry(id.to_string()).or_insert_with(|| {
                out.criteria.push((id.to_string(), vec![f64::NAN; n]));
                out.criteria.len() - 1
            });
            let dst = &mut out.criteria[at].1;
            for (k, &r) in rows.iter().enumerate() {
                dst[r] = crit[c * m + k].as_f64();
            }
        }
    }
    Ok(out)
}

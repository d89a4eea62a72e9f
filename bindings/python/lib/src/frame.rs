//! Tables from Python into the core's `Table`: Arrow streams (pandas ≥ 2.2, polars, pyarrow,
//! duckdb) or numpy columns, taken whole. The core routes, counts events and checks; this file
//! only converts, and runs the core with the GIL released.

use crate::errors::err;
use arrow_array::{Array, ArrayRef, Float64Array, GenericStringArray, OffsetSizeTrait, RecordBatch, StringArray};
use arrow_schema::{DataType, SchemaRef};
use exemplar::{BulkOut, Options, Points, Program, Table, TextColumn, text};
use numpy::{PyArray1, PyArrayDescrMethods, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// A text column of Arrow strings (32- or 64-bit offsets: pandas gives large strings); nulls are
/// `None`.
struct Texts<O: OffsetSizeTrait = i32>(GenericStringArray<O>);

impl<O: OffsetSizeTrait> TextColumn for Texts<O> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn get(&self, row: usize) -> Option<&str> {
        (!self.0.is_null(row)).then(|| self.0.value(row))
    }
}

/// One column converted: numbers (nulls as NaN), text, or something else (with its type).
enum Column {
    Arrow(Float64Array),
    Numbers(Vec<f64>),
    Text(Texts),
    LargeText(Texts<i64>),
    Other(String),
}

/// The converted table: named columns, each whole.
pub struct Input {
    n: usize,
    columns: Vec<(String, Column)>,
}

fn column_error(name: &str, e: impl std::fmt::Display) -> PyErr {
    crate::errors::input(text!("`{name}`列：格式有误（{e}）", "column `{name}`: {e}"))
}

impl Input {
    /// An Arrow table whose `texts` columns are read as text, the others as numbers.
    pub fn from_arrow(table: pyo3_arrow::PyTable, texts: &[&str]) -> PyResult<Input> {
        let (batches, schema) = table.into_inner();
        let n = batches.iter().map(RecordBatch::num_rows).sum();
        let columns = (0..schema.fields().len())
            .map(|i| {
                let name = schema.field(i).name().clone();
                let col = whole(&batches, &schema, i).map_err(|e| column_error(&name, e))?;
                Ok((name.clone(), arrow_column(&name, &col, texts)?))
            })
            .collect::<PyResult<_>>()?;
        Ok(Input { n, columns })
    }

    /// A dict of 1-d numpy arrays: numeric ones as numbers, the text columns as strings.
    pub fn from_numpy(columns: &Bound<'_, PyDict>) -> PyResult<Input> {
        let mut out = Vec::new();
        let mut n = None;
        for (k, v) in columns.iter() {
            let name: String = k.extract().map_err(|_| {
                crate::errors::input(text!("dict的键应为列名（字符串）", "the dict's keys are column names (strings)"))
            })?;
            let (len, col) = numpy_column(&name, &v)?;
            if *n.get_or_insert(len) != len {
                let others = n.unwrap_or(0);
                return Err(crate::errors::input(text!(
                    "`{name}`列有{len}行，其他列有{others}行",
                    "column `{name}` has {len} rows, the others {others}"
                )));
            }
            out.push((name, col));
        }
        Ok(Input { n: n.unwrap_or(0), columns: out })
    }
}

/// One Arrow column across all batches (no copy when there is one batch).
fn whole(batches: &[RecordBatch], schema: &SchemaRef, i: usize) -> Result<ArrayRef, arrow_schema::ArrowError> {
    match batches {
        [] => Ok(arrow_array::new_empty_array(schema.field(i).data_type())),
        [one] => Ok(one.column(i).clone()),
        many => {
            let parts: Vec<&dyn Array> = many.iter().map(|b| b.column(i).as_ref()).collect();
            arrow_select::concat::concat(&parts)
        }
    }
}

fn arrow_column(name: &str, col: &ArrayRef, texts: &[&str]) -> PyResult<Column> {
    if texts.contains(&name) {
        // A year read into a float column (2023.0, beside an empty cell) is the year 2023.
        if let Some(f) = col.as_any().downcast_ref::<Float64Array>() {
            let text = |y: f64| if y.fract() == 0.0 && y.abs() < 1e9 { format!("{}", y as i64) } else { y.to_string() };
            return Ok(Column::Text(Texts(f.iter().map(|y| y.map(text)).collect())));
        }
        if let Some(s) = col.as_any().downcast_ref::<GenericStringArray<i64>>() {
            return Ok(Column::LargeText(Texts(s.clone())));
        }
        let s = arrow_cast::cast(col, &DataType::Utf8).map_err(|e| column_error(name, e))?;
        let s = s.as_any().downcast_ref::<StringArray>().cloned().ok_or_else(|| column_error(name, "not text"))?;
        return Ok(Column::Text(Texts(s)));
    }
    let numeric = col.data_type().is_numeric() || matches!(col.data_type(), DataType::Boolean | DataType::Null);
    if !numeric {
        return Ok(Column::Other(col.data_type().to_string()));
    }
    let f = arrow_cast::cast(col, &DataType::Float64).map_err(|e| column_error(name, e))?;
    let f = f.as_any().downcast_ref::<Float64Array>().ok_or_else(|| column_error(name, "not float64"))?;
    Ok(match f.nulls().filter(|n| n.null_count() > 0) {
        None => Column::Arrow(f.clone()),
        // Nulls that hold NaN already (pandas NaN read as nulls) are read in place.
        Some(nulls) if f.values().iter().zip(nulls.iter()).all(|(v, valid)| valid || v.is_nan()) => {
            Column::Arrow(f.clone())
        }
        // Else the values copied whole, then NaN written where a cell is null.
        Some(nulls) => {
            let mut values = f.values().to_vec();
            for (v, valid) in values.iter_mut().zip(nulls.iter()) {
                if !valid {
                    *v = f64::NAN;
                }
            }
            Column::Numbers(values)
        }
    })
}

fn numpy_column(name: &str, v: &Bound<'_, PyAny>) -> PyResult<(usize, Column)> {
    let not_1d =
        || crate::errors::input(text!("`{name}`列应为一维numpy数组", "column `{name}` must be a 1-d numpy array"));
    let arr = v.cast::<numpy::PyUntypedArray>().map_err(|_| not_1d())?;
    if arr.ndim() != 1 {
        return Err(not_1d());
    }
    let len = arr.len();
    if exemplar::scoring::table::TEXT_COLUMNS.contains(&name) {
        let mut texts = Vec::with_capacity(len);
        for item in v.try_iter()? {
            let item = item?;
            let missing = item.is_none() || item.extract::<f64>().is_ok_and(f64::is_nan);
            texts.push(if missing { None } else { Some(item.str()?.to_string()) });
        }
        return Ok((len, Column::Text(Texts(StringArray::from(texts)))));
    }
    let kind = arr.dtype().kind();
    if !matches!(kind, b'f' | b'i' | b'u' | b'b') {
        return Ok((len, Column::Other(format!("numpy dtype {}", arr.dtype()))));
    }
    let as_f64 = v.call_method1("astype", ("float64",))?;
    let f = as_f64.cast::<PyArray1<f64>>().map_err(|_| not_1d())?.readonly();
    Ok((len, Column::Numbers(f.as_array().iter().copied().collect())))
}

/// A pandas frame's numeric columns as one float64 array, read in place: row-major (numpy C
/// order), or column after column (F order).
pub struct Matrix<'a> {
    pub names: Vec<String>,
    pub values: &'a [f64],
    pub rows: usize,
    pub row_major: bool,
}

impl Input {
    /// The core's table of these columns (and of `matrix`, if given), rows named by `label`.
    fn table<'a>(
        &'a self,
        matrix: Option<&'a Matrix<'_>>,
        names: &'a [&'a str],
        label: &'a (dyn Fn(usize) -> String + Sync),
    ) -> Table<'a> {
        let n = matrix.map_or(self.n, |m| m.rows);
        let mut table = Table::new(n).row_labels(label);
        if let Some(m) = matrix {
            table = if m.row_major {
                table.matrix(names, m.values)
            } else {
                names.iter().zip(m.values.chunks(n.max(1))).fold(table, |t, (name, c)| t.number(name, c))
            };
        }
        for (name, col) in &self.columns {
            table = match col {
                Column::Arrow(a) => table.number(name, a.values()),
                Column::Numbers(v) => table.number(name, v),
                Column::Text(t) => table.text(name, t),
                Column::LargeText(t) => table.text(name, t),
                Column::Other(what) => table.other(name, what.clone()),
            };
        }
        table
    }
}

/// A year read from a table's columns by the core, with the GIL released.
pub fn year(py: Python<'_>, program: &Program, input: &Input) -> PyResult<exemplar::data::year_columns::YearColumns> {
    let label = |row: usize| row.to_string();
    let table = input.table(None, &[], &label);
    py.detach(|| program.year_columns(&table)).map_err(err)
}

/// A year and its results scored elsewhere, read by the core from one table's columns.
pub fn year_with_results(
    py: Python<'_>,
    program: &Program,
    input: &Input,
) -> PyResult<(exemplar::data::year_columns::YearColumns, exemplar::YearScores)> {
    let label = |row: usize| row.to_string();
    let table = input.table(None, &[], &label);
    py.detach(|| program.year_with_results(&table)).map_err(err)
}

/// Evaluates the table in the core with the GIL released, writing the result columns straight
/// into numpy arrays (hence onto the pages numpy allocates): only the score is converted, from
/// exact hundredths to points. `labels` (the pandas index) names rows in error messages; it is
/// read only when there is an error.
pub fn evaluate<'py>(
    py: Python<'py>,
    program: &Program,
    input: Input,
    matrix: Option<Matrix<'_>>,
    scheme: Option<String>,
    labels: Option<Py<PyAny>>,
    options: Options,
) -> PyResult<Bound<'py, PyDict>> {
    let label = move |row: usize| -> String {
        let from_index = labels.as_ref().and_then(|index| {
            Python::attach(|py| index.bind(py).get_item(row).and_then(|v| v.str()).map(|s| s.to_string()).ok())
        });
        from_index.unwrap_or_else(|| row.to_string())
    };
    let n = matrix.as_ref().map_or(input.n, |m| m.rows);
    let names: Vec<&str> = matrix.as_ref().map_or_else(Vec::new, |m| m.names.iter().map(String::as_str).collect());
    let table = input.table(matrix.as_ref(), &names, &label);
    let scheme = scheme.as_deref();
    let ids: Vec<String> = if options.points {
        program.table_criteria(&table, scheme).map_err(err)?.into_iter().map(str::to_string).collect()
    } else {
        Vec::new()
    };
    let stars = PyArray1::<u8>::zeros(py, n, false);
    let standing = PyArray1::<u8>::zeros(py, n, false);
    let vetoed = PyArray1::<bool>::zeros(py, n, false);
    let weak_lax = PyArray1::<bool>::zeros(py, n, false);
    let points: Vec<Bound<'py, PyArray1<f64>>> = ids.iter().map(|_| PyArray1::<f64>::zeros(py, n, false)).collect();
    let mut score = vec![Points::ZERO; n];
    {
        let (mut st, mut sd) = (stars.readwrite(), standing.readwrite());
        let (mut v, mut w) = (vetoed.readwrite(), weak_lax.readwrite());
        let mut cols: Vec<_> = points.iter().map(|p| p.readwrite()).collect();
        let out = BulkOut {
            score: &mut score,
            stars: st.as_slice_mut().map_err(err_numpy)?,
            standing: sd.as_slice_mut().map_err(err_numpy)?,
            vetoed: v.as_slice_mut().map_err(err_numpy)?,
            weak_lax: w.as_slice_mut().map_err(err_numpy)?,
            criteria: cols.iter_mut().map(|c| c.as_slice_mut().map_err(err_numpy)).collect::<PyResult<_>>()?,
        };
        py.detach(|| program.evaluate_table_into(&table, scheme, options.threads, out)).map_err(err)?;
    }
    let d = PyDict::new(py);
    let score: Vec<f64> = score.iter().map(|p| p.as_f64()).collect();
    d.set_item("score", PyArray1::from_vec(py, score))?;
    d.set_item("stars", stars)?;
    d.set_item("standing", standing)?;
    d.set_item("vetoed", vetoed)?;
    d.set_item("weak_lax", weak_lax)?;
    let list = PyList::empty(py);
    for (id, values) in ids.into_iter().zip(points) {
        list.append((id, values))?;
    }
    d.set_item("criteria", list)?;
    Ok(d)
}

fn err_numpy(e: numpy::AsSliceError) -> PyErr {
    crate::errors::input(exemplar::Text::parser(e))
}

/// A generated sample year as one Arrow batch of the flat year's columns: the fixed ones as text
/// (`parent` and `events` null where empty), the values as float64 (NaN where absent).
pub fn sample_year_batch(program: &Program, n: Option<usize>, seed: u64, year: i32) -> exemplar::Result<RecordBatch> {
    use arrow_array::builder::StringBuilder;
    use arrow_schema::{Field, Schema};
    use exemplar::data::year::{FIXED_COLUMNS, value_columns};
    use std::collections::HashMap;
    let names = value_columns(program);
    let mut text: Vec<StringBuilder> = FIXED_COLUMNS.iter().map(|_| StringBuilder::new()).collect();
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    // Few distinct forms, sectors and periods: each worded once.
    let mut forms = HashMap::new();
    let mut sectors = HashMap::new();
    let mut periods = HashMap::new();
    exemplar::sample::sample_year_flat(program, n, seed, year, |r| {
        let (o, i) = (r.organizations, r.org);
        let optional = |b: &mut StringBuilder, s: &str| if s.is_empty() { b.append_null() } else { b.append_value(s) };
        text[0].append_value(o.id(i));
        text[1].append_value(o.name(i));
        text[2].append_value(forms.entry(o.form(i)).or_insert_with(|| o.form(i).to_string()));
        text[3].append_value(sectors.entry(o.sector(i)).or_insert_with(|| o.sector(i).to_string()));
        text[4].append_value(o.county(i));
        text[5].append_value(o.township(i));
        optional(&mut text[6], o.parent(i).unwrap_or_default());
        text[7].append_value(r.scheme);
        text[8].append_value(periods.entry(r.period).or_insert_with(|| r.period.to_string()));
        optional(&mut text[9], &exemplar::Event::list_text(r.events));
        for column in values.iter_mut() {
            column.push(f64::NAN);
        }
        for &(c, v) in r.values {
            if let Some(cell) = values[c].last_mut() {
                *cell = v;
            }
        }
    })?;
    let fields = FIXED_COLUMNS
        .iter()
        .map(|n| Field::new(*n, DataType::Utf8, true))
        .chain(names.iter().map(|n| Field::new(n, DataType::Float64, false)));
    let schema = std::sync::Arc::new(Schema::new(fields.collect::<Vec<_>>()));
    let arrays = text
        .iter_mut()
        .map(|b| std::sync::Arc::new(b.finish()) as ArrayRef)
        .chain(values.into_iter().map(|v| std::sync::Arc::new(Float64Array::from(v)) as ArrayRef))
        .collect();
    RecordBatch::try_new(schema, arrays).map_err(|e| exemplar::Error::Shape(exemplar::Text::parser(e)))
}

//! `exemplar.Program` and `exemplar.Evaluation`: loading, inspecting and evaluating, one report
//! or a whole frame (columnar, with the GIL released while the core runs).

use crate::convert::{Arg, scored, to_py};
use crate::errors::{err, guard, input};
use crate::frame;
use exemplar::{Assessed, Options, ProgramArea, text};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// A validated program: the rule files of one prefecture (or the built-in default).
#[pyclass(module = "exemplar", frozen)]
pub struct Program {
    pub inner: Arc<exemplar::Program>,
}

#[derive(Serialize)]
struct SchemeInfo<'a> {
    id: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    area: Option<ProgramArea>,
    department: Option<&'a str>,
    max_points: f64,
    sectors: Vec<String>,
    forms: Vec<String>,
    criteria: Vec<CriterionInfo>,
    columns: Vec<&'a str>,
}

#[derive(Serialize)]
struct CriterionInfo {
    id: String,
    name_zh: String,
    name_en: String,
    section: String,
    points: f64,
}

#[pymethods]
impl Program {
    /// The built-in 一带五区 program.
    #[staticmethod]
    fn default() -> Program {
        static BUILTIN: std::sync::LazyLock<Arc<exemplar::Program>> =
            std::sync::LazyLock::new(|| Arc::new(exemplar::Program::builtin().clone()));
        Program { inner: BUILTIN.clone() }
    }

    /// The built-in program's rule file, with its comments: the file to copy and edit.
    #[staticmethod]
    fn default_toml() -> &'static str {
        exemplar::rules::program::DEFAULT_PROGRAM_TOML
    }

    /// Loads a `.toml` or `.json` program file; every problem is reported at once.
    #[staticmethod]
    fn from_file(path: Arg<std::path::PathBuf>) -> PyResult<Program> {
        guard(|| Ok(Program { inner: Arc::new(exemplar::Program::from_path(&*path).map_err(err)?) }))
    }

    #[staticmethod]
    fn from_toml(text: Arg<String>) -> PyResult<Program> {
        guard(|| Ok(Program { inner: Arc::new(exemplar::Program::from_toml(&text).map_err(err)?) }))
    }

    #[staticmethod]
    fn from_json(text: Arg<String>) -> PyResult<Program> {
        guard(|| Ok(Program { inner: Arc::new(exemplar::Program::from_json(&text).map_err(err)?) }))
    }

    fn to_toml(&self) -> String {
        self.inner.to_toml()
    }

    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    #[getter]
    fn id(&self) -> String {
        self.inner.file().program.id.clone()
    }

    #[getter]
    fn name_zh(&self) -> String {
        self.inner.file().program.name_zh.clone()
    }

    /// The language results are worded in: "zh" (default) or "en".
    #[getter]
    fn language(&self) -> &'static str {
        self.inner.language().code()
    }

    /// The same program with its results worded in `language` ("zh" or "en"); the rules, and
    /// so the content hash, are unchanged.
    fn with_language(&self, language: Arg<String>) -> PyResult<Program> {
        let lang = crate::convert::language(&language)?;
        guard(|| Ok(Program { inner: Arc::new(self.inner.with_language(lang)) }))
    }

    /// Every scheme with its criteria and its input columns.
    #[getter]
    fn schemes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let p = &self.inner;
        let file = p.file();
        let mut out = Vec::new();
        for s in p.schemes() {
            let plan = p.plan(&s.id).map_err(err)?;
            let sections =
                s.common.iter().filter_map(|c| file.common_sections.iter().find(|x| &x.id == c)).chain(&s.sections);
            let criteria = sections
                .flat_map(|sec| {
                    sec.criteria.iter().map(|c| CriterionInfo {
                        id: c.id.clone(),
                        name_zh: c.name_zh.clone(),
                        name_en: c.name_en.clone().unwrap_or_else(|| c.id.clone()),
                        section: sec.id.clone(),
                        points: c.points,
                    })
                })
                .collect();
            out.push(SchemeInfo {
                id: &s.id,
                name_zh: &s.name_zh,
                name_en: s.name_en.as_deref().unwrap_or(&s.id),
                area: s.area,
                department: s.department.as_deref(),
                max_points: s.max_points,
                sectors: s.applies_to.sectors.iter().map(|x| x.to_string()).collect(),
                forms: s.applies_to.forms.iter().map(|x| x.to_string()).collect(),
                criteria,
                columns: plan.column_names(),
            });
        }
        to_py(py, &out)
    }

    /// The six areas of 一带五区 with their Chinese names.
    #[getter]
    fn areas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v: Vec<(String, &str)> = ProgramArea::ALL.iter().map(|a| (a.to_string(), a.name_zh())).collect();
        to_py(py, &v)
    }

    #[getter]
    fn indicators<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.file().indicators)
    }

    #[getter]
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.file().events)
    }

    #[getter]
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.file().settings)
    }

    /// The whole program as plain data (the rule file's structure).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.file())
    }

    /// Warnings that are not errors, each a `Problem` (place, message).
    fn lint(&self) -> Vec<crate::errors::Problem> {
        self.inner.lint().into_iter().map(crate::errors::Problem::from).collect()
    }

    /// SHA-256 of the program's canonical form, 64 hex digits.
    #[getter]
    fn content_hash(&self) -> &str {
        self.inner.content_hash()
    }

    /// The input columns the decisions read besides the results and the fixed columns: those
    /// the vetoes and weak-and-lax situations test, and the event counts.
    #[getter]
    fn decision_columns(&self) -> Vec<&str> {
        self.inner.decision_columns()
    }

    /// What changed from this program to `newer`: kind, place, field, before, after.
    fn diff<'py>(&self, py: Python<'py>, newer: Arg<PyRef<'_, Program>>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.diff(&newer.inner))
    }

    /// Evaluates one report: a flat mapping like a row of `sample_year()`, or the nested form.
    fn evaluate(&self, report_obj: &Bound<'_, PyAny>) -> PyResult<Evaluation> {
        guard(|| Ok(Evaluation::new(self.inner.clone(), scored(&self.inner, report_obj)?)))
    }

    /// Columnar evaluation of anything with `__arrow_c_stream__`; used by `evaluate_frame`.
    /// `labels` (a pandas index) names rows in errors.
    #[pyo3(
        signature = (table, scheme=None, labels=None, points=Arg(true), threads=Arg(1)),
        text_signature = "($self, table, scheme=None, labels=None, points=True, threads=1)"
    )]
    fn _evaluate_arrow<'py>(
        &self,
        py: Python<'py>,
        table: pyo3_arrow::PyTable,
        scheme: Option<Arg<String>>,
        labels: Option<Py<PyAny>>,
        points: Arg<bool>,
        threads: Arg<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let input = frame::Input::from_arrow(table, &exemplar::scoring::table::TEXT_COLUMNS)?;
        let (options, scheme) = (Options { threads: *threads, points: *points }, scheme.map(|s| s.0));
        guard(|| frame::evaluate(py, &self.inner, input, None, scheme, labels, options))
    }

    /// The criteria whose points `evaluate_frame` returns for `rows` rows holding these routing
    /// columns (`scheme`, `area`: the distinct values of a whole table), or under `scheme`: what
    /// every part of a table scored apart (a Dask or Spark partition) returns to make up the
    /// whole's columns.
    #[pyo3(signature = (routes, rows, scheme=None))]
    fn _table_criteria(
        &self,
        routes: Arg<BTreeMap<String, Vec<Option<String>>>>,
        rows: Arg<usize>,
        scheme: Option<Arg<String>>,
    ) -> PyResult<Vec<String>> {
        let table = routes.iter().fold(exemplar::Table::new(*rows), |t, (name, values)| t.text(name, values));
        let ids = self.inner.table_criteria(&table, scheme.as_deref().map(String::as_str)).map_err(err)?;
        Ok(ids.into_iter().map(str::to_string).collect())
    }

    /// Columnar evaluation of a pandas frame whose numeric columns are one float64 array
    /// (`values`, rows × names, read in place), with its text columns (`texts`, Arrow); used by
    /// `evaluate_frame`.
    #[pyo3(
        signature = (names, values, texts, scheme=None, labels=None, points=Arg(true), threads=Arg(1)),
        text_signature = "($self, names, values, texts, scheme=None, labels=None, points=True, threads=1)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn _evaluate_matrix<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
        values: numpy::PyReadonlyArray2<'py, f64>,
        texts: pyo3_arrow::PyTable,
        scheme: Option<Arg<String>>,
        labels: Option<Py<PyAny>>,
        points: Arg<bool>,
        threads: Arg<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        use numpy::PyUntypedArrayMethods;
        let columns = frame::Input::from_arrow(texts, &exemplar::scoring::table::TEXT_COLUMNS)?;
        let rows = values.shape()[0];
        let row_major = values.is_c_contiguous();
        let data = match values.as_slice() {
            Ok(d) => d,
            Err(_) => {
                return Err(input(text!("数值列须为一个连续数组", "the numeric columns must be one contiguous array")));
            }
        };
        let matrix = frame::Matrix { names, values: data, rows, row_major };
        let (options, scheme) = (Options { threads: *threads, points: *points }, scheme.map(|s| s.0));
        guard(|| frame::evaluate(py, &self.inner, columns, Some(matrix), scheme, labels, options))
    }

    /// Columnar evaluation of a dict of 1-d numpy arrays; used by `evaluate_frame`.
    #[pyo3(
        signature = (columns, scheme=None, points=Arg(true), threads=Arg(1)),
        text_signature = "($self, columns, scheme=None, points=True, threads=1)"
    )]
    fn _evaluate_numpy<'py>(
        &self,
        py: Python<'py>,
        columns: &Bound<'py, PyDict>,
        scheme: Option<Arg<String>>,
        points: Arg<bool>,
        threads: Arg<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let input = frame::Input::from_numpy(columns)?;
        let (options, scheme) = (Options { threads: *threads, points: *points }, scheme.map(|s| s.0));
        guard(|| frame::evaluate(py, &self.inner, input, None, scheme, None, options))
    }

    fn __repr__(&self) -> String {
        format!("<exemplar.Program {} ({} schemes)>", self.inner.file().program.id, self.inner.schemes().len())
    }
}

/// One report's evaluation: totals at once, every section and criterion explained when first
/// asked for.
#[pyclass(module = "exemplar", frozen)]
pub struct Evaluation {
    program: Arc<exemplar::Program>,
    scored: exemplar::Scored,
    /// Boxed: an unread explanation costs one pointer, and the object stays small.
    explained: OnceLock<Box<exemplar::Evaluation>>,
}

impl Evaluation {
    pub fn new(program: Arc<exemplar::Program>, scored: exemplar::Scored) -> Evaluation {
        Evaluation { program, scored, explained: OnceLock::new() }
    }

    /// The compact result: totals, bands and flags.
    pub fn scored(&self) -> &exemplar::Scored {
        &self.scored
    }

    /// The full explanation, worded the first time it is read.
    pub fn explained(&self) -> PyResult<&exemplar::Evaluation> {
        if let Some(e) = self.explained.get() {
            return Ok(e);
        }
        let e = guard(|| self.program.explain(&self.scored).map_err(err))?;
        Ok(self.explained.get_or_init(|| Box::new(e)))
    }
}

#[pymethods]
impl Evaluation {
    /// The organization evaluated.
    #[getter]
    fn org_id(&self) -> &str {
        self.scored.org_id()
    }

    /// The scheme it was scored under.
    #[getter]
    fn scheme(&self) -> &str {
        self.scored.scheme()
    }

    /// The period, as written (`2023`, `2023-Q2`, `2023-05`).
    #[getter]
    fn period(&self) -> String {
        self.scored.period().to_string()
    }

    /// The total, rounded half away from zero to 0.01 point.
    #[getter]
    fn score(&self) -> f64 {
        self.scored.score().as_f64()
    }

    /// Stars 1 to 5, or None if the bands do not rate it.
    #[getter]
    fn stars(&self) -> Option<u8> {
        self.scored.stars().map(|s| s.get())
    }

    /// Standing id (`advanced`, `good`, `average`, `lagging`), or None.
    #[getter]
    fn standing(&self) -> Option<String> {
        self.scored.standing().map(|s| s.to_string())
    }

    /// Standing in Chinese (先进, 较好, 一般, 后进), or None.
    #[getter]
    fn standing_zh(&self) -> Option<&'static str> {
        self.scored.standing().map(|s| s.name_zh())
    }

    /// Whether a veto fired.
    #[getter]
    fn vetoed(&self) -> bool {
        self.scored.vetoed()
    }

    /// The vetoes that fired, each with its reason.
    #[getter]
    fn vetoes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.explained()?.vetoes)
    }

    /// The weak-and-lax situations that fired, each with its reason.
    #[getter]
    fn weak_lax<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.explained()?.weak_lax)
    }

    /// Why these stars and this standing, in words.
    #[getter]
    fn band_reason(&self) -> PyResult<String> {
        Ok(self.explained()?.band_reason.clone())
    }

    /// Indicators that were missing (scored 0 under `missing = "zero"`).
    #[getter]
    fn missing(&self) -> PyResult<Vec<String>> {
        Ok(self.explained()?.missing.clone())
    }

    /// Every criterion of every sheet: assessor, section, id, name_zh, points, max, input,
    /// missing, reason.
    #[getter]
    fn criteria<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        #[derive(Serialize)]
        struct Row<'a> {
            assessor: Option<&'a str>,
            section: &'a str,
            #[serde(flatten)]
            c: &'a exemplar::CriterionScore,
        }
        let rows: Vec<Row> = self
            .explained()?
            .sheets
            .iter()
            .flat_map(|s| s.sections.iter().map(move |sec| (s, sec)))
            .flat_map(|(s, sec)| {
                sec.criteria.iter().map(move |c| Row { assessor: s.assessor.as_deref(), section: &sec.id, c })
            })
            .collect();
        to_py(py, &rows)
    }

    /// Each criterion's points (weighted across assessors), by id.
    fn points(&self) -> PyResult<Vec<(String, f64)>> {
        let points = self.program.criterion_points(&self.scored).map_err(err)?;
        Ok(points.into_iter().map(|(id, p)| (id.to_string(), p.as_f64())).collect())
    }

    /// How far to the next band, and which criteria could close the gap.
    fn gap<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| to_py(py, &self.program.gap(self.explained()?).map_err(err)?))
    }

    /// The fewest criteria, and the value each must reach, that together reach the next band
    /// (`goal="reach"`), or keep this one should every other criterion score nothing (`"keep"`).
    #[pyo3(signature = (goal = Arg("reach".to_string())), text_signature = "($self, goal='reach')")]
    fn improvement_plan<'py>(&self, py: Python<'py>, goal: Arg<String>) -> PyResult<Bound<'py, PyAny>> {
        let goal = match goal.as_str() {
            "reach" => exemplar::scoring::gap::Goal::Reach,
            "keep" => exemplar::scoring::gap::Goal::Keep,
            other => {
                return Err(crate::errors::policy(text!(
                    "goal`{other}`：应为\"reach\"或\"keep\"",
                    "goal `{other}`: give \"reach\" or \"keep\""
                )));
            }
        };
        guard(|| to_py(py, &self.program.improvement_plan(self.explained()?, goal).map_err(err)?))
    }

    /// The content hash of the program that evaluated it.
    #[getter]
    fn program_hash(&self) -> &str {
        self.program.content_hash()
    }

    /// The whole evaluation, explained, as plain dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.explained()?)
    }

    /// The whole evaluation, explained, as JSON.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(self.explained()?).map_err(|e| input(exemplar::Text::parser(e)))
    }

    fn __repr__(&self) -> String {
        let s = &self.scored;
        let stars = s.stars().map_or("unrated".into(), |s| s.to_string());
        format!("<exemplar.Evaluation {} {} {} {}>", s.org_id(), s.scheme(), s.score(), stars)
    }
}

/// The core program behind an `exemplar.Program` (the Python wrapper) or `_exemplar.Program`.
pub fn core(obj: &Bound<'_, PyAny>) -> PyResult<Arc<exemplar::Program>> {
    if let Ok(p) = obj.cast::<Program>() {
        return Ok(p.get().inner.clone());
    }
    match obj.getattr("_inner") {
        Ok(inner) => {
            let expected = || input(text!("应为exemplar.Program", "expected an exemplar.Program"));
            Ok(inner.cast::<Program>().map_err(|_| expected())?.get().inner.clone())
        }
        Err(_) => {
            let given = obj.get_type().name()?;
            Err(input(text!("应为exemplar.Program，而非{given}", "expected an exemplar.Program, not {given}")))
        }
    }
}

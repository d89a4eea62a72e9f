//! Year-level operations for Python: years of data, selection, reward allocation, designation,
//! year over year, oversight status, and the sample generator.

use crate::convert::{Arg, date, from_py, to_py, whole};
use crate::errors::{err, guard, input, policy};
use crate::program::{Evaluation, core};
use exemplar::Text;
use exemplar::data::year_columns::YearColumns;
use exemplar::decisions::allocate::Claim;
use exemplar::decisions::money::Fen;
use exemplar::text;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A year of data: organizations and their reports (the flat CSV, one row per organization and
/// scheme), held as the core's columns.
#[pyclass(module = "exemplar", frozen)]
pub struct Year {
    pub columns: YearColumns,
    /// The reports as read: from the CSV, or, when first needed, from the table the year was
    /// loaded from.
    reports: OnceLock<exemplar::Year>,
    /// The (immutable) pyarrow table a year was loaded from.
    table: Option<Py<PyAny>>,
}

impl Year {
    pub fn of_reports(program: &exemplar::Program, reports: exemplar::Year) -> Result<Year, exemplar::Error> {
        let columns = YearColumns::from_year(program, &reports)?;
        Ok(Year { columns, reports: OnceLock::from(reports), table: None })
    }

    /// The year's reports, read from its table the first time they are needed.
    pub fn reports(&self, py: Python<'_>, program: &exemplar::Program) -> PyResult<&exemplar::Year> {
        if let Some(r) = self.reports.get() {
            return Ok(r);
        }
        let table = self.table.as_ref().ok_or_else(|| input(text!("该年度没有填报", "the year has no reports")))?;
        let text: String = py.import("exemplar._api")?.call_method1("_year_csv_text", (table,))?.extract()?;
        let year = guard(|| exemplar::Year::from_csv(text.as_bytes(), "table", program).map_err(err))?;
        Ok(self.reports.get_or_init(|| year))
    }
}

#[pymethods]
impl Year {
    /// Reads the flat year CSV at `path`, checked against the program.
    #[staticmethod]
    fn from_csv(path: Arg<std::path::PathBuf>, program: &Bound<'_, PyAny>) -> PyResult<Year> {
        let p = core(program)?;
        guard(|| exemplar::Year::from_csv_path(&*path, &p).and_then(|y| Year::of_reports(&p, y)).map_err(err))
    }

    /// From CSV text (what `pandas.DataFrame.to_csv(index=False)` writes).
    #[staticmethod]
    fn from_csv_text(text: Arg<String>, program: &Bound<'_, PyAny>) -> PyResult<Year> {
        let p = core(program)?;
        let year = exemplar::Year::from_csv(text.as_bytes(), "table", &p);
        guard(|| year.and_then(|y| Year::of_reports(&p, y)).map_err(err))
    }

    /// Reads a year from an Excel workbook (`.xlsx`, `.xls`, `.ods`): one flat sheet, or one
    /// sheet per scheme; headers the CSV's column names or their Chinese names, indicators by id
    /// or Chinese name. Errors name the sheet, the cell and the indicator.
    #[staticmethod]
    fn from_xlsx(path: Arg<std::path::PathBuf>, program: &Bound<'_, PyAny>) -> PyResult<Year> {
        let p = core(program)?;
        guard(|| exemplar::Year::from_xlsx_path(&*path, &p).and_then(|y| Year::of_reports(&p, y)).map_err(err))
    }

    /// Writes the year as a workbook to fill in (one sheet per scheme, Chinese headers) to `path`.
    fn to_xlsx(&self, py: Python<'_>, program: &Bound<'_, PyAny>, path: Arg<std::path::PathBuf>) -> PyResult<()> {
        let p = core(program)?;
        let bytes = guard(|| self.reports(py, &p)?.to_xlsx(&p).map_err(err))?;
        write_file(&path, &bytes)
    }

    /// Runs the year's annual review (evaluate, designate, select, pay) and writes the annual
    /// workbook to `path`: 总表, 评分明细, 推荐名单, 奖补分配, 整顿名单, 差距分析, headers in the
    /// program's language.
    fn write_annual_workbook(
        &self,
        py: Python<'_>,
        program: &Bound<'_, PyAny>,
        path: Arg<std::path::PathBuf>,
    ) -> PyResult<()> {
        let p = core(program)?;
        let year = self.reports(py, &p)?;
        let bytes =
            py.detach(|| guard(|| p.annual_review(year).and_then(|r| p.annual_workbook(year, &r)).map_err(err)))?;
        write_file(&path, &bytes)
    }

    /// From a pyarrow Table with the flat year's columns, read column by column.
    #[staticmethod]
    fn _from_arrow(py: Python<'_>, table: &Bound<'_, PyAny>, program: &Bound<'_, PyAny>) -> PyResult<Year> {
        let p = core(program)?;
        let input = crate::frame::Input::from_arrow(table.extract()?, &exemplar::data::year::FIXED_COLUMNS)?;
        let columns = guard(|| crate::frame::year(py, &p, &input))?;
        Ok(Year { columns, reports: OnceLock::new(), table: Some(table.clone().unbind()) })
    }

    /// The year as the flat CSV `from_csv_text` reads.
    fn to_csv_text(&self, py: Python<'_>, program: &Bound<'_, PyAny>) -> PyResult<String> {
        let p = core(program)?;
        let mut out = Vec::new();
        self.reports(py, &p)?.to_csv(&p, &mut out).map_err(err)?;
        String::from_utf8(out).map_err(|e| input(Text::parser(e)))
    }

    /// Every organization of the year, as dicts.
    #[getter]
    fn organizations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.organization_list())
    }

    fn __len__(&self) -> usize {
        self.columns.reports()
    }

    fn __repr__(&self) -> String {
        let mut periods = std::collections::BTreeSet::new();
        for s in self.columns.schemes() {
            periods.extend((0..s.rows()).map(|r| s.period(r)));
        }
        let periods: Vec<String> = periods.iter().map(|p| p.to_string()).collect();
        format!(
            "<exemplar.Year {} reports of {} organizations, {}>",
            self.columns.reports(),
            self.columns.organizations().len(),
            periods.join(", ")
        )
    }

    /// Evaluates every report, sorted by scheme (program order) then organization id.
    fn evaluate(&self, py: Python<'_>, program: &Bound<'_, PyAny>) -> PyResult<Vec<Evaluation>> {
        let p = core(program)?;
        let scored = py.detach(|| {
            guard(|| {
                let scores = p.score_year_columns(&self.columns, whole_year()).map_err(err)?;
                Ok(scores.rows(&p, &self.columns).iter().map(|r| r.scored()).collect::<Vec<_>>())
            })
        })?;
        Ok(scored.into_iter().map(|s| Evaluation::new(p.clone(), s)).collect())
    }

    /// One report of the year (of `org_id` under `scheme`, for `period` or its only period),
    /// scored on its own; its explanation is worded when first read.
    #[pyo3(signature = (program, org_id, scheme, period=None))]
    fn evaluation(
        &self,
        program: &Bound<'_, PyAny>,
        org_id: Arg<String>,
        scheme: Arg<String>,
        period: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Evaluation> {
        let p = core(program)?;
        let period = period.map(|v| crate::convert::period(&org_id, v)).transpose()?;
        let s = guard(|| p.score_in_year(&self.columns, &org_id, &scheme, period).map_err(err))?;
        Ok(Evaluation::new(p, s))
    }

    /// Weak-and-lax designations: situations shown, and the bottom of each county's ranking;
    /// of the whole year unless `evaluations` are given.
    #[pyo3(signature = (program, evaluations=None))]
    fn designate<'py>(
        &self,
        py: Python<'py>,
        program: &Bound<'_, PyAny>,
        evaluations: Option<Arg<Vec<PyRef<'py, Evaluation>>>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = core(program)?;
        let d = match evaluations {
            Some(evaluations) => guard(|| p.designate(&self.columns, &scored(&evaluations)).map_err(err))?,
            None => py.detach(|| {
                guard(|| {
                    let scores = p.score_year_columns(&self.columns, whole_year()).map_err(err)?;
                    p.designate(&self.columns, &scores.rows(&p, &self.columns)).map_err(err)
                })
            })?,
        };
        to_py(py, &d)
    }

    /// Names the exemplars under the program's selection policy, from the whole year unless
    /// `evaluations` are given; weak-and-lax organizations are designated from the same
    /// evaluations unless `weak_lax` (org_id → reason) is given.
    #[pyo3(signature = (program, evaluations=None, weak_lax=None, procedure_incomplete=None))]
    fn select(
        &self,
        py: Python<'_>,
        program: &Bound<'_, PyAny>,
        evaluations: Option<Arg<Vec<PyRef<'_, Evaluation>>>>,
        weak_lax: Option<Arg<BTreeMap<String, String>>>,
        procedure_incomplete: Option<Arg<BTreeMap<String, String>>>,
    ) -> PyResult<Selection> {
        let p = core(program)?;
        let (weak_lax, procedure_incomplete) = (weak_lax.map(|w| w.0), procedure_incomplete.map(|w| w.0));
        let given = evaluations.as_ref().map(|e| scored(e));
        let s = py.detach(|| {
            guard(|| match &given {
                Some(evals) => self.select_from(&p, evals, weak_lax, procedure_incomplete),
                None => {
                    let scores = p.score_year_columns(&self.columns, whole_year()).map_err(err)?;
                    self.select_from(&p, &scores.rows(&p, &self.columns), weak_lax, procedure_incomplete)
                }
            })
        })?;
        Ok(Selection { program: p, inner: s })
    }

    /// Oversight status as of a date (`oversight`: the dict `read_oversight` returns).
    #[pyo3(signature = (program, oversight, as_of, calendar=None))]
    fn oversight_status<'py>(
        &self,
        py: Python<'py>,
        program: &Bound<'_, PyAny>,
        oversight: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
        calendar: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let o: exemplar::oversight::status::Oversight = from_py(oversight, "oversight")?;
        let cal: exemplar::oversight::calendar::Calendar = match calendar {
            Some(c) => from_py(c, "calendar")?,
            None => Default::default(),
        };
        let as_of = date(as_of)?;
        let p = core(program)?;
        let year = self.reports(py, &p)?;
        let s = guard(|| p.oversight_status(&o, year, &cal, as_of).map_err(err))?;
        to_py(py, &s)
    }
}

/// The year's decisions from results scored elsewhere (see `exemplar.decide`): the weak-and-lax
/// designations, the selection and the program's reward, as on the year scored here.
#[pyfunction]
#[pyo3(signature = (program, table, procedure_incomplete=None))]
pub fn _decide<'py>(
    py: Python<'py>,
    program: &Bound<'_, PyAny>,
    table: Arg<pyo3_arrow::PyTable>,
    procedure_incomplete: Option<Arg<BTreeMap<String, String>>>,
) -> PyResult<(Bound<'py, PyAny>, Selection, Allocation)> {
    let p = core(program)?;
    let texts: Vec<&str> = exemplar::data::year::FIXED_COLUMNS.iter().copied().chain(["area", "standing"]).collect();
    let input = crate::frame::Input::from_arrow(table.0, &texts)?;
    let incomplete = procedure_incomplete.map(|m| m.0).unwrap_or_default();
    let (year, scores) = guard(|| crate::frame::year_with_results(py, &p, &input))?;
    let (designations, selection, allocation) = py.detach(|| {
        guard(|| {
            let rows = scores.rows(&p, &year);
            let designations = p.designations(&year, &rows).map_err(err)?;
            let selection = p.select_designated(&year, &rows, &designations, &incomplete).map_err(err)?;
            let allocation = p.reward(&selection).map_err(err)?;
            Ok((designations.iter().collect::<Vec<_>>(), selection, allocation))
        })
    })?;
    let selection = Selection { program: p, inner: selection };
    Ok((to_py(py, &designations)?, selection, Allocation { inner: allocation }))
}

/// A weight-sensitivity study of the year (see `exemplar.sensitivity`): the study, each scheme's
/// units, the expected overlap, the most uncertain (indices) and the reports as columns.
#[pyfunction]
#[pyo3(signature = (program, year, study, progress=None))]
pub fn _sensitivity<'py>(
    py: Python<'py>,
    program: &Bound<'_, PyAny>,
    year: Arg<PyRef<'_, Year>>,
    study: &Bound<'_, PyAny>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    use exemplar::decisions::sensitivity::Study;
    let p = core(program)?;
    let study: Study = from_py(study, "study")?;
    if progress.as_ref().is_some_and(|f| !f.bind(py).is_callable()) {
        return Err(policy(text!("progress应为可调用对象（done → None）", "progress must be callable (done → None)")));
    }
    // Told from the draws' threads, each taking the GIL for the call; an error in it is reported
    // as unraisable and the study goes on.
    let tell = |done: usize| {
        if let Some(f) = &progress {
            Python::attach(|py| {
                if let Err(e) = f.call1(py, (done,)) {
                    e.write_unraisable(py, None);
                }
            });
        }
    };
    let columns = &year.columns;
    let s = py.detach(|| guard(|| p.sensitivity(columns, &study, &tell).map_err(err)))?;
    let d = PyDict::new(py);
    d.set_item("study", to_py(py, &s.study)?)?;
    d.set_item("units", to_py(py, &s.units)?)?;
    d.set_item("expected_overlap", s.expected_overlap)?;
    d.set_item("most_uncertain", s.most_uncertain.clone())?;
    let r = &s.reports;
    let column =
        |f: &dyn Fn(&exemplar::decisions::sensitivity::Robustness) -> f64| r.iter().map(f).collect::<Vec<f64>>();
    let reports = PyDict::new(py);
    reports.set_item("org_id", r.iter().map(|x| x.org_id.as_str()).collect::<Vec<_>>())?;
    reports.set_item("scheme", r.iter().map(|x| x.scheme.as_str()).collect::<Vec<_>>())?;
    reports.set_item("county", r.iter().map(|x| x.county.as_str()).collect::<Vec<_>>())?;
    reports.set_item("score", PyArray1::from_vec(py, column(&|x| x.score.as_f64())))?;
    reports.set_item("named", PyArray1::from_vec(py, r.iter().map(|x| x.named).collect::<Vec<bool>>()))?;
    reports.set_item("p_named", PyArray1::from_vec(py, column(&|x| x.p_named)))?;
    for k in 0..6 {
        reports.set_item(format!("p_stars_{k}"), PyArray1::from_vec(py, column(&|x| x.p_stars[k])))?;
    }
    for (k, q) in ["rank_p5", "rank_p50", "rank_p95"].into_iter().enumerate() {
        reports.set_item(q, PyArray1::from_vec(py, r.iter().map(|x| x.rank[k]).collect::<Vec<u32>>()))?;
    }
    reports.set_item("central_weights", r.iter().map(|x| x.central_weights.clone()).collect::<Vec<_>>())?;
    d.set_item("reports", reports)?;
    Ok(d)
}

/// How far a section's weight can move before the named list changes, or (with `org_id`) one
/// organization's naming or stars (see `exemplar.stability`).
#[pyfunction]
#[pyo3(signature = (program, year, scheme, section, org_id=None))]
pub fn _stability<'py>(
    py: Python<'py>,
    program: &Bound<'_, PyAny>,
    year: Arg<PyRef<'_, Year>>,
    scheme: Arg<String>,
    section: Arg<String>,
    org_id: Option<Arg<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (p, columns) = (core(program)?, &year.columns);
    let s = py.detach(|| {
        guard(|| match &org_id {
            Some(org) => p.flip(columns, org, &scheme, &section).map_err(err),
            None => p.stability(columns, &scheme, &section).map_err(err),
        })
    })?;
    to_py(py, &s)
}

/// Writes `bytes` to `path`; a failure is an `ExemplarError` naming the file.
fn write_file(path: &std::path::Path, bytes: &[u8]) -> PyResult<()> {
    std::fs::write(path, bytes)
        .map_err(|e| err(exemplar::Error::Io { path: path.display().to_string(), message: e.to_string() }))
}

impl Year {
    fn organization_list(&self) -> Vec<exemplar::Organization> {
        let orgs = self.columns.organizations();
        (0..orgs.len()).map(|i| orgs.get(i)).collect()
    }

    /// Selects from the evaluations, designating from them unless `weak_lax` is given.
    fn select_from<E: exemplar::Assessed + Sync>(
        &self,
        p: &exemplar::Program,
        evals: &[E],
        weak_lax: Option<BTreeMap<String, String>>,
        procedure_incomplete: Option<BTreeMap<String, String>>,
    ) -> PyResult<exemplar::decisions::select::Selection> {
        p.select_designating(&self.columns, evals, weak_lax, procedure_incomplete.unwrap_or_default()).map_err(err)
    }
}

/// A whole year is scored on every core, keeping the points the tie-breaks read; the results
/// never depend on the thread count.
fn whole_year() -> exemplar::Options {
    exemplar::Options { threads: 0, points: false }
}

/// The named exemplars, the waiting list, every candidate not named with its reason.
#[pyclass(module = "exemplar", frozen)]
pub struct Selection {
    pub program: std::sync::Arc<exemplar::Program>,
    pub inner: exemplar::decisions::select::Selection,
}

#[pymethods]
impl Selection {
    /// How many exemplars the program names a year.
    #[getter]
    fn target(&self) -> u32 {
        self.inner.target
    }
    /// The content hash of the program that selected.
    #[getter]
    fn program_hash(&self) -> &str {
        &self.inner.program_hash
    }
    /// The named exemplars in rank order, each with its basis.
    #[getter]
    fn named<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.named)
    }
    /// The first eligible candidates not named, in rank order.
    #[getter]
    fn waiting<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.waiting)
    }
    /// Every candidate not named, with the reason.
    #[getter]
    fn not_named<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.not_named)
    }
    /// Targets and minimums that could not be met, in words.
    #[getter]
    fn shortfalls(&self) -> Vec<String> {
        self.inner.shortfalls.clone()
    }
    fn __repr__(&self) -> String {
        format!(
            "<exemplar.Selection {} named of target {}, {} waiting, {} not named, {} shortfalls>",
            self.inner.named.len(),
            self.inner.target,
            self.inner.waiting.len(),
            self.inner.not_named.len(),
            self.inner.shortfalls.len()
        )
    }
    /// Pays the program's reward pool to the named exemplars under its reward policy.
    fn reward(&self) -> PyResult<Allocation> {
        guard(|| Ok(Allocation { inner: self.program.reward(&self.inner).map_err(err)? }))
    }
    /// The whole selection as plain dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }
    /// The named exemplars as a pandas DataFrame.
    fn to_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, to_py(py, &self.inner.named)?)
    }
    /// The public notice (公示) of the named as an HTML document printable on A4, in the
    /// program's language: by county and area, the notice period from the day `posted` (the
    /// program's `public_notice` stage, in working days of `calendar`), where to send objections.
    #[pyo3(signature = (year, posted, issuer, contact, calendar=None))]
    fn public_notice(
        &self,
        py: Python<'_>,
        year: Arg<PyRef<'_, Year>>,
        posted: &Bound<'_, PyAny>,
        issuer: Arg<String>,
        contact: Arg<String>,
        calendar: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let cal: exemplar::oversight::calendar::Calendar = match calendar {
            Some(c) => from_py(c, "calendar")?,
            None => Default::default(),
        };
        let notice =
            exemplar::documents::notice::Notice { posted: date(posted)?, issuer: issuer.0, contact: contact.0 };
        let reports = year.reports(py, &self.program)?;
        guard(|| self.program.public_notice(reports, &self.inner, &notice, &cal).map_err(err))
    }
}

fn frame<'py>(py: Python<'py>, rows: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    py.import("pandas")?.call_method1("DataFrame", (rows,))
}

/// A pool paid out to the fen.
#[pyclass(module = "exemplar", frozen)]
pub struct Allocation {
    pub inner: exemplar::decisions::allocate::Allocation,
}

#[pymethods]
impl Allocation {
    /// The pool paid out, in fen.
    #[getter]
    fn pool_fen(&self) -> i64 {
        self.inner.pool_fen.0
    }
    /// What was paid, in fen: the sum of the awards.
    #[getter]
    fn paid_fen(&self) -> i64 {
        self.inner.paid_fen.0
    }
    /// What caps or fixed amounts left undistributed, in fen.
    #[getter]
    fn rest_fen(&self) -> i64 {
        self.inner.rest_fen.0
    }
    /// Every award: id, scheme, weight, amount (fen), landing, basis.
    #[getter]
    fn awards<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.awards)
    }
    /// The content hash of the program whose policy paid it; empty for a pool apportioned
    /// without a program.
    #[getter]
    fn program_hash(&self) -> &str {
        &self.inner.program_hash
    }
    /// What a score-linked policy's amounts added up to, in fen, where they were scaled down to
    /// the pool; None otherwise.
    #[getter]
    fn scaled_from_fen(&self) -> Option<i64> {
        self.inner.scaled_from_fen.map(|f| f.0)
    }
    /// The pool's split across schemes or counties: of, weight, pool, paid and rest (fen), basis.
    #[getter]
    fn sub_pools<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.sub_pools)
    }
    /// id → fen (`id@scheme` for exemplars named under a scheme).
    #[getter]
    fn amounts_fen<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for a in &self.inner.awards {
            let key = match &a.scheme {
                Some(s) => format!("{}@{s}", a.id),
                None => a.id.clone(),
            };
            d.set_item(key, a.amount_fen.0)?;
        }
        Ok(d)
    }
    /// The whole allocation as plain dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }
    /// The awards as a pandas DataFrame (amounts in fen).
    fn to_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        frame(py, to_py(py, &self.inner.awards)?)
    }
    fn __repr__(&self) -> String {
        format!(
            "<exemplar.Allocation paid {} of {} yuan, rest {}>",
            self.inner.paid_fen, self.inner.pool_fen, self.inner.rest_fen
        )
    }
}

fn claims(ids: Vec<String>, weights: Vec<u64>) -> PyResult<Vec<Claim>> {
    if ids.len() != weights.len() {
        let (i, w) = (ids.len(), weights.len());
        return Err(input(text!("{i}个编号对应{w}个权重", "{i} ids for {w} weights")));
    }
    Ok(ids.into_iter().zip(weights).map(|(id, weight)| Claim { id, scheme: None, weight }).collect())
}

fn fen(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Fen> {
    whole::<i64>(obj, what, exemplar::rules::limits::FEN).map(Fen).map_err(policy)
}

fn weights(list: &[Bound<'_, PyAny>]) -> PyResult<Vec<u64>> {
    list.iter().map(|w| whole::<u64>(w, "a weight", 0..=u64::MAX).map_err(policy)).collect()
}

/// Largest-remainder apportionment of `pool_fen` by integer weights, clamped to [floor, cap];
/// weights below `threshold` get nothing (listed as excluded); `equal` shares alike; the bases
/// are worded in `language` ("zh" or "en").
#[pyfunction]
#[pyo3(
    signature = (pool_fen, ids, weights, floor_fen=None, cap_fen=None, threshold=None, equal=Arg(false), language=Arg("zh".into())),
    text_signature = "(pool_fen, ids, weights, floor_fen=None, cap_fen=None, threshold=None, equal=False, language='zh')"
)]
#[allow(clippy::too_many_arguments)]
pub fn apportion(
    pool_fen: &Bound<'_, PyAny>,
    ids: Arg<Vec<String>>,
    weights: Arg<Vec<Bound<'_, PyAny>>>,
    floor_fen: Option<&Bound<'_, PyAny>>,
    cap_fen: Option<&Bound<'_, PyAny>>,
    threshold: Option<&Bound<'_, PyAny>>,
    equal: Arg<bool>,
    language: Arg<String>,
) -> PyResult<Allocation> {
    let lang = crate::convert::language(&language)?;
    let c = claims(ids.0, self::weights(&weights)?)?;
    let (pool, floor) = (fen(pool_fen, "pool_fen")?, floor_fen.map(|f| fen(f, "floor_fen")).transpose()?);
    let cap = cap_fen.map(|c| fen(c, "cap_fen")).transpose()?;
    let threshold = threshold.map(|t| whole::<u64>(t, "threshold", 0..=u64::MAX).map_err(policy)).transpose()?;
    guard(|| {
        Ok(Allocation {
            inner: exemplar::decisions::allocate::apportion_above(
                pool,
                &c,
                threshold,
                *equal,
                floor.unwrap_or(Fen::ZERO),
                cap,
                lang,
            )
            .map_err(err)?,
        })
    })
}

/// Fixed amounts (fen) per id, clamped to [floor, cap]; the rest of the pool is stated; the bases
/// are worded in `language` ("zh" or "en").
#[pyfunction]
#[pyo3(
    signature = (pool_fen, ids, amounts_fen, floor_fen=None, cap_fen=None, language=Arg("zh".into())),
    text_signature = "(pool_fen, ids, amounts_fen, floor_fen=None, cap_fen=None, language='zh')"
)]
pub fn fixed_amounts(
    pool_fen: &Bound<'_, PyAny>,
    ids: Arg<Vec<String>>,
    amounts_fen: Arg<Vec<Bound<'_, PyAny>>>,
    floor_fen: Option<&Bound<'_, PyAny>>,
    cap_fen: Option<&Bound<'_, PyAny>>,
    language: Arg<String>,
) -> PyResult<Allocation> {
    let lang = crate::convert::language(&language)?;
    let amounts = amounts_fen.iter().map(|a| fen(a, "an amount")).collect::<PyResult<Vec<Fen>>>()?;
    let c: Vec<(Claim, Fen)> = claims(ids.0, vec![1; amounts.len()])?.into_iter().zip(amounts).collect();
    let (pool, floor) = (fen(pool_fen, "pool_fen")?, floor_fen.map(|f| fen(f, "floor_fen")).transpose()?);
    let cap = cap_fen.map(|c| fen(c, "cap_fen")).transpose()?;
    guard(|| {
        Ok(Allocation {
            inner: exemplar::decisions::allocate::fixed(pool, &c, floor.unwrap_or(Fen::ZERO), cap, lang)
                .map_err(err)?,
        })
    })
}

/// Transition matrices per county and scheme, and every organization's history.
#[pyfunction]
pub fn year_over_year<'py>(
    py: Python<'py>,
    years: Arg<BTreeMap<i32, Vec<PyRef<'py, Evaluation>>>>,
    year: Arg<PyRef<'py, Year>>,
) -> PyResult<Bound<'py, PyAny>> {
    let owned: Vec<(i32, Vec<&exemplar::Scored>)> = years.iter().map(|(y, es)| (*y, scored(es))).collect();
    let refs: Vec<(i32, &[&exemplar::Scored])> = owned.iter().map(|(y, v)| (*y, v.as_slice())).collect();
    to_py(py, &exemplar::decisions::history::year_over_year(&refs, &year.organization_list()))
}

/// The sample year as a pyarrow Table of the flat year's columns (the committed year when `n` is
/// None and seed and year are 2023).
#[pyfunction]
#[pyo3(signature = (program, n=None, seed=Arg(2023), year=Arg(2023)), text_signature = "(program, n=None, seed=2023, year=2023)")]
pub fn sample_year_table<'py>(
    py: Python<'py>,
    program: &Bound<'_, PyAny>,
    n: Option<Arg<usize>>,
    seed: Arg<u64>,
    year: Arg<i32>,
) -> PyResult<Bound<'py, PyAny>> {
    let p = core(program)?;
    // The core's own rule for a valid year.
    year.to_string().parse::<exemplar::Period>().map_err(input)?;
    let batch =
        py.detach(|| guard(|| crate::frame::sample_year_batch(&p, n.map(|n| n.0), *seed, *year).map_err(err)))?;
    let schema = batch.schema();
    pyo3_arrow::PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// `n` generated rows of one scheme as float64 numpy columns (the benchmark's input).
#[pyfunction]
#[pyo3(signature = (program, scheme, n, seed=Arg(7)), text_signature = "(program, scheme, n, seed=7)")]
pub fn sample_columns<'py>(
    py: Python<'py>,
    program: &Bound<'_, PyAny>,
    scheme: Arg<String>,
    n: Arg<usize>,
    seed: Arg<u64>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = core(program)?;
    let plan = p.plan(&scheme).map_err(err)?;
    let cols = py.detach(|| exemplar::sample::columns(&p, &scheme, *n, *seed)).map_err(err)?;
    let d = PyDict::new(py);
    for (slot, col) in plan.slots().iter().zip(cols) {
        d.set_item(&slot.name, PyArray1::from_vec(py, col))?;
    }
    Ok(d)
}

/// Oversight set-up (JSON text: period, groups, links) and records (CSV text) as one dict.
#[pyfunction]
pub fn read_oversight<'py>(
    py: Python<'py>,
    setup_json: Arg<String>,
    records_csv: Arg<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut o: exemplar::oversight::status::Oversight = serde_json::from_str(&setup_json).map_err(|e| {
        let line = e.line();
        input(text!("督导设置第{line}行：格式有误（{e}）", "oversight set-up, line {line}: {e}"))
    })?;
    o.read_records_csv(records_csv.as_bytes()).map_err(err)?;
    to_py(py, &o)
}

/// Seconds the core's bulk call alone takes on these columns (the benchmark's Rust side): the
/// median of `runs` calls into output buffers allocated once and reused, as a Rust service or a
/// C caller would; with `fresh`, into buffers allocated for each call (and dropped), as a result
/// returned to Python is.
#[pyfunction]
#[pyo3(
    signature = (program, scheme, columns, threads=Arg(1), points=Arg(true), runs=Arg(5), fresh=Arg(false)),
    text_signature = "(program, scheme, columns, threads=1, points=True, runs=5, fresh=False)"
)]
#[allow(clippy::too_many_arguments)]
pub fn rust_bulk_seconds(
    py: Python<'_>,
    program: &Bound<'_, PyAny>,
    scheme: Arg<String>,
    columns: Arg<Bound<'_, PyDict>>,
    threads: Arg<usize>,
    points: Arg<bool>,
    runs: Arg<usize>,
    fresh: Arg<bool>,
) -> PyResult<f64> {
    let p = core(program)?;
    let plan = p.plan(&scheme).map_err(err)?;
    let (threads, points, runs, fresh) = (*threads, *points, *runs, *fresh);
    let mut cols = Vec::new();
    for slot in plan.slots() {
        let name = &slot.name;
        let c = columns.get_item(name)?.ok_or_else(|| input(text!("没有`{name}`列", "no column `{name}`")))?;
        let arr = c
            .cast::<PyArray1<f64>>()
            .map_err(|_| input(text!("`{name}`列不是float64", "column `{name}` is not float64")))?;
        cols.push(numpy::PyArrayMethods::to_vec(arr).map_err(|e| input(Text::parser(e)))?);
    }
    py.detach(|| {
        let views: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let n = views.first().map_or(0, |c| c.len());
        let criteria = if points { plan.criterion_ids().len() } else { 0 };
        let mut out = exemplar::BulkResult::<f64>::new(n, criteria);
        let mut times = Vec::new();
        // The first call touches the buffers' pages; the timed ones reuse them, unless fresh.
        for _ in 0..=runs.max(1) {
            let t = std::time::Instant::now();
            if fresh {
                out = exemplar::BulkResult::<f64>::new(n, criteria);
            }
            plan.evaluate_columns_into(&views, &|i| format!("row {i}"), out.out(), threads).map_err(err)?;
            times.push(t.elapsed().as_secs_f64());
        }
        times.remove(0);
        times.sort_by(f64::total_cmp);
        Ok(times[times.len() / 2])
    })
}

/// The evaluations' compact results, which decisions read (wording only what they cite).
fn scored<'a>(evaluations: &'a [PyRef<'_, Evaluation>]) -> Vec<&'a exemplar::Scored> {
    evaluations.iter().map(|e| e.scored()).collect()
}

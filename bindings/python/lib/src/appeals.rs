//! Appeals (申诉复核) for Python: each call is one step of the core's appeal lifecycle, and an
//! illegal one raises `LifecycleError`.

use crate::convert::{Arg, from_py, to_py};
use crate::errors::{err, guard};
use crate::lifecycle::{self, lock};
use crate::ops::{Allocation, Selection, Year};
use crate::program::core;
use exemplar::decisions::appeal::{Filing, Review};
use pyo3::prelude::*;
use std::sync::{Arc, Mutex};

/// A year's appeals and their append-only record.
#[pyclass(module = "exemplar", frozen)]
pub struct Appeals {
    program: Arc<exemplar::Program>,
    inner: Mutex<exemplar::decisions::appeal::Appeals>,
}

#[pymethods]
impl Appeals {
    /// No appeals yet, under a program (its `appeal_days` and `review_days`).
    #[new]
    fn new(program: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Appeals { program: core(program)?, inner: Mutex::new(Default::default()) })
    }
    /// Appeals saved with `to_dict()`.
    #[staticmethod]
    fn from_dict(program: &Bound<'_, PyAny>, state: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Appeals { program: core(program)?, inner: Mutex::new(from_py(state, "appeals")?) })
    }
    /// Files an appeal against an evaluation of `year`: `filing` holds org_id, scheme, period,
    /// published and filed (dates as `YYYY-MM-DD`), criteria, claimed ({column: value}) and
    /// reason. Returns the appeal.
    #[pyo3(signature = (year, filing, calendar = None))]
    fn file<'py>(
        &self,
        py: Python<'py>,
        year: Arg<PyRef<'_, Year>>,
        filing: &Bound<'py, PyAny>,
        calendar: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (filing, cal): (Filing, _) = (from_py(filing, "filing")?, lifecycle::calendar(calendar)?);
        let reports = year.reports(py, &self.program)?;
        let a = guard(|| lock(&self.inner).file(&self.program, &cal, reports, filing).cloned().map_err(err))?;
        to_py(py, &a)
    }
    /// Records the reviewer's decision on appeal `id` (`org_id/scheme/period`): `review` holds
    /// reviewer, date, outcome (`upheld`, `adjusted`, `rejected`), values (adjusted only) and
    /// reason. Returns the appeal.
    #[pyo3(signature = (year, id, review, calendar = None))]
    fn review<'py>(
        &self,
        py: Python<'py>,
        year: Arg<PyRef<'_, Year>>,
        id: Arg<String>,
        review: &Bound<'py, PyAny>,
        calendar: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (review, cal): (Review, _) = (from_py(review, "review")?, lifecycle::calendar(calendar)?);
        let reports = year.reports(py, &self.program)?;
        let a = guard(|| lock(&self.inner).review(&self.program, &cal, reports, &id, review).cloned().map_err(err))?;
        to_py(py, &a)
    }
    /// The year with every upheld or adjusted appeal's values in place.
    fn apply(&self, py: Python<'_>, year: Arg<PyRef<'_, Year>>) -> PyResult<Year> {
        let reports = year.reports(py, &self.program)?;
        let adjusted = guard(|| lock(&self.inner).apply(&self.program, reports).map_err(err))?;
        guard(|| Year::of_reports(&self.program, adjusted).map_err(err))
    }
    /// The appeals, in the order filed.
    #[getter]
    fn appeals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &lock(&self.inner).appeals())
    }
    /// The record: every step, with the evaluation before and after, in order.
    #[getter]
    fn record<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &lock(&self.inner).record())
    }
    /// The record as CSV.
    fn record_csv(&self) -> String {
        lock(&self.inner).record_csv()
    }
    /// The appeals and the record as plain dicts and lists (`from_dict` takes them back).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &*lock(&self.inner))
    }
    /// The appeals and the record as JSON.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(&*lock(&self.inner)).map_err(|e| crate::errors::input(exemplar::Text::parser(e)))
    }
}

/// Who entered or left the named list, whose award changed, and how much money moved.
#[pyfunction]
pub fn decision_diff<'py>(
    py: Python<'py>,
    before: Arg<PyRef<'_, Selection>>,
    paid_before: Arg<PyRef<'_, Allocation>>,
    after: Arg<PyRef<'_, Selection>>,
    paid_after: Arg<PyRef<'_, Allocation>>,
) -> PyResult<Bound<'py, PyAny>> {
    let d = exemplar::decisions::appeal::decision_diff(
        &before.inner,
        &paid_before.inner,
        &after.inner,
        &paid_after.inner,
        before.program.language(),
    );
    to_py(py, &d)
}

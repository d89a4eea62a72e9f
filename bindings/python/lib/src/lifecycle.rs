//! Rectification cases, selection procedures and titles for Python: each call is one transition
//! of the core's lifecycle, and an illegal one raises `LifecycleError`.

use crate::convert::{Arg, date, from_py, to_py, whole};
use crate::errors::{err, guard, input, policy};
use crate::program::core;
use exemplar::decisions::money::Fen;
use exemplar::rules::rubric::Stage;
use pyo3::prelude::*;
use std::sync::{Arc, Mutex};

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn calendar(c: Option<&Bound<'_, PyAny>>) -> PyResult<exemplar::oversight::calendar::Calendar> {
    c.map_or_else(|| Ok(Default::default()), |c| from_py(c, "calendar"))
}

/// One weak-and-lax organization's rectification, from designation to delisting (摘帽).
#[pyclass(module = "exemplar", frozen)]
pub struct RectificationCase {
    program: Arc<exemplar::Program>,
    inner: Mutex<exemplar::decisions::rectify::RectificationCase>,
}

#[pymethods]
impl RectificationCase {
    /// Opens a case for a designation (a dict from `Year.designate`).
    #[staticmethod]
    fn open(program: &Bound<'_, PyAny>, designation: &Bound<'_, PyAny>, opened: &Bound<'_, PyAny>) -> PyResult<Self> {
        let d: exemplar::decisions::rectify::Designation = from_py(designation, "designation")?;
        let c = exemplar::decisions::rectify::RectificationCase::open(&d, date(opened)?);
        Ok(RectificationCase { program: core(program)?, inner: Mutex::new(c) })
    }
    /// A case saved with `to_dict()`, checked before it is taken back.
    #[staticmethod]
    fn from_dict(program: &Bound<'_, PyAny>, state: &Bound<'_, PyAny>) -> PyResult<Self> {
        let c: exemplar::decisions::rectify::RectificationCase = from_py(state, "case")?;
        guard(|| c.validate().map_err(err))?;
        Ok(RectificationCase { program: core(program)?, inner: Mutex::new(c) })
    }
    /// Names the liaison cadre (挂包领导) and the first secretary (第一书记).
    fn assign(&self, liaison_cadre: Arg<String>, first_secretary: Arg<String>) -> PyResult<()> {
        guard(|| lock(&self.inner).assign(&liaison_cadre, &first_secretary).map_err(err))
    }
    /// Adds a plan item due on a date (not before the case opened).
    fn add_item(&self, id: Arg<String>, text: Arg<String>, due: &Bound<'_, PyAny>) -> PyResult<()> {
        let due = date(due)?;
        guard(|| lock(&self.inner).add_item(&id, &text, due).map_err(err))
    }
    /// Marks a plan item done on a date.
    fn complete_item(&self, id: Arg<String>, on: &Bound<'_, PyAny>) -> PyResult<()> {
        let on = date(on)?;
        guard(|| lock(&self.inner).complete_item(&id, on).map_err(err))
    }
    /// The acceptance check; returns it (passed, reason, …).
    fn check<'py>(
        &self,
        py: Python<'py>,
        on: &Bound<'py, PyAny>,
        score: Arg<f64>,
        satisfied: &Bound<'py, PyAny>,
        dissatisfied: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let on = date(on)?;
        let satisfied = whole::<u32>(satisfied, "satisfied", 0..=u32::MAX).map_err(input)?;
        let dissatisfied = whole::<u32>(dissatisfied, "dissatisfied", 0..=u32::MAX).map_err(input)?;
        let c = guard(|| {
            lock(&self.inner).check(&self.program, on, *score, satisfied, dissatisfied).cloned().map_err(err)
        })?;
        to_py(py, &c)
    }
    /// Closes an accepted case (摘帽) on a date.
    fn close(&self, on: &Bound<'_, PyAny>) -> PyResult<()> {
        let on = date(on)?;
        guard(|| lock(&self.inner).close(on).map_err(err))
    }
    /// Where the case stands: open, accepted, failed_restarted or closed.
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &lock(&self.inner).status)
    }
    /// The case as plain dicts and lists, for `from_dict`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &*lock(&self.inner))
    }
}

/// One organization's way through the selection stages.
#[pyclass(module = "exemplar", frozen)]
pub struct Procedure {
    inner: Mutex<exemplar::decisions::title::Procedure>,
    /// The program's language, which `status` is worded in.
    language: exemplar::Language,
}

#[pymethods]
impl Procedure {
    /// Starts an organization's selection procedure at the program's first stage on a date.
    #[staticmethod]
    #[pyo3(signature = (program, org_id, scheme, on, calendar=None))]
    fn start(
        program: &Bound<'_, PyAny>,
        org_id: Arg<String>,
        scheme: Arg<String>,
        on: &Bound<'_, PyAny>,
        calendar: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (on, cal, program) = (date(on)?, self::calendar(calendar)?, core(program)?);
        let p =
            guard(|| exemplar::decisions::title::Procedure::start(&program, &org_id, &scheme, on, &cal).map_err(err))?;
        Ok(Procedure { inner: Mutex::new(p), language: program.language() })
    }
    /// A procedure saved with `to_dict()`, checked against the program before it is taken back.
    #[staticmethod]
    fn from_dict(program: &Bound<'_, PyAny>, state: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (p, program): (exemplar::decisions::title::Procedure, _) = (from_py(state, "procedure")?, core(program)?);
        guard(|| p.validate(&program).map_err(err))?;
        Ok(Procedure { inner: Mutex::new(p), language: program.language() })
    }
    /// Starts the next stage (`"review"`, `"public_notice"`, `"conferral"`, …) on a date.
    #[pyo3(signature = (program, stage, on, calendar=None))]
    fn advance(
        &self,
        program: &Bound<'_, PyAny>,
        stage: &Bound<'_, PyAny>,
        on: &Bound<'_, PyAny>,
        calendar: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let stage: Stage = from_py(stage, "stage")?;
        let (on, cal) = (date(on)?, self::calendar(calendar)?);
        guard(|| lock(&self.inner).advance(&*core(program)?, stage, on, &cal).map_err(err))
    }
    /// Whether the procedure reached conferral.
    #[getter]
    fn is_complete(&self) -> bool {
        lock(&self.inner).is_complete()
    }
    /// The stage under way, in words.
    #[getter]
    fn status(&self) -> String {
        lock(&self.inner).status(self.language)
    }
    /// The procedure as plain dicts and lists, for `from_dict`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &*lock(&self.inner))
    }
}

/// A conferred title over its term.
#[pyclass(module = "exemplar", frozen)]
pub struct Title {
    inner: Mutex<exemplar::decisions::title::Title>,
    /// The program's language, which a revocation's ground is worded in.
    language: exemplar::Language,
}

#[pymethods]
impl Title {
    /// Confers a title at the end of a complete procedure, for the program's term.
    #[staticmethod]
    #[pyo3(signature = (program, procedure, name_zh, tier=None))]
    fn confer(
        program: &Bound<'_, PyAny>,
        procedure: Arg<PyRef<'_, Procedure>>,
        name_zh: Arg<String>,
        tier: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let p = lock(&procedure.inner).clone();
        let tier = tier.map(|t| whole::<u8>(t, "tier", 1..=5).map_err(input)).transpose()?;
        let tier = tier.and_then(exemplar::Stars::new);
        let program = core(program)?;
        let t = guard(|| exemplar::decisions::title::Title::confer(&program, &p, &name_zh, tier).map_err(err))?;
        Ok(Title { inner: Mutex::new(t), language: program.language() })
    }
    /// A title saved with `to_dict()`, checked against the program before it is taken back.
    #[staticmethod]
    fn from_dict(program: &Bound<'_, PyAny>, state: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (t, program): (exemplar::decisions::title::Title, _) = (from_py(state, "title")?, core(program)?);
        guard(|| t.validate(&program).map_err(err))?;
        Ok(Title { inner: Mutex::new(t), language: program.language() })
    }
    /// Records the award (fen) paid for a year within the title's term.
    fn record_award(&self, year: &Bound<'_, PyAny>, fen: &Bound<'_, PyAny>) -> PyResult<()> {
        let year = whole::<i32>(year, "year", exemplar::data::model::YEARS).map_err(input)?;
        let fen = whole::<i64>(fen, "fen", exemplar::rules::limits::FEN).map_err(policy)?;
        guard(|| lock(&self.inner).record_award(year, Fen(fen)).map_err(err))
    }
    /// Records a yearly re-review (复核) on a date; a failed one revokes the title.
    #[pyo3(signature = (on, passed, note = Arg(String::new())), text_signature = "($self, on, passed, note='')")]
    fn re_review(&self, on: &Bound<'_, PyAny>, passed: Arg<bool>, note: Arg<String>) -> PyResult<()> {
        let on = date(on)?;
        guard(|| lock(&self.inner).re_review(on, *passed, &note, self.language).map_err(err))
    }
    /// Revokes the title; returns the claw-back recorded, in fen.
    fn revoke(&self, on: &Bound<'_, PyAny>, ground: Arg<String>) -> PyResult<i64> {
        let on = date(on)?;
        guard(|| Ok(lock(&self.inner).revoke(on, &ground).map_err(err)?.clawback.0))
    }
    /// Revokes the title if this evaluation (its organization, its scheme) was vetoed; returns
    /// the claw-back in fen, or None when there was no veto.
    fn revoke_if_vetoed(
        &self,
        evaluation: Arg<PyRef<'_, crate::program::Evaluation>>,
        on: &Bound<'_, PyAny>,
    ) -> PyResult<Option<i64>> {
        let on = date(on)?;
        guard(|| {
            Ok(lock(&self.inner)
                .revoke_if_vetoed(evaluation.explained()?, on, self.language)
                .map_err(err)?
                .map(|r| r.clawback.0))
        })
    }
    /// Ends the title at its term (on or after its expiry date).
    fn expire(&self, on: &Bound<'_, PyAny>) -> PyResult<()> {
        let on = date(on)?;
        guard(|| lock(&self.inner).expire(on).map_err(err))
    }
    /// Where the title stands: active, revoked or expired.
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &lock(&self.inner).status)
    }
    /// The title as plain dicts and lists, for `from_dict`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &*lock(&self.inner))
    }
}

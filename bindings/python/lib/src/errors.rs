//! The exception hierarchy: `ExemplarError` and one subclass per kind of core error, carrying the
//! organization, field and rule as attributes. Panics never cross into Python.

use crate::convert::Arg;
use exemplar::Text;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    exemplar,
    ExemplarError,
    PyException,
    "Base class of every error exemplar raises. `str()` is the message in English; `.message_zh` \
     is the same message in Chinese (a parser's or the system's own words quoted as given)."
);
create_exception!(
    exemplar,
    RuleFileError,
    ExemplarError,
    "A program file does not parse or does not make sense; `.problems` lists every problem."
);
create_exception!(
    exemplar,
    InputError,
    ExemplarError,
    "A report, row or data file is not acceptable; `.org_id`, `.scheme`, `.field` (the indicator, \
     event or column as named in the input), `.field_kind` (\"indicator\", \"assessor\", \"event\" or \
     \"column\") and `.row` (the table row's label) say where, or are None."
);
create_exception!(
    exemplar,
    PolicyError,
    ExemplarError,
    "An argument is of the wrong type or out of range (text where a number goes, a floor above the \
     pool, a weight beyond its limit, …); the message says what to pass."
);
create_exception!(
    exemplar,
    UnknownSchemeError,
    PolicyError,
    "The program has no such scheme; the message lists the schemes it has."
);
create_exception!(
    exemplar,
    ShapeError,
    PolicyError,
    "Inputs whose shapes disagree: columns of different lengths, an evaluation of another scheme."
);
create_exception!(exemplar, LifecycleError, ExemplarError, "A case, procedure or title cannot make that transition.");
create_exception!(exemplar, FileError, ExemplarError, "A file cannot be read or written.");

/// One problem of a rule file: where (`place`, `line`, `column`, 1-based) and what (`message`),
/// the place and the message also in Chinese (`place_zh`, `message_zh`).
#[pyclass(module = "exemplar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Problem {
    /// Where in the program: "scheme relocation_follow_up, criterion job_fairs".
    pub place: String,
    /// What is wrong and what to write instead.
    pub message: String,
    /// The place in Chinese: "方案relocation_follow_up，评分项job_fairs".
    pub place_zh: String,
    /// The message in Chinese.
    pub message_zh: String,
    /// 1-based line in the file text, or None.
    pub line: Option<usize>,
    /// 1-based column in the file text, or None.
    pub column: Option<usize>,
}

impl From<exemplar::Problem> for Problem {
    fn from(p: exemplar::Problem) -> Problem {
        Problem {
            place: p.place.en,
            message: p.message.en,
            place_zh: p.place.zh,
            message_zh: p.message.zh,
            line: p.line,
            column: p.column,
        }
    }
}

#[pymethods]
impl Problem {
    /// A problem from its fields, as `pickle` rebuilds one.
    #[new]
    #[pyo3(signature = (place, message, place_zh, message_zh, line=None, column=None))]
    fn new(
        place: Arg<String>,
        message: Arg<String>,
        place_zh: Arg<String>,
        message_zh: Arg<String>,
        line: Option<Arg<usize>>,
        column: Option<Arg<usize>>,
    ) -> Problem {
        let (line, column) = (line.map(|l| l.0), column.map(|c| c.0));
        Problem { place: place.0, message: message.0, place_zh: place_zh.0, message_zh: message_zh.0, line, column }
    }

    /// Pickles as its fields, so a `RuleFileError` crosses to another process whole.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let p = slf.get();
        let args = (&p.place, &p.message, &p.place_zh, &p.message_zh, p.line, p.column);
        Ok((slf.get_type().into_any(), args.into_pyobject(slf.py())?.into_any()))
    }

    fn __str__(&self) -> String {
        exemplar::Problem {
            place: Text::new(self.place_zh.clone(), self.place.clone()),
            message: Text::new(self.message_zh.clone(), self.message.clone()),
            line: self.line,
            column: self.column,
        }
        .to_string()
    }

    fn __repr__(&self) -> String {
        format!("<exemplar.Problem {}>", self.__str__())
    }
}

/// What every `InputError` carries, `None` where the error has no such place.
const INPUT_ATTRS: [&str; 5] = ["org_id", "scheme", "field", "field_kind", "row"];

/// A core error on its way to Python.
pub struct CoreError(pub exemplar::Error);

impl From<exemplar::Error> for CoreError {
    fn from(e: exemplar::Error) -> CoreError {
        CoreError(e)
    }
}

impl From<CoreError> for PyErr {
    fn from(e: CoreError) -> PyErr {
        let msg = e.0.to_string();
        let zh = e.0.message(exemplar::Language::Zh);
        Python::attach(|py| {
            let (err, attrs): (PyErr, Vec<(&str, Py<PyAny>)>) = match e.0 {
                exemplar::Error::RuleFile(problems) => {
                    let list: Vec<Problem> = problems.into_iter().map(Problem::from).collect();
                    let list = list.into_pyobject(py).map(|l| l.into_any().unbind());
                    (RuleFileError::new_err(msg), list.into_iter().map(|l| ("problems", l)).collect())
                }
                exemplar::Error::Input { org_id, scheme, field, row, .. } => {
                    let text = |v: String| pyo3::types::PyString::new(py, &v).into_any().unbind();
                    let row = row.and_then(|r| r.index.into_pyobject(py).ok()).map(|r| r.into_any().unbind());
                    let a = vec![
                        ("org_id", text(org_id)),
                        ("scheme", text(scheme)),
                        ("field_kind", text(field.kind().to_string())),
                        ("field", text(field.to_string())),
                        ("row", row.unwrap_or_else(|| py.None())),
                    ];
                    (InputError::new_err(msg), a)
                }
                exemplar::Error::Data { .. } => {
                    let none = INPUT_ATTRS.map(|k| (k, py.None()));
                    (InputError::new_err(msg), none.into_iter().collect())
                }
                exemplar::Error::Argument(_) => (PolicyError::new_err(msg), Vec::new()),
                exemplar::Error::UnknownScheme { scheme, .. } => {
                    let scheme = pyo3::types::PyString::new(py, &scheme).into_any().unbind();
                    (UnknownSchemeError::new_err(msg), vec![("scheme", scheme)])
                }
                exemplar::Error::Shape(_) => (ShapeError::new_err(msg), Vec::new()),
                exemplar::Error::Lifecycle { .. } => (LifecycleError::new_err(msg), Vec::new()),
                exemplar::Error::Io { .. } => (FileError::new_err(msg), Vec::new()),
            };
            let _ = err.value(py).setattr("message_zh", zh);
            for (k, v) in attrs {
                let _ = err.value(py).setattr(k, v);
            }
            err
        })
    }
}

pub fn err(e: exemplar::Error) -> PyErr {
    CoreError(e).into()
}

/// An `InputError` raised by the conversion itself (not by the core), with its attributes unset.
pub fn input(msg: Text) -> PyErr {
    let e = InputError::new_err(msg.en);
    Python::attach(|py| {
        let _ = e.value(py).setattr("message_zh", msg.zh);
        for k in INPUT_ATTRS {
            let _ = e.value(py).setattr(k, py.None());
        }
    });
    e
}

pub fn policy(msg: Text) -> PyErr {
    err(exemplar::Error::Argument(msg))
}

/// Runs `f`, turning a Rust panic into an `ExemplarError` instead of letting it reach Python.
pub fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(ExemplarError::new_err(format!("internal error in exemplar, please report it: {what}")))
        }
    }
}

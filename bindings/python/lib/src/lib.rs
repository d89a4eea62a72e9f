//! The Python binding's logic over the exemplar core: classes, conversions and the exception
//! hierarchy. The extension crate on top only calls `register`.

use pyo3::prelude::*;

mod appeals;
mod convert;
mod errors;
mod frame;
mod lifecycle;
mod ops;
mod program;

pub use errors::{
    CoreError, ExemplarError, FileError, InputError, LifecycleError, PolicyError, Problem, RuleFileError, ShapeError,
    UnknownSchemeError,
};

/// Adds every class, function and exception to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ExemplarError", py.get_type::<ExemplarError>())?;
    m.add("RuleFileError", py.get_type::<RuleFileError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("UnknownSchemeError", py.get_type::<UnknownSchemeError>())?;
    m.add("ShapeError", py.get_type::<ShapeError>())?;
    m.add("LifecycleError", py.get_type::<LifecycleError>())?;
    m.add("FileError", py.get_type::<FileError>())?;
    m.add_class::<Problem>()?;
    m.add_class::<program::Program>()?;
    m.add_class::<program::Evaluation>()?;
    m.add_class::<ops::Year>()?;
    m.add_class::<ops::Selection>()?;
    m.add_class::<ops::Allocation>()?;
    m.add_class::<lifecycle::RectificationCase>()?;
    m.add_class::<lifecycle::Procedure>()?;
    m.add_class::<lifecycle::Title>()?;
    m.add_class::<appeals::Appeals>()?;
    m.add_function(wrap_pyfunction!(appeals::decision_diff, m)?)?;
    m.add_function(wrap_pyfunction!(ops::apportion, m)?)?;
    m.add_function(wrap_pyfunction!(ops::_decide, m)?)?;
    m.add_function(wrap_pyfunction!(ops::_sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(ops::_stability, m)?)?;
    m.add_function(wrap_pyfunction!(ops::fixed_amounts, m)?)?;
    m.add_function(wrap_pyfunction!(ops::year_over_year, m)?)?;
    m.add_function(wrap_pyfunction!(ops::sample_year_table, m)?)?;
    m.add_function(wrap_pyfunction!(ops::sample_columns, m)?)?;
    m.add_function(wrap_pyfunction!(ops::read_oversight, m)?)?;
    m.add_function(wrap_pyfunction!(ops::rust_bulk_seconds, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The columns a table's text holds; `_frame.py` sends every other one as numbers.
    m.add("_TEXT_COLUMNS", exemplar::scoring::table::TEXT_COLUMNS.to_vec())?;
    m.add("_FIXED_COLUMNS", exemplar::data::year::FIXED_COLUMNS.to_vec())?;
    Ok(())
}

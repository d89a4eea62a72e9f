//! The extension module `exemplar._exemplar`; everything it holds lives in `exemplar-python`.

use pyo3::prelude::*;

#[pymodule]
fn _exemplar(m: &Bound<'_, PyModule>) -> PyResult<()> {
    exemplar_python::register(m)
}

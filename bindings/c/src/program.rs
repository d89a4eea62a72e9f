//! The opaque program handle: the built-in default or a rule file, its description, freeing.

use crate::error::{Fail, need, need_out, text};
use crate::{exemplar_result, ffi, give, to_json};
use std::ffi::c_char;

/// A validated program. Opaque; create with `exemplar_program_default` or `_from_toml` /
/// `_from_json`, free with `exemplar_program_free`. Read-only once made: safe to share
/// between threads.
pub struct exemplar_program {
    pub(crate) inner: exemplar::Program,
}

fn hand_out(out: *mut *mut exemplar_program, p: exemplar::Program) -> Result<(), Fail> {
    let slot = need_out(out, "out")?;
    *slot = Box::into_raw(Box::new(exemplar_program { inner: p }));
    Ok(())
}

/// The built-in 一带五区 program.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_default(out: *mut *mut exemplar_program) -> exemplar_result {
    ffi(|| hand_out(out, exemplar::Program::default()))
}

/// A program from TOML text (`len` bytes, UTF-8). On `EXEMPLAR_RULE_FILE` the last error lists
/// every problem with its line and column.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_from_toml(
    toml: *const u8,
    len: usize,
    out: *mut *mut exemplar_program,
) -> exemplar_result {
    ffi(|| hand_out(out, exemplar::Program::from_toml(text(toml, len, "toml")?)?))
}

/// A program from JSON text (`len` bytes, UTF-8), the same schema as TOML.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_from_json(
    json: *const u8,
    len: usize,
    out: *mut *mut exemplar_program,
) -> exemplar_result {
    ffi(|| hand_out(out, exemplar::Program::from_json(text(json, len, "json")?)?))
}

/// Frees a program. NULL is a no-op; the handle must not be used afterwards.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_free(program: *mut exemplar_program) {
    if !program.is_null() {
        let _ = std::panic::catch_unwind(|| {
            // SAFETY: `program` came from `Box::into_raw` in this library and is freed once.
            drop(unsafe { Box::from_raw(program) });
        });
    }
}

/// The program as a TOML rule file (free with `exemplar_string_free`).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_to_toml(program: *const exemplar_program, out: *mut *mut c_char) -> exemplar_result {
    ffi(|| give(out, need(program, "program")?.inner.to_toml()))
}

/// The schemes as JSON: for each, its id, Chinese name, input `columns` in the order
/// `exemplar_evaluate_columns` takes them, and `criteria` in the order of its points output.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_describe_json(
    program: *const exemplar_program,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let mut schemes = Vec::new();
        for s in p.schemes() {
            let plan = p.plan(&s.id)?;
            schemes.push(serde_json::json!({
                "id": s.id,
                "name_zh": s.name_zh,
                "columns": plan.column_names(),
                "criteria": plan.criterion_ids(),
            }));
        }
        give(out, to_json(&serde_json::json!({ "id": p.file().program.id, "schemes": schemes }))?)
    })
}

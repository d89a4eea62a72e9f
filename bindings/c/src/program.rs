//! The opaque program handle: the built-in default or a rule file, its description, freeing.

use crate::error::{EXEMPLAR_POLICY, Fail, c_text, need, need_out, text};
use crate::{exemplar_result, ffi, give, to_json};
use exemplar::text;
use std::ffi::c_char;

/// A validated program. Opaque; create with `exemplar_program_default`, `_from_toml`,
/// `_from_json` or `_from_path`, free with `exemplar_program_free`. Read-only once made: safe to share
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

/// A program from a `.toml` or `.json` rule file at `path` (NUL-terminated, UTF-8). A file that
/// cannot be read is `EXEMPLAR_IO`; a file with problems is `EXEMPLAR_RULE_FILE`.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_from_path(path: *const c_char, out: *mut *mut exemplar_program) -> exemplar_result {
    ffi(|| hand_out(out, exemplar::Program::from_path(c_text(path, "path")?)?))
}

/// A new program, the same as `program` but with its results worded in `language` ("zh" or "en",
/// NUL-terminated): every reason, basis and message. The rules and the content hash are
/// unchanged; free both handles. Another language is `EXEMPLAR_POLICY`.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_with_language(
    program: *const exemplar_program,
    language: *const c_char,
    out: *mut *mut exemplar_program,
) -> exemplar_result {
    ffi(|| {
        let lang: exemplar::Language = c_text(language, "language")?.parse()?;
        hand_out(out, need(program, "program")?.inner.with_language(lang))
    })
}

/// How many input columns `scheme` takes (`exemplar_program_evaluate_columns`' `n_columns`).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_column_count(
    program: *const exemplar_program,
    scheme: *const c_char,
    out_n: *mut usize,
) -> exemplar_result {
    ffi(|| {
        let plan = need(program, "program")?.inner.plan(c_text(scheme, "scheme")?)?;
        *need_out(out_n, "out_n")? = plan.slots().len();
        Ok(())
    })
}

/// The name of column `index` of `scheme` (`job_fairs`, `superior.job_fairs`, an event id),
/// copied into `buf` as `exemplar_last_error` copies: NUL-terminated, at most `len` bytes, the
/// full length in `*out_n`, `EXEMPLAR_BUFFER_TOO_SMALL` when cut.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_column_name(
    program: *const exemplar_program,
    scheme: *const c_char,
    index: usize,
    buf: *mut c_char,
    len: usize,
    out_n: *mut usize,
) -> exemplar_result {
    ffi(|| {
        let plan = need(program, "program")?.inner.plan(c_text(scheme, "scheme")?)?;
        let names = plan.column_names();
        let name = names.get(index).ok_or_else(|| {
            let (id, n, want) = (plan.id(), names.len(), index + 1);
            Fail::new(
                EXEMPLAR_POLICY,
                text!("方案`{id}`有{n}列，不足{want}列", "scheme `{id}` has {n} columns, not {want}"),
            )
        })?;
        crate::copy_text(name, buf, len, out_n)
    })
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

/// The program's content hash: SHA-256 of its canonical form, 64 lower-case hex digits (free with
/// `exemplar_string_free`). Evaluations, selections and allocations carry it as `program_hash`.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_content_hash(
    program: *const exemplar_program,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| give(out, need(program, "program")?.inner.content_hash().to_string()))
}

/// What changed from `older` to `newer`, as a JSON list of `{"kind": "added" | "removed" |
/// "changed", "place", "field", "before"?, "after"?}` (values as JSON text).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_diff_json(
    older: *const exemplar_program,
    newer: *const exemplar_program,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let (a, b) = (&need(older, "older")?.inner, &need(newer, "newer")?.inner);
        give(out, to_json(&a.diff(b))?)
    })
}

/// The program's warnings that are not errors (`Program::lint`), as a JSON list of `{"place",
/// "message", "place_zh", "message_zh"}` (in English and in Chinese): a section whose criteria
/// add up to more than its cap, a step table that is not monotone, bands that leave scores
/// unrated or skip a star level, an indicator nothing reads, assessor weights that add up to 1
/// only within rounding.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_lint_json(
    program: *const exemplar_program,
    out: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let warnings: Vec<serde_json::Value> = need(program, "program")?
            .inner
            .lint()
            .into_iter()
            .map(|w| {
                serde_json::json!({
                    "place": w.place.en, "message": w.message.en, "place_zh": w.place.zh, "message_zh": w.message.zh
                })
            })
            .collect();
        give(out, to_json(&warnings)?)
    })
}

/// The schemes as JSON: for each, its id, Chinese name, input `columns` in the order
/// `exemplar_program_evaluate_columns` takes them, and `criteria` in the order of its points output.
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

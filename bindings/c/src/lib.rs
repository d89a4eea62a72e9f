//! libexemplar: the C API of the exemplar core.
//!
//! Conventions (as rustls-ffi): every fallible function returns an `exemplar_result` and writes
//! its out-parameters only on success; the message of the last failure on the calling thread is
//! copied out by `exemplar_last_error`; strings the library returns are freed with
//! `exemplar_string_free`; `*_free(NULL)` does nothing; a `const exemplar_program *` is never
//! changed, so one program may be used from many threads at once. A freed handle must not be
//! used again. Every exported body runs inside one panic boundary, so nothing unwinds into C.
#![allow(non_camel_case_types)]
// Exported functions take raw pointers from C by design; each goes through `need`/`text` first.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod documents;
mod error;
mod evaluate;
mod ops;
mod program;

pub use error::exemplar_result;
pub use program::exemplar_program;

use error::{Fail, boundary, need_out};
use exemplar::Text;
use exemplar::text;
use std::ffi::{CString, c_char};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The library's version, e.g. "0.1.0" (a static string; do not free).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Threads the columnar and table calls split their rows across, for the whole process.
static THREADS: AtomicUsize = AtomicUsize::new(1);

/// Sets how many threads `exemplar_program_evaluate_columns` and `exemplar_program_evaluate_table`
/// split their rows across, from then on, for every caller in the process: 1 (the default) runs
/// on the calling thread, 0 one thread per core; counts above 256 run as 256. The results are the
/// same on any count.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_set_threads(threads: usize) {
    THREADS.store(threads, Ordering::Relaxed);
}

pub(crate) fn threads() -> usize {
    THREADS.load(Ordering::Relaxed)
}

/// The name of a result code, e.g. "EXEMPLAR_INPUT", or "unknown" for a number that is not one
/// (a static string; do not free). Takes the number, since before C23 any value can arrive.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_result_name(result: u32) -> *const c_char {
    const NAMES: [&str; 13] = [
        "EXEMPLAR_OK\0",
        "EXEMPLAR_NULL_ARGUMENT\0",
        "EXEMPLAR_INVALID_UTF8\0",
        "EXEMPLAR_INVALID_JSON\0",
        "EXEMPLAR_RULE_FILE\0",
        "EXEMPLAR_INPUT\0",
        "EXEMPLAR_POLICY\0",
        "EXEMPLAR_LIFECYCLE\0",
        "EXEMPLAR_IO\0",
        "EXEMPLAR_BUFFER_TOO_SMALL\0",
        "EXEMPLAR_PANIC\0",
        "EXEMPLAR_UNKNOWN_SCHEME\0",
        "EXEMPLAR_SHAPE\0",
    ];
    let name = usize::try_from(result).ok().and_then(|i| NAMES.get(i)).copied().unwrap_or("unknown\0");
    name.as_ptr().cast()
}

/// Copies the message of the last failure on this thread into `buf` (NUL-terminated, at most
/// `len` bytes) and its full length, without the NUL, into `*out_n`. With `buf` NULL and `len`
/// 0 it only reports the length. Returns `EXEMPLAR_BUFFER_TOO_SMALL` when the message was cut.
/// The message is empty after a successful call.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_last_error(buf: *mut c_char, len: usize, out_n: *mut usize) -> exemplar_result {
    copy_last_error(false, buf, len, out_n)
}

/// The same message in Chinese, copied as `exemplar_last_error` copies it: what the error is
/// about and what is wrong (a parser's or the system's own words quoted as they give them).
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_last_error_zh(buf: *mut c_char, len: usize, out_n: *mut usize) -> exemplar_result {
    copy_last_error(true, buf, len, out_n)
}

fn copy_last_error(zh: bool, buf: *mut c_char, len: usize, out_n: *mut usize) -> exemplar_result {
    let msg = error::last_error(zh);
    let r = std::panic::catch_unwind(|| copy_text(&msg, buf, len, out_n));
    // Reading the message must not replace it.
    match r {
        Ok(Ok(())) => exemplar_result::EXEMPLAR_OK,
        Ok(Err(Fail { code, .. })) => code,
        Err(_) => exemplar_result::EXEMPLAR_PANIC,
    }
}

/// Copies `text` into the caller's `buf` (NUL-terminated, at most `len` bytes, cut on a character
/// boundary) and its full length, without the NUL, into `*out_n`. With `buf` NULL and `len` 0
/// only the length is reported; a cut is `EXEMPLAR_BUFFER_TOO_SMALL`.
pub(crate) fn copy_text(text: &str, buf: *mut c_char, len: usize, out_n: *mut usize) -> Result<(), Fail> {
    let n = need_out(out_n, "out_n")?;
    *n = text.len();
    if buf.is_null() {
        return if len == 0 {
            Ok(())
        } else {
            Err(Fail::new(exemplar_result::EXEMPLAR_NULL_ARGUMENT, text!("buf为NULL", "buf is NULL")))
        };
    }
    if len == 0 {
        let n = text.len();
        return Err(Fail::new(
            exemplar_result::EXEMPLAR_BUFFER_TOO_SMALL,
            text!("{n}字节放不进0字节", "{n} bytes do not fit in 0"),
        ));
    }
    // Cut on a character boundary, so the copy is always valid UTF-8.
    let mut take = text.len().min(len - 1);
    while !text.is_char_boundary(take) {
        take -= 1;
    }
    // SAFETY: `buf` has room for `len` bytes, as the caller promised; take + 1 <= len.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), take);
        *buf.add(take) = 0;
    }
    if take < text.len() {
        let n = text.len() + 1;
        Err(Fail::new(
            exemplar_result::EXEMPLAR_BUFFER_TOO_SMALL,
            text!("{n}字节放不进{len}字节", "{n} bytes do not fit in {len}"),
        ))
    } else {
        Ok(())
    }
}

/// Frees a string the library returned. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: `s` came from `CString::into_raw` in this library and is freed once.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// Hands a string to C through an out-pointer.
pub(crate) fn give(out: *mut *mut c_char, s: String) -> Result<(), Fail> {
    let slot = need_out(out, "out")?;
    let c = CString::new(s)
        .map_err(|_| Fail::new(exemplar_result::EXEMPLAR_INPUT, text!("输出含有NUL字节", "output holds a NUL byte")))?;
    *slot = c.into_raw();
    Ok(())
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Fail> {
    serde_json::to_string(v).map_err(|e| Fail::new(exemplar_result::EXEMPLAR_PANIC, Text::parser(e)))
}

/// Keeps `boundary` reachable from the other modules under one name.
pub(crate) use boundary as ffi;

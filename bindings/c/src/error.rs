//! The result codes, the thread's last error message, the panic boundary and the pointer checks
//! every exported function goes through.

use exemplar::Text;
use exemplar::text;
use std::cell::RefCell;
use std::ffi::{CStr, c_char};

/// What every fallible function returns. The numbers are fixed and never reused.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum exemplar_result {
    EXEMPLAR_OK = 0,
    /// A required pointer argument was NULL.
    EXEMPLAR_NULL_ARGUMENT = 1,
    /// Text was not valid UTF-8.
    EXEMPLAR_INVALID_UTF8 = 2,
    /// JSON input did not parse, or did not have the expected shape.
    EXEMPLAR_INVALID_JSON = 3,
    /// A program file had problems (all of them are in the message).
    EXEMPLAR_RULE_FILE = 4,
    /// A report, row or data value was not acceptable.
    EXEMPLAR_INPUT = 5,
    /// An argument was out of range (a floor above the pool, an index past the end, …).
    EXEMPLAR_POLICY = 6,
    /// A case, procedure or title cannot make that transition.
    EXEMPLAR_LIFECYCLE = 7,
    /// A file could not be read or written.
    EXEMPLAR_IO = 8,
    /// The caller's buffer was too small (the message was truncated).
    EXEMPLAR_BUFFER_TOO_SMALL = 9,
    /// A bug inside the library was caught before it crossed into C.
    EXEMPLAR_PANIC = 10,
    /// The program has no such scheme (the message lists the schemes it has).
    EXEMPLAR_UNKNOWN_SCHEME = 11,
    /// Inputs whose shapes disagree: the wrong number of columns, a buffer of the wrong length.
    EXEMPLAR_SHAPE = 12,
}

pub use exemplar_result::*;

thread_local! {
    /// The last failure's message in English and in Chinese.
    static LAST_ERROR: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

/// A failure on its way out: the code and the messages stored for `exemplar_last_error` and
/// `exemplar_last_error_zh`.
pub struct Fail {
    pub code: exemplar_result,
    pub message: String,
    pub message_zh: String,
}

impl Fail {
    /// A failure the binding itself finds (a NULL, bad UTF-8, bad JSON), in both languages.
    pub fn new(code: exemplar_result, message: Text) -> Fail {
        Fail { code, message: message.en, message_zh: message.zh }
    }
}

/// "`what` is NULL".
fn null(what: &str) -> Fail {
    Fail::new(EXEMPLAR_NULL_ARGUMENT, text!("{what}为NULL", "{what} is NULL"))
}

/// "`what` is not UTF-8".
fn not_utf8(what: &str, e: std::str::Utf8Error) -> Fail {
    let at = e.valid_up_to();
    Fail::new(
        EXEMPLAR_INVALID_UTF8,
        text!("{what}不是UTF-8（偏移{at}处的字节无效）", "{what} is not UTF-8 (invalid byte at offset {at})"),
    )
}

impl From<exemplar::Error> for Fail {
    fn from(e: exemplar::Error) -> Fail {
        let code = match &e {
            exemplar::Error::RuleFile(_) => EXEMPLAR_RULE_FILE,
            exemplar::Error::Input { .. } | exemplar::Error::Data { .. } => EXEMPLAR_INPUT,
            exemplar::Error::Argument(_) => EXEMPLAR_POLICY,
            exemplar::Error::UnknownScheme { .. } => EXEMPLAR_UNKNOWN_SCHEME,
            exemplar::Error::Shape(_) => EXEMPLAR_SHAPE,
            exemplar::Error::Lifecycle { .. } => EXEMPLAR_LIFECYCLE,
            exemplar::Error::Io { .. } => EXEMPLAR_IO,
        };
        Fail { code, message: e.to_string(), message_zh: e.message(exemplar::Language::Zh) }
    }
}

pub fn set_last_error(en: &str, zh: &str) {
    LAST_ERROR.with(|e| *e.borrow_mut() = (en.to_string(), zh.to_string()));
}

/// The last failure's message in English, or in Chinese with `zh`.
pub fn last_error(zh: bool) -> String {
    LAST_ERROR.with(|e| if zh { e.borrow().1.clone() } else { e.borrow().0.clone() })
}

/// Runs an exported function's body: catches panics, records the message of any failure, and
/// clears it on success.
pub fn boundary(f: impl FnOnce() -> Result<(), Fail>) -> exemplar_result {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(())) => {
            set_last_error("", "");
            EXEMPLAR_OK
        }
        Ok(Err(Fail { code, message, message_zh })) => {
            set_last_error(&message, &message_zh);
            code
        }
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let m = format!("internal error in libexemplar, please report it: {what}");
            set_last_error(&m, &m);
            EXEMPLAR_PANIC
        }
    }
}

/// The one null check for pointers read by the library.
pub fn need<'a, T>(p: *const T, what: &str) -> Result<&'a T, Fail> {
    // SAFETY: the caller passes either NULL or a pointer to a live, properly aligned T, as the
    // header documents for every argument.
    unsafe { p.as_ref() }.ok_or_else(|| null(what))
}

/// The one null check for out-pointers the library writes on success.
pub fn need_out<'a, T>(p: *mut T, what: &str) -> Result<&'a mut T, Fail> {
    // SAFETY: as `need`; out-pointers point to writable storage owned by the caller.
    unsafe { p.as_mut() }.ok_or_else(|| null(what))
}

/// `len` bytes at `ptr` as UTF-8 text (a NULL pointer is allowed only with length 0).
pub fn text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, Fail> {
    if ptr.is_null() {
        return if len == 0 { Ok("") } else { Err(null(what)) };
    }
    // SAFETY: the caller guarantees `len` readable bytes at `ptr`.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    std::str::from_utf8(bytes).map_err(|e| not_utf8(what, e))
}

/// A NUL-terminated string.
pub fn c_text<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Fail> {
    if ptr.is_null() {
        return Err(null(what));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str().map_err(|e| not_utf8(what, e))
}

pub fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, Fail> {
    serde_json::from_str(text)
        .map_err(|e| Fail::new(EXEMPLAR_INVALID_JSON, text!("{what}：格式有误（{e}）", "{what}: {e}")))
}

//! What officials read, for C: a year read from an Excel workbook, the annual workbook and the
//! public notice (公示).

use crate::error::{c_text, json, need, text};
use crate::program::exemplar_program;
use crate::{exemplar_result, ffi, give};
use exemplar::oversight::calendar::Calendar;
use serde::Deserialize;
use std::ffi::c_char;

/// A year read from the Excel workbook at `path` (`.xlsx`, `.xls` or `.ods`; NUL-terminated,
/// UTF-8), as the flat year CSV the other calls take (free with `exemplar_string_free`). A sheet
/// is flat (a `scheme` column) or one scheme's (named by the scheme's id or Chinese name); the
/// headers are the CSV's or their Chinese names, indicators by id or Chinese name. A file that
/// cannot be read is `EXEMPLAR_IO`; a bad cell is `EXEMPLAR_INPUT`, naming
/// the sheet, the cell and the indicator.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_year_from_xlsx(
    program: *const exemplar_program,
    path: *const c_char,
    out_csv: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let year = exemplar::Year::from_xlsx_path(c_text(path, "path")?, p)?;
        let mut csv = Vec::new();
        year.to_csv(p, &mut csv)?;
        give(out_csv, String::from_utf8_lossy(&csv).into_owned())
    })
}

/// Runs the annual review of a year given as the flat CSV (evaluate, designate the weak and
/// lax, select, pay) and writes the annual workbook to `path` (NUL-terminated, UTF-8): 总表,
/// 评分明细, 推荐名单, 奖补分配, 整顿名单, 差距分析, headers in the program's language.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_annual_workbook(
    program: *const exemplar_program,
    year_csv: *const u8,
    len: usize,
    path: *const c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let year = exemplar::Year::from_csv(text(year_csv, len, "year_csv")?.as_bytes(), "year_csv", p)?;
        let path = c_text(path, "path")?;
        let bytes = p.annual_workbook(&year, &p.annual_review(&year)?)?;
        std::fs::write(path, bytes).map_err(|e| exemplar::Error::Io { path: path.into(), message: e.to_string() })?;
        Ok(())
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticeRequest {
    year_csv: String,
    #[serde(with = "exemplar::data::model::date")]
    posted: chrono::NaiveDate,
    issuer: String,
    contact: String,
    #[serde(default)]
    calendar: Calendar,
}

/// The public notice (公示) of the exemplars a year names, as an HTML document printable on A4
/// (free with `exemplar_string_free`), in the program's language. Request: `{"year_csv",
/// "posted": "YYYY-MM-DD", "issuer", "contact", "calendar"?: {"holidays", "workdays"}}`; the
/// year is reviewed as `exemplar_program_annual_workbook` reviews it.
#[unsafe(no_mangle)]
pub extern "C" fn exemplar_program_public_notice_json(
    program: *const exemplar_program,
    request: *const u8,
    len: usize,
    out_html: *mut *mut c_char,
) -> exemplar_result {
    ffi(|| {
        let p = &need(program, "program")?.inner;
        let r: NoticeRequest = json(text(request, len, "request")?, "request")?;
        let year = exemplar::Year::from_csv(r.year_csv.as_bytes(), "year_csv", p)?;
        let review = p.annual_review(&year)?;
        let notice = exemplar::documents::notice::Notice { posted: r.posted, issuer: r.issuer, contact: r.contact };
        give(out_html, p.public_notice(&year, &review.selection, &notice, &r.calendar)?)
    })
}

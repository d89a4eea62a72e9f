//! A year of data in an Excel workbook: one flat sheet (a `scheme` column, as the CSV), or one
//! sheet per scheme (named by the scheme's id or Chinese name); headers are the CSV's column
//! names or their Chinese names (组织编号 …), indicators by id or Chinese name. Errors name the
//! sheet, the cell and the indicator. `Year::to_xlsx` writes the sheet-per-scheme form with
//! Chinese headers: the form officials fill in.

use crate::Year;
use crate::data::model::Organization;
use crate::data::year::{FIXED_COLUMNS, RowAt, Rows, data, data_at, fixed_cells, twice, unknown_organization};
use crate::error::{Error, Result};
use crate::rules::language::{Text, text};
use crate::rules::program::Program;
use crate::scoring::plan::Plan;
use calamine::{Data, Reader};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The Chinese headers of the fixed columns, in `FIXED_COLUMNS` order.
pub const FIXED_COLUMNS_ZH: [&str; 10] =
    ["组织编号", "党组织名称", "组织形式", "领域", "县市", "乡镇", "上级党组织", "方案", "期间", "记录事项"];

/// The letters of column `c` (0-based): A … Z, AA ….
pub(crate) fn column_letters(c: u32) -> String {
    let mut n = c + 1;
    let mut out = Vec::new();
    while n > 0 {
        out.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    out.iter().rev().map(|&b| b as char).collect()
}

/// A workbook's properties: its title, and a creation date fixed by the data (31 December of
/// the year's last period) so the same year writes the same bytes.
pub(crate) fn properties(title: &str, year: &Year) -> rust_xlsxwriter::DocProperties {
    let last = year.reports.iter().map(|r| r.period.year_number()).max().unwrap_or(2000);
    let date = u16::try_from(last).ok().and_then(|y| rust_xlsxwriter::ExcelDateTime::from_ymd(y, 12, 31).ok());
    let p = rust_xlsxwriter::DocProperties::new().set_title(title);
    match date {
        Some(d) => p.set_creation_datetime(&d),
        None => p,
    }
}

/// A cell as the text the CSV would hold: numbers as Rust prints them (the shortest text that
/// reads back to the same number), `at` the workbook and the cell, for an error.
fn text(cell: &Data, at: impl Fn() -> (String, Text)) -> Result<String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(x) => format!("{}", x + 0.0),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => u8::from(*b).to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(_) => {
            let (source, place) = at();
            let m = text!(
                "为日期格式；期间和事件日期请写成文本（2023、2023-03-01）",
                "holds a date; write periods and event dates as text (2023, 2023-03-01)"
            );
            return Err(data_at(&source, &place, m));
        }
        Data::Error(e) => {
            let (source, place) = at();
            return Err(data_at(&source, &place, text!("为Excel错误值{e}", "holds the Excel error {e}")));
        }
    })
}

/// The program's indicators by id and by Chinese name (a name two indicators share is not a key).
fn indicator_names(program: &Program) -> HashMap<&str, &str> {
    let mut by: HashMap<&str, &str> = HashMap::new();
    let mut shared = Vec::new();
    for d in &program.file().indicators {
        if by.insert(&d.name_zh, &d.id).is_some_and(|other| other != d.id) {
            shared.push(d.name_zh.as_str());
        }
    }
    for name in shared {
        by.remove(name);
    }
    for d in &program.file().indicators {
        by.insert(&d.id, &d.id);
    }
    by
}

/// What one column of a sheet holds.
enum Column {
    Fixed(usize),
    Value(Option<String>, String),
}

impl Year {
    /// Reads a year from the `.xlsx` (or `.xls`, `.ods`) workbook at `path`; see
    /// [`Year::from_xlsx`].
    pub fn from_xlsx_path(path: impl AsRef<Path>, program: &Program) -> Result<Year> {
        let path = path.as_ref();
        let bytes =
            std::fs::read(path).map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
        Year::from_xlsx(&bytes, &path.display().to_string(), program)
    }

    /// Reads a year from a workbook's bytes. Each sheet is either flat (a `scheme` / 方案
    /// column on every row) or one scheme's (the sheet named by the scheme's id or Chinese name).
    /// The first row names the columns: the CSV's (`org_id` …) or their Chinese names (组织编号
    /// …), in any order, `org_id` and `period` required; then indicators by id or Chinese name
    /// (`role.indicator` for an assessor's). Empty cells are absent values. The same year read
    /// from CSV and from a workbook scores exactly alike.
    pub fn from_xlsx(bytes: &[u8], source: &str, program: &Program) -> Result<Year> {
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .map_err(|e| Error::Io { path: source.to_string(), message: e.to_string() })?;
        let names = indicator_names(program);
        let mut rows = Rows::default();
        for (sheet, range) in book.worksheets() {
            let Some((top, left)) = range.start() else { continue };
            let at = |row: u32, col: u32| {
                let cell = format!("{}{}", column_letters(col), row + 1);
                (source.to_string(), text!("工作表{sheet}，单元格{cell}", "sheet {sheet}, cell {cell}"))
            };
            let whole_sheet = text!("工作表{sheet}", "sheet {sheet}");
            let scheme = program.schemes().iter().find(|s| s.id == sheet || s.name_zh == sheet).map(|s| s.id.clone());
            let mut lines = range.rows();
            let Some(header) = lines.next() else { continue };
            let mut columns = Vec::new();
            for (j, cell) in header.iter().enumerate() {
                let col = left + j as u32;
                let h = text(cell, || at(top, col))?;
                if h.is_empty() {
                    continue;
                }
                let fixed = FIXED_COLUMNS.iter().zip(FIXED_COLUMNS_ZH).position(|(en, zh)| h == *en || h == zh);
                let column = match fixed {
                    Some(i) => Column::Fixed(i),
                    None => {
                        let (role, ind) = match h.split_once('.') {
                            Some((r, i)) => (Some(r.to_string()), i),
                            None => (None, h.as_str()),
                        };
                        let id = names.get(ind).ok_or_else(|| {
                            data_at(
                                source,
                                &at(top, col).1,
                                text!(
                                    "`{h}`既不是年度数据的列，也不是本规则的指标（按编号或中文名）",
                                    "`{h}` is neither a column of the year nor an indicator of the program (by id or Chinese name)"
                                ),
                            )
                        })?;
                        Column::Value(role, id.to_string())
                    }
                };
                columns.push((j, col, column));
            }
            let mut seen = std::collections::HashSet::new();
            for (_, col, c) in &columns {
                let key = match c {
                    Column::Fixed(i) => FIXED_COLUMNS[*i].to_string(),
                    Column::Value(role, id) => role.as_ref().map_or(id.clone(), |r| format!("{r}.{id}")),
                };
                if !seen.insert(key.clone()) {
                    return Err(data_at(source, &at(top, *col).1, twice(&key)));
                }
            }
            for need in ["org_id", "period"] {
                if !seen.contains(need) {
                    let zh = FIXED_COLUMNS_ZH[FIXED_COLUMNS.iter().position(|c| *c == need).unwrap_or(0)];
                    return Err(data_at(
                        source,
                        &whole_sheet,
                        text!("没有`{need}`（{zh}）列", "has no `{need}` ({zh}) column"),
                    ));
                }
            }
            if scheme.is_none() && !seen.contains("scheme") {
                return Err(data_at(
                    source,
                    &whole_sheet,
                    text!(
                        "未指明方案：请以方案（编号或中文名）命名工作表，或给出`scheme`（方案）列",
                        "names no scheme: name the sheet after a scheme (its id or Chinese name), or give a `scheme` (方案) column"
                    ),
                ));
            }
            let values: Vec<(usize, (Option<String>, String))> = columns
                .iter()
                .filter_map(|(j, _, c)| match c {
                    Column::Value(r, id) => Some((*j, (r.clone(), id.clone()))),
                    Column::Fixed(_) => None,
                })
                .collect();
            let letters: Vec<String> = columns
                .iter()
                .filter(|(_, _, c)| matches!(c, Column::Value(..)))
                .map(|(_, col, _)| column_letters(*col))
                .collect();
            for (i, line) in lines.enumerate() {
                let row = top + 1 + i as u32;
                if line.iter().all(|c| matches!(c, Data::Empty)) {
                    continue;
                }
                let cell = |j: usize| text(line.get(j).unwrap_or(&Data::Empty), || at(row, left + j as u32));
                let mut fixed: [String; 10] = Default::default();
                for (j, _, c) in &columns {
                    if let Column::Fixed(k) = c {
                        fixed[*k] = cell(*j)?;
                    }
                }
                if let Some(s) = &scheme
                    && fixed[7].is_empty()
                {
                    fixed[7] = s.clone();
                }
                let texts = values.iter().map(|(j, _)| cell(*j)).collect::<Result<Vec<String>>>()?;
                let fixed_ref: [&str; 10] = std::array::from_fn(|k| fixed[k].as_str());
                let place = RowAt::Sheet { source, sheet: &sheet, row: row + 1, columns: &letters };
                let cells = values.iter().zip(&texts).enumerate().map(|(k, ((_, c), t))| (c, t.as_str(), k));
                rows.push(&place, fixed_ref, cells)?;
            }
        }
        rows.finish(program)
    }

    /// The year as a workbook to fill in: one sheet per scheme that has reports, named by the
    /// scheme's Chinese name, with Chinese headers (the fixed columns, then each indicator the
    /// scheme reads by its Chinese name, `role.` before an assessor's) and a frozen header row.
    /// It reads back with [`Year::from_xlsx`] to the same year.
    pub fn to_xlsx(&self, program: &Program) -> Result<Vec<u8>> {
        let orgs: BTreeMap<&str, &Organization> = self.organizations.iter().map(|o| (o.org_id.as_str(), o)).collect();
        let names = indicator_names(program);
        let mut book = rust_xlsxwriter::Workbook::new();
        book.set_properties(&properties(&program.file().program.name_zh, self));
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let x = |e: rust_xlsxwriter::XlsxError| Error::Io { path: "workbook".into(), message: e.to_string() };
        for plan in program.plans() {
            let reports: Vec<_> = self.reports.iter().filter(|r| r.scheme == plan.id()).collect();
            if reports.is_empty() {
                continue;
            }
            let sheet = book.add_worksheet();
            sheet.set_name(sheet_name(plan)).map_err(x)?;
            let slots: Vec<_> = plan.slots().iter().filter(|s| !s.is_event()).collect();
            let headers = FIXED_COLUMNS_ZH.iter().map(|h| h.to_string()).filter(|h| h != "方案");
            let headers: Vec<String> =
                headers.chain(slots.iter().map(|s| header_zh(program, &names, &s.name))).collect();
            for (c, h) in headers.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, h, &bold).map_err(x)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(x)?;
            for (i, r) in reports.iter().enumerate() {
                let row = i as u32 + 1;
                let o = orgs
                    .get(r.org_id.as_str())
                    .ok_or_else(|| data("workbook", None, unknown_organization(&r.org_id)))?;
                // The CSV's fixed columns but the scheme, which the sheet names.
                let fixed: Vec<String> =
                    fixed_cells(o, r).into_iter().enumerate().filter(|(k, _)| *k != 7).map(|(_, t)| t).collect();
                for (c, t) in fixed.iter().enumerate() {
                    if !t.is_empty() {
                        sheet.write_string(row, c as u16, t).map_err(x)?;
                    }
                }
                for (k, s) in slots.iter().enumerate() {
                    let v = match s.name.split_once('.') {
                        Some((role, ind)) => r.assessments.get(role).and_then(|m| m.get(ind)),
                        None => r.values.get(&s.name),
                    };
                    if let Some(v) = v {
                        sheet.write_number(row, (fixed.len() + k) as u16, *v + 0.0).map_err(x)?;
                    }
                }
            }
        }
        book.save_to_buffer().map_err(x)
    }
}

/// A scheme's sheet name: its Chinese name, or its id where the name cannot name a sheet (over
/// 31 characters, or holding `[]:*?/\`).
fn sheet_name(plan: &Plan) -> String {
    let name = plan.name_zh();
    let fits = name.chars().count() <= 31 && !name.contains(['[', ']', ':', '*', '?', '/', '\\']);
    if fits { name.to_string() } else { plan.id().to_string() }
}

/// A value column's Chinese header: the indicator's Chinese name (after `role.` for an
/// assessor's), or its id where another indicator shares the name.
fn header_zh(program: &Program, names: &HashMap<&str, &str>, column: &str) -> String {
    let (role, id) = match column.split_once('.') {
        Some((r, i)) => (Some(r), i),
        None => (None, column),
    };
    let name = program.indicator(id).map(|d| d.name_zh.as_str()).filter(|n| names.contains_key(n)).unwrap_or(id);
    role.map_or(name.to_string(), |r| format!("{r}.{name}"))
}

//! A year of data: organizations and their reports, read from and written to one flat CSV
//! (a row per organization and scheme), checked against a program, evaluated as a whole.

use crate::data::model::{Event, OrgForm, Organization, Period, Report, Sector};
use crate::error::{Error, Field, Result};
use crate::rules::language::{Text, text};
use crate::rules::program::Program;
use crate::scoring::evaluate::{Assessed, Evaluation, Scored};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::Path;

/// The fixed leading columns of the flat CSV; every other column is an indicator id, or
/// `role.indicator` for a blended assessor's value.
pub const FIXED_COLUMNS: [&str; 10] =
    ["org_id", "name", "form", "sector", "county", "township", "parent", "scheme", "period", "events"];

/// The flat CSV's value columns after the fixed ones: each input of any scheme that is not an
/// event (an indicator, or `role.indicator`), once, in program order.
pub fn value_columns(program: &Program) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for plan in program.plans() {
        for slot in plan.slots() {
            if !slot.is_event() && !columns.contains(&slot.name) {
                columns.push(slot.name.clone());
            }
        }
    }
    columns
}

/// Checks a flat CSV's header: the fixed columns in order, then indicator columns (`role.indicator`
/// for an assessor's), each once; gives each value column's (role, indicator).
pub(crate) fn value_columns_of(
    headers: &csv::StringRecord,
    source: &str,
    program: &Program,
) -> Result<Vec<(Option<String>, String)>> {
    for (i, want) in FIXED_COLUMNS.iter().enumerate() {
        if headers.get(i) != Some(want) {
            let n = i + 1;
            return Err(data(source, Some(1), text!("第{n}列应为`{want}`", "column {n} must be `{want}`")));
        }
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(h) = headers.iter().find(|h| !seen.insert(*h)) {
        return Err(data(source, Some(1), twice(h)));
    }
    let mut value_cols = Vec::new();
    for h in headers.iter().skip(FIXED_COLUMNS.len()) {
        let (role, ind) = match h.split_once('.') {
            Some((r, i)) => (Some(r.to_string()), i),
            None => (None, h),
        };
        if program.indicator(ind).is_none() {
            return Err(data(
                source,
                Some(1),
                text!("`{h}`列不是本规则的指标", "column `{h}` is not an indicator of the program"),
            ));
        }
        value_cols.push((role, ind.to_string()));
    }
    Ok(value_cols)
}

/// A year's data: the organizations and the reports they filed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Year {
    /// Every organization evaluated this year.
    pub organizations: Vec<Organization>,
    /// Every report, one per organization, scheme and period.
    pub reports: Vec<Report>,
}

pub(crate) fn data(source: &str, line: Option<u64>, message: Text) -> Error {
    Error::Data { source_name: source.to_string(), line, message }
}

/// "column `x` appears twice", for a year's CSV, workbook or table.
pub(crate) fn twice(column: &str) -> Text {
    text!("`{column}`列出现两次；每列只给一次", "column `{column}` appears twice; give each column once")
}

/// "report for unknown organization", for writing a year whose reports name one it lacks.
pub(crate) fn unknown_organization(id: &str) -> Text {
    text!("填报所属组织`{id}`不在名单中", "report for unknown organization `{id}`")
}

/// A data error at a place within the source (a sheet, a cell), the place in both languages.
pub(crate) fn data_at(source: &str, place: &Text, message: Text) -> Error {
    let message = Text::new(format!("{}：{}", place.zh, message.zh), format!("{}: {}", place.en, message.en));
    data(source, None, message)
}

/// What an input error about an organization missing from the year's list says.
pub(crate) fn not_listed() -> Text {
    text!("本年度名单中没有该组织", "no such organization in this year's list")
}

/// What an input error about a scheme that does not apply to the organization says.
pub(crate) fn not_applicable(sector: Sector, form: OrgForm) -> Text {
    text!("该方案不适用于此组织（领域`{sector}`，组织形式`{form}`）", "does not apply to a {sector} {form}")
}

/// What an input error about a second report for the same scheme and period says.
pub(crate) fn reported_twice(period: Period) -> Text {
    text!("{period}期间重复填报", "reported twice for {period}")
}

/// A report's fixed columns as the CSV writes them, in `FIXED_COLUMNS` order.
pub(crate) fn fixed_cells(o: &Organization, r: &Report) -> [String; 10] {
    [
        o.org_id.clone(),
        o.name.clone(),
        o.form.to_string(),
        o.sector.to_string(),
        o.county.clone(),
        o.township.clone(),
        o.parent.clone().unwrap_or_default(),
        r.scheme.clone(),
        r.period.to_string(),
        Event::list_text(&r.events),
    ]
}

/// Where a row of a year's data was read: a line of a CSV file, or a row of a worksheet.
pub(crate) enum RowAt<'a> {
    /// Line `line` of the CSV `source`.
    Line { source: &'a str, line: u64 },
    /// Row `row` (1-based) of `sheet` in the workbook `source`; `columns` are the letters of
    /// the row's value cells, by value column.
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    Sheet { source: &'a str, sheet: &'a str, row: u32, columns: &'a [String] },
}

impl RowAt<'_> {
    /// An error about the row as a whole.
    fn error(&self, message: Text) -> Error {
        match self {
            RowAt::Line { source, line } => data(source, Some(*line), message),
            RowAt::Sheet { source, .. } => data_at(source, &self.here(), message),
        }
    }

    /// The row, in words.
    fn here(&self) -> Text {
        match self {
            RowAt::Line { line, .. } => text!("第{line}行", "line {line}"),
            RowAt::Sheet { sheet, row, .. } => text!("工作表{sheet}第{row}行", "sheet {sheet}, row {row}"),
        }
    }

    /// "`x` is not a number", and where value column `k` of the row is.
    fn not_a_number(&self, text: &str, k: usize) -> Text {
        match self {
            RowAt::Line { line, .. } => {
                text!("`{text}`不是数字（第{line}行）", "`{text}` is not a number (line {line})")
            }
            RowAt::Sheet { sheet, row, columns, .. } => {
                let cell = &columns[k];
                text!(
                    "`{text}`不是数字（工作表{sheet}，单元格{cell}{row}）",
                    "`{text}` is not a number (sheet {sheet}, cell {cell}{row})"
                )
            }
        }
    }
}

/// A year built row by row, wherever the rows come from: each organization once (described the
/// same wherever it appears), each row a report.
#[derive(Default)]
pub(crate) struct Rows {
    year: Year,
    /// Each organization, with where it was first described.
    orgs: BTreeMap<String, (Organization, Text)>,
}

impl Rows {
    /// One row: the text of the fixed columns (in `FIXED_COLUMNS` order; empty where absent) and
    /// each value column's (role, indicator), text and index.
    pub(crate) fn push<'v>(
        &mut self,
        at: &RowAt<'_>,
        fixed: [&str; 10],
        values: impl Iterator<Item = (&'v (Option<String>, String), &'v str, usize)>,
    ) -> Result<()> {
        let org_id = fixed[0].to_string();
        let parse_err = |field: &str, m: Text| {
            at.error(Text::new(
                format!("组织`{org_id}`，{field}：{}", m.zh),
                format!("organization `{org_id}`, {field}: {}", m.en),
            ))
        };
        if org_id.is_empty() {
            return Err(at.error(text!("组织编号为空", "org_id is empty")));
        }
        let org = Organization {
            org_id: org_id.clone(),
            name: fixed[1].to_string(),
            form: fixed[2].parse().map_err(|m| parse_err("form", m))?,
            sector: fixed[3].parse().map_err(|m| parse_err("sector", m))?,
            county: fixed[4].to_string(),
            township: fixed[5].to_string(),
            parent: Some(fixed[6].to_string()).filter(|p| !p.is_empty()),
        };
        let here = at.here();
        match self.orgs.get(&org_id) {
            Some((known, first)) if *known != org => {
                let (zh, en) = (&first.zh, &first.en);
                return Err(at.error(text!(
                    "组织`{org_id}`在{zh}的描述与此不同；一个编号只对应一个组织",
                    "organization `{org_id}` is described differently on {en}; one id, one organization"
                )));
            }
            Some(_) => {}
            None => {
                self.orgs.insert(org_id.clone(), (org, here));
            }
        }
        let period: Period = fixed[8].parse().map_err(|m| parse_err("period", m))?;
        let mut report = Report::new(&org_id, fixed[7], period);
        report.events = Event::parse_list(fixed[9]).map_err(|m| parse_err("events", m))?;
        for ((role, ind), text, k) in values {
            if text.is_empty() {
                continue;
            }
            let v: f64 = text.parse().map_err(|_| {
                Error::input(
                    &org_id,
                    &report.scheme,
                    Field::Indicator { role: role.clone(), id: ind.clone() },
                    at.not_a_number(text, k),
                )
            })?;
            match role {
                None => report.values.insert(ind.clone(), v),
                Some(r) => report.assessments.entry(r.clone()).or_default().insert(ind.clone(), v),
            };
        }
        self.year.reports.push(report);
        Ok(())
    }

    /// The year, checked against the program.
    pub(crate) fn finish(mut self, program: &Program) -> Result<Year> {
        self.year.organizations = self.orgs.into_values().map(|(o, _)| o).collect();
        self.year.check(program)?;
        Ok(self.year)
    }
}

impl Year {
    /// Reads the flat year CSV at `path` (see `Year::from_csv`).
    pub fn from_csv_path(path: impl AsRef<Path>, program: &Program) -> Result<Year> {
        let path = path.as_ref();
        let file = std::fs::File::open(path)
            .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
        Year::from_csv(file, &path.display().to_string(), program)
    }

    /// Reads the flat CSV. Empty cells are absent values; `events` holds `kind` or
    /// `kind@YYYY-MM-DD` entries separated by `;`.
    pub fn from_csv(reader: impl Read, source: &str, program: &Program) -> Result<Year> {
        let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
        let headers = rdr.headers().map_err(|e| data(source, Some(1), Text::parser(e)))?.clone();
        let value_cols = value_columns_of(&headers, source, program)?;
        let mut rows = Rows::default();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| data(source, e.position().map(|p| p.line()), Text::parser(&e)))?;
            let line = rec.position().map_or(0, |p| p.line());
            let cell = |i: usize| rec.get(i).unwrap_or_default();
            let fixed: [&str; 10] = std::array::from_fn(cell);
            let values = value_cols.iter().enumerate().map(|(k, c)| (c, cell(FIXED_COLUMNS.len() + k), k));
            rows.push(&RowAt::Line { source, line }, fixed, values)?;
        }
        rows.finish(program)
    }

    /// Writes the flat CSV, with a column for every indicator any scheme reads.
    pub fn to_csv(&self, program: &Program, writer: impl Write) -> Result<()> {
        let io = |e: csv::Error| Error::Io { path: "CSV output".into(), message: e.to_string() };
        let columns = value_columns(program);
        let orgs: BTreeMap<&str, &Organization> = self.organizations.iter().map(|o| (o.org_id.as_str(), o)).collect();
        let mut w = csv::Writer::from_writer(writer);
        w.write_record(FIXED_COLUMNS.iter().copied().chain(columns.iter().map(String::as_str))).map_err(io)?;
        for r in &self.reports {
            let o =
                orgs.get(r.org_id.as_str()).ok_or_else(|| data("CSV output", None, unknown_organization(&r.org_id)))?;
            let mut row = fixed_cells(o, r).to_vec();
            for c in &columns {
                let v = match c.split_once('.') {
                    Some((role, ind)) => r.assessments.get(role).and_then(|m| m.get(ind)),
                    None => r.values.get(c),
                };
                // `+ 0.0`: a negative zero is written as 0.
                row.push(v.map(|v| (v + 0.0).to_string()).unwrap_or_default());
            }
            w.write_record(&row).map_err(io)?;
        }
        w.flush().map_err(|e| Error::Io { path: "CSV output".into(), message: e.to_string() })
    }

    /// Every report names a known organization and a scheme that applies to it, once per period.
    pub fn check(&self, program: &Program) -> Result<()> {
        let mut orgs = BTreeMap::new();
        for o in &self.organizations {
            if orgs.insert(o.org_id.as_str(), o).is_some() {
                let id = &o.org_id;
                return Err(data(
                    "year",
                    None,
                    text!("组织编号`{id}`出现两次", "organization id `{id}` appears twice"),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for r in &self.reports {
            let org = orgs
                .get(r.org_id.as_str())
                .ok_or_else(|| Error::input(&r.org_id, &r.scheme, Field::column("org_id"), not_listed()))?;
            let scheme = program
                .scheme(&r.scheme)
                .ok_or_else(|| Error::input(&r.org_id, &r.scheme, Field::column("scheme"), program.unknown_scheme()))?;
            if !scheme.applies_to.covers(org.sector, org.form) {
                return Err(Error::input(
                    &r.org_id,
                    &r.scheme,
                    Field::column("scheme"),
                    not_applicable(org.sector, org.form),
                ));
            }
            if !seen.insert((r.org_id.as_str(), r.scheme.as_str(), r.period)) {
                return Err(Error::input(&r.org_id, &r.scheme, Field::column("period"), reported_twice(r.period)));
            }
        }
        Ok(())
    }

    /// The organization with this id, if listed.
    pub fn organization(&self, id: &str) -> Option<&Organization> {
        self.organizations.iter().find(|o| o.org_id == id)
    }

    /// One scheme's reports as columns in the plan's slot order (NaN where absent), with the
    /// organization ids of the rows. Rows are sorted by organization id.
    pub fn columns(&self, program: &Program, scheme: &str) -> Result<(Vec<String>, Vec<Vec<f64>>)> {
        let plan = program.plan(scheme)?;
        let mut reports: Vec<&Report> = self.reports.iter().filter(|r| r.scheme == scheme).collect();
        reports.sort_by(|a, b| (&a.org_id, a.period).cmp(&(&b.org_id, b.period)));
        let mut cols = vec![Vec::with_capacity(reports.len()); plan.slots().len()];
        for r in &reports {
            let x = program.report_row(r)?;
            for (c, v) in cols.iter_mut().zip(x) {
                c.push(v);
            }
        }
        Ok((reports.iter().map(|r| r.org_id.clone()).collect(), cols))
    }
}

impl Program {
    /// Evaluates every report of a year, sorted by scheme (program order), then organization id.
    pub fn evaluate_year(&self, year: &Year) -> Result<Vec<Evaluation>> {
        self.score_year(year)?.iter().map(|s| self.explain(s)).collect()
    }

    /// Scores every report of a year without wording them, in `evaluate_year`'s order.
    pub fn score_year(&self, year: &Year) -> Result<Vec<Scored>> {
        year.check(self)?;
        let mut out = year.reports.iter().map(|r| self.score(r)).collect::<Result<Vec<_>>>()?;
        let order: BTreeMap<&str, usize> = self.schemes().iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
        out.sort_by(|a, b| {
            (order[a.scheme()], a.org_id(), a.period()).cmp(&(order[b.scheme()], b.org_id(), b.period()))
        });
        Ok(out)
    }
}

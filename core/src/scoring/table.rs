//! Evaluating a table of reports given as named columns (what a pandas, polars or Arrow frame,
//! or a C caller's arrays, hold): routing rows to schemes, counting the `events` text, and what an
//! absent column means. Every binding's batch call is this one function.

use crate::data::model::{Event, Period};
use crate::error::{Error, Field, Result, Row};
use crate::rules::language::{Text, text};
use crate::rules::limits;
use crate::rules::program::Program;
use crate::scoring::bulk::{BadCell, BulkOut, BulkResult, Strided};
use crate::scoring::plan::{Plan, Source};
use crate::scoring::points::{Points, PointsOut};
use std::collections::HashMap;

/// A column of text, one entry per row; `None` is a null cell.
pub trait TextColumn: Sync {
    /// How many rows the column has.
    fn len(&self) -> usize;
    /// The text of a row, or `None` if empty or absent.
    fn get(&self, row: usize) -> Option<&str>;
    /// Whether the column has no rows.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl TextColumn for Vec<String> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, row: usize) -> Option<&str> {
        Some(self[row].as_str())
    }
}

impl TextColumn for Vec<&str> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, row: usize) -> Option<&str> {
        Some(self[row])
    }
}

impl TextColumn for Vec<Option<&str>> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, row: usize) -> Option<&str> {
        self[row]
    }
}

impl TextColumn for Vec<Option<String>> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, row: usize) -> Option<&str> {
        self[row].as_deref()
    }
}

/// The text columns a table may carry; any other column is read as numbers.
pub const TEXT_COLUMNS: [&str; 5] = ["org_id", "scheme", "area", "period", "events"];

/// A table of reports: one row per organization, scheme and period, as named columns.
///
/// - Numeric columns are named by indicator (`job_fairs`), by assessor and indicator for a blended
///   scheme (`superior.job_fairs`), or by event (a count). NaN is a missing value.
/// - Text columns: `org_id`; `scheme` (or `area`), which routes each row; `period` (`2023`,
///   `2023-Q2`, `2023-05`), needed to check dated events; `events` (`kind;kind@2023-05-01`).
/// - An absent indicator column is a missing value in every row, under the program's missing
///   policy; an absent event column and a null event count mean no events.
pub struct Table<'a> {
    rows: usize,
    numbers: Vec<(&'a str, Strided<'a>)>,
    texts: Vec<(&'a str, &'a dyn TextColumn)>,
    /// Columns that hold neither numbers nor text the table reads, with what they hold.
    others: Vec<(&'a str, String)>,
    row_label: Option<&'a (dyn Fn(usize) -> String + Sync)>,
}

/// The results, one entry per input row (and, per criterion, one column).
///
/// `P` is how a criterion's points are stored: `Option<Points>` (the default), or `f64` points
/// with NaN for a frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableResult<P = Option<Points>> {
    /// Scores, in row order.
    pub score: Vec<Points>,
    /// 1 to 5; 0 where no star band applies.
    pub stars: Vec<u8>,
    /// `Standing::code`: 1 advanced … 4 lagging; 0 where no standing band applies.
    pub standing: Vec<u8>,
    /// Vetoed, in row order.
    pub vetoed: Vec<bool>,
    /// A weak-and-lax situation shows in the row.
    pub weak_lax: Vec<bool>,
    /// Each criterion's points (weighted across assessors), for the criteria of the schemes the
    /// rows are under, in program order; [`PointsCell::ABSENT`] in rows of a scheme without that
    /// criterion. Empty when the options ask for no points.
    pub criteria: Vec<(String, Vec<P>)>,
}

/// A cell of a points column in a table's result.
pub trait PointsCell: PointsOut {
    /// The cell of a row whose scheme has no such criterion.
    const ABSENT: Self;
}

impl PointsCell for Option<Points> {
    const ABSENT: Self = None;
}

impl PointsCell for f64 {
    const ABSENT: Self = f64::NAN;
}

/// How a table is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Threads to split the rows across (0: one per core). Results never depend on it.
    pub threads: usize,
    /// Whether to return each criterion's points, or the totals and bands only.
    pub points: bool,
}

impl Default for Options {
    /// One thread, with points.
    fn default() -> Options {
        Options { threads: 1, points: true }
    }
}

impl<'a> Table<'a> {
    /// An empty table of `rows` rows.
    pub fn new(rows: usize) -> Table<'a> {
        Table { rows, numbers: Vec::new(), texts: Vec::new(), others: Vec::new(), row_label: None }
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// A numeric column.
    pub fn number(mut self, name: &'a str, values: &'a [f64]) -> Table<'a> {
        self.numbers.push((name, Strided::whole(values)));
        self
    }

    /// Numeric columns held row by row (row-major, `names.len()` values per row): a C
    /// `double[rows][k]`, a numpy C-order 2-d array, a pandas frame's block of floats. Read in
    /// place, a block of rows at a time.
    pub fn matrix(mut self, names: &[&'a str], values: &'a [f64]) -> Table<'a> {
        let stride = names.len();
        for (offset, name) in names.iter().enumerate() {
            // A matrix of the wrong size shows as a column of the wrong length.
            self.numbers.push((name, Strided { data: values, offset, stride }));
        }
        self
    }

    /// A text column (`org_id`, `scheme`, `area`, `period`, `events`; evaluation ignores others,
    /// a year's table also reads the flat year's `name`, `form`, `sector`, `county`, `township`
    /// and `parent`).
    pub fn text(mut self, name: &'a str, values: &'a dyn TextColumn) -> Table<'a> {
        self.texts.push((name, values));
        self
    }

    /// A column of another type (`what` says which), an error if the program reads it.
    pub fn other(mut self, name: &'a str, what: impl Into<String>) -> Table<'a> {
        self.others.push((name, what.into()));
        self
    }

    /// How errors name a row (the pandas index label); by default its position.
    pub fn row_labels(mut self, label: &'a (dyn Fn(usize) -> String + Sync)) -> Table<'a> {
        self.row_label = Some(label);
        self
    }

    fn row(&self, index: usize) -> Row {
        Row { index, label: self.row_label.map_or_else(|| index.to_string(), |f| f(index)) }
    }

    pub(crate) fn number_column(&self, name: &str) -> Option<Strided<'a>> {
        self.numbers.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    pub(crate) fn text_column(&self, name: &str) -> Option<&'a dyn TextColumn> {
        self.texts.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    pub(crate) fn shape_error(message: Text) -> Error {
        Error::Data { source_name: "table".into(), line: None, message }
    }

    /// Every column once, each `rows` long.
    pub(crate) fn check_shape(&self) -> Result<()> {
        let mut seen = HashMap::new();
        let names = self.numbers.iter().map(|(n, c)| (*n, c.rows()));
        let names = names.chain(self.texts.iter().map(|(n, c)| (*n, c.len())));
        for (name, len) in names.chain(self.others.iter().map(|(n, _)| (*n, self.rows))) {
            if seen.insert(name, ()).is_some() {
                return Err(Table::shape_error(crate::data::year::twice(name)));
            }
            if len != self.rows {
                let rows = self.rows;
                return Err(Table::shape_error(text!(
                    "`{name}`列有{len}行，而表有{rows}行",
                    "column `{name}` has {len} rows, the table {rows}"
                )));
            }
        }
        Ok(())
    }
}

/// What the table says of one row before scoring: its organization and scheme, for errors.
pub(crate) struct Rows<'t, 'a> {
    table: &'t Table<'a>,
    org_id: Option<&'a dyn TextColumn>,
}

impl<'t, 'a> Rows<'t, 'a> {
    pub(crate) fn of(table: &'t Table<'a>) -> Rows<'t, 'a> {
        Rows { table, org_id: table.text_column("org_id") }
    }

    /// How errors name a row.
    pub(crate) fn label(&self, row: usize) -> String {
        self.table.row(row).label
    }

    fn org(&self, row: usize) -> String {
        self.org_id.and_then(|c| c.get(row)).map_or_else(|| format!("row {row}"), str::to_string)
    }

    pub(crate) fn error(&self, row: usize, scheme: &str, field: Field, message: Text) -> Error {
        Error::input(&self.org(row), scheme, field, message).at_row(self.table.row(row))
    }
}

impl Program {
    /// Evaluates every row of a table under its scheme: the `scheme` column (or `area`), or
    /// `scheme` for all rows, or the program's only scheme. See [`Table`] for the columns.
    pub fn evaluate_table(&self, table: &Table<'_>, scheme: Option<&str>) -> Result<TableResult> {
        self.evaluate_table_with(table, scheme, Options::default())
    }

    /// As [`Program::evaluate_table`], with options, and points stored as `P`.
    pub fn evaluate_table_with<P: PointsCell>(
        &self,
        table: &Table<'_>,
        scheme: Option<&str>,
        options: Options,
    ) -> Result<TableResult<P>> {
        let n = table.rows;
        let ready = self.prepare(table, scheme)?;
        let ids = self.criteria_of(&ready.routed, scheme);
        let kept = if options.points { ids.as_slice() } else { &[] };
        let mut out = TableResult {
            score: vec![Points::ZERO; n],
            stars: vec![0; n],
            standing: vec![0; n],
            vetoed: vec![false; n],
            weak_lax: vec![false; n],
            criteria: kept.iter().map(|id| (id.to_string(), vec![P::ABSENT; n])).collect(),
        };
        let buffers = BulkOut {
            score: &mut out.score,
            stars: &mut out.stars,
            standing: &mut out.standing,
            vetoed: &mut out.vetoed,
            weak_lax: &mut out.weak_lax,
            criteria: out.criteria.iter_mut().map(|(_, c)| c.as_mut_slice()).collect(),
        };
        self.score_table(table, scheme, &ready, &ids, options.threads, buffers)?;
        Ok(out)
    }

    /// The criteria whose points a table's result holds, in order: those of the schemes its rows
    /// are under (or of `scheme`), in program order. [`Program::evaluate_table_into`] takes one
    /// points column for each.
    pub fn table_criteria(&self, table: &Table<'_>, scheme: Option<&str>) -> Result<Vec<&str>> {
        table.check_shape()?;
        let rows = Rows::of(table);
        Ok(self.criteria_of(&self.route(table, &rows, scheme)?, scheme))
    }

    /// As [`Program::evaluate_table`], writing into buffers the caller owns (a frame's columns),
    /// the rows split across `threads` threads (0: one per core). `out.criteria` is empty, or one
    /// column per [`Program::table_criteria`]. On an error the buffers hold partial results.
    pub fn evaluate_table_into<P: PointsCell>(
        &self,
        table: &Table<'_>,
        scheme: Option<&str>,
        threads: usize,
        out: BulkOut<'_, P>,
    ) -> Result<()> {
        let ready = self.prepare(table, scheme)?;
        let n = table.rows;
        let lens = [out.score.len(), out.stars.len(), out.standing.len(), out.vetoed.len(), out.weak_lax.len()];
        let ids = self.criteria_of(&ready.routed, scheme);
        let wanted = ids.len();
        let points_ok = out.criteria.is_empty() || out.criteria.len() == wanted;
        if lens.into_iter().chain(out.criteria.iter().map(|c| c.len())).any(|l| l != n) || !points_ok {
            return Err(Error::Shape(text!(
                "输出缓冲区须有{n}行；分项得分缓冲区须为{wanted}列、每列{n}行，或不提供",
                "output buffers must hold {n} rows, and the points {wanted} columns of {n} rows or none"
            )));
        }
        self.score_table(table, scheme, &ready, &ids, threads, out)
    }

    /// Checks the table and reads what routes and counts each row.
    pub(crate) fn prepare(&self, table: &Table<'_>, scheme: Option<&str>) -> Result<Ready> {
        table.check_shape()?;
        let rows = Rows::of(table);
        let routed = self.route(table, &rows, scheme)?;
        let periods = self.periods(table, &rows, &routed)?;
        let events = self.event_counts(table, &rows, &routed, &periods)?;
        Ok(Ready { routed, periods, events })
    }

    /// The plans that score some row (or are named), by index.
    fn used_plans(&self, routed: &[usize], scheme: Option<&str>) -> Vec<usize> {
        let mut used = vec![false; self.plans().len()];
        for &p in routed {
            used[p] = true;
        }
        (0..used.len()).filter(|&p| used[p] || scheme == Some(self.plans()[p].id())).collect()
    }

    /// The result's criteria: each criterion id of the used plans once, in program order.
    fn criteria_of(&self, routed: &[usize], scheme: Option<&str>) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for p in self.used_plans(routed, scheme) {
            for cp in &self.plans()[p].criteria {
                if seen.insert(cp.id.as_str()) {
                    ids.push(cp.id.as_str());
                }
            }
        }
        ids
    }

    /// Scores every row under its plan into the buffers (`ids`: the criteria of the points
    /// columns, if any); a plan that has every row scores the caller's columns straight into
    /// them, others through gathered copies.
    fn score_table<P: PointsCell>(
        &self,
        table: &Table<'_>,
        scheme: Option<&str>,
        ready: &Ready,
        ids: &[&str],
        threads: usize,
        mut out: BulkOut<'_, P>,
    ) -> Result<()> {
        let n = table.rows;
        let rows = Rows::of(table);
        let column_of: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        if ready.routed.first().is_some_and(|&p| ready.routed.iter().any(|&q| q != p)) {
            // Rows of several schemes: a criterion's cells in rows of schemes without it are absent.
            for column in out.criteria.iter_mut() {
                column.fill(P::ABSENT);
            }
        }
        for si in self.used_plans(&ready.routed, scheme) {
            let plan = &self.plans()[si];
            let mine: Vec<usize> = (0..n).filter(|&r| ready.routed[r] == si).collect();
            if mine.is_empty() {
                continue;
            }
            // Where this plan's criteria go among the result's columns.
            let at: Vec<usize> = if out.criteria.is_empty() {
                Vec::new()
            } else {
                plan.criteria.iter().map(|cp| column_of[cp.id.as_str()]).collect()
            };
            let full = self.slot_columns(table, plan, &ready.events)?;
            let fail = |bad| match bad {
                BadCell::Shape(e) => e,
                BadCell::Cell { row, slot, bad } => {
                    rows.error(mine[row], plan.id(), plan.slots[slot].field.clone(), bad.text())
                }
            };
            if mine.len() == n {
                // Every row is this plan's, so the result's criteria are its own, in its order.
                let views: Vec<Strided<'_>> = full.iter().map(Column::view).collect();
                return plan.score_columns(&views, out, threads).map_err(fail);
            }
            let views: Vec<Vec<f64>> = full.iter().map(|c| mine.iter().map(|&r| c.view().get(r)).collect()).collect();
            let views: Vec<Strided<'_>> = views.iter().map(|c| Strided::whole(c)).collect();
            let mut part = BulkResult::<P>::new(mine.len(), at.len());
            plan.score_columns(&views, part.out(), threads).map_err(fail)?;
            for (k, &r) in mine.iter().enumerate() {
                out.score[r] = part.score[k];
                out.stars[r] = part.stars[k];
                out.standing[r] = part.standing[k];
                out.vetoed[r] = part.vetoed[k];
                out.weak_lax[r] = part.weak_lax[k];
            }
            for (&a, column) in at.iter().zip(&part.criteria) {
                let to = &mut out.criteria[a];
                for (k, &r) in mine.iter().enumerate() {
                    to[r] = column[k];
                }
            }
        }
        Ok(())
    }

    /// The plan index of every row.
    fn route(&self, table: &Table<'_>, rows: &Rows<'_, '_>, scheme: Option<&str>) -> Result<Vec<usize>> {
        let n = table.rows;
        if let Some(s) = scheme {
            let i = self.plans().iter().position(|p| p.id() == s);
            return Ok(vec![
                i.ok_or_else(|| self.plan(s).err().unwrap_or_else(|| Error::UnknownScheme {
                    scheme: s.into(),
                    known: self.scheme_list()
                }))?;
                n
            ]);
        }
        let column = table.text_column("scheme").or_else(|| table.text_column("area"));
        let Some(column) = column else {
            if self.plans().len() == 1 {
                return Ok(vec![0; n]);
            }
            let list = self.scheme_list();
            return Err(Error::Shape(text!(
                "表中须有指明每行方案的`scheme`（或`area`）列，或为所有行指定一个方案；本规则的方案有{list}",
                "the table needs a `scheme` (or `area`) column naming each row's scheme, or one scheme for every row; the program has {list}"
            )));
        };
        let index: HashMap<&str, usize> = self.plans().iter().enumerate().map(|(i, p)| (p.id(), i)).collect();
        // Rows of one scheme usually come together: the last scheme is checked before the index.
        let mut last: Option<(&str, usize)> = None;
        (0..n)
            .map(|r| {
                let s = column.get(r).unwrap_or_default();
                if let Some((_, p)) = last.filter(|(l, _)| *l == s) {
                    return Ok(p);
                }
                let found = index.get(s).copied();
                if let Some(p) = found {
                    last = Some((s, p));
                }
                found.ok_or_else(|| rows.error(r, s, Field::column("scheme"), self.unknown_scheme()))
            })
            .collect()
    }

    /// Each row's period, where the table has a `period` column (every cell must be one).
    fn periods(&self, table: &Table<'_>, rows: &Rows<'_, '_>, routed: &[usize]) -> Result<Option<Vec<Period>>> {
        let Some(column) = table.text_column("period") else { return Ok(None) };
        // A year's rows mostly share one period: the last one read is checked first.
        let mut last: Option<(&str, Period)> = None;
        (0..table.rows)
            .map(|r| {
                let scheme = self.plans()[routed[r]].id();
                if let Some((_, p)) = last.filter(|(l, _)| Some(*l) == column.get(r)) {
                    return Ok(p);
                }
                match column.get(r) {
                    Some(text) => {
                        let p = text.parse().map_err(|m: Text| rows.error(r, scheme, Field::column("period"), m))?;
                        last = Some((text, p));
                        Ok(p)
                    }
                    None => {
                        Err(rows.error(r, scheme, Field::column("period"), text!("期间为空", "the period is empty")))
                    }
                }
            })
            .collect::<Result<Vec<Period>>>()
            .map(Some)
    }

    /// Counts of each event kind per row from the `events` text, by event index; kinds that never
    /// occur have no entry. A dated event must fall in its row's period, as in `evaluate`.
    fn event_counts(
        &self,
        table: &Table<'_>,
        rows: &Rows<'_, '_>,
        routed: &[usize],
        periods: &Option<Vec<Period>>,
    ) -> Result<HashMap<usize, Vec<f64>>> {
        let mut counts: HashMap<usize, Vec<f64>> = HashMap::new();
        let Some(column) = table.text_column("events") else { return Ok(counts) };
        let events = &self.file().events;
        if let Some(e) = events.iter().find(|e| table.numbers.iter().any(|(n, _)| *n == e.id)) {
            let id = &e.id;
            return Err(Table::shape_error(text!(
                "事件`{id}`给了两次：既有次数列，又在`events`文本中；只给一种",
                "event `{id}` is given twice: as a count column and in the `events` text; give one"
            )));
        }
        let index: HashMap<&str, usize> = events.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
        for r in 0..table.rows {
            let Some(text) = column.get(r) else { continue };
            let scheme = self.plans()[routed[r]].id();
            let fail = |message: Text| rows.error(r, scheme, Field::column("events"), message);
            for Event { kind, date, .. } in Event::parse_list(text).map_err(fail)? {
                let &e = index
                    .get(kind.as_str())
                    .ok_or_else(|| fail(text!("未知事件类型`{kind}`", "unknown event kind `{kind}`")))?;
                if let Some(d) = date {
                    match periods.as_ref().map(|p| p[r]) {
                        None => {
                            return Err(fail(text!(
                                "事件`{kind}`的日期为{d}，但表中没有可供核对的`period`列",
                                "event `{kind}` is dated {d}, but the table has no `period` column to check it against"
                            )));
                        }
                        Some(p) if !p.contains(d) => {
                            return Err(fail(text!(
                                "事件`{kind}`的日期{d}不在评价期{p}内",
                                "event `{kind}` dated {d}, outside period {p}"
                            )));
                        }
                        Some(_) => {}
                    }
                }
                let count = counts.entry(e).or_insert_with(|| vec![0.0; table.rows]);
                count[r] += 1.0;
                if count[r] > limits::COUNT {
                    let max = limits::show(limits::COUNT);
                    return Err(fail(text!("`{kind}`类事件超过{max}次", "more than {max} events of kind `{kind}`")));
                }
            }
        }
        Ok(counts)
    }

    /// The input of every slot of a plan, as whole-table columns.
    pub(crate) fn slot_columns<'t>(
        &self,
        table: &'t Table<'_>,
        plan: &Plan,
        events: &'t HashMap<usize, Vec<f64>>,
    ) -> Result<Vec<Column<'t>>> {
        let n = table.rows;
        plan.slots
            .iter()
            .map(|slot| {
                if let Some((_, c)) = table.numbers.iter().find(|(n, _)| *n == slot.name) {
                    return Ok(Column::Given(*c));
                }
                if let Some((_, what)) = table.others.iter().find(|(n, _)| *n == slot.name) {
                    let name = &slot.name;
                    return Err(Table::shape_error(text!(
                        "`{name}`列为{what}，不是数字",
                        "column `{name}` holds {what}, not numbers"
                    )));
                }
                Ok(match slot.source {
                    Source::Event(e) => {
                        events.get(&e).map_or_else(|| Column::Owned(vec![0.0; n]), |c| Column::Given(Strided::whole(c)))
                    }
                    Source::Indicator(_) => Column::Owned(vec![f64::NAN; n]),
                })
            })
            .collect()
    }
}

/// What routes and counts each row of a checked table.
pub(crate) struct Ready {
    /// Each row's plan index.
    pub routed: Vec<usize>,
    /// Each row's period, where the table has a `period` column.
    pub periods: Option<Vec<Period>>,
    /// Event counts per row, by event index.
    pub events: HashMap<usize, Vec<f64>>,
}

/// A slot's input over the whole table: the caller's column, or one made for an absent column.
pub(crate) enum Column<'t> {
    Given(Strided<'t>),
    Owned(Vec<f64>),
}

impl Column<'_> {
    pub(crate) fn view(&self) -> Strided<'_> {
        match self {
            Column::Given(c) => *c,
            Column::Owned(c) => Strided::whole(c),
        }
    }
}

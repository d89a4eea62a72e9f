//! Evaluating a table of reports given as named columns (what a pandas, polars or Arrow frame,
//! or a C caller's arrays, hold): routing rows to schemes, counting the `events` text, and what an
//! absent column means. Every binding's batch call is this one function.

use crate::data::model::{Event, Period};
use crate::error::{Error, Field, Result, Row};
use crate::rules::limits;
use crate::rules::program::Program;
use crate::scoring::bulk::{BadCell, BulkOut};
use crate::scoring::plan::{Plan, Source};
use crate::scoring::points::Points;
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
    numbers: Vec<(&'a str, &'a [f64])>,
    texts: Vec<(&'a str, &'a dyn TextColumn)>,
    /// Columns that hold neither numbers nor text the table reads, with what they hold.
    others: Vec<(&'a str, String)>,
    row_label: Option<&'a (dyn Fn(usize) -> String + Sync)>,
}

/// The results, one entry per input row (and, per criterion, one column).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableResult {
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
    /// rows are under, in program order; `None` in rows of a scheme without that criterion.
    pub criteria: Vec<(String, Vec<Option<Points>>)>,
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
        self.numbers.push((name, values));
        self
    }

    /// A text column (`org_id`, `scheme`, `area`, `period`, `events`; others are ignored).
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

    fn text_column(&self, name: &str) -> Option<&'a dyn TextColumn> {
        self.texts.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    fn shape_error(message: String) -> Error {
        Error::Data { source_name: "table".into(), line: None, message }
    }

    /// Every column once, each `rows` long.
    fn check_shape(&self) -> Result<()> {
        let mut seen = HashMap::new();
        let names = self.numbers.iter().map(|(n, c)| (*n, c.len()));
        let names = names.chain(self.texts.iter().map(|(n, c)| (*n, c.len())));
        for (name, len) in names.chain(self.others.iter().map(|(n, _)| (*n, self.rows))) {
            if seen.insert(name, ()).is_some() {
                return Err(Table::shape_error(format!("column `{name}` appears twice; give each column once")));
            }
            if len != self.rows {
                return Err(Table::shape_error(format!("column `{name}` has {len} rows, the table {}", self.rows)));
            }
        }
        Ok(())
    }
}

/// What the table says of one row before scoring: its organization and scheme, for errors.
struct Rows<'t, 'a> {
    table: &'t Table<'a>,
    org_id: Option<&'a dyn TextColumn>,
}

impl Rows<'_, '_> {
    fn org(&self, row: usize) -> String {
        self.org_id.and_then(|c| c.get(row)).map_or_else(|| format!("row {row}"), str::to_string)
    }

    fn error(&self, row: usize, scheme: &str, field: Field, message: String) -> Error {
        Error::input(&self.org(row), scheme, field, message).at_row(self.table.row(row))
    }
}

impl Program {
    /// Evaluates every row of a table under its scheme: the `scheme` column (or `area`), or
    /// `scheme` for all rows, or the program's only scheme. See [`Table`] for the columns.
    pub fn evaluate_table(&self, table: &Table<'_>, scheme: Option<&str>) -> Result<TableResult> {
        table.check_shape()?;
        let n = table.rows;
        let rows = Rows { table, org_id: table.text_column("org_id") };
        let routed = self.route(table, &rows, scheme)?;
        let periods = self.periods(table, &rows, &routed)?;
        let events = self.event_counts(table, &rows, &routed, &periods)?;

        let mut out = TableResult {
            score: vec![Points::ZERO; n],
            stars: vec![0; n],
            standing: vec![0; n],
            vetoed: vec![false; n],
            weak_lax: vec![false; n],
            criteria: Vec::new(),
        };
        let mut criterion_at: HashMap<&str, usize> = HashMap::new();
        for (si, plan) in self.plans().iter().enumerate() {
            let mine: Vec<usize> = (0..n).filter(|&r| routed[r] == si).collect();
            let named = scheme == Some(plan.id());
            if mine.is_empty() && !named {
                continue;
            }
            let whole = mine.len() == n;
            let full = self.slot_columns(table, plan, &events)?;
            let subsets: Vec<Vec<f64>> = if whole {
                Vec::new()
            } else {
                full.iter().map(|c| mine.iter().map(|&r| c.slice()[r]).collect()).collect()
            };
            let views: Vec<&[f64]> = if whole {
                full.iter().map(Column::slice).collect()
            } else {
                subsets.iter().map(Vec::as_slice).collect()
            };
            let m = mine.len();
            let nc = plan.criteria.len();
            let (mut score, mut stars, mut standing) = (vec![Points::ZERO; m], vec![0u8; m], vec![0u8; m]);
            let (mut vetoed, mut weak_lax) = (vec![false; m], vec![false; m]);
            let mut crit = vec![Points::ZERO; nc * m];
            let buffers = BulkOut {
                score: &mut score,
                stars: &mut stars,
                standing: &mut standing,
                vetoed: &mut vetoed,
                weak_lax: &mut weak_lax,
                criteria: &mut crit,
            };
            plan.score_columns(&views, buffers).map_err(|bad| match bad {
                BadCell::Shape(e) => e,
                BadCell::Cell { row, slot, bad } => {
                    rows.error(mine[row], plan.id(), plan.slots[slot].field.clone(), bad.to_string())
                }
            })?;
            for (k, &r) in mine.iter().enumerate() {
                out.score[r] = score[k];
                out.stars[r] = stars[k];
                out.standing[r] = standing[k];
                out.vetoed[r] = vetoed[k];
                out.weak_lax[r] = weak_lax[k];
            }
            for (c, cp) in plan.criteria.iter().enumerate() {
                let at = *criterion_at.entry(cp.id.as_str()).or_insert_with(|| {
                    out.criteria.push((cp.id.clone(), vec![None; n]));
                    out.criteria.len() - 1
                });
                let column = &mut out.criteria[at].1;
                for (k, &r) in mine.iter().enumerate() {
                    column[r] = Some(crit[c * m + k]);
                }
            }
        }
        Ok(out)
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
            return Err(Error::Shape(format!(
                "the table needs a `scheme` (or `area`) column naming each row's scheme, or one scheme for \
                 every row; the program has {}",
                self.scheme_list()
            )));
        };
        let index: HashMap<&str, usize> = self.plans().iter().enumerate().map(|(i, p)| (p.id(), i)).collect();
        (0..n)
            .map(|r| {
                let s = column.get(r).unwrap_or_default();
                index.get(s).copied().ok_or_else(|| {
                    rows.error(
                        r,
                        s,
                        Field::column("scheme"),
                        format!("unknown scheme; the program has {}", self.scheme_list()),
                    )
                })
            })
            .collect()
    }

    /// Each row's period, where the table has a `period` column (every cell must be one).
    fn periods(&self, table: &Table<'_>, rows: &Rows<'_, '_>, routed: &[usize]) -> Result<Option<Vec<Period>>> {
        let Some(column) = table.text_column("period") else { return Ok(None) };
        (0..table.rows)
            .map(|r| {
                let scheme = self.plans()[routed[r]].id();
                match column.get(r) {
                    Some(text) => text.parse().map_err(|m: String| rows.error(r, scheme, Field::column("period"), m)),
                    None => Err(rows.error(r, scheme, Field::column("period"), "the period is empty".into())),
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
            return Err(Table::shape_error(format!(
                "event `{}` is given twice: as a count column and in the `events` text; give one",
                e.id
            )));
        }
        let index: HashMap<&str, usize> = events.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
        for r in 0..table.rows {
            let Some(text) = column.get(r) else { continue };
            let scheme = self.plans()[routed[r]].id();
            let fail = |message: String| rows.error(r, scheme, Field::column("events"), message);
            for Event { kind, date, .. } in Event::parse_list(text).map_err(fail)? {
                let &e = index.get(kind.as_str()).ok_or_else(|| fail(format!("unknown event kind `{kind}`")))?;
                if let Some(d) = date {
                    match periods.as_ref().map(|p| p[r]) {
                        None => {
                            return Err(fail(format!(
                                "event `{kind}` is dated {d}, but the table has no `period` column to check it against"
                            )));
                        }
                        Some(p) if !p.contains(d) => {
                            return Err(fail(format!("event `{kind}` dated {d}, outside period {p}")));
                        }
                        Some(_) => {}
                    }
                }
                let count = counts.entry(e).or_insert_with(|| vec![0.0; table.rows]);
                count[r] += 1.0;
                if count[r] > limits::COUNT {
                    return Err(fail(format!("more than {} events of kind `{kind}`", limits::show(limits::COUNT))));
                }
            }
        }
        Ok(counts)
    }

    /// The input of every slot of a plan, as whole-table columns.
    fn slot_columns<'t>(
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
                    return Ok(Column::Given(c));
                }
                if let Some((_, what)) = table.others.iter().find(|(n, _)| *n == slot.name) {
                    return Err(Table::shape_error(format!("column `{}` holds {what}, not numbers", slot.name)));
                }
                Ok(match slot.source {
                    Source::Event(e) => {
                        events.get(&e).map_or_else(|| Column::Owned(vec![0.0; n]), |c| Column::Given(c))
                    }
                    Source::Indicator(_) => Column::Owned(vec![f64::NAN; n]),
                })
            })
            .collect()
    }
}

/// A slot's input over the whole table: the caller's column, or one made for an absent column.
enum Column<'t> {
    Given(&'t [f64]),
    Owned(Vec<f64>),
}

impl Column<'_> {
    fn slice(&self) -> &[f64] {
        match self {
            Column::Given(c) => c,
            Column::Owned(c) => c,
        }
    }
}

//! A year held as columns, for a province's or the country's year: each organization once, and
//! each scheme's reports as one `f64` column per input slot in the plan's order — eight bytes a
//! value and no object per report. Read from a table with the flat year's columns (a frame), or
//! from a `Year`; checked as `Year::check` checks a year.

use crate::data::model::{OrgForm, Organization, Period, Sector};
use crate::data::year::{Year, not_applicable, reported_twice};
use crate::error::{Error, Field, Result};
use crate::rules::language::{Text, text};
use crate::rules::program::Program;
use crate::scoring::table::{Rows, Table};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

/// Many strings in one buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    text: String,
    /// String `i` ends at `ends[i]` and starts where string `i - 1` ends.
    ends: Vec<usize>,
}

impl Texts {
    /// Room for `n` strings of `bytes` bytes in all.
    pub(crate) fn with_capacity(n: usize, bytes: usize) -> Texts {
        Texts { text: String::with_capacity(bytes), ends: Vec::with_capacity(n) }
    }

    pub(crate) fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    /// String `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// How many strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The bytes held: the text and an 8-byte end for each string.
    fn bytes(&self) -> usize {
        self.text.len() + 8 * self.ends.len()
    }
}

impl crate::scoring::table::TextColumn for Texts {
    fn len(&self) -> usize {
        Texts::len(self)
    }
    fn get(&self, row: usize) -> Option<&str> {
        Some(Texts::get(self, row)).filter(|t| !t.is_empty())
    }
}

/// The organizations of a year as columns, sorted by id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Organizations {
    /// Shared with the selections that name them.
    id: Arc<Texts>,
    name: Texts,
    form: Vec<OrgForm>,
    sector: Vec<Sector>,
    /// Index into `counties`.
    county: Vec<u32>,
    /// Every county, sorted.
    counties: Vec<String>,
    township: Texts,
    /// Empty where the organization has no parent listed.
    parent: Texts,
}

/// One organization's fields, borrowed: what a table's row or a record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OrgRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub form: OrgForm,
    pub sector: Sector,
    pub county: &'a str,
    pub township: &'a str,
    /// Empty where none.
    pub parent: &'a str,
}

impl<'a> From<&'a Organization> for OrgRef<'a> {
    fn from(o: &'a Organization) -> OrgRef<'a> {
        OrgRef {
            id: &o.org_id,
            name: &o.name,
            form: o.form,
            sector: o.sector,
            county: &o.county,
            township: &o.township,
            parent: o.parent.as_deref().unwrap_or_default(),
        }
    }
}

/// Organizations gathered in any order, then sorted by id.
#[derive(Default)]
pub(crate) struct OrgsIn {
    orgs: Organizations,
    /// County → its index in `orgs.counties` (in the order first met).
    county_at: HashMap<String, u32>,
}

impl OrgsIn {
    /// Appends an organization; its index is the number appended before it.
    pub fn push(&mut self, o: OrgRef<'_>) {
        let next = self.county_at.len() as u32;
        let county = match self.county_at.get(o.county) {
            Some(&c) => c,
            None => {
                self.county_at.insert(o.county.to_string(), next);
                self.orgs.counties.push(o.county.to_string());
                next
            }
        };
        let orgs = &mut self.orgs;
        Arc::make_mut(&mut orgs.id).push(o.id);
        orgs.name.push(o.name);
        orgs.form.push(o.form);
        orgs.sector.push(o.sector);
        orgs.county.push(county);
        orgs.township.push(o.township);
        orgs.parent.push(o.parent);
    }

    /// Organization `i` as appended.
    pub fn get(&self, i: usize) -> OrgRef<'_> {
        let o = &self.orgs;
        OrgRef {
            id: o.id.get(i),
            name: o.name.get(i),
            form: o.form[i],
            sector: o.sector[i],
            county: o.county(i),
            township: o.township.get(i),
            parent: o.parent.get(i),
        }
    }

    /// The organizations sorted by id (counties too), and each appended one's place among them.
    pub fn sorted(self) -> (Organizations, Vec<u32>) {
        let o = self.orgs;
        let n = o.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        // Tables usually come sorted; checking costs one pass.
        if !(1..n).all(|i| o.id(i - 1) <= o.id(i)) {
            order.sort_unstable_by(|&a, &b| o.id(a as usize).cmp(o.id(b as usize)));
        }
        let mut rank = vec![0u32; n];
        for (k, &i) in order.iter().enumerate() {
            rank[i as usize] = k as u32;
        }
        let mut by_name: Vec<u32> = (0..o.counties.len() as u32).collect();
        by_name.sort_unstable_by(|&a, &b| o.counties[a as usize].cmp(&o.counties[b as usize]));
        let mut county_rank = vec![0u32; by_name.len()];
        for (k, &c) in by_name.iter().enumerate() {
            county_rank[c as usize] = k as u32;
        }
        let texts = |t: &Texts| {
            let mut out = Texts::with_capacity(n, t.text.len());
            for &i in &order {
                out.push(t.get(i as usize));
            }
            out
        };
        let sorted = Organizations {
            id: Arc::new(texts(&o.id)),
            name: texts(&o.name),
            form: order.iter().map(|&i| o.form[i as usize]).collect(),
            sector: order.iter().map(|&i| o.sector[i as usize]).collect(),
            county: order.iter().map(|&i| county_rank[o.county[i as usize] as usize]).collect(),
            counties: by_name.iter().map(|&c| o.counties[c as usize].clone()).collect(),
            township: texts(&o.township),
            parent: texts(&o.parent),
        };
        (sorted, rank)
    }
}

impl Organizations {
    /// How many organizations.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Organization `i`'s id.
    pub fn id(&self, i: usize) -> &str {
        self.id.get(i)
    }

    /// Every id, in order (shared, not copied).
    pub fn ids(&self) -> Arc<Texts> {
        Arc::clone(&self.id)
    }

    /// Organization `i`'s name.
    pub fn name(&self, i: usize) -> &str {
        self.name.get(i)
    }

    /// Organization `i`'s township.
    pub fn township(&self, i: usize) -> &str {
        self.township.get(i)
    }

    /// Organization `i`'s parent, if listed.
    pub fn parent(&self, i: usize) -> Option<&str> {
        Some(self.parent.get(i)).filter(|p| !p.is_empty())
    }

    /// Organization `i`'s form.
    pub fn form(&self, i: usize) -> OrgForm {
        self.form[i]
    }

    /// Organization `i`'s sector.
    pub fn sector(&self, i: usize) -> Sector {
        self.sector[i]
    }

    /// Organization `i`'s county.
    pub fn county(&self, i: usize) -> &str {
        &self.counties[self.county[i] as usize]
    }

    /// Organization `i`'s county, by index in `counties`.
    #[inline]
    pub fn county_index(&self, i: usize) -> u32 {
        self.county[i]
    }

    /// Every county, sorted.
    pub fn counties(&self) -> &[String] {
        &self.counties
    }

    /// Where `id` is (`Ok`) or would be (`Err`), every id before index `from` being less than
    /// it: galloping on from `from`, so ids looked up in ascending order cost little each.
    pub(crate) fn search_from(&self, id: &str, from: usize) -> std::result::Result<usize, usize> {
        let n = self.len();
        // Every id before `lo` is less than `id`; the one at `hi` (if any) is not.
        let (mut lo, mut hi, mut step) = (from, from, 1);
        while hi < n && self.id(hi) < id {
            lo = hi + 1;
            hi += step;
            step *= 2;
        }
        let mut hi = hi.min(n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.id(mid) < id { lo = mid + 1 } else { hi = mid }
        }
        if lo < n && self.id(lo) == id { Ok(lo) } else { Err(lo) }
    }

    /// The index of the organization with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.id(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Organization `i` as a record.
    pub fn get(&self, i: usize) -> Organization {
        Organization {
            org_id: self.id(i).to_string(),
            name: self.name(i).to_string(),
            form: self.form[i],
            sector: self.sector[i],
            county: self.county(i).to_string(),
            township: self.township(i).to_string(),
            parent: self.parent(i).map(str::to_string),
        }
    }
}

/// One scheme's reports as columns, sorted by organization id, then period.
#[derive(Clone, Debug, Default)]
pub struct SchemeRows {
    /// Each row's organization, by index in `Organizations`.
    org: Vec<u32>,
    period: Vec<Period>,
    /// One column per input slot, in `Plan::slots` order; NaN where absent.
    x: Vec<Vec<f64>>,
    /// Each row's row in what the year was read from (empty for a generated year).
    source: Vec<u32>,
}

/// The same reports, wherever each was read from.
impl PartialEq for SchemeRows {
    fn eq(&self, other: &SchemeRows) -> bool {
        (&self.org, &self.period, &self.x) == (&other.org, &other.period, &other.x)
    }
}

impl SchemeRows {
    /// Rows already sorted by organization then period, one column per slot.
    pub(crate) fn new(org: Vec<u32>, period: Vec<Period>, x: Vec<Vec<f64>>) -> SchemeRows {
        SchemeRows { org, period, x, source: Vec::new() }
    }

    /// How many reports.
    pub fn rows(&self) -> usize {
        self.org.len()
    }

    /// Row `r`'s organization, by index in `Organizations`.
    #[inline]
    pub fn org(&self, r: usize) -> usize {
        self.org[r] as usize
    }

    /// Each row's organization, by index in `Organizations`.
    pub(crate) fn orgs(&self) -> &[u32] {
        &self.org
    }

    /// The first row of organization `org` (by index), or where it would be.
    pub fn first_row_of(&self, org: usize) -> usize {
        self.org.partition_point(|&o| (o as usize) < org)
    }

    /// Row `r`'s period.
    #[inline]
    pub fn period(&self, r: usize) -> Period {
        self.period[r]
    }

    /// The input columns, in `Plan::slots` order.
    pub fn columns(&self) -> Vec<&[f64]> {
        self.x.iter().map(Vec::as_slice).collect()
    }

    /// Row `r`'s value in slot `slot`.
    pub fn value(&self, r: usize, slot: usize) -> f64 {
        self.x[slot][r]
    }

    /// Row `r`'s input, in `Plan::slots` order.
    pub fn row(&self, r: usize) -> Vec<f64> {
        self.x.iter().map(|c| c[r]).collect()
    }

    /// Row `r`'s row in the table, file or list of reports the year was read from (`None` for a
    /// generated year).
    pub fn source(&self, r: usize) -> Option<usize> {
        self.source.get(r).map(|&s| s as usize)
    }
}

/// A year as columns: the organizations once, each scheme's reports as input columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearColumns {
    /// Each scheme's id and input column names, as the program laid them out.
    layout: Vec<Vec<String>>,
    orgs: Organizations,
    /// One per scheme of the program, in program order.
    schemes: Vec<SchemeRows>,
    /// (organization, event index) for each kind of event an organization's reports record,
    /// sorted, once each.
    events: Vec<(u32, u32)>,
}

impl YearColumns {
    /// A year laid out already: organizations, each plan's rows sorted, events sorted and once.
    pub(crate) fn new(
        program: &Program,
        orgs: Organizations,
        schemes: Vec<SchemeRows>,
        events: Vec<(u32, u32)>,
    ) -> YearColumns {
        YearColumns { layout: layout(program), orgs, schemes, events }
    }

    /// Whether the year was laid out for this program's schemes and columns: an error if not.
    pub fn check_program(&self, program: &Program) -> Result<()> {
        if self.layout != layout(program) {
            return Err(Error::Shape(text!(
                "该年度数据是按另一套规则读取的（方案或其列不同）",
                "the year was read for another program (its schemes or their columns differ)"
            )));
        }
        Ok(())
    }

    /// The bytes its columns hold, as a frame or Arrow table of them would: 8 a value, each
    /// organization's texts with an 8-byte offset each, its county, form and sector, and each
    /// report's organization and period. What the year costs in memory, before any result.
    pub fn bytes(&self) -> usize {
        let o = &self.orgs;
        let texts = [&*o.id, &o.name, &o.township, &o.parent].iter().map(|t| t.bytes()).sum::<usize>();
        let orgs = texts + o.county.len() * 4 + o.form.len() + o.sector.len();
        let reports: usize = self
            .schemes
            .iter()
            .map(|s| s.x.iter().map(|c| c.len() * 8).sum::<usize>() + s.org.len() * 4 + s.period.len() * 8)
            .sum();
        orgs + reports + self.events.len() * 8
    }

    /// The organizations, sorted by id.
    #[inline]
    pub fn organizations(&self) -> &Organizations {
        &self.orgs
    }

    /// The reports of each scheme of the program, in program order.
    #[inline]
    pub fn schemes(&self) -> &[SchemeRows] {
        &self.schemes
    }

    /// How many reports in all.
    pub fn reports(&self) -> usize {
        self.schemes.iter().map(SchemeRows::rows).sum()
    }

    /// Each organization (by index) with the event kinds (by index in the program's events) its
    /// reports record, sorted, once each.
    pub fn events(&self) -> &[(u32, u32)] {
        &self.events
    }

    /// Reads the flat year CSV (see `Year::from_csv`) record by record straight into columns, with
    /// no object per report; the year is checked as `Program::year_columns` checks a table, and
    /// the values when scored.
    pub fn from_csv(reader: impl std::io::Read, source: &str, program: &Program) -> Result<YearColumns> {
        use crate::data::year::{FIXED_COLUMNS, data, value_columns_of};
        let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
        let headers = rdr.headers().map_err(|e| data(source, Some(1), Text::parser(e)))?.clone();
        let value_cols = value_columns_of(&headers, source, program)?;
        let fixed = FIXED_COLUMNS.len();
        let mut texts: Vec<Texts> = FIXED_COLUMNS.iter().map(|_| Texts::default()).collect();
        let mut numbers: Vec<Vec<f64>> = vec![Vec::new(); value_cols.len()];
        let mut lines = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| data(source, e.position().map(|p| p.line()), Text::parser(&e)))?;
            let line = rec.position().map_or(0, |p| p.line());
            for (i, t) in texts.iter_mut().enumerate() {
                t.push(rec.get(i).unwrap_or_default());
            }
            for (k, column) in numbers.iter_mut().enumerate() {
                let text = rec.get(fixed + k).unwrap_or_default();
                let fail = |m: Text| {
                    let (role, id) = value_cols[k].clone();
                    let (org, scheme) = (rec.get(0).unwrap_or_default(), rec.get(7).unwrap_or_default());
                    Error::input(org, scheme, Field::Indicator { role, id }, m)
                };
                // An empty cell is absent; a written NaN is not a value, as in a report.
                column.push(match text {
                    "" => f64::NAN,
                    _ => match text.parse::<f64>() {
                        Ok(v) if v.is_nan() => {
                            return Err(fail(text!("NaN不是数值（第{line}行）", "NaN is not a value (line {line})")));
                        }
                        Ok(v) => v,
                        Err(_) => {
                            return Err(fail(text!(
                                "`{text}`不是数字（第{line}行）",
                                "`{text}` is not a number (line {line})"
                            )));
                        }
                    },
                });
            }
            lines.push(line);
        }
        let label = |r: usize| format!("{r} (line {})", lines.get(r).copied().unwrap_or_default());
        let mut table = Table::new(lines.len()).row_labels(&label);
        for (name, t) in FIXED_COLUMNS.iter().zip(&texts) {
            table = table.text(name, t);
        }
        for (name, column) in headers.iter().skip(fixed).zip(&numbers) {
            table = table.number(name, column);
        }
        program.year_columns(&table)
    }

    /// The columns of a `Year` (checked as `Year::check` does; every value as a report's).
    pub fn from_year(program: &Program, year: &Year) -> Result<YearColumns> {
        year.check(program)?;
        let mut b = Builder::new(program);
        let mut index = HashMap::with_capacity(year.organizations.len());
        for o in &year.organizations {
            index.insert(o.org_id.as_str(), b.organization(o.into(), |_| Ok(()))?);
        }
        let mut x: Vec<Vec<f64>> = Vec::with_capacity(year.reports.len());
        for (i, r) in year.reports.iter().enumerate() {
            let org = index.get(r.org_id.as_str()).copied().ok_or_else(unreachable_error)?;
            let p = program.plans().iter().position(|p| p.id() == r.scheme).unwrap_or_default();
            b.rows[p].push((org, r.period, i as u32));
            for e in &r.events {
                if let Some(k) = program.file().events.iter().position(|d| d.id == e.kind) {
                    b.events.push((org, k as u32));
                }
            }
            x.push(program.report_row(r)?);
        }
        b.finish(|_, slot, src| src.iter().map(|&r| x[r as usize][slot]).collect(), |_, _, _, _| unreachable_error())
    }
}

/// `from_year` has checked every report before the rows are laid out.
fn unreachable_error() -> Error {
    Error::Argument(text!("本年度的填报被重复检查", "a year's report was checked twice"))
}

impl Program {
    /// Reads a year from a table with the flat year's columns (see `Year::from_csv`): `org_id`,
    /// `name`, `form`, `sector`, `county`, `township`, `scheme` and `period` as text, `parent` and
    /// `events` text if given, and the values as numeric columns (see [`Table`]). Each
    /// organization is described the same way on each of its rows; each organization, scheme and
    /// period is reported once, under a scheme that applies to it. Values are checked when scored.
    pub fn year_columns<'t>(&self, table: &Table<'t>) -> Result<YearColumns> {
        table.check_shape()?;
        let rows = Rows::of(table);
        let text = |name: &str| {
            table.text_column(name).ok_or_else(|| {
                Table::shape_error(text!(
                    "年度数据表须有文本列`{name}`（即年度CSV的各列）",
                    "a year's table needs the text column `{name}` (the flat year's columns)"
                ))
            })
        };
        let (id, name, form, sector) = (text("org_id")?, text("name")?, text("form")?, text("sector")?);
        let (county, township, scheme_col) = (text("county")?, text("township")?, text("scheme")?);
        text("period")?;
        let parent = table.text_column("parent");
        let ready = self.prepare(table, None)?;
        let periods = ready.periods.as_deref().unwrap_or_default();
        let mut b = Builder::new(self);
        let mut forms: Vec<(&str, OrgForm)> = Vec::new();
        let mut sectors: Vec<(&str, Sector)> = Vec::new();
        for (r, &period) in periods.iter().enumerate() {
            let scheme = scheme_col.get(r).unwrap_or_default();
            let fail = |field: &str, m: Text| rows.error(r, scheme, Field::column(field), m);
            let org_id = id.get(r).unwrap_or_default();
            if org_id.is_empty() {
                return Err(fail("org_id", text!("组织编号为空", "org_id is empty")));
            }
            let cell = |c: &'t dyn crate::scoring::table::TextColumn| c.get(r).unwrap_or_default();
            let o = OrgRef {
                id: org_id,
                name: cell(name),
                form: parsed(&mut forms, cell(form)).map_err(|m| fail("form", m))?,
                sector: parsed(&mut sectors, cell(sector)).map_err(|m| fail("sector", m))?,
                county: cell(county),
                township: cell(township),
                parent: parent.and_then(|p| p.get(r)).unwrap_or_default(),
            };
            let org = b.organization(o, |first| match first {
                Some((known, at)) if known != o => Err(fail("org_id", {
                    let at = rows.label(at);
                    text!(
                        "组织`{org_id}`在第{at}行的描述与此不同；一个编号只对应一个组织",
                        "organization `{org_id}` is described differently on row {at}; one id, one organization"
                    )
                })),
                _ => Ok(()),
            })?;
            b.rows[ready.routed[r]].push((org, period, r as u32));
        }
        // Events from the `events` text, or given as counts.
        for (e, def) in self.file().events.iter().enumerate() {
            let recorded: Vec<usize> = match (ready.events.get(&e), table.number_column(&def.id)) {
                (Some(counts), _) => (0..table.rows()).filter(|&r| counts[r] > 0.0).collect(),
                (None, Some(col)) => (0..table.rows()).filter(|&r| col.get(r) > 0.0).collect(),
                (None, None) => continue,
            };
            let org_events: Vec<(u32, u32)> = recorded.into_iter().map(|r| (b.row_org(r), e as u32)).collect();
            b.events.extend(org_events);
        }
        let columns: Vec<_> =
            self.plans().iter().map(|plan| self.slot_columns(table, plan, &ready.events)).collect::<Result<_>>()?;
        b.finish(
            |p, slot, src| {
                let column = columns[p][slot].view();
                src.iter().map(|&r| column.get(r as usize)).collect()
            },
            |p, src, field, m| rows.error(src, self.plans()[p].id(), field, m),
        )
    }
}

/// Each scheme's id, then its input column names.
fn layout(program: &Program) -> Vec<Vec<String>> {
    let plan = |p: &crate::scoring::plan::Plan| {
        std::iter::once(p.id().to_string()).chain(p.column_names().into_iter().map(str::to_string)).collect()
    };
    program.plans().iter().map(plan).collect()
}

/// A form or sector, parsed once per distinct text (a handful: only valid texts are kept).
fn parsed<'a, T: FromStr<Err = Text> + Copy>(seen: &mut Vec<(&'a str, T)>, text: &'a str) -> Result<T, Text> {
    if let Some(&(_, v)) = seen.iter().find(|(t, _)| *t == text) {
        return Ok(v);
    }
    let v = text.parse()?;
    seen.push((text, v));
    Ok(v)
}

/// A year being laid out: organizations as first met, each plan's rows as (organization,
/// period, source row), then sorted and gathered.
struct Builder<'p, 'a> {
    program: &'p Program,
    /// While organizations come in increasing id order (as a sorted table gives them), an id
    /// beyond the last is new without a lookup: `met` lists them, and the index is built from
    /// it the first time the order breaks.
    ascending: bool,
    met: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
    /// The last organization met: its id and index.
    last: Option<(&'a str, u32)>,
    orgs: OrgsIn,
    /// Where each organization was first met (the source row).
    first: Vec<usize>,
    rows: Vec<Vec<(u32, Period, u32)>>,
    /// Each source row's organization, in source order (the table path).
    row_org: Vec<u32>,
    events: Vec<(u32, u32)>,
}

impl<'p, 'a> Builder<'p, 'a> {
    fn new(program: &'p Program) -> Builder<'p, 'a> {
        Builder {
            program,
            ascending: true,
            met: Vec::new(),
            index: HashMap::new(),
            last: None,
            orgs: OrgsIn::default(),
            first: Vec::new(),
            rows: vec![Vec::new(); program.plans().len()],
            row_org: Vec::new(),
            events: Vec::new(),
        }
    }

    /// The index of the organization `o` describes; if met before, `check` compares the
    /// description with the first one (and where it was).
    fn organization(
        &mut self,
        o: OrgRef<'a>,
        check: impl FnOnce(Option<(OrgRef<'_>, usize)>) -> Result<()>,
    ) -> Result<u32> {
        let source = self.row_org.len();
        let known = match self.last {
            Some((id, i)) if id == o.id => Some(i),
            Some((id, _)) if self.ascending && o.id > id => None,
            None => None,
            Some(_) => {
                if self.ascending {
                    self.ascending = false;
                    self.index = self.met.drain(..).enumerate().map(|(i, id)| (id, i as u32)).collect();
                }
                self.index.get(o.id).copied()
            }
        };
        let i = match known {
            Some(i) => {
                check(Some((self.orgs.get(i as usize), self.first[i as usize])))?;
                i
            }
            None => {
                check(None)?;
                let i = self.first.len() as u32;
                self.orgs.push(o);
                self.first.push(source);
                match self.ascending {
                    true => self.met.push(o.id),
                    false => {
                        self.index.insert(o.id, i);
                    }
                }
                i
            }
        };
        self.last = Some((o.id, i));
        self.row_org.push(i);
        Ok(i)
    }

    fn row_org(&self, r: usize) -> u32 {
        self.row_org[r]
    }

    /// Sorts the organizations by id and each plan's rows by organization then period, checks
    /// that each applies and is reported once, and gathers the columns (`gather(plan, slot,
    /// source rows)`, the slot's values at those rows); `error(plan, source row, field, message)`
    /// words a row's error.
    fn finish(
        self,
        gather: impl Fn(usize, usize, &[u32]) -> Vec<f64>,
        error: impl Fn(usize, usize, Field, Text) -> Error,
    ) -> Result<YearColumns> {
        let Builder { program, orgs, rows, mut events, .. } = self;
        let (orgs, rank) = orgs.sorted();
        let mut schemes = Vec::with_capacity(rows.len());
        for (p, mut list) in rows.into_iter().enumerate() {
            let plan = &program.plans()[p];
            let applies = &program.schemes()[p].applies_to;
            for entry in &mut list {
                entry.0 = rank[entry.0 as usize];
            }
            list.sort_unstable_by_key(|&(org, period, _)| (org, period));
            for (k, &(org, period, src)) in list.iter().enumerate() {
                let (form, sector) = (orgs.form[org as usize], orgs.sector[org as usize]);
                if !applies.covers(sector, form) {
                    return Err(error(p, src as usize, Field::column("scheme"), not_applicable(sector, form)));
                }
                if k > 0 && list[k - 1].0 == org && list[k - 1].1 == period {
                    return Err(error(p, src as usize, Field::column("period"), reported_twice(period)));
                }
            }
            let src: Vec<u32> = list.iter().map(|&(.., src)| src).collect();
            let x = (0..plan.slots().len()).map(|slot| gather(p, slot, &src)).collect();
            let (org, period) = list.iter().map(|&(o, period, _)| (o, period)).unzip();
            schemes.push(SchemeRows { org, period, x, source: src });
        }
        for e in &mut events {
            e.0 = rank[e.0 as usize];
        }
        events.sort_unstable();
        events.dedup();
        Ok(YearColumns::new(program, orgs, schemes, events))
    }
}

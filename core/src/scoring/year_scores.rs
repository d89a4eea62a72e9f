//! A columnar year scored: each scheme's totals, bands and flags as columns (each criterion's
//! points too, if asked), read in place by the decisions, and any one report explained on demand
//! exactly as `Program::evaluate` explains it.

use crate::data::model::{Period, Standing, Stars};
use crate::data::year_columns::YearColumns;
use crate::error::{Error, Field, Result};
use crate::rules::language::{Text, text};
use crate::rules::program::Program;
use crate::scoring::bulk::BulkResult;
use crate::scoring::evaluate::{Assessed, Scored, Verdict, hit_reason};
use crate::scoring::plan::{CriterionPlan, Plan};
use crate::scoring::points::Points;
use crate::scoring::table::{Options, Rows, Table};

/// The results of a columnar year: one [`BulkResult`] per scheme, row for row with
/// [`YearColumns::schemes`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearScores {
    schemes: Vec<BulkResult>,
}

impl YearScores {
    /// Each scheme's results (program order), row for row with the year's.
    pub(crate) fn from_schemes(schemes: Vec<BulkResult>) -> YearScores {
        YearScores { schemes }
    }

    /// Each scheme's results, in program order.
    pub fn schemes(&self) -> &[BulkResult] {
        &self.schemes
    }

    /// Every report's result, in `Program::evaluate_year`'s order: scheme (program order), then
    /// organization id, then period.
    pub fn rows<'a>(&'a self, program: &'a Program, year: &'a YearColumns) -> Vec<ScoredRow<'a>> {
        let mut out = Vec::with_capacity(year.reports());
        for (p, (plan, result)) in program.plans().iter().zip(&self.schemes).enumerate() {
            let p = p as u32;
            out.extend((0..result.score.len() as u32).map(|row| ScoredRow { year, scores: self, plan, p, row }));
        }
        out
    }
}

impl Program {
    /// Scores every report of a columnar year with the column kernels, across `options.threads`
    /// threads, keeping each criterion's points if `options.points`, and always those of the
    /// selection's tie-break criteria (what the decisions read). The results never depend on the
    /// thread count, and equal the single evaluation's.
    pub fn score_year_columns(&self, year: &YearColumns, options: Options) -> Result<YearScores> {
        year.check_program(self)?;
        let orgs = year.organizations();
        let ties = self.file().selection.as_ref().map_or(&[][..], |s| s.tie_break.as_slice());
        let mut schemes = Vec::with_capacity(self.plans().len());
        for (plan, rows) in self.plans().iter().zip(year.schemes()) {
            let mut r = BulkResult::new(rows.rows(), 0);
            let kept = |c: &CriterionPlan| options.points || ties.contains(&c.id);
            if plan.criteria.iter().any(kept) {
                let column = |c| if kept(c) { vec![Points::ZERO; rows.rows()] } else { Vec::new() };
                r.criteria = plan.criteria.iter().map(column).collect();
            }
            let id_of = |row: usize| orgs.id(rows.org(row)).to_string();
            plan.evaluate_columns_into(&rows.columns(), &id_of, r.out(), options.threads)?;
            schemes.push(r);
        }
        Ok(YearScores { schemes })
    }
}

impl Program {
    /// The input columns the decisions read of a year besides its results and fixed columns:
    /// those its vetoes and weak-and-lax situations test, to say why one fired, and the event
    /// counts (a disqualifying event may be given as one). Sorted, once each.
    pub fn decision_columns(&self) -> Vec<&str> {
        let tested =
            self.plans().iter().flat_map(|p| p.vetoes.iter().chain(&p.weak_lax).map(|t| p.slots[t.slot].name.as_str()));
        let events = self.file().events.iter().map(|e| e.id.as_str());
        let mut names: Vec<&str> = tested.chain(events).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// A year and its results, scored elsewhere (by the workers of a cluster), read from one
    /// table: the year's fixed columns and its [`decision_columns`](Program::decision_columns)
    /// beside `evaluate_frame`'s results for the same rows: `score`, `stars` (null or 0 for none),
    /// `standing` (`advanced` … `lagging`, or null), `vetoed`, `weak_lax`, and `pts_<criterion>`
    /// for each tie-break criterion of the selection policy. The decisions then run on them
    /// exactly as on the year scored here. Each result is checked: a score in hundredths within
    /// the scheme's maximum, stars 0 to 5, and a veto or situation shown only where the year's
    /// own columns set one off.
    pub fn year_with_results(&self, table: &Table<'_>) -> Result<(YearColumns, YearScores)> {
        let year = self.year_columns(table)?;
        let rows = Rows::of(table);
        let number = |name: &str| {
            table.number_column(name).ok_or_else(|| {
                Table::shape_error(text!(
                    "缺少结果列`{name}`（evaluate_frame的输出列）",
                    "the result column `{name}` is missing (one of evaluate_frame's columns)"
                ))
            })
        };
        let (score, stars, vetoed, weak_lax) =
            (number("score")?, number("stars")?, number("vetoed")?, number("weak_lax")?);
        let standing = table.text_column("standing").ok_or_else(|| {
            Table::shape_error(text!("缺少结果列`standing`", "the result column `standing` is missing"))
        })?;
        let ties = self.file().selection.as_ref().map_or(&[][..], |s| s.tie_break.as_slice());
        let tie_columns: Vec<(&str, _)> =
            ties.iter().map(|c| Ok((c.as_str(), number(&format!("pts_{c}"))?))).collect::<Result<_>>()?;
        let mut schemes = Vec::with_capacity(self.plans().len());
        for (plan, part) in self.plans().iter().zip(year.schemes()) {
            let n = part.rows();
            let mut r = BulkResult::new(n, 0);
            r.criteria = plan.criteria.iter().map(|_| Vec::new()).collect();
            for k in 0..n {
                let src = part.source(k).unwrap_or(k);
                let fail = |field: &str, m: Text| rows.error(src, plan.id(), Field::column(field), m);
                let flag = |field: &str, x: f64| match x {
                    0.0 => Ok(false),
                    1.0 => Ok(true),
                    _ => Err(fail(field, text!("应为是或否，而非{x}", "must be true or false, not {x}"))),
                };
                let s = score.get(src);
                let points = Points::round(s);
                if !(points.as_f64() == s && Points::ZERO <= points && points <= plan.max_points) {
                    let max = plan.max_points;
                    return Err(fail(
                        "score",
                        text!(
                            "{s}不是0至{max}之间、精确到0.01分的分数",
                            "{s} is not a score in hundredths from 0 to {max}"
                        ),
                    ));
                }
                let st = stars.get(src);
                let st = if st.is_nan() { 0.0 } else { st };
                if !(st.fract() == 0.0 && (0.0..=5.0).contains(&st)) {
                    return Err(fail(
                        "stars",
                        text!("星级{st}应为0至5的整数", "stars {st} must be a whole number from 0 to 5"),
                    ));
                }
                let sd = match standing.get(src).filter(|t| !t.is_empty()) {
                    None => 0,
                    Some(t) => match Standing::ALL.iter().find(|s| s.name(crate::Language::En) == t) {
                        Some(s) => s.code(),
                        None => {
                            return Err(fail(
                                "standing",
                                text!(
                                    "`{t}`不是等次（advanced、good、average、lagging）",
                                    "`{t}` is not a standing (advanced, good, average, lagging)"
                                ),
                            ));
                        }
                    },
                };
                let (v, w) = (flag("vetoed", vetoed.get(src))?, flag("weak_lax", weak_lax.get(src))?);
                // A flag the year's own columns do not explain would be cited without a reason.
                let fires =
                    |ts: &[crate::scoring::plan::TriggerPlan]| ts.iter().any(|t| t.test.holds(part.value(k, t.slot)));
                for (set, field, triggers) in [(v, "vetoed", &plan.vetoes), (w, "weak_lax", &plan.weak_lax)] {
                    if set && !fires(triggers) {
                        let columns = self.decision_columns().join(", ");
                        return Err(fail(
                            field,
                            text!(
                                "结果为是，但本表的列中没有触发它的值；请带上这些列：{columns}",
                                "is true, but no value in the table sets it off; give the columns {columns}"
                            ),
                        ));
                    }
                }
                r.score[k] = points;
                r.stars[k] = st as u8;
                r.standing[k] = sd;
                r.vetoed[k] = v;
                r.weak_lax[k] = w;
            }
            for &(id, column) in &tie_columns {
                let Some(c) = plan.criteria.iter().position(|c| c.id == id) else { continue };
                r.criteria[c] = (0..n)
                    .map(|k| {
                        let src = part.source(k).unwrap_or(k);
                        let x = column.get(src);
                        let points = Points::round(x);
                        if points.as_f64() == x {
                            return Ok(points);
                        }
                        let field = Field::column(&format!("pts_{id}"));
                        Err(rows.error(
                            src,
                            plan.id(),
                            field,
                            text!("{x}不是精确到0.01分的分数", "{x} is not points in hundredths"),
                        ))
                    })
                    .collect::<Result<_>>()?;
            }
            schemes.push(r);
        }
        Ok((year, YearScores { schemes }))
    }
}

impl Program {
    /// One report of a columnar year scored on its own, as `Program::score` scores it (for
    /// `Program::explain`): the report of `org_id` under `scheme` for `period` (or for its only
    /// period).
    pub fn score_in_year(
        &self,
        year: &YearColumns,
        org_id: &str,
        scheme: &str,
        period: Option<Period>,
    ) -> Result<Scored> {
        year.check_program(self)?;
        let plan = self.plan(scheme)?;
        let p = self.plans().iter().position(|q| q.id == plan.id).unwrap_or_default();
        let rows = &year.schemes()[p];
        let fail = |m: Text| Error::input(org_id, scheme, Field::column("org_id"), m);
        let org = year.organizations().find(org_id).ok_or_else(|| fail(crate::data::year::not_listed()))?;
        // Rows are sorted by organization, then period.
        let from = rows.first_row_of(org);
        let mine: Vec<usize> = (from..rows.rows()).take_while(|&r| rows.org(r) == org).collect();
        let row = match period {
            Some(period) => mine.into_iter().find(|&r| rows.period(r) == period),
            None if mine.len() > 1 => {
                return Err(fail(text!(
                    "本年度填报了多个期间，请指明期间",
                    "reported for several periods; give the period"
                )));
            }
            None => mine.first().copied(),
        };
        let row =
            row.ok_or_else(|| fail(text!("本年度在该方案下没有填报", "no report under this scheme in this year")))?;
        Ok(scored(plan, org_id, rows.period(row), rows.row(row)))
    }
}

/// A report's input row scored as `Program::score` scores it.
fn scored(plan: &Plan, org_id: &str, period: Period, x: Vec<f64>) -> Scored {
    let mut crit = vec![Points::ZERO; plan.sheets.len() * plan.criteria.len()];
    let row = plan.score_row(&x, &mut crit);
    Scored { org_id: org_id.to_string(), scheme: plan.id.clone(), period, x, crit, row }
}

/// Where a result sits in a columnar year.
#[derive(Clone, Copy, Debug)]
pub struct YearRow<'a> {
    /// The year.
    pub year: &'a YearColumns,
    /// The organization's index in `YearColumns::organizations`.
    pub org: usize,
    /// The scheme's index in the program.
    pub scheme: usize,
    /// The row's index among the scheme's rows.
    pub row: usize,
}

/// One report of a scored columnar year, read in place: what the decisions read, and its full
/// explanation on demand (`Program::explain(&row.scored())`).
#[derive(Clone, Copy, Debug)]
pub struct ScoredRow<'a> {
    year: &'a YearColumns,
    scores: &'a YearScores,
    plan: &'a Plan,
    /// The scheme's index in the program, and the row's in its scheme (4 bytes each: a country's
    /// year holds millions of these views).
    p: u32,
    row: u32,
}

impl ScoredRow<'_> {
    #[inline]
    fn result(&self) -> &BulkResult {
        &self.scores.schemes[self.p as usize]
    }

    #[inline]
    fn org(&self) -> usize {
        self.year.schemes()[self.p as usize].org(self.row as usize)
    }

    /// The report's input row, in `Plan::slots` order.
    pub fn input(&self) -> Vec<f64> {
        self.year.schemes()[self.p as usize].row(self.row as usize)
    }

    /// The report scored as `Program::score` scores it, for `Program::explain`.
    pub fn scored(&self) -> Scored {
        scored(self.plan, self.org_id(), self.period(), self.input())
    }

    fn reasons(&self, triggers: &[crate::scoring::plan::TriggerPlan], verdict: Verdict) -> Vec<String> {
        // Only the triggers' own cells are read.
        let rows = &self.year.schemes()[self.p as usize];
        let fired =
            triggers.iter().map(|t| (t, rows.value(self.row as usize, t.slot))).filter(|(t, x)| t.test.holds(*x));
        fired.map(|(t, x)| hit_reason(self.plan, t, x, verdict)).collect()
    }
}

impl Assessed for ScoredRow<'_> {
    #[inline]
    fn org_id(&self) -> &str {
        self.year.organizations().id(self.org())
    }
    #[inline]
    fn scheme(&self) -> &str {
        &self.plan.id
    }
    #[inline]
    fn period(&self) -> Period {
        self.year.schemes()[self.p as usize].period(self.row as usize)
    }
    #[inline]
    fn score(&self) -> Points {
        self.result().score[self.row as usize]
    }
    #[inline]
    fn stars(&self) -> Option<Stars> {
        Stars::new(self.result().stars[self.row as usize])
    }
    #[inline]
    fn standing(&self) -> Option<Standing> {
        Standing::from_code(self.result().standing[self.row as usize])
    }
    #[inline]
    fn vetoed(&self) -> bool {
        self.result().vetoed[self.row as usize]
    }
    #[inline]
    fn is_weak_lax(&self) -> bool {
        self.result().weak_lax[self.row as usize]
    }
    fn veto_reasons(&self, _: &Program) -> Result<Vec<String>> {
        Ok(self.reasons(&self.plan.vetoes, Verdict::Vetoed))
    }
    fn weak_lax_reasons(&self, _: &Program) -> Result<Vec<String>> {
        Ok(self.reasons(&self.plan.weak_lax, Verdict::WeakLax))
    }
    fn points_of(&self, _: &Program, criterion: &str) -> Result<Points> {
        // The columns kept first: the tie-break criteria, which the decisions read for millions.
        let mut kept = self.result().criteria.iter().enumerate().filter(|(_, column)| !column.is_empty());
        if let Some((_, column)) = kept.find(|&(c, _)| self.plan.criteria[c].id == criterion) {
            return Ok(column[self.row as usize]);
        }
        let Some(c) = self.plan.criteria.iter().position(|c| c.id == criterion) else { return Ok(Points::ZERO) };
        Ok(self.plan.criterion_blend(c, &self.scored().crit))
    }
    #[inline]
    fn in_year(&self) -> Option<YearRow<'_>> {
        Some(YearRow { year: self.year, org: self.org(), scheme: self.p as usize, row: self.row as usize })
    }
    fn weak_lax_fired(&self, fired: &mut Vec<(usize, f64)>) -> Option<&Plan> {
        let rows = &self.year.schemes()[self.p as usize];
        let cells = self.plan.weak_lax.iter().enumerate().map(|(i, t)| (i, t, rows.value(self.row as usize, t.slot)));
        fired.clear();
        fired.extend(cells.filter(|(_, t, x)| t.test.holds(*x)).map(|(i, _, x)| (i, x)));
        Some(self.plan)
    }
}

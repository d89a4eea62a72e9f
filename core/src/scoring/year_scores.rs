//! A columnar year scored: each scheme's totals, bands and flags as columns (each criterion's
//! points too, if asked), read in place by the decisions, and any one report explained on demand
//! exactly as `Program::evaluate` explains it.

use crate::data::model::{Period, Standing, Stars};
use crate::data::year_columns::YearColumns;
use crate::error::Result;
use crate::rules::program::Program;
use crate::scoring::bulk::BulkResult;
use crate::scoring::evaluate::{Assessed, Scored, hit};
use crate::scoring::plan::Plan;
use crate::scoring::points::Points;
use crate::scoring::table::Options;

/// The results of a columnar year: one [`BulkResult`] per scheme, row for row with
/// [`YearColumns::schemes`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearScores {
    schemes: Vec<BulkResult>,
}

impl YearScores {
    /// Each scheme's results, in program order.
    pub fn schemes(&self) -> &[BulkResult] {
        &self.schemes
    }

    /// Every report's result, in `Program::evaluate_year`'s order: scheme (program order), then
    /// organization id, then period.
    pub fn rows<'a>(&'a self, program: &'a Program, year: &'a YearColumns) -> Vec<ScoredRow<'a>> {
        let mut out = Vec::with_capacity(year.reports());
        for (p, (plan, result)) in program.plans().iter().zip(&self.schemes).enumerate() {
            out.extend((0..result.score.len()).map(|row| ScoredRow { year, scores: self, plan, p, row }));
        }
        out
    }
}

impl Program {
    /// Scores every report of a columnar year with the column kernels, across `options.threads`
    /// threads, keeping each criterion's points if `options.points`. The results never depend on
    /// the thread count, and equal the single evaluation's.
    pub fn score_year_columns(&self, year: &YearColumns, options: Options) -> Result<YearScores> {
        year.check_program(self)?;
        let orgs = year.organizations();
        let mut schemes = Vec::with_capacity(self.plans().len());
        for (plan, rows) in self.plans().iter().zip(year.schemes()) {
            let mut r = BulkResult::new(rows.rows(), if options.points { plan.criteria.len() } else { 0 });
            let id_of = |row: usize| orgs.id(rows.org(row)).to_string();
            plan.evaluate_columns_into(&rows.columns(), &id_of, r.out(), options.threads)?;
            schemes.push(r);
        }
        Ok(YearScores { schemes })
    }
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
}

/// One report of a scored columnar year, read in place: what the decisions read, and its full
/// explanation on demand (`Program::explain(&row.scored())`).
#[derive(Clone, Copy, Debug)]
pub struct ScoredRow<'a> {
    year: &'a YearColumns,
    scores: &'a YearScores,
    plan: &'a Plan,
    /// The scheme's index in the program, and the row's in its scheme.
    p: usize,
    row: usize,
}

impl ScoredRow<'_> {
    fn result(&self) -> &BulkResult {
        &self.scores.schemes[self.p]
    }

    fn org(&self) -> usize {
        self.year.schemes()[self.p].org(self.row)
    }

    /// The report's input row, in `Plan::slots` order.
    pub fn input(&self) -> Vec<f64> {
        self.year.schemes()[self.p].row(self.row)
    }

    /// The report scored as `Program::score` scores it, for `Program::explain`.
    pub fn scored(&self) -> Scored {
        let x = self.input();
        let mut crit = vec![Points::ZERO; self.plan.sheets.len() * self.plan.criteria.len()];
        let row = self.plan.score_row(&x, &mut crit);
        Scored { org_id: self.org_id().to_string(), scheme: self.plan.id.clone(), period: self.period(), x, crit, row }
    }

    fn reasons(&self, triggers: &[crate::scoring::plan::TriggerPlan], verdict: &str) -> Vec<String> {
        let x = self.input();
        triggers.iter().filter(|t| t.hit(&x)).map(|t| hit(self.plan, t, &x, verdict).reason).collect()
    }
}

impl Assessed for ScoredRow<'_> {
    fn org_id(&self) -> &str {
        self.year.organizations().id(self.org())
    }
    fn scheme(&self) -> &str {
        &self.plan.id
    }
    fn period(&self) -> Period {
        self.year.schemes()[self.p].period(self.row)
    }
    fn score(&self) -> Points {
        self.result().score[self.row]
    }
    fn stars(&self) -> Option<Stars> {
        Stars::new(self.result().stars[self.row])
    }
    fn standing(&self) -> Option<Standing> {
        Standing::from_code(self.result().standing[self.row])
    }
    fn vetoed(&self) -> bool {
        self.result().vetoed[self.row]
    }
    fn is_weak_lax(&self) -> bool {
        self.result().weak_lax[self.row]
    }
    fn veto_reasons(&self, _: &Program) -> Result<Vec<String>> {
        Ok(self.reasons(&self.plan.vetoes, "vetoed"))
    }
    fn weak_lax_reasons(&self, _: &Program) -> Result<Vec<String>> {
        Ok(self.reasons(&self.plan.weak_lax, "weak and lax"))
    }
    fn points_of(&self, _: &Program, criterion: &str) -> Result<Points> {
        let Some(c) = self.plan.criteria.iter().position(|c| c.id == criterion) else { return Ok(Points::ZERO) };
        Ok(match self.result().criteria.get(c) {
            Some(column) => column[self.row],
            None => self.plan.criterion_blend(c, &self.scored().crit),
        })
    }
    fn in_year(&self) -> Option<YearRow<'_>> {
        Some(YearRow { year: self.year, org: self.org(), scheme: self.p })
    }
}

//! One report's values laid into its scheme's input row, every key and value checked: the one
//! bridge from a `Report`, or a flat row a binding reads key by key, to scoring.

use crate::data::model::{Event, Period, Report};
use crate::error::{Error, Field, Result};
use crate::rules::language::{Text, text};
use crate::rules::program::Program;
use crate::scoring::evaluate::Scored;
use crate::scoring::plan::{Plan, Source};
use crate::scoring::points::Points;

/// A report's input row being filled: values, assessors' values and events in any order, then
/// `finish` (the row) or `score`. An indicator the scheme does not read is accepted and ignored.
///
/// ```
/// use exemplar::{Period, Program};
/// let program = Program::default();
/// let mut row = program.row_input("v001", "relocation_follow_up", Period::year(2023)?)?;
/// let err = row.flat("no_such_indicator", 1.0).unwrap_err();
/// assert!(err.to_string().contains("unknown indicator"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RowInput<'p> {
    program: &'p Program,
    plan: &'p Plan,
    org_id: String,
    period: Period,
    x: Vec<f64>,
}

impl Program {
    /// Starts the input row of `org_id`'s report for `period` under `scheme`.
    pub fn row_input(&self, org_id: &str, scheme: &str, period: Period) -> Result<RowInput<'_>> {
        let plan = self
            .plan(scheme)
            .map_err(|_| Error::input(org_id, scheme, Field::column("scheme"), self.unknown_scheme()))?;
        // An event nobody recorded counted 0; an indicator nobody reported is missing (NaN).
        let x = plan.slots.iter().map(|s| if s.is_event() { 0.0 } else { f64::NAN }).collect();
        Ok(RowInput { program: self, plan, org_id: org_id.to_string(), period, x })
    }

    /// A report's input row: its values, then its assessors' values, then its events.
    pub(crate) fn report_input(&self, r: &Report) -> Result<RowInput<'_>> {
        let mut input = self.row_input(&r.org_id, &r.scheme, r.period)?;
        for (id, &v) in &r.values {
            input.value(id, v)?;
        }
        for (role, values) in &r.assessments {
            input.assessor(role)?;
            for (id, &v) in values {
                input.assessed(role, id, v)?;
            }
        }
        for e in &r.events {
            input.event(e)?;
        }
        Ok(input)
    }

    /// A report as one row of its scheme's input slots (`Plan::slots` order, NaN where absent),
    /// every value checked: the bridge from reports to bulk evaluation.
    pub fn report_row(&self, report: &Report) -> Result<Vec<f64>> {
        self.report_input(report)?.finish()
    }
}

impl RowInput<'_> {
    fn err(&self, field: Field, message: Text) -> Error {
        Error::input(&self.org_id, &self.plan.id, field, message)
    }

    fn set(&mut self, slot: usize, v: f64) -> Result<()> {
        if v.is_nan() {
            return Err(self.err(self.plan.slots[slot].field.clone(), text!("NaN不是数值", "NaN is not a value")));
        }
        self.x[slot] = v;
        Ok(())
    }

    /// An indicator's value, as one assessor or the only one reports it.
    pub fn value(&mut self, id: &str, v: f64) -> Result<()> {
        match self.plan.slot_named(id) {
            Some(slot) => self.set(slot, v),
            None if self.program.indicator(id).is_some() => Ok(()),
            None => Err(self.err(Field::indicator(id), text!("未知指标", "unknown indicator"))),
        }
    }

    fn assessor(&self, role: &str) -> Result<()> {
        match self.plan.sheets.iter().any(|s| s.role.as_deref() == Some(role)) {
            true => Ok(()),
            false => Err(self.err(
                Field::Assessor(role.to_string()),
                text!("本方案没有该考核方", "this scheme has no such assessor"),
            )),
        }
    }

    /// An indicator's value as the assessor `role` of a blended scheme reports it.
    pub fn assessed(&mut self, role: &str, id: &str, v: f64) -> Result<()> {
        self.assessor(role)?;
        let field = Field::Indicator { role: Some(role.to_string()), id: id.to_string() };
        match self.plan.slot_named(&field.to_string()) {
            Some(slot) => self.set(slot, v),
            None if self.program.indicator(id).is_some() => Ok(()),
            None => Err(self.err(field, text!("未知指标", "unknown indicator"))),
        }
    }

    /// A value under a flat row's column name: an indicator, or `role.indicator` for an
    /// assessor's.
    pub fn flat(&mut self, key: &str, v: f64) -> Result<()> {
        if let Some(slot) = self.plan.slot_named(key) {
            return self.set(slot, v);
        }
        match key.split_once('.') {
            Some((role, id)) => self.assessed(role, id, v),
            None => self.value(key, v),
        }
    }

    /// One event: a kind the program declares, dated (if at all) within the report's period.
    pub fn event(&mut self, e: &Event) -> Result<()> {
        let Some(k) = self.program.file().events.iter().position(|d| d.id == e.kind) else {
            return Err(self.err(Field::Event(e.kind.clone()), text!("未知事件类型", "unknown event kind")));
        };
        if let Some(d) = e.date.filter(|d| !self.period.contains(*d)) {
            let p = self.period;
            return Err(self
                .err(Field::Event(e.kind.clone()), text!("日期{d}不在评价期{p}内", "dated {d}, outside period {p}")));
        }
        if let Some(slot) = self.plan.slots.iter().position(|s| s.source == Source::Event(k)) {
            self.x[slot] += 1.0;
        }
        Ok(())
    }

    fn check(&self) -> Result<()> {
        for (i, &v) in self.x.iter().enumerate() {
            self.plan.check_value(i, v).map_err(|m| self.err(self.plan.slots[i].field.clone(), m.text()))?;
        }
        Ok(())
    }

    /// The row in `Plan::slots` order (NaN where absent), every slot checked in that order.
    pub fn finish(self) -> Result<Vec<f64>> {
        self.check()?;
        Ok(self.x)
    }

    /// The row checked and scored; `Program::explain` words it.
    pub fn score(self) -> Result<Scored> {
        self.check()?;
        let RowInput { plan, org_id, period, x, .. } = self;
        let mut crit = vec![Points::ZERO; plan.sheets.len() * plan.criteria.len()];
        let row = plan.score_row(&x, &mut crit);
        Ok(Scored { org_id, scheme: plan.id.clone(), period, x, crit, row })
    }
}

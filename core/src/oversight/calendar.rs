//! Working days: weekends off, public holidays off, make-up working days (调休) on, all as data.
//! Shared by the title procedure's public notice and the oversight schedules.

use crate::data::model::parse_date;
use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A day is a holiday or a make-up working day, never both: however a calendar is made (from
/// JSON, from Python, in a C request), it is checked as it is read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Days")]
pub struct Calendar {
    /// Days off that would otherwise be working days (国庆, 春节 …).
    holidays: BTreeSet<NaiveDate>,
    /// Weekend days worked to make up for a holiday (调休上班).
    workdays: BTreeSet<NaiveDate>,
}

/// A calendar as written, before the check.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Days {
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

impl TryFrom<Days> for Calendar {
    type Error = String;
    fn try_from(d: Days) -> Result<Calendar, String> {
        let dates = |v: Vec<String>| v.iter().map(|t| parse_date(t)).collect::<Result<BTreeSet<_>, _>>();
        Calendar::new(dates(d.holidays)?, dates(d.workdays)?)
    }
}

impl Calendar {
    /// A calendar of holidays and make-up working days; no day may be both.
    pub fn new(holidays: BTreeSet<NaiveDate>, workdays: BTreeSet<NaiveDate>) -> Result<Calendar, String> {
        if let Some(d) = holidays.intersection(&workdays).next() {
            return Err(format!("{d} is both a holiday and a make-up working day"));
        }
        Ok(Calendar { holidays, workdays })
    }

    /// `{"holidays": ["2023-10-02", …], "workdays": ["2023-10-07", …]}`
    pub fn from_json(text: &str) -> Result<Calendar> {
        serde_json::from_str(text).map_err(|e| Error::Data {
            source_name: "calendar".into(),
            line: Some(e.line() as u64),
            message: crate::rules::language::Text::parser(&e),
        })
    }

    /// Days off, weekends aside.
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// Weekend days that are working days (调休).
    pub fn workdays(&self) -> &BTreeSet<NaiveDate> {
        &self.workdays
    }

    /// Whether a date is a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }

    /// The `n`-th working day counting from `start` (itself included when it is one); `start`
    /// for `n == 0`. Stops at the last date chrono can represent.
    pub fn nth_working_day(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        loop {
            if left > 0 && self.is_working_day(d) {
                left -= 1;
            }
            if left == 0 {
                return d;
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => return d,
            }
        }
    }

    /// Working days in `from ..= to`.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days().take_while(|d| *d <= to).filter(|d| self.is_working_day(*d)).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn five_working_days_across_a_weekend() {
        // Thu 2023-06-29 start: Thu, Fri, (Sat, Sun), Mon, Tue, Wed → ends Wed 2023-07-05.
        let c = Calendar::default();
        assert_eq!(c.nth_working_day(d("2023-06-29"), 5), d("2023-07-05"));
        // Starting on a Saturday, the first working day is Monday.
        assert_eq!(c.nth_working_day(d("2023-07-01"), 1), d("2023-07-03"));
        assert_eq!(c.nth_working_day(d("2023-07-01"), 0), d("2023-07-01"));
        assert_eq!(c.working_days(d("2023-06-29"), d("2023-07-05")), 5);
    }

    #[test]
    fn holidays_and_make_up_days() {
        // National Day 2023: Sep 29 – Oct 6 off; Sat Oct 7 and Sun Oct 8 worked.
        let c = Calendar::from_json(
            r#"{"holidays": ["2023-09-29","2023-10-02","2023-10-03","2023-10-04","2023-10-05","2023-10-06"],
                "workdays": ["2023-10-07","2023-10-08"]}"#,
        )
        .unwrap();
        // From Thu Sep 28: Sep 28 (1), then off until Sat Oct 7 (2), Sun Oct 8 (3), Mon 9 (4), Tue 10 (5).
        assert_eq!(c.nth_working_day(d("2023-09-28"), 5), d("2023-10-10"));
        assert!(Calendar::from_json(r#"{"holidays": ["2023-10-07"], "workdays": ["2023-10-07"]}"#).is_err());
        assert!(Calendar::from_json(r#"{"holiday": []}"#).is_err());
    }
}

//! Due dates: the windows of a cadence (months, quarters, half-years, the year) within a period,
//! task deadlines, and the rule that a deadline on a day off moves to the next working day.

use crate::data::model::Period;
use crate::oversight::calendar::Calendar;
use crate::rules::policy::Every;
use crate::rules::rubric::MonthDay;
use chrono::{Datelike, NaiveDate};

/// One window of a cadence: something is due between `start` and `due`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The first day of the window.
    pub start: NaiveDate,
    /// The window's last calendar day.
    pub end: NaiveDate,
    /// The deadline: `day` of the window's last month (or its last day), on a working day.
    pub due: NaiveDate,
}

/// The first working day on or after `d`.
pub fn roll(cal: &Calendar, d: NaiveDate) -> NaiveDate {
    cal.nth_working_day(d, 1)
}

fn months(every: Every) -> u32 {
    match every {
        Every::Month => 1,
        Every::Quarter => 3,
        Every::HalfYear => 6,
        Every::Year => 12,
    }
}

fn last_day(year: i32, month: u32) -> NaiveDate {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    next.and_then(|d| d.pred_opt()).expect("months are 1..=12 within chrono's range")
}

/// The calendar-aligned windows of `every` that lie inside `period`, in order.
pub fn windows(period: Period, every: Every, day: Option<u32>, cal: &Calendar) -> Vec<Window> {
    let (first, last) = period.days();
    let step = months(every);
    let mut out = Vec::new();
    let mut m0 = 1;
    while m0 <= 12 {
        let m1 = m0 + step - 1;
        let start = NaiveDate::from_ymd_opt(period.year_number(), m0, 1).expect("aligned windows start on the 1st");
        let end = last_day(period.year_number(), m1);
        if start >= first && end <= last {
            let deadline = match day {
                Some(d) => NaiveDate::from_ymd_opt(period.year_number(), m1, d.min(end.day())).unwrap_or(end),
                None => end,
            };
            out.push(Window { start, end, due: roll(cal, deadline) });
        }
        m0 += step;
    }
    out
}

/// A task's deadline in `year`, moved to the next working day: 02-29 falls on 02-28 in common
/// years.
pub fn task_due(year: i32, due: MonthDay, cal: &Calendar) -> Option<NaiveDate> {
    Some(roll(cal, due.in_year(year)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn oversight_windows_of_a_year_quarter_and_leap_february() {
        let cal = Calendar::default();
        let y = Period::year(2024).unwrap();
        let m = windows(y, Every::Month, None, &cal);
        assert_eq!(m.len(), 12);
        // 2024 is a leap year: February ends on Thu the 29th.
        assert_eq!((m[1].end, m[1].due), (d("2024-02-29"), d("2024-02-29")));
        // 2024-03-31 is a Sunday: March's dispatch is due Monday 04-01.
        assert_eq!(m[2].due, d("2024-04-01"));
        assert_eq!(windows(y, Every::Quarter, None, &cal).len(), 4);
        assert_eq!(windows(y, Every::HalfYear, None, &cal).len(), 2);
        let q2 = windows("2024-Q2".parse().unwrap(), Every::Month, Some(25), &cal);
        // Day 25 of April (Thu), May (Sat → Mon 27th), June (Tue).
        assert_eq!(q2.iter().map(|w| w.due).collect::<Vec<_>>(), [d("2024-04-25"), d("2024-05-27"), d("2024-06-25")]);
        assert!(windows("2024-05".parse().unwrap(), Every::Quarter, None, &cal).is_empty());
        assert_eq!(task_due(2023, "02-29".parse().unwrap(), &cal), Some(d("2023-02-28")));
        assert_eq!(task_due(2024, "02-29".parse().unwrap(), &cal), Some(d("2024-02-29")));
    }
}

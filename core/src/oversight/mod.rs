//! The oversight rhythm: working-day calendars, the windows and due dates of each cadence, and
//! the status of what is due, done, late and overdue as of any date.

pub mod calendar;
pub mod schedule;
pub mod status;

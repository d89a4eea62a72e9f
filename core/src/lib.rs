//! exemplar: the exact, explainable rules of "one belt, five zones" (一带五区) style programs —
//! score sheets and evaluation (single and bulk), gap analysis, selection, rewards to the fen,
//! weak-and-lax rectification, titles, year over year, and the oversight rhythm.
//!
//! ```
//! use exemplar::{Program, Report, Period};
//! let program = Program::default();
//! let report = Report::new("v001", "relocation_follow_up", Period::year(2023).unwrap());
//! // A report with no values is an error under the default `missing = "error"` policy.
//! assert!(program.evaluate(&report).is_err());
//! ```
#![forbid(unsafe_code)]

pub mod allocate;
pub mod bulk;
pub mod calendar;
pub mod error;
pub mod evaluate;
pub mod gap;
pub mod history;
pub mod limits;
pub mod model;
pub mod money;
pub mod oversight;
pub mod plan;
pub mod points;
pub mod policy;
pub mod program;
pub mod rectify;
pub mod reward;
pub mod rubric;
pub mod sample;
pub mod schedule;
pub mod select;
pub mod table;
pub mod title;
mod validate;
pub mod year;

pub use bulk::{BulkOut, BulkResult};
pub use error::{Error, Problem, Result, Row};
pub use evaluate::{CriterionScore, Evaluation, Hit, SectionScore, Sheet};
pub use gap::{Gap, GapItem};
pub use model::{Event, OrgForm, Organization, Period, ProgramArea, Report, Sector, Standing, Stars};
pub use plan::Plan;
pub use points::Points;
pub use program::Program;
pub use table::{Table, TableResult, TextColumn};
pub use year::Year;

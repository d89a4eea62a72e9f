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
#![deny(missing_docs)]

pub mod data;
pub mod decisions;
pub mod documents;
pub mod error;
pub mod oversight;
pub mod rules;
pub mod sample;
pub mod scoring;

pub use data::model::{Event, OrgForm, Organization, Period, ProgramArea, Report, Sector, Standing, Stars};
pub use data::year::Year;
pub use data::year_columns::YearColumns;
pub use error::{Error, Field, Problem, Result, Row};
pub use rules::language::{Language, Text};
pub use rules::program::Program;
pub use scoring::bulk::{BulkOut, BulkResult};
pub use scoring::evaluate::{Assessed, CriterionScore, Evaluation, Hit, Scored, SectionScore, Sheet};
pub use scoring::gap::{Gap, GapItem};
pub use scoring::plan::Plan;
pub use scoring::points::{Points, PointsOut};
pub use scoring::row_input::RowInput;
pub use scoring::table::{Options, PointsCell, Table, TableResult, TextColumn};
pub use scoring::year_scores::{ScoredRow, YearScores};

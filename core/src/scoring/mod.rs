//! Scoring: the compiled plan of a scheme (where criteria, vetoes, deductions and bands are
//! applied), the one rounding rule, explained single evaluation, columnar and table evaluation,
//! and gap analysis.

pub mod bulk;
#[cfg(test)]
mod equivalence;
pub mod evaluate;
pub mod gap;
mod kernels;
pub mod plan;
pub mod points;
pub mod reweigh;
pub mod row_input;
pub mod table;
pub mod year_scores;

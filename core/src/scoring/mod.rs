//! Scoring: the compiled plan of a scheme (where criteria, vetoes, deductions and bands are
//! applied), the one rounding rule, explained single evaluation, columnar and table evaluation,
//! and gap analysis.

pub mod bulk;
pub mod evaluate;
pub mod gap;
pub mod plan;
pub mod points;
pub mod table;

//! What officials read: a year's results as one value (evaluations, the weak and lax, the named
//! exemplars, the awards), the annual workbook (Excel) and the public notice (公示), in the
//! program's language.

#[cfg(feature = "xlsx")]
pub mod annual_workbook;
pub mod notice;

use crate::data::year::Year;
use crate::decisions::allocate::Allocation;
use crate::decisions::rectify::Designation;
use crate::decisions::select::{Exclusions, Selection};
use crate::error::Result;
use crate::rules::program::Program;
use crate::scoring::evaluate::Evaluation;

/// A year's results, as the annual review reaches them.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnualReview {
    /// Every report evaluated and explained, by scheme then organization.
    pub evaluations: Vec<Evaluation>,
    /// The weak and lax, each with its reasons.
    pub designations: Vec<Designation>,
    /// The named exemplars (the weak and lax excluded), with the waiting list and the reasons.
    pub selection: Selection,
    /// The reward pool paid to the named.
    pub allocation: Allocation,
}

impl Program {
    /// The annual review of a year: evaluate every report, designate the weak and lax, name the
    /// exemplars (excluding the designated), and pay the reward pool.
    ///
    /// ```
    /// let program = exemplar::Program::default();
    /// let year = exemplar::sample::sample_year(&program, Some(200), 1, 2023)?;
    /// let review = program.annual_review(&year)?;
    /// assert_eq!(review.allocation.paid_fen.0 + review.allocation.rest_fen.0, review.allocation.pool_fen.0);
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn annual_review(&self, year: &Year) -> Result<AnnualReview> {
        let evaluations = self.evaluate_year(year)?;
        let designations = self.designate(year, &evaluations)?;
        let selection =
            self.select(year, &evaluations, &Exclusions::from_designations(&designations, self.language()))?;
        let allocation = self.reward(&selection)?;
        Ok(AnnualReview { evaluations, designations, selection, allocation })
    }
}

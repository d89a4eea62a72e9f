//! Columnar evaluation for analysts' volumes: one `f64` column per input slot, N rows in,
//! one column per result out. No allocation and no string look-up per row.

use crate::error::{Error, Result, Row};
use crate::scoring::plan::{BadValue, Plan};
use crate::scoring::points::Points;

/// Results of a bulk evaluation, one entry per row (and one column per criterion).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BulkResult {
    /// Scores, in row order.
    pub score: Vec<Points>,
    /// 1 to 5; 0 where no star band applies.
    pub stars: Vec<u8>,
    /// `Standing::code`: 1 advanced … 4 lagging; 0 where no standing band applies.
    pub standing: Vec<u8>,
    /// Vetoed, in row order.
    pub vetoed: Vec<bool>,
    /// A weak-and-lax situation shows in the row (the county-ranking rule needs the whole year).
    pub weak_lax: Vec<bool>,
    /// `criteria[c][row]`: criterion `c`'s points (weighted across assessors), in
    /// `Plan::criterion_ids` order.
    pub criteria: Vec<Vec<Points>>,
}

/// Caller-owned output buffers, each `rows` long (`criteria`: `criteria × rows`, criterion-major).
pub struct BulkOut<'a> {
    /// Scores, one per row.
    pub score: &'a mut [Points],
    /// Stars (0 = unrated), one per row.
    pub stars: &'a mut [u8],
    /// Standing codes (0 = unrated), one per row.
    pub standing: &'a mut [u8],
    /// Vetoed, one per row.
    pub vetoed: &'a mut [bool],
    /// Weak and lax, one per row.
    pub weak_lax: &'a mut [bool],
    /// Criterion points, criterion-major: criterion `c` of row `r` at `c × rows + r`.
    pub criteria: &'a mut [Points],
}

impl Plan {
    /// Evaluates `rows` rows given as one column per slot, in `Plan::slots` order.
    ///
    /// A NaN cell is a missing value (how pandas and Arrow nulls arrive); the program's missing
    /// policy then decides between an error and a zero. `id_of(row)` names the organization in
    /// an error message and is called only then.
    ///
    /// ```
    /// let program = exemplar::Program::default();
    /// let plan = program.plan("relocation_follow_up")?;
    /// let columns = exemplar::sample::columns(&program, plan.id(), 3, 7)?;
    /// let views: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    /// let result = plan.evaluate_columns(&views, &|row| format!("row {row}"))?;
    /// assert_eq!(result.score.len(), 3);
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn evaluate_columns(&self, columns: &[&[f64]], id_of: &dyn Fn(usize) -> String) -> Result<BulkResult> {
        let rows = self.check_columns(columns)?;
        let nc = self.criteria.len();
        let mut r = BulkResult {
            score: vec![Points::ZERO; rows],
            stars: vec![0; rows],
            standing: vec![0; rows],
            vetoed: vec![false; rows],
            weak_lax: vec![false; rows],
            criteria: Vec::new(),
        };
        let mut flat = vec![Points::ZERO; nc * rows];
        self.evaluate_columns_into(
            columns,
            id_of,
            BulkOut {
                score: &mut r.score,
                stars: &mut r.stars,
                standing: &mut r.standing,
                vetoed: &mut r.vetoed,
                weak_lax: &mut r.weak_lax,
                criteria: &mut flat,
            },
        )?;
        r.criteria = flat.chunks(rows.max(1)).take(nc).map(|c| c.to_vec()).collect();
        if rows == 0 {
            r.criteria = vec![Vec::new(); nc];
        }
        Ok(r)
    }

    fn check_columns(&self, columns: &[&[f64]]) -> Result<usize> {
        if columns.len() != self.slots.len() {
            return Err(Error::Shape(format!(
                "scheme `{}` takes {} columns ({}), got {}",
                self.id,
                self.slots.len(),
                self.column_names().join(", "),
                columns.len()
            )));
        }
        let rows = columns.first().map_or(0, |c| c.len());
        if let Some((i, c)) = columns.iter().enumerate().find(|(_, c)| c.len() != rows) {
            return Err(Error::Shape(format!(
                "scheme `{}`: column `{}` has {} rows, column `{}` has {rows}",
                self.id,
                self.slots[i].name,
                c.len(),
                self.slots[0].name
            )));
        }
        Ok(rows)
    }

    /// As `evaluate_columns`, writing into buffers the caller owns.
    pub fn evaluate_columns_into(
        &self,
        columns: &[&[f64]],
        id_of: &dyn Fn(usize) -> String,
        out: BulkOut<'_>,
    ) -> Result<()> {
        self.score_columns(columns, out).map_err(|bad| match bad {
            BadCell::Shape(e) => e,
            BadCell::Cell { row, slot, bad } => {
                Error::input(&id_of(row), &self.id, self.slots[slot].field.clone(), bad.to_string())
                    .at_row(Row { index: row, label: row.to_string() })
            }
        })
    }

    /// Checks and scores every row; the first bad cell is returned with its row and slot.
    pub(super) fn score_columns(&self, columns: &[&[f64]], out: BulkOut<'_>) -> Result<(), BadCell> {
        let rows = self.check_columns(columns).map_err(BadCell::Shape)?;
        let nc = self.criteria.len();
        let lens = [out.score.len(), out.stars.len(), out.standing.len(), out.vetoed.len(), out.weak_lax.len()];
        if lens.iter().any(|&l| l != rows) || out.criteria.len() != nc * rows {
            return Err(BadCell::Shape(Error::Shape(format!(
                "scheme `{}`: output buffers must hold {rows} rows and {nc} × {rows} criterion points",
                self.id
            ))));
        }
        let mut x = vec![0.0; self.slots.len()];
        let mut crit = vec![Points::ZERO; self.sheets.len() * nc];
        for row in 0..rows {
            for (s, col) in columns.iter().enumerate() {
                let v = col[row];
                self.check_value(s, v).map_err(|bad| BadCell::Cell { row, slot: s, bad })?;
                x[s] = v;
            }
            let res = self.score_row(&x, &mut crit);
            out.score[row] = res.score;
            out.stars[row] = res.stars.map_or(0, |s| s.get());
            out.standing[row] = res.standing.map_or(0, |s| s.code());
            out.vetoed[row] = res.vetoed;
            out.weak_lax[row] = res.weak_lax;
            for c in 0..nc {
                out.criteria[c * rows + row] = self.criterion_blend(c, &crit);
            }
        }
        Ok(())
    }
}

/// Why a bulk evaluation stopped: the columns or buffers do not fit the plan, or one cell is bad.
pub(super) enum BadCell {
    Shape(Error),
    Cell { row: usize, slot: usize, bad: BadValue },
}

//! Columnar evaluation for analysts' volumes: one `f64` column per input slot, N rows in,
//! one column per result out, scored a block of rows at a time by the column kernels
//! (`kernels.rs`), optionally across threads.

use crate::data::model::{Standing, Stars};
use crate::error::{Error, Result, Row};
use crate::rules::language::text;
use crate::scoring::kernels::{self, Accepts};
use crate::scoring::plan::{BadValue, Plan};
use crate::scoring::points::{Points, PointsOut, whole_to_i64};

/// Results of a bulk evaluation, one entry per row (and one column per criterion).
///
/// `P` is how a criterion's points are stored, as in [`BulkOut`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BulkResult<P = Points> {
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
    /// `Plan::criterion_ids` order; a criterion whose points were not kept has an empty column.
    pub criteria: Vec<Vec<P>>,
}

impl<P: PointsOut> BulkResult<P> {
    /// Columns for `rows` rows and `criteria` points columns (0 for totals and bands only).
    pub fn new(rows: usize, criteria: usize) -> BulkResult<P> {
        BulkResult {
            score: vec![Points::ZERO; rows],
            stars: vec![0; rows],
            standing: vec![0; rows],
            vetoed: vec![false; rows],
            weak_lax: vec![false; rows],
            criteria: vec![vec![P::from_hundredths(0.0); rows]; criteria],
        }
    }

    /// The columns as buffers to evaluate into (and again, reusing them).
    pub fn out(&mut self) -> BulkOut<'_, P> {
        BulkOut {
            score: &mut self.score,
            stars: &mut self.stars,
            standing: &mut self.standing,
            vetoed: &mut self.vetoed,
            weak_lax: &mut self.weak_lax,
            criteria: self.criteria.iter_mut().map(Vec::as_mut_slice).collect(),
        }
    }
}

/// Output buffers the caller owns (and may reuse across calls), each `rows` long.
///
/// `P` is how a criterion's points are stored: exact [`Points`], or `f64` points for a frame.
pub struct BulkOut<'a, P = Points> {
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
    /// One column per criterion, in `Plan::criterion_ids` order; empty to skip the points, and an
    /// empty column to skip one criterion's.
    pub criteria: Vec<&'a mut [P]>,
}

impl<P> BulkOut<'_, P> {
    /// Splits the buffers at `row`: rows before it, and from it on.
    fn split_at(self, row: usize) -> (Self, Self) {
        let (score, score2) = self.score.split_at_mut(row);
        let (stars, stars2) = self.stars.split_at_mut(row);
        let (standing, standing2) = self.standing.split_at_mut(row);
        let (vetoed, vetoed2) = self.vetoed.split_at_mut(row);
        let (weak_lax, weak_lax2) = self.weak_lax.split_at_mut(row);
        let (criteria, criteria2) = self
            .criteria
            .into_iter()
            .map(|c| if c.is_empty() { c.split_at_mut(0) } else { c.split_at_mut(row) })
            .unzip();
        (
            BulkOut { score, stars, standing, vetoed, weak_lax, criteria },
            BulkOut {
                score: score2,
                stars: stars2,
                standing: standing2,
                vetoed: vetoed2,
                weak_lax: weak_lax2,
                criteria: criteria2,
            },
        )
    }
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
        let rows = self.check_columns(&whole(columns))?;
        let mut r = BulkResult::new(rows, self.criteria.len());
        self.evaluate_columns_into(columns, id_of, r.out(), 1)?;
        Ok(r)
    }

    fn check_columns(&self, columns: &[Strided<'_>]) -> Result<usize> {
        if columns.len() != self.slots.len() {
            let (id, want, names, got) = (&self.id, self.slots.len(), self.column_names().join(", "), columns.len());
            return Err(Error::Shape(text!(
                "方案`{id}`需要{want}列（{names}），实际给了{got}列",
                "scheme `{id}` takes {want} columns ({names}), got {got}"
            )));
        }
        let rows = columns.first().map_or(0, |c| c.rows());
        if let Some((i, c)) = columns.iter().enumerate().find(|(_, c)| c.rows() != rows) {
            let (id, name, n, first) = (&self.id, &self.slots[i].name, c.rows(), &self.slots[0].name);
            return Err(Error::Shape(text!(
                "方案`{id}`：`{name}`列有{n}行，`{first}`列有{rows}行",
                "scheme `{id}`: column `{name}` has {n} rows, column `{first}` has {rows}"
            )));
        }
        Ok(rows)
    }

    /// As `evaluate_columns`, writing into buffers the caller owns, with the rows split across
    /// `threads` threads (0: one per core; at most `limits::THREADS`). The results do not depend
    /// on the thread count. On an error the buffers hold partial results.
    pub fn evaluate_columns_into<P: PointsOut>(
        &self,
        columns: &[&[f64]],
        id_of: &dyn Fn(usize) -> String,
        out: BulkOut<'_, P>,
        threads: usize,
    ) -> Result<()> {
        self.score_columns(&whole(columns), out, threads).map_err(|bad| match bad {
            BadCell::Shape(e) => e,
            BadCell::Cell { row, slot, bad } => {
                Error::input(&id_of(row), &self.id, self.slots[slot].field.clone(), bad.text())
                    .at_row(Row { index: row, label: row.to_string() })
            }
        })
    }

    /// Checks and scores every row; the first bad cell (lowest row, then lowest slot) is returned.
    pub(super) fn score_columns<P: PointsOut>(
        &self,
        columns: &[Strided<'_>],
        out: BulkOut<'_, P>,
        threads: usize,
    ) -> Result<(), BadCell> {
        let rows = self.check_columns(columns).map_err(BadCell::Shape)?;
        let nc = self.criteria.len();
        let lens = [out.score.len(), out.stars.len(), out.standing.len(), out.vetoed.len(), out.weak_lax.len()];
        let points_ok = out.criteria.is_empty()
            || (out.criteria.len() == nc && out.criteria.iter().all(|c| c.len() == rows || c.is_empty()));
        if lens.iter().any(|&l| l != rows) || !points_ok {
            let id = &self.id;
            return Err(BadCell::Shape(Error::Shape(text!(
                "方案`{id}`：输出缓冲区须有{rows}行；分项得分缓冲区须为{nc}列、每列{rows}行（或为空），或不提供",
                "scheme `{id}`: output buffers must hold {rows} rows, and the points {nc} columns of {rows} rows (or empty) or none"
            ))));
        }
        let threads = match threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            t => t,
        }
        .min(crate::rules::limits::THREADS);
        // Whole blocks per thread, so every thread's rows start on a block boundary.
        let per = rows.div_ceil(threads).div_ceil(kernels::BLOCK) * kernels::BLOCK;
        if threads == 1 || rows <= kernels::BLOCK {
            return self.score_part(columns, 0, out);
        }
        std::thread::scope(|scope| {
            let mut parts = Vec::new();
            let mut rest = out;
            let mut start = 0;
            while start < rows {
                let len = per.min(rows - start);
                let (part, after) = rest.split_at(len);
                rest = after;
                let cols: Vec<Strided<'_>> = columns.iter().map(|c| c.part(start, len)).collect();
                parts.push(scope.spawn(move || self.score_part(&cols, start, part)));
                start += len;
            }
            // The first bad cell of the whole table is the first of the first part that has one.
            parts
                .into_iter()
                .map(|p| p.join().expect("a scoring thread does not panic"))
                .collect::<Result<Vec<()>, _>>()
        })?;
        Ok(())
    }

    /// Scores rows `first..first + rows` (the columns and buffers hold just those rows), a block
    /// at a time.
    fn score_part<P: PointsOut>(
        &self,
        columns: &[Strided<'_>],
        first: usize,
        out: BulkOut<'_, P>,
    ) -> Result<(), BadCell> {
        let accepts: Vec<Accepts> = (0..self.slots.len()).map(|s| Accepts::of(self, s)).collect();
        let mut scratch = Scratch::new(self.sheets.len());
        let mut gathered: Vec<Vec<f64>> =
            columns.iter().map(|c| if c.stride == 1 { Vec::new() } else { vec![0.0; kernels::BLOCK] }).collect();
        let rows = out.score.len();
        let mut out = out;
        let mut at = 0;
        while at < rows {
            let len = kernels::BLOCK.min(rows - at);
            let block: Vec<&[f64]> = columns.iter().zip(&mut gathered).map(|(c, buf)| c.block(at, len, buf)).collect();
            self.check_block(&accepts, &block).map_err(|(row, slot, bad)| BadCell::Cell {
                row: first + at + row,
                slot,
                bad,
            })?;
            let (head, tail) = out.split_at(len);
            self.score_block(&block, &mut scratch, head);
            out = tail;
            at += len;
        }
        Ok(())
    }

    /// The first bad cell of a block, by row and then slot, as the row-by-row check finds it.
    fn check_block(&self, accepts: &[Accepts], block: &[&[f64]]) -> Result<(), (usize, usize, BadValue)> {
        let mut first: Option<(usize, usize, BadValue)> = None;
        for (s, col) in block.iter().enumerate() {
            if accepts[s].all(col) {
                continue;
            }
            if let Some((row, bad)) = kernels::first_bad(self, s, col)
                && first.is_none_or(|(r, _, _)| row < r)
            {
                first = Some((row, s, bad));
            }
        }
        first.map_or(Ok(()), Err)
    }

    /// Scores one checked block into the buffers (each the block's length). Points are whole
    /// hundredths held in floats, exact, so sums and caps run in vector registers.
    fn score_block<P: PointsOut>(&self, x: &[&[f64]], s: &mut Scratch, out: BulkOut<'_, P>) {
        let len = out.score.len();
        let sheets = self.sheets.len();
        let blended = sheets > 1;
        for sheet in 0..sheets {
            s.section[sheet][..len].fill(0.0);
            s.total[sheet][..len].fill(0.0);
        }
        let points = &mut s.points[..len];
        let h = &mut s.h[..len];
        let mut criteria = out.criteria;
        let keep = !criteria.iter().all(|c| c.is_empty());
        for sec in &self.sections {
            for c in sec.criteria.clone() {
                let cp = &self.criteria[c];
                h.fill(0.0);
                for sheet in 0..sheets {
                    let [a, b] = cp.inputs[sheet];
                    kernels::criterion(&cp.kind, cp.max, cp.on_event, x[a], x[b], points);
                    let section = &mut s.section[sheet][..len];
                    match criteria.get_mut(c) {
                        Some(column) if !blended && !column.is_empty() => {
                            kernels::add_and_store(points, section, column)
                        }
                        _ => kernels::add(points, section),
                    }
                    if blended && keep {
                        kernels::blend(points, self.sheets[sheet].weight, h);
                    }
                }
                if let (true, Some(column)) = (blended, criteria.get_mut(c).filter(|c| !c.is_empty())) {
                    kernels::round_blend(h);
                    kernels::store(h, column);
                }
            }
            for sheet in 0..sheets {
                kernels::close_section(&mut s.section[sheet][..len], sec.max, &mut s.total[sheet][..len]);
            }
        }
        // The score: the sheets' blend, less direct deductions, floored at zero.
        let score = &mut s.score[..len];
        if blended {
            score.fill(0.0);
            for sheet in 0..sheets {
                kernels::blend(&s.total[sheet][..len], self.sheets[sheet].weight, score);
            }
            kernels::round_blend(score);
        } else {
            score.copy_from_slice(&s.total[0][..len]);
        }
        if !self.deductions.is_empty() {
            let deductions: Vec<(Points, &[f64])> = self.deductions.iter().map(|d| (d.points, x[d.slot])).collect();
            kernels::deduct(&deductions, score);
        }
        for (o, &t) in out.score.iter_mut().zip(score.iter()) {
            *o = Points(whole_to_i64(t));
        }
        out.vetoed.fill(false);
        for v in &self.vetoes {
            kernels::trigger(v.test, x[v.slot], out.vetoed);
        }
        out.weak_lax.fill(false);
        for t in &self.weak_lax {
            kernels::trigger(t.test, x[t.slot], out.weak_lax);
        }
        let ok = &mut s.ok[..len];
        kernels::bands(&self.stars, Stars::get, score, x, ok, out.stars);
        kernels::vetoed_band(out.vetoed, self.vetoed_stars.map_or(0, Stars::get), out.stars);
        kernels::bands(&self.standings, Standing::code, score, x, ok, out.standing);
        kernels::vetoed_band(out.vetoed, self.vetoed_standing.map_or(0, Standing::code), out.standing);
    }
}

/// An input column: `rows` values at `data[offset]`, `data[offset + stride]`, …; a plain slice
/// has stride 1, a column of a row-major matrix (a C `double[n][k]`, a numpy C-order 2-d array)
/// the matrix's width.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Strided<'a> {
    pub data: &'a [f64],
    pub offset: usize,
    pub stride: usize,
}

/// Plain slices as input columns.
fn whole<'a>(columns: &[&'a [f64]]) -> Vec<Strided<'a>> {
    columns.iter().map(|c| Strided::whole(c)).collect()
}

impl<'a> Strided<'a> {
    pub fn whole(data: &'a [f64]) -> Strided<'a> {
        Strided { data, offset: 0, stride: 1 }
    }

    /// How many rows the column has.
    pub fn rows(&self) -> usize {
        self.data.len().saturating_sub(self.offset).div_ceil(self.stride)
    }

    pub fn get(&self, row: usize) -> f64 {
        self.data[self.offset + row * self.stride]
    }

    /// Rows `start..start + len` (the last row ends the slice, so `rows()` is `len`).
    fn part(&self, start: usize, len: usize) -> Strided<'a> {
        let from = self.offset + start * self.stride;
        let to = if len == 0 { from } else { from + (len - 1) * self.stride + 1 };
        Strided { data: &self.data[from..to], offset: 0, stride: self.stride }
    }

    /// Rows `at..at + len` as a slice: the data itself, or gathered into `buf`.
    fn block<'b>(&self, at: usize, len: usize, buf: &'b mut [f64]) -> &'b [f64]
    where
        'a: 'b,
    {
        if self.stride == 1 {
            return &self.data[self.offset + at..self.offset + at + len];
        }
        for (r, b) in buf[..len].iter_mut().enumerate() {
            *b = self.get(at + r);
        }
        &buf[..len]
    }
}

/// A thread's working rows for one block: whole hundredths in floats.
struct Scratch {
    /// Per sheet: the running sum of the current section, and the capped sections so far.
    section: Vec<Vec<f64>>,
    total: Vec<Vec<f64>>,
    /// One criterion's points.
    points: Vec<f64>,
    /// A criterion's weighted blend of sheets.
    h: Vec<f64>,
    score: Vec<f64>,
    ok: Vec<bool>,
}

impl Scratch {
    fn new(sheets: usize) -> Scratch {
        let b = kernels::BLOCK;
        Scratch {
            section: vec![vec![0.0; b]; sheets],
            total: vec![vec![0.0; b]; sheets],
            points: vec![0.0; b],
            h: vec![0.0; b],
            score: vec![0.0; b],
            ok: vec![false; b],
        }
    }
}

/// Why a bulk evaluation stopped: the columns or buffers do not fit the plan, or one cell is bad.
pub(super) enum BadCell {
    Shape(Error),
    Cell { row: usize, slot: usize, bad: BadValue },
}

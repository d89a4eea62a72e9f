//! What follows from the scores: naming the exemplars, paying them to the fen, designating and
//! rectifying the weak and lax, conferring and keeping titles, and year-over-year histories.

pub mod allocate;
pub mod appeal;
pub mod history;
pub mod money;
pub mod not_named;
mod ranking;
pub mod rectify;
mod redecide;
pub mod reward;
pub mod roster;
pub mod select;
pub mod sensitivity;
pub mod title;

/// Work on millions of results split into parts, one a thread, each part's result given in order:
/// what the decisions compute never depends on how many parts there are.
pub(crate) mod parts {
    use std::ops::Range;

    /// Fewer results than this a part are not worth a thread.
    const LEAST: usize = if cfg!(test) { 16 } else { 1 << 16 };
    /// Each part keeps counts of its own (a county's scores, say): a few parts already read as
    /// fast as memory gives.
    const MOST: usize = 8;

    /// `n` results split into as many runs as threads run at once (at most `MOST`; three under
    /// test, whatever the machine, so the tests split), each at least `LEAST` long.
    pub(crate) fn ranges(n: usize) -> Vec<Range<usize>> {
        let threads = if cfg!(test) { 3 } else { std::thread::available_parallelism().map_or(1, |t| t.get()) };
        let parts = threads.min(MOST).min(n / LEAST).max(1);
        (0..parts).map(|p| n * p / parts..n * (p + 1) / parts).collect()
    }

    /// `f` of each part, the first on this thread and each other on one of its own, in order.
    pub(crate) fn each<P: Send, T: Send>(parts: Vec<P>, f: impl Fn(P) -> T + Sync) -> Vec<T> {
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else { return Vec::new() };
        std::thread::scope(|s| {
            let f = &f;
            let others: Vec<_> = parts.map(|p| s.spawn(move || f(p))).collect();
            let mut out = vec![f(first)];
            // A part that panicked panics here, as if run on this thread.
            out.extend(others.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))));
            out
        })
    }
}

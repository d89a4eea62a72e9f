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

//! The rules a program file states, checked before a `Program` exists: the file's schema, its
//! policies, the bounds on its numbers, validation, and the loaded program with its default.

pub mod language;
pub mod limits;
mod lint;
pub mod policy;
pub mod program;
pub mod rubric;
pub(super) mod validate;
pub mod versions;

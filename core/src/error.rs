//! The crate's errors: each names the organization, the field and the rule involved.
//! Rule-file problems are collected, all of them, each with its place in the file.

use std::fmt;

/// One problem found in a rule file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where in the program: "scheme relocation_follow_up, criterion job_fairs".
    pub place: String,
    pub message: String,
    /// 1-based line and column in the file text, where the file has them.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "line {l}, column {c}: ")?;
        }
        if self.place.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.place, self.message) }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The rule file does not parse or does not make sense; every problem found is listed.
    #[error("rule file has {} problem(s):\n{}", .0.len(), list(.0))]
    RuleFile(Vec<Problem>),

    /// A value in a report or a row is not acceptable. `field` is the indicator, event or column
    /// as the user named it (`job_fairs`, `superior.duties`, `events`, `period`); `row` is set
    /// for tables.
    #[error("organization `{org_id}`, scheme `{scheme}`{}, `{field}`: {message}", row_words(.row.as_deref()))]
    Input { org_id: String, scheme: String, field: String, row: Option<Box<Row>>, message: String },

    /// A data file (CSV or JSON rows) is malformed or contradicts itself.
    #[error("{source_name}{}: {message}", .line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Data { source_name: String, line: Option<u64>, message: String },

    /// A transition the lifecycle does not allow (a case, a title, a procedure).
    #[error("{subject}: {message}")]
    Lifecycle { subject: String, message: String },

    /// A policy or operation argument is out of range.
    #[error("{0}")]
    Policy(String),

    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

/// A row of a table: its position, and its label as the user knows it (the pandas index label,
/// or the position again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub index: usize,
    pub label: String,
}

fn row_words(row: Option<&Row>) -> String {
    row.map(|r| format!(", row {}", r.label)).unwrap_or_default()
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")
}

impl Error {
    pub(crate) fn input(org_id: &str, scheme: &str, field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Input {
            org_id: org_id.to_string(),
            scheme: scheme.to_string(),
            field: field.into(),
            row: None,
            message: message.into(),
        }
    }

    /// The same error placed at a row of a table.
    pub(crate) fn at_row(self, row: Row) -> Error {
        match self {
            Error::Input { org_id, scheme, field, message, .. } => {
                Error::Input { org_id, scheme, field, row: Some(Box::new(row)), message }
            }
            other => other,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

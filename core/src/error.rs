//! The crate's errors: each names the organization, the field and the rule involved.
//! Rule-file problems are collected, all of them, each with its place in the file.

use crate::rules::language::{Language, Text};
use std::fmt;

/// One problem found in a rule file, or a warning about one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where in the program: "scheme relocation_follow_up, criterion job_fairs" (方案…，评分项…).
    pub place: Text,
    /// What is wrong and what to write instead.
    pub message: Text,
    /// 1-based line and column in the file text, where the file has them.
    pub line: Option<usize>,
    /// 1-based column, with `line`.
    pub column: Option<usize>,
}

impl Problem {
    /// The problem in `lang`, with its line and column where the file has them.
    pub fn text(&self, lang: Language) -> String {
        let at = match (self.line, self.column, lang) {
            (Some(l), Some(c), Language::Zh) => format!("第{l}行第{c}列："),
            (Some(l), Some(c), Language::En) => format!("line {l}, column {c}: "),
            _ => String::new(),
        };
        let (place, message) = (self.place.get(lang), self.message.get(lang));
        match place.is_empty() {
            true => format!("{at}{message}"),
            false => format!("{at}{place}{}{message}", lang.pick("：", ": ")),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Language::En))
    }
}

/// Everything that can go wrong, by kind; each names what it is about.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The rule file does not parse or does not make sense; every problem found is listed.
    #[error("{}", self.message(Language::En))]
    RuleFile(Vec<Problem>),

    /// A value in a report or a row is not acceptable: which organization, under which scheme,
    /// which indicator, event or column, and (for tables) which row.
    #[error("{}", self.message(Language::En))]
    Input {
        /// The organization of the report or row.
        org_id: String,
        /// The scheme it was evaluated under (as given, for an unknown scheme).
        scheme: String,
        /// What the value is (boxed to keep `Result`s small).
        field: Box<Field>,
        /// The table row, for tables.
        row: Option<Box<Row>>,
        /// What is wrong and what to give instead.
        message: Text,
    },

    /// A data file (CSV, a workbook, JSON rows) is malformed or contradicts itself.
    #[error("{}", self.message(Language::En))]
    Data {
        /// The file or source: a path, `table`, `oversight`.
        source_name: String,
        /// The 1-based line, where there is one.
        line: Option<u64>,
        /// What is wrong.
        message: Text,
    },

    /// A transition the lifecycle does not allow (a case, a title, a procedure).
    #[error("{subject}: {message}")]
    Lifecycle {
        /// The case, procedure or title, in words.
        subject: Text,
        /// What was refused, and why.
        message: Text,
    },

    /// An argument of an operation is out of range: a floor above the cap, weights that overflow,
    /// a year outside the calendar, an index past the end.
    #[error("{0}")]
    Argument(Text),

    /// A scheme the program does not have.
    #[error("unknown scheme `{scheme}`; the program has {known}")]
    UnknownScheme {
        /// The scheme asked for.
        scheme: String,
        /// The program's schemes, listed for the message.
        known: String,
    },

    /// Inputs whose shapes disagree: columns of different lengths, the wrong number of columns,
    /// output buffers of the wrong size, an evaluation handed to another scheme.
    #[error("{0}")]
    Shape(Text),

    /// A file cannot be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system or the format said.
        message: String,
    },
}

/// What an input error is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// An indicator's value; `role` names the assessor's sheet in a blended scheme, whose column
    /// is `role.indicator` (`superior.duties`).
    Indicator {
        /// The assessor, in a blended scheme.
        role: Option<String>,
        /// The indicator id.
        id: String,
    },
    /// An assessor's sheet as a whole.
    Assessor(String),
    /// An event: its count or its dates.
    Event(String),
    /// A column or key of the input itself: `org_id`, `scheme`, `period`, `events`.
    Column(String),
}

impl Field {
    /// An indicator's value as the single assessor reports it.
    pub fn indicator(id: &str) -> Field {
        Field::Indicator { role: None, id: id.to_string() }
    }

    /// A column or key of the input itself.
    pub fn column(name: &str) -> Field {
        Field::Column(name.to_string())
    }

    /// The kind, as one word: `indicator`, `assessor`, `event` or `column`.
    pub fn kind(&self) -> &'static str {
        match self {
            Field::Indicator { .. } => "indicator",
            Field::Assessor(_) => "assessor",
            Field::Event(_) => "event",
            Field::Column(_) => "column",
        }
    }

    /// "indicator `superior.duties`" or "指标`superior.duties`", for messages.
    fn described(&self, lang: Language) -> String {
        let kind = match self {
            Field::Indicator { .. } => lang.pick("指标", "indicator "),
            Field::Assessor(_) => lang.pick("考核方", "assessor "),
            Field::Event(_) => lang.pick("事件", "event "),
            Field::Column(_) => lang.pick("列", "column "),
        };
        format!("{kind}`{self}`")
    }
}

/// The name as the user writes it: the column of a table, the key of a report.
impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Indicator { role: Some(r), id } => write!(f, "{r}.{id}"),
            Field::Indicator { role: None, id } | Field::Assessor(id) | Field::Event(id) | Field::Column(id) => {
                f.write_str(id)
            }
        }
    }
}

/// A row of a table: its position, and its label as the user knows it (the pandas index label,
/// or the position again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 0-based position in the table.
    pub index: usize,
    /// The row as the user knows it: the pandas index label, or the position.
    pub label: String,
}

impl Error {
    /// The message in `lang`: what the error is about and what is wrong, in Chinese or in
    /// English (`Display` is the English). A parser's and the operating system's own words
    /// (TOML, CSV, JSON, a workbook, a file) are quoted as they give them.
    pub fn message(&self, lang: Language) -> String {
        let sep = lang.pick("，", ", ");
        let colon = lang.pick("：", ": ");
        match self {
            Error::Input { org_id, scheme, field, row, message } => {
                let row = row
                    .as_ref()
                    .map(|r| format!("{sep}{}", lang.pick(&format!("第{}行", r.label), &format!("row {}", r.label))))
                    .unwrap_or_default();
                let (org, sch) = (lang.pick("组织", "organization "), lang.pick("方案", "scheme "));
                format!(
                    "{org}`{org_id}`{sep}{sch}`{scheme}`{row}{sep}{}{colon}{}",
                    field.described(lang),
                    message.get(lang)
                )
            }
            Error::Data { source_name, line, message } => {
                let line = line
                    .map(|l| format!("{sep}{}", lang.pick(&format!("第{l}行"), &format!("line {l}"))))
                    .unwrap_or_default();
                format!("{source_name}{line}{colon}{}", message.get(lang))
            }
            Error::Lifecycle { subject, message } => format!("{}{colon}{}", subject.get(lang), message.get(lang)),
            Error::Argument(m) | Error::Shape(m) => m.get(lang).to_string(),
            Error::UnknownScheme { scheme, known } => match lang {
                Language::Zh => format!("未知方案`{scheme}`；本规则的方案有{known}"),
                Language::En => self.to_string(),
            },
            Error::RuleFile(problems) => {
                let n = problems.len();
                let list: Vec<String> = problems.iter().map(|p| format!("  {}", p.text(lang))).collect();
                match lang {
                    Language::Zh => format!("规则文件有{n}处问题：\n{}", list.join("\n")),
                    Language::En => format!("rule file has {n} problem(s):\n{}", list.join("\n")),
                }
            }
            Error::Io { path, message } => match lang {
                Language::Zh => format!("{path}：无法读写（{message}）"),
                Language::En => self.to_string(),
            },
        }
    }

    pub(crate) fn input(org_id: &str, scheme: &str, field: Field, message: Text) -> Error {
        Error::Input {
            org_id: org_id.to_string(),
            scheme: scheme.to_string(),
            field: Box::new(field),
            row: None,
            message,
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

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

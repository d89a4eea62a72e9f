//! A loaded, validated program: the rule file, its compiled schemes, and the built-in default.
//! Only `Program::from_file_struct` makes one, so every `Program` has passed every check.

use crate::data::model::Organization;
use crate::error::{Error, Problem, Result};
use crate::rules::language::{Language, Text};
use crate::rules::rubric::{IndicatorDef, ProgramFile, Scheme};
use crate::rules::validate::{self, Locator, line_col};
use crate::rules::versions;
use crate::scoring::plan::Plan;
use std::collections::HashMap;
use std::path::Path;

/// The built-in 一带五区 program, shipped inside the crate.
pub const DEFAULT_PROGRAM_TOML: &str = include_str!("default_program.toml");

/// A program, checked and compiled: its rule file and a plan per scheme. Build it with
/// `from_toml`, `from_json`, `from_path` or `Program::default()`.
///
/// ```
/// use exemplar::{Period, Program, Report};
/// let program = Program::from_toml(r#"
/// [program]
/// id = "county"
/// name_zh = "县"
/// [[indicators]]
/// id = "meetings"
/// name_zh = "会议次数"
/// kind = "count"
/// [bands]
/// standings = [{ standing = "advanced", min_score = 90 }, { standing = "lagging", min_score = 0 }]
/// [[schemes]]
/// id = "branch"
/// name_zh = "支部"
/// max_points = 100
/// [[schemes.sections]]
/// id = "life"
/// name_zh = "组织生活"
/// max = 100
/// criteria = [{ id = "meetings", name_zh = "会议", points = 100,
///               rule = { kind = "linear", indicator = "meetings", floor = 0, target = 12 } }]
/// "#).unwrap();
/// // 9 of 12 meetings: 9 / 12 × 100 = 75 points.
/// let e = program.evaluate(&Report::new("A", "branch", Period::year(2023)?).with("meetings", 9.0))?;
/// assert_eq!(e.score.to_string(), "75.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Program {
    file: ProgramFile,
    plans: Vec<Plan>,
    scheme_index: HashMap<String, usize>,
    indicator_index: HashMap<String, usize>,
    /// The content hash, worked out when first asked for.
    hash: std::sync::OnceLock<String>,
}

impl PartialEq for Program {
    fn eq(&self, other: &Program) -> bool {
        self.file == other.file
    }
}

/// The built-in program, parsed and checked once per process (`std::sync::LazyLock`).
static BUILTIN: std::sync::LazyLock<Program> = std::sync::LazyLock::new(|| {
    Program::from_toml(DEFAULT_PROGRAM_TOML).expect("the built-in program is valid (tested)")
});

impl Default for Program {
    /// A copy of the built-in program (parsed once, see [`Program::builtin`]).
    fn default() -> Program {
        BUILTIN.clone()
    }
}

impl Program {
    /// The built-in 一带五区 program, shared: parsed and checked on first use only.
    pub fn builtin() -> &'static Program {
        &BUILTIN
    }

    /// Loads a program from TOML text, reporting every problem with its line and column.
    pub fn from_toml(text: &str) -> Result<Program> {
        let file: ProgramFile = toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = line_col(text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            Error::RuleFile(vec![Problem {
                place: Text::new("TOML", "TOML"),
                message: Text::parser(e.message().trim()),
                line,
                column,
            }])
        })?;
        Program::checked(file, Some(text))
    }

    /// Loads a program from JSON text, reporting every problem with its line and column.
    pub fn from_json(text: &str) -> Result<Program> {
        let file: ProgramFile = serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_string();
            Error::RuleFile(vec![Problem {
                place: Text::new("JSON", "JSON"),
                message: Text::parser(message),
                line: Some(e.line()),
                column: Some(e.column()),
            }])
        })?;
        Program::checked(file, Some(text))
    }

    /// Loads a `.toml` or `.json` program file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Program> {
        let path = path.as_ref();
        let io = |message: String| Error::Io { path: path.display().to_string(), message };
        let bytes = std::fs::read(path).map_err(|e| io(e.to_string()))?;
        let text =
            String::from_utf8(bytes).map_err(|e| io(format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to())))?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Program::from_json(&text),
            Some("toml") => Program::from_toml(&text),
            _ => Err(io("a program file ends in .toml or .json".into())),
        }
    }

    /// Checks a program given as data (no file text, so problems carry no line numbers).
    pub fn from_file_struct(file: ProgramFile) -> Result<Program> {
        Program::checked(file, None)
    }

    fn checked(file: ProgramFile, text: Option<&str>) -> Result<Program> {
        let locator = text.map(Locator::new);
        let problems = validate::check(&file, locator.as_ref());
        if !problems.is_empty() {
            return Err(Error::RuleFile(problems));
        }
        let plans = file.schemes.iter().map(|s| Plan::compile(&file, s)).collect();
        let scheme_index = file.schemes.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        let indicator_index = file.indicators.iter().enumerate().map(|(i, d)| (d.id.clone(), i)).collect();
        Ok(Program { file, plans, scheme_index, indicator_index, hash: std::sync::OnceLock::new() })
    }

    /// The language its results are worded in (`[program] language`, Chinese by default).
    pub fn language(&self) -> Language {
        self.file.program.language
    }

    /// The same program, its results worded in `lang`: every reason, basis and message it
    /// writes from then on. The rules, and so the content hash, are unchanged.
    ///
    /// ```
    /// use exemplar::{Language, Program};
    /// let zh = Program::default();
    /// let en = zh.with_language(Language::En);
    /// assert_eq!((zh.language(), en.language()), (Language::Zh, Language::En));
    /// assert_eq!(zh.content_hash(), en.content_hash());
    /// ```
    pub fn with_language(&self, lang: Language) -> Program {
        let mut p = self.clone();
        p.file.program.language = lang;
        for plan in &mut p.plans {
            plan.language = lang;
        }
        p
    }

    /// The program as a rule file a prefecture can copy and edit; it loads back identical.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(&self.file).expect("a validated program serializes to TOML")
    }

    /// The program as JSON; it loads back identical.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.file).expect("a validated program serializes to JSON")
    }

    /// The program's content hash: SHA-256 of its canonical form (the rules as compact JSON,
    /// whatever the file's format, layout or comments), 64 hex digits. Evaluations, selections
    /// and allocations carry it, so each result can be traced to the exact rules.
    ///
    /// ```
    /// let p = exemplar::Program::default();
    /// assert_eq!(p.content_hash().len(), 64);
    /// // The same rules in another format or layout: the same hash.
    /// assert_eq!(exemplar::Program::from_json(&p.to_json())?.content_hash(), p.content_hash());
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn content_hash(&self) -> &str {
        self.hash.get_or_init(|| versions::content_hash(self))
    }

    /// What changed from this program to `newer`, item by item: added, removed and changed
    /// indicators, schemes, sections, criteria (points, rules, floors, targets), bands, vetoes,
    /// situations, stages and policies, each with its place in words and its values before and
    /// after. Layout, comments and format are not changes. The parts of the file come in the
    /// order of their names, the items of a list in the file's order.
    pub fn diff(&self, newer: &Program) -> Vec<versions::Change> {
        versions::diff(self, newer)
    }

    /// Warnings that are not errors, each with its place: a section whose criteria add up to
    /// more than its cap, a step table that is not monotone, bands that leave scores unrated or
    /// skip a star level, an indicator no scheme reads, assessor weights that add up to 1 only
    /// within rounding. Loading does not depend on them.
    ///
    /// ```
    /// let warnings = exemplar::Program::default().lint();
    /// for w in &warnings {
    ///     println!("{}: {}", w.place, w.message);
    /// }
    /// ```
    pub fn lint(&self) -> Vec<Problem> {
        crate::rules::lint::lint(self)
    }

    /// The rule file as loaded.
    pub fn file(&self) -> &ProgramFile {
        &self.file
    }

    /// The schemes, in file order.
    pub fn schemes(&self) -> &[Scheme] {
        &self.file.schemes
    }

    /// The scheme with this id.
    pub fn scheme(&self, id: &str) -> Option<&Scheme> {
        self.scheme_index.get(id).map(|&i| &self.file.schemes[i])
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorDef> {
        self.indicator_index.get(id).map(|&i| &self.file.indicators[i])
    }

    /// The compiled scheme for bulk evaluation.
    pub fn plan(&self, scheme: &str) -> Result<&Plan> {
        self.scheme_index
            .get(scheme)
            .map(|&i| &self.plans[i])
            .ok_or_else(|| Error::UnknownScheme { scheme: scheme.to_string(), known: self.scheme_list() })
    }

    /// The compiled schemes, in program order.
    pub(crate) fn plans(&self) -> &[Plan] {
        &self.plans
    }

    pub(crate) fn scheme_list(&self) -> String {
        self.file.schemes.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// "unknown scheme; the program has …", for an input error about the scheme column.
    pub(crate) fn unknown_scheme(&self) -> Text {
        let list = self.scheme_list();
        crate::rules::language::text!("未知方案；本规则的方案有{list}", "unknown scheme; the program has {list}")
    }

    /// Every scheme that applies to an organization (an organization is evaluated under each).
    pub fn schemes_for(&self, org: &Organization) -> Vec<&Scheme> {
        self.file.schemes.iter().filter(|s| s.applies_to.covers(org.sector, org.form)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_program_round_trips_through_toml_and_json() {
        let p = Program::default();
        assert_eq!(p.schemes().len(), 6);
        assert_eq!(Program::from_toml(&p.to_toml()).unwrap(), p);
        assert_eq!(Program::from_json(&p.to_json()).unwrap(), p);
    }
}

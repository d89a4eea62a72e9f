//! The language results are worded in: Chinese (中文, the default; official documents) or
//! English. Structured results are language-free; only the rendered text follows the language.

use serde::{Deserialize, Serialize};

/// The language of every text the library writes: reasons, bases, messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Chinese, in the register of an official document (the default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Language {
    /// `zh` in Chinese, `en` in English.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::Zh => zh,
            Language::En => en,
        }
    }

    /// The code a rule file and the bindings use: `zh` or `en`.
    pub fn code(self) -> &'static str {
        self.pick("zh", "en")
    }

    /// The list separator: 、 in Chinese, a comma in English.
    pub fn list_sep(self) -> &'static str {
        self.pick("、", ", ")
    }

    /// The clause separator: ； in Chinese, a semicolon in English.
    pub fn clause_sep(self) -> &'static str {
        self.pick("；", "; ")
    }
}

impl std::str::FromStr for Language {
    type Err = crate::Error;
    /// `zh` or `en`; anything else is an argument error naming both.
    fn from_str(s: &str) -> crate::Result<Language> {
        match s {
            "zh" => Ok(Language::Zh),
            "en" => Ok(Language::En),
            _ => Err(crate::Error::Argument(text!(
                "语言应为\"zh\"或\"en\"，而非{s:?}",
                "language must be \"zh\" or \"en\", got {s:?}"
            ))),
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A name in both languages: the rule file's `name_zh`, and its `name_en` or else its id (ids
/// are English words), so an English text never borrows a Chinese name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// The Chinese name.
    pub zh: String,
    /// The English name.
    pub en: String,
}

impl Name {
    /// The name of an item with this id, Chinese name and optional English name.
    pub fn new(id: &str, zh: &str, en: Option<&str>) -> Name {
        Name { zh: zh.to_string(), en: en.unwrap_or(id).to_string() }
    }

    /// The name in `lang`.
    pub fn get(&self, lang: Language) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// A message in both languages: what an error says, in Chinese and in English. It displays in
/// English, as Rust errors do; `Error::message` renders either.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// The Chinese.
    pub zh: String,
    /// The English.
    pub en: String,
}

impl Text {
    /// A message from its Chinese and its English.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Language) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// A parser's own message (CSV, JSON, a workbook), quoted as it gives it.
    pub fn parser(e: impl std::fmt::Display) -> Text {
        Text::new(format!("格式有误（{e}）"), e.to_string())
    }
}

/// The English, where an error must be a plain string (serde's `try_from`).
impl From<Text> for String {
    fn from(t: Text) -> String {
        t.en
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// A parser's message (a period, a date, a kind) is an error of its own.
impl std::error::Error for Text {}

/// `text!("中文{x}", "English {x}")`: a [`Text`] formatted in both languages (arguments captured
/// by name). The bindings word their own messages with it too.
#[macro_export]
macro_rules! text {
    ($zh:literal, $en:literal) => {
        $crate::rules::language::Text::new(format!($zh), format!($en))
    };
}
pub(crate) use text;

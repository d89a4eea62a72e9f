//! Conversions at the boundary: serde values to Python objects and back through JSON, dates,
//! and the flat or nested report mappings analysts pass in, scored.

use crate::errors::{err, input};
use chrono::NaiveDate;
use exemplar::Text;
use exemplar::data::year::FIXED_COLUMNS;
use exemplar::{Event, Period, Program, Report, Scored, text};
use pyo3::Borrowed;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub fn to_py<'py, T: Serialize>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(v).map_err(|e| input(Text::parser(e)))?;
    py.import("json")?.call_method1("loads", (text,))
}

pub fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    let py = obj.py();
    let json = py.import("json")?;
    let kw = PyDict::new(py);
    kw.set_item("default", py.import("builtins")?.getattr("str")?)?;
    let text: String = json.call_method("dumps", (obj,), Some(&kw))?.extract()?;
    serde_json::from_str(&text).map_err(|e| input(text!("{what}：格式有误（{e}）", "{what}: {e}")))
}

/// A date from exactly `"YYYY-MM-DD"`, or a `datetime.date` (a `datetime` or `pandas.Timestamp`
/// only at midnight: a time of day is not a date).
pub fn date(obj: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
    if obj.is_instance_of::<PyString>() {
        return exemplar::data::model::parse_date(&obj.extract::<String>()?).map_err(input);
    }
    let part = |name: &str| obj.getattr(name).and_then(|v| v.extract::<i64>()).ok();
    let (Some(y), Some(m), Some(d)) = (part("year"), part("month"), part("day")) else {
        let given = obj.repr()?;
        return Err(input(text!(
            "{given}不是日期：请传入\"YYYY-MM-DD\"或datetime.date",
            "{given} is not a date: pass \"YYYY-MM-DD\" or a datetime.date"
        )));
    };
    if ["hour", "minute", "second", "microsecond", "nanosecond"].iter().any(|k| part(k).is_some_and(|v| v != 0)) {
        let given = obj.repr()?;
        return Err(input(text!("{given}带有时刻；请只传日期", "{given} has a time of day; pass the date alone")));
    }
    exemplar::data::model::parse_date(&format!("{y:04}-{m:02}-{d:02}")).map_err(input)
}

/// A period from text (`"2023"`, `"2023-Q2"`, `"2023-05"`) or a whole number of a year (an
/// integer, or a float column's 2023.0).
pub fn period(org_id: &str, v: &Bound<'_, PyAny>) -> PyResult<Period> {
    let text = if v.is_instance_of::<PyString>() {
        v.extract::<String>()?
    } else if let Ok(y) = v.extract::<i64>() {
        y.to_string()
    } else if let Some(y) = v.extract::<f64>().ok().filter(|y| y.fract() == 0.0 && y.abs() < 1e9) {
        format!("{}", y as i64)
    } else {
        let given = v.repr()?;
        return Err(input(text!(
            "组织`{org_id}`：期间{given}应写作YYYY、YYYY-Qn或YYYY-MM",
            "organization `{org_id}`: period {given} is not YYYY, YYYY-Qn or YYYY-MM"
        )));
    };
    text.parse().map_err(|m: Text| {
        input(Text::new(format!("组织`{org_id}`：{}", m.zh), format!("organization `{org_id}`: {}", m.en)))
    })
}

/// None or NaN (a text is never missing; it is not read as a number, which would raise).
fn is_missing(v: &Bound<'_, PyAny>) -> bool {
    v.is_none() || (!v.is_instance_of::<PyString>() && v.extract::<f64>().is_ok_and(f64::is_nan))
}

/// A report scored: a flat mapping (one row of `sample_year()`: org_id, scheme or area, period,
/// events, indicator columns, `role.indicator` for blended assessors; NaN or None is absent) read
/// key by key into its scheme's row, or the nested form of `exemplar::Report` (with `values`).
pub fn scored(program: &Program, obj: &Bound<'_, PyAny>) -> PyResult<Scored> {
    let d = obj.cast::<PyDict>().map_err(|_| {
        input(text!(
            "一份填报应为映射（dict，或pandas行的to_dict()）",
            "a report is a mapping (dict, or a pandas row's to_dict())"
        ))
    })?;
    let py = obj.py();
    if d.contains(intern!(py, "values"))? || d.contains(intern!(py, "assessments"))? {
        let r: Report = from_py(obj, "report")?;
        return program.score(&r).map_err(err);
    }
    let text = |k: &Bound<'_, PyString>| -> PyResult<Option<String>> {
        match d.get_item(k)? {
            Some(v) if v.is_instance_of::<PyString>() => Ok(Some(v.cast_into::<PyString>()?.to_str()?.to_string())),
            Some(v) if !is_missing(&v) => Ok(Some(v.str()?.to_string())),
            _ => Ok(None),
        }
    };
    let org_id =
        text(intern!(py, "org_id"))?.ok_or_else(|| input(text!("填报缺少org_id", "report: org_id is missing")))?;
    let scheme = match (text(intern!(py, "scheme"))?, text(intern!(py, "area"))?) {
        (Some(s), _) | (None, Some(s)) => s,
        (None, None) => {
            return Err(input(text!(
                "组织`{org_id}`：填报没有scheme（或area）",
                "organization `{org_id}`: report has no scheme (or area)"
            )));
        }
    };
    let period = match d.get_item(intern!(py, "period"))? {
        Some(v) if !is_missing(&v) => period(&org_id, &v)?,
        _ => {
            return Err(input(text!(
                "组织`{org_id}`：填报没有period",
                "organization `{org_id}`: report has no period"
            )));
        }
    };
    let mut row = program.row_input(&org_id, &scheme, period).map_err(err)?;
    for (k, v) in d.iter() {
        let k = k.cast_into::<PyString>().map_err(|_| {
            input(text!("组织`{org_id}`：键应为字符串", "organization `{org_id}`: keys must be strings"))
        })?;
        let key = k.to_str()?;
        if v.is_none() {
            continue;
        }
        if key == "events" {
            if !is_missing(&v) {
                for e in events(&org_id, &v)? {
                    row.event(&e).map_err(err)?;
                }
            }
            continue;
        }
        // The year's fixed columns (and `area`, another name for the scheme) describe the
        // organization, not its values.
        if key == "area" || FIXED_COLUMNS.contains(&key) {
            continue;
        }
        let x: f64 = v.extract().map_err(|_| {
            let given = v.str().map(|s| s.to_string()).unwrap_or_default();
            input(text!(
                "组织`{org_id}`，方案`{scheme}`，指标`{key}`：`{given}`不是数字",
                "organization `{org_id}`, scheme `{scheme}`, indicator `{key}`: `{given}` is not a number"
            ))
        })?;
        if !x.is_nan() {
            row.flat(key, x).map_err(err)?;
        }
    }
    row.score().map_err(err)
}

/// Events as `"kind;kind@YYYY-MM-DD"`, a list of such strings, or a list of mappings.
fn events(org: &str, v: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    let text = |s: String| {
        Event::parse_list(&s).map_err(|m| {
            input(Text::new(
                format!("组织`{org}`，events：{}", m.zh),
                format!("organization `{org}`, events: {}", m.en),
            ))
        })
    };
    if v.is_instance_of::<PyString>() {
        return text(v.extract()?);
    }
    let iter = v.try_iter().map_err(|_| {
        let given = v.repr().map(|r| r.to_string()).unwrap_or_default();
        input(text!(
            "组织`{org}`，events：{given}不是事件；请传入形如\"kind;kind@2023-05-01\"的文本、此类文本的列表，或{{\"kind\", \"date\"}}映射的列表",
            "organization `{org}`, events: {given} is not events; pass text like \"kind;kind@2023-05-01\", a list of such texts, or a list of {{\"kind\", \"date\"}} mappings"
        ))
    })?;
    let mut out = Vec::new();
    for it in iter {
        let it = it?;
        if it.is_instance_of::<PyString>() {
            out.extend(text(it.extract()?)?);
        } else {
            out.push(from_py(&it, &format!("organization `{org}`, event"))?);
        }
    }
    Ok(out)
}

/// A whole number argument as `T`, or a message saying what was given and what fits. Python
/// integers have no size, so an `OverflowError` or `TypeError` never reaches the caller.
pub fn whole<T: TryFrom<i128> + std::fmt::Display + Copy + PartialOrd>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, Text> {
    let (lo, hi) = (range.start(), range.end());
    let fits = |given: String| {
        text!(
            "{what}应为{lo}至{hi}之间的整数，而非{given}",
            "{what} must be a whole number from {lo} to {hi}, not {given}"
        )
    };
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(fits("a bool".into()));
    }
    let n: i128 = match obj.extract::<i128>() {
        Ok(n) => n,
        Err(_) => match obj.extract::<f64>() {
            Ok(x) if x.fract() == 0.0 && x.abs() < 1e38 => x as i128,
            _ => return Err(fits(obj.repr().map(|r| r.to_string()).unwrap_or_default())),
        },
    };
    match T::try_from(n) {
        Ok(v) if range.contains(&v) => Ok(v),
        _ => Err(fits(n.to_string())),
    }
}

/// A language from its code, `"zh"` or `"en"` (anything else is a `PolicyError`).
pub fn language(code: &str) -> PyResult<exemplar::Language> {
    code.parse().map_err(err)
}

/// An argument of type `T`. A value of another type is a `PolicyError` that says what to pass,
/// where PyO3 would raise `TypeError` (the argument's name follows as the error's note).
pub struct Arg<T>(pub T);

impl<T> std::ops::Deref for Arg<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What a type of argument is, in words, for the message.
pub trait Expected {
    fn expected() -> Text;
}

macro_rules! expected {
    ($($t:ty => $zh:expr, $en:expr);* $(;)?) => {
        $(impl Expected for $t {
            fn expected() -> Text {
                Text::new($zh, $en)
            }
        })*
    };
}

expected! {
    String => "文本（str）", "text (str)";
    bool => "True或False", "True or False";
    f64 => "数字", "a number";
    usize => "非负整数", "a whole number, 0 or more";
    u64 => "非负整数", "a whole number, 0 or more";
    i32 => "整数", "a whole number";
    std::path::PathBuf => "路径（str或pathlib.Path）", "a path (str or pathlib.Path)";
    Bound<'_, PyAny> => "值", "a value";
    Bound<'_, PyDict> => "dict", "a dict";
    pyo3_arrow::PyTable => "Arrow表（pyarrow Table或带__arrow_c_stream__的对象）", "an Arrow table (a pyarrow Table, or anything with __arrow_c_stream__)";
}

impl<T: Expected> Expected for Vec<T> {
    fn expected() -> Text {
        let t = T::expected();
        Text::new(format!("由{}组成的列表", t.zh), format!("a list of {}", t.en))
    }
}

impl<T: Expected> Expected for Option<T> {
    fn expected() -> Text {
        let t = T::expected();
        Text::new(format!("{}或None", t.zh), format!("{} or None", t.en))
    }
}

impl<K: Expected, V: Expected> Expected for std::collections::BTreeMap<K, V> {
    fn expected() -> Text {
        let (k, v) = (K::expected(), V::expected());
        Text::new(format!("从{}到{}的dict", k.zh, v.zh), format!("a dict of {} to {}", k.en, v.en))
    }
}

impl<T: pyo3::PyClass> Expected for PyRef<'_, T> {
    fn expected() -> Text {
        let name = T::NAME;
        text!("exemplar.{name}", "an exemplar.{name}")
    }
}

impl<'a, 'py, T> FromPyObject<'a, 'py> for Arg<T>
where
    T: FromPyObject<'a, 'py> + Expected,
{
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        obj.extract::<T>().map(Arg).map_err(|_| {
            let given = obj.repr().map(|r| r.to_string()).unwrap_or_default();
            let kind = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
            let what = T::expected();
            crate::errors::policy(Text::new(
                format!("请传入{}，而非{given}（{kind}）", what.zh),
                format!("pass {}, not {given} ({kind})", what.en),
            ))
        })
    }
}

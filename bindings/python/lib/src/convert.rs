//! Conversions at the boundary: serde values to Python objects and back through JSON, dates,
//! and the flat or nested report mappings analysts pass in.

use crate::errors::input;
use chrono::NaiveDate;
use exemplar::{Event, Period, Report};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub fn to_py<'py, T: Serialize>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(v).map_err(|e| input(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

pub fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    let py = obj.py();
    let json = py.import("json")?;
    let kw = PyDict::new(py);
    kw.set_item("default", py.import("builtins")?.getattr("str")?)?;
    let text: String = json.call_method("dumps", (obj,), Some(&kw))?.extract()?;
    serde_json::from_str(&text).map_err(|e| input(format!("{what}: {e}")))
}

/// A date from `"YYYY-MM-DD"` or anything with `isoformat()` (datetime.date, pandas.Timestamp).
pub fn date(obj: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
    let text: String = if obj.is_instance_of::<PyString>() {
        obj.extract()?
    } else if obj.hasattr("isoformat")? {
        obj.call_method0("isoformat")?.extract()?
    } else {
        return Err(input(format!("{obj} is not a date")));
    };
    let day = text.get(..10).unwrap_or(&text);
    day.parse().map_err(|_| input(format!("`{text}` is not a date YYYY-MM-DD")))
}

/// Columns of the flat sample rows that describe the organization, not its values.
const META: [&str; 8] = ["org_id", "name", "form", "sector", "county", "township", "parent", "period"];

fn is_missing(v: &Bound<'_, PyAny>) -> bool {
    v.is_none() || v.extract::<f64>().is_ok_and(f64::is_nan)
}

/// A report from a flat mapping (one row of `sample_year()`: org_id, scheme or area, period,
/// events, indicator columns, `role.indicator` for blended assessors; NaN or None is absent) or
/// from the nested form of `exemplar::Report` (with `values`).
pub fn report(obj: &Bound<'_, PyAny>) -> PyResult<Report> {
    let d = obj.cast::<PyDict>().map_err(|_| input("a report is a mapping (dict, or a pandas row's to_dict())"))?;
    if d.contains("values")? || d.contains("assessments")? {
        return from_py(obj, "report");
    }
    let text = |k: &str| -> PyResult<Option<String>> {
        match d.get_item(k)? {
            Some(v) if !is_missing(&v) => Ok(Some(v.str()?.to_string())),
            _ => Ok(None),
        }
    };
    let org_id = text("org_id")?.ok_or_else(|| input("report: org_id is missing"))?;
    let scheme = match (text("scheme")?, text("area")?) {
        (Some(s), _) | (None, Some(s)) => s,
        (None, None) => return Err(input(format!("organization `{org_id}`: report has no scheme (or area)"))),
    };
    let period: Period = text("period")?
        .ok_or_else(|| input(format!("organization `{org_id}`: report has no period")))?
        .trim_end_matches(".0")
        .parse()
        .map_err(|m: String| input(format!("organization `{org_id}`: {m}")))?;
    let mut r = Report::new(&org_id, &scheme, period);
    for (k, v) in d.iter() {
        let key: String = k.extract().map_err(|_| input(format!("organization `{org_id}`: keys must be strings")))?;
        if META.contains(&key.as_str()) || key == "scheme" || key == "area" || is_missing(&v) {
            continue;
        }
        if key == "events" {
            r.events = events(&org_id, &v)?;
            continue;
        }
        let x: f64 = v.extract().map_err(|_| {
            input(format!(
                "organization `{org_id}`, scheme `{scheme}`, indicator `{key}`: `{}` is not a number",
                v.str().map(|s| s.to_string()).unwrap_or_default()
            ))
        })?;
        match key.split_once('.') {
            Some((role, ind)) => r.assessments.entry(role.into()).or_default().insert(ind.into(), x),
            None => r.values.insert(key, x),
        };
    }
    Ok(r)
}

/// Events as `"kind;kind@YYYY-MM-DD"`, a list of such strings, or a list of mappings.
fn events(org: &str, v: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    let text = |s: String| Event::parse_list(&s).map_err(|m| input(format!("organization `{org}`, events: {m}")));
    if v.is_instance_of::<PyString>() {
        return text(v.extract()?);
    }
    let mut out = Vec::new();
    for it in v.try_iter()? {
        let it = it?;
        if it.is_instance_of::<PyString>() {
            out.extend(text(it.extract()?)?);
        } else {
            out.push(from_py(&it, &format!("organization `{org}`, event"))?);
        }
    }
    Ok(out)
}

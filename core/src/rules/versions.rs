//! Rule-file versions: a program's content hash (SHA-256 of its canonical form, so a result can
//! be traced to the exact rules whatever the file's layout, comments or format), and the changes
//! between two programs, item by item, for the office comparing one year's rules with the next.

use crate::rules::language::{Language, Text};
use crate::rules::program::Program;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// What happened to an item or a setting between two programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only the newer program has it.
    Added,
    /// Only the older program has it.
    Removed,
    /// Both have it, with different values.
    Changed,
}

/// One difference between two programs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Where: the item, in words ("scheme relocation_follow_up, section life, criterion
    /// meetings").
    pub place: String,
    /// The same place in Chinese ("方案relocation_follow_up，板块life，评分项meetings").
    pub place_zh: String,
    /// The setting that changed; empty where a whole item was added or removed.
    pub field: String,
    /// The older value, as JSON text (absent when added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The newer value, as JSON text (absent when removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// The canonical form of a program: its rule file as compact JSON, fields in declaration order,
/// defaults left out, numbers as Rust prints them. Two files with the same rules (TOML or JSON,
/// any layout, comments, key order) have the same canonical form. The language words results
/// but decides none, so it is left out: the same rules worded in Chinese or English hash alike.
pub(crate) fn canonical(program: &Program) -> Vec<u8> {
    let file = program.file();
    let json = |f| serde_json::to_vec(f).expect("a validated program serializes to JSON");
    if file.program.language == Language::default() {
        return json(file);
    }
    let mut file = file.clone();
    file.program.language = Language::default();
    json(&file)
}

/// SHA-256 of the canonical form, as 64 lower-case hex digits.
pub(crate) fn content_hash(program: &Program) -> String {
    Sha256::digest(canonical(program)).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every difference between `before` and `after`: the parts of the file by name, a list's items
/// in its order (matched by id, or what stands for one).
pub(crate) fn diff(before: &Program, after: &Program) -> Vec<Change> {
    let tree = |p: &Program| serde_json::to_value(p.file()).expect("a validated program serializes to JSON");
    let (a, b) = (tree(before), tree(after));
    let none = Value::Null;
    let mut changes = Vec::new();
    // A part of the file (settings, bands, a policy) is a place of its own; a list's items are.
    let keys = a.as_object().into_iter().flatten().chain(b.as_object().into_iter().flatten()).map(|(k, _)| k);
    let mut seen = std::collections::HashSet::new();
    for k in keys.filter(|k| seen.insert(k.as_str())) {
        let (va, vb) = (a.get(k).unwrap_or(&none), b.get(k).unwrap_or(&none));
        match (va, vb) {
            (Value::Object(_), Value::Object(_)) => walk(&mut changes, &vec![part_words(k)], "", va, vb),
            (Value::Null, _) => push(&mut changes, &[], k, ChangeKind::Added, None, Some(vb)),
            (_, Value::Null) => push(&mut changes, &[], k, ChangeKind::Removed, Some(va), None),
            _ => walk(&mut changes, &Vec::new(), k, va, vb),
        }
    }
    changes
}

/// A part of the file (its table's name), in both languages.
fn part_words(part: &str) -> Text {
    Text::new(crate::rules::validate::part_zh(part), part)
}

/// The words for one item of a list: its kind in the singular and how it is known.
fn item_words(list: &str, item: &Value, index: usize) -> Text {
    let (zh, en) = match list {
        "schemes" => ("方案", "scheme"),
        "sections" | "common_sections" => ("板块", "section"),
        "criteria" => ("评分项", "criterion"),
        "indicators" => ("指标", "indicator"),
        "events" => ("事件", "event"),
        "vetoes" => ("否决项", "veto"),
        "weak_lax" => ("软弱涣散情形", "weak-and-lax situation"),
        "deductions" => ("直接扣分项", "deduction"),
        "stages" => ("环节", "stage"),
        "tiers" => ("档次", "tier"),
        "stars" => ("星级", "star band"),
        "standings" => ("等次", "standing band"),
        "assessors" => ("考核方", "assessor"),
        "cadences" => ("周期", "cadence"),
        "shares" => ("份额", "share"),
        other => (other, other),
    };
    match key(item) {
        Some(k) if zh == en => Text::new(format!("{zh} {k}"), format!("{en} {k}")),
        Some(k) => Text::new(format!("{zh}{k}"), format!("{en} {k}")),
        None => {
            let n = index + 1;
            Text::new(format!("第{n}个{zh}"), format!("{en} {n}"))
        }
    }
}

/// How an item of a list is known across versions: its id, or what stands for one (a band's
/// stars or standing, an assessor's role, a share's `of`).
fn key(item: &Value) -> Option<String> {
    ["id", "role", "of", "standing", "stars", "scheme"].iter().find_map(|k| match item.get(*k)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if *k == "stars" => Some(format!("{n}★")),
        _ => None,
    })
}

/// A value as JSON text, whole numbers without a fraction (`80`, not `80.0`).
fn text(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
        _ => v.to_string(),
    }
}

fn push(
    changes: &mut Vec<Change>,
    place: &[Text],
    field: &str,
    kind: ChangeKind,
    before: Option<&Value>,
    after: Option<&Value>,
) {
    changes.push(Change {
        kind,
        place: place.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join(", "),
        place_zh: place.iter().map(|p| p.zh.as_str()).collect::<Vec<_>>().join("，"),
        field: field.to_string(),
        before: before.map(text),
        after: after.map(text),
    });
}

/// Compares two values at `place` (the items above) and `field` (the setting path within the
/// innermost item).
fn walk(changes: &mut Vec<Change>, place: &Vec<Text>, field: &str, a: &Value, b: &Value) {
    let dotted = |k: &str| if field.is_empty() { k.to_string() } else { format!("{field}.{k}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => walk(changes, place, &dotted(k), va, vb),
                    None => push(changes, place, &dotted(k), ChangeKind::Removed, Some(va), None),
                }
            }
            for (k, vb) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                push(changes, place, &dotted(k), ChangeKind::Added, None, Some(vb));
            }
        }
        // A list of items known by a key: matched by key, each compared, the rest added or removed.
        (Value::Array(x), Value::Array(y)) if keyed(x) && keyed(y) => {
            let list = field.rsplit('.').next().unwrap_or(field);
            let parent = field.rsplit_once('.').map_or("", |(p, _)| p);
            let inside = |item: &Value, i: usize| {
                let mut p = place.clone();
                if !parent.is_empty() {
                    p.push(part_words(parent));
                }
                p.push(item_words(list, item, i));
                p
            };
            let by_key = |list: &'_ [Value]| -> HashMap<String, usize> {
                list.iter().enumerate().filter_map(|(i, v)| Some((key(v)?, i))).collect()
            };
            let (kx, ky) = (by_key(x), by_key(y));
            for (i, va) in x.iter().enumerate() {
                match key(va).and_then(|k| ky.get(&k)) {
                    Some(&j) => walk(changes, &inside(va, i), "", va, &y[j]),
                    None => push(changes, &inside(va, i), "", ChangeKind::Removed, Some(va), None),
                }
            }
            for (i, vb) in y.iter().enumerate().filter(|(_, vb)| key(vb).is_none_or(|k| !kx.contains_key(&k))) {
                push(changes, &inside(vb, i), "", ChangeKind::Added, None, Some(vb));
            }
        }
        _ if a != b => push(changes, place, field, ChangeKind::Changed, Some(a), Some(b)),
        _ => {}
    }
}

/// A list whose items are all objects with a key, each key once.
fn keyed(list: &[Value]) -> bool {
    let keys: Option<Vec<String>> = list.iter().map(key).collect();
    keys.is_some_and(|mut k| {
        let n = k.len();
        k.sort_unstable();
        k.dedup();
        k.len() == n
    })
}

//! [`diff`]: what differs between two runs, in their inputs and in their headline numbers.
//!
//! Conventions:
//! - Paths are dotted keys with array indices in brackets: `fees.rate`,
//!   `outcomes.buckets[2].share`, `net_tvpi.p50`.
//! - Inputs: every leaf of the two scenarios' TOML (any type), and of their parameters
//!   (`params_json`), that differs or is present on one side only (`None` on the other).
//!   A scenario that is not TOML (`fit`'s data) is compared as a whole text, reported as
//!   its size under the key `(scenario text)`.
//! - Numbers: every numeric leaf of the two results' JSON whose value differs (exactly: a
//!   change in the last bit counts) or is present on one side only. The echo of the inputs
//!   at the top level of a result (`scenario`, `seed`, `version`) is left out: `inputs` and
//!   `meta` cover it.
//! - An array with more than [`LONG_ARRAY`] elements (survival by month, quarters, sweep
//!   rows) is summarised, not listed: one [`ArrayDiff`] per leaf path with `[]` for the
//!   index (`survival[]`, `rows[].net_tvpi.p50`), counting the elements that differ.
//!   Only summaries with a difference are kept.
//! - Strings and booleans of the results that differ (a fit's verdict) are in `texts`,
//!   outside long arrays.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::Run;

/// Arrays longer than this are summarised in [`RunDiff::arrays`] instead of listed.
pub const LONG_ARRAY: usize = 20;

/// Top-level keys of a result that echo its inputs.
const ECHOED: &[&str] = &["scenario", "seed", "version"];

/// The differences between run `a` and run `b`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDiff {
    /// The first run's id.
    pub a: i64,
    /// The second run's id.
    pub b: i64,
    /// The runs' own fields that differ: `model`, `name`, `seed`, `version` (not the ids
    /// and times, which always differ).
    pub meta: Vec<ValueDiff>,
    /// Scenario keys that differ, by dotted TOML path.
    pub inputs: Vec<ValueDiff>,
    /// Parameters (`params_json` keys) that differ.
    pub params: Vec<ValueDiff>,
    /// Numeric leaves of the results that differ, by dotted JSON path, outside long arrays.
    pub numbers: Vec<NumberDiff>,
    /// Long arrays of the results, summarised per leaf path.
    pub arrays: Vec<ArrayDiff>,
    /// String and boolean leaves of the results that differ, outside long arrays.
    pub texts: Vec<ValueDiff>,
}

impl RunDiff {
    /// True when nothing but ids and times differ.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
            && self.inputs.is_empty()
            && self.params.is_empty()
            && self.numbers.is_empty()
            && self.arrays.is_empty()
            && self.texts.is_empty()
    }
}

/// A key whose value differs; `None` where the key is missing on that side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueDiff {
    /// The dotted path.
    pub key: String,
    /// The value in run `a`.
    pub a: Option<Value>,
    /// The value in run `b`.
    pub b: Option<Value>,
}

/// A numeric leaf whose value differs; `None` where it is missing on that side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberDiff {
    /// The dotted JSON path.
    pub path: String,
    /// The value in run `a`.
    pub a: Option<f64>,
    /// The value in run `b`.
    pub b: Option<f64>,
    /// `b - a`, when both are present.
    pub change: Option<f64>,
    /// `(b - a) / |a|`, when both are present and `a` is not zero.
    pub relative: Option<f64>,
}

/// A leaf path under a long array, summarised over its elements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrayDiff {
    /// The path with `[]` for the long array's index: `survival[]`, `rows[].net_tvpi.p50`.
    pub path: String,
    /// Numeric leaves present in both runs.
    pub compared: usize,
    /// Of those, how many differ.
    pub differing: usize,
    /// Numeric leaves present in run `a` only (a longer array).
    pub only_in_a: usize,
    /// Numeric leaves present in run `b` only.
    pub only_in_b: usize,
    /// The largest `|b - a|` over the leaves compared (0 when none differ).
    pub max_abs_change: f64,
}

/// Compares two runs (see the module's conventions). A result that is not JSON (never
/// the case for runs the store saved) counts as an empty object.
pub fn diff(a: &Run, b: &Run) -> RunDiff {
    let mut meta = Vec::new();
    let mut field = |key: &str, x: Value, y: Value| {
        if x != y {
            meta.push(ValueDiff {
                key: key.to_string(),
                a: Some(x),
                b: Some(y),
            });
        }
    };
    field("model", a.model.clone().into(), b.model.clone().into());
    field("name", a.name.clone().into(), b.name.clone().into());
    field("seed", a.seed.into(), b.seed.into());
    field(
        "version",
        a.version.clone().into(),
        b.version.clone().into(),
    );

    let mut inputs = Vec::new();
    match (
        scenario_value(&a.scenario_toml),
        scenario_value(&b.scenario_toml),
    ) {
        (Some(x), Some(y)) => leaves("", Some(&x), Some(&y), &mut inputs),
        _ if a.scenario_toml != b.scenario_toml => inputs.push(ValueDiff {
            key: "(scenario text)".to_string(),
            a: Some(text_size(&a.scenario_toml).into()),
            b: Some(text_size(&b.scenario_toml).into()),
        }),
        _ => {}
    }
    let mut params = Vec::new();
    leaves(
        "",
        Some(&json_or_empty(&a.params_json)),
        Some(&json_or_empty(&b.params_json)),
        &mut params,
    );

    let mut out = Results::default();
    let (x, y) = (json_or_empty(&a.result_json), json_or_empty(&b.result_json));
    out.walk("", Some(&x), Some(&y), false);
    RunDiff {
        a: a.id,
        b: b.id,
        meta,
        inputs,
        params,
        numbers: out.numbers,
        arrays: out
            .arrays
            .into_values()
            .filter(|s| s.differing + s.only_in_a + s.only_in_b > 0)
            .collect(),
        texts: out.texts,
    }
}

fn json_or_empty(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::Object(Default::default()))
}

fn text_size(text: &str) -> String {
    format!("{} lines, {} bytes", text.lines().count(), text.len())
}

/// The scenario as a JSON value (`None` when the text is not TOML). Empty text is an
/// empty table.
fn scenario_value(text: &str) -> Option<Value> {
    text.parse::<toml::Table>()
        .ok()
        .map(|t| toml_to_json(&toml::Value::Table(t)))
}

fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            // TOML allows inf and nan; JSON does not: keep them as text.
            .unwrap_or_else(|| Value::String(f.to_string())),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn keys<'a>(a: Option<&'a Value>, b: Option<&'a Value>) -> BTreeSet<&'a String> {
    let mut keys = BTreeSet::new();
    for v in [a, b].into_iter().flatten() {
        if let Value::Object(m) = v {
            keys.extend(m.keys());
        }
    }
    keys
}

fn get<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    match v {
        Some(Value::Object(m)) => m.get(key),
        _ => None,
    }
}

fn at(v: Option<&Value>, i: usize) -> Option<&Value> {
    match v {
        Some(Value::Array(a)) => a.get(i),
        _ => None,
    }
}

fn len(v: Option<&Value>) -> usize {
    match v {
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    }
}

fn is_container(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Object(_) | Value::Array(_)))
}

fn leaf(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !matches!(v, Value::Object(_) | Value::Array(_)))
}

/// Every leaf that differs between `a` and `b` (inputs: any type, arrays listed).
fn leaves(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<ValueDiff>) {
    if is_container(a) || is_container(b) {
        for k in keys(a, b) {
            leaves(&child(path, k), get(a, k), get(b, k), out);
        }
        for i in 0..len(a).max(len(b)) {
            leaves(&format!("{path}[{i}]"), at(a, i), at(b, i), out);
        }
    }
    // A leaf on one side where the other has a table or array is a difference too.
    let (x, y) = (leaf(a), leaf(b));
    if (x.is_some() || y.is_some()) && x != y {
        out.push(ValueDiff {
            key: path.to_string(),
            a: x.cloned(),
            b: y.cloned(),
        });
    }
}

#[derive(Default)]
struct Results {
    numbers: Vec<NumberDiff>,
    arrays: BTreeMap<String, ArrayDiff>,
    texts: Vec<ValueDiff>,
}

impl Results {
    fn walk(&mut self, path: &str, a: Option<&Value>, b: Option<&Value>, in_long: bool) {
        if is_container(a) || is_container(b) {
            for k in keys(a, b) {
                if path.is_empty() && ECHOED.contains(&k.as_str()) {
                    continue;
                }
                self.walk(&child(path, k), get(a, k), get(b, k), in_long);
            }
            let n = len(a).max(len(b));
            let long = in_long || n > LONG_ARRAY;
            for i in 0..n {
                let p = if n > LONG_ARRAY {
                    format!("{path}[]")
                } else {
                    format!("{path}[{i}]")
                };
                self.walk(&p, at(a, i), at(b, i), long);
            }
        }
        let (x, y) = (leaf(a), leaf(b));
        let (nx, ny) = (x.and_then(Value::as_f64), y.and_then(Value::as_f64));
        if nx.is_some() || ny.is_some() {
            if in_long {
                let s = self
                    .arrays
                    .entry(path.to_string())
                    .or_insert_with(|| ArrayDiff {
                        path: path.to_string(),
                        compared: 0,
                        differing: 0,
                        only_in_a: 0,
                        only_in_b: 0,
                        max_abs_change: 0.0,
                    });
                match (nx, ny) {
                    (Some(p), Some(q)) => {
                        s.compared += 1;
                        if p != q {
                            s.differing += 1;
                            s.max_abs_change = s.max_abs_change.max((q - p).abs());
                        }
                    }
                    (Some(_), None) => s.only_in_a += 1,
                    _ => s.only_in_b += 1,
                }
            } else if nx != ny {
                let change = nx.zip(ny).map(|(p, q)| q - p);
                let relative = nx
                    .zip(change)
                    .filter(|(p, _)| *p != 0.0)
                    .map(|(p, c)| c / p.abs());
                self.numbers.push(NumberDiff {
                    path: path.to_string(),
                    a: nx,
                    b: ny,
                    change,
                    relative,
                });
            }
        } else if !in_long && (x.is_some() || y.is_some()) && x != y {
            self.texts.push(ValueDiff {
                key: path.to_string(),
                a: x.cloned(),
                b: y.cloned(),
            });
        }
    }
}

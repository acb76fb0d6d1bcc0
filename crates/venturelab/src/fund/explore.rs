//! Questions beyond one run: solve for the value of a scenario field that meets a target,
//! and sweep a field across values. Both re-run the same seed for every value (common
//! random numbers), so differences between values come from the parameter, not from noise.

use serde::Serialize;

use super::engine::run;
use super::scenario::Scenario;
use super::summary::{summarize, Summary};
use crate::error::{Error, Result};
use crate::money::roots::brent_bracket;

/// Sets the number at a dotted path (`outcomes.buckets.2.multiple`; array indices are
/// 0-based) in a TOML document. A whole number is written as a TOML integer, anything else
/// as a float (see [`evaluate`] for fields that must be integers).
pub fn set_path(doc: &mut toml::Value, key: &str, value: f64) -> Result<()> {
    let mut cur = doc;
    let parts: Vec<&str> = key.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let next = match cur {
            toml::Value::Table(t) => {
                if last && !t.contains_key(*part) {
                    t.insert(part.to_string(), toml::Value::Float(value));
                    return Ok(());
                }
                t.get_mut(*part)
            }
            toml::Value::Array(a) => part.parse::<usize>().ok().and_then(|j| a.get_mut(j)),
            _ => None,
        };
        cur = next.ok_or_else(|| {
            Error::param(
                "vary",
                format!(
                    "{key}: no field `{}` in the scenario",
                    parts[..=i].join(".")
                ),
            )
        })?;
    }
    match cur {
        toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::String(_) => {
            *cur = if value.fract() == 0.0 && value.abs() < 9e15 {
                toml::Value::Integer(value as i64)
            } else {
                toml::Value::Float(value)
            };
        }
        _ => {
            return Err(Error::param(
                "vary",
                format!("{key} is not a number in the scenario"),
            ))
        }
    }
    Ok(())
}

/// Reads the number at a dotted path of a TOML document (the current value of a field that
/// `solve` or `sweep` will vary). Money strings such as "100M" count as numbers.
pub fn get_path(doc: &toml::Value, key: &str) -> Result<f64> {
    let mut cur = doc;
    for part in key.split('.') {
        cur = match cur {
            toml::Value::Table(t) => t.get(part),
            toml::Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
        .ok_or_else(|| Error::param("vary", format!("{key}: no such field in the scenario")))?;
    }
    match cur {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) => Ok(*f),
        toml::Value::String(s) => {
            crate::scenario::parse_money(s).map_err(|e| Error::param("vary", format!("{key}: {e}")))
        }
        _ => Err(Error::param(
            "vary",
            format!("{key} is not a number in the scenario"),
        )),
    }
}

/// A number as a person reads it: `1e308`, not 309 digits.
fn shown(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The value at `path` of a simulate output (`None` when the path names nothing).
fn json_at<'a>(json: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let mut cur = json;
    for part in path.split('.') {
        cur = match cur {
            serde_json::Value::Object(m) => m.get(part),
            serde_json::Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }?;
    }
    Some(cur)
}

/// Reads the number at a path of a simulate output as JSON (`net_tvpi.p50`,
/// `prob_net_tvpi_at_least.3`, `access.net_tvpi_gain_p50`); errors name `target`.
pub fn metric_of(json: &serde_json::Value, path: &str) -> Result<f64> {
    let mut cur = json;
    for part in path.split('.') {
        cur = match cur {
            serde_json::Value::Object(m) => m.get(part),
            serde_json::Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
        .ok_or_else(|| {
            Error::param(
                "target",
                format!("{path}: the simulate output has no `{part}` here"),
            )
        })?;
    }
    cur.as_f64().ok_or_else(|| {
        Error::param(
            "target",
            format!("{path} is not a number in the simulate output"),
        )
    })
}

/// Reads the number at a path of the fund simulate output, e.g. `net_tvpi.p50` or
/// `prob_net_tvpi_at_least.3`.
pub fn metric(summary: &Summary, path: &str) -> Result<f64> {
    let json = serde_json::to_value(summary).map_err(|e| Error::param("target", e.to_string()))?;
    metric_of(&json, path)
}

/// A scenario type that `solve` and `sweep` edit as a TOML document: a fund scenario or
/// an LP scenario.
pub trait FromDoc: Sized {
    /// The scenario of a TOML document (errors name the key).
    fn from_doc(doc: toml::Value) -> Result<Self>;
}

impl FromDoc for Scenario {
    fn from_doc(doc: toml::Value) -> Result<Self> {
        doc.try_into()
            .map_err(|e: toml::de::Error| Error::key("scenario", e.message().trim().to_string()))
    }
}

/// The scenario `doc` with `key` set to `value`, and the value it holds: fields that count
/// things (companies, years, funds a year) take whole numbers, so a fractional value is
/// rounded for them.
pub fn scenario_at<S: FromDoc>(doc: &toml::Value, key: &str, value: f64) -> Result<(S, f64)> {
    let parse = |v: f64| -> Result<S> {
        let mut d = doc.clone();
        set_path(&mut d, key, v)?;
        S::from_doc(d).map_err(|e| match e {
            Error::Invalid { message, .. } => Error::key(key, message),
            other => other,
        })
    };
    match parse(value) {
        Ok(scenario) => Ok((scenario, value)),
        Err(_) if value.fract() != 0.0 => Ok((parse(value.round())?, value.round())),
        Err(e) => Err(e),
    }
}

/// The value the field `key` of a scenario of type `S` holds when set to `value`: `value`
/// itself, or rounded for fields that take whole numbers (companies, years).
pub fn held_value<S: FromDoc>(doc: &toml::Value, key: &str, value: f64) -> Result<f64> {
    Ok(scenario_at::<S>(doc, key, value)?.1)
}

/// Whether the field `key` of a scenario of type `S` takes whole numbers only (tried at
/// `near`'s floor plus a half).
pub fn takes_whole_numbers<S: FromDoc>(doc: &toml::Value, key: &str, near: f64) -> bool {
    scenario_at::<S>(doc, key, near.floor() + 0.5).is_ok_and(|(_, v)| v.fract() == 0.0)
}

/// Summary of `funds` funds of the scenario `doc` with `key` set to `value` (rounded for
/// fields that take whole numbers).
pub fn evaluate(
    doc: &toml::Value,
    key: &str,
    value: f64,
    funds: usize,
    seed: u64,
) -> Result<Summary> {
    let (scenario, _) = scenario_at::<Scenario>(doc, key, value)?;
    let model = scenario.model().map_err(|e| with_value(e, key, value))?;
    let r = run(&model, funds, seed, &|_| {});
    Ok(summarize(&model, &r))
}

/// A model's refusal of a trial value, saying which value it was.
pub fn with_value(e: Error, key: &str, value: f64) -> Error {
    match e {
        Error::Invalid { at, message } => {
            Error::invalid(at, format!("{message} (with {key} = {})", shown(value)))
        }
        other => other,
    }
}

/// The answer of [`solve`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solved {
    /// The scenario field varied (dotted TOML path).
    pub vary: String,
    /// The value found (a whole number for fields that take whole numbers).
    pub value: f64,
    /// The metric at `value`, as evaluated.
    pub achieved: f64,
    pub target: f64,
    /// The metric's path in the simulate output.
    pub metric: String,
    /// Evaluations made by the search (runs of the funds or portfolios), besides the two
    /// at lo and hi.
    pub iterations: u32,
}

/// Finds `value` of `key` in [lo, hi] at which `metric` of the fund simulate output
/// reaches `target`, on common random numbers (every trial value re-runs the same funds):
/// [`solve_by`] over [`evaluate`].
#[allow(clippy::too_many_arguments)]
pub fn solve(
    doc: &toml::Value,
    key: &str,
    metric_path: &str,
    target: f64,
    lo: f64,
    hi: f64,
    funds: usize,
    seed: u64,
) -> Result<Solved> {
    let whole = takes_whole_numbers::<Scenario>(doc, key, lo);
    solve_by(key, metric_path, target, (lo, hi), whole, |x| {
        let summary = evaluate(doc, key, x, funds, seed)?;
        serde_json::to_value(&summary).map_err(|e| Error::param("target", e.to_string()))
    })
}

/// Finds the value of the field `key` in [lo, hi] (`bracket`) at which `metric` of the
/// simulate output reaches `target`. `eval(x)` is the simulate output (as JSON) with the
/// field at x; the caller makes it use the same random numbers at every x (common random
/// numbers). The metric must cross the target between lo and hi. For a field that takes
/// whole numbers (`whole`: companies, years, funds a year), bisection on the whole
/// numbers: the answer is the first one, from lo, at which the target is reached. For any
/// other field, Brent's method until the bracket is 1e-9 wide relative to the value; when
/// the metric jumps (a median of discrete outcomes), the answer is the jump point, the end
/// of the last bracket at which the target is reached.
pub fn solve_by(
    key: &str,
    metric_path: &str,
    target: f64,
    bracket: (f64, f64),
    whole: bool,
    mut eval: impl FnMut(f64) -> Result<serde_json::Value>,
) -> Result<Solved> {
    let (lo, hi) = bracket;
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(Error::param(
            "lo",
            format!("expected finite --lo < --hi, got {lo} and {hi}"),
        ));
    }
    if !target.is_finite() {
        return Err(Error::param(
            "target",
            format!("expected a finite target, got {target}"),
        ));
    }
    // Whole-number fields are searched on whole numbers (from the rounded ends).
    let (lo, hi) = if whole {
        (lo.round(), hi.round())
    } else {
        (lo, hi)
    };
    // Every value tried and its metric, so that the answer reports the metric as it was
    // evaluated (not (metric - target) + target) without running it again.
    let mut tried: Vec<(f64, f64)> = Vec::new();
    let mut f = |x: f64| -> Result<f64> {
        let json = eval(x)?;
        let m = match metric_of(&json, metric_path) {
            // The path exists but holds no number: the scenario at x has no finite value.
            Err(_) if json_at(&json, metric_path).is_some() => {
                return Err(Error::NoSolution(format!(
                    "{metric_path} has no finite value with {key} = {}: search between values where the scenario gives one (lo and hi)",
                    shown(x)
                )))
            }
            other => other?,
        };
        tried.push((x, m));
        Ok(m - target)
    };
    let (f_lo, f_hi) = (f(lo)?, f(hi)?);
    let solved = |value: f64, iterations: u32, tried: &[(f64, f64)]| Solved {
        vary: key.into(),
        value,
        achieved: tried
            .iter()
            .rev()
            .find(|t| t.0 == value)
            .map_or(target, |t| t.1),
        target,
        metric: metric_path.into(),
        iterations,
    };
    if f_lo == 0.0 || f_hi == 0.0 {
        let value = if f_lo == 0.0 { lo } else { hi };
        return Ok(solved(value, 0, &tried));
    }
    if (f_lo > 0.0) == (f_hi > 0.0) {
        let (at_lo, at_hi) = (tried[0].1, tried[1].1);
        return Err(Error::param(
            "target",
            format!(
                "{metric_path} does not reach {target} between {key} = {lo} ({at_lo}) and {hi} ({at_hi}): the target is not crossed; widen the search (lo, hi)"
            ),
        ));
    }
    // Where the target is reached: on the far side of it from lo, or at it.
    let reached = |fx: f64| fx == 0.0 || (fx > 0.0) != (f_lo > 0.0);
    if whole {
        // lo does not reach the target and hi does; halve the whole numbers between.
        let (mut a, mut b, mut steps) = (lo, hi, 0);
        while b - a > 1.0 {
            let m = ((a + b) / 2.0).floor();
            steps += 1;
            if reached(f(m)?) {
                b = m;
            } else {
                a = m;
            }
        }
        return Ok(solved(b, steps, &tried));
    }
    let width = |a: f64, b: f64| 1e-9 * (1.0 + a.abs().max(b.abs()));
    let end = brent_bracket(&mut f, lo, hi, f_lo, f_hi, width)?;
    // The end of the last bracket on the far side from lo (for a step function, the jump
    // point; otherwise within 1e-9 of the root).
    let value = if reached(end.fb) { end.b } else { end.a };
    Ok(solved(value, end.evaluations, &tried))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use serde_json::json;

    #[test]
    fn solve_by_finds_the_value_for_any_evaluator() {
        // m(x) = 2x + 1 reaches 5 at x = 2 (by hand).
        let s = solve_by("k", "m", 5.0, (0.0, 10.0), false, |x| {
            Ok(json!({ "m": 2.0 * x + 1.0 }))
        })
        .unwrap();
        assert!((s.value - 2.0).abs() < 1e-8, "{s:?}");
        // On whole numbers, m(n) = n² first reaches 10 at n = 4 (9 < 10 <= 16).
        let square = |x: f64| Ok(json!({ "a": { "m": x * x } }));
        let s = solve_by("k", "a.m", 10.0, (1.0, 20.0), true, square).unwrap();
        assert_eq!((s.value, s.achieved), (4.0, 16.0));
        // 20² = 400 < 500: not crossed, refused naming the target.
        let e = solve_by("k", "a.m", 500.0, (1.0, 20.0), true, square).unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { at: Location::Parameter(p), .. } if p == "target"),
            "{e:?}"
        );
        // A path the output does not have names the target too.
        let e = solve_by("k", "a.q", 5.0, (1.0, 20.0), true, square).unwrap_err();
        assert!(matches!(&e, Error::Invalid { at: Location::Parameter(p), .. } if p == "target"));
    }
}

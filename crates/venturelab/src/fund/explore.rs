//! Questions beyond one run: solve for the value of a scenario field that meets a target,
//! and sweep a field across values. Both re-run the same seed for every value (common
//! random numbers), so differences between values come from the parameter, not from noise.

use serde::Serialize;

use super::scenario::Scenario;
use super::summary::{run, summarize, Summary};
use crate::error::{Error, Result};

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
            Error::invalid(
                "--vary",
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
            return Err(Error::invalid(
                "--vary",
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
        .ok_or_else(|| Error::invalid("--vary", format!("{key}: no such field in the scenario")))?;
    }
    match cur {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) => Ok(*f),
        toml::Value::String(s) => crate::scenario::parse_money(s)
            .map_err(|e| Error::invalid("--vary", format!("{key}: {e}"))),
        _ => Err(Error::invalid(
            "--vary",
            format!("{key} is not a number in the scenario"),
        )),
    }
}

/// Reads the number at a path of the simulate output, e.g. `net_tvpi.p50` or
/// `prob_net_tvpi_at_least.3`.
pub fn metric(summary: &Summary, path: &str) -> Result<f64> {
    let json =
        serde_json::to_value(summary).map_err(|e| Error::invalid("--target", e.to_string()))?;
    let mut cur = &json;
    for part in path.split('.') {
        cur = match cur {
            serde_json::Value::Object(m) => m.get(part),
            serde_json::Value::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
        .ok_or_else(|| {
            Error::invalid(
                "--target",
                format!("{path}: the simulate output has no `{part}` here"),
            )
        })?;
    }
    cur.as_f64().ok_or_else(|| {
        Error::invalid(
            "--target",
            format!("{path} is not a number in the simulate output"),
        )
    })
}

/// Summary of `funds` funds of the scenario `doc` with `key` set to `value`.
pub fn evaluate(
    doc: &toml::Value,
    key: &str,
    value: f64,
    funds: usize,
    seed: u64,
) -> Result<Summary> {
    let parse = |v: f64| -> Result<Scenario> {
        let mut d = doc.clone();
        set_path(&mut d, key, v)?;
        d.try_into()
            .map_err(|e: toml::de::Error| Error::invalid(key, e.message().to_string()))
    };
    // Fields that count things (companies, years) take whole numbers: round for them.
    let scenario = parse(value).or_else(|e| {
        if value.fract() != 0.0 {
            parse(value.round())
        } else {
            Err(e)
        }
    })?;
    let model = scenario.model().map_err(|e| match e {
        Error::Invalid { field, message } => {
            Error::invalid(field, format!("{message} (with {key} = {value})"))
        }
        other => other,
    })?;
    let r = run(&model, funds, seed, &|_| {});
    Ok(summarize(&model, &r))
}

/// The answer of [`solve`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solved {
    pub vary: String,
    pub value: f64,
    pub achieved: f64,
    pub target: f64,
    pub metric: String,
    pub iterations: u32,
}

/// Finds `value` of `key` in [lo, hi] at which `metric` reaches `target`, by bisection on
/// common random numbers. The metric must cross the target between lo and hi; when the
/// metric jumps (a median of discrete outcomes), the answer is the jump point to 1e-9.
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
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(Error::invalid(
            "--lo",
            format!("expected finite --lo < --hi, got {lo} and {hi}"),
        ));
    }
    let at = |x: f64| -> Result<f64> { metric(&evaluate(doc, key, x, funds, seed)?, metric_path) };
    let f = |x: f64| -> Result<f64> { Ok(at(x)? - target) };
    let (mut a, mut b) = (lo, hi);
    let (at_lo, at_hi) = (at(a)?, at(b)?);
    let (fa, fb) = (at_lo - target, at_hi - target);
    if fa == 0.0 {
        return Ok(Solved {
            vary: key.into(),
            value: a,
            achieved: target,
            target,
            metric: metric_path.into(),
            iterations: 0,
        });
    }
    if (fa > 0.0) == (fb > 0.0) {
        return Err(Error::NoSolution(format!(
            "{metric_path} does not cross {target} between {key} = {lo} ({at_lo}) and {hi} ({at_hi}); widen --lo/--hi"
        )));
    }
    let mut iterations = 0;
    let a_positive = fa > 0.0;
    while (b - a).abs() > 1e-9 * (1.0 + a.abs().max(b.abs())) && iterations < 200 {
        let m = 0.5 * (a + b);
        let fm = f(m)?;
        iterations += 1;
        if fm == 0.0 {
            a = m;
            b = m;
            break;
        }
        if (fm > 0.0) == a_positive {
            a = m;
        } else {
            b = m;
        }
    }
    // Report the end of the bracket that meets the target (reaches it from the right side).
    let value = if f(b)? * if a_positive { -1.0 } else { 1.0 } >= 0.0 {
        b
    } else {
        0.5 * (a + b)
    };
    let achieved = at(value)?;
    Ok(Solved {
        vary: key.into(),
        value,
        achieved,
        target,
        metric: metric_path.into(),
        iterations,
    })
}

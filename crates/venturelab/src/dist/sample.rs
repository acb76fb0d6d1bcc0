//! Observed data for fitting: sorted unique values with counts, so that a histogram of
//! hundreds of millions of observations costs memory only for its distinct values.

use crate::error::{Error, Result};

/// A sample: distinct values (ascending) and how often each occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub values: Vec<f64>,
    pub counts: Vec<u64>,
    /// Total number of observations (positive values only).
    pub n: u64,
    /// Observations ≤ 0 that were set aside when the data were read (a power law and
    /// every alternative live on x > 0, and such values can never be in the tail).
    pub non_positive: u64,
}

impl Sample {
    /// Builds a sample from (value, count) pairs in any order (duplicates merged).
    pub fn from_pairs(mut pairs: Vec<(f64, u64)>) -> Sample {
        pairs.retain(|p| p.1 > 0);
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut values: Vec<f64> = Vec::with_capacity(pairs.len());
        let mut counts: Vec<u64> = Vec::with_capacity(pairs.len());
        for (v, c) in pairs {
            if values.last() == Some(&v) {
                *counts.last_mut().expect("paired") += c;
            } else {
                values.push(v);
                counts.push(c);
            }
        }
        let n = counts.iter().sum();
        Sample {
            values,
            counts,
            n,
            non_positive: 0,
        }
    }

    /// Builds a sample from raw observations.
    pub fn from_values(mut v: Vec<f64>) -> Sample {
        v.sort_by(f64::total_cmp);
        let mut values: Vec<f64> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        for x in v {
            if values.last() == Some(&x) {
                *counts.last_mut().expect("paired") += 1;
            } else {
                values.push(x);
                counts.push(1);
            }
        }
        let n = counts.iter().sum();
        Sample {
            values,
            counts,
            n,
            non_positive: 0,
        }
    }

    /// True when every value is a whole number.
    pub fn all_integers(&self) -> bool {
        self.values.iter().all(|v| v.fract() == 0.0)
    }

    /// Multiplies every value by `f` (units).
    pub fn scaled(&self, f: f64) -> Sample {
        Sample {
            values: self.values.iter().map(|v| v * f).collect(),
            counts: self.counts.clone(),
            n: self.n,
            non_positive: self.non_positive,
        }
    }
}

/// A finite value, or an error naming the line.
fn check_value(v: f64, source: &str, line: usize) -> Result<f64> {
    if !v.is_finite() {
        return Err(Error::line(
            Some(source),
            line,
            None,
            format!("expected a finite number, got {v}"),
        ));
    }
    Ok(v)
}

/// The error when nothing positive is left.
fn all_non_positive(source: &str, count: u64) -> Error {
    Error::input(
        source,
        format!(
            "no positive values: all {count} observations are zero or negative (a power law lives on x > 0)"
        ),
    )
}

/// Parses one number per line; blank lines and `#` comments are skipped.
/// Zero and negative values are set aside and counted in `non_positive`.
pub fn parse_values(text: &str, source: &str) -> Result<Sample> {
    let mut v = Vec::new();
    let mut non_positive = 0u64;
    for (i, line) in text.lines().enumerate() {
        let t = line.split('#').next().unwrap_or("").trim();
        if t.is_empty() {
            continue;
        }
        let x: f64 = t.parse().map_err(|_| {
            Error::line(
                Some(source),
                i + 1,
                None,
                format!("expected a number, got '{t}'"),
            )
        })?;
        if check_value(x, source, i + 1)? > 0.0 {
            v.push(x);
        } else {
            non_positive += 1;
        }
    }
    if v.is_empty() && non_positive == 0 {
        return Err(Error::input(source, "no values: the input is empty"));
    }
    if v.is_empty() {
        return Err(all_non_positive(source, non_positive));
    }
    let mut s = Sample::from_values(v);
    s.non_positive = non_positive;
    Ok(s)
}

/// Parses `value<TAB>count` lines (a header line allowed; spaces also separate).
/// Rows with a value ≤ 0 are set aside (their counts in `non_positive`); counts whose
/// total exceeds 2^64 - 1 are an error naming the line.
pub fn parse_histogram(text: &str, source: &str) -> Result<Sample> {
    let mut pairs = Vec::new();
    let mut non_positive = 0u64;
    let mut total = 0u64;
    for (i, line) in text.lines().enumerate() {
        let t = line.split('#').next().unwrap_or("").trim();
        if t.is_empty() {
            continue;
        }
        let mut parts = t
            .split(|c: char| c == '\t' || c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty());
        let (a, b) = (parts.next().unwrap_or(""), parts.next());
        let value: std::result::Result<f64, _> = a.parse();
        if value.is_err()
            && pairs.is_empty()
            && i == text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0)
        {
            continue; // a header line
        }
        let at = |message: String| Error::line(Some(source), i + 1, None, message);
        let value = value.map_err(|_| at(format!("expected a number, got '{a}'")))?;
        let b = b.ok_or_else(|| at("expected `value<TAB>count`, got one field".to_string()))?;
        let count: u64 = match b.parse::<u64>() {
            Ok(c) => c,
            Err(_) => {
                let c: f64 = b
                    .parse()
                    .map_err(|_| at(format!("expected a count, got '{b}'")))?;
                if c < 0.0 || c.fract() != 0.0 || !c.is_finite() {
                    return Err(at(format!(
                        "a count must be a non-negative whole number, got {b}"
                    )));
                }
                if c > 9_007_199_254_740_992.0 {
                    return Err(at(format!(
                        "count {b} is too large: write counts above 2^53 as whole numbers (at most 2^64 - 1)"
                    )));
                }
                c as u64
            }
        };
        total = total.checked_add(count).ok_or_else(|| {
            at(format!(
                "the counts overflow: up to this line they add up to more than 2^64 - 1 = {} observations",
                u64::MAX
            ))
        })?;
        if check_value(value, source, i + 1)? > 0.0 {
            pairs.push((value, count));
        } else {
            non_positive += count;
        }
    }
    let mut s = Sample::from_pairs(pairs);
    if s.n == 0 && non_positive > 0 {
        return Err(all_non_positive(source, non_positive));
    }
    if s.n == 0 {
        return Err(Error::input(
            source,
            "no observations: the histogram is empty or all counts are 0",
        ));
    }
    s.non_positive = non_positive;
    Ok(s)
}

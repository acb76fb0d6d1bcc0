//! Observed data for fitting: sorted unique values with counts, so that a histogram of
//! hundreds of millions of observations costs memory only for its distinct values.

use crate::error::{Error, Result};

/// A sample: distinct values (ascending) and how often each occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub values: Vec<f64>,
    pub counts: Vec<u64>,
    /// Total number of observations.
    pub n: u64,
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
        Sample { values, counts, n }
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
        Sample { values, counts, n }
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
        }
    }
}

fn check_value(v: f64, source: &str, line: usize) -> Result<f64> {
    if !v.is_finite() {
        return Err(Error::line(
            Some(source),
            line,
            None,
            format!("expected a finite number, got {v}"),
        ));
    }
    if v <= 0.0 {
        return Err(Error::line(Some(source), line, None,
            format!(
                "{v} is not positive: power laws and their alternatives live on x > 0, so zeros and negative values \
                 are rejected rather than silently dropped (remove them, or shift the data, and say so)"
            ),
        ));
    }
    Ok(v)
}

/// Parses one number per line; blank lines and `#` comments are skipped.
pub fn parse_values(text: &str, source: &str) -> Result<Sample> {
    let mut v = Vec::new();
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
        v.push(check_value(x, source, i + 1)?);
    }
    if v.is_empty() {
        return Err(Error::input(source, "no values: the input is empty"));
    }
    Ok(Sample::from_values(v))
}

/// Parses `value<TAB>count` lines (a header line allowed; spaces also separate).
pub fn parse_histogram(text: &str, source: &str) -> Result<Sample> {
    let mut pairs = Vec::new();
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
        let count: f64 = b
            .parse()
            .map_err(|_| at(format!("expected a count, got '{b}'")))?;
        if count < 0.0 || count.fract() != 0.0 || !count.is_finite() {
            return Err(at(format!(
                "a count must be a non-negative whole number, got {b}"
            )));
        }
        pairs.push((check_value(value, source, i + 1)?, count as u64));
    }
    let s = Sample::from_pairs(pairs);
    if s.n == 0 {
        return Err(Error::input(
            source,
            "no observations: the histogram is empty or all counts are 0",
        ));
    }
    Ok(s)
}

//! Parsers for command-line values, shared by every command: money with suffixes, rates
//! as fractions or percentages, comma-separated series.

use venturelab_app::{parse_money, parse_rate};

/// `--rate 0.08` or `--rate 8%`.
pub fn rate(s: &str) -> Result<f64, String> {
    parse_rate(s)
}

/// `--nav 12.5M`.
pub fn money(s: &str) -> Result<f64, String> {
    parse_money(s)
}

/// A rate between 0 and 1 inclusive (`20%`, `0.2`).
pub fn unit_rate(s: &str) -> Result<f64, String> {
    let v = parse_rate(s)?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "expected a rate between 0 and 1 (0% to 100%), got {v}"
        ))
    }
}

/// A series of cash flows from the command line (one flag value, comma separated).
#[derive(Debug, Clone, PartialEq)]
pub struct Values(pub Vec<f64>);

/// A comma-separated series of amounts: `-100,30,40.5,2M`.
pub fn series(s: &str) -> Result<Values, String> {
    if s.trim().is_empty() {
        return Err("expected a comma-separated list of cash flows, got nothing".to_string());
    }
    s.split(',')
        .enumerate()
        .map(|(i, part)| parse_money(part).map_err(|e| format!("value {}: {e}", i + 1)))
        .collect::<Result<Vec<f64>, String>>()
        .map(Values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_names_the_bad_value() {
        assert_eq!(series("-100, 50,1k").unwrap().0, vec![-100.0, 50.0, 1000.0]);
        let e = series("-100,abc").unwrap_err();
        assert!(e.contains("value 2"), "{e}");
        assert!(series("").is_err());
    }
}

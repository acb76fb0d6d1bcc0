//! What `fund solve | sweep` and `lp solve | sweep` share: the target and range flags, the
//! default search bracket, the checks of a sweep's values and the sweep loop itself (the
//! values a field takes, each once, with progress and cancellation between values). The
//! solver is the model's, [`venturelab::fund::explore::solve_by`], over the area's
//! evaluator.

use crate::error::{AppError, AppResult};
use crate::limits;
use crate::progress::{check, Observer};

/// `METRIC=VALUE` (`net_tvpi.p50=3`) as the metric and the value.
pub fn parse_target(target: &str) -> AppResult<(String, f64)> {
    let (metric, value) = target.split_once('=').ok_or_else(|| {
        AppError::parameter("target", format!("expected METRIC=VALUE, got '{target}'"))
    })?;
    let goal: f64 = value.trim().parse().map_err(|_| {
        AppError::parameter(
            "target",
            format!("expected a number after '=', got '{value}'"),
        )
    })?;
    Ok((metric.trim().to_string(), goal))
}

/// `points` evenly spaced values from `A..B` (money suffixes allowed).
pub fn range_values(range: &str, points: usize) -> AppResult<Vec<f64>> {
    let (a, b) = range
        .split_once("..")
        .ok_or_else(|| AppError::parameter("range", format!("expected A..B, got '{range}'")))?;
    let parse =
        |t: &str| venturelab::scenario::parse_money(t).map_err(|e| AppError::parameter("range", e));
    let (a, b) = (parse(a)?, parse(b)?);
    if points > limits::MAX_SWEEP_VALUES {
        return Err(AppError::parameter(
            "points",
            format!(
                "{points}: a sweep runs at most {} values (each is a whole simulation)",
                limits::MAX_SWEEP_VALUES
            ),
        ));
    }
    if points < 2 || b <= a {
        return Err(AppError::parameter(
            "range",
            format!("{range} with {points} points: expected A < B and at least 2 points"),
        ));
    }
    if !(b - a).is_finite() {
        return Err(AppError::parameter(
            "range",
            format!("{range}: too wide to split (B - A is beyond any number)"),
        ));
    }
    // The step as a fraction first: (B - A) * i could overflow where (B - A) does not.
    Ok((0..points)
        .map(|i| a + (b - a) * (i as f64 / (points - 1) as f64))
        .collect())
}

/// The search bracket: `lo` and `hi` as given, else a tenth and ten times the field's
/// `current` value (0 and 1 when it is not positive).
pub fn bracket(current: f64, lo: Option<f64>, hi: Option<f64>) -> (f64, f64) {
    (
        lo.unwrap_or(if current > 0.0 { current / 10.0 } else { 0.0 }),
        hi.unwrap_or(if current > 0.0 { current * 10.0 } else { 1.0 }),
    )
}

/// Refuses a sweep of no values or of more than [`limits::MAX_SWEEP_VALUES`] (`values`).
pub fn check_values(values: &[f64]) -> AppResult<()> {
    if values.is_empty() {
        return Err(AppError::parameter("values", "expected at least one value"));
    }
    if values.len() > limits::MAX_SWEEP_VALUES {
        return Err(AppError::parameter(
            "values",
            format!(
                "{} values: a sweep runs at most {} (each is a whole simulation)",
                values.len(),
                limits::MAX_SWEEP_VALUES
            ),
        ));
    }
    Ok(())
}

/// The sweep loop: `row(x)` at each value the field takes (`held(v)` of each asked value:
/// a whole-number field rounds 13.33 to 13; successive equal values run once), in order,
/// one unit of progress per value, stopping between values when the observer asks.
pub fn sweep_rows<T>(
    values: &[f64],
    held: impl Fn(f64) -> AppResult<f64>,
    obs: &dyn Observer,
    mut row: impl FnMut(f64) -> AppResult<T>,
) -> AppResult<Vec<T>> {
    check_values(values)?;
    let mut xs: Vec<f64> = Vec::with_capacity(values.len());
    for &v in values {
        let x = held(v)?;
        if xs.last() != Some(&x) {
            xs.push(x);
        }
    }
    obs.start(xs.len() as u64, "values");
    let rows = (|| {
        let mut rows = Vec::with_capacity(xs.len());
        for &x in &xs {
            check(obs)?;
            rows.push(row(x)?);
            obs.advance(1);
        }
        Ok(rows)
    })();
    obs.finish();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_defaults_to_a_tenth_and_ten_times() {
        assert_eq!(bracket(30.0, None, None), (3.0, 300.0));
        assert_eq!(bracket(0.0, None, Some(5.0)), (0.0, 5.0));
        assert_eq!(bracket(-2.0, Some(-4.0), None), (-4.0, 1.0));
    }

    #[test]
    fn sweep_rows_runs_each_held_value_once_in_order() {
        // 10, 10.4 and 10.6 held as whole numbers are 10, 10, 11: two rows.
        let rows = sweep_rows(
            &[10.0, 10.4, 10.6],
            |v| Ok(v.round()),
            &crate::Silent,
            |x| Ok(x * 2.0),
        )
        .unwrap();
        assert_eq!(rows, [20.0, 22.0]);
        assert!(sweep_rows(&[], Ok, &crate::Silent, Ok).is_err());
    }
}

//! Dated cash flows: XNPV and XIRR with Excel's Actual/365 convention.

use chrono::NaiveDate;

use super::periodic::irr_ticks;
use super::roots::all_rates;
use super::{check_rate, check_sign_change, check_values};
use crate::error::{Error, Result};

/// Years from `start` to `date` on Excel's Actual/365 basis: days / 365 (leap days count
/// as days; no year is 366 days long).
pub fn year_fraction(start: NaiveDate, date: NaiveDate) -> f64 {
    (date - start).num_days() as f64 / 365.0
}

fn check_dates(dates: &[NaiveDate], values: &[f64]) -> Result<()> {
    check_values("values", values)?;
    if dates.len() != values.len() {
        return Err(Error::param(
            "dates",
            format!(
                "expected one date per value, got {} dates for {} values",
                dates.len(),
                values.len()
            ),
        ));
    }
    if let Some(i) = dates.windows(2).position(|w| w[1] < w[0]) {
        return Err(Error::param(
            "dates",
            format!(
                "flow {} is dated {} which is before flow {} ({}); list flows in date order",
                i + 2,
                dates[i + 1],
                i + 1,
                dates[i]
            ),
        ));
    }
    Ok(())
}

/// Excel's `XNPV`: `Σ v_i / (1 + rate)^((d_i - d_0)/365)`, discounting to the first date.
pub fn xnpv(rate: f64, dates: &[NaiveDate], values: &[f64]) -> Result<f64> {
    check_rate("rate", rate)?;
    check_dates(dates, values)?;
    let d0 = dates[0];
    let ln1r = rate.ln_1p();
    let v: f64 = dates
        .iter()
        .zip(values)
        .map(|(&d, &v)| v * (-year_fraction(d0, d) * ln1r).exp())
        .sum();
    if !v.is_finite() {
        return Err(Error::param(
            "values",
            "the XNPV overflows a 64-bit number; use smaller units",
        ));
    }
    Ok(v)
}

/// Days from the first date, the integer ticks behind Actual/365.
fn days_from_first(dates: &[NaiveDate]) -> Vec<i64> {
    dates.iter().map(|&d| (d - dates[0]).num_days()).collect()
}

/// Excel's `XIRR`: the annual rate r > -1 with `xnpv(r, dates, values) = 0`.
///
/// Dates must be in non-decreasing order (flows on the same day are added). With several
/// roots the choice follows [`super::irr`] (smallest non-negative, else closest to zero).
pub fn xirr(dates: &[NaiveDate], values: &[f64]) -> Result<f64> {
    check_dates(dates, values)?;
    check_sign_change("values", values)?;
    irr_ticks(values, Some(&days_from_first(dates)), 365.0)
}

/// Every real annual rate at which the XNPV is zero, in increasing order.
pub fn xirr_roots(dates: &[NaiveDate], values: &[f64]) -> Result<Vec<f64>> {
    check_dates(dates, values)?;
    let mut roots = all_rates(values, Some(&days_from_first(dates)), 365.0);
    roots.retain(|r| r.is_finite());
    Ok(roots)
}

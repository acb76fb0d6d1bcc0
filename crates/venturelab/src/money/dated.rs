//! Dated cash flows: XNPV and XIRR, on Excel's Actual/365 basis by default and on any
//! [`DayCount`] when asked.

use chrono::NaiveDate;

use super::day_count::DayCount;
use super::periodic::{irr_ticks, nearest_root};
use super::roots::all_rates;
use super::{check_rate, check_sign_change, check_values};
use crate::error::{Error, Result};

/// Years from `start` to `date` on Excel's Actual/365 basis: days / 365 (leap days count
/// as days; no year is 366 days long).
pub fn year_fraction(start: NaiveDate, date: NaiveDate) -> f64 {
    DayCount::Act365F.year_fraction(start, date)
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
    xnpv_on(rate, dates, values, DayCount::Act365F)
}

/// XNPV with the year fractions of `day_count`: `Σ v_i / (1 + rate)^τ(d_0, d_i)`.
pub fn xnpv_on(rate: f64, dates: &[NaiveDate], values: &[f64], day_count: DayCount) -> Result<f64> {
    check_rate("rate", rate)?;
    check_dates(dates, values)?;
    let d0 = dates[0];
    let ln1r = rate.ln_1p();
    let v: f64 = dates
        .iter()
        .zip(values)
        .map(|(&d, &v)| v * (-day_count.year_fraction(d0, d) * ln1r).exp())
        .sum();
    if !v.is_finite() {
        return Err(Error::param(
            "values",
            "the XNPV overflows a 64-bit number; use smaller units",
        ));
    }
    Ok(v)
}

/// The day-count ticks of each date from the first (non-decreasing, as the dates are).
fn ticks_from_first(dates: &[NaiveDate], day_count: DayCount) -> Vec<i64> {
    dates
        .iter()
        .map(|&d| day_count.ticks(dates[0], d))
        .collect()
}

/// Excel's `XIRR`: the annual rate r > -1 with `xnpv(r, dates, values) = 0`.
///
/// Dates must be in non-decreasing order (flows on the same day are added). With several
/// roots the choice follows [`super::irr`] (smallest non-negative, else closest to zero).
pub fn xirr(dates: &[NaiveDate], values: &[f64]) -> Result<f64> {
    xirr_on(dates, values, DayCount::Act365F, None)
}

/// XIRR on the year fractions of `day_count`. Without a `guess` the root is chosen as
/// [`xirr`] chooses; with one, the root nearest the guess (Excel's `XIRR(values, dates,
/// guess)` iterates from the guess and so, where it converges, lands on a nearby root).
pub fn xirr_on(
    dates: &[NaiveDate],
    values: &[f64],
    day_count: DayCount,
    guess: Option<f64>,
) -> Result<f64> {
    check_dates(dates, values)?;
    check_sign_change("values", values)?;
    let ticks = ticks_from_first(dates, day_count);
    match guess {
        None => irr_ticks(values, Some(&ticks), day_count.ticks_per_year()),
        Some(g) => nearest_root(
            &all_rates(values, Some(&ticks), day_count.ticks_per_year()),
            g,
        ),
    }
}

/// Every real annual rate at which the XNPV is zero, in increasing order.
pub fn xirr_roots(dates: &[NaiveDate], values: &[f64]) -> Result<Vec<f64>> {
    xirr_roots_on(dates, values, DayCount::Act365F)
}

/// Every real annual rate at which the XNPV on `day_count` is zero, in increasing order.
pub fn xirr_roots_on(dates: &[NaiveDate], values: &[f64], day_count: DayCount) -> Result<Vec<f64>> {
    check_dates(dates, values)?;
    let ticks = ticks_from_first(dates, day_count);
    let mut roots = all_rates(values, Some(&ticks), day_count.ticks_per_year());
    roots.retain(|r| r.is_finite());
    Ok(roots)
}

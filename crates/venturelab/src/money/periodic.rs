//! Periodic cash flows: one value per period, the first at t = 0.

use super::roots::{all_rates, select_rate};
use super::{check_rate, check_sign_change, check_values};
use crate::error::{Error, Result};

/// Net present value with the first flow at t = 0 (numpy-financial's `npv`):
/// `Σ v_t / (1 + rate)^t`.
pub fn npv(rate: f64, values: &[f64]) -> Result<f64> {
    check_rate("rate", rate)?;
    check_values("values", values)?;
    // Horner in the discount factor: exact same terms as the sum, fewer powers.
    let d = 1.0 / (1.0 + rate);
    let v = values.iter().rev().fold(0.0, |acc, &v| acc * d + v);
    if !v.is_finite() {
        return Err(Error::param(
            "values",
            "the NPV overflows a 64-bit number; use smaller units",
        ));
    }
    Ok(v)
}

/// Excel's `NPV`: every flow, including the first, is discounted one more period:
/// `Σ v_t / (1 + rate)^(t+1)`. Equal to `npv(rate, values) / (1 + rate)`.
pub fn npv_excel(rate: f64, values: &[f64]) -> Result<f64> {
    Ok(npv(rate, values)? / (1.0 + rate))
}

/// Internal rate of return of periodic flows: a rate r > -1 with `npv(r, values) = 0`.
///
/// When several rates solve the equation, the choice follows numpy-financial's current
/// rule: the smallest non-negative root if there is one, otherwise the negative root
/// closest to zero. [`irr_roots`] lists them all. Flows that never change sign have no
/// rate and give [`Error::NoSolution`].
///
/// The usual shape (one sign change) has exactly one root and is solved without
/// allocating, in well under a microsecond for a few dozen periods.
///
/// ```
/// // numpy-financial's documentation example: pay 100, get 39, 59, 55 and 20 back.
/// let r = venturelab::money::irr(&[-100.0, 39.0, 59.0, 55.0, 20.0])?;
/// assert!((r - 0.28094842115996066).abs() < 1e-12);
/// // Flows that never change sign have no rate of return.
/// assert!(venturelab::money::irr(&[100.0, 10.0]).is_err());
/// # Ok::<(), venturelab::Error>(())
/// ```
pub fn irr(values: &[f64]) -> Result<f64> {
    check_values("values", values)?;
    irr_ticks(values, None, 1.0)
}

/// Every real rate r > -1 at which the NPV of the flows is zero, in increasing order.
/// Empty when the flows never change sign.
pub fn irr_roots(values: &[f64]) -> Result<Vec<f64>> {
    check_values("values", values)?;
    let mut roots = all_rates(values, None, 1.0);
    // A root beyond the largest float (1 + r overflows) is not reported as a number.
    roots.retain(|r| r.is_finite());
    roots.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * (1.0 + b.abs()));
    Ok(roots)
}

/// The IRR of flows at integer `ticks` (sorted; `None` means 0, 1, 2, ...) with `unit`
/// ticks per rate period: 1 for periods, 365 for days (Actual/365 annual rates).
/// The selection rule is [`irr`]'s. Expects validated, finite values.
pub fn irr_ticks(values: &[f64], ticks: Option<&[i64]>, unit: f64) -> Result<f64> {
    check_sign_change("values", values)?;
    let r = select_rate(values, ticks, unit).ok_or_else(|| {
        Error::NoSolution(
            "values: no real rate of return above -100% makes the present value zero".to_string(),
        )
    })?;
    if !r.is_finite() {
        return Err(Error::NoSolution(
            "values: the rate of return is above the largest 64-bit float (about 1.8e308 per period): \
             the first flows are negligible against the later ones"
                .to_string(),
        ));
    }
    Ok(r)
}

/// Modified internal rate of return (numpy-financial's `mirr`, Excel's `MIRR`): negative
/// flows are discounted at `finance_rate`, positive flows compounded at `reinvest_rate`:
///
/// `MIRR = (FV(positive flows at reinvest_rate) / -PV(negative flows at finance_rate))^(1/(n-1)) - 1`
pub fn mirr(values: &[f64], finance_rate: f64, reinvest_rate: f64) -> Result<f64> {
    check_values("values", values)?;
    check_rate("finance_rate", finance_rate)?;
    check_rate("reinvest_rate", reinvest_rate)?;
    check_sign_change("values", values)?;
    let n = values.len();
    let pos: Vec<f64> = values.iter().map(|&v| v.max(0.0)).collect();
    let neg: Vec<f64> = values.iter().map(|&v| v.min(0.0)).collect();
    let numer = npv(reinvest_rate, &pos)?.abs();
    let denom = npv(finance_rate, &neg)?.abs();
    let m = (numer / denom).powf(1.0 / (n as f64 - 1.0)) * (1.0 + reinvest_rate) - 1.0;
    if !m.is_finite() {
        return Err(Error::param(
            "values",
            format!(
                "the MIRR of these flows is not a finite number (the ratio of their values, {numer:e} / {denom:e}, \
                 overflows); use smaller units or less extreme flows"
            ),
        ));
    }
    Ok(m)
}

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

/// The IRR nearest `guess`, the rule of an Excel-style `--guess`: of every real root,
/// the one closest to the guess (ties to the lower). Excel's `IRR(values, guess)` runs
/// Newton from the guess, which where it converges usually lands on that root; choosing
/// from the full list makes the answer independent of how Newton wanders.
pub fn irr_nearest(values: &[f64], guess: f64) -> Result<f64> {
    check_values("values", values)?;
    check_sign_change("values", values)?;
    let roots = irr_roots(values)?;
    let r = nearest_root(&roots, guess)?;
    Ok(polish(values, r))
}

/// Of `roots`, the one nearest `guess` (ties to the lower); an error when there is none
/// or the guess is not a rate above -100%.
pub(crate) fn nearest_root(roots: &[f64], guess: f64) -> Result<f64> {
    check_rate("guess", guess)?;
    roots
        .iter()
        .copied()
        .filter(|r| r.is_finite())
        .min_by(|a, b| (a - guess).abs().total_cmp(&(b - guess).abs()))
        .ok_or_else(|| {
            Error::NoSolution(
                "values: no real rate of return above -100% makes the present value zero"
                    .to_string(),
            )
        })
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
    let r = if ticks.is_none() {
        polish(values, r)
    } else {
        r
    };
    if !r.is_finite() {
        return Err(Error::NoSolution(
            "values: the rate of return is above the largest 64-bit float (about 1.8e308 per period): \
             the first flows are negligible against the later ones"
                .to_string(),
        ));
    }
    Ok(r)
}

/// `a + b` as the rounded sum and its exact error (Knuth's TwoSum).
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let z = s - a;
    (s, (a - (s - z)) + (b - z))
}

/// `a · b` as the rounded product and its exact error (Dekker's TwoProduct, no FMA needed).
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    const SPLIT: f64 = 134_217_729.0; // 2^27 + 1
    let split = |x: f64| {
        let c = SPLIT * x;
        let h = c - (c - x);
        (h, x - h)
    };
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, al * bl - (((p - ah * bh) - al * bh) - ah * bl))
}

/// The polynomial with coefficients `coeffs` (highest power first) at `x`, by compensated
/// Horner (Graillat, Langlois & Louvet 2005: as accurate as Horner in twice the working
/// precision, then rounded), and its derivative by plain Horner.
fn comp_horner(coeffs: impl Iterator<Item = f64>, x: f64) -> (f64, f64) {
    let mut s = 0.0;
    let mut c = 0.0;
    let mut ds = 0.0;
    for a in coeffs {
        ds = ds * x + s;
        let (p, pi) = two_prod(s, x);
        let (t, sigma) = two_sum(p, a);
        s = t;
        c = c * x + (pi + sigma);
    }
    (s + c, ds)
}

/// A final polish of a periodic IRR (issue 16 item 10): Newton steps on the NPV as a
/// polynomial in `x`, evaluated by compensated Horner, where `x = 1 + r` when `r ≤ 0`
/// (`Σ v_t x^(n-t)`) and `x = 1/(1 + r)` when `r > 0` (`Σ v_t x^t`), so that `|x| ≤ 1` and
/// no power overflows. Kept only when it lowers the accurately evaluated residual; at most
/// four steps, no allocation.
fn polish(values: &[f64], r: f64) -> f64 {
    let inverse = r > 0.0;
    let eval = |x: f64| {
        if inverse {
            comp_horner(values.iter().rev().copied(), x)
        } else {
            comp_horner(values.iter().copied(), x)
        }
    };
    let to_rate = |x: f64| if inverse { 1.0 / x - 1.0 } else { x - 1.0 };
    let mut x = if inverse { 1.0 / (1.0 + r) } else { 1.0 + r };
    let (mut fx, _) = eval(x);
    if !fx.is_finite() {
        return r;
    }
    for _ in 0..4 {
        let (_, d) = eval(x);
        let next = x - fx / d;
        if !(next.is_finite() && next > 0.0) || next == x {
            break;
        }
        let (fn_, _) = eval(next);
        if !(fn_.is_finite() && fn_.abs() < fx.abs()) {
            break;
        }
        x = next;
        fx = fn_;
    }
    let polished = to_rate(x);
    if polished.is_finite() && polished > -1.0 {
        polished
    } else {
        r
    }
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

//! Time value of money: pmt, nper, rate, pv and fv, with numpy-financial's conventions.
//!
//! All five solve the same equation for one unknown (numpy-financial, `fv` docstring):
//!
//! ```text
//! fv + pv·(1+rate)^nper + pmt·(1 + rate·w)/rate · ((1+rate)^nper - 1) = 0
//! ```
//!
//! with `w = 0` for payments at the end of each period and `w = 1` at the beginning; at
//! `rate = 0` the annuity factor is `nper`. Money paid out is negative.

use super::check_rate;
use super::roots::brent;
use crate::error::{Error, Result};

/// When in each period the payment falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum When {
    /// At the end of each period (an ordinary annuity; numpy-financial's default).
    #[default]
    End,
    /// At the beginning of each period (an annuity due).
    Begin,
}

impl When {
    fn w(self) -> f64 {
        match self {
            When::End => 0.0,
            When::Begin => 1.0,
        }
    }
}

fn check_finite(field: &str, v: f64) -> Result<()> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(Error::param(
            field,
            format!("expected a finite number, got {v}"),
        ))
    }
}

/// Annuity factor: nper at rate 0, else (1 + rate·w)((1+rate)^nper - 1)/rate.
fn annuity_factor(rate: f64, nper: f64, when: When) -> f64 {
    if rate == 0.0 {
        nper
    } else {
        (1.0 + rate * when.w()) * ((1.0 + rate).powf(nper) - 1.0) / rate
    }
}

/// Future value after `nper` periods of a present value `pv` and payments `pmt`.
pub fn fv(rate: f64, nper: f64, pmt: f64, pv: f64, when: When) -> Result<f64> {
    check_rate("rate", rate)?;
    for (f, v) in [("nper", nper), ("pmt", pmt), ("pv", pv)] {
        check_finite(f, v)?;
    }
    let temp = (1.0 + rate).powf(nper);
    Ok(-(pv * temp + pmt * annuity_factor(rate, nper, when)))
}

/// Payment per period that takes `pv` to `fv` in `nper` periods.
pub fn pmt(rate: f64, nper: f64, pv: f64, fv: f64, when: When) -> Result<f64> {
    check_rate("rate", rate)?;
    for (f, v) in [("nper", nper), ("pv", pv), ("fv", fv)] {
        check_finite(f, v)?;
    }
    let fact = annuity_factor(rate, nper, when);
    if fact == 0.0 {
        return Err(Error::param(
            "nper",
            "the number of periods must not be zero",
        ));
    }
    Ok(-(fv + pv * (1.0 + rate).powf(nper)) / fact)
}

/// Present value of `nper` payments `pmt` and a final value `fv`.
pub fn pv(rate: f64, nper: f64, pmt: f64, fv: f64, when: When) -> Result<f64> {
    check_rate("rate", rate)?;
    for (f, v) in [("nper", nper), ("pmt", pmt), ("fv", fv)] {
        check_finite(f, v)?;
    }
    let temp = (1.0 + rate).powf(nper);
    Ok(-(fv + pmt * annuity_factor(rate, nper, when)) / temp)
}

/// Number of periods for `pv` and payments `pmt` to reach `fv`.
///
/// At rate 0 this is `-(fv + pv)/pmt` (+infinity when the payment is zero, as
/// numpy-financial); otherwise `ln((pmt·(1+rate·w)/rate - fv) / (pv + pmt·(1+rate·w)/rate)) / ln(1+rate)`.
/// When no number of periods reaches `fv` the logarithm is undefined and an error says so.
pub fn nper(rate: f64, pmt: f64, pv: f64, fv: f64, when: When) -> Result<f64> {
    check_rate("rate", rate)?;
    for (f, v) in [("pmt", pmt), ("pv", pv), ("fv", fv)] {
        check_finite(f, v)?;
    }
    if rate == 0.0 {
        // numpy-financial (current `nper_inner_loop`): no interest and no payment never
        // reaches the target, which it reports as +infinity.
        if pmt == 0.0 {
            return Ok(f64::INFINITY);
        }
        return Ok(-(fv + pv) / pmt);
    }
    let z = pmt * (1.0 + rate * when.w()) / rate;
    let ratio = (-fv + z) / (pv + z);
    let n = ratio.ln() / (1.0 + rate).ln();
    if n.is_nan() {
        return Err(Error::NoSolution(format!(
            "nper: no number of periods takes pv {pv} to fv {fv} with payment {pmt} at rate {rate}"
        )));
    }
    Ok(n)
}

/// The rate per period that takes `pv` and `nper` payments `pmt` to `fv`.
///
/// Like numpy-financial, Newton-Raphson from `guess` (0.1 by default) to a step below 1e-6,
/// then polished to full precision. Where Newton fails, a bracketing search over
/// -100% < rate < 10^8 looks for a root before giving up with [`Error::NoSolution`]
/// (numpy-financial returns NaN there).
pub fn rate(nper: f64, pmt: f64, pv: f64, fv: f64, when: When, guess: Option<f64>) -> Result<f64> {
    for (f, v) in [("nper", nper), ("pmt", pmt), ("pv", pv), ("fv", fv)] {
        check_finite(f, v)?;
    }
    if nper <= 0.0 {
        return Err(Error::param(
            "nper",
            format!("expected a positive number of periods, got {nper}"),
        ));
    }
    let w = when.w();
    let g = |r: f64| {
        if r == 0.0 {
            fv + pv + pmt * nper
        } else {
            let t1 = (1.0 + r).powf(nper);
            fv + t1 * pv + pmt * (t1 - 1.0) * (r * w + 1.0) / r
        }
    };
    let g_div_gp = |r: f64| {
        let t1 = (1.0 + r).powf(nper);
        let t2 = (1.0 + r).powf(nper - 1.0);
        let gv = fv + t1 * pv + pmt * (t1 - 1.0) * (r * w + 1.0) / r;
        let gp = nper * t2 * pv - pmt * (t1 - 1.0) * (r * w + 1.0) / (r * r)
            + nper * pmt * t2 * (r * w + 1.0) / r
            + pmt * (t1 - 1.0) * w / r;
        gv / gp
    };
    let mut r = guess.unwrap_or(0.1);
    let mut converged = false;
    for _ in 0..100 {
        let next = r - g_div_gp(r);
        if !next.is_finite() {
            break;
        }
        let step = (next - r).abs();
        r = next;
        if step < 1e-6 {
            converged = true;
            break;
        }
    }
    if converged && r > -1.0 {
        // Polish: a few more Newton steps reach full precision from here.
        for _ in 0..3 {
            let next = r - g_div_gp(r);
            if next.is_finite() && next > -1.0 {
                r = next;
            }
        }
        return Ok(r);
    }
    // Bracketing fallback on s = ln(1 + r).
    let f = |s: f64| g(s.exp_m1());
    let mut a = -20.0;
    let mut fa = f(a);
    let mut s = a;
    while s < 18.4 {
        s += 0.01;
        let fs = f(s);
        if fa.is_finite() && fs.is_finite() && (fa == 0.0 || (fa > 0.0) != (fs > 0.0)) {
            return Ok(brent(f, a, s, fa, fs).exp_m1());
        }
        a = s;
        fa = fs;
    }
    Err(Error::NoSolution(format!(
        "rate: no rate above -100% takes pv {pv} with {nper} payments of {pmt} to fv {fv}"
    )))
}

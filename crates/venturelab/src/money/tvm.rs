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
use crate::scenario::num;

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
    } else if rate.abs() < 1e-6 {
        // (1 + rate)^nper - 1 cancels to nothing for tiny rates (1e-17: exactly 0, which
        // read as "zero periods"); expm1(nper ln(1 + rate)) keeps every digit.
        (1.0 + rate * when.w()) * (nper * rate.ln_1p()).exp_m1() / rate
    } else {
        (1.0 + rate * when.w()) * ((1.0 + rate).powf(nper) - 1.0) / rate
    }
}

/// The input to blame when a result overflows: the rate or the number of periods when the
/// growth factor `(1+rate)^nper` is what overflows (the rate when it is above 100% a
/// period), else the largest amount.
fn culprit(rate: f64, nper: f64, amounts: &[(&'static str, f64)]) -> &'static str {
    if (nper * rate.ln_1p()).abs() > 700.0 {
        if rate.abs() > 1.0 {
            "rate"
        } else {
            "nper"
        }
    } else {
        amounts
            .iter()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .map_or("rate", |a| a.0)
    }
}

/// `v` when finite, else an error at `culprit` saying that `what` has no finite value.
fn finite_result(what: &str, v: f64, culprit: &str) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::param(
            culprit,
            format!(
                "the {what} for these inputs is not a finite number (it exceeds about 1.8e308, the \
                 largest 64-bit float); use a smaller {culprit} or smaller units"
            ),
        ))
    }
}

/// Future value after `nper` periods of a present value `pv` and payments `pmt`.
pub fn fv(rate: f64, nper: f64, pmt: f64, pv: f64, when: When) -> Result<f64> {
    check_rate("rate", rate)?;
    for (f, v) in [("nper", nper), ("pmt", pmt), ("pv", pv)] {
        check_finite(f, v)?;
    }
    let temp = (1.0 + rate).powf(nper);
    let v = -(pv * temp + pmt * annuity_factor(rate, nper, when));
    finite_result(
        "future value",
        v,
        culprit(rate, nper, &[("pmt", pmt), ("pv", pv)]),
    )
}

/// `(1+rate)^-nper`, the discount factor, computed without forming `(1+rate)^nper`.
fn discount(rate: f64, nper: f64) -> f64 {
    (-nper * rate.ln_1p()).exp()
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
    let v = -(fv + pv * (1.0 + rate).powf(nper)) / fact;
    if v.is_finite() {
        return Ok(v);
    }
    // (1+rate)^nper overflowed: the same payment from the discount factor d,
    // -(fv d + pv) rate / ((1 + rate w)(1 - d)).
    let d = discount(rate, nper);
    let v = -(fv * d + pv) * rate / ((1.0 + rate * when.w()) * (1.0 - d));
    finite_result("payment", v, culprit(rate, nper, &[("pv", pv), ("fv", fv)]))
}

/// Present value of `nper` payments `pmt` and a final value `fv`.
pub fn pv(rate: f64, nper: f64, pmt: f64, fv: f64, when: When) -> Result<f64> {
    check_rate("rate", rate)?;
    for (f, v) in [("nper", nper), ("pmt", pmt), ("fv", fv)] {
        check_finite(f, v)?;
    }
    let temp = (1.0 + rate).powf(nper);
    let v = -(fv + pmt * annuity_factor(rate, nper, when)) / temp;
    if v.is_finite() || rate == 0.0 {
        return finite_result(
            "present value",
            v,
            culprit(rate, nper, &[("pmt", pmt), ("fv", fv)]),
        );
    }
    // (1+rate)^nper overflowed (a perpetuity in the limit): from the discount factor d,
    // -(fv d + pmt (1 + rate w)(1 - d) / rate).
    let d = discount(rate, nper);
    let v = -(fv * d + pmt * (1.0 + rate * when.w()) * (1.0 - d) / rate);
    finite_result(
        "present value",
        v,
        culprit(rate, nper, &[("pmt", pmt), ("fv", fv)]),
    )
}

/// Number of periods for `pv` and payments `pmt` to reach `fv`.
///
/// At rate 0 this is `-(fv + pv)/pmt`; otherwise
/// `ln((pmt·(1+rate·w)/rate - fv) / (pv + pmt·(1+rate·w)/rate)) / ln(1+rate)`.
/// `+infinity` when the balance never reaches `fv` in a finite number of periods: no
/// payment and no interest (numpy-financial's `inf`), a balance that only tends to `fv`,
/// or a payment that exactly covers the interest. When no number of periods, finite or
/// not, reaches `fv` (the logarithm of a negative number) an error says so.
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
        let n = -(fv + pv) / pmt;
        if !n.is_finite() {
            return Err(Error::param(
                "pmt",
                format!(
                    "the number of periods, -(fv + pv) / pmt = {n}, is not a finite number: the payment \
                     {pmt} is too small for pv {pv} and fv {fv}"
                ),
            ));
        }
        return Ok(n);
    }
    let z = pmt * (1.0 + rate * when.w()) / rate;
    if z == 0.0 && pmt != 0.0 {
        // pmt / rate underflowed: the asymptote tests below would mistake a negligible
        // payment for none.
        return Err(Error::param(
            "pmt",
            format!(
                "the payment {pmt} is negligible at rate {rate} (payment / rate is below the smallest \
                 64-bit float); use a larger payment or a smaller rate"
            ),
        ));
    }
    let (num, den) = (-fv + z, pv + z);
    // Tested on the two sides, not on their quotient, which can underflow to 0 or
    // overflow to infinity when the answer is finite.
    if (num == 0.0) != (den == 0.0) {
        // fv is the balance's asymptote (ratio 0: the balance tends to fv) or the balance
        // never moves (pv + z = 0: the payment exactly covers the interest): no finite
        // number of periods reaches fv. +infinity, numpy-financial's answer for the
        // rate-0 case of the same thing.
        return Ok(f64::INFINITY);
    }
    if !z.is_finite() {
        return Err(Error::param(
            "rate",
            format!(
                "the rate {rate} is too small for the payment {pmt} (payment / rate overflows); \
                 use a larger rate or 0"
            ),
        ));
    }
    let ratio = num / den;
    let ln_ratio = if ratio.is_normal() {
        ratio.ln()
    } else if (num > 0.0) == (den > 0.0) {
        // The quotient under- or overflowed: its logarithm from the two logarithms (no
        // cancellation to fear, the ratio being far from 1).
        num.abs().ln() - den.abs().ln()
    } else {
        f64::NAN
    };
    let n = ln_ratio / rate.ln_1p();
    if n.is_nan() {
        return Err(Error::NoSolution(format!(
            "nper: no number of periods takes pv {pv} to fv {fv} with payment {pmt} at rate {rate}"
        )));
    }
    if !n.is_finite() {
        return Err(Error::param(
            "rate",
            format!(
                "the number of periods at rate {rate} is finite but beyond the largest 64-bit float \
                 (the rate is too small for pv {pv} and fv {fv}); use a larger rate"
            ),
        ));
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
    if pv == 0.0 && pmt == 0.0 && fv == 0.0 {
        return Err(Error::param(
            "pv",
            "with pv, pmt and fv all zero every rate solves the equation; give a non-zero amount",
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
        if r.is_finite() {
            return Ok(r);
        }
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
            let r = brent(f, a, s, fa, fs).exp_m1();
            if r.is_finite() {
                return Ok(r);
            }
            break;
        }
        a = s;
        fa = fs;
    }
    // Money paid and received have opposite signs (numpy-financial's convention): amounts
    // of one sign can balance at no rate, which is what the user has to change.
    let one_sign =
        [pv, pmt, fv].iter().all(|&x| x >= 0.0) || [pv, pmt, fv].iter().all(|&x| x <= 0.0);
    let hint = if one_sign {
        "; pv, pmt and fv all have one sign: give money paid and money received opposite signs"
    } else {
        ""
    };
    Err(Error::NoSolution(format!(
        "no rate above -100% takes pv {} with {} payments of {} to fv {}{hint}",
        num(pv),
        num(nper),
        num(pmt),
        num(fv)
    )))
}

/// Checks that `per` is a period of the loan: finite, from 1 to `nper`.
fn check_period(field: &str, per: f64, nper: f64) -> Result<()> {
    check_finite(field, per)?;
    if !(1.0..=nper).contains(&per) {
        return Err(Error::param(
            field,
            format!("expected a period from 1 to nper ({nper}), got {per}"),
        ));
    }
    Ok(())
}

/// The interest part of payment number `per` (1-based) of the annuity that takes `pv` to
/// `fv` in `nper` periods: numpy-financial's `ipmt` and Excel's `IPMT`.
///
/// It is the rate times the balance after `per - 1` payments, `fv(rate, per-1, pmt, pv)`;
/// with payments at the beginning the first payment carries no interest and later ones are
/// discounted one period (numpy-financial's rule). Same sign convention as [`pmt`]:
/// interest paid on a loan received (`pv > 0`) is negative.
pub fn ipmt(rate: f64, per: f64, nper: f64, pv: f64, fv_: f64, when: When) -> Result<f64> {
    let total = pmt(rate, nper, pv, fv_, when)?;
    check_period("per", per, nper)?;
    interest_part(rate, per, total, pv, when)
}

/// [`ipmt`] with the payment already known.
fn interest_part(rate: f64, per: f64, total: f64, pv: f64, when: When) -> Result<f64> {
    if when == When::Begin && per == 1.0 {
        return Ok(0.0);
    }
    let balance = fv(rate, per - 1.0, total, pv, when)?;
    let i = balance * rate;
    let i = if when == When::Begin {
        i / (1.0 + rate)
    } else {
        i
    };
    finite_result("interest payment", i, "pv")
}

/// The principal part of payment number `per`: `pmt - ipmt` (numpy-financial's `ppmt`,
/// Excel's `PPMT`).
pub fn ppmt(rate: f64, per: f64, nper: f64, pv: f64, fv_: f64, when: When) -> Result<f64> {
    let total = pmt(rate, nper, pv, fv_, when)?;
    check_period("per", per, nper)?;
    Ok(total - interest_part(rate, per, total, pv, when)?)
}

/// Checks the periods of a cumulative sum: whole numbers with `1 <= start <= end <= nper`
/// and `nper` whole (Excel's `CUMIPMT` and `CUMPRINC` rules).
fn check_span(nper: f64, start: f64, end: f64) -> Result<()> {
    check_finite("nper", nper)?;
    if nper < 1.0 || nper.fract() != 0.0 {
        return Err(Error::param(
            "nper",
            format!("expected a whole number of periods of at least 1, got {nper}"),
        ));
    }
    for (field, v) in [("start", start), ("end", end)] {
        check_period(field, v, nper)?;
        if v.fract() != 0.0 {
            return Err(Error::param(
                field,
                format!("expected a whole period number, got {v}"),
            ));
        }
    }
    if start > end {
        return Err(Error::param(
            "start",
            format!("the first period ({start}) is after the last ({end})"),
        ));
    }
    Ok(())
}

/// The interest paid from payment `start` to payment `end` inclusive: Excel's `CUMIPMT`
/// (with a final value `fv`, 0 in Excel). Interest paid is negative when `pv > 0`.
pub fn cumipmt(
    rate: f64,
    nper: f64,
    pv: f64,
    fv_: f64,
    start: f64,
    end: f64,
    when: When,
) -> Result<f64> {
    let total = pmt(rate, nper, pv, fv_, when)?;
    check_span(nper, start, end)?;
    let mut sum = 0.0;
    let mut per = start;
    while per <= end {
        sum += interest_part(rate, per, total, pv, when)?;
        per += 1.0;
    }
    Ok(sum)
}

/// The principal repaid from payment `start` to payment `end` inclusive: Excel's
/// `CUMPRINC`. Equal to the balance before `start` minus the balance after `end` (with
/// [`pmt`]'s sign: negative when `pv > 0`).
pub fn cumprinc(
    rate: f64,
    nper: f64,
    pv: f64,
    fv_: f64,
    start: f64,
    end: f64,
    when: When,
) -> Result<f64> {
    let total = pmt(rate, nper, pv, fv_, when)?;
    let interest = cumipmt(rate, nper, pv, fv_, start, end, when)?;
    Ok(total * (end - start + 1.0) - interest)
}

/// One payment of an amortisation schedule.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Instalment {
    /// Payment number, from 1.
    pub period: u64,
    /// The whole payment (as [`pmt`]: negative when `pv > 0`).
    pub payment: f64,
    /// Its interest part ([`ipmt`]).
    pub interest: f64,
    /// Its principal part ([`ppmt`]).
    pub principal: f64,
    /// What is still owed after this payment, with `pv`'s sign; ends at `-fv`.
    pub balance: f64,
}

/// The largest schedule [`amortization`] writes out (a century of daily payments).
pub const MAX_SCHEDULE_ROWS: f64 = 36_600.0;

/// The amortisation schedule of the annuity that takes `pv` to `fv` in `nper` (a whole
/// number, at most [`MAX_SCHEDULE_ROWS`]) payments: one row per payment, each from the
/// closed forms of [`ipmt`] and [`fv`] so that no rounding accumulates down the table.
pub fn amortization(
    rate: f64,
    nper: f64,
    pv: f64,
    fv_: f64,
    when: When,
) -> Result<Vec<Instalment>> {
    let total = pmt(rate, nper, pv, fv_, when)?;
    check_span(nper, 1.0, nper)?;
    if nper > MAX_SCHEDULE_ROWS {
        return Err(Error::param(
            "nper",
            format!(
                "a schedule of {nper} payments is too long to write out (at most {MAX_SCHEDULE_ROWS}); \
                 use ipmt/ppmt for single periods"
            ),
        ));
    }
    (1..=nper as u64)
        .map(|k| {
            let per = k as f64;
            let interest = interest_part(rate, per, total, pv, when)?;
            let balance = -fv(rate, per, total, pv, when)?;
            Ok(Instalment {
                period: k,
                payment: total,
                interest,
                principal: total - interest,
                balance,
            })
        })
        .collect()
}

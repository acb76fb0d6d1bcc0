//! Real roots of cash-flow equations: the numerical kernel behind IRR, XIRR and MIRR.
//!
//! Both periodic and dated present values are exponential sums in `s = ln(1 + r)`:
//!
//! ```text
//! f(s) = Σ v_i · exp(-τ_i · s),   τ_i = period index (IRR) or years since the first flow (XIRR)
//! ```
//!
//! Working in `s` rather than `r` maps the whole admissible range `r > -1` onto the real
//! line, so rates close to -100% (numpy-financial's gh-15) and rates of thousands of
//! percent are found alike. Two facts make the search exact rather than heuristic:
//!
//! 1. Descartes' rule of signs holds for exponential sums (Pólya & Szegő, Part V, 77): the
//!    number of real roots is at most the number of sign changes of the coefficients taken
//!    in order of τ. One sign change (the usual shape: pay in, then get paid) means exactly
//!    one root, found by bracketing and Brent's method with no allocation.
//! 2. With `k > 1` sign changes, multiplying by `exp(c·s)` for a `c` between the two τ of a
//!    sign change and differentiating gives an exponential sum with `k - 1` changes whose
//!    roots separate those of `f` (Rolle). Recursing down to one change isolates every
//!    real root; each isolating interval is then solved by Brent. Double roots (where `f`
//!    touches zero) are reported when `f` vanishes at a critical point to rounding.
//!
//! Evaluation is scaled to avoid overflow: for `s ≥ 0` the sum is multiplied by
//! `exp(τ_first · s)` and for `s < 0` by `exp(τ_last · s)`, which keeps every term at most
//! `|v_i|` and does not change the sign.

use std::cell::RefCell;

/// Beyond |s| = 800 every representable rate is either -100% or infinite.
const S_LIMIT: f64 = 800.0;

/// Scaled value of Σ v_t x^t with x = exp(-s), for periodic flows (t = 0, 1, 2, ...).
/// `first..=last` are the indices of the first and last nonzero value.
#[inline]
fn eval_periodic(values: &[f64], first: usize, last: usize, s: f64) -> f64 {
    if s >= 0.0 {
        let x = (-s).exp();
        let mut acc = 0.0;
        for &v in values[first..=last].iter().rev() {
            acc = acc * x + v;
        }
        acc
    } else {
        let y = s.exp();
        let mut acc = 0.0;
        for &v in &values[first..=last] {
            acc = acc * y + v;
        }
        acc
    }
}

/// Scaled value of Σ c_i exp(-τ_i s) for sorted, distinct τ.
#[inline]
fn eval_general(coeffs: &[f64], times: &[f64], s: f64) -> f64 {
    let n = coeffs.len();
    if n == 0 {
        return 0.0;
    }
    if s >= 0.0 {
        let t0 = times[0];
        coeffs
            .iter()
            .zip(times)
            .map(|(&c, &t)| c * (-(t - t0) * s).exp())
            .sum()
    } else {
        let tn = times[n - 1];
        coeffs
            .iter()
            .zip(times)
            .map(|(&c, &t)| c * ((tn - t) * s).exp())
            .sum()
    }
}

/// Number of sign changes in a sequence, ignoring zeros.
pub(crate) fn sign_changes(values: &[f64]) -> usize {
    let mut changes = 0;
    let mut last = 0.0f64;
    for &v in values {
        if v != 0.0 {
            if last != 0.0 && (v > 0.0) != (last > 0.0) {
                changes += 1;
            }
            last = v;
        }
    }
    changes
}

/// Brent's method on [a, b] where f(a) and f(b) have opposite signs (or one is zero).
/// Converges to within a few ulps of s; at most 200 iterations.
pub(crate) fn brent(
    f: impl Fn(f64) -> f64,
    mut a: f64,
    mut b: f64,
    mut fa: f64,
    mut fb: f64,
) -> f64 {
    if fa == 0.0 {
        return a;
    }
    if fb == 0.0 {
        return b;
    }
    if fa.abs() < fb.abs() {
        std::mem::swap(&mut a, &mut b);
        std::mem::swap(&mut fa, &mut fb);
    }
    let mut c = a;
    let mut fc = fa;
    let mut d = b - a;
    let mut mflag = true;
    for _ in 0..200 {
        if fb == 0.0 {
            return b;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 1e-300;
        if (b - a).abs() <= tol {
            return b;
        }
        let mut s = if fa != fc && fb != fc {
            // inverse quadratic interpolation
            a * fb * fc / ((fa - fb) * (fa - fc))
                + b * fa * fc / ((fb - fa) * (fb - fc))
                + c * fa * fb / ((fc - fa) * (fc - fb))
        } else {
            b - fb * (b - a) / (fb - fa)
        };
        let lo = (3.0 * a + b) / 4.0;
        let between = if lo < b {
            s > lo && s < b
        } else {
            s > b && s < lo
        };
        let bisect = !between
            || (mflag && (s - b).abs() >= (b - c).abs() / 2.0)
            || (!mflag && (s - b).abs() >= (c - d).abs() / 2.0)
            || (mflag && (b - c).abs() < tol)
            || (!mflag && (c - d).abs() < tol)
            || !s.is_finite();
        if bisect {
            s = (a + b) / 2.0;
            mflag = true;
        } else {
            mflag = false;
        }
        let fs = f(s);
        d = c;
        c = b;
        fc = fb;
        if (fa < 0.0) != (fs < 0.0) {
            b = s;
            fb = fs;
        } else {
            a = s;
            fa = fs;
        }
        if fa.abs() < fb.abs() {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut fa, &mut fb);
        }
    }
    b
}

/// The single root of a function whose value tends to `sign_neg_inf` as s → -∞ and to the
/// opposite sign as s → +∞. Expands a bracket from s = 0 outwards by doubling.
fn single_root(f: impl Fn(f64) -> f64) -> f64 {
    let f0 = f(0.0);
    if f0 == 0.0 {
        return 0.0;
    }
    let f_hi_end = f(S_LIMIT);
    // The root lies on the side of 0 where the sign still has to change.
    let towards_positive = (f0 > 0.0) != (f_hi_end > 0.0);
    let dir = if towards_positive { 1.0 } else { -1.0 };
    let mut inner = 0.0;
    let mut f_inner = f0;
    let mut step: f64 = 0.125;
    loop {
        let outer = (dir * step).clamp(-S_LIMIT, S_LIMIT);
        let f_outer = f(outer);
        if f_outer == 0.0 {
            return outer;
        }
        if (f_outer > 0.0) != (f0 > 0.0) {
            let (a, b, fa, fb) = if dir > 0.0 {
                (inner, outer, f_inner, f_outer)
            } else {
                (outer, inner, f_outer, f_inner)
            };
            return brent(&f, a, b, fa, fb);
        }
        if outer.abs() >= S_LIMIT {
            // The sign never changed within the representable range.
            return dir * f64::INFINITY;
        }
        inner = outer;
        f_inner = f_outer;
        step *= 2.0;
    }
}

thread_local! {
    /// Scratch space (coefficients, times) reused across calls so that root finding does
    /// not allocate per call.
    static SCRATCH: RefCell<(Vec<f64>, Vec<f64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Solves the rare case of several sign changes by Rolle isolation (see module docs).
/// `coeffs`/`times`: merged nonzero coefficients with strictly increasing times.
/// Calls `found(s)` for every real root, in increasing order.
fn all_roots_general(coeffs: &[f64], times: &[f64], found: &mut dyn FnMut(f64)) {
    let n = coeffs.len();
    let k = sign_changes(coeffs);
    if k == 0 {
        return;
    }
    if k == 1 {
        let s = single_root(|s| eval_general(coeffs, times, s));
        if s.is_finite() {
            found(s);
        }
        return;
    }
    // Derivative of exp(c s) f(s): coefficients c_i (c - τ_i), one sign change fewer.
    let j = (0..n - 1)
        .find(|&i| (coeffs[i] > 0.0) != (coeffs[i + 1] > 0.0))
        .expect("k >= 2");
    let c = 0.5 * (times[j] + times[j + 1]);
    let deriv: Vec<f64> = coeffs
        .iter()
        .zip(times)
        .map(|(&a, &t)| a * (c - t))
        .collect();
    let mut critical = Vec::with_capacity(k);
    all_roots_general(&deriv, times, &mut |s| critical.push(s));
    let f = |s: f64| eval_general(coeffs, times, s);
    let scale: f64 = coeffs.iter().map(|c| c.abs()).fold(0.0, f64::max);
    let mut lo = -S_LIMIT;
    let mut f_lo = f(lo);
    for hi in critical.iter().copied().chain(std::iter::once(S_LIMIT)) {
        let f_hi = f(hi);
        if f_lo != 0.0 && f_hi != 0.0 && (f_lo > 0.0) != (f_hi > 0.0) {
            found(brent(f, lo, hi, f_lo, f_hi));
        } else if hi < S_LIMIT && f_hi.abs() <= 1e-12 * scale {
            // f touches zero at a critical point: a double root.
            found(hi);
        }
        lo = hi;
        f_lo = f_hi;
    }
}

/// Converts s = ln(1 + r) to r accurately near zero.
#[inline]
pub(crate) fn rate_of(s: f64) -> f64 {
    s.exp_m1()
}

/// How to pick one rate among several roots.
/// numpy-financial's current rule: the smallest non-negative root if any, else the negative
/// root closest to zero.
pub(crate) fn better(candidate: f64, best: Option<f64>) -> bool {
    match best {
        None => true,
        Some(b) => match (candidate >= 0.0, b >= 0.0) {
            (true, true) => candidate < b,
            (true, false) => true,
            (false, true) => false,
            (false, false) => candidate > b,
        },
    }
}

/// Calls `found(r)` for every real root r > -1 of Σ v_t (1+r)^-t, periodic flows.
/// Allocation-free for one sign change.
pub(crate) fn periodic_roots(values: &[f64], found: &mut dyn FnMut(f64)) {
    let Some(first) = values.iter().position(|&v| v != 0.0) else {
        return;
    };
    let last = values.iter().rposition(|&v| v != 0.0).unwrap_or(first);
    let k = sign_changes(&values[first..=last]);
    if k == 0 {
        return;
    }
    if k == 1 {
        let s = single_root(|s| eval_periodic(values, first, last, s));
        if s.is_finite() {
            found(rate_of(s));
        }
        return;
    }
    with_scratch(|coeffs, times| {
        for (t, &v) in values.iter().enumerate().take(last + 1).skip(first) {
            if v != 0.0 {
                coeffs.push(v);
                times.push(t as f64);
            }
        }
        solve_general(coeffs, times, found);
    });
}

/// Calls `found(r)` for every real root of Σ v_i (1+r)^-τ_i with τ sorted ascending
/// (equal τ allowed; their values are added).
pub(crate) fn dated_roots(values: &[f64], times: &[f64], found: &mut dyn FnMut(f64)) {
    with_scratch(|coeffs, ts| {
        let mut i = 0;
        while i < values.len() {
            let t = times[i];
            let mut v = 0.0;
            while i < values.len() && times[i] == t {
                v += values[i];
                i += 1;
            }
            if v != 0.0 {
                coeffs.push(v);
                ts.push(t);
            }
        }
        solve_general(coeffs, ts, found);
    });
}

fn solve_general(coeffs: &[f64], times: &[f64], found: &mut dyn FnMut(f64)) {
    all_roots_general(coeffs, times, &mut |s| {
        if s.is_finite() {
            found(rate_of(s))
        }
    });
}

fn with_scratch<R>(f: impl FnOnce(&mut Vec<f64>, &mut Vec<f64>) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut guard) => {
            let (coeffs, times) = &mut *guard;
            coeffs.clear();
            times.clear();
            f(coeffs, times)
        }
        // Re-entrant use (not expected): fall back to fresh buffers.
        Err(_) => f(&mut Vec::new(), &mut Vec::new()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_cube_root_of_two() {
        let f = |x: f64| x * x * x - 2.0;
        let r = brent(f, 0.0, 2.0, f(0.0), f(2.0));
        assert!((r - 2f64.cbrt()).abs() < 1e-14);
    }

    #[test]
    fn sign_changes_ignores_zeros() {
        assert_eq!(sign_changes(&[-1.0, 0.0, 2.0, 0.0, -3.0, 4.0]), 3);
        assert_eq!(sign_changes(&[0.0, 0.0]), 0);
    }

    #[test]
    fn all_roots_of_a_product_of_known_factors() {
        // (1+r)^-3 scaled: values chosen so that x = 1/(1+r) has roots 0.5, 0.8, 1.25:
        // (x-0.5)(x-0.8)(x-1.25) = x^3 - 2.55x^2 + 2.025x - 0.5, so v_t = coeff of x^t.
        let v = [-0.5, 2.025, -2.55, 1.0];
        let mut roots = Vec::new();
        periodic_roots(&v, &mut |r| roots.push(r));
        roots.sort_by(f64::total_cmp);
        let expected = [1.0 / 1.25 - 1.0, 1.0 / 0.8 - 1.0, 1.0 / 0.5 - 1.0];
        assert_eq!(roots.len(), 3, "{roots:?}");
        for (r, e) in roots.iter().zip(expected) {
            assert!((r - e).abs() < 1e-12, "{r} vs {e}");
        }
    }

    #[test]
    fn double_root_is_reported() {
        // (x - 0.5)^2 = x^2 - x + 0.25: a double root at x = 0.5, r = 1.
        let v = [0.25, -1.0, 1.0];
        let mut roots = Vec::new();
        periodic_roots(&v, &mut |r| roots.push(r));
        assert!(!roots.is_empty());
        assert!(roots.iter().all(|r| (r - 1.0).abs() < 1e-6), "{roots:?}");
    }
}

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

/// Where the coefficients sit in time: consecutive integers (periodic flows, possibly
/// with zero coefficients in between), or given sorted integer ticks.
#[derive(Clone, Copy)]
enum Ticks<'a> {
    Unit,
    Given(&'a [i64]),
}

impl Ticks<'_> {
    /// Ticks from coefficient i to i + 1.
    #[inline]
    fn step(&self, i: usize) -> i64 {
        match self {
            Ticks::Unit => 1,
            Ticks::Given(t) => t[i + 1] - t[i],
        }
    }

    /// Tick of coefficient i, from the first.
    #[inline]
    fn at(&self, i: usize) -> i64 {
        match self {
            Ticks::Unit => i as i64,
            Ticks::Given(t) => t[i] - t[0],
        }
    }
}

/// Scaled value of Σ c_i exp(-(k_i / unit) s) for strictly increasing integer ticks k_i
/// (periods with `unit = 1`, days with `unit = 365`).
///
/// Evaluated like Horner's rule with integer steps: for s ≥ 0, with q = exp(-s/unit) ≤ 1,
/// `Σ c_i q^(k_i - k_0)` from the last term backwards; for s < 0, with y = exp(s/unit) < 1,
/// `Σ c_i y^(k_last - k_i)` forwards. One `exp` per evaluation instead of one per term, and
/// no term exceeds its coefficient, so nothing overflows.
#[inline]
fn eval(coeffs: &[f64], ticks: Ticks, unit: f64, s: f64) -> f64 {
    let n = coeffs.len();
    if n == 0 {
        return 0.0;
    }
    if s >= 0.0 {
        let q = (-s / unit).exp();
        let mut acc = coeffs[n - 1];
        for i in (0..n - 1).rev() {
            acc = acc * step_power(q, -s / unit, ticks.step(i)) + coeffs[i];
        }
        acc
    } else {
        let y = (s / unit).exp();
        let mut acc = coeffs[0];
        for (i, &c) in coeffs.iter().enumerate().skip(1) {
            acc = acc * step_power(y, s / unit, ticks.step(i - 1)) + c;
        }
        acc
    }
}

/// x^steps for x = exp(log_x): the plain value for one step (periodic flows), else one
/// `exp`, which is faster than `powi` by repeated squaring for steps of weeks or months.
#[inline]
fn step_power(x: f64, log_x: f64, steps: i64) -> f64 {
    if steps == 1 {
        x
    } else {
        (log_x * steps as f64).exp()
    }
}

/// [`eval`] and its derivative with respect to s (of the same scaled function), for Newton
/// steps. Same Horner recursion, carrying d(acc)/ds along.
#[inline]
fn eval_d(coeffs: &[f64], ticks: Ticks, unit: f64, s: f64) -> (f64, f64) {
    let n = coeffs.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let mut acc;
    let mut dacc = 0.0;
    // The periodic case gets its own loop: plain Horner, no per-term step lookups.
    match (ticks, s >= 0.0) {
        (Ticks::Unit, true) => {
            let q = (-s / unit).exp();
            let dq = -q / unit; // d/ds of one step
            acc = coeffs[n - 1];
            for &c in coeffs[..n - 1].iter().rev() {
                dacc = dacc * q + acc * dq;
                acc = acc * q + c;
            }
        }
        (Ticks::Unit, false) => {
            let y = (s / unit).exp();
            let dy = y / unit;
            acc = coeffs[0];
            for &c in &coeffs[1..] {
                dacc = dacc * y + acc * dy;
                acc = acc * y + c;
            }
        }
        (Ticks::Given(_), true) => {
            let q = (-s / unit).exp();
            acc = coeffs[n - 1];
            for i in (0..n - 1).rev() {
                let steps = ticks.step(i);
                let t = step_power(q, -s / unit, steps);
                // d/ds q^steps = -(steps/unit) q^steps
                dacc = dacc * t - acc * t * (steps as f64 / unit);
                acc = acc * t + coeffs[i];
            }
        }
        (Ticks::Given(_), false) => {
            let y = (s / unit).exp();
            acc = coeffs[0];
            for (i, &c) in coeffs.iter().enumerate().skip(1) {
                let steps = ticks.step(i - 1);
                let t = step_power(y, s / unit, steps);
                dacc = dacc * t + acc * t * (steps as f64 / unit);
                acc = acc * t + c;
            }
        }
    }
    (acc, dacc)
}

/// Safeguarded Newton on [a, b] where f(a), f(b) have opposite signs: a Newton step when it
/// stays inside the bracket and shrinks it fast enough, bisection otherwise. Quadratic near
/// the root, never worse than bisection.
fn newton_bracketed(
    fd: impl Fn(f64) -> (f64, f64),
    a: f64,
    b: f64,
    fa: f64,
    fb: f64,
    guess: f64,
) -> f64 {
    if fa == 0.0 {
        return a;
    }
    if fb == 0.0 {
        return b;
    }
    // neg/pos: ends where f < 0 and f > 0.
    let (mut neg, mut pos) = if fa < 0.0 { (a, b) } else { (b, a) };
    let mut x = if guess > a.min(b) && guess < a.max(b) {
        guess
    } else {
        0.5 * (a + b)
    };
    let mut dx_old = (b - a).abs();
    let mut dx = dx_old;
    let (mut f, mut df) = fd(x);
    for _ in 0..200 {
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            neg = x;
        } else {
            pos = x;
        }
        let newton = x - f / df;
        let inside = newton > neg.min(pos) && newton < neg.max(pos);
        if !inside || !newton.is_finite() || (2.0 * f).abs() > (dx_old * df).abs() {
            dx_old = dx;
            dx = 0.5 * (pos - neg);
            x = neg + dx;
        } else {
            dx_old = dx;
            dx = f / df;
            x = newton;
            // Newton converges quadratically: after a step this small the new x is
            // already within about dx² of the root, below the tolerance; stop here.
            if dx.abs() <= 1e-7 * (1.0 + x.abs()) {
                return x;
            }
        }
        // Rounding in f (cancellation among the flows) limits the root to about 1e-14 in s;
        // asking for more only makes Newton chase noise.
        let tol = 1e-13 * (1.0 + x.abs());
        if dx.abs() <= tol || (pos - neg).abs() <= tol {
            return x;
        }
        (f, df) = fd(x);
    }
    x
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
pub(crate) fn brent(f: impl Fn(f64) -> f64, a: f64, b: f64, fa: f64, fb: f64) -> f64 {
    let ulps = |_: f64, b: f64| 2.0 * f64::EPSILON * b.abs() + 1e-300;
    let end = brent_bracket(
        |x| Ok::<f64, std::convert::Infallible>(f(x)),
        a,
        b,
        fa,
        fb,
        ulps,
    );
    match end {
        Ok(end) => end.b,
        Err(never) => match never {},
    }
}

/// Where [`brent_bracket`] stopped: the root is between `a` and `b` (in either order;
/// f(a) and f(b) = `fb` have opposite signs unless f(b) = 0), `b` is the best estimate,
/// and `evaluations` calls of f were made.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BrentEnd {
    pub a: f64,
    pub b: f64,
    pub fb: f64,
    pub evaluations: u32,
}

/// Brent's method (Brent 1973, ch. 4: inverse quadratic interpolation or secant steps,
/// with a bisection whenever they would not shrink the bracket fast enough) on [a, b]
/// where f(a) and f(b) have opposite signs (or one is zero), for a function that may
/// fail. Stops when f(b) = 0, when the bracket is at most `tol(a, b)` wide, or after 200
/// iterations. Also finds the jump of a step function (the safeguards fall back to
/// bisection), which [`crate::fund::explore::solve`] relies on.
pub(crate) fn brent_bracket<E>(
    mut f: impl FnMut(f64) -> Result<f64, E>,
    mut a: f64,
    mut b: f64,
    mut fa: f64,
    mut fb: f64,
    tol: impl Fn(f64, f64) -> f64,
) -> Result<BrentEnd, E> {
    let mut evaluations = 0;
    if fa == 0.0 {
        return Ok(BrentEnd {
            a: b,
            b: a,
            fb: fa,
            evaluations,
        });
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
            break;
        }
        let tol = tol(a, b);
        if (b - a).abs() <= tol {
            break;
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
        let fs = f(s)?;
        evaluations += 1;
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
    Ok(BrentEnd {
        a,
        b,
        fb,
        evaluations,
    })
}

/// Where Newton starts: a 10% rate, typical of the cash flows people solve.
pub(super) const GUESS: f64 = 0.09531017980432493; // ln(1.1)

/// The single real root of a series with one sign change, whose sign for s → -∞ is
/// `sign_low` (the sign of the last coefficient). Grows a bracket outwards from `guess`
/// by doubling steps, then solves it by safeguarded Newton. Returns ±∞ when the root lies
/// beyond the representable range.
fn single_root(fd: impl Fn(f64) -> (f64, f64), guess: f64, sign_low: f64) -> f64 {
    let f = |s: f64| fd(s).0;
    let g = guess.clamp(-S_LIMIT, S_LIMIT);
    let fg = f(g);
    if fg == 0.0 {
        return g;
    }
    // Below the root f has the sign it has at -∞; above it, the other one.
    let dir = if (fg > 0.0) == (sign_low > 0.0) {
        1.0
    } else {
        -1.0
    };
    let mut inner = g;
    let mut f_inner = fg;
    let mut step: f64 = 0.05 * (1.0 + g.abs());
    loop {
        let outer = (inner + dir * step).clamp(-S_LIMIT, S_LIMIT);
        let f_outer = f(outer);
        if f_outer == 0.0 {
            return outer;
        }
        if (f_outer > 0.0) != (fg > 0.0) {
            let (a, fa, b, fb) = if dir > 0.0 {
                (inner, f_inner, outer, f_outer)
            } else {
                (outer, f_outer, inner, f_inner)
            };
            // Start Newton from the end nearer the guess: the guess itself.
            return newton_bracketed(
                &fd,
                a,
                b,
                fa,
                fb,
                if dir > 0.0 {
                    a + 0.5 * (b - a).min(step)
                } else {
                    b - 0.5 * (b - a).min(step)
                },
            );
        }
        if outer.abs() >= S_LIMIT {
            return dir * f64::INFINITY;
        }
        inner = outer;
        f_inner = f_outer;
        step *= 2.0;
    }
}

thread_local! {
    /// Scratch space (coefficients, ticks) reused across calls so that root finding does
    /// not allocate per call.
    static SCRATCH: RefCell<(Vec<f64>, Vec<i64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Calls `found(s)` for each real root of the series in `[lo, hi]`, in increasing order,
/// until `found` returns false. Returns false when stopped early.
/// `coeffs`: nonzero coefficients at strictly increasing `ticks`.
fn roots_in(
    coeffs: &[f64],
    ticks: &[i64],
    unit: f64,
    lo: f64,
    hi: f64,
    found: &mut dyn FnMut(f64) -> bool,
) -> bool {
    let k = sign_changes(coeffs);
    if k == 0 {
        return true;
    }
    let f = |s: f64| eval(coeffs, Ticks::Given(ticks), unit, s);
    let (f_lo, f_hi) = (f(lo), f(hi));
    if k == 1 {
        // Exactly one real root, and a simple one: it is inside iff the sign changes.
        if f_lo == 0.0 {
            return found(lo);
        }
        if f_hi == 0.0 || (f_lo > 0.0) != (f_hi > 0.0) {
            return found(brent(f, lo, hi, f_lo, f_hi));
        }
        return true;
    }
    // Critical points of exp(c s) f(s), an exponential sum with one sign change fewer.
    let j = (0..coeffs.len() - 1)
        .find(|&i| (coeffs[i] > 0.0) != (coeffs[i + 1] > 0.0))
        .expect("k >= 2");
    let c = (ticks[j] + ticks[j + 1]) as f64 / (2.0 * unit);
    let deriv: Vec<f64> = coeffs
        .iter()
        .zip(ticks)
        .map(|(&a, &t)| a * (c - t as f64 / unit))
        .collect();
    let mut critical = Vec::with_capacity(k);
    roots_in(&deriv, ticks, unit, lo, hi, &mut |s| {
        critical.push(s);
        true
    });
    let scale: f64 = coeffs.iter().map(|c| c.abs()).fold(0.0, f64::max);
    let (mut a, mut f_a) = (lo, f_lo);
    if f_a == 0.0 && !found(a) {
        return false;
    }
    for b in critical.into_iter().chain(std::iter::once(hi)) {
        let f_b = if b == hi { f_hi } else { f(b) };
        if f_a != 0.0 && f_b != 0.0 && (f_a > 0.0) != (f_b > 0.0) {
            if !found(brent(f, a, b, f_a, f_b)) {
                return false;
            }
        } else if f_b == 0.0 || (b < hi && f_b.abs() <= 1e-12 * scale) {
            // f reaches zero at a critical point: a double root (or an exact zero).
            if !found(b) {
                return false;
            }
        }
        a = b;
        f_a = f_b;
    }
    true
}

/// Copies the nonzero flows into scratch space with their ticks (flows on the same tick
/// added) and hands the prepared series to `work`.
fn prepared<R>(values: &[f64], ticks: Option<&[i64]>, work: impl FnOnce(&[f64], &[i64]) -> R) -> R {
    let fill = |coeffs: &mut Vec<f64>, ts: &mut Vec<i64>| {
        coeffs.clear();
        ts.clear();
        for (i, &v) in values.iter().enumerate() {
            let t = ticks.map_or(i as i64, |k| k[i]);
            if ts.last() == Some(&t) {
                *coeffs.last_mut().expect("paired") += v;
            } else {
                coeffs.push(v);
                ts.push(t);
            }
        }
        // Drop zeros (including same-tick flows that cancelled).
        let mut w = 0;
        for r in 0..coeffs.len() {
            if coeffs[r] != 0.0 {
                coeffs[w] = coeffs[r];
                ts[w] = ts[r];
                w += 1;
            }
        }
        coeffs.truncate(w);
        ts.truncate(w);
    };
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut guard) => {
            let (coeffs, ts) = &mut *guard;
            fill(coeffs, ts);
            work(coeffs, ts)
        }
        // Re-entrant use (not expected): fresh buffers.
        Err(_) => {
            let (mut coeffs, mut ts) = (Vec::new(), Vec::new());
            fill(&mut coeffs, &mut ts);
            work(&coeffs, &ts)
        }
    })
}

/// Converts s = ln(1 + r) to r accurately near zero.
#[inline]
fn rate_of(s: f64) -> f64 {
    s.exp_m1()
}

/// Interval of s that holds every real root: for s > 0 the first term dominates once
/// `|c_0| > e^{-g s} Σ_{i≥1} |c_i|` (g = gap between the first two times), so roots satisfy
/// `s ≤ ln(Σ_{i≥1}|c_i| / |c_0|) / g`; symmetrically for s < 0 with the last term.
fn root_bounds(coeffs: &[f64], ticks: Ticks, unit: f64) -> (f64, f64) {
    let n = coeffs.len();
    if n < 2 {
        return (0.0, 0.0);
    }
    let total: f64 = coeffs.iter().map(|c| c.abs()).sum();
    let bound = |own: f64, gap: i64| {
        let ratio = (total - own.abs()) / own.abs();
        let s = if ratio > 1.0 {
            ratio.ln() / (gap as f64 / unit)
        } else {
            0.0
        };
        (s * (1.0 + 1e-9) + 1e-9).min(S_LIMIT)
    };
    (
        // With zero coefficients in between (periodic flows), the true gaps are at least
        // these steps, so the bounds only get looser, never wrong.
        -bound(coeffs[n - 1], ticks.step(n - 2)),
        bound(coeffs[0], ticks.step(0)),
    )
}

/// Sign changes of the running sums of `values` (forwards, or backwards with `rev`).
/// Multiplying the generalised polynomial Σ c_i x^(k_i) by 1/(1-x) gives the power series
/// of running sums, so by Descartes' rule for power series (Pólya & Szegő) this bounds the
/// number of roots with x in (0, 1): rates above zero forwards, below zero backwards.
fn running_sum_changes(values: &[f64], rev: bool) -> usize {
    let mut sum = 0.0;
    let mut last = 0.0f64;
    let mut changes = 0;
    let mut visit = |v: f64| {
        sum += v;
        if sum != 0.0 {
            if last != 0.0 && (sum > 0.0) != (last > 0.0) {
                changes += 1;
            }
            last = sum;
        }
    };
    if rev {
        values.iter().rev().for_each(|&v| visit(v));
    } else {
        values.iter().for_each(|&v| visit(v));
    }
    changes
}

/// Flows large enough that their sums could overflow (the largest above 2^900, about
/// 8.5e270), divided by a power of two that brings the largest to 1: exact, and the roots
/// of a series do not change when it is scaled. `None` (no copy) for every ordinary series.
fn scaled_down(values: &[f64]) -> Option<Vec<f64>> {
    let max = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if !(max.is_finite() && max > 2f64.powi(900)) {
        return None;
    }
    // 2^-e with 2^e <= max < 2^(e+1); the smallest values may lose bits to underflow, far
    // below the largest's precision.
    let e = max.log2().floor() as i32;
    let scale = 2f64.powi(-e);
    Some(values.iter().map(|v| v * scale).collect())
}

/// The rate that [`super::irr`] reports: numpy-financial's current rule, the smallest
/// non-negative root if any, else the negative root closest to zero. `ticks`: `None` for
/// periodic flows (tick = index), else sorted integer ticks; `unit`: ticks per rate period.
///
/// Cost: one bracketed Brent solve whenever the coefficients, or their running sums on the
/// side searched, change sign once (the J-curve of almost every fund); full Rolle
/// isolation otherwise. Allocation-free on the fast paths.
pub(crate) fn select_rate(values: &[f64], ticks: Option<&[i64]>, unit: f64) -> Option<f64> {
    if let Some(scaled) = scaled_down(values) {
        return select_rate(&scaled, ticks, unit);
    }
    if ticks.is_none() {
        // Periodic flows need no copying: zeros inside are harmless to every fast path.
        let first = values.iter().position(|&v| v != 0.0)?;
        let last = values.iter().rposition(|&v| v != 0.0)?;
        if let Some(r) = select_fast(&values[first..=last], Ticks::Unit, unit) {
            return r;
        }
    }
    prepared(values, ticks, |coeffs, ts| {
        select_fast(coeffs, Ticks::Given(ts), unit)
            .unwrap_or_else(|| select_isolated(coeffs, ts, unit))
    })
}

/// Everything the fast paths need to know about a series, in one pass.
struct Profile {
    /// Sign changes of the coefficients.
    changes: usize,
    /// Sign changes of the running sums.
    running_changes: usize,
    total: f64,
    abs_total: f64,
    /// A starting point for Newton: collapse the outflows and the inflows each to one
    /// flow at their money-weighted mean time; the rate that equates those two flows is
    /// `s = ln(inflows / outflows) / (t_in - t_out)`. Usually within a few percent of the
    /// root, which saves Newton two or three steps. Falls back to 10%.
    guess: f64,
}

fn profile(coeffs: &[f64], ticks: Ticks, unit: f64) -> Profile {
    let (mut changes, mut running_changes) = (0, 0);
    let (mut last, mut last_sum) = (0.0f64, 0.0f64);
    let (mut total, mut abs_total) = (0.0, 0.0);
    let (mut pos, mut neg, mut t_pos, mut t_neg) = (0.0, 0.0, 0.0, 0.0);
    for (i, &c) in coeffs.iter().enumerate() {
        if c != 0.0 {
            if last != 0.0 && (c > 0.0) != (last > 0.0) {
                changes += 1;
            }
            last = c;
        }
        total += c;
        if total != 0.0 {
            if last_sum != 0.0 && (total > 0.0) != (last_sum > 0.0) {
                running_changes += 1;
            }
            last_sum = total;
        }
        abs_total += c.abs();
        let t = ticks.at(i) as f64;
        if c > 0.0 {
            pos += c;
            t_pos += c * t;
        } else {
            neg -= c;
            t_neg -= c * t;
        }
    }
    let g = (pos / neg).ln() / ((t_pos / pos - t_neg / neg) / unit);
    let guess = if g.is_finite() && g.abs() < 50.0 {
        g
    } else {
        GUESS
    };
    Profile {
        changes,
        running_changes,
        total,
        abs_total,
        guess,
    }
}

/// The fast paths of [`select_rate`]: `Some(answer)` when the coefficients, or their
/// running sums on the side searched, change sign once; `None` when roots must be isolated.
fn select_fast(coeffs: &[f64], ticks: Ticks, unit: f64) -> Option<Option<f64>> {
    let fd = |s: f64| eval_d(coeffs, ticks, unit, s);
    match plan(coeffs, ticks, unit) {
        Plan::Answer(r) => Some(r),
        Plan::Single { guess, sign_low } => {
            let s = single_root(fd, guess, sign_low);
            Some(s.is_finite().then(|| rate_of(s)))
        }
        Plan::Bracket {
            a,
            b,
            fa,
            fb,
            guess,
        } => Some(Some(rate_of(newton_bracketed(fd, a, b, fa, fb, guess)))),
        Plan::Isolate => None,
    }
}

/// How [`select_fast`] answers a series (in s = ln(1 + r)).
#[derive(Debug, Clone, Copy)]
enum Plan {
    /// Known without solving.
    Answer(Option<f64>),
    /// The only real root (one sign change); f has the sign of `sign_low` below it.
    Single { guess: f64, sign_low: f64 },
    /// The only root in [a, b], where f(a) = fa and f(b) = fb have opposite signs.
    Bracket {
        a: f64,
        b: f64,
        fa: f64,
        fb: f64,
        guess: f64,
    },
    /// Roots must be isolated.
    Isolate,
}

fn plan(coeffs: &[f64], ticks: Ticks, unit: f64) -> Plan {
    let p = profile(coeffs, ticks, unit);
    if p.changes == 0 {
        return Plan::Answer(None);
    }
    let n = coeffs.len();
    if p.changes == 1 {
        return Plan::Single {
            guess: p.guess,
            sign_low: coeffs[n - 1],
        };
    }
    let total = p.total;
    if total == 0.0 {
        return Plan::Answer(Some(0.0));
    }
    // Root bounds (see `root_bounds`) from the totals already summed.
    let bound = |own: f64, gap: i64| {
        let ratio = (p.abs_total - own.abs()) / own.abs();
        let s = if ratio > 1.0 {
            ratio.ln() / (gap as f64 / unit)
        } else {
            0.0
        };
        (s * (1.0 + 1e-9) + 1e-9).min(S_LIMIT)
    };
    // Rates above zero first: the smallest one wins.
    match p.running_changes {
        0 => {}
        1 => {
            // Past the root bound, f has the sign of its first coefficient.
            let f_hi = coeffs[0];
            if (f_hi > 0.0) != (total > 0.0) {
                return Plan::Bracket {
                    a: 0.0,
                    b: bound(coeffs[0], ticks.step(0)),
                    fa: total,
                    fb: f_hi,
                    guess: p.guess,
                };
            }
        }
        _ => return Plan::Isolate,
    }
    // Otherwise the negative root closest to zero.
    match running_sum_changes(coeffs, true) {
        0 => Plan::Answer(None),
        1 => {
            // Below the root bound, f has the sign of its last coefficient.
            let f_lo = coeffs[n - 1];
            if (f_lo > 0.0) != (total > 0.0) {
                Plan::Bracket {
                    a: -bound(coeffs[n - 1], ticks.step(n - 2)),
                    b: 0.0,
                    fa: f_lo,
                    fb: total,
                    guess: p.guess,
                }
            } else {
                Plan::Answer(None)
            }
        }
        _ => Plan::Isolate,
    }
}

/// The selection rule by full root isolation (several running-sum sign changes).
/// `coeffs`: nonzero coefficients at strictly increasing `ticks`.
fn select_isolated(coeffs: &[f64], ts: &[i64], unit: f64) -> Option<f64> {
    let total: f64 = coeffs.iter().sum();
    if total == 0.0 {
        return Some(0.0);
    }
    let (lo, hi) = root_bounds(coeffs, Ticks::Given(ts), unit);
    let mut best = None;
    roots_in(coeffs, ts, unit, 0.0, hi, &mut |s| {
        best = Some(s);
        false
    });
    if best.is_none() {
        roots_in(coeffs, ts, unit, lo, 0.0, &mut |s| {
            best = Some(s);
            true
        });
    }
    best.map(rate_of)
}

/// Every real rate r > -1 at which the flows' present value is zero, in increasing order.
pub(crate) fn all_rates(values: &[f64], ticks: Option<&[i64]>, unit: f64) -> Vec<f64> {
    if let Some(scaled) = scaled_down(values) {
        return all_rates(&scaled, ticks, unit);
    }
    prepared(values, ticks, |coeffs, ts| {
        let mut out = Vec::new();
        let (lo, hi) = root_bounds(coeffs, Ticks::Given(ts), unit);
        roots_in(coeffs, ts, unit, lo, hi, &mut |s| {
            out.push(rate_of(s));
            true
        });
        out
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
        let roots = all_rates(&v, None, 1.0);
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
        let roots = all_rates(&v, None, 1.0);
        assert!(!roots.is_empty());
        assert!(roots.iter().all(|r| (r - 1.0).abs() < 1e-6), "{roots:?}");
    }
}

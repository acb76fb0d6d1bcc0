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
const GUESS: f64 = 0.09531017980432493; // ln(1.1)

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

/// The rate that [`super::irr`] reports: numpy-financial's current rule, the smallest
/// non-negative root if any, else the negative root closest to zero. `ticks`: `None` for
/// periodic flows (tick = index), else sorted integer ticks; `unit`: ticks per rate period.
///
/// Cost: one bracketed Brent solve whenever the coefficients, or their running sums on the
/// side searched, change sign once (the J-curve of almost every fund); full Rolle
/// isolation otherwise. Allocation-free on the fast paths.
pub(crate) fn select_rate(values: &[f64], ticks: Option<&[i64]>, unit: f64) -> Option<f64> {
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

/// The IRR of `L` series of yearly flows side by side (`flows[year][series]`), by the
/// rule of [`super::irr`]; NaN where it has no answer or `on` is false.
///
/// Same plan as `irr` (which root, and where it lies, from the signs of the flows and of
/// their running sums), but each root is solved by Newton on the polynomial in the
/// discount factor x = 1/(1 + r), P(x) = Σ c_t x^t, whose positive roots are the rates:
/// no `exp` per step, and every series takes the same steps, so one Horner pass serves all
/// of them. The plan itself is read for all series at once (one pass over the years each
/// way, no branches on the flows), so that it vectorizes too. A bracket kept from the
/// signs of P makes the steps safe (bisection when a step leaves it). Agrees with `irr`
/// to about 1e-13 (both converge to rounding); series that need full root isolation, or
/// whose root may lie at an extreme rate, are passed to `irr`.
#[inline(always)]
pub(crate) fn yearly_irr_lanes<const L: usize>(flows: &[[f64; L]], on: [bool; L]) -> [f64; L] {
    let mut out = [f64::NAN; L];
    // Per series: x, its bracket [lo, hi] (hi may be +inf), the sign of P below the root.
    let mut x = [1.0f64; L];
    let mut lo = [0.0f64; L];
    let mut hi = [f64::INFINITY; L];
    let mut sign_low = [0.0f64; L];
    let mut active = [false; L];
    // One series at a time, on the stack for the usual lengths: this runs once per
    // simulated fund, so it should not allocate.
    let (mut stack, mut heap) = ([0.0f64; 64], Vec::new());
    let column: &mut [f64] = if flows.len() <= stack.len() {
        &mut stack[..flows.len()]
    } else {
        heap.resize(flows.len(), 0.0);
        &mut heap
    };
    let fill = |column: &mut [f64], l: usize| {
        for (c, f) in column.iter_mut().zip(flows) {
            *c = f[l];
        }
    };
    let scalar = |column: &[f64]| super::periodic::irr(column).unwrap_or(f64::NAN);

    // What `profile` and `plan` read, for every series: sign changes of the flows and of
    // their running sums from the first year (`ups`) and from the last (`downs`), the
    // first and last non-zero flows, totals, and the money-weighted mean times of the
    // inflows and outflows. Zero flows change none of these.
    let mut changes = [0u32; L];
    let (mut ups, mut downs) = ([0u32; L], [0u32; L]);
    let (mut first, mut last) = ([0.0f64; L], [0.0f64; L]);
    let (mut total, mut abs_total) = ([0.0f64; L], [0.0f64; L]);
    let (mut pos, mut neg, mut t_pos, mut t_neg) = ([0.0f64; L], [0.0; L], [0.0; L], [0.0; L]);
    let flips = |a: f64, b: f64| a != 0.0 && b != 0.0 && (a > 0.0) != (b > 0.0);
    let mut last_sum = [0.0f64; L];
    for (t, row) in flows.iter().enumerate() {
        for l in 0..L {
            let c = row[l];
            changes[l] += flips(c, last[l]) as u32;
            last[l] = if c != 0.0 { c } else { last[l] };
            first[l] = if first[l] == 0.0 { c } else { first[l] };
            total[l] += c;
            ups[l] += flips(total[l], last_sum[l]) as u32;
            last_sum[l] = if total[l] != 0.0 {
                total[l]
            } else {
                last_sum[l]
            };
            abs_total[l] += c.abs();
            let (inflow, outflow) = if c > 0.0 { (c, 0.0) } else { (0.0, -c) };
            pos[l] += inflow;
            t_pos[l] += inflow * t as f64;
            neg[l] += outflow;
            t_neg[l] += outflow * t as f64;
        }
    }
    let (mut sum, mut last_sum) = ([0.0f64; L], [0.0f64; L]);
    for row in flows.iter().rev() {
        for l in 0..L {
            sum[l] += row[l];
            downs[l] += flips(sum[l], last_sum[l]) as u32;
            last_sum[l] = if sum[l] != 0.0 { sum[l] } else { last_sum[l] };
        }
    }
    // The starting point of `profile` (in s = ln(1 + r)) and x = exp(-s) there, both
    // from the rough logarithm and exponential: a start only needs a few digits.
    let mut guess = [0.0f64; L];
    let mut start = [0.0f64; L];
    for l in 0..L {
        let g = rough_ln(pos[l] / neg[l]) / (t_pos[l] / pos[l] - t_neg[l] / neg[l]);
        guess[l] = if g.is_finite() && g.abs() < 50.0 {
            g
        } else {
            GUESS
        };
        start[l] = rough_exp(-guess[l]);
    }

    // `plan` for every series, without branching on the flows: which root (if any) and
    // where to look for it, or whether the series goes to the scalar solver (`rare`).
    let mut rare = [false; L];
    for l in 0..L {
        let beyond = |own: f64| (abs_total[l] - own.abs()) / own.abs() > EXTREME_RATIO;
        // No sign change: no rate. One sign change: the only real root; P has the sign
        // of the last flow at large x.
        let signed = on[l] && changes[l] > 0;
        let single = signed && changes[l] == 1;
        let several = signed && changes[l] > 1;
        let at_zero = several && total[l] == 0.0;
        let solved = several && !at_zero;
        // Several changes: the smallest positive rate if the running sums from the first
        // year change sign once and the first flow and the total differ in sign, x in
        // (0, 1) (`plan` bounds the bracket by the root bound in s; no root lies beyond
        // it, so (0, 1) holds the same single root); else the negative rate closest to
        // zero, x in (1, +inf), if the running sums from the last year change sign once
        // and the last flow and the total differ in sign; else none.
        let positive = solved && ups[l] == 1 && (first[l] > 0.0) != (total[l] > 0.0);
        let isolate = solved && (ups[l] >= 2 || downs[l] >= 2 && !positive);
        let negative = solved
            && !isolate
            && !positive
            && ups[l] <= 1
            && downs[l] == 1
            && (last[l] > 0.0) != (total[l] > 0.0);
        rare[l] = single && guess[l].abs() > X_RANGE
            || isolate
            || positive && beyond(first[l])
            || negative && beyond(last[l]);
        let newton = !rare[l] && (single || positive || negative);
        out[l] = if at_zero { 0.0 } else { out[l] };
        active[l] = newton;
        lo[l] = if newton && negative { 1.0 } else { lo[l] };
        hi[l] = if newton && positive { 1.0 } else { hi[l] };
        sign_low[l] = if !newton {
            0.0
        } else if single {
            -last[l]
        } else if positive {
            -total[l]
        } else {
            total[l]
        };
        x[l] = if positive && guess[l] <= 0.0 {
            0.5
        } else if negative && guess[l] >= 0.0 {
            2.0
        } else if newton {
            start[l]
        } else {
            x[l]
        };
    }
    for l in (0..L).filter(|&l| rare[l]) {
        fill(column, l);
        out[l] = scalar(column);
    }
    for _ in 0..MAX_STEPS {
        if !active.iter().any(|&a| a) {
            break;
        }
        // P and P' at x for every series (inactive ones are evaluated and ignored).
        let (mut p, mut dp) = ([0.0f64; L], [0.0f64; L]);
        for row in flows.iter().rev() {
            for l in 0..L {
                dp[l] = dp[l] * x[l] + p[l];
                p[l] = p[l] * x[l] + row[l];
            }
        }
        // One safeguarded Newton step in every active series, as selects (no branches,
        // so that it vectorizes); a series stops at P = 0 or when converged.
        // Every candidate is computed and the logic uses `&`/`|`, not `&&`/`||`: with
        // short-circuits or an if-else chain the compiler keeps branches, lane by lane.
        for l in 0..L {
            let moving = active[l] & (p[l] != 0.0);
            let below = (p[l] > 0.0) == (sign_low[l] > 0.0);
            // Two selects of values (a select of a pair becomes one of addresses).
            let (x_l, lo_old, hi_old) = (x[l], lo[l], hi[l]);
            let lo_l = if below { x_l } else { lo_old };
            let hi_l = if below { hi_old } else { x_l };
            let step = p[l] / dp[l];
            let newton = x[l] - step;
            let inside = (newton > lo_l) & (newton < hi_l);
            // At the root to rounding (P is noise here): keep x.
            let settled = step.abs() <= 4.0 * f64::EPSILON * x[l];
            let bounded = hi_l.is_finite();
            let bisect = 0.5 * (lo_l + hi_l);
            let grow = 2.0 * x[l].max(lo_l);
            let outside = if bounded { bisect } else { grow };
            let outside = if settled { x[l] } else { outside };
            let next = if inside { newton } else { outside };
            // Inside: quadratic convergence; after a step this small, x is within about
            // step² · |P''/P'| of the root, below rounding.
            let done_inside = step.abs() <= 1e-9 * x[l];
            let done_outside = settled | bounded & (hi_l - lo_l <= 4.0 * f64::EPSILON * hi_l);
            let done = if inside { done_inside } else { done_outside };
            lo[l] = if moving { lo_l } else { lo[l] };
            hi[l] = if moving { hi_l } else { hi[l] };
            x[l] = if moving { next } else { x[l] };
            active[l] = moving & !done;
        }
    }
    // Only series that went through Newton have a sign below the root. Those not settled,
    // or at an extreme rate, go to the scalar solver.
    let mut unsettled = [false; L];
    for l in 0..L {
        let newton = sign_low[l] != 0.0;
        unsettled[l] = newton && (active[l] || !(x[l] >= 1.0 / X_LIMIT && x[l] <= X_LIMIT));
        out[l] = if newton { 1.0 / x[l] - 1.0 } else { out[l] };
    }
    for l in (0..L).filter(|&l| unsettled[l]) {
        fill(column, l);
        out[l] = scalar(column);
    }
    out
}

/// Roots further than this in s = ln(1 + r) (rates beyond e^±30) go to the scalar solver,
/// which works in s and cannot overflow; so do roots that end beyond [`X_LIMIT`] in x.
const X_RANGE: f64 = 30.0;
/// Series whose root bound in s (`plan`'s `bound`: ln of this ratio of the other flows to
/// the first or last one) may exceed [`X_RANGE`] go to the scalar solver too (1e13 is a
/// little below e^30, so the test errs towards the scalar solver).
const EXTREME_RATIO: f64 = 1e13;

/// ln(y) to about 1e-5, for starting points: y = m · 2^e with m in [1, 2), and
/// ln m = 2 atanh((m - 1)/(m + 1)) by four terms of its series. Plain arithmetic on the
/// bits (no library call), so it vectorizes. NaN unless y is positive, finite and normal.
#[inline(always)]
fn rough_ln(y: f64) -> f64 {
    let bits = y.to_bits();
    let e = ((bits >> 52) & 0x7ff) as f64 - 1023.0;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let z = (m - 1.0) / (m + 1.0);
    let z2 = z * z;
    let ln_m = 2.0 * z * (1.0 + z2 * (1.0 / 3.0 + z2 * (1.0 / 5.0 + z2 * (1.0 / 7.0))));
    if (f64::MIN_POSITIVE..=f64::MAX).contains(&y) {
        e * std::f64::consts::LN_2 + ln_m
    } else {
        f64::NAN
    }
}

/// exp(x) to about 1e-7 relative for x in [-700, 700] (clamped there): x = n ln 2 + r
/// with |r| <= ln 2 / 2, exp(r) by its Taylor series to r^6, times 2^n built from bits.
#[inline(always)]
fn rough_exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let n = (x * std::f64::consts::LOG2_E).round();
    let r = x - n * std::f64::consts::LN_2;
    let p = 1.0
        + r * (1.0
            + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r / 720.0)))));
    // 2^n from the bits of n + 1023 (in [13, 2033]): added to 2^52, it is the low
    // mantissa bits of the sum, and the shift moves it into the exponent field. The same
    // as `(n as i64 + 1023) << 52`, which vectorizes only as one scalar conversion a lane.
    let biased = (n + (1023.0 + (1u64 << 52) as f64)).to_bits();
    p * f64::from_bits(biased << 52)
}
const X_LIMIT: f64 = 1e13;
/// Newton steps allowed before a series is handed to the scalar solver.
const MAX_STEPS: usize = 100;

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
    fn rough_ln_and_exp_are_close_to_the_library_functions() {
        // Against std's correctly rounded-or-nearly ln and exp, over the whole range of
        // the ratios and rates they start Newton from (and then some).
        let mut y = 1e-300f64;
        while y < 1e300 {
            let want = y.ln();
            let err = (rough_ln(y) - want).abs();
            assert!(err <= 2e-5, "ln({y}): {} vs {want}", rough_ln(y));
            y *= 1.37;
        }
        for bad in [0.0, -1.0, f64::INFINITY, f64::NAN, 1e-310] {
            assert!(rough_ln(bad).is_nan(), "ln({bad})");
        }
        let mut x = -700.0f64;
        while x <= 700.0 {
            let want = x.exp();
            let err = ((rough_exp(x) - want) / want).abs();
            assert!(err <= 1e-6, "exp({x}): {} vs {want}", rough_exp(x));
            x += 0.173;
        }
        assert_eq!(rough_exp(-800.0), rough_exp(-700.0));
        assert_eq!(rough_exp(0.0), 1.0);
    }

    #[test]
    fn lanes_agree_with_irr_on_many_fund_like_series() {
        // 40,000 pseudo-random 11-year fund cash flows: a call in year 0, fees, exits of
        // heavy-tailed size in random years (so one to several sign changes, rates from
        // near -100% to several hundred percent), eight at a time.
        let mut unit = crate::rng::test_uniforms(7);
        for _ in 0..5_000 {
            let mut series = [[0.0f64; 11]; 8];
            for column in series.iter_mut() {
                column[0] = -50.0 - 50.0 * unit();
                for (t, flow) in column.iter_mut().enumerate().skip(1) {
                    let fee = if t < 10 { 2.0 } else { 0.0 };
                    let exit = if unit() < 0.4 {
                        (1.0 - unit()).powf(-1.2) * 10.0 * unit()
                    } else {
                        0.0
                    };
                    *flow = exit - fee;
                }
            }
            assert_lanes_agree_with_irr(&series);
        }
    }

    /// Solves the series side by side and checks each against `irr`: both without an
    /// answer, or within 1e-11 relative to 1 + r.
    fn assert_lanes_agree_with_irr<const L: usize>(series: &[[f64; 11]; L]) {
        let flows: Vec<[f64; L]> = (0..11)
            .map(|t| std::array::from_fn(|l| series[l][t]))
            .collect();
        let got = yearly_irr_lanes(&flows, [true; L]);
        for (column, got) in series.iter().zip(got) {
            let want = crate::money::irr(column).unwrap_or(f64::NAN);
            if want.is_nan() || got.is_nan() {
                assert!(want.is_nan() && got.is_nan(), "{column:?}: {got} vs {want}");
                continue;
            }
            let err = (got - want).abs() / (1.0 + want.abs());
            assert!(err <= 1e-11, "{column:?}: {got} vs {want}");
        }
    }

    #[test]
    fn lanes_agree_with_irr_on_extreme_series() {
        // 80,000 series whose amounts span twelve orders of magnitude, with inflows up to
        // 10^4 times the outflows or down to 10^-4 of them (rates from about -100% to
        // several thousand percent), gaps and several sign changes. Where `irr` has no
        // answer the lanes must have none either. (Largest difference seen: 4.5e-13.)
        let mut unit = crate::rng::test_uniforms(99);
        for _ in 0..20_000 {
            let mut series = [[0.0f64; 11]; 4];
            for column in series.iter_mut() {
                let scale = 10f64.powf(unit() * 12.0 - 6.0);
                for (t, flow) in column.iter_mut().enumerate() {
                    let u = unit();
                    *flow = if t == 0 {
                        -scale * (1.0 + u)
                    } else if u < 0.3 {
                        0.0
                    } else if u < 0.5 {
                        -scale * unit()
                    } else {
                        scale * 10f64.powf(unit() * 8.0 - 4.0)
                    };
                }
            }
            assert_lanes_agree_with_irr(&series);
        }
    }

    #[test]
    fn lanes_give_the_irr_of_each_series() {
        // Series of every kind the rule distinguishes: one sign change (positive and
        // negative rates), several changes solved by running sums or by isolation, leading
        // and trailing zeros, no sign change, no flows at all, and a switched-off lane.
        let series: [&[f64]; 8] = [
            &[-100.0, 10.0, 10.0, 120.0, 0.0, 0.0],
            &[0.0, -50.0, 20.0, 20.0, 5.0, 0.0],
            &[-82.0, -2.0, -2.0, 30.0, -1.5, 60.0],
            &[-100.0, 230.0, -132.0, 0.0, 0.0, 0.0],
            &[-10.0, 2.0, 2.0, -1.0, 3.0, 1.0],
            &[5.0, 5.0, 5.0, 0.0, 0.0, 0.0],
            &[0.0; 6],
            &[-100.0, 150.0, 0.0, 0.0, 0.0, 0.0],
        ];
        let mut flows = vec![[0.0f64; 8]; 6];
        for (l, v) in series.iter().enumerate() {
            for (t, x) in v.iter().enumerate() {
                flows[t][l] = *x;
            }
        }
        let on = [true, true, true, true, true, true, true, false];
        let got = yearly_irr_lanes(&flows, on);
        for l in 0..8 {
            let want = if on[l] {
                crate::money::irr(series[l]).unwrap_or(f64::NAN)
            } else {
                f64::NAN
            };
            assert!(
                (got[l] - want).abs() <= 1e-12 * (1.0 + want.abs())
                    || (got[l].is_nan() && want.is_nan()),
                "series {l}: {} vs {want}",
                got[l]
            );
        }
        // The first series: -100 + 10/(1+r) + 10/(1+r)^2 + 120/(1+r)^3 = 0 at
        // r = 0.12936990 (scipy.optimize.brentq on that NPV, outside this project).
        assert!((got[0] - 0.129_369_90).abs() < 1e-8);
    }

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

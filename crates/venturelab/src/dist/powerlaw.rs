//! Power-law fitting by the method of Clauset, Shalizi & Newman (2009), "Power-law
//! distributions in empirical data", SIAM Review 51:661-703 (CSN).
//!
//! For each candidate xmin (every distinct value but the largest), alpha is the maximum
//! likelihood estimate on the tail x ≥ xmin and the Kolmogorov-Smirnov distance D between
//! the tail's empirical CDF and the fitted CDF is computed; the xmin with the smallest D
//! wins (ties: the smaller xmin).
//! - Continuous: alpha = 1 + n / Σ ln(x_i / xmin) (CSN eq. 3.1), standard error
//!   (alpha - 1) / √n. The KS distance compares the fitted CDF at each distinct value with
//!   the share of observations strictly below it ([`Ks::Lower`]), at or below it
//!   ([`Ks::Upper`]), or both ([`Ks::TwoSided`], the default: it reproduces the most of
//!   CSN's published xmins; see docs/models/dist.md).
//! - Discrete: P(x) = x^-alpha / ζ(alpha, xmin); alpha solves the exact likelihood equation
//!   -ζ'(alpha, xmin)/ζ(alpha, xmin) = mean(ln x) (no grid, no upper cap), standard error
//!   from the Fisher information n [ζ''/ζ - (ζ'/ζ)²]. The KS distance runs over every
//!   integer from xmin to the largest value (at each distinct value and just before the
//!   next one), as CSN's own code does.

use rand::Rng;
use serde::Serialize;

use super::sample::Sample;
use super::special::{hurwitz_ratio, hurwitz_zeta_scaled_d};
use crate::error::{Error, Result};
use crate::money::roots::brent;

/// Continuous or discrete (integer-valued) data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Continuous,
    Discrete,
}

/// How xmin is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum XminChoice {
    /// Scan every distinct value (but the largest).
    #[default]
    Scan,
    /// Scan the distinct values within [lo, hi].
    Range(f64, f64),
    /// Use this xmin.
    Fixed(f64),
}

/// Which side of each step of the empirical CDF the continuous KS distance is measured on
/// (docs/models/dist.md has the evidence for the default). Discrete data always use the
/// full comparison over every integer (the `powerlaw` package's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ks {
    /// max |F_n(x-) - P(x)|: the share strictly below each distinct value.
    Lower,
    /// max |F_n(x) - P(x)|: the share at or below each distinct value.
    Upper,
    /// The larger of the two: sup |F_n - F| over both sides of every step.
    #[default]
    TwoSided,
}

impl Ks {
    /// `lower`, `upper` or `two-sided`.
    pub fn parse(s: &str) -> Option<Ks> {
        match s {
            "lower" => Some(Ks::Lower),
            "upper" => Some(Ks::Upper),
            "two-sided" => Some(Ks::TwoSided),
            _ => None,
        }
    }
}

/// A fitted power law.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PowerLawFit {
    pub kind: Kind,
    /// The KS convention the xmin scan used (continuous data).
    pub ks: Ks,
    pub xmin: f64,
    pub alpha: f64,
    pub alpha_se: f64,
    pub n_tail: u64,
    pub ks_d: f64,
}

/// Tail sums for every candidate start index: counts and Σ count·ln x from index i up;
/// and ln x of each distinct value, which every KS scan reads (a scan over all candidates
/// would otherwise take the same logarithms once per candidate).
struct Suffix {
    n: Vec<u64>,
    /// `n` as floats (exact: counts stay below 2^53).
    nf: Vec<f64>,
    ln: Vec<f64>,
    ln_x: Vec<f64>,
}

fn suffix(s: &Sample) -> Suffix {
    let u = s.values.len();
    let mut n = vec![0u64; u + 1];
    let mut ln = vec![0.0; u + 1];
    let ln_x: Vec<f64> = s.values.iter().map(|v| v.ln()).collect();
    for i in (0..u).rev() {
        n[i] = n[i + 1] + s.counts[i];
        ln[i] = ln[i + 1] + s.counts[i] as f64 * ln_x[i];
    }
    let nf = n.iter().map(|&c| c as f64).collect();
    Suffix { n, nf, ln, ln_x }
}

/// Continuous MLE of alpha on the tail from index i; None when undefined (all equal).
fn alpha_continuous(suf: &Suffix, i: usize) -> Option<f64> {
    let n = suf.n[i] as f64;
    let denom = suf.ln[i] - n * suf.ln_x[i];
    (denom > 0.0).then(|| 1.0 + n / denom)
}

/// E[ln X] - target for the discrete power law at alpha (decreasing in alpha).
fn discrete_score(alpha: f64, xmin: f64, mean_ln: f64) -> f64 {
    // -ζ'/ζ = ln xmin - Z'/Z with the scaled Z = xmin^α ζ (no underflow).
    let (z, dz) = hurwitz_zeta_scaled_d(alpha, xmin);
    xmin.ln() - dz / z - mean_ln
}

/// Exact discrete MLE of alpha for a tail with `n` values, Σ ln x = `sum_ln`, from xmin.
pub fn alpha_discrete_mle(xmin: f64, n: f64, sum_ln: f64) -> Option<f64> {
    let mean_ln = sum_ln / n;
    if mean_ln <= xmin.ln() + 1e-15 {
        return None; // every value at xmin: alpha is unbounded
    }
    let f = |a: f64| discrete_score(a, xmin, mean_ln);
    // Start from CSN's continuous approximation (eq. 3.7) and grow a bracket.
    let approx = 1.0 + n / (sum_ln - n * (xmin - 0.5).ln());
    let mut lo = (approx - 0.5).max(1.0 + 1e-9);
    let mut hi = approx.max(lo) + 0.5;
    let mut f_lo = f(lo);
    while f_lo < 0.0 && lo > 1.0 + 1e-9 {
        lo = 1.0 + (lo - 1.0) / 2.0;
        f_lo = f(lo);
    }
    let mut f_hi = f(hi);
    let mut guard = 0;
    while f_hi > 0.0 && guard < 200 {
        hi = 1.0 + (hi - 1.0) * 2.0;
        f_hi = f(hi);
        guard += 1;
    }
    if f_lo < 0.0 || f_hi > 0.0 {
        return None;
    }
    Some(brent(f, lo, hi, f_lo, f_hi))
}

/// KS distance of the tail from index i against a continuous power law: the largest
/// |F_n(x-) - P(x)| (lower), |F_n(x) - P(x)| (upper) or both (two-sided) over distinct tail
/// values x, F_n(x-) the share of tail observations strictly below x and F_n(x) at or
/// below it. None depends on the order of tied copies. Stops early (returning a value ≥ `bound`) once the
/// distance reaches `bound`.
#[allow(clippy::too_many_arguments)]
fn ks_continuous(
    s: &Sample,
    suf: &Suffix,
    i: usize,
    alpha: f64,
    bound: f64,
    step: usize,
    side: Ks,
) -> f64 {
    // One loop per side, so that the side is not decided again for every value.
    match side {
        Ks::Lower => ks_continuous_side::<LOWER>(s, suf, i, alpha, bound, step),
        Ks::Upper => ks_continuous_side::<UPPER>(s, suf, i, alpha, bound, step),
        Ks::TwoSided => ks_continuous_side::<{ LOWER | UPPER }>(s, suf, i, alpha, bound, step),
    }
}

const LOWER: u8 = 1;
const UPPER: u8 = 2;

/// [`ks_continuous`] for the sides in `SIDES` (bits [`LOWER`], [`UPPER`]).
fn ks_continuous_side<const SIDES: u8>(
    s: &Sample,
    suf: &Suffix,
    i: usize,
    alpha: f64,
    bound: f64,
    step: usize,
) -> f64 {
    let n = suf.nf[i];
    let e = 1.0 - alpha;
    let lx = suf.ln_x[i];
    let mut d: f64 = 0.0;
    // `step` > 1 evaluates every step-th distinct value only (large data; see `fit`).
    for j in (i..s.values.len()).step_by(step) {
        let p = 1.0 - ((suf.ln_x[j] - lx) * e).exp();
        // Differences of whole numbers below 2^53: exact in f64, as the u64 differences
        // converted would be.
        let mut dj: f64 = 0.0;
        if SIDES & LOWER != 0 {
            dj = (p - (n - suf.nf[j]) / n).abs();
        }
        if SIDES & UPPER != 0 {
            dj = dj.max((p - (n - suf.nf[j + 1]) / n).abs());
        }
        d = d.max(dj);
        if d >= bound {
            return d;
        }
        if d.is_nan() {
            return f64::INFINITY;
        }
    }
    d
}

/// KS distance of the tail from index i against a discrete power law, over every integer
/// from xmin to the largest value; stops early at `bound`.
fn ks_discrete(s: &Sample, suf: &Suffix, i: usize, alpha: f64, bound: f64, step: usize) -> f64 {
    let n = suf.n[i] as f64;
    let xmin = s.values[i];
    let mut d: f64 = 0.0;
    let u = s.values.len();
    for j in (i..u).step_by(step) {
        let x = s.values[j];
        // P(X ≥ x) = ζ(α, x)/ζ(α, xmin); just below x the CDF is 1 - P(X ≥ x).
        let sf_at = hurwitz_ratio(alpha, x, xmin);
        let before = (suf.n[i] - suf.n[j]) as f64;
        if j > i && x - s.values[j - 1] > 1.0 {
            d = d.max((before / n - (1.0 - sf_at)).abs());
        }
        let cum = (suf.n[i] - suf.n[j + 1]) as f64;
        // P(X ≤ x) = 1 - P(X ≥ x + 1) = 1 - ζ(α, x+1)/ζ(α, xmin)
        let p = 1.0 - hurwitz_ratio(alpha, x + 1.0, xmin);
        d = d.max((cum / n - p).abs());
        if d >= bound || d.is_nan() {
            return if d.is_nan() { f64::INFINITY } else { d };
        }
    }
    d
}

/// Standard error of the discrete MLE: 1 / √(n Var_α[ln X]), Var = ζ''/ζ - (ζ'/ζ)².
fn alpha_se_discrete(alpha: f64, xmin: f64, n: f64) -> f64 {
    // Var[ln X] = Var[ln(X/xmin)] = Z''/Z - (Z'/Z)² with the scaled Z (Z'' numerically).
    let h = 1e-5 * alpha;
    let (z, dz) = hurwitz_zeta_scaled_d(alpha, xmin);
    let d2 = (hurwitz_zeta_scaled_d(alpha + h, xmin).1 - hurwitz_zeta_scaled_d(alpha - h, xmin).1)
        / (2.0 * h);
    let var = d2 / z - (dz / z).powi(2);
    1.0 / (n * var).sqrt()
}

/// Up to this many candidate xmin values the scan is exact.
const EXACT_SCAN_LIMIT: usize = 50_000;
/// Above it, KS distances for ranking are evaluated at this many points of each tail ...
const THINNED_POINTS: usize = 20_000;
/// ... first on a grid of this many candidates.
const GRID: usize = 2_000;

/// Fits a power law to the sample (CSN). Errors when no candidate xmin leaves a tail that
/// can be fitted (at least two distinct values).
///
/// ```
/// use venturelab::dist::powerlaw::{fit, Kind, XminChoice};
/// use venturelab::dist::sample::Sample;
///
/// // 2,000 evenly spaced quantiles of a Pareto tail with alpha 2.5 above 1.
/// let values: Vec<f64> = (0..2_000)
///     .map(|i| (1.0 - (i as f64 + 0.5) / 2_000.0).powf(-1.0 / 1.5))
///     .collect();
/// let f = fit(&Sample::from_values(values), Kind::Continuous, XminChoice::Scan)?;
/// assert!((f.alpha - 2.5).abs() < 0.1, "alpha {}", f.alpha);
/// assert!(f.n_tail > 100);
/// # Ok::<(), venturelab::Error>(())
/// ```
pub fn fit(s: &Sample, kind: Kind, choice: XminChoice) -> Result<PowerLawFit> {
    fit_with(s, kind, choice, Ks::default())
}

/// [`fit`] with a chosen KS convention for continuous data.
pub fn fit_with(s: &Sample, kind: Kind, choice: XminChoice, ks_side: Ks) -> Result<PowerLawFit> {
    if s.values.len() < 2 {
        return Err(Error::input(
            "data",
            format!(
                "need at least two distinct values to fit a power law, got {}",
                s.values.len()
            ),
        ));
    }
    if kind == Kind::Discrete && !s.all_integers() {
        return Err(Error::param(
            "discrete",
            "discrete fitting needs whole numbers; use --continuous (or --scale)",
        ));
    }
    let suf = suffix(s);
    let last = s.values.len() - 1;
    let candidates: Vec<usize> = match choice {
        XminChoice::Scan => (0..last).collect(),
        XminChoice::Range(lo, hi) => (0..last)
            .filter(|&i| s.values[i] >= lo && s.values[i] <= hi)
            .collect(),
        XminChoice::Fixed(x) => {
            let i = s
                .values
                .iter()
                .position(|&v| v >= x)
                .filter(|&i| i < last)
                .ok_or_else(|| {
                    Error::param(
                        "xmin",
                        format!("{x} leaves fewer than two distinct values in the tail"),
                    )
                })?;
            vec![i]
        }
    };
    if candidates.is_empty() {
        return Err(Error::param(
            "xmin_range",
            "no data value lies in the range (other than the largest)",
        ));
    }
    let alpha_at = |i: usize| match kind {
        Kind::Continuous => alpha_continuous(&suf, i),
        Kind::Discrete => alpha_discrete_mle(s.values[i], suf.n[i] as f64, suf.ln[i]),
    };
    let ks = |i: usize, alpha: f64, bound: f64, step: usize| match kind {
        Kind::Continuous => ks_continuous(s, &suf, i, alpha, bound, step, ks_side),
        Kind::Discrete => ks_discrete(s, &suf, i, alpha, bound, step),
    };
    // Scans `list` for the smallest D (ties to the smaller xmin), starting from `best`.
    // Each KS scan stops once it exceeds the best so far (an equal D is computed in full).
    let scan = |list: &mut dyn Iterator<Item = usize>,
                step_of: &dyn Fn(usize) -> usize,
                mut best: Option<(usize, f64, f64)>| {
        for i in list {
            let Some(alpha) = alpha_at(i) else { continue };
            let bound = best.map_or(f64::INFINITY, |b| b.2 * (1.0 + 1e-12) + 1e-300);
            let d = ks(i, alpha, bound, step_of(i));
            let better = match best {
                None => true,
                Some((bi, _, bd)) => d < bd || (d == bd && i < bi),
            };
            if better {
                best = Some((i, alpha, d));
            }
        }
        best
    };
    let u = s.values.len();
    let best = if candidates.len() <= EXACT_SCAN_LIMIT {
        // Exact: a coarse first pass over every 64th candidate finds a good bound early, so
        // that most KS scans in the full pass stop after a few values; the answer is the
        // same as a plain scan.
        let coarse = (candidates.len() / 64).max(1);
        let exact = |_: usize| 1;
        let b = scan(
            &mut candidates.iter().copied().step_by(coarse),
            &exact,
            None,
        );
        scan(&mut candidates.iter().copied(), &exact, b)
    } else {
        // Large data: rank candidates with KS distances evaluated at no more than
        // THINNED_POINTS distinct values of each tail (an error below 1/THINNED_POINTS in D),
        // first on a grid of GRID candidates, then on every candidate between the grid
        // neighbours of the best; the chosen xmin's D is then computed exactly below.
        let thin = |i: usize| ((u - i) / THINNED_POINTS).max(1);
        let grid_step = (candidates.len() / GRID).max(1);
        let b = scan(
            &mut candidates.iter().copied().step_by(grid_step),
            &thin,
            None,
        );
        let pos = b
            .map(|b| candidates.partition_point(|&c| c < b.0))
            .unwrap_or(0);
        let lo = pos.saturating_sub(grid_step);
        let hi = (pos + grid_step).min(candidates.len() - 1);
        let b = scan(&mut candidates[lo..=hi].iter().copied(), &thin, b);
        b.map(|(i, alpha, _)| (i, alpha, ks(i, alpha, f64::INFINITY, 1)))
    };
    let (i, alpha, d) = best
        .ok_or_else(|| Error::input("data", "no candidate xmin gives a tail that can be fitted"))?;
    let n_tail = suf.n[i];
    let alpha_se = match kind {
        Kind::Continuous => (alpha - 1.0) / (n_tail as f64).sqrt(),
        Kind::Discrete => alpha_se_discrete(alpha, s.values[i], n_tail as f64),
    };
    Ok(PowerLawFit {
        kind,
        ks: ks_side,
        xmin: s.values[i],
        alpha,
        alpha_se,
        n_tail,
        ks_d: d,
    })
}

/// One draw from the fitted power law above xmin, by inverse CDF.
/// Continuous: x = xmin (1-u)^(-1/(alpha-1)). Discrete: the smallest integer x ≥ xmin with
/// P(X > x) ≤ 1 - u, found from CSN's continuous approximation and corrected exactly with ζ.
pub fn draw(kind: Kind, xmin: f64, alpha: f64, rng: &mut impl Rng) -> f64 {
    let v: f64 = 1.0 - rng.random::<f64>(); // in (0, 1]
    match kind {
        Kind::Continuous => xmin * v.powf(-1.0 / (alpha - 1.0)),
        Kind::Discrete => {
            let sf = |x: f64| hurwitz_ratio(alpha, x + 1.0, xmin); // P(X > x)
            let mut x = ((xmin - 0.5) * v.powf(-1.0 / (alpha - 1.0)) + 0.5)
                .floor()
                .max(xmin);
            if !x.is_finite() || x > 1e15 {
                return 1e15_f64.max(xmin);
            }
            while sf(x) > v {
                x += 1.0;
            }
            while x > xmin && sf(x - 1.0) <= v {
                x -= 1.0;
            }
            x
        }
    }
}

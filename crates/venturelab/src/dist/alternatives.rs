//! Alternatives to the power law on the same tail, fitted by maximum likelihood, and the
//! likelihood-ratio tests of CSN Section 5 (Vuong 1989 for non-nested alternatives, the
//! chi-square test for the nested power law with exponential cut-off).
//!
//! Continuous densities on x ≥ xmin (all normalised on the tail):
//! - exponential: λ e^{-λ(x - xmin)};
//! - lognormal: the normal density of ln x, truncated at ln xmin;
//! - stretched exponential (Weibull): β λ x^{β-1} e^{-λ(x^β - xmin^β)};
//! - truncated power law: x^{-α} e^{-λx} / (λ^{α-1} Γ(1-α, λ xmin)).
//!
//! Discrete data (integers ≥ xmin): the power law with the Hurwitz zeta (exact), the
//! exponential as a geometric law (exact), the truncated power law with its exact sum
//! Σ_{k≥xmin} k^{-α} e^{-λk}; the lognormal and stretched exponential as the continuous
//! law's probability of [x - ½, x + ½) given x ≥ xmin - ½, as the `powerlaw` package does.
//!
//! Every normalising constant and every per-value log-likelihood is computed in log space
//! (ln erfc for normal tails, ln Γ(a, y) for the cut-off, the discrete cut-off's sum taken
//! relative to its first term, ln(1 - e^x) for differences of tails), so nothing underflows
//! when a tail mass is far below the smallest f64 (the truncated lognormal on a power-law
//! tail runs to masses like 1e-320). A comparison that cannot be completed (the optimiser
//! hits its iteration cap, or the ratio is not a finite number) says so in `failed` and
//! is never read as a verdict.

use serde::Serialize;

use super::optimize::nelder_mead;
use super::powerlaw::{Kind, PowerLawFit};
use super::sample::Sample;
use super::special::{ln_hurwitz_zeta, ln_normal_mass, ln_normal_sf, ln_upper_gamma};

/// The tail being compared: distinct values ≥ xmin with counts.
pub struct Tail<'a> {
    pub values: &'a [f64],
    pub counts: &'a [u64],
    pub n: f64,
    pub xmin: f64,
    pub kind: Kind,
}

impl<'a> Tail<'a> {
    /// The tail of `sample` above a power-law fit's `xmin`: the part the alternatives are
    /// fitted to and compared on.
    pub fn of(sample: &'a Sample, fit: &PowerLawFit) -> Tail<'a> {
        // Values are sorted; the fit's xmin is one of them (or below them all).
        let i = sample.values.partition_point(|&v| v < fit.xmin);
        Tail {
            values: &sample.values[i..],
            counts: &sample.counts[i..],
            n: fit.n_tail as f64,
            xmin: fit.xmin,
            kind: fit.kind,
        }
    }

    fn sum(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.values
            .iter()
            .zip(self.counts)
            .map(|(&x, &c)| c as f64 * f(x))
            .sum()
    }
}

/// One alternative's fit and its test against the power law.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Fitted parameters by name.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Normalised log-likelihood ratio R / (σ √n) (non-nested), or the raw ratio R (nested,
    /// truncated power law); positive favours the power law. NaN when `failed`.
    pub lr: f64,
    /// NaN when `failed`.
    pub p: f64,
    /// `power_law`, the alternative's name, `neither` (p ≥ 0.1), or `failed`.
    pub favors: String,
    /// Why the comparison could not be made (then `lr` and `p` mean nothing).
    pub failed: Option<String>,
    /// A remark on how the verdict was reached (e.g. the fit ran to the power-law limit).
    pub note: Option<String>,
}

impl Comparison {
    fn failed(params: serde_json::Map<String, serde_json::Value>, why: String) -> Comparison {
        Comparison {
            params,
            lr: f64::NAN,
            p: f64::NAN,
            favors: "failed".into(),
            failed: Some(why),
            note: None,
        }
    }
}

/// Per-value log-likelihood of the power law.
fn ll_power_law(t: &Tail, fit: &PowerLawFit) -> impl Fn(f64) -> f64 {
    let (a, xmin, kind) = (fit.alpha, fit.xmin, t.kind);
    let c = match kind {
        Kind::Continuous => (a - 1.0).ln() - xmin.ln(),
        Kind::Discrete => -ln_hurwitz_zeta(a, xmin),
    };
    move |x: f64| match kind {
        Kind::Continuous => c - a * (x / xmin).ln(),
        Kind::Discrete => c - a * x.ln(),
    }
}

/// A per-value log-likelihood.
pub type LogLik = Box<dyn Fn(f64) -> f64>;

/// The iteration cap of each Nelder–Mead run (two runs per fit).
const MAX_ITER: usize = 4000;

/// Maximises a log-likelihood family over (p0, p1) with Nelder–Mead; returns the params,
/// or why not (the iteration cap was hit, or no finite likelihood was found).
fn mle2(
    t: &Tail,
    family: impl Fn(f64, f64) -> Option<LogLik>,
    start: [f64; 2],
    step: [f64; 2],
) -> std::result::Result<([f64; 2], Option<String>), String> {
    let neg = |p: &[f64; 2]| match family(p[0], p[1]) {
        Some(ll) => {
            let v = -t.sum(&ll);
            if v.is_finite() {
                v
            } else {
                f64::INFINITY
            }
        }
        None => f64::INFINITY,
    };
    let (p, _, _) = nelder_mead(neg, start, step, 1e-13, MAX_ITER);
    // Restart once from the optimum: Nelder–Mead can stall on long valleys.
    let (p, v, done) = nelder_mead(neg, p, [step[0] * 0.1, step[1] * 0.1], 1e-14, MAX_ITER);
    if !v.is_finite() {
        return Err("no parameters give a finite likelihood on this tail".into());
    }
    let unconverged = (!done)
        .then(|| format!("the maximum-likelihood fit did not converge in {MAX_ITER} iterations"));
    Ok((p, unconverged))
}

fn exponential(t: &Tail) -> (f64, LogLik) {
    let mean_excess = t.sum(|x| x - t.xmin) / t.n;
    let xmin = t.xmin;
    match t.kind {
        Kind::Continuous => {
            let lam = 1.0 / mean_excess;
            (lam, Box::new(move |x| lam.ln() - lam * (x - xmin)))
        }
        Kind::Discrete => {
            let lam = (1.0 + 1.0 / mean_excess).ln();
            let c = (-(-lam).exp_m1()).ln(); // ln(1 - e^-λ)
            (lam, Box::new(move |x| c - lam * (x - xmin)))
        }
    }
}

fn lognormal_family(kind: Kind, xmin: f64) -> impl Fn(f64, f64) -> Option<LogLik> {
    move |mu: f64, log_sigma: f64| {
        let s = log_sigma.exp();
        if !(s.is_finite() && s > 1e-12) {
            return None;
        }
        Some(match kind {
            Kind::Continuous => {
                let tail = ln_normal_sf((xmin.ln() - mu) / s);
                Box::new(move |x: f64| {
                    let z = (x.ln() - mu) / s;
                    -x.ln() - s.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln() - 0.5 * z * z - tail
                }) as LogLik
            }
            Kind::Discrete => {
                let tail = ln_normal_sf(((xmin - 0.5).ln() - mu) / s);
                Box::new(move |x: f64| {
                    let lo = ((x - 0.5).ln() - mu) / s;
                    let hi = ((x + 0.5).ln() - mu) / s;
                    ln_normal_mass(lo, hi) - tail
                })
            }
        })
    }
}

fn stretched_family(kind: Kind, xmin: f64) -> impl Fn(f64, f64) -> Option<LogLik> {
    // Parameters on the scale y = x / xmin: S(y) = exp(-l (y^b - 1)), l = λ xmin^β.
    move |log_b: f64, log_l: f64| {
        let (b, l) = (log_b.exp(), log_l.exp());
        if !(b.is_finite() && l.is_finite() && b > 0.0 && l > 0.0) {
            return None;
        }
        Some(match kind {
            Kind::Continuous => Box::new(move |x: f64| {
                let y = x / xmin;
                b.ln() + l.ln() - xmin.ln() + (b - 1.0) * y.ln() - l * (y.powf(b) - 1.0)
            }) as LogLik,
            Kind::Discrete => {
                let y0 = (xmin - 0.5) / xmin;
                let base = y0.powf(b);
                Box::new(move |x: f64| {
                    let lo = ((x - 0.5) / xmin).powf(b) - base;
                    let hi = ((x + 0.5) / xmin).powf(b) - base;
                    // e^{-l lo} - e^{-l hi} = e^{-l lo} (1 - e^{-l (hi - lo)})
                    -l * lo + (-(-l * (hi - lo)).exp_m1()).ln()
                })
            }
        })
    }
}

/// ln Σ_{k≥xmin} k^-α e^{-λk} for integer xmin: 40 terms directly, the rest by
/// Euler–Maclaurin, every term taken relative to the first (g(k) = -α ln k - λk, the sum
/// is e^{g(xmin)} Σ e^{g(k) - g(xmin)}), so it does not underflow for steep laws or large xmin.
fn ln_tpl_discrete_norm(alpha: f64, lam: f64, xmin: f64) -> f64 {
    let g = |k: f64| -alpha * k.ln() - lam * k;
    let g0 = g(xmin);
    let terms = 40.0;
    let mut s = 0.0;
    let mut k = xmin;
    while k < xmin + terms {
        s += (g(k) - g0).exp();
        k += 1.0;
    }
    let a = k;
    let f = (g(a) - g0).exp();
    let g1 = -alpha / a - lam;
    let g2 = alpha / (a * a);
    let g3 = -2.0 * alpha / (a * a * a);
    let f1 = f * g1;
    let f3 = f * (g1 * g1 * g1 + 3.0 * g1 * g2 + g3);
    // ∫_a^∞ t^-α e^{-λt} dt = λ^{α-1} Γ(1-α, λa)
    let ln_integral = if lam > 0.0 {
        (alpha - 1.0) * lam.ln() + ln_upper_gamma(1.0 - alpha, lam * a)
    } else {
        (1.0 - alpha) * a.ln() - (alpha - 1.0).ln()
    };
    g0 + (s + (ln_integral - g0).exp() + 0.5 * f - f1 / 12.0 + f3 / 720.0).ln()
}

fn truncated_family(kind: Kind, xmin: f64) -> impl Fn(f64, f64) -> Option<LogLik> {
    move |alpha: f64, log_l: f64| {
        let l = log_l.exp(); // λ xmin (continuous) or λ (discrete)
        if !(l.is_finite() && l > 0.0 && alpha.is_finite()) {
            return None;
        }
        Some(match kind {
            Kind::Continuous => {
                // f(x) = x^-α e^{-λx} / (xmin^{1-α} l^{α-1} Γ(1-α, l)), l = λ xmin
                let lg = ln_upper_gamma(1.0 - alpha, l);
                let c = -(1.0 - alpha) * xmin.ln() - (alpha - 1.0) * l.ln() - lg;
                if !c.is_finite() {
                    return None;
                }
                Box::new(move |x: f64| c - alpha * x.ln() - l * (x / xmin)) as LogLik
            }
            Kind::Discrete => {
                let c = -ln_tpl_discrete_norm(alpha, l, xmin);
                if !c.is_finite() {
                    return None;
                }
                Box::new(move |x: f64| c - alpha * x.ln() - l * x)
            }
        })
    }
}

/// Vuong's test: R, normalised R and two-sided p from the per-observation differences.
fn vuong(t: &Tail, ll1: &dyn Fn(f64) -> f64, ll2: &dyn Fn(f64) -> f64) -> (f64, f64, f64) {
    let d = |x: f64| ll1(x) - ll2(x);
    let r = t.sum(d);
    let mean = r / t.n;
    let var = t.sum(|x| (d(x) - mean).powi(2)) / t.n;
    let sd = (t.n * var).sqrt();
    let p = super::normal::erfc(r.abs() / (std::f64::consts::SQRT_2 * sd));
    (r, r / sd, p)
}

fn favors(lr: f64, p: f64, alt: &str) -> String {
    if p >= 0.1 {
        "neither".into()
    } else if lr > 0.0 {
        "power_law".into()
    } else {
        alt.into()
    }
}

fn params(pairs: &[(&str, f64)]) -> serde_json::Map<String, serde_json::Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
        .collect()
}

/// A non-nested comparison from the two log-likelihoods, or a failure when the statistic
/// is not a finite number (e.g. a value whose log-likelihood is not finite, or identical
/// fits with σ = 0).
fn non_nested(
    t: &Tail,
    pl: &dyn Fn(f64) -> f64,
    ll: &dyn Fn(f64) -> f64,
    ps: serde_json::Map<String, serde_json::Value>,
    name: &str,
    limit: bool,
    unconverged: Option<String>,
) -> Comparison {
    let (r, lr, p) = vuong(t, pl, ll);
    if limit && r >= 0.0 {
        // The power law is a limit of this family (lognormal: mu -> -inf with sigma² ~ -mu;
        // stretched exponential: beta -> 0 with lambda beta fixed), so the family's best
        // likelihood is at least the power law's and R <= 0 at its true maximum, as for the
        // nested cut-off. R >= 0 at the optimum means the likelihood rises towards that
        // limit: the best fit of the family is the power law itself.
        return Comparison {
            params: ps,
            lr: 0.0,
            p: 1.0,
            favors: "neither".into(),
            failed: None,
            note: Some(format!(
                "the likelihood rises towards the power-law limit of this family (R = {r:.2e} at \
                 the last point reached): its best fit is the power law itself"
            )),
        };
    }
    if let Some(why) = unconverged {
        return Comparison::failed(ps, why);
    }
    if !(lr.is_finite() && p.is_finite()) {
        return Comparison::failed(
            ps,
            "the likelihood ratio is not a finite number: the two log-likelihoods cannot be \
             compared on this tail"
                .to_string(),
        );
    }
    Comparison {
        params: ps,
        lr,
        p,
        favors: favors(lr, p, name),
        failed: None,
        note: None,
    }
}

/// The log-density on the tail (x ≥ xmin) of a named alternative with the parameters
/// [`compare`] reports (`lambda`; `mu`, `sigma`; `beta`, `lambda`; `alpha`, `lambda`),
/// computed in log space; `None` for an unknown name or invalid parameters. Discrete laws
/// give the log-probability of the integer x.
pub fn log_density(
    name: &str,
    kind: Kind,
    xmin: f64,
    ps: &serde_json::Map<String, serde_json::Value>,
) -> Option<LogLik> {
    let p = |k: &str| ps.get(k).and_then(|v| v.as_f64());
    match name {
        "exponential" => {
            let lam = p("lambda")?;
            if !(lam > 0.0 && lam.is_finite()) {
                return None;
            }
            Some(match kind {
                Kind::Continuous => Box::new(move |x| lam.ln() - lam * (x - xmin)),
                Kind::Discrete => {
                    let c = (-(-lam).exp_m1()).ln();
                    Box::new(move |x| c - lam * (x - xmin))
                }
            })
        }
        "lognormal" => lognormal_family(kind, xmin)(p("mu")?, p("sigma")?.ln()),
        "stretched_exponential" => {
            let (b, lam) = (p("beta")?, p("lambda")?);
            stretched_family(kind, xmin)(b.ln(), lam.ln() + b * xmin.ln())
        }
        "truncated_power_law" => {
            let (a, lam) = (p("alpha")?, p("lambda")?);
            let l = match kind {
                Kind::Continuous => lam * xmin,
                Kind::Discrete => lam,
            };
            truncated_family(kind, xmin)(a, l.ln())
        }
        _ => None,
    }
}

/// Fits each named alternative (`lognormal`, `exponential`, `stretched_exponential`,
/// `truncated_power_law`) to the tail and tests it against the power law. A comparison
/// that cannot be completed is returned with `favors = "failed"` and the reason, never
/// with a verdict.
pub fn compare(t: &Tail, fit: &PowerLawFit, names: &[&str]) -> Vec<(String, Comparison)> {
    let pl = ll_power_law(t, fit);
    let mut out = Vec::new();
    let mean_ln = t.sum(|x| x.ln()) / t.n;
    let var_ln = (t.sum(|x| (x.ln() - mean_ln).powi(2)) / t.n).max(1e-6);
    for &name in names {
        let c = match name {
            "exponential" => {
                let (lam, ll) = exponential(t);
                non_nested(t, &pl, &ll, params(&[("lambda", lam)]), name, false, None)
            }
            "lognormal" => {
                let fam = lognormal_family(t.kind, t.xmin);
                match mle2(t, &fam, [mean_ln, 0.5 * var_ln.ln()], [1.0, 0.5]) {
                    Ok(([mu, ls], unconverged)) => {
                        let ps = params(&[("mu", mu), ("sigma", ls.exp())]);
                        match fam(mu, ls) {
                            Some(ll) => non_nested(t, &pl, &ll, ps, name, true, unconverged),
                            None => {
                                Comparison::failed(ps, "the fitted parameters are invalid".into())
                            }
                        }
                    }
                    Err(why) => Comparison::failed(params(&[]), why),
                }
            }
            "stretched_exponential" => {
                let fam = stretched_family(t.kind, t.xmin);
                match mle2(t, &fam, [(0.5f64).ln(), 0.0], [0.5, 0.5]) {
                    Ok(([lb, ll_], unconverged)) => {
                        let beta = lb.exp();
                        let lambda = ll_.exp() / t.xmin.powf(beta);
                        let ps = params(&[("beta", beta), ("lambda", lambda)]);
                        match fam(lb, ll_) {
                            Some(ll) => non_nested(t, &pl, &ll, ps, name, true, unconverged),
                            None => {
                                Comparison::failed(ps, "the fitted parameters are invalid".into())
                            }
                        }
                    }
                    Err(why) => Comparison::failed(params(&[]), why),
                }
            }
            "truncated_power_law" => {
                let fam = truncated_family(t.kind, t.xmin);
                // Start near the power law: its alpha and a small cut-off.
                let scale = match t.kind {
                    Kind::Continuous => 1.0,
                    Kind::Discrete => 1.0 / t.xmin,
                };
                let start_l = (1e-3 * scale).ln();
                match mle2(t, &fam, [fit.alpha, start_l], [0.2, 1.0]) {
                    Ok(([alpha, ll_], unconverged)) => {
                        let lambda = match t.kind {
                            Kind::Continuous => ll_.exp() / t.xmin,
                            Kind::Discrete => ll_.exp(),
                        };
                        let ps = params(&[("alpha", alpha), ("lambda", lambda)]);
                        match fam(alpha, ll_) {
                            Some(ll) => {
                                // Nested: the power law is the cut-off λ → 0 limit. R ≤ 0 at the MLE.
                                let r = t.sum(|x| pl(x) - ll(x)).min(0.0);
                                let p = super::normal::erfc(r.abs().sqrt());
                                if let Some(why) = unconverged {
                                    Comparison::failed(ps, why)
                                } else if r.is_finite() && p.is_finite() {
                                    Comparison {
                                        params: ps,
                                        lr: r,
                                        p,
                                        favors: if p < 0.1 {
                                            name.into()
                                        } else {
                                            "neither".into()
                                        },
                                        failed: None,
                                        note: None,
                                    }
                                } else {
                                    Comparison::failed(
                                        ps,
                                        "the likelihood ratio is not a finite number".to_string(),
                                    )
                                }
                            }
                            None => {
                                Comparison::failed(ps, "the fitted parameters are invalid".into())
                            }
                        }
                    }
                    Err(why) => Comparison::failed(params(&[]), why),
                }
            }
            _ => continue,
        };
        out.push((name.to_string(), c));
    }
    out
}

/// The alternatives `compare` knows.
pub const ALL: [&str; 4] = [
    "lognormal",
    "exponential",
    "stretched_exponential",
    "truncated_power_law",
];

/// The survival function P(X ≥ x | X ≥ xmin) of a fitted alternative (continuous form; for
/// discrete fits a smooth approximation, used for plotting).
pub fn tail_ccdf(
    name: &str,
    params: &serde_json::Map<String, serde_json::Value>,
    xmin: f64,
    x: f64,
) -> Option<f64> {
    let p = |k: &str| params.get(k).and_then(|v| v.as_f64());
    Some(match name {
        "exponential" => (-p("lambda")? * (x - xmin)).exp(),
        "lognormal" => {
            let (mu, s) = (p("mu")?, p("sigma")?);
            (ln_normal_sf((x.ln() - mu) / s) - ln_normal_sf((xmin.ln() - mu) / s)).exp()
        }
        "stretched_exponential" => {
            let (b, l) = (p("beta")?, p("lambda")?);
            (-l * (x.powf(b) - xmin.powf(b))).exp()
        }
        "truncated_power_law" => {
            let (a, l) = (p("alpha")?, p("lambda")?);
            (ln_upper_gamma(1.0 - a, l * x) - ln_upper_gamma(1.0 - a, l * xmin)).exp()
        }
        _ => return None,
    })
}

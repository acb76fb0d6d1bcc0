//! `fit`: is it a power law? The Clauset-Shalizi-Newman fit, the alternatives and the
//! bootstrap, as a request and a report that can be written as JSON and read back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use venturelab::dist::alternatives::{compare, tail_ccdf, Tail, ALL};
use venturelab::dist::bootstrap::{bootstrap, BootstrapResult};
use venturelab::dist::powerlaw::{fit_with as fit_power_law, PowerLawFit};
/// Discrete or continuous, the KS convention and the xmin choice, as requests name them.
pub use venturelab::dist::powerlaw::{Kind, Ks, XminChoice};
use venturelab::dist::sample::{parse_histogram, parse_values, Sample};
use venturelab::par::with_threads;

use crate::error::{AppError, AppResult};
use crate::limits;
use crate::progress::{observed, Observer};
use crate::source::Data;

/// How the data are read and fitted.
#[derive(Debug, Clone)]
pub struct Fit {
    /// One value per line, or `value<TAB>count` lines with `histogram`.
    pub data: Data,
    pub histogram: bool,
    /// Discrete or continuous; `None` decides from the data (whole numbers: discrete).
    pub kind: Option<Kind>,
    /// Multiply every value by this factor first (units).
    pub scale: Option<f64>,
    /// How xmin is chosen (scan every candidate, a range, or fixed).
    pub xmin: XminChoice,
    /// The KS convention for continuous data (default: two-sided).
    pub ks: Ks,
    /// Bootstrap replicates for the GoF p-value and the uncertainties (0: none).
    pub bootstrap: usize,
    pub seed: u64,
    /// Alternatives to compare (names from [`ALL`]).
    pub compare: Vec<String>,
    /// Worker threads for the bootstrap.
    pub threads: Option<usize>,
}

/// The alternatives named by `all`, `none` or a comma-separated list.
pub fn parse_compare(list: &str) -> AppResult<Vec<String>> {
    match list {
        "all" => Ok(ALL.iter().map(|s| s.to_string()).collect()),
        "none" => Ok(Vec::new()),
        list => {
            let v: Vec<String> = list.split(',').map(|s| s.trim().to_string()).collect();
            if let Some(bad) = v.iter().find(|n| !ALL.contains(&n.as_str())) {
                return Err(AppError::parameter(
                    "compare",
                    format!(
                        "unknown alternative '{bad}'; expected {} or all",
                        ALL.join(", ")
                    ),
                ));
            }
            Ok(v)
        }
    }
}

/// `lower`, `upper` or `two-sided` as a KS convention.
pub fn parse_ks(s: &str) -> AppResult<Ks> {
    Ks::parse(s).ok_or_else(|| {
        AppError::parameter(
            "ks",
            format!("expected lower, upper or two-sided, got '{s}'"),
        )
    })
}

/// `A..B` as an xmin range.
pub fn parse_xmin_range(r: &str) -> AppResult<XminChoice> {
    let (a, b) = r
        .split_once("..")
        .ok_or_else(|| AppError::parameter("xmin_range", format!("expected A..B, got '{r}'")))?;
    let parse = |t: &str| {
        t.trim()
            .parse::<f64>()
            .map_err(|_| AppError::parameter("xmin_range", format!("'{t}' is not a number")))
    };
    let (a, b) = (parse(a)?, parse(b)?);
    if b < a {
        return Err(AppError::parameter(
            "xmin_range",
            format!("expected A <= B, got {a}..{b}"),
        ));
    }
    Ok(XminChoice::Range(a, b))
}

/// One likelihood-ratio test against an alternative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonReport {
    /// The alternative's fitted parameters by name.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Normalised LR (non-nested) or raw LR (nested); positive favours the power law.
    /// `null` when the comparison failed.
    pub lr: Option<f64>,
    /// `null` when the comparison failed.
    pub p: Option<f64>,
    /// `power_law`, the alternative's name, `neither`, or `failed`.
    pub favors: String,
    /// Why the comparison failed (the fit did not converge, or the ratio is not a finite
    /// number); absent when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
    /// How the verdict was reached when it needs saying (the alternative's fit ran to its
    /// power-law limit: LR 0, p 1); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// CSN's notation, echoed in every fit report.
pub const NOTATION: &str = "density p(x) ∝ x^-alpha for x >= xmin (CSN); as a Pareto survival P(X > x) = (xmin/x)^(alpha-1)";

/// `fit`: the power law above xmin, its uncertainty and the tests against the alternatives.
/// Written with serde and read back the same (`FitReport` is `Deserialize`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitReport {
    /// Observations.
    pub n: u64,
    /// Distinct values.
    pub distinct: usize,
    /// Observations ≤ 0 set aside before fitting (not in `n`; 0 in reports written before
    /// the field existed).
    #[serde(default)]
    pub non_positive: u64,
    /// `discrete` or `continuous`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Why that type.
    pub type_reason: String,
    pub xmin: f64,
    pub alpha: f64,
    pub alpha_se: f64,
    pub n_tail: u64,
    pub ks_d: f64,
    /// The continuous KS convention (`lower`, `upper`, `two-sided`; discrete data always
    /// use the comparison over every integer).
    #[serde(default)]
    pub ks: String,
    /// Bootstrap GoF p-value (`None` without a bootstrap).
    pub p_value: Option<f64>,
    /// Bootstrap replicates.
    pub bootstrap: Option<usize>,
    pub xmin_sd: Option<f64>,
    pub alpha_sd: Option<f64>,
    pub bootstrap_failed: Option<usize>,
    pub seed: u64,
    /// By alternative's name.
    pub comparisons: BTreeMap<String, ComparisonReport>,
    pub notation: String,
    /// Where the data came from.
    pub input: String,
    pub version: String,
    /// The curves of a CCDF plot (not part of the JSON).
    #[serde(skip)]
    pub curves: Option<FitCurves>,
    /// The alternatives in the order they were asked for (not part of the JSON).
    #[serde(skip)]
    pub order: Vec<String>,
}

impl FitReport {
    /// The comparisons in the order they were asked for (the report keeps them by name).
    /// A report read back from JSON lists them in the library's order.
    pub fn comparison_order(&self) -> Vec<&str> {
        if self.order.is_empty() {
            ALL.iter()
                .copied()
                .filter(|n| self.comparisons.contains_key(*n))
                .collect()
        } else {
            self.order.iter().map(String::as_str).collect()
        }
    }
}

/// The empirical CCDF and the fitted tails, for a log-log plot.
#[derive(Debug, Clone, PartialEq)]
pub struct FitCurves {
    /// (x, P(X >= x)) at each distinct value.
    pub data: Vec<(f64, f64)>,
    /// The power law over the tail, scaled to the tail's share of the data.
    pub power_law: Vec<(f64, f64)>,
    /// Each alternative over the tail, in the order asked for.
    pub alternatives: Vec<(String, Vec<(f64, f64)>)>,
    /// 1/n: the smallest CCDF value the data can show.
    pub ymin: f64,
    pub xmin: f64,
    pub alpha: f64,
}

/// Reads the request's data as a sample.
pub fn read_sample(req: &Fit) -> AppResult<Sample> {
    let text = req.data.read()?;
    let source = req.data.name();
    let mut s = if req.histogram {
        parse_histogram(&text, &source)?
    } else {
        parse_values(&text, &source)?
    };
    if let Some(f) = req.scale {
        if !(f.is_finite() && f > 0.0) {
            return Err(AppError::parameter(
                "scale",
                format!("expected a positive factor, got {f}"),
            ));
        }
        s = s.scaled(f);
    }
    Ok(s)
}

/// Discrete or continuous, and why.
pub fn choose_kind(asked: Option<Kind>, s: &Sample) -> (Kind, &'static str) {
    match asked {
        Some(Kind::Discrete) => (Kind::Discrete, "--discrete"),
        Some(Kind::Continuous) => (Kind::Continuous, "--continuous"),
        None if s.all_integers() => (Kind::Discrete, "every value is a whole number"),
        None => (Kind::Continuous, "some values are not whole numbers"),
    }
}

/// xmin (or its range) must be finite numbers.
fn check_xmin(choice: XminChoice) -> AppResult<()> {
    match choice {
        XminChoice::Fixed(x) if !x.is_finite() => Err(AppError::parameter(
            "xmin",
            format!("expected a finite number, got {x}"),
        )),
        XminChoice::Range(a, b) if !(a.is_finite() && b.is_finite()) => Err(AppError::parameter(
            "xmin_range",
            format!("expected finite bounds A..B, got {a}..{b}"),
        )),
        _ => Ok(()),
    }
}

/// Runs `fit`.
pub fn fit(req: &Fit, obs: &dyn Observer) -> AppResult<FitReport> {
    check_xmin(req.xmin)?;
    let s = read_sample(req)?;
    let (kind, reason) = choose_kind(req.kind, &s);
    let names: Vec<&str> = req.compare.iter().map(String::as_str).collect();
    if let Some(bad) = names.iter().find(|n| !ALL.contains(n)) {
        return Err(AppError::parameter(
            "compare",
            format!("unknown alternative '{bad}'"),
        ));
    }
    fit_sample(
        &s,
        kind,
        reason,
        req.xmin,
        req.ks,
        &names,
        req.bootstrap,
        req.seed,
        req.threads,
        &req.data.name(),
        obs,
    )
}

/// Fits a sample already read: the fit, the comparisons, the bootstrap and the curves.
#[allow(clippy::too_many_arguments)]
pub fn fit_sample(
    s: &Sample,
    kind: Kind,
    reason: &str,
    choice: XminChoice,
    ks: Ks,
    names: &[&str],
    replicates: usize,
    seed: u64,
    threads: Option<usize>,
    input: &str,
    obs: &dyn Observer,
) -> AppResult<FitReport> {
    let f = fit_power_law(s, kind, choice, ks)?;
    if f.n_tail < 2 {
        return Err(AppError::whole(
            "the tail above xmin has fewer than 2 observations: too small to fit",
        ));
    }
    let tail = Tail::of(s, &f);
    let comparisons: Vec<(String, ComparisonReport)> = compare(&tail, &f, names)
        .into_iter()
        .map(|(n, c)| {
            (
                n,
                ComparisonReport {
                    params: c.params,
                    lr: c.failed.is_none().then_some(c.lr),
                    p: c.failed.is_none().then_some(c.p),
                    favors: c.favors,
                    failed: c.failed,
                    note: c.note,
                },
            )
        })
        .collect();
    limits::check_memory(
        "bootstrap",
        replicates,
        limits::bootstrap_bytes(
            replicates,
            s.values.len(),
            limits::effective_threads(threads),
        ),
    )?;
    let boot: Option<BootstrapResult> = if replicates > 0 {
        Some(observed(obs, replicates as u64, "bootstrap", |p| {
            with_threads(limits::threads(threads).0, || {
                bootstrap(s, kind, choice, &f, replicates, seed, p)
            })
        })?)
    } else {
        None
    };
    let curves = curves(s, &f, &comparisons);
    Ok(FitReport {
        n: s.n,
        distinct: s.values.len(),
        non_positive: s.non_positive,
        kind: match kind {
            Kind::Discrete => "discrete",
            Kind::Continuous => "continuous",
        }
        .to_string(),
        type_reason: reason.to_string(),
        xmin: f.xmin,
        alpha: f.alpha,
        alpha_se: f.alpha_se,
        n_tail: f.n_tail,
        ks_d: f.ks_d,
        ks: match f.ks {
            Ks::Lower => "lower",
            Ks::Upper => "upper",
            Ks::TwoSided => "two-sided",
        }
        .to_string(),
        p_value: boot.as_ref().map(|b| b.p_value),
        bootstrap: boot.as_ref().map(|b| b.replicates),
        xmin_sd: boot.as_ref().map(|b| b.xmin_sd),
        alpha_sd: boot.as_ref().map(|b| b.alpha_sd),
        bootstrap_failed: boot.as_ref().map(|b| b.failed),
        seed,
        order: comparisons.iter().map(|(n, _)| n.clone()).collect(),
        comparisons: comparisons.into_iter().collect(),
        notation: NOTATION.to_string(),
        input: input.to_string(),
        version: venturelab::VERSION.to_string(),
        curves: Some(curves),
    })
}

/// The empirical CCDF of `s` and the fitted tails on a log grid of 200 points from xmin to
/// the largest value.
fn curves(s: &Sample, f: &PowerLawFit, comparisons: &[(String, ComparisonReport)]) -> FitCurves {
    let n = s.n as f64;
    let mut data = Vec::with_capacity(s.values.len());
    let mut above = n;
    for (&v, &c) in s.values.iter().zip(&s.counts) {
        data.push((v, above / n));
        above -= c as f64;
    }
    let x1 = s.values.last().copied().unwrap_or(f.xmin);
    let ymin = 1.0 / n;
    let share = f.n_tail as f64 / n;
    let grid: Vec<f64> = (0..200)
        .map(|k| f.xmin * (x1 / f.xmin).powf(k as f64 / 199.0))
        .collect();
    let power_law = grid
        .iter()
        .map(|&x| (x, share * (x / f.xmin).powf(1.0 - f.alpha)))
        .filter(|p| p.1 >= ymin * 0.5)
        .collect();
    let alternatives = comparisons
        .iter()
        .map(|(name, c)| {
            let line = grid
                .iter()
                .filter_map(|&x| tail_ccdf(name, &c.params, f.xmin, x).map(|p| (x, share * p)))
                .filter(|p| p.1.is_finite() && p.1 >= ymin * 0.5)
                .collect();
            (name.clone(), line)
        })
        .collect();
    FitCurves {
        data,
        power_law,
        alternatives,
        ymin,
        xmin: f.xmin,
        alpha: f.alpha,
    }
}

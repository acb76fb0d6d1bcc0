//! Bootstrap for a power-law fit (CSN Sections 3.4 and 4.1), in parallel and reproducible
//! for any thread count: replicate b draws from the streams (seed, b, "fit gof") and
//! (seed, b, "fit resample") only.
//!
//! - Goodness of fit (semi-parametric): each synthetic data set has n observations; each
//!   is, with probability n_tail / n, a draw from the fitted power law above xmin, and
//!   otherwise a draw (with replacement) from the observed values below xmin. The synthetic
//!   set is fitted exactly as the data were (xmin scan included) and its KS distance
//!   recorded; p = share of synthetic distances at least the observed one.
//! - Uncertainty (non-parametric): the observed data resampled with replacement and refitted;
//!   the standard deviations of the fitted xmin and alpha.

use rand::Rng;
use rand_distr::{Binomial, Distribution};
use serde::Serialize;

use super::powerlaw::{draw, fit_with, Kind, PowerLawFit, XminChoice};
use super::sample::Sample;
use crate::par::map_indexed;
use crate::rng::stream;

/// Bootstrap results.
#[derive(Debug, Clone, Serialize)]
pub struct BootstrapResult {
    pub replicates: usize,
    /// Goodness-of-fit p-value (CSN): share of synthetic KS distances ≥ the observed one.
    pub p_value: f64,
    pub xmin_sd: f64,
    pub alpha_sd: f64,
    /// Replicates whose refit failed (too few distinct values) and were left out.
    pub failed: usize,
}

/// Draws `total` observations from `sample` with replacement, as counts per distinct
/// value (a multinomial by successive binomials), restricted to indices `range`.
fn resample_counts(
    sample: &Sample,
    range: std::ops::Range<usize>,
    total: u64,
    rng: &mut impl Rng,
    out: &mut Vec<(f64, u64)>,
) {
    let mut left = total;
    let mut mass: u64 = sample.counts[range.clone()].iter().sum();
    for i in range {
        if left == 0 || mass == 0 {
            break;
        }
        let c = sample.counts[i];
        let k = if c >= mass {
            left
        } else {
            Binomial::new(left, c as f64 / mass as f64)
                .map(|b| b.sample(rng))
                .unwrap_or(0)
        };
        if k > 0 {
            out.push((sample.values[i], k));
        }
        left -= k;
        mass -= c;
    }
}

/// Runs `replicates` bootstrap replicates of both kinds. `progress(1)` after each.
pub fn bootstrap(
    sample: &Sample,
    kind: Kind,
    choice: XminChoice,
    observed: &PowerLawFit,
    replicates: usize,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> BootstrapResult {
    let body_end = sample
        .values
        .iter()
        .position(|&v| v >= observed.xmin)
        .unwrap_or(sample.values.len());
    let p_tail = observed.n_tail as f64 / sample.n as f64;
    // Per replicate: the synthetic KS distance, and the refitted (xmin, alpha).
    type Replicate = (Option<f64>, Option<(f64, f64)>);
    let results: Vec<Replicate> = map_indexed(replicates, |b| {
        // Semi-parametric synthetic data for the goodness of fit.
        let mut rng = stream(seed, b as u64, "fit gof");
        let n_tail = Binomial::new(sample.n, p_tail)
            .map(|d| d.sample(&mut rng))
            .unwrap_or(0);
        let mut pairs: Vec<(f64, u64)> = Vec::new();
        resample_counts(sample, 0..body_end, sample.n - n_tail, &mut rng, &mut pairs);
        for _ in 0..n_tail {
            pairs.push((draw(kind, observed.xmin, observed.alpha, &mut rng), 1));
        }
        let synthetic = Sample::from_pairs(pairs);
        let d = fit_with(&synthetic, kind, choice, observed.ks)
            .ok()
            .map(|f| f.ks_d);
        // Non-parametric resample for the uncertainty of xmin and alpha.
        let mut rng = stream(seed, b as u64, "fit resample");
        let mut pairs = Vec::new();
        resample_counts(
            sample,
            0..sample.values.len(),
            sample.n,
            &mut rng,
            &mut pairs,
        );
        let again = fit_with(&Sample::from_pairs(pairs), kind, choice, observed.ks)
            .ok()
            .map(|f| (f.xmin, f.alpha));
        progress(1);
        (d, again)
    });
    let ds: Vec<f64> = results.iter().filter_map(|r| r.0).collect();
    let ps: Vec<(f64, f64)> = results.iter().filter_map(|r| r.1).collect();
    let sd = |v: &[f64]| {
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt()
    };
    let xs: Vec<f64> = ps.iter().map(|p| p.0).collect();
    let als: Vec<f64> = ps.iter().map(|p| p.1).collect();
    BootstrapResult {
        replicates,
        p_value: ds.iter().filter(|&&d| d >= observed.ks_d).count() as f64 / ds.len().max(1) as f64,
        xmin_sd: sd(&xs),
        alpha_sd: sd(&als),
        failed: results
            .iter()
            .filter(|r| r.0.is_none() || r.1.is_none())
            .count(),
    }
}

//! Shared statistics: the summary of a measure ([`Stat`]), type-7 quantiles and the
//! mean and standard deviation, used by every model that summarises many runs (fund,
//! company, market). The exact quantile selection behind them (sample brackets and
//! tallies, for a million values without sorting) is `quantile`, crate-private.

pub(crate) mod quantile;

use serde::Serialize;

use quantile::{from_order_key, order_key, quantiles_by};

/// The quantiles a [`Stat`] reports: p5, p25, p50, p75, p95.
pub(crate) const STAT_QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Type-7 quantile `q` of sorted values.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Type-7 quantiles `qs` of `v`, without a full sort (NaN sorts as `total_cmp` puts it).
pub fn quantiles(v: &[f64], qs: &[f64]) -> Vec<f64> {
    quantiles_by(v.len(), |i| order_key(v[i]), qs, from_order_key)
}

/// Mean, standard deviation and quantiles of one measure (a fund's net TVPI, a company's
/// founder proceeds, a strategy's return). Quantiles interpolate
/// linearly between order statistics (numpy's default, Hyndman & Fan type 7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stat {
    pub mean: f64,
    pub sd: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

impl Stat {
    /// Summarises values (NaN values are left out).
    pub fn of(values: impl Iterator<Item = f64>) -> Stat {
        let keys: Vec<u64> = values.filter(|x| !x.is_nan()).map(order_key).collect();
        let moments = moments(keys.iter().map(|&k| from_order_key(k)));
        let q = quantiles_by(keys.len(), |i| keys[i], &STAT_QUANTILES, from_order_key);
        Stat::from_parts(moments, &q)
    }

    /// The statistic of mean and sd `moments` and quantiles `q` (at [`STAT_QUANTILES`]).
    pub(crate) fn from_parts((mean, sd): (f64, f64), q: &[f64]) -> Stat {
        Stat {
            mean,
            sd,
            p5: q[0],
            p25: q[1],
            p50: q[2],
            p75: q[3],
            p95: q[4],
        }
    }
}

/// The mean and the sample standard deviation (n - 1; 0 for a single value) of `v`
/// (NaN values left out).
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    moments(v.iter().copied())
}

/// [`mean_sd`] over values that can be read twice (NaN left out): the sum and then the
/// sum of squared deviations, each added in order from -0.0, as `Iterator::sum` adds.
pub(crate) fn moments(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let (mut n, mut sum) = (0usize, -0.0f64);
    for x in values.clone().filter(|x| !x.is_nan()) {
        n += 1;
        sum += x;
    }
    let mean = sum / n as f64;
    let mut squares = -0.0f64;
    for x in values.filter(|x| !x.is_nan()) {
        squares += (x - mean).powi(2);
    }
    let sd = if n > 1 {
        (squares / (n as f64 - 1.0)).sqrt()
    } else {
        0.0
    };
    (mean, sd)
}

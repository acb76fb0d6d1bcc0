//! Many runs of the market, what they add up to, and the experiments that compare
//! conditions side by side (`scapegoat`, `horizon`, `herding`). Runs are computed in parallel
//! and kept in run order, so results are identical for any number of threads; every
//! condition of an experiment uses the same seeds (common random numbers: the same startups
//! are born in every condition).

use std::collections::BTreeMap;

use serde::Serialize;

use super::scenario::{MarketModel, STRATEGIES};
use super::sim::{simulate_run, warm_up_quarters, Cohort, RunResult};
use crate::error::{Error, Result};
use crate::stats::{mean_sd, quantile_sorted, Stat};

/// Mean and 5%-95% band across runs of one per-quarter value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    pub quarter: u32,
    /// `None` (JSON `null`) when no run has a value that quarter (no capital raised, no
    /// deal in the sector).
    pub mean: Option<f64>,
    pub p5: Option<f64>,
    pub p95: Option<f64>,
}

/// A mean across runs with its 95% confidence interval: the percentile bootstrap across runs
/// (2,000 resamples of the runs from a fixed keyed stream, so the interval is reproducible).
/// Per-run values are heavy-tailed (in quarters 8-16 one lucky strategy can take nearly all
/// new money), where mean ± 1.96 sd / √runs from 20 runs understates the uncertainty;
/// the coverage is checked on repeated seeds (`tests/market.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Of the finite values (`None` when there are none).
    pub fn of(values: impl Iterator<Item = f64>) -> Option<Interval> {
        let v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        let (mean, _) = mean_sd(&v);
        let (low, high) = bootstrap_mean_interval(&v, 0.95);
        Some(Interval { mean, low, high })
    }
}

/// Resamples of the mean for [`Interval`].
pub const BOOTSTRAP_RESAMPLES: usize = 2000;

/// The percentile bootstrap interval of the mean of `v` at `level` (Efron & Tibshirani
/// 1993, ch. 13), from [`BOOTSTRAP_RESAMPLES`] resamples drawn from a stream keyed by the
/// sample size (so a summary is reproducible and independent of the thread count).
pub fn bootstrap_mean_interval(v: &[f64], level: f64) -> (f64, f64) {
    use rand::RngCore;
    let n = v.len();
    if n < 2 {
        let x = v.first().copied().unwrap_or(f64::NAN);
        return (x, x);
    }
    let mut rng = crate::rng::fast_stream(0, n as u64, "market interval bootstrap");
    let mut means: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| {
            let mut s = 0.0;
            for _ in 0..n {
                s += v[(((rng.next_u64() >> 32) * n as u64) >> 32) as usize];
            }
            s / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    let a = (1.0 - level) / 2.0;
    (quantile_sorted(&means, a), quantile_sorted(&means, 1.0 - a))
}

/// The viable startups never funded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MissingMiddle {
    pub count: Option<Interval>,
    pub value: Option<Interval>,
}

/// Failure rate and mean success value of a cohort, pooled over runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CohortSummary {
    pub funded: u64,
    /// `None` (JSON null) when the cohort is empty.
    pub failure_rate: Option<f64>,
    /// `None` when no startup of the cohort succeeded.
    pub mean_success_value: Option<f64>,
}

impl From<Cohort> for CohortSummary {
    fn from(c: Cohort) -> Self {
        CohortSummary {
            funded: c.funded,
            failure_rate: c.failure_rate(),
            mean_success_value: c.mean_success(),
        }
    }
}

/// What the runs of one scenario add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub runs: usize,
    pub seed: u64,
    pub quarters: u32,
    pub sectors: Vec<String>,
    /// VC capital share by sector and quarter.
    pub capital_share: BTreeMap<String, Vec<Band>>,
    /// Herfindahl index of the sector capital shares by quarter.
    pub hhi: Vec<Band>,
    /// Σ post-money / Σ true value of the quarter's deals, by sector and quarter.
    pub valuation_to_intrinsic: BTreeMap<String, Vec<Band>>,
    /// Bubble index: the capital-weighted valuation to intrinsic value across sectors.
    pub bubble_index: Vec<Band>,
    /// Logit share of new capital by strategy and quarter.
    pub strategy_share: BTreeMap<&'static str, Vec<Band>>,
    /// Funds alive per quarter.
    pub live_funds: Vec<Band>,
    /// Mean over quarters and runs of the HHI.
    pub mean_hhi: Option<Interval>,
    pub value_available: Option<Interval>,
    pub value_realised: Option<Interval>,
    /// Value realised / value available.
    pub realised_share: Option<Interval>,
    pub missing_middle: MissingMiddle,
    /// Share of viable long-maturity startups that were funded.
    pub long_maturity_funded_share: Option<Interval>,
    /// Per run, the mean net multiple of the funds that ended; across runs.
    pub fund_net_multiple: Option<Interval>,
    /// Per run, each sector's share of all the VC capital invested over the run.
    pub capital_share_overall: BTreeMap<String, Option<Interval>>,
    /// Net multiple (distributions / commitments) of funds that ended, by strategy.
    pub returns_by_strategy: BTreeMap<&'static str, Option<Stat>>,
    /// Startups first funded in hot and cold sector-quarters (Nanda & Rhodes-Kropf 2013).
    pub hot: CohortSummary,
    pub cold: CohortSummary,
    /// Mean pre-money / capital need of VC deals.
    pub mean_entry_multiple: Option<Interval>,
    /// Share of VC-funded startups that are viable.
    pub vc_success_rate: Option<Interval>,
    /// The alternative investors' multiple (proceeds / money), when they are present.
    pub alternative_multiple: Option<Interval>,
    /// The funds' share of the value of investments still held at the horizon (maturing in
    /// the last quarter or later): not paid out, so in no net multiple.
    pub residual_value: Option<Interval>,
    /// Quarters left out of the means over quarters (`mean_hhi`) and of the experiments'
    /// peaks: one fund life, at most half the run (the market's warm-up).
    pub warm_up_quarters: usize,
    /// Largest relative money-conservation gap of any run and quarter.
    pub conservation_error: f64,
}

/// Simulates `runs` runs (in parallel; identical for any thread count).
pub fn run_many(
    m: &MarketModel,
    runs: usize,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<RunResult>> {
    if runs == 0 {
        return Err(Error::param("runs", "expected at least 1 run"));
    }
    Ok(crate::par::map_indexed(runs, |r| {
        let out = simulate_run(m, seed, r as u64);
        progress(1);
        out
    }))
}

fn bands(runs: &[RunResult], quarters: u32, value: impl Fn(&RunResult, usize) -> f64) -> Vec<Band> {
    (0..quarters as usize)
        .map(|q| {
            let mut v: Vec<f64> = runs
                .iter()
                .map(|r| value(r, q))
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            let defined = !v.is_empty();
            Band {
                quarter: q as u32,
                mean: defined.then(|| v.iter().sum::<f64>() / v.len() as f64),
                p5: defined.then(|| quantile_sorted(&v, 0.05)),
                p95: defined.then(|| quantile_sorted(&v, 0.95)),
            }
        })
        .collect()
}

fn mean_finite(v: &[f64]) -> f64 {
    let (s, n) = v
        .iter()
        .filter(|x| x.is_finite())
        .fold((0.0, 0usize), |a, x| (a.0 + x, a.1 + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

/// The mean net multiple of a run's funds that ended (NaN when none did).
fn fund_net_multiple(r: &RunResult) -> f64 {
    let v: Vec<f64> = r.fund_multiples.iter().map(|x| x.1).collect();
    mean_finite(&v)
}

/// The capital-weighted valuation to intrinsic value of a run's quarter.
fn bubble(r: &RunResult, q: usize) -> f64 {
    let (num, den) = r.capital_share[q]
        .iter()
        .zip(&r.valuation_to_intrinsic[q])
        .filter(|(s, v)| s.is_finite() && v.is_finite())
        .fold((0.0, 0.0), |a, (s, v)| (a.0 + s * v, a.1 + s));
    if den > 0.0 {
        num / den
    } else {
        f64::NAN
    }
}

/// Summarises runs of model `m`.
pub fn summarize(m: &MarketModel, runs: &[RunResult], seed: u64) -> Summary {
    let names: Vec<String> = m.sectors.iter().map(|s| s.name.clone()).collect();
    let nq = m.quarters;
    let warm = warm_up_quarters(m);
    let mut capital_share = BTreeMap::new();
    let mut valuation_to_intrinsic = BTreeMap::new();
    for (s, name) in names.iter().enumerate() {
        capital_share.insert(name.clone(), bands(runs, nq, |r, q| r.capital_share[q][s]));
        valuation_to_intrinsic.insert(
            name.clone(),
            bands(runs, nq, |r, q| r.valuation_to_intrinsic[q][s]),
        );
    }
    let mut strategy_share = BTreeMap::new();
    let mut returns_by_strategy = BTreeMap::new();
    for (k, name) in STRATEGIES.iter().enumerate() {
        strategy_share.insert(*name, bands(runs, nq, |r, q| r.strategy_share[q][k]));
        let v: Vec<f64> = runs
            .iter()
            .flat_map(|r| r.fund_multiples.iter())
            .filter(|(s, _)| *s as usize == k)
            .map(|x| x.1)
            .collect();
        returns_by_strategy.insert(*name, (!v.is_empty()).then(|| Stat::of(v.into_iter())));
    }
    let capital_share_overall = names
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let share = Interval::of(
                runs.iter()
                    .map(|r| r.capital_by_sector[s] / r.capital_by_sector.iter().sum::<f64>()),
            );
            (name.clone(), share)
        })
        .collect();
    let pool = |f: fn(&RunResult) -> Cohort| Cohort::pooled(runs.iter().map(f));
    Summary {
        runs: runs.len(),
        seed,
        quarters: nq,
        sectors: names,
        capital_share,
        hhi: bands(runs, nq, |r, q| r.hhi[q]),
        valuation_to_intrinsic,
        bubble_index: bands(runs, nq, bubble),
        strategy_share,
        live_funds: bands(runs, nq, |r, q| r.live_funds[q] as f64),
        mean_hhi: Interval::of(runs.iter().map(|r| mean_finite(&r.hhi[warm..]))),
        value_available: Interval::of(runs.iter().map(|r| r.value_available)),
        value_realised: Interval::of(runs.iter().map(|r| r.value_realised)),
        realised_share: Interval::of(runs.iter().map(|r| r.value_realised / r.value_available)),
        missing_middle: MissingMiddle {
            count: Interval::of(runs.iter().map(|r| r.missing_middle_count as f64)),
            value: Interval::of(runs.iter().map(|r| r.missing_middle_value)),
        },
        long_maturity_funded_share: Interval::of(
            runs.iter()
                .map(|r| r.long_maturity_funded as f64 / r.long_maturity_viable as f64),
        ),
        fund_net_multiple: Interval::of(runs.iter().map(fund_net_multiple)),
        capital_share_overall,
        returns_by_strategy,
        hot: pool(|r| r.hot).into(),
        cold: pool(|r| r.cold).into(),
        mean_entry_multiple: Interval::of(runs.iter().map(|r| r.mean_entry_multiple)),
        vc_success_rate: Interval::of(runs.iter().map(|r| r.vc_success_rate)),
        alternative_multiple: Interval::of(
            runs.iter()
                .filter(|r| r.alternative_cost > 0.0)
                .map(|r| r.alternative_proceeds / r.alternative_cost),
        ),
        residual_value: Interval::of(runs.iter().map(|r| r.residual_value)),
        warm_up_quarters: warm,
        conservation_error: runs
            .iter()
            .map(|r| r.conservation_error)
            .fold(0.0, f64::max),
    }
}

/// One condition of an experiment and what it gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionRow {
    pub condition: String,
    /// The sector whose peaks are reported (the shocked one, or the AI sector).
    pub sector: String,
    pub mean_hhi: Option<Interval>,
    /// Per run, the largest quarterly capital share of the sector; mean across runs.
    pub peak_capital_share: Option<Interval>,
    /// Per run, the largest quarterly valuation to intrinsic value of the sector.
    pub peak_valuation_to_intrinsic: Option<Interval>,
    pub realised_share: Option<Interval>,
    pub missing_middle: MissingMiddle,
    pub long_maturity_funded_share: Option<Interval>,
    /// Mean net multiple of the funds that ended, per run.
    pub fund_net_multiple: Option<Interval>,
    /// Per run, the largest logit share any strategy reached.
    pub peak_strategy_share: Option<Interval>,
    /// The alternative investors' multiple, when they are present.
    pub alternative_multiple: Option<Interval>,
}

fn peak(v: impl Iterator<Item = f64>) -> f64 {
    v.filter(|x| x.is_finite()).fold(f64::NAN, f64::max)
}

/// Runs model `m` under `condition` and summarises it for sector `sector`.
pub fn condition_row(
    condition: &str,
    m: &MarketModel,
    sector: usize,
    runs: usize,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ConditionRow> {
    let rs = run_many(m, runs, seed, progress)?;
    let s = summarize(m, &rs, seed);
    let warm = warm_up_quarters(m);
    Ok(ConditionRow {
        condition: condition.to_string(),
        sector: m.sectors[sector].name.clone(),
        mean_hhi: s.mean_hhi,
        peak_capital_share: Interval::of(
            rs.iter()
                .map(|r| peak(r.capital_share[warm..].iter().map(|q| q[sector]))),
        ),
        peak_valuation_to_intrinsic: Interval::of(
            rs.iter()
                .map(|r| peak(r.valuation_to_intrinsic[warm..].iter().map(|q| q[sector]))),
        ),
        realised_share: s.realised_share,
        missing_middle: s.missing_middle,
        long_maturity_funded_share: s.long_maturity_funded_share,
        fund_net_multiple: s.fund_net_multiple,
        peak_strategy_share: Interval::of(rs.iter().map(|r| {
            peak(
                r.strategy_share[warm..]
                    .iter()
                    .flat_map(|s| s.iter().copied()),
            )
        })),
        alternative_multiple: s.alternative_multiple,
    })
}

/// The narrative shock of the scapegoat test: heat +`size` for `quarters` from `quarter`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShockSpec {
    pub quarter: u32,
    pub size: f64,
    pub quarters: u32,
}

/// The default shock: heat +2 for two years from quarter 40 (after a fund life of warm-up).
pub const SCAPEGOAT_SHOCK: ShockSpec = ShockSpec {
    quarter: 40,
    size: 2.0,
    quarters: 8,
};

/// The sector with the same fundamentals (birth share and distributions) as `of`.
fn twin(m: &MarketModel, of: usize) -> Option<usize> {
    let a = &m.sectors[of];
    (0..m.sectors.len()).find(|&i| {
        let b = &m.sectors[i];
        i != of
            && a.birth_share == b.birth_share
            && a.potential == b.potential
            && a.maturity == b.maturity
            && a.need == b.need
    })
}

/// The scapegoat test: the same market with (1) no shock, (2) a narrative shock to the `ai`
/// sector, (3) the same shock to the sector with equal fundamentals, (4) the shock to `ai`
/// without the fund-returner incentive, (5) the shock to `ai` with alternative capital
/// (the scenario's, or 10% of the base LP inflow with a 1.5x cap).
pub fn scapegoat(
    base: &MarketModel,
    runs: usize,
    seed: u64,
    shock: ShockSpec,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<ConditionRow>> {
    let ai = base
        .sectors
        .iter()
        .position(|s| s.name == "ai")
        .ok_or_else(|| Error::key("sectors", "the scapegoat test needs a sector named 'ai'"))?;
    let other = twin(base, ai).ok_or_else(|| {
        Error::key("sectors",
            "the scapegoat test needs a sector with the same fundamentals as 'ai' (birth share, potential, maturity, need)",
        )
    })?;
    let with_shock = |sector: usize| {
        let mut m = base.clone();
        m.shocks = vec![(sector, shock.quarter, shock.size, shock.quarters)];
        m
    };
    let mut none = base.clone();
    none.shocks.clear();
    let mut no_incentive = with_shock(ai);
    no_incentive.fund_returner = 0.0;
    no_incentive.threshold_returner = 0.0;
    let mut alternative = with_shock(ai);
    if alternative.alternative.is_none() {
        alternative.alternative = Some((0.1 * base.base_inflow, 1.5));
    }
    let other_name = base.sectors[other].name.clone();
    let conditions = [
        ("no shock".to_string(), none, ai),
        ("shock to ai".to_string(), with_shock(ai), ai),
        (
            format!("shock to {other_name} (same fundamentals)"),
            with_shock(other),
            other,
        ),
        (
            "shock to ai, no fund-returner incentive".to_string(),
            no_incentive,
            ai,
        ),
        (
            "shock to ai, with alternative capital".to_string(),
            alternative,
            ai,
        ),
    ];
    conditions
        .iter()
        .map(|(name, m, s)| condition_row(name, m, *s, runs, seed, progress))
        .collect()
}

/// The horizon experiment: fund lives of 7, 10 and 15 years.
pub fn horizon(
    base: &MarketModel,
    runs: usize,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<ConditionRow>> {
    [7.0, 10.0, 15.0]
        .iter()
        .map(|&years| {
            let mut m = base.clone();
            m.life_quarters = (years * 4.0) as u32;
            m.investment_quarters = m.investment_quarters.min(m.life_quarters);
            condition_row(
                &format!("{years:.0}-year funds"),
                &m,
                0,
                runs,
                seed,
                progress,
            )
        })
        .collect()
}

/// The herding experiment: a sweep of the strategy-switching intensity.
pub fn herding(
    base: &MarketModel,
    runs: usize,
    seed: u64,
    intensities: &[f64],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<ConditionRow>> {
    intensities
        .iter()
        .map(|&b| {
            let mut m = base.clone();
            m.intensity = b;
            condition_row(&format!("intensity {b}"), &m, 0, runs, seed, progress)
        })
        .collect()
}

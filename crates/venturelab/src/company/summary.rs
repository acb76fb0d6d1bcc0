//! Many runs of one company, and what they add up to: survival, stages, financing, exits
//! and the monthly health metrics. Also the side-by-side experiments `stress` (a vendor
//! price change under common random numbers) and `compare` (the same company financed
//! four ways).

use std::collections::BTreeMap;

use serde::Serialize;

use super::cash_path::price_change_line;
use super::scenario::{CompanyModel, Path, StageName};
use super::sim::{simulate_run, MonthMetrics, RunOptions, RunOutcome, Workspace, METRIC_NAMES};
use crate::error::{Error, Result};
use crate::stats::{quantiles, Stat};

/// Runs computed together on one worker (fixed, so results do not depend on threads).
const CHUNK: usize = 512;

/// Runs whose monthly metrics are kept for the median and IQR by month: enough for
/// quantiles good to about a percent, without holding months × metrics for every run.
pub const METRICS_SAMPLE: usize = 5_000;

/// The runs of one batch, in run order.
#[derive(Debug, Clone)]
pub struct Batch {
    pub options: RunOptions,
    pub outcomes: Vec<RunOutcome>,
    /// Monthly metrics of the first `min(runs, METRICS_SAMPLE)` runs.
    pub metrics: Vec<Vec<MonthMetrics>>,
}

/// Simulates `runs` runs (in parallel, bit-identical for any thread count). `progress`
/// receives the number of runs finished in each chunk.
pub fn run_batch(
    m: &CompanyModel,
    opt: &RunOptions,
    runs: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Batch> {
    if opt.months == 0 {
        return Err(Error::param("months", "expected at least 1 month"));
    }
    if runs == 0 {
        return Err(Error::param("runs", "expected at least 1 run"));
    }
    let sample = runs.min(METRICS_SAMPLE);
    let chunks = crate::par::map_indexed(runs.div_ceil(CHUNK), |c| {
        let mut ws = Workspace::default();
        let range = c * CHUNK..((c + 1) * CHUNK).min(runs);
        let mut outcomes = Vec::with_capacity(range.len());
        let mut metrics = Vec::new();
        for run in range.clone() {
            if run < sample {
                let mut mm = Vec::with_capacity(opt.months as usize);
                outcomes.push(simulate_run(m, opt, run as u64, &mut ws, Some(&mut mm)));
                metrics.push(mm);
            } else {
                outcomes.push(simulate_run(m, opt, run as u64, &mut ws, None));
            }
        }
        progress(range.len() as u64);
        (outcomes, metrics)
    });
    let mut outcomes = Vec::with_capacity(runs);
    let mut metrics = Vec::with_capacity(sample);
    for (o, mm) in chunks {
        outcomes.extend(o);
        metrics.extend(mm);
    }
    Ok(Batch {
        options: *opt,
        outcomes,
        metrics,
    })
}

/// Share of runs operating (neither dead nor acquired) at the end of a month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SurvivalPoint {
    pub month: u32,
    /// Operating: neither shut down nor acquired.
    pub alive: f64,
    /// Shut down by this month.
    pub dead: f64,
    /// Acquired by this month.
    pub acquired: f64,
}

/// The 25th, 50th and 75th percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Iqr {
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
}

/// Median and IQR of each health metric in one month, over the sampled runs operating
/// then (and for which the metric is defined); `None` when none is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthBand {
    pub month: u32,
    /// Sampled runs operating this month.
    pub operating: usize,
    #[serde(flatten)]
    pub values: BTreeMap<&'static str, Option<Iqr>>,
}

/// The monthly health metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Runs the metrics come from (the first ones of the batch).
    pub sample_runs: usize,
    pub by_month: Vec<MonthBand>,
}

/// What a batch of runs adds up to. Shares are of all runs unless said otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub runs: usize,
    pub months: u32,
    pub seed: u64,
    pub path: Path,
    /// Month 0 (the start) to the horizon.
    pub survival: Vec<SurvivalPoint>,
    /// Share of runs that reached each stage (including the stage they started in).
    pub stage_reached: BTreeMap<&'static str, f64>,
    /// Month each stage was reached, over the runs that reached it.
    pub months_to_stage: BTreeMap<&'static str, Option<Stat>>,
    /// Name of the first priced round in the scenario (what "Series A" means below).
    pub first_round: Option<String>,
    /// Share of runs whose first priced round closed by month 24.
    pub raised_series_a_within_24_months: f64,
    /// Share that ever closed the first priced round.
    pub raised_series_a: f64,
    /// Share of runs shut down by months 24, 48 and 72 (`None` past the horizon).
    pub dead_by_month: BTreeMap<String, Option<f64>>,
    /// Share acquired by the horizon.
    pub acquired: f64,
    /// Share operating and default alive at month 24.
    pub default_alive_share: f64,
    /// The same among runs operating at month 24.
    pub default_alive_share_of_operating: Option<f64>,
    /// First month default alive, over runs that ever were.
    pub default_alive_month: Option<Stat>,
    /// Founders' ownership at the end of each run that did not shut down.
    pub founder_ownership: Option<Stat>,
    /// Acquisition prices.
    pub exit_value: Option<Stat>,
    /// Founders' proceeds over all runs (0 when shut down; survivors at a mark, see
    /// `RunOutcome::founder_proceeds`).
    pub founder_proceeds: Stat,
    /// Runway at month 12 among runs operating and burning.
    pub runway_12: Option<Stat>,
    /// Gross margin at month 24 among runs operating with revenue.
    pub gross_margin_24: Option<Stat>,
    /// Mean over runs of the mean monthly Herfindahl index of vendor spend shares (1 = one
    /// vendor takes everything).
    pub vendor_hhi: Option<f64>,
    pub metrics: Metrics,
}

fn stat(values: impl Iterator<Item = f64>) -> Option<Stat> {
    let v: Vec<f64> = values.collect();
    (!v.is_empty()).then(|| Stat::of(v.into_iter()))
}

fn share(runs: usize, count: usize) -> f64 {
    count as f64 / runs as f64
}

/// Summarises a batch.
pub fn summarize(b: &Batch) -> Summary {
    let runs = b.outcomes.len();
    let months = b.options.months;
    let o = &b.outcomes;
    let mut dead_in = vec![0usize; months as usize + 1];
    let mut acquired_in = vec![0usize; months as usize + 1];
    for r in o {
        if let Some(mo) = r.death_month {
            dead_in[mo as usize] += 1;
        }
        if let Some(mo) = r.acquired_month {
            acquired_in[mo as usize] += 1;
        }
    }
    let (mut dead, mut acquired) = (0, 0);
    let survival = (0..=months)
        .map(|mo| {
            dead += dead_in[mo as usize];
            acquired += acquired_in[mo as usize];
            SurvivalPoint {
                month: mo,
                alive: share(runs, runs - dead - acquired),
                dead: share(runs, dead),
                acquired: share(runs, acquired),
            }
        })
        .collect::<Vec<_>>();
    let mut stage_reached = BTreeMap::new();
    let mut months_to_stage = BTreeMap::new();
    for s in StageName::ALL {
        let reached = o.iter().filter_map(|r| r.stage_month[s.index()]);
        stage_reached.insert(s.key(), share(runs, reached.clone().count()));
        months_to_stage.insert(s.key(), stat(reached.map(f64::from)));
    }
    let dead_by_month = [24u32, 48, 72]
        .into_iter()
        .map(|mo| {
            (
                mo.to_string(),
                (mo <= months).then(|| survival[mo as usize].dead),
            )
        })
        .collect();
    let operating_24 = o.iter().filter(|r| r.operating_24).count();
    let hhi: Vec<f64> = o.iter().filter_map(|r| r.vendor_hhi).collect();
    Summary {
        runs,
        months,
        seed: b.options.seed,
        path: b.options.path,
        survival,
        stage_reached,
        months_to_stage,
        first_round: None,
        raised_series_a_within_24_months: share(
            runs,
            o.iter()
                .filter(|r| r.first_round_month.is_some_and(|mo| mo <= 24))
                .count(),
        ),
        raised_series_a: share(
            runs,
            o.iter().filter(|r| r.first_round_month.is_some()).count(),
        ),
        dead_by_month,
        acquired: share(runs, acquired),
        default_alive_share: share(runs, o.iter().filter(|r| r.default_alive_24).count()),
        default_alive_share_of_operating: (operating_24 > 0).then(|| {
            share(
                operating_24,
                o.iter().filter(|r| r.default_alive_24).count(),
            )
        }),
        default_alive_month: stat(
            o.iter()
                .filter_map(|r| r.default_alive_month.map(f64::from)),
        ),
        founder_ownership: stat(
            o.iter()
                .filter(|r| r.death_month.is_none())
                .map(|r| r.founder_ownership),
        ),
        exit_value: stat(o.iter().filter_map(|r| r.exit_value)),
        founder_proceeds: Stat::of(o.iter().map(|r| r.founder_proceeds)),
        runway_12: stat(o.iter().filter_map(|r| r.runway_12)),
        gross_margin_24: stat(o.iter().filter_map(|r| r.gross_margin_24)),
        vendor_hhi: (!hhi.is_empty()).then(|| hhi.iter().sum::<f64>() / hhi.len() as f64),
        metrics: monthly_metrics(&b.metrics, months),
    }
}

fn monthly_metrics(sample: &[Vec<MonthMetrics>], months: u32) -> Metrics {
    // Months in parallel (each month's quantiles depend only on that month: the same
    // numbers for any thread count).
    let by_month = crate::par::map_indexed(months as usize, |mo| {
        let mut column = Vec::with_capacity(sample.len());
        let operating = sample.iter().filter(|r| !r[mo][0].is_nan()).count();
        let mut values = BTreeMap::new();
        for (k, name) in METRIC_NAMES.iter().enumerate() {
            column.clear();
            column.extend(sample.iter().map(|r| r[mo][k]).filter(|x| !x.is_nan()));
            let band = (!column.is_empty()).then(|| {
                let q = quantiles(&column, &[0.25, 0.5, 0.75]);
                Iqr {
                    p25: q[0],
                    p50: q[1],
                    p75: q[2],
                }
            });
            values.insert(*name, band);
        }
        MonthBand {
            month: mo as u32 + 1,
            operating,
            values,
        }
    });
    Metrics {
        sample_runs: sample.len(),
        by_month,
    }
}

/// Simulates and summarises, naming the first priced round.
pub fn simulate(
    m: &CompanyModel,
    opt: &RunOptions,
    runs: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary> {
    simulate_batch(m, opt, runs, progress).map(|(_, s)| s)
}

/// [`simulate`], also returning the runs (for per-run output).
pub fn simulate_batch(
    m: &CompanyModel,
    opt: &RunOptions,
    runs: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Batch, Summary)> {
    let b = run_batch(m, opt, runs, progress)?;
    let mut s = summarize(&b);
    s.first_round = m.rounds.first().map(|r| r.name.clone());
    Ok((b, s))
}

/// The same runs without and with a price change on vendor `vendor` (a factor, 1.3 for
/// +30%) from month `at_month`: common random numbers, so the difference is the shock's.
/// An unknown vendor is an error listing the vendor lines there are.
pub fn stress(
    m: &CompanyModel,
    opt: &RunOptions,
    runs: usize,
    vendor: &str,
    factor: f64,
    at_month: u32,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Summary, Summary)> {
    let k = price_change_line(m.vendors.iter().map(|v| v.name.as_str()), vendor, factor)?;
    if at_month == 0 || at_month > opt.months {
        return Err(Error::param(
            "at_month",
            format!("expected a month from 1 to {}, got {at_month}", opt.months),
        ));
    }
    let base = simulate(m, opt, runs, progress)?;
    let shocked_opt = RunOptions {
        shock: Some((k, factor, at_month)),
        ..*opt
    };
    let shocked = simulate(m, &shocked_opt, runs, progress)?;
    Ok((base, shocked))
}

/// The same runs financed each way in `paths`.
pub fn compare(
    m: &CompanyModel,
    opt: &RunOptions,
    runs: usize,
    paths: &[Path],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Summary>> {
    paths
        .iter()
        .map(|&path| simulate(m, &RunOptions { path, ..*opt }, runs, progress))
        .collect()
}

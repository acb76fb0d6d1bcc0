//! Many funds: run them in parallel (deterministically) and summarise the distribution.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::scenario::FundModel;
use super::sim::{simulate_fund, FundRow, Workspace};

/// Funds per parallel work item. Fixed, so results never depend on the thread count.
const CHUNK: usize = 2048;

/// Every fund's row and its DPI by year (row-major, `years` values per fund).
pub struct Run {
    pub rows: Vec<FundRow>,
    pub dpi: Vec<f32>,
    pub years: usize,
    /// Mean share of each fund's proceeds by company rank (best first), when asked for.
    pub rank_shares: Vec<f64>,
}

/// Simulates `funds` funds with `seed`. `progress(n)` is called as chunks of `n` funds
/// finish (from worker threads).
pub fn run(model: &FundModel, funds: usize, seed: u64, progress: &(dyn Fn(u64) + Sync)) -> Run {
    run_with(model, funds, seed, false, progress)
}

/// [`run`], also averaging the share of proceeds by company rank when `rank_shares` (a
/// full sort of every fund's companies, so off by default).
pub fn run_with(
    model: &FundModel,
    funds: usize,
    seed: u64,
    rank_shares: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Run {
    let years = model.horizon() as usize + 1;
    let mut rows = vec![FundRow::default(); funds];
    let mut dpi = vec![0f32; funds * years];
    let rank_parts: Vec<Vec<f64>> = rows
        .par_chunks_mut(CHUNK)
        .zip(dpi.par_chunks_mut(CHUNK * years))
        .enumerate()
        .map(|(c, (r, d))| {
            let mut ws = Workspace::new(model);
            let mut ranks: Vec<f64> = Vec::new();
            for (j, row) in r.iter_mut().enumerate() {
                let index = (c * CHUNK + j) as u64;
                *row = simulate_fund(
                    model,
                    seed,
                    index,
                    &mut ws,
                    &mut d[j * years..(j + 1) * years],
                );
                if rank_shares {
                    ws.add_rank_shares(&mut ranks);
                }
            }
            progress(r.len() as u64);
            ranks
        })
        .collect();
    // Reduce in chunk order so the sums do not depend on the thread count.
    let mut rank_sum: Vec<f64> = Vec::new();
    for part in rank_parts {
        if rank_sum.len() < part.len() {
            rank_sum.resize(part.len(), 0.0);
        }
        for (a, b) in rank_sum.iter_mut().zip(part) {
            *a += b;
        }
    }
    let rank_shares = rank_sum
        .into_iter()
        .map(|x| x / funds.max(1) as f64)
        .collect();
    Run {
        rows,
        dpi,
        years,
        rank_shares,
    }
}

/// Mean, standard deviation and quantiles of one per-fund measure. Quantiles interpolate
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

/// Quantile `q` of sorted values (type 7).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

impl Stat {
    /// Summarises values (NaN values are left out).
    pub fn of(values: impl Iterator<Item = f64>) -> Stat {
        let mut v: Vec<f64> = values.filter(|x| !x.is_nan()).collect();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sd = if v.len() > 1 {
            (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        v.sort_unstable_by(f64::total_cmp);
        Stat {
            mean,
            sd,
            p5: quantile_sorted(&v, 0.05),
            p25: quantile_sorted(&v, 0.25),
            p50: quantile_sorted(&v, 0.50),
            p75: quantile_sorted(&v, 0.75),
            p95: quantile_sorted(&v, 0.95),
        }
    }
}

/// The quartiles of DPI at `year` years after the first close (after that time's flows).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearBand {
    pub year: u32,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
}

/// The across-fund summary: what `fund simulate --json` prints (with the scenario, seed and
/// version added by the caller).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub funds: usize,
    pub gross_multiple: Stat,
    pub net_tvpi: Stat,
    /// Per year; a fund whose LPs got nothing back counts as -100%.
    pub net_irr: Stat,
    pub top_company_share: Stat,
    pub top_decile_share: Stat,
    pub fund_returners: Stat,
    /// Share of funds with net TVPI at least 1x, 2x, 3x, 5x.
    pub prob_net_tvpi_at_least: BTreeMap<String, f64>,
    /// DPI quartiles at each whole year after the first close (year 0 = the first close).
    pub dpi_by_year: Vec<YearBand>,
    /// Mean management fees per fund (money).
    pub fees: f64,
    /// Mean carried interest per fund (money).
    pub carry: f64,
    /// The outcome distribution's expected multiple per company (analytic).
    pub outcome_mean_multiple: f64,
    /// Funds whose net IRR could not be computed (none expected).
    pub net_irr_undefined: usize,
}

/// Summarises a run.
pub fn summarize(model: &FundModel, run: &Run) -> Summary {
    let rows = &run.rows;
    let mut prob = BTreeMap::new();
    for x in [1u32, 2, 3, 5] {
        // A relative tolerance absorbs rounding for funds that land exactly on a multiple.
        let hit = rows
            .iter()
            .filter(|r| r.net_tvpi >= x as f64 * (1.0 - 1e-12))
            .count();
        prob.insert(x.to_string(), hit as f64 / rows.len() as f64);
    }
    let dpi_by_year = (0..run.years)
        .map(|t| {
            let mut v: Vec<f64> = (0..rows.len())
                .map(|i| run.dpi[i * run.years + t] as f64)
                .collect();
            v.sort_unstable_by(f64::total_cmp);
            // DPI is stored in single precision; report it to 6 decimals.
            let r = |x: f64| (x * 1e6).round() / 1e6;
            YearBand {
                year: t as u32,
                p25: r(quantile_sorted(&v, 0.25)),
                p50: r(quantile_sorted(&v, 0.5)),
                p75: r(quantile_sorted(&v, 0.75)),
            }
        })
        .collect();
    let n = rows.len() as f64;
    Summary {
        funds: rows.len(),
        gross_multiple: Stat::of(rows.iter().map(|r| r.gross_multiple)),
        net_tvpi: Stat::of(rows.iter().map(|r| r.net_tvpi)),
        net_irr: Stat::of(rows.iter().map(|r| r.net_irr)),
        top_company_share: Stat::of(rows.iter().map(|r| r.top_company_share)),
        top_decile_share: Stat::of(rows.iter().map(|r| r.top_decile_share as f64)),
        fund_returners: Stat::of(rows.iter().map(|r| r.fund_returners as f64)),
        prob_net_tvpi_at_least: prob,
        dpi_by_year,
        fees: rows.iter().map(|r| r.fees as f64).sum::<f64>() / n,
        carry: rows.iter().map(|r| r.carry as f64).sum::<f64>() / n,
        outcome_mean_multiple: model.outcomes.mean(),
        net_irr_undefined: rows.iter().filter(|r| r.net_irr.is_nan()).count(),
    }
}

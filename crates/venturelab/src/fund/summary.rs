//! The across-fund summary of a [`Run`]: means, standard deviations and quantiles of the
//! per-fund measures, the odds of net TVPI marks, DPI quartiles by year ([`summarize`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::engine::{Run, CHUNK, PILOT};
use super::measures::{row_quantiles, RowSums, TVPI_MARKS};
use super::scenario::{FundModel, OutcomeModel};
use crate::stats::Stat;

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
    /// The outcome distribution's expected multiple per company (analytic); `null` in
    /// stage mode (no closed form) and when the mean is infinite (a Pareto of shape ≤ 1).
    pub outcome_mean_multiple: Option<f64>,
    /// Funds whose net IRR could not be computed (none expected).
    pub net_irr_undefined: usize,
    /// Stage mode: share of companies that reached each stage (entry stage = 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_reached: Option<Vec<StageShare>>,
    /// With `[vintage]`: the net TVPI quartiles among each vintage's funds (fund `i` is of
    /// vintage `i mod vintage.years`). Empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vintages: Vec<VintageBand>,
}

/// The net TVPI quartiles of the funds of one vintage, and its factor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VintageBand {
    /// 0-based vintage year of the run.
    pub vintage: u32,
    /// The vintage's factor z (a standard normal draw).
    pub factor: f64,
    pub funds: usize,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
}

/// The net TVPI quartiles by vintage (rows kept: runs with factors keep them).
pub fn vintage_bands(model: &FundModel, run: &Run) -> Vec<VintageBand> {
    let Some(v) = &model.vintage else {
        return Vec::new();
    };
    if run.rows.is_empty() {
        return Vec::new();
    }
    let years = v.years as usize;
    let mut by: Vec<Vec<f64>> = vec![Vec::new(); years];
    for (i, r) in run.rows.iter().enumerate() {
        by[i % years].push(r.net_tvpi);
    }
    by.into_iter()
        .enumerate()
        .filter(|(_, x)| !x.is_empty())
        .map(|(k, x)| {
            let q = crate::stats::quantiles(&x, &[0.25, 0.5, 0.75]);
            VintageBand {
                vintage: k as u32,
                factor: run.vintage_factors.get(k).copied().unwrap_or(0.0),
                funds: x.len(),
                p25: q[0],
                p50: q[1],
                p75: q[2],
            }
        })
        .collect()
}

/// The share of companies that reached one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageShare {
    pub stage: String,
    pub share: f64,
}

/// The DPI bands of a run's quartiles.
fn dpi_bands(run: &Run) -> Vec<YearBand> {
    // DPI is stored in single precision; report it to 6 decimals.
    let r = |x: f64| (x * 1e6).round() / 1e6;
    run.dpi_quartiles
        .iter()
        .enumerate()
        .map(|(t, q)| YearBand {
            year: t as u32,
            p25: r(q[0]),
            p50: r(q[1]),
            p75: r(q[2]),
        })
        .collect()
}

/// Summarises a run.
pub fn summarize(model: &FundModel, run: &Run) -> Summary {
    let rows = &run.rows;
    let n = run.funds as f64;
    let (sums, quantiles) = match &run.measures {
        Some((sums, quantiles)) => (*sums, quantiles.clone()),
        None => rayon::join(
            || RowSums::of_rows(rows, CHUNK, PILOT),
            || row_quantiles(rows),
        ),
    };
    let moments = sums.moments();
    let prob: BTreeMap<String, f64> = TVPI_MARKS
        .iter()
        .zip(sums.hits)
        .map(|(x, hit)| (x.to_string(), hit as f64 / n))
        .collect();
    Summary {
        funds: run.funds,
        gross_multiple: Stat::from_parts(moments[0], &quantiles[0]),
        net_tvpi: Stat::from_parts(moments[1], &quantiles[1]),
        net_irr: Stat::from_parts(moments[2], &quantiles[2]),
        top_company_share: Stat::from_parts(moments[3], &quantiles[3]),
        top_decile_share: Stat::from_parts(moments[4], &quantiles[4]),
        fund_returners: Stat::from_parts(moments[5], &quantiles[5]),
        prob_net_tvpi_at_least: prob,
        dpi_by_year: dpi_bands(run),
        fees: sums.fees / n,
        carry: sums.carry / n,
        outcome_mean_multiple: model.outcomes.mean(),
        net_irr_undefined: sums.undefined,
        stage_reached: match &model.outcomes {
            OutcomeModel::Stages(sm) => {
                let entered = (run.funds as u64 * model.companies as u64).max(1) as f64;
                Some(
                    sm.stages
                        .iter()
                        .zip(&run.stage_hits)
                        .map(|(st, &h)| StageShare {
                            stage: st.name.clone(),
                            share: h as f64 / entered,
                        })
                        .collect(),
                )
            }
            _ => None,
        },
        vintages: vintage_bands(model, run),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fund::measures::MeasureBrackets;
    use crate::fund::sim::FundRow;
    use crate::fund::Scenario;

    #[test]
    fn summary_measures_equal_stat_of_each_measure_with_nan_left_out() {
        // Rows whose IRR is sometimes undefined (NaN) and whose other measures include
        // ties, zeros and negatives: the summary's quantiles (tallied or gathered) must
        // be, to the bit, what `Stat::of` gives for each measure on its own, and its
        // one-pass shifted means and sds the same as Stat's two-pass ones to rounding.
        let model = Scenario::from_toml(
            crate::presets::get("fund", "correlation-ventures")
                .expect("preset")
                .toml,
        )
        .and_then(|s| s.model())
        .expect("valid preset");
        let mut unit = crate::rng::test_uniforms(8);
        let funds = 50_000usize;
        let rows: Vec<FundRow> = (0..funds)
            .map(|i| FundRow {
                gross_multiple: (unit() * 5.0).floor() / 2.0,
                net_tvpi: unit() * 4.0,
                net_irr: if i % 97 == 0 { f64::NAN } else { unit() - 0.3 },
                // A pattern with the sampling stride: the sample sees only the spikes,
                // so this measure's brackets miss and it takes the gathering path.
                top_company_share: if i % (funds / crate::stats::quantile::BRACKET_SAMPLE) == 0 {
                    1e9
                } else {
                    unit()
                },
                top_decile_share: unit() as f32,
                fund_returners: (unit() * 3.0) as u32,
                fees: 2e7,
                carry: (unit() * 1e7) as f32,
            })
            .collect();
        let run = Run {
            funds,
            dpi_quartiles: vec![[0.0; 3]; 11],
            rows,
            rank_shares: Vec::new(),
            stage_hits: Vec::new(),
            measures: None,
            vintage_factors: Vec::new(),
        };
        let s = summarize(&model, &run);
        let rows = &run.rows;
        let each = [
            Stat::of(rows.iter().map(|r| r.gross_multiple)),
            Stat::of(rows.iter().map(|r| r.net_tvpi)),
            Stat::of(rows.iter().map(|r| r.net_irr)),
            Stat::of(rows.iter().map(|r| r.top_company_share)),
            Stat::of(rows.iter().map(|r| r.top_decile_share as f64)),
            Stat::of(rows.iter().map(|r| r.fund_returners as f64)),
        ];
        let got = [
            s.gross_multiple,
            s.net_tvpi,
            s.net_irr,
            s.top_company_share,
            s.top_decile_share,
            s.fund_returners,
        ];
        let bits = |x: &Stat| [x.p5, x.p25, x.p50, x.p75, x.p95].map(f64::to_bits);
        for (g, w) in got.iter().zip(&each) {
            assert_eq!(bits(g), bits(w), "{g:?} vs {w:?}");
            for (a, b) in [(g.mean, w.mean), (g.sd, w.sd)] {
                assert!(
                    (a - b).abs() <= 1e-12 * b.abs().max(1e-300),
                    "{g:?} vs {w:?}"
                );
            }
        }
        assert!(!s.net_irr.mean.is_nan());
        assert_eq!(s.net_irr_undefined, funds.div_ceil(97));
        // Both paths were taken: every measure but the strided one resolved from the
        // one read of the rows.
        let stride = funds / crate::stats::quantile::BRACKET_SAMPLE;
        let brackets =
            MeasureBrackets::from_sample((0..funds).step_by(stride).map(|i| &rows[i]), funds);
        let resolved: Vec<bool> = brackets
            .resolve(vec![brackets.tally(rows)], funds)
            .iter()
            .map(Option::is_some)
            .collect();
        assert_eq!(resolved, [true, true, true, false, true, true]);
    }
}

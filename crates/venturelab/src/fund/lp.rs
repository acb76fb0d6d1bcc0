//! The LP's portfolio of funds: an LP commits to `funds_per_year` funds a year over
//! `years` vintages, drawing new managers from the pool (skill as the fund scenario's
//! `[skill]`) and re-upping with a manager whose last fund did well; every portfolio is
//! one world, with its own vintage path (the fund scenario's `[vintage]`). Equations and
//! conventions: `docs/models/fund.md`, "The LP's portfolio".

use rand::RngCore;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::explore::{scenario_at, with_value, FromDoc};
use super::factors::{ar1_path, normal_of, FundFactors};
use super::scenario::{FundModel, OutcomeModel, Scenario};
use super::sim::{simulate_fund_with, Workspace};
use crate::dist::normal::inverse_cdf;
use crate::error::{Error, Result};
use crate::money::irr_lanes::yearly_irr_lanes;
use crate::money::periodic::npv;
use crate::rng::fast_stream;
use crate::scenario::Rate;
use crate::stats::Stat;

/// The purpose label of each portfolio's vintage path and manager draws.
pub const LP_DRAWS: &str = "lp portfolios";

/// `[lp]`: the LP's commitment programme and re-up policy.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LpSpec {
    /// New fund commitments a year (equal commitments).
    pub funds_per_year: u32,
    /// Vintage years over which the LP commits.
    pub years: u32,
    /// Years between a manager's successive funds.
    #[serde(default = "three")]
    pub fund_cycle_years: u32,
    /// Re-up with a manager whose last fund's net TVPI was at least this; otherwise
    /// commit to a new manager from the pool. 0 re-ups always; a large number never.
    pub re_up_min_tvpi: f64,
    /// The public market's annual return, for the Kaplan-Schoar PME.
    #[serde(default = "eight_percent")]
    pub public_return: Rate,
}

fn three() -> u32 {
    3
}

fn eight_percent() -> Rate {
    Rate(0.08)
}

/// An LP scenario: a fund scenario (the funds the LP can buy) with an `[lp]` section.
#[derive(Debug, Clone, Serialize)]
pub struct LpScenario {
    #[serde(flatten)]
    pub fund: Scenario,
    pub lp: LpSpec,
}

/// A validated `[lp]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LpModel {
    pub funds_per_year: u32,
    pub years: u32,
    pub fund_cycle_years: u32,
    pub re_up_min_tvpi: f64,
    pub public_return: f64,
}

impl LpModel {
    /// Funds in one portfolio.
    pub fn funds(&self) -> usize {
        self.funds_per_year as usize * self.years as usize
    }
}

impl LpScenario {
    /// Parses an LP scenario from TOML text: `[lp]` and the fund scenario's keys. Errors
    /// name the line and the key: the `[lp]` lines and the others are parsed apart, each
    /// with the other's lines blanked (so that line numbers stay those of the text).
    pub fn from_toml(text: &str) -> Result<LpScenario> {
        let (mut fund_text, mut lp_text) = (String::new(), String::new());
        let mut in_lp = false;
        for line in text.lines() {
            let t = line.trim_start();
            if t.starts_with('[') {
                let name = t.trim_start_matches('[').trim_start();
                in_lp =
                    name.starts_with("lp]") || name.starts_with("lp.") || name.starts_with("lp ]");
            }
            let (mine, other) = if in_lp {
                (&mut lp_text, &mut fund_text)
            } else {
                (&mut fund_text, &mut lp_text)
            };
            mine.push_str(line);
            mine.push('\n');
            other.push('\n');
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct LpOnly {
            lp: Option<LpSpec>,
        }
        let lp = toml::from_str::<LpOnly>(&lp_text)
            .map_err(|e| crate::scenario::toml_error(&lp_text, &e))?
            .lp
            .ok_or_else(|| {
                Error::key(
                    "lp",
                    "an LP scenario needs an [lp] section (funds_per_year, years, re_up_min_tvpi)",
                )
            })?;
        let fund = Scenario::from_toml(&fund_text)?;
        Ok(LpScenario { fund, lp })
    }

    /// [`Self::from_toml`] of a TOML document.
    pub fn from_value(mut doc: toml::Value) -> Result<LpScenario> {
        let lp = doc
            .as_table_mut()
            .and_then(|t| t.remove("lp"))
            .ok_or_else(|| Error::key("lp", "an LP scenario needs an [lp] section"))?;
        let lp: LpSpec = lp
            .try_into()
            .map_err(|e: toml::de::Error| Error::key("lp", e.message().trim()))?;
        let text = toml::to_string(&doc).map_err(|e| Error::key("scenario", e.to_string()))?;
        let fund = Scenario::from_toml(&text)?;
        Ok(LpScenario { fund, lp })
    }

    /// Validates the fund scenario and `[lp]` (errors name the key).
    pub fn model(&self) -> Result<(FundModel, LpModel)> {
        let fund = self.fund.model()?;
        let l = &self.lp;
        if l.funds_per_year == 0 || l.funds_per_year > 100 {
            return Err(Error::key(
                "lp.funds_per_year",
                format!("expected 1 to 100 funds a year, got {}", l.funds_per_year),
            ));
        }
        if l.years == 0 || l.years > 50 {
            return Err(Error::key(
                "lp.years",
                format!("expected 1 to 50 years, got {}", l.years),
            ));
        }
        if l.fund_cycle_years == 0 || l.fund_cycle_years > 20 {
            return Err(Error::key(
                "lp.fund_cycle_years",
                format!("expected 1 to 20 years, got {}", l.fund_cycle_years),
            ));
        }
        if !l.re_up_min_tvpi.is_finite() || l.re_up_min_tvpi < 0.0 {
            return Err(Error::key(
                "lp.re_up_min_tvpi",
                format!("expected a net TVPI of 0 or more, got {}", l.re_up_min_tvpi),
            ));
        }
        let r = l.public_return.0;
        if !r.is_finite() || !(-0.5..=1.0).contains(&r) {
            return Err(Error::key(
                "lp.public_return",
                format!("expected an annual return from -50% to 100%, got {r}"),
            ));
        }
        if matches!(fund.outcomes, OutcomeModel::Stages(_)) {
            return Err(Error::key(
                "stages",
                "the LP's funds need [outcomes] (multiple mode): vintage and skill move exit multiples",
            ));
        }
        Ok((
            fund,
            LpModel {
                funds_per_year: l.funds_per_year,
                years: l.years,
                fund_cycle_years: l.fund_cycle_years,
                re_up_min_tvpi: l.re_up_min_tvpi,
                public_return: r,
            },
        ))
    }
}

/// Mean calls and distributions in one calendar year of the programme, per unit of the
/// LP's total commitments (year 0 = the first vintage's first close).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearFlows {
    pub year: u32,
    pub calls: f64,
    pub distributions: f64,
    /// Distributions less calls.
    pub net: f64,
}

/// The portfolio of the LP's first `funds` commitments: its net TVPI across portfolios
/// and the chance it reaches the median fund's net TVPI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Diversification {
    pub funds: usize,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub prob_at_least_median_fund: f64,
}

/// The same programme with access to top-quartile managers: every new manager drawn
/// from the top quarter of the skill distribution (the same random numbers otherwise).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Access {
    pub net_tvpi: Stat,
    pub net_irr: Stat,
    /// Median portfolio net TVPI with access less without.
    pub net_tvpi_gain_p50: f64,
    /// Median portfolio net IRR with access less without.
    pub net_irr_gain_p50: f64,
}

/// What `lp simulate` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LpSummary {
    pub portfolios: usize,
    pub funds_per_portfolio: usize,
    /// Portfolio net TVPI: all distributions / all calls.
    pub net_tvpi: Stat,
    /// IRR of the portfolio's yearly net flows (-100% when nothing came back).
    pub net_irr: Stat,
    /// Kaplan-Schoar PME against a public market returning `lp.public_return` a year:
    /// NPV of distributions / NPV of calls at that rate.
    pub ks_pme: Stat,
    /// Peak cumulative calls less distributions, per unit of total commitments.
    pub liquidity_need: Stat,
    /// Share of commitments that were re-ups with a manager.
    pub re_up_share: f64,
    /// The median net TVPI of the single funds in the portfolios.
    pub fund_net_tvpi_p50: f64,
    pub cash_flows: Vec<YearFlows>,
    pub diversification: Vec<Diversification>,
    /// The fewest commitments (of those in `diversification`) whose portfolio reaches the
    /// median fund's net TVPI with probability at least 90%; `None` when none does.
    pub funds_for_median_90: Option<usize>,
    pub access: Access,
}

/// One portfolio's results.
#[derive(Debug, Clone, Default)]
struct Portfolio {
    tvpi: f64,
    irr: f64,
    pme: f64,
    peak: f64,
    re_ups: u32,
    /// Net TVPI of the first k commitments, for each k of the diversification table.
    first: Vec<f64>,
    fund_tvpi: Vec<f64>,
    calls: Vec<f64>,
    dists: Vec<f64>,
}

/// The portfolio sizes of the diversification table, up to `total`.
fn sizes(total: usize) -> Vec<usize> {
    let mut v: Vec<usize> = [1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 60, 80, 100, 150, 200]
        .into_iter()
        .filter(|&k| k < total)
        .collect();
    v.push(total);
    v
}

/// Simulates portfolio `p` of a run with `seed`; with `access`, new managers come from
/// the top quarter of the skill distribution.
fn portfolio(
    fund: &FundModel,
    lp: &LpModel,
    seed: u64,
    p: u64,
    access: bool,
    ws: &mut Workspace,
    dpi: &mut [f32],
) -> Portfolio {
    let horizon = fund.horizon() as usize + 1;
    let span = lp.years as usize + horizon;
    let n = lp.funds();
    let per_year = lp.funds_per_year as usize;
    let cycle = lp.fund_cycle_years as usize;
    let mut rng = fast_stream(seed, p, LP_DRAWS);
    let rho = fund.vintage.as_ref().map_or(0.0, |v| v.rho);
    let z = ar1_path(&mut rng, lp.years as usize, rho);
    let skill = match (&fund.skill, &fund.outcomes) {
        (Some(k), OutcomeModel::Random(m)) => Some((k, m)),
        _ => None,
    };
    let persistence = skill.map_or(0.0, |(k, _)| k.persistence);
    let innovation = (1.0 - persistence * persistence).sqrt();
    // One relationship per slot: the manager's skill and its last fund's net TVPI.
    let mut slots: Vec<Option<(f64, f64)>> = vec![None; per_year * cycle];
    let commitment = fund.size * (1.0 - fund.gp_commit);
    let mut out = Portfolio {
        calls: vec![0.0; span],
        dists: vec![0.0; span],
        fund_tvpi: Vec::with_capacity(n),
        ..Portfolio::default()
    };
    let ks = sizes(n);
    let (mut paid, mut got) = (0.0, 0.0);
    for (y, &zy) in z.iter().enumerate() {
        for j in 0..per_year {
            let slot = (y % cycle) * per_year + j;
            // Two numbers for every commitment, whatever the policy: common random numbers.
            let (e, u) = (normal_of(rng.next_u64()), rng.next_u64());
            let s = match slots[slot] {
                Some((last, tvpi)) if tvpi >= lp.re_up_min_tvpi => {
                    out.re_ups += 1;
                    persistence * last + innovation * e
                }
                _ => {
                    let unit = ((u >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64);
                    inverse_cdf(if access { 0.75 + 0.25 * unit } else { unit })
                }
            };
            let index = p * n as u64 + (y * per_year + j) as u64;
            let factors = FundFactors::new(fund.vintage.as_ref(), skill, zy, s);
            let row = simulate_fund_with(fund, seed, index, &factors, false, ws, dpi);
            slots[slot] = Some((s, row.net_tvpi));
            out.fund_tvpi.push(row.net_tvpi);
            let (calls, dists) = ws.lp_flows();
            for t in 0..horizon {
                out.calls[y + t] += calls[t] / commitment;
                out.dists[y + t] += dists[t] / commitment;
            }
            paid += calls.iter().sum::<f64>();
            got += dists.iter().sum::<f64>();
            let k = out.fund_tvpi.len();
            if ks.contains(&k) {
                out.first.push(if paid > 0.0 { got / paid } else { 0.0 });
            }
        }
    }
    let (c, d): (f64, f64) = (out.calls.iter().sum(), out.dists.iter().sum());
    out.tvpi = if c > 0.0 { d / c } else { 0.0 };
    let net: Vec<[f64; 1]> = out
        .calls
        .iter()
        .zip(&out.dists)
        .map(|(c, d)| [d - c])
        .collect();
    out.irr = if d > 0.0 {
        yearly_irr_lanes(&net, [true])[0]
    } else {
        -1.0
    };
    let r = lp.public_return;
    // Rates and flows were validated; the sums are finite.
    let pv_calls = npv(r, &out.calls).unwrap_or(f64::NAN);
    let pv_dists = npv(r, &out.dists).unwrap_or(f64::NAN);
    out.pme = pv_dists / pv_calls;
    let mut cum: f64 = 0.0;
    for (c, d) in out.calls.iter().zip(&out.dists) {
        cum += c - d;
        out.peak = out.peak.max(cum);
    }
    out.peak /= n as f64;
    out
}

/// Portfolios per parallel work item (fixed: results do not depend on the thread count).
const CHUNK: usize = 64;

/// Simulates `portfolios` LP portfolios with `seed`, and the same with access to
/// top-quartile managers. `progress(n)` is called as chunks of `n` portfolios finish (each
/// portfolio counts twice: without and with access).
pub fn simulate(
    fund: &FundModel,
    lp: &LpModel,
    portfolios: usize,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> LpSummary {
    let years = fund.horizon() as usize + 1;
    let span = lp.years as usize + years;
    let n = lp.funds();
    // Each chunk keeps its portfolios' results without their yearly flows, which it sums
    // (in portfolio order; the chunks' sums are added in chunk order).
    let run = |access: bool| -> Vec<(Vec<Portfolio>, Vec<f64>, Vec<f64>)> {
        (0..portfolios.div_ceil(CHUNK))
            .into_par_iter()
            .map_init(
                || (Workspace::new(fund), vec![0f32; years]),
                |(ws, dpi), c| {
                    let end = ((c + 1) * CHUNK).min(portfolios);
                    let (mut calls, mut dists) = (vec![0.0; span], vec![0.0; span]);
                    let v: Vec<Portfolio> = (c * CHUNK..end)
                        .map(|p| {
                            let mut r = portfolio(fund, lp, seed, p as u64, access, ws, dpi);
                            for (a, b) in calls.iter_mut().zip(&r.calls) {
                                *a += b;
                            }
                            for (a, b) in dists.iter_mut().zip(&r.dists) {
                                *a += b;
                            }
                            r.calls = Vec::new();
                            r.dists = Vec::new();
                            if access {
                                r.fund_tvpi = Vec::new();
                                r.first = Vec::new();
                            }
                            r
                        })
                        .collect();
                    progress(v.len() as u64);
                    (v, calls, dists)
                },
            )
            .collect()
    };
    let chunks = run(false);
    let (mut calls, mut dists) = (vec![0.0; span], vec![0.0; span]);
    let mut plain = Vec::with_capacity(portfolios);
    for (v, c, d) in chunks {
        for (a, b) in calls.iter_mut().zip(&c) {
            *a += b;
        }
        for (a, b) in dists.iter_mut().zip(&d) {
            *a += b;
        }
        plain.extend(v);
    }
    let with_access: Vec<Portfolio> = run(true).into_iter().flat_map(|(v, _, _)| v).collect();
    let stat = |v: &[Portfolio], f: fn(&Portfolio) -> f64| Stat::of(v.iter().map(f));
    let tvpi = stat(&plain, |p| p.tvpi);
    let irr = stat(&plain, |p| p.irr);
    let access_tvpi = stat(&with_access, |p| p.tvpi);
    let access_irr = stat(&with_access, |p| p.irr);
    let all_funds: Vec<f64> = plain
        .iter()
        .flat_map(|p| p.fund_tvpi.iter().copied())
        .collect();
    let median_fund = crate::stats::quantiles(&all_funds, &[0.5])[0];
    let diversification: Vec<Diversification> = sizes(n)
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            let v: Vec<f64> = plain.iter().map(|p| p.first[i]).collect();
            let q = crate::stats::quantiles(&v, &[0.05, 0.5, 0.95]);
            let hit = v.iter().filter(|&&x| x >= median_fund).count();
            Diversification {
                funds: k,
                p5: q[0],
                p50: q[1],
                p95: q[2],
                prob_at_least_median_fund: hit as f64 / v.len().max(1) as f64,
            }
        })
        .collect();
    let per = (portfolios * n) as f64;
    let cash_flows = (0..span)
        .map(|t| YearFlows {
            year: t as u32,
            calls: calls[t] / per,
            distributions: dists[t] / per,
            net: (dists[t] - calls[t]) / per,
        })
        .collect();
    LpSummary {
        portfolios,
        funds_per_portfolio: n,
        ks_pme: stat(&plain, |p| p.pme),
        liquidity_need: stat(&plain, |p| p.peak),
        re_up_share: plain.iter().map(|p| p.re_ups as f64).sum::<f64>() / (portfolios * n) as f64,
        fund_net_tvpi_p50: median_fund,
        cash_flows,
        funds_for_median_90: diversification
            .iter()
            .find(|d| d.prob_at_least_median_fund >= 0.9)
            .map(|d| d.funds),
        diversification,
        access: Access {
            net_tvpi_gain_p50: access_tvpi.p50 - tvpi.p50,
            net_irr_gain_p50: access_irr.p50 - irr.p50,
            net_tvpi: access_tvpi,
            net_irr: access_irr,
        },
        net_tvpi: tvpi,
        net_irr: irr,
    }
}

impl FromDoc for LpScenario {
    fn from_doc(doc: toml::Value) -> Result<Self> {
        LpScenario::from_value(doc)
    }
}

/// [`simulate`] of `portfolios` portfolios of the LP scenario `doc` with the field `key`
/// set to `value` (rounded for fields that take whole numbers: `lp.funds_per_year`,
/// `lp.years`), for `lp solve` and `lp sweep`: the same seed at every value, so the same
/// vintage paths and managers' draws (common random numbers).
pub fn evaluate(
    doc: &toml::Value,
    key: &str,
    value: f64,
    portfolios: usize,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LpSummary> {
    let (scenario, _) = scenario_at::<LpScenario>(doc, key, value)?;
    let (fund, lp) = scenario.model().map_err(|e| with_value(e, key, value))?;
    Ok(simulate(&fund, &lp, portfolios, seed, progress))
}

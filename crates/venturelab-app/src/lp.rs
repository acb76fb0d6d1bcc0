//! `lp simulate`: requests and reports of the LP's portfolio of funds.

use serde::Serialize;
use venturelab::fund::explore::{get_path, held_value, solve_by, takes_whole_numbers, Solved};
use venturelab::fund::lp::{evaluate, simulate as simulate_portfolios, LpScenario, LpSummary};
use venturelab::fund::Stat;

use crate::error::AppResult;
use crate::explore::{bracket, check_values, sweep_rows};
use crate::limits;
use crate::progress::{check, observed, Observer};
use crate::run::{at_least_one, RunSpec};
use crate::source::{load, Loaded};

/// Simulate many LP portfolios of funds and summarise them.
#[derive(Debug, Clone)]
pub struct LpSimulate {
    pub run: RunSpec,
    /// Number of LP portfolios (each one world: its own vintages and managers).
    pub portfolios: usize,
}

/// `lp simulate`: the summary, and what reproduces it.
#[derive(Serialize)]
pub struct LpSimulateReport {
    #[serde(flatten)]
    pub summary: LpSummary,
    pub seed: u64,
    pub scenario: LpScenario,
    pub version: String,
    /// How the scenario was named (`preset lp-ca-2004-2013`, a path).
    #[serde(skip)]
    pub origin: String,
}

/// The most portfolios a run accepts (a run keeps about 700 bytes a portfolio).
pub const MAX_PORTFOLIOS: usize = 10_000_000;

/// Refuses a number of portfolios below 1, above [`MAX_PORTFOLIOS`] or beyond the
/// machine's memory (`portfolios`; about 1,000 bytes a portfolio of 40 funds, 16 bytes
/// more per further fund).
fn check_portfolios(portfolios: usize, funds_per_portfolio: usize) -> AppResult<()> {
    at_least_one("portfolios", portfolios as u64, "portfolio")?;
    if portfolios > MAX_PORTFOLIOS {
        return Err(crate::AppError::parameter(
            "portfolios",
            format!("expected at most {MAX_PORTFOLIOS} portfolios, got {portfolios}"),
        ));
    }
    let per = 1_000.0 + 16.0 * funds_per_portfolio.saturating_sub(40) as f64;
    limits::check_memory("portfolios", portfolios, 16e6 + portfolios as f64 * per)
}

/// Reads and validates an LP scenario (errors with the line of the offending key).
fn load_lp(run: &RunSpec) -> AppResult<(Loaded, LpScenario)> {
    let loaded = load("lp", run.scenario.as_ref(), None)?;
    let scenario = LpScenario::from_toml(&loaded.text).map_err(|e| loaded.error(e))?;
    scenario.model().map_err(|e| loaded.error(e))?;
    Ok((loaded, scenario))
}

/// Runs `lp simulate`.
pub fn simulate(req: &LpSimulate, obs: &dyn Observer) -> AppResult<LpSimulateReport> {
    at_least_one("portfolios", req.portfolios as u64, "portfolio")?;
    let (loaded, scenario) = load_lp(&req.run)?;
    let (fund, lp) = scenario.model().map_err(|e| loaded.error(e))?;
    check_portfolios(req.portfolios, lp.funds())?;
    // Each portfolio is simulated twice: as the policy says and with access.
    let work = 2 * req.portfolios as u64;
    let summary = observed(obs, work, "portfolios", |progress| {
        req.run
            .pooled(|| simulate_portfolios(&fund, &lp, req.portfolios, req.run.seed, progress))
    })?;
    check(obs)?;
    Ok(LpSimulateReport {
        summary,
        seed: req.run.seed,
        scenario,
        version: venturelab::VERSION.to_string(),
        origin: loaded.origin,
    })
}

/// Find the value of an LP scenario field at which a result of `lp simulate` reaches a
/// target.
#[derive(Debug, Clone)]
pub struct LpSolve {
    pub run: RunSpec,
    /// Dotted path of the numeric field to vary (`lp.funds_per_year`, `skill.sigma`).
    pub vary: String,
    /// Path of the metric in the `lp simulate` JSON (`net_tvpi.p5`,
    /// `access.net_tvpi_gain_p50`).
    pub metric: String,
    /// The value the metric must reach.
    pub target: f64,
    /// Search bracket (defaults: a tenth and ten times the current value).
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    /// Portfolios per trial value (the same seed, so the same draws, each time).
    pub portfolios: usize,
}

/// `lp solve`: the value found and the search that found it.
#[derive(Debug, Clone, Serialize)]
pub struct LpSolveReport {
    #[serde(flatten)]
    pub solved: Solved,
    pub portfolios: usize,
    pub seed: u64,
    pub lo: f64,
    pub hi: f64,
    pub version: String,
}

/// The funds of one portfolio with `key` at `x` (for the memory check of a trial value).
fn funds_at(doc: &toml::Value, key: &str, x: f64) -> usize {
    venturelab::fund::explore::scenario_at::<LpScenario>(doc, key, x)
        .map(|(s, _)| s.lp.funds_per_year as usize * s.lp.years as usize)
        .unwrap_or(0)
}

/// Runs `lp solve`.
pub fn solve_for(req: &LpSolve, obs: &dyn Observer) -> AppResult<LpSolveReport> {
    at_least_one("portfolios", req.portfolios as u64, "portfolio")?;
    let (loaded, _) = load_lp(&req.run)?;
    let doc = &loaded.doc;
    let current = get_path(doc, &req.vary).map_err(|e| loaded.error(e))?;
    let (lo, hi) = bracket(current, req.lo, req.hi);
    // The most funds a portfolio holds in the search (funds a year and years grow it
    // one way): the memory of the largest trial, refused before the first.
    let most = [lo, hi, current]
        .map(|x| funds_at(doc, &req.vary, x))
        .into_iter()
        .max()
        .unwrap_or(0);
    check_portfolios(req.portfolios, most)?;
    check(obs)?;
    obs.spinner("solving (the same draws at each trial value)");
    let whole = takes_whole_numbers::<LpScenario>(doc, &req.vary, lo);
    let solved = solve_by(&req.vary, &req.metric, req.target, (lo, hi), whole, |x| {
        if obs.cancelled() {
            // Stops the search; reported as cancelled below.
            return Err(venturelab::Error::NoSolution("cancelled".into()));
        }
        let s = req
            .run
            .pooled(|| evaluate(doc, &req.vary, x, req.portfolios, req.run.seed, &|_| {}))?;
        serde_json::to_value(&s).map_err(|e| venturelab::Error::param("target", e.to_string()))
    });
    obs.finish();
    check(obs)?;
    let solved = solved.map_err(|e| loaded.error(e))?;
    Ok(LpSolveReport {
        solved,
        portfolios: req.portfolios,
        seed: req.run.seed,
        lo,
        hi,
        version: venturelab::VERSION.to_string(),
    })
}

/// Run the LP scenario at several values of one field.
#[derive(Debug, Clone)]
pub struct LpSweep {
    pub run: RunSpec,
    /// Dotted path of the numeric field to vary (`lp.funds_per_year`).
    pub vary: String,
    /// The values asked for; a whole-number field runs each whole number they round to once.
    pub values: Vec<f64>,
    /// Portfolios per value (the same seed, so the same draws, each time).
    pub portfolios: usize,
}

/// One value of an LP sweep and the headline of its portfolios.
#[derive(Debug, Clone, Serialize)]
pub struct LpSweepRow {
    pub value: f64,
    pub funds_per_portfolio: usize,
    /// Portfolio net TVPI.
    pub net_tvpi: Stat,
    /// Portfolio net IRR (a fraction a year).
    pub net_irr: Stat,
    /// Kaplan-Schoar PME at `lp.public_return`.
    pub ks_pme: Stat,
    /// Peak cumulative calls less distributions, per unit of total commitments.
    pub liquidity_need: Stat,
    /// Median net TVPI with access to top-quartile managers less without.
    pub access_net_tvpi_gain_p50: f64,
    /// Median net IRR with access less without (a fraction a year).
    pub access_net_irr_gain_p50: f64,
    /// The median single fund's net TVPI.
    pub fund_net_tvpi_p50: f64,
    /// The fewest commitments with a 90% chance of at least the median fund's TVPI.
    pub funds_for_median_90: Option<usize>,
    /// Share of commitments that were re-ups.
    pub re_up_share: f64,
}

/// `lp sweep`: one row per value.
#[derive(Debug, Clone, Serialize)]
pub struct LpSweepReport {
    pub vary: String,
    pub portfolios: usize,
    pub seed: u64,
    pub rows: Vec<LpSweepRow>,
    pub version: String,
}

/// Runs `lp sweep`.
pub fn sweep(req: &LpSweep, obs: &dyn Observer) -> AppResult<LpSweepReport> {
    at_least_one("portfolios", req.portfolios as u64, "portfolio")?;
    check_values(&req.values)?;
    let (loaded, _) = load_lp(&req.run)?;
    let doc = &loaded.doc;
    let held = |x| held_value::<LpScenario>(doc, &req.vary, x).map_err(|e| loaded.error(e));
    let rows = sweep_rows(&req.values, held, obs, |x| {
        check_portfolios(req.portfolios, funds_at(doc, &req.vary, x))?;
        let s = req
            .run
            .pooled(|| evaluate(doc, &req.vary, x, req.portfolios, req.run.seed, &|_| {}))
            .map_err(|e| loaded.error(e))?;
        Ok(LpSweepRow {
            value: x,
            funds_per_portfolio: s.funds_per_portfolio,
            net_tvpi: s.net_tvpi,
            net_irr: s.net_irr,
            ks_pme: s.ks_pme,
            liquidity_need: s.liquidity_need,
            access_net_tvpi_gain_p50: s.access.net_tvpi_gain_p50,
            access_net_irr_gain_p50: s.access.net_irr_gain_p50,
            fund_net_tvpi_p50: s.fund_net_tvpi_p50,
            funds_for_median_90: s.funds_for_median_90,
            re_up_share: s.re_up_share,
        })
    })?;
    Ok(LpSweepReport {
        vary: req.vary.clone(),
        portfolios: req.portfolios,
        seed: req.run.seed,
        rows,
        version: venturelab::VERSION.to_string(),
    })
}

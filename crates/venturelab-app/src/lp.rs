//! `lp simulate`: requests and reports of the LP's portfolio of funds.

use serde::Serialize;
use venturelab::fund::lp::{simulate as simulate_portfolios, LpScenario, LpSummary};

use crate::error::AppResult;
use crate::limits;
use crate::progress::{check, observed, Observer};
use crate::run::{at_least_one, RunSpec};
use crate::source::load;

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

/// Runs `lp simulate`.
pub fn simulate(req: &LpSimulate, obs: &dyn Observer) -> AppResult<LpSimulateReport> {
    at_least_one("portfolios", req.portfolios as u64, "portfolio")?;
    limits::check_memory(
        "portfolios",
        req.portfolios,
        16e6 + req.portfolios as f64 * 1_000.0,
    )?;
    let loaded = load("lp", req.run.scenario.as_ref(), None)?;
    let scenario = LpScenario::from_toml(&loaded.text).map_err(|e| loaded.error(e))?;
    let (fund, lp) = scenario.model().map_err(|e| loaded.error(e))?;
    if req.portfolios > MAX_PORTFOLIOS {
        return Err(crate::AppError::parameter(
            "portfolios",
            format!(
                "expected at most {MAX_PORTFOLIOS} portfolios, got {}",
                req.portfolios
            ),
        ));
    }
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

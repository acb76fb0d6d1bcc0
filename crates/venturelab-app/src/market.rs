//! `market simulate | experiment`: the venture market as agents.

use serde::Serialize;
use venturelab::market::scenario::{MarketModel, Scenario};
use venturelab::market::summary::{
    herding as herding_of, horizon as horizon_of, run_many, scapegoat as scapegoat_of, summarize,
    ConditionRow, ShockSpec, Summary, SCAPEGOAT_SHOCK,
};

use crate::error::{AppError, AppResult};
use crate::limits;
use crate::progress::{observed, Observer};
use crate::run::{at_least_one, RunSpec};
use crate::source::{load, Loaded};

/// The preset a market request runs when it names no scenario.
pub const DEFAULT_PRESET: &str = "market";

/// The switching intensities the herding experiment sweeps.
pub const HERDING_INTENSITIES: [f64; 5] = [0.0, 1.0, 2.0, 5.0, 10.0];

fn model_of(run: &RunSpec, quarters: Option<u32>) -> AppResult<(Loaded, Scenario, MarketModel)> {
    let loaded = load("market", run.scenario.as_ref(), Some(DEFAULT_PRESET))?;
    let mut scenario = Scenario::from_toml(&loaded.text).map_err(|e| loaded.error(e))?;
    if let Some(q) = quarters {
        at_least_one("quarters", q as u64, "quarter")?;
        scenario.market.quarters = q;
    }
    let model = scenario.model().map_err(|e| loaded.error(e))?;
    Ok((loaded, scenario, model))
}

/// Refuses runs whose memory would not fit (`conditions` side by side, one after another),
/// naming what makes it large: `runs`, the quarters (`quarters`, or `market.quarters` when
/// the scenario sets them), `market.startups_per_quarter`, or the funds `lp.base_inflow`
/// raises in funds of `funds.size`.
fn check_size(
    run: &RunSpec,
    runs: usize,
    quarters_given: bool,
    loaded: &Loaded,
    model: &MarketModel,
) -> AppResult<()> {
    let threads = limits::effective_threads(run.threads);
    let funds = model.max_funds_per_quarter();
    let parts = limits::market_parts(
        runs,
        model.quarters,
        model.startups_per_quarter,
        funds,
        threads,
    );
    let est: f64 = parts.iter().sum();
    // Each factor against its value in the default market (80 quarters, 2,000 startups
    // and at most 500 funds a quarter, 100 runs): the one furthest above it is the one to
    // change.
    let q = model.quarters as f64 / 80.0;
    let blame_quarters = |other: f64| q >= other;
    let refuse_quarters = || {
        if quarters_given {
            limits::check_memory("quarters", model.quarters, est)
        } else {
            limits::check_memory_at_key(&loaded.origin, "market.quarters", model.quarters, est)
        }
    };
    let largest = (1..4)
        .max_by(|&a, &b| parts[a].total_cmp(&parts[b]))
        .unwrap_or(1);
    match largest {
        1 if !blame_quarters(model.startups_per_quarter / 2000.0) => limits::check_memory_at_key(
            &loaded.origin,
            "market.startups_per_quarter",
            model.startups_per_quarter,
            est,
        ),
        2 if !blame_quarters(funds / 500.0) => limits::check_memory_at_key(
            &loaded.origin,
            "lp.base_inflow",
            format!(
                "{} (up to {} funds of funds.size a quarter)",
                venturelab::scenario::num(model.base_inflow),
                venturelab::scenario::num(funds)
            ),
            est,
        ),
        3 if !blame_quarters(runs as f64 / 100.0) => limits::check_memory("runs", runs, est),
        _ => refuse_quarters(),
    }
}

/// Simulate the market many times.
#[derive(Debug, Clone)]
pub struct MarketSimulate {
    pub run: RunSpec,
    pub runs: usize,
    /// Quarters simulated (default: the scenario's).
    pub quarters: Option<u32>,
}

/// `market simulate`: bands across runs and per-run totals, with the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct MarketSimulateReport {
    #[serde(flatten)]
    pub summary: Summary,
    pub scenario: Scenario,
    pub version: String,
    #[serde(skip)]
    pub origin: String,
}

/// Runs `market simulate`.
pub fn simulate(req: &MarketSimulate, obs: &dyn Observer) -> AppResult<MarketSimulateReport> {
    at_least_one("runs", req.runs as u64, "run")?;
    let (loaded, scenario, model) = model_of(&req.run, req.quarters)?;
    check_size(&req.run, req.runs, req.quarters.is_some(), &loaded, &model)?;
    let runs = observed(obs, req.runs as u64, "runs", |p| {
        req.run
            .pooled(|| run_many(&model, req.runs, req.run.seed, p))
    })?
    .map_err(AppError::from)?;
    Ok(MarketSimulateReport {
        summary: summarize(&model, &runs, req.run.seed),
        scenario,
        version: venturelab::VERSION.to_string(),
        origin: loaded.origin,
    })
}

/// The experiments of the market model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Experiment {
    /// The same narrative shock to AI, to a sector with equal fundamentals, without the
    /// fund-returner incentive, with alternative capital, and no shock at all.
    Scapegoat,
    /// Fund lives of 7, 10 and 15 years.
    Horizon,
    /// A sweep of the strategy-switching intensity ([`HERDING_INTENSITIES`]).
    Herding,
}

impl Experiment {
    /// Its name (`scapegoat`).
    pub fn key(self) -> &'static str {
        match self {
            Experiment::Scapegoat => "scapegoat",
            Experiment::Horizon => "horizon",
            Experiment::Herding => "herding",
        }
    }

    /// How many conditions it compares.
    pub fn conditions(self) -> u64 {
        match self {
            Experiment::Scapegoat | Experiment::Herding => 5,
            Experiment::Horizon => 3,
        }
    }
}

/// Compare conditions side by side over many runs.
#[derive(Debug, Clone)]
pub struct MarketExperiment {
    pub experiment: Experiment,
    pub run: RunSpec,
    /// Runs per condition (the same seeds in every condition).
    pub runs: usize,
}

/// `market experiment`: one row per condition.
#[derive(Debug, Clone, Serialize)]
pub struct MarketExperimentReport {
    pub experiment: String,
    pub runs: usize,
    pub seed: u64,
    /// The narrative shock (scapegoat only).
    pub shock: Option<ShockSpec>,
    pub rows: Vec<ConditionRow>,
    pub scenario: Scenario,
    pub version: String,
    #[serde(skip)]
    pub origin: String,
}

/// Runs an experiment on the request's scenario (the default market when none).
pub fn experiment(req: &MarketExperiment, obs: &dyn Observer) -> AppResult<MarketExperimentReport> {
    at_least_one("runs", req.runs as u64, "run")?;
    let (loaded, scenario, model) = model_of(&req.run, None)?;
    check_size(&req.run, req.runs, false, &loaded, &model)?;
    let (runs, seed) = (req.runs, req.run.seed);
    let total = req.experiment.conditions() * runs as u64;
    let rows = observed(obs, total, "runs", |p| {
        req.run.pooled(|| match req.experiment {
            Experiment::Scapegoat => scapegoat_of(&model, runs, seed, SCAPEGOAT_SHOCK, p),
            Experiment::Horizon => horizon_of(&model, runs, seed, p),
            Experiment::Herding => herding_of(&model, runs, seed, &HERDING_INTENSITIES, p),
        })
    })?
    .map_err(AppError::from)?;
    Ok(MarketExperimentReport {
        experiment: req.experiment.key().to_string(),
        runs,
        seed,
        shock: (req.experiment == Experiment::Scapegoat).then_some(SCAPEGOAT_SHOCK),
        rows,
        scenario,
        version: venturelab::VERSION.to_string(),
        origin: loaded.origin,
    })
}

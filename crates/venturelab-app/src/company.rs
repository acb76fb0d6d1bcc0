//! `company simulate | stress | compare | default-alive`: a startup through the valley of
//! death.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use venturelab::company::default_alive::default_alive as default_alive_of;
use venturelab::company::scenario::{CompanyModel, Path, Scenario};
use venturelab::company::sim::RunOptions;
use venturelab::company::summary::{compare as compare_paths, simulate_batch, stress as stress_of};
use venturelab::company::summary::{Batch, Summary, SurvivalPoint};

use crate::error::{AppError, AppResult};
use crate::limits;
use crate::progress::{observed, Observer};
use crate::run::{at_least_one, RunSpec};
use crate::source::{load, Loaded};

/// How many runs, over how many months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub runs: usize,
    pub months: u32,
}

fn model_of(run: &RunSpec) -> AppResult<(Loaded, Scenario, CompanyModel)> {
    let loaded = load("company", run.scenario.as_ref(), None)?;
    let scenario = Scenario::from_toml(&loaded.text).map_err(|e| loaded.error(e))?;
    let model = scenario.model().map_err(|e| loaded.error(e))?;
    Ok((loaded, scenario, model))
}

fn options(run: &RunSpec, size: Size, model: &CompanyModel) -> AppResult<RunOptions> {
    at_least_one("months", size.months as u64, "month")?;
    at_least_one("runs", size.runs as u64, "run")?;
    check_size(size, false)?;
    Ok(RunOptions {
        months: size.months,
        seed: run.seed,
        path: model.path,
        shock: None,
    })
}

/// Refuses a size whose memory would not fit, naming the larger of its two factors.
fn check_size(size: Size, detail: bool) -> AppResult<()> {
    let est = limits::company_bytes(size.runs, size.months, detail);
    let by_months = limits::company_bytes(size.runs.min(5_000), size.months, false);
    if by_months * 2.0 > est {
        limits::check_memory("months", size.months, est)
    } else {
        limits::check_memory("runs", size.runs, est)
    }
}

/// Simulate the company many times.
#[derive(Debug, Clone)]
pub struct CompanySimulate {
    pub run: RunSpec,
    pub size: Size,
    /// Keep every run's outcome (for the per-run CSV).
    pub detail: bool,
}

/// `company simulate`: the summary and the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct CompanySimulateReport {
    #[serde(flatten)]
    pub summary: Summary,
    pub scenario: Scenario,
    pub version: String,
    #[serde(skip)]
    pub origin: String,
    /// Every run's outcome, with `detail`.
    #[serde(skip)]
    pub batch: Option<Batch>,
}

/// Runs `company simulate`.
pub fn simulate(req: &CompanySimulate, obs: &dyn Observer) -> AppResult<CompanySimulateReport> {
    let (loaded, scenario, model) = model_of(&req.run)?;
    let opt = options(&req.run, req.size, &model)?;
    check_size(req.size, req.detail)?;
    let (batch, summary) = observed(obs, req.size.runs as u64, "runs", |p| {
        req.run
            .pooled(|| simulate_batch(&model, &opt, req.size.runs, p))
    })?
    .map_err(AppError::from)?;
    Ok(CompanySimulateReport {
        summary,
        scenario,
        version: venturelab::VERSION.to_string(),
        origin: loaded.origin,
        batch: req.detail.then_some(batch),
    })
}

/// The short view of a summary that `stress` and `compare` report for each side.
struct Headline<'a>(&'a Summary);

/// One point of the survival curve in the headline view.
#[derive(Serialize)]
struct Alive {
    month: u32,
    alive: f64,
}

impl Serialize for Headline<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let h = self.0;
        let mut m = s.serialize_map(None)?;
        let survival: Vec<Alive> = h
            .survival
            .iter()
            .map(|p: &SurvivalPoint| Alive {
                month: p.month,
                alive: p.alive,
            })
            .collect();
        m.serialize_entry("survival", &survival)?;
        m.serialize_entry("dead_by_month", &h.dead_by_month)?;
        m.serialize_entry("acquired", &h.acquired)?;
        m.serialize_entry("default_alive_share", &h.default_alive_share)?;
        m.serialize_entry("default_alive_month", &h.default_alive_month)?;
        m.serialize_entry("gross_margin_24", &h.gross_margin_24)?;
        m.serialize_entry("runway_12", &h.runway_12)?;
        m.serialize_entry("founder_ownership", &h.founder_ownership)?;
        m.serialize_entry("founder_proceeds", &h.founder_proceeds)?;
        m.serialize_entry("exit_value", &h.exit_value)?;
        m.serialize_entry(
            "raised_series_a_within_24_months",
            &h.raised_series_a_within_24_months,
        )?;
        m.end()
    }
}

fn headline<S: Serializer>(summary: &Summary, s: S) -> Result<S::Ok, S::Error> {
    Headline(summary).serialize(s)
}

fn headlines_by_path<S: Serializer>(paths: &[(Path, Summary)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(paths.len()))?;
    for (p, summary) in paths {
        m.serialize_entry(p.key(), &Headline(summary))?;
    }
    m.end()
}

/// The same runs with and without a vendor price change.
#[derive(Debug, Clone)]
pub struct CompanyStress {
    pub run: RunSpec,
    pub size: Size,
    /// The vendor line (`cloud`, `model-api`).
    pub vendor: String,
    /// The change as a fraction: 0.3 multiplies prices by 1.3.
    pub price_change: f64,
    /// First month at the new prices.
    pub at_month: u32,
}

/// `company stress`: both sides (each shown in its headline view).
#[derive(Debug, Clone, Serialize)]
pub struct CompanyStressReport {
    pub runs: usize,
    pub months: u32,
    pub seed: u64,
    pub vendor: String,
    pub price_change: f64,
    pub at_month: u32,
    pub scenario: Scenario,
    #[serde(serialize_with = "headline")]
    pub base: Summary,
    #[serde(serialize_with = "headline")]
    pub shocked: Summary,
    pub version: String,
    #[serde(skip)]
    pub origin: String,
}

/// Runs `company stress`.
pub fn stress(req: &CompanyStress, obs: &dyn Observer) -> AppResult<CompanyStressReport> {
    let (loaded, scenario, model) = model_of(&req.run)?;
    let opt = options(&req.run, req.size, &model)?;
    let (base, shocked) = observed(obs, 2 * req.size.runs as u64, "runs", |p| {
        req.run.pooled(|| {
            stress_of(
                &model,
                &opt,
                req.size.runs,
                &req.vendor,
                1.0 + req.price_change,
                req.at_month,
                p,
            )
        })
    })?
    .map_err(AppError::from)?;
    Ok(CompanyStressReport {
        runs: base.runs,
        months: base.months,
        seed: base.seed,
        vendor: req.vendor.clone(),
        price_change: req.price_change,
        at_month: req.at_month,
        scenario,
        base,
        shocked,
        version: venturelab::VERSION.to_string(),
        origin: loaded.origin,
    })
}

/// The same company financed several ways.
#[derive(Debug, Clone)]
pub struct CompanyCompare {
    pub run: RunSpec,
    pub size: Size,
    pub paths: Vec<Path>,
}

/// `vc,rbf,debt,bootstrap` as financing paths.
pub fn parse_paths(text: &str) -> AppResult<Vec<Path>> {
    let paths = text
        .split(',')
        .map(|p| {
            Path::parse(p).ok_or_else(|| {
                AppError::parameter(
                    "paths",
                    format!(
                        "unknown financing path '{}'; expected vc, rbf, debt or bootstrap",
                        p.trim()
                    ),
                )
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    if paths.is_empty() {
        return Err(AppError::parameter("paths", "expected at least one path"));
    }
    if let Some((i, p)) = paths
        .iter()
        .enumerate()
        .find(|(i, p)| paths[..*i].contains(p))
    {
        return Err(AppError::parameter(
            "paths",
            format!(
                "'{}' is listed twice (entries {} and {}); name each path once",
                p.key(),
                paths.iter().position(|q| q == p).map_or(0, |j| j + 1),
                i + 1
            ),
        ));
    }
    Ok(paths)
}

/// `company compare`: one summary per path (each in its headline view).
#[derive(Debug, Clone, Serialize)]
pub struct CompanyCompareReport {
    pub runs: usize,
    pub months: u32,
    pub seed: u64,
    pub scenario: Scenario,
    #[serde(serialize_with = "headlines_by_path")]
    pub paths: Vec<(Path, Summary)>,
    pub version: String,
    #[serde(skip)]
    pub origin: String,
}

/// Runs `company compare`.
pub fn compare(req: &CompanyCompare, obs: &dyn Observer) -> AppResult<CompanyCompareReport> {
    if req.paths.is_empty() {
        return Err(AppError::parameter("paths", "expected at least one path"));
    }
    let (loaded, scenario, model) = model_of(&req.run)?;
    let opt = options(&req.run, req.size, &model)?;
    let n = req.paths.len() as u64 * req.size.runs as u64;
    let summaries = observed(obs, n, "runs", |p| {
        req.run
            .pooled(|| compare_paths(&model, &opt, req.size.runs, &req.paths, p))
    })?
    .map_err(AppError::from)?;
    Ok(CompanyCompareReport {
        runs: summaries[0].runs,
        months: summaries[0].months,
        seed: summaries[0].seed,
        scenario,
        paths: req.paths.iter().copied().zip(summaries).collect(),
        version: venturelab::VERSION.to_string(),
        origin: loaded.origin,
    })
}

/// The period rates and amounts are per.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
}

/// When does revenue catch expenses, and how much cash does it take to get there?
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DefaultAlive {
    pub revenue: f64,
    pub revenue_growth: f64,
    pub expenses: f64,
    pub expense_growth: f64,
    /// Cash in the bank: answers default alive or dead.
    pub cash: Option<f64>,
    pub period: Period,
}

/// `company default-alive` (Trevor Blackwell's calculation).
#[derive(Debug, Clone, Serialize)]
pub struct DefaultAliveReport {
    /// First period in which revenue covers expenses.
    pub breakeven_period: Option<u64>,
    /// The crossing in continuous time.
    pub breakeven_time: Option<f64>,
    /// Cash burned before breakeven; `None` when it never comes.
    pub capital_needed: Option<f64>,
    /// With cash given: whether it covers the capital needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_alive: Option<bool>,
    /// `week` or `month`.
    pub period: String,
    pub version: String,
}

/// Runs `company default-alive`.
pub fn default_alive(req: &DefaultAlive) -> AppResult<DefaultAliveReport> {
    let d = default_alive_of(
        req.revenue,
        req.revenue_growth,
        req.expenses,
        req.expense_growth,
        req.cash,
    )?;
    Ok(DefaultAliveReport {
        breakeven_period: d.breakeven_period,
        breakeven_time: d.breakeven_time,
        capital_needed: d.capital_needed,
        default_alive: d.default_alive,
        period: match req.period {
            Period::Week => "week",
            Period::Month => "month",
        }
        .to_string(),
        version: venturelab::VERSION.to_string(),
    })
}

//! `fund simulate | solve | sweep`: requests and reports of the venture fund Monte Carlo.

use serde::Serialize;
use venturelab::fund::explore::{evaluate, get_path, held_value, solve, Solved};
use venturelab::fund::{run_with, summarize, FundModel, Run, Scenario, Stat, Summary};

use crate::error::{AppError, AppResult};
use crate::explore::{bracket, check_values, sweep_rows};
use crate::limits;
use crate::progress::{check, observed, Observer};
use crate::run::{at_least_one, RunSpec};
use crate::source::{load, numbers, Loaded};

/// The target and range parsers `fund solve | sweep` share with `lp solve | sweep`.
pub use crate::explore::{parse_target, range_values};

/// Simulate many funds and summarise them.
#[derive(Debug, Clone)]
pub struct FundSimulate {
    pub run: RunSpec,
    /// Number of funds.
    pub funds: usize,
    /// Keep every fund's row (for per-fund CSV and charts); costs 48 bytes a fund.
    pub detail: bool,
}

/// What the model resolved from the scenario's terms.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    /// Money invested in companies (commitments less fees, or as the scenario says).
    pub investable: f64,
    /// Initial check per company.
    pub initial_check: f64,
    /// Money held back for follow-ons.
    pub reserve: f64,
    /// Years from the first close to the last cash flow simulated, plus one.
    pub horizon_years: u32,
}

/// `fund simulate`: the summary, and what reproduces it.
#[derive(Serialize)]
pub struct FundSimulateReport {
    #[serde(flatten)]
    pub summary: Summary,
    pub seed: u64,
    pub scenario: Scenario,
    pub resolved: Resolved,
    pub version: String,
    /// How the scenario was named (`preset essay`, a path).
    #[serde(skip)]
    pub origin: String,
    /// Companies per fund.
    #[serde(skip)]
    pub companies: u32,
    /// The run itself: per-fund rows (with `detail`) and mean shares by company rank.
    #[serde(skip)]
    pub run: Run,
}

/// Reads a fund scenario and the data files it names (`outcomes.empirical_file`,
/// `outcomes.fitted`), merged into its document.
pub fn load_fund(run: &RunSpec) -> AppResult<Loaded> {
    let mut loaded = load("fund", run.scenario.as_ref(), None)?;
    let outcome_str = |l: &Loaded, key: &str| {
        l.doc
            .get("outcomes")
            .and_then(|o| o.get(key))
            .and_then(|f| f.as_str())
            .map(String::from)
    };
    if let Some(name) = outcome_str(&loaded, "empirical_file") {
        let (text, path) = loaded.read_named("outcomes.empirical_file", &name)?;
        let values = numbers(&text, &path)?;
        if let Some(toml::Value::Table(o)) = loaded.doc.get_mut("outcomes") {
            o.insert(
                "empirical".into(),
                toml::Value::Array(values.into_iter().map(toml::Value::Float).collect()),
            );
        }
    }
    if let Some(name) = outcome_str(&loaded, "fitted") {
        let (text, path) = loaded.read_named("outcomes.fitted", &name)?;
        let j: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            AppError::in_source(
                &path,
                format!("not the JSON output of `venturelab fit`: {e}"),
            )
        })?;
        let (xmin, alpha) =
            match (j["xmin"].as_f64(), j["alpha"].as_f64()) {
                (Some(x), Some(a)) if x > 0.0 && a > 1.0 => (x, a),
                _ => return Err(AppError::in_source(
                    &path,
                    "expected numbers `xmin` > 0 and `alpha` > 1 (from `venturelab fit --json`)",
                )),
            };
        if let Some(toml::Value::Table(o)) = loaded.doc.get_mut("outcomes") {
            // CSN's density exponent alpha is a Pareto survival exponent of alpha - 1.
            o.insert("dist".into(), toml::Value::String("pareto".into()));
            o.insert("scale".into(), toml::Value::Float(xmin));
            o.insert("shape".into(), toml::Value::Float(alpha - 1.0));
        }
    }
    Ok(loaded)
}

/// Refuses a summary whose measures are not finite numbers: outcomes so large (a Pareto
/// shape near 0, multiples near 1e308) that a fund's proceeds overflow. The scenario is
/// valid but has no finite answer; say so instead of printing NaN.
pub fn finite_outcomes(s: &Summary, origin: &str) -> AppResult<()> {
    let measures = [
        ("gross multiple", &s.gross_multiple),
        ("net TVPI", &s.net_tvpi),
        ("top company share", &s.top_company_share),
        ("top 10% share", &s.top_decile_share),
        ("fund returners", &s.fund_returners),
    ];
    for (name, m) in measures {
        let all = [m.mean, m.sd, m.p5, m.p25, m.p50, m.p75, m.p95];
        if all.iter().any(|x| !x.is_finite()) {
            return Err(AppError::in_source(
                origin,
                format!(
                    "the outcomes are too large for finite results (the {name} is {} on average): bound the outcome distribution (a Pareto shape above 1, smaller multiples)",
                    m.mean
                ),
            ));
        }
    }
    Ok(())
}

/// Validates a loaded fund scenario into its model.
pub fn fund_model(loaded: &Loaded) -> AppResult<(Scenario, FundModel)> {
    // Parse the text first: its errors carry the line of the offending key.
    Scenario::from_toml(&loaded.text).map_err(|e| loaded.error(e))?;
    // Then the document, which may hold data read from files the scenario names.
    let scenario: Scenario = loaded
        .doc
        .clone()
        .try_into()
        .map_err(|e: toml::de::Error| AppError::in_source(&loaded.origin, e.message().trim()))?;
    let model = scenario
        .model()
        .map_err(|e| loaded.error(fitted_context(loaded, e)))?;
    Ok((scenario, model))
}

/// An error about the Pareto that `outcomes.fitted` put in place of `outcomes` is about
/// the fit: name that key, the file and its alpha (a fit of alpha 1.0000001 is a Pareto
/// of shape 1e-7, whose draws overflow).
fn fitted_context(loaded: &Loaded, e: venturelab::Error) -> venturelab::Error {
    use venturelab::error::Location;
    let o = loaded.doc.get("outcomes");
    let fitted = o.and_then(|o| o.get("fitted")).and_then(|f| f.as_str());
    let shape = o.and_then(|o| o.get("shape")).and_then(|s| s.as_float());
    match (&e, fitted, shape) {
        (
            venturelab::Error::Invalid {
                at: Location::Key(k),
                message,
            },
            Some(file),
            Some(shape),
        ) if k == "outcomes" || k.starts_with("outcomes.s") => venturelab::Error::key(
            "outcomes.fitted",
            format!(
                "{file}: the fit's alpha {} gives a Pareto that is out of range: {message}",
                shape + 1.0
            ),
        ),
        _ => e,
    }
}

/// Runs `fund simulate`.
pub fn simulate(req: &FundSimulate, obs: &dyn Observer) -> AppResult<FundSimulateReport> {
    at_least_one("funds", req.funds as u64, "fund")?;
    limits::check_memory(
        "funds",
        req.funds,
        limits::fund_bytes(req.funds, req.detail),
    )?;
    let loaded = load_fund(&req.run)?;
    let (scenario, model) = fund_model(&loaded)?;
    let funds = req.funds as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    let (run, summary) = observed(obs, funds, "funds", |_| {
        req.run.pooled(|| {
            let r = run_with(&model, req.funds, req.run.seed, req.detail, &|n| {
                // A repeated run (rare) reports its funds again: the work grows.
                let before = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                if before < funds && before + n > funds {
                    obs.grow(2 * funds, "funds, again");
                }
                obs.advance(n)
            });
            let s = summarize(&model, &r);
            (r, s)
        })
    })?;
    simulate_report(req, loaded, scenario, &model, run, summary)
}

/// The report of a run of `req`'s scenario, made here or merged from parts.
fn simulate_report(
    req: &FundSimulate,
    loaded: Loaded,
    scenario: Scenario,
    model: &FundModel,
    run: Run,
    summary: Summary,
) -> AppResult<FundSimulateReport> {
    finite_outcomes(&summary, &loaded.origin)?;
    Ok(FundSimulateReport {
        summary,
        seed: req.run.seed,
        scenario,
        resolved: Resolved {
            investable: model.investable,
            initial_check: model.initial_check,
            reserve: model.reserve,
            horizon_years: model.horizon() + 1,
        },
        version: venturelab::VERSION.to_string(),
        origin: loaded.origin,
        companies: model.companies,
        run,
    })
}

/// How a `fund simulate` of `funds` funds splits across processes: the number of chunks
/// its parts cover ([`simulate_part`]), or `None` for a run too small to split (below
/// [`venturelab::fund::SPLIT_MIN`] funds), which is run whole.
pub fn split_chunks(funds: usize) -> Option<usize> {
    (funds >= venturelab::fund::SPLIT_MIN).then(|| venturelab::fund::chunk_count(funds))
}

/// The request's scenario as self-contained TOML text, for processes that may be on
/// other machines: the data of the files it names (`outcomes.empirical_file`,
/// `outcomes.fitted`) merged in and the names dropped, so that no file is read there.
pub fn portable_scenario(req: &FundSimulate) -> AppResult<String> {
    let mut loaded = load_fund(&req.run)?;
    if let Some(toml::Value::Table(o)) = loaded.doc.get_mut("outcomes") {
        o.remove("empirical_file");
        o.remove("fitted");
    }
    toml::to_string(&loaded.doc).map_err(AppError::internal)
}

/// One part of `req`'s run, chunks `chunks` of [`split_chunks`], as bytes for
/// [`merge_simulate`] (which may run in another process, on another machine).
pub fn simulate_part(req: &FundSimulate, chunks: std::ops::Range<usize>) -> AppResult<Vec<u8>> {
    if req.detail {
        return Err(AppError::parameter(
            "per_fund",
            "a split run keeps no per-fund rows: run it whole for per-fund data",
        ));
    }
    let loaded = load_fund(&req.run)?;
    let (_, model) = fund_model(&loaded)?;
    let part = req
        .run
        .pooled(|| venturelab::fund::run_part(&model, req.funds, req.run.seed, chunks))?;
    Ok(part.to_bytes())
}

/// `fund simulate` from the parts of its run ([`simulate_part`] for ranges of chunks
/// covering [`split_chunks`] once): the same report as [`simulate`], to the bit. In the
/// rare run whose quantile falls outside its bracket the funds are simulated again here,
/// every row stored, as [`simulate`] does.
pub fn merge_simulate(
    req: &FundSimulate,
    parts: &[Vec<u8>],
    obs: &dyn Observer,
) -> AppResult<FundSimulateReport> {
    check(obs)?;
    let parts = parts
        .iter()
        .map(|b| venturelab::fund::RunPart::from_bytes(b))
        .collect::<Result<Vec<_>, _>>()?;
    let loaded = load_fund(&req.run)?;
    let (scenario, model) = fund_model(&loaded)?;
    let merged = req
        .run
        .pooled(|| venturelab::fund::merge_parts(&model, req.funds, req.run.seed, parts))?;
    let Some(run) = merged else {
        return simulate(req, obs);
    };
    let summary = summarize(&model, &run);
    simulate_report(req, loaded, scenario, &model, run, summary)
}

/// Find the value of a scenario field at which a result reaches a target.
#[derive(Debug, Clone)]
pub struct FundSolve {
    pub run: RunSpec,
    /// Dotted path of the numeric field to vary (`outcomes.buckets.2.multiple`).
    pub vary: String,
    /// Path of the metric in the simulate report (`net_tvpi.p50`).
    pub metric: String,
    /// The value the metric must reach.
    pub target: f64,
    /// Search bracket (defaults: a tenth and ten times the current value).
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    /// Funds per trial value (the same funds each time).
    pub funds: usize,
}

/// `fund solve`: the value found and the search that found it.
#[derive(Debug, Clone, Serialize)]
pub struct FundSolveReport {
    #[serde(flatten)]
    pub solved: Solved,
    pub funds: usize,
    pub seed: u64,
    pub lo: f64,
    pub hi: f64,
    pub version: String,
}

/// Runs `fund solve`.
pub fn solve_for(req: &FundSolve, obs: &dyn Observer) -> AppResult<FundSolveReport> {
    at_least_one("funds", req.funds as u64, "fund")?;
    limits::check_memory("funds", req.funds, limits::fund_bytes(req.funds, false))?;
    let loaded = load_fund(&req.run)?;
    fund_model(&loaded)?; // report problems in the base scenario first
    let current = get_path(&loaded.doc, &req.vary).map_err(|e| loaded.error(e))?;
    let (lo, hi) = bracket(current, req.lo, req.hi);
    check(obs)?;
    obs.spinner("solving (the same funds at each trial value)");
    let solved = req.run.pooled(|| {
        solve(
            &loaded.doc,
            &req.vary,
            &req.metric,
            req.target,
            lo,
            hi,
            req.funds,
            req.run.seed,
        )
    });
    obs.finish();
    let solved = solved.map_err(|e| loaded.error(e))?;
    Ok(FundSolveReport {
        solved,
        funds: req.funds,
        seed: req.run.seed,
        lo,
        hi,
        version: venturelab::VERSION.to_string(),
    })
}

/// Run the scenario at several values of one field.
#[derive(Debug, Clone)]
pub struct FundSweep {
    pub run: RunSpec,
    /// Dotted path of the numeric field to vary (`construction.companies`).
    pub vary: String,
    /// The values asked for; a whole-number field runs each whole number they round to once.
    pub values: Vec<f64>,
    /// Funds per value (the same funds each time).
    pub funds: usize,
}

/// One value of a sweep and the summary of its funds.
#[derive(Debug, Clone, Serialize)]
pub struct SweepRow {
    pub value: f64,
    pub gross_multiple: Stat,
    pub net_tvpi: Stat,
    pub net_irr: Stat,
    pub top_company_share: Stat,
    pub prob_net_tvpi_at_least: std::collections::BTreeMap<String, f64>,
}

/// `fund sweep`: one row per value.
#[derive(Debug, Clone, Serialize)]
pub struct FundSweepReport {
    pub vary: String,
    pub funds: usize,
    pub seed: u64,
    pub rows: Vec<SweepRow>,
    pub version: String,
}

/// Runs `fund sweep`.
pub fn sweep(req: &FundSweep, obs: &dyn Observer) -> AppResult<FundSweepReport> {
    at_least_one("funds", req.funds as u64, "fund")?;
    limits::check_memory("funds", req.funds, limits::fund_bytes(req.funds, false))?;
    check_values(&req.values)?;
    let loaded = load_fund(&req.run)?;
    fund_model(&loaded)?;
    let held = |x| held_value::<Scenario>(&loaded.doc, &req.vary, x).map_err(|e| loaded.error(e));
    let rows = sweep_rows(&req.values, held, obs, |x| {
        let s = req
            .run
            .pooled(|| evaluate(&loaded.doc, &req.vary, x, req.funds, req.run.seed))
            .map_err(|e| loaded.error(e))?;
        finite_outcomes(&s, &format!("{} with {} = {x}", loaded.origin, req.vary))?;
        Ok(SweepRow {
            value: x,
            gross_multiple: s.gross_multiple,
            net_tvpi: s.net_tvpi,
            net_irr: s.net_irr,
            top_company_share: s.top_company_share,
            prob_net_tvpi_at_least: s.prob_net_tvpi_at_least,
        })
    })?;
    Ok(FundSweepReport {
        vary: req.vary.clone(),
        funds: req.funds,
        seed: req.run.seed,
        rows,
        version: venturelab::VERSION.to_string(),
    })
}

//! `report`: the whole argument on built-in defaults. This module runs every model and
//! collects the numbers each section of the report shows ([`ReportData`]); the
//! presentation crate turns them into the HTML page.

use rand::Rng;
use venturelab::captable::financing::{compare_paths, rbf, Cost, PathComparison, PathTerms};
use venturelab::company::scenario::{CompanyModel, Path, Scenario as CompanyScenario};
use venturelab::company::sim::RunOptions;
use venturelab::company::summary::{compare, simulate, stress, Summary as CompanySummary};
use venturelab::dist::alternatives::ALL;
use venturelab::dist::powerlaw::{Kind, XminChoice};
use venturelab::dist::sample::{parse_values, Sample};
use venturelab::fund::explore::{evaluate, solve, Solved};
use venturelab::fund::lp::{simulate as simulate_lp, LpScenario, LpSummary};
use venturelab::fund::scenario::OutcomeModel;
use venturelab::fund::summary::VintageBand;
use venturelab::fund::{run_with, summarize, Run, Scenario as FundScenario, Summary};
use venturelab::market::scenario::{MarketModel, Scenario as MarketScenario};
use venturelab::market::summary::{scapegoat, ConditionRow, SCAPEGOAT_SHOCK};
use venturelab::money::flows::{FlowTable, Timeline};
use venturelab::money::metrics::{fund_metrics, FundMetrics};
use venturelab::money::pme::{pme, Pme};
use venturelab::money::waterfall::{european_waterfall_simple, WaterfallResult, WaterfallTerms};
use venturelab::presets;
use venturelab::rng::stream;

use crate::error::{AppError, AppResult};
use crate::fit::{fit_sample, FitReport};
use crate::progress::{check, Observer};
use crate::source::Data;

/// What `venturelab report` is asked for.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub seed: u64,
    /// A smaller, faster run.
    pub quick: bool,
    /// Fit this data in the heavy-tail section instead of the simulator's own outcomes.
    pub data: Option<Data>,
}

/// The numbers behind every section.
pub struct ReportData {
    pub seed: u64,
    pub quick: bool,
    pub money: MoneyData,
    pub fund: FundData,
    pub heavy_tail: HeavyTailData,
    pub financing: FinancingData,
    pub company: CompanyData,
    pub market: MarketData,
}

/// Runs every section's models; `obs` sees one step per section.
pub fn run(req: &ReportRequest, obs: &dyn Observer) -> AppResult<ReportData> {
    obs.start(6, "sections");
    // Each section announces itself, then counts one when it is done.
    let section = |name: &str| {
        obs.stage(name);
        check(obs)
    };
    // The market model, the longest section, runs beside the others, which take turns:
    // each section uses both cores but leaves some idle at its ends, and the other side
    // fills them. The numbers do not depend on the schedule (keyed random streams).
    let (others, market) = venturelab::par::join(
        || -> AppResult<_> {
            section("fund metrics")?;
            let money = money_data()?;
            obs.advance(1);
            section("fund Monte Carlo")?;
            let fund = fund_data(req.seed, req.quick)?;
            obs.advance(1);
            section("power-law fit")?;
            let heavy_tail = heavy_tail_data(req.seed, req.quick, req.data.as_ref())?;
            obs.advance(1);
            section("cost of money")?;
            let financing = financing_data()?;
            obs.advance(1);
            section("valley of death")?;
            let company = company_data(req.seed, req.quick)?;
            obs.advance(1);
            Ok((money, fund, heavy_tail, financing, company))
        },
        || -> AppResult<_> {
            section("market model")?;
            let market = market_data(req.seed, req.quick)?;
            obs.advance(1);
            Ok(market)
        },
    );
    obs.finish();
    let (money, fund, heavy_tail, financing, company) = others?;
    let market = market?;
    Ok(ReportData {
        seed: req.seed,
        quick: req.quick,
        money,
        fund,
        heavy_tail,
        financing,
        company,
        market,
    })
}

/// A built-in input rejected is a bug, not the user's fault.
fn internal(e: venturelab::Error) -> AppError {
    AppError::internal(e)
}

fn preset(area: &str, name: &str) -> AppResult<&'static str> {
    presets::get(area, name)
        .map(|p| p.toml)
        .ok_or_else(|| AppError::Internal(format!("missing preset {area}/{name}")))
}

/// An illustrative $100M fund, in $M per year: (calls, distributions, index level).
/// Not a real fund: chosen to show the J-curve and the difference between the measures.
pub const MONEY_EXAMPLE: [(f64, f64, f64); 11] = [
    (20.0, 0.0, 100.0),
    (25.0, 0.0, 112.0),
    (20.0, 0.0, 108.0),
    (15.0, 2.0, 125.0),
    (10.0, 5.0, 140.0),
    (5.0, 10.0, 150.0),
    (0.0, 20.0, 165.0),
    (0.0, 35.0, 160.0),
    (0.0, 40.0, 185.0),
    (0.0, 30.0, 200.0),
    (0.0, 25.0, 215.0),
];
/// The example fund's remaining value at the end, $M.
pub const MONEY_NAV: f64 = 30.0;

/// The fund-metrics section: the example's measures and three waterfalls.
pub struct MoneyData {
    pub metrics: FundMetrics,
    pub pme: Pme,
    pub terms: WaterfallTerms,
    /// (contributed, proceeds, years, result), $M.
    pub waterfalls: Vec<(f64, f64, f64, WaterfallResult)>,
}

/// The fund-metrics section's numbers (the example fund's measures and three waterfalls).
pub fn money_data() -> AppResult<MoneyData> {
    // Gross calls and distributions as separate rows: the multiples use the totals, never
    // a year's call netted against its distribution.
    let calls: Vec<f64> = MONEY_EXAMPLE.iter().map(|e| e.0).collect();
    let distributions: Vec<f64> = MONEY_EXAMPLE.iter().map(|e| e.1).collect();
    let index: Vec<f64> = MONEY_EXAMPLE.iter().map(|e| e.2).collect();
    let table = FlowTable::from_gross(
        Timeline::Periods((0..MONEY_EXAMPLE.len() as i64).collect()),
        &calls,
        &distributions,
        Some(&index),
    )
    .map_err(internal)?;
    let terms = WaterfallTerms {
        pref_rate: 0.08,
        carry: 0.20,
        catch_up: 1.0,
        gp_commit: 0.0,
    };
    let mut waterfalls = Vec::new();
    for (c, pr, y) in [
        (100.0, 150.0, 7.0),
        (100.0, 180.0, 7.0),
        (100.0, 250.0, 7.0),
    ] {
        waterfalls.push((
            c,
            pr,
            y,
            european_waterfall_simple(c, pr, y, &terms).map_err(internal)?,
        ));
    }
    Ok(MoneyData {
        metrics: fund_metrics(&table, MONEY_NAV).map_err(internal)?,
        pme: pme(&table, MONEY_NAV).map_err(internal)?,
        terms,
        waterfalls,
    })
}

/// The portfolio sizes of the diversification sweep.
pub const PORTFOLIO_SIZES: [f64; 8] = [10.0, 20.0, 30.0, 50.0, 75.0, 100.0, 150.0, 200.0];

/// The fund section: the essay's fund, the Correlation Ventures mix, diversification and
/// the Carta funnel.
pub struct FundData {
    pub seed: u64,
    pub funds: usize,
    /// The essay's fund with its 50x home run.
    pub essay: Summary,
    /// The home run needed for a median 1x and 3x net.
    pub home_run_for_1x: Solved,
    pub home_run_for_3x: Solved,
    pub correlation_ventures: Summary,
    pub correlation_ventures_run: Run,
    /// (companies, summary) for each of [`PORTFOLIO_SIZES`].
    pub portfolio_sweep: Vec<(f64, Summary)>,
    pub carta_funnel: Summary,
    /// Funds of the `ca-2004-2013` run (a tenth in each of its ten vintages).
    pub ca_funds: usize,
    /// The net TVPI quartiles of each vintage of the `ca-2004-2013` run, in vintage order.
    pub ca_vintages: Vec<VintageBand>,
    /// Portfolios of the `lp-ca-2004-2013` run.
    pub lp_portfolios: usize,
    /// The LP's portfolios of `lp-ca-2004-2013`.
    pub lp: LpSummary,
}

/// Cambridge Associates' US venture net TVPI quartiles (lower, median, upper), as quoted
/// in issue 21 and `presets/ca-2004-2013.toml` (US Venture Capital Index and Selected
/// Benchmark Statistics): the average over vintages 2004-2013.
pub const CA_VINTAGE_AVERAGE: [f64; 3] = [1.17, 1.67, 2.42];
/// The same for vintage 2004 (the lowest of the ten, by the calibration's assumption).
pub const CA_2004: [f64; 3] = [0.82, 1.20, 1.82];
/// The same for vintage 2010 (the highest of the ten, by the calibration's assumption).
pub const CA_2010: [f64; 3] = [1.41, 2.12, 3.41];

fn fund_data(seed: u64, quick: bool) -> AppResult<FundData> {
    let funds = if quick { 10_000 } else { 100_000 };
    let sweep_funds = if quick { 2_000 } else { 20_000 };
    let doc = |name: &str| -> AppResult<toml::Value> {
        toml::from_str(preset("fund", name)?).map_err(AppError::internal)
    };
    let model = |name: &str| {
        FundScenario::from_toml(preset("fund", name)?)
            .and_then(|s| s.model())
            .map_err(internal)
    };
    let key = "outcomes.buckets.2.multiple";
    let essay_doc = doc("essay")?;
    let essay = evaluate(&essay_doc, key, 50.0, 1, seed).map_err(internal)?;
    let home_run = |target| {
        solve(
            &essay_doc,
            key,
            "net_tvpi.p50",
            target,
            10.0,
            2000.0,
            1,
            seed,
        )
        .map_err(internal)
    };
    let cv_model = model("correlation-ventures")?;
    let cv_run = run_with(&cv_model, funds, seed, true, &|_| {});
    let cv_doc = doc("correlation-ventures")?;
    let portfolio_sweep = PORTFOLIO_SIZES
        .iter()
        .map(|&n| {
            evaluate(&cv_doc, "construction.companies", n, sweep_funds, seed)
                .map(|s| (n, s))
                .map_err(internal)
        })
        .collect::<AppResult<Vec<_>>>()?;
    let carta = model("carta-funnel")?;
    // As `fund simulate --preset ca-2004-2013 --funds N` and `lp simulate --preset
    // lp-ca-2004-2013 --portfolios N` compute them, so that their Reproduce lines give
    // these numbers to the bit.
    let ca = model("ca-2004-2013")?;
    let ca_summary = summarize(&ca, &run_with(&ca, funds, seed, false, &|_| {}));
    let lp_portfolios = if quick { 2_000 } else { 20_000 };
    let (lp_fund, lp_model) = LpScenario::from_toml(preset("lp", "lp-ca-2004-2013")?)
        .and_then(|s| s.model())
        .map_err(internal)?;
    let lp = simulate_lp(&lp_fund, &lp_model, lp_portfolios, seed, &|_| {});
    Ok(FundData {
        ca_funds: funds,
        ca_vintages: ca_summary.vintages,
        lp_portfolios,
        lp,
        seed,
        funds,
        essay,
        home_run_for_1x: home_run(1.0)?,
        home_run_for_3x: home_run(3.0)?,
        correlation_ventures: summarize(&cv_model, &cv_run),
        correlation_ventures_run: cv_run,
        portfolio_sweep,
        carta_funnel: summarize(&carta, &run_with(&carta, funds, seed, false, &|_| {})),
    })
}

/// The heavy-tail section: a CSN fit of the simulator's outcomes or the user's data.
pub struct HeavyTailData {
    /// What was fitted, in words.
    pub label: String,
    /// Whether the data are the simulator's (whose true tail is known).
    pub simulated: bool,
    pub fit: FitReport,
}

/// Company multiples drawn from the correlation-ventures outcome mix.
fn simulated_multiples(seed: u64, n: usize) -> AppResult<Vec<f64>> {
    let model = FundScenario::from_toml(preset("fund", "correlation-ventures")?)
        .and_then(|s| s.model())
        .map_err(internal)?;
    let OutcomeModel::Random(mix) = model.outcomes else {
        return Err(AppError::Internal("expected a mixture".into()));
    };
    let mut rng = stream(seed, 0, "report heavy tail");
    Ok((0..n)
        .map(|_| {
            let (a, b): (f64, f64) = (rng.random(), rng.random());
            mix.sample(a, b)
        })
        .filter(|&x| x > 0.0)
        .collect())
}

fn heavy_tail_data(seed: u64, quick: bool, data: Option<&Data>) -> AppResult<HeavyTailData> {
    let (sample, label, kind) = match data {
        Some(d) => {
            let s = parse_values(&d.read()?, &d.name())?;
            let kind = if s.all_integers() {
                Kind::Discrete
            } else {
                Kind::Continuous
            };
            (s, format!("your data ({})", d.name()), kind)
        }
        None => (
            Sample::from_values(simulated_multiples(
                seed,
                if quick { 2_000 } else { 5_000 },
            )?),
            "company multiples drawn from the Correlation Ventures mix of the fund simulator"
                .to_string(),
            Kind::Continuous,
        ),
    };
    let reps = if quick { 30 } else { 100 };
    let fit = fit_sample(
        &sample,
        kind,
        "",
        XminChoice::Scan,
        venturelab::dist::powerlaw::Ks::default(),
        &ALL,
        reps,
        seed,
        None,
        &label,
        &crate::progress::Silent,
    )?;
    Ok(HeavyTailData {
        label,
        simulated: data.is_none(),
        fit,
    })
}

/// Exit values of the financing table.
pub const FINANCING_EXITS: [f64; 8] = [10e6, 20e6, 30e6, 50e6, 100e6, 300e6, 1e9, 3e9];

/// The cost-of-money section.
pub struct FinancingData {
    pub terms: PathTerms,
    /// One row per [`FINANCING_EXITS`].
    pub rows: Vec<PathComparison>,
    /// Rows on a log grid of 41 exits from $5M to $3B, for the chart.
    pub curve: Vec<PathComparison>,
    /// The RBF on $1M monthly revenue growing 3% a month, paying 15%.
    pub rbf_example: Cost,
}

fn financing_data() -> AppResult<FinancingData> {
    let terms = PathTerms {
        raise: 5e6,
        pre_money: 15e6,
        rbf_cap: 1.5,
        debt_rate: 0.12,
        debt_years: 3.0,
        warrant_coverage: 0.10,
    };
    let grid: Vec<f64> = (0..=40)
        .map(|k| 5e6 * (600.0f64).powf(k as f64 / 40.0))
        .collect();
    let revenue: Vec<f64> = (0..120).map(|m| 1e6 * 1.03f64.powi(m)).collect();
    Ok(FinancingData {
        rows: compare_paths(&terms, &FINANCING_EXITS).map_err(internal)?,
        curve: compare_paths(&terms, &grid).map_err(internal)?,
        rbf_example: rbf(5e6, 0.15, 1.5, &revenue).map_err(internal)?,
        terms,
    })
}

/// The company presets of the survival table.
pub const COMPANY_PRESETS: [&str; 3] = ["saas-seed", "ai-app", "deeptech"];

/// The valley-of-death section.
pub struct CompanyData {
    pub runs: usize,
    /// One summary per [`COMPANY_PRESETS`].
    pub presets: Vec<CompanySummary>,
    /// `ai-app` without and with a 30% model-API price rise.
    pub stress_base: CompanySummary,
    pub stress_shocked: CompanySummary,
    /// `saas-seed` financed each way of [`Path::ALL`].
    pub paths: Vec<(Path, CompanySummary)>,
}

fn company_data(seed: u64, quick: bool) -> AppResult<CompanyData> {
    let runs = if quick { 2_000 } else { 20_000 };
    let model = |name: &str| -> AppResult<CompanyModel> {
        CompanyScenario::from_toml(preset("company", name)?)
            .and_then(|s| s.model())
            .map_err(internal)
    };
    let opt = |m: &CompanyModel| RunOptions {
        months: 120,
        seed,
        path: m.path,
        shock: None,
    };
    let mut summaries = Vec::new();
    for name in COMPANY_PRESETS {
        let m = model(name)?;
        summaries.push(simulate(&m, &opt(&m), runs, &|_| {}).map_err(internal)?);
    }
    let ai = model("ai-app")?;
    let (base, shocked) =
        stress(&ai, &opt(&ai), runs, "model-api", 1.3, 1, &|_| {}).map_err(internal)?;
    let saas = model("saas-seed")?;
    let by_path = compare(&saas, &opt(&saas), runs, &Path::ALL, &|_| {}).map_err(internal)?;
    Ok(CompanyData {
        runs,
        presets: summaries,
        stress_base: base,
        stress_shocked: shocked,
        paths: Path::ALL.iter().copied().zip(by_path).collect(),
    })
}

/// The market section: the scapegoat test.
pub struct MarketData {
    pub runs: usize,
    pub rows: Vec<ConditionRow>,
}

fn market_data(seed: u64, quick: bool) -> AppResult<MarketData> {
    let runs = if quick { 4 } else { 20 };
    let m: MarketModel = MarketScenario::from_toml(preset("market", "market")?)
        .and_then(|s| s.model())
        .map_err(internal)?;
    Ok(MarketData {
        runs,
        rows: scapegoat(&m, runs, seed, SCAPEGOAT_SHOCK, &|_| {}).map_err(internal)?,
    })
}

//! `venturelab market simulate | experiment`: the venture market as agents.

use clap::{Subcommand, ValueEnum};
use serde_json::{json, Value};
use venturelab::market::scenario::{MarketModel, Scenario, STRATEGIES};
use venturelab::market::summary::{
    herding, horizon, run_many, scapegoat, summarize, ConditionRow, Interval, Summary,
    SCAPEGOAT_SHOCK,
};
use venturelab::par::with_threads;

use super::fund::RunArgs;
use super::scenario_input::{load, Loaded};
use crate::charts::{bar_chart, line_chart, Series};
use crate::error::{CliError, CliResult};
use crate::output::{versioned_json, OutFile, Outcome};
use crate::progress;
use crate::table::{multiple, pct, render, short_money};

/// The experiments `market experiment` runs.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Experiment {
    /// The same narrative shock to AI, to a sector with equal fundamentals, without the
    /// fund-returner incentive, with alternative capital, and no shock at all.
    Scapegoat,
    /// Fund lives of 7, 10 and 15 years.
    Horizon,
    /// A sweep of the strategy-switching intensity.
    Herding,
}

#[derive(Debug, Subcommand)]
pub enum MarketCmd {
    /// Simulate the market many times: capital by sector, concentration, prices, returns.
    Simulate {
        #[command(flatten)]
        run: RunArgs,
        /// Number of runs.
        #[arg(long, default_value_t = 100)]
        runs: usize,
        /// Quarters simulated (default: the scenario's).
        #[arg(long)]
        quarters: Option<u32>,
    },
    /// Compare conditions side by side over many runs.
    Experiment {
        /// scapegoat, horizon or herding.
        #[arg(value_enum)]
        name: Experiment,
        #[command(flatten)]
        run: RunArgs,
        /// Runs per condition (the same seeds in every condition).
        #[arg(long, default_value_t = 40)]
        runs: usize,
    },
}

/// Loads the scenario (the default preset `market` when neither a file nor a preset is given).
fn model_of(run: &RunArgs, quarters: Option<u32>) -> CliResult<(Loaded, Scenario, MarketModel)> {
    let loaded = load(
        "market",
        run.scenario.as_deref(),
        run.preset.as_deref(),
        Some("market"),
    )?;
    let mut scenario = Scenario::from_toml(&loaded.text).map_err(|e| loaded.error(e))?;
    if let Some(q) = quarters {
        if q == 0 {
            return Err(CliError::input("--quarters: expected at least 1 quarter"));
        }
        scenario.market.quarters = q;
    }
    let model = scenario.model().map_err(|e| loaded.error(e))?;
    Ok((loaded, scenario, model))
}

fn check_runs(runs: usize) -> CliResult<()> {
    if runs == 0 {
        return Err(CliError::input("--runs: expected at least 1 run"));
    }
    Ok(())
}

/// "mean [low, high]" of an interval, each value formatted by `f`.
fn ci(i: &Option<Interval>, f: fn(f64) -> String) -> String {
    match i {
        Some(i) => format!("{} [{}, {}]", f(i.mean), f(i.low), f(i.high)),
        None => "n/a".into(),
    }
}

fn num(x: f64) -> String {
    format!("{x:.3}")
}

fn count(x: f64) -> String {
    format!("{x:.0}")
}

fn simulate_text(s: &Summary, origin: &str) -> String {
    let mut text = format!(
        "{} runs of {} over {} quarters (seed {})\n\n",
        s.runs, origin, s.quarters, s.seed
    );
    let rows: Vec<Vec<String>> = s
        .sectors
        .iter()
        .map(|name| {
            let share = &s.capital_share[name];
            let mean = share
                .iter()
                .filter(|b| b.mean.is_finite())
                .map(|b| b.mean)
                .sum::<f64>()
                / share.iter().filter(|b| b.mean.is_finite()).count().max(1) as f64;
            let peak = share
                .iter()
                .map(|b| b.mean)
                .filter(|x| x.is_finite())
                .fold(0.0, f64::max);
            let vti = s.valuation_to_intrinsic[name]
                .iter()
                .map(|b| b.mean)
                .filter(|x| x.is_finite())
                .fold(0.0, f64::max);
            vec![name.clone(), pct(mean), pct(peak), num(vti)]
        })
        .collect();
    text += &render(
        &[
            "sector",
            "mean capital share",
            "peak (mean across runs)",
            "peak valuation / intrinsic",
        ],
        &rows,
    );
    text += "\n";
    let strategy_rows: Vec<Vec<String>> = STRATEGIES
        .iter()
        .map(|k| {
            let last = s.strategy_share[k]
                .last()
                .map(|b| b.mean)
                .unwrap_or(f64::NAN);
            let r = &s.returns_by_strategy[k];
            vec![
                k.to_string(),
                pct(last),
                r.map(|r| multiple(r.p50)).unwrap_or_else(|| "n/a".into()),
                r.map(|r| format!("{} - {}", multiple(r.p5), multiple(r.p95)))
                    .unwrap_or_else(|| "n/a".into()),
            ]
        })
        .collect();
    text += &render(
        &[
            "strategy",
            "share of new capital (last quarter)",
            "median fund net multiple",
            "p5 - p95",
        ],
        &strategy_rows,
    );
    text += "\n";
    text += &crate::table::key_values(&[
        ("mean HHI of sector capital", ci(&s.mean_hhi, num)),
        (
            "value realised / value available",
            ci(&s.realised_share, pct),
        ),
        (
            "missing middle (viable, never funded)",
            ci(&s.missing_middle.count, count),
        ),
        (
            "missing middle value",
            ci(&s.missing_middle.value, short_money),
        ),
        (
            "long-maturity viable startups funded",
            ci(&s.long_maturity_funded_share, pct),
        ),
        (
            "hot vs cold sector-quarters: failure rate",
            format!(
                "{} vs {}",
                pct(s.hot.failure_rate),
                pct(s.cold.failure_rate)
            ),
        ),
        (
            "hot vs cold: mean value of a success",
            format!(
                "{} vs {}",
                short_money(s.hot.mean_success_value),
                short_money(s.cold.mean_success_value)
            ),
        ),
    ]);
    text
}

/// One row per quarter: the means across runs of the per-quarter measures.
fn quarters_csv(s: &Summary) -> Vec<u8> {
    let mut out = String::from("quarter,hhi,bubble_index,live_funds");
    for name in &s.sectors {
        out += &format!(",capital_share_{name},valuation_to_intrinsic_{name}");
    }
    for k in STRATEGIES {
        out += &format!(",strategy_share_{k}");
    }
    out += "\n";
    let cell = |x: f64| {
        if x.is_finite() {
            x.to_string()
        } else {
            String::new()
        }
    };
    for q in 0..s.quarters as usize {
        out += &format!(
            "{q},{},{},{}",
            cell(s.hhi[q].mean),
            cell(s.bubble_index[q].mean),
            cell(s.live_funds[q].mean)
        );
        for name in &s.sectors {
            out += &format!(
                ",{},{}",
                cell(s.capital_share[name][q].mean),
                cell(s.valuation_to_intrinsic[name][q].mean)
            );
        }
        for k in STRATEGIES {
            out += &format!(",{}", cell(s.strategy_share[k][q].mean));
        }
        out += "\n";
    }
    out.into_bytes()
}

fn simulate_charts(s: &Summary) -> CliResult<Vec<OutFile>> {
    let mean_series = |name: &str, bands: &[venturelab::market::summary::Band]| Series {
        name: name.to_string(),
        points: bands
            .iter()
            .filter(|b| b.mean.is_finite())
            .map(|b| (b.quarter as f64, b.mean))
            .collect(),
    };
    let shares: Vec<Series> = s
        .sectors
        .iter()
        .map(|n| mean_series(n, &s.capital_share[n]))
        .collect();
    let hhi = vec![
        mean_series("mean", &s.hhi),
        Series {
            name: "p95".into(),
            points: s
                .hhi
                .iter()
                .filter(|b| b.p95.is_finite())
                .map(|b| (b.quarter as f64, b.p95))
                .collect(),
        },
        Series {
            name: "p5".into(),
            points: s
                .hhi
                .iter()
                .filter(|b| b.p5.is_finite())
                .map(|b| (b.quarter as f64, b.p5))
                .collect(),
        },
    ];
    let bubble = vec![mean_series(
        "capital-weighted valuation / intrinsic value",
        &s.bubble_index,
    )];
    let returns: Vec<(String, f64)> = STRATEGIES
        .iter()
        .filter_map(|k| s.returns_by_strategy[k].map(|r| (k.to_string(), r.p50)))
        .collect();
    Ok(vec![
        OutFile {
            name: "capital_share.svg".into(),
            contents: line_chart(
                "VC capital share by sector (mean across runs)",
                "quarter",
                "share of the quarter's VC capital",
                &shares,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "hhi.svg".into(),
            contents: line_chart(
                "Concentration of VC capital across sectors (HHI)",
                "quarter",
                "HHI",
                &hhi,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "bubble_index.svg".into(),
            contents: line_chart(
                "Bubble index",
                "quarter",
                "post-money / true value",
                &bubble,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "returns_by_strategy.svg".into(),
            contents: bar_chart(
                "Median net multiple of funds by strategy",
                "net multiple",
                &returns,
            )?
            .into_bytes(),
        },
    ])
}

/// The experiment table's rows.
pub(crate) fn experiment_rows(rows: &[ConditionRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.condition.clone(),
                ci(&r.mean_hhi, num),
                ci(&r.peak_capital_share, pct),
                ci(&r.peak_valuation_to_intrinsic, num),
                ci(&r.realised_share, pct),
                ci(&r.missing_middle.count, count),
                ci(&r.long_maturity_funded_share, pct),
                ci(&r.fund_net_multiple, multiple),
            ]
        })
        .collect()
}

/// Headers of [`experiment_rows`].
pub(crate) const EXPERIMENT_HEADERS: [&str; 8] = [
    "condition",
    "mean HHI",
    "peak capital share (sector)",
    "peak valuation / intrinsic",
    "value realised / available",
    "missing middle (count)",
    "long-maturity funded",
    "fund net multiple",
];

/// Runs one experiment on the default market (or the given scenario).
fn run_experiment(
    name: Experiment,
    model: &MarketModel,
    runs: usize,
    seed: u64,
    threads: Option<usize>,
) -> CliResult<Vec<ConditionRow>> {
    let conditions: u64 = match name {
        Experiment::Scapegoat | Experiment::Herding => 5,
        Experiment::Horizon => 3,
    };
    let pb = progress::bar(conditions * runs as u64, "runs");
    let r = with_threads(threads, || {
        let p = |n| pb.inc(n);
        match name {
            Experiment::Scapegoat => scapegoat(model, runs, seed, SCAPEGOAT_SHOCK, &p),
            Experiment::Horizon => horizon(model, runs, seed, &p),
            Experiment::Herding => herding(model, runs, seed, &[0.0, 1.0, 2.0, 5.0, 10.0], &p),
        }
    });
    pb.finish_and_clear();
    r.map_err(CliError::from)
}

pub fn run(cmd: &MarketCmd, files: bool) -> CliResult<Outcome> {
    match cmd {
        MarketCmd::Simulate {
            run,
            runs,
            quarters,
        } => {
            check_runs(*runs)?;
            let (loaded, scenario, model) = model_of(run, *quarters)?;
            let pb = progress::bar(*runs as u64, "runs");
            let rs = with_threads(run.threads, || {
                run_many(&model, *runs, run.seed, &|n| pb.inc(n))
            })
            .map_err(CliError::from)?;
            pb.finish_and_clear();
            let s = summarize(&model, &rs, run.seed);
            let mut j = versioned_json(&s)?;
            j["scenario"] = serde_json::to_value(&scenario).map_err(CliError::internal)?;
            let mut outcome = Outcome::new(j, simulate_text(&s, &loaded.origin));
            if files {
                outcome.files.push(OutFile {
                    name: "quarters.csv".into(),
                    contents: quarters_csv(&s),
                });
                outcome.files.extend(simulate_charts(&s)?);
            }
            Ok(outcome)
        }
        MarketCmd::Experiment { name, run, runs } => {
            check_runs(*runs)?;
            let (loaded, scenario, model) = model_of(run, None)?;
            let rows = run_experiment(*name, &model, *runs, run.seed, run.threads)?;
            let label = format!("{name:?}").to_lowercase();
            let mut text = format!(
                "{label}: {} runs per condition of {} (seed {}); means with 95% confidence intervals across runs\n\n",
                runs, loaded.origin, run.seed
            );
            text += &render(&EXPERIMENT_HEADERS, &experiment_rows(&rows));
            let j: Value = json!({
                "experiment": label,
                "runs": runs,
                "seed": run.seed,
                "shock": matches!(name, Experiment::Scapegoat).then_some(SCAPEGOAT_SHOCK),
                "rows": rows,
                "scenario": serde_json::to_value(&scenario).map_err(CliError::internal)?,
                "version": venturelab::VERSION,
            });
            let mut outcome = Outcome::new(j, text);
            if files {
                let bars = |f: fn(&ConditionRow) -> Option<f64>| -> Vec<(String, f64)> {
                    rows.iter()
                        .filter_map(|r| f(r).map(|v| (r.condition.clone(), v)))
                        .collect()
                };
                outcome.files.push(OutFile {
                    name: format!("{label}_hhi.svg"),
                    contents: bar_chart(
                        "Mean HHI of sector capital by condition",
                        "HHI",
                        &bars(|r| r.mean_hhi.map(|i| i.mean)),
                    )?
                    .into_bytes(),
                });
                outcome.files.push(OutFile {
                    name: format!("{label}_realised.svg"),
                    contents: bar_chart(
                        "Value realised / value available by condition",
                        "share",
                        &bars(|r| r.realised_share.map(|i| i.mean)),
                    )?
                    .into_bytes(),
                });
            }
            Ok(outcome)
        }
    }
}

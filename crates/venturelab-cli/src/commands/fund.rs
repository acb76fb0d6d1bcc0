//! `venturelab fund simulate | solve | sweep`: the venture fund Monte Carlo.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::{json, Value};
use venturelab::fund::explore::{evaluate, get_path, held_value, solve};
use venturelab::fund::{run_with, summarize, FundModel, Scenario, Summary};
use venturelab::par::with_threads;

use super::scenario_input::{load, numbers, Loaded};
use crate::args::{self, Values};
use crate::charts::{bar_chart, line_chart, Series};
use crate::error::{CliError, CliResult};
use crate::output::{versioned_json, Outcome};
use crate::progress;
use crate::table::{multiple, pct, render, short_number};

/// Scenario selection, seed and threads, shared by the fund and company commands.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A scenario file (TOML); the presets in presets/*.toml show the format.
    pub scenario: Option<PathBuf>,
    /// A built-in scenario instead of a file (`venturelab presets` lists them).
    #[arg(long)]
    pub preset: Option<String>,
    /// Seed of every random draw (results are identical for any --threads).
    #[arg(long, default_value_t = venturelab::rng::DEFAULT_SEED)]
    pub seed: u64,
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum FundCmd {
    /// Simulate many funds and summarise their outcomes.
    Simulate {
        #[command(flatten)]
        run: RunArgs,
        /// Number of funds.
        #[arg(long, default_value_t = 100_000)]
        funds: usize,
    },
    /// Find the value of a scenario field at which a result reaches a target.
    Solve {
        #[command(flatten)]
        run: RunArgs,
        /// Dotted path of the numeric field to vary, e.g. outcomes.buckets.2.multiple; a
        /// whole-number field (construction.companies) gives the first whole number from --lo
        /// at which the target is reached.
        #[arg(long)]
        vary: String,
        /// METRIC=VALUE, METRIC a path of the simulate JSON (net_tvpi.p50, prob_net_tvpi_at_least.3).
        #[arg(long)]
        target: String,
        /// Lower end of the search (default: a tenth of the current value).
        #[arg(long, allow_hyphen_values = true)]
        lo: Option<f64>,
        /// Upper end of the search (default: ten times the current value).
        #[arg(long, allow_hyphen_values = true)]
        hi: Option<f64>,
        /// Funds simulated for each trial value (the same funds each time).
        #[arg(long, default_value_t = 20_000)]
        funds: usize,
    },
    /// Run the scenario at several values of one field: one row per value.
    Sweep {
        #[command(flatten)]
        run: RunArgs,
        /// Dotted path of the numeric field to vary, e.g. construction.companies.
        #[arg(long)]
        vary: String,
        /// Values, comma separated.
        #[arg(long, value_parser = args::series, allow_hyphen_values = true, conflicts_with = "range")]
        values: Option<Values>,
        /// A range A..B, split into --points values.
        #[arg(long)]
        range: Option<String>,
        /// Number of values in --range.
        #[arg(long, default_value_t = 10)]
        points: usize,
        /// Funds simulated for each value (the same funds each time).
        #[arg(long, default_value_t = 20_000)]
        funds: usize,
    },
}

/// Loads the scenario and reads any data file it names.
fn prepare(run: &RunArgs) -> CliResult<Loaded> {
    let mut loaded = load("fund", run.scenario.as_deref(), run.preset.as_deref(), None)?;
    let file = loaded
        .doc
        .get("outcomes")
        .and_then(|o| o.get("empirical_file"))
        .and_then(|f| f.as_str())
        .map(String::from);
    if let Some(name) = file {
        let (text, path) = loaded.read_relative("outcomes.empirical_file", &name)?;
        let values = numbers(&text, &path)?;
        if let Some(toml::Value::Table(o)) = loaded.doc.get_mut("outcomes") {
            o.insert(
                "empirical".into(),
                toml::Value::Array(values.into_iter().map(toml::Value::Float).collect()),
            );
        }
    }
    let fitted = loaded
        .doc
        .get("outcomes")
        .and_then(|o| o.get("fitted"))
        .and_then(|f| f.as_str())
        .map(String::from);
    if let Some(name) = fitted {
        let (text, path) = loaded.read_relative("outcomes.fitted", &name)?;
        let j: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            CliError::input(format!(
                "{path}: not the JSON output of `venturelab fit`: {e}"
            ))
        })?;
        let (xmin, alpha) = match (j["xmin"].as_f64(), j["alpha"].as_f64()) {
            (Some(x), Some(a)) if x > 0.0 && a > 1.0 => (x, a),
            _ => return Err(CliError::input(format!("{path}: expected numbers `xmin` > 0 and `alpha` > 1 (from `venturelab fit --json`)"))),
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

fn model_of(loaded: &Loaded) -> CliResult<(Scenario, FundModel)> {
    // Parse the text first: its errors carry the line of the offending key.
    Scenario::from_toml(&loaded.text).map_err(|e| loaded.error(e))?;
    // Then the document, which may hold data read from files the scenario names.
    let scenario: Scenario = loaded
        .doc
        .clone()
        .try_into()
        .map_err(|e: toml::de::Error| {
            CliError::input(format!("{}: {}", loaded.origin, e.message().trim()))
        })?;
    let model = scenario.model().map_err(|e| loaded.error(e))?;
    Ok((scenario, model))
}

fn check_funds(funds: usize) -> CliResult<()> {
    if funds == 0 {
        return Err(CliError::input("--funds: expected at least 1 fund"));
    }
    Ok(())
}

/// The p5, p25, median, p75 and p95 of a statistic, formatted.
pub(crate) fn quantile_cells(s: &venturelab::fund::Stat, f: fn(f64) -> String) -> [String; 5] {
    [s.p5, s.p25, s.p50, s.p75, s.p95].map(f)
}

fn stat_row(name: &str, s: &venturelab::fund::Stat, f: fn(f64) -> String) -> Vec<String> {
    let mut row = vec![name.to_string(), f(s.mean)];
    row.extend(quantile_cells(s, f));
    row
}

fn headline_table(s: &Summary) -> String {
    let num = |x: f64| format!("{x:.2}");
    let rows = vec![
        stat_row("gross multiple", &s.gross_multiple, multiple),
        stat_row("net TVPI", &s.net_tvpi, multiple),
        stat_row("net IRR", &s.net_irr, pct),
        stat_row("top company share", &s.top_company_share, pct),
        stat_row("top 10% share", &s.top_decile_share, pct),
        stat_row("fund returners", &s.fund_returners, num),
    ];
    render(
        &["per fund", "mean", "p5", "p25", "p50", "p75", "p95"],
        &rows,
    )
}

/// The simulate JSON: the summary plus what reproduces it.
fn simulate_json(
    s: &Summary,
    scenario: &Scenario,
    model: &FundModel,
    seed: u64,
) -> CliResult<Value> {
    let mut j = versioned_json(s)?;
    j["seed"] = json!(seed);
    j["scenario"] = serde_json::to_value(scenario).map_err(CliError::internal)?;
    j["resolved"] = json!({
        "investable": model.investable,
        "initial_check": model.initial_check,
        "reserve": model.reserve,
        "horizon_years": model.horizon() + 1,
    });
    Ok(j)
}

/// Runs one fund subcommand. `files`: whether `--out` was given, so that per-fund CSV
/// and charts are only built when they will be written.
pub fn run(cmd: &FundCmd, files: bool) -> CliResult<Outcome> {
    match cmd {
        FundCmd::Simulate { run, funds } => {
            check_funds(*funds)?;
            let loaded = prepare(run)?;
            let (scenario, model) = model_of(&loaded)?;
            let pb = progress::bar(*funds as u64, "funds");
            // The summary runs in the same pool: --threads bounds the whole run.
            let (r, s) = with_threads(run.threads, || {
                let r = run_with(&model, *funds, run.seed, files, &|n| {
                    // A repeated run (rare) reports its funds again: the bar grows.
                    if pb.position() + n > *funds as u64 && pb.length() == Some(*funds as u64) {
                        pb.set_length(2 * *funds as u64);
                        pb.set_message("funds, again");
                    }
                    pb.inc(n)
                });
                let s = summarize(&model, &r);
                (r, s)
            });
            pb.finish_and_clear();
            let j = simulate_json(&s, &scenario, &model, run.seed)?;
            let mut text = format!(
                "{} funds of {} (seed {}): {} companies, {} invested per company\n\n",
                s.funds,
                loaded.origin,
                run.seed,
                model.companies,
                crate::table::money(model.initial_check)
            );
            text += &headline_table(&s);
            text += "\nP(net TVPI >= 1x / 2x / 3x / 5x): ";
            text += &["1", "2", "3", "5"]
                .iter()
                .map(|k| pct(s.prob_net_tvpi_at_least[*k]))
                .collect::<Vec<_>>()
                .join(" / ");
            text += &format!(
                "\nmean fees {} and carry {} per fund\n",
                crate::table::money(s.fees),
                crate::table::money(s.carry)
            );
            text += "median DPI by year: ";
            text += &s
                .dpi_by_year
                .iter()
                .map(|b| format!("{}:{:.2}", b.year, b.p50))
                .collect::<Vec<_>>()
                .join(" ");
            text += "\n";

            // `emit` writes the JSON as simulate.json under --out.
            let mut outcome = Outcome::new(j, text);
            if files {
                outcome.files.push(crate::output::OutFile {
                    name: "funds.csv".into(),
                    contents: funds_csv(&r),
                });
                for (name, svg) in charts(&s, &r)? {
                    outcome.files.push(crate::output::OutFile {
                        name,
                        contents: svg.into_bytes(),
                    });
                }
            }
            Ok(outcome)
        }
        FundCmd::Solve {
            run,
            vary,
            target,
            lo,
            hi,
            funds,
        } => {
            check_funds(*funds)?;
            let loaded = prepare(run)?;
            model_of(&loaded)?; // report problems in the base scenario first
            let (metric_path, value) = target.split_once('=').ok_or_else(|| {
                CliError::input(format!("--target: expected METRIC=VALUE, got '{target}'"))
            })?;
            let goal: f64 = value.trim().parse().map_err(|_| {
                CliError::input(format!(
                    "--target: expected a number after '=', got '{value}'"
                ))
            })?;
            let current = get_path(&loaded.doc, vary).map_err(|e| loaded.error(e))?;
            let lo = lo.unwrap_or(if current > 0.0 { current / 10.0 } else { 0.0 });
            let hi = hi.unwrap_or(if current > 0.0 { current * 10.0 } else { 1.0 });
            let pb = progress::spinner("solving (the same funds at each trial value)");
            let solved = with_threads(run.threads, || {
                solve(
                    &loaded.doc,
                    vary,
                    metric_path.trim(),
                    goal,
                    lo,
                    hi,
                    *funds,
                    run.seed,
                )
            });
            pb.finish_and_clear();
            let solved = solved.map_err(|e| loaded.error(e))?;
            let mut j = versioned_json(&solved)?;
            j["funds"] = json!(funds);
            j["seed"] = json!(run.seed);
            j["lo"] = json!(lo);
            j["hi"] = json!(hi);
            let text = format!(
                "{} = {:.6} gives {} = {:.6} (target {}), {} funds, seed {}, {} search steps\n",
                vary,
                solved.value,
                solved.metric,
                solved.achieved,
                goal,
                funds,
                run.seed,
                solved.iterations
            );
            Ok(Outcome::new(j, text))
        }
        FundCmd::Sweep {
            run,
            vary,
            values,
            range,
            points,
            funds,
        } => {
            check_funds(*funds)?;
            let loaded = prepare(run)?;
            model_of(&loaded)?;
            let asked: Vec<f64> = match (values, range) {
                (Some(Values(v)), None) => v.clone(),
                (None, Some(r)) => parse_range(r, *points)?,
                _ => return Err(CliError::input("give --values A,B,C or --range A..B")),
            };
            // The values the field takes (whole-number fields round 13.33 to 13), each once.
            let mut xs: Vec<f64> = Vec::with_capacity(asked.len());
            for &x in &asked {
                let held = held_value(&loaded.doc, vary, x).map_err(|e| loaded.error(e))?;
                if xs.last() != Some(&held) {
                    xs.push(held);
                }
            }
            let pb = progress::bar(xs.len() as u64, "values");
            let mut rows = Vec::new();
            let mut data = Vec::new();
            for &x in &xs {
                let s = with_threads(run.threads, || {
                    evaluate(&loaded.doc, vary, x, *funds, run.seed)
                })
                .map_err(|e| loaded.error(e))?;
                pb.inc(1);
                rows.push(vec![
                    short_number(x),
                    multiple(s.gross_multiple.mean),
                    multiple(s.net_tvpi.p25),
                    multiple(s.net_tvpi.p50),
                    multiple(s.net_tvpi.p75),
                    pct(s.prob_net_tvpi_at_least["1"]),
                    pct(s.prob_net_tvpi_at_least["3"]),
                    pct(s.net_irr.p50),
                ]);
                data.push(json!({
                    "value": x,
                    "gross_multiple": s.gross_multiple,
                    "net_tvpi": s.net_tvpi,
                    "net_irr": s.net_irr,
                    "top_company_share": s.top_company_share,
                    "prob_net_tvpi_at_least": s.prob_net_tvpi_at_least,
                }));
            }
            pb.finish_and_clear();
            let j = json!({"vary": vary, "funds": funds, "seed": run.seed, "rows": data, "version": venturelab::VERSION});
            let text = render(
                &[
                    vary.as_str(),
                    "gross mean",
                    "net p25",
                    "net p50",
                    "net p75",
                    "P(>=1x)",
                    "P(>=3x)",
                    "IRR p50",
                ],
                &rows,
            );
            let band = |key: &str| -> Vec<(f64, f64)> {
                data.iter()
                    .map(|d| {
                        (
                            d["value"].as_f64().unwrap_or(0.0),
                            d["net_tvpi"][key].as_f64().unwrap_or(0.0),
                        )
                    })
                    .collect()
            };
            let svg = line_chart(
                &format!("Net TVPI by {vary}"),
                vary,
                "net TVPI (x)",
                &[
                    Series {
                        name: "p75".into(),
                        points: band("p75"),
                    },
                    Series {
                        name: "median".into(),
                        points: band("p50"),
                    },
                    Series {
                        name: "p25".into(),
                        points: band("p25"),
                    },
                ],
            )?;
            let mut outcome = Outcome::new(j, text);
            if files {
                outcome.files.push(crate::output::OutFile {
                    name: "sweep.svg".into(),
                    contents: svg.into_bytes(),
                });
            }
            Ok(outcome)
        }
    }
}

fn parse_range(r: &str, points: usize) -> CliResult<Vec<f64>> {
    let (a, b) = r
        .split_once("..")
        .ok_or_else(|| CliError::input(format!("--range: expected A..B, got '{r}'")))?;
    let a = venturelab::scenario::parse_money(a)
        .map_err(|e| CliError::input(format!("--range: {e}")))?;
    let b = venturelab::scenario::parse_money(b)
        .map_err(|e| CliError::input(format!("--range: {e}")))?;
    if points < 2 || b <= a {
        return Err(CliError::input(format!(
            "--range {r} --points {points}: expected A < B and at least 2 points"
        )));
    }
    Ok((0..points)
        .map(|i| a + (b - a) * i as f64 / (points - 1) as f64)
        .collect())
}

fn funds_csv(r: &venturelab::fund::Run) -> Vec<u8> {
    let mut out = String::from("fund,gross_multiple,net_tvpi,net_irr,top_company_share,top_decile_share,fund_returners,fees,carry\n");
    for (i, row) in r.rows.iter().enumerate() {
        out += &format!(
            "{i},{},{},{},{},{},{},{},{}\n",
            row.gross_multiple,
            row.net_tvpi,
            row.net_irr,
            row.top_company_share,
            row.top_decile_share,
            row.fund_returners,
            row.fees,
            row.carry
        );
    }
    out.into_bytes()
}

/// Distribution of net TVPI, the J-curve band and the share of returns by company rank.
pub fn charts(s: &Summary, r: &venturelab::fund::Run) -> CliResult<Vec<(String, String)>> {
    let edges = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0];
    let n = r.rows.len().max(1) as f64;
    let mut bars = Vec::new();
    for (i, lo) in edges.iter().enumerate() {
        let hi = edges.get(i + 1).copied().unwrap_or(f64::INFINITY);
        let c = r
            .rows
            .iter()
            .filter(|x| x.net_tvpi >= *lo && x.net_tvpi < hi)
            .count() as f64;
        let label = if hi.is_finite() {
            format!("{lo}-{hi}x")
        } else {
            format!("{lo}x+")
        };
        bars.push((label, 100.0 * c / n));
    }
    let tvpi = bar_chart("Distribution of net TVPI (% of funds)", "% of funds", &bars)?;
    let band = |f: fn(&venturelab::fund::summary::YearBand) -> f64| {
        s.dpi_by_year
            .iter()
            .map(|b| (b.year as f64, f(b)))
            .collect()
    };
    let jcurve = line_chart(
        "DPI by year (J-curve): quartiles across funds",
        "year",
        "DPI (x)",
        &[
            Series {
                name: "p75".into(),
                points: band(|b| b.p75),
            },
            Series {
                name: "median".into(),
                points: band(|b| b.p50),
            },
            Series {
                name: "p25".into(),
                points: band(|b| b.p25),
            },
        ],
    )?;
    let top: Vec<(String, f64)> = r
        .rank_shares
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, x)| (format!("#{}", i + 1), 100.0 * x))
        .collect();
    let mut ranks = top;
    let rest: f64 = r.rank_shares.iter().skip(10).sum();
    if r.rank_shares.len() > 10 {
        ranks.push(("rest".into(), 100.0 * rest));
    }
    let rank = bar_chart(
        "Share of a fund's proceeds by company rank (mean %)",
        "% of proceeds",
        &ranks,
    )?;
    Ok(vec![
        ("net_tvpi.svg".into(), tvpi),
        ("j_curve.svg".into(), jcurve),
        ("returns_by_rank.svg".into(), rank),
    ])
}

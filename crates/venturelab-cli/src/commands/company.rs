//! `venturelab company simulate | stress | compare | default-alive`: a startup through the
//! valley of death.

use clap::{Args, Subcommand, ValueEnum};
use serde_json::{json, Value};
use venturelab::company::default_alive::default_alive;
use venturelab::company::scenario::{CompanyModel, Path, Scenario, StageName};
use venturelab::company::sim::RunOptions;
use venturelab::company::summary::{compare, simulate_batch, stress, Batch, Summary};
use venturelab::fund::Stat;
use venturelab::par::with_threads;

use super::fund::RunArgs;
use super::scenario_input::{load, Loaded};
use crate::args;
use crate::charts::{bar_chart, line_chart, Series};
use crate::error::{CliError, CliResult};
use crate::output::{versioned_json, OutFile, Outcome};
use crate::progress;
use crate::table::{key_values, money, opt_pct, pct, render, short_money};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Period {
    Week,
    Month,
}

/// Run size shared by the simulating company commands.
#[derive(Debug, Args)]
pub struct Size {
    /// Number of simulated runs of the company.
    #[arg(long, default_value_t = 10_000)]
    pub runs: usize,
    /// Months simulated.
    #[arg(long, default_value_t = 120)]
    pub months: u32,
}

#[derive(Debug, Subcommand)]
pub enum CompanyCmd {
    /// Simulate the company many times: survival, stages, financing, exits, health metrics.
    Simulate {
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        size: Size,
    },
    /// The same runs with and without a vendor price change, side by side.
    Stress {
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        size: Size,
        /// The vendor line whose prices change (`cloud`, `model-api`, ...).
        #[arg(long)]
        vendor: String,
        /// The change: +30% (prices times 1.3), -20%.
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        price_change: f64,
        /// First month at the new prices.
        #[arg(long, default_value_t = 1)]
        at_month: u32,
    },
    /// The same company financed several ways: survival, ownership, founders' proceeds.
    Compare {
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        size: Size,
        /// Financing paths, comma separated: vc, rbf, debt, bootstrap.
        #[arg(long, default_value = "vc,rbf,debt,bootstrap")]
        paths: String,
    },
    /// When does revenue catch expenses, and how much cash does it take to get there?
    DefaultAlive(DefaultAliveArgs),
}

#[derive(Debug, Args)]
pub struct DefaultAliveArgs {
    /// Revenue this period.
    #[arg(long, value_parser = args::money)]
    pub revenue: f64,
    /// Revenue growth per period: 5%.
    #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
    pub revenue_growth: f64,
    /// Expenses this period.
    #[arg(long, value_parser = args::money)]
    pub expenses: f64,
    /// Expense growth per period.
    #[arg(long, value_parser = args::rate, allow_hyphen_values = true, default_value = "0")]
    pub expense_growth: f64,
    /// Cash in the bank (answers default alive or dead).
    #[arg(long, value_parser = args::money)]
    pub cash: Option<f64>,
    /// The period the rates and amounts are per.
    #[arg(long, value_enum, default_value = "month")]
    pub period: Period,
}

/// Loads and validates a company scenario.
fn model_of(run: &RunArgs) -> CliResult<(Loaded, Scenario, CompanyModel)> {
    let loaded = load(
        "company",
        run.scenario.as_deref(),
        run.preset.as_deref(),
        None,
    )?;
    let scenario = Scenario::from_toml(&loaded.text).map_err(|e| loaded.error(e))?;
    let model = scenario.model().map_err(|e| loaded.error(e))?;
    Ok((loaded, scenario, model))
}

fn options(run: &RunArgs, size: &Size, model: &CompanyModel) -> CliResult<RunOptions> {
    if size.months == 0 {
        return Err(CliError::input("--months: expected at least 1 month"));
    }
    if size.runs == 0 {
        return Err(CliError::input("--runs: expected at least 1 run"));
    }
    Ok(RunOptions {
        months: size.months,
        seed: run.seed,
        path: model.path,
        shock: None,
    })
}

fn lib_error(e: venturelab::Error) -> CliError {
    CliError::from(e)
}

/// Runs with a progress bar over `batches` batches of `runs`.
fn with_progress<T: Send>(
    run: &RunArgs,
    total: u64,
    f: impl FnOnce(&(dyn Fn(u64) + Sync)) -> venturelab::Result<T> + Send,
) -> CliResult<T> {
    let pb = progress::bar(total, "runs");
    let r = with_threads(run.threads, || f(&|n| pb.inc(n)));
    pb.finish_and_clear();
    r.map_err(lib_error)
}

fn summary_json(s: &Summary, scenario: &Scenario) -> CliResult<Value> {
    let mut j = versioned_json(s)?;
    j["scenario"] = serde_json::to_value(scenario).map_err(CliError::internal)?;
    Ok(j)
}

fn p50(s: &Option<Stat>, f: fn(f64) -> String) -> String {
    s.as_ref().map(|s| f(s.p50)).unwrap_or_else(|| "n/a".into())
}

fn months(x: f64) -> String {
    format!("{x:.0}")
}

fn survival_at(s: &Summary, month: u32) -> Option<f64> {
    s.survival.get(month as usize).map(|p| p.alive)
}

/// The readable summary of a simulate run.
fn simulate_text(s: &Summary, origin: &str) -> String {
    let mut text = format!(
        "{} runs of {} over {} months (seed {}, financing path {})\n\n",
        s.runs,
        origin,
        s.months,
        s.seed,
        s.path.key()
    );
    let rows: Vec<Vec<String>> = StageName::ALL
        .iter()
        .map(|st| {
            vec![
                st.key().to_string(),
                pct(s.stage_reached[st.key()]),
                p50(&s.months_to_stage[st.key()], months),
            ]
        })
        .collect();
    text += &render(&["stage", "reached", "median month"], &rows);
    let dead = |k: &str| opt_pct(s.dead_by_month[k]);
    let round = s
        .first_round
        .clone()
        .unwrap_or_else(|| "first round".into());
    text += "\n";
    text += &key_values(&[
        (
            "operating at the end",
            pct(s.survival.last().map(|p| p.alive).unwrap_or(0.0)),
        ),
        (
            "shut down by month 24 / 48 / 72",
            format!("{} / {} / {}", dead("24"), dead("48"), dead("72")),
        ),
        ("acquired", pct(s.acquired)),
        (
            &format!("raised {round} within 24 months"),
            pct(s.raised_series_a_within_24_months),
        ),
        (&format!("raised {round} at all"), pct(s.raised_series_a)),
        ("default alive at month 24", pct(s.default_alive_share)),
        (
            "median runway at month 12",
            p50(&s.runway_12, |x| format!("{x:.1} months")),
        ),
        (
            "median gross margin at month 24",
            p50(&s.gross_margin_24, pct),
        ),
        (
            "median founder ownership (not shut down)",
            p50(&s.founder_ownership, pct),
        ),
        (
            "median exit value (acquired)",
            p50(&s.exit_value, short_money),
        ),
        (
            "founders' proceeds: mean / p75 / p95",
            format!(
                "{} / {} / {}",
                short_money(s.founder_proceeds.mean),
                short_money(s.founder_proceeds.p75),
                short_money(s.founder_proceeds.p95)
            ),
        ),
        (
            "vendor concentration (HHI)",
            s.vendor_hhi
                .map(|h| format!("{h:.2}"))
                .unwrap_or_else(|| "n/a".into()),
        ),
    ]);
    text
}

/// One row per run: what happened to it (empty cells where something never happened).
fn runs_csv(b: &Batch) -> Vec<u8> {
    let cell = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let month = |x: Option<u32>| x.map(|v| v.to_string()).unwrap_or_default();
    let mut out = String::from("run,death_month,acquired_month,exit_value,first_round_month,rounds_raised,default_alive_month,founder_ownership,founder_proceeds,final_arr,vendor_hhi\n");
    for (i, r) in b.outcomes.iter().enumerate() {
        out += &format!(
            "{i},{},{},{},{},{},{},{},{},{},{}\n",
            month(r.death_month),
            month(r.acquired_month),
            cell(r.exit_value),
            month(r.first_round_month),
            r.rounds_raised,
            month(r.default_alive_month),
            r.founder_ownership,
            r.founder_proceeds,
            r.final_arr,
            cell(r.vendor_hhi),
        );
    }
    out.into_bytes()
}

fn charts(s: &Summary) -> CliResult<Vec<OutFile>> {
    let mut survival = vec![Series {
        name: "operating".into(),
        points: s
            .survival
            .iter()
            .map(|p| (p.month as f64, p.alive))
            .collect(),
    }];
    for st in StageName::ALL {
        if let Some(m) = &s.months_to_stage[st.key()] {
            if m.p50 > 0.0 {
                survival.push(Series {
                    name: format!("{} reached (median month {:.0})", st.key(), m.p50),
                    points: vec![(m.p50, 0.0), (m.p50, 1.0)],
                });
            }
        }
    }
    let band = |k: usize, name: &str| Series {
        name: name.into(),
        points: s
            .metrics
            .by_month
            .iter()
            .filter_map(|b| b.values["mrr"].map(|q| (b.month as f64, [q.p25, q.p50, q.p75][k])))
            .collect(),
    };
    let fan = [band(0, "p25"), band(1, "median"), band(2, "p75")];
    let mut bars = Vec::new();
    if let Some(r) = &s.runway_12 {
        for (label, v) in [
            ("p5", r.p5),
            ("p25", r.p25),
            ("median", r.p50),
            ("p75", r.p75),
            ("p95", r.p95),
        ] {
            bars.push((label.to_string(), v));
        }
    }
    Ok(vec![
        OutFile {
            name: "survival.svg".into(),
            contents: line_chart(
                "Companies operating, with the median month each stage is reached",
                "month",
                "share operating",
                &survival,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "mrr_fan.svg".into(),
            contents: line_chart(
                "MRR of operating companies (quartiles by month)",
                "month",
                "MRR",
                &fan,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "runway.svg".into(),
            contents: bar_chart(
                "Runway at month 12 (operating and burning): quantiles",
                "months of runway",
                &bars,
            )?
            .into_bytes(),
        },
    ])
}

/// Parses `--paths vc,rbf,debt,bootstrap`.
fn parse_paths(text: &str) -> CliResult<Vec<Path>> {
    let paths = text
        .split(',')
        .map(|p| {
            Path::parse(p).ok_or_else(|| {
                CliError::input(format!(
                    "--paths: unknown financing path '{}'; expected vc, rbf, debt or bootstrap",
                    p.trim()
                ))
            })
        })
        .collect::<CliResult<Vec<_>>>()?;
    if paths.is_empty() {
        return Err(CliError::input("--paths: expected at least one path"));
    }
    Ok(paths)
}

/// The side-by-side row of one summary for stress and compare.
fn side_row(s: &Summary) -> Vec<(&'static str, String)> {
    let dead = |k: &str| opt_pct(s.dead_by_month[k]);
    vec![
        ("operating at month 24", opt_pct(survival_at(s, 24))),
        (
            "operating at the end",
            opt_pct(s.survival.last().map(|p| p.alive)),
        ),
        ("shut down by month 72", dead("72")),
        ("acquired", pct(s.acquired)),
        (
            "median gross margin at month 24",
            p50(&s.gross_margin_24, pct),
        ),
        (
            "median runway at month 12",
            p50(&s.runway_12, |x| format!("{x:.1}")),
        ),
        ("default alive at month 24", pct(s.default_alive_share)),
        (
            "median first default-alive month",
            p50(&s.default_alive_month, months),
        ),
        ("median founder ownership", p50(&s.founder_ownership, pct)),
        (
            "founders' proceeds: mean",
            short_money(s.founder_proceeds.mean),
        ),
        (
            "founders' proceeds: p75",
            short_money(s.founder_proceeds.p75),
        ),
        (
            "founders' proceeds: p95",
            short_money(s.founder_proceeds.p95),
        ),
    ]
}

/// Rows of a side-by-side table: a label, then one cell per summary (the CLI's text table
/// and the report's HTML table).
pub(crate) fn side_rows(summaries: &[&Summary]) -> Vec<Vec<String>> {
    let columns: Vec<Vec<(&str, String)>> = summaries.iter().map(|s| side_row(s)).collect();
    (0..columns[0].len())
        .map(|i| {
            let mut row = vec![columns[0][i].0.to_string()];
            row.extend(columns.iter().map(|c| c[i].1.clone()));
            row
        })
        .collect()
}

/// A text table with one column per summary.
fn side_by_side(names: &[String], summaries: &[&Summary]) -> String {
    let mut headers = vec![""];
    headers.extend(names.iter().map(String::as_str));
    render(&headers, &side_rows(summaries))
}

/// Short JSON view of a summary for stress and compare.
fn headline_json(s: &Summary) -> Value {
    json!({
        "survival": s.survival.iter().map(|p| json!({"month": p.month, "alive": p.alive})).collect::<Vec<_>>(),
        "dead_by_month": s.dead_by_month,
        "acquired": s.acquired,
        "default_alive_share": s.default_alive_share,
        "default_alive_month": s.default_alive_month,
        "gross_margin_24": s.gross_margin_24,
        "runway_12": s.runway_12,
        "founder_ownership": s.founder_ownership,
        "founder_proceeds": s.founder_proceeds,
        "exit_value": s.exit_value,
        "raised_series_a_within_24_months": s.raised_series_a_within_24_months,
    })
}

/// Runs `company stress`: the summaries without and with the shock.
fn run_stress(
    run: &RunArgs,
    size: &Size,
    vendor: &str,
    change: f64,
    at_month: u32,
) -> CliResult<(Loaded, Scenario, Summary, Summary)> {
    let (loaded, scenario, model) = model_of(run)?;
    let opt = options(run, size, &model)?;
    let (base, shocked) = with_progress(run, 2 * size.runs as u64, |p| {
        stress(&model, &opt, size.runs, vendor, 1.0 + change, at_month, p)
    })?;
    Ok((loaded, scenario, base, shocked))
}

/// Runs `company compare`: one summary per path.
fn run_compare(
    run: &RunArgs,
    size: &Size,
    paths: &str,
) -> CliResult<(Loaded, Scenario, Vec<Path>, Vec<Summary>)> {
    let paths = parse_paths(paths)?;
    let (loaded, scenario, model) = model_of(run)?;
    let opt = options(run, size, &model)?;
    let n = paths.len() as u64 * size.runs as u64;
    let summaries = with_progress(run, n, |p| compare(&model, &opt, size.runs, &paths, p))?;
    Ok((loaded, scenario, paths, summaries))
}

/// Runs one company subcommand. `files`: whether `--out` was given.
pub fn run(cmd: &CompanyCmd, files: bool) -> CliResult<Outcome> {
    match cmd {
        CompanyCmd::Simulate { run, size } => {
            let (loaded, scenario, model) = model_of(run)?;
            let opt = options(run, size, &model)?;
            let (batch, s) = with_progress(run, size.runs as u64, |p| {
                simulate_batch(&model, &opt, size.runs, p)
            })?;
            let j = summary_json(&s, &scenario)?;
            let mut outcome = Outcome::new(j, simulate_text(&s, &loaded.origin));
            if files {
                outcome.files.push(OutFile {
                    name: "runs.csv".into(),
                    contents: runs_csv(&batch),
                });
                outcome.files.extend(charts(&s)?);
            }
            Ok(outcome)
        }
        CompanyCmd::Stress {
            run,
            size,
            vendor,
            price_change,
            at_month,
        } => {
            let (loaded, scenario, base, shocked) =
                run_stress(run, size, vendor, *price_change, *at_month)?;
            let label = format!(
                "{vendor} {:+.0}% from month {at_month}",
                price_change * 100.0
            );
            let mut text = format!(
                "{} runs of {} over {} months (seed {}), the same runs without and with the price change\n\n",
                base.runs, loaded.origin, base.months, base.seed
            );
            text += &side_by_side(&["as planned".into(), label], &[&base, &shocked]);
            let j = json!({
                "runs": base.runs,
                "months": base.months,
                "seed": base.seed,
                "vendor": vendor,
                "price_change": price_change,
                "at_month": at_month,
                "scenario": serde_json::to_value(&scenario).map_err(CliError::internal)?,
                "base": headline_json(&base),
                "shocked": headline_json(&shocked),
                "version": venturelab::VERSION,
            });
            Ok(Outcome::new(j, text))
        }
        CompanyCmd::Compare { run, size, paths } => {
            let (loaded, scenario, paths, summaries) = run_compare(run, size, paths)?;
            let names: Vec<String> = paths.iter().map(|p| p.key().to_string()).collect();
            let mut text = format!(
                "{} runs of {} over {} months (seed {}), the same runs financed each way\n\n",
                summaries[0].runs, loaded.origin, summaries[0].months, summaries[0].seed
            );
            text += &side_by_side(&names, &summaries.iter().collect::<Vec<_>>());
            let mut by_path = serde_json::Map::new();
            for (p, s) in paths.iter().zip(&summaries) {
                by_path.insert(p.key().into(), headline_json(s));
            }
            let j = json!({
                "runs": summaries[0].runs,
                "months": summaries[0].months,
                "seed": summaries[0].seed,
                "scenario": serde_json::to_value(&scenario).map_err(CliError::internal)?,
                "paths": by_path,
                "version": venturelab::VERSION,
            });
            Ok(Outcome::new(j, text))
        }
        CompanyCmd::DefaultAlive(a) => {
            let d = default_alive(
                a.revenue,
                a.revenue_growth,
                a.expenses,
                a.expense_growth,
                a.cash,
            )?;
            let unit = match a.period {
                Period::Week => "weeks",
                Period::Month => "months",
            };
            let mut rows = vec![
                (
                    "breakeven",
                    d.breakeven_period
                        .map(|t| format!("in {t} {unit}"))
                        .unwrap_or("never (expenses grow at least as fast)".into()),
                ),
                (
                    "capital needed",
                    d.capital_needed.map(money).unwrap_or("unbounded".into()),
                ),
            ];
            if let Some(alive) = d.default_alive {
                rows.push((
                    "default",
                    if alive { "alive".into() } else { "dead".into() },
                ));
            }
            let mut j = versioned_json(&d)?;
            if a.cash.is_none() {
                j.as_object_mut().map(|o| o.remove("default_alive"));
            }
            j["period"] = json!(unit.trim_end_matches('s'));
            Ok(Outcome::new(j, key_values(&rows)))
        }
    }
}

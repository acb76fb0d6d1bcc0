//! `venturelab fund simulate | solve | sweep`: the venture fund Monte Carlo.

use clap::Subcommand;
use venturelab_app::fund::{self, FundSimulate, FundSolve, FundSweep};
use venturelab_present::fund as present;

use super::ScenarioArgs;
use crate::args::{self, Values};
use crate::error::CliResult;
use crate::output::Outcome;
use crate::progress::Bar;

#[derive(Debug, Subcommand)]
pub enum FundCmd {
    /// Simulate many funds and summarise their outcomes.
    Simulate {
        #[command(flatten)]
        run: ScenarioArgs,
        /// Number of funds.
        #[arg(long, default_value_t = 100_000)]
        funds: usize,
    },
    /// Find the value of a scenario field at which a result reaches a target.
    Solve {
        #[command(flatten)]
        run: ScenarioArgs,
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
        run: ScenarioArgs,
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

impl FundCmd {
    /// The subcommand's name (the `--out` JSON file is `<name>.json`).
    pub fn name(&self) -> &'static str {
        match self {
            FundCmd::Simulate { .. } => "simulate",
            FundCmd::Solve { .. } => "solve",
            FundCmd::Sweep { .. } => "sweep",
        }
    }
}

/// Runs one fund subcommand. `files`: whether `--out` was given, so that per-fund rows
/// and charts are only built when they will be written.
pub fn run(cmd: &FundCmd, files: bool) -> CliResult<Outcome> {
    let bar = Bar::new();
    match cmd {
        FundCmd::Simulate { run, funds } => {
            let req = FundSimulate {
                run: run.spec(),
                funds: *funds,
                detail: files,
            };
            let r = fund::simulate(&req, &bar)?;
            Outcome::of(&r, present::simulate_text(&r))?
                .with_files(files, || present::simulate_files(&r))
        }
        FundCmd::Solve {
            run,
            vary,
            target,
            lo,
            hi,
            funds,
        } => {
            let (metric, goal) = fund::parse_target(target)?;
            let req = FundSolve {
                run: run.spec(),
                vary: vary.clone(),
                metric,
                target: goal,
                lo: *lo,
                hi: *hi,
                funds: *funds,
            };
            let r = fund::solve_for(&req, &bar)?;
            Outcome::of(&r, present::solve_text(&r))
        }
        FundCmd::Sweep {
            run,
            vary,
            values,
            range,
            points,
            funds,
        } => {
            let values = super::sweep_values(values, range, *points)?;
            let req = FundSweep {
                run: run.spec(),
                vary: vary.clone(),
                values,
                funds: *funds,
            };
            let r = fund::sweep(&req, &bar)?;
            Outcome::of(&r, present::sweep_text(&r))?.with_files(files, || present::sweep_files(&r))
        }
    }
}

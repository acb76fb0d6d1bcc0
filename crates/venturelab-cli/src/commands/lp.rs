//! `venturelab lp simulate | solve | sweep`: the LP's portfolio of funds.

use clap::Subcommand;
use venturelab_app::explore::parse_target;
use venturelab_app::lp::{self, LpSimulate, LpSolve, LpSweep};
use venturelab_present::lp as present;

use super::ScenarioArgs;
use crate::args::{self, Values};
use crate::error::CliResult;
use crate::output::Outcome;
use crate::progress::Bar;

#[derive(Debug, Subcommand)]
pub enum LpCmd {
    /// Simulate many LP portfolios of funds across vintages (re-ups, access, cash flows).
    Simulate {
        #[command(flatten)]
        run: ScenarioArgs,
        /// Number of LP portfolios, each its own world of vintages and managers.
        #[arg(long, default_value_t = 100_000)]
        portfolios: usize,
    },
    /// Find the value of an LP scenario field at which a result reaches a target.
    Solve {
        #[command(flatten)]
        run: ScenarioArgs,
        /// Dotted path of the numeric field to vary, e.g. skill.sigma; a whole-number
        /// field (lp.funds_per_year) gives the first whole number from --lo at which the
        /// target is reached.
        #[arg(long)]
        vary: String,
        /// METRIC=VALUE, METRIC a path of the lp simulate JSON (net_tvpi.p5,
        /// access.net_tvpi_gain_p50).
        #[arg(long)]
        target: String,
        /// Lower end of the search (default: a tenth of the current value).
        #[arg(long, allow_hyphen_values = true)]
        lo: Option<f64>,
        /// Upper end of the search (default: ten times the current value).
        #[arg(long, allow_hyphen_values = true)]
        hi: Option<f64>,
        /// Portfolios simulated for each trial value (the same draws each time).
        #[arg(long, default_value_t = 10_000)]
        portfolios: usize,
    },
    /// Run the LP scenario at several values of one field: one row per value.
    Sweep {
        #[command(flatten)]
        run: ScenarioArgs,
        /// Dotted path of the numeric field to vary, e.g. lp.funds_per_year.
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
        /// Portfolios simulated for each value (the same draws each time).
        #[arg(long, default_value_t = 10_000)]
        portfolios: usize,
    },
}

impl LpCmd {
    /// The subcommand's name (the `--out` JSON file is `<name>.json`).
    pub fn name(&self) -> &'static str {
        match self {
            LpCmd::Simulate { .. } => "simulate",
            LpCmd::Solve { .. } => "solve",
            LpCmd::Sweep { .. } => "sweep",
        }
    }
}

/// Runs one lp subcommand. `files`: whether `--out` was given, so that files and charts
/// are only drawn when they will be written.
pub fn run(cmd: &LpCmd, files: bool) -> CliResult<Outcome> {
    let bar = Bar::new();
    match cmd {
        LpCmd::Simulate { run, portfolios } => {
            let req = LpSimulate {
                run: run.spec(),
                portfolios: *portfolios,
            };
            let r = lp::simulate(&req, &bar)?;
            Outcome::of(&r, present::simulate_text(&r))?
                .with_files(files, || present::simulate_files(&r))
        }
        LpCmd::Solve {
            run,
            vary,
            target,
            lo,
            hi,
            portfolios,
        } => {
            let (metric, goal) = parse_target(target)?;
            let req = LpSolve {
                run: run.spec(),
                vary: vary.clone(),
                metric,
                target: goal,
                lo: *lo,
                hi: *hi,
                portfolios: *portfolios,
            };
            let r = lp::solve_for(&req, &bar)?;
            Outcome::of(&r, present::solve_text(&r))
        }
        LpCmd::Sweep {
            run,
            vary,
            values,
            range,
            points,
            portfolios,
        } => {
            let values = super::sweep_values(values, range, *points)?;
            let req = LpSweep {
                run: run.spec(),
                vary: vary.clone(),
                values,
                portfolios: *portfolios,
            };
            let r = lp::sweep(&req, &bar)?;
            Outcome::of(&r, present::sweep_text(&r))?.with_files(files, || present::sweep_files(&r))
        }
    }
}

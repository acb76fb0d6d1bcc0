//! `venturelab market simulate | experiment`: the venture market as agents.

use clap::{Subcommand, ValueEnum};
use venturelab_app::market::{self as app, Experiment as AppExperiment};
use venturelab_app::market::{MarketExperiment, MarketSimulate};
use venturelab_present::market as present;

use super::ScenarioArgs;
use crate::error::CliResult;
use crate::output::Outcome;
use crate::progress::Bar;

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
        run: ScenarioArgs,
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
        run: ScenarioArgs,
        /// Runs per condition (the same seeds in every condition).
        #[arg(long, default_value_t = 40)]
        runs: usize,
    },
}

impl MarketCmd {
    /// The subcommand's name (the `--out` JSON file is `<name>.json`).
    pub fn name(&self) -> &'static str {
        match self {
            MarketCmd::Simulate { .. } => "simulate",
            MarketCmd::Experiment { .. } => "experiment",
        }
    }
}

pub fn run(cmd: &MarketCmd, files: bool) -> CliResult<Outcome> {
    let bar = Bar::new();
    match cmd {
        MarketCmd::Simulate {
            run,
            runs,
            quarters,
        } => {
            let req = MarketSimulate {
                run: run.spec(),
                runs: *runs,
                quarters: *quarters,
            };
            let r = app::simulate(&req, &bar)?;
            Outcome::of(&r, present::simulate_report_text(&r))?
                .with_files(files, || present::simulate_files(&r))
        }
        MarketCmd::Experiment { name, run, runs } => {
            let req = MarketExperiment {
                experiment: match name {
                    Experiment::Scapegoat => AppExperiment::Scapegoat,
                    Experiment::Horizon => AppExperiment::Horizon,
                    Experiment::Herding => AppExperiment::Herding,
                },
                run: run.spec(),
                runs: *runs,
            };
            let r = app::experiment(&req, &bar)?;
            Outcome::of(&r, present::experiment_text(&r))?
                .with_files(files, || present::experiment_files(&r))
        }
    }
}

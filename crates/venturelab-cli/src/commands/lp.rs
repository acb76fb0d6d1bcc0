//! `venturelab lp simulate`: the LP's portfolio of funds.

use clap::Subcommand;
use venturelab_app::lp::{self, LpSimulate};
use venturelab_present::lp as present;

use super::ScenarioArgs;
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
}

impl LpCmd {
    /// The subcommand's name (the `--out` JSON file is `<name>.json`).
    pub fn name(&self) -> &'static str {
        match self {
            LpCmd::Simulate { .. } => "simulate",
        }
    }
}

/// Runs one lp subcommand.
pub fn run(cmd: &LpCmd) -> CliResult<Outcome> {
    let bar = Bar::new();
    match cmd {
        LpCmd::Simulate { run, portfolios } => {
            let req = LpSimulate {
                run: run.spec(),
                portfolios: *portfolios,
            };
            let r = lp::simulate(&req, &bar)?;
            Outcome::of(&r, present::simulate_text(&r))
        }
    }
}

//! The `venturelab` command-line tool: clap arguments mapped to the application layer's
//! requests (`venturelab-app`), its reports printed as text (`venturelab-present`) or JSON,
//! and files written atomically. No model logic, chart or report code lives here.

mod args;
mod commands;
mod error;
mod output;
mod progress;
mod publish;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::cashflow::{self, CashflowCmd};
use crate::commands::fund::{self, FundCmd};
use crate::error::{CliError, CliResult};
use crate::output::{emit, OutputArgs};

/// venturelab: the structural economics of the tech market, computable.
#[derive(Debug, Parser)]
#[command(name = "venturelab", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Cash-flow math and fund metrics: NPV, IRR, XIRR, annuities, TVPI/DPI, PME, waterfalls.
    Cashflow {
        #[command(subcommand)]
        cmd: CashflowCmd,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Venture fund Monte Carlo: simulate, solve for a target, sweep a parameter.
    Fund {
        #[command(subcommand)]
        cmd: FundCmd,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Is it a power law? Fit heavy-tailed data (Clauset, Shalizi & Newman 2009).
    Fit {
        #[command(flatten)]
        args: commands::fit::FitArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// A cap table after each priced round: SAFE and note conversions, pool, ownership.
    Captable {
        #[command(flatten)]
        args: commands::captable::CapTableArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Who gets what at an exit: liquidation preferences and conversion decisions.
    Waterfall {
        #[command(flatten)]
        args: commands::captable::WaterfallArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The cost of revenue-based financing and venture debt; founders' proceeds by path.
    Financing {
        #[command(subcommand)]
        cmd: commands::financing::FinancingCmd,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// A startup through the valley of death: simulate, stress, compare, default-alive.
    Company {
        #[command(subcommand)]
        cmd: commands::company::CompanyCmd,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The venture market as agents: where capital flows and why (simulate, experiment).
    Market {
        #[command(subcommand)]
        cmd: commands::market::MarketCmd,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// List the built-in scenarios with a line each and their sources.
    Presets {
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Run every model on built-in defaults and write a self-contained HTML report.
    Report(report::ReportArgs),
}

fn run(cli: Cli) -> CliResult<()> {
    match cli.command {
        Command::Cashflow { cmd, output } => emit(
            &output,
            cmd.name(),
            cashflow::run(&cmd, output.out.is_some())?,
        ),
        Command::Fund { cmd, output } => {
            emit(&output, cmd.name(), fund::run(&cmd, output.out.is_some())?)
        }
        Command::Fit { args, output } => emit(&output, "fit", commands::fit::run(&args)?),
        Command::Captable { args, output } => {
            emit(&output, "captable", commands::captable::captable(&args)?)
        }
        Command::Waterfall { args, output } => {
            emit(&output, "waterfall", commands::captable::waterfall(&args)?)
        }
        Command::Financing { cmd, output } => {
            emit(&output, cmd.name(), commands::financing::run(&cmd)?)
        }
        Command::Company { cmd, output } => {
            let outcome = commands::company::run(&cmd, output.out.is_some())?;
            emit(&output, cmd.name(), outcome)
        }
        Command::Market { cmd, output } => {
            let outcome = commands::market::run(&cmd, output.out.is_some())?;
            emit(&output, cmd.name(), outcome)
        }
        Command::Presets { output } => emit(&output, "presets", commands::presets()?),
        Command::Report(args) => {
            let msg = report::run(&args)?;
            eprint!("{msg}");
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    // A panic is a bug, never the user's fault: report it as an internal error (exit 1).
    std::panic::set_hook(Box::new(|info| {
        eprintln!("internal error (a bug in venturelab, please report it): {info}");
    }));
    publish::watch_signals();
    // Usage errors exit with code 2, as clap does by default.
    match std::panic::catch_unwind(|| run(Cli::parse())) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
        Err(_) => ExitCode::from(CliError::Internal(String::new()).exit_code()),
    }
}

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
mod runs;
mod serve;

use std::process::ExitCode;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

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
    /// The run-history database of --save and `venturelab runs` (default:
    /// $XDG_DATA_HOME/venturelab/runs.sqlite, else ~/.local/share/venturelab/runs.sqlite).
    #[arg(long, value_name = "PATH", global = true, env = "VENTURELAB_DB")]
    db: Option<PathBuf>,
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
    /// The LP's portfolio of funds across vintages: re-ups, access, cash flows, PME.
    Lp {
        #[command(subcommand)]
        cmd: commands::lp::LpCmd,
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
    /// The run history kept by --save: list, show, diff, rm, export.
    Runs {
        #[command(subcommand)]
        cmd: runs::RunsCmd,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Start the local web app (pages for fund, company, cap table, fit, market and runs).
    Serve(serve::ServeArgs),
}

impl Command {
    /// The command's output flags (every command but `report` has them).
    fn output_mut(&mut self) -> Option<&mut OutputArgs> {
        match self {
            Command::Cashflow { output, .. }
            | Command::Fund { output, .. }
            | Command::Lp { output, .. }
            | Command::Fit { output, .. }
            | Command::Captable { output, .. }
            | Command::Waterfall { output, .. }
            | Command::Financing { output, .. }
            | Command::Company { output, .. }
            | Command::Market { output, .. }
            | Command::Presets { output }
            | Command::Runs { output, .. } => Some(output),
            Command::Report(_) | Command::Serve(_) => None,
        }
    }
}

/// Parses the command line; with --save, opens the database and reads the scenario before
/// the command runs (a database that cannot be used is refused before a long run).
fn parse() -> CliResult<Cli> {
    let root = Cli::command();
    let matches = root.clone().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let db = cli.db.clone();
    if let Some(output) = cli.command.output_mut() {
        if let Some(name) = output.save.clone() {
            let record = runs::Record::new(&root, &matches, db.as_deref(), &name)?;
            output.record = Some(Arc::new(record));
        }
    }
    Ok(cli)
}

fn run(cli: CliResult<Cli>) -> CliResult<()> {
    let cli = cli?;
    match cli.command {
        Command::Cashflow { cmd, output } => emit(
            &output,
            cmd.name(),
            cashflow::run(&cmd, output.out.is_some())?,
        ),
        Command::Fund { cmd, output } => {
            emit(&output, cmd.name(), fund::run(&cmd, output.out.is_some())?)
        }
        Command::Lp { cmd, output } => emit(
            &output,
            cmd.name(),
            commands::lp::run(&cmd, output.out.is_some())?,
        ),
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
        Command::Runs { cmd, mut output } => {
            let store = runs::open(cli.db.as_deref())?;
            let outcome = runs::run(&cmd, &store)?;
            if let runs::RunsCmd::Export { id } = &cmd {
                output
                    .out
                    .get_or_insert_with(|| PathBuf::from(format!("run-{id}")));
            }
            emit(&output, cmd.name(), outcome)
        }
        Command::Serve(args) => serve::run(&args, cli.db),
    }
}

fn main() -> ExitCode {
    // A panic is a bug, never the user's fault: report it as an internal error (exit 1).
    std::panic::set_hook(Box::new(|info| {
        eprintln!("internal error (a bug in venturelab, please report it): {info}");
    }));
    publish::watch_signals();
    // Usage errors exit with code 2, as clap does by default.
    match std::panic::catch_unwind(|| run(parse())) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
        Err(_) => ExitCode::from(CliError::Internal(String::new()).exit_code()),
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every argument and subcommand of the tree, found by walking clap's command, has a
    /// description in `--help` (issue 18: some had none).
    #[test]
    fn every_argument_and_subcommand_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                let p = format!("{path} {}", sub.get_name());
                if sub.get_name() != "help" && sub.get_about().is_none() {
                    missing.push(format!("{p} (the subcommand)"));
                }
                walk(sub, &p, missing);
            }
        }
        let mut cmd = Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "venturelab", &mut missing);
        assert!(missing.is_empty(), "without help: {missing:#?}");
    }

    /// The shared output flags sit under their own heading, apart from a command's own.
    #[test]
    fn output_flags_are_listed_apart() {
        let mut cmd = Cli::command();
        cmd.build();
        let npv = cmd
            .find_subcommand_mut("cashflow")
            .and_then(|c| c.find_subcommand_mut("npv"))
            .expect("cashflow npv");
        let help = npv.render_help().to_string();
        let heading = help.find("Output options").expect("the heading");
        let json = help.find("--json").expect("--json");
        let rate = help.find("--rate").expect("--rate");
        assert!(rate < heading && heading < json, "{help}");
    }
}

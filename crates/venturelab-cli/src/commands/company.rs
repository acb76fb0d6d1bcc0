//! `venturelab company simulate | stress | compare | default-alive`: a startup through the
//! valley of death.

use clap::{Args, Subcommand, ValueEnum};
use venturelab_app::company::{
    self as app, CompanyCompare, CompanySimulate, CompanyStress, DefaultAlive, Size as RunSize,
};
use venturelab_present::company as present;

use super::ScenarioArgs;
use crate::args;
use crate::error::CliResult;
use crate::output::Outcome;
use crate::progress::Bar;

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

impl Size {
    fn size(&self) -> RunSize {
        RunSize {
            runs: self.runs,
            months: self.months,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CompanyCmd {
    /// Simulate the company many times: survival, stages, financing, exits, health metrics.
    Simulate {
        #[command(flatten)]
        run: ScenarioArgs,
        #[command(flatten)]
        size: Size,
    },
    /// The same runs with and without a vendor price change, side by side.
    Stress {
        #[command(flatten)]
        run: ScenarioArgs,
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
        run: ScenarioArgs,
        #[command(flatten)]
        size: Size,
        /// Financing paths, comma separated: vc, rbf, debt, bootstrap.
        #[arg(long, default_value = "vc,rbf,debt,bootstrap")]
        paths: String,
    },
    /// When does revenue catch expenses, and how much cash does it take to get there?
    DefaultAlive(DefaultAliveArgs),
}

impl CompanyCmd {
    /// The subcommand's name (the `--out` JSON file is `<name>.json`).
    pub fn name(&self) -> &'static str {
        match self {
            CompanyCmd::Simulate { .. } => "simulate",
            CompanyCmd::Stress { .. } => "stress",
            CompanyCmd::Compare { .. } => "compare",
            CompanyCmd::DefaultAlive(_) => "default-alive",
        }
    }
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

/// Runs one company subcommand. `files`: whether `--out` was given.
pub fn run(cmd: &CompanyCmd, files: bool) -> CliResult<Outcome> {
    let bar = Bar::new();
    match cmd {
        CompanyCmd::Simulate { run, size } => {
            let req = CompanySimulate {
                run: run.spec(),
                size: size.size(),
                detail: files,
            };
            let r = app::simulate(&req, &bar)?;
            Outcome::of(&r, present::simulate_report_text(&r))?
                .with_files(files, || present::simulate_files(&r))
        }
        CompanyCmd::Stress {
            run,
            size,
            vendor,
            price_change,
            at_month,
        } => {
            let req = CompanyStress {
                run: run.spec(),
                size: size.size(),
                vendor: vendor.clone(),
                price_change: *price_change,
                at_month: *at_month,
            };
            let r = app::stress(&req, &bar)?;
            Outcome::of(&r, present::stress_text(&r))
        }
        CompanyCmd::Compare { run, size, paths } => {
            let req = CompanyCompare {
                paths: app::parse_paths(paths)?,
                run: run.spec(),
                size: size.size(),
            };
            let r = app::compare(&req, &bar)?;
            Outcome::of(&r, present::compare_text(&r))
        }
        CompanyCmd::DefaultAlive(a) => {
            let r = app::default_alive(&DefaultAlive {
                revenue: a.revenue,
                revenue_growth: a.revenue_growth,
                expenses: a.expenses,
                expense_growth: a.expense_growth,
                cash: a.cash,
                period: match a.period {
                    Period::Week => app::Period::Week,
                    Period::Month => app::Period::Month,
                },
            })?;
            Outcome::of(&r, present::default_alive_text(&r))
        }
    }
}

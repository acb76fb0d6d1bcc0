//! `venturelab financing cost | compare`: what each kind of startup money costs.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use venturelab_app::financing::{self as app, CostRequest, PathTerms, Revenue};
use venturelab_app::{AppError, Data};
use venturelab_present::financing as present;

use crate::args::{self, Values};
use crate::error::{CliError, CliResult};
use crate::output::Outcome;

#[derive(Debug, Subcommand)]
pub enum FinancingCmd {
    /// Repayment schedule and cost of revenue-based financing (--rbf) or venture debt (--debt).
    Cost(CostArgs),
    /// Founders' proceeds at each exit value under VC, RBF, venture debt and bootstrapping.
    Compare(CompareArgs),
}

impl FinancingCmd {
    /// The subcommand's name (the `--out` JSON file is `<name>.json`).
    pub fn name(&self) -> &'static str {
        match self {
            FinancingCmd::Cost(_) => "cost",
            FinancingCmd::Compare(_) => "compare",
        }
    }
}

#[derive(Debug, Args)]
pub struct CostArgs {
    /// Revenue-based financing.
    #[arg(long, conflicts_with = "debt")]
    pub rbf: bool,
    /// Venture debt.
    #[arg(long)]
    pub debt: bool,
    /// RBF: the advance.
    #[arg(long, value_parser = args::money)]
    pub advance: Option<f64>,
    /// RBF: share of monthly revenue paid.
    #[arg(long, value_parser = args::unit_rate)]
    pub share: Option<f64>,
    /// RBF: total repayment as a multiple of the advance.
    #[arg(long)]
    pub cap: Option<f64>,
    /// RBF: monthly revenue, one number per line.
    #[arg(long, value_name = "FILE")]
    pub revenue: Option<PathBuf>,
    /// RBF: first month's revenue (with --growth).
    #[arg(long, value_parser = args::money)]
    pub monthly_revenue: Option<f64>,
    /// RBF: monthly revenue growth: 3%.
    #[arg(long, value_parser = args::rate, allow_hyphen_values = true, default_value = "0")]
    pub growth: f64,
    /// RBF: months of revenue to project.
    #[arg(long, default_value_t = 120)]
    pub months: usize,
    /// Debt: principal.
    #[arg(long, value_parser = args::money)]
    pub principal: Option<f64>,
    /// Debt: annual interest rate.
    #[arg(long, value_parser = args::rate)]
    pub rate: Option<f64>,
    /// Debt: interest-only months.
    #[arg(long, default_value_t = 0)]
    pub io_months: usize,
    /// Debt: amortisation months.
    #[arg(long, default_value_t = 36)]
    pub amort_months: usize,
    /// Debt: value of the lender's warrants at the exit.
    #[arg(long, value_parser = args::money, default_value = "0")]
    pub warrant_value: f64,
    /// Debt: month of the exit at which the warrants are valued.
    #[arg(long, default_value_t = 0)]
    pub exit_month: usize,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Exit values to compare at: 10M,30M,100M,300M,3B.
    #[arg(long, value_parser = args::series)]
    pub exit_values: Values,
    /// Money raised on each outside path (VC, RBF, debt).
    #[arg(long, value_parser = args::money, default_value = "5M")]
    pub raise: f64,
    /// VC: pre-money valuation of the round (1x non-participating preferred).
    #[arg(long, value_parser = args::money, default_value = "15M")]
    pub pre_money: f64,
    /// RBF: total repayment as a multiple of the advance, paid before the exit.
    #[arg(long, default_value_t = 1.5)]
    pub rbf_cap: f64,
    /// Debt: annual interest rate (simple interest, paid before the exit).
    #[arg(long, value_parser = args::rate, default_value = "12%")]
    pub debt_rate: f64,
    /// Debt: years outstanding before the exit.
    #[arg(long, default_value_t = 3.0)]
    pub debt_years: f64,
    /// Debt: warrant coverage, a share of the principal struck at the pre-money.
    #[arg(long, value_parser = args::rate, default_value = "10%")]
    pub warrant_coverage: f64,
}

fn need<T>(v: Option<T>, name: &str) -> CliResult<T> {
    v.ok_or_else(|| AppError::parameter(name, "required here").into())
}

impl CostArgs {
    fn request(&self) -> CliResult<CostRequest> {
        if self.rbf {
            let revenue = match (&self.revenue, self.monthly_revenue) {
                (Some(p), _) => Revenue::File(Data::Path(p.clone())),
                (None, Some(r)) => Revenue::Growing {
                    first: r,
                    growth: self.growth,
                    months: self.months,
                },
                (None, None) => {
                    return Err(CliError::input(
                        "--revenue FILE or --monthly-revenue R: one is required with --rbf",
                    ))
                }
            };
            Ok(CostRequest::Rbf {
                advance: need(self.advance, "advance")?,
                share: need(self.share, "share")?,
                cap: need(self.cap, "cap")?,
                revenue,
            })
        } else if self.debt {
            Ok(CostRequest::Debt {
                principal: need(self.principal, "principal")?,
                rate: need(self.rate, "rate")?,
                io_months: self.io_months,
                amort_months: self.amort_months,
                warrant_value: self.warrant_value,
                exit_month: self.exit_month,
            })
        } else {
            Err(CliError::input("give --rbf or --debt"))
        }
    }
}

pub fn run(cmd: &FinancingCmd) -> CliResult<Outcome> {
    match cmd {
        FinancingCmd::Cost(a) => {
            let r = app::cost(&a.request()?)?;
            Outcome::of(&r, present::cost_text(&r))
        }
        FinancingCmd::Compare(a) => {
            let terms = PathTerms {
                raise: a.raise,
                pre_money: a.pre_money,
                rbf_cap: a.rbf_cap,
                debt_rate: a.debt_rate,
                debt_years: a.debt_years,
                warrant_coverage: a.warrant_coverage,
            };
            let r = app::compare(&terms, &a.exit_values.0)?;
            Outcome::of(&r, present::compare_text(&r))
        }
    }
}

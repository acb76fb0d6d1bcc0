//! `venturelab financing cost | compare`: what each kind of startup money costs.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;
use venturelab::captable::financing::{compare_paths, rbf, venture_debt, PathTerms};

use super::scenario_input::numbers;
use crate::args::{self, Values};
use crate::error::{CliError, CliResult};
use crate::output::{read_input, versioned_json, Outcome};
use crate::table::{key_values, money, multiple, pct, render};

#[derive(Debug, Subcommand)]
pub enum FinancingCmd {
    /// Repayment schedule and cost of revenue-based financing (--rbf) or venture debt (--debt).
    Cost(CostArgs),
    /// Founders' proceeds at each exit value under VC, RBF, venture debt and bootstrapping.
    Compare(CompareArgs),
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
    #[arg(long, value_parser = args::money, default_value = "5M")]
    pub raise: f64,
    #[arg(long, value_parser = args::money, default_value = "15M")]
    pub pre_money: f64,
    #[arg(long, default_value_t = 1.5)]
    pub rbf_cap: f64,
    #[arg(long, value_parser = args::rate, default_value = "12%")]
    pub debt_rate: f64,
    #[arg(long, default_value_t = 3.0)]
    pub debt_years: f64,
    #[arg(long, value_parser = args::rate, default_value = "10%")]
    pub warrant_coverage: f64,
}

fn need<T>(v: Option<T>, flag: &str) -> CliResult<T> {
    v.ok_or_else(|| CliError::input(format!("{flag}: required here")))
}

pub fn run(cmd: &FinancingCmd) -> CliResult<Outcome> {
    match cmd {
        FinancingCmd::Cost(a) => {
            let c = if a.rbf {
                let revenue: Vec<f64> = match (&a.revenue, a.monthly_revenue) {
                    (Some(p), _) => numbers(&read_input(p)?, &p.display().to_string())?,
                    (None, Some(r)) => (0..a.months)
                        .map(|m| r * (1.0 + a.growth).powi(m as i32))
                        .collect(),
                    (None, None) => {
                        return Err(CliError::input(
                            "--revenue FILE or --monthly-revenue R: one is required with --rbf",
                        ))
                    }
                };
                rbf(
                    need(a.advance, "--advance")?,
                    need(a.share, "--share")?,
                    need(a.cap, "--cap")?,
                    &revenue,
                )?
            } else if a.debt {
                venture_debt(
                    need(a.principal, "--principal")?,
                    need(a.rate, "--rate")?,
                    a.io_months,
                    a.amort_months,
                    a.warrant_value,
                    a.exit_month,
                )?
            } else {
                return Err(CliError::input("give --rbf or --debt"));
            };
            let text = key_values(&[
                ("total repaid", money(c.total_repaid)),
                (
                    "months to repay",
                    c.months_to_repay
                        .map(|m| m.to_string())
                        .unwrap_or("-".into()),
                ),
                ("IRR per month", pct(c.irr_monthly)),
                ("APR (12 x monthly)", pct(c.apr)),
                ("effective annual rate", pct(c.effective_annual_rate)),
            ]);
            let j = versioned_json(&c)?;
            Ok(Outcome::new(j, text))
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
            let rows = compare_paths(&terms, &a.exit_values.0)?;
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        money(r.exit_value),
                        money(r.vc),
                        money(r.rbf),
                        money(r.debt),
                        money(r.bootstrap),
                        r.best_outside.to_string(),
                        multiple(r.vc_multiple),
                    ]
                })
                .collect();
            let mut text = format!(
                "assumptions: raise {} on every outside path; VC at {} pre-money, 1x non-participating; RBF repays {}x; \
                 debt at {} for {} years with {} warrant coverage; the same exit value on every path\n",
                money(a.raise),
                money(a.pre_money),
                a.rbf_cap,
                pct(a.debt_rate),
                a.debt_years,
                pct(a.warrant_coverage)
            );
            text += &render(
                &[
                    "exit",
                    "founders: VC",
                    "founders: RBF",
                    "founders: debt",
                    "founders: bootstrap",
                    "cheapest money",
                    "VC multiple",
                ],
                &table,
            );
            let medium: Vec<String> = rows
                .iter()
                .filter(|r| r.vc_multiple < 3.0 && r.vc > 0.5 * r.exit_value)
                .map(|r| money(r.exit_value))
                .collect();
            if !medium.is_empty() {
                text += &format!(
                    "medium success: at {} the VC makes less than the 3x a fund needs while the founders keep more than half.\n",
                    medium.join(", ")
                );
            }
            Ok(Outcome::new(
                json!({"assumptions": terms, "rows": rows, "version": venturelab::VERSION}),
                text,
            ))
        }
    }
}

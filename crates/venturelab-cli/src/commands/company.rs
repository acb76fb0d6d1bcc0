//! `venturelab company ...`: so far the deterministic default-alive calculation.

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use venturelab::company::default_alive::default_alive;

use crate::args;
use crate::error::CliResult;
use crate::output::{versioned_json, Outcome};
use crate::table::{key_values, money};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Period {
    Week,
    Month,
}

#[derive(Debug, Subcommand)]
pub enum CompanyCmd {
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

pub fn run(cmd: &CompanyCmd) -> CliResult<Outcome> {
    match cmd {
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

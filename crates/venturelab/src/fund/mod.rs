//! Venture fund Monte Carlo: many funds, each a portfolio of companies with heavy-tailed
//! outcomes, through fees, recycling and the European waterfall to LP net returns.
//! Equations, timing conventions and defaults: `docs/models/fund.md`.

pub mod block;
pub mod explore;
mod measures;
pub mod quantile;
pub mod scenario;
pub mod sim;
pub mod summary;

pub use scenario::{FundModel, Scenario};
pub use summary::{run, run_with, summarize, Run, Stat, Summary};

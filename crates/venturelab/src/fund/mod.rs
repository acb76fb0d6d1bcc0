//! Venture fund Monte Carlo: many funds, each a portfolio of companies with heavy-tailed
//! outcomes, through fees, recycling and the European waterfall to LP net returns.
//! Equations, timing conventions and defaults: `docs/models/fund.md`.
//!
//! The model, which says what a fund is and does:
//! - [`scenario`]: the TOML format, validated into a [`FundModel`] (and
//!   [`FundModel::is_plain`], the one place that decides whether the engine's vector
//!   kernel may run a model).
//! - [`sim`]: one fund year by year, sequentially: the reference for every shape of fund.
//! - [`factors`]: the vintage factor and manager skill that make funds differ (with both
//!   absent, funds are drawn exactly as without them).
//! - [`lp`]: the LP's portfolio of funds across vintages, with re-ups and access.
//! - [`summary`]: what a run reports ([`Summary`]), and [`explore`]: solve and sweep.
//!
//! The engine, which computes the same numbers faster and in bounded memory (crate-private
//! except the entry points [`run`] and [`run_with`]):
//! - `block`: the plain shape of fund for 16 funds side by side, a branch-free kernel
//!   (through `crate::vector`), bit-identical to [`sim`];
//! - `measures`: the per-fund measures' sums and tallies;
//! - `crate::stats::quantile`: exact quantile selection from sample brackets;
//! - `engine`: the orchestration of [`run`], chunks in parallel, rows kept or tallied.

pub(crate) mod block;
#[cfg(test)]
mod block_tests;
mod engine;
pub mod explore;
pub mod factors;
pub mod lp;
mod measures;
pub mod scenario;
pub mod sim;
pub mod summary;

pub use crate::stats::Stat;
pub use engine::{chunk_count, merge_parts, run, run_part, run_with, Run, RunPart, SPLIT_MIN};
pub use scenario::{FundModel, Scenario};
pub use summary::{summarize, Summary};

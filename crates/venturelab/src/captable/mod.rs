//! Cap tables: who owns what after each financing event, and who gets what at an exit.
//! Conventions and formulas: `docs/models/captable.md`.
//!
//! - [`file`](mod@file): the cap-table TOML format and its validation.
//! - [`rounds`]: priced rounds, with SAFE and note conversions and the option pool.
//! - [`exit`]: the exit waterfall with liquidation preferences and conversion decisions.

pub mod exit;
pub mod file;
pub mod rounds;

pub use exit::{waterfall, Payout};
pub use file::CapTableFile;
pub use rounds::{apply, RoundResult, Table};
pub mod financing;
pub mod ocf;

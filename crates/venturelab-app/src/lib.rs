//! venturelab's application layer: the one API every front end (the CLI, the report, the
//! Python package, the web app) calls.
//!
//! Each command is a typed request and a report: [`fund::simulate`] takes a
//! [`fund::FundSimulate`] and returns a [`fund::FundSimulateReport`], whose serde
//! serialization is exactly what `venturelab fund simulate --json` prints. Requests name
//! their inputs as data ([`source::Source`]: a path, TOML text, a preset or a nested map;
//! [`source::Data`]: a file or text), report progress to an [`progress::Observer`] that can
//! also cancel, and fail with an [`AppError`] that locates the problem by source, line,
//! key or parameter without naming any front end's flags.
//!
//! Architecture invariant: no printing, no terminal, no HTML or charts here (that is
//! `venturelab-present`), and no model logic (that is `venturelab`); this crate reads the
//! files a request names and shapes results.

pub mod captable;
pub mod cashflow;
pub mod company;
pub mod error;
pub mod explore;
pub mod financing;
pub mod fit;
pub mod fund;
pub mod limits;
pub mod lp;
pub mod market;
pub mod presets;
pub mod progress;
pub mod report;
pub mod run;
pub mod source;

pub use error::{AppError, AppResult, InputError, Place};
pub use progress::{CancelFlag, Observer, Silent};
pub use run::RunSpec;
pub use source::{Data, Source};

/// The seed a request uses when none is given.
pub const DEFAULT_SEED: u64 = venturelab::rng::DEFAULT_SEED;

/// Money (`250k`, `10M`) and rates (`8%`) as every front end reads them.
pub use venturelab::scenario::{parse_money, parse_rate};

/// The venturelab version every report echoes.
pub const VERSION: &str = venturelab::VERSION;

/// A report as the JSON document front ends print: serde's serialization, with object
/// keys in sorted order (as `serde_json::Value` keeps them).
pub fn to_json<T: serde::Serialize>(report: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(report).map_err(AppError::internal)
}

//! venturelab's presentation: how reports look. Charts in one style ([`charts`]), text
//! tables and number formats ([`table`]), CSV and chart files per report, and the HTML
//! report ([`report`]). The CLI, the report and the web app all draw with this crate.
//!
//! Architecture invariant: everything here is a function of an application-layer report
//! (`venturelab_app::*::*Report`); nothing here runs a model or reads the user's files.

pub mod captable;
pub mod cashflow;
pub mod charts;
pub mod company;
pub mod csv_file;
pub mod error;
pub mod financing;
pub mod fit;
pub mod fund;
pub mod lp;
pub mod market;
pub mod presets;
pub mod report;
pub mod table;

pub use error::{OutFile, PresentError, PresentResult};

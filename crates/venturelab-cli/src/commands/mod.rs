//! One module per command area. Each turns parsed arguments into an [`crate::output::Outcome`].

pub mod cashflow;

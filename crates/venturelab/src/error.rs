//! The library's error type. Every variant is a problem with the caller's input (the
//! binary maps them to exit code 2); bugs are panics, which the binary reports as exit 1.

use thiserror::Error;

/// An input that a model cannot work with, with a message that names what is wrong and
/// where (a field, a CSV line, a TOML key).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    /// A value is malformed or out of its allowed range. `field` names it
    /// (`--rate`, `fund.fees.rate`, `flows.csv line 4, column amount`).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The question has no answer for this input (for example an IRR of cash flows that
    /// never change sign).
    #[error("{0}")]
    NoSolution(String),
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Result alias used across the library.
pub type Result<T> = std::result::Result<T, Error>;

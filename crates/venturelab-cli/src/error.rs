//! The binary's errors and their exit codes: 2 for bad input, 1 for internal failures.

use std::fmt;

use venturelab::error::Location;

/// An error the binary reports to the user.
#[derive(Debug)]
pub enum CliError {
    /// The user's input is wrong (exit code 2). The message names the field, file or line.
    Input(String),
    /// Something failed that is not the user's fault (exit code 1): an I/O error writing
    /// output, a bug.
    Internal(String),
}

impl CliError {
    pub fn input(msg: impl Into<String>) -> Self {
        CliError::Input(msg.into())
    }

    /// A failure that is not the user's fault (serialising, a built-in input rejected).
    pub fn internal<E: fmt::Display>(e: E) -> Self {
        CliError::Internal(e.to_string())
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::Internal(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(m) => write!(f, "{m}"),
            CliError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

/// How the CLI names where a library error is: a parameter as the flag that sets it
/// (`exit_values` as `--exit-values`), anything else as the library says it.
pub fn location(at: &Location) -> String {
    match at {
        Location::Parameter(name) => format!("--{}", name.replace('_', "-")),
        other => other.to_string(),
    }
}

/// A library error as the CLI says it: `--rate: expected ...`, `flows.csv line 3, column
/// amount: ...`, `fund.fees.rate: ...`.
pub fn describe(e: &venturelab::Error) -> String {
    match e {
        venturelab::Error::Invalid { at, message } => format!("{}: {message}", location(at)),
        other => other.to_string(),
    }
}

impl From<venturelab::Error> for CliError {
    fn from(e: venturelab::Error) -> Self {
        CliError::Input(describe(&e))
    }
}

pub type CliResult<T> = Result<T, CliError>;

//! The binary's errors and their exit codes: 2 for bad input, 1 for internal failures.

use std::fmt;

use venturelab_app::error::flag;
use venturelab_app::AppError;
use venturelab_present::PresentError;

/// An error the binary reports to the user.
#[derive(Debug)]
pub enum CliError {
    /// The user's input is wrong (exit code 2). The message names the flag, file or line.
    Input(String),
    /// Something failed that is not the user's fault (exit code 1): an I/O error writing
    /// output, a bug.
    Internal(String),
    /// SIGINT or SIGTERM stopped the run while it wrote its files; nothing was left behind.
    Interrupted,
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
            CliError::Interrupted => crate::publish::INTERRUPTED_EXIT,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(m) => write!(f, "{m}"),
            CliError::Internal(m) => write!(f, "internal error: {m}"),
            CliError::Interrupted => write!(f, "interrupted; no files were written"),
        }
    }
}

/// Application errors in the CLI's words: a parameter `exit_values` is the flag
/// `--exit-values`.
impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Input(i) => CliError::Input(i.render(&flag)),
            AppError::Internal(m) => CliError::Internal(m),
            AppError::Cancelled => CliError::Internal("cancelled".into()),
        }
    }
}

impl From<PresentError> for CliError {
    fn from(e: PresentError) -> Self {
        CliError::Internal(e.0)
    }
}

pub type CliResult<T> = Result<T, CliError>;

//! The library's error type. Every variant is a problem with the caller's input (the
//! binary maps them to exit code 2); bugs are panics, which the binary reports as exit 1.
//!
//! An [`Error::Invalid`] says where the problem is as a [`Location`]: a parameter of the
//! function called, a key of a scenario document, a line of a text input, or an input as
//! a whole. The library never names a command-line flag: a front end names a
//! [`Location::Parameter`] the way its user gave it (the CLI as `--exit-values`, a Python
//! binding as the keyword argument `exit_values`).

use std::fmt;

use thiserror::Error;

/// Where an invalid input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A named input of the library function called, in snake_case as the function's
    /// parameter or field is named: `rate`, `values`, `exit_values`, `pre_money`.
    Parameter(String),
    /// A dotted key of a scenario or cap-table document: `fund.fees.rate`,
    /// `outcomes.buckets.2.share`, `warrants.0.class`.
    Key(String),
    /// A line (1-based) of a text input (CSV, one value per line, TOML), with the name the
    /// caller gave the input (`source`, e.g. a file name) and the CSV column when there is
    /// one.
    Line {
        source: Option<String>,
        line: usize,
        column: Option<String>,
    },
    /// An input as a whole, or a part of it that has no line: a text input by the name its
    /// caller gave (`flows.csv`), a column of a table (`amount`), an object of an imported
    /// document (`OCF object sec-1`), the data of a fit (`data`), a document without a
    /// position (`scenario`).
    Input(String),
}

impl fmt::Display for Location {
    /// `rate`, `fund.fees.rate`, `flows.csv line 4, column amount`, `line 3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Parameter(name) => f.write_str(name),
            Location::Key(key) => f.write_str(key),
            Location::Input(name) => f.write_str(name),
            Location::Line {
                source,
                line,
                column,
            } => {
                if let Some(source) = source {
                    write!(f, "{source} ")?;
                }
                write!(f, "line {line}")?;
                if let Some(column) = column {
                    write!(f, ", column {column}")?;
                }
                Ok(())
            }
        }
    }
}

/// An input that a model cannot work with, with a message that says where and what is
/// wrong.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    /// A value is malformed or out of its allowed range, at `at`. Displayed as
    /// `{at}: {message}` (`rate: a rate must be above -100% ...`).
    #[error("{at}: {message}")]
    Invalid { at: Location, message: String },
    /// The question has no answer for this input (for example an IRR of cash flows that
    /// never change sign).
    #[error("{0}")]
    NoSolution(String),
}

impl Error {
    /// An [`Error::Invalid`] at `at`.
    pub fn invalid(at: Location, message: impl Into<String>) -> Self {
        Error::Invalid {
            at,
            message: message.into(),
        }
    }

    /// An invalid parameter `name` ([`Location::Parameter`], snake_case).
    pub fn param(name: impl Into<String>, message: impl Into<String>) -> Self {
        Error::invalid(Location::Parameter(name.into()), message)
    }

    /// An invalid value at the dotted document key `key` ([`Location::Key`]).
    pub fn key(key: impl Into<String>, message: impl Into<String>) -> Self {
        Error::invalid(Location::Key(key.into()), message)
    }

    /// A problem on line `line` of a text input named `source`, in CSV column `column`
    /// ([`Location::Line`]).
    pub fn line(
        source: Option<&str>,
        line: usize,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Error::invalid(
            Location::Line {
                source: source.map(str::to_string),
                line,
                column: column.map(str::to_string),
            },
            message,
        )
    }

    /// A problem with an input as a whole, or a part of it without a line
    /// ([`Location::Input`]).
    pub fn input(name: impl Into<String>, message: impl Into<String>) -> Self {
        Error::invalid(Location::Input(name.into()), message)
    }

    /// Where the problem is, for an [`Error::Invalid`].
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Invalid { at, .. } => Some(at),
            Error::NoSolution(_) => None,
        }
    }
}

/// Result alias used across the library.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_location_reads_as_the_messages_always_have() {
        let shown = |e: Error| e.to_string();
        assert_eq!(
            shown(Error::param("exit_values", "bad")),
            "exit_values: bad"
        );
        assert_eq!(
            shown(Error::key("fund.fees.rate", "bad")),
            "fund.fees.rate: bad"
        );
        assert_eq!(shown(Error::line(None, 3, None, "bad")), "line 3: bad");
        assert_eq!(
            shown(Error::line(Some("flows.csv"), 4, Some("amount"), "bad")),
            "flows.csv line 4, column amount: bad"
        );
        assert_eq!(shown(Error::input("flows.csv", "bad")), "flows.csv: bad");
        assert_eq!(
            Error::param("rate", "bad").location(),
            Some(&Location::Parameter("rate".into()))
        );
        assert_eq!(Error::NoSolution("none".into()).location(), None);
    }
}

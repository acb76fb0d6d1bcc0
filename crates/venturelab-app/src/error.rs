//! The application layer's error: bad input located by source, line, key or parameter, an
//! internal failure, or a cancelled run. Front ends render the location in their own words
//! ([`InputError::render`]: the CLI writes a parameter `exit_values` as `--exit-values`,
//! Python as `exit_values=`).

use std::fmt;

/// Where in the caller's input a problem is.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// Nowhere more precise than the source (or the request as a whole).
    Whole,
    /// A named field of the request, in snake_case (`funds`, `exit_values`).
    Parameter(String),
    /// A dotted key of a scenario (`fees.schedule.0.rate`).
    Key(String),
    /// A line of a text input, with the column where known (`line 3, column amount`).
    Line { line: usize, column: Option<String> },
    /// A location the model library described in words (e.g. `ocf si_bad`).
    Described(String),
}

/// Bad input: what is wrong and where.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file, preset or text the problem is in (`scenario.toml`, `preset essay`).
    pub source: Option<String>,
    pub place: Place,
    pub message: String,
}

impl InputError {
    /// An error in a named parameter of the request.
    pub fn parameter(name: &str, message: impl Into<String>) -> Self {
        InputError {
            source: None,
            place: Place::Parameter(name.to_string()),
            message: message.into(),
        }
    }

    /// An error about the request as a whole.
    pub fn whole(message: impl Into<String>) -> Self {
        InputError {
            source: None,
            place: Place::Whole,
            message: message.into(),
        }
    }

    /// An error in a file or other named source, with no finer location.
    pub fn in_source(source: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            source: Some(source.into()),
            place: Place::Whole,
            message: message.into(),
        }
    }

    /// The same error, attributed to `source` (kept if it already names one).
    pub fn within(mut self, source: &str) -> Self {
        if self.source.is_none() {
            self.source = Some(source.to_string());
        }
        self
    }

    /// One line for a person: `source line 3: message`, `source: key: message`,
    /// `parameter: message`, with parameters named by `parameter`.
    pub fn render(&self, parameter: &dyn Fn(&str) -> String) -> String {
        let place = match &self.place {
            Place::Whole => None,
            Place::Parameter(p) => Some(parameter(p)),
            Place::Key(k) => Some(k.clone()),
            Place::Described(d) => Some(d.clone()),
            Place::Line { line, column } => {
                let at = match column {
                    Some(c) => format!("line {line}, column {c}"),
                    None => format!("line {line}"),
                };
                // A line belongs to its file: `flows.csv line 3: ...`.
                return match &self.source {
                    Some(s) => format!("{s} {at}: {}", self.message),
                    None => format!("{at}: {}", self.message),
                };
            }
        };
        match (&self.source, place) {
            (Some(s), Some(p)) => format!("{s}: {p}: {}", self.message),
            (Some(s), None) => format!("{s}: {}", self.message),
            (None, Some(p)) => format!("{p}: {}", self.message),
            (None, None) => self.message.clone(),
        }
    }
}

/// Everything a request can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    /// The caller's input is wrong (the CLI's exit code 2, Python's `InputError`).
    Input(InputError),
    /// Something failed that is not the caller's fault (exit code 1): a bug, an I/O error
    /// while writing.
    Internal(String),
    /// The caller asked the run to stop ([`crate::progress::Observer::cancelled`]).
    Cancelled,
}

impl AppError {
    /// An error in a named parameter of the request.
    pub fn parameter(name: &str, message: impl Into<String>) -> Self {
        AppError::Input(InputError::parameter(name, message))
    }

    /// An error about the request as a whole.
    pub fn whole(message: impl Into<String>) -> Self {
        AppError::Input(InputError::whole(message))
    }

    /// An error in a named source with no finer location.
    pub fn in_source(source: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Input(InputError::in_source(source, message))
    }

    /// A failure that is not the caller's fault.
    pub fn internal<E: fmt::Display>(e: E) -> Self {
        AppError::Internal(e.to_string())
    }

    /// A library error about input from `source` (a file or preset).
    pub fn from_lib_in(source: &str, e: venturelab::Error) -> Self {
        match AppError::from(e) {
            AppError::Input(i) => AppError::Input(i.within(source)),
            other => other,
        }
    }

    /// The message in the CLI's words (parameters as `--flags`).
    pub fn render(&self, parameter: &dyn Fn(&str) -> String) -> String {
        match self {
            AppError::Input(i) => i.render(parameter),
            AppError::Internal(m) => format!("internal error: {m}"),
            AppError::Cancelled => "cancelled".to_string(),
        }
    }
}

/// A parameter as the CLI spells it: `exit_values` -> `--exit-values`.
pub fn flag(name: &str) -> String {
    format!("--{}", name.replace('_', "-"))
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&|p| p.to_string()))
    }
}

impl std::error::Error for AppError {}

impl From<InputError> for AppError {
    fn from(e: InputError) -> Self {
        AppError::Input(e)
    }
}

impl From<venturelab::Error> for AppError {
    fn from(e: venturelab::Error) -> Self {
        AppError::Input(lib_input(e))
    }
}

/// A library error as an [`InputError`]: its location as a place (a line keeps the
/// name of the input it is in as the source).
fn lib_input(e: venturelab::Error) -> InputError {
    use venturelab::error::Location;
    match e {
        venturelab::Error::Invalid { at, message } => {
            let (source, place) = match at {
                Location::Parameter(p) => (None, Place::Parameter(p)),
                Location::Key(k) => (None, Place::Key(k)),
                Location::Line {
                    source,
                    line,
                    column,
                } => (source, Place::Line { line, column }),
                Location::Input(name) => (None, Place::Described(name)),
            };
            InputError {
                source,
                place,
                message,
            }
        }
        venturelab::Error::NoSolution(m) => InputError::whole(m),
    }
}

/// Result alias of the application layer.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place() {
        let e = InputError {
            source: Some("flows.csv".into()),
            place: Place::Line {
                line: 3,
                column: Some("amount".into()),
            },
            message: "expected a number, got 'abc'".into(),
        };
        assert_eq!(
            e.render(&flag),
            "flows.csv line 3, column amount: expected a number, got 'abc'"
        );
        let e = InputError::parameter("exit_values", "expected at least one");
        assert_eq!(e.render(&flag), "--exit-values: expected at least one");
        let e = InputError {
            source: Some("preset essay".into()),
            place: Place::Key("fees.rate".into()),
            message: "expected a rate".into(),
        };
        assert_eq!(e.render(&flag), "preset essay: fees.rate: expected a rate");
    }
}

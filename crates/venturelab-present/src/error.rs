//! The presentation crate's error: drawing or serializing failed (never the user's input,
//! which the application layer has already checked).

use std::fmt;

/// A chart could not be drawn or a document serialized.
#[derive(Debug, Clone, PartialEq)]
pub struct PresentError(pub String);

impl PresentError {
    /// Wraps any displayable failure.
    pub fn new<E: fmt::Display>(e: E) -> Self {
        PresentError(e.to_string())
    }
}

impl fmt::Display for PresentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PresentError {}

/// Result alias of the presentation crate.
pub type PresentResult<T> = Result<T, PresentError>;

/// A file a report becomes: its name (no folders) and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct OutFile {
    pub name: String,
    pub contents: Vec<u8>,
}

impl OutFile {
    /// A text file (CSV, SVG, HTML, JSON).
    pub fn text(name: impl Into<String>, contents: String) -> Self {
        OutFile {
            name: name.into(),
            contents: contents.into_bytes(),
        }
    }
}

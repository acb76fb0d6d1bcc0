//! [`StoreError`]: what went wrong, with the database's path where there is one.

use std::fmt;
use std::path::PathBuf;

/// An error of the run store. `Display` names the database file and what is wrong with it,
/// in words a user can act on (`runs database /x/runs.sqlite: not a SQLite database ...`).
#[derive(Debug)]
pub enum StoreError {
    /// No run with this id (in [`crate::Store::get`] and [`crate::Store::delete`]).
    NotFound(i64),
    /// No saved scenario with this name.
    ScenarioNotFound(String),
    /// The file is not a SQLite database, or its pages are damaged. The file is left as it
    /// was: the store never overwrites it.
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What was found (the SQLite message, or the header that did not match).
        reason: String,
    },
    /// The database was written by a newer venturelab whose schema this build does not
    /// know. It is refused before anything is written.
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The schema version in the file (`PRAGMA user_version`).
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// A SQLite database of some other program (tables that are not the store's, and no
    /// schema version): refused rather than have the store's tables added to it.
    Foreign {
        /// The database file.
        path: PathBuf,
        /// The tables found in it.
        tables: Vec<String>,
    },
    /// A field of a [`crate::NewRun`] or scenario that cannot be stored.
    Invalid {
        /// The field (`result_json`, `model`, `name`).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The file system: the database's folder cannot be created, or the path is not
    /// usable; also when neither `XDG_DATA_HOME` nor `HOME` is set.
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Any other SQLite failure (a locked database past the busy timeout, a full disk).
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound(id) => write!(f, "no run with id {id}"),
            StoreError::ScenarioNotFound(name) => write!(f, "no saved scenario named {name:?}"),
            StoreError::Corrupt { path, reason } => write!(
                f,
                "runs database {}: not a usable SQLite database ({reason}); it was left \
                 untouched: move it aside or pass another --db",
                path.display()
            ),
            StoreError::NewerSchema {
                path,
                found,
                supported,
            } => write!(
                f,
                "runs database {}: schema version {found} was written by a newer venturelab \
                 (this one knows up to version {supported}); it was left untouched: upgrade \
                 venturelab or pass another --db",
                path.display()
            ),
            StoreError::Foreign { path, tables } => write!(
                f,
                "runs database {}: a SQLite database of another program (tables: {}); it was \
                 left untouched: pass another --db",
                path.display(),
                tables.join(", ")
            ),
            StoreError::Invalid { field, message } => write!(f, "{field}: {message}"),
            StoreError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            StoreError::Sqlite { path, source } => {
                write!(f, "runs database {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(source),
            StoreError::Sqlite { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Maps a SQLite error at `path`: damaged pages and "not a database" become
/// [`StoreError::Corrupt`], anything else [`StoreError::Sqlite`].
pub(crate) fn sqlite(path: &std::path::Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    if let rusqlite::Error::SqliteFailure(code, msg) = &e {
        if matches!(
            code.code,
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt
        ) {
            return StoreError::Corrupt {
                path: path.to_path_buf(),
                reason: msg.clone().unwrap_or_else(|| code.to_string()),
            };
        }
    }
    StoreError::Sqlite {
        path: path.to_path_buf(),
        source: e,
    }
}

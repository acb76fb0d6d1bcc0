//! venturelab's run store: every saved run and named scenario in one SQLite file, shared by
//! the CLI (`--save`, `venturelab runs`) and the web app (`venturelab serve`).
//!
//! Conventions:
//! - One file, by default [`Store::default_path`]
//!   (`$XDG_DATA_HOME/venturelab/runs.sqlite`, else `$HOME/.local/share/venturelab/runs.sqlite`).
//!   SQLite is compiled in (rusqlite's `bundled`): nothing to install.
//! - Concurrency: the file is in WAL mode and every connection waits up to
//!   [`BUSY_TIMEOUT`] for a lock, so several processes (servers, CLI runs) and threads may
//!   write at once and lose nothing. Every write is one `BEGIN IMMEDIATE` transaction: a
//!   process killed part-way leaves either the whole record or none of it.
//! - Faults: a file that is not SQLite, is damaged, belongs to another program or was
//!   written by a newer schema is refused with a [`StoreError`] naming the file, and is
//!   never written to (the checks come before the first write).
//! - Schema: versioned migrations in [`schema`], the version in `PRAGMA user_version`.
//! - A run's `version` is the venturelab version that saved it: [`VERSION`], this crate's
//!   version, which is the workspace's (every venturelab crate shares one version).
//! - Times are RFC 3339 in UTC with milliseconds (`2026-12-07T16:43:07.123Z`), taken from
//!   SQLite's clock at the write.
//! - [`Store`] is `Send + Sync`: one connection behind a mutex, so a server can share one
//!   `Arc<Store>` between its tasks (each call holds the lock for one statement or
//!   transaction).
//!
//! The store knows nothing of the models: a run is a model name, the scenario's TOML text,
//! the request's other parameters and the report's JSON text, as the front end gives them.

mod diff;
mod error;
pub mod schema;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

pub use diff::{diff, ArrayDiff, NumberDiff, RunDiff, ValueDiff, LONG_ARRAY};
pub use error::StoreError;

/// The venturelab version stamped on every saved run and scenario.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How long a write waits for another process's lock before it fails with
/// [`StoreError::Sqlite`] (SQLite's `SQLITE_BUSY`).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// SQLite's clock as RFC 3339 UTC with milliseconds.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// A run to save: what a front end knows after a command succeeded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRun {
    /// The command, as the CLI spells it: `"fund simulate"`, `"market experiment"`, `"fit"`.
    pub model: String,
    /// A name the user gave the run (`--save NAME`), if any.
    pub name: Option<String>,
    /// The scenario as given: a preset's TOML text or the file's text (the input data for
    /// `fit`); empty when the command ran on its built-in default.
    pub scenario_toml: String,
    /// The seed, for commands that draw random numbers.
    pub seed: Option<u64>,
    /// The request's other inputs as a JSON object (flags such as `funds`, `runs`,
    /// `experiment`, as strings or numbers); empty text means none (stored as `{}`).
    pub params_json: String,
    /// The command's JSON report: exactly what `--json` prints. Must be valid JSON.
    pub result_json: String,
}

/// A saved run, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// Its id: positive, increasing in the order runs were saved, never reused.
    pub id: i64,
    /// See [`NewRun::model`].
    pub model: String,
    /// See [`NewRun::name`].
    pub name: Option<String>,
    /// See [`NewRun::scenario_toml`].
    pub scenario_toml: String,
    /// See [`NewRun::seed`].
    pub seed: Option<u64>,
    /// See [`NewRun::params_json`] (`{}` when none were given).
    pub params_json: String,
    /// The venturelab version that saved it ([`VERSION`] of that build).
    pub version: String,
    /// See [`NewRun::result_json`].
    pub result_json: String,
    /// When it was saved, RFC 3339 UTC (`2026-12-07T16:43:07.123Z`).
    pub created_at: String,
}

/// A run without its texts, for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    /// See [`Run::id`].
    pub id: i64,
    /// See [`Run::model`].
    pub model: String,
    /// See [`Run::name`].
    pub name: Option<String>,
    /// See [`Run::seed`].
    pub seed: Option<u64>,
    /// See [`Run::version`].
    pub version: String,
    /// See [`Run::created_at`].
    pub created_at: String,
}

/// A saved named scenario (the web app's "save scenario"): saving a name again replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// Its name, the key (unique).
    pub name: String,
    /// The command it is for, as in [`NewRun::model`].
    pub model: String,
    /// The scenario's TOML text.
    pub scenario_toml: String,
    /// The venturelab version that last saved it.
    pub version: String,
    /// When it was first saved, RFC 3339 UTC.
    pub created_at: String,
    /// When it was last saved, RFC 3339 UTC.
    pub updated_at: String,
}

/// A saved scenario without its text, for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioSummary {
    /// See [`Scenario::name`].
    pub name: String,
    /// See [`Scenario::model`].
    pub model: String,
    /// See [`Scenario::updated_at`].
    pub updated_at: String,
}

/// Whether `e` is SQLite's "database is busy/locked", the one failure of an open worth
/// retrying.
fn is_busy(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Sqlite {
            source: rusqlite::Error::SqliteFailure(f, _),
            ..
        } if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// One open run database.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens the database at `path`, creating it and its parent folders when absent: WAL
    /// mode, [`BUSY_TIMEOUT`], and the schema brought up to [`schema::SCHEMA_VERSION`].
    ///
    /// Refuses, without writing a byte: a file that is not SQLite or is damaged
    /// ([`StoreError::Corrupt`]), one with a newer schema ([`StoreError::NewerSchema`]),
    /// and a SQLite file of another program ([`StoreError::Foreign`]).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let io = |p: &Path, e: std::io::Error| StoreError::Io {
            path: p.to_path_buf(),
            source: e,
        };
        check_header(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        // SQLite answers SQLITE_BUSY at once, without calling the busy handler, in a few
        // places that several processes opening one new file race through: switching the
        // journal to WAL, and the first read of a WAL file another connection is still
        // setting up. Those are transient, so the whole open is retried until the same
        // BUSY_TIMEOUT that every other lock wait gets.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        let mut pause = Duration::from_millis(5);
        loop {
            match Store::open_once(path) {
                Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(200));
                }
                other => return other,
            }
        }
    }

    /// One attempt of [`Store::open`] on a file whose header was checked.
    fn open_once(path: &Path) -> Result<Store, StoreError> {
        let sql = |e| error::sqlite(path, e);
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // Reads only, before anything is written: the schema version, and the tables
        // (reading the schema detects damaged pages behind a valid header).
        let found = schema::user_version(&conn).map_err(sql)?;
        if found > schema::SCHEMA_VERSION {
            return Err(newer(path, found));
        }
        let tables = table_names(&conn).map_err(sql)?;
        if found == 0 {
            let foreign: Vec<String> = tables
                .iter()
                .filter(|t| !schema::OWN_TABLES.contains(&t.as_str()))
                .cloned()
                .collect();
            if !foreign.is_empty() {
                return Err(StoreError::Foreign {
                    path: path.to_path_buf(),
                    tables: foreign,
                });
            }
        }
        // The file is ours (or new): WAL mode persists in the file, then migrate.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other(format!(
                    "SQLite cannot use WAL mode for this file (it stays in {mode} mode); \
                     put the database on a local file system"
                )),
            });
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        if let Err(found) = schema::migrate(&mut conn).map_err(sql)? {
            return Err(newer(path, found));
        }
        Ok(Store {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// Where the database lives by default: `$XDG_DATA_HOME/venturelab/runs.sqlite`, else
    /// `$HOME/.local/share/venturelab/runs.sqlite` (the XDG base directory rule: an unset
    /// or relative `XDG_DATA_HOME` is ignored). [`StoreError::Io`] when neither is set.
    pub fn default_path() -> Result<PathBuf, StoreError> {
        let xdg = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from);
        let base = match xdg.filter(|p| p.is_absolute()) {
            Some(p) => p,
            None => match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
                Some(home) => PathBuf::from(home).join(".local").join("share"),
                None => {
                    return Err(StoreError::Io {
                        path: PathBuf::from("$HOME"),
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "neither XDG_DATA_HOME nor HOME is set; pass --db PATH",
                        ),
                    })
                }
            },
        };
        Ok(base.join("venturelab").join("runs.sqlite"))
    }

    /// The database file this store opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Saves a run in one transaction and returns its id. The run is stamped with
    /// [`VERSION`] and the current time. [`StoreError::Invalid`] when `model` is empty or
    /// `result_json` or `params_json` is not JSON (`params_json` must be an object).
    pub fn save(&self, run: &NewRun) -> Result<i64, StoreError> {
        if run.model.trim().is_empty() {
            return Err(invalid("model", "must not be empty"));
        }
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&run.result_json) {
            return Err(invalid("result_json", format!("not JSON: {e}")));
        }
        let params = if run.params_json.trim().is_empty() {
            "{}"
        } else {
            match serde_json::from_str::<serde_json::Value>(&run.params_json) {
                Ok(serde_json::Value::Object(_)) => run.params_json.as_str(),
                Ok(_) => return Err(invalid("params_json", "must be a JSON object")),
                Err(e) => return Err(invalid("params_json", format!("not JSON: {e}"))),
            }
        };
        let mut conn = self.lock();
        let sql = |e| error::sqlite(&self.path, e);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        tx.execute(
            &format!(
                "INSERT INTO runs (model, name, scenario_toml, seed, params_json, version, \
                 result_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})"
            ),
            params![
                run.model,
                run.name,
                run.scenario_toml,
                run.seed.map(|s| s.to_string()),
                params,
                VERSION,
                run.result_json
            ],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(sql)?;
        Ok(id)
    }

    /// Every run without its texts, newest first (by id, which follows the order of the
    /// saves even when two share a millisecond).
    pub fn list(&self) -> Result<Vec<RunSummary>, StoreError> {
        let conn = self.lock();
        let sql = |e| error::sqlite(&self.path, e);
        let mut stmt = conn
            .prepare("SELECT id, model, name, seed, version, created_at FROM runs ORDER BY id DESC")
            .map_err(sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(RunSummary {
                    id: r.get(0)?,
                    model: r.get(1)?,
                    name: r.get(2)?,
                    seed: seed_column(r, 3)?,
                    version: r.get(4)?,
                    created_at: r.get(5)?,
                })
            })
            .map_err(sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(sql)
    }

    /// The run with this id; [`StoreError::NotFound`] when there is none.
    pub fn get(&self, id: i64) -> Result<Run, StoreError> {
        let conn = self.lock();
        conn.query_row(
            "SELECT id, model, name, scenario_toml, seed, params_json, version, result_json, \
             created_at FROM runs WHERE id = ?1",
            [id],
            |r| {
                Ok(Run {
                    id: r.get(0)?,
                    model: r.get(1)?,
                    name: r.get(2)?,
                    scenario_toml: r.get(3)?,
                    seed: seed_column(r, 4)?,
                    params_json: r.get(5)?,
                    version: r.get(6)?,
                    result_json: r.get(7)?,
                    created_at: r.get(8)?,
                })
            },
        )
        .optional()
        .map_err(|e| error::sqlite(&self.path, e))?
        .ok_or(StoreError::NotFound(id))
    }

    /// Deletes the run with this id; [`StoreError::NotFound`] when there is none.
    pub fn delete(&self, id: i64) -> Result<(), StoreError> {
        let conn = self.lock();
        let n = conn
            .execute("DELETE FROM runs WHERE id = ?1", [id])
            .map_err(|e| error::sqlite(&self.path, e))?;
        if n == 0 {
            return Err(StoreError::NotFound(id));
        }
        Ok(())
    }

    /// Saves a named scenario, replacing one of the same name (its `created_at` kept).
    /// [`StoreError::Invalid`] when `name` or `model` is empty.
    pub fn save_scenario(&self, name: &str, model: &str, toml: &str) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Err(invalid("name", "must not be empty"));
        }
        if model.trim().is_empty() {
            return Err(invalid("model", "must not be empty"));
        }
        let conn = self.lock();
        conn.execute(
            &format!(
                "INSERT INTO scenarios (name, model, scenario_toml, version, created_at, \
                 updated_at) VALUES (?1, ?2, ?3, ?4, {NOW}, {NOW}) ON CONFLICT(name) DO UPDATE \
                 SET model = excluded.model, scenario_toml = excluded.scenario_toml, \
                 version = excluded.version, updated_at = excluded.updated_at"
            ),
            params![name, model, toml, VERSION],
        )
        .map_err(|e| error::sqlite(&self.path, e))?;
        Ok(())
    }

    /// Every saved scenario without its text, by name.
    pub fn list_scenarios(&self) -> Result<Vec<ScenarioSummary>, StoreError> {
        let conn = self.lock();
        let sql = |e| error::sqlite(&self.path, e);
        let mut stmt = conn
            .prepare("SELECT name, model, updated_at FROM scenarios ORDER BY name")
            .map_err(sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ScenarioSummary {
                    name: r.get(0)?,
                    model: r.get(1)?,
                    updated_at: r.get(2)?,
                })
            })
            .map_err(sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(sql)
    }

    /// The saved scenario of this name; [`StoreError::ScenarioNotFound`] when there is none.
    pub fn get_scenario(&self, name: &str) -> Result<Scenario, StoreError> {
        let conn = self.lock();
        conn.query_row(
            "SELECT name, model, scenario_toml, version, created_at, updated_at FROM scenarios \
             WHERE name = ?1",
            [name],
            |r| {
                Ok(Scenario {
                    name: r.get(0)?,
                    model: r.get(1)?,
                    scenario_toml: r.get(2)?,
                    version: r.get(3)?,
                    created_at: r.get(4)?,
                    updated_at: r.get(5)?,
                })
            },
        )
        .optional()
        .map_err(|e| error::sqlite(&self.path, e))?
        .ok_or_else(|| StoreError::ScenarioNotFound(name.to_string()))
    }

    /// Deletes the saved scenario of this name; [`StoreError::ScenarioNotFound`] when there
    /// is none.
    pub fn delete_scenario(&self, name: &str) -> Result<(), StoreError> {
        let conn = self.lock();
        let n = conn
            .execute("DELETE FROM scenarios WHERE name = ?1", [name])
            .map_err(|e| error::sqlite(&self.path, e))?;
        if n == 0 {
            return Err(StoreError::ScenarioNotFound(name.to_string()));
        }
        Ok(())
    }

    /// The connection; a panic in another thread while it held the lock does not poison
    /// the store (SQLite rolled back whatever that thread had not committed).
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Refuses a non-empty file that does not start with SQLite's header, reading it only.
fn check_header(path: &Path) -> Result<(), StoreError> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: e,
            })
        }
    };
    let mut head = Vec::with_capacity(16);
    (&mut file)
        .take(16)
        .read_to_end(&mut head)
        .map_err(|e| StoreError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
    if head.is_empty() || head.as_slice() == SQLITE_HEADER {
        return Ok(());
    }
    Err(StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: "the file does not start with SQLite's header".to_string(),
    })
}

fn table_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

fn seed_column(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<u64>> {
    let text: Option<String> = row.get(i)?;
    text.map(|t| {
        t.parse::<u64>().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    })
    .transpose()
}

fn newer(path: &Path, found: i64) -> StoreError {
    StoreError::NewerSchema {
        path: path.to_path_buf(),
        found,
        supported: schema::SCHEMA_VERSION,
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

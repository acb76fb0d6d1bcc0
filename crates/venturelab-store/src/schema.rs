//! The schema and its versioned migrations.
//!
//! Convention: the schema version is SQLite's `PRAGMA user_version` (0 in a new file).
//! [`MIGRATIONS`]`[i]` takes the schema from version `i` to `i + 1`; a migration is only
//! ever appended, never edited once released. `migrate` applies the missing steps in one
//! `BEGIN IMMEDIATE` transaction and records the new version in it, so a crash part-way
//! leaves the old version whole and two processes opening a new file at once migrate it
//! once.

use rusqlite::{Connection, TransactionBehavior};

/// The SQL of each migration step, in order: step `i` takes version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: runs and saved scenarios. A seed is a u64, stored as its decimal text (SQLite's
    // INTEGER is signed 64-bit). AUTOINCREMENT: an id is never reused after a delete, so
    // a link to a deleted run never opens another one.
    "CREATE TABLE runs (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        model         TEXT NOT NULL,
        name          TEXT,
        scenario_toml TEXT NOT NULL,
        seed          TEXT,
        params_json   TEXT NOT NULL DEFAULT '{}',
        version       TEXT NOT NULL,
        result_json   TEXT NOT NULL,
        created_at    TEXT NOT NULL
    );
    CREATE TABLE scenarios (
        name          TEXT PRIMARY KEY,
        model         TEXT NOT NULL,
        scenario_toml TEXT NOT NULL,
        version       TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );",
];

/// The newest schema version this build knows: the number of migrations.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The tables the store creates (any other table in a version-0 file means the file
/// belongs to another program). `sqlite_sequence` is SQLite's own, for AUTOINCREMENT.
pub(crate) const OWN_TABLES: &[&str] = &["runs", "scenarios", "sqlite_sequence"];

/// The schema version recorded in the file.
pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies the migrations the file lacks, in one transaction, re-reading the version
/// inside it (another process may have migrated in the meantime). Returns the version
/// found inside the transaction, so that the caller can refuse a newer one (the
/// transaction is then rolled back with nothing written).
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<Result<(), i64>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = user_version(&tx)?;
    if found > SCHEMA_VERSION {
        return Ok(Err(found));
    }
    if found == SCHEMA_VERSION {
        return Ok(Ok(()));
    }
    for step in &MIGRATIONS[found as usize..] {
        tx.execute_batch(step)?;
    }
    // PRAGMA takes no parameters; the value is our own constant.
    tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    tx.commit()?;
    Ok(Ok(()))
}

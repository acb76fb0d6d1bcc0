//! The output conventions every command shares: a table on stdout by default, exactly one
//! JSON document with `--json`, and files under `--out DIR` written atomically (temporary
//! file, then rename) without overwriting existing files unless `--force`.

use std::fs;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use crate::error::{CliError, CliResult};

/// Flags shared by every command that produces results.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Print exactly one JSON document on stdout instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// Also write the data (JSON, CSV) and charts (SVG) into this directory.
    #[arg(long, value_name = "DIR", global = true)]
    pub out: Option<PathBuf>,
    /// Overwrite files that already exist in the output directory.
    #[arg(long, global = true)]
    pub force: bool,
}

/// A file a command wants written under `--out`.
pub struct OutFile {
    pub name: String,
    pub contents: Vec<u8>,
}

/// What a command produced: the JSON document, the human-readable text, and files.
pub struct Outcome {
    pub json: Value,
    pub text: String,
    pub files: Vec<OutFile>,
}

impl Outcome {
    pub fn new(json: Value, text: String) -> Self {
        Outcome {
            json,
            text,
            files: Vec::new(),
        }
    }
}

/// Prints the outcome and writes its files, following the conventions above.
/// A result as a JSON object, stamped with the venturelab version every JSON output carries.
pub fn versioned_json<T: serde::Serialize>(result: &T) -> CliResult<Value> {
    let mut j = serde_json::to_value(result).map_err(CliError::internal)?;
    j["version"] = Value::from(venturelab::VERSION);
    Ok(j)
}

pub fn emit(args: &OutputArgs, command: &str, outcome: Outcome) -> CliResult<()> {
    if let Some(dir) = &args.out {
        let mut files = outcome.files;
        if !files.iter().any(|f| f.name.ends_with(".json")) {
            let json = serde_json::to_vec_pretty(&outcome.json).map_err(CliError::internal)?;
            files.push(OutFile {
                name: format!("{command}.json"),
                contents: json,
            });
        }
        write_files(dir, &files, args.force)?;
    }
    let mut stdout = std::io::stdout().lock();
    let text = if args.json {
        serde_json::to_string_pretty(&outcome.json).map_err(CliError::internal)? + "\n"
    } else {
        outcome.text
    };
    // A closed pipe (`venturelab ... | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    Ok(())
}

/// Writes every file into `dir` atomically. Checks all names first, so that a refusal to
/// overwrite leaves nothing half-written.
pub fn write_files(dir: &Path, files: &[OutFile], force: bool) -> CliResult<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::input(format!(
            "--out {}: exists and is not a directory",
            dir.display()
        )));
    }
    if !force {
        if let Some(f) = files.iter().find(|f| dir.join(&f.name).exists()) {
            return Err(CliError::input(format!(
                "{}: already exists; pass --force to overwrite it",
                dir.join(&f.name).display()
            )));
        }
    }
    fs::create_dir_all(dir)
        .map_err(|e| CliError::Internal(format!("cannot create {}: {e}", dir.display())))?;
    for f in files {
        write_atomic(&dir.join(&f.name), &f.contents)?;
    }
    Ok(())
}

/// Writes `path` through a temporary file in the same directory, then renames it into
/// place, so a reader never sees a partial file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> CliResult<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail =
        |e: std::io::Error| CliError::Internal(format!("cannot write {}: {e}", path.display()));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    tmp.write_all(contents).map_err(fail)?;
    // NamedTempFile is created private (0600); a report is meant to be shared.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Reads a whole input file, or stdin for `-`. Errors name the file.
pub fn read_input(path: &Path) -> CliResult<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| CliError::input(format!("stdin: {e}")))?;
        return Ok(s);
    }
    fs::read_to_string(path)
        .map_err(|e| CliError::input(format!("{}: cannot read: {e}", path.display())))
}

/// True when a progress bar may be drawn: stderr is a terminal.
pub fn interactive() -> bool {
    std::io::stderr().is_terminal()
}

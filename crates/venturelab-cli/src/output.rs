//! The output conventions every command shares: a table on stdout by default, exactly one
//! JSON document with `--json`, and files under `--out DIR` written atomically (temporary
//! file, then rename) without overwriting existing files unless `--force`.

use std::fs;
use std::io::Write;
use std::path::Path;

use clap::Args;
use serde_json::Value;
use venturelab_present::OutFile;

use crate::error::{CliError, CliResult};

/// Flags shared by every command that produces results, listed under their own heading in
/// `--help`, apart from the command's own flags.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Output options (every command)")]
pub struct OutputArgs {
    /// Print exactly one JSON document on stdout instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// Also write the data (JSON, CSV) and charts (SVG) into this directory.
    #[arg(long, value_name = "DIR", global = true)]
    pub out: Option<std::path::PathBuf>,
    /// Overwrite files that already exist in the output directory.
    #[arg(long, global = true)]
    pub force: bool,
    /// Keep this run in the run history (`venturelab runs list`), named NAME if given, in
    /// the database of --db. Put it after a scenario file, or write --save=NAME.
    #[arg(
        long,
        value_name = "NAME",
        global = true,
        num_args = 0..=1,
        default_missing_value = ""
    )]
    pub save: Option<String>,
    /// The run to keep, made from `save` once the command line is parsed (`main`).
    #[arg(skip)]
    pub record: Option<std::sync::Arc<crate::runs::Record>>,
}

/// What a command produced: the JSON document (the report serialized), the text, and
/// files for `--out` (and a `--plot` file to write elsewhere).
pub struct Outcome {
    pub json: Value,
    pub text: String,
    pub files: Vec<OutFile>,
    /// A chart the user asked for at a path of their own (`--plot FILE.svg`).
    pub plot: Option<(std::path::PathBuf, String)>,
}

impl Outcome {
    /// A report's JSON and its text.
    pub fn of<T: serde::Serialize>(report: &T, text: String) -> CliResult<Self> {
        Ok(Outcome {
            json: venturelab_app::to_json(report)?,
            text,
            files: Vec::new(),
            plot: None,
        })
    }

    /// The same outcome with the files `make` draws, when `--out` will write them.
    pub fn with_files(
        mut self,
        wanted: bool,
        make: impl FnOnce() -> venturelab_present::PresentResult<Vec<OutFile>>,
    ) -> CliResult<Self> {
        if wanted {
            self.files = make()?;
        }
        Ok(self)
    }
}

/// Writes the outcome's files, then prints it, following the conventions above. A
/// refusal (a file exists) happens before anything is written; the `--out` folder gets
/// the whole run or nothing (`publish`).
pub fn emit(args: &OutputArgs, command: &str, outcome: Outcome) -> CliResult<()> {
    if let Some((path, _)) = &outcome.plot {
        if !args.force && path.exists() {
            return Err(CliError::input(format!(
                "{}: already exists; pass --force to overwrite it",
                path.display()
            )));
        }
    }
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
        // On stderr, so that stdout stays the table or the one JSON document.
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        eprintln!("{}", wrote_line(dir, &names));
    }
    if let Some((path, svg)) = &outcome.plot {
        write_atomic(path, svg.as_bytes(), args.force)?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(record) = &args.record {
        record.save(&outcome.json)?;
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

/// The line that tells which files a run wrote: `wrote 3 files to runs/: a.json, b.csv, c.svg`.
pub fn wrote_line(dir: &Path, names: &[&str]) -> String {
    let plural = if names.len() == 1 { "" } else { "s" };
    format!(
        "wrote {} file{plural} to {}: {}",
        names.len(),
        dir.display(),
        names.join(", ")
    )
}

/// Writes every file into `dir`, whole or not at all.
pub fn write_files(dir: &Path, files: &[OutFile], force: bool) -> CliResult<()> {
    let named: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.name.clone(), f.contents.clone()))
        .collect();
    crate::publish::publish(dir, &named, force)
}

/// Writes `path` through a temporary file in the same directory, then renames it into
/// place, so a reader never sees a partial file; an existing file is replaced only with
/// `force`, and never in a race without it.
pub fn write_atomic(path: &Path, contents: &[u8], force: bool) -> CliResult<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| crate::publish::io_error("write", path, e);
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
    if force {
        tmp.persist(path).map_err(|e| fail(e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                CliError::input(format!(
                    "{}: already exists; pass --force to overwrite it",
                    path.display()
                ))
            } else {
                fail(e.error)
            }
        })?;
    }
    Ok(())
}

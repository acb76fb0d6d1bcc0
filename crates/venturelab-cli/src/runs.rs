//! The run history: `--save [NAME]` on any command keeps the run in the run store
//! (`venturelab-store`, the SQLite file of `--db`), and `venturelab runs` lists, shows,
//! compares, deletes and exports what was kept.
//!
//! A saved run holds the command (`fund simulate`), the scenario as given (a preset's TOML
//! text, a file's text; `fit`'s data; empty when the command ran on its built-in default
//! or read standard input), the seed, the other flags given on the command line
//! (`params`, as text), and the command's JSON report, the document `--json` prints.

use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{ArgMatches, Subcommand};
use serde_json::{json, Map, Value};
use venturelab_present::table;
use venturelab_present::OutFile;
use venturelab_store::{NewRun, Run, RunDiff, Store, StoreError, ValueDiff};

use crate::error::{CliError, CliResult};
use crate::output::Outcome;

/// Flags that say how to print or where to keep a run, not what it computes: left out of
/// a run's `params`. `threads` never changes a result.
const NOT_PARAMS: &[&str] = &["json", "out", "force", "save", "db", "seed", "threads"];

/// The store's errors are the user's to fix (another --db, a run id): exit 2.
pub fn store_error(e: StoreError) -> CliError {
    CliError::input(e.to_string())
}

/// Opens `--db`, or the default database.
pub fn open(db: Option<&Path>) -> CliResult<Store> {
    let path = match db {
        Some(p) => p.to_path_buf(),
        None => Store::default_path().map_err(store_error)?,
    };
    Store::open(&path).map_err(store_error)
}

/// A run to keep once the command has succeeded: the database is opened (and refused if
/// unusable) and the scenario read before the command runs.
#[derive(Debug)]
pub struct Record {
    store: Store,
    run: NewRun,
}

impl Record {
    /// The record of the command `matches` (parsed by `root`) describes, saved under
    /// `name` (empty: none).
    pub fn new(
        root: &clap::Command,
        matches: &ArgMatches,
        db: Option<&Path>,
        name: &str,
    ) -> CliResult<Record> {
        let mut words = Vec::new();
        let mut leaf = matches;
        let mut command = root;
        while let Some((word, sub)) = leaf.subcommand() {
            words.push(word);
            leaf = sub;
            command = command
                .find_subcommand(word)
                .ok_or_else(|| CliError::internal(format!("no subcommand {word}")))?;
        }
        // The leaf's arguments (its matches also name argument groups).
        let args: Vec<&str> = command
            .get_arguments()
            .map(|a| a.get_id().as_str())
            .collect();
        let model = words.join(" ");
        if matches!(words.first(), Some(&"runs") | Some(&"presets")) {
            return Err(CliError::input(format!(
                "--save: `venturelab {model}` is not a run to keep"
            )));
        }
        let path = |id: &str| leaf.try_get_one::<PathBuf>(id).ok().flatten().cloned();
        let preset = leaf.try_get_one::<String>("preset").ok().flatten();
        let scenario_toml = match (path("scenario").or_else(|| path("file")), preset) {
            // Standard input cannot be read twice: the run keeps no scenario text.
            (Some(p), _) if p.as_os_str() == "-" => String::new(),
            (Some(p), _) => venturelab_app::source::read_text(&p)?,
            (None, Some(name)) => {
                let area = words.first().copied().unwrap_or_default();
                venturelab_app::presets::preset_text(area, name)
                    .unwrap_or_default()
                    .to_string()
            }
            (None, None) => match path("ocf").filter(|p| p.is_file()) {
                Some(p) => venturelab_app::source::read_text(&p)?,
                None => String::new(),
            },
        };
        let seed = leaf.try_get_one::<u64>("seed").ok().flatten().copied();
        let mut params = Map::new();
        for id in leaf.ids() {
            let id = id.as_str();
            let given = matches!(
                leaf.value_source(id),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            );
            if !given || NOT_PARAMS.contains(&id) || !args.contains(&id) {
                continue;
            }
            let values: Vec<String> = leaf
                .get_raw(id)
                .into_iter()
                .flatten()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let value = match values.as_slice() {
                [] => Value::Bool(true),
                [one] => Value::String(one.clone()),
                many => Value::from(many.to_vec()),
            };
            params.insert(id.to_string(), value);
        }
        Ok(Record {
            store: open(db)?,
            run: NewRun {
                model,
                name: Some(name.to_string()).filter(|n| !n.is_empty()),
                scenario_toml,
                seed,
                params_json: Value::Object(params).to_string(),
                result_json: String::new(),
            },
        })
    }

    /// Saves the run with its JSON report; says so on stderr.
    pub fn save(&self, report: &Value) -> CliResult<()> {
        let run = NewRun {
            result_json: report.to_string(),
            ..self.run.clone()
        };
        let id = self.store.save(&run).map_err(store_error)?;
        eprintln!("saved run {id} to {}", self.store.path().display());
        Ok(())
    }
}

/// `venturelab runs`: the run history in the database of `--db`.
#[derive(Debug, Subcommand)]
pub enum RunsCmd {
    /// Every saved run, newest first.
    List,
    /// One run: its command, seed, flags, scenario and JSON report.
    Show {
        /// The run's id (`venturelab runs list` shows them).
        id: i64,
    },
    /// What differs between two runs: inputs, flags and headline numbers.
    Diff {
        /// The first run's id.
        a: i64,
        /// The second run's id.
        b: i64,
    },
    /// Delete a run.
    Rm {
        /// The run's id.
        id: i64,
    },
    /// Write a run's scenario, report and details as files (into --out DIR, default
    /// run-ID).
    Export {
        /// The run's id.
        id: i64,
    },
}

impl RunsCmd {
    /// The command's name, for the JSON file `--out` writes.
    pub fn name(&self) -> &'static str {
        match self {
            RunsCmd::List => "runs_list",
            RunsCmd::Show { .. } => "runs_show",
            RunsCmd::Diff { .. } => "runs_diff",
            RunsCmd::Rm { .. } => "runs_rm",
            RunsCmd::Export { .. } => "runs_export",
        }
    }
}

/// Runs one `runs` subcommand against the database.
pub fn run(cmd: &RunsCmd, store: &Store) -> CliResult<Outcome> {
    let store_error = |e: StoreError| match e {
        StoreError::NotFound(_) => CliError::input(format!("{e} in {}", store.path().display())),
        e => store_error(e),
    };
    let get = |id: i64| store.get(id).map_err(store_error);
    match cmd {
        RunsCmd::List => {
            let runs = store.list().map_err(store_error)?;
            let rows: Vec<Vec<String>> = runs
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.created_at.clone(),
                        r.model.clone(),
                        r.name.clone().unwrap_or_default(),
                        r.seed.map(|s| s.to_string()).unwrap_or_default(),
                        r.version.clone(),
                    ]
                })
                .collect();
            let text = if runs.is_empty() {
                format!("no saved runs in {}\n", store.path().display())
            } else {
                table::render(
                    &["id", "saved", "command", "name", "seed", "version"],
                    &rows,
                )
            };
            Outcome::of(&json!({ "runs": runs }), text)
        }
        RunsCmd::Show { id } => {
            let run = get(*id)?;
            let text = show_text(&run);
            Outcome::of(&run_json(&run, true), text)
        }
        RunsCmd::Diff { a, b } => {
            let d = venturelab_store::diff(&get(*a)?, &get(*b)?);
            let text = diff_text(&d);
            Outcome::of(&d, text)
        }
        RunsCmd::Rm { id } => {
            store.delete(*id).map_err(store_error)?;
            Outcome::of(
                &json!({ "deleted": id }),
                format!("deleted run {id} from {}\n", store.path().display()),
            )
        }
        RunsCmd::Export { id } => {
            let run = get(*id)?;
            let scenario = if run.model == "fit" {
                "data.txt"
            } else {
                "scenario.toml"
            };
            let result: Value = serde_json::from_str(&run.result_json).unwrap_or(Value::Null);
            let pretty = |v: &Value| serde_json::to_vec_pretty(v).map_err(CliError::internal);
            let files = vec![
                OutFile {
                    name: scenario.to_string(),
                    contents: run.scenario_toml.clone().into_bytes(),
                },
                OutFile {
                    name: "result.json".to_string(),
                    contents: pretty(&result)?,
                },
                OutFile {
                    name: "run.json".to_string(),
                    contents: pretty(&run_json(&run, false))?,
                },
            ];
            let mut out = Outcome::of(&run_json(&run, false), summary_line(&run))?;
            out.files = files;
            Ok(out)
        }
    }
}

/// The run as JSON: its fields, `params` parsed, and `result` parsed when `with_result`.
fn run_json(run: &Run, with_result: bool) -> Value {
    let mut v = json!({
        "id": run.id,
        "model": run.model,
        "name": run.name,
        "seed": run.seed,
        "params": serde_json::from_str::<Value>(&run.params_json).unwrap_or(Value::Null),
        "version": run.version,
        "created_at": run.created_at,
    });
    if with_result {
        v["scenario_toml"] = Value::String(run.scenario_toml.clone());
        v["result"] = serde_json::from_str(&run.result_json).unwrap_or(Value::Null);
    }
    v
}

fn summary_line(run: &Run) -> String {
    let name = run
        .name
        .as_deref()
        .map(|n| format!(" \"{n}\""))
        .unwrap_or_default();
    let seed = run.seed.map(|s| format!(", seed {s}")).unwrap_or_default();
    format!(
        "run {}{name}: {}{seed}, saved {} by venturelab {}\n",
        run.id, run.model, run.created_at, run.version
    )
}

fn show_text(run: &Run) -> String {
    let mut out = summary_line(run);
    if run.params_json != "{}" {
        out.push_str(&format!("flags: {}\n", run.params_json));
    }
    if run.scenario_toml.is_empty() {
        out.push_str("scenario: (the built-in default, or standard input)\n");
    } else {
        out.push_str("scenario:\n");
        for line in run.scenario_toml.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    let result: Value = serde_json::from_str(&run.result_json).unwrap_or(Value::Null);
    out.push_str("result (the command's JSON):\n");
    out.push_str(&serde_json::to_string_pretty(&result).unwrap_or_default());
    out.push('\n');
    out
}

fn shown(v: &Option<Value>) -> String {
    match v {
        None => "(missing)".to_string(),
        Some(Value::Null) => "(none)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn value_rows(title: &str, diffs: &[ValueDiff], out: &mut String) {
    if diffs.is_empty() {
        return;
    }
    let rows: Vec<Vec<String>> = diffs
        .iter()
        .map(|d| vec![d.key.clone(), shown(&d.a), shown(&d.b)])
        .collect();
    out.push_str(&format!("\n{title}\n"));
    out.push_str(&table::render(&["key", "a", "b"], &rows));
}

fn diff_text(d: &RunDiff) -> String {
    let mut out = format!("run {} (a) against run {} (b)\n", d.a, d.b);
    if d.is_empty() {
        out.push_str("no differences\n");
        return out;
    }
    value_rows("runs", &d.meta, &mut out);
    value_rows("inputs (scenario keys)", &d.inputs, &mut out);
    value_rows("flags", &d.params, &mut out);
    if !d.numbers.is_empty() {
        let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or("(missing)".into());
        let rows: Vec<Vec<String>> = d
            .numbers
            .iter()
            .map(|n| {
                vec![
                    n.path.clone(),
                    num(n.a),
                    num(n.b),
                    n.relative
                        .map(|r| format!("{:+.2}%", 100.0 * r))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        out.push_str("\nnumbers\n");
        out.push_str(&table::render(&["path", "a", "b", "change"], &rows));
    }
    if !d.arrays.is_empty() {
        let rows: Vec<Vec<String>> = d
            .arrays
            .iter()
            .map(|s| {
                vec![
                    s.path.clone(),
                    format!("{} of {}", s.differing, s.compared),
                    format!("{} / {}", s.only_in_a, s.only_in_b),
                    s.max_abs_change.to_string(),
                ]
            })
            .collect();
        out.push_str("\nlong arrays (summarised)\n");
        out.push_str(&table::render(
            &["path", "differ", "only in a / b", "largest change"],
            &rows,
        ));
    }
    value_rows("texts", &d.texts, &mut out);
    out
}

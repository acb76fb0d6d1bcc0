//! One module per command area: clap arguments mapped to application requests, their
//! reports to an [`Outcome`] (the report's JSON, its text and its files).

pub mod captable;
pub mod cashflow;
pub mod company;
pub mod financing;
pub mod fit;
pub mod fund;
pub mod lp;
pub mod market;

use std::path::PathBuf;

use clap::Args;
use venturelab_app::{RunSpec, Source};

use crate::error::CliResult;
use crate::output::Outcome;

/// Scenario selection, seed and threads, shared by every simulating command.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// A scenario file (TOML); the presets in presets/*.toml show the format.
    pub scenario: Option<PathBuf>,
    /// A built-in scenario instead of a file (`venturelab presets` lists them).
    #[arg(long, conflicts_with = "scenario")]
    pub preset: Option<String>,
    /// Seed of every random draw (results are identical for any --threads).
    #[arg(long, default_value_t = venturelab_app::DEFAULT_SEED)]
    pub seed: u64,
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
    #[arg(long)]
    pub threads: Option<usize>,
}

impl ScenarioArgs {
    /// The request's scenario, seed and threads (with a note on stderr when --threads
    /// asks for more than the limit).
    pub fn spec(&self) -> RunSpec {
        let spec = RunSpec {
            scenario: match (&self.scenario, &self.preset) {
                (Some(p), _) => Some(Source::Path(p.clone())),
                (None, Some(name)) => Some(Source::Preset(name.clone())),
                (None, None) => None,
            },
            seed: self.seed,
            threads: self.threads,
        };
        if let Some(note) = spec.thread_note() {
            eprintln!("note: {note}");
        }
        spec
    }
}

/// `venturelab presets`: every built-in scenario with its description and sources.
/// The values of a `sweep`: `--values A,B,C` as given, or `--range A..B` split into
/// `--points` values (clap refuses both at once; neither is an input error here).
pub fn sweep_values(
    values: &Option<crate::args::Values>,
    range: &Option<String>,
    points: usize,
) -> CliResult<Vec<f64>> {
    match (values, range) {
        (Some(crate::args::Values(v)), None) => Ok(v.clone()),
        (None, Some(r)) => Ok(venturelab_app::explore::range_values(r, points)?),
        _ => Err(crate::error::CliError::input(
            "give --values A,B,C or --range A..B",
        )),
    }
}

pub fn presets() -> CliResult<Outcome> {
    let r = venturelab_app::presets::presets();
    Outcome::of(&r, venturelab_present::presets::presets_text(&r))
}

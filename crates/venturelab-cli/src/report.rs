//! `venturelab report`: the whole argument on built-in defaults, as one self-contained HTML
//! page. The application layer runs the models, the presentation crate draws the page;
//! this module maps the flags and writes the files.

use std::path::PathBuf;

use clap::Args;
use venturelab_app::report::{run as run_report, ReportRequest};
use venturelab_app::Data;

use crate::error::CliResult;
use crate::output::{write_files, wrote_line};
use crate::progress::Bar;

/// `venturelab report` flags.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Directory to write index.html (and report.json) into.
    #[arg(long, value_name = "DIR", default_value = "report")]
    pub out: PathBuf,
    /// Overwrite an existing report.
    #[arg(long)]
    pub force: bool,
    /// A smaller, faster run (fewer simulations) for a first look.
    #[arg(long)]
    pub quick: bool,
    /// Fit this data file (one value per line) in the heavy-tail section instead of the
    /// simulator's own outcomes.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Seed for every random quantity in the report.
    #[arg(long, default_value_t = venturelab_app::DEFAULT_SEED)]
    pub seed: u64,
}

/// Builds the report and writes `index.html` and `report.json`; returns what to tell the user.
pub fn run(args: &ReportArgs) -> CliResult<String> {
    let data = run_report(
        &ReportRequest {
            seed: args.seed,
            quick: args.quick,
            data: args.data.clone().map(Data::Path),
        },
        &Bar::new(),
    )?;
    let files = venturelab_present::report::render(&data)?;
    write_files(&args.out, &files, args.force)?;
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    Ok(format!("{}\n", wrote_line(&args.out, &names)))
}

//! `venturelab captable FILE` and `venturelab waterfall FILE --exit V`.

use std::path::PathBuf;

use clap::Args;
use venturelab_app::captable::{self as app, CapTableSource, Waterfall};
use venturelab_app::Data;
use venturelab_present::captable as present;

use crate::args;
use crate::error::{CliError, CliResult};
use crate::output::Outcome;

#[derive(Debug, Args)]
pub struct CapTableArgs {
    /// The cap-table file (TOML; see docs/models/captable.md).
    #[arg(required_unless_present = "ocf")]
    pub file: Option<PathBuf>,
    /// Read an Open Cap Format export instead: one .ocf.json file or a folder of them.
    #[arg(long, conflicts_with = "file")]
    pub ocf: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WaterfallArgs {
    /// The cap-table file (TOML).
    pub file: PathBuf,
    /// Exit value (overrides the file's exit event): 50M.
    #[arg(long, value_parser = args::money)]
    pub exit: Option<f64>,
    /// Sweep exit values A..B and chart each holder's payout.
    #[arg(long)]
    pub sweep: Option<String>,
    /// Points in the sweep.
    #[arg(long, default_value_t = 200)]
    pub points: usize,
    /// SVG file for the sweep chart.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

/// `venturelab captable FILE` or `venturelab captable --ocf PATH`.
pub fn captable(a: &CapTableArgs) -> CliResult<Outcome> {
    let source = match (&a.file, &a.ocf) {
        (_, Some(o)) => CapTableSource::OcfPath(o.clone()),
        (Some(p), None) => CapTableSource::Toml(Data::Path(p.clone())),
        (None, None) => return Err(CliError::input("give a cap-table file or --ocf PATH")),
    };
    let r = app::cap_table(&source)?;
    Outcome::of(&r, present::cap_table_text(&r))
}

/// `venturelab waterfall FILE --exit V`.
pub fn waterfall(a: &WaterfallArgs) -> CliResult<Outcome> {
    let req = Waterfall {
        source: CapTableSource::Toml(Data::Path(a.file.clone())),
        exit: a.exit,
        sweep: a.sweep.as_deref().map(app::parse_sweep).transpose()?,
        points: a.points,
    };
    let r = app::waterfall(&req)?;
    let mut outcome = Outcome::of(&r, present::waterfall_text(&r))?;
    if let Some(path) = &a.plot {
        if let Some(svg) = present::payout_chart(&r)? {
            outcome.plot = Some((path.clone(), svg));
        }
    }
    Ok(outcome)
}

//! `venturelab fit FILE`: is it a power law? Clauset-Shalizi-Newman, with the
//! alternatives and the bootstrap.

use std::path::PathBuf;

use clap::Args;
use venturelab_app::fit::{self as app, Fit, Kind, XminChoice};
use venturelab_app::Data;
use venturelab_present::fit as present;

use crate::error::{CliError, CliResult};
use crate::output::Outcome;
use crate::progress::Bar;

#[derive(Debug, Args)]
pub struct FitArgs {
    /// Data: one value per line (`#` comments and blank lines allowed), `-` for stdin.
    pub file: PathBuf,
    /// Treat the data as integers (default when every value is a whole number).
    #[arg(long, conflicts_with = "continuous")]
    pub discrete: bool,
    /// Treat the data as continuous.
    #[arg(long)]
    pub continuous: bool,
    /// The file holds `value<TAB>count` lines (a header line allowed).
    #[arg(long)]
    pub histogram: bool,
    /// Multiply every value by this factor first (units).
    #[arg(long)]
    pub scale: Option<f64>,
    /// Use this xmin instead of scanning.
    #[arg(long, conflicts_with = "xmin_range")]
    pub xmin: Option<f64>,
    /// Scan only xmin candidates in A..B.
    #[arg(long)]
    pub xmin_range: Option<String>,
    /// Continuous KS distance: `lower` (F_n just below each value), `upper` (at or below)
    /// or `two-sided` (both; reproduces CSN's published xmins, docs/models/dist.md).
    #[arg(
        long,
        default_value = "two-sided",
        value_name = "lower|upper|two-sided"
    )]
    pub ks: String,
    /// Bootstrap replicates for the goodness-of-fit p-value and the uncertainty of xmin
    /// and alpha (CSN use 1000 or more).
    #[arg(long, default_value_t = 0)]
    pub bootstrap: usize,
    /// Seed of the bootstrap's random numbers (same seed, same p-value and uncertainties).
    #[arg(long, default_value_t = venturelab_app::DEFAULT_SEED)]
    pub seed: u64,
    /// Alternatives to compare: a comma-separated list or `all`, `none`.
    #[arg(long, default_value = "all")]
    pub compare: String,
    /// Write a log-log CCDF of the data with the fits to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Worker threads for the bootstrap.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Runs `venturelab fit`.
pub fn run(args: &FitArgs) -> CliResult<Outcome> {
    let xmin = match (args.xmin, &args.xmin_range) {
        (Some(x), _) => XminChoice::Fixed(x),
        (None, Some(r)) => app::parse_xmin_range(r)?,
        (None, None) => XminChoice::Scan,
    };
    let req = Fit {
        data: Data::Path(args.file.clone()),
        histogram: args.histogram,
        kind: if args.discrete {
            Some(Kind::Discrete)
        } else if args.continuous {
            Some(Kind::Continuous)
        } else {
            None
        },
        scale: args.scale,
        xmin,
        ks: app::parse_ks(&args.ks)?,
        bootstrap: args.bootstrap,
        seed: args.seed,
        compare: app::parse_compare(&args.compare)?,
        threads: args.threads,
    };
    if let Some(note) = venturelab_app::limits::threads(args.threads).1 {
        eprintln!("note: {note}");
    }
    let r = app::fit(&req, &Bar::new())?;
    let mut outcome = Outcome::of(&r, present::fit_text(&r))?;
    if let Some(path) = &args.plot {
        let curves = r
            .curves
            .as_ref()
            .ok_or_else(|| CliError::Internal("the fit has no curves".into()))?;
        outcome.plot = Some((path.clone(), present::ccdf_plot(curves)?));
    }
    Ok(outcome)
}

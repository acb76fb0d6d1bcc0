//! `venturelab serve`: the flags of the local web app; `venturelab-web` does the rest.

use std::path::PathBuf;

use clap::Args;
use venturelab_web::ServeOptions;

use crate::error::{CliError, CliResult};

/// `venturelab serve` flags.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// Address to listen on; anything but loopback prints a warning (the app has no login).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Open the app in the system's browser.
    #[arg(long)]
    pub open: bool,
    /// Seconds one request may run before it is stopped.
    #[arg(long, default_value_t = 60)]
    pub time_limit: u64,
}

/// Runs the server until the process is stopped; `db` is the global `--db` (the run store
/// the pages save to and list, shared with `--save` and `venturelab runs`).
pub fn run(a: &ServeArgs, db: Option<PathBuf>) -> CliResult<()> {
    if a.time_limit == 0 {
        return Err(CliError::input("--time-limit: expected at least 1 second"));
    }
    venturelab_web::serve(ServeOptions {
        host: a.host.clone(),
        port: a.port,
        db,
        open: a.open,
        time_limit: std::time::Duration::from_secs(a.time_limit),
    })
    .map_err(CliError::input)
}

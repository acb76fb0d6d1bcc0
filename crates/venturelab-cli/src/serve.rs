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
    /// The run store (default: $XDG_DATA_HOME/venturelab/runs.sqlite).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Open the app in the system's browser.
    #[arg(long)]
    pub open: bool,
    /// Seconds one request may run before it is stopped.
    #[arg(long, default_value_t = 60)]
    pub time_limit: u64,
}

/// Runs the server until the process is stopped.
pub fn run(a: &ServeArgs) -> CliResult<()> {
    if a.time_limit == 0 {
        return Err(CliError::input("--time-limit: expected at least 1 second"));
    }
    venturelab_web::serve(ServeOptions {
        host: a.host.clone(),
        port: a.port,
        db: a.db.clone(),
        open: a.open,
        time_limit: std::time::Duration::from_secs(a.time_limit),
    })
    .map_err(CliError::input)
}

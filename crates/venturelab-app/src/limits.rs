//! How much a request may ask for on this machine: memory estimated before anything is
//! allocated, thread counts, input sizes and the counts no front end can usefully show.
//! A request over a limit fails with an error that names the parameter, the estimate
//! and the limit (`--runs 4294967296 would need about 1.5 TB; ...`), never an abort.
//!
//! The estimates are bytes per unit of work measured on the presets (peak resident
//! memory of whole runs at two sizes, `/usr/bin/time -v`; docs/limits.md), rounded up.

use crate::error::{AppError, AppResult};

/// Worker threads allowed per core: more only adds scheduling (results are identical
/// for any thread count).
pub const THREADS_PER_CORE: usize = 4;

/// Share of the machine's memory a run may plan to use.
const MEMORY_SHARE: f64 = 0.8;

/// The most bytes of one text input read into memory.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// The most values a sweep runs (each a full simulation).
pub const MAX_SWEEP_VALUES: usize = 10_000;

/// The most exit values of a waterfall sweep.
pub const MAX_WATERFALL_POINTS: usize = 1_000_000;

/// The machine's memory in bytes (`MemTotal` of /proc/meminfo; 8 GiB where unknown).
/// `VENTURELAB_MEMORY_BYTES` overrides it (tests of the limits use a small value).
pub fn machine_memory() -> u64 {
    if let Some(v) = std::env::var("VENTURELAB_MEMORY_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return v;
    }
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb * 1024)
        .unwrap_or(8 << 30)
}

/// Bytes in words: `1.5 TB`, `240 MB`.
pub fn bytes(b: f64) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut x = b;
    let mut i = 0;
    while x >= 1000.0 && i + 1 < units.len() {
        x /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{x:.0} {}", units[0])
    } else {
        format!("{x:.1} {}", units[i])
    }
}

/// Refuses a request whose estimated memory exceeds the limit, naming the key `key` of
/// the scenario `source` (a count a scenario sets, such as `market.startups_per_quarter`).
pub fn check_memory_at_key(
    source: &str,
    key: &str,
    value: impl std::fmt::Display,
    estimate: f64,
) -> AppResult<()> {
    match check_memory(key, value, estimate) {
        Err(AppError::Input(mut e)) => {
            e.source = Some(source.to_string());
            e.place = crate::error::Place::Key(key.to_string());
            Err(AppError::Input(e))
        }
        other => other,
    }
}

/// Refuses a request whose estimated memory exceeds the limit, naming `parameter`.
pub fn check_memory(
    parameter: &str,
    value: impl std::fmt::Display,
    estimate: f64,
) -> AppResult<()> {
    let machine = machine_memory() as f64;
    let limit = MEMORY_SHARE * machine;
    if estimate.is_finite() && estimate <= limit {
        return Ok(());
    }
    Err(AppError::parameter(
        parameter,
        format!(
            "{value} would need about {}; this machine has {} (a run may plan {:.0}% of it)",
            bytes(estimate),
            bytes(machine),
            100.0 * MEMORY_SHARE
        ),
    ))
}

/// The cores of this machine.
pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The thread count a request runs on: at most [`THREADS_PER_CORE`] per core, at least
/// one; with a note when the request asked for more.
pub fn threads(asked: Option<usize>) -> (Option<usize>, Option<String>) {
    match asked {
        None => (None, None),
        Some(n) => {
            let most = THREADS_PER_CORE * cores();
            if n > most {
                (
                    Some(most),
                    Some(format!(
                        "threads: {n} is more than {THREADS_PER_CORE} per core; using {most} (the results are the same for any number)"
                    )),
                )
            } else {
                (Some(n.max(1)), None)
            }
        }
    }
}

/// The threads that will run at once (for per-thread memory).
pub fn effective_threads(asked: Option<usize>) -> f64 {
    threads(asked).0.unwrap_or_else(cores) as f64
}

/// `fund simulate`: 48 bytes a fund (rows or tallies), 240 with per-fund detail (rows, DPI
/// by year and the CSV text).
pub fn fund_bytes(funds: usize, detail: bool) -> f64 {
    16e6 + funds as f64 * if detail { 240.0 } else { 48.0 }
}

/// `company simulate`: 250 bytes a run (450 with per-run detail), plus the monthly
/// metrics of the first 5,000 runs at 56 bytes a month each.
pub fn company_bytes(runs: usize, months: u32, detail: bool) -> f64 {
    16e6 + runs as f64 * if detail { 450.0 } else { 250.0 }
        + runs.min(5_000) as f64 * months as f64 * 56.0
}

/// `market simulate` (and each condition of an experiment): per running thread, the
/// startups alive (60 bytes each, up to every birth of the run), and per run 2 kB of
/// series a quarter.
pub fn market_bytes(runs: usize, quarters: u32, startups_per_quarter: f64, threads: f64) -> f64 {
    market_parts(runs, quarters, startups_per_quarter, 0.0, threads)
        .iter()
        .sum()
}

/// Bytes a fund of a market run keeps (its record and its share of the deal log), an
/// upper estimate.
pub const MARKET_FUND_BYTES: f64 = 200.0;

/// The parts of a market run's memory: the fixed part, the startups alive per running
/// thread, the funds raised per running thread (at most `funds_per_quarter` a quarter,
/// [`MARKET_FUND_BYTES`] each), and the per-run series.
pub fn market_parts(
    runs: usize,
    quarters: u32,
    startups_per_quarter: f64,
    funds_per_quarter: f64,
    threads: f64,
) -> [f64; 4] {
    let q = quarters as f64;
    let running = threads.min(runs as f64);
    [
        16e6,
        running * q * startups_per_quarter * 60.0,
        running * q * funds_per_quarter * MARKET_FUND_BYTES,
        runs as f64 * q * 2e3,
    ]
}

/// `fit --bootstrap`: 64 bytes a replicate, and a resampled copy of the data per thread.
pub fn bootstrap_bytes(replicates: usize, distinct: usize, threads: f64) -> f64 {
    16e6 + replicates as f64 * 64.0 + threads * distinct as f64 * 32.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_sizes() {
        assert_eq!(bytes(512.0), "512 bytes");
        assert_eq!(bytes(1.5e12), "1.5 TB");
        assert_eq!(bytes(240e6), "240.0 MB");
    }

    #[test]
    fn estimates_match_the_measured_runs() {
        // Peak RSS measured on this kind of machine (docs/limits.md): 10M funds 408 MB;
        // 1M funds with --out 240 MB; company 10,000 runs x 1,200 months 339 MB;
        // market 10 runs x 400 quarters on 2 threads 103 MB. Each estimate is within
        // 0.8x..1.6x of the measurement (an estimate may err on the safe side).
        for (est, measured) in [
            (fund_bytes(10_000_000, false), 408e6),
            (fund_bytes(1_000_000, true), 240e6),
            (company_bytes(10_000, 1_200, false), 339e6),
            (market_bytes(10, 400, 2000.0, 2.0), 103e6),
        ] {
            assert!(
                est > 0.8 * measured && est < 1.6 * measured,
                "{est} vs {measured}"
            );
        }
    }

    #[test]
    fn thread_counts_are_capped() {
        let (n, note) = threads(Some(100_000));
        assert_eq!(n, Some(THREADS_PER_CORE * cores()));
        assert!(note.unwrap().contains("100000"));
        assert_eq!(threads(Some(1)), (Some(1), None));
        assert_eq!(threads(Some(0)).0, Some(1));
    }
}

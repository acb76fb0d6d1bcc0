//! What every simulating request shares: the scenario, the seed and the thread count.

use venturelab::par::with_threads;

use crate::source::Source;

/// Scenario, seed and threads of a simulating request.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    /// The scenario; `None` takes the area's default preset where it has one (market).
    pub scenario: Option<Source>,
    /// Seed of every random draw: the same seed gives the same bits for any thread count.
    pub seed: u64,
    /// Worker threads (`None`: all cores, or `RAYON_NUM_THREADS`).
    pub threads: Option<usize>,
}

impl RunSpec {
    /// The scenario `source` with the default seed and all cores.
    pub fn of(source: Source) -> Self {
        RunSpec {
            scenario: Some(source),
            seed: venturelab::rng::DEFAULT_SEED,
            threads: None,
        }
    }

    /// Runs `f` on this request's number of threads (the whole request, summaries
    /// included, so that `threads` bounds it), at most [`crate::limits::THREADS_PER_CORE`]
    /// per core.
    pub fn pooled<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        with_threads(crate::limits::threads(self.threads).0, f)
    }

    /// A note for the user when `threads` asks for more than the limit.
    pub fn thread_note(&self) -> Option<String> {
        crate::limits::threads(self.threads).1
    }
}

/// A count that must be at least one (`funds`, `runs`, `months`), named as a parameter.
pub(crate) fn at_least_one(name: &str, n: u64, unit: &str) -> crate::AppResult<()> {
    if n == 0 {
        return Err(crate::AppError::parameter(
            name,
            format!("expected at least 1 {unit}"),
        ));
    }
    Ok(())
}

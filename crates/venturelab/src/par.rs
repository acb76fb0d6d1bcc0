//! Deterministic parallelism: results in index order, reductions done serially.
//!
//! Work is split into fixed-size chunks that do not depend on the number of threads, each
//! chunk is computed independently (with its own keyed random streams) and the chunk
//! results are combined in index order on one thread. Floating-point sums therefore add
//! in the same order whatever `--threads` says, and results are bit-identical.

use rayon::prelude::*;

/// Runs `f` inside a rayon pool of `threads` threads (`None`: rayon's default, which
/// honours `RAYON_NUM_THREADS`).
pub fn with_threads<R: Send>(threads: Option<usize>, f: impl FnOnce() -> R + Send) -> R {
    match threads {
        None => f(),
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(f),
            // Could not start threads: run on the current thread; results are the same.
            Err(_) => f(),
        },
    }
}

/// `a()` and `b()` computed at the same time (each may itself run in parallel); the
/// results do not depend on how they are scheduled, since every computation here keys its
/// random streams by what it computes, not by thread.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}

/// `f(0), f(1), ..., f(n-1)` computed in parallel, returned in index order.
pub fn map_indexed<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    (0..n).into_par_iter().map(f).collect()
}

/// Splits `0..n` into chunks of `chunk` indices, computes `f(range)` for each in parallel
/// and folds the results in chunk order with `combine`.
pub fn fold_chunks<T: Send>(
    n: usize,
    chunk: usize,
    f: impl Fn(std::ops::Range<usize>) -> T + Sync + Send,
    init: T,
    combine: impl FnMut(T, T) -> T,
) -> T {
    let chunk = chunk.max(1);
    let chunks = n.div_ceil(chunk);
    let parts: Vec<T> = (0..chunks)
        .into_par_iter()
        .map(|c| f(c * chunk..((c + 1) * chunk).min(n)))
        .collect();
    parts.into_iter().fold(init, combine)
}

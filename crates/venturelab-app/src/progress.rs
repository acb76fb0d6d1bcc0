//! Progress and cancellation: how a long request tells its front end how far it is, and how
//! the front end asks it to stop. The CLI draws an indicatif bar; the web app streams
//! events; Python shows nothing or a notebook bar.

use std::sync::atomic::{AtomicBool, Ordering};

/// Receives a request's progress. Every method has a do-nothing default.
///
/// A request calls [`Observer::start`] (or [`Observer::spinner`]) once, then
/// [`Observer::advance`] as units of work finish (from any thread), then
/// [`Observer::finish`].
pub trait Observer: Sync {
    /// `total` units of `unit` (`funds`, `runs`, `bootstrap`) are about to be done.
    fn start(&self, _total: u64, _unit: &str) {}
    /// Work of unknown length (a root search) has begun.
    fn spinner(&self, _what: &str) {}
    /// The work moved on to a named part (a section of the report): a front end shows the
    /// name beside the count.
    fn stage(&self, _name: &str) {}
    /// `n` more units are done.
    fn advance(&self, _n: u64) {}
    /// The work grew to `total` units (a fund run repeated because a quantile fell outside
    /// its bracket); `message` says why.
    fn grow(&self, _total: u64, _message: &str) {}
    /// The work is over (done, failed or cancelled).
    fn finish(&self) {}
    /// Whether the caller asks the work to stop. A request checks it between its steps
    /// (each value of a sweep, each trial of a solve, each condition of an experiment,
    /// each run of a batch before it starts) and then returns
    /// [`crate::AppError::Cancelled`].
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that shows nothing and never cancels.
pub struct Silent;

impl Observer for Silent {}

/// A cancellation flag another thread can set (a web request that went away, Ctrl-C).
#[derive(Debug, Default)]
pub struct CancelFlag(AtomicBool);

impl CancelFlag {
    /// Asks the work to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`CancelFlag::cancel`] was called.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Calls `f` with the observer's `advance` as the library's progress callback, between
/// `start` and `finish`, and reports [`crate::AppError::Cancelled`] when cancellation was
/// asked before or during the work.
pub(crate) fn observed<T>(
    obs: &dyn Observer,
    total: u64,
    unit: &str,
    f: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T,
) -> crate::AppResult<T> {
    if obs.cancelled() {
        return Err(crate::AppError::Cancelled);
    }
    obs.start(total, unit);
    let out = f(&|n| obs.advance(n));
    obs.finish();
    if obs.cancelled() {
        return Err(crate::AppError::Cancelled);
    }
    Ok(out)
}

/// Returns [`crate::AppError::Cancelled`] if the observer asks to stop.
pub(crate) fn check(obs: &dyn Observer) -> crate::AppResult<()> {
    if obs.cancelled() {
        Err(crate::AppError::Cancelled)
    } else {
        Ok(())
    }
}

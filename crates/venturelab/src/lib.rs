//! venturelab: the structural economics of the tech market, computable.
//!
//! Every model lives here as plain data types and pure functions: no printing and no file
//! I/O beyond parsing from a `&str` or `Read`. The `venturelab` binary (crate
//! `venturelab-cli`) is a thin layer of argument parsing and rendering on top.
//!
//! Modules, one per domain (they do not import each other's internals):
//! - [`money`]: cash-flow math (NPV, IRR, XIRR, annuities), fund metrics, public-market
//!   equivalents and the European distribution waterfall.
//! - [`dist`]: heavy-tailed distributions (sampling by inverse CDF), the power-law fit of
//!   Clauset, Shalizi & Newman with its alternatives and bootstrap.
//! - [`fund`]: the venture fund Monte Carlo, with solve and sweep.
//! - [`captable`]: share classes, SAFEs, notes, priced rounds, the exit waterfall, Open
//!   Cap Format import, and the cost of revenue-based financing and venture debt.
//! - [`company`]: one startup month by month through the valley of death, and the
//!   deterministic default-alive calculation.
//! - [`market`]: the venture market as agents, quarter by quarter, and its experiments.
//!
//! Shared pieces:
//! - [`stats`]: the summary of a measure ([`stats::Stat`]), quantiles, mean and sd.
//! - [`scenario`]: parsing of money amounts (`250k`, `10M`) and rates (`0.08`, `"8%"`),
//!   and TOML errors as a [`error::Location`].
//! - [`rng`]: reproducible random streams keyed by (seed, entity, purpose).
//! - [`par`]: deterministic parallel map (results independent of the thread count).
//! - [`presets`]: the built-in scenarios (`presets/*.toml`).
//! - [`error`]: the error type, with the [`error::Location`] of a bad input.
//!
//! Engine internals (vector kernels, large buffers, quantile tallies) are crate-private.

pub(crate) mod buffer;
pub mod captable;
pub mod company;
pub mod dist;
pub mod error;
pub mod fund;
pub mod market;
pub mod money;
pub mod par;
pub mod presets;
pub mod rng;
pub mod scenario;
pub mod stats;
pub(crate) mod vector;

pub use error::{Error, Result};

/// Engine internals that the benchmark examples (`examples/fund_stages.rs`,
/// `examples/common/rng_bound.rs`) time on their own. Not part of the API: hidden from
/// the documentation, and free to change with the engine.
#[doc(hidden)]
pub mod bench {
    /// Funds the block kernel simulates side by side.
    pub use crate::fund::block::LANES;
    /// [`crate::vector::run`]: a closure compiled for the CPU's widest vector unit.
    pub use crate::vector::run as vector_run;

    /// The block kernel alone on funds `0 .. funds` of `model` with `seed`, block after
    /// block on this thread, no summary; returns a sum of the rows' values so that the
    /// work cannot be optimised away. `None` unless the model is plain
    /// ([`crate::fund::FundModel::is_plain`]).
    pub fn kernel_alone(model: &crate::fund::FundModel, seed: u64, funds: usize) -> Option<f64> {
        use crate::fund::block::{BlockScratch, DpiColumns, PlainFund};
        use crate::fund::sim::FundRow;
        let plain = PlainFund::new(model)?;
        let mut columns = vec![vec![0.0f32; LANES]; plain.years()];
        let mut scratch = BlockScratch::default();
        let mut rows = [FundRow::default(); LANES];
        let mut check = 0.0;
        for first in (0..funds).step_by(LANES) {
            let mut refs: Vec<&mut [f32]> = columns.iter_mut().map(|c| &mut c[..]).collect();
            let dpi = DpiColumns {
                columns: &mut refs,
                at: 0,
            };
            plain.simulate(seed, first as u64, &mut scratch, &mut rows, dpi, None);
            check += rows[0].net_irr + rows[0].gross_multiple;
        }
        Some(check)
    }
}

/// The library version, echoed in every JSON result so a run can be reproduced.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The unit tests' allocator: the system's, counting each thread's allocations, so that a
/// test can check that a hot path does not allocate ([`test_alloc::count`]).
#[cfg(test)]
pub(crate) mod test_alloc {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    }

    struct Counting;

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;

    /// Runs `f` and returns its result with the allocations this thread made during it.
    pub(crate) fn count<R>(f: impl FnOnce() -> R) -> (R, usize) {
        let before = ALLOCATIONS.with(Cell::get);
        let r = f();
        (r, ALLOCATIONS.with(Cell::get) - before)
    }
}

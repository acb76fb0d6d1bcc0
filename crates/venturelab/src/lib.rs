//! venturelab: the structural economics of the tech market, computable.
//!
//! Every model lives here as plain data types and pure functions: no printing and no file
//! I/O beyond parsing from a `&str` or `Read`. The `venturelab` binary (crate
//! `venturelab-cli`) is a thin layer of argument parsing and rendering on top.
//!
//! Modules:
//! - [`money`]: cash-flow math (NPV, IRR, XIRR, annuities), fund metrics, public-market
//!   equivalents and the European distribution waterfall.
//! - [`rng`]: reproducible random streams keyed by (seed, entity, purpose).
//! - [`par`]: deterministic parallel map (results independent of the thread count).
//! - [`vector`]: hot kernels compiled for the CPU's vector unit, chosen at run time.
//! - [`scenario`]: parsing of money amounts (`250k`, `10M`) and rates (`0.08`, `"8%"`).

pub mod buffer;
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
pub mod vector;

pub use error::{Error, Result};

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

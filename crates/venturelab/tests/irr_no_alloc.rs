//! `money::irr` must not allocate per call once its thread's scratch buffers have grown:
//! callers solve many series in a loop (and the fund simulator's `yearly_irr_lanes` hands
//! it the rare series it cannot solve itself; that function's own no-allocation test is a
//! unit test beside it). A counting global allocator (this test binary only) checks it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn irr_does_not_allocate_after_warm_up() {
    // One sign change, and several sign changes with one running-sum change (a J-curve
    // with a late capital call): both fast paths.
    let conventional = [
        -20.0, -25.0, -20.0, -13.0, -5.0, 5.0, 20.0, 35.0, 40.0, 30.0, 55.0,
    ];
    let late_call = [
        -20.0, -25.0, 10.0, -13.0, 15.0, -5.0, 20.0, 35.0, 40.0, 30.0, 55.0,
    ];
    // Warm-up: the thread's scratch buffers grow once.
    venturelab::money::irr(&conventional).unwrap();
    venturelab::money::irr(&late_call).unwrap();
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let mut acc = 0.0;
    for _ in 0..1000 {
        acc += venturelab::money::irr(&conventional).unwrap();
        acc += venturelab::money::irr(&late_call).unwrap();
    }
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    assert!(acc.is_finite());
    assert_eq!(
        after - before,
        0,
        "irr allocated {} times in 2000 calls",
        after - before
    );
}

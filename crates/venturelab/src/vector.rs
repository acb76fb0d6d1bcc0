//! Hot kernels compiled for the vector unit the CPU has, chosen once at run time.
//!
//! The release build targets baseline x86-64 (SSE2), so that the binary runs anywhere; the
//! fund simulator's inner loops (written as short loops over lanes) run several times
//! faster with AVX-512 or AVX2. [`run`] calls a kernel through a copy compiled with the
//! best of those the CPU has.
//!
//! Results do not depend on the copy that runs: Rust never fuses a multiply and an add
//! into one rounding and never reorders floating-point arithmetic, and vector
//! instructions round each lane exactly as the scalar ones do. So every copy gives
//! bit-identical numbers (tested by running the simulator with `VENTURELAB_SIMD=off`,
//! which forces the baseline copy, and `VENTURELAB_SIMD=avx2`).

use std::sync::OnceLock;

/// The instruction sets a kernel may be compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Whatever the build targets (SSE2 on x86-64).
    Baseline,
    /// AVX2 (x86-64, 2013 onwards).
    Avx2,
    /// AVX-512 F/DQ/VL (x86-64 servers, 2017 onwards).
    Avx512,
}

/// The level [`run`] uses: the best the CPU has, or a lower one named by the environment
/// variable `VENTURELAB_SIMD` (`off` for the baseline, `avx2` for AVX2 where the CPU has
/// it), for comparing the copies.
pub fn level() -> Level {
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        let best = detect();
        match std::env::var("VENTURELAB_SIMD").as_deref() {
            Ok("off") => Level::Baseline,
            Ok("avx2") if best != Level::Baseline => Level::Avx2,
            _ => best,
        }
    })
}

fn detect() -> Level {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        // Every feature a copy is compiled with must be present.
        let avx2 = has!("avx2") && has!("bmi2") && has!("popcnt");
        if avx2 && has!("avx512f") && has!("avx512dq") && has!("avx512vl") {
            return Level::Avx512;
        }
        if avx2 {
            return Level::Avx2;
        }
    }
    Level::Baseline
}

/// Runs `kernel` compiled for `level()`. The closure must be marked
/// `#[inline(always)]` (and so must the functions it calls that matter for speed): only
/// code inlined into the copy is compiled for the wider instructions.
#[inline(always)]
pub fn run<R>(kernel: impl FnOnce() -> R) -> R {
    match level() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `level` returns these only when the CPU has the features.
        Level::Avx512 => unsafe { avx512(kernel) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Level::Avx2 => unsafe { avx2(kernel) },
        _ => kernel(),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,bmi2,popcnt")]
unsafe fn avx512<R>(kernel: impl FnOnce() -> R) -> R {
    kernel()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi2,popcnt")]
unsafe fn avx2<R>(kernel: impl FnOnce() -> R) -> R {
    kernel()
}

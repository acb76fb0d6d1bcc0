//! The bound set by random-number generation alone, shared by the fund benchmarks: the
//! fund simulator's per-fund streams (Xoshiro256++), seeded and stepped in blocks of
//! `LANES` funds exactly as the block kernel does, `draws` uniforms per fund converted as
//! the kernel converts them, summed and nothing else.

use venturelab::bench::{vector_run, LANES};
use venturelab::fund::sim::{unit_f64, COMPANY_DRAWS};
use venturelab::par::fold_chunks;
use venturelab::rng::{FastKey, FastLanes};

/// The sum of every uniform of `funds` funds with `draws` uniforms each (so that none of
/// the work can be optimised away), on the current thread pool.
pub fn rng_alone(seed: u64, funds: usize, draws: usize) -> f64 {
    fold_chunks(
        funds,
        2048,
        |range| {
            // Compiled for the same vector unit as the simulator's kernel.
            vector_run(
                #[inline(always)]
                || {
                    let mut acc = [0.0f64; LANES];
                    for first in range.step_by(LANES) {
                        let key = FastKey::new(seed, COMPANY_DRAWS);
                        let mut r = FastLanes::<LANES>::new(std::array::from_fn(|l| {
                            key.state((first + l) as u64)
                        }));
                        for _ in 0..draws {
                            let u = r.next_u64();
                            for l in 0..LANES {
                                acc[l] += unit_f64(u[l]);
                            }
                        }
                    }
                    acc.iter().sum::<f64>()
                },
            )
        },
        0.0,
        |a, b| a + b,
    )
}

/// [`rng_alone`] drawn the ordinary way, for reference: one `rand_xoshiro` generator per
/// fund ([`venturelab::rng::fast_stream`]), one number at a time. The same numbers; not
/// the bound (the simulator steps 16 funds' streams together, as [`rng_alone`] does).
#[allow(dead_code)] // used by fund_stages only
pub fn rng_alone_scalar(seed: u64, funds: usize, draws: usize) -> f64 {
    use rand::RngCore;
    fold_chunks(
        funds,
        2048,
        |range| {
            let mut acc = 0.0;
            for fund in range {
                let mut r = venturelab::rng::fast_stream(seed, fund as u64, COMPANY_DRAWS);
                for _ in 0..draws {
                    acc += unit_f64(r.next_u64());
                }
            }
            acc
        },
        0.0,
        |a, b| a + b,
    )
}

use rand::{Rng, RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::Instant;
use venturelab::fund::sim::unit_f64;
use venturelab::rng::{splitmix64, stream};
fn main() {
    let n = 1_000_000u64;
    for _ in 0..3 {
        let t0 = Instant::now();
        let mut acc = 0.0;
        let mut raw = vec![0u64; 90];
        for i in 0..n {
            let mut r = stream(1, i, "fund companies");
            r.fill(&mut raw[..]);
            acc += raw.iter().map(|&x| unit_f64(x)).sum::<f64>();
        }
        println!("chacha8 {:.3} s {acc:.1}", t0.elapsed().as_secs_f64());
        let t0 = Instant::now();
        let mut acc = 0.0;
        for i in 0..n {
            let mut r = Xoshiro256PlusPlus::seed_from_u64(
                splitmix64(1) ^ i.wrapping_mul(0x9E3779B97F4A7C15),
            );
            for _ in 0..90 {
                acc += unit_f64(r.next_u64());
            }
        }
        println!("xoshiro {:.3} s {acc:.1}", t0.elapsed().as_secs_f64());
        let t0 = Instant::now();
        let mut acc = 0.0;
        for i in 0..n {
            let mut r = Xoshiro256PlusPlus::seed_from_u64(
                splitmix64(1) ^ i.wrapping_mul(0x9E3779B97F4A7C15),
            );
            r.fill(&mut raw[..]);
            acc += raw.iter().map(|&x| unit_f64(x)).sum::<f64>();
        }
        println!("xoshiro fill {:.3} s {acc:.1}", t0.elapsed().as_secs_f64());
    }
}

//! Random results are bit-identical for any number of threads.

use rand::Rng;
use venturelab::money::irr;
use venturelab::par::{fold_chunks, map_indexed, with_threads};
use venturelab::rng::stream;

/// A small Monte Carlo: random fund cash flows per entity, their IRRs, and a sum.
fn job(seed: u64) -> (Vec<f64>, f64) {
    let irrs = map_indexed(2_000, |fund| {
        let mut rng = stream(seed, fund as u64, "cash flows");
        let mut v: Vec<f64> = (0..4).map(|_| -rng.random_range(1.0..10.0)).collect();
        v.extend((0..8).map(|_| rng.random_range(0.0..8.0)));
        irr(&v).unwrap_or(f64::NAN)
    });
    let total = fold_chunks(
        20_000,
        1024,
        |range| {
            range
                .map(|i| {
                    let mut rng = stream(seed, i as u64, "draws");
                    rng.random::<f64>().ln()
                })
                .sum::<f64>()
        },
        0.0,
        |a, b| a + b,
    );
    (irrs, total)
}

#[test]
fn one_and_two_threads_give_identical_bits() {
    let (a, ta) = with_threads(Some(1), || job(42));
    let (b, tb) = with_threads(Some(2), || job(42));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.to_bits(), y.to_bits());
    }
    assert_eq!(ta.to_bits(), tb.to_bits());
    // and a different seed gives different numbers
    let (c, _) = with_threads(Some(2), || job(43));
    assert_ne!(a[0].to_bits(), c[0].to_bits());
}

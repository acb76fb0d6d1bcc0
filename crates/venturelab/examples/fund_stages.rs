//! Nanoseconds per `correlation-ventures` fund on one thread (best of 9 runs of 300,000
//! funds) of: random-number generation alone (the bound), the same numbers drawn one
//! fund and one number at a time with `rand_xoshiro` (for reference), the block kernel on its own
//! (`PlainFund::simulate`, block after block, no summary: `venturelab::bench::kernel_alone`) and, with `--run`, `fund::run`
//! (the kernel plus the tallies for the summary). Prints one JSON line.
//!
//! `benches/peers/fund_stages.sh` builds this against copies of the kernel that stop
//! after each of its stages, to show where the time beyond the random numbers goes.
//!
//! cargo run --release -p venturelab --example fund_stages -- [--run]

#[path = "common/rng_bound.rs"]
mod rng_bound;

use std::time::Instant;

use rng_bound::{rng_alone, rng_alone_scalar};
use venturelab::bench::kernel_alone;
use venturelab::fund::{run, Scenario};
use venturelab::par::with_threads;
use venturelab::presets;

const FUNDS: usize = 300_000;

/// Best of 9 of `f`, in nanoseconds per fund.
fn per_fund(f: impl Fn() -> f64) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..9 {
        let t0 = Instant::now();
        std::hint::black_box(f());
        best = best.min(t0.elapsed().as_secs_f64());
    }
    best / FUNDS as f64 * 1e9
}

fn main() {
    let with_run = std::env::args().any(|a| a == "--run");
    let preset = presets::get("fund", "correlation-ventures").expect("preset");
    let model = Scenario::from_toml(preset.toml)
        .and_then(|s| s.model())
        .expect("valid preset");
    assert!(model.is_plain(), "the preset is in the plain shape");
    let seed = 1;
    let rng_ns = with_threads(Some(1), || {
        per_fund(|| rng_alone(seed, FUNDS, 3 * model.companies as usize))
    });
    // The same numbers drawn one fund and one number at a time (for reference only).
    let scalar_rng_ns = with_threads(Some(1), || {
        per_fund(|| rng_alone_scalar(seed, FUNDS, 3 * model.companies as usize))
    });
    let kernel_ns = per_fund(|| kernel_alone(&model, seed, FUNDS).expect("plain"));
    let run_ns = with_run.then(|| {
        with_threads(Some(1), || {
            per_fund(|| run(&model, FUNDS, seed, &|_| {}).dpi_quartiles[5][1])
        })
    });
    println!(
        "{{\"rng_ns\": {rng_ns:.1}, \"scalar_rng_ns\": {scalar_rng_ns:.1}, \"kernel_ns\": {kernel_ns:.1}, \"run_ns\": {}}}",
        run_ns.map_or("null".to_string(), |r| format!("{r:.1}"))
    );
}

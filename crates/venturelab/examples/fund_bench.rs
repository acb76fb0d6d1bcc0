//! Times the fund simulator on a preset against the bound set by random-number generation
//! alone (the same per-fund streams, stepped in blocks of LANES funds and converted to
//! uniforms exactly as the simulator does, summed and nothing else), at 1 and 2 threads. Prints one JSON line per measurement. Used by `benches/peers/run_fund.sh`.
//!
//! cargo run --release -p venturelab --example fund_bench -- [FUNDS] [PRESET]

use std::time::Instant;

#[path = "common/rng_bound.rs"]
mod rng_bound;

use rng_bound::rng_alone;
use venturelab::fund::{run, summarize, Scenario};
use venturelab::par::with_threads;
use venturelab::presets;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let funds: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let name = args
        .get(2)
        .map(String::as_str)
        .unwrap_or("correlation-ventures");
    let scenario = Scenario::from_toml(presets::get("fund", name).expect("preset").toml)
        .expect("valid preset");
    let model = scenario.model().expect("valid model");
    let draws_per_fund = 3 * model.companies as usize;
    let seed = 1u64;
    for threads in [1usize, 2] {
        let best = |f: &dyn Fn() -> f64| -> (f64, f64) {
            let mut times = Vec::new();
            let mut check = 0.0;
            for _ in 0..3 {
                let t0 = Instant::now();
                check = f();
                times.push(t0.elapsed().as_secs_f64());
            }
            times.sort_by(f64::total_cmp);
            (times[1], check)
        };
        let (rng_s, rng_check) =
            best(&|| with_threads(Some(threads), || rng_alone(seed, funds, draws_per_fund)));
        let (sim_s, _) = best(&|| {
            with_threads(Some(threads), || {
                run(&model, funds, seed, &|_| {}).dpi_quartiles[5][1]
            })
        });
        let (all_s, median) = best(&|| {
            with_threads(Some(threads), || {
                let r = run(&model, funds, seed, &|_| {});
                summarize(&model, &r).net_tvpi.p50
            })
        });
        println!(
            "{{\"threads\": {threads}, \"funds\": {funds}, \"rng_only_s\": {rng_s:.4}, \"simulate_s\": {sim_s:.4}, \"simulate_and_summarize_s\": {all_s:.4}, \"median_net_tvpi\": {median:.4}, \"rng_check\": {:.1}}}",
            rng_check / (funds * draws_per_fund) as f64
        );
    }
}

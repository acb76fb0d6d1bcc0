//! Time per fund of `fund::run` on one thread (best of 9 runs of 300,000
//! `correlation-ventures` funds; a run this long tallies what the summary needs as it goes,
//! so this is the simulation and most of the summary): a steadier figure than end-to-end
//! runs on a shared machine, for comparing one change to the simulator against another.
//!
//! cargo run --release -p venturelab --example fund_time

use std::time::Instant;

use venturelab::fund::{run, Scenario};
use venturelab::par::with_threads;
use venturelab::presets;

fn main() {
    let preset = presets::get("fund", "correlation-ventures").expect("preset");
    let model = Scenario::from_toml(preset.toml)
        .and_then(|s| s.model())
        .expect("valid preset");
    let funds = 300_000;
    let mut best = f64::INFINITY;
    for _ in 0..9 {
        let t0 = Instant::now();
        let r = with_threads(Some(1), || run(&model, funds, 1, &|_| {}));
        best = best.min(t0.elapsed().as_secs_f64());
        std::hint::black_box(&r.dpi_quartiles);
    }
    println!(
        "simulate {funds} funds on 1 thread, best of 9: {best:.4} s = {:.1} ns per fund",
        best / funds as f64 * 1e9
    );
}

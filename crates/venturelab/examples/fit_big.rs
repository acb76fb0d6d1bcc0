//! Fits a 10-million-value continuous power-law sample (the scale check in
//! docs/performance.md). cargo run --release -p venturelab --example fit_big -- [N]
use std::time::Instant;
use venturelab::dist::powerlaw::{draw, fit, Kind, XminChoice};
use venturelab::dist::sample::Sample;
use venturelab::rng::stream;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000);
    let mut rng = stream(1, 0, "fit_big");
    let t0 = Instant::now();
    let v: Vec<f64> = (0..n)
        .map(|_| draw(Kind::Continuous, 1.0, 2.5, &mut rng))
        .collect();
    let t1 = Instant::now();
    let s = Sample::from_values(v);
    let t2 = Instant::now();
    let f = fit(&s, Kind::Continuous, XminChoice::Scan).expect("fit");
    let t3 = Instant::now();
    println!(
        "{{\"n\": {n}, \"draw_s\": {:.2}, \"sort_s\": {:.2}, \"fit_s\": {:.2}, \"xmin\": {}, \"alpha\": {:.5}, \"n_tail\": {}}}",
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        f.xmin,
        f.alpha,
        f.n_tail
    );
}

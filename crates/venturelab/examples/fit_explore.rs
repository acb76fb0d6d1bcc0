//! Fits every reference data set and prints the power-law fit (exploration aid).
//! cargo run --release -p venturelab --example fit_explore
use std::time::Instant;
use venturelab::dist::powerlaw::{fit, Kind, XminChoice};
use venturelab::dist::sample::parse_values;

fn main() {
    for (name, kind) in [
        ("words", Kind::Discrete),
        ("terrorism", Kind::Discrete),
        ("blackouts", Kind::Continuous),
        ("cities", Kind::Continuous),
        ("flares", Kind::Continuous),
        ("fires", Kind::Continuous),
        ("quakes", Kind::Continuous),
        ("surnames", Kind::Continuous),
    ] {
        let path = format!(
            "{}/../../../shared/data/powerlaw/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("data");
        let s = parse_values(&text, name).expect("parse");
        let t0 = Instant::now();
        let f = fit(&s, kind, XminChoice::Scan).expect("fit");
        println!(
            "{name:10} n={:6} uniq={:6} xmin={} alpha={:.4} se={:.4} ntail={} D={:.5} ({:.3}s)",
            s.n,
            s.values.len(),
            f.xmin,
            f.alpha,
            f.alpha_se,
            f.n_tail,
            f.ks_d,
            t0.elapsed().as_secs_f64()
        );
    }
}

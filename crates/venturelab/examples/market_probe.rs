//! Prints one market run's headline numbers (a development aid: `cargo run --release
//! --example market_probe [SCENARIO.toml]`).
use venturelab::market::{
    scenario::Scenario,
    sim::{simulate_run, Cohort},
};

fn mean_of(v: &[f64]) -> f64 {
    v.iter().filter(|x| !x.is_nan()).sum::<f64>() / v.iter().filter(|x| !x.is_nan()).count() as f64
}

fn main() {
    let text = match std::env::args().nth(1) {
        Some(p) => std::fs::read_to_string(p).expect("read scenario"),
        None => venturelab::presets::get("market", "market")
            .unwrap()
            .toml
            .to_string(),
    };
    let m = Scenario::from_toml(&text).unwrap().model().unwrap();
    let t = std::time::Instant::now();
    let r = simulate_run(&m, 1, 0);
    println!("one run: {:?}", t.elapsed());
    let rs: Vec<_> = (0..10).map(|run| simulate_run(&m, 1, run)).collect();
    let hot = Cohort::pooled(rs.iter().map(|r| r.hot));
    let cold = Cohort::pooled(rs.iter().map(|r| r.cold));
    let hhi = rs.iter().map(|r| mean_of(&r.hhi)).sum::<f64>() / 10.0;
    println!(
        "10 runs: hot fail {:.4} success {:.1}M | cold fail {:.4} success {:.1}M | hhi {:.4}",
        hot.failure_rate().unwrap_or(f64::NAN),
        hot.mean_success().unwrap_or(f64::NAN) / 1e6,
        cold.failure_rate().unwrap_or(f64::NAN),
        cold.mean_success().unwrap_or(f64::NAN) / 1e6,
        hhi
    );
    let mean = |v: &[f64]| {
        v.iter().filter(|x| !x.is_nan()).sum::<f64>()
            / v.iter().filter(|x| !x.is_nan()).count() as f64
    };
    println!(
        "invested/q (last 8): {:?}",
        &r.invested[r.invested.len() - 8..]
            .iter()
            .map(|x| (x / 1e9 * 100.0).round() / 100.0)
            .collect::<Vec<_>>()
    );
    println!("mean hhi {:.3}", mean(&r.hhi));
    println!(
        "capital by sector {:?}",
        r.capital_by_sector
            .iter()
            .map(|x| (x / 1e9).round())
            .collect::<Vec<_>>()
    );
    println!(
        "viable need by sector {:?}",
        r.viable_need_by_sector
            .iter()
            .map(|x| (x / 1e9).round())
            .collect::<Vec<_>>()
    );
    println!(
        "value available {:.1}B realised {:.1}B ratio {:.3}",
        r.value_available / 1e9,
        r.value_realised / 1e9,
        r.value_realised / r.value_available
    );
    println!(
        "missing middle {} ({:.1}B)",
        r.missing_middle_count,
        r.missing_middle_value / 1e9
    );
    println!(
        "long maturity funded {}/{}",
        r.long_maturity_funded, r.long_maturity_viable
    );
    println!(
        "entry multiple {:.3} success rate {:.3}",
        r.mean_entry_multiple, r.vc_success_rate
    );
    println!(
        "hot {:?} fail {:.3} mean success {:.1}M",
        r.hot,
        r.hot.failure_rate().unwrap_or(f64::NAN),
        r.hot.mean_success().unwrap_or(f64::NAN) / 1e6
    );
    println!(
        "cold {:?} fail {:.3} mean success {:.1}M",
        r.cold,
        r.cold.failure_rate().unwrap_or(f64::NAN),
        r.cold.mean_success().unwrap_or(f64::NAN) / 1e6
    );
    println!("strategy share last {:?}", r.strategy_share.last());
    let mut by = [(0.0, 0); 5];
    for (k, x) in &r.fund_multiples {
        by[*k as usize].0 += x;
        by[*k as usize].1 += 1;
    }
    println!(
        "fund multiple by strategy {:?}",
        by.iter()
            .map(|(s, n)| s / *n.max(&1) as f64)
            .collect::<Vec<_>>()
    );
    println!(
        "conservation {:e} usage {:.3}",
        r.conservation_error, r.max_fund_usage
    );
}

//! IRR and XIRR on realistic fund cash flows, the same inputs the Python peers time
//! (`benches/peers/money_inputs.json`, made by `make_money_inputs.py`). Each iteration
//! solves all 1000 series; divide by 1000 for the time per series.
//! Run side by side with the peers: `benches/peers/run_money.sh`.

use chrono::{Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use venturelab::money::{irr, xirr};

struct Inputs {
    yearly: Vec<Vec<f64>>,
    dated: Vec<(Vec<NaiveDate>, Vec<f64>)>,
}

fn inputs() -> Inputs {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../benches/peers/money_inputs.json"
    );
    let text = std::fs::read_to_string(path)
        .expect("benches/peers/money_inputs.json (run make_money_inputs.py)");
    let j: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let yearly = j["fund_yearly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let dated = j["fund_dated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let days = s["days"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| start + Duration::days(d.as_i64().unwrap()));
            let amounts = s["amounts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            (days.collect(), amounts)
        })
        .collect();
    Inputs { yearly, dated }
}

fn bench(c: &mut Criterion) {
    let inp = inputs();
    c.bench_function("irr_fund_yearly_x1000", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for s in &inp.yearly {
                acc += irr(black_box(s)).unwrap_or(0.0);
            }
            acc
        })
    });
    c.bench_function("xirr_fund_dated_x1000", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for (d, v) in &inp.dated {
                acc += xirr(black_box(d), black_box(v)).unwrap_or(0.0);
            }
            acc
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);

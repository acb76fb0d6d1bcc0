//! The LP's portfolio of funds (`fund::lp`) against hand arithmetic and itself.

use venturelab::fund::lp::{simulate, LpScenario};
use venturelab::presets;

fn lp(edit: &[(&str, toml::Value)]) -> LpScenario {
    let mut doc: toml::Value =
        toml::from_str(presets::get("lp", "lp-ca-2004-2013").unwrap().toml).unwrap();
    for (k, v) in edit {
        doc["lp"][*k] = v.clone();
    }
    LpScenario::from_value(doc).unwrap()
}

#[test]
fn re_ups_and_cash_flows_by_hand() {
    // Re-up always (threshold 0): the first fund_cycle_years = 3 years of the 10 open new
    // relationships, the other 7 re-up: 7/10 of commitments. Never (threshold 1e9): 0.
    let (fund, m) = lp(&[("re_up_min_tvpi", toml::Value::Float(0.0))])
        .model()
        .unwrap();
    let s = simulate(&fund, &m, 300, 3, &|_| {});
    assert!((s.re_up_share - 0.7).abs() < 1e-12, "{}", s.re_up_share);
    let (fund2, never) = lp(&[("re_up_min_tvpi", toml::Value::Float(1e9))])
        .model()
        .unwrap();
    assert_eq!(simulate(&fund2, &never, 300, 3, &|_| {}).re_up_share, 0.0);
    // Every fund calls its whole commitment (fees plus commitments-minus-fees invested):
    // the mean calls by year add up to 1 per unit of total commitments; with 4 of 40
    // funds a year, year 0 calls 4/40 of (80% invested + 2% fee) = 8.2%.
    let calls: f64 = s.cash_flows.iter().map(|y| y.calls).sum();
    assert!((calls - 1.0).abs() < 1e-9, "{calls}");
    assert!((s.cash_flows[0].calls - 0.082).abs() < 1e-12);
    // TVPI of the whole portfolio is the last row of the diversification table.
    let last = s.diversification.last().unwrap();
    assert_eq!(last.funds, 40);
    assert!((last.p50 - s.net_tvpi.p50).abs() < 1e-9);
}

#[test]
fn access_helps_diversification_narrows_and_threads_do_not_matter() {
    let (fund, m) = lp(&[]).model().unwrap();
    let s = simulate(&fund, &m, 2_000, 11, &|_| {});
    assert!(s.access.net_tvpi_gain_p50 > 0.3, "{:?}", s.access);
    // More funds, a narrower spread: p95 - p5 falls from 1 fund to 40.
    let d = &s.diversification;
    let width = |i: usize| d[i].p95 - d[i].p5;
    assert!(width(d.len() - 1) < 0.5 * width(0));
    assert!(d.last().unwrap().prob_at_least_median_fund > d[0].prob_at_least_median_fund);
    let one = venturelab::par::with_threads(Some(1), || simulate(&fund, &m, 2_000, 11, &|_| {}));
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&s).unwrap()
    );
}

#[test]
fn bad_lp_fields_are_named() {
    let e = lp(&[("funds_per_year", toml::Value::Integer(0))])
        .model()
        .unwrap_err()
        .to_string();
    assert!(e.contains("lp.funds_per_year"), "{e}");
    let mut doc: toml::Value =
        toml::from_str(presets::get("lp", "lp-ca-2004-2013").unwrap().toml).unwrap();
    doc.as_table_mut().unwrap().remove("lp");
    let e = LpScenario::from_value(doc).unwrap_err().to_string();
    assert!(e.contains("[lp]"), "{e}");
}

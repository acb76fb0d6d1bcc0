//! The vintage factor and manager skill (`fund::factors`): absent or neutral they leave
//! every fund as it was, to the bit; calibrated (`ca-2004-2013`) they spread funds as
//! Cambridge Associates' US venture vintages are spread; skill persists as Kaplan & Schoar
//! (2005) measured.

use venturelab::fund::{run, summarize, FundModel, Scenario};
use venturelab::presets;

fn with(name: &str, extra: &str) -> FundModel {
    let text = format!("{}\n{extra}\n", presets::get("fund", name).unwrap().toml);
    Scenario::from_toml(&text).unwrap().model().unwrap()
}

#[test]
fn neutral_factors_give_the_same_funds_to_the_bit() {
    // A vintage factor of sd 0 (scale exp(0 - 0) = 1, exits moved by round(0) = 0 years)
    // and skill of sd 0 (no tilt) go through the factors' code on the one-fund path; the
    // same scenario without them takes the block kernel where it can (essay-random,
    // correlation-ventures) or the one-fund path (essay). Every field of every fund must
    // agree to the bit, for several seeds. (That the scenarios without factors still give
    // the numbers of the code before factors existed is what the CLI goldens check:
    // `crates/venturelab-cli/tests/golden`, unchanged by this work.)
    let neutral_vintage = "[vintage]\nyears = 7\nsigma = 0.0\nrho = 0.5\nexit_years_per_sd = 0.0\n";
    let neutral_skill = "[skill]\nsigma = 0.0\npersistence = 0.8\nfunds_per_manager = 3\n";
    for (name, skill) in [
        ("correlation-ventures", true),
        ("essay-random", true),
        ("essay", false),
    ] {
        let off = with(name, "");
        let on = with(
            name,
            &format!(
                "{neutral_vintage}{}",
                if skill { neutral_skill } else { "" }
            ),
        );
        assert!(on.has_factors() && !on.is_plain() && !off.has_factors());
        for seed in [1u64, 7, 20260101] {
            let a = run(&off, 5_000, seed, &|_| {});
            let b = run(&on, 5_000, seed, &|_| {});
            assert_eq!(a.rows.len(), b.rows.len());
            for (i, (x, y)) in a.rows.iter().zip(&b.rows).enumerate() {
                let bits = |r: &venturelab::fund::sim::FundRow| {
                    (
                        r.gross_multiple.to_bits(),
                        r.net_tvpi.to_bits(),
                        r.net_irr.to_bits(),
                        r.top_company_share.to_bits(),
                        r.top_decile_share.to_bits(),
                        r.fund_returners,
                        r.fees.to_bits(),
                        r.carry.to_bits(),
                    )
                };
                assert_eq!(bits(x), bits(y), "{name}, seed {seed}, fund {i}");
            }
            assert_eq!(a.dpi_quartiles, b.dpi_quartiles, "{name}, seed {seed}");
        }
    }
}

#[test]
fn factors_are_a_function_of_seed_and_fund_index() {
    // The same funds whatever the thread count, and the factors of fund i do not depend
    // on how many funds the run has (a range of fund indices can be run on its own).
    let m = with(
        "correlation-ventures",
        "[vintage]\nyears = 10\nsigma = 0.3\nrho = 0.5\nexit_years_per_sd = 1\n[skill]\nsigma = 0.4\npersistence = 0.7\nfunds_per_manager = 4\n",
    );
    let a = run(&m, 3_000, 5, &|_| {});
    let b = venturelab::par::with_threads(Some(1), || run(&m, 4_000, 5, &|_| {}));
    for (x, y) in a.rows.iter().zip(&b.rows) {
        assert_eq!(x.net_tvpi.to_bits(), y.net_tvpi.to_bits());
    }
    assert_eq!(a.vintage_factors, b.vintage_factors);
    // And they do move funds: some fund differs from the same fund without factors.
    let off = run(&with("correlation-ventures", ""), 3_000, 5, &|_| {});
    assert!(a
        .rows
        .iter()
        .zip(&off.rows)
        .any(|(x, y)| x.net_tvpi != y.net_tvpi));
    let s = summarize(&m, &a);
    assert_eq!(s.vintages.len(), 10);
    assert_eq!(s.vintages.iter().map(|v| v.funds).sum::<usize>(), 3_000);
}

/// `ca-2004-2013` with `vintage.years` set to `years`, and `skill.persistence` to
/// `persistence` when given.
fn ca(years: u32, persistence: Option<f64>) -> FundModel {
    let mut doc: toml::Value =
        toml::from_str(presets::get("fund", "ca-2004-2013").unwrap().toml).unwrap();
    doc["vintage"]["years"] = toml::Value::Integer(years as i64);
    if let Some(p) = persistence {
        doc["skill"]["persistence"] = toml::Value::Float(p);
    }
    let s: Scenario = doc.try_into().unwrap();
    s.model().unwrap()
}

#[test]
fn ca_2004_2013_spreads_funds_as_cambridge_associates_vintages() {
    // The model's moments, not one seed's ten vintages: 400 vintages of 500 funds.
    // Targets (Cambridge Associates US VC benchmark, net TVPI by vintage, as quoted in
    // the preset's header): the vintage-average quartiles 1.17 / 1.67 / 2.42; the lowest
    // vintage of ten (2004) 0.82 / 1.20 / 1.82 and the highest (2010) 1.41 / 2.12 / 3.41,
    // compared with the vintages at 6.1% and 93.9% of the simulated vintages ranked by
    // median (the expected extremes of ten draws, Blom's positions: an assumption); the sd
    // of ln(vintage median) that those extremes imply, ln(2.12/1.20)/3.08 = 0.185.
    // Tolerances as documented in docs/models/fund.md (Calibration).
    let m = ca(400, None);
    let s = summarize(&m, &run(&m, 200_000, 20260101, &|_| {}));
    let v = &s.vintages;
    assert_eq!(v.len(), 400);
    let n = v.len() as f64;
    let avg =
        |f: fn(&venturelab::fund::summary::VintageBand) -> f64| v.iter().map(f).sum::<f64>() / n;
    let near = |what: &str, got: f64, want: f64, tol: f64| {
        assert!(
            (got - want).abs() <= tol,
            "{what}: simulated {got:.3}, published {want} (tolerance {tol})"
        );
    };
    near("average lower quartile", avg(|b| b.p25), 1.17, 0.06);
    near("average median", avg(|b| b.p50), 1.67, 0.04);
    near("average upper quartile", avg(|b| b.p75), 2.42, 0.10);
    let mean_ln = avg(|b| b.p50.ln());
    let sd = (v
        .iter()
        .map(|b| (b.p50.ln() - mean_ln).powi(2))
        .sum::<f64>()
        / (n - 1.0))
        .sqrt();
    near("sd of ln(vintage median)", sd, 0.185, 0.03);
    let mut ranked = v.clone();
    ranked.sort_by(|a, b| a.p50.total_cmp(&b.p50));
    let at = |q: f64| ranked[(q * n) as usize];
    let (low, high) = (at(0.061), at(0.939));
    near("2004-like vintage, lower quartile", low.p25, 0.82, 0.08);
    near("2004-like vintage, median", low.p50, 1.20, 0.08);
    near("2004-like vintage, upper quartile", low.p75, 1.82, 0.08);
    near("2010-like vintage, median", high.p50, 2.12, 0.15);
    // Known misses (documented): the good vintage's lower quartile is higher than
    // published (1.54 against 1.41) and its upper quartile lower (3.34 against 3.41 is
    // close; the spread within good vintages is narrower than published).
    near("2010-like vintage, lower quartile", high.p25, 1.41, 0.2);
    near("2010-like vintage, upper quartile", high.p75, 3.41, 0.2);
}

/// P(fund k+1 of a manager is in the top `1/parts` of its vintage | fund k is), over
/// every manager's consecutive pairs of funds (ranks within each vintage).
fn repeat_top(m: &FundModel, funds: usize, parts: f64) -> f64 {
    let r = run(m, funds, 20260101, &|_| {});
    let years = m.vintage.as_ref().unwrap().years as usize;
    let per = m.skill.as_ref().unwrap().funds_per_manager as usize;
    let mut by: Vec<Vec<(f64, usize)>> = vec![Vec::new(); years];
    for (i, row) in r.rows.iter().enumerate() {
        by[i % years].push((row.net_tvpi, i));
    }
    let mut top = vec![false; funds];
    for b in &mut by {
        b.sort_by(|x, y| x.0.total_cmp(&y.0));
        let cut = b.len() - (b.len() as f64 / parts) as usize;
        for &(_, i) in &b[cut..] {
            top[i] = true;
        }
    }
    let (mut was, mut again) = (0usize, 0usize);
    for i in 0..funds - 1 {
        if i % per != per - 1 && top[i] {
            was += 1;
            again += top[i + 1] as usize;
        }
    }
    again as f64 / was as f64
}

#[test]
fn skill_persistence_raises_the_chance_of_repeating_at_the_top() {
    // Kaplan & Schoar (2005): about 48% of top-tercile funds had a follow-on fund in the
    // top tercile, against 33% without persistence. With the preset's persistence the
    // simulated share is within 3 points of 48% (sampling error about 0.2 points: 50,000
    // top-tercile funds); with skill redrawn for every fund (persistence 0) it is a third
    // (any fund's next is an independent draw within its vintage), within 1.5 points.
    let funds = 200_000;
    let with = repeat_top(&ca(400, None), funds, 3.0);
    let without = repeat_top(&ca(400, Some(0.0)), funds, 3.0);
    assert!((with - 0.48).abs() <= 0.03, "top tercile again: {with:.3}");
    assert!(
        (without - 1.0 / 3.0).abs() <= 0.015,
        "without persistence: {without:.3}"
    );
    // Top quartile: no published venture figure was found (the target is an assumption,
    // documented): above the 25% of no persistence and below the tercile's share.
    let q = repeat_top(&ca(400, None), funds, 4.0);
    let q0 = repeat_top(&ca(400, Some(0.0)), funds, 4.0);
    assert!(q > 0.35 && q < with, "top quartile again: {q:.3}");
    assert!(
        (q0 - 0.25).abs() <= 0.015,
        "top quartile without persistence: {q0:.3}"
    );
}

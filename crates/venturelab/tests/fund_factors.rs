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

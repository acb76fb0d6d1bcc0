//! The block path (many funds side by side) must give exactly the funds of the one-fund
//! reference path: same random numbers, same arithmetic, bit for bit. (Unit tests: the
//! block kernel is crate-private.)

use super::block::{BlockScratch, DpiColumns, PlainFund, LANES};
use super::sim::{simulate_fund, FundRow, Workspace};
use super::{FundModel, Scenario};
use crate::presets;

fn model(name: &str, edit: &[(&str, &str)]) -> FundModel {
    let mut text = presets::get("fund", name).unwrap().toml.to_string();
    for (from, to) in edit {
        assert!(text.contains(from), "{from} not in {name}");
        text = text.replacen(from, to, 1);
    }
    Scenario::from_toml(&text).unwrap().model().unwrap()
}

fn bits(r: &FundRow) -> [u64; 8] {
    [
        r.gross_multiple.to_bits(),
        r.net_tvpi.to_bits(),
        r.net_irr.to_bits(),
        r.top_company_share.to_bits(),
        r.top_decile_share.to_bits() as u64,
        r.fund_returners as u64,
        r.fees.to_bits() as u64,
        r.carry.to_bits() as u64,
    ]
}

/// Compares `funds` funds (starting at a fund index that is not a multiple of LANES, and
/// ending in a short block) on both paths, with their shares of proceeds by company rank.
fn same_funds(m: &FundModel, funds: usize) {
    let plain = PlainFund::new(m).expect("plain shape");
    let years = plain.years();
    let seed = 42;
    let first = 3u64;
    let mut rows = vec![FundRow::default(); funds];
    let mut columns = vec![vec![0f32; funds]; years];
    let mut dpi: Vec<&mut [f32]> = columns.iter_mut().map(Vec::as_mut_slice).collect();
    let mut ranks = Vec::new();
    let mut scratch = BlockScratch::default();
    for (b, r) in rows.chunks_mut(LANES).enumerate() {
        let index = first + (b * LANES) as u64;
        let columns = DpiColumns {
            columns: &mut dpi,
            at: b * LANES,
        };
        plain.simulate(seed, index, &mut scratch, r, columns, Some(&mut ranks));
    }
    let mut ws = Workspace::new(m);
    let mut one = vec![0f32; years];
    let mut want_ranks = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let want = simulate_fund(m, seed, first + i as u64, &mut ws, &mut one);
        ws.add_rank_shares(&mut want_ranks);
        assert_eq!(bits(row), bits(&want), "fund {i}: {row:?} vs {want:?}");
        let got: Vec<u32> = columns.iter().map(|c| c[i].to_bits()).collect();
        let want: Vec<u32> = one.iter().map(|x| x.to_bits()).collect();
        assert_eq!(got, want, "DPI of fund {i}");
    }
    let bits_of = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert!(!want_ranks.is_empty());
    assert_eq!(bits_of(&ranks), bits_of(&want_ranks), "rank shares");
}

#[test]
fn block_path_equals_one_fund_path_on_the_random_presets() {
    same_funds(&model("correlation-ventures", &[]), 2_003);
    same_funds(&model("essay-random", &[]), 1_001);
}

#[test]
fn block_path_equals_one_fund_path_on_other_terms() {
    // GP commitment, partial catch-up, no hurdle, a lognormal piece, a fee step-down and
    // exits from year 1: every branch of the waterfall and of the outcome draw.
    let m = model(
        "correlation-ventures",
        &[
            ("term_years = 10", "term_years = 10\ngp_commit = \"2%\""),
            ("catch_up = \"100%\"", "catch_up = \"50%\""),
            ("hurdle = \"8%\"", "hurdle = \"0%\""),
            (
                "schedule = [{ from_year = 1, to_year = 10, rate = \"2%\", basis = \"committed\" }]",
                "schedule = [{ from_year = 1, to_year = 5, rate = \"2.5%\", basis = \"committed\" }, { from_year = 6, to_year = 10, rate = \"1%\", basis = \"committed\" }]",
            ),
            ("exit_year = { low = 3, high = 10 }", "exit_year = { low = 1, high = 12 }"),
            (
                "dist = \"uniform\"\nlow = 20\nhigh = 50",
                "dist = \"lognormal\"\nmu = 3.2\nsigma = 0.4",
            ),
        ],
    );
    assert!(m.gp_commit > 0.0);
    same_funds(&m, 1_500);
}

#[test]
fn block_path_equals_one_fund_path_when_most_funds_return_nothing() {
    // 99.5% of companies return exactly 0x: most funds distribute nothing (net IRR -100%,
    // no top company) and the rest live on one or two exits.
    let m = model(
        "essay-random",
        &[
            ("share = 0.90", "share = 0.995"),
            ("share = 0.09", "share = 0.004"),
            ("share = 0.01", "share = 0.001"),
        ],
    );
    let plain = PlainFund::new(&m).expect("plain shape");
    let mut rows = vec![FundRow::default(); 64];
    let mut columns = vec![vec![0f32; 64]; plain.years()];
    let mut dpi: Vec<&mut [f32]> = columns.iter_mut().map(Vec::as_mut_slice).collect();
    for (b, r) in rows.chunks_mut(LANES).enumerate() {
        let index = (b * LANES) as u64;
        let scratch = &mut BlockScratch::default();
        let columns = DpiColumns {
            columns: &mut dpi,
            at: b * LANES,
        };
        plain.simulate(1, index, scratch, r, columns, None);
    }
    assert!(rows
        .iter()
        .any(|r| r.net_irr == -1.0 && r.top_company_share == 0.0));
    same_funds(&m, 700);
}

#[test]
fn other_shapes_take_the_one_fund_path() {
    assert!(PlainFund::new(&model("essay", &[])).is_none()); // fixed outcomes
    assert!(PlainFund::new(&model("carta-funnel", &[])).is_none()); // stage mode
    let paced = model(
        "correlation-ventures",
        &[("pacing = \"upfront\"", "pacing = \"even\"")],
    );
    assert!(PlainFund::new(&paced).is_none());
}

#[test]
fn block_path_equals_one_fund_path_on_large_portfolios() {
    // 200 companies: a top decile of 20, beyond the registers, selected as on the
    // one-fund path.
    let big = model(
        "correlation-ventures",
        &[("companies = 30", "companies = 200")],
    );
    same_funds(&big, 300);
}

#[test]
fn the_kernel_refuses_follow_ons_recycling_and_fees_on_invested_capital() {
    let base = model("correlation-ventures", &[]);
    assert!(base.is_plain());
    assert!(PlainFund::new(&base).is_some());
    let pacing = "pacing = \"upfront\"";
    let shapes = [
        (
            "follow-ons",
            model(
                "correlation-ventures",
                &[(
                    pacing,
                    "pacing = \"upfront\"\nreserve_share = \"30%\"\n\
                     follow_on = { check_multiple = 1.0, step_up = 2.0, after_years = 2 }",
                )],
            ),
        ),
        (
            "recycling",
            model(
                "correlation-ventures",
                &[(pacing, "pacing = \"upfront\"\nrecycling_cap = \"10%\"")],
            ),
        ),
        (
            "fees on invested capital",
            model(
                "correlation-ventures",
                &[("basis = \"committed\"", "basis = \"invested\"")],
            ),
        ),
    ];
    for (what, m) in &shapes {
        assert!(!m.is_plain(), "{what}: not plain");
        assert!(PlainFund::new(m).is_none(), "{what}: the kernel refuses it");
    }
    assert!(shapes[0].1.follow_on.is_some());
    assert!(shapes[1].1.recycling_cap > 0.0);
    assert!(shapes[2].1.fees_on_invested());
    // A rate of zero on invested capital charges nothing: still plain.
    let zero = model(
        "correlation-ventures",
        &[(
            "rate = \"2%\", basis = \"committed\"",
            "rate = \"0%\", basis = \"invested\"",
        )],
    );
    assert!(zero.is_plain());
}

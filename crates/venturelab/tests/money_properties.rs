//! Property tests: identities that must hold for any input.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use venturelab::money::flows::parse_flows_csv;
use venturelab::money::metrics::fund_metrics;
use venturelab::money::waterfall::{european_waterfall_simple, WaterfallTerms};
use venturelab::money::{irr, irr_roots, npv, xirr};

/// A conventional fund's flows: some calls, then distributions.
fn fund_flows() -> impl Strategy<Value = Vec<f64>> {
    (1usize..5, 1usize..12).prop_flat_map(|(calls, dists)| {
        (
            prop::collection::vec(1.0f64..1e7, calls),
            prop::collection::vec(0.0f64..3e7, dists),
        )
            .prop_map(|(c, d)| {
                let mut v: Vec<f64> = c.into_iter().map(|x| -x).collect();
                v.extend(d);
                v
            })
    })
}

proptest! {
    #[test]
    fn npv_at_irr_is_zero(v in fund_flows()) {
        prop_assume!(v.iter().any(|&x| x > 0.0));
        let r = irr(&v).unwrap();
        // Compare the NPV with the size of its own terms: near r = -100% the terms are
        // huge and cancel, so the residual is only meaningful relative to them.
        let terms: f64 = v.iter().enumerate().map(|(t, x)| (x / (1.0 + r).powi(t as i32)).abs()).sum();
        let at = npv(r, &v).unwrap();
        prop_assert!(at.abs() <= 1e-9 * terms, "npv {at} at irr {r} for {v:?}");
    }

    #[test]
    fn every_listed_root_zeroes_the_npv(v in prop::collection::vec(-1e3f64..1e3, 2..9)) {
        let scale: f64 = v.iter().map(|x| x.abs()).sum();
        for r in irr_roots(&v).unwrap() {
            // Evaluate in the scaled form: NPV * (1+r)^(n-1) stays bounded for r near -1.
            let n = v.len() as i32;
            let g = 1.0 + r;
            let scaled: f64 = v.iter().enumerate().map(|(t, &x)| x * g.powi(n - 1 - t as i32)).sum();
            let norm = v.iter().enumerate().map(|(t, &x)| (x * g.powi(n - 1 - t as i32)).abs()).sum::<f64>();
            prop_assert!(scaled.abs() <= 1e-8 * norm.max(1e-300) || scaled.abs() <= 1e-12 * scale, "root {r} of {v:?}");
        }
    }

    #[test]
    fn irr_is_the_selection_rule_applied_to_all_roots(v in prop::collection::vec(-1e3f64..1e3, 2..10)) {
        // The fast paths (one sign change, one running-sum change) must agree with full
        // root isolation followed by numpy-financial's rule.
        let roots = irr_roots(&v).unwrap();
        let expected = roots
            .iter()
            .copied()
            .filter(|r| *r >= 0.0)
            .reduce(f64::min)
            .or_else(|| roots.iter().copied().filter(|r| *r < 0.0).reduce(f64::max));
        match (irr(&v), expected) {
            (Ok(r), Some(e)) => prop_assert!((r - e).abs() <= 1e-7 * (1.0 + e.abs()), "irr {r} expected {e} roots {roots:?}"),
            (Err(_), None) => {}
            (got, e) => prop_assert!(false, "irr {got:?} expected {e:?} roots {roots:?} for {v:?}"),
        }
    }

    #[test]
    fn xirr_of_365_day_periods_equals_irr(v in fund_flows()) {
        prop_assume!(v.iter().any(|&x| x > 0.0));
        let start = NaiveDate::from_ymd_opt(2001, 1, 1).unwrap();
        let dates: Vec<NaiveDate> = (0..v.len()).map(|i| start + Duration::days(365 * i as i64)).collect();
        let a = xirr(&dates, &v).unwrap();
        let b = irr(&v).unwrap();
        prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "xirr {a} irr {b}");
    }

    #[test]
    fn xirr_of_calendar_years_is_close_to_irr(v in fund_flows()) {
        // Calendar years are 365 or 366 days, so XIRR sees periods of 1 or 1.0027 years:
        // the rates differ by at most about 0.3% of (1 + r) per leap day.
        prop_assume!(v.iter().any(|&x| x > 0.0));
        let dates: Vec<NaiveDate> = (0..v.len()).map(|i| NaiveDate::from_ymd_opt(2001 + i as i32, 1, 1).unwrap()).collect();
        let a = xirr(&dates, &v).unwrap();
        let b = irr(&v).unwrap();
        prop_assert!((a - b).abs() <= 0.003 * (1.0 + b.abs()), "xirr {a} irr {b}");
    }

    #[test]
    fn tvpi_is_dpi_plus_rvpi(v in fund_flows(), nav in 0.0f64..1e8) {
        let csv: String = std::iter::once("period,amount".to_string())
            .chain(v.iter().enumerate().map(|(i, x)| format!("{i},{x}")))
            .collect::<Vec<_>>()
            .join("\n");
        let t = parse_flows_csv(csv.as_bytes(), "p.csv").unwrap();
        let m = fund_metrics(&t, nav).unwrap();
        prop_assert!((m.tvpi - (m.dpi + m.rvpi)).abs() <= 1e-12 * m.tvpi.max(1.0));
    }

    #[test]
    fn waterfall_tiers_sum_and_carry_is_bounded(
        contributed in 1.0f64..1e9,
        multiple in 0.0f64..10.0,
        years in 0.0f64..15.0,
        pref in 0.0f64..0.15,
        carry in 0.0f64..0.35,
        catch_up in prop_oneof![Just(0.0), Just(1.0), 0.5f64..1.0],
        gp_commit in 0.0f64..0.05,
    ) {
        prop_assume!(catch_up == 0.0 || catch_up > carry);
        let proceeds = contributed * multiple;
        let terms = WaterfallTerms { pref_rate: pref, carry, catch_up, gp_commit };
        let r = european_waterfall_simple(contributed, proceeds, years, &terms).unwrap();
        let total: f64 = r.tiers.iter().map(|t| t.lp + t.gp).sum();
        prop_assert!((total - proceeds).abs() <= 1e-9 * proceeds.max(1.0));
        prop_assert!((r.lp + r.gp - proceeds).abs() <= 1e-9 * proceeds.max(1.0));
        prop_assert!(r.tiers.iter().all(|t| t.lp >= -1e-9 && t.gp >= -1e-9));
        // The GP never takes more than the carry rate of the LPs' profit.
        let lp_profit = (proceeds - contributed).max(0.0) * (1.0 - gp_commit);
        prop_assert!(r.gp_carry <= carry * lp_profit + 1e-9 * proceeds.max(1.0), "{r:?}");
        // With a full catch-up completed and the split reached, it takes exactly the carry.
        if catch_up > 0.0 && r.tiers[4].lp > 0.0 {
            prop_assert!((r.gp_carry - carry * lp_profit).abs() <= 1e-8 * proceeds.max(1.0));
        }
    }
}

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

// ---- Finite in, finite out (issue 17): every money kernel, for finite inputs in its
// domain, gives a finite number or an error; never NaN or infinity presented as a result.

use venturelab::captable::file::CapTableFile;
use venturelab::captable::{apply, waterfall};
use venturelab::company::default_alive::default_alive;
use venturelab::money::flows::{FlowTable, Timeline};
use venturelab::money::pme::pme;
use venturelab::money::{fv, mirr, nper, pmt, pv, rate, When};

/// Any finite f64, across every magnitude: ±10^e for e in [-320, 308].
fn any_finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-320i32..=308, 1.0f64..9.99, any::<bool>()).prop_map(|(e, m, neg)| {
            let v = m * 10f64.powi(e);
            let v = if v.is_finite() { v } else { f64::MAX };
            if neg {
                -v
            } else {
                v
            }
        }),
        Just(0.0),
        Just(f64::MAX),
        Just(-f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(1e-320),
    ]
}

/// A rate in the domain (above -100%), from tiny to 1e308.
fn any_rate() -> impl Strategy<Value = f64> {
    prop_oneof![
        any_finite().prop_filter("above -100%", |r| *r > -1.0),
        -0.999999f64..1.0,
    ]
}

fn finite_or_error(r: Result<f64, venturelab::Error>) -> Result<(), TestCaseError> {
    match r {
        Ok(v) => prop_assert!(v.is_finite(), "a result of {v}"),
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

proptest! {
    #[test]
    fn tvm_results_are_finite_or_errors(
        r in any_rate(),
        n in any_finite(),
        a in any_finite(),
        b in any_finite(),
        begin in any::<bool>(),
    ) {
        let w = if begin { When::Begin } else { When::End };
        finite_or_error(pv(r, n, a, b, w))?;
        finite_or_error(fv(r, n, a, b, w))?;
        finite_or_error(pmt(r, n, a, b, w))?;
        // +infinity ("never reaches fv") is nper's one documented non-finite value; with
        // fv = 0 it needs no payment (the balance pv (1+r)^n never reaches 0). The app
        // reports it as null with "infinite": true.
        if let Ok(v) = nper(r, a, b, 0.0, w) {
            prop_assert!(v.is_finite() || (a == 0.0 && v == f64::INFINITY), "nper {v}");
        }
        if n > 0.0 {
            finite_or_error(rate(n.min(1e6), a, b, 0.0, w, None))?;
        }
    }

    #[test]
    fn irr_and_npv_are_finite_or_errors(v in prop::collection::vec(any_finite(), 1..8), r in any_rate()) {
        finite_or_error(irr(&v))?;
        finite_or_error(npv(r, &v))?;
        if let Ok(roots) = irr_roots(&v) {
            // A root within an ulp of -100% (flows -1, 1e-308) rounds to -1.0 itself.
            prop_assert!(roots.iter().all(|x| x.is_finite() && *x >= -1.0), "{roots:?}");
        }
        finite_or_error(mirr(&v, r.min(1e6), 0.05))?;
    }

    #[test]
    fn irr_does_not_depend_on_the_unit(v in fund_flows(), e in 250i32..300) {
        // Issue 17: flows near 1e308 are scaled before the solve (a power of two, exact),
        // so their IRR is that of the same flows in small units.
        prop_assume!(v.iter().any(|&x| x > 0.0));
        let scale = 2f64.powi(e * 10 / 3); // 2^833 .. 2^996
        let big: Vec<f64> = v.iter().map(|x| x * scale).collect();
        prop_assume!(big.iter().all(|x| x.is_finite()));
        let (a, b) = (irr(&v), irr(&big));
        prop_assert_eq!(a.is_ok(), b.is_ok());
        if let (Ok(a), Ok(b)) = (a, b) {
            prop_assert!((a - b).abs() <= 1e-12 * (1.0 + a.abs()), "{a} vs {b}");
        }
    }

    #[test]
    fn default_alive_is_finite_or_an_error(
        rev in any_finite(), g in any_rate(), exp in any_finite(), h in any_rate(),
    ) {
        // Returns at once (no count-down loop) and never reports NaN or infinity.
        if let Ok(d) = default_alive(rev.abs(), g, exp.abs(), h, Some(1e6)) {
            prop_assert!(d.breakeven_time.is_none_or(f64::is_finite));
            prop_assert!(d.capital_needed.is_none_or(|k| k.is_finite() && k >= 0.0));
        }
    }

    #[test]
    fn fund_metrics_and_pme_are_finite_or_errors(
        rows in prop::collection::vec((0.0f64..1e300, 0.0f64..1e300, 1e-300f64..1e300), 1..8),
        nav in 0.0f64..1e300,
    ) {
        let calls: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let dists: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let index: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let t = FlowTable::from_gross(
            Timeline::Periods((0..rows.len() as i64).collect()), &calls, &dists, Some(&index),
        ).unwrap();
        if let Ok(m) = fund_metrics(&t, nav) {
            // Paid-in and distributed are the column totals, never netted.
            let (c, d): (f64, f64) = (calls.iter().sum(), dists.iter().sum());
            prop_assert_eq!(m.paid_in, c);
            prop_assert_eq!(m.distributed, d);
            prop_assert!(m.irr.is_none_or(f64::is_finite));
        }
        if let Ok(p) = pme(&t, nav) {
            prop_assert!(p.ks_pme.is_finite() && p.ln_pme_nav.is_finite());
            prop_assert!(p.pme_plus_lambda.is_none_or(f64::is_finite));
            prop_assert!(p.index_irr.is_none_or(f64::is_finite));
            prop_assert!(p.irr.is_none_or(f64::is_finite));
            prop_assert!(p.direct_alpha.is_none_or(f64::is_finite));
        }
    }

    #[test]
    fn flow_csv_parser_never_panics(
        periods in prop::collection::vec(any::<i64>(), 1..5),
        amounts in prop::collection::vec(any_finite(), 1..5),
    ) {
        let mut csv = String::from("period,amount\n");
        for (p, a) in periods.iter().zip(&amounts) {
            csv += &format!("{p},{a}\n");
        }
        if let Ok(t) = parse_flows_csv(csv.as_bytes(), "f.csv") {
            // The span from the first period fits: ticks never wrap.
            let (ticks, _) = t.ticks();
            prop_assert!(ticks.windows(2).all(|w| w[0] <= w[1]));
            if let Ok(m) = fund_metrics(&t, 0.0) {
                prop_assert!(m.tvpi.is_finite() && m.dpi.is_finite() && m.paid_in.is_finite());
                prop_assert!(m.irr.is_none_or(f64::is_finite));
            }
        }
    }

    #[test]
    fn waterfall_payouts_are_finite_or_an_error(
        multiple in any_finite(), exit in 0.0f64..f64::MAX,
    ) {
        let toml = format!(r#"
            [[holders]]
            name = "Founder"
            class = "common"
            shares = 1000000

            [[events]]
            type = "priced-round"
            date = "2026-01-01"
            series = "A"
            pre_money = "10M"
            investors = [{{ holder = "Lead", amount = "5M" }}]
            preference = {{ multiple = {multiple:e} }}
        "#);
        if let Ok(f) = CapTableFile::from_toml(&toml) {
            if let Ok((_, t, _)) = apply(&f) {
                if let Ok(p) = waterfall(&t, exit) {
                    prop_assert!(p.iter().all(|x| x.amount.is_finite() && x.amount >= 0.0));
                }
            }
        }
    }
}

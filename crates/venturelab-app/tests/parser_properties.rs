//! Properties of every parser a front end feeds user text to: any string gives a finite
//! value or an error (never a panic, never NaN or inf), and what a person writes reads as
//! they meant it.

use proptest::prelude::*;
use venturelab::scenario::{parse_money, parse_rate};
use venturelab_app::captable::parse_sweep;
use venturelab_app::fit::{parse_compare, parse_xmin_range};
use venturelab_app::fund::{parse_target, range_values};
use venturelab_app::source::numbers;

/// Strings a user or a fuzzer may type: numbers in many spellings, suffixes, signs,
/// separators, non-ASCII digits and junk.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+]?[0-9]{0,400}(\\.[0-9]{0,30})?([eE][-+]?[0-9]{1,4})?[kKmMbB%]?",
        "(NaN|nan|inf|-inf|infinity|1e308|1e-320|-0|1,000|\u{0661}\u{0662}|150%|)",
        "[0-9.eE+\\-%kMB, ]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn money_and_rates_are_finite_or_refused(s in text()) {
        if let Ok(v) = parse_money(&s) {
            prop_assert!(v.is_finite(), "{s:?} -> {v}");
        }
        if let Ok(v) = parse_rate(&s) {
            prop_assert!(v.is_finite(), "{s:?} -> {v}");
        }
    }

    #[test]
    fn amounts_read_as_written(x in -1e12f64..1e12) {
        // Plain decimal, and with the suffixes of DESIGN.md (k = 1e3, M = 1e6, B = 1e9).
        prop_assert_eq!(parse_money(&format!("{x}")), Ok(x));
        for (suffix, scale) in [("k", 1e3), ("M", 1e6), ("B", 1e9)] {
            let v = parse_money(&format!("{x}{suffix}")).unwrap();
            prop_assert!((v - x * scale).abs() <= 1e-12 * (x * scale).abs(), "{x}{suffix} -> {v}");
        }
        // A percentage is a hundredth.
        let r = parse_rate(&format!("{x}%")).unwrap();
        prop_assert!((r - x / 100.0).abs() <= 1e-15 * x.abs().max(1.0), "{x}% -> {r}");
    }

    #[test]
    fn lists_ranges_and_targets_never_panic(s in text(), points in 0usize..50) {
        if let Ok(v) = numbers(&s, "input") {
            prop_assert!(v.iter().all(|x| x.is_finite()));
        }
        if let Ok(v) = range_values(&format!("{s}..{s}9"), points) {
            prop_assert!(v.iter().all(|x| x.is_finite()));
        }
        if let Ok((_, goal)) = parse_target(&format!("net_tvpi.p50={s}")) {
            // A target is any number Rust reads, NaN refused by the search itself.
            let _ = goal;
        }
        let _ = parse_xmin_range(&format!("{s}..{s}"));
        let _ = parse_compare(&s);
        if let Ok((a, b)) = parse_sweep(&format!("{s}..{s}")) {
            prop_assert!(a.is_finite() && b.is_finite());
        }
    }
}

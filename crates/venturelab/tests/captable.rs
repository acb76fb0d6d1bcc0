//! Cap tables against published worked examples and hand arithmetic.

use venturelab::captable::file::CapTableFile;
use venturelab::captable::{apply, waterfall};

fn close(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "got {a}, expected {b}");
}

const YC: &str = r#"
[[holders]]
name = "Founders"
class = "common"
shares = 9_000_000

[[holders]]
name = "Pool"
class = "options"
shares = 1_000_000

[[safes]]
holder = "Safe A"
kind = "post-money"
investment = "200k"
cap = "4M"

[[safes]]
holder = "Safe B"
kind = "post-money"
investment = "800k"
cap = "8M"

[[events]]
type = "priced-round"
date = "2026-01-01"
series = "Series A"
pre_money = "15M"
pool_increase = 1_695_000
investors = [{ holder = "Lead", amount = "5M" }]
"#;

#[test]
fn yc_post_money_safe_user_guide_example() {
    // Y Combinator, "Post-Money Safe User Guide": 10,000,000 shares; Safe A $200k at a $4M
    // post-money cap, Safe B $800k at $8M: company capitalization 11,764,705, A 588,235
    // shares, B 1,176,470; then a $5M Series A at $15M pre-money with a 1,695,000-share pool
    // increase: price $1.1144, 4,486,719 new shares.
    let f = CapTableFile::from_toml(YC).unwrap();
    let (rounds, table, _) = apply(&f).unwrap();
    let r = &rounds[0];
    let a = r.conversions.iter().find(|c| c.holder == "Safe A").unwrap();
    let b = r.conversions.iter().find(|c| c.holder == "Safe B").unwrap();
    assert_eq!(a.shares, 588_235);
    assert_eq!(b.shares, 1_176_470);
    assert_eq!((a.basis, b.basis), ("cap", "cap"));
    // Safe price = $4M / 11,764,705 = 0.34000003 -> $0.3400 and $8M / 11,764,705 =
    // 0.68000005 -> $0.6800: conversion prices are rounded to price_decimals (4) as the
    // round price is, and as the guide prints them (issue 16 item 4).
    assert_eq!((a.price, b.price), (0.34, 0.68));
    close(r.price_per_share, 1.1144, 1e-12);
    assert_eq!(r.new_shares, 4_486_719);
    assert_eq!(r.pool_increase, 1_695_000);
    // Post-money fully diluted: 10,000,000 + 588,235 + 1,176,470 + 1,695,000 + 4,486,719.
    assert_eq!(table.total_shares(), 17_946_424);
    let fd: f64 = r.table.iter().map(|row| row.fully_diluted).sum();
    close(fd, 1.0, 1e-12);
}

fn one_series(preference: &str) -> venturelab::captable::Table {
    // Founders 8,000,000 common; a $2M Series A at $8M pre-money: $1.00 a share, 2,000,000
    // shares (20%).
    let text = format!(
        r#"
[[holders]]
name = "Founders"
class = "common"
shares = 8_000_000

[[events]]
type = "priced-round"
date = "2026-01-01"
series = "A"
pre_money = "8M"
investors = [{{ holder = "VC", amount = "2M" }}]
preference = {preference}
"#
    );
    apply(&CapTableFile::from_toml(&text).unwrap()).unwrap().1
}

fn paid(t: &venturelab::captable::Table, exit: f64, holder: &str) -> (f64, bool) {
    let p = waterfall(t, exit).unwrap();
    let total: f64 = p.iter().map(|x| x.amount).sum();
    close(total, exit, 1e-6 * exit.max(1.0));
    let x = p.iter().find(|x| x.holder == holder).unwrap();
    (x.amount, x.converted)
}

#[test]
fn non_participating_converts_above_the_breakpoint() {
    // 1x non-participating: the VC takes max($2M, 20% of the exit); breakpoint $10M.
    let t = one_series("{ multiple = 1.0, participation = \"none\" }");
    assert_eq!(paid(&t, 5e6, "VC"), (2e6, false)); // 20% would be $1M
    close(paid(&t, 5e6, "Founders").0, 3e6, 1e-6);
    let (vc, conv) = paid(&t, 20e6, "VC"); // 20% = $4M > $2M
    close(vc, 4e6, 1e-6);
    assert!(conv);
    close(paid(&t, 1e6, "VC").0, 1e6, 1e-6); // below the preference: everything
}

#[test]
fn full_participation() {
    // $2M back, then 20% of the rest: at $5M, 2 + 0.2 x 3 = $2.6M; at $20M, 2 + 0.2 x 18 = $5.6M.
    let t = one_series("{ multiple = 1.0, participation = \"full\" }");
    close(paid(&t, 5e6, "VC").0, 2.6e6, 1e-6);
    close(paid(&t, 20e6, "VC").0, 5.6e6, 1e-6);
    close(paid(&t, 20e6, "Founders").0, 14.4e6, 1e-6);
}

#[test]
fn capped_participation() {
    // Cap 3x = $6M in total. $20M: 2 + 0.2 x 18 = 5.6 (under the cap). $28M: 2 + 0.2 x 26 = 7.2,
    // capped at 6, and converting gives 0.2 x 28 = 5.6 < 6: stays, $6M. $40M: capped 6 vs
    // converting 0.2 x 40 = 8: converts, $8M.
    let t = one_series("{ multiple = 1.0, participation = \"capped\", cap = 3.0 }");
    close(paid(&t, 20e6, "VC").0, 5.6e6, 1e-6);
    let (vc, conv) = paid(&t, 28e6, "VC");
    close(vc, 6e6, 1e-6);
    assert!(!conv);
    close(paid(&t, 28e6, "Founders").0, 22e6, 1e-6);
    let (vc, conv) = paid(&t, 40e6, "VC");
    close(vc, 8e6, 1e-6);
    assert!(conv);
}

#[test]
fn bad_cap_tables_name_the_key() {
    let cases = [
        (YC.replace("cap = \"4M\"", "cap = \"100k\""), "safes.0.cap"),
        (
            YC.replace("amount = \"5M\"", "amount = \"-5M\""),
            "events.0.investors.0.amount",
        ),
        (
            YC.replace("pool_increase = 1_695_000", "pool_target_post = \"100%\""),
            "events.0.pool_target_post",
        ),
        (
            YC.replace("investment = \"200k\"", "investment = \"-200k\""),
            "safes.0.investment",
        ),
        (
            format!("{YC}\n[[events]]\ntype = \"exit\"\ndate = \"2025-01-01\"\nvalue = \"50M\"\n"),
            "events.1.date",
        ),
    ];
    for (text, key) in cases {
        let err = CapTableFile::from_toml(&text)
            .and_then(|f| apply(&f).map(|_| ()))
            .unwrap_err()
            .to_string();
        assert!(err.contains(key), "expected {key} in: {err}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn table(
        common: u64,
        invest: f64,
        pre: f64,
        participation: &str,
        second: bool,
    ) -> venturelab::captable::Table {
        let pref = match participation {
            "capped" => "{ multiple = 1.0, participation = \"capped\", cap = 2.5 }".to_string(),
            p => format!("{{ multiple = 1.5, participation = \"{p}\" }}"),
        };
        let mut text = format!(
            "[[holders]]\nname = \"F\"\nclass = \"common\"\nshares = {common}\n[[holders]]\nname = \"Pool\"\nclass = \"options\"\nshares = {}\n\
             [[events]]\ntype = \"priced-round\"\ndate = \"2026-01-01\"\nseries = \"A\"\npre_money = {pre}\ninvestors = [{{ holder = \"VC1\", amount = {invest} }}]\npreference = {pref}\n",
            common / 10
        );
        if second {
            text += &format!(
                "[[events]]\ntype = \"priced-round\"\ndate = \"2027-01-01\"\nseries = \"B\"\npre_money = {}\ninvestors = [{{ holder = \"VC2\", amount = {} }}]\npreference = {{ multiple = 1.0, participation = \"none\", seniority = 2 }}\n",
                pre * 3.0,
                invest * 2.0
            );
        }
        apply(&CapTableFile::from_toml(&text).unwrap()).unwrap().1
    }

    proptest! {
        #[test]
        fn payouts_sum_and_preferences_behave(
            common in 1_000_000u64..20_000_000,
            invest in 100_000.0f64..20_000_000.0,
            pre in 1_000_000.0f64..100_000_000.0,
            part in prop_oneof![Just("none"), Just("full"), Just("capped")],
            second in any::<bool>(),
            exit in 0.0f64..500_000_000.0,
        ) {
            let t = table(common, invest, pre, part, second);
            let p = waterfall(&t, exit).unwrap();
            let total: f64 = p.iter().map(|x| x.amount).sum();
            prop_assert!((total - exit).abs() <= 1e-6 * exit.max(1.0), "sum {total} vs {exit}");
            prop_assert!(p.iter().all(|x| x.amount >= -1e-9));
            // Common payout is monotone in the exit value.
            let common_at = |v: f64| waterfall(&t, v).unwrap().iter().filter(|x| x.class == "common").map(|x| x.amount).sum::<f64>();
            prop_assert!(common_at(exit * 1.1 + 1.0) + 1e-6 >= common_at(exit));
            // A non-participating class gets at least its as-converted share and at most the
            // greater of its preference and its as-converted share of the whole exit.
            if !second && part == "none" {
                let vc = p.iter().find(|x| x.holder == "VC1").unwrap().amount;
                let issued: f64 = t.positions.iter().filter(|x| x.class != "options").map(|x| x.shares as f64).sum();
                let vc_shares = t.positions.iter().find(|x| x.holder == "VC1").unwrap().shares as f64;
                let as_converted = exit * vc_shares / issued;
                let pref = 1.5 * invest;
                prop_assert!(vc + 1e-6 * exit.max(1.0) >= as_converted.min(exit));
                prop_assert!(vc <= as_converted.max(pref.min(exit)) + 1e-6 * exit.max(1.0) + 1.0);
            }
        }
    }
}

fn note_table(cap: &str) -> venturelab::captable::RoundResult {
    let text = format!(
        r#"
[[holders]]
name = "Founders"
class = "common"
shares = 8_000_000

[[notes]]
holder = "Angel"
principal = "100k"
interest = "5%"
start = "2025-01-01"
cap = "{cap}"
discount = "20%"

[[events]]
type = "priced-round"
date = "2026-01-01"
series = "A"
pre_money = "10M"
investors = [{{ holder = "VC", amount = "2M" }}]
"#
    );
    apply(&CapTableFile::from_toml(&text).unwrap())
        .unwrap()
        .0
        .remove(0)
}

#[test]
fn note_converts_with_interest_at_the_cap() {
    // 365 days at 5% simple: 100,000 x 1.05 = 105,000 converts. Cap price: $5M / 8,000,000
    // pre-money shares = $0.625 (below the discounted round price), so 105,000 / 0.625 =
    // 168,000 shares. Pre-money shares 8,168,000: price 10,000,000 / 8,168,000 = 1.22429 ->
    // $1.2243; the VC's $2M buys floor(2,000,000 / 1.2243) = 1,633,586 shares.
    let r = note_table("5M");
    let c = &r.conversions[0];
    assert_eq!((c.shares, c.basis), (168_000, "cap"));
    close(c.price, 0.625, 1e-12);
    close(r.price_per_share, 1.2243, 1e-12);
    assert_eq!(r.new_shares, 1_633_586);
}

#[test]
fn note_converts_at_the_discount_when_the_cap_is_high() {
    // Cap $50M: cap price $6.25, so the 20% discount applies: shares c = floor(105,000 /
    // round4(0.8 p)) and p = round4(10,000,000 / (8,000,000 + c)); the discounted price is
    // rounded to 4 decimals like every per-share price (issue 16 item 4). By hand: with
    // p = 1.2336, 0.8 p = 0.98688 -> 0.9869, c = floor(105,000 / 0.9869) =
    // floor(106,393.76) = 106,393 and p = 10,000,000 / 8,106,393 = 1.233596 -> 1.2336
    // again: the fixed point. (Unrounded, 0.98688 gave 106,395.)
    let r = note_table("50M");
    let c = &r.conversions[0];
    assert_eq!((c.shares, c.basis), (106_393, "discount"));
    close(r.price_per_share, 1.2336, 1e-12);
    assert_eq!(c.price, 0.9869);
}

#[test]
fn option_pool_shuffle_to_a_post_money_target() {
    // Founders 8,000,000 and a 500,000 pool; $2.5M at $10M pre-money with a 10% post-money
    // pool. Algebra: 500,000 + P = 0.1 x post, post = 1.25 (8,500,000 + P) -> P ≈ 642,857;
    // with whole shares and a 4-decimal price: P = 642,846, price 10,000,000 / 9,142,846 =
    // 1.093751 -> $1.0938, new shares floor(2,500,000 / 1.0938) = 2,285,609, pool after
    // 1,142,846 of 11,428,455 = 10.0000%. The pool comes out of the pre-money: the
    // founders' 8,000,000 shares are priced at $1.0938 (an effective pre-money of $9.3M for
    // the 8.5M shares that existed before, not $10M).
    let text = r#"
[[holders]]
name = "Founders"
class = "common"
shares = 8_000_000

[[holders]]
name = "Pool"
class = "options"
shares = 500_000

[[events]]
type = "priced-round"
date = "2026-01-01"
series = "A"
pre_money = "10M"
pool_target_post = "10%"
investors = [{ holder = "VC", amount = "2.5M" }]
"#;
    let (rounds, table, _) = apply(&CapTableFile::from_toml(text).unwrap()).unwrap();
    let r = &rounds[0];
    assert_eq!(r.pool_increase, 642_846);
    close(r.price_per_share, 1.0938, 1e-12);
    assert_eq!(r.new_shares, 2_285_609);
    let pool: u64 = table
        .positions
        .iter()
        .filter(|p| p.class == "options")
        .map(|p| p.shares)
        .sum();
    close(pool as f64 / table.total_shares() as f64, 0.1, 1e-6);
}

#[test]
fn warrants_exercise_when_in_the_money() {
    // Founders 9,000,000 common; a warrant for 1,000,000 common at $1.
    // Exit $20M: exercising adds $1M and 1,000,000 shares: $21M / 10,000,000 = $2.10 a share,
    // so the holder nets 2.1M - 1M = $1.1M and the founders get $18.9M.
    // Exit $5M: $6M / 10,000,000 = $0.60 < $1: not exercised; the founders get $5M.
    let text = r#"
[[holders]]
name = "Founders"
class = "common"
shares = 9_000_000

[[warrants]]
holder = "Lender"
shares = 1_000_000
strike = 1.0
"#;
    let f = CapTableFile::from_toml(text).unwrap();
    let (_, t, _) = apply(&f).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    let p = venturelab::captable::exit::waterfall_at_exit(&f, &t, 20e6, date).unwrap();
    let get = |p: &[venturelab::captable::Payout], h: &str| {
        p.iter()
            .filter(|x| x.holder == h)
            .map(|x| x.amount)
            .sum::<f64>()
    };
    close(get(&p, "Lender"), 1.1e6, 1e-6);
    close(get(&p, "Founders"), 18.9e6, 1e-6);
    let p = venturelab::captable::exit::waterfall_at_exit(&f, &t, 5e6, date).unwrap();
    close(get(&p, "Lender"), 0.0, 1e-9);
    close(get(&p, "Founders"), 5e6, 1e-6);
}

#[test]
fn safe_pro_rata_right() {
    // The YC example with Safe A exercising its pro rata right: it converts into 588,235 of
    // the 13,459,705 pre-money fully diluted shares and buys that share of the 4,486,719
    // shares sold: 588,235 x 4,486,719 / 13,459,705 = 196,084.9 -> 196,084 more shares.
    let text = YC.replacen("cap = \"4M\"", "cap = \"4M\"\npro_rata = true", 1);
    let (rounds, table, _) = apply(&CapTableFile::from_toml(&text).unwrap()).unwrap();
    let a: u64 = table
        .positions
        .iter()
        .filter(|p| p.holder == "Safe A")
        .map(|p| p.shares)
        .sum();
    assert_eq!(a, 588_235 + 196_084);
    assert_eq!(rounds[0].new_shares, 4_486_719 + 196_084);
}

#[test]
fn transfers_check_the_holder() {
    let base = "[[holders]]\nname = \"Founders\"\nclass = \"common\"\nshares = 1000\n";
    let ok = format!("{base}[[events]]\ntype = \"transfer\"\ndate = \"2026-01-01\"\nfrom = \"Founders\"\nto = \"Buyer\"\nshares = 300\n");
    let (_, t, _) = apply(&CapTableFile::from_toml(&ok).unwrap()).unwrap();
    assert_eq!(
        t.positions
            .iter()
            .find(|p| p.holder == "Buyer")
            .unwrap()
            .shares,
        300
    );
    assert_eq!(
        t.positions
            .iter()
            .find(|p| p.holder == "Founders")
            .unwrap()
            .shares,
        700
    );
    let unknown = ok.replace("from = \"Founders\"", "from = \"Fonders\"");
    let err = apply(&CapTableFile::from_toml(&unknown).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("events.0.from") && err.contains("unknown holder 'Fonders'"),
        "{err}"
    );
    let too_many = ok.replace("shares = 300", "shares = 3000");
    let err = apply(&CapTableFile::from_toml(&too_many).unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("events.0.shares"), "{err}");
}

#[test]
fn pre_money_safe_conversion_price_is_rounded_like_the_round_price() {
    // Issue 16 item 4, exact arithmetic: 9,000,000 founder shares; a $500k pre-money SAFE
    // capped at $5M pre-money. Cap price = 5,000,000 / 9,000,000 = 0.5555... -> $0.5556
    // (4 decimals, as the round price); shares = floor(500,000 / 0.5556) =
    // floor(899,928.006) = 899,928 (unrounded 0.5555... gave exactly 900,000). Series A:
    // $5M at $15M pre-money; S_pre = 9,000,000 + 899,928 = 9,899,928, price =
    // 15,000,000 / 9,899,928 = 1.515163 -> $1.5152, new shares floor(5,000,000 / 1.5152) =
    // floor(3,299,894.40) = 3,299,894.
    let f = CapTableFile::from_toml(
        r#"
[[holders]]
name = "Founders"
class = "common"
shares = 9_000_000

[[safes]]
holder = "Pre"
kind = "pre-money"
investment = "500k"
cap = "5M"

[[events]]
type = "priced-round"
date = "2026-01-01"
series = "Series A"
pre_money = "15M"
investors = [{ holder = "Lead", amount = "5M" }]
"#,
    )
    .unwrap();
    let (rounds, _, _) = apply(&f).unwrap();
    let r = &rounds[0];
    let c = &r.conversions[0];
    assert_eq!((c.price, c.shares, c.basis), (0.5556, 899_928, "cap"));
    assert_eq!(r.price_per_share, 1.5152);
    assert_eq!(r.new_shares, 3_299_894);
}

#[test]
fn rounding_settings_on_the_yc_example() {
    // The YC example under each [rounding] setting, by exact arithmetic. The company
    // capitalization is floor(10,000,000 / (1 - 200k/4M - 800k/8M)) = 11,764,705 whatever
    // the rounding (both SAFEs convert at their caps), so the SAFE prices are
    // 4M / 11,764,705 = 0.34000003 and 8M / 11,764,705 = 0.68000005.
    let with = |rounding: &str| {
        let f = CapTableFile::from_toml(&format!("{YC}\n[rounding]\n{rounding}\n")).unwrap();
        let (rounds, _, _) = apply(&f).unwrap();
        let r = rounds.into_iter().next().unwrap();
        let shares = |h: &str| r.conversions.iter().find(|c| c.holder == h).unwrap().shares;
        let price = |h: &str| r.conversions.iter().find(|c| c.holder == h).unwrap().price;
        (
            price("Safe A"),
            shares("Safe A"),
            price("Safe B"),
            shares("Safe B"),
            r.price_per_share,
            r.new_shares,
        )
    };
    // The default (nearest, 4 decimals, shares floored) is the guide's.
    let guide = (0.34, 588_235, 0.68, 1_176_470, 1.1144, 4_486_719);
    assert_eq!(with(""), guide);
    assert_eq!(
        with("price_decimals = 4\nprice_mode = \"nearest\"\nshares = \"floor\""),
        guide
    );
    // Down: every price is already at or above its 4-decimal floor, so the same.
    assert_eq!(with("price_mode = \"down\""), guide);
    // Up: $0.3401 and $0.6801; A = floor(200,000 / 0.3401) = 588,062, B = floor(800,000 /
    // 0.6801) = 1,176,297; pre-money shares 10,000,000 + 588,062 + 1,176,297 + 1,695,000 =
    // 13,459,359, price 15M / 13,459,359 = 1.11446615 -> $1.1145, new shares
    // floor(5M / 1.1145) = 4,486,316.
    assert_eq!(
        with("price_mode = \"up\""),
        (0.3401, 588_062, 0.6801, 1_176_297, 1.1145, 4_486_316)
    );
    // Nearest shares: B = 800,000 / 0.68 = 1,176,470.59 -> 1,176,471; pre-money shares
    // 13,459,706, price 15M / 13,459,706 = 1.11443742 -> $1.1144; 5M / 1.1144 =
    // 4,486,719.31 -> 4,486,719.
    assert_eq!(
        with("shares = \"nearest\""),
        (0.34, 588_235, 0.68, 1_176_471, 1.1144, 4_486_719)
    );
    // Two decimals, nearest: $0.34, $0.68 and 15M / 13,459,705 = 1.1144 -> $1.11, so
    // floor(5M / 1.11) = 4,504,504.
    let two = with("price_decimals = 2");
    assert_eq!((two.4, two.5), (1.11, 4_504_504));
    // Out of range names the key; an unknown mode names the line and the modes accepted.
    for (bad, key) in [
        ("price_decimals = 13", "rounding.price_decimals"),
        ("price_mode = \"sideways\"", "`nearest`, `up`, `down`"),
        ("shares = \"ceil\"", "`floor` or `nearest`"),
    ] {
        let text = format!("{YC}\n[rounding]\n{bad}\n");
        let e = CapTableFile::from_toml(&text)
            .and_then(|f| apply(&f).map(|_| ()))
            .unwrap_err()
            .to_string();
        assert!(e.contains(key), "{bad}: {e}");
    }
}

// ---- Open Cap Format import (issue 16 item 6) ----

/// An OCF export written for these tests (not a copy of the OCF samples), in the shape of
/// the OCF repository's options tutorial (docs/tutorials/options/samples): stakeholders,
/// classes and a plan in their own files, every transaction in Transactions.ocf.json,
/// with the current (1.x) object names.
fn ocf_export() -> Vec<(String, String)> {
    let stakeholders = r#"{"file_type": "OCF_STAKEHOLDERS_FILE", "items": [
      {"id": "ada", "object_type": "STAKEHOLDER", "name": {"legal_name": "Ada"}, "stakeholder_type": "INDIVIDUAL"},
      {"id": "bo", "object_type": "STAKEHOLDER", "name": {"legal_name": "Bo"}, "stakeholder_type": "INDIVIDUAL"},
      {"id": "cy", "object_type": "STAKEHOLDER", "name": {"legal_name": "Cy Ventures"}, "stakeholder_type": "INSTITUTION"},
      {"id": "dee", "object_type": "STAKEHOLDER", "name": {"legal_name": "Dee Lending"}, "stakeholder_type": "INSTITUTION"}]}"#;
    let classes = r#"{"file_type": "OCF_STOCK_CLASSES_FILE", "items": [
      {"id": "common", "object_type": "STOCK_CLASS", "name": "Common", "class_type": "COMMON", "seniority": "1", "liquidation_preference_multiple": "1", "participation_cap_multiple": "1"},
      {"id": "seed", "object_type": "STOCK_CLASS", "name": "Series Seed", "class_type": "PREFERRED", "seniority": "2", "liquidation_preference_multiple": "1", "participation_cap_multiple": "1"},
      {"id": "plan", "object_type": "STOCK_PLAN", "plan_name": "2021 Plan", "initial_shares_reserved": "2000000", "default_cancellation_behavior": "RETURN_TO_POOL", "stock_class_id": "common"}]}"#;
    let transactions = r#"{"file_type": "OCF_TRANSACTIONS_FILE", "items": [
      {"id": "i-ada", "object_type": "TX_STOCK_ISSUANCE", "date": "2021-01-01", "security_id": "s-ada", "stakeholder_id": "ada", "stock_class_id": "common", "share_price": {"amount": "0.0001", "currency": "USD"}, "quantity": "8000000"},
      {"id": "g-bo", "object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "date": "2021-06-01", "security_id": "o-bo", "stakeholder_id": "bo", "stock_plan_id": "plan", "compensation_type": "OPTION", "option_grant_type": "ISO", "quantity": "400000", "exercise_price": {"amount": "0.10", "currency": "USD"}},
      {"id": "g-cy", "object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "date": "2021-06-01", "security_id": "o-cy", "stakeholder_id": "cy", "stock_plan_id": "plan", "compensation_type": "OPTION", "quantity": "100000", "exercise_price": {"amount": "0.10", "currency": "USD"}},
      {"id": "i-cy", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-01-01", "security_id": "s-cy", "stakeholder_id": "cy", "stock_class_id": "seed", "share_price": {"amount": "1.00", "currency": "USD"}, "quantity": "1000000"},
      {"id": "pool-up", "object_type": "TX_STOCK_PLAN_POOL_ADJUSTMENT", "date": "2022-03-01", "stock_plan_id": "plan", "shares_reserved": "2500000"},
      {"id": "x-cy", "object_type": "TX_EQUITY_COMPENSATION_CANCELLATION", "date": "2022-06-01", "security_id": "o-cy", "quantity": "100000", "reason_text": "left"},
      {"id": "e-bo", "object_type": "TX_EQUITY_COMPENSATION_EXERCISE", "date": "2023-01-01", "security_id": "o-bo", "quantity": "100000", "resulting_security_ids": ["s-bo"]},
      {"id": "i-bo", "object_type": "TX_STOCK_ISSUANCE", "date": "2023-01-01", "security_id": "s-bo", "stakeholder_id": "bo", "stock_class_id": "common", "share_price": {"amount": "0.10", "currency": "USD"}, "quantity": "100000"},
      {"id": "split", "object_type": "TX_STOCK_CLASS_SPLIT", "date": "2023-06-01", "stock_class_id": "common", "split_ratio": {"numerator": "2", "denominator": "1"}},
      {"id": "t-ada", "object_type": "TX_STOCK_TRANSFER", "date": "2023-09-01", "security_id": "s-ada", "quantity": "1000000", "resulting_security_ids": ["s-cy2"], "balance_security_id": "s-ada2"},
      {"id": "i-cy2", "object_type": "TX_STOCK_ISSUANCE", "date": "2023-09-01", "security_id": "s-cy2", "stakeholder_id": "cy", "stock_class_id": "common", "quantity": "1000000"},
      {"id": "i-ada2", "object_type": "TX_STOCK_ISSUANCE", "date": "2023-09-01", "security_id": "s-ada2", "stakeholder_id": "ada", "stock_class_id": "common", "quantity": "15000000"},
      {"id": "safe", "object_type": "TX_CONVERTIBLE_ISSUANCE", "date": "2024-01-01", "security_id": "c-dee", "stakeholder_id": "dee", "convertible_type": "SAFE", "investment_amount": {"amount": "500000", "currency": "USD"},
       "conversion_triggers": [{"conversion_right": {"conversion_mechanism": {"type": "SAFE_CONVERSION", "conversion_valuation_cap": {"amount": "10000000", "currency": "USD"}, "conversion_timing": "POST_MONEY"}}}]},
      {"id": "w-dee", "object_type": "TX_WARRANT_ISSUANCE", "date": "2024-02-01", "security_id": "w-dee", "stakeholder_id": "dee", "quantity": "50000", "exercise_price": {"amount": "0.50", "currency": "USD"}, "purchase_price": {"amount": "0", "currency": "USD"}},
      {"id": "i-oops", "object_type": "TX_STOCK_ISSUANCE", "date": "2024-02-15", "security_id": "s-oops", "stakeholder_id": "ada", "stock_class_id": "common", "quantity": "123"},
      {"id": "r-oops", "object_type": "TX_STOCK_RETRACTION", "date": "2024-03-01", "security_id": "s-oops", "reason_text": "entered by mistake"},
      {"id": "v-bo", "object_type": "TX_VESTING_START", "date": "2021-06-01", "security_id": "o-bo", "vesting_condition_id": "start"}]}"#;
    vec![
        ("Stakeholders.ocf.json".into(), stakeholders.into()),
        ("StockClasses.ocf.json".into(), classes.into()),
        ("Transactions.ocf.json".into(), transactions.into()),
    ]
}

#[test]
fn ocf_export_by_hand() {
    use venturelab::captable::ocf::import;
    // By hand, in date order. Plan: 2,000,000 reserved; 400,000 to Bo and 100,000 to Cy
    // (500,000 used); reserve raised to 2,500,000; Cy's 100,000 cancelled and returned
    // (400,000 used); Bo exercises 100,000 (300,000 options left, common issued to him;
    // exercised options stay used). 2-for-1 split of common: Ada 16,000,000, Bo 200,000
    // common and 600,000 options, the plan 5,000,000 reserved and 800,000 used. Ada
    // transfers 1,000,000 to Cy; her remainder is the balance security, 15,000,000. The
    // mistaken 123 shares are retracted. Pool: 5,000,000 - 800,000 = 4,200,000.
    let f = import(&ocf_export()).unwrap();
    let shares = |name: &str, class: &str| {
        f.holders
            .iter()
            .find(|h| h.name == name && h.class == class)
            .map(|h| h.shares)
    };
    assert_eq!(shares("Ada", "Common"), Some(15_000_000));
    assert_eq!(shares("Bo", "Common"), Some(200_000));
    assert_eq!(shares("Bo", "options"), Some(600_000));
    assert_eq!(shares("Cy Ventures", "Series Seed"), Some(1_000_000));
    assert_eq!(shares("Cy Ventures", "Common"), Some(1_000_000));
    assert_eq!(shares("Cy Ventures", "options"), None);
    assert_eq!(shares("Pool", "options"), Some(4_200_000));
    assert_eq!(f.holders.len(), 6);
    assert_eq!(f.safes.len(), 1);
    assert_eq!(
        (f.safes[0].investment.0, f.safes[0].cap.unwrap().0),
        (500_000.0, 1e7)
    );
    assert_eq!(f.warrants.len(), 1);
    assert_eq!(
        (f.warrants[0].shares, f.warrants[0].strike.0),
        (50_000, 0.5)
    );
    // A cap equal to the preference (as OCF exports record it) is no participation.
    let seed = f.classes.iter().find(|c| c.name == "Series Seed").unwrap();
    assert_eq!(seed.preference.as_ref().unwrap().participation, "none");
    assert_eq!(seed.issue_price, 1.0);
    // The import is a cap table the rest of the program takes as it is.
    assert!(apply(&f).is_ok());
}

#[test]
fn ocf_exports_that_lose_data_are_refused_naming_file_and_object() {
    use venturelab::captable::ocf::import;
    let with = |file: usize, from: &str, to: &str| {
        let mut docs = ocf_export();
        assert!(docs[file].1.contains(from), "{from}");
        docs[file].1 = docs[file].1.replacen(from, to, 1);
        match import(&docs) {
            Ok(_) => panic!("accepted with {to}"),
            Err(e) => e.to_string(),
        }
    };
    let cases = [
        // Two issuances of one security: shares would disappear.
        (
            with(2, r#""security_id": "s-bo""#, r#""security_id": "s-ada""#),
            vec!["Transactions.ocf.json", "i-bo", "s-ada", "issued twice"],
        ),
        // Two objects with one id, across files.
        (
            with(1, r#""id": "seed""#, r#""id": "ada""#),
            vec!["ada", "used twice", "Stakeholders.ocf.json"],
        ),
        // References to objects that do not exist.
        (
            with(
                2,
                r#""stakeholder_id": "bo", "stock_plan_id""#,
                r#""stakeholder_id": "zed", "stock_plan_id""#,
            ),
            vec!["g-bo", "stakeholder_id 'zed'"],
        ),
        (
            with(
                2,
                r#""security_id": "s-ada", "quantity": "1000000""#,
                r#""security_id": "s-nope", "quantity": "1000000""#,
            ),
            vec!["t-ada", "s-nope", "never issued"],
        ),
        (
            with(
                2,
                r#""stock_plan_id": "plan", "shares_reserved""#,
                r#""stock_plan_id": "plan-9", "shares_reserved""#,
            ),
            vec!["pool-up", "plan-9"],
        ),
        // Taking more than a security holds.
        (
            with(
                2,
                r#""quantity": "100000", "reason_text""#,
                r#""quantity": "100001", "reason_text""#,
            ),
            vec!["x-cy", "100001", "holds 100000"],
        ),
        // A type OCF does not define.
        (
            with(2, "TX_VESTING_START", "TX_VESTING_BEGIN"),
            vec!["v-bo", "TX_VESTING_BEGIN", "not an OCF object type"],
        ),
        // Granting more than the plan reserves (800,000 used of 600,000 after the split).
        (
            with(
                2,
                r#""shares_reserved": "2500000""#,
                r#""shares_reserved": "300000""#,
            ),
            vec!["StockClasses.ocf.json", "plan", "reserves only"],
        ),
    ];
    for (err, needles) in cases {
        for n in needles {
            assert!(err.contains(n), "expected {n:?} in: {err}");
        }
    }
    // No files, or files with no securities, are refused rather than shown as an empty table.
    assert!(import(&[])
        .unwrap_err()
        .to_string()
        .contains("no OCF files"));
    let only_people = vec![ocf_export().remove(0)];
    let e = import(&only_people).unwrap_err().to_string();
    assert!(e.contains("no outstanding securities"), "{e}");
}

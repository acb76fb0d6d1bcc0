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

//! `venturelab captable` and `venturelab waterfall` end to end.

use assert_cmd::Command;
use serde_json::Value;

fn vl() -> Command {
    Command::cargo_bin("venturelab").unwrap()
}

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/safe-to-series-a.toml"
);

#[test]
fn captable_json_matches_the_yc_guide() {
    let out = vl().args(["captable", EXAMPLE, "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &j["rounds"][0];
    assert_eq!(r["series"], "Series A");
    assert_eq!(r["price_per_share"], 1.1144);
    assert_eq!(r["new_shares"], 4_486_719);
    assert_eq!(r["pool_increase"], 1_695_000);
    let conv = r["conversions"].as_array().unwrap();
    assert_eq!(conv[0]["shares"], 588_235);
    assert_eq!(conv[0]["basis"], "cap");
    let fd: f64 = r["table"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["fully_diluted"].as_f64().unwrap())
        .sum();
    assert!((fd - 1.0).abs() < 1e-12);
}

#[test]
fn waterfall_json_sums_to_the_exit() {
    let out = vl()
        .args(["waterfall", EXAMPLE, "--exit", "50M", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["exit_value"], 50e6);
    let total: f64 = j["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount"].as_f64().unwrap())
        .sum();
    assert!((total - 50e6).abs() < 1.0);
    assert!(j["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["converted"].is_boolean()));
}

#[test]
fn bad_cap_table_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    for (from, to, key) in [
        ("cap = \"4M\"", "cap = \"100k\"", "safes.0.cap"),
        (
            "amount = \"5M\"",
            "amount = \"-5M\"",
            "events.0.investors.0.amount",
        ),
        (
            "pool_increase = 1_695_000",
            "pool_target_post = \"100%\"",
            "events.0.pool_target_post",
        ),
        (
            "date = \"2030-01-01\"",
            "date = \"2020-01-01\"",
            "events.1.date",
        ),
        ("kind = \"post-money\"", "kind = \"postmoney\"", "line"),
        (
            "[[events]]\ntype = \"exit\"",
            "[[events]]\ntype = \"transfer\"\ndate = \"2027-01-01\"\nfrom = \"Nobody\"\nto = \"X\"\nshares = 1\n\n[[events]]\ntype = \"exit\"",
            "events.1.from",
        ),
    ] {
        let p = dir.path().join("t.toml");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
        let out = vl()
            .args(["waterfall", &p.display().to_string(), "--exit", "10M"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(key) && err.contains("t.toml"),
            "expected {key}: {err}"
        );
    }
}

#[test]
fn financing_cost_and_compare() {
    // $100k RBF at 10% of a flat $50k a month, 1.5x cap: $5k a month for 30 months;
    // numpy-financial rate(30, -5, 100, 0) = 0.028446357691943907 a month.
    let out = vl()
        .args([
            "financing",
            "cost",
            "--rbf",
            "--advance",
            "100k",
            "--share",
            "10%",
            "--cap",
            "1.5",
            "--monthly-revenue",
            "50k",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!((j["irr_monthly"].as_f64().unwrap() - 0.028446357691943907).abs() < 1e-9);
    assert_eq!(j["payments"].as_array().unwrap().len(), 30);
    assert!(j["apr"].is_number() && j["effective_annual_rate"].is_number());
    let out = vl()
        .args([
            "financing",
            "compare",
            "--exit-values",
            "10M,30M,3B",
            "--json",
        ])
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["rows"].as_array().unwrap().len(), 3);
    let out = vl()
        .args([
            "financing",
            "cost",
            "--rbf",
            "--advance",
            "100k",
            "--share",
            "10%",
            "--cap",
            "1.5",
            "--monthly-revenue",
            "1k",
            "--months",
            "12",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not repaid"));
}

#[test]
fn ocf_folder_import_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("stakeholders.ocf.json"),
        r#"{"file_type": "OCF_STAKEHOLDERS_FILE", "items": [{"id": "a", "object_type": "STAKEHOLDER", "name": {"legal_name": "Ann"}}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("transactions.ocf.json"),
        r#"{"file_type": "OCF_TRANSACTIONS_FILE", "items": [
            {"id": "ca", "object_type": "STOCK_CLASS", "name": "Common", "class_type": "COMMON"},
            {"id": "si1", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-01-01", "security_id": "s1", "stakeholder_id": "a", "stock_class_id": "ca", "quantity": "8000000"}]}"#,
    )
    .unwrap();
    let out = vl()
        .args([
            "captable",
            "--ocf",
            &dir.path().display().to_string(),
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["table"][0]["holder"], "Ann");
    assert_eq!(j["table"][0]["shares"], 8_000_000);
    // A malformed object is named by its id.
    std::fs::write(
        dir.path().join("bad.ocf.json"),
        r#"{"items": [{"id": "si_bad", "object_type": "TX_STOCK_ISSUANCE", "date": "2022-02-01", "security_id": "s2", "stakeholder_id": "zed", "stock_class_id": "ca", "quantity": "5"}]}"#,
    )
    .unwrap();
    let out = vl()
        .args(["captable", "--ocf", &dir.path().display().to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("si_bad") && err.contains("bad.ocf.json"),
        "{err}"
    );
    // A folder with no OCF files is refused, not shown as an empty table.
    let empty = tempfile::tempdir().unwrap();
    refused(
        &["captable", "--ocf", &empty.path().display().to_string()],
        &["no OCF files"],
    );
}

/// Runs `args`, which must exit 2 with every needle in the message and nothing on stdout.
fn refused(args: &[&str], needles: &[&str]) {
    let out = vl().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}: partial output");
    for n in needles {
        assert!(err.contains(n), "{args:?}: expected '{n}' in: {err}");
    }
}

#[test]
fn hostile_cap_tables_are_refused_naming_the_key() {
    // Issue 17 classes 4 and 5, issue 16 item 7.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let path = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p.display().to_string()
    };
    let pref = "preference = { multiple = 1.0, participation = \"none\", seniority = 1 }";
    let cases = [
        (
            text.replace(pref, "preference = { multiple = 1e300 }"),
            "events.0.preference.multiple",
        ),
        (
            text.replace(
                pref,
                "preference = { multiple = 1.0, participation = \"capped\", cap = 0.5 }",
            ),
            "events.0.preference.cap",
        ),
        (
            text.replace("shares = 9_000_000", "shares = 18446744073709551615"),
            "holders.0.shares",
        ),
        (
            text.replacen(
                "[[events]]",
                "[[notes]]\nholder = \"N\"\nprincipal = \"100k\"\ninterest = \"1e308%\"\nstart = \"2025-01-01\"\n\n[[events]]",
                1,
            ),
            "notes.0.interest",
        ),
        (String::new(), "empty"),
        (
            "[[classes]]\nname = \"A\"\npreferred = true\nissue_price = 1.0\npreference = { multiple = 1.0, participation = \"capped\", cap = 0.5 }\n\n[[holders]]\nname = \"X\"\nclass = \"A\"\nshares = 10\n".to_string(),
            "classes.0.preference.cap",
        ),
    ];
    for (i, (body, key)) in cases.iter().enumerate() {
        let p = path(&format!("t{i}.toml"), body);
        refused(&["captable", &p], &[key, &format!("t{i}.toml")]);
        refused(&["waterfall", &p, "--exit", "10M"], &[key]);
    }
}

#[test]
fn a_huge_exit_pays_finite_amounts_that_sum_to_it() {
    // Issue 17: --exit 1e303 printed "inf" for every payout (value x shares overflowed).
    let out = vl()
        .args(["waterfall", EXAMPLE, "--exit", "1e303", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("null") && !text.contains("inf"), "{text}");
    let payouts = j["payouts"].as_array().expect("payouts");
    let total: f64 = payouts.iter().map(|p| p["amount"].as_f64().unwrap()).sum();
    assert!((total - 1e303).abs() <= 1e-9 * 1e303, "{total}");
}

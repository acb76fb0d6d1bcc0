//! `venturelab company default-alive`.

use assert_cmd::Command;
use serde_json::Value;

#[test]
fn default_alive_by_hand() {
    // Revenue 10k growing 10% a month, expenses 20k flat: breakeven in month 8 after burning
    // 160k - 10k (1.1^8 - 1)/0.1 = 45,641.12 (hand arithmetic in the library test).
    let out = Command::cargo_bin("venturelab")
        .unwrap()
        .args([
            "company",
            "default-alive",
            "--revenue",
            "10k",
            "--revenue-growth",
            "10%",
            "--expenses",
            "20k",
            "--cash",
            "40k",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["breakeven_period"], 8);
    assert!((j["capital_needed"].as_f64().unwrap() - 45_641.12).abs() < 0.01);
    assert_eq!(j["default_alive"], false);
    let bad = Command::cargo_bin("venturelab")
        .unwrap()
        .args([
            "company",
            "default-alive",
            "--revenue",
            "-5",
            "--revenue-growth",
            "1%",
            "--expenses",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--revenue"));
}

fn venturelab(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("venturelab")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn simulate_prints_the_documented_json_keys() {
    let out = venturelab(&[
        "company",
        "simulate",
        "--preset",
        "saas-seed",
        "--runs",
        "500",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "runs",
        "seed",
        "scenario",
        "survival",
        "stage_reached",
        "months_to_stage",
        "raised_series_a_within_24_months",
        "dead_by_month",
        "default_alive_share",
        "founder_ownership",
        "exit_value",
        "metrics",
        "vendor_hhi",
    ] {
        assert!(!j[key].is_null(), "missing {key}");
    }
    assert_eq!(j["runs"], 500);
    assert_eq!(j["survival"][0]["month"], 0);
    assert_eq!(j["survival"][0]["alive"], 1.0);
    for stage in ["validation", "product", "commercialization", "scale"] {
        assert!(j["stage_reached"][stage].is_number(), "{stage}");
    }
    for m in ["24", "48", "72"] {
        assert!(j["dead_by_month"][m].is_number(), "{m}");
    }
    let band = &j["metrics"]["by_month"][11];
    assert_eq!(band["month"], 12);
    for metric in [
        "mrr",
        "net_burn",
        "runway_months",
        "burn_multiple",
        "cac_payback_months",
        "ltv_to_cac",
        "gross_margin",
    ] {
        assert!(band[metric]["p50"].is_number(), "{metric}");
    }
}

#[test]
fn simulate_writes_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = venturelab(&[
        "company",
        "simulate",
        "--preset",
        "ai-app",
        "--runs",
        "300",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "survival.svg",
        "mrr_fan.svg",
        "runway.svg",
        "simulate.json",
        "runs.csv",
    ] {
        assert!(out_dir.join(f).exists(), "{f}");
    }
    let csv = std::fs::read_to_string(out_dir.join("runs.csv")).unwrap();
    assert_eq!(csv.lines().count(), 301, "a header and one row per run");
    assert!(csv.starts_with("run,death_month,acquired_month,exit_value"));
}

#[test]
fn stress_and_compare_run_side_by_side() {
    let out = venturelab(&[
        "company",
        "stress",
        "--preset",
        "ai-app",
        "--vendor",
        "model-api",
        "--price-change",
        "+30%",
        "--runs",
        "1000",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let gm = |k: &str| j[k]["gross_margin_24"]["p50"].as_f64().unwrap();
    assert!(gm("shocked") < gm("base"));
    let out = venturelab(&[
        "company",
        "compare",
        "--preset",
        "saas-seed",
        "--runs",
        "500",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    for p in ["vc", "rbf", "debt", "bootstrap"] {
        assert!(j["paths"][p]["founder_proceeds"]["mean"].is_number(), "{p}");
    }
    // Without new equity the founders are never diluted below their starting 60%.
    assert!(
        (j["paths"]["bootstrap"]["founder_ownership"]["p5"]
            .as_f64()
            .unwrap()
            - 0.6)
            .abs()
            < 1e-12
    );
}

#[test]
fn bad_company_input_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let preset = venturelab::presets::get("company", "saas-seed")
        .unwrap()
        .toml;
    let cases = [
        (
            preset.replace(
                "churn = { dist = \"loguniform\", low = 0.008, high = 0.03 }",
                "churn = \"120%\"",
            ),
            "revenue.churn",
        ),
        (
            preset.replace(
                "cac = { dist = \"lognormal\", mu = 9.615805, sigma = 0.7 }",
                "cac = -100",
            ),
            "revenue.cac",
        ),
        (
            preset.replace(
                "price = { dist = \"lognormal\", mu = 6.907755, sigma = 0.5 }",
                "price = \"-1k\"",
            ),
            "revenue.price",
        ),
    ];
    for (i, (text, key)) in cases.iter().enumerate() {
        assert_ne!(text, preset, "case {i} did not change the preset");
        let path = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = venturelab(&[
            "company",
            "simulate",
            path.to_str().unwrap(),
            "--runs",
            "10",
        ]);
        assert_eq!(out.status.code(), Some(2), "case {i}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(key), "case {i}: {err}");
    }
    let out = venturelab(&[
        "company",
        "stress",
        "--preset",
        "saas-seed",
        "--vendor",
        "model-api",
        "--price-change",
        "+30%",
        "--runs",
        "10",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--vendor") && err.contains("cloud"), "{err}");
    let out = venturelab(&[
        "company",
        "simulate",
        "--preset",
        "saas-seed",
        "--months",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--months"));
    let out = venturelab(&[
        "company",
        "compare",
        "--preset",
        "saas-seed",
        "--paths",
        "vc,angel",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("angel"));
}

#[test]
fn hostile_default_alive_returns_at_once() {
    // Issue 17 classes 2 and 4: these used to count down from u64::MAX (hang) or print
    // "capital needed NaN". Each must answer within a second, with a finite answer or
    // exit 2 naming the input.
    let da = |extra: &[&str]| {
        let mut args = vec!["company", "default-alive"];
        args.extend_from_slice(extra);
        let start = std::time::Instant::now();
        let out = venturelab(&args);
        assert!(
            start.elapsed().as_secs_f64() < 5.0,
            "{extra:?} took {:?}",
            start.elapsed()
        );
        out
    };
    // Revenue 1e-320 growing 3% reaches 2,000 in period ceil((ln 2000 - ln 1e-320) / ln 1.03)
    // = ceil(25184.65) = 25185 (hand arithmetic in the library test).
    let out = da(&[
        "--revenue=1e-320",
        "--revenue-growth=3%",
        "--expenses=2000",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["breakeven_period"], 25185);
    assert!(j["capital_needed"].as_f64().unwrap().is_finite());
    for (extra, flag) in [
        (
            vec![
                "--revenue",
                "0.001",
                "--revenue-growth",
                "3%",
                "--expenses",
                "1e306",
            ],
            "--expenses",
        ),
        (
            vec![
                "--revenue",
                "100",
                "--revenue-growth",
                "5%",
                "--expenses",
                "1e308",
            ],
            "--expenses",
        ),
    ] {
        let out = da(&extra);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(flag) && !err.contains("NaN"), "{err}");
    }
    let out = da(&[
        "--revenue",
        "100",
        "--revenue-growth",
        // 1e306 a period; written with % since a bare rate above 1 is refused.
        "1e308%",
        "--expenses",
        "2000",
        "--json",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("null") && !text.contains("NaN"), "{text}");
}

#[test]
fn duplicate_paths_and_an_infinite_rbf_cap_are_refused() {
    let out = venturelab(&["company", "compare", "--paths", "vc,vc", "--runs", "10"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--paths") && err.contains("twice"), "{err}");
    let out = venturelab(&[
        "financing",
        "compare",
        "--exit-values",
        "30M",
        "--rbf-cap",
        "inf",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--rbf-cap"), "{err}");
}

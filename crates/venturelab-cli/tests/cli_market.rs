//! `venturelab market simulate | experiment`.

use assert_cmd::Command;
use serde_json::Value;

fn venturelab(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("venturelab")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn simulate_runs_the_default_preset_with_the_documented_keys() {
    // Neither a scenario nor a preset: the default market.
    let out = venturelab(&[
        "market",
        "simulate",
        "--runs",
        "2",
        "--quarters",
        "48",
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
        "capital_share",
        "hhi",
        "valuation_to_intrinsic",
        "value_available",
        "value_realised",
        "missing_middle",
        "long_maturity_funded_share",
        "returns_by_strategy",
        "strategy_share",
    ] {
        assert!(!j[key].is_null(), "missing {key}");
    }
    assert_eq!(j["runs"], 2);
    let hhi = j["hhi"].as_array().unwrap();
    assert_eq!(hhi.len(), 48);
    for k in ["quarter", "mean", "p5", "p95"] {
        assert!(!hhi[30][k].is_null(), "{k}");
    }
    for sector in ["ai", "enterprise", "fintech", "health", "climate"] {
        assert_eq!(j["capital_share"][sector].as_array().unwrap().len(), 48);
        assert!(j["valuation_to_intrinsic"][sector].is_array());
    }
    assert!(j["missing_middle"]["count"]["mean"].is_number());
    assert!(j["missing_middle"]["value"]["mean"].is_number());
    for s in [
        "narrative",
        "fundamentals",
        "threshold",
        "contrarian",
        "index",
    ] {
        assert!(j["strategy_share"][s].is_array(), "{s}");
    }
}

#[test]
fn simulate_writes_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("m");
    let out = venturelab(&[
        "market",
        "simulate",
        "--runs",
        "2",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "capital_share.svg",
        "hhi.svg",
        "bubble_index.svg",
        "returns_by_strategy.svg",
        "simulate.json",
        "quarters.csv",
    ] {
        assert!(out_dir.join(f).exists(), "{f}");
    }
    let csv = std::fs::read_to_string(out_dir.join("quarters.csv")).unwrap();
    assert_eq!(csv.lines().count(), 81, "a header and one row per quarter");
    assert!(csv.starts_with("quarter,hhi,bubble_index,live_funds,capital_share_ai"));
}

#[test]
fn quarters_csv_quotes_a_sector_name_with_commas_and_quotes() {
    // Issue 23: with the cells joined by format!, a sector named `AI, "gen" apps` gave a
    // header of 21 fields over rows of 19. Every record must have the header's length, and
    // the name must read back whole (RFC 4180 quoting, parsed by the csv crate).
    let dir = tempfile::tempdir().unwrap();
    let preset = venturelab::presets::get("market", "market").unwrap().toml;
    let text = preset.replace("name = \"ai\"", "name = 'AI, \"gen\" apps'");
    assert_ne!(text, preset);
    let path = dir.path().join("quoted.toml");
    std::fs::write(&path, text).unwrap();
    let out_dir = dir.path().join("m");
    let out = venturelab(&[
        "market",
        "simulate",
        path.to_str().unwrap(),
        "--runs",
        "2",
        "--quarters",
        "6",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(out_dir.join("quarters.csv")).unwrap();
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header = r.headers().unwrap().clone();
    // quarter, hhi, bubble_index, live_funds, two per sector (5), one per strategy (5).
    assert_eq!(header.len(), 4 + 2 * 5 + 5);
    assert_eq!(&header[4], "capital_share_AI, \"gen\" apps");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 6);
    for row in &rows {
        assert_eq!(row.len(), header.len());
    }
}

#[test]
fn scapegoat_has_one_row_per_condition() {
    let out = venturelab(&["market", "experiment", "scapegoat", "--runs", "2", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["condition"], "no shock");
    assert_eq!(rows[2]["sector"], "enterprise");
    for k in [
        "mean_hhi",
        "peak_capital_share",
        "peak_valuation_to_intrinsic",
        "realised_share",
    ] {
        assert!(rows[1][k]["low"].is_number(), "{k}");
    }
    assert!(rows[1]["missing_middle"]["count"]["mean"].is_number());
}

#[test]
fn bad_market_input_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let preset = venturelab::presets::get("market", "market").unwrap().toml;
    let cases = [
        (
            preset.replace("startups_per_quarter = 2000", "startups_per_quarter = -1"),
            "market.startups_per_quarter",
        ),
        (
            preset.replace("contrarian = 0.2", "contrarian = 1.2"),
            "strategies.contrarian",
        ),
        (
            format!(
                "{preset}\n[[shocks]]\nsector = \"quantum\"\nquarter = 3\nsize = 1\nquarters = 2\n"
            ),
            "shocks.0.sector",
        ),
    ];
    for (i, (text, key)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = venturelab(&["market", "simulate", path.to_str().unwrap(), "--runs", "1"]);
        assert_eq!(out.status.code(), Some(2), "case {i}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(key), "case {i}: {err}");
    }
    let out = venturelab(&["market", "simulate", "--runs", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--runs"));
    let out = venturelab(&["market", "experiment", "bubbles"]);
    assert_eq!(out.status.code(), Some(2));
}

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

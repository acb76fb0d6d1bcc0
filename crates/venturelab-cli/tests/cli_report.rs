//! Each "Reproduce:" command the report prints gives exactly the numbers the report shows
//! (issue 18: the stress and compare lines left out `--runs` and gave other numbers). A quick
//! report with a seed of its own is written, every printed command is run with `--json`, and
//! its numbers are compared with the section's data in `report.json`: the same runs with the
//! same seed, so equal to the last bit.

use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

fn vl() -> Command {
    Command::new(env!("CARGO_BIN_EXE_venturelab"))
}

/// The commands inside `Reproduce: <code>...</code>` of the page, HTML entities undone.
fn reproduce_commands(html: &str) -> Vec<String> {
    html.split("Reproduce: <code>")
        .skip(1)
        .map(|rest| {
            rest[..rest.find("</code>").expect("a closing </code>")]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

fn json_of(command: &str) -> Value {
    let args: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(args[0], "venturelab", "{command}");
    let out = vl().args(&args[1..]).arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One quick report (HTML, report.json) shared by the tests of this file.
fn quick_report() -> &'static (String, Value) {
    static REPORT: OnceLock<(String, Value)> = OnceLock::new();
    REPORT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        // A seed other than the default, so that the lines must carry --seed as well as --runs.
        let status = vl()
            .args(["report", "--quick", "--seed", "7", "--out"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        let html = std::fs::read_to_string(out.join("index.html")).unwrap();
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                .unwrap();
        (html, report)
    })
}

/// The page opens with its findings: seven sentences, each with a number, each linking to a
/// section of the page, the numbers being those of the section's data.
#[test]
fn the_summary_opens_the_page_with_seven_linked_findings() {
    let (html, report) = quick_report();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 7, "{findings:?}");
    let summary_at = html
        .find("<section id=\"findings\"")
        .expect("a findings section");
    for f in findings {
        let id = f["section"].as_str().unwrap();
        let text = f["text"].as_str().unwrap();
        assert!(text.chars().any(|c| c.is_ascii_digit()), "{text}");
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        let anchor = format!("<section id=\"{id}\"");
        let section_at = html.find(&anchor).unwrap_or_else(|| panic!("no {anchor}"));
        assert!(summary_at < section_at, "the summary comes before {id}");
        assert!(html.contains(&format!("href=\"#{id}\"")), "a link to {id}");
    }
    // The numbers are the sections' own, formatted as the tables format a rate (two
    // decimals of a percent).
    let pct = |v: &Value| format!("{:.2}%", v.as_f64().unwrap() * 100.0);
    let fund = &report["sections"]["fund"]["correlation_ventures"];
    let text = |id: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["section"] == id)
            .map(|f| f["text"].as_str().unwrap())
            .collect()
    };
    let p3 = pct(&fund["prob_net_tvpi_at_least"]["3"]);
    assert!(text("fund").iter().any(|t| t.contains(&p3)), "{p3}");
    // The LP finding: the portfolio size for a 90% chance of the median fund, and the
    // access gain as the section's data have them.
    let lp = &report["sections"]["fund"]["lp_ca_2004_2013"]["summary"];
    let n90 = format!("needs {} funds", lp["funds_for_median_90"]);
    let gain = format!(
        "{:+.2}x",
        lp["access"]["net_tvpi_gain_p50"].as_f64().unwrap()
    );
    assert!(
        text("fund")
            .iter()
            .any(|t| t.contains(&n90) && t.contains(&gain)),
        "{n90} {gain}: {:?}",
        text("fund")
    );
    let saas = &report["sections"]["valley-of-death"]["presets"][0];
    assert_eq!(saas["preset"], "saas-seed");
    let a24 = pct(&saas["raised_series_a_within_24_months"]);
    assert!(text("valley-of-death")[0].contains(&a24), "{a24}");
}

#[test]
fn every_reproduce_line_gives_the_numbers_shown() {
    let (html, report) = quick_report();
    let commands = reproduce_commands(html);
    assert_eq!(commands.len(), 5, "{commands:?}");
    for command in &commands {
        let cli = json_of(command);
        if command.contains("fund simulate --preset ca-2004-2013") {
            let shown = &report["sections"]["fund"]["ca_2004_2013"];
            assert_eq!(shown["vintages"].as_array().unwrap().len(), 10);
            assert_eq!(cli["vintages"], shown["vintages"], "{command}");
        } else if command.contains("lp simulate --preset lp-ca-2004-2013") {
            let shown = &report["sections"]["fund"]["lp_ca_2004_2013"]["summary"];
            for key in [
                "net_tvpi",
                "net_irr",
                "ks_pme",
                "liquidity_need",
                "fund_net_tvpi_p50",
                "diversification",
                "funds_for_median_90",
                "access",
            ] {
                assert_eq!(cli[key], shown[key], "{command}: {key}");
                assert!(!shown[key].is_null(), "{key} is in the report");
            }
        } else if command.contains("company stress") {
            let shown = &report["sections"]["valley-of-death"]["ai_app_model_api_plus_30"];
            for side in ["base", "shocked"] {
                for key in ["gross_margin_24", "dead_by_month"] {
                    assert_eq!(cli[side][key], shown[side][key], "{command}: {side}.{key}");
                    assert!(!shown[side][key].is_null(), "{side}.{key} is in the report");
                }
            }
        } else if command.contains("company compare") {
            let shown = report["sections"]["valley-of-death"]["saas_seed_paths"]
                .as_array()
                .unwrap();
            assert_eq!(shown.len(), 4);
            for p in shown {
                let path = p["path"].as_str().unwrap();
                for key in ["founder_proceeds", "founder_ownership"] {
                    assert_eq!(cli["paths"][path][key], p[key], "{command}: {path}.{key}");
                }
            }
        } else if command.contains("market experiment scapegoat") {
            let shown = report["sections"]["market"]["rows"].as_array().unwrap();
            let rows = cli["rows"].as_array().unwrap();
            assert_eq!(rows.len(), shown.len(), "{command}");
            for (r, s) in rows.iter().zip(shown) {
                for key in ["peak_capital_share", "realised_share", "mean_hhi"] {
                    assert_eq!(r[key], s[key], "{command}: {} {key}", s["condition"]);
                }
            }
        } else {
            panic!("a Reproduce: line this test does not check yet: {command}");
        }
    }
}

//! The `venturelab cashflow` commands end to end: output conventions and bad input.

// Reference values keep every digit their source publishes.
#![allow(clippy::excessive_precision)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;

fn vl() -> Command {
    Command::cargo_bin("venturelab").unwrap()
}

fn json_of(args: &[&str]) -> Value {
    let out = vl().args(args).arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON document")
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Runs a command that must fail with exit 2 and a message containing every `needle`.
fn bad(args: &[&str], needles: &[&str]) {
    let out = vl().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "args {args:?}: stderr {err}");
    assert!(
        out.stdout.is_empty(),
        "no partial output on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    for n in needles {
        assert!(
            err.contains(n),
            "stderr of {args:?} should mention {n:?}: {err}"
        );
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn npv_and_irr_json() {
    // numpy-financial test suite values
    let j = json_of(&[
        "cashflow",
        "npv",
        "--rate",
        "0.05",
        "--values",
        "-15000,1500,2500,3500,4500,6000",
    ]);
    assert!((j["npv"].as_f64().unwrap() - 122.894854950942692).abs() < 1e-9);
    let j = json_of(&[
        "cashflow",
        "npv",
        "--rate",
        "5%",
        "--values",
        "-15000,1500,2500,3500,4500,6000",
    ]);
    assert!(
        (j["npv"].as_f64().unwrap() - 122.894854950942692).abs() < 1e-9,
        "8% style rates"
    );
    let j = json_of(&[
        "cashflow",
        "irr",
        "--values=-1678.87,771.96,1814.05,3520.30,3552.95,3584.99,4789.91,-1",
    ]);
    assert!((j["irr"].as_f64().unwrap() - 1.00426).abs() < 1.00426e-4);
    assert_eq!(j["roots"].as_array().unwrap().len(), 2);
    assert_eq!(j["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn excel_npv_flag() {
    // Excel NPV help, example 1: NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44
    let j = json_of(&[
        "cashflow",
        "npv",
        "--excel",
        "--rate",
        "10%",
        "--values",
        "-10000,3000,4200,6800",
    ]);
    assert!((j["npv"].as_f64().unwrap() - 1188.44).abs() < 0.005);
}

#[test]
fn annuity_commands() {
    // numpy-financial: nper(0, -100, 1000) == 10; fv(0.075, 20, -2000, 0, 'begin') = 93105.064874
    let j = json_of(&[
        "cashflow", "nper", "--rate", "0", "--pmt", "-100", "--pv", "1000",
    ]);
    assert_eq!(j["nper"].as_f64().unwrap(), 10.0);
    let j = json_of(&[
        "cashflow", "fv", "--rate", "0.075", "--nper", "20", "--pmt", "-2000", "--when", "begin",
    ]);
    assert!((j["fv"].as_f64().unwrap() - 93105.064874).abs() < 1e-5);
    let j = json_of(&[
        "cashflow", "pmt", "--rate", "0", "--nper", "60", "--pv", "15k",
    ]);
    assert_eq!(j["pmt"].as_f64().unwrap(), -250.0);
    let j = json_of(&[
        "cashflow", "pv", "--rate", "0.07", "--nper", "20", "--pmt", "12000",
    ]);
    assert!((j["pv"].as_f64().unwrap() + 127128.1709461939).abs() < 1e-6);
    let j = json_of(&[
        "cashflow", "rate", "--nper", "10", "--pmt", "0", "--pv", "-3500", "--fv", "10000",
    ]);
    assert!((j["rate"].as_f64().unwrap() - 0.11069085371426893).abs() < 1e-10);
    let j = json_of(&[
        "cashflow",
        "mirr",
        "--values",
        "-120000,39000,30000,21000,37000,46000",
        "--finance-rate",
        "0.10",
        "--reinvest-rate",
        "0.12",
    ]);
    assert!((j["mirr"].as_f64().unwrap() - 0.126094130365905).abs() < 1e-12);
}

#[test]
fn xirr_and_xnpv_from_csv() {
    // Microsoft's XIRR/XNPV example: 0.373362535 and 2086.6476
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "flows.csv", "date,amount\n2008-01-01,-10000\n2008-03-01,2750\n2008-10-30,4250\n2009-02-15,3250\n2009-04-01,2750\n");
    let j = json_of(&["cashflow", "xirr", "--input", &f]);
    assert!((j["xirr"].as_f64().unwrap() - 0.373362535).abs() < 1e-8);
    let j = json_of(&["cashflow", "xnpv", "--rate", "9%", "--input", &f]);
    assert!((j["xnpv"].as_f64().unwrap() - 2086.6476).abs() < 5e-5);
}

#[test]
fn metrics_and_pme() {
    // Wikipedia's Long-Nickels example (see the library tests for the arithmetic)
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "fund.csv",
        "period,amount,index\n1,-100,100\n2,-50,105\n3,60,115\n4,10,117\n5,0,120\n",
    );
    let j = json_of(&["cashflow", "metrics", "--input", &f, "--nav", "110"]);
    assert!((j["tvpi"].as_f64().unwrap() - 1.2).abs() < 1e-12);
    let j = json_of(&["cashflow", "pme", "--input", &f, "--nav", "110"]);
    for key in [
        "irr",
        "ks_pme",
        "ln_pme_irr",
        "pme_plus_irr",
        "direct_alpha",
    ] {
        assert!(j[key].is_number(), "{key} missing: {j}");
    }
    assert!((j["ln_pme_irr"].as_f64().unwrap() - 0.0530).abs() < 5e-5);
}

#[test]
fn waterfall_json_tiers_sum_to_proceeds() {
    let j = json_of(&[
        "cashflow",
        "waterfall",
        "--contributed",
        "100M",
        "--proceeds",
        "150M",
        "--pref-rate",
        "8%",
        "--years",
        "5",
        "--carry",
        "20%",
        "--catch-up",
        "100%",
    ]);
    let tiers = j["tiers"].as_array().unwrap();
    let total: f64 = tiers
        .iter()
        .map(|t| t["lp"].as_f64().unwrap() + t["gp"].as_f64().unwrap())
        .sum();
    assert!((total - 150e6).abs() < 1e-3);
    // ends inside the catch-up (hand arithmetic in the library tests): GP 3.067192M
    assert!((j["gp"].as_f64().unwrap() - 3.067192e6).abs() < 1.0);
}

#[test]
fn table_output_by_default() {
    vl().args(["cashflow", "irr", "--values", "-100,39,59,55,20"])
        .assert()
        .success()
        .stdout(predicate::str::contains("IRR").and(predicate::str::contains("28.09%")));
}

#[test]
fn out_dir_is_written_atomically_and_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let o = out.display().to_string();
    vl().args(["cashflow", "irr", "--values", "-100,110", "--out", &o])
        .assert()
        .success();
    let written = fs::read_to_string(out.join("irr.json")).unwrap();
    let j: Value = serde_json::from_str(&written).unwrap();
    assert!((j["irr"].as_f64().unwrap() - 0.1).abs() < 1e-12);
    // A second run refuses to overwrite, names the file, and leaves it untouched.
    let o2 = vl()
        .args(["cashflow", "irr", "--values", "-100,120", "--out", &o])
        .output()
        .unwrap();
    assert_eq!(o2.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o2.stderr).contains("irr.json"));
    assert_eq!(fs::read_to_string(out.join("irr.json")).unwrap(), written);
    // --force overwrites
    vl().args([
        "cashflow", "irr", "--values", "-100,120", "--out", &o, "--force",
    ])
    .assert()
    .success();
    let j: Value =
        serde_json::from_str(&fs::read_to_string(out.join("irr.json")).unwrap()).unwrap();
    assert!((j["irr"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    // no temporary files left behind
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn bad_input_series() {
    bad(
        &["cashflow", "irr", "--values", ""],
        &["--values", "nothing"],
    );
    bad(
        &["cashflow", "irr", "--values", "1,2,3"],
        &["no rate of return", "negative"],
    );
    bad(
        &["cashflow", "irr", "--values", "-1,abc"],
        &["--values", "value 2", "abc"],
    );
    bad(
        &["cashflow", "npv", "--rate", "-150%", "--values", "-1,2"],
        &["rate", "-100%"],
    );
    bad(
        &["cashflow", "npv", "--rate", "-1", "--values", "-1,2"],
        &["rate", "-100%"],
    );
    bad(
        &[
            "cashflow",
            "mirr",
            "--values",
            "1,2",
            "--finance-rate",
            "0.1",
            "--reinvest-rate",
            "0.1",
        ],
        &["no rate of return"],
    );
    bad(
        &[
            "cashflow", "rate", "--nper", "12", "--pmt", "400", "--pv", "10000", "--fv", "5000",
        ],
        &["rate", "no rate"],
    );
    bad(
        &[
            "cashflow",
            "waterfall",
            "--contributed",
            "100",
            "--proceeds",
            "150",
            "--pref-rate",
            "8%",
            "--years",
            "5",
            "--carry",
            "250%",
        ],
        &["--carry", "between 0 and 1"],
    );
}

#[test]
fn bad_input_csv() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(&dir, "empty.csv", "date,amount\n");
    bad(
        &["cashflow", "xirr", "--input", &empty],
        &["empty.csv", "no cash flows"],
    );
    let text = write(
        &dir,
        "text.csv",
        "date,amount\n2020-01-01,-100\n2021-01-01,abc\n",
    );
    bad(
        &["cashflow", "xirr", "--input", &text],
        &["text.csv line 3", "amount", "abc"],
    );
    let nan = write(
        &dir,
        "nan.csv",
        "date,amount\n2020-01-01,-100\n2021-01-01,NaN\n",
    );
    bad(
        &["cashflow", "xirr", "--input", &nan],
        &["nan.csv line 3", "amount"],
    );
    let date = write(
        &dir,
        "date.csv",
        "date,amount\n2020-01-01,-100\n2021-13-45,150\n",
    );
    bad(
        &["cashflow", "xirr", "--input", &date],
        &["date.csv line 3", "date", "2021-13-45"],
    );
    let order = write(
        &dir,
        "order.csv",
        "date,amount\n2020-01-01,-100\n2019-06-01,150\n",
    );
    bad(
        &["cashflow", "xirr", "--input", &order],
        &["order.csv line 3", "before", "order"],
    );
    let same = write(
        &dir,
        "same.csv",
        "date,amount\n2020-01-01,-100\n2021-01-01,-50\n",
    );
    bad(
        &["cashflow", "xirr", "--input", &same],
        &["no rate of return"],
    );
    let nocol = write(&dir, "nocol.csv", "when,amount\n2020-01-01,-100\n");
    bad(
        &["cashflow", "xirr", "--input", &nocol],
        &["nocol.csv", "date"],
    );
    bad(
        &["cashflow", "xirr", "--input", "/nonexistent/flows.csv"],
        &["/nonexistent/flows.csv", "cannot read"],
    );
    let noindex = write(&dir, "noindex.csv", "period,amount\n1,-100\n2,150\n");
    bad(
        &["cashflow", "pme", "--input", &noindex, "--nav", "0"],
        &["index"],
    );
    let negidx = write(
        &dir,
        "negidx.csv",
        "period,amount,index\n1,-100,100\n2,150,-5\n",
    );
    bad(
        &["cashflow", "pme", "--input", &negidx, "--nav", "0"],
        &["negidx.csv line 3", "index", "positive"],
    );
}

#[test]
fn hostile_annuities_give_a_finite_answer_or_name_the_input() {
    // Issue 17 classes 4 and 5. A perpetuity: as nper grows without bound the present value
    // of 1,000 a period at 5% tends to 1000 / 0.05 = 20,000 (paid out: -20,000).
    let j = json_of(&[
        "cashflow", "pv", "--rate", "5%", "--nper", "1e308", "--pmt", "1000",
    ]);
    assert!((j["pv"].as_f64().unwrap() + 20_000.0).abs() < 1e-9);
    bad(
        &[
            "cashflow", "pmt", "--rate", "1e308%", "--nper", "60", "--pv", "15k",
        ],
        &["--rate", "not a finite number"],
    );
    bad(
        &[
            "cashflow", "fv", "--rate", "5%", "--nper", "10", "--pmt", "1e308",
        ],
        &["--pmt", "not a finite number"],
    );
    // No finite number of periods: with no payment a debt of 1,000 at 5% grows forever
    // (and at 0% stays put), so fv = 0 is never reached. numpy-financial says inf for the
    // 0% case; our JSON says null with "infinite": true, never a number.
    for rate in ["5%", "0"] {
        let j = json_of(&[
            "cashflow", "nper", "--rate", rate, "--pmt", "0", "--pv", "1000",
        ]);
        assert!(j["nper"].is_null(), "{j}");
        assert_eq!(j["infinite"], true);
        assert!(j["reason"].as_str().unwrap().contains("never"));
    }
    // A payment that exactly covers the interest (50 a period on 1,000 at 5%): the balance
    // never moves.
    let j = json_of(&[
        "cashflow", "nper", "--rate", "5%", "--pmt", "-50", "--pv", "1000",
    ]);
    assert_eq!(j["infinite"], true, "{j}");
    bad(
        &[
            "cashflow", "nper", "--rate", "0", "--pmt", "1e-308", "--pv", "1e308",
        ],
        &["--pmt"],
    );
    bad(
        &[
            "cashflow", "rate", "--nper", "10", "--pmt", "0", "--pv", "0",
        ],
        &["--pv", "all zero"],
    );
}

#[test]
fn irr_of_flows_near_the_largest_float() {
    // Issue 17: flows near 1e308 overflowed inside the root finder. -1, 1, 1 scaled by
    // 1e308: (1+r)^2 = (1+r) + 1, so 1 + r is the golden ratio (1 + sqrt 5) / 2 and
    // r = 0.6180339887498949 (exact arithmetic).
    let j = json_of(&["cashflow", "irr", "--values=-1e308,1e308,1e308"]);
    assert!((j["irr"].as_f64().unwrap() - 0.618_033_988_749_894_9).abs() < 1e-14);
    // A rate beyond the largest float is "no solution", never inf.
    bad(
        &["cashflow", "irr", "--values=1e-300,-1e10"],
        &["rate of return"],
    );
}

#[test]
fn hostile_flow_files_name_the_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let dup = write(&dir, "dup.csv", "date,amount,amount\n2024-01-01,-1,2\n");
    bad(
        &["cashflow", "metrics", "--input", &dup],
        &["dup.csv", "column amount", "twice"],
    );
    let far = write(
        &dir,
        "far.csv",
        &format!("period,amount\n{},-100\n{},150\n", i64::MIN, i64::MAX),
    );
    bad(
        &["cashflow", "metrics", "--input", &far],
        &["far.csv line 3, column period"],
    );
}

#[test]
fn loan_parts_and_schedule() {
    // Excel's CUMIPMT example (support.microsoft.com): 9% a year, 30 years monthly,
    // $125,000: interest in year 2 = -11,135.23213.
    let j = json_of(&[
        "cashflow", "cumipmt", "--rate", "0.75%", "--nper", "360", "--pv", "125000", "--start",
        "13", "--end", "24",
    ]);
    assert!(
        (j["cumipmt"].as_f64().unwrap() + 11135.23213).abs() < 5e-6,
        "{j}"
    );
    // Excel's PPMT example: principal in month 1 of $2,000 over 24 months at 10% = -75.62.
    let j = json_of(&[
        "cashflow",
        "ppmt",
        "--rate",
        "0.8333333333333333%",
        "--nper",
        "24",
        "--pv",
        "2000",
        "--per",
        "1",
    ]);
    assert!((j["ppmt"].as_f64().unwrap() + 75.62).abs() < 5e-3, "{j}");
    bad(
        &[
            "cashflow", "ipmt", "--rate", "1%", "--nper", "12", "--pv", "1000", "--per", "13",
        ],
        &["--per", "from 1 to nper"],
    );
    bad(
        &[
            "cashflow", "cumprinc", "--rate", "1%", "--nper", "12", "--pv", "1000", "--start", "5",
            "--end", "4",
        ],
        &["--start"],
    );
    bad(
        &[
            "cashflow", "amortize", "--rate", "1%", "--nper", "1e9", "--pv", "1000",
        ],
        &["--nper", "too long"],
    );
    // --out writes the schedule at full precision: 12 rows whose principal sums to the loan.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("loan");
    vl().args([
        "cashflow", "amortize", "--rate", "1%", "--nper", "12", "--pv", "10000", "--out",
    ])
    .arg(&out)
    .assert()
    .success();
    let csv = fs::read_to_string(out.join("schedule.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("period,payment,interest,principal,balance")
    );
    let principal: f64 = lines
        .map(|l| l.split(',').nth(3).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((principal + 10_000.0).abs() < 1e-8, "{principal}");
}

#[test]
fn day_counts_and_guess() {
    let dir = tempfile::tempdir().unwrap();
    // -1, 2.5, -1.5 a year apart (365 days: 2021 and 2022 are common years): roots 0 and
    // 50% exactly (quadratic formula); --guess 40% picks 50%.
    let f = write(
        &dir,
        "two.csv",
        "date,amount\n2021-01-01,-1\n2022-01-01,2.5\n2023-01-01,-1.5\n",
    );
    let j = json_of(&["cashflow", "xirr", "--input", &f, "--guess", "40%"]);
    assert!((j["xirr"].as_f64().unwrap() - 0.5).abs() < 1e-12, "{j}");
    assert_eq!(j["roots"].as_array().unwrap().len(), 2);
    assert_eq!(j["day_count"], "ACT/365F");
    let j = json_of(&["cashflow", "irr", "--values=-1,2.5,-1.5", "--guess", "40%"]);
    assert!((j["irr"].as_f64().unwrap() - 0.5).abs() < 1e-15, "{j}");
    // On ACT/360 the same dates are 365/360 years apart: (1 + r)^(365/360) = 1.5, so
    // r = 1.5^(360/365) - 1.
    let j = json_of(&[
        "cashflow",
        "xirr",
        "--input",
        &f,
        "--guess",
        "40%",
        "--day-count",
        "act/360",
    ]);
    let want = 1.5f64.powf(360.0 / 365.0) - 1.0;
    assert!((j["xirr"].as_f64().unwrap() - want).abs() < 1e-12, "{j}");
    assert_eq!(j["day_count"], "ACT/360");
    bad(
        &[
            "cashflow",
            "xnpv",
            "--rate",
            "5%",
            "--input",
            &f,
            "--day-count",
            "act/364",
        ],
        &["--day-count", "ACT/ACT ISDA"],
    );
}

/// `rate` with no answer says what to change (issue 17, class 4: `--pmt 0 --pv 0` with a
/// positive fv): amounts of one sign balance at no rate, so the message says to give paid
/// and received money opposite signs, and no number in it is 300 digits long.
#[test]
fn rate_without_an_answer_says_what_to_change() {
    bad(
        &[
            "cashflow", "rate", "--nper", "10", "--pmt", "0", "--pv", "0", "--fv", "10000",
        ],
        &["no rate above -100%", "opposite signs"],
    );
    bad(
        &[
            "cashflow", "rate", "--nper", "10", "--pmt", "0", "--pv", "-100", "--fv", "1e300",
        ],
        &["fv 1e300"],
    );
}

#[test]
fn a_bare_rate_above_one_is_refused_everywhere() {
    // Issue 18: `--rate 8` was silently 800%. A bare number above 1 in size is refused
    // with both readings suggested; written with % it is taken (150% is a real growth rate).
    bad(
        &["cashflow", "npv", "--rate", "8", "--values", "-1M,300k"],
        &["--rate", "8%", "0.08"],
    );
    bad(
        &[
            "company",
            "stress",
            "--preset",
            "ai-app",
            "--vendor",
            "model-api",
            "--price-change",
            "-2",
        ],
        &["--price-change", "-2%"],
    );
    bad(
        &[
            "financing",
            "compare",
            "--exit-values",
            "10M",
            "--debt-rate",
            "12",
        ],
        &["--debt-rate", "12%"],
    );
    let j = json_of(&["cashflow", "npv", "--rate", "100%", "--values", "-1,2"]);
    // -1 + 2 / (1 + 1) = 0 exactly.
    assert_eq!(j["npv"].as_f64(), Some(0.0));
    // The same rule in a scenario: a fund's carry of 20 is refused at its key and line.
    let dir = tempfile::tempdir().unwrap();
    let text = venturelab::presets::get("fund", "essay")
        .unwrap()
        .toml
        .replace("rate = \"20%\"", "rate = 20");
    let f = write(&dir, "fund.toml", &text);
    bad(
        &["fund", "simulate", &f, "--funds", "10"],
        &["carry.rate", "without %"],
    );
}

#[test]
fn out_says_which_files_it_wrote_on_stderr() {
    // Issue 18: `--out` was silent. The list goes to stderr; stdout stays the table.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("loan");
    let o = vl()
        .args([
            "cashflow", "amortize", "--rate", "0.5%", "--nper", "3", "--pv", "1k", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let mut written: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert!(
        err.contains(&format!(
            "wrote {} files to {}",
            written.len(),
            out.display()
        )),
        "{err}"
    );
    for name in &written {
        assert!(err.contains(name.as_str()), "{name} not listed: {err}");
    }
    assert!(!String::from_utf8_lossy(&o.stdout).contains("wrote"));
}

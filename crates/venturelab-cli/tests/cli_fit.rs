//! `venturelab fit` end to end: output, histogram input, bad input.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;

fn vl() -> Command {
    Command::cargo_bin("venturelab").unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn bad(args: &[&str], needles: &[&str]) {
    let out = vl().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    for n in needles {
        assert!(
            err.contains(n),
            "stderr of {args:?} should mention {n:?}: {err}"
        );
    }
}

/// CSN's `words` data set (build.rs makes the tests that need it ignored when it is absent).
fn words() -> String {
    format!(
        "{}/../../../shared/data/powerlaw/words.txt",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
#[cfg_attr(
    no_reference_data,
    ignore = "needs ../shared/data/powerlaw (CSN's reference data)"
)]
fn json_keys_and_histogram_input_agree() {
    let w = words();
    let out = vl()
        .args(["fit", &w, "--json", "--bootstrap", "20", "--seed", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in [
        "n",
        "type",
        "xmin",
        "alpha",
        "alpha_se",
        "n_tail",
        "ks_d",
        "p_value",
        "bootstrap",
        "xmin_sd",
        "alpha_sd",
        "seed",
        "comparisons",
    ] {
        assert!(!j[k].is_null(), "{k} missing in {j}");
    }
    assert_eq!(j["type"], "discrete");
    for alt in [
        "lognormal",
        "exponential",
        "stretched_exponential",
        "truncated_power_law",
    ] {
        for k in ["params", "lr", "p", "favors"] {
            assert!(!j["comparisons"][alt][k].is_null(), "{alt}.{k}");
        }
    }
    // The same data as a histogram gives the same fit.
    let text = fs::read_to_string(&w).unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        *counts
            .entry(l.trim().parse::<u64>().unwrap())
            .or_insert(0u64) += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let hist: String = std::iter::once("value\tcount".to_string())
        .chain(counts.iter().map(|(v, c)| format!("{v}\t{c}")))
        .collect::<Vec<_>>()
        .join("\n");
    let h = write(&dir, "words.hist", &hist);
    let out = vl()
        .args(["fit", &h, "--histogram", "--json", "--compare", "none"])
        .output()
        .unwrap();
    let k: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(k["xmin"], j["xmin"]);
    assert_eq!(k["n_tail"], j["n_tail"]);
    assert_eq!(k["alpha"], j["alpha"]);
    assert!(k["p_value"].is_null());
}

#[test]
#[cfg_attr(
    no_reference_data,
    ignore = "needs ../shared/data/powerlaw (CSN's reference data)"
)]
fn plot_is_an_svg() {
    let w = words();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ccdf.svg");
    vl().args(["fit", &w, "--plot", &p.display().to_string()])
        .assert()
        .success();
    assert!(fs::read_to_string(&p).unwrap().contains("<svg"));
    // Not overwritten without --force.
    bad(
        &["fit", &w, "--plot", &p.display().to_string()],
        &["ccdf.svg", "--force"],
    );
}

#[test]
fn bad_fit_input() {
    let dir = tempfile::tempdir().unwrap();
    bad(
        &["fit", &write(&dir, "empty.txt", "# nothing\n\n")],
        &["empty.txt", "no values"],
    );
    bad(
        &["fit", &write(&dir, "one.txt", "5\n")],
        &["two distinct values"],
    );
    bad(
        &["fit", &write(&dir, "text.txt", "1\n2\nthree\n")],
        &["text.txt line 3", "three"],
    );
    bad(
        &["fit", &write(&dir, "neg.txt", "0\n-2\n-3\n")],
        &["neg.txt", "no positive values", "3 observations"],
    );
    bad(
        &[
            "fit",
            &write(&dir, "x.txt", "1\n2\n3\n4\n"),
            "--ks",
            "sideways",
        ],
        &["--ks", "two-sided", "sideways"],
    );
    bad(
        &["fit", &write(&dir, "x.txt", "1\n2\n3\n4\n"), "--xmin=-inf"],
        &["--xmin", "finite", "-inf"],
    );
    bad(
        &[
            "fit",
            &write(&dir, "x.txt", "1\n2\n3\n4\n"),
            "--xmin",
            "NaN",
        ],
        &["--xmin", "finite", "NaN"],
    );
    bad(
        &[
            "fit",
            &write(&dir, "x.txt", "1\n2\n3\n4\n"),
            "--xmin-range",
            "nan..3",
        ],
        &["--xmin-range", "finite"],
    );
    // 2^64 - 1 + 1 observations: the total does not fit, and the message says so.
    bad(
        &[
            "fit",
            &write(&dir, "of.hist", "v\tc\n1\t18446744073709551615\n2\t1\n"),
            "--histogram",
        ],
        &["of.hist line 3", "overflow"],
    );
    bad(
        &["fit", &write(&dir, "h.txt", "1\t5\n2\t-3\n"), "--histogram"],
        &["h.txt line 2", "count"],
    );
    bad(
        &[
            "fit",
            &write(&dir, "small.txt", "1\n2\n3\n4\n"),
            "--xmin",
            "4",
        ],
        &["--xmin", "fewer than two"],
    );
    bad(
        &[
            "fit",
            &write(&dir, "ok.txt", "1\n2\n3\n4\n"),
            "--compare",
            "gamma",
        ],
        &["--compare", "gamma"],
    );
}

#[test]
fn non_positive_values_are_set_aside_and_counted() {
    // Plain file: 0 and -2 set aside (2), the rest fitted; histogram: the degree-0 row's
    // count (5) set aside, as in the `powerlaw` package's weblinks.hist.
    let dir = tempfile::tempdir().unwrap();
    let j = |args: &[&str]| -> Value {
        let out = vl().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let p = write(&dir, "z.txt", "0\n-2\n1\n2\n3\n5\n8\n13\n");
    let v = j(&["fit", &p, "--json", "--compare", "none"]);
    assert_eq!(v["non_positive"], 2);
    assert_eq!(v["n"], 6);
    let h = write(
        &dir,
        "z.hist",
        "degree\tfrequency\n0\t5\n1\t40\n2\t9\n3\t4\n5\t2\n8\t1\n",
    );
    let v = j(&["fit", &h, "--histogram", "--json", "--compare", "none"]);
    assert_eq!(v["non_positive"], 5);
    assert_eq!(v["n"], 56);
    let out = vl()
        .args(["fit", &h, "--histogram", "--compare", "none"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("set aside") && text.contains("5 values <= 0"),
        "{text}"
    );
}

#[test]
fn hostile_tails_finish_fast_without_panics_or_false_verdicts() {
    // Issue 17: integers 1,000,000..1,000,999 (discrete and --continuous), values near
    // 2^53, values between 0.5e308 and 1e308. Each must exit 0 within seconds (the cut-off
    // used to run forever on the first), never panic, and a comparison that cannot be made
    // must say `failed`, with null LR and p, never a verdict.
    let dir = tempfile::tempdir().unwrap();
    let narrow: String = (1_000_000..1_001_000).map(|i| format!("{i}\n")).collect();
    let near: String = (0..1000u64)
        .map(|i| format!("{}\n", (1u64 << 53) - 2000 + 2 * i))
        .collect();
    let huge: String = (0..300)
        .map(|i| format!("{:e}\n", 0.5e308 + i as f64 * 1.6e305))
        .collect();
    let files = [
        write(&dir, "narrow.txt", &narrow),
        write(&dir, "near.txt", &near),
        write(&dir, "huge.txt", &huge),
    ];
    for f in &files {
        for extra in [None, Some("--continuous")] {
            let mut args = vec!["fit", f.as_str(), "--json", "--compare", "all"];
            args.extend(extra);
            let t = std::time::Instant::now();
            let out = vl().args(&args).output().unwrap();
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                t.elapsed().as_secs() < 30,
                "{args:?} took {:?}",
                t.elapsed()
            );
            let j: Value = serde_json::from_slice(&out.stdout).unwrap();
            for (name, c) in j["comparisons"].as_object().unwrap() {
                let finite = c["lr"].as_f64().is_some() && c["p"].as_f64().is_some();
                if c["favors"] == "failed" {
                    assert!(
                        c["lr"].is_null() && c["p"].is_null(),
                        "{args:?} {name}: {c}"
                    );
                    assert!(c["failed"].as_str().is_some(), "{args:?} {name}: {c}");
                } else {
                    assert!(
                        finite,
                        "{args:?} {name}: a verdict without a finite LR: {c}"
                    );
                }
            }
        }
    }
}

#[test]
#[cfg_attr(
    no_reference_data,
    ignore = "needs ../shared/data/powerlaw (CSN's reference data)"
)]
fn words_plus_1e308_gives_no_verdict_from_a_nan() {
    // Issue 17: words.txt plus one value of 1e308 said "favors lognormal" with LR NaN.
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(words()).unwrap() + "\n1e308\n";
    let p = write(&dir, "w.txt", &text);
    let out = vl()
        .args(["fit", &p, "--continuous", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (name, c) in j["comparisons"].as_object().unwrap() {
        if c["favors"] != "failed" {
            assert!(c["lr"].as_f64().is_some_and(f64::is_finite), "{name}: {c}");
        }
    }
}

/// `words` plus one value of 1e308: comparisons that cannot be made say so in words, with
/// no verdict, and no NaN appears anywhere in the output (issue 17: "favors lognormal" with
/// LR NaN).
#[test]
#[cfg_attr(
    no_reference_data,
    ignore = "needs ../shared/data/powerlaw (CSN's reference data)"
)]
fn a_huge_value_gives_no_verdict_and_no_nan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("words-huge.txt");
    let mut text = fs::read_to_string(words()).unwrap();
    text.push_str("\n1e308\n");
    fs::write(&path, text).unwrap();
    let out = vl()
        .args(["fit", &path.display().to_string()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !stdout.contains("NaN") && !stdout.contains("inf "),
        "{stdout}"
    );
    assert!(stdout.contains("no verdict"), "{stdout}");
    assert!(
        !stdout.contains("favors lognormal") && !stdout.contains(" lognormal\n"),
        "{stdout}"
    );
}

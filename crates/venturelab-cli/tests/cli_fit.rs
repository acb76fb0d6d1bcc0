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
        &["fit", &write(&dir, "neg.txt", "1\n-2\n3\n")],
        &["neg.txt line 2", "not positive"],
    );
    bad(
        &["fit", &write(&dir, "zero.txt", "0\n2\n3\n")],
        &["zero.txt line 1", "not positive"],
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

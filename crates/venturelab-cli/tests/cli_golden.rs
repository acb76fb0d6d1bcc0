//! Every command's `--json` output, byte for byte, against `golden/<name>.json`.
//!
//! The golden files were written by the binary before the application layer was split out
//! of it (issue 15: "every command's --json output is byte-identical before and after"),
//! and the test is kept so that a refactoring that changes a number, a key or the order of
//! keys fails here. An intended change of output regenerates them:
//! `VENTURELAB_BLESS=1 cargo test --release -p venturelab-cli --test cli_golden`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// `(name, args)` for each non-comment line `name<TAB>args` of `golden/commands.txt`.
fn invocations() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(golden_dir().join("commands.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, args) = l.split_once('\t').expect("name<TAB>args");
            (
                name.to_string(),
                args.split_whitespace().map(String::from).collect(),
            )
        })
        .collect()
}

#[test]
fn every_command_prints_the_same_json_as_before() {
    let bless = std::env::var_os("VENTURELAB_BLESS").is_some();
    let dir = golden_dir();
    let mut failed = Vec::new();
    let all = invocations();
    assert!(all.len() >= 39, "one invocation of every command");
    for (name, args) in &all {
        let out = Command::cargo_bin("venturelab")
            .unwrap()
            .current_dir(&dir)
            .args(args)
            .arg("--json")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = dir.join(format!("{name}.json"));
        if bless {
            std::fs::write(&path, &out.stdout).unwrap();
            continue;
        }
        let want = std::fs::read(&path).unwrap_or_default();
        if want != out.stdout {
            failed.push(format!(
                "{name} ({}): got\n{}",
                args.join(" "),
                first_difference(&want, &out.stdout)
            ));
        }
    }
    assert!(failed.is_empty(), "changed output:\n{}", failed.join("\n"));
}

/// The first line that differs, with its number, for a readable failure.
fn first_difference(want: &[u8], got: &[u8]) -> String {
    let (w, g) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    for (i, (a, b)) in w.lines().zip(g.lines()).enumerate() {
        if a != b {
            return format!("  line {}: want {a:?}\n  line {}: got  {b:?}", i + 1, i + 1);
        }
    }
    format!(
        "  lengths differ: want {} lines, got {}",
        w.lines().count(),
        g.lines().count()
    )
}

//! ARCHITECTURE.md names every workspace crate (a heading each) and, under its crate's
//! heading, every source file and test file (in backquotes), so that the codemap a
//! newcomer reads first cannot fall behind the tree.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file below `dir`, as a path relative to it with `/` separators.
fn rust_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(dir).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// The workspace members of the root Cargo.toml.
fn members() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let doc: toml::Value = toml::from_str(&text).unwrap();
    doc["workspace"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn architecture_md_names_every_crate_and_file() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut missing = Vec::new();
    for member in members() {
        let heading = format!("## `{member}`");
        let Some(start) = map.find(&heading) else {
            missing.push(format!("a heading {heading}"));
            continue;
        };
        let rest = &map[start + heading.len()..];
        let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
        for (dir, label) in [("src", "source"), ("tests", "test")] {
            for f in rust_files(&root().join(&member).join(dir)) {
                // A test file is named by its file name; a source file by its path in src/.
                let name = if dir == "tests" {
                    f.rsplit('/').next().unwrap().to_string()
                } else {
                    f.clone()
                };
                if !section.contains(&format!("`{name}`")) {
                    missing.push(format!("{member}: {label} file `{name}`"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name:\n{}",
        missing.join("\n")
    );
}

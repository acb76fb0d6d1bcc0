//! Every example of the README runs as written (issue 18): each `$ venturelab ...` line of
//! its `sh` blocks (with `\` continuations, without the trailing `# comment`), and the
//! command in "(Made by `venturelab ...`)", is run with the built binary from a copy of
//! the repository's `examples/` (so that the files the examples write land in a temporary
//! folder, not in the work tree) and must exit 0. `--save` examples write into a database
//! in that folder (`VENTURELAB_DB`), never the user's. Nothing is skipped: a slow example is
//! made smaller in the README instead.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The commands of the README, each as its arguments after `venturelab`.
fn readme_commands(readme: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = !in_sh && t == "```sh";
            continue;
        }
        if let Some(start) = line.find("(Made by `venturelab ") {
            let rest = &line[start + "(Made by `".len()..];
            let end = rest
                .find('`')
                .expect("a closing backquote after (Made by `");
            commands.push(rest[..end].to_string());
            continue;
        }
        if !in_sh || !t.starts_with("$ venturelab ") {
            continue;
        }
        let mut command = t.trim_start_matches("$ ").to_string();
        while command.ends_with('\\') {
            command.pop();
            command.truncate(command.trim_end().len());
            command.push(' ');
            command.push_str(lines.next().expect("a line after a \\").trim());
        }
        // A comment starts with `#` after a space; no example has `#` in an argument.
        if let Some(at) = command.find(" #") {
            command.truncate(at);
        }
        commands.push(command.trim().to_string());
    }
    commands
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn parser_finds_commands_comments_and_continuations() {
    let text =
        "```sh\n$ venturelab a --x 1   # note\nout put\n$ venturelab b \\\n      --y 2\n```\n\
                ```python\n$ venturelab not-this\n```\n(Made by `venturelab c --force`.)\n";
    assert_eq!(
        readme_commands(text),
        [
            "venturelab a --x 1",
            "venturelab b --y 2",
            "venturelab c --force"
        ]
    );
}

#[test]
fn every_readme_example_exits_0() {
    let root = repo_root();
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let commands = readme_commands(&readme);
    // The README has examples for every area; finding few means the parser broke.
    assert!(commands.len() >= 25, "found only {commands:?}");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root.join("examples"), &dir.path().join("examples"));
    fs::create_dir_all(dir.path().join("docs/img")).unwrap();
    let mut failed = Vec::new();
    for command in &commands {
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_venturelab"))
            .args(&args)
            .current_dir(dir.path())
            // The run-history examples save into a new database of their own, never
            // into the user's (and in order, so that their ids are 1, 2, ...).
            .env("VENTURELAB_DB", dir.path().join("runs.sqlite"))
            .env("XDG_DATA_HOME", dir.path().join("xdg"))
            .output()
            .unwrap();
        let took = started.elapsed().as_secs_f64();
        if !out.status.success() {
            failed.push(format!(
                "{command}: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        // Shown with --nocapture: which example makes this test slow.
        println!("{took:6.2} s  {command}");
    }
    assert!(
        failed.is_empty(),
        "README examples that fail:\n{}",
        failed.join("\n")
    );
}

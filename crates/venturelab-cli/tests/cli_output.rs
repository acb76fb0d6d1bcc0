//! `--out DIR` gets a run's files whole or not at all: concurrent runs into one folder, a
//! failure part-way, and SIGINT at any moment leave either one complete run or nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("venturelab")
}

const FILES: [&str; 5] = [
    "funds.csv",
    "net_tvpi.svg",
    "j_curve.svg",
    "returns_by_rank.svg",
    "simulate.json",
];

fn simulate(out: &Path, seed: u64, funds: u64, force: bool) -> Command {
    let mut c = Command::new(bin());
    c.args(["fund", "simulate", "--preset", "correlation-ventures"])
        .args(["--funds", &funds.to_string(), "--seed", &seed.to_string()])
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if force {
        c.arg("--force");
    }
    c
}

/// The folder holds exactly one run's files: all of them, from the seed its JSON names
/// (its funds.csv is the same bytes as a fresh run of that seed). Returns the seed.
fn one_complete_run(dir: &Path, funds: u64) -> u64 {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    let mut want: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(names, want, "{}", dir.display());
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("simulate.json")).unwrap()).unwrap();
    let seed = j["seed"].as_u64().unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let again = fresh.path().join("again");
    assert!(simulate(&again, seed, funds, false)
        .status()
        .unwrap()
        .success());
    assert_eq!(
        std::fs::read(dir.join("funds.csv")).unwrap(),
        std::fs::read(again.join("funds.csv")).unwrap(),
        "funds.csv is not from seed {seed}"
    );
    seed
}

/// No staging folder is left beside `dir`.
fn no_staging_left(dir: &Path) {
    let parent = dir.parent().unwrap();
    let left: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("venturelab-staging"))
        .collect();
    assert!(left.is_empty(), "staging left behind: {left:?}");
}

fn concurrent(force: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let children: Vec<_> = (1..=4)
        .map(|seed| simulate(&dir, seed, 20_000, force).spawn().unwrap())
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let ok = outputs.iter().filter(|o| o.status.success()).count();
    for o in &outputs {
        let code = o.status.code();
        assert!(
            code == Some(0) || code == Some(2),
            "{code:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    if !force {
        // Without --force exactly one run writes; the others find its files.
        assert_eq!(ok, 1);
    }
    assert!(ok >= 1);
    one_complete_run(&dir, 20_000);
    no_staging_left(&dir);
}

#[test]
fn concurrent_runs_never_mix_without_force() {
    concurrent(false);
}

#[test]
fn concurrent_runs_never_mix_with_force() {
    concurrent(true);
}

#[test]
fn a_failure_part_way_leaves_the_previous_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    assert!(simulate(&dir, 1, 2_000, false).status().unwrap().success());
    let before: Vec<Vec<u8>> = FILES
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect();
    // The last file's move fails after four have replaced the old ones.
    let out = simulate(&dir, 2, 2_000, true)
        .env("VENTURELAB_FAIL_MOVE", "simulate.json")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after: Vec<Vec<u8>> = FILES
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect();
    assert!(before == after, "the folder changed");
    no_staging_left(&dir);
    // And into a fresh folder, a failure leaves no folder at all: the files go in as one.
    let fresh = tmp.path().join("fresh");
    let out = simulate(&fresh, 2, 2_000, false)
        .env("VENTURELAB_FAIL_MOVE", "simulate.json")
        .output()
        .unwrap();
    // (A new folder is moved in by one rename, which the hook does not touch.)
    assert!(out.status.success());
    one_complete_run(&fresh, 2_000);
}

#[test]
fn sigint_at_any_moment_leaves_a_whole_run_or_nothing() {
    // 1M funds: a funds.csv of about 110 MB. One run uninterrupted gives its duration T;
    // then signals at fractions of T land in the computation, the formatting or the writing.
    let funds = 1_000_000;
    let tmp = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    assert!(simulate(&tmp.path().join("whole"), 7, funds, false)
        .status()
        .unwrap()
        .success());
    let whole = start.elapsed();
    let mut while_writing = 0;
    for fraction in [0.2, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9] {
        let dir = tmp.path().join(format!("out-{fraction}"));
        let child = simulate(&dir, 7, funds, false).spawn().unwrap();
        std::thread::sleep(whole.mul_f64(fraction));
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(child.id() as i32, libc::SIGINT);
        }
        let out = child.wait_with_output().unwrap();
        let code = out.status.code();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            code == Some(0) || code == Some(130),
            "at {fraction} of the run: {code:?} {err}"
        );
        while_writing += err.contains("no files were written") as usize;
        if dir.exists() {
            let names = std::fs::read_dir(&dir).unwrap().count();
            assert_eq!(
                names,
                FILES.len(),
                "at {fraction} of the run: a partial folder"
            );
        }
        no_staging_left(&dir);
    }
    // How many signals landed while files were being written (timing decides; printed
    // so that a run of the test shows whether that path was taken).
    eprintln!("signals during the writing phase: {while_writing} of 8");
}

/// An output folder that cannot be written is the user's to change (exit 2 with the path
/// and what to do), not an "internal error" (issue 17, class 5): a file where a folder
/// should be, a folder that cannot be created, and (when not running as root, which may
/// write anywhere) a read-only folder.
#[test]
fn an_unwritable_output_folder_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let readonly = tmp.path().join("read-only");
    std::fs::create_dir(&readonly).unwrap();
    let mut cases = vec![
        (file.join("out"), "a file is where a folder should be"),
        (
            PathBuf::from("/proc/venturelab-out"),
            "choose another output folder",
        ),
    ];
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&readonly, std::fs::Permissions::from_mode(0o555)).unwrap();
        // Root writes into a read-only folder; the check is meaningful for everyone else.
        if std::fs::write(readonly.join("probe"), "x").is_err() {
            cases.push((
                readonly.join("out"),
                "choose an output folder you can write to",
            ));
        }
    }
    for (out, says) in cases {
        let o = simulate(&out, 1, 10, false).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", out.display());
        assert!(
            err.starts_with("error: ") && !err.contains("internal") && err.contains(says),
            "{}: {err}",
            out.display()
        );
    }
}

/// A long command whose stderr is not a terminal (here a pipe) still says how far it is: a
/// line on stderr every interval (5 s by default; shortened here through
/// `VENTURELAB_PROGRESS_SECS`), nothing on stdout, whose JSON stays whole.
#[test]
fn piped_runs_print_progress_lines_on_stderr_only() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_venturelab"))
        .args(["market", "simulate", "--runs", "4", "--seed", "3", "--json"])
        .env("VENTURELAB_PROGRESS_SECS", "0.05")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("venturelab: working: "))
        .collect();
    assert!(!lines.is_empty(), "no progress line in {stderr:?}");
    assert!(lines.iter().any(|l| l.contains("/4")), "{lines:?}");
    let _: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is the JSON alone");
}

//! The run history end to end: `--save`, `--db`, `VENTURELAB_DB` and `venturelab runs
//! list | show | diff | rm | export`, several processes saving at once, unusable databases.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn vl(db: &Path) -> Command {
    let mut c = Command::cargo_bin("venturelab").unwrap();
    c.arg("--db").arg(db).env_remove("VENTURELAB_DB");
    c
}

fn json_of(db: &Path, args: &[&str]) -> Value {
    let out = vl(db).args(args).arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The names of the runs `runs list` shows, sorted.
fn saved_names(db: &Path) -> Vec<String> {
    let list = json_of(db, &["runs", "list"]);
    let mut names: Vec<String> = list["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

fn fails(db: &Path, args: &[&str], needle: &str) -> String {
    let out = vl(db).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?} should say {needle:?}: {err}"
    );
    err
}

const FUND: &[&str] = &[
    "fund",
    "simulate",
    "--preset",
    "correlation-ventures",
    "--funds",
    "300",
];

#[test]
fn save_then_list_show_diff_rm_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h").join("runs.sqlite");

    // The report a run keeps is the one --json prints.
    let printed = json_of(&db, &[FUND, &["--seed", "7"]].concat());
    let out = vl(&db)
        .args(FUND)
        .args(["--seed", "7", "--save", "base"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("saved run 1 to ") && err.contains("runs.sqlite"),
        "{err}"
    );
    vl(&db)
        .args(&FUND[..4])
        .args(["--funds", "400", "--seed", "8", "--save"])
        .assert()
        .success();
    let file = dir.path().join("company.toml");
    let company = venturelab::presets::ALL
        .iter()
        .find(|p| p.area == "company")
        .unwrap();
    fs::write(&file, company.toml).unwrap();
    vl(&db)
        .args(["company", "simulate", "--runs", "100", "--save=from a file"])
        .arg(&file)
        .assert()
        .success();

    // list: newest first, with names and seeds.
    let list = json_of(&db, &["runs", "list"]);
    let runs = list["runs"].as_array().unwrap();
    let ids: Vec<i64> = runs.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [3, 2, 1]);
    assert_eq!(runs[2]["name"], "base");
    assert_eq!(runs[2]["model"], "fund simulate");
    assert_eq!(runs[2]["seed"], 7);
    assert_eq!(runs[1]["name"], Value::Null);
    assert_eq!(runs[0]["name"], "from a file");
    assert_eq!(runs[0]["model"], "company simulate");
    let text = vl(&db).args(["runs", "list"]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("fund simulate") && text.contains("base"),
        "{text}"
    );

    // show: the preset's text, the flags given, the report as printed.
    let shown = json_of(&db, &["runs", "show", "1"]);
    let preset = venturelab::presets::get("fund", "correlation-ventures").unwrap();
    assert_eq!(shown["scenario_toml"], preset.toml);
    assert_eq!(shown["result"], printed);
    assert_eq!(shown["seed"], 7);
    assert_eq!(
        shown["params"],
        serde_json::json!({"preset": "correlation-ventures", "funds": "300"})
    );
    assert_eq!(shown["version"], env!("CARGO_PKG_VERSION"));
    // A scenario file is kept as its text.
    assert_eq!(
        json_of(&db, &["runs", "show", "3"])["scenario_toml"],
        company.toml
    );

    // diff: the seed and the funds differ, and so do the results.
    let d = json_of(&db, &["runs", "diff", "1", "2"]);
    let meta: Vec<&str> = d["meta"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(meta, ["name", "seed"]);
    assert_eq!(d["params"][0]["key"], "funds");
    assert_eq!(
        (d["params"][0]["a"].as_str(), d["params"][0]["b"].as_str()),
        (Some("300"), Some("400"))
    );
    assert!(
        d["inputs"].as_array().unwrap().is_empty(),
        "same preset: {}",
        d["inputs"]
    );
    let numbers: Vec<&str> = d["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert!(
        numbers.contains(&"net_tvpi.p50") && numbers.contains(&"funds"),
        "{numbers:?}"
    );
    let same = json_of(&db, &["runs", "diff", "1", "1"]);
    assert!(same["numbers"].as_array().unwrap().is_empty());
    let text = vl(&db).args(["runs", "diff", "1", "2"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("net_tvpi.p50"));

    // export: the files listed on stderr, the report as printed.
    let out_dir = dir.path().join("exported");
    let out = vl(&db)
        .args(["runs", "export", "1", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wrote 3 files to") && err.contains("scenario.toml, result.json, run.json"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(out_dir.join("scenario.toml")).unwrap(),
        preset.toml
    );
    let result: Value =
        serde_json::from_slice(&fs::read(out_dir.join("result.json")).unwrap()).unwrap();
    assert_eq!(result, printed);
    // Not overwritten without --force.
    fails(
        &db,
        &["runs", "export", "1", "--out", out_dir.to_str().unwrap()],
        "already exists",
    );

    // rm, then the run is gone; unknown ids exit 2 naming the database.
    vl(&db).args(["runs", "rm", "2"]).assert().success();
    let err = fails(&db, &["runs", "show", "2"], "no run with id 2");
    assert!(err.contains("runs.sqlite"), "{err}");
    fails(&db, &["runs", "rm", "2"], "no run with id 2");
    fails(&db, &["runs", "diff", "1", "2"], "no run with id 2");
    assert_eq!(
        json_of(&db, &["runs", "list"])["runs"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn the_database_comes_from_the_environment_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.sqlite");
    let mut c = Command::cargo_bin("venturelab").unwrap();
    c.env("VENTURELAB_DB", &db)
        .args([
            "cashflow",
            "npv",
            "--rate",
            "8%",
            "--values",
            "-100,60,60",
            "--save",
        ])
        .assert()
        .success();
    assert_eq!(
        json_of(&db, &["runs", "list"])["runs"][0]["model"],
        "cashflow npv"
    );
}

#[test]
fn processes_saving_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.sqlite");
    // Eight CLI processes at once, on a database none of them has created yet.
    let children: Vec<_> = (0..8)
        .map(|i| {
            Process::new(env!("CARGO_BIN_EXE_venturelab"))
                .arg("--db")
                .arg(&db)
                .args(["market", "simulate", "--runs", "2", "--seed"])
                .arg(i.to_string())
                .args(["--save", &format!("p{i}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let names = saved_names(&db);
    let mut expected: Vec<String> = (0..8).map(|i| format!("p{i}")).collect();
    expected.sort();
    assert_eq!(names, expected);
}

/// A `venturelab serve` process on a free port of 127.0.0.1 with the run store at `db`,
/// and the port it printed.
fn serve(db: &Path) -> (Child, u16) {
    let mut child = Process::new(env!("CARGO_BIN_EXE_venturelab"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "venturelab serving on http://127.0.0.1:PORT/ (Ctrl-C stops it)"
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (child, port)
}

/// A JSON POST to the server on `port`, as the pages send it; the answer's body as JSON.
fn post_json(port: u16, path: &str, body: &Value) -> Value {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let body = body.to_string();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 200"), "{path}: {text}");
    serde_json::from_str(text.split_once("\r\n\r\n").unwrap().1).unwrap()
}

/// Issue 20: two servers and a CLI writing to one run store at once lose nothing.
#[test]
fn two_servers_and_a_cli_saving_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.sqlite");
    let servers = [serve(&db), serve(&db)];
    const EACH: u64 = 12;
    std::thread::scope(|scope| {
        for (k, (_, port)) in servers.iter().enumerate() {
            let port = *port;
            scope.spawn(move || {
                for i in 0..EACH {
                    let seed = 1000 * (k as u64 + 1) + i;
                    let run = post_json(
                        port,
                        "/api/fund/simulate",
                        &serde_json::json!({"preset": "essay", "funds": 200, "seed": seed}),
                    );
                    post_json(
                        port,
                        "/api/runs/save",
                        &serde_json::json!({"token": run["token"], "name": format!("s{seed}")}),
                    );
                }
            });
        }
        scope.spawn(|| {
            for i in 0..EACH {
                let out = vl(&db)
                    .args(FUND)
                    .args(["--seed", &i.to_string(), "--save", &format!("c{i}")])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        });
    });
    for (mut child, _) in servers {
        let _ = child.kill();
        let _ = child.wait();
    }
    let names = saved_names(&db);
    let mut expected: Vec<String> = (0..EACH)
        .flat_map(|i| {
            [
                format!("s{}", 1000 + i),
                format!("s{}", 2000 + i),
                format!("c{i}"),
            ]
        })
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn an_unusable_database_is_refused_before_the_run_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.sqlite");
    let junk = b"these are my notes, not a database\n".repeat(100);
    fs::write(&db, &junk).unwrap();
    let out = vl(&db).args(FUND).arg("--save").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "refused before the run printed anything"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.sqlite") && err.contains("not a usable SQLite database"),
        "{err}"
    );
    fails(&db, &["runs", "list"], "not a usable SQLite database");
    assert_eq!(fs::read(&db).unwrap(), junk);
    // Nothing of the store is created beside it either.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn save_is_refused_where_there_is_no_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.sqlite");
    fails(&db, &["runs", "list", "--save"], "--save");
    fails(&db, &["presets", "--save"], "--save");
}

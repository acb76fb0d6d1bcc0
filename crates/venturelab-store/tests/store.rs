//! The run store: round trips, listing order, deletes, diffs, concurrent writers (threads
//! and processes), a writer killed part-way, and files that must be refused untouched.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use venturelab_store::{diff, schema, NewRun, Run, Store, StoreError, VERSION};

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("runs.sqlite");
    (dir, path)
}

fn run(model: &str, i: u64) -> NewRun {
    NewRun {
        model: model.to_string(),
        name: Some(format!("run {i}")),
        scenario_toml: format!("[fund]\nsize = {i}\n"),
        seed: Some(i),
        params_json: json!({ "funds": i }).to_string(),
        result_json: json!({ "i": i, "text": "x".repeat(100) }).to_string(),
    }
}

#[test]
fn every_field_round_trips() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    assert!(path.exists(), "open creates the parent folder and the file");
    let new = NewRun {
        model: "fund simulate".into(),
        name: Some("base case, ünïcode".into()),
        scenario_toml: "# a comment kept as written\n[fund]\nsize = \"100M\"\n".into(),
        // The largest seed does not fit SQLite's signed INTEGER: stored as text.
        seed: Some(u64::MAX),
        params_json: r#"{"funds":3000}"#.into(),
        result_json: r#"{"net_tvpi":{"p50":1.25},"version":"0.1.0"}"#.into(),
    };
    let id = store.save(&new).unwrap();
    let got = store.get(id).unwrap();
    assert_eq!(got.id, id);
    assert_eq!(got.model, new.model);
    assert_eq!(got.name, new.name);
    assert_eq!(got.scenario_toml, new.scenario_toml);
    assert_eq!(got.seed, new.seed);
    assert_eq!(got.params_json, new.params_json);
    assert_eq!(got.result_json, new.result_json);
    assert_eq!(got.version, VERSION);
    // RFC 3339 UTC with milliseconds: 2026-12-07T16:43:07.123Z
    let t = got.created_at.as_bytes();
    assert_eq!(t.len(), 24, "{}", got.created_at);
    assert_eq!(
        (t[4], t[7], t[10], t[13], t[16], t[19], t[23]),
        (b'-', b'-', b'T', b':', b':', b'.', b'Z')
    );

    // No name, no seed, no params: stored as given, params as `{}`.
    let bare = NewRun {
        model: "fit".into(),
        scenario_toml: "1\n2\n3\n".into(),
        result_json: "{}".into(),
        ..NewRun::default()
    };
    let id2 = store.save(&bare).unwrap();
    let got2 = store.get(id2).unwrap();
    assert_eq!(
        (got2.name, got2.seed, got2.params_json.as_str()),
        (None, None, "{}")
    );

    // The same data read by a fresh connection (nothing held in memory only).
    drop(store);
    let again = Store::open(&path).unwrap();
    assert_eq!(again.get(id).unwrap(), got);
}

#[test]
fn bad_runs_are_refused_naming_the_field() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let mut r = run("fund simulate", 1);
    r.result_json = "{not json".into();
    let e = store.save(&r).unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::Invalid {
                field: "result_json",
                ..
            }
        ),
        "{e}"
    );
    let mut r = run("fund simulate", 1);
    r.params_json = "[1]".into();
    let e = store.save(&r).unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::Invalid {
                field: "params_json",
                ..
            }
        ),
        "{e}"
    );
    let e = store.save(&run(" ", 1)).unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid { field: "model", .. }),
        "{e}"
    );
    assert!(store.list().unwrap().is_empty());
}

#[test]
fn list_is_newest_first_and_delete_removes_one() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let ids: Vec<i64> = (0..5)
        .map(|i| store.save(&run("market simulate", i)).unwrap())
        .collect();
    let listed: Vec<i64> = store.list().unwrap().iter().map(|r| r.id).collect();
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(listed, expected);
    let first = &store.list().unwrap()[4];
    assert_eq!(
        (first.model.as_str(), first.name.as_deref(), first.seed),
        ("market simulate", Some("run 0"), Some(0))
    );

    store.delete(ids[2]).unwrap();
    assert!(matches!(store.get(ids[2]), Err(StoreError::NotFound(id)) if id == ids[2]));
    assert!(matches!(store.delete(ids[2]), Err(StoreError::NotFound(_))));
    assert!(matches!(store.get(9999), Err(StoreError::NotFound(9999))));
    assert_eq!(store.list().unwrap().len(), 4);
    // An id is never reused after a delete (AUTOINCREMENT).
    let last = store.save(&run("market simulate", 9)).unwrap();
    store.delete(last).unwrap();
    let next = store.save(&run("market simulate", 10)).unwrap();
    assert_eq!(next, last + 1);
}

#[test]
fn scenarios_save_replace_list_get_delete() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    store
        .save_scenario("seed fund", "fund simulate", "[fund]\nsize = 1\n")
        .unwrap();
    store
        .save_scenario("a company", "company simulate", "x = 1\n")
        .unwrap();
    let first = store.get_scenario("seed fund").unwrap();
    store
        .save_scenario("seed fund", "fund simulate", "[fund]\nsize = 2\n")
        .unwrap();
    let names: Vec<String> = store
        .list_scenarios()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["a company", "seed fund"]);
    let s = store.get_scenario("seed fund").unwrap();
    assert_eq!(s.scenario_toml, "[fund]\nsize = 2\n");
    assert_eq!(
        s.created_at, first.created_at,
        "replacing keeps the first save's time"
    );
    assert_eq!(s.version, VERSION);
    store.delete_scenario("seed fund").unwrap();
    assert!(
        matches!(store.get_scenario("seed fund"), Err(StoreError::ScenarioNotFound(n)) if n == "seed fund")
    );
    assert!(matches!(
        store.delete_scenario("seed fund"),
        Err(StoreError::ScenarioNotFound(_))
    ));
    assert!(matches!(
        store.save_scenario("", "fit", ""),
        Err(StoreError::Invalid { field: "name", .. })
    ));
}

fn hand_run(id: i64, seed: u64, toml: &str, params: &str, result: serde_json::Value) -> Run {
    Run {
        id,
        model: "fund simulate".into(),
        name: None,
        scenario_toml: toml.into(),
        seed: Some(seed),
        params_json: params.into(),
        version: "0.1.0".into(),
        result_json: result.to_string(),
        created_at: "2026-12-07T00:00:00.000Z".into(),
    }
}

#[test]
fn diff_lists_the_differences_written_out() {
    // Two hand-made runs; every difference below is read off the two literals.
    let a = hand_run(
        1,
        7,
        "[fund]\nsize = \"100M\"\nterm = 10\n[[outcomes.buckets]]\nshare = 0.65\n",
        r#"{"funds": 1000}"#,
        json!({
            "seed": 7, "version": "0.1.0", "scenario": {"size": 1},
            "net_tvpi": {"mean": 1.5, "p50": 1.2},
            "funds": 1000,
            "verdict": "power law",
            "dpi_by_year": (0..30).map(|i| i as f64).collect::<Vec<_>>(),
            "rows": [{"x": 1, "y": 2}, {"x": 3, "y": 4}],
        }),
    );
    let b = hand_run(
        2,
        8,
        "[fund]\nsize = \"200M\"\nfees = 0.02\n[[outcomes.buckets]]\nshare = 0.6\n",
        r#"{"funds": 1000}"#,
        json!({
            "seed": 8, "version": "0.1.0", "scenario": {"size": 2},
            "net_tvpi": {"mean": 1.5, "p50": 1.0},
            "funds": 1000,
            "verdict": "lognormal",
            // Elements 3 and 10 changed (by +0.5 and -2), and one more element.
            "dpi_by_year": (0..31).map(|i| match i { 3 => 3.5, 10 => 8.0, _ => i as f64 }).collect::<Vec<_>>(),
            "rows": [{"x": 1, "y": 2}, {"x": 3}],
        }),
    );
    let d = diff(&a, &b);
    let keys = |v: &[venturelab_store::ValueDiff]| -> Vec<(String, Option<serde_json::Value>, Option<serde_json::Value>)> {
        v.iter().map(|d| (d.key.clone(), d.a.clone(), d.b.clone())).collect()
    };
    assert_eq!(
        keys(&d.meta),
        [("seed".to_string(), Some(json!(7)), Some(json!(8)))]
    );
    assert_eq!(
        keys(&d.inputs),
        [
            ("fund.fees".to_string(), None, Some(json!(0.02))),
            (
                "fund.size".to_string(),
                Some(json!("100M")),
                Some(json!("200M"))
            ),
            ("fund.term".to_string(), Some(json!(10)), None),
            (
                "outcomes.buckets[0].share".to_string(),
                Some(json!(0.65)),
                Some(json!(0.6))
            ),
        ]
    );
    assert!(d.params.is_empty());
    // The echoed seed, version and scenario are not repeated among the numbers.
    let numbers: Vec<(String, Option<f64>, Option<f64>)> = d
        .numbers
        .iter()
        .map(|n| (n.path.clone(), n.a, n.b))
        .collect();
    assert_eq!(
        numbers,
        [
            ("net_tvpi.p50".to_string(), Some(1.2), Some(1.0)),
            ("rows[1].y".to_string(), Some(4.0), None),
        ]
    );
    let p50 = &d.numbers[0];
    assert_eq!(p50.change, Some(1.0 - 1.2));
    assert_eq!(p50.relative, Some((1.0 - 1.2) / 1.2));
    assert_eq!(d.arrays.len(), 1);
    let s = &d.arrays[0];
    assert_eq!(s.path, "dpi_by_year[]");
    assert_eq!(
        (s.compared, s.differing, s.only_in_a, s.only_in_b),
        (30, 2, 0, 1)
    );
    assert_eq!(s.max_abs_change, 2.0);
    assert_eq!(
        keys(&d.texts),
        [(
            "verdict".to_string(),
            Some(json!("power law")),
            Some(json!("lognormal"))
        )]
    );

    // A run against itself: nothing differs.
    assert!(diff(&a, &a).is_empty());
    // Data that is not TOML (fit's input) is compared as a whole text.
    let mut f1 = a.clone();
    f1.scenario_toml = "1\n2\n3\n".into();
    let mut f2 = a.clone();
    f2.scenario_toml = "1\n2\n".into();
    let d = diff(&f1, &f2);
    assert_eq!(
        keys(&d.inputs),
        [(
            "(scenario text)".to_string(),
            Some(json!("3 lines, 6 bytes")),
            Some(json!("2 lines, 4 bytes"))
        )]
    );
    // The diff serializes (the CLI's `runs diff --json`, the web app).
    let text = serde_json::to_string(&diff(&a, &b)).unwrap();
    assert!(text.contains("\"dpi_by_year[]\""), "{text}");
}

#[test]
fn threads_saving_at_once_lose_nothing() {
    let (_dir, path) = temp_db();
    let shared = Arc::new(Store::open(&path).unwrap());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let shared = Arc::clone(&shared);
            let path = path.clone();
            std::thread::spawn(move || {
                // Two threads share one Store, two open their own connection.
                let own;
                let store: &Store = if t % 2 == 0 {
                    &shared
                } else {
                    own = Store::open(&path).unwrap();
                    &own
                };
                for i in 0..50 {
                    store.save(&run("thread", t * 1000 + i)).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let all = shared.list().unwrap();
    assert_eq!(all.len(), 4 * 50);
    let mut seeds: Vec<u64> = all.iter().map(|r| r.seed.unwrap()).collect();
    seeds.sort();
    let mut expected: Vec<u64> = (0..4)
        .flat_map(|t| (0..50).map(move |i| t * 1000 + i))
        .collect();
    expected.sort();
    assert_eq!(seeds, expected);
}

/// Runs this test binary's `helper_writer` (ignored unless asked for) as a child process.
fn writer(path: &Path, first: u64, count: u64, payload: usize) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--ignored",
        "--exact",
        "helper_writer",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("STORE_TEST_DB", path)
    .env("STORE_TEST_FIRST", first.to_string())
    .env("STORE_TEST_COUNT", count.to_string())
    .env("STORE_TEST_PAYLOAD", payload.to_string())
    .stdout(Stdio::null())
    .stderr(Stdio::inherit());
    cmd
}

/// The result a writer saves for run `i`: large enough that a kill often lands mid-write.
fn payload(i: u64, size: usize) -> String {
    json!({ "i": i, "fill": (0..size).map(|k| ((k as u64 * 31 + i) % 1000) as f64).collect::<Vec<_>>() })
        .to_string()
}

/// Not a test: the child process of the tests below, which saves runs
/// `STORE_TEST_FIRST..+COUNT` (COUNT 0: forever) into `STORE_TEST_DB`.
#[test]
#[ignore = "a helper process that the concurrency tests spawn"]
fn helper_writer() {
    let var =
        |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} is set by the parent test"));
    let store = Store::open(Path::new(&var("STORE_TEST_DB"))).unwrap();
    let first: u64 = var("STORE_TEST_FIRST").parse().unwrap();
    let count: u64 = var("STORE_TEST_COUNT").parse().unwrap();
    let size: usize = var("STORE_TEST_PAYLOAD").parse().unwrap();
    let mut i = first;
    while count == 0 || i < first + count {
        let mut r = run("process", i);
        r.result_json = payload(i, size);
        store.save(&r).unwrap();
        i += 1;
    }
}

#[test]
fn processes_saving_at_once_lose_nothing() {
    let (_dir, path) = temp_db();
    // The children race to create and migrate the new file, too.
    let children: Vec<_> = (0..4)
        .map(|p| writer(&path, p * 1000, 40, 10).spawn().unwrap())
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let store = Store::open(&path).unwrap();
    let mut seeds: Vec<u64> = store
        .list()
        .unwrap()
        .iter()
        .map(|r| r.seed.unwrap())
        .collect();
    seeds.sort();
    let mut expected: Vec<u64> = (0..4)
        .flat_map(|p| (0..40).map(move |i| p * 1000 + i))
        .collect();
    expected.sort();
    assert_eq!(seeds.len(), 160);
    assert_eq!(seeds, expected);
}

#[test]
fn a_writer_killed_mid_way_leaves_only_whole_records() {
    let (_dir, path) = temp_db();
    Store::open(&path).unwrap();
    for round in 0..3u64 {
        // About 2 MB of JSON per run: most of the child's time is inside a write.
        let mut child = writer(&path, round * 100_000, 0, 200_000).spawn().unwrap();
        let store = Store::open(&path).unwrap();
        let start = Instant::now();
        let before = store.list().unwrap().len();
        while store.list().unwrap().len() < before + 2 && start.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(37 * (round + 1)));
        child.kill().unwrap(); // SIGKILL: no cleanup, no rollback by the child
        child.wait().unwrap();
    }
    let store = Store::open(&path).unwrap();
    let all = store.list().unwrap();
    assert!(all.len() >= 6, "the writers saved {} runs", all.len());
    for s in all {
        let r = store.get(s.id).unwrap();
        let i = r.seed.unwrap();
        assert_eq!(
            r.result_json,
            payload(i, 200_000),
            "run {} is not whole",
            r.id
        );
        assert_eq!(r.scenario_toml, format!("[fund]\nsize = {i}\n"));
        serde_json::from_str::<serde_json::Value>(&r.result_json).unwrap();
    }
}

#[test]
fn a_transaction_dropped_before_commit_leaves_nothing() {
    // What a save does, stopped before its commit: the store's own connection sees no row.
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    store.save(&run("fit", 1)).unwrap();
    {
        let mut raw = rusqlite::Connection::open(&path).unwrap();
        let tx = raw.transaction().unwrap();
        tx.execute(
            "INSERT INTO runs (model, scenario_toml, version, result_json, created_at) \
             VALUES ('fit', '', '0', '{\"half', 'now')",
            [],
        )
        .unwrap();
        // dropped: rolled back
    }
    assert_eq!(store.list().unwrap().len(), 1);
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn siblings(path: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_corrupt_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // Random bytes (a fixed LCG: the same bytes every run).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: Vec<u8> = (0..65_536)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect();
    let path = dir.path().join("noise.sqlite");
    std::fs::write(&path, &noise).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains(&path.display().to_string()) && msg.contains("not a usable SQLite database"),
        "{msg}"
    );
    assert_eq!(bytes(&path), noise);
    assert_eq!(siblings(&path), ["noise.sqlite"]);

    // SQLite's header followed by random pages: found when the schema is read.
    let mut fake = b"SQLite format 3\0".to_vec();
    fake.extend_from_slice(&noise[16..]);
    let path = dir.path().join("fake.sqlite");
    std::fs::write(&path, &fake).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert!(
        matches!(e, StoreError::Corrupt { .. } | StoreError::Sqlite { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    assert_eq!(bytes(&path), fake);
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    store.save(&run("fund simulate", 1)).unwrap();
    drop(store);
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = bytes(&path);
    let e = Store::open(&path).unwrap_err();
    match &e {
        StoreError::NewerSchema {
            found, supported, ..
        } => {
            assert_eq!((*found, *supported), (99, schema::SCHEMA_VERSION));
        }
        other => panic!("{other:?}"),
    }
    let msg = e.to_string();
    assert!(
        msg.contains(&path.display().to_string()) && msg.contains("schema version 99"),
        "{msg}"
    );
    assert_eq!(bytes(&path), before, "the file is byte-for-byte unchanged");
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch("CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (1);")
            .unwrap();
    }
    let before = bytes(&path);
    let e = Store::open(&path).unwrap_err();
    assert!(
        matches!(&e, StoreError::Foreign { tables, .. } if tables == &["invoices".to_string()]),
        "{e:?}"
    );
    assert_eq!(bytes(&path), before);
}

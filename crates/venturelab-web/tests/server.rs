//! The running server, over real HTTP (plain `TcpStream` writes, one request per
//! connection): its security checks, limits, errors naming fields, cancellation and the
//! run store round trip.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use venturelab_web::ServeOptions;

/// The servers of these tests share one process and its rayon pool: one test at a time,
/// so that one test's work does not slow another's past its time limits.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

struct Server {
    addr: SocketAddr,
    _dir: tempfile::TempDir,
    _serial: std::sync::MutexGuard<'static, ()>,
}

fn start(time_limit: Duration) -> Server {
    let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let addr = venturelab_web::spawn(ServeOptions {
        host: "127.0.0.1".into(),
        port: 0,
        db: Some(dir.path().join("runs.sqlite")),
        open: false,
        time_limit,
    })
    .unwrap();
    Server {
        addr,
        _dir: dir,
        _serial: serial,
    }
}

struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Sends `head` (request line and headers, without the final blank line) and `body`.
fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let head = format!(
        "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    // A body the server refuses early may not be read whole: ignore a reset while writing.
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Reply { status, body }
}

fn post(srv: &Server, path: &str, body: &Value) -> Reply {
    let port = srv.addr.port();
    raw(
        srv.addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json"
        ),
        body.to_string().as_bytes(),
    )
}

fn get(srv: &Server, path: &str) -> Reply {
    let port = srv.addr.port();
    raw(
        srv.addr,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost:{port}"),
        b"",
    )
}

#[test]
fn binds_loopback_by_default() {
    let d = ServeOptions::default();
    assert_eq!(d.host, "127.0.0.1");
    assert!(venturelab_web::is_loopback("127.0.0.1"));
    assert!(venturelab_web::is_loopback("::1"));
    assert!(venturelab_web::is_loopback("localhost"));
    assert!(!venturelab_web::is_loopback("0.0.0.0"));
    assert!(!venturelab_web::is_loopback("192.168.1.5"));
}

#[test]
fn serves_the_pages_embedded() {
    let srv = start(Duration::from_secs(30));
    let r = get(&srv, "/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<script src=\"/app.js\""), "{}", r.body);
    // Nothing from another host: every script and style is this server's own.
    assert!(!r.body.contains("http://") && !r.body.contains("https://"));
    assert_eq!(get(&srv, "/app.js").status, 200);
    assert_eq!(get(&srv, "/app.css").status, 200);
    assert_eq!(get(&srv, "/no-such-page").status, 404);
}

#[test]
fn refuses_a_foreign_host_or_origin() {
    let srv = start(Duration::from_secs(30));
    let port = srv.addr.port();
    // DNS rebinding: a name that resolves to 127.0.0.1 but is not this server's.
    let r = raw(
        srv.addr,
        &format!("GET / HTTP/1.1\r\nHost: evil.example:{port}"),
        b"",
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // The right name on another port is another server.
    let r = raw(
        srv.addr,
        &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}", port + 1),
        b"",
    );
    assert_eq!(r.status, 403);
    let r = raw(srv.addr, "GET / HTTP/1.1", b"");
    assert!(
        matches!(r.status, 400 | 403),
        "no Host header at all: {}",
        r.body
    );
    let body = json!({"revenue": "10k", "revenue_growth": "5%", "expenses": "20k"});
    let r = raw(
        srv.addr,
        &format!("POST /api/company/default-alive HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\nContent-Type: application/json"),
        body.to_string().as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("Origin"));
    // The server's own origin is accepted.
    let r = raw(
        srv.addr,
        &format!("POST /api/company/default-alive HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Type: application/json"),
        body.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn state_changes_are_json_posts() {
    let srv = start(Duration::from_secs(30));
    let port = srv.addr.port();
    // A cross-site form post (the one kind a page elsewhere can send without asking).
    let r = raw(
        srv.addr,
        &format!("POST /api/runs/1/delete HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded"),
        b"a=b",
    );
    assert_eq!(r.status, 415, "{}", r.body);
    let r = raw(
        srv.addr,
        &format!("POST /api/fund/simulate HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain"),
        b"{\"preset\":\"essay\"}",
    );
    assert_eq!(r.status, 415);
    let r = raw(
        srv.addr,
        &format!("DELETE /api/runs/1 HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
        b"",
    );
    assert_eq!(r.status, 405);
    // A GET of an endpoint that changes state does nothing.
    assert_eq!(get(&srv, "/api/runs/1/delete").status, 405);
}

#[test]
fn limits_body_upload_and_sizes() {
    let srv = start(Duration::from_secs(30));
    // 3 MB body, over the 2 MB limit.
    let big = format!("{{\"data\": \"{}\"}}", "1\\n".repeat(1_500_000));
    let r = post(
        &srv,
        "/api/fit",
        &serde_json::from_str::<Value>(&big).unwrap(),
    );
    assert_eq!(r.status, 413, "{}", &r.body[..r.body.len().min(300)]);
    // 1.2 MB of data: under the body limit, over the upload limit, named.
    let data = "12\n".repeat(400_000);
    let r = post(&srv, "/api/fit", &json!({ "data": data }));
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["field"], "data");
    // An absurd number of funds or runs: 400 naming the field.
    let r = post(
        &srv,
        "/api/fund/simulate",
        &json!({"preset": "essay", "funds": 1_000_000_000_000u64}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["field"], "funds");
    let r = post(
        &srv,
        "/api/company/simulate",
        &json!({"preset": "saas-seed", "runs": 50_000_000}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["field"], "runs");
    let r = post(
        &srv,
        "/api/market/experiment",
        &json!({"experiment": "horizon", "runs": 100_000}),
    );
    assert_eq!(r.json()["field"], "runs");
    // What the application layer refuses keeps its own words.
    let r = post(
        &srv,
        "/api/fund/simulate",
        &json!({"preset": "essay", "funds": 0}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["field"], "funds");
}

#[test]
fn bad_input_names_the_field_and_never_crashes() {
    let srv = start(Duration::from_secs(30));
    let r = post(
        &srv,
        "/api/fund/simulate",
        &json!({"scenario": {"fund": {"size": "abc"}}, "funds": 100}),
    );
    assert_eq!(r.status, 400);
    let j = r.json();
    assert_eq!(j["field"], "fund.size", "{j}");
    assert!(j["error"].as_str().unwrap().contains("'abc'"));
    let r = post(
        &srv,
        "/api/company/default-alive",
        &json!({"revenue": "lots", "revenue_growth": "5%", "expenses": "1k"}),
    );
    assert_eq!(r.json()["field"], "revenue");
    for body in [
        json!(null),
        json!([1, 2]),
        json!({"funds": "many"}),
        json!({"scenario": 3}),
    ] {
        let r = post(&srv, "/api/fund/simulate", &body);
        assert_eq!(r.status, 400, "{body}: {}", r.body);
    }
    let r = raw(
        srv.addr,
        &format!("POST /api/fund/simulate HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json", srv.addr.port()),
        b"{not json",
    );
    assert_eq!(r.status, 400);
    // Still serving.
    assert_eq!(get(&srv, "/api/status").status, 200);
}

#[test]
fn no_path_from_a_request_reaches_the_file_system() {
    let srv = start(Duration::from_secs(30));
    // A file that exists: the server must not read it.
    let secret = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let mut scenario = get(&srv, "/api/scenario/fund/essay-random").json();
    scenario["outcomes"] = json!({"exit_year": {"low": 3, "high": 9}, "empirical_file": secret});
    let r = post(
        &srv,
        "/api/fund/simulate",
        &json!({"scenario": scenario, "funds": 100}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["field"], "outcomes.empirical_file");
    scenario["outcomes"]
        .as_object_mut()
        .unwrap()
        .remove("empirical_file");
    scenario["outcomes"]["fitted"] = json!("/etc/passwd");
    let r = post(
        &srv,
        "/api/fund/simulate",
        &json!({"scenario": scenario, "funds": 100}),
    );
    assert_eq!(r.json()["field"], "outcomes.fitted");
    // Uploaded with the request, the same name is read from the upload.
    scenario["outcomes"]
        .as_object_mut()
        .unwrap()
        .remove("fitted");
    scenario["outcomes"]["empirical_file"] = json!("deals.txt");
    let r = post(
        &srv,
        "/api/fund/simulate",
        &json!({"scenario": scenario, "funds": 100, "files": {"deals.txt": "0\n1\n3\n20\n"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn a_run_is_answered_with_its_report_and_charts_and_saved() {
    let srv = start(Duration::from_secs(30));
    let r = post(
        &srv,
        "/api/fund/simulate",
        &json!({"preset": "essay", "funds": 2000, "seed": 7}),
    );
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["report"]["funds"], 2000);
    assert_eq!(j["report"]["seed"], 7);
    let charts = j["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 3);
    assert!(charts[0]["svg"].as_str().unwrap().starts_with("<svg"));
    let token = j["token"].as_u64().unwrap();
    let s = post(
        &srv,
        "/api/runs/save",
        &json!({"token": token, "name": "first"}),
    )
    .json();
    let id = s["id"].as_i64().unwrap();
    let r2 = post(
        &srv,
        "/api/fund/simulate",
        &json!({"preset": "essay", "funds": 2000, "seed": 8}),
    )
    .json();
    let id2 = post(
        &srv,
        "/api/runs/save",
        &json!({"token": r2["token"], "name": null}),
    )
    .json()["id"]
        .as_i64()
        .unwrap();
    let list = get(&srv, "/api/runs").json();
    assert_eq!(list["runs"].as_array().unwrap().len(), 2);
    let run = get(&srv, &format!("/api/runs/{id}")).json();
    assert_eq!(run["name"], "first");
    assert_eq!(run["model"], "fund simulate");
    assert_eq!(run["params"]["seed"], 7);
    assert_eq!(run["report"]["net_tvpi"], j["report"]["net_tvpi"]);
    assert!(run["scenario_toml"].as_str().unwrap().contains("[fund]"));
    let d = post(&srv, "/api/runs/diff", &json!({"a": id, "b": id2})).json();
    assert!(
        d["params"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["key"] == "seed"),
        "{d}"
    );
    let x = get(&srv, &format!("/api/runs/{id}/export")).json();
    assert_eq!(x["files"][0]["name"], format!("run-{id}.toml"));
    assert_eq!(
        post(&srv, &format!("/api/runs/{id}/delete"), &json!({})).status,
        200
    );
    assert_eq!(get(&srv, &format!("/api/runs/{id}")).status, 404);
}

fn running(srv: &Server) -> u64 {
    get(srv, "/api/status").json()["running"].as_u64().unwrap()
}

/// Waits until no work is running; returns how long it took.
fn settles(srv: &Server, within: Duration) -> Duration {
    let t = Instant::now();
    while running(srv) > 0 {
        assert!(t.elapsed() < within, "work still running after {within:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    t.elapsed()
}

/// A market experiment of 5 conditions of 40 runs (a market of 100 startups a quarter:
/// about 0.2 s a run here, so about 4 s a condition on 2 cores and 20 s in all). A
/// cancelled experiment stops at the end of the condition it is in: the model's kernel
/// runs the condition's runs in parallel and is stopped at its progress callback, after
/// a run.
fn slow() -> Value {
    json!({"experiment": "herding", "runs": 40, "page": "slow", "scenario": small_market()})
}

/// How long a cancelled [`slow`] may take to stop: one condition, with a margin for a
/// loaded machine, well under the whole experiment.
const STOPS_WITHIN: Duration = Duration::from_secs(12);

fn small_market() -> Value {
    let mut m: Value = serde_json::from_str(&{
        // The preset as the pages get it, without a server: the same loader.
        let l = venturelab_app::source::load(
            "market",
            Some(&venturelab_app::Source::Preset("market".into())),
            None,
        )
        .unwrap();
        serde_json::to_string(&l.doc).unwrap()
    })
    .unwrap();
    m["market"]["startups_per_quarter"] = json!(100);
    m
}

#[test]
fn the_time_limit_stops_the_work() {
    let srv = start(Duration::from_millis(300));
    let t = Instant::now();
    let r = post(&srv, "/api/market/experiment", &slow());
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("time limit"));
    assert!(t.elapsed() < Duration::from_secs(3));
    // The work stops soon after, far before the run would have ended.
    settles(&srv, STOPS_WITHIN);
}

#[test]
fn a_newer_request_of_the_page_cancels_the_older() {
    let srv = start(Duration::from_secs(120));
    let port = srv.addr.port();
    // A newer request of the same page replaces the older one.
    let addr = srv.addr;
    let older = std::thread::spawn(move || {
        let body = slow().to_string();
        raw(
            addr,
            &format!("POST /api/market/experiment HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json"),
            body.as_bytes(),
        )
    });
    let t = Instant::now();
    while running(&srv) == 0 {
        assert!(t.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(10));
    }
    let newer = post(
        &srv,
        "/api/market/experiment",
        &json!({"experiment": "horizon", "runs": 2, "page": "slow"}),
    );
    assert_eq!(newer.status, 200, "{}", newer.body);
    let older = older.join().unwrap();
    assert_eq!(older.status, 409, "{}", older.body);
    settles(&srv, STOPS_WITHIN);
}

#[test]
fn progress_is_reported_and_the_page_can_cancel() {
    let srv = start(Duration::from_secs(120));
    let addr = srv.addr;
    let port = addr.port();
    let job = std::thread::spawn(move || {
        let body = json!({"experiment": "herding", "runs": 40, "page": "market", "scenario": small_market()}).to_string();
        raw(
            addr,
            &format!("POST /api/market/experiment HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json"),
            body.as_bytes(),
        )
    });
    let t = Instant::now();
    loop {
        let p = get(&srv, "/api/progress/market").json();
        if p["done"].as_u64().unwrap_or(0) > 0 {
            assert_eq!(p["total"], 5 * 40, "{p}");
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "no progress: {p}");
        std::thread::sleep(Duration::from_millis(20));
    }
    let c = post(&srv, "/api/cancel", &json!({"page": "market"})).json();
    assert_eq!(c["cancelled"], true);
    assert_eq!(job.join().unwrap().status, 409);
    settles(&srv, STOPS_WITHIN);
}

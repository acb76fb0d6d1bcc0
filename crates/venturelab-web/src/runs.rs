//! The Runs page's API over the run store (`venturelab-store`, shared with the CLI's
//! `--save` and `venturelab runs`): every successful answer is held in memory under a
//! token for a while; the page's Save button stores it, with a name, in SQLite.

use std::collections::VecDeque;
use std::path::{Path as FsPath, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use venturelab_store::{NewRun, Store, StoreError};

use crate::api::ApiError;
use crate::App;

/// How many recent answers are held for Save.
const RECENT: usize = 64;

/// An answer not yet saved.
#[derive(Clone)]
pub struct Pending {
    /// The command as the CLI spells it (`fund simulate`).
    pub model: String,
    pub scenario_toml: String,
    pub seed: Option<u64>,
    /// The page's inputs (the request body) as a JSON object.
    pub params_json: String,
    /// The report's JSON, as `--json` prints it.
    pub result_json: String,
}

/// The store and the answers waiting for Save.
pub struct Runs {
    store: Arc<Store>,
    recent: Mutex<VecDeque<(u64, Pending)>>,
    next: AtomicU64,
}

/// The store's default file (`$XDG_DATA_HOME/venturelab/runs.sqlite`).
pub fn default_path() -> Result<PathBuf, String> {
    Store::default_path().map_err(|e| e.to_string())
}

impl Runs {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &FsPath) -> Result<Runs, String> {
        Ok(Runs {
            store: Arc::new(Store::open(path).map_err(|e| e.to_string())?),
            recent: Mutex::new(VecDeque::new()),
            next: AtomicU64::new(1),
        })
    }

    /// Holds `p` for Save; returns its token.
    pub fn remember(&self, p: Pending) -> u64 {
        let token = self.next.fetch_add(1, Ordering::Relaxed);
        let mut r = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if r.len() >= RECENT {
            r.pop_front();
        }
        r.push_back((token, p));
        token
    }

    fn take(&self, token: u64) -> Option<Pending> {
        let r = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        r.iter().find(|(t, _)| *t == token).map(|(_, p)| p.clone())
    }
}

fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound(id) => ApiError {
            status: StatusCode::NOT_FOUND,
            error: format!("no saved run {id}"),
            field: Some("id".into()),
        },
        other => ApiError::internal(other.to_string()),
    }
}

/// Runs `f` with the store on a blocking thread.
async fn with_store<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = app.runs.store.clone();
    match tokio::task::spawn_blocking(move || f(&store)).await {
        Ok(r) => r.map_err(store_error),
        Err(e) => Err(ApiError::internal(e.to_string())),
    }
}

fn reply(r: Result<Value, ApiError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(ApiError::bad_json)
}

/// `GET /api/runs`: every saved run, newest first.
pub async fn list(State(app): State<Arc<App>>) -> Response {
    reply(with_store(&app, |s| s.list()).await.map(|mut runs| {
        runs.reverse();
        json!({ "runs": runs })
    }))
}

#[derive(Deserialize)]
struct SaveBody {
    token: u64,
    name: Option<String>,
}

/// `POST /api/runs/save {token, name}`: stores an answer the server gave.
pub async fn save(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let b: SaveBody = match parse(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let Some(p) = app.runs.take(b.token) else {
        return ApiError::field(
            "token",
            "that result is no longer held (the server keeps the latest 64): run it again, then save",
        )
        .into_response();
    };
    let name = b
        .name
        .map(|n| n.trim().chars().take(200).collect::<String>())
        .filter(|n| !n.is_empty());
    let run = NewRun {
        model: p.model,
        name,
        scenario_toml: p.scenario_toml,
        seed: p.seed,
        params_json: p.params_json,
        result_json: p.result_json,
    };
    reply(
        with_store(&app, move |s| s.save(&run))
            .await
            .map(|id| json!({ "id": id })),
    )
}

fn run_json(r: venturelab_store::Run) -> Value {
    let parse = |t: &str| serde_json::from_str::<Value>(t).unwrap_or(Value::Null);
    json!({
        "id": r.id,
        "model": r.model,
        "name": r.name,
        "seed": r.seed,
        "version": r.version,
        "created_at": r.created_at,
        "scenario_toml": r.scenario_toml,
        "params": parse(&r.params_json),
        "report": parse(&r.result_json),
    })
}

fn id_of(id: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::field("id", format!("expected a run number, got '{id}'")))
}

/// `GET /api/runs/ID`: one run whole (its inputs reopen its page).
pub async fn get(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let id = match id_of(&id) {
        Ok(i) => i,
        Err(e) => return e.into_response(),
    };
    reply(with_store(&app, move |s| s.get(id)).await.map(run_json))
}

/// `POST /api/runs/ID/delete`.
pub async fn delete(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let id = match id_of(&id) {
        Ok(i) => i,
        Err(e) => return e.into_response(),
    };
    reply(
        with_store(&app, move |s| s.delete(id))
            .await
            .map(|_| json!({ "deleted": id })),
    )
}

#[derive(Deserialize)]
struct DiffBody {
    a: i64,
    b: i64,
}

/// `POST /api/runs/diff {a, b}`: inputs and headline numbers that differ.
pub async fn diff(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let b: DiffBody = match parse(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    reply(
        with_store(&app, move |s| {
            let (x, y) = (s.get(b.a)?, s.get(b.b)?);
            Ok(venturelab_store::diff(&x, &y))
        })
        .await
        .and_then(|d| serde_json::to_value(d).map_err(|e| ApiError::internal(e.to_string()))),
    )
}

/// `GET /api/runs/ID/export`: the scenario TOML and the report JSON as files.
pub async fn export(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let id = match id_of(&id) {
        Ok(i) => i,
        Err(e) => return e.into_response(),
    };
    reply(with_store(&app, move |s| s.get(id)).await.map(|r| {
        let pretty = serde_json::from_str::<Value>(&r.result_json)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or(r.result_json.clone());
        json!({
            "files": [
                {"name": format!("run-{}.toml", r.id), "text": r.scenario_toml},
                {"name": format!("run-{}.json", r.id), "text": pretty},
            ]
        })
    }))
}

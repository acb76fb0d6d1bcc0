//! Running a request: on a blocking thread, inside `catch_unwind`, with a time limit and a
//! cancellation flag that is set when the limit passes, when a newer request of the same
//! page arrives, when the page asks (`POST /api/cancel`: its Cancel button, leaving the
//! page) or when the handler's future is dropped. (hyper's HTTP/1 server does not notice
//! a client that closed its connection until it writes the answer, so a vanished client
//! alone does not stop the work before the time limit.)
//!
//! The application layer checks the flag between its steps; so that one long step (a
//! single call into a model kernel) stops too, [`Job`]'s progress callback unwinds out of
//! the kernel once the flag is set (`resume_unwind` of a private marker: no panic message),
//! and the unwind is caught here at the thread's boundary. A kernel calls it after each
//! unit (a chunk of funds, a run), and rayon finishes the units already started on other
//! threads first, so a market experiment stops at the end of the condition it is in.

use std::collections::HashMap;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use venturelab_app::{CancelFlag, Observer};

use crate::api::ApiError;
use crate::App;

/// One request's progress and stop flag.
#[derive(Default)]
pub struct Job {
    pub cancel: CancelFlag,
    pub done: AtomicU64,
    pub total: AtomicU64,
}

/// Unwinds out of a kernel whose job was cancelled.
struct Stop;

impl Observer for Job {
    fn start(&self, total: u64, _unit: &str) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }
    fn grow(&self, total: u64, _message: &str) {
        self.total.store(total, Ordering::Relaxed);
    }
    fn advance(&self, n: u64) {
        if self.cancel.is_set() {
            resume_unwind(Box::new(Stop));
        }
        self.done.fetch_add(n, Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.cancel.is_set()
    }
}

/// The jobs of a server: the latest of each page, and how many threads are working.
#[derive(Default)]
pub struct Jobs {
    pages: Mutex<HashMap<String, Arc<Job>>>,
    running: Arc<AtomicUsize>,
}

impl Jobs {
    fn pages(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Job>>> {
        self.pages.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Sets the job's flag when dropped: the handler's future was dropped (the client went
/// away) or it finished (then the flag is moot).
struct CancelOnDrop(Arc<Job>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel.cancel();
    }
}

struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `work` as a job of `page` (which cancels that page's previous job).
pub async fn run<T: Send + 'static>(
    app: &Arc<App>,
    page: Option<String>,
    work: impl FnOnce(&dyn Observer) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let job = Arc::new(Job::default());
    if let Some(p) = &page {
        if let Some(old) = app.jobs.pages().insert(p.clone(), job.clone()) {
            old.cancel.cancel();
        }
    }
    let guard = CancelOnDrop(job.clone());
    let worker = job.clone();
    let running = app.jobs.running.clone();
    running.fetch_add(1, Ordering::SeqCst);
    let handle = tokio::task::spawn_blocking(move || {
        let _running = Running(running);
        catch_unwind(AssertUnwindSafe(|| work(&*worker)))
    });
    let limit = app.time_limit;
    let out = match tokio::time::timeout(limit, handle).await {
        Err(_) => {
            job.cancel.cancel();
            Err(ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                error: format!(
                    "stopped after {:.0} s, the time limit of one request here: ask for less (fewer funds or runs), or use the CLI",
                    limit.as_secs_f64()
                ),
                field: None,
            })
        }
        Ok(Err(e)) => Err(ApiError::internal(format!("the worker failed: {e}"))),
        Ok(Ok(Err(payload))) => {
            if payload.is::<Stop>() || job.cancel.is_set() {
                Err(ApiError::cancelled())
            } else {
                let msg = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "a panic".into());
                Err(ApiError::internal(msg))
            }
        }
        Ok(Ok(Ok(r))) => r,
    };
    if let Some(p) = &page {
        let mut pages = app.jobs.pages();
        if pages.get(p).is_some_and(|j| Arc::ptr_eq(j, &job)) {
            pages.remove(p);
        }
    }
    drop(guard);
    out
}

/// `GET /api/status`: how many requests are working (tests watch work stop).
pub async fn status(State(app): State<Arc<App>>) -> Response {
    Json(json!({
        "running": app.jobs.running.load(Ordering::SeqCst),
        "version": venturelab_app::VERSION,
    }))
    .into_response()
}

/// `GET /api/progress/PAGE`: the units done and planned of the page's current job.
pub async fn progress(State(app): State<Arc<App>>, Path(page): Path<String>) -> Response {
    let pages = app.jobs.pages();
    let body = match pages.get(&page) {
        Some(j) => json!({
            "running": true,
            "done": j.done.load(Ordering::Relaxed),
            "total": j.total.load(Ordering::Relaxed),
        }),
        None => json!({"running": false, "done": 0, "total": 0}),
    };
    Json(body).into_response()
}

#[derive(Deserialize)]
struct CancelBody {
    page: String,
}

/// `POST /api/cancel {"page": ...}`: stops the page's current job.
pub async fn cancel(State(app): State<Arc<App>>, body: axum::body::Bytes) -> Response {
    let b: CancelBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return ApiError::bad_json(e).into_response(),
    };
    let found = app.jobs.pages().remove(&b.page);
    if let Some(j) = &found {
        j.cancel.cancel();
    }
    Json(json!({"cancelled": found.is_some()})).into_response()
}

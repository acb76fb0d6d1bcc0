//! `venturelab serve`: a local web app over the application layer.
//!
//! The server holds no model logic: each API endpoint reads a JSON body into a request of
//! `venturelab-app` (a scenario as a [`venturelab_app::Source::Sealed`] map, which never
//! reaches the file system), runs it on a blocking thread with a cancellation flag and a
//! time limit ([`jobs`]), and answers with the application's report JSON, the CLI's text
//! table and the SVG charts of `venturelab-present`. The pages (one HTML shell, one script,
//! one style sheet) are embedded in the binary ([`assets`]).
//!
//! Security, even on localhost ([`guard`]): it binds 127.0.0.1 unless told otherwise,
//! refuses a Host or Origin header that is not its own (DNS rebinding), takes state changes
//! only as JSON POSTs, and limits body, upload and simulation sizes.

pub mod api;
pub mod assets;
pub mod guard;
pub mod jobs;
pub mod runs;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;

/// How `venturelab serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind (default 127.0.0.1).
    pub host: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// The run store (default: [`runs::default_path`]).
    pub db: Option<PathBuf>,
    /// Open the page in the system's browser once listening.
    pub open: bool,
    /// The longest one request may run before it is cancelled.
    pub time_limit: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            host: "127.0.0.1".into(),
            port: 8787,
            db: None,
            open: false,
            time_limit: Duration::from_secs(60),
        }
    }
}

/// Whether `host` is a loopback address (the only kind served without a warning).
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|a| a.is_loopback())
}

/// Shared state of a running server.
pub struct App {
    /// The address the server listens on (its port is in every allowed Host).
    pub addr: SocketAddr,
    /// The host it was asked to bind (also an allowed Host name).
    pub host: String,
    pub time_limit: Duration,
    pub jobs: jobs::Jobs,
    pub runs: runs::Runs,
}

/// The router: pages, API and the guard in front of both.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::script))
        .route("/app.css", get(assets::style))
        .route("/api/presets", get(api::presets))
        .route("/api/example/{name}", get(assets::example))
        .route("/api/scenario/{area}/{name}", get(api::scenario))
        .route("/api/status", get(jobs::status))
        .route("/api/progress/{page}", get(jobs::progress))
        .route("/api/cancel", post(jobs::cancel))
        .route("/api/fund/simulate", post(api::fund_simulate))
        .route("/api/fund/solve", post(api::fund_solve))
        .route("/api/company/default-alive", post(api::default_alive))
        .route("/api/company/simulate", post(api::company_simulate))
        .route("/api/company/stress", post(api::company_stress))
        .route("/api/company/compare", post(api::company_compare))
        .route("/api/captable", post(api::cap_table))
        .route("/api/waterfall", post(api::waterfall))
        .route("/api/fit", post(api::fit))
        .route("/api/market/experiment", post(api::market_experiment))
        .route("/api/runs", get(runs::list))
        .route("/api/runs/save", post(runs::save))
        .route("/api/runs/diff", post(runs::diff))
        .route("/api/runs/{id}", get(runs::get))
        .route("/api/runs/{id}/delete", post(runs::delete))
        .route("/api/runs/{id}/export", get(runs::export))
        .fallback(guard::not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            guard::check,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(guard::MAX_BODY_BYTES))
        .with_state(app)
}

/// A server bound to its address, not yet serving.
pub struct Bound {
    pub app: Arc<App>,
    listener: tokio::net::TcpListener,
}

impl Bound {
    /// The URL of its pages.
    pub fn url(&self) -> String {
        format!("http://{}/", url_host(&self.app.addr))
    }

    /// Serves until the process ends.
    pub async fn run(self) -> std::io::Result<()> {
        axum::serve(self.listener, router(self.app)).await
    }
}

fn url_host(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) if a.ip().is_loopback() => format!("127.0.0.1:{}", a.port()),
        other => other.to_string(),
    }
}

/// Binds the address of `opts` and opens the run store.
pub async fn bind(opts: &ServeOptions) -> Result<Bound, String> {
    let listener = tokio::net::TcpListener::bind((opts.host.as_str(), opts.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.host, opts.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let db = match &opts.db {
        Some(p) => p.clone(),
        None => runs::default_path()?,
    };
    let runs = runs::Runs::open(&db)?;
    Ok(Bound {
        app: Arc::new(App {
            addr,
            host: opts.host.clone(),
            time_limit: opts.time_limit,
            jobs: jobs::Jobs::default(),
            runs,
        }),
        listener,
    })
}

/// Starts a server on its own thread and runtime (for tests and embedding): returns its
/// address once it listens.
pub fn spawn(opts: ServeOptions) -> Result<SocketAddr, String> {
    let rt = runtime()?;
    let bound = rt.block_on(bind(&opts))?;
    let addr = bound.app.addr;
    std::thread::Builder::new()
        .name("venturelab-web".into())
        .spawn(move || {
            let _ = rt.block_on(bound.run());
        })
        .map_err(|e| e.to_string())?;
    Ok(addr)
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(16)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's runtime: {e}"))
}

/// `venturelab serve`: binds, prints the URL (and a warning for a host that is not
/// loopback), optionally opens a browser, and serves until the process ends.
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let rt = runtime()?;
    rt.block_on(async {
        let bound = bind(&opts).await?;
        if !is_loopback(&opts.host) {
            eprintln!(
                "warning: listening on {} (not loopback): anyone who can reach this address can run simulations and read and delete the saved runs",
                opts.host
            );
        }
        let url = bound.url();
        println!("venturelab serving on {url} (Ctrl-C stops it)");
        if opts.open {
            open_browser(&url);
        }
        bound.run().await.map_err(|e| e.to_string())
    })
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("note: could not open a browser ({opener}: {e}); open {url}");
    }
}

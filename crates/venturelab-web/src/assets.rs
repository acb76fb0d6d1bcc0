//! The pages, embedded in the binary: one HTML shell, one script, one style sheet (no CDN,
//! no fonts: the system's font stack), so the app works offline.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const INDEX: &str = include_str!("../assets/index.html");
const SCRIPT: &str = include_str!("../assets/app.js");
const STYLE: &str = include_str!("../assets/app.css");

fn typed(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// `GET /`.
pub async fn index() -> Response {
    typed("text/html; charset=utf-8", INDEX)
}

/// `GET /app.js`.
pub async fn script() -> Response {
    typed("text/javascript; charset=utf-8", SCRIPT)
}

/// `GET /app.css`.
pub async fn style() -> Response {
    typed("text/css; charset=utf-8", STYLE)
}

/// `GET /api/example/NAME`: the examples the pages start from (`captable`: the YC SAFE
/// guide's cap table; `sizes`: a sample of values to fit), from the repository's
/// `examples/` folder.
pub async fn example(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let text = match name.as_str() {
        "captable" => include_str!("../../../examples/safe-to-series-a.toml"),
        "sizes" => include_str!("../../../examples/sizes.txt"),
        _ => return crate::guard::not_found().await,
    };
    typed("text/plain; charset=utf-8", text)
}

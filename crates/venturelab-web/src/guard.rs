//! What every request passes before a handler sees it: its Host and Origin must be this
//! server's own (a page of another site, or a DNS name rebound to 127.0.0.1, is refused),
//! a state change must be a POST of JSON (a cross-site form post is refused with 415), and
//! a body is at most [`MAX_BODY_BYTES`].

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;
use crate::App;

/// The largest request body read (413 beyond).
pub const MAX_BODY_BYTES: usize = 2 << 20;

/// The names this server answers to, with its port: `127.0.0.1:PORT`, `localhost:PORT`,
/// `[::1]:PORT` and the host it was asked to bind.
fn allowed_hosts(app: &App) -> Vec<String> {
    let port = app.addr.port();
    let mut v = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    let bound = if app.host.contains(':') && !app.host.starts_with('[') {
        format!("[{}]:{port}", app.host)
    } else {
        format!("{}:{port}", app.host)
    };
    if !v.contains(&bound) && app.host != "0.0.0.0" && app.host != "::" {
        v.push(bound);
    }
    v
}

fn refuse(status: StatusCode, message: String) -> Response {
    ApiError {
        status,
        error: message,
        field: None,
    }
    .into_response()
}

/// The guard in front of every route.
pub async fn check(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let hosts = allowed_hosts(&app);
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !hosts.contains(&host) {
        return refuse(
            StatusCode::FORBIDDEN,
            format!(
                "Host '{host}' is not this server (expected {}): requests through another name are refused",
                hosts.join(" or ")
            ),
        );
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("").to_ascii_lowercase();
        if !hosts.iter().any(|h| origin == format!("http://{h}")) {
            return refuse(
                StatusCode::FORBIDDEN,
                format!("Origin '{origin}' is not this server: cross-site requests are refused"),
            );
        }
    }
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD {
        if method != Method::POST {
            return refuse(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("{method} is not accepted: changes are JSON POSTs"),
            );
        }
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let essence = ct.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/json") {
            return refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "expected Content-Type application/json, got '{ct}' (form posts are refused)"
                ),
            );
        }
        let length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|h| h.to_str().ok())
            .and_then(|s| s.parse::<u64>().ok());
        if length.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
            return too_large();
        }
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        ),
    );
    res
}

/// 413 with the limit named.
pub fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "the request is larger than {} MB, the most this server reads",
            MAX_BODY_BYTES >> 20
        ),
    )
}

/// 404 for any other path.
pub async fn not_found() -> Response {
    refuse(StatusCode::NOT_FOUND, "no such page".into())
}

//! The operations routes (health, metrics, the OpenAPI document) and the answers the Router
//! gives without a handler (no route, wrong method, timeout), each in the one error shape with
//! its [`RouteError`] as the response's cause.

use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::openapi::document;
use crate::reload::LastReload;
use crate::reply::{json, RouteError};
use crate::AppState;

/// `GET /healthz`.
#[derive(Debug, Serialize)]
pub struct Health {
    /// Always `ok`: a server that answers is alive.
    pub status: &'static str,
    pub model: String,
    pub version: String,
    /// Present only when the model follows a feed.
    #[serde(flatten)]
    pub feed: Option<FeedHealth>,
}

/// What `/healthz` adds for a model that follows a feed.
#[derive(Debug, Serialize)]
pub struct FeedHealth {
    /// The feed (`s3://bucket/key`).
    pub source: String,
    /// `null` until a reload changed something or failed.
    pub last_reload: Option<LastReload>,
}

/// `GET /healthz`: the process answers and which model it serves. A server that follows a
/// feed also names it (`source`) and tells how its last reload went (`last_reload`: `null`
/// until a reload changed something or failed, then `{version, ok, error, at}`).
pub async fn healthz(State(state): State<AppState>) -> Response {
    let model = state.model();
    let feed =
        state.reloader.as_ref().map(|r| FeedHealth { source: r.describe(), last_reload: r.last() });
    let body = Health {
        status: "ok",
        model: model.name().to_string(),
        version: model.version.clone(),
        feed,
    };
    json(StatusCode::OK, &body)
}

/// `GET /metrics`, in Prometheus' text format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut response = state.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    response
}

/// `GET /openapi.json`, generated from the routes and the served model's features.
pub async fn openapi(State(state): State<AppState>) -> Response {
    json(StatusCode::OK, &document(&state.model(), &state.limits, state.admin_token.is_some()))
}

/// Any other path: 404 in the one error shape.
pub async fn not_found(method: Method, uri: Uri) -> Response {
    RouteError::NoRoute { method, path: uri.path().to_string() }.into_response()
}

/// The timeout layer answers 408 with an empty body; give it the one error shape (and its
/// cause, which the layer cannot attach).
pub fn timeout_body(response: Response) -> Response {
    if response.status() != StatusCode::REQUEST_TIMEOUT
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    RouteError::Timeout.into_response()
}

/// A known path with the wrong method.
pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    RouteError::MethodNotAllowed { method, path: uri.path().to_string() }.into_response()
}

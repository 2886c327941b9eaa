use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::openapi::document;
use crate::reply::json;
use crate::AppState;

/// `GET /healthz`: the process answers and which model it serves.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let model = state.model();
    json(StatusCode::OK, &json!({"status": "ok", "model": model.name(), "version": model.version}))
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
    json(StatusCode::OK, &document(&state.model()))
}

/// Any other path: 404 in the one error shape.
pub async fn not_found(method: Method, uri: Uri) -> Response {
    let body = json!({"error": format!("no route for {method} {}", uri.path()), "field": "path"});
    json(StatusCode::NOT_FOUND, &body)
}

/// A known path with the wrong method.
pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let body =
        json!({"error": format!("{method} is not allowed on {}", uri.path()), "field": "method"});
    json(StatusCode::METHOD_NOT_ALLOWED, &body)
}

//! `GET /` (the web page, or its links as JSON for a program that asks for JSON) and the
//! page's assets.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use crate::page::{ASSETS, CONTENT_SECURITY_POLICY, INDEX_HTML};
use crate::reply::json;
use crate::AppState;

/// A client that names JSON and not HTML in `Accept` is a program: it keeps getting the links
/// that `GET /` answered before there was a page.
fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("application/json") && !accept.contains("text/html")
}

fn text(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The assets are compiled in, so a new binary may change them under the same name.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

/// `GET /` for a program: where things are.
#[derive(Debug, Serialize)]
struct Index {
    name: &'static str,
    model: String,
    version: String,
    predict: &'static str,
    model_card: &'static str,
    openapi: &'static str,
    metrics: &'static str,
    v2: String,
}

/// `GET /`: the page that shows a person what the model does.
pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let model = state.model();
    if wants_json(&headers) {
        let index = Index {
            name: "grove",
            model: model.name().to_string(),
            version: model.version.clone(),
            predict: "POST /predict",
            model_card: "/model",
            openapi: "/openapi.json",
            metrics: "/metrics",
            v2: format!("/v2/models/{}", model.name()),
        };
        return json(StatusCode::OK, &index);
    }
    let mut response = text("text/html; charset=utf-8", INDEX_HTML);
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    response
}

/// `GET /assets/{name}`: the page's CSS, JavaScript and icon.
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => text(content_type, body),
        None => json(
            StatusCode::NOT_FOUND,
            &json!({"error": format!("no asset `{name}`"), "field": "path"}),
        ),
    }
}

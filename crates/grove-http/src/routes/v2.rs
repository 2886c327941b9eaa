//! Open Inference Protocol routes: each answers one of `grove_request::v2`'s typed documents,
//! and errors in the protocol's `{"error"}` shape.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use grove_request::{v2, RequestError};

use crate::body::{content_type, read};
use crate::reply::{json, with_version, V2Error};
use crate::AppState;

pub async fn server_metadata() -> Response {
    json(StatusCode::OK, &v2::server_metadata())
}

pub async fn live() -> Response {
    json(StatusCode::OK, &v2::Live { live: true })
}

pub async fn ready() -> Response {
    json(StatusCode::OK, &v2::Ready { ready: true })
}

pub async fn model_metadata(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, V2Error> {
    metadata(&state, &name, None)
}

pub async fn version_metadata(
    State(state): State<AppState>,
    Path((name, version)): Path<(String, String)>,
) -> Result<Response, V2Error> {
    metadata(&state, &name, Some(&version))
}

fn metadata(state: &AppState, name: &str, version: Option<&str>) -> Result<Response, V2Error> {
    let model = state.model();
    v2::check_model(&model, name, version)?;
    Ok(json(StatusCode::OK, &v2::model_metadata(&model)))
}

pub async fn model_ready(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, V2Error> {
    let model = state.model();
    v2::check_model(&model, &name, None)?;
    Ok(json(StatusCode::OK, &v2::model_ready(&model)))
}

pub async fn version_ready(
    State(state): State<AppState>,
    Path((name, version)): Path<(String, String)>,
) -> Result<Response, V2Error> {
    let model = state.model();
    v2::check_model(&model, &name, Some(&version))?;
    Ok(json(StatusCode::OK, &v2::model_ready(&model)))
}

pub async fn infer(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, V2Error> {
    run_infer(&state, &name, None, &headers, body).await
}

pub async fn version_infer(
    State(state): State<AppState>,
    Path((name, version)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, V2Error> {
    run_infer(&state, &name, Some(&version), &headers, body).await
}

async fn run_infer(
    state: &AppState,
    name: &str,
    version: Option<&str>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, V2Error> {
    let model = state.model();
    v2::check_model(&model, name, version)?;
    if let Some(ct) = content_type(headers) {
        let essence = ct.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/json") {
            return Err(
                RequestError::UnsupportedMediaType { got: ct.to_string(), csv: false }.into()
            );
        }
    }
    let bytes = read(body, state.limits.max_body_bytes).await?;
    let value = v2::infer(&model, &bytes, &state.limits)?;
    state.metrics.rows_predicted(&model, value.rows());
    Ok(with_version(json(StatusCode::OK, &value), &model.version))
}

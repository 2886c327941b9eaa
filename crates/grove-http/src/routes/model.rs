//! Read-only routes that describe the served model: the card, one tree, a row's path.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use grove_request::{body_format, decode_predict};

use crate::body::{content_type, read};
use crate::card::card;
use crate::reply::{json, with_version, ApiError};
use crate::trees::{paths_json, tree_index, tree_json};
use crate::AppState;

/// `GET /model`: the model card.
pub async fn model_card(State(state): State<AppState>) -> Response {
    let model = state.model();
    with_version(json(StatusCode::OK, &card(&model)), &model.version)
}

/// `GET /model/trees/{tree}`: one tree's arrays.
pub async fn tree(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let model = state.model();
    let index = tree_index(&model, &raw)?;
    Ok(with_version(json(StatusCode::OK, &tree_json(&model, index)), &model.version))
}

/// `POST /model/trees/{tree}/path`: the nodes a row visits, for a body `/predict` reads.
pub async fn path(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let model = state.model();
    let index = tree_index(&model, &raw)?;
    let format = body_format(content_type(&headers))?;
    let bytes = read(body, state.limits.max_body_bytes).await?;
    let input = decode_predict(&model, format, &bytes, false, &state.limits)?;
    let value = paths_json(&model, index, &input)?;
    Ok(with_version(json(StatusCode::OK, &value), &model.version))
}

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use grove_request::{answer, body_format, decode_predict};

use crate::body::{content_type, proba_query, read};
use crate::reply::{json, with_version, ApiError};
use crate::AppState;

/// `POST /predict` (also `/` and `/invocations`): the tutorial's body, MLflow's layouts or CSV.
pub async fn predict(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let model = state.model();
    let format = body_format(content_type(&headers))?;
    let proba = proba_query(query.as_deref())?;
    let bytes = read(body, state.limits.max_body_bytes).await?;
    let input = decode_predict(&model, format, &bytes, proba, &state.limits)?;
    let value = answer(&model, &input)?;
    state.metrics.rows_predicted(input.rows.len() / model.forest.n_features());
    Ok(with_version(json(StatusCode::OK, &value), &model.version))
}

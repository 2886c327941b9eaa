use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

use grove_request::{answer, body_format, decode_predict, RequestError};

use crate::body::{content_type, proba_query, read};
use crate::reply::{json, with_version, ApiError};
use crate::AppState;

/// Bodies up to this size are decoded and predicted on the async worker: a few rows take
/// microseconds, less than a hop to the blocking pool.
const INLINE_BODY_BYTES: usize = 64 * 1024;

/// `POST /predict` (also `/` and `/invocations`): the tutorial's body, MLflow's layouts or CSV.
pub async fn predict(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    // The request taken whole, not as a `HeaderMap` extractor, which would copy every header.
    let (parts, body) = request.into_parts();
    let model = state.model();
    let format = body_format(content_type(&parts.headers))?;
    let proba = proba_query(parts.uri.query())?;
    let bytes = read(body, state.limits.max_body_bytes).await?;
    let bytes_len = bytes.len();
    let limits = state.limits;
    let work = {
        let model = Arc::clone(&model);
        move || {
            let input = decode_predict(&model, format, &bytes, proba, &limits)?;
            Ok::<_, RequestError>((answer(&model, &input)?, input.rows.len()))
        }
    };
    // A big batch runs on the blocking pool: the async workers keep answering other requests
    // (health checks, small predictions), and the timeout layer can still answer 408.
    let (value, values) = if bytes_len > INLINE_BODY_BYTES {
        tokio::task::spawn_blocking(work).await.map_err(|e| {
            ApiError(RequestError::BadRequest {
                field: "body".into(),
                message: format!("the request was cancelled: {e}"),
            })
        })??
    } else {
        work()?
    };
    state.metrics.rows_predicted(&model, values / model.forest.n_features());
    Ok(with_version(json(StatusCode::OK, &value), &model.version))
}

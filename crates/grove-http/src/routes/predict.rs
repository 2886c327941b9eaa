//! `POST /predict`: the body read under the limit, then decoded and predicted on this worker
//! or, for a big body, on the blocking pool. Decoding and prediction are not expected to panic;
//! if they do (or the runtime drops the blocking task), the answer is a 500 in the one error
//! shape, logged at error level, and the process keeps serving.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use tokio::task::JoinError;

use grove_request::{answer, body_format, decode_predict, RequestError};

use crate::body::{content_type, proba_query, read};
use crate::reply::{json, with_version, ApiError, WorkerFailure};
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
    let (value, values) = run(work, bytes_len > INLINE_BODY_BYTES).await??;
    state.metrics.rows_predicted(&model, values / model.forest.n_features());
    Ok(with_version(json(StatusCode::OK, &value), &model.version))
}

/// Runs `work` on the blocking pool (`blocking`) or on this worker, a panic in it (or the pool
/// dropping it) answered as a [`WorkerFailure`] rather than taking the connection down.
async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    blocking: bool,
) -> Result<T, WorkerFailure> {
    if blocking {
        tokio::task::spawn_blocking(work).await.map_err(joined)
    } else {
        // Unwind safety: `work` owns its inputs and only reads the shared model, so nothing
        // half-updated is seen after a panic.
        catch_unwind(AssertUnwindSafe(work)).map_err(|payload| panicked(payload.as_ref()))
    }
}

/// A blocking task that did not return: a panic, or a cancellation by the runtime.
fn joined(error: JoinError) -> WorkerFailure {
    if error.is_panic() {
        panicked(error.into_panic().as_ref())
    } else {
        tracing::error!("a predict task was cancelled before it answered: {error}");
        WorkerFailure::Cancelled
    }
}

fn panicked(payload: &(dyn Any + Send)) -> WorkerFailure {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic without a message)");
    tracing::error!("predicting panicked: {message}");
    WorkerFailure::Panicked
}

#[cfg(test)]
mod tests {
    use axum::body::to_bytes;
    use axum::response::IntoResponse;

    use super::*;
    use crate::ErrorCause;

    fn boom() -> u32 {
        panic!("boom")
    }

    #[tokio::test]
    async fn a_panic_on_either_path_is_a_worker_failure() {
        assert_eq!(run(boom, true).await, Err(WorkerFailure::Panicked));
        assert_eq!(run(boom, false).await, Err(WorkerFailure::Panicked));
        assert_eq!(run(|| 7, true).await, Ok(7));
        assert_eq!(run(|| 7, false).await, Ok(7));
    }

    #[tokio::test]
    async fn a_cancelled_task_is_a_worker_failure() {
        let task = tokio::spawn(std::future::pending::<()>());
        task.abort();
        let error = task.await.expect_err("an aborted task");
        assert_eq!(joined(error), WorkerFailure::Cancelled);
    }

    #[tokio::test]
    async fn a_worker_failure_answers_500_in_the_one_error_shape() {
        let failure = run(boom, true).await.expect_err("a panic");
        let response = ApiError::from(failure).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let cause = response.extensions().get::<ErrorCause>().cloned();
        assert_eq!(cause, Some(ErrorCause::Worker(WorkerFailure::Panicked)));
        let body = to_bytes(response.into_body(), usize::MAX).await.expect("the body");
        assert_eq!(
            std::str::from_utf8(&body).expect("UTF-8"),
            r#"{"error": "the server failed while answering this request", "field": "server"}"#
        );
    }
}

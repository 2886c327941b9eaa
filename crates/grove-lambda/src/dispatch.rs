//! Handing one `http::Request` to the Router in-process and collecting its whole answer, with
//! the typed [`ErrorCause`] the Router puts on every error response as an extension: a raw
//! payload's error becomes a function error from that cause, not from the body's text.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::Router;
use grove_http::ErrorCause;
use grove_request::to_python_json;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::LambdaError;

/// The Router's whole answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// Why the Router answered an error, when it did.
    pub cause: Option<ErrorCause>,
}

impl Answer {
    /// The body as text (the Router writes JSON; anything not UTF-8 is replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A non-success answer as a function error: a 4xx as [`LambdaError::Request`], a 5xx as
    /// [`LambdaError::Router`].
    pub fn into_error(self) -> LambdaError {
        match self.cause {
            Some(cause) if cause.status().is_server_error() => LambdaError::Router(cause),
            Some(cause) => LambdaError::Request(cause),
            None => LambdaError::Unexplained { status: self.status.as_u16() },
        }
    }
}

/// Input the adapter itself cannot read (a body that is not base64, a header that is not a
/// header): answered 400 in the Router's error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl Rejected {
    /// A rejection of `field`.
    pub fn new(field: &'static str, message: impl std::fmt::Display) -> Rejected {
        Rejected { field, message: message.to_string() }
    }

    /// The 400: `{"error": "...", "field": "..."}`, with Python's spacing as the Router writes.
    pub fn into_answer(self) -> Answer {
        let body = json!({"error": self.message, "field": self.field});
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Answer {
            status: StatusCode::BAD_REQUEST,
            headers,
            body: Bytes::from(to_python_json(&body)),
            cause: None,
        }
    }
}

/// Runs `request` through `router` (no socket) and reads the whole answer.
pub async fn call(router: &Router, request: Request<Body>) -> Result<Answer, LambdaError> {
    let response = match router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (mut parts, body) = response.into_parts();
    let cause = parts.extensions.remove::<ErrorCause>();
    let body = body
        .collect()
        .await
        .map_err(|e| LambdaError::ReadAnswer { message: e.to_string() })?
        .to_bytes();
    Ok(Answer { status: parts.status, headers: parts.headers, body, cause })
}

#[cfg(test)]
mod tests {
    use grove_http::{RouteError, WorkerFailure};

    use super::*;

    fn answer(status: StatusCode, cause: Option<ErrorCause>) -> Answer {
        Answer { status, headers: HeaderMap::new(), body: Bytes::new(), cause }
    }

    #[test]
    fn error_answers_become_function_errors_from_their_cause() {
        let timeout = ErrorCause::Route(RouteError::Timeout);
        let err = answer(StatusCode::REQUEST_TIMEOUT, Some(timeout.clone())).into_error();
        assert_eq!(err, LambdaError::Request(timeout));
        assert_eq!(err.error_type(), "Timeout");

        // A server failure is the function's own error, never the caller's.
        let failed = ErrorCause::Worker(WorkerFailure::Panicked);
        let err = answer(StatusCode::INTERNAL_SERVER_ERROR, Some(failed.clone())).into_error();
        assert_eq!(err, LambdaError::Router(failed));
        assert_eq!(err.error_type(), "Internal");

        let err = answer(StatusCode::UNAUTHORIZED, None).into_error();
        assert_eq!(err, LambdaError::Unexplained { status: 401 });
        assert_eq!(err.error_type(), "Internal");
    }
}

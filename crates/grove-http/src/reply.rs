//! Turning answers and errors into HTTP responses: one JSON writer (Python's spacing, so the
//! tutorial's clients see the body they expect), one error shape per protocol.
//!
//! Every error response also carries its typed cause, an [`ErrorCause`], as a response
//! extension (as axum's error-handling example carries its `AppError`). An in-process caller of
//! the Router (the Lambda function, which answers a raw payload's error as a function error
//! with an `errorType`) reads the cause there instead of parsing the body back, and nothing of
//! it reaches the wire: extensions are not written by the server, so HTTP clients see only the
//! status and the body.

use std::fmt;
use std::sync::Arc;

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use grove_request::{to_python_json, RequestError};
use serde::Serialize;
use serde_json::json;

/// The header naming the model version that answered.
pub const MODEL_VERSION: &str = "x-model-version";

/// Why the Router answered with an error: the extension on every error response of the predict,
/// model, Open Inference Protocol and fallback routes.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorCause {
    /// The request core refused the request (a 4xx).
    Request(Arc<RequestError>),
    /// The Router answered by itself: no route, a wrong method, past the timeout.
    Route(RouteError),
    /// The work of answering failed on the server's side (a 500).
    Worker(WorkerFailure),
}

impl ErrorCause {
    /// The status the error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ErrorCause::Request(e) => status(e.status()),
            ErrorCause::Route(e) => e.status(),
            ErrorCause::Worker(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable name for the kind of error (the Lambda function's `errorType`).
    pub fn kind(&self) -> &'static str {
        match self {
            ErrorCause::Request(e) => e.kind(),
            ErrorCause::Route(e) => e.kind(),
            ErrorCause::Worker(_) => WorkerFailure::KIND,
        }
    }

    /// The field at fault, as the body's `field` names it.
    pub fn field(&self) -> &str {
        match self {
            ErrorCause::Request(e) => e.field(),
            ErrorCause::Route(e) => e.field(),
            ErrorCause::Worker(_) => WorkerFailure::FIELD,
        }
    }
}

/// The message, as the body's `error` (the Open Inference Protocol's body also names the field).
impl fmt::Display for ErrorCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCause::Request(e) => write!(f, "{e}"),
            ErrorCause::Route(e) => write!(f, "{e}"),
            ErrorCause::Worker(e) => write!(f, "{e}"),
        }
    }
}

/// What the Router answers without a handler: a path no route declares, a method the path does
/// not take, a request the timeout layer cut short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// No route for the path (404).
    NoRoute {
        /// The request's method.
        method: Method,
        /// The request's path.
        path: String,
    },
    /// A known path with the wrong method (405).
    MethodNotAllowed {
        /// The request's method.
        method: Method,
        /// The request's path.
        path: String,
    },
    /// The request took longer than the Router's timeout (408).
    Timeout,
}

impl RouteError {
    /// The status the error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            RouteError::NoRoute { .. } => StatusCode::NOT_FOUND,
            RouteError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            RouteError::Timeout => StatusCode::REQUEST_TIMEOUT,
        }
    }

    /// A stable name for the kind of error.
    pub fn kind(&self) -> &'static str {
        match self {
            RouteError::NoRoute { .. } => "NotFound",
            RouteError::MethodNotAllowed { .. } => "MethodNotAllowed",
            RouteError::Timeout => "Timeout",
        }
    }

    /// The field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            RouteError::NoRoute { .. } => "path",
            RouteError::MethodNotAllowed { .. } => "method",
            // The body is what took too long to read or to answer.
            RouteError::Timeout => "body",
        }
    }
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::NoRoute { method, path } => write!(f, "no route for {method} {path}"),
            RouteError::MethodNotAllowed { method, path } => {
                write!(f, "{method} is not allowed on {path}")
            }
            RouteError::Timeout => f.write_str("the request took longer than the server's timeout"),
        }
    }
}

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.to_string(), "field": self.field()});
        marked(json(self.status(), &body), ErrorCause::Route(self))
    }
}

/// A worker that did not finish answering: the server's fault, never the caller's. The body
/// says only that; the cause (a panic's message) goes to the log where the failure is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerFailure {
    /// Decoding or prediction panicked.
    Panicked,
    /// The runtime dropped the work before it finished (it is shutting down).
    Cancelled,
}

impl WorkerFailure {
    const KIND: &'static str = "Internal";
    const FIELD: &'static str = "server";
}

impl fmt::Display for WorkerFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WorkerFailure::Panicked => "the server failed while answering this request",
            WorkerFailure::Cancelled => "the server stopped before answering this request",
        })
    }
}

fn marked(mut response: Response, cause: ErrorCause) -> Response {
    response.extensions_mut().insert(cause);
    response
}

/// A JSON response with a status.
pub fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let mut response = (status, to_python_json(value)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Adds the model version header.
pub fn with_version(mut response: Response, version: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(version) {
        response.headers_mut().insert(MODEL_VERSION, v);
    }
    response
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST)
}

/// An error of the predict and model routes: `{"error": "...", "field": "..."}`.
#[derive(Debug)]
pub enum ApiError {
    /// The request core refused the request.
    Request(RequestError),
    /// The work of answering failed (already logged with its cause).
    Worker(WorkerFailure),
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> ApiError {
        ApiError::Request(e)
    }
}

impl From<WorkerFailure> for ApiError {
    fn from(e: WorkerFailure) -> ApiError {
        ApiError::Worker(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Request(e) => {
                tracing::debug!(kind = e.kind(), field = e.field(), "rejected: {e}");
                let response = json(status(e.status()), &e.body());
                marked(response, ErrorCause::Request(Arc::new(e)))
            }
            ApiError::Worker(e) => {
                let body = json!({"error": e.to_string(), "field": WorkerFailure::FIELD});
                marked(json(StatusCode::INTERNAL_SERVER_ERROR, &body), ErrorCause::Worker(e))
            }
        }
    }
}

/// An error of the Open Inference Protocol routes: `{"error": "..."}`.
#[derive(Debug)]
pub struct V2Error(pub RequestError);

impl From<RequestError> for V2Error {
    fn from(e: RequestError) -> V2Error {
        V2Error(e)
    }
}

impl IntoResponse for V2Error {
    fn into_response(self) -> Response {
        tracing::debug!(kind = self.0.kind(), "rejected: {}", self.0);
        let response = json(status(grove_request::v2::status(&self.0)), &self.0.v2_body());
        marked(response, ErrorCause::Request(Arc::new(self.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause(response: &Response) -> &ErrorCause {
        response.extensions().get::<ErrorCause>().expect("an error cause")
    }

    #[test]
    fn error_responses_carry_their_cause_and_no_kind_header() {
        let refused = RequestError::Invalid { field: "values.pH".into(), message: "bad".into() };
        let response = ApiError::from(refused.clone()).into_response();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(*cause(&response), ErrorCause::Request(Arc::new(refused.clone())));
        let names: Vec<&str> = response.headers().keys().map(|k| k.as_str()).collect();
        assert_eq!(names, ["content-type"]);

        let response = V2Error(refused).into_response();
        assert_eq!(cause(&response).kind(), "InvalidInput");
        assert_eq!(cause(&response).field(), "values.pH");

        let response =
            RouteError::NoRoute { method: Method::POST, path: "/nowhere".into() }.into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(cause(&response).kind(), "NotFound");
        assert_eq!(cause(&response).to_string(), "no route for POST /nowhere");

        let response = ApiError::from(WorkerFailure::Panicked).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(cause(&response).status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!((cause(&response).kind(), cause(&response).field()), ("Internal", "server"));
    }
}

//! Turning answers and errors into HTTP responses: one JSON writer (Python's spacing, so the
//! tutorial's clients see the body they expect), one error shape per protocol.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use grove_request::{to_python_json, RequestError};
use serde::Serialize;
use serde_json::Value;

/// The header naming the model version that answered.
pub const MODEL_VERSION: &str = "x-model-version";

/// The header naming an error's stable kind (`InvalidInput`, `MalformedJson`, ...), so that
/// adapters (the Lambda function's `errorType`) need not parse messages.
pub const ERROR_KIND: &str = "x-grove-error-kind";

fn error_response(code: u16, error: &RequestError, body: &Value) -> Response {
    let mut response = json(status(code), body);
    response.headers_mut().insert(ERROR_KIND, HeaderValue::from_static(error.kind()));
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

/// An error of the predict routes: `{"error": "...", "field": "..."}`.
#[derive(Debug)]
pub struct ApiError(pub RequestError);

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> ApiError {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tracing::debug!(kind = self.0.kind(), field = self.0.field(), "rejected: {}", self.0);
        error_response(self.0.status(), &self.0, &self.0.body())
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
        error_response(grove_request::v2::status(&self.0), &self.0, &self.0.v2_body())
    }
}

//! Handing one `http::Request` to the Router in-process and collecting its whole answer.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::Router;
use grove_request::to_python_json;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::errors::kind_of;
use crate::LambdaError;

/// The header that, when the Router sets it on an error answer, names the error's kind.
pub const ERROR_KIND_HEADER: &str = grove_http::ERROR_KIND;

/// The Router's whole answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Answer {
    /// The body as text (the Router writes JSON; anything not UTF-8 is replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A 4xx (or any non-success) answer as a [`LambdaError::Request`], from the Router's
    /// `{"error", "field"}` body.
    pub fn to_error(&self) -> LambdaError {
        let parsed: Option<Value> = serde_json::from_slice(&self.body).ok();
        let get = |key: &str| {
            parsed.as_ref().and_then(|v| v.get(key)).and_then(Value::as_str).map(str::to_string)
        };
        let message = get("error").unwrap_or_else(|| self.text());
        let field = get("field").unwrap_or_default();
        let status = self.status.as_u16();
        let kind = self
            .headers
            .get(ERROR_KIND_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(|| kind_of(status, &field, &message).to_string());
        if self.status.is_server_error() {
            return LambdaError::Internal(message);
        }
        LambdaError::Request { kind, status, field, message }
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
        }
    }
}

/// Runs `request` through `router` (no socket) and reads the whole answer.
pub async fn call(router: &Router, request: Request<Body>) -> Result<Answer, LambdaError> {
    let response = match router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| LambdaError::Internal(format!("reading the Router's answer: {e}")))?
        .to_bytes();
    Ok(Answer { status: parts.status, headers: parts.headers, body })
}

//! The two direct-invoke shapes (no HTTP trigger): the tutorial's `{"body": ...}` envelope,
//! answered as `{"statusCode", "body"}`, and a raw predict payload, answered with the
//! prediction itself or a function error.
//!
//! The envelope accepts:
//! - `body`: a JSON string (the tutorial's), or a JSON object/array (sent as its JSON text, as
//!   the client wrote it), or null/absent (an empty body, which the Router rejects as malformed
//!   JSON);
//! - `isBase64Encoded`: when true, `body` is base64 text (for example a CSV body);
//! - `headers`: an object of string values, passed on (for example `content-type: text/csv`);
//! - `queryStringParameters`: an object of scalar values, passed on as the query
//!   (`{"proba": "true"}`).
//!
//! Everything goes to `POST /predict`. A raw payload's text is the request body as it arrived,
//! and its answer is the Router's body as the Router wrote it (see [`crate::reply`]): neither is
//! parsed into a tree and written out again.

use axum::body::{Body, Bytes};
use axum::http::uri::InvalidUri;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Uri};
use base64::Engine;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::classify::{json_kind, string, EventObject, JsonKind};
use crate::dispatch::Rejected;

/// The Router request for a tutorial envelope, or the rejection (a 400) when the envelope itself
/// is unreadable (a body that is not base64, a header that is not a header).
pub fn envelope_request(event: &EventObject<'_>) -> Result<Request<Body>, Rejected> {
    let base64 = event
        .get("isBase64Encoded")
        .and_then(|raw| serde_json::from_str::<bool>(raw.get()).ok())
        .unwrap_or(false);
    let body: Vec<u8> = match event.get("body") {
        None => Vec::new(),
        Some(raw) => match json_kind(raw) {
            JsonKind::Null => Vec::new(),
            JsonKind::String => {
                let text = string(raw).unwrap_or_default();
                if base64 {
                    decode_base64(&text)?
                } else {
                    text.into_owned().into_bytes()
                }
            }
            // An object (or any other JSON) is the body as its JSON text, as the client sent it.
            _ => raw.get().as_bytes().to_vec(),
        },
    };
    let uri = match object_member(event, "queryStringParameters") {
        Some(params) if !params.is_empty() => format!("/predict?{}", query_string(&params)),
        _ => "/predict".to_string(),
    };
    let mut request = post(&uri, body).map_err(|e| Rejected::new("queryStringParameters", e))?;
    if let Some(headers) = object_member(event, "headers") {
        for (name, value) in &headers {
            let Some(value) = value.as_str() else { continue };
            let bad = |e: &dyn std::fmt::Display| {
                Rejected::new("headers", format!("header `{name}`: {e}"))
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| bad(&e))?;
            let value = HeaderValue::from_str(value).map_err(|e| bad(&e))?;
            request.headers_mut().insert(name, value);
        }
    }
    Ok(request)
}

/// The envelope's small objects (headers, query parameters) read whole: only the body must
/// reach the Router untouched, and these are written back out value by value.
fn object_member(event: &EventObject<'_>, key: &str) -> Option<Map<String, Value>> {
    serde_json::from_str(event.get(key)?.get()).ok()
}

/// The Router request for a raw predict payload: the event's own text is the body, moved, not
/// copied or re-written.
pub fn raw_request(event: Box<RawValue>) -> Request<Body> {
    let text: Box<str> = event.into();
    predict_request(Bytes::from(String::from(text)))
}

/// The tutorial's answer: exactly `{"statusCode": <status>, "body": "<the Router's body>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// The Router's status.
    pub status_code: u16,
    /// The Router's body, as text.
    pub body: String,
}

fn post(uri: &str, body: Vec<u8>) -> Result<Request<Body>, InvalidUri> {
    let mut request = predict_request(Bytes::from(body));
    *request.uri_mut() = uri.parse()?;
    Ok(request)
}

/// `POST /predict` of a JSON body.
fn predict_request(body: Bytes) -> Request<Body> {
    let mut request = Request::new(Body::from(body));
    *request.method_mut() = Method::POST;
    *request.uri_mut() = Uri::from_static("/predict");
    request
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    request
}

/// Decodes a base64 body; when it is not base64, a rejection of `body`.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, Rejected> {
    base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| {
        Rejected::new("body", format!("`isBase64Encoded` is true but the body is not base64: {e}"))
    })
}

/// `k=v&...`, percent-encoding everything but unreserved characters.
fn query_string(params: &Map<String, Value>) -> String {
    let mut out = Vec::new();
    for (key, value) in params {
        let value = match value {
            Value::String(s) => s.clone(),
            Value::Null => continue,
            other => other.to_string(),
        };
        out.push(format!("{}={}", encode(key), encode(&value)));
    }
    out.join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        serde_json::from_str(text).unwrap()
    }

    async fn body_text(request: Request<Body>) -> String {
        let bytes = axum::body::to_bytes(request.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn queries_are_percent_encoded() {
        let params = json!({"proba": true, "a b": "x&y", "skip": null});
        assert_eq!(query_string(params.as_object().unwrap()), "proba=true&a%20b=x%26y");
    }

    #[tokio::test]
    async fn object_bodies_are_sent_as_the_json_text_the_client_sent() {
        let event =
            raw(r#"{"body": {"values" : {"pH": 3.0}}, "queryStringParameters": {"proba": 1}}"#);
        let request = envelope_request(&EventObject::read(&event).unwrap()).unwrap();
        assert_eq!(request.uri(), "/predict?proba=1");
        assert_eq!(request.method(), Method::POST);
        assert_eq!(body_text(request).await, r#"{"values" : {"pH": 3.0}}"#);

        let event = raw(r#"{"body": "{\"values\": {}}", "headers": {"content-type": "text/csv"}}"#);
        let request = envelope_request(&EventObject::read(&event).unwrap()).unwrap();
        assert_eq!(request.headers()[header::CONTENT_TYPE], "text/csv");
        assert_eq!(body_text(request).await, r#"{"values": {}}"#);

        let event = raw(r#"{"body": null}"#);
        let request = envelope_request(&EventObject::read(&event).unwrap()).unwrap();
        assert_eq!(body_text(request).await, "");
    }

    #[tokio::test]
    async fn a_raw_payload_is_the_body_byte_for_byte() {
        let text = r#"{"values": {"pH":3.0,  "alcohol": 1e1}}"#;
        let request = raw_request(raw(text));
        assert_eq!((request.method(), request.uri().path()), (&Method::POST, "/predict"));
        assert_eq!(request.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(body_text(request).await, text);
    }

    #[test]
    fn bad_base64_is_a_400_naming_the_body() {
        let event = raw(r#"{"body": "***", "isBase64Encoded": true}"#);
        let rejected = envelope_request(&EventObject::read(&event).unwrap()).unwrap_err();
        let answer = rejected.into_answer();
        assert_eq!(answer.status.as_u16(), 400);
        assert!(
            answer.text().starts_with(r#"{"error": "`isBase64Encoded` is true"#),
            "{}",
            answer.text()
        );
        assert!(answer.text().ends_with(r#""field": "body"}"#));
    }
}

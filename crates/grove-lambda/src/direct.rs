//! The two direct-invoke shapes (no HTTP trigger): the tutorial's `{"body": ...}` envelope,
//! answered as `{"statusCode", "body"}`, and a raw predict payload, answered with the
//! prediction itself or a function error.
//!
//! The envelope accepts:
//! - `body`: a JSON string (the tutorial's), or a JSON object/array (sent as its JSON text),
//!   or null/absent (an empty body, which the Router rejects as malformed JSON);
//! - `isBase64Encoded`: when true, `body` is base64 text (for example a CSV body);
//! - `headers`: an object of string values, passed on (for example `content-type: text/csv`);
//! - `queryStringParameters`: an object of scalar values, passed on as the query
//!   (`{"proba": "true"}`).
//!
//! Everything goes to `POST /predict`.

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Method, Request};
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::dispatch::Rejected;
use crate::LambdaError;

/// The Router request for a tutorial envelope, or the rejection (a 400) when the envelope itself
/// is unreadable (a body that is not base64, a header that is not a header).
pub fn envelope_request(event: &Map<String, Value>) -> Result<Request<Body>, Rejected> {
    let base64 = event.get("isBase64Encoded").and_then(Value::as_bool).unwrap_or(false);
    let body: Vec<u8> = match event.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if base64 => decode_base64(s)?,
        Some(Value::String(s)) => s.clone().into_bytes(),
        Some(other) => other.to_string().into_bytes(),
    };
    let uri = match event.get("queryStringParameters") {
        Some(Value::Object(params)) if !params.is_empty() => {
            format!("/predict?{}", query_string(params))
        }
        _ => "/predict".to_string(),
    };
    let mut request = post(&uri, body).map_err(|e| Rejected::new("queryStringParameters", e))?;
    if let Some(Value::Object(headers)) = event.get("headers") {
        for (name, value) in headers {
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

/// The Router request for a raw predict payload: the event itself is the body.
pub fn raw_request(event: &Value) -> Result<Request<Body>, LambdaError> {
    post("/predict", event.to_string().into_bytes())
        .map_err(|e| LambdaError::Internal(e.to_string()))
}

/// The tutorial's answer: exactly `{"statusCode": <status>, "body": "<the Router's body>"}`.
pub fn envelope_response(status: u16, body: String) -> Value {
    json!({"statusCode": status, "body": body})
}

fn post(uri: &str, body: Vec<u8>) -> Result<Request<Body>, axum::http::Error> {
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
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
    use super::*;

    #[test]
    fn queries_are_percent_encoded() {
        let params = json!({"proba": true, "a b": "x&y", "skip": null});
        assert_eq!(query_string(params.as_object().unwrap()), "proba=true&a%20b=x%26y");
    }

    #[test]
    fn object_bodies_are_sent_as_json_text() {
        let event = json!({"body": {"values": {"pH": 3.0}}});
        let request = envelope_request(event.as_object().unwrap()).unwrap();
        assert_eq!(request.uri(), "/predict");
        assert_eq!(request.method(), Method::POST);
    }

    #[test]
    fn bad_base64_is_a_400_naming_the_body() {
        let event = json!({"body": "***", "isBase64Encoded": true});
        let answer = envelope_request(event.as_object().unwrap()).unwrap_err().into_answer();
        assert_eq!(answer.status.as_u16(), 400);
        assert!(
            answer.text().starts_with(r#"{"error": "`isBase64Encoded` is true"#),
            "{}",
            answer.text()
        );
        assert!(answer.text().ends_with(r#""field": "body"}"#));
    }
}

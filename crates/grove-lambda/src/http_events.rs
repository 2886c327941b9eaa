//! HTTP trigger events (API Gateway REST and HTTP APIs, function URLs, ALB): the event read as
//! its `aws_lambda_events` type and turned into the `http::Request` the Router takes. The answer
//! goes back in the trigger's shape through [`crate::http_responses`].
//!
//! The route path is the one the Router declares: API Gateway's stage is not part of it. A REST
//! API event's `path` has no stage; an HTTP API event's `rawPath` starts with `/<stage>` unless
//! the stage is `$default`, and that prefix is removed. (lambda_http instead puts the stage in
//! the URI unless `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` is set, which would route `/prod/predict`
//! to a 404 here.) A base64 body that is not base64 is answered 400 in the trigger's shape.

use aws_lambda_events::alb::AlbTargetGroupRequest;
use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayV2httpRequest};
use aws_lambda_events::query_map::QueryMap;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, Uri};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::classify::{EventObject, Trigger};
use crate::direct::decode_base64;
use crate::dispatch::Rejected;
use crate::LambdaError;

/// Where an HTTP event came from, which decides the response shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The trigger.
    pub trigger: Trigger,
    /// An ALB target group with multi-value headers on (the event has `multiValueHeaders`):
    /// answer `multiValueHeaders` rather than `headers`.
    pub multi_value: bool,
}

/// The parts of an HTTP request every trigger's event carries.
struct Parts {
    method: Method,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Option<String>,
    base64: bool,
}

/// Reads an HTTP trigger's event (`members` are its top-level members, as classified), typed
/// once from its text. The inner result is the Router request, or the 400 to answer (in the
/// trigger's shape) when the request cannot be built from the event.
pub fn parse(
    trigger: Trigger,
    event: &RawValue,
    members: &EventObject<'_>,
) -> Result<(Origin, Result<Request<Body>, Rejected>), LambdaError> {
    let multi_value = trigger == Trigger::Alb && members.contains("multiValueHeaders");
    let parts = match trigger {
        Trigger::ApiGatewayRest => rest_parts(typed(trigger, event)?),
        Trigger::ApiGatewayHttp | Trigger::FunctionUrl => http_api_parts(typed(trigger, event)?),
        Trigger::Alb => alb_parts(typed(trigger, event)?),
    };
    Ok((Origin { trigger, multi_value }, build(parts)))
}

fn typed<T: DeserializeOwned>(trigger: Trigger, event: &RawValue) -> Result<T, LambdaError> {
    serde_json::from_str(event.get()).map_err(|e| LambdaError::MalformedEvent {
        trigger: trigger.name(),
        message: e.to_string(),
    })
}

fn rest_parts(event: ApiGatewayProxyRequest) -> Parts {
    let query = if event.multi_value_query_string_parameters.is_empty() {
        event.query_string_parameters.to_query_string()
    } else {
        event.multi_value_query_string_parameters.to_query_string()
    };
    Parts {
        method: event.http_method,
        path: event.path.unwrap_or_default(),
        query,
        headers: prefer_multi(event.multi_value_headers, event.headers),
        body: event.body,
        base64: event.is_base64_encoded,
    }
}

fn http_api_parts(event: ApiGatewayV2httpRequest) -> Parts {
    let context = event.request_context;
    let raw_path = event.raw_path.or(context.http.path).unwrap_or_default();
    let mut headers = event.headers;
    if let Some(cookies) = event.cookies.filter(|c| !c.is_empty()) {
        if let Ok(value) = HeaderValue::from_str(&cookies.join("; ")) {
            headers.insert(header::COOKIE, value);
        }
    }
    Parts {
        method: context.http.method,
        path: without_stage(&raw_path, context.stage.as_deref()),
        query: event.raw_query_string.unwrap_or_default(),
        headers,
        body: event.body,
        base64: event.is_base64_encoded,
    }
}

fn alb_parts(event: AlbTargetGroupRequest) -> Parts {
    // ALB passes query parameters on as the client sent them (still percent-encoded).
    let params = if event.multi_value_query_string_parameters.is_empty() {
        &event.query_string_parameters
    } else {
        &event.multi_value_query_string_parameters
    };
    Parts {
        method: event.http_method,
        path: event.path.unwrap_or_default(),
        query: raw_query(params),
        headers: prefer_multi(event.multi_value_headers, event.headers),
        body: event.body,
        base64: event.is_base64_encoded,
    }
}

fn prefer_multi(multi: HeaderMap, single: HeaderMap) -> HeaderMap {
    if multi.is_empty() {
        single
    } else {
        multi
    }
}

fn raw_query(params: &QueryMap) -> String {
    params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// `rawPath` without its leading `/<stage>` (HTTP APIs with a named stage).
fn without_stage(path: &str, stage: Option<&str>) -> String {
    match stage {
        Some(stage) if !stage.is_empty() && stage != "$default" => {
            let prefix = format!("/{stage}");
            match path.strip_prefix(&prefix) {
                Some("") => "/".to_string(),
                Some(rest) if rest.starts_with('/') => rest.to_string(),
                _ => path.to_string(),
            }
        }
        _ => path.to_string(),
    }
}

fn build(parts: Parts) -> Result<Request<Body>, Rejected> {
    let body = match (parts.body, parts.base64) {
        (None, _) => Vec::new(),
        (Some(text), true) => decode_base64(&text)?,
        (Some(text), false) => text.into_bytes(),
    };
    let uri = uri(&parts.path, &parts.query)?;
    let mut request = Request::new(Body::from(body));
    *request.method_mut() = parts.method;
    *request.uri_mut() = uri;
    *request.headers_mut() = parts.headers;
    Ok(request)
}

/// The origin-form URI (`/path?query`), percent-encoding what a URI may not hold as is.
fn uri(path: &str, query: &str) -> Result<Uri, Rejected> {
    let mut target = String::with_capacity(path.len() + query.len() + 2);
    if !path.starts_with('/') {
        target.push('/');
    }
    escape_into(&mut target, path, b"/");
    if !query.is_empty() {
        target.push('?');
        escape_into(&mut target, query, b"/?");
    }
    target.parse().map_err(|e| Rejected::new("path", format!("`{path}` is not a path: {e}")))
}

fn escape_into(out: &mut String, text: &str, also: &[u8]) {
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@%".contains(&byte)
            || also.contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_leaves_http_api_paths() {
        assert_eq!(without_stage("/prod/predict", Some("prod")), "/predict");
        assert_eq!(without_stage("/prod", Some("prod")), "/");
        assert_eq!(without_stage("/production/predict", Some("prod")), "/production/predict");
        assert_eq!(without_stage("/predict", Some("$default")), "/predict");
        assert_eq!(without_stage("/predict", None), "/predict");
    }

    #[test]
    fn paths_and_queries_become_uris() {
        assert_eq!(uri("/predict", "proba=true").unwrap(), "/predict?proba=true");
        assert_eq!(uri("predict", "").unwrap(), "/predict");
        assert_eq!(uri("/a b", "q=x y").unwrap(), "/a%20b?q=x%20y");
    }
}

//! The Router's answer written back in the shape each HTTP trigger expects, as one small typed
//! struct per shape that the runtime serialises once: REST APIs get `multiValueHeaders` (and an
//! empty `headers`); HTTP APIs and function URLs get `headers` and `cookies` (from
//! `set-cookie`); ALB gets `statusDescription` and either `headers` or `multiValueHeaders`, as
//! its target group sends. A body that is not UTF-8 goes base64-encoded with
//! `isBase64Encoded: true`.
//!
//! The field names are those of `aws_lambda_events`' response types, which the triggers read;
//! own structs let each shape leave out the header field it must not have instead of deleting it
//! from a serialised tree. The field order is the one the earlier tree edit left (its delete moved
//! the last field into the deleted one's place), so the bytes sent are unchanged.

use axum::http::{header, HeaderMap, StatusCode};
use base64::Engine;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::classify::Trigger;
use crate::dispatch::Answer;
use crate::http_events::Origin;
use crate::reply::Reply;

/// An API Gateway REST API (payload format 1.0) response.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestResponse {
    status_code: u16,
    /// Always empty: API Gateway merges both header fields, so values given in both would be
    /// sent twice.
    headers: SingleValued,
    multi_value_headers: MultiValued,
    body: String,
    is_base64_encoded: bool,
}

/// An API Gateway HTTP API or function URL (payload format 2.0) response.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpApiResponse {
    status_code: u16,
    headers: SingleValued,
    cookies: Vec<String>,
    body: String,
    is_base64_encoded: bool,
}

/// An ALB target group response, with the header field its target group uses.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum AlbResponse {
    /// Single-value headers.
    Single {
        /// The status.
        #[serde(rename = "statusCode")]
        status_code: u16,
        /// `200 OK`.
        #[serde(rename = "statusDescription")]
        status_description: String,
        /// The headers.
        headers: SingleValued,
        /// Whether `body` is base64.
        #[serde(rename = "isBase64Encoded")]
        is_base64_encoded: bool,
        /// The body.
        body: String,
    },
    /// Multi-value headers.
    Multi {
        /// The status.
        #[serde(rename = "statusCode")]
        status_code: u16,
        /// `200 OK`.
        #[serde(rename = "statusDescription")]
        status_description: String,
        /// Whether `body` is base64.
        #[serde(rename = "isBase64Encoded")]
        is_base64_encoded: bool,
        /// The headers.
        #[serde(rename = "multiValueHeaders")]
        multi_value_headers: MultiValued,
        /// The body.
        body: String,
    },
}

/// Headers as `{"name": "value"}`, the first value of each name.
#[derive(Debug, Default)]
pub struct SingleValued(HeaderMap);

/// Headers as `{"name": ["value", ...]}`.
#[derive(Debug, Default)]
pub struct MultiValued(HeaderMap);

impl Serialize for SingleValued {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.keys_len()))?;
        for name in self.0.keys() {
            let value = String::from_utf8_lossy(self.0[name].as_bytes());
            map.serialize_entry(name.as_str(), &value)?;
        }
        map.end()
    }
}

impl Serialize for MultiValued {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.keys_len()))?;
        for name in self.0.keys() {
            let values: Vec<_> = self
                .0
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()))
                .collect();
            map.serialize_entry(name.as_str(), &values)?;
        }
        map.end()
    }
}

/// The Router's answer in the trigger's response shape.
pub fn respond(origin: Origin, answer: Answer) -> Reply {
    let status = answer.status;
    let status_code = status.as_u16();
    let (body, is_base64_encoded) = match String::from_utf8(answer.body.to_vec()) {
        Ok(text) => (text, false),
        Err(e) => (base64::engine::general_purpose::STANDARD.encode(e.into_bytes()), true),
    };
    let mut headers = answer.headers;
    match origin.trigger {
        Trigger::ApiGatewayRest => Reply::Rest(RestResponse {
            status_code,
            headers: SingleValued::default(),
            multi_value_headers: MultiValued(headers),
            body,
            is_base64_encoded,
        }),
        Trigger::ApiGatewayHttp | Trigger::FunctionUrl => {
            let cookies = take_cookies(&mut headers);
            Reply::HttpApi(HttpApiResponse {
                status_code,
                headers: SingleValued(headers),
                body,
                is_base64_encoded,
                cookies,
            })
        }
        Trigger::Alb if origin.multi_value => Reply::Alb(AlbResponse::Multi {
            status_code,
            status_description: status_description(status),
            is_base64_encoded,
            multi_value_headers: MultiValued(headers),
            body,
        }),
        Trigger::Alb => Reply::Alb(AlbResponse::Single {
            status_code,
            status_description: status_description(status),
            headers: SingleValued(headers),
            is_base64_encoded,
            body,
        }),
    }
}

/// HTTP APIs and function URLs carry `set-cookie` as a `cookies` list, not as headers.
fn take_cookies(headers: &mut axum::http::HeaderMap) -> Vec<String> {
    let cookies = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    headers.remove(header::SET_COOKIE);
    cookies
}

fn status_description(status: StatusCode) -> String {
    format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use aws_lambda_events::alb::AlbTargetGroupResponse;
    use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayV2httpResponse};
    use aws_lambda_events::encodings::Body as EventBody;
    use axum::body::Bytes;
    use axum::http::HeaderValue;
    use serde_json::Value;

    use super::*;

    /// What the adapter wrote before these structs: the `aws_lambda_events` type, serialised
    /// to a tree with one header field deleted.
    fn through_aws_types(origin: Origin, answer: &Answer) -> String {
        let status = answer.status;
        let (body, is_base64) = match String::from_utf8(answer.body.to_vec()) {
            Ok(text) => (EventBody::Text(text), false),
            Err(e) => (EventBody::Binary(e.into_bytes()), true),
        };
        let mut headers = answer.headers.clone();
        let (mut value, drop) = match origin.trigger {
            Trigger::ApiGatewayRest => {
                let mut r = ApiGatewayProxyResponse::default();
                r.status_code = i64::from(status.as_u16());
                r.multi_value_headers = headers;
                r.body = Some(body);
                r.is_base64_encoded = is_base64;
                (serde_json::to_value(&r).unwrap(), None)
            }
            Trigger::ApiGatewayHttp | Trigger::FunctionUrl => {
                let cookies = take_cookies(&mut headers);
                let mut r = ApiGatewayV2httpResponse::default();
                r.status_code = i64::from(status.as_u16());
                r.headers = headers;
                r.body = Some(body);
                r.is_base64_encoded = is_base64;
                r.cookies = cookies;
                (serde_json::to_value(&r).unwrap(), Some("multiValueHeaders"))
            }
            Trigger::Alb => {
                let mut r = AlbTargetGroupResponse::default();
                r.status_code = i64::from(status.as_u16());
                r.status_description = Some(status_description(status));
                r.body = Some(body);
                r.is_base64_encoded = is_base64;
                if origin.multi_value {
                    r.multi_value_headers = headers;
                    (serde_json::to_value(&r).unwrap(), Some("headers"))
                } else {
                    r.headers = headers;
                    (serde_json::to_value(&r).unwrap(), Some("multiValueHeaders"))
                }
            }
        };
        if let (Some(key), Value::Object(object)) = (drop, &mut value) {
            object.remove(key);
        }
        value.to_string()
    }

    fn answer(status: StatusCode, body: &[u8]) -> Answer {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert("x-model-version", HeaderValue::from_static("abc123"));
        headers.append(header::SET_COOKIE, HeaderValue::from_static("a=1"));
        headers.append(header::SET_COOKIE, HeaderValue::from_static("b=2"));
        headers.append("vary", HeaderValue::from_static("accept"));
        headers.append("vary", HeaderValue::from_static("origin"));
        Answer { status, headers, body: Bytes::copy_from_slice(body), cause: None }
    }

    #[test]
    fn every_shape_is_written_as_the_aws_types_wrote_it() {
        let origins = [
            Origin { trigger: Trigger::ApiGatewayRest, multi_value: false },
            Origin { trigger: Trigger::ApiGatewayHttp, multi_value: false },
            Origin { trigger: Trigger::FunctionUrl, multi_value: false },
            Origin { trigger: Trigger::Alb, multi_value: false },
            Origin { trigger: Trigger::Alb, multi_value: true },
        ];
        let answers = [
            answer(StatusCode::OK, br#"{"quality": 6}"#),
            answer(StatusCode::UNPROCESSABLE_ENTITY, br#"{"error": "x", "field": "values.pH"}"#),
            answer(StatusCode::OK, &[0xff, 0x00, 0x80]),
            answer(StatusCode::NO_CONTENT, b""),
        ];
        for origin in origins {
            for answer in &answers {
                let now = serde_json::to_string(&respond(origin, answer.clone())).unwrap();
                assert_eq!(now, through_aws_types(origin, answer), "{origin:?}");
            }
        }
    }

    #[test]
    fn a_rest_answer_in_full() {
        let origin = Origin { trigger: Trigger::ApiGatewayRest, multi_value: false };
        let mut answer = answer(StatusCode::OK, br#"{"quality": 6}"#);
        answer.headers.remove(header::SET_COOKIE);
        answer.headers.remove("vary");
        assert_eq!(
            serde_json::to_string(&respond(origin, answer)).unwrap(),
            r#"{"statusCode":200,"headers":{},"multiValueHeaders":{"content-type":["application/json"],"x-model-version":["abc123"]},"body":"{\"quality\": 6}","isBase64Encoded":false}"#
        );
    }
}

//! The Router's answer written back in the shape each HTTP trigger expects, through the
//! `aws_lambda_events` response types: REST APIs get `multiValueHeaders` (and an empty
//! `headers`); HTTP APIs and function URLs get `headers` and `cookies` (from `set-cookie`); ALB
//! gets `statusDescription` and either `headers` or `multiValueHeaders`, as its target group
//! sends. A body that is not UTF-8 goes base64-encoded with `isBase64Encoded: true`.

use aws_lambda_events::alb::AlbTargetGroupResponse;
use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayV2httpResponse};
use aws_lambda_events::encodings::Body as EventBody;
use axum::http::header;
use serde::Serialize;
use serde_json::Value;

use crate::classify::Trigger;
use crate::dispatch::Answer;
use crate::http_events::Origin;
use crate::LambdaError;

/// The Router's answer in the trigger's response shape.
pub fn respond(origin: Origin, answer: Answer) -> Result<Value, LambdaError> {
    let status = answer.status;
    let (body, is_base64) = match String::from_utf8(answer.body.to_vec()) {
        Ok(text) => (EventBody::Text(text), false),
        Err(e) => (EventBody::Binary(e.into_bytes()), true),
    };
    let mut headers = answer.headers;
    match origin.trigger {
        Trigger::ApiGatewayRest => {
            // Only multiValueHeaders: API Gateway merges both fields, duplicating values.
            let mut r = ApiGatewayProxyResponse::default();
            r.status_code = i64::from(status.as_u16());
            r.multi_value_headers = headers;
            r.body = Some(body);
            r.is_base64_encoded = is_base64;
            to_value(&r, &[])
        }
        Trigger::ApiGatewayHttp | Trigger::FunctionUrl => {
            let cookies = headers
                .get_all(header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_string))
                .collect();
            headers.remove(header::SET_COOKIE);
            let mut r = ApiGatewayV2httpResponse::default();
            r.status_code = i64::from(status.as_u16());
            r.headers = headers;
            r.body = Some(body);
            r.is_base64_encoded = is_base64;
            r.cookies = cookies;
            to_value(&r, &["multiValueHeaders"])
        }
        Trigger::Alb => {
            let mut r = AlbTargetGroupResponse::default();
            r.status_code = i64::from(status.as_u16());
            r.status_description =
                Some(format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("")));
            r.body = Some(body);
            r.is_base64_encoded = is_base64;
            if origin.multi_value {
                r.multi_value_headers = headers;
                to_value(&r, &["headers"])
            } else {
                r.headers = headers;
                to_value(&r, &["multiValueHeaders"])
            }
        }
    }
}

fn to_value<T: Serialize>(response: &T, drop: &[&str]) -> Result<Value, LambdaError> {
    let mut value = serde_json::to_value(response)
        .map_err(|e| LambdaError::Internal(format!("writing the response: {e}")))?;
    if let Some(object) = value.as_object_mut() {
        for key in drop {
            object.remove(*key);
        }
    }
    Ok(value)
}

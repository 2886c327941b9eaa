//! Invoking the deployed function through the Lambda API (`Invoke`, request-response) with a
//! payload the caller built (the CLI: the tutorial's event, a JSON file, or CSV rows read by
//! grove-data); [`body_event`] wraps a request body the way the tutorial's event does.
//! A function error becomes [`DeployError::FunctionError`] with its `errorType` and message.
//! Invoke is not idempotent, so the SDK's retries are off for it.

use aws_sdk_lambda::config::retry::RetryConfig;
use aws_sdk_lambda::error::SdkError;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::Client;
use grove_aws::SdkConfig;
use serde_json::{json, Value};

use crate::{DeployError, Result};

/// The event of an HTTP-shaped direct invoke, as the tutorial sends it: `{"body": "<body>"}`,
/// the request body as a JSON string.
pub fn body_event(body: &str) -> Vec<u8> {
    json!({ "body": body }).to_string().into_bytes()
}

/// The function's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status of the Invoke call (200).
    pub status: i32,
    /// The payload the function returned.
    pub payload: Vec<u8>,
    /// The version that ran, when reported.
    pub executed_version: Option<String>,
}

/// Invokes `function` (at `qualifier`, e.g. the alias `live`) with `payload`.
pub async fn invoke(
    sdk: &SdkConfig,
    function: &str,
    qualifier: Option<&str>,
    payload: Vec<u8>,
) -> Result<Answer> {
    let config = aws_sdk_lambda::config::Builder::from(sdk)
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .build();
    let client = Client::from_conf(config);
    let result = client
        .invoke()
        .function_name(function)
        .set_qualifier(qualifier.map(str::to_string))
        .payload(Blob::new(payload))
        .send()
        .await;
    match result {
        Ok(output) => {
            let payload = output.payload().map(|b| b.as_ref().to_vec()).unwrap_or_default();
            if let Some(kind) = output.function_error() {
                return Err(function_error(kind, &payload));
            }
            Ok(Answer {
                status: output.status_code(),
                payload,
                executed_version: output.executed_version().map(str::to_string),
            })
        }
        // Some emulators answer a function error with HTTP 500 and the error as the body.
        Err(SdkError::ServiceError(context)) => {
            let raw = context.raw();
            let kind = raw.headers().get("x-amz-function-error").map(str::to_string);
            let body = raw.body().bytes().unwrap_or_default();
            let is_function_error =
                serde_json::from_slice::<Value>(body).is_ok_and(|v| v.get("errorType").is_some());
            if kind.is_some() || is_function_error {
                return Err(function_error(kind.as_deref().unwrap_or("Unhandled"), body));
            }
            Err(DeployError::aws("lambda:Invoke")(SdkError::ServiceError(context)))
        }
        Err(e) => Err(DeployError::aws("lambda:Invoke")(e)),
    }
}

fn function_error(kind: &str, payload: &[u8]) -> DeployError {
    let parsed: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
    DeployError::FunctionError {
        error_type: parsed["errorType"].as_str().unwrap_or(kind).to_string(),
        message: parsed["errorMessage"].as_str().unwrap_or("(no message)").to_string(),
        payload: String::from_utf8_lossy(payload).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_event_carries_the_body_as_a_string() {
        let body = r#"{"values": {"pH": 3.0, "is_red": false}}"#;
        let event: Value = serde_json::from_slice(&body_event(body)).unwrap();
        assert_eq!(event.as_object().map(|o| o.len()), Some(1));
        assert_eq!(event["body"], body);
    }
}

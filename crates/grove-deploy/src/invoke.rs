//! Invoking the deployed function through the Lambda API (`Invoke`, request-response): the
//! tutorial's event, a JSON file, or CSV rows sent as `{"values": [{column: number, …}, …]}`.
//! A function error becomes [`DeployError::FunctionError`] with its `errorType` and message.
//! Invoke is not idempotent, so the SDK's retries are off for it.

use aws_config::SdkConfig;
use aws_sdk_lambda::config::retry::RetryConfig;
use aws_sdk_lambda::error::SdkError;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::Client;
use serde_json::{json, Map, Value};

use crate::{DeployError, Result};

/// The tutorial's request body: one white wine.
pub const TUTORIAL_BODY: &str = r#"{"values": {"fixed_acidity": 7.0, "volatile_acidity": 0.27, "citric_acid": 0.36, "residual_sugar": 20.7, "chlorides": 0.045, "free_sulfur_dioxide": 45.0, "total_sulfur_dioxide": 170.0, "density": 1.001, "pH": 3.0, "sulphates": 0.45, "alcohol": 8.8, "quality": 6.0, "is_red": false}}"#;

/// The tutorial's event: `{"body": "<the body as a JSON string>"}`.
pub fn tutorial_event() -> Value {
    json!({ "body": TUTORIAL_BODY })
}

/// CSV rows (a header, then one row per line; `,`, `;` or tab separated) as a raw predict
/// payload `{"values": [{column: value, …}, …]}`: numbers stay numbers, `true`/`false` are
/// booleans, an empty cell is null.
pub fn csv_event(text: &str) -> Result<Value> {
    let first = text.lines().next().unwrap_or_default();
    let separator = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|s| first.bytes().filter(|b| b == s).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| DeployError::Invalid(format!("the CSV header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| DeployError::Invalid(format!("CSV line {line}: {e}")))?;
        let mut row = Map::new();
        for (name, cell) in header.iter().zip(record.iter()) {
            let value = match cell {
                "" => Value::Null,
                "true" | "True" | "TRUE" => Value::Bool(true),
                "false" | "False" | "FALSE" => Value::Bool(false),
                text => match text.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
                    Some(number) => Value::Number(number),
                    None => {
                        return Err(DeployError::Invalid(format!(
                            "CSV line {line}, column `{name}`: `{text}` is not a number"
                        )))
                    }
                },
            };
            row.insert(name.clone(), value);
        }
        rows.push(Value::Object(row));
    }
    if rows.is_empty() {
        return Err(DeployError::Invalid("the CSV has a header but no rows".into()));
    }
    Ok(json!({ "values": rows }))
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
    fn the_tutorial_event_carries_the_body_as_a_string() {
        let event = tutorial_event();
        let body: Value = serde_json::from_str(event["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["values"]["pH"], 3.0);
        assert_eq!(body["values"]["is_red"], false);
    }

    #[test]
    fn csv_rows_become_values_records() {
        let event = csv_event("pH;alcohol;is_red\n3.0;8.8;false\n3.2;;1\n").unwrap();
        assert_eq!(
            event,
            json!({"values": [{"pH": 3.0, "alcohol": 8.8, "is_red": false},
                              {"pH": 3.2, "alcohol": null, "is_red": 1.0}]})
        );
        let err = csv_event("a,b\n1,x\n").unwrap_err().to_string();
        assert!(err.contains("line 2, column `b`"), "{err}");
        assert!(csv_event("a,b\n").is_err());
    }
}

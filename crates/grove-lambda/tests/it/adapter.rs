//! Every event fixture through the adapter, in-process: the exact response shape and body.

use grove_http::AppState;
use grove_lambda::{Adapter, LambdaError};
use grove_request::{Limits, ServedModel};
use serde_json::{json, Value};

use crate::support::{adapter, event, handle, tutorial_response, tutorial_values};

const QUALITY: &str = r#"{"quality": 6}"#;

/// The answer's text, as the runtime sends it.
async fn answer_text(event: Value) -> String {
    handle(&adapter(), &event).await.expect("an answer")
}

async fn answer(event: Value) -> Value {
    serde_json::from_str(&answer_text(event).await).expect("JSON")
}

async fn error(event: Value) -> LambdaError {
    handle(&adapter(), &event).await.expect_err("a function error")
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> =
        value.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// The tutorial's values without `pH`.
fn without_ph() -> Value {
    let mut values = tutorial_values();
    values["values"].as_object_mut().expect("an object").remove("pH");
    values
}

fn error_body(body: &str) -> Value {
    let body: Value = serde_json::from_str(body).expect("a JSON error body");
    assert_eq!(keys(&body), ["error", "field"], "{body}");
    body
}

// ---- 1. the tutorial's direct invoke ----

#[tokio::test]
async fn tutorial_direct_invoke_answers_the_tutorial_response() {
    let got = answer_text(event("tutorial-direct.json")).await;
    // Only the two keys, in the tutorial's order.
    assert_eq!(got, r#"{"statusCode":200,"body":"{\"quality\": 6}"}"#);
    let got: Value = serde_json::from_str(&got).unwrap();
    assert_eq!(got, tutorial_response());
}

#[tokio::test]
async fn direct_invoke_accepts_an_object_body() {
    let got = answer(json!({"body": tutorial_values()})).await;
    assert_eq!(got, tutorial_response());
}

#[tokio::test]
async fn direct_invoke_passes_query_parameters() {
    let got =
        answer(json!({"body": tutorial_values(), "queryStringParameters": {"proba": "true"}}))
            .await;
    assert_eq!(got["statusCode"], 200);
    let body: Value = serde_json::from_str(got["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["quality"], 6, "{body}");
    assert_eq!(keys(&got), ["body", "statusCode"]);
    assert_ne!(got["body"], QUALITY, "proba=true changes the answer: {body}");
}

#[tokio::test]
async fn direct_invoke_bad_input_is_a_4xx_in_the_envelope() {
    let got = answer(json!({"body": without_ph().to_string()})).await;
    assert_eq!(keys(&got), ["body", "statusCode"]);
    assert_eq!(got["statusCode"], 422);
    let body = error_body(got["body"].as_str().unwrap());
    assert_eq!(body["field"], "values.pH");

    let got = answer(json!({"body": "{\"values\": "})).await;
    assert_eq!(got["statusCode"], 400);
    let body = error_body(got["body"].as_str().unwrap());
    assert_eq!(body["field"], "body");
    assert!(body["error"].as_str().unwrap().starts_with("malformed JSON"), "{body}");

    let got = answer(json!({"body": {"rows": []}})).await;
    assert_eq!(got["statusCode"], 400);
    let body = error_body(got["body"].as_str().unwrap());
    assert!(body["error"].as_str().unwrap().starts_with("expected one of"), "{body}");

    let got = answer(json!({"body": "eyJ2YWx1ZXMiOi", "isBase64Encoded": true})).await;
    assert_eq!(got["statusCode"], 400);
    assert_eq!(error_body(got["body"].as_str().unwrap())["field"], "body");
}

#[tokio::test]
async fn direct_invoke_reads_base64_csv_with_its_content_type() {
    use base64::Engine;
    let values = tutorial_values();
    let row = values["values"].as_object().unwrap();
    let header: Vec<&str> = row.keys().map(String::as_str).collect();
    let cells: Vec<String> = row
        .values()
        .map(|v| match v {
            Value::Bool(b) => {
                if *b {
                    "1".into()
                } else {
                    "0".into()
                }
            }
            other => other.to_string(),
        })
        .collect();
    let csv = format!("{}\n{}\n", header.join(","), cells.join(","));
    let event = json!({
        "body": base64::engine::general_purpose::STANDARD.encode(csv),
        "isBase64Encoded": true,
        "headers": {"content-type": "text/csv"},
    });
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 200, "{got}");
    assert_eq!(got["body"], r#"{"predictions": [6]}"#);
}

// ---- 2. raw payloads ----

#[tokio::test]
async fn raw_values_answer_the_prediction_itself() {
    // The Router's body as it wrote it (Python's spacing), as `grove serve` answers it.
    assert_eq!(answer_text(event("raw-values.json")).await, QUALITY);
}

#[tokio::test]
async fn a_raw_answer_is_the_routers_body_as_written() {
    use tower::ServiceExt;
    for name in ["raw-values.json", "raw-records.json"] {
        let payload = event(name);
        let forest = grove_builtin::wine_quality().unwrap();
        let state = AppState::new(ServedModel::with_content_version(forest), Limits::default());
        let router = grove_http::app(state, grove_lambda::ROUTER_TIMEOUT);
        let request = axum::http::Request::post("/predict")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(payload.to_string()))
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(answer_text(payload).await.as_bytes(), &body[..], "{name}");
    }
}

#[tokio::test]
async fn raw_records_answer_mlflow_predictions() {
    let got = answer(event("raw-records.json")).await;
    let predictions = got["predictions"].as_array().expect("predictions");
    assert_eq!(predictions.len(), 2);
    assert_eq!(predictions[0], 6);
}

#[tokio::test]
async fn raw_bad_input_is_a_function_error_with_a_stable_type() {
    let err = error(without_ph()).await;
    assert_eq!(err.error_type(), "InvalidInput");
    let LambdaError::Request(cause) = &err else { panic!("{err:?}") };
    assert_eq!((cause.status().as_u16(), cause.field()), (422, "values.pH"));
    let message = cause.to_string();
    assert!(message.contains("pH"), "{message}");
    let diagnostic = lambda_runtime::Diagnostic::from(err.clone());
    assert_eq!(diagnostic.error_type, "InvalidInput");
    assert_eq!(diagnostic.error_message, message);

    let limits = Limits { max_body_bytes: 4096, max_rows: 2 };
    let forest = grove_builtin::wine_quality().unwrap();
    let small =
        Adapter::with_state(AppState::new(ServedModel::with_content_version(forest), limits));
    let mut rows = tutorial_values();
    rows["values"] = Value::Array(vec![rows["values"].clone(); 3]);
    assert_eq!(handle(&small, &rows).await.unwrap_err().error_type(), "TooManyRows");
    rows["values"] = Value::Array(vec![rows["values"][0].clone(); 30]);
    assert_eq!(handle(&small, &rows).await.unwrap_err().error_type(), "BodyTooLarge");

    let mut wrong_type = tutorial_values();
    wrong_type["values"]["pH"] = json!("acid");
    assert_eq!(error(wrong_type).await.error_type(), "InvalidInput");

    assert_eq!(error(json!({"inputs": 3})).await.error_type(), "InvalidInput");
}

// ---- 3. HTTP triggers ----

#[tokio::test]
async fn api_gateway_rest_answers_in_the_v1_shape() {
    let got = answer(event("apigw-v1.json")).await;
    assert_eq!(
        keys(&got),
        ["body", "headers", "isBase64Encoded", "multiValueHeaders", "statusCode"]
    );
    assert_eq!(got["statusCode"], 200);
    assert_eq!(got["body"], QUALITY);
    assert_eq!(got["isBase64Encoded"], false);
    assert_eq!(got["headers"], json!({}));
    assert_eq!(got["multiValueHeaders"]["content-type"], json!(["application/json"]));
    assert!(got["multiValueHeaders"]["x-model-version"][0].is_string(), "{got}");
}

#[tokio::test]
async fn api_gateway_rest_bad_input_is_a_4xx_response() {
    let mut event = event("apigw-v1.json");
    event["body"] = json!("{\"values\": ");
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 400);
    assert_eq!(error_body(got["body"].as_str().unwrap())["field"], "body");

    let mut event = crate::support::event("apigw-v1.json");
    event["path"] = json!("/nowhere");
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 404);
    assert_eq!(error_body(got["body"].as_str().unwrap())["field"], "path");
}

#[tokio::test]
async fn api_gateway_rest_reads_multi_value_queries() {
    let mut event = event("apigw-v1.json");
    event["queryStringParameters"] = json!({"proba": "bogus"});
    event["multiValueQueryStringParameters"] = json!({"proba": ["bogus"]});
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 422, "{got}");
    assert_eq!(error_body(got["body"].as_str().unwrap())["field"], "proba");
}

#[tokio::test]
async fn api_gateway_http_answers_in_the_v2_shape_without_the_stage() {
    let got = answer(event("apigw-v2.json")).await;
    assert_eq!(keys(&got), ["body", "cookies", "headers", "isBase64Encoded", "statusCode"]);
    assert_eq!(got["statusCode"], 200);
    assert_eq!(got["body"], QUALITY);
    assert_eq!(got["cookies"], json!([]));
    assert_eq!(got["headers"]["content-type"], "application/json");
}

#[tokio::test]
async fn api_gateway_http_bad_input_and_wrong_method() {
    let mut event = event("apigw-v2.json");
    event["body"] = json!(without_ph().to_string());
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 422);
    assert_eq!(error_body(got["body"].as_str().unwrap())["field"], "values.pH");

    let mut event = crate::support::event("apigw-v2.json");
    event["requestContext"]["http"]["method"] = json!("GET");
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 405);
    assert_eq!(error_body(got["body"].as_str().unwrap())["field"], "method");
}

#[tokio::test]
async fn function_url_answers_in_the_v2_shape() {
    let got = answer(event("function-url.json")).await;
    assert_eq!(keys(&got), ["body", "cookies", "headers", "isBase64Encoded", "statusCode"]);
    assert_eq!(got["statusCode"], 200);
    assert_eq!(got["body"], QUALITY);
    assert_eq!(got["isBase64Encoded"], false);
}

#[tokio::test]
async fn function_url_reads_base64_bodies_and_rejects_bad_base64() {
    use base64::Engine;
    let mut event = event("function-url.json");
    let body = event["body"].as_str().unwrap().to_string();
    event["body"] = json!(base64::engine::general_purpose::STANDARD.encode(body));
    event["isBase64Encoded"] = json!(true);
    assert_eq!(answer(event.clone()).await["body"], QUALITY);

    event["body"] = json!("not base64!");
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 400);
    assert_eq!(error_body(got["body"].as_str().unwrap())["field"], "body");
}

#[tokio::test]
async fn function_url_serves_the_other_routes() {
    let mut event = event("function-url.json");
    event["rawPath"] = json!("/healthz");
    event["requestContext"]["http"]["method"] = json!("GET");
    event["requestContext"]["http"]["path"] = json!("/healthz");
    event.as_object_mut().unwrap().remove("body");
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 200);
    let body: Value = serde_json::from_str(got["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["model"], "wine-quality");
}

#[tokio::test]
async fn alb_answers_with_single_value_headers() {
    let got = answer(event("alb.json")).await;
    assert_eq!(
        keys(&got),
        ["body", "headers", "isBase64Encoded", "statusCode", "statusDescription"]
    );
    assert_eq!(got["statusCode"], 200);
    assert_eq!(got["statusDescription"], "200 OK");
    assert_eq!(got["body"], QUALITY);
    assert_eq!(got["headers"]["content-type"], "application/json");
}

#[tokio::test]
async fn alb_multi_value_answers_with_multi_value_headers() {
    let got = answer(event("alb-multivalue.json")).await;
    assert_eq!(
        keys(&got),
        ["body", "isBase64Encoded", "multiValueHeaders", "statusCode", "statusDescription"]
    );
    assert_eq!(got["statusCode"], 200);
    assert_eq!(got["body"], QUALITY);
    assert_eq!(got["multiValueHeaders"]["content-type"], json!(["application/json"]));
}

#[tokio::test]
async fn alb_bad_input_is_a_4xx_response() {
    let mut event = event("alb.json");
    event["body"] = json!(without_ph().to_string());
    let got = answer(event).await;
    assert_eq!(got["statusCode"], 422);
    assert_eq!(got["statusDescription"], "422 Unprocessable Entity");
    assert_eq!(error_body(got["body"].as_str().unwrap())["field"], "values.pH");
}

#[tokio::test]
async fn a_malformed_trigger_event_is_a_malformed_event_error() {
    let mut event = event("alb.json");
    event.as_object_mut().unwrap().remove("httpMethod");
    let err = error(event).await;
    assert_eq!(err.error_type(), "MalformedEvent");
    assert!(err.to_string().contains("ALB"), "{err}");
}

// ---- 4. anything else ----

#[tokio::test]
async fn unknown_events_are_unsupported_and_list_the_accepted_shapes() {
    for event in [event("unknown.json"), json!([1, 2, 3]), json!("text"), json!({})] {
        let err = error(event).await;
        assert_eq!(err.error_type(), "UnsupportedEvent");
        let message = err.to_string();
        for shape in [
            "direct invoke",
            "raw predict payload",
            "API Gateway REST",
            "function URL",
            "Load Balancer",
        ] {
            assert!(message.contains(shape), "{message}");
        }
    }
}

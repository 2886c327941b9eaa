//! The Router without a socket: every route, the tutorial's answer, a 6497-row batch with
//! sklearn's predictions, and a table of bad inputs that must each get the right status and a
//! body naming the field.

// Test code, helpers included: a failed unwrap is a failed test (clippy's
// allow-unwrap-in-tests covers only the #[test] functions themselves).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use grove_request::{Limits, ServedModel};
use serde_json::{json, Value};
use tower::ServiceExt;

#[path = "router/reload.rs"]
mod reload;

fn router_with(limits: Limits) -> Router {
    let forest = grove_builtin::wine_quality().expect("built-in model");
    grove_http::app(
        grove_http::AppState::new(ServedModel::with_content_version(forest), limits),
        Duration::from_secs(10),
    )
}

fn router() -> Router {
    router_with(Limits::default())
}

struct Reply {
    status: StatusCode,
    text: String,
    version: Option<String>,
    /// The error's typed cause, which in-process callers (the Lambda function) read.
    cause: Option<grove_http::ErrorCause>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let response = app.clone().oneshot(req.body(body.into()).unwrap()).await.unwrap();
    let status = response.status();
    let version =
        response.headers().get(grove_http::MODEL_VERSION).map(|v| v.to_str().unwrap().to_string());
    // The error's kind travels as a response extension, never as a header every client sees.
    assert!(!response.headers().contains_key("x-grove-error-kind"), "{uri}: {:?}", response);
    let cause = response.extensions().get::<grove_http::ErrorCause>().cloned();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Reply { status, text: String::from_utf8(bytes.to_vec()).unwrap(), version, cause }
}

async fn post_json(app: &Router, uri: &str, body: &str) -> Reply {
    call(app, "POST", uri, Some("application/json"), body.to_string()).await
}

fn tutorial_body() -> String {
    grove_builtin::TUTORIAL_BODY.to_string()
}

fn row(extra: Value) -> Value {
    let mut r = json!({"fixed_acidity": 7.0, "volatile_acidity": 0.27, "citric_acid": 0.36, "residual_sugar": 20.7,
        "chlorides": 0.045, "free_sulfur_dioxide": 45.0, "total_sulfur_dioxide": 170.0, "density": 1.001,
        "pH": 3.0, "sulphates": 0.45, "alcohol": 8.8, "is_red": false});
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() && k.starts_with('-') {
            r.as_object_mut().unwrap().remove(&k[1..]);
        } else {
            r[k] = v.clone();
        }
    }
    r
}

#[tokio::test]
async fn the_tutorial_body_answers_as_the_tutorial_function() {
    let app = router();
    for uri in ["/predict", "/", "/invocations"] {
        let r = post_json(&app, uri, &tutorial_body()).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text);
        // Python's json.dumps spacing: the tutorial's body, byte for byte.
        assert_eq!(r.text, r#"{"quality": 6}"#);
        assert_eq!(r.version.as_deref().map(str::len), Some(12));
    }
    // No content type at all is read as JSON.
    let r = call(&app, "POST", "/predict", None, tutorial_body()).await;
    assert_eq!(r.text, r#"{"quality": 6}"#);
}

#[tokio::test]
async fn several_rows_probabilities_and_mlflow_layouts() {
    let app = router();
    let red = row(
        json!({"fixed_acidity": 7.4, "volatile_acidity": 0.7, "citric_acid": 0.0, "residual_sugar": 1.9,
        "chlorides": 0.076, "free_sulfur_dioxide": 11.0, "total_sulfur_dioxide": 34.0, "density": 0.9978,
        "pH": 3.51, "sulphates": 0.56, "alcohol": 9.4, "is_red": true}),
    );
    let white = row(json!({}));
    let r = post_json(&app, "/predict", &json!({"values": [red, white]}).to_string()).await;
    assert_eq!(r.json(), json!({"quality": [5, 6]}));

    let r = post_json(&app, "/predict?proba=true", &json!({"values": red}).to_string()).await;
    assert_eq!(
        r.json(),
        json!({"quality": 5, "probabilities": {"3": 0.0, "4": 0.0, "5": 0.9, "6": 0.1, "7": 0.0, "8": 0.0, "9": 0.0}})
    );
    let r = post_json(&app, "/predict", &json!({"values": [red], "proba": true}).to_string()).await;
    assert_eq!(r.json()["probabilities"][0]["5"], json!(0.9));

    let features: Vec<&str> = red.as_object().unwrap().keys().map(String::as_str).collect();
    let split = json!({"dataframe_split": {"columns": features,
        "data": [red.as_object().unwrap().values().collect::<Vec<_>>(), white.as_object().unwrap().values().collect::<Vec<_>>()]}});
    assert_eq!(
        post_json(&app, "/invocations", &split.to_string()).await.json(),
        json!({"predictions": [5, 6]})
    );
    let records = json!({"dataframe_records": [red, white]});
    assert_eq!(
        post_json(&app, "/invocations", &records.to_string()).await.json(),
        json!({"predictions": [5, 6]})
    );
    let instances = json!({"instances": [red.as_object().unwrap().values().collect::<Vec<_>>()]});
    assert_eq!(
        post_json(&app, "/invocations", &instances.to_string()).await.json(),
        json!({"predictions": [5]})
    );
    let columns: serde_json::Map<String, Value> =
        red.as_object().unwrap().iter().map(|(k, v)| (k.clone(), json!([v]))).collect();
    assert_eq!(
        post_json(&app, "/invocations", &json!({"inputs": columns}).to_string()).await.json(),
        json!({"predictions": [5]})
    );

    let csv = format!(
        "{}\n{}\n",
        features.join(","),
        red.as_object()
            .unwrap()
            .values()
            .map(|v| match v {
                Value::Bool(b) => u8::from(*b).to_string(),
                v => v.to_string(),
            })
            .collect::<Vec<_>>()
            .join(",")
    );
    let r = call(&app, "POST", "/invocations", Some("text/csv"), csv).await;
    assert_eq!(r.json(), json!({"predictions": [5]}));
    // pandas writes a bool column as True/False; read as 1/0 like the JSON booleans.
    let csv = format!(
        "{}\n{}\n",
        features.join(","),
        red.as_object()
            .unwrap()
            .values()
            .map(|v| match v {
                Value::Bool(b) =>
                    if *b {
                        "True".into()
                    } else {
                        "False".into()
                    },
                v => v.to_string(),
            })
            .collect::<Vec<_>>()
            .join(",")
    );
    let r = call(&app, "POST", "/invocations", Some("text/csv"), csv).await;
    assert_eq!(r.json(), json!({"predictions": [5]}));
}

#[tokio::test]
async fn a_batch_of_all_6497_wine_rows_gives_sklearns_predictions() {
    let fixtures = grove_test::require!(grove_test::paths::shared_fixtures());
    let app = router();
    let expected = std::fs::read_to_string(fixtures.join("seed_rf.expected.csv")).unwrap();
    let mut lines = expected.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut rows = Vec::new();
    let mut want = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let mut r = serde_json::Map::new();
        for (name, cell) in header.iter().zip(&cells).take(12) {
            r.insert(name.to_string(), json!(cell.parse::<f64>().unwrap()));
        }
        rows.push(Value::Object(r));
        want.push(cells[12].parse::<i64>().unwrap());
    }
    let body = json!({"values": rows}).to_string();
    assert!(body.len() > 1_000_000, "the batch is the tutorial's size");
    let r = post_json(&app, "/predict", &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", &r.text[..r.text.len().min(300)]);
    assert_eq!(r.json(), json!({"quality": want}));
}

#[tokio::test]
async fn open_inference_protocol_routes() {
    let app = router();
    let meta = call(&app, "GET", "/v2/models/wine-quality", None, Body::empty()).await.json();
    assert_eq!(meta["name"], "wine-quality");
    assert_eq!(meta["inputs"].as_array().unwrap().len(), 12);
    assert_eq!(
        meta["inputs"][0],
        json!({"name": "fixed_acidity", "datatype": "FP64", "shape": [-1]})
    );
    assert_eq!(
        meta["outputs"],
        json!([{"name": "predict", "datatype": "INT64", "shape": [-1]},
        {"name": "predict_proba", "datatype": "FP64", "shape": [-1, 7]}])
    );
    let version = meta["versions"][0].as_str().unwrap().to_string();
    assert_eq!(
        call(
            &app,
            "GET",
            &format!("/v2/models/wine-quality/versions/{version}"),
            None,
            Body::empty()
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        call(&app, "GET", "/v2/health/ready", None, Body::empty()).await.json(),
        json!({"ready": true})
    );
    assert_eq!(
        call(&app, "GET", "/v2/health/live", None, Body::empty()).await.json(),
        json!({"live": true})
    );
    assert_eq!(call(&app, "GET", "/v2", None, Body::empty()).await.json()["name"], "grove");

    let white = row(json!({}));
    let inputs: Vec<Value> = white
        .as_object()
        .unwrap()
        .iter()
        // FP64 tensors carry numbers: the boolean `is_red` is sent as 0.
        .map(|(k, v)| json!({"name": k, "datatype": "FP64", "shape": [1], "data": [v.as_f64().unwrap_or(0.0)]}))
        .collect();
    let r = post_json(
        &app,
        "/v2/models/wine-quality/infer",
        &json!({"id": "a1", "inputs": inputs,
        "outputs": [{"name": "predict"}, {"name": "predict_proba"}]})
        .to_string(),
    )
    .await;
    let v = r.json();
    assert_eq!(v["model_name"], "wine-quality");
    assert_eq!(v["model_version"], json!(version));
    assert_eq!(v["id"], "a1");
    assert_eq!(
        v["outputs"][0],
        json!({"name": "predict", "datatype": "INT64", "shape": [1], "data": [6]})
    );
    assert_eq!(v["outputs"][1]["shape"], json!([1, 7]));

    let tensor: Vec<Value> = white
        .as_object()
        .unwrap()
        .values()
        .map(|v| if v.is_boolean() { json!(0.0) } else { v.clone() })
        .collect();
    let r = post_json(&app, &format!("/v2/models/wine-quality/versions/{version}/infer"),
        &json!({"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 12], "data": [tensor.clone(), tensor]}]}).to_string()).await;
    assert_eq!(
        r.json()["outputs"],
        json!([{"name": "predict", "datatype": "INT64", "shape": [2], "data": [6, 6]}])
    );
}

#[tokio::test]
async fn operations_routes() {
    let app = router();
    let h = call(&app, "GET", "/healthz", None, Body::empty()).await.json();
    assert_eq!(h["status"], "ok");
    post_json(&app, "/predict", &tutorial_body()).await;
    let m = call(&app, "GET", "/metrics", None, Body::empty()).await;
    assert!(
        m.text.contains("grove_http_requests_total{route=\"/predict\",status=\"200\"} 1"),
        "{}",
        m.text
    );
    assert!(m.text.contains("grove_rows_predicted_total{model=\"wine-quality\""), "{}", m.text);
    assert!(m.text.contains("grove_http_request_duration_seconds_bucket{"), "{}", m.text);
    assert!(m.text.contains("grove_model_info{model=\"wine-quality\""), "{}", m.text);
    let doc = call(&app, "GET", "/openapi.json", None, Body::empty()).await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["components"]["schemas"]["Row"]["properties"]["pH"].is_object());
    assert!(doc["paths"]["/v2/models/{name}/infer"]["post"].is_object());
}

/// One bad request: where it goes, what it sends, the status, and the `field` the error names.
struct Bad {
    uri: &'static str,
    content_type: Option<&'static str>,
    body: String,
    status: u16,
    field: &'static str,
    says: &'static str,
}

fn bad(
    uri: &'static str,
    body: impl Into<String>,
    status: u16,
    field: &'static str,
    says: &'static str,
) -> Bad {
    Bad { uri, content_type: Some("application/json"), body: body.into(), status, field, says }
}

#[tokio::test]
async fn bad_inputs_get_clear_errors_never_a_500() {
    let values = |r: Value| json!({"values": r}).to_string();
    let many = |r: Vec<Value>| json!({"values": r}).to_string();
    let v2 = |inputs: Value| json!({"inputs": inputs}).to_string();
    let one_input = |name: &str, datatype: &str, shape: Value, data: Value| {
        v2(json!([{"name": name, "datatype": datatype, "shape": shape, "data": data}]))
    };
    let cases = vec![
        bad("/predict", "{\"values\": {", 400, "body", "malformed JSON"),
        bad("/predict", "", 400, "body", "malformed JSON"),
        bad("/predict", "[1, 2]", 400, "body", "expected a JSON object"),
        bad("/predict", "{\"rows\": []}", 400, "body", "expected one of"),
        bad("/predict", values(row(json!({"-pH": null}))), 422, "values.pH", "missing"),
        bad(
            "/predict",
            values(row(json!({"pH": "3.0"}))),
            422,
            "values.pH",
            "expected a number, got a string",
        ),
        bad("/predict", values(row(json!({"pH": [3.0]}))), 422, "values.pH", "got a list"),
        bad(
            "/predict",
            values(row(json!({"alcohol": {"v": 1}}))),
            422,
            "values.alcohol",
            "got an object",
        ),
        bad(
            "/predict",
            values(row(json!({"density": 1e39}))),
            422,
            "values.density",
            "too large for float32",
        ),
        bad(
            "/predict",
            many(vec![row(json!({})), row(json!({"-is_red": null}))]),
            422,
            "values[1].is_red",
            "missing",
        ),
        bad("/predict", many(vec![]), 422, "values", "the batch is empty"),
        bad(
            "/predict",
            json!({"values": 5}).to_string(),
            422,
            "values",
            "expected an object or a list",
        ),
        bad("/predict", json!({"values": [5]}).to_string(), 422, "values[0]", "expected an object"),
        bad(
            "/predict",
            json!({"values": row(json!({})), "proba": "yes"}).to_string(),
            422,
            "proba",
            "expected true or false",
        ),
        bad("/predict?proba=maybe", values(row(json!({}))), 422, "proba", "expected true or false"),
        bad(
            "/predict",
            json!({"dataframe_split": {"columns": ["pH"], "data": [[3.0]]}}).to_string(),
            422,
            "dataframe_split.columns",
            "missing feature",
        ),
        bad(
            "/predict",
            json!({"dataframe_split": {"data": []}}).to_string(),
            422,
            "dataframe_split.columns",
            "expected a list of column names",
        ),
        bad(
            "/predict",
            json!({"dataframe_records": {}}).to_string(),
            422,
            "dataframe_records",
            "expected a list of objects",
        ),
        bad(
            "/predict",
            json!({"instances": [[1.0, 2.0]]}).to_string(),
            422,
            "instances[0]",
            "expected a list of 12 values",
        ),
        bad(
            "/predict",
            json!({"inputs": {"pH": [1.0]}}).to_string(),
            422,
            "inputs.fixed_acidity",
            "missing",
        ),
        Bad {
            content_type: Some("text/plain"),
            ..bad(
                "/predict",
                values(row(json!({}))),
                415,
                "content-type",
                "unsupported content type `text/plain`",
            )
        },
        Bad {
            content_type: Some("application/x-www-form-urlencoded"),
            ..bad("/predict", "a=1", 415, "content-type", "send application/json or text/csv")
        },
        Bad {
            content_type: Some("text/csv"),
            ..bad("/predict", "pH\n3.0\n", 422, "fixed_acidity", "missing feature `fixed_acidity`")
        },
        Bad {
            content_type: Some("text/csv"),
            ..bad("/predict", "", 422, "body", "the batch is empty")
        },
        bad("/v2/models/wine-quality/infer", "{", 400, "", "malformed JSON"),
        bad("/v2/models/wine-quality/infer", "{}", 400, "", "`inputs` must be a list"),
        bad(
            "/v2/models/wine-quality/infer",
            one_input("x", "BYTES", json!([1, 12]), json!(["a"])),
            400,
            "",
            "features are numbers",
        ),
        bad(
            "/v2/models/wine-quality/infer",
            one_input("x", "FP32", json!([2, 12]), json!([1.0])),
            400,
            "",
            "needs 24",
        ),
        bad(
            "/v2/models/wine-quality/infer",
            one_input("colour", "FP64", json!([1]), json!([1.0])),
            400,
            "",
            "`colour` is not a feature",
        ),
        bad(
            "/v2/models/wine-quality/infer",
            one_input("pH", "FP64", json!([1]), json!([1.0])),
            400,
            "",
            "no input for feature `fixed_acidity`",
        ),
        bad(
            "/v2/models/wine-quality/infer",
            json!({"inputs": [], "outputs": [{"name": "shap"}]}).to_string(),
            400,
            "",
            "no output `shap`",
        ),
        bad("/v2/models/no-such-model/infer", v2(json!([])), 404, "", "no model `no-such-model`"),
        bad(
            "/v2/models/wine-quality/versions/0000/infer",
            v2(json!([])),
            404,
            "",
            "no version `0000`",
        ),
        Bad {
            content_type: Some("text/csv"),
            ..bad("/v2/models/wine-quality/infer", "a", 415, "", "send application/json")
        },
        bad("/nowhere", "{}", 404, "path", "no route for POST /nowhere"),
        bad(
            "/v2/models/wine-quality/infer",
            v2(json!([{"name": "pH", "datatype": "FP64", "shape": [1]}])),
            400,
            "",
            "`data` must be a list",
        ),
        bad(
            "/v2/models/wine-quality/infer",
            one_input("x", "UINT8", json!([1, 12]), json!([-1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
            400,
            "",
            "is not a UINT8 value",
        ),
        bad(
            "/v2/models/wine-quality/infer",
            v2(json!([{"name": "pH", "datatype": "FP64", "shape": [1], "data": [3.0]},
            {"name": "pH", "datatype": "FP64", "shape": [1], "data": [3.1]}])),
            400,
            "",
            "input `pH` is given twice",
        ),
        bad(
            "/v2/models/wine-quality/infer",
            json!({"inputs": [], "outputs": []}).to_string(),
            400,
            "",
            "`outputs` is empty",
        ),
    ];
    assert!(cases.len() >= 30);
    let app = router();
    for case in &cases {
        let r = call(&app, "POST", case.uri, case.content_type, case.body.clone()).await;
        let v = r.json();
        assert_eq!(r.status.as_u16(), case.status, "{} {}: {}", case.uri, case.body, r.text);
        let cause = r.cause.as_ref().unwrap_or_else(|| panic!("no cause: {}", r.text));
        assert_eq!(cause.status(), r.status, "{}", r.text);
        assert!(v["error"].as_str().unwrap().contains(&cause.to_string()), "{}", r.text);
        assert!(
            v["error"].as_str().unwrap().contains(case.says),
            "{} {}: {}",
            case.uri,
            case.body,
            r.text
        );
        if case.uri.starts_with("/v2/") {
            assert_eq!(
                v.as_object().unwrap().len(),
                1,
                "V2 errors are {{\"error\": ...}}: {}",
                r.text
            );
        } else {
            assert_eq!(v["field"], case.field, "{}: {}", case.body, r.text);
        }
    }
    // Method not allowed, in the same shape.
    let r = call(&app, "GET", "/predict", None, Body::empty()).await;
    assert_eq!((r.status.as_u16(), r.json()["field"].clone()), (405, json!("method")));
    assert_eq!(r.cause.map(|c| c.kind()), Some("MethodNotAllowed"));
}

#[tokio::test]
async fn limits_on_body_size_and_rows() {
    let app = router_with(Limits { max_body_bytes: 1000, max_rows: 2 });
    let r = post_json(&app, "/predict", &" ".repeat(1001)).await;
    assert_eq!((r.status.as_u16(), r.json()["field"].clone()), (413, json!("body")));
    let r = post_json(&app, "/predict", &json!({"values": [{}, {}, {}]}).to_string()).await;
    assert_eq!(r.status.as_u16(), 413, "{}", r.text);
    assert_eq!(r.json()["error"], "3 rows is more than the limit of 2 rows per request");
}

#[tokio::test]
async fn the_page_and_its_assets() {
    let app = router();
    let page = call(&app, "GET", "/", None, Body::empty()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.starts_with("<!doctype html>"), "{}", &page.text[..100]);
    assert!(page.text.contains("/assets/main.js"));
    // Everything the page loads comes from this server, so no URL outside it appears.
    for asset in [
        "style.css",
        "main.js",
        "api.js",
        "dom.js",
        "card.js",
        "tryit.js",
        "tree.js",
        "batch.js",
        "csv.js",
        "icon.svg",
    ] {
        let r = call(&app, "GET", &format!("/assets/{asset}"), None, Body::empty()).await;
        assert_eq!(r.status, StatusCode::OK, "{asset}");
        // The SVG namespace is a name, not a place the page goes.
        let text = r.text.replace("http://www.w3.org/2000/svg", "");
        assert!(!text.contains("http://") && !text.contains("https://"), "{asset} names a URL");
    }
    let r = call(&app, "GET", "/assets/nothing.js", None, Body::empty()).await;
    assert_eq!((r.status.as_u16(), r.json()["field"].clone()), (404, json!("path")));

    // A program asking for JSON still gets the links.
    let req = Request::builder().uri("/").header("accept", "application/json");
    let response = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let links: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(links["model_card"], "/model");
    assert_eq!(links["v2"], "/v2/models/wine-quality");
}

#[tokio::test]
async fn the_page_may_only_talk_to_this_server() {
    let app = router();
    let response = app
        .clone()
        .oneshot(Request::builder().uri("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("connect-src 'self' blob:"),
        "{csp}"
    );
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test]
async fn the_model_card() {
    let app = router();
    let r = call(&app, "GET", "/model", None, Body::empty()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.version.as_deref().map(str::len), Some(12));
    let card = r.json();
    assert_eq!(card["name"], "wine-quality");
    assert_eq!(card["kind"], "classifier");
    assert_eq!(card["target"], "quality");
    assert_eq!(card["classes"], json!([3, 4, 5, 6, 7, 8, 9]));
    assert_eq!(card["class_names"], json!(["3", "4", "5", "6", "7", "8", "9"]));
    assert_eq!(card["provenance"]["estimator"], "sklearn.ensemble.RandomForestClassifier");
    assert_eq!(card["provenance"]["origin"], "trained");
    let features = card["features"].as_array().unwrap();
    assert_eq!(features.len(), 12);
    assert_eq!(features[10]["name"], "alcohol");
    assert_eq!(features[10]["range"], json!([8.0, 14.9]));
    let total: f64 = features.iter().map(|f| f["importance"].as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    assert_eq!(card["n_trees"], 10);
    assert_eq!(card["total_nodes"], 29704);
    assert_eq!(card["trees"][3], json!({"node_count": 2969, "n_leaves": 1485, "max_depth": 25}));
    assert_eq!(card["node_stats"], true);
    // The example is the tutorial's wine, and it predicts as the tutorial says.
    assert_eq!(card["example"]["residual_sugar"], json!(20.7));
    let r = post_json(&app, "/predict", &json!({"values": card["example"]}).to_string()).await;
    assert_eq!(r.json(), json!({"quality": 6}));
}

#[tokio::test]
async fn one_tree_as_arrays() {
    let app = router();
    let t = call(&app, "GET", "/model/trees/3", None, Body::empty()).await.json();
    assert_eq!(t["tree"], 3);
    assert_eq!(t["node_count"], 2969);
    assert_eq!(t["value_kind"], "class_distribution");
    for key in [
        "children_left",
        "children_right",
        "feature",
        "threshold",
        "value",
        "n_node_samples",
        "impurity",
    ] {
        assert_eq!(t[key].as_array().map(Vec::len), Some(2969), "{key}");
    }
    assert_eq!(t["value"][0].as_array().unwrap().len(), 7);
    let root: f64 = t["value"][0].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).sum();
    assert!((root - 1.0).abs() < 1e-9);
    // Children come after their parent; a leaf has -1 on both sides.
    let left = t["children_left"].as_array().unwrap();
    let leaf = left.iter().position(|c| c == -1).unwrap();
    assert_eq!(t["children_right"][leaf], -1);
}

#[tokio::test]
async fn a_rows_path_through_a_tree() {
    let app = router();
    let r = post_json(&app, "/model/trees/3/path", &tutorial_body()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    let path: Vec<usize> =
        v["path"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap() as usize).collect();
    assert_eq!(path[0], 0);
    assert_eq!(v["leaf"], json!(path.last()));
    // Walk the tree's arrays by hand: the path is where `x <= threshold` leads.
    let t = call(&app, "GET", "/model/trees/3", None, Body::empty()).await.json();
    let row = row(json!({}));
    let features = t["features"].as_array().unwrap();
    let mut node = 0;
    for &next in &path[1..] {
        let f = &features[t["feature"][node].as_u64().unwrap() as usize];
        let x = row[f.as_str().unwrap()].as_f64().unwrap_or(0.0) as f32;
        let goes_left = f64::from(x) <= t["threshold"][node].as_f64().unwrap();
        let child = if goes_left { &t["children_left"] } else { &t["children_right"] };
        assert_eq!(child[node].as_u64().unwrap() as usize, next);
        node = next;
    }
    assert_eq!(t["children_left"][node], -1, "the path ends at a leaf");

    let two = json!({"values": [row.clone(), row]}).to_string();
    let v = post_json(&app, "/model/trees/0/path", &two).await.json();
    assert_eq!(v["paths"].as_array().unwrap().len(), 2);
    assert_eq!(v["paths"][0], v["paths"][1]);
}

#[tokio::test]
async fn bad_tree_requests_name_the_field() {
    let app = router();
    for uri in [
        "/model/trees/10",
        "/model/trees/-1",
        "/model/trees/x",
        "/model/trees/99999999999999999999",
    ] {
        let r = call(&app, "GET", uri, None, Body::empty()).await;
        assert_eq!(
            (r.status.as_u16(), r.json()["field"].clone()),
            (422, json!("tree")),
            "{uri}: {}",
            r.text
        );
        assert!(r.json()["error"].as_str().unwrap().contains("numbered 0 to 9"), "{}", r.text);
        let r = post_json(&app, &format!("{uri}/path"), &tutorial_body()).await;
        assert_eq!((r.status.as_u16(), r.json()["field"].clone()), (422, json!("tree")), "{uri}");
    }
    let cases = [
        (json!({"values": row(json!({"-pH": null}))}).to_string(), 422, "values.pH"),
        ("{".to_string(), 400, "body"),
        (json!({"values": []}).to_string(), 422, "values"),
    ];
    for (body, status, field) in cases {
        let r = post_json(&app, "/model/trees/0/path", &body).await;
        assert_eq!(
            (r.status.as_u16(), r.json()["field"].clone()),
            (status, json!(field)),
            "{body}"
        );
    }
    let r = call(&app, "POST", "/model/trees/0/path", Some("text/plain"), "x").await;
    assert_eq!(r.status.as_u16(), 415);
    let r = call(&app, "POST", "/model", None, Body::empty()).await;
    assert_eq!((r.status.as_u16(), r.json()["field"].clone()), (405, json!("method")));
}

#[tokio::test]
async fn the_openapi_document_describes_the_model_routes() {
    let app = router();
    let doc = call(&app, "GET", "/openapi.json", None, Body::empty()).await.json();
    let paths = &doc["paths"];
    assert!(paths["/"]["get"]["responses"]["200"]["content"]["text/html"].is_object());
    assert!(paths["/model"]["get"].is_object());
    let tree = &paths["/model/trees/{tree}"]["get"];
    assert_eq!(tree["parameters"][0]["schema"]["maximum"], 9);
    assert!(tree["responses"]["422"].is_object());
    let path = &paths["/model/trees/{tree}/path"]["post"];
    assert!(path["requestBody"]["content"]["text/csv"].is_object());
    assert!(path["responses"]["422"].is_object() && path["responses"]["415"].is_object());
}

#[tokio::test]
async fn a_request_past_the_timeout_gets_a_408_in_the_error_shape() {
    let forest = grove_builtin::wine_quality().expect("built-in model");
    let state =
        grove_http::AppState::new(ServedModel::with_content_version(forest), Limits::default());
    // Big enough for the blocking pool, far slower than a millisecond to decode and predict.
    let app = grove_http::app(state, Duration::from_millis(1));
    let rows: Vec<Value> = (0..3000).map(|_| row(json!({}))).collect();
    let r = post_json(&app, "/predict", &json!({"values": rows}).to_string()).await;
    assert_eq!(r.status.as_u16(), 408, "{}", &r.text[..r.text.len().min(200)]);
    assert_eq!(r.json()["field"], "body");
    assert_eq!(r.cause, Some(grove_http::ErrorCause::Route(grove_http::RouteError::Timeout)));
    let m = call(&app, "GET", "/metrics", None, Body::empty()).await;
    assert!(
        m.text.contains("grove_http_requests_total{route=\"/predict\",status=\"408\"} 1"),
        "{}",
        m.text
    );
}

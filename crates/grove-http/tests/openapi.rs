//! `/openapi.json` held to the Router and to the standard: every route of the route table is
//! documented with its method and path parameters (and nothing else is), the document passes
//! `openapi-spec-validator`, and schemathesis, fuzzing the real server on a socket from the
//! document alone, finds no 5xx and no answer that breaks the document (status, content type,
//! headers, body schema).
//!
//! The validator and schemathesis come from the test venv that `./scripts/test-deps.sh` makes.

// Test code, helpers included: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use grove_http::AppState;
use grove_request::{Limits, ServedModel};
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "test-admin-token";

fn state(admin: bool) -> AppState {
    let forest = grove_builtin::wine_quality().expect("built-in model");
    AppState::new(ServedModel::with_content_version(forest), Limits::default())
        .with_admin_token(admin.then(|| TOKEN.to_string()))
}

/// `tool` from the test venv, or what is missing (the test then skips, or fails under
/// `GROVE_REQUIRE_ALL`).
fn venv_tool(tool: &str) -> Result<PathBuf, grove_test::Missing> {
    Ok(grove_test::venv::Venv::require(&[tool])?.bin(tool))
}

async fn get_document(state: AppState) -> Value {
    let app = grove_http::app(state, Duration::from_secs(10));
    let request = Request::builder().uri("/openapi.json").body(Body::empty()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// `{tree}` → `tree`, for each parameter of a path pattern.
fn path_params(path: &str) -> Vec<&str> {
    path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).collect()
}

/// A request path that fits the pattern for this model.
fn concrete(path: &str, version: &str) -> String {
    path.replace("{tree}", "0")
        .replace("{name}", if path.starts_with("/assets") { "main.js" } else { "wine-quality" })
        .replace("{version}", version)
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_operation_is_a_route() {
    for admin in [false, true] {
        let state = state(admin);
        let doc = get_document(state.clone()).await;
        let paths = doc["paths"].as_object().unwrap();
        let routes = grove_http::routes(&state);
        assert_eq!(routes.iter().any(|r| r.path() == "/admin/reload"), admin);
        for route in &routes {
            let method = route.method().as_str().to_ascii_lowercase();
            let operation = &paths
                .get(route.path())
                .unwrap_or_else(|| panic!("{route:?} is not in /openapi.json"))[&method];
            assert!(operation.is_object(), "{route:?} is not documented for its method");
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .filter_map(|p| p["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(declared, path_params(route.path()), "{route:?}: path parameters");
        }
        let documented: usize = paths.values().map(|ops| ops.as_object().unwrap().len()).sum();
        assert_eq!(documented, routes.len(), "/openapi.json documents an operation no route has");

        // The table is the Router's: each route answers its method, none falls through to the
        // 404 or 405 answers of unknown paths and methods.
        let app = grove_http::app(state.clone(), Duration::from_secs(10));
        let version = state.model().version.clone();
        for route in &routes {
            let request = Request::builder()
                .method(route.method())
                .uri(concrete(route.path(), &version))
                .header("content-type", "application/json")
                .body(Body::from(grove_builtin::TUTORIAL_BODY))
                .unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            let fell_through = matches!(
                response.extensions().get::<grove_http::ErrorCause>(),
                Some(grove_http::ErrorCause::Route(
                    grove_http::RouteError::NoRoute { .. }
                        | grove_http::RouteError::MethodNotAllowed { .. }
                ))
            );
            assert!(!fell_through, "{route:?} is not served by the Router: {}", response.status());
        }
    }
}

#[tokio::test]
async fn openapi_spec_validator_accepts_the_document() {
    let validator = grove_test::require!(venv_tool("openapi-spec-validator"));
    let dir = tempfile::tempdir().unwrap();
    for admin in [false, true] {
        let file = dir.path().join(format!("openapi-{admin}.json"));
        std::fs::write(&file, get_document(state(admin)).await.to_string()).unwrap();
        let out = Command::new(&validator).arg(&file).output().expect("the validator runs");
        assert!(
            out.status.success(),
            "openapi-spec-validator refused the document:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_answer_that_breaks_the_document() {
    let st = grove_test::require!(venv_tool("st"));
    let app = grove_http::app(state(true), Duration::from_secs(30));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    // Hypothesis keeps its example database in the working directory.
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(st);
    command
        .current_dir(dir.path())
        .arg("run")
        .arg(format!("http://{addr}/openapi.json"))
        .args(["--checks", "all"])
        // Both demand that the schema accept exactly what the server accepts. JSON Schema cannot
        // say what the decoder checks across fields (a `dataframe_split` row has one value per
        // column, a V2 tensor's data fills its shape, CSV text names the features), so the
        // document describes each body's shape and the server answers the rest with a 4xx in
        // the documented error shape, which the other checks hold it to.
        .args(["--exclude-checks", "positive_data_acceptance,negative_data_rejection"])
        .args(["--phases", "examples,coverage,fuzzing"])
        // One worker: CPython 3.11's `ast` keeps its recursion depth per interpreter, not per
        // thread, so hypothesis describing strategies on two threads at once can fail with
        // "AST constructor recursion depth mismatch", a runtime error in the tool, not a
        // finding about grove.
        .args(["--max-examples", "40", "--seed", "19", "--workers", "1"])
        .args(["--request-timeout", "20"])
        .args(["-H", &format!("Authorization: Bearer {TOKEN}")])
        .env("NO_COLOR", "1");
    let out =
        tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("st runs");
    let report = String::from_utf8_lossy(&out.stdout);
    eprintln!("{report}");
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

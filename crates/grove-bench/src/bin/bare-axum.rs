//! The HTTP ceiling `grove serve` is measured against in `bench/http.sh` and
//! `bench/startup.py`: an axum server whose `POST /predict` only parses the JSON body (into a
//! `serde_json::Value`) and answers a fixed `{"quality": 6}`. No model, no routing beyond that
//! one route, no middleware: what is left is the cost of axum, hyper, tokio and JSON parsing.
//! The tokio runtime is built as `grove serve` builds its own (multi-threaded, default worker
//! count, so a process pinned to one core gets one worker), so the comparison is fair.
//!
//! Usage: bare-axum PORT   (listens on 127.0.0.1)

use std::process::ExitCode;

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

/// Parses the body as JSON and answers the fixed prediction, or 400 for a body that is not JSON.
async fn predict(body: Bytes) -> Response {
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(_) => {
            ([(header::CONTENT_TYPE, "application/json")], r#"{"quality": 6}"#).into_response()
        }
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

fn main() -> ExitCode {
    let Some(port) = std::env::args().nth(1).and_then(|p| p.parse::<u16>().ok()) else {
        eprintln!("usage: bare-axum PORT");
        return ExitCode::from(2);
    };
    // The runtime grove serve runs on, so that the two differ only in what they do per request.
    let runtime = match grove_http::runtime() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bare-axum: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        axum::serve(listener, Router::new().route("/predict", post(predict))).await
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bare-axum: {e}");
            ExitCode::FAILURE
        }
    }
}

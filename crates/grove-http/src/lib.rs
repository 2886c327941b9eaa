//! The HTTP face of grove: [`app`] is the only place routes are declared. The local server
//! ([`serve`]) and the Lambda function (API Gateway, function URLs, ALB, the tutorial's direct
//! invoke) both run this one Router, so every front end goes through the same handlers and the
//! same request core ([`grove_request`]).
//!
//! It owns routing, body limits, the error responses (`{"error", "field"}`; V2's `{"error"}`),
//! Prometheus metrics, the generated OpenAPI document, the web page at `GET /` (compiled in;
//! it reads the model only through the read-only `/model` routes and `/predict`, as any program
//! could) and the server's lifecycle (timeouts, graceful shutdown). It must not depend on AWS; prediction logic lives in `grove-request`.
//!
//! A served model may follow a [`ModelFeed`] (the S3 versions of a key, implemented in
//! `grove-store`): [`AppState::reload`], its polling and `POST /admin/reload` validate a new
//! version fully and check its schema before swapping it in atomically; requests in flight
//! finish on the model they started with. `x-model-version`, V2's `model_version`, `/healthz`
//! and `grove_model_info` name the feed's version (for S3, the object's version id).

mod body;
mod card;
mod metrics;
mod openapi;
mod page;
mod reload;
mod reply;
mod routes;
mod server;
mod state;
mod trees;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use tower_http::timeout::TimeoutLayer;

pub use grove_request::{FeedError, FeedFuture, ModelFeed};
pub use openapi::document as openapi_document;
pub use reload::{schema_difference, ReloadOptions, ReloadOutcome, ReloadResult};
pub use reply::{ErrorCause, RouteError, WorkerFailure, MODEL_VERSION};
pub use server::{runtime, serve, ServeError, ServerConfig};
pub use state::AppState;

/// The environment variable holding the admin token that enables `POST /admin/reload` (read by
/// the front end, which passes it to [`AppState::with_admin_token`]).
pub const ADMIN_TOKEN_VAR: &str = "GROVE_ADMIN_TOKEN";

use routes::{admin, model, ops, predict::predict, v2, web};

/// The Router every front end runs. Requests time out after `timeout` with a 408.
/// `POST /admin/reload` exists only when the state has an admin token.
pub fn app(state: AppState, timeout: Duration) -> Router {
    let mut router = Router::new();
    if state.admin_token.is_some() {
        router = router.route("/admin/reload", post(admin::reload));
    }
    router
        .route("/", get(web::index).post(predict))
        .route("/assets/{name}", get(web::asset))
        .route("/model", get(model::model_card))
        .route("/model/trees/{tree}", get(model::tree))
        .route("/model/trees/{tree}/path", post(model::path))
        .route("/predict", post(predict))
        .route("/invocations", post(predict))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(ops::openapi))
        .route("/v2", get(v2::server_metadata))
        .route("/v2/health/live", get(v2::live))
        .route("/v2/health/ready", get(v2::ready))
        .route("/v2/models/{name}", get(v2::model_metadata))
        .route("/v2/models/{name}/ready", get(v2::model_ready))
        .route("/v2/models/{name}/infer", post(v2::infer))
        .route("/v2/models/{name}/versions/{version}", get(v2::version_metadata))
        .route("/v2/models/{name}/versions/{version}/ready", get(v2::version_ready))
        .route("/v2/models/{name}/versions/{version}/infer", post(v2::version_infer))
        .fallback(ops::not_found)
        .method_not_allowed_fallback(ops::method_not_allowed)
        // Bodies are read under grove's own limit, so an oversized one gets grove's 413.
        .layer(DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        // Outside the timeout: gives a 408 the one error shape, then counts every answer.
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}

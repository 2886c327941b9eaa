//! The HTTP face of grove: [`app`] builds the one Router from the route table ([`routes`]). The local server
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
use axum::Router;
use tower_http::timeout::TimeoutLayer;

pub use grove_request::{FeedError, FeedFuture, ModelFeed};
pub use openapi::document as openapi_document;
pub use reload::{schema_difference, ReloadOptions, ReloadOutcome, ReloadResult};
pub use reply::{ErrorCause, RouteError, WorkerFailure, MODEL_VERSION};
pub use routes::{routes, Route};
pub use server::{runtime, serve, ServeError, ServerConfig};
pub use state::AppState;

/// The environment variable holding the admin token that enables `POST /admin/reload` (read by
/// the front end, which passes it to [`AppState::with_admin_token`]).
pub const ADMIN_TOKEN_VAR: &str = "GROVE_ADMIN_TOKEN";

use routes::ops;

/// The Router every front end runs: the routes of [`routes`]. Requests time out after
/// `timeout` with a 408. `POST /admin/reload` exists only when the state has an admin token.
pub fn app(state: AppState, timeout: Duration) -> Router {
    routes(&state)
        .into_iter()
        // Routes of one path merge into one method router (axum panics on a repeated method).
        .fold(Router::new(), |router, r| router.route(r.path(), r.handler))
        .fallback(ops::not_found)
        .method_not_allowed_fallback(ops::method_not_allowed)
        // Bodies are read under grove's own limit, so an oversized one gets grove's 413.
        .layer(DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        // Outside the timeout: gives a 408 the one error shape, then counts every answer.
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}

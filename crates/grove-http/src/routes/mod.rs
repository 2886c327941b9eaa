//! The route table: every (method, path) the Router serves, each with its handler, in one
//! list. [`app`](crate::app) builds the Router from it and nothing else, and the OpenAPI test
//! holds `/openapi.json` to it, so a route cannot be served undocumented.

pub mod admin;
pub mod model;
pub mod ops;
pub mod predict;
pub mod v2;
pub mod web;

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};

use crate::AppState;

/// One route of the Router.
pub struct Route {
    method: Method,
    path: &'static str,
    pub(crate) handler: MethodRouter<AppState>,
}

impl Route {
    /// The method it answers (a `GET` route answers `HEAD` too, as axum's routes do).
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path pattern, in the Router's and OpenAPI's spelling (`/model/trees/{tree}`).
    pub fn path(&self) -> &'static str {
        self.path
    }
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// The methods grove's routes use.
#[derive(Clone, Copy)]
enum Verb {
    Get,
    Post,
}

/// The handler is built from the verb, so a route's method and what it answers agree.
fn route<H, T>(verb: Verb, path: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let (method, filter) = match verb {
        Verb::Get => (Method::GET, MethodFilter::GET),
        Verb::Post => (Method::POST, MethodFilter::POST),
    };
    Route { method, path, handler: on(filter, handler) }
}

/// Every route `state` is served with: `POST /admin/reload` only when it has an admin token.
pub fn routes(state: &AppState) -> Vec<Route> {
    use predict::predict;
    let (get, post) = (Verb::Get, Verb::Post);
    let mut table = vec![
        route(get, "/", web::index),
        route(post, "/", predict),
        route(get, "/assets/{name}", web::asset),
        route(get, "/model", model::model_card),
        route(get, "/model/trees/{tree}", model::tree),
        route(post, "/model/trees/{tree}/path", model::path),
        route(post, "/predict", predict),
        route(post, "/invocations", predict),
        route(get, "/healthz", ops::healthz),
        route(get, "/metrics", ops::metrics),
        route(get, "/openapi.json", ops::openapi),
        route(get, "/v2", v2::server_metadata),
        route(get, "/v2/health/live", v2::live),
        route(get, "/v2/health/ready", v2::ready),
        route(get, "/v2/models/{name}", v2::model_metadata),
        route(get, "/v2/models/{name}/ready", v2::model_ready),
        route(post, "/v2/models/{name}/infer", v2::infer),
        route(get, "/v2/models/{name}/versions/{version}", v2::version_metadata),
        route(get, "/v2/models/{name}/versions/{version}/ready", v2::version_ready),
        route(post, "/v2/models/{name}/versions/{version}/infer", v2::version_infer),
    ];
    if state.admin_token.is_some() {
        table.push(route(post, "/admin/reload", admin::reload));
    }
    table
}

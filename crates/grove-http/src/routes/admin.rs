//! `POST /admin/reload`: reload the model now. Present only when an admin token is set
//! (`GROVE_ADMIN_TOKEN`); callers must send `Authorization: Bearer <token>`.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::json;

use crate::reload::{ReloadOutcome, ReloadResult};
use crate::reply::{json, with_version};
use crate::AppState;

/// The 422 answer: the one error shape, with the outcome beside it.
#[derive(Debug, Serialize)]
struct Rejected<'a> {
    error: &'a str,
    field: &'static str,
    #[serde(flatten)]
    outcome: &'a ReloadOutcome,
}

/// Compares without an early exit, so the time taken does not tell how much of a guess matched.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some((scheme, value)) = given.split_once(' ') else { return false };
    scheme.eq_ignore_ascii_case("bearer") && same(value.trim().as_bytes(), token.as_bytes())
}

/// Reloads from the feed (retrying a version rejected before): 200 with the result when it
/// swapped a model in or had nothing new, 422 when the latest version was rejected, 401 on a
/// missing or wrong token, 409 when this server serves a fixed model.
pub async fn reload(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.admin_token.as_deref() else {
        // Not routed without a token; kept for safety should the Router be built otherwise.
        return json(
            StatusCode::NOT_FOUND,
            &json!({"error": "no route for POST /admin/reload", "field": "path"}),
        );
    };
    if !authorized(&headers, token) {
        let mut response = json(
            StatusCode::UNAUTHORIZED,
            &json!({
                "error": "a valid admin token is required: `Authorization: Bearer <GROVE_ADMIN_TOKEN>`",
                "field": "authorization",
            }),
        );
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    let Some(outcome) = state.reload(true).await else {
        return json(
            StatusCode::CONFLICT,
            &json!({
                "error": "this server serves a fixed model (a local file or a built-in); only an \
                          s3:// model can be reloaded",
                "field": "model",
            }),
        );
    };
    let response = match outcome.result {
        ReloadResult::Rejected => json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &Rejected {
                error: outcome.error.as_deref().unwrap_or("the version was rejected"),
                field: "model",
                outcome: &outcome,
            },
        ),
        ReloadResult::Ok | ReloadResult::Unchanged => json(StatusCode::OK, &outcome),
    };
    with_version(response, &outcome.serving)
}

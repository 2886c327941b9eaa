//! The AWS Lambda front end of grove: the `bootstrap` binary of the Lambda zip. It owns the
//! Lambda side only: loading the model once at init (`GROVE_MODEL`: a built-in, a file in the
//! package, or `s3://bucket/key` with `GROVE_MODEL_VERSION` pinning a version id or label;
//! through `grove-store`, the loading code `grove serve` uses), telling the event shapes
//! apart (the tutorial's direct invoke `{"body": ...}`, a raw predict payload, API Gateway REST
//! and HTTP APIs, function URLs, ALB), turning each into an `http::Request`, and writing the
//! answer back in the shape that trigger expects, with stable `errorType` names for function
//! errors. Every request is answered by [`grove_http::app`]'s Router, in-process
//! (`tower::ServiceExt::oneshot`), so this crate holds no prediction, validation or routing
//! logic. It must not depend on the training or scikit-learn crates (`grove-train`,
//! `grove-sklearn`); the only AWS SDK piece it links is S3, through `grove-store`, used once at
//! init (a new version is picked up by the next cold start, or by publishing the function).

mod bootstrap;
mod classify;
mod direct;
mod dispatch;
mod errors;
mod http_events;
mod http_responses;
mod model;

use std::time::Duration;

use axum::Router;
use grove_http::AppState;
use grove_request::{Limits, ServedModel};
use serde_json::Value;

pub use bootstrap::{report_init_error, run, RUNTIME_VARS};
pub use classify::{classify, EventShape, Trigger, PREDICT_KEYS};
pub use dispatch::{Answer, Rejected, ERROR_KIND_HEADER};
pub use errors::{LambdaError, ACCEPTED_SHAPES};
pub use model::load_from_env;

/// The Router's own timeout. Lambda's function timeout (at most 15 minutes) is the one that
/// applies; this only keeps the Router from outliving it.
pub const ROUTER_TIMEOUT: Duration = Duration::from_secs(900);

/// Answers Lambda events with grove's Router. Cheap to clone (the Router is shared).
#[derive(Clone)]
pub struct Adapter {
    router: Router,
}

impl Adapter {
    /// An adapter serving `model` under the default limits.
    pub fn new(model: ServedModel) -> Adapter {
        Adapter::with_state(AppState::new(model, Limits::default()))
    }

    /// An adapter over a prepared state.
    pub fn with_state(state: AppState) -> Adapter {
        Adapter { router: grove_http::app(state, ROUTER_TIMEOUT) }
    }

    /// Answers one event:
    /// - the tutorial's `{"body": ...}` → `{"statusCode", "body"}` (errors too, as 4xx);
    /// - a raw predict payload → the answer itself, or a [`LambdaError::Request`];
    /// - an HTTP trigger's event → that trigger's response shape (errors as 4xx responses);
    /// - anything else → [`LambdaError::UnsupportedEvent`].
    pub async fn handle(&self, event: Value) -> Result<Value, LambdaError> {
        let shape = classify(&event);
        tracing::debug!(?shape, "event");
        match shape {
            EventShape::Direct => {
                let Some(envelope) = event.as_object() else {
                    return Err(LambdaError::Internal(
                        "a direct event that is not an object".into(),
                    ));
                };
                let answer = match direct::envelope_request(envelope) {
                    Ok(request) => dispatch::call(&self.router, request).await?,
                    Err(rejected) => rejected.into_answer(),
                };
                Ok(direct::envelope_response(answer.status.as_u16(), answer.text()))
            }
            EventShape::Raw => {
                let answer = dispatch::call(&self.router, direct::raw_request(&event)?).await?;
                if !answer.status.is_success() {
                    return Err(answer.to_error());
                }
                serde_json::from_slice(&answer.body).map_err(|e| {
                    LambdaError::Internal(format!("the Router's answer is not JSON: {e}"))
                })
            }
            EventShape::Http(trigger) => {
                let (origin, request) = http_events::parse(trigger, event)?;
                let answer = match request {
                    Ok(request) => dispatch::call(&self.router, request).await?,
                    Err(rejected) => rejected.into_answer(),
                };
                http_responses::respond(origin, answer)
            }
            EventShape::Unsupported(reason) => Err(LambdaError::UnsupportedEvent { reason }),
        }
    }
}

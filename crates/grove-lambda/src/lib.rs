//! The AWS Lambda front end of grove: the `bootstrap` binary of the Lambda zip. It owns the
//! Lambda side only: loading the model once at init (`GROVE_MODEL`: a built-in, a file in the
//! package, or `s3://bucket/key` with `GROVE_MODEL_VERSION` pinning a version id or label;
//! through `grove-store`, the loading code `grove serve` uses), telling the event shapes
//! apart (the tutorial's direct invoke `{"body": ...}`, a raw predict payload, API Gateway REST
//! and HTTP APIs, function URLs, ALB), turning each into an `http::Request`, and writing the
//! answer back in the shape that trigger expects, with stable `errorType` names for function
//! errors. Types are kept across the Router: the event is raw JSON text classified in place (a
//! raw payload is the request body as delivered), an error's cause comes back as the
//! response's [`grove_http::ErrorCause`] extension, and each shape's [`Reply`] is serialised
//! once, by the runtime. Every request is answered by [`grove_http::app`]'s Router, in-process
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
mod reply;

use std::time::Duration;

use axum::Router;
use grove_http::AppState;
use grove_request::{Limits, ServedModel};
use serde_json::value::RawValue;

pub use bootstrap::{report_init_error, run, RUNTIME_VARS};
pub use classify::{classify, EventObject, EventShape, JsonKind, Trigger, Unsupported};
pub use dispatch::{Answer, Rejected};
pub use errors::{LambdaError, ACCEPTED_SHAPES};
pub use model::load_from_env;
pub use reply::Reply;

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

    /// Answers one event, given as the JSON text Lambda delivered:
    /// - the tutorial's `{"body": ...}` → `{"statusCode", "body"}` (errors too, as 4xx);
    /// - a raw predict payload → the Router's answer itself, or a [`LambdaError::Request`];
    /// - an HTTP trigger's event → that trigger's response shape (errors as 4xx responses);
    /// - anything else → [`LambdaError::UnsupportedEvent`].
    pub async fn handle(&self, event: Box<RawValue>) -> Result<Reply, LambdaError> {
        let (shape, members) = classify(&event);
        tracing::debug!(?shape, "event");
        match shape {
            EventShape::Direct => {
                let answer = match direct::envelope_request(&members) {
                    Ok(request) => dispatch::call(&self.router, request).await?,
                    Err(rejected) => rejected.into_answer(),
                };
                Ok(Reply::envelope(&answer))
            }
            EventShape::Raw => {
                // The members borrow the event, which becomes the request body.
                drop(members);
                let answer = dispatch::call(&self.router, direct::raw_request(event)).await?;
                Reply::raw(answer)
            }
            EventShape::Http(trigger) => {
                let (origin, request) = http_events::parse(trigger, &event, &members)?;
                let answer = match request {
                    Ok(request) => dispatch::call(&self.router, request).await?,
                    Err(rejected) => rejected.into_answer(),
                };
                Ok(http_responses::respond(origin, answer))
            }
            EventShape::Unsupported(reason) => Err(LambdaError::UnsupportedEvent { reason }),
        }
    }
}

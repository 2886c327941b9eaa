//! What the function answers an event with: one typed value per event shape, serialised once,
//! by the runtime. A raw payload's answer is the Router's body itself, checked to be JSON
//! (without building a tree) and passed on as written, so the caller gets the bytes an HTTP
//! client of `grove serve` gets.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::direct::Envelope;
use crate::dispatch::Answer;
use crate::http_responses::{AlbResponse, HttpApiResponse, RestResponse};
use crate::LambdaError;

/// The function's answer to one event.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Reply {
    /// A raw predict payload's answer: the Router's JSON as it wrote it.
    Raw(Box<RawValue>),
    /// The tutorial's direct invoke: `{"statusCode", "body"}`.
    Envelope(Envelope),
    /// An API Gateway REST API event's response.
    Rest(RestResponse),
    /// An API Gateway HTTP API or function URL event's response.
    HttpApi(HttpApiResponse),
    /// An ALB event's response.
    Alb(AlbResponse),
}

impl Reply {
    /// A raw payload's answer: the Router's body on success, else its error as a function error.
    pub fn raw(answer: Answer) -> Result<Reply, LambdaError> {
        if !answer.status.is_success() {
            return Err(answer.into_error());
        }
        let text = String::from_utf8(answer.body.to_vec())
            .map_err(|e| LambdaError::NotJson { message: e.to_string() })?;
        RawValue::from_string(text)
            .map(Reply::Raw)
            .map_err(|e| LambdaError::NotJson { message: e.to_string() })
    }

    /// The tutorial's envelope around the Router's answer (errors included, as 4xx).
    pub fn envelope(answer: &Answer) -> Reply {
        Reply::Envelope(Envelope { status_code: answer.status.as_u16(), body: answer.text() })
    }
}

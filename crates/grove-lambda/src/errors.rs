//! The crate's one error type and the stable `errorType` names Lambda reports for it. A raw
//! payload's error is the Router's own typed cause ([`ErrorCause`], read from the response's
//! extensions), so its `errorType` is the request core's kind, never guessed from a message.

use grove_http::ErrorCause;

use crate::classify::Unsupported;
use lambda_runtime::Diagnostic;
use thiserror::Error;

/// The event shapes this function answers, for the message of [`LambdaError::UnsupportedEvent`].
pub const ACCEPTED_SHAPES: &str = "accepted events: the tutorial's direct invoke {\"body\": \"<JSON>\"}; \
a raw predict payload (an object with `values`, `dataframe_split`, `dataframe_records`, `instances` \
or `inputs`); an API Gateway REST (v1) or HTTP API (v2) proxy event; a Lambda function URL event; \
an Application Load Balancer event";

/// Everything that can go wrong in the Lambda front end. Each variant has a stable
/// [`error_type`](LambdaError::error_type), which is what Lambda reports as `errorType`.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum LambdaError {
    /// A raw predict payload the Router refused (4xx); the `errorType` is the cause's kind
    /// (`InvalidInput`, `MalformedJson`, `TooManyRows`, `Timeout`, ...).
    #[error("{0}")]
    Request(ErrorCause),
    /// An event of none of the accepted shapes.
    #[error("unsupported event: {reason}; {ACCEPTED_SHAPES}")]
    UnsupportedEvent {
        /// What was seen.
        reason: Unsupported,
    },
    /// An event recognised as one trigger's but not readable as it (a missing method, a body
    /// that is not valid base64).
    #[error("malformed {trigger} event: {message}")]
    MalformedEvent {
        /// The trigger the event looked like.
        trigger: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The model named by `GROVE_MODEL` could not be loaded (an init error); its
    /// `errorType` is the store's kind (`NoSuchModel`, `InvalidModel`, `NoSuchVersion`, …).
    #[error("cannot load the model `{setting}` (GROVE_MODEL): {message}")]
    Model {
        /// `GROVE_MODEL` as given.
        setting: String,
        /// [`grove_store::StoreError::kind`].
        kind: &'static str,
        /// The store's whole error chain.
        message: String,
    },
    /// The Router failed to answer a raw payload (a 500: a panicked or cancelled worker).
    #[error("internal error: {0}")]
    Router(ErrorCause),
    /// The Router's answer to a raw payload is not JSON, so it cannot be the function's answer
    /// (never expected: the Router writes JSON).
    #[error("internal error: the Router's answer is not JSON: {message}")]
    NotJson {
        /// What the JSON reader said.
        message: String,
    },
    /// The Router's answer body could not be read (never expected: its bodies are in memory).
    #[error("internal error: reading the Router's answer: {message}")]
    ReadAnswer {
        /// What the body said.
        message: String,
    },
    /// The Router answered a raw payload with an error status but no cause (never expected:
    /// every error of `POST /predict` carries one).
    #[error("internal error: the Router answered {status} without a cause")]
    Unexplained {
        /// The status it answered.
        status: u16,
    },
}

impl LambdaError {
    /// The stable name Lambda reports as `errorType`.
    pub fn error_type(&self) -> &str {
        match self {
            LambdaError::Request(cause) => cause.kind(),
            LambdaError::UnsupportedEvent { .. } => "UnsupportedEvent",
            LambdaError::MalformedEvent { .. } => "MalformedEvent",
            LambdaError::Model { kind, .. } => kind,
            LambdaError::Router(_)
            | LambdaError::NotJson { .. }
            | LambdaError::ReadAnswer { .. }
            | LambdaError::Unexplained { .. } => "Internal",
        }
    }
}

impl LambdaError {
    /// A model that failed to load, keeping the store's kind as the `errorType`.
    pub fn model(setting: &str, error: &grove_store::StoreError) -> LambdaError {
        // The whole chain, as the CLI prints it; some messages already quote their cause.
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        let setting = if setting.trim().is_empty() { grove_builtin::WINE_QUALITY } else { setting };
        LambdaError::Model { setting: setting.to_string(), kind: error.kind(), message }
    }
}

impl From<LambdaError> for Diagnostic {
    fn from(e: LambdaError) -> Diagnostic {
        Diagnostic { error_type: e.error_type().to_string(), error_message: e.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn router_causes_keep_their_kinds_and_messages() {
        let refused = grove_request::RequestError::MalformedJson { message: "eof".into() };
        let request = LambdaError::Request(ErrorCause::Request(refused.into()));
        assert_eq!(request.error_type(), "MalformedJson");
        assert_eq!(request.to_string(), "malformed JSON: eof");
        let timeout = LambdaError::Request(ErrorCause::Route(grove_http::RouteError::Timeout));
        assert_eq!(timeout.error_type(), "Timeout");
        let failed = LambdaError::Router(ErrorCause::Worker(grove_http::WorkerFailure::Panicked));
        assert_eq!(failed.error_type(), "Internal");
        assert_eq!(
            failed.to_string(),
            "internal error: the server failed while answering this request"
        );
    }

    #[test]
    fn diagnostics_carry_stable_names() {
        let d = Diagnostic::from(LambdaError::UnsupportedEvent {
            reason: Unsupported::NotAnObject(crate::classify::JsonKind::Array),
        });
        assert_eq!(d.error_type, "UnsupportedEvent");
        assert!(d.error_message.contains("function URL"));
        assert!(
            d.error_message
                .starts_with("unsupported event: the event is an array, not an object; "),
            "{}",
            d.error_message
        );
    }
}

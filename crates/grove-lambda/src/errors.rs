//! The crate's one error type and the stable `errorType` names Lambda reports for it.

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
    /// A raw predict payload the Router rejected (4xx): `kind` is
    /// `grove_request::RequestError::kind()`'s name for it.
    #[error("{message}")]
    Request {
        /// The stable name (`InvalidInput`, `MalformedJson`, `TooManyRows`, ...).
        kind: String,
        /// The HTTP status the Router answered.
        status: u16,
        /// The field at fault, as the Router named it.
        field: String,
        /// The Router's error text.
        message: String,
    },
    /// An event of none of the accepted shapes.
    #[error("unsupported event: {reason}; {ACCEPTED_SHAPES}")]
    UnsupportedEvent {
        /// What was seen.
        reason: String,
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
    /// The Router answered something this adapter cannot pass on (never expected).
    #[error("internal error: {0}")]
    Internal(String),
}

impl LambdaError {
    /// The stable name Lambda reports as `errorType`.
    pub fn error_type(&self) -> &str {
        match self {
            LambdaError::Request { kind, .. } => kind,
            LambdaError::UnsupportedEvent { .. } => "UnsupportedEvent",
            LambdaError::MalformedEvent { .. } => "MalformedEvent",
            LambdaError::Model { kind, .. } => kind,
            LambdaError::Internal(_) => "Internal",
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

/// The stable kind of a Router error answer, from its status and `{"error", "field"}` body.
/// A `x-grove-error-kind` header, when the Router sends one, wins over this mapping.
pub fn kind_of(status: u16, field: &str, message: &str) -> &'static str {
    match status {
        400 if message.starts_with("malformed JSON") => "MalformedJson",
        400 => "BadRequest",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        408 => "Timeout",
        413 if field == "body" => "BodyTooLarge",
        413 => "TooManyRows",
        415 => "UnsupportedMediaType",
        422 => "InvalidInput",
        _ => "BadRequest",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_the_request_errors() {
        assert_eq!(kind_of(400, "body", "malformed JSON: expected value"), "MalformedJson");
        assert_eq!(kind_of(400, "values", "none of the layouts"), "BadRequest");
        assert_eq!(kind_of(413, "body", "too large"), "BodyTooLarge");
        assert_eq!(kind_of(413, "values", "rows"), "TooManyRows");
        assert_eq!(kind_of(415, "content-type", "x"), "UnsupportedMediaType");
        assert_eq!(kind_of(422, "values.pH", "missing"), "InvalidInput");
    }

    #[test]
    fn diagnostics_carry_stable_names() {
        let d = Diagnostic::from(LambdaError::UnsupportedEvent { reason: "a list".into() });
        assert_eq!(d.error_type, "UnsupportedEvent");
        assert!(d.error_message.contains("function URL"));
    }
}

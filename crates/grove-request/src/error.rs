//! The one error type of the request path: each way a caller's request can be wrong, with the
//! HTTP status it answers and the field it names, so every front end reports it alike.

use serde_json::{json, Value};
use thiserror::Error;

/// Everything a caller can get wrong, each with its HTTP status and the field at fault.
///
/// Never a 500: a validated model cannot fail to predict, so every error is the caller's.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum RequestError {
    /// The body is not JSON (or not UTF-8 text).
    #[error("malformed JSON: {message}")]
    MalformedJson {
        /// What the parser said, with line and column.
        message: String,
    },
    /// A content type this endpoint does not read.
    #[error("unsupported content type `{got}`: send application/json{}", if *csv { " or text/csv" } else { "" })]
    UnsupportedMediaType {
        /// The content type that was sent.
        got: String,
        /// Whether CSV is accepted here.
        csv: bool,
    },
    /// The body is larger than the configured limit.
    #[error("the body is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// More rows than the configured limit.
    #[error("{rows} rows is more than the limit of {limit} rows per request")]
    TooManyRows {
        /// The field holding the rows.
        field: String,
        /// Rows sent (or at least this many).
        rows: usize,
        /// The limit.
        limit: usize,
    },
    /// Well-formed input that the model cannot take: a missing feature, a wrong type, a value
    /// float32 cannot hold, an empty batch.
    #[error("{message}")]
    Invalid {
        /// The field at fault, as a path: `values.pH`, `values[3].pH`, `inputs[0].data`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A request of the wrong structure (for example, none of the accepted body layouts).
    #[error("{message}")]
    BadRequest {
        /// The field at fault.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A model or version that is not served here.
    #[error("{message}")]
    NotFound {
        /// What was looked for.
        message: String,
    },
}

impl RequestError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            RequestError::MalformedJson { .. } | RequestError::BadRequest { .. } => 400,
            RequestError::NotFound { .. } => 404,
            RequestError::BodyTooLarge { .. } | RequestError::TooManyRows { .. } => 413,
            RequestError::UnsupportedMediaType { .. } => 415,
            RequestError::Invalid { .. } => 422,
        }
    }

    /// The field at fault, for the `field` member of the error body.
    pub fn field(&self) -> &str {
        match self {
            RequestError::MalformedJson { .. } | RequestError::BodyTooLarge { .. } => "body",
            RequestError::UnsupportedMediaType { .. } => "content-type",
            RequestError::TooManyRows { field, .. }
            | RequestError::Invalid { field, .. }
            | RequestError::BadRequest { field, .. } => field,
            RequestError::NotFound { .. } => "model",
        }
    }

    /// A stable name for the kind of error (Lambda's `errorType`, metrics labels).
    pub fn kind(&self) -> &'static str {
        match self {
            RequestError::MalformedJson { .. } => "MalformedJson",
            RequestError::UnsupportedMediaType { .. } => "UnsupportedMediaType",
            RequestError::BodyTooLarge { .. } => "BodyTooLarge",
            RequestError::TooManyRows { .. } => "TooManyRows",
            RequestError::Invalid { .. } => "InvalidInput",
            RequestError::BadRequest { .. } => "BadRequest",
            RequestError::NotFound { .. } => "NotFound",
        }
    }

    /// The one error body: `{"error": "...", "field": "..."}`.
    pub fn body(&self) -> Value {
        json!({"error": self.to_string(), "field": self.field()})
    }

    /// The Open Inference Protocol's error body: `{"error": "..."}`, naming the field.
    pub fn v2_body(&self) -> Value {
        json!({"error": format!("{}: {self}", self.field())})
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> RequestError {
        RequestError::Invalid { field: field.into(), message: message.into() }
    }

    pub(crate) fn bad(field: impl Into<String>, message: impl Into<String>) -> RequestError {
        RequestError::BadRequest { field: field.into(), message: message.into() }
    }
}

//! The one request path. Every front end (the HTTP server, API Gateway, function URLs, ALB,
//! the tutorial's direct Lambda invoke) hands this crate the same things: a content type, a
//! body and a `proba` flag, or an Open Inference Protocol request. It decodes them into one
//! [`PredictInput`], predicts, and shapes the answer; it names the field at fault in every
//! error and maps it to 400, 404, 413, 415 or 422, never 500.
//!
//! It is synchronous and knows nothing of HTTP servers, Lambda or AWS: those front ends only
//! move bytes in and out of it. It depends on the model, data and format crates.
//! The one asynchronous piece is [`ModelFeed`], the trait through which a server is handed new
//! model versions (implemented for S3 by `grove-store`, polled by `grove-http`).
//!
//! ```
//! use grove_request::*;
//! let model = ServedModel::with_content_version(grove_builtin::wine_quality()?);
//! let body = br#"{"values": {"fixed_acidity": 7.0, "volatile_acidity": 0.27, "citric_acid": 0.36,
//!   "residual_sugar": 20.7, "chlorides": 0.045, "free_sulfur_dioxide": 45.0,
//!   "total_sulfur_dioxide": 170.0, "density": 1.001, "pH": 3.0, "sulphates": 0.45,
//!   "alcohol": 8.8, "quality": 6.0, "is_red": false}}"#;
//! let input = decode_predict(&model, BodyFormat::Json, body, false, &Limits::default())?;
//! assert_eq!(to_python_json(&answer(&model, &input)?), r#"{"quality": 6}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod answer;
mod card;
mod error;
mod feed;
mod input;
mod pyjson;
mod served;
pub mod v2;
mod values_stream;

pub use answer::{answer, label_json, run, Outputs};
pub use card::{
    class_names, FeatureCard, MissingCard, ModelCard, ModelKind, ProvenanceCard, TreeSummary,
};
pub use error::RequestError;
pub use feed::{FeedError, FeedFuture, ModelFeed};
pub use grove_data::RowsShape;
pub use input::{
    body_format, decode_json_value, decode_predict, parse_json, BodyFormat, Layout, PredictInput,
    LAYOUT_KEYS,
};
pub use pyjson::to_python_json;
pub use served::{Limits, ServedModel};

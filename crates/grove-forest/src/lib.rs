//! The tree-ensemble model at the heart of grove, and its inference.
//!
//! This crate owns the one model type every other crate speaks: [`ForestParts`] (plain data in
//! scikit-learn's array layout, what importers and the trainer produce and the `.grove` file
//! stores) and [`Forest`] (the same, validated once and compiled into flat 12-byte nodes walked many at a time).
//! Prediction follows scikit-learn exactly: inputs are float32, `x <= threshold` goes left
//! (the float64 threshold is narrowed to the float32 that decides identically), NaN follows
//! `missing_go_to_left`, a forest's probabilities are the tree-order mean of its trees'
//! distributions, and argmax ties go to the lowest class index.
//!
//! It must not depend on anything async, HTTP, AWS or file-format related: the Lambda binary
//! and the importers all link it, so it stays small and pure. Its one runtime dependency beyond
//! thiserror is rayon: batches of thousands of rows are split over rayon's current thread pool.
//! It has no serde derives: the `.grove` header (`grove-format`) and the wire documents
//! (`grove-request`) spell the model in their own types, so neither changes when this one does.
//!
//! ```
//! use grove_forest::*;
//! // One split on feature 0 at 0.5: left leaf says class "a", right leaf class "b".
//! let tree = Tree {
//!     children_left: vec![1, -1, -1],
//!     children_right: vec![2, -1, -1],
//!     feature: vec![0, -2, -2],
//!     threshold: vec![0.5, -2.0, -2.0],
//!     missing_go_to_left: vec![true, false, false],
//!     value: vec![0.5, 0.5, 1.0, 0.0, 0.0, 1.0],
//!     stats: None,
//! };
//! let forest = Forest::new(ForestParts {
//!     name: "demo".into(),
//!     schema: Schema { features: vec!["x".into()], target: "y".into(), feature_ranges: None },
//!     task: Task::Classifier { classes: Labels::Str(vec!["a".into(), "b".into()]) },
//!     aggregation: Aggregation::Mean,
//!     missing: MissingValues::Route,
//!     trees: vec![tree],
//!     provenance: Provenance::default(),
//! })?;
//! assert_eq!(forest.predict(&[0.2, 0.9, f32::NAN])?, Predictions::Classes(vec![0, 1, 0]));
//! # Ok::<(), ForestError>(())
//! ```

mod compiled;
mod error;
mod forest;
mod model;
mod numpy_sum;
mod schema;
mod scores;
mod tree;
mod validate;

pub use error::ForestError;
pub use forest::{Forest, Predictions};
pub use model::{Aggregation, ForestParts, Link, MissingValues, Provenance, Task};
pub use numpy_sum::numpy_sum;
pub use schema::{python_float_repr, FeatureRange, Label, Labels, Schema};
pub use tree::{NodeStats, Tree, LEAF};

/// Narrows one input value to float32 as sklearn does (`X.astype(np.float32)`), refusing what
/// sklearn refuses: infinities and finite values too large for float32. NaN passes through;
/// whether the model accepts it is [`Forest::check_rows`]'s call.
pub fn to_model_input(value: f64) -> Result<f32, &'static str> {
    if value.is_infinite() {
        return Err("infinity is not a valid input");
    }
    let narrowed = value as f32;
    if narrowed.is_infinite() {
        return Err("the value is too large for float32, which the model computes in");
    }
    Ok(narrowed)
}

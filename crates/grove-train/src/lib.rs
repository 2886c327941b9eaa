//! Training for grove: CART decision trees and random forests that grow the same trees as
//! scikit-learn 1.9.1 for the same data and seed, node for node and bit for bit.
//!
//! This crate owns the trainer: numpy's `RandomState` (MT19937 and the legacy `randint`),
//! sklearn's per-tree seeds and bootstrap weights, the splitter's xorshift and feature draws,
//! the gini/entropy/squared-error criteria, sklearn's introsort and partition (which fix the
//! order of every floating-point sum) and the depth-first builder. It produces
//! [`grove_forest::Tree`]s and, with [`forest_parts`], a whole [`grove_forest::ForestParts`].
//! It must not depend on anything async, HTTP, AWS or file-format related, and it prints
//! nothing: callers parse data, report progress and write models.
//!
//! Two evaluations grow the same trees. When every sum is a whole number (class counts under
//! bootstrap weights, integer-valued regression targets such as wine quality) the order of
//! summation cannot change a bit, and per-feature presorted lists replace sklearn's per-node
//! sorting. Otherwise (non-integer regression targets) samples are sorted and partitioned in
//! sklearn's exact order, so that the floating-point sums round as sklearn's do. Training with
//! missing values, sample or class weights, `max_leaf_nodes` and the random splitter are out of
//! scope.
//!
//! ```
//! use grove_train::*;
//! // Two features; the class is 1 exactly when the first feature exceeds 0.5.
//! let x = [0.25, 5.0, 0.75, 3.0, 0.25, 3.0, 0.75, 5.0];
//! let data = TrainData::new(&x, 2, Target::Classes { index: &[0, 1, 0, 1], n_classes: 2 })?;
//! let tree = fit_tree(&data, &TreeParams::classifier(0))?;
//! assert_eq!(tree.node_count(), 3);
//! assert_eq!((tree.feature[0], tree.threshold[0]), (0, 0.5));
//! # Ok::<(), TrainError>(())
//! ```

mod builder;
mod criterion;
mod data;
mod error;
mod exact;
mod forest;
mod params;
mod presorted;
mod rand_r;
mod rng;
mod sort;
mod splitter;

pub use data::{feature_ranges, Target, TrainData};
pub use error::TrainError;
pub use forest::{fit_forest, fit_tree, forest_parts, ModelInfo, Trained};
pub use params::{Criterion, ForestParams, MaxFeatures, TreeParams};
pub use rng::RandomState;

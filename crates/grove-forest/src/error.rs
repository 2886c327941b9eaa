//! The crate's one error type: problems with a model (found once, when it is built) or with
//! the rows given to it.

use thiserror::Error;

/// Everything that can be wrong with a model or with the rows given to it.
///
/// Model errors are found once, when a [`crate::Forest`] is built; input errors when rows are
/// checked ([`crate::Forest::check_rows`]). A validated model cannot fail on valid rows.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ForestError {
    /// A structural problem in one tree, found while validating it.
    #[error("tree {tree}, node {node}: {problem}")]
    InvalidNode {
        /// Index of the tree in the ensemble.
        tree: usize,
        /// Index of the node inside that tree.
        node: usize,
        /// What is wrong, in words.
        problem: String,
    },
    /// A problem with the model as a whole (schema, aggregation, sizes).
    #[error("invalid model: {0}")]
    InvalidModel(String),
    /// The rows handed to the model do not have the model's width.
    #[error(
        "expected {expected} values per row, got {got} values in total, which is not a multiple"
    )]
    RowWidth {
        /// The model's number of features.
        expected: usize,
        /// The length of the flat buffer that was given.
        got: usize,
    },
    /// A value that the model cannot take, as scikit-learn would refuse it.
    #[error("row {row}, feature `{feature}`: {problem}")]
    BadValue {
        /// Row index inside the batch.
        row: usize,
        /// Feature name from the schema.
        feature: String,
        /// What is wrong with it.
        problem: String,
    },
}

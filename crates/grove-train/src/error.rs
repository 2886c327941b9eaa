//! The crate's one error type: what stops a training run before the first tree grows.

use thiserror::Error;

/// Everything that can stop a training run; all of it is found before the first tree grows.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TrainError {
    /// The data's dimensions do not fit together.
    #[error("bad training data shape: {0}")]
    Shape(String),
    /// A feature value that sklearn's trainer would refuse (or route as missing).
    #[error(
        "X row {row}, column {column} is {value}: training with missing or non-finite values is \
         not supported (every value must be finite and fit in float32)"
    )]
    BadFeature {
        /// Row index in the training data.
        row: usize,
        /// Column index.
        column: usize,
        /// The offending value.
        value: f64,
    },
    /// A regression target that is NaN or infinite.
    #[error("target of row {row} is {value}: targets must be finite")]
    BadTarget {
        /// Row index in the training data.
        row: usize,
        /// The offending value.
        value: f64,
    },
    /// A class index outside the caller's label list.
    #[error("row {row} has class index {index}, but there are only {n_classes} classes")]
    ClassIndex {
        /// Row index in the training data.
        row: usize,
        /// The index found.
        index: u32,
        /// How many labels the caller declared.
        n_classes: usize,
    },
    /// A hyper-parameter sklearn would reject, or one that does not fit the task.
    #[error("invalid parameter `{name}`: {problem}")]
    Param {
        /// The parameter, spelled as sklearn spells it.
        name: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

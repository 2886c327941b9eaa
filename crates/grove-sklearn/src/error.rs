//! The crate's one error type: every refusal of an import, naming what and where.

use std::path::PathBuf;

use thiserror::Error;

/// Everything that can stop an import. Nothing in an input is ever executed, so every refusal
/// is one of these, never a side effect.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The pickle names a global that is not on the allow-list of data-only names.
    #[error(
        "refused `{name}` (byte {offset}): it is not one of the numpy/joblib/scikit-learn names \
         grove reads as data, and loading it would mean running code from the file"
    )]
    Forbidden {
        /// `module.name` as the pickle spells it.
        name: String,
        /// Byte offset of the opcode that named it.
        offset: usize,
    },
    /// An allowed name used in a way that would call it, which it does not support.
    #[error("refused to call `{name}` (byte {offset}): it is allowed only as data")]
    NotCallable {
        /// `module.name` of the global.
        name: String,
        /// Byte offset of the opcode.
        offset: usize,
    },
    /// The pickle stream is malformed, truncated, or asks for more than it holds.
    #[error("malformed pickle at byte {offset}: {problem}")]
    Pickle {
        /// Byte offset where the problem was found.
        offset: usize,
        /// What is wrong.
        problem: String,
    },
    /// The pickle nests deeper than grove follows.
    #[error("refused: the pickle nests deeper than {limit} levels (byte {offset})")]
    TooDeep {
        /// The limit that was hit.
        limit: usize,
        /// Byte offset where it was hit.
        offset: usize,
    },
    /// A compression grove cannot read.
    #[error("the file is compressed with {0}, which grove does not read (supported: zlib, gzip)")]
    Compression(String),
    /// The file is neither a pickle, a joblib file, an MLflow directory nor a skops archive.
    #[error("unrecognised input: {0}")]
    UnknownFormat(String),
    /// The estimator is not one grove imports.
    #[error("unsupported estimator `{estimator}`; supported: {supported}")]
    UnsupportedEstimator {
        /// Full class name of the estimator found.
        estimator: String,
        /// The list of supported estimators.
        supported: String,
    },
    /// A supported estimator configured in a way grove does not reproduce.
    #[error("`{estimator}`: {problem}")]
    Unsupported {
        /// Full class name of the estimator.
        estimator: String,
        /// What is not supported.
        problem: String,
    },
    /// The estimator's state does not have the shape its sklearn version writes.
    #[error("unexpected estimator state: `{estimator}`: {problem}")]
    Malformed {
        /// The estimator's class.
        estimator: String,
        /// What its state lacks or holds wrongly.
        problem: String,
    },
    /// The file's top-level object is not an estimator instance.
    #[error("unexpected estimator state: the file holds {found}, not an estimator")]
    NotAnEstimator {
        /// What it holds instead (`a list`, `a plain value`, …).
        found: String,
    },
    /// An MLflow model directory that grove cannot use.
    #[error("MLflow model: {0}")]
    Mlflow(String),
    /// A skops archive that grove cannot use.
    #[error("skops file: {0}")]
    Skops(String),
    /// Reading a file failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The imported model does not pass grove's model checks.
    #[error(transparent)]
    Model(#[from] grove_forest::ForestError),
}

impl ImportError {
    pub(crate) fn pickle(offset: usize, problem: impl Into<String>) -> ImportError {
        ImportError::Pickle { offset, problem: problem.into() }
    }
}

/// The crate's result type.
pub type Result<T, E = ImportError> = std::result::Result<T, E>;

//! Imports the scikit-learn tree ensembles users already have — pickle, joblib (plain, zlib,
//! gzip), MLflow model directories and skops archives — as [`grove_forest::ForestParts`],
//! without executing anything in the file.
//!
//! This crate owns the pickle reader (a stack machine whose globals resolve only against an
//! allow-list of numpy, joblib and sklearn names, each mapped to a typed builder of passive
//! data), the numpy array and dtype decoding, and the mapping of each supported estimator's
//! state to grove's model, reproducing what that sklearn release's `predict` and
//! `predict_proba` return. A name off the allow-list is refused with its `module.name` and
//! byte offset; lengths are checked against the input before anything is allocated.
//!
//! It must not depend on anything async, HTTP or AWS: it is a pure file-to-model library that
//! the CLI and servers call.
//!
//! Supported: `DecisionTreeClassifier`/`Regressor`, `ExtraTreeClassifier`/`Regressor`,
//! `RandomForestClassifier`/`Regressor`, `ExtraTreesClassifier`/`Regressor`,
//! `GradientBoostingClassifier` (binomial, exponential, multinomial losses) and
//! `GradientBoostingRegressor` (any loss), single-output, as written by sklearn 1.1 to 1.9.

mod error;
mod estimators;
mod joblib;
mod mlflow;
mod npy;
mod numpy;
mod pickle;
mod skops;

use std::path::Path;

use grove_forest::ForestParts;

pub use error::{ImportError, Result};

/// Choices the file cannot make for the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The name of the predicted quantity; `prediction` when absent.
    pub target_name: Option<String>,
    /// Feature names, overriding `feature_names_in_` (and `x0..` when the model has none).
    pub feature_names: Option<Vec<String>>,
    /// The model's served name; the file's stem when absent (`model` for bytes).
    pub name: Option<String>,
}

/// Loads a model from a pickle or joblib file, a `.skops` archive, or an MLflow model
/// directory (one holding an `MLmodel` file), sniffing which from its content.
pub fn load_path(path: &Path, opts: &ImportOptions) -> Result<ForestParts> {
    load_file(path, None, opts)
}

/// [`load_path`] for a file whose content the caller has read already (`bytes`; `None` reads
/// it, or names a directory), so a file is read once. `path` names the model (its stem) and
/// the messages.
pub fn load_file(path: &Path, bytes: Option<&[u8]>, opts: &ImportOptions) -> Result<ForestParts> {
    let mut opts = opts.clone();
    if opts.name.is_none() {
        let stem =
            path.file_name().and_then(|n| n.to_str()).map(|n| n.split('.').next().unwrap_or(n));
        opts.name = stem.filter(|s| !s.is_empty()).map(String::from);
    }
    let source = path.display().to_string();
    match bytes {
        Some(bytes) => from_bytes(bytes, &opts, Some(&source)),
        None if path.is_dir() => mlflow::load_dir(path, &opts, &source),
        None => from_bytes(&read(path)?, &opts, Some(&source)),
    }
}

/// Loads a model from the bytes of a pickle, joblib file or `.skops` archive.
pub fn load_bytes(bytes: &[u8], opts: &ImportOptions) -> Result<ForestParts> {
    from_bytes(bytes, opts, None)
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| ImportError::Io { path: path.to_path_buf(), source })
}

pub(crate) fn from_bytes(
    bytes: &[u8],
    opts: &ImportOptions,
    source: Option<&str>,
) -> Result<ForestParts> {
    if bytes.starts_with(b"PK\x03\x04") {
        return skops::load(bytes, opts, source);
    }
    let pickle = joblib::decompress(bytes)?;
    if !looks_like_pickle(&pickle) {
        return Err(ImportError::UnknownFormat(
            "not a pickle, joblib file (plain, zlib or gzip), skops archive or MLflow \
             directory"
                .into(),
        ));
    }
    let (doc, root) = pickle::load(&pickle)?;
    estimators::to_parts(&doc, root, opts, source)
}

/// Protocol 2+ pickles open with PROTO; protocols 0 and 1 with one of the opcodes a
/// top-level object can start with.
fn looks_like_pickle(bytes: &[u8]) -> bool {
    matches!(
        bytes.first(),
        Some(
            0x80 | b'('
                | b'c'
                | b']'
                | b'}'
                | b')'
                | b'N'
                | b'I'
                | b'L'
                | b'F'
                | b'V'
                | b'S'
                | b'X'
                | b'U'
                | b'T'
                | b'J'
                | b'K'
                | b'M'
                | b'G'
                | b'i'
        )
    )
}

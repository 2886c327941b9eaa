//! The one error type of the `.grove` reader and writer.

use thiserror::Error;

/// Why a `.grove` file could not be read or written.
#[derive(Debug, Error)]
pub enum FormatError {
    /// Reading or writing the file failed.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The bytes do not start with the `.grove` magic.
    #[error("not a .grove file (the first bytes are not the grove magic)")]
    NotGrove,
    /// A major version this build cannot read.
    #[error(
        "this is a .grove file of format version {major}.{minor}; this grove reads {supported}"
    )]
    UnsupportedVersion {
        /// The file's major version.
        major: u16,
        /// The file's minor version.
        minor: u16,
        /// What this build reads.
        supported: String,
    },
    /// The checksum does not match: the file is damaged or truncated.
    #[error("the checksum does not match (stored {stored:016x}, computed {computed:016x}): the file is damaged or truncated")]
    Checksum {
        /// The checksum in the file.
        stored: u64,
        /// The checksum of the bytes read.
        computed: u64,
    },
    /// The layout is inconsistent: lengths, offsets, the header.
    #[error("corrupt .grove file: {0}")]
    Corrupt(String),
    /// The file is intact but the model in it is invalid.
    #[error(transparent)]
    Model(#[from] grove_forest::ForestError),
}

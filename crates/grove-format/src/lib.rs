//! The `.grove` model file: what a trained or imported model is saved as, and what the server
//! and the Lambda function load.
//!
//! A fixed 40-byte prefix (magic, major and minor version, flags, lengths, an XXH3-64 checksum
//! of everything after it), a JSON header (names, labels, aggregation, provenance, and where
//! each array lies), then little-endian arrays at 8-byte-aligned offsets. `docs/format.md`
//! describes every field. Reading checks the magic, version, lengths and checksum before the
//! header is parsed, bounds-checks every array, and validates the model with
//! [`grove_forest::Forest::new`]: a file that loads is a model that predicts.
//!
//! It depends only on the model crate; nothing async, HTTP or AWS.

mod error;
mod layout;
mod read;
mod write;

use std::path::Path;

pub use error::FormatError;
pub use layout::{MAGIC, MAJOR, MINOR};
pub use read::from_bytes;
pub use write::to_bytes;

use grove_forest::Forest;

/// The checksum the file carries: XXH3-64 of every byte after the fixed prefix. Also a
/// content identity for a model (it changes when any byte of the model changes).
pub fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The checksum a `.grove` file's prefix records (not verified here: [`from_bytes`] does that).
/// It identifies the model's content without encoding the model again.
pub fn stored_checksum(bytes: &[u8]) -> Option<u64> {
    let field = bytes.get(32..40).filter(|_| is_grove(bytes))?;
    Some(u64::from_le_bytes(field.try_into().ok()?))
}

/// Whether `bytes` start like a `.grove` file.
pub fn is_grove(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Reads a model from a `.grove` file.
pub fn read_file(path: &Path) -> Result<Forest, FormatError> {
    let bytes = std::fs::read(path)
        .map_err(|error| FormatError::Io { path: path.display().to_string(), error })?;
    from_bytes(&bytes)
}

/// Writes a model to a `.grove` file, through a temporary file renamed into place, so that a
/// reader never sees half a file.
pub fn write_file(path: &Path, forest: &Forest) -> Result<(), FormatError> {
    let io = |error| FormatError::Io { path: path.display().to_string(), error };
    let tmp = path.with_extension("grove.tmp");
    std::fs::write(&tmp, to_bytes(forest)).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

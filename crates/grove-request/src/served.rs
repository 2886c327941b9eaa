//! A model as every front end serves it: the validated forest, the version each answer names
//! (a feed's version, or one derived from the model's bytes) and the feature index the
//! streaming decoder reads names with.

use grove_forest::Forest;

use crate::values_stream::FeatureIndex;

/// A model as it is served: the validated forest and the version every answer carries.
#[derive(Debug, Clone)]
pub struct ServedModel {
    /// The model.
    pub forest: Forest,
    /// The version reported in answers and V2 metadata.
    pub version: String,
    /// The features by name, for the streaming `values` decoder.
    pub(crate) index: FeatureIndex,
}

impl ServedModel {
    /// Serves `forest` under an explicit version (an S3 version id, a label).
    pub fn new(forest: Forest, version: impl Into<String>) -> ServedModel {
        let index = FeatureIndex::new(&forest.schema().features);
        ServedModel { forest, version: version.into(), index }
    }

    /// Serves `forest` under a version derived from its content: the first 12 hex digits of
    /// the checksum of its `.grove` encoding, so the same model always has the same version.
    pub fn with_content_version(forest: Forest) -> ServedModel {
        let sum = grove_format::stored_checksum(&grove_format::to_bytes(&forest));
        ServedModel::new(forest, content_version(sum.unwrap_or_default()))
    }

    /// Loads a `.grove` file's bytes and serves the model under its content version, read
    /// from the file's own checksum: what [`ServedModel::with_content_version`] gives the same
    /// model, without encoding it again at every start.
    pub fn from_grove_bytes(bytes: &[u8]) -> Result<ServedModel, grove_format::FormatError> {
        let forest = grove_format::from_bytes(bytes)?;
        let sum = grove_format::stored_checksum(bytes).unwrap_or_default();
        Ok(ServedModel::new(forest, content_version(sum)))
    }

    /// The served name (`wine-quality`).
    pub fn name(&self) -> &str {
        self.forest.name()
    }
}

/// Bounds on what one request may ask, so that no caller can make the server allocate without
/// limit. The defaults are well above one 6497-row batch (about 1.7 MB in the tutorial's JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest body read, in bytes.
    pub max_body_bytes: usize,
    /// The most rows predicted in one request.
    pub max_rows: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        // Bodies are parsed whole before rows are counted, at roughly 50-100 bytes of memory
        // per JSON value: 8 MiB bounds that while leaving room for 4× the tutorial's batch.
        Limits { max_body_bytes: 8 * 1024 * 1024, max_rows: 100_000 }
    }
}

fn content_version(checksum: u64) -> String {
    format!("{checksum:016x}")[..12].to_string()
}

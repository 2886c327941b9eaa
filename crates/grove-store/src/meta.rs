//! What grove records about a version as S3 object metadata (`x-amz-meta-grove-*`), and the
//! version listing.

use std::collections::HashMap;

use grove_forest::{Forest, Labels};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};

/// Metadata keys (S3 adds the `x-amz-meta-` prefix).
pub(crate) const CHECKSUM: &str = "grove-checksum";
pub(crate) const SCHEMA: &str = "grove-schema";
pub(crate) const FEATURES: &str = "grove-features";
pub(crate) const TARGET: &str = "grove-target";
pub(crate) const CLASSES: &str = "grove-classes";
pub(crate) const MODEL: &str = "grove-model";
pub(crate) const LABEL: &str = "grove-label";

/// A digest of what a client relies on: feature names in order, the target, the classes.
/// Two models with the same digest accept the same requests and answer in the same terms.
pub fn schema_digest(forest: &Forest) -> String {
    let schema = json!({
        "features": forest.schema().features,
        "target": forest.schema().target,
        "classes": forest.classes().map_or(Value::Null, labels_json),
    });
    format!("{:016x}", grove_format::checksum(schema.to_string().as_bytes()))
}

/// The classes as the digest has always spelled them (`{"type": "int", "values": [3, 4]}`):
/// written out here, because the digests already stored with pushed versions must not move
/// when the model type changes.
fn labels_json(labels: &Labels) -> Value {
    let (kind, values) = match labels {
        Labels::Int(v) => ("int", json!(v)),
        Labels::Float(v) => ("float", json!(v)),
        Labels::Str(v) => ("str", json!(v)),
        Labels::Bool(v) => ("bool", json!(v)),
    };
    json!({"type": kind, "values": values})
}

/// `12 features → quality (7 classes)`, or `→ price (regression)`.
pub fn schema_summary(
    features: Option<usize>,
    target: Option<&str>,
    classes: Option<usize>,
) -> String {
    let features = features.map_or_else(|| "? features".to_string(), |n| format!("{n} features"));
    let target = target.unwrap_or("?");
    let task = match classes {
        Some(0) => "regression".to_string(),
        Some(n) => format!("{n} classes"),
        None => "?".to_string(),
    };
    format!("{features} → {target} ({task})")
}

/// The metadata pushed with a model.
pub(crate) fn metadata(
    bytes: &[u8],
    forest: &Forest,
    label: Option<&str>,
) -> HashMap<String, String> {
    let mut m = HashMap::new();
    m.insert(CHECKSUM.into(), format!("{:016x}", grove_format::checksum(bytes)));
    m.insert(SCHEMA.into(), schema_digest(forest));
    m.insert(FEATURES.into(), forest.n_features().to_string());
    m.insert(TARGET.into(), encode(&forest.schema().target));
    m.insert(CLASSES.into(), forest.classes().map_or(0, |c| c.len()).to_string());
    m.insert(MODEL.into(), encode(forest.name()));
    if let Some(label) = label {
        m.insert(LABEL.into(), label.to_string());
    }
    m
}

/// S3 metadata is printable ASCII: control bytes, `%` (the escape itself) and every non-ASCII
/// byte are percent-encoded.
const METADATA: &AsciiSet = &CONTROLS.add(b'%');

fn encode(value: &str) -> String {
    utf8_percent_encode(value, METADATA).to_string()
}

/// Metadata written by other tools may carry any `%`: a malformed escape is kept as it is.
fn decode(value: &str) -> String {
    percent_decode_str(value).decode_utf8_lossy().into_owned()
}

/// One version of a model in S3, as `grove models` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// The S3 version id: what `x-model-version` names when this version is served.
    pub version_id: String,
    /// Whether it is the version a plain GET (and a reload) reads.
    pub is_latest: bool,
    /// When it was written (RFC 3339).
    pub last_modified: Option<String>,
    /// Its size in bytes.
    pub size: Option<i64>,
    /// The human label given at push.
    pub label: Option<String>,
    /// XXH3-64 of the whole file, 16 hex digits.
    pub checksum: Option<String>,
    /// [`schema_digest`] of the model.
    pub schema: Option<String>,
    /// Number of features.
    pub features: Option<usize>,
    /// The target's name.
    pub target: Option<String>,
    /// Number of classes (0 for a regressor).
    pub classes: Option<usize>,
    /// The model's served name.
    pub model: Option<String>,
}

impl VersionInfo {
    /// A version described by its object metadata (absent for objects not pushed by grove).
    pub(crate) fn from_metadata(
        version_id: String,
        metadata: Option<&HashMap<String, String>>,
    ) -> VersionInfo {
        let get = |k: &str| metadata.and_then(|m| m.get(k)).map(|v| decode(v));
        VersionInfo {
            version_id,
            is_latest: false,
            last_modified: None,
            size: None,
            label: get(LABEL),
            checksum: get(CHECKSUM),
            schema: get(SCHEMA),
            features: get(FEATURES).and_then(|v| v.parse().ok()),
            target: get(TARGET),
            classes: get(CLASSES).and_then(|v| v.parse().ok()),
            model: get(MODEL),
        }
    }

    /// `12 features → quality (7 classes)`; `not pushed by grove` without metadata.
    pub fn schema_summary(&self) -> String {
        if self.schema.is_none() && self.features.is_none() {
            return "(no grove metadata)".to_string();
        }
        schema_summary(self.features, self.target.as_deref(), self.classes)
    }

    /// The version as JSON (`grove models --json`).
    pub fn to_json(&self) -> Value {
        json!({
            "version_id": self.version_id,
            "latest": self.is_latest,
            "last_modified": self.last_modified,
            "size": self.size,
            "label": self.label,
            "checksum": self.checksum,
            "schema": self.schema,
            "features": self.features,
            "target": self.target,
            "classes": self.classes,
            "model": self.model,
            "schema_summary": self.schema_summary(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_round_trips_non_ascii() {
        for s in ["quality", "qualité %", "", "a%2"] {
            assert_eq!(decode(&encode(s)), s);
            assert!(encode(s).is_ascii());
        }
    }

    /// XXH3-64 of `{"features":[…the twelve wine features…],"target":"quality","classes":
    /// {"type":"int","values":[3,4,5,6,7,8,9]}}`, computed outside grove (Python's `xxhash`).
    const WINE_DIGEST: &str = "89cb8b2b6769e995";

    #[test]
    fn the_schema_digest_ignores_trees_but_not_features() {
        let wine = grove_builtin::wine_quality().expect("the built-in");
        let mut parts = wine.parts().clone();
        parts.name = "renamed".into();
        let renamed = Forest::new(parts.clone()).expect("valid");
        assert_eq!(schema_digest(&wine), schema_digest(&renamed));
        // The digest of the built-in as pushed versions carry it: it must never move.
        assert_eq!(schema_digest(&wine), WINE_DIGEST);
        parts.schema.target = "grade".into();
        let retargeted = Forest::new(parts).expect("valid");
        assert_ne!(schema_digest(&wine), schema_digest(&retargeted));
        assert_eq!(
            schema_summary(Some(12), Some("quality"), Some(7)),
            "12 features → quality (7 classes)"
        );
    }
}

//! The fixed part of the file and the JSON header: the on-disk structures, kept apart from the
//! in-memory model so that the model can change without changing the format.
//!
//! Every header type here has its own serde spelling and explicit conversions to and from
//! `grove-forest`'s model types, which carry no serde derives: renaming a variant or a field of
//! the model is a compile error in the conversions below, never a silent change of the file.
//! The spelling is the one `docs/format.md` documents and the committed files of past versions
//! use (`tests/format.rs` holds today's output to them byte for byte).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use grove_forest::{
    Aggregation, FeatureRange, Labels, Link, MissingValues, Provenance, Schema, Task,
};

/// `\x89` keeps the file from being taken for text; `\r\n` reveals line-ending conversion.
pub const MAGIC: [u8; 8] = *b"\x89GROVE\r\n";
/// The format's major version: a reader refuses another major.
pub const MAJOR: u16 = 1;
/// The format's minor version: additions a reader of the same major may ignore.
pub const MINOR: u16 = 0;
/// Bytes before the JSON header: magic, major, minor, flags, header length, body length,
/// checksum.
pub const FIXED_LEN: usize = 40;
/// Every array in the body starts at a multiple of this, so it can be viewed in place.
pub const ALIGN: usize = 8;

/// The JSON header.
#[derive(Debug, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub schema: HeaderSchema,
    pub task: HeaderTask,
    pub aggregation: HeaderAggregation,
    pub missing: HeaderMissing,
    pub provenance: HeaderProvenance,
    /// Values per node: the class count for forests of classifier trees, else 1.
    pub value_width: usize,
    /// Node count of each tree; the arrays hold the trees one after another.
    pub tree_node_counts: Vec<usize>,
    /// Where each array lies in the body.
    pub arrays: Vec<ArrayEntry>,
}

/// `schema`: feature names, target, training ranges.
#[derive(Debug, Serialize, Deserialize)]
pub struct HeaderSchema {
    pub features: Vec<String>,
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_ranges: Option<Vec<HeaderRange>>,
}

/// One `schema.feature_ranges` entry.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct HeaderRange {
    pub min: f64,
    pub max: f64,
}

/// `task`: `{"kind": "classifier", "classes": {...}}` or `{"kind": "regressor"}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum HeaderTask {
    Classifier { classes: HeaderLabels },
    Regressor,
}

/// `task.classes`: `{"type": "int" | "float" | "str" | "bool", "values": [...]}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "values", rename_all = "lowercase")]
pub enum HeaderLabels {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Str(Vec<String>),
    Bool(Vec<bool>),
}

/// `aggregation`: `{"kind": "mean"}` or `{"kind": "additive", ...}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum HeaderAggregation {
    Mean,
    Additive { init: Vec<f64>, learning_rate: f64, link: HeaderLink, tree_outputs: Vec<u32> },
}

/// `aggregation.link`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderLink {
    Identity,
    Sigmoid,
    SigmoidProbaArgmax,
    Softmax,
}

/// `missing`: `"route"` or `"refuse"`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderMissing {
    Route,
    Refuse,
}

/// `provenance`.
#[derive(Debug, Serialize, Deserialize)]
pub struct HeaderProvenance {
    pub origin: String,
    pub estimator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    pub created_at: String,
    pub grove_version: String,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// One array of the body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArrayEntry {
    pub name: String,
    pub dtype: Dtype,
    /// Byte offset from the start of the body; a multiple of [`ALIGN`].
    pub offset: usize,
    /// Number of elements.
    pub len: usize,
}

/// Element types, all little-endian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dtype {
    I32,
    U64,
    F64,
    U8,
    /// A type from a newer minor version: the array is skipped unless this reader needs it.
    #[serde(other)]
    Unknown,
}

impl Dtype {
    pub fn size(self) -> usize {
        match self {
            Dtype::I32 => 4,
            Dtype::U64 | Dtype::F64 => 8,
            Dtype::U8 => 1,
            Dtype::Unknown => 0,
        }
    }
}

impl From<&Schema> for HeaderSchema {
    fn from(s: &Schema) -> HeaderSchema {
        HeaderSchema {
            features: s.features.clone(),
            target: s.target.clone(),
            feature_ranges: s
                .feature_ranges
                .as_ref()
                .map(|r| r.iter().map(|r| HeaderRange { min: r.min, max: r.max }).collect()),
        }
    }
}

impl From<HeaderSchema> for Schema {
    fn from(s: HeaderSchema) -> Schema {
        Schema {
            features: s.features,
            target: s.target,
            feature_ranges: s
                .feature_ranges
                .map(|r| r.into_iter().map(|r| FeatureRange { min: r.min, max: r.max }).collect()),
        }
    }
}

impl From<&Labels> for HeaderLabels {
    fn from(l: &Labels) -> HeaderLabels {
        match l {
            Labels::Int(v) => HeaderLabels::Int(v.clone()),
            Labels::Float(v) => HeaderLabels::Float(v.clone()),
            Labels::Str(v) => HeaderLabels::Str(v.clone()),
            Labels::Bool(v) => HeaderLabels::Bool(v.clone()),
        }
    }
}

impl From<HeaderLabels> for Labels {
    fn from(l: HeaderLabels) -> Labels {
        match l {
            HeaderLabels::Int(v) => Labels::Int(v),
            HeaderLabels::Float(v) => Labels::Float(v),
            HeaderLabels::Str(v) => Labels::Str(v),
            HeaderLabels::Bool(v) => Labels::Bool(v),
        }
    }
}

impl From<&Task> for HeaderTask {
    fn from(t: &Task) -> HeaderTask {
        match t {
            Task::Classifier { classes } => HeaderTask::Classifier { classes: classes.into() },
            Task::Regressor => HeaderTask::Regressor,
        }
    }
}

impl From<HeaderTask> for Task {
    fn from(t: HeaderTask) -> Task {
        match t {
            HeaderTask::Classifier { classes } => Task::Classifier { classes: classes.into() },
            HeaderTask::Regressor => Task::Regressor,
        }
    }
}

impl From<Link> for HeaderLink {
    fn from(l: Link) -> HeaderLink {
        match l {
            Link::Identity => HeaderLink::Identity,
            Link::Sigmoid => HeaderLink::Sigmoid,
            Link::SigmoidProbaArgmax => HeaderLink::SigmoidProbaArgmax,
            Link::Softmax => HeaderLink::Softmax,
        }
    }
}

impl From<HeaderLink> for Link {
    fn from(l: HeaderLink) -> Link {
        match l {
            HeaderLink::Identity => Link::Identity,
            HeaderLink::Sigmoid => Link::Sigmoid,
            HeaderLink::SigmoidProbaArgmax => Link::SigmoidProbaArgmax,
            HeaderLink::Softmax => Link::Softmax,
        }
    }
}

impl From<&Aggregation> for HeaderAggregation {
    fn from(a: &Aggregation) -> HeaderAggregation {
        match a {
            Aggregation::Mean => HeaderAggregation::Mean,
            Aggregation::Additive { init, learning_rate, link, tree_outputs } => {
                HeaderAggregation::Additive {
                    init: init.clone(),
                    learning_rate: *learning_rate,
                    link: (*link).into(),
                    tree_outputs: tree_outputs.clone(),
                }
            }
        }
    }
}

impl From<HeaderAggregation> for Aggregation {
    fn from(a: HeaderAggregation) -> Aggregation {
        match a {
            HeaderAggregation::Mean => Aggregation::Mean,
            HeaderAggregation::Additive { init, learning_rate, link, tree_outputs } => {
                Aggregation::Additive { init, learning_rate, link: link.into(), tree_outputs }
            }
        }
    }
}

impl From<MissingValues> for HeaderMissing {
    fn from(m: MissingValues) -> HeaderMissing {
        match m {
            MissingValues::Route => HeaderMissing::Route,
            MissingValues::Refuse => HeaderMissing::Refuse,
        }
    }
}

impl From<HeaderMissing> for MissingValues {
    fn from(m: HeaderMissing) -> MissingValues {
        match m {
            HeaderMissing::Route => MissingValues::Route,
            HeaderMissing::Refuse => MissingValues::Refuse,
        }
    }
}

impl From<&Provenance> for HeaderProvenance {
    fn from(p: &Provenance) -> HeaderProvenance {
        HeaderProvenance {
            origin: p.origin.clone(),
            estimator: p.estimator.clone(),
            source: p.source.clone(),
            source_version: p.source_version.clone(),
            created_at: p.created_at.clone(),
            grove_version: p.grove_version.clone(),
            params: p.params.clone(),
        }
    }
}

impl From<HeaderProvenance> for Provenance {
    fn from(p: HeaderProvenance) -> Provenance {
        Provenance {
            origin: p.origin,
            estimator: p.estimator,
            source: p.source,
            source_version: p.source_version,
            created_at: p.created_at,
            grove_version: p.grove_version,
            params: p.params,
        }
    }
}

//! The fixed part of the file and the JSON header: the on-disk structures, kept apart from the
//! in-memory model so that the model can change without changing the format.

use serde::{Deserialize, Serialize};

use grove_forest::{Aggregation, MissingValues, Provenance, Schema, Task};

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
    pub schema: Schema,
    pub task: Task,
    pub aggregation: Aggregation,
    pub missing: MissingValues,
    pub provenance: Provenance,
    /// Values per node: the class count for forests of classifier trees, else 1.
    pub value_width: usize,
    /// Node count of each tree; the arrays hold the trees one after another.
    pub tree_node_counts: Vec<usize>,
    /// Where each array lies in the body.
    pub arrays: Vec<ArrayEntry>,
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

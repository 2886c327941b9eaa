//! Reading `.grove` bytes back into a validated model: the fixed header, the JSON header and
//! each array checked against the file's length and alignment before anything is trusted.

use grove_forest::{Forest, ForestParts, NodeStats, Tree};

use crate::layout::{ArrayEntry, Dtype, Header, ALIGN, FIXED_LEN, MAGIC, MAJOR};
use crate::FormatError;

fn corrupt(msg: impl Into<String>) -> FormatError {
    FormatError::Corrupt(msg.into())
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Reads and validates a model from `.grove` bytes.
///
/// Checks, in order: magic, major version, lengths, checksum, header, array bounds; then the
/// model itself is validated by [`Forest::new`].
pub fn from_bytes(bytes: &[u8]) -> Result<Forest, FormatError> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(FormatError::NotGrove);
    }
    if bytes.len() < FIXED_LEN {
        return Err(corrupt(format!("{} bytes is shorter than the fixed header", bytes.len())));
    }
    let major = u16::from_le_bytes([bytes[8], bytes[9]]);
    let minor = u16::from_le_bytes([bytes[10], bytes[11]]);
    if major != MAJOR {
        return Err(FormatError::UnsupportedVersion {
            major,
            minor,
            supported: format!("{MAJOR}.x"),
        });
    }
    let flags = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]);
    if flags != 0 {
        return Err(FormatError::UnsupportedVersion {
            major,
            minor,
            supported: format!("{MAJOR}.x without flags (this file sets flags {flags:#x})"),
        });
    }
    let header_len = u64_at(bytes, 16);
    let body_len = u64_at(bytes, 24);
    let expected = (FIXED_LEN as u64).checked_add(header_len).and_then(|n| n.checked_add(body_len));
    if expected != Some(bytes.len() as u64) {
        return Err(corrupt(format!(
            "the header says {header_len} + {body_len} bytes follow the fixed part, but the file has {}",
            bytes.len() - FIXED_LEN
        )));
    }
    let stored = u64_at(bytes, 32);
    let computed = crate::checksum(&bytes[FIXED_LEN..]);
    if stored != computed {
        return Err(FormatError::Checksum { stored, computed });
    }
    let header_end = FIXED_LEN + header_len as usize;
    let header: Header = serde_json::from_slice(&bytes[FIXED_LEN..header_end])
        .map_err(|e| corrupt(format!("header: {e}")))?;
    let parts = assemble(header, &bytes[header_end..])?;
    Ok(Forest::new(parts)?)
}

struct Body<'a> {
    bytes: &'a [u8],
    entries: &'a [ArrayEntry],
}

impl<'a> Body<'a> {
    /// The raw bytes of array `name`, checked against its expected type and length.
    fn raw(&self, name: &str, dtype: Dtype, len: usize) -> Result<Option<&'a [u8]>, FormatError> {
        let Some(e) = self.entries.iter().find(|e| e.name == name) else { return Ok(None) };
        if e.dtype != dtype || e.len != len {
            return Err(corrupt(format!(
                "array `{name}` is {:?}×{}, expected {dtype:?}×{len}",
                e.dtype, e.len
            )));
        }
        let size = len.checked_mul(dtype.size()).ok_or_else(|| corrupt("array size overflows"))?;
        let end = e.offset.checked_add(size).filter(|&end| end <= self.bytes.len());
        match end {
            Some(end) if e.offset % ALIGN == 0 => Ok(Some(&self.bytes[e.offset..end])),
            _ => Err(corrupt(format!("array `{name}` lies outside the body or is misaligned"))),
        }
    }

    fn required(&self, name: &str, dtype: Dtype, len: usize) -> Result<&'a [u8], FormatError> {
        self.raw(name, dtype, len)?.ok_or_else(|| corrupt(format!("array `{name}` is missing")))
    }
}

fn i32s(b: &[u8]) -> impl Iterator<Item = i32> + '_ {
    b.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

fn f64s(b: &[u8]) -> impl Iterator<Item = f64> + '_ {
    b.chunks_exact(8).map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
}

fn u64s(b: &[u8]) -> impl Iterator<Item = u64> + '_ {
    b.chunks_exact(8).map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
}

fn assemble(h: Header, body: &[u8]) -> Result<ForestParts, FormatError> {
    let body = Body { bytes: body, entries: &h.arrays };
    let n: usize = h
        .tree_node_counts
        .iter()
        .try_fold(0usize, |acc, &c| acc.checked_add(c))
        .ok_or_else(|| corrupt("node counts overflow"))?;
    let w = h.value_width;
    let nw = n.checked_mul(w).ok_or_else(|| corrupt("value array size overflows"))?;
    let left = body.required("children_left", Dtype::I32, n)?;
    let right = body.required("children_right", Dtype::I32, n)?;
    let feature = body.required("feature", Dtype::I32, n)?;
    let threshold = body.required("threshold", Dtype::F64, n)?;
    let missing = body.required("missing_go_to_left", Dtype::U8, n)?;
    let value = body.required("value", Dtype::F64, nw)?;
    let samples = body.raw("n_node_samples", Dtype::U64, n)?;
    let weighted = body.raw("weighted_n_node_samples", Dtype::F64, n)?;
    let impurity = body.raw("impurity", Dtype::F64, n)?;
    let stats = match (samples, weighted, impurity) {
        (Some(s), Some(wt), Some(i)) => Some((s, wt, i)),
        (None, None, None) => None,
        _ => return Err(corrupt("node statistics are partly present")),
    };

    let mut trees = Vec::with_capacity(h.tree_node_counts.len());
    let mut start = 0;
    for &count in &h.tree_node_counts {
        let r = start..start + count;
        let (b4, b8) = (4 * r.start..4 * r.end, 8 * r.start..8 * r.end);
        trees.push(Tree {
            children_left: i32s(&left[b4.clone()]).collect(),
            children_right: i32s(&right[b4.clone()]).collect(),
            feature: i32s(&feature[b4]).collect(),
            threshold: f64s(&threshold[b8.clone()]).collect(),
            missing_go_to_left: missing[r.clone()].iter().map(|&b| b != 0).collect(),
            value: f64s(&value[8 * w * r.start..8 * w * r.end]).collect(),
            stats: stats.map(|(s, wt, i)| NodeStats {
                n_node_samples: u64s(&s[b8.clone()]).collect(),
                weighted_n_node_samples: f64s(&wt[b8.clone()]).collect(),
                impurity: f64s(&i[b8.clone()]).collect(),
            }),
        });
        start = r.end;
    }
    let parts = ForestParts {
        name: h.name,
        schema: h.schema.into(),
        task: h.task.into(),
        aggregation: h.aggregation.into(),
        missing: h.missing.into(),
        trees,
        provenance: h.provenance.into(),
    };
    if parts.value_width() != w {
        return Err(corrupt(format!(
            "value width {w} does not fit the task ({})",
            parts.value_width()
        )));
    }
    Ok(parts)
}

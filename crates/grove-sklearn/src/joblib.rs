//! joblib files: a pickle in which each numpy array is a `NumpyArrayWrapper` followed by the
//! array's bytes (read by the pickle machine), optionally compressed as a whole.

use std::borrow::Cow;
use std::io::Read;

use crate::error::{ImportError, Result};

/// Decompressed joblib files larger than this are refused rather than inflated.
const MAX_DECOMPRESSED: u64 = 2 << 30;

/// The compressions joblib writes, by their magic bytes, and whether grove reads them.
const MAGICS: &[(&[u8], &str)] = &[
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ", "xz"),
    (b"BZh", "bz2"),
    (b"\x5d\x00", "lzma"),
    (b"\x04\x22\x4d\x18", "lz4"),
    (b"ZF", "joblib's pre-0.10 zfile format"),
];

/// The compression of a joblib file, named, or `None` when it is not compressed.
pub(crate) fn compression(bytes: &[u8]) -> Option<&'static str> {
    // zlib: one byte of method, one of flags making the pair a multiple of 31. 0x78 is not a
    // pickle opcode, so no pickle starts this way.
    if let [0x78, flg, ..] = bytes {
        if (0x78u16 * 256 + u16::from(*flg)).is_multiple_of(31) {
            return Some("zlib");
        }
    }
    MAGICS.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, name)| *name)
}

/// The pickle inside a possibly compressed joblib file.
pub(crate) fn decompress(bytes: &[u8]) -> Result<Cow<'_, [u8]>> {
    let Some(kind) = compression(bytes) else {
        return Ok(Cow::Borrowed(bytes));
    };
    let reader: Box<dyn Read + '_> = match kind {
        "zlib" => Box::new(flate2::read::ZlibDecoder::new(bytes)),
        "gzip" => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
        other => return Err(ImportError::Compression(other.into())),
    };
    // Deflate cannot expand more than about 1032:1, so a larger output is not a real file.
    let cap =
        MAX_DECOMPRESSED.min((bytes.len() as u64).saturating_mul(1100).saturating_add(1 << 20));
    let mut out = Vec::new();
    reader
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| ImportError::UnknownFormat(format!("the {kind} stream is corrupt: {e}")))?;
    if out.len() as u64 > cap {
        return Err(ImportError::UnknownFormat(format!(
            "the {kind} stream inflates past {cap} bytes; refused"
        )));
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magics_are_named() {
        assert_eq!(compression(b"\x78\x9c..."), Some("zlib"));
        assert_eq!(compression(b"\x78\x00"), None);
        assert_eq!(compression(b"\x1f\x8b\x08"), Some("gzip"));
        assert_eq!(compression(b"BZh91AY"), Some("bz2"));
        assert_eq!(compression(b"\x80\x04\x95"), None);
        let e = decompress(b"\xfd7zXZ\x00\x00").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("xz")));
    }
}

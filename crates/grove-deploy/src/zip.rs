//! The `bootstrap.zip` Lambda's `provided.al2023` runtime unpacks into `LAMBDA_TASK_ROOT`: the
//! executable `bootstrap` (mode 0755) and, for a model that is not built in, `model.grove`.
//! Entries have fixed timestamps, so the same inputs give the same bytes (and the same
//! `CodeSha256`, which is how a second deploy sees the code is unchanged).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::{DeployError, Result};

/// The executable's name in the zip (what the runtime runs).
pub const BOOTSTRAP: &str = "bootstrap";
/// The model's name in the zip; `GROVE_MODEL=model.grove` names it, relative to the task root.
pub const MODEL: &str = "model.grove";

/// Writes the zip: `bootstrap` (0755) and, when given, `model.grove` (0644).
pub fn lambda_zip(bootstrap: &[u8], model: Option<&[u8]>) -> Result<Vec<u8>> {
    let bad =
        |e: &dyn std::fmt::Display| DeployError::Archive { what: "zip", message: e.to_string() };
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .large_file(false);
    writer.start_file(BOOTSTRAP, options.unix_permissions(0o755)).map_err(|e| bad(&e))?;
    writer.write_all(bootstrap).map_err(|e| bad(&e))?;
    if let Some(model) = model {
        writer.start_file(MODEL, options.unix_permissions(0o644)).map_err(|e| bad(&e))?;
        writer.write_all(model).map_err(|e| bad(&e))?;
    }
    Ok(writer.finish().map_err(|e| bad(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_zip_holds_an_executable_bootstrap_and_the_model() {
        let bytes = lambda_zip(b"\x7fELF fake", Some(b"model bytes")).unwrap();
        assert_eq!(bytes, lambda_zip(b"\x7fELF fake", Some(b"model bytes")).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut entry = archive.by_name(BOOTSTRAP).unwrap();
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o755));
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        assert_eq!(text, b"\x7fELF fake");
        drop(entry);
        assert_eq!(archive.by_name(MODEL).unwrap().unix_mode().map(|m| m & 0o777), Some(0o644));
    }

    #[test]
    fn without_a_model_only_the_bootstrap() {
        let bytes = lambda_zip(b"x", None).unwrap();
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 1);
        assert!(archive.index_for_name(BOOTSTRAP).is_some());
    }
}

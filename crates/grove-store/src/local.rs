//! Models on this machine: a built-in's embedded bytes, or a file read once, whose first bytes
//! decide whether it is a `.grove` model or one for an [`Importer`].

use std::borrow::Cow;
use std::error::Error;
use std::path::{Path, PathBuf};

use grove_forest::Forest;
use grove_request::ServedModel;

use crate::{ModelLocation, StoreError};

/// Reads models that are not `.grove` files (pickle, joblib, skops, an MLflow directory).
/// The store itself reads only `.grove`: the CLI supplies scikit-learn's reader, so the
/// importer is linked only where a caller passes one (never into the Lambda binary).
pub trait Importer: Sync {
    /// The model at `path`; `bytes` is the file's content as already read (`None` for a
    /// directory), so nothing is read twice.
    fn import(
        &self,
        path: &Path,
        bytes: Option<&[u8]>,
    ) -> Result<Forest, Box<dyn Error + Send + Sync>>;
}

/// A local model, read once: `.grove` bytes, or a file or directory for an importer.
#[derive(Debug)]
pub struct LocalModel {
    location: ModelLocation,
    content: Content,
}

#[derive(Debug)]
enum Content {
    /// A built-in's embedded bytes or a `.grove` file's.
    Grove(Cow<'static, [u8]>),
    /// Anything else: a file and its bytes, or a directory (no bytes).
    Foreign { path: PathBuf, bytes: Option<Vec<u8>> },
}

/// Opens a built-in or a local file: reads it once and looks at its first bytes. An S3
/// location is an error here (it needs the network: [`crate::load`] or [`crate::S3Store`]).
pub fn open_local(location: &ModelLocation) -> Result<LocalModel, StoreError> {
    let content = match location {
        ModelLocation::Builtin(name) => match grove_builtin::bytes_by_name(name) {
            Some(bytes) => Content::Grove(Cow::Borrowed(bytes)),
            None => return Err(StoreError::UnknownBuiltin(name.clone())),
        },
        ModelLocation::File(path) if path.is_dir() => {
            Content::Foreign { path: path.clone(), bytes: None }
        }
        ModelLocation::File(path) => {
            let bytes = std::fs::read(path).map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => {
                    StoreError::NoSuchModel { location: location.to_string() }
                }
                _ => StoreError::Io { location: location.to_string(), source },
            })?;
            if grove_format::is_grove(&bytes) {
                Content::Grove(Cow::Owned(bytes))
            } else {
                Content::Foreign { path: path.clone(), bytes: Some(bytes) }
            }
        }
        ModelLocation::S3(_) => {
            return Err(StoreError::NotLocal { location: location.to_string() });
        }
    };
    Ok(LocalModel { location: location.clone(), content })
}

impl LocalModel {
    /// Where it was read from.
    pub fn location(&self) -> &ModelLocation {
        &self.location
    }

    /// Whether it is a `.grove` model (built-in or file), which needs no importer.
    pub fn is_grove(&self) -> bool {
        matches!(self.content, Content::Grove(_))
    }

    /// The model, validated: `.grove` bytes decoded, anything else imported. Without an
    /// importer, a file that is not `.grove` is refused as an invalid model.
    pub fn forest(self, importer: Option<&dyn Importer>) -> Result<Forest, StoreError> {
        match self.content {
            Content::Grove(bytes) => {
                grove_format::from_bytes(&bytes).map_err(invalid(&self.location))
            }
            Content::Foreign { path, bytes } => {
                import(&self.location, &path, bytes.as_deref(), importer)
            }
        }
    }

    /// The model to serve: a `.grove` model under its stored checksum (nothing encoded again
    /// at start), an imported one under the checksum of its encoding.
    pub fn served(self, importer: Option<&dyn Importer>) -> Result<ServedModel, StoreError> {
        match &self.content {
            Content::Grove(bytes) => {
                ServedModel::from_grove_bytes(bytes).map_err(invalid(&self.location))
            }
            Content::Foreign { .. } => {
                Ok(ServedModel::with_content_version(self.forest(importer)?))
            }
        }
    }

    /// The model as `.grove` bytes, validated: a `.grove` file's own bytes (not rewritten, so
    /// the same file makes the same package or upload), anything else imported and encoded.
    pub fn into_grove_bytes(
        self,
        importer: Option<&dyn Importer>,
    ) -> Result<Cow<'static, [u8]>, StoreError> {
        match self.content {
            Content::Grove(bytes) => {
                grove_format::from_bytes(&bytes).map_err(invalid(&self.location))?;
                Ok(bytes)
            }
            Content::Foreign { path, bytes } => {
                let forest = import(&self.location, &path, bytes.as_deref(), importer)?;
                Ok(Cow::Owned(grove_format::to_bytes(&forest)))
            }
        }
    }
}

/// A local model's bytes that do not decode or validate.
fn invalid(location: &ModelLocation) -> impl FnOnce(grove_format::FormatError) -> StoreError + '_ {
    move |problem| StoreError::InvalidModel {
        location: location.to_string(),
        version: None,
        problem,
    }
}

fn import(
    location: &ModelLocation,
    path: &Path,
    bytes: Option<&[u8]>,
    importer: Option<&dyn Importer>,
) -> Result<Forest, StoreError> {
    let Some(importer) = importer else {
        return Err(StoreError::NotGrove { location: location.to_string() });
    };
    importer
        .import(path, bytes)
        .map_err(|source| StoreError::Import { location: location.to_string(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Refuses;

    impl Importer for Refuses {
        fn import(
            &self,
            _: &Path,
            bytes: Option<&[u8]>,
        ) -> Result<Forest, Box<dyn Error + Send + Sync>> {
            Err(format!("saw {} bytes", bytes.map_or(0, <[u8]>::len)).into())
        }
    }

    #[test]
    fn a_file_is_told_apart_by_its_bytes_and_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let grove = dir.path().join("model.pkl");
        std::fs::write(&grove, grove_builtin::WINE_QUALITY_GROVE).unwrap();
        let opened = open_local(&ModelLocation::File(grove.clone())).unwrap();
        assert!(opened.is_grove(), "a .grove file is one whatever its name");
        assert_eq!(opened.served(None).unwrap().name(), "wine-quality");

        let other = dir.path().join("model.grove");
        std::fs::write(&other, b"\x80\x04 not grove").unwrap();
        let opened = open_local(&ModelLocation::File(other.clone())).unwrap();
        assert!(!opened.is_grove());
        let err = opened.forest(Some(&Refuses)).unwrap_err();
        assert_eq!(err.kind(), "Import");
        assert!(format!("{:?}", err).contains("saw 12 bytes"), "{err:?}");
        let err = open_local(&ModelLocation::File(other)).unwrap().served(None).unwrap_err();
        assert_eq!(err.kind(), "NotGrove");
        assert!(err.to_string().contains("not a .grove file"), "{err}");
    }

    #[test]
    fn missing_unknown_and_remote_models_are_refused_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        let missing = ModelLocation::File(dir.path().join("missing.grove"));
        assert_eq!(open_local(&missing).unwrap_err().kind(), "NoSuchModel");
        let unknown = ModelLocation::Builtin("no-such-model".into());
        assert_eq!(open_local(&unknown).unwrap_err().kind(), "UnknownBuiltin");
        let remote = ModelLocation::parse("s3://b/k").unwrap();
        assert_eq!(open_local(&remote).unwrap_err().kind(), "NotLocal");
        let corrupt = dir.path().join("corrupt.grove");
        let mut bytes = grove_builtin::WINE_QUALITY_GROVE.to_vec();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&corrupt, bytes).unwrap();
        let err = open_local(&ModelLocation::File(corrupt)).unwrap().into_grove_bytes(None);
        assert_eq!(err.unwrap_err().kind(), "InvalidModel");
    }
}

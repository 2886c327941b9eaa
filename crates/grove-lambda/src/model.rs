//! Choosing and loading the served model, once, at init, through `grove-store` (the loading
//! code `grove serve` uses too).

use std::path::{Path, PathBuf};

use grove_request::ServedModel;
use grove_store::{ModelLocation, S3Location, StoreOptions};

use crate::LambdaError;

/// The variable naming the model: a built-in name, a path to a `.grove` file, or
/// `s3://bucket/key` (its latest version, or the one [`VERSION_VAR`] names).
pub const MODEL_VAR: &str = "GROVE_MODEL";

/// The variable pinning the version of an `s3://` model: an S3 version id or a label.
pub const VERSION_VAR: &str = "GROVE_MODEL_VERSION";

/// Where the model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// A model embedded in the binary (`wine-quality`).
    Builtin(String),
    /// A `.grove` file.
    File(PathBuf),
    /// An S3 object: the model's versions are the object's versions.
    S3(S3Location),
}

impl ModelSource {
    /// Reads `GROVE_MODEL` (`value`): unset or empty means the built-in `wine-quality`; a
    /// built-in name means that model; anything else is a path, relative paths being resolved
    /// against `task_root` (Lambda's `LAMBDA_TASK_ROOT`, where the zip is unpacked) when set.
    pub fn from_setting(value: Option<&str>, task_root: Option<&Path>) -> ModelSource {
        let value = value.map(str::trim).unwrap_or_default();
        if value.is_empty() {
            return ModelSource::Builtin(grove_builtin::WINE_QUALITY.to_string());
        }
        if grove_builtin::by_name(value).is_some() {
            return ModelSource::Builtin(value.to_string());
        }
        if ModelLocation::is_s3(value) {
            // A malformed s3:// name stays a "file" that fails to load with a clear message.
            if let Ok(s3) = S3Location::parse(value) {
                return ModelSource::S3(s3);
            }
        }
        let path = Path::new(value);
        match task_root {
            Some(root) if path.is_relative() => ModelSource::File(root.join(path)),
            _ => ModelSource::File(path.to_path_buf()),
        }
    }

    /// The source as the process environment names it.
    pub fn from_env() -> ModelSource {
        let value = std::env::var(MODEL_VAR).ok();
        let root = std::env::var_os("LAMBDA_TASK_ROOT").map(PathBuf::from);
        ModelSource::from_setting(value.as_deref(), root.as_deref())
    }

    /// Loads and validates the model: for S3 the version `version` names (an id or a label;
    /// the latest when `None`), served under its S3 version id; a built-in or a file under a
    /// version derived from its content. S3 is reached with the standard AWS configuration
    /// (Lambda's role credentials and region; `AWS_ENDPOINT_URL` for an emulator).
    pub async fn load(&self, version: Option<&str>) -> Result<ServedModel, LambdaError> {
        let location = match self {
            ModelSource::Builtin(name) => ModelLocation::Builtin(name.clone()),
            ModelSource::File(path) => ModelLocation::File(path.clone()),
            ModelSource::S3(s3) => ModelLocation::S3(s3.clone()),
        };
        let version = version.map(str::trim).filter(|v| !v.is_empty());
        grove_store::load(&location, version, &StoreOptions::default()).await.map_err(|e| {
            LambdaError::InvalidModel { source_name: self.to_string(), message: e.to_string() }
        })
    }
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::Builtin(name) => f.write_str(name),
            ModelSource::File(path) => write!(f, "{}", path.display()),
            ModelSource::S3(s3) => s3.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_and_the_builtin_name_mean_the_builtin() {
        let builtin = ModelSource::Builtin("wine-quality".into());
        assert_eq!(ModelSource::from_setting(None, None), builtin);
        assert_eq!(ModelSource::from_setting(Some(""), None), builtin);
        assert_eq!(ModelSource::from_setting(Some("wine-quality"), Some(Path::new("/x"))), builtin);
    }

    #[test]
    fn relative_paths_resolve_against_the_task_root() {
        let root = Path::new("/var/task");
        assert_eq!(
            ModelSource::from_setting(Some("models/m.grove"), Some(root)),
            ModelSource::File(PathBuf::from("/var/task/models/m.grove"))
        );
        assert_eq!(
            ModelSource::from_setting(Some("/opt/m.grove"), Some(root)),
            ModelSource::File(PathBuf::from("/opt/m.grove"))
        );
        assert_eq!(
            ModelSource::from_setting(Some("m.grove"), None),
            ModelSource::File(PathBuf::from("m.grove"))
        );
    }

    #[test]
    fn s3_names_are_s3_sources() {
        assert_eq!(
            ModelSource::from_setting(Some("s3://models/wine.grove"), Some(Path::new("/var/task"))),
            ModelSource::S3(S3Location { bucket: "models".into(), key: "wine.grove".into() })
        );
        assert_eq!(ModelSource::from_setting(Some("s3://b/k"), None).to_string(), "s3://b/k");
    }

    #[tokio::test]
    async fn the_builtin_loads_and_a_bad_file_is_an_invalid_model() {
        let builtin = ModelSource::from_setting(None, None);
        assert_eq!(builtin.load(None).await.unwrap().name(), "wine-quality");
        let pinned = builtin.load(Some("v1")).await.unwrap_err();
        assert_eq!(pinned.error_type(), "InvalidModel");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.grove");
        std::fs::write(&path, b"not a model").unwrap();
        let err = ModelSource::File(path).load(None).await.unwrap_err();
        assert_eq!(err.error_type(), "InvalidModel");
        assert!(err.to_string().contains("not a .grove file"), "{err}");

        let missing =
            ModelSource::File(dir.path().join("missing.grove")).load(None).await.unwrap_err();
        assert_eq!(missing.error_type(), "InvalidModel");
    }
}

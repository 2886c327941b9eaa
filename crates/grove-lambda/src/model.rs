//! Choosing and loading the served model, once, at init.

use std::path::{Path, PathBuf};

use grove_request::ServedModel;

use crate::LambdaError;

/// The variable naming the model: a built-in name or a path to a `.grove` file.
pub const MODEL_VAR: &str = "GROVE_MODEL";

/// Where the model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// A model embedded in the binary (`wine-quality`).
    Builtin(String),
    /// A `.grove` file.
    File(PathBuf),
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

    /// Loads and validates the model.
    pub fn load(&self) -> Result<ServedModel, LambdaError> {
        let forest = match self {
            ModelSource::Builtin(name) => match grove_builtin::by_name(name) {
                Some(loaded) => loaded,
                None => {
                    return Err(LambdaError::InvalidModel {
                        source_name: name.clone(),
                        message: "no built-in model of that name".into(),
                    })
                }
            },
            ModelSource::File(path) => grove_format::read_file(path),
        };
        forest.map(ServedModel::with_content_version).map_err(|e| LambdaError::InvalidModel {
            source_name: self.to_string(),
            message: e.to_string(),
        })
    }
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::Builtin(name) => f.write_str(name),
            ModelSource::File(path) => write!(f, "{}", path.display()),
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
    fn the_builtin_loads_and_a_bad_file_is_an_invalid_model() {
        assert_eq!(ModelSource::from_setting(None, None).load().unwrap().name(), "wine-quality");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.grove");
        std::fs::write(&path, b"not a model").unwrap();
        let err = ModelSource::File(path).load().unwrap_err();
        assert_eq!(err.error_type(), "InvalidModel");
        assert!(err.to_string().contains("not a .grove file"), "{err}");

        let missing = ModelSource::File(dir.path().join("missing.grove")).load().unwrap_err();
        assert_eq!(missing.error_type(), "InvalidModel");
    }
}

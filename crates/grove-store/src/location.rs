//! What a model name means: the one parser of `wine-quality`, `model.grove`, `model.pkl` and
//! `s3://bucket/key`, and the environment variables that name the Lambda function's model.
//! Every front end (`grove serve`, `predict`, `push`, `package`, the Lambda function) resolves
//! its model through [`ModelLocation`], so a name cannot mean two things.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::StoreError;

/// The variable naming the served model: a built-in name, a path to a `.grove` file (relative
/// paths against `LAMBDA_TASK_ROOT`, where Lambda unpacks the zip), or `s3://bucket/key`. The
/// packager writes it and the Lambda bootstrap reads it; unset or empty means the built-in
/// `wine-quality`.
pub const MODEL_VAR: &str = "GROVE_MODEL";

/// The variable pinning the version of an `s3://` model: an S3 version id or a label.
pub const VERSION_VAR: &str = "GROVE_MODEL_VERSION";

/// Where Lambda unpacks the function's code (and so `model.grove`).
const TASK_ROOT_VAR: &str = "LAMBDA_TASK_ROOT";

/// An S3 object that holds a model: its versions are the model's versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
}

impl S3Location {
    /// Parses `s3://bucket/key`.
    pub fn parse(spec: &str) -> Result<S3Location, StoreError> {
        let invalid = |reason: &str| StoreError::InvalidLocation {
            spec: spec.to_string(),
            reason: reason.to_string(),
        };
        let rest =
            spec.strip_prefix("s3://").ok_or_else(|| invalid("it does not start with s3://"))?;
        let (bucket, key) =
            rest.split_once('/').ok_or_else(|| invalid("expected s3://bucket/key"))?;
        if bucket.is_empty() {
            return Err(invalid("the bucket is empty"));
        }
        if key.is_empty() || key.ends_with('/') {
            return Err(invalid("expected s3://bucket/key, with a key naming one object"));
        }
        Ok(S3Location { bucket: bucket.to_string(), key: key.to_string() })
    }
}

impl fmt::Display for S3Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// Where a model lives. Whether a file is a `.grove` model or one for an importer is decided
/// by its first bytes when it is opened ([`crate::open_local`]), not by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelLocation {
    /// A model embedded in the binaries (`wine-quality`).
    Builtin(String),
    /// A file or directory on this machine: a `.grove` file, or a model for an importer
    /// (pickle, joblib, skops, an MLflow directory).
    File(PathBuf),
    /// An S3 object with versions.
    S3(S3Location),
}

impl ModelLocation {
    /// `s3://…` is S3 (and must name one object), a built-in name is the built-in, anything
    /// else a path.
    pub fn parse(spec: &str) -> Result<ModelLocation, StoreError> {
        ModelLocation::resolve(spec, None)
    }

    /// [`ModelLocation::parse`], with a relative path taken against `root` when one is given
    /// (the Lambda function's `LAMBDA_TASK_ROOT`).
    pub fn resolve(spec: &str, root: Option<&Path>) -> Result<ModelLocation, StoreError> {
        if ModelLocation::is_s3(spec) {
            return S3Location::parse(spec).map(ModelLocation::S3);
        }
        if grove_builtin::by_name(spec).is_some() {
            return Ok(ModelLocation::Builtin(spec.to_string()));
        }
        let path = Path::new(spec);
        Ok(ModelLocation::File(match root {
            Some(root) if path.is_relative() => root.join(path),
            _ => path.to_path_buf(),
        }))
    }

    /// The model [`MODEL_VAR`] names (the built-in `wine-quality` when it is unset or empty)
    /// and the version [`VERSION_VAR`] pins, if any, as the Lambda function reads them.
    pub fn from_env() -> Result<(ModelLocation, Option<String>), StoreError> {
        let spec = std::env::var(MODEL_VAR).ok();
        let root = std::env::var_os(TASK_ROOT_VAR).map(PathBuf::from);
        let version = std::env::var(VERSION_VAR).ok();
        Ok((
            ModelLocation::from_setting(spec.as_deref(), root.as_deref())?,
            version.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()),
        ))
    }

    /// The location a [`MODEL_VAR`] value names: unset or blank is the built-in model.
    pub fn from_setting(value: Option<&str>, root: Option<&Path>) -> Result<Self, StoreError> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(ModelLocation::Builtin(grove_builtin::WINE_QUALITY.to_string())),
            Some(spec) => ModelLocation::resolve(spec, root),
        }
    }

    /// Whether `spec` names an S3 object.
    pub fn is_s3(spec: &str) -> bool {
        spec.starts_with("s3://")
    }
}

impl fmt::Display for ModelLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelLocation::Builtin(name) => f.write_str(name),
            ModelLocation::File(path) => write!(f, "{}", path.display()),
            ModelLocation::S3(s3) => s3.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_parse() {
        assert_eq!(
            ModelLocation::parse("s3://b/models/wine.grove").ok(),
            Some(ModelLocation::S3(S3Location {
                bucket: "b".into(),
                key: "models/wine.grove".into()
            }))
        );
        assert_eq!(
            ModelLocation::parse("wine-quality").ok(),
            Some(ModelLocation::Builtin("wine-quality".into()))
        );
        assert_eq!(
            ModelLocation::parse("m.grove").ok(),
            Some(ModelLocation::File("m.grove".into()))
        );
        for bad in ["s3://", "s3://b", "s3://b/", "s3:///k", "s3://b/dir/"] {
            let err = ModelLocation::parse(bad).err().map(|e| e.kind());
            assert_eq!(err, Some("InvalidLocation"), "{bad}");
        }
        assert_eq!(
            S3Location::parse("s3://b/k").map(|l| l.to_string()).ok().as_deref(),
            Some("s3://b/k")
        );
    }

    #[test]
    fn an_unset_setting_and_the_builtin_name_mean_the_builtin() {
        let builtin = ModelLocation::Builtin("wine-quality".into());
        let root = Some(Path::new("/x"));
        assert_eq!(ModelLocation::from_setting(None, None).ok(), Some(builtin.clone()));
        assert_eq!(ModelLocation::from_setting(Some(" "), None).ok(), Some(builtin.clone()));
        assert_eq!(ModelLocation::from_setting(Some("wine-quality"), root).ok(), Some(builtin));
    }

    #[test]
    fn relative_paths_resolve_against_the_task_root() {
        let root = Some(Path::new("/var/task"));
        let file = |p: &str| Some(ModelLocation::File(PathBuf::from(p)));
        assert_eq!(
            ModelLocation::resolve("models/m.grove", root).ok(),
            file("/var/task/models/m.grove")
        );
        assert_eq!(ModelLocation::resolve("/opt/m.grove", root).ok(), file("/opt/m.grove"));
        assert_eq!(ModelLocation::resolve("m.grove", None).ok(), file("m.grove"));
        assert_eq!(
            ModelLocation::resolve("s3://models/wine.grove", root).map(|l| l.to_string()).ok(),
            Some("s3://models/wine.grove".to_string())
        );
    }

    #[test]
    fn a_malformed_s3_setting_is_refused_not_read_as_a_file() {
        let err =
            ModelLocation::from_setting(Some("s3://bucket-only"), Some(Path::new("/var/task")));
        assert_eq!(err.err().map(|e| e.kind()), Some("InvalidLocation"));
    }
}

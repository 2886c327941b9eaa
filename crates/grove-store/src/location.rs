//! Model names: a built-in, a file, or `s3://bucket/key`.

use std::fmt;
use std::path::PathBuf;

use crate::StoreError;

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

/// Where a model lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelLocation {
    /// A model embedded in the binaries (`wine-quality`).
    Builtin(String),
    /// A `.grove` file.
    File(PathBuf),
    /// An S3 object with versions.
    S3(S3Location),
}

impl ModelLocation {
    /// `s3://…` is S3, a built-in name is the built-in, anything else a file path.
    pub fn parse(spec: &str) -> Result<ModelLocation, StoreError> {
        if spec.starts_with("s3://") {
            return S3Location::parse(spec).map(ModelLocation::S3);
        }
        if grove_builtin::by_name(spec).is_some() {
            return Ok(ModelLocation::Builtin(spec.to_string()));
        }
        Ok(ModelLocation::File(PathBuf::from(spec)))
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
}

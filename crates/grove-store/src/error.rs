//! The crate's one error type.

use thiserror::Error;

/// Everything that can go wrong finding, pushing, listing or loading a model.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A model name that is not a valid location (`s3://` without a bucket or key, ...).
    #[error("`{spec}` is not a model location: {reason}")]
    InvalidLocation {
        /// The name as given.
        spec: String,
        /// What is wrong.
        reason: String,
    },
    /// Nothing at that path, and no built-in model of that name.
    #[error(
        "no model `{location}`: not a file, and not a built-in model (built-in: {})",
        grove_builtin::WINE_QUALITY
    )]
    NoSuchModel {
        /// The name as given.
        location: String,
    },
    /// A local model file that cannot be read.
    #[error("cannot read `{location}`")]
    Io {
        /// The file.
        location: String,
        /// Why.
        source: std::io::Error,
    },
    /// A file that is not a `.grove` model, where no importer is at hand (the Lambda
    /// function serves `.grove` models only).
    #[error("`{location}` is not a .grove file (convert it with `grove import`)")]
    NotGrove {
        /// The file.
        location: String,
    },
    /// The importer refused a file that is not a `.grove` model.
    #[error("cannot import `{location}`")]
    Import {
        /// The file.
        location: String,
        /// The importer's reason.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// An S3 model where only local ones are read (it needs [`crate::load`]).
    #[error("`{location}` is in S3, not on this machine")]
    NotLocal {
        /// The model.
        location: String,
    },
    /// No built-in model of that name.
    #[error("no built-in model `{0}`")]
    UnknownBuiltin(String),
    /// The bytes are not a valid model: not a `.grove` file, damaged, or a model that does
    /// not validate. Nothing is served from them.
    // The reason is part of the message (servers report `to_string()`), so it is not also
    // an error `source`, which would print it twice in a chain.
    #[error("{location}{} is not a valid model: {problem}", version_suffix(.version))]
    InvalidModel {
        /// Where the bytes came from.
        location: String,
        /// The S3 version, when there is one.
        version: Option<String>,
        /// Why they were refused.
        problem: grove_format::FormatError,
    },
    /// A version was named for a model that has no versions (a file or a built-in), or an S3
    /// object without a version id.
    #[error("`{location}` has no versions{}", if .version.is_empty() { String::new() } else { format!(" (asked for `{}`)", .version) })]
    Unversioned {
        /// The model.
        location: String,
        /// The version asked for.
        version: String,
    },
    /// No AWS region is configured.
    #[error("no AWS region: set AWS_REGION (or a profile's `region`)")]
    NoRegion,
    /// The bucket does not exist.
    #[error("the bucket `{bucket}` does not exist; pass --create-bucket to create it (with versioning on)")]
    BucketMissing {
        /// The bucket.
        bucket: String,
    },
    /// The bucket keeps no versions, so pushing would overwrite the model.
    #[error("the bucket `{bucket}` does not keep versions (versioning {status}); grove's model versions are S3 object versions: pass --enable-versioning to turn it on")]
    VersioningOff {
        /// The bucket.
        bucket: String,
        /// `never enabled` or `suspended`.
        status: String,
    },
    /// Nothing at that key.
    #[error("no model at `{location}`")]
    NoSuchKey {
        /// The model.
        location: String,
    },
    /// No version with that id or label.
    #[error("`{location}` has no version `{version}` (neither a version id nor a label of one; see `grove models {location}`)")]
    NoSuchVersion {
        /// The model.
        location: String,
        /// The id or label asked for.
        version: String,
    },
    /// A label S3 cannot carry as metadata.
    #[error("the label `{0}` is not printable ASCII (S3 metadata must be)")]
    InvalidLabel(String),
    /// An S3 call failed.
    #[error("S3 {operation} on `{location}` failed: {message}")]
    Aws {
        /// The S3 operation (`GetObject`, ...).
        operation: &'static str,
        /// The bucket or object.
        location: String,
        /// The SDK's whole error chain.
        message: String,
        /// The HTTP status S3 answered, when it answered.
        status: Option<u16>,
    },
}

fn version_suffix(version: &Option<String>) -> String {
    version.as_ref().map(|v| format!(" (version {v})")).unwrap_or_default()
}

impl StoreError {
    /// A stable name for the error (`InvalidModel`, `NoSuchVersion`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::InvalidLocation { .. } => "InvalidLocation",
            StoreError::NoSuchModel { .. } => "NoSuchModel",
            StoreError::Io { .. } => "Io",
            StoreError::NotGrove { .. } => "NotGrove",
            StoreError::Import { .. } => "Import",
            StoreError::NotLocal { .. } => "NotLocal",
            StoreError::UnknownBuiltin(_) => "UnknownBuiltin",
            StoreError::InvalidModel { .. } => "InvalidModel",
            StoreError::Unversioned { .. } => "Unversioned",
            StoreError::NoRegion => "NoRegion",
            StoreError::BucketMissing { .. } => "BucketMissing",
            StoreError::VersioningOff { .. } => "VersioningOff",
            StoreError::NoSuchKey { .. } => "NoSuchKey",
            StoreError::NoSuchVersion { .. } => "NoSuchVersion",
            StoreError::InvalidLabel(_) => "InvalidLabel",
            StoreError::Aws { .. } => "Aws",
        }
    }
}

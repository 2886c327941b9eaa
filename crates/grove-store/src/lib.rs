//! Where grove's models live, and their versions. A model is named by a [`ModelLocation`]: a
//! built-in name (`wine-quality`), a local file (a `.grove` model, or a model for an importer,
//! told apart by the file's first bytes), or an S3 object `s3://bucket/key`.
//! For S3 the versions of a model ARE the S3 object versions of its key (the bucket must have
//! versioning on), so replacing the object by any means (`grove push`, `aws s3 cp`, a copy)
//! makes a new version, and `grove rollback` is a copy of an old version on top. What grove
//! knows of a version (its checksum, a digest of its schema, feature count, target, classes,
//! an optional human label) rides along as object metadata (`x-amz-meta-grove-*`).
//!
//! [`load`] is the one loading path of the server (`grove serve`) and of the Lambda function
//! (`GROVE_MODEL`): a built-in or a local file is read once ([`open_local`]); for S3 it fetches
//! the latest version or a named one (a version id or a label); either way the model is
//! validated fully before anyone serves it. Files that are not `.grove` go through an
//! [`Importer`] the caller supplies: the CLI passes scikit-learn's reader, the Lambda function
//! none, so the importer stays out of its binary. [`S3Store`] also implements
//! [`grove_request::ModelFeed`], through which a running server picks up new versions.
//!
//! It talks to S3 with the AWS SDK for Rust on rustls (ring), like `grove-deploy`, honouring
//! the standard configuration chain (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, ...) and
//! an explicit endpoint (moto, MinIO, LocalStack). It must not depend on HTTP frameworks: the
//! HTTP face is `grove-http`'s. All errors are one [`StoreError`].

mod error;
mod feed;
mod local;
mod location;
mod meta;
mod s3;

use grove_request::ServedModel;

pub use error::StoreError;
pub use grove_aws::AwsSettings;
pub use local::{open_local, Importer, LocalModel};
pub use location::{ModelLocation, S3Location, MODEL_VAR, VERSION_VAR};
pub use meta::{schema_digest, schema_summary, VersionInfo};
pub use s3::{PushOptions, S3Store};

/// Loads the model at `location`: a built-in or a local file (versioned by content; a file
/// that is not `.grove` through `importer`, or refused without one), or for S3 the version
/// `version` names (an S3 version id or a label; the latest when `None`), fetched and fully
/// validated. A version may only be named for S3.
pub async fn load(
    location: &ModelLocation,
    version: Option<&str>,
    options: &AwsSettings,
    importer: Option<&dyn Importer>,
) -> Result<ServedModel, StoreError> {
    match location {
        ModelLocation::S3(s3) => S3Store::connect(s3.clone(), options).await?.load(version).await,
        local => {
            if let Some(version) = version {
                return Err(StoreError::Unversioned {
                    location: local.to_string(),
                    version: version.to_string(),
                });
            }
            open_local(local)?.served(importer)
        }
    }
}

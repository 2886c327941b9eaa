//! The S3 side: one key of one versioned bucket holds every version of a model.

use std::fmt::Display;
use std::time::Duration;

use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::primitives::{ByteStream, DateTimeFormat};
use aws_sdk_s3::types::{
    BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration,
    VersioningConfiguration,
};
use grove_aws::{AwsError, AwsSettings};
use grove_request::ServedModel;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::meta::{self, VersionInfo};
use crate::{S3Location, StoreError};

/// How `grove push` treats the bucket and what it records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushOptions {
    /// A human label for this version (`v3`, `2024-06-retrain`); `grove models` shows it and
    /// `--to`/`GROVE_MODEL_VERSION` accept it in place of a version id.
    pub label: Option<String>,
    /// Create the bucket, with versioning on, when it does not exist.
    pub create_bucket: bool,
    /// Turn versioning on in an existing bucket that does not keep versions.
    pub enable_versioning: bool,
}

/// The versions of one model: an S3 key in a bucket with versioning.
#[derive(Debug, Clone)]
pub struct S3Store {
    client: aws_sdk_s3::Client,
    location: S3Location,
}

/// How long S3 may take to accept a connection and to answer one attempt: a server polling a
/// model must not hang on a dead endpoint.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// An SDK error as a [`StoreError::Aws`], with the whole chain and the HTTP status.
fn aws<E, R>(operation: &'static str, location: impl Display, error: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug + HttpStatus,
{
    StoreError::Aws {
        operation,
        location: location.to_string(),
        status: error.raw_response().map(HttpStatus::code),
        message: DisplayErrorContext(&error).to_string(),
    }
}

/// The status of a raw S3 answer.
trait HttpStatus {
    fn code(&self) -> u16;
}

impl HttpStatus for aws_sdk_s3::config::http::HttpResponse {
    fn code(&self) -> u16 {
        self.status().as_u16()
    }
}

/// What `x-amz-copy-source` escapes in a key or version id: everything but unreserved
/// characters and `/`, which separates the key's parts.
const COPY_SOURCE: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

fn check_label(label: &str) -> Result<(), StoreError> {
    let printable = label.bytes().all(|b| (0x20..0x7f).contains(&b));
    if label.trim().is_empty() || label.trim() != label || !printable {
        return Err(StoreError::InvalidLabel(label.to_string()));
    }
    Ok(())
}

impl S3Store {
    /// A client for `location`, configured from the standard chain plus `options`. Makes no
    /// call to S3.
    pub async fn connect(
        location: S3Location,
        options: &AwsSettings,
    ) -> Result<S3Store, StoreError> {
        let settings = AwsSettings {
            connect_timeout: options.connect_timeout.or(Some(CONNECT_TIMEOUT)),
            attempt_timeout: options.attempt_timeout.or(Some(ATTEMPT_TIMEOUT)),
            ..options.clone()
        };
        let sdk = grove_aws::load(&settings).await.map_err(|e| match e {
            AwsError::NoRegion => StoreError::NoRegion,
            AwsError::BadEndpoint { url } => StoreError::InvalidLocation {
                spec: url,
                reason: "--endpoint-url must be an http:// or https:// URL".into(),
            },
        })?;
        // Emulators (moto, MinIO, LocalStack) serve buckets by path, not by host name.
        let config = aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(settings.custom_endpoint(&sdk, "S3"))
            .build();
        Ok(S3Store { client: aws_sdk_s3::Client::from_conf(config), location })
    }

    /// The object this store reads and writes.
    pub fn location(&self) -> &S3Location {
        &self.location
    }

    /// The SDK client (for callers that need another S3 call).
    pub fn client(&self) -> &aws_sdk_s3::Client {
        &self.client
    }

    fn bucket(&self) -> &str {
        &self.location.bucket
    }

    fn key(&self) -> &str {
        &self.location.key
    }

    /// Uploads a `.grove` file as a new version, after validating it fully (a model that would
    /// not load is refused here, not discovered by a server). The bucket must keep versions:
    /// see [`PushOptions`].
    pub async fn push(
        &self,
        bytes: &[u8],
        options: &PushOptions,
    ) -> Result<VersionInfo, StoreError> {
        let forest =
            grove_format::from_bytes(bytes).map_err(|problem| StoreError::InvalidModel {
                location: "the model to push".into(),
                version: None,
                problem,
            })?;
        if let Some(label) = &options.label {
            check_label(label)?;
        }
        self.ensure_versioned_bucket(options).await?;
        let metadata = meta::metadata(bytes, &forest, options.label.as_deref());
        let mut put = self
            .client
            .put_object()
            .bucket(self.bucket())
            .key(self.key())
            .content_type("application/vnd.grove")
            .body(ByteStream::from(bytes.to_vec()));
        for (k, v) in &metadata {
            put = put.metadata(k, v);
        }
        let out = put.send().await.map_err(|e| aws("PutObject", &self.location, e))?;
        let version_id =
            out.version_id().map(str::to_string).ok_or_else(|| StoreError::VersioningOff {
                bucket: self.bucket().to_string(),
                status: "not answering with a version id".into(),
            })?;
        let mut info = VersionInfo::from_metadata(version_id, Some(&metadata));
        info.is_latest = true;
        info.size = i64::try_from(bytes.len()).ok();
        Ok(info)
    }

    async fn ensure_versioned_bucket(&self, options: &PushOptions) -> Result<(), StoreError> {
        let bucket = self.bucket();
        let created = match self.client.head_bucket().bucket(bucket).send().await {
            Ok(_) => false,
            Err(e) if e.raw_response().map(HttpStatus::code) == Some(404) => {
                if !options.create_bucket {
                    return Err(StoreError::BucketMissing { bucket: bucket.to_string() });
                }
                let mut create = self.client.create_bucket().bucket(bucket);
                let region = self.client.config().region().map(|r| r.as_ref().to_string());
                if let Some(region) = region.filter(|r| r != "us-east-1") {
                    create = create.create_bucket_configuration(
                        CreateBucketConfiguration::builder()
                            .location_constraint(BucketLocationConstraint::from(region.as_str()))
                            .build(),
                    );
                }
                create.send().await.map_err(|e| aws("CreateBucket", bucket, e))?;
                tracing::info!(bucket, "created the bucket");
                true
            }
            Err(e) => return Err(aws("HeadBucket", bucket, e)),
        };
        let status = match self.client.get_bucket_versioning().bucket(bucket).send().await {
            Ok(versioning) => versioning.status().cloned(),
            // Some S3 emulators (moto 5.2) name the answer's root element
            // `GetBucketVersioningResponse` instead of `VersioningConfiguration`, which the SDK
            // refuses to parse; the status inside is the same, so read it from the raw body.
            Err(e) if e.raw_response().map(HttpStatus::code) == Some(200) => {
                let body = e.raw_response().and_then(|r| r.body().bytes()).unwrap_or_default();
                let body = String::from_utf8_lossy(body);
                if body.contains("<Status>Enabled</Status>") {
                    Some(BucketVersioningStatus::Enabled)
                } else if body.contains("<Status>Suspended</Status>") {
                    Some(BucketVersioningStatus::Suspended)
                } else {
                    None
                }
            }
            Err(e) => return Err(aws("GetBucketVersioning", bucket, e)),
        };
        if status == Some(BucketVersioningStatus::Enabled) {
            return Ok(());
        }
        if !(created || options.enable_versioning) {
            let status = match status {
                Some(BucketVersioningStatus::Suspended) => "suspended",
                _ => "never enabled",
            };
            return Err(StoreError::VersioningOff {
                bucket: bucket.to_string(),
                status: status.to_string(),
            });
        }
        self.client
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(
                VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build(),
            )
            .send()
            .await
            .map_err(|e| aws("PutBucketVersioning", bucket, e))?;
        tracing::info!(bucket, "turned versioning on");
        Ok(())
    }

    /// Every version of the key, newest first (delete markers left out), with what grove
    /// recorded about each (one HeadObject per version).
    pub async fn versions(&self) -> Result<Vec<VersionInfo>, StoreError> {
        let mut listed = Vec::new();
        let (mut key_marker, mut version_marker) = (None::<String>, None::<String>);
        loop {
            let page = self
                .client
                .list_object_versions()
                .bucket(self.bucket())
                .prefix(self.key())
                .set_key_marker(key_marker.take())
                .set_version_id_marker(version_marker.take())
                .send()
                .await
                .map_err(|e| aws("ListObjectVersions", &self.location, e))?;
            for v in page.versions() {
                if v.key() != Some(self.key()) {
                    continue;
                }
                let Some(id) = v.version_id() else { continue };
                listed.push((
                    id.to_string(),
                    v.is_latest().unwrap_or(false),
                    v.last_modified().and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()),
                    v.size(),
                ));
            }
            if page.is_truncated() != Some(true) {
                break;
            }
            key_marker = page.next_key_marker().map(str::to_string);
            version_marker = page.next_version_id_marker().map(str::to_string);
            if key_marker.is_none() && version_marker.is_none() {
                break;
            }
        }
        let mut out = Vec::with_capacity(listed.len());
        for (id, is_latest, last_modified, size) in listed {
            let head = self.head(&id).await?;
            let mut info = VersionInfo::from_metadata(id, head.metadata());
            info.is_latest = is_latest;
            info.last_modified = last_modified;
            info.size = size;
            out.push(info);
        }
        // S3 lists a key's versions newest first; keep that, sorting only by time to be sure.
        out.sort_by(|a, b| b.last_modified.cmp(&a.last_modified));
        if let Some(latest) = out.iter().position(|v| v.is_latest) {
            let latest = out.remove(latest);
            out.insert(0, latest);
        }
        Ok(out)
    }

    /// HeadObject on one version of the key.
    async fn head(&self, version_id: &str) -> Result<HeadObjectOutput, StoreError> {
        self.client
            .head_object()
            .bucket(self.bucket())
            .key(self.key())
            .version_id(version_id)
            .send()
            .await
            .map_err(|e| aws("HeadObject", &self.location, e))
    }

    /// The id of the version a plain GET reads now (one HeadObject).
    pub async fn latest_version(&self) -> Result<String, StoreError> {
        let head =
            self.client.head_object().bucket(self.bucket()).key(self.key()).send().await.map_err(
                |e| match e.raw_response().map(HttpStatus::code) {
                    Some(404) => StoreError::NoSuchKey { location: self.location.to_string() },
                    _ => aws("HeadObject", &self.location, e),
                },
            )?;
        match head.version_id() {
            Some(id) if id != "null" => Ok(id.to_string()),
            _ => Err(StoreError::Unversioned {
                location: self.location.to_string(),
                version: String::new(),
            }),
        }
    }

    /// The version id `version` names: itself when it is a version id of the key, else the
    /// newest version carrying that label.
    pub async fn resolve(&self, version: &str) -> Result<String, StoreError> {
        let head = self
            .client
            .head_object()
            .bucket(self.bucket())
            .key(self.key())
            .version_id(version)
            .send()
            .await;
        match head {
            Ok(_) => return Ok(version.to_string()),
            Err(e) if matches!(e.raw_response().map(HttpStatus::code), Some(400 | 404)) => {}
            Err(e) => return Err(aws("HeadObject", &self.location, e)),
        }
        let versions = self.versions().await?;
        if versions.is_empty() {
            return Err(StoreError::NoSuchKey { location: self.location.to_string() });
        }
        versions
            .into_iter()
            .find(|v| v.label.as_deref() == Some(version))
            .map(|v| v.version_id)
            .ok_or_else(|| StoreError::NoSuchVersion {
                location: self.location.to_string(),
                version: version.to_string(),
            })
    }

    /// Downloads version `version_id` and validates it fully; it is served as that version id.
    pub async fn fetch(&self, version_id: &str) -> Result<ServedModel, StoreError> {
        let out = self
            .client
            .get_object()
            .bucket(self.bucket())
            .key(self.key())
            .version_id(version_id)
            .send()
            .await
            .map_err(|e| match e.raw_response().map(HttpStatus::code) {
                Some(404) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => {
                    StoreError::NoSuchKey { location: self.location.to_string() }
                }
                Some(400 | 404) => StoreError::NoSuchVersion {
                    location: self.location.to_string(),
                    version: version_id.to_string(),
                },
                _ => aws("GetObject", &self.location, e),
            })?;
        let bytes = out.body.collect().await.map_err(|e| StoreError::Aws {
            operation: "GetObject",
            location: self.location.to_string(),
            message: format!("reading the body: {e}"),
            status: None,
        })?;
        let forest = grove_format::from_bytes(&bytes.into_bytes()).map_err(|problem| {
            StoreError::InvalidModel {
                location: self.location.to_string(),
                version: Some(version_id.to_string()),
                problem,
            }
        })?;
        Ok(ServedModel::new(forest, version_id))
    }

    /// Loads the version `version` names (a version id or a label), or the latest.
    pub async fn load(&self, version: Option<&str>) -> Result<ServedModel, StoreError> {
        let id = match version.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => self.resolve(v).await?,
            None => self.latest_version().await?,
        };
        self.fetch(&id).await
    }

    /// Makes version `to` (an id or a label) the latest again: S3 copies it on top, as a new
    /// version with the same bytes and metadata, so every server and function that follows
    /// the key picks it up the way it picks up a push. Returns the new version.
    pub async fn rollback(&self, to: &str) -> Result<VersionInfo, StoreError> {
        let source_id = self.resolve(to).await?;
        // Validate before making it the latest: a corrupt old version is not rolled back to.
        self.fetch(&source_id).await?;
        let source = format!(
            "{}/{}?versionId={}",
            self.bucket(),
            utf8_percent_encode(self.key(), COPY_SOURCE),
            utf8_percent_encode(&source_id, COPY_SOURCE)
        );
        let out = self
            .client
            .copy_object()
            .bucket(self.bucket())
            .key(self.key())
            .copy_source(source)
            .send()
            .await
            .map_err(|e| aws("CopyObject", &self.location, e))?;
        let new_id =
            out.version_id().map(str::to_string).ok_or_else(|| StoreError::Unversioned {
                location: self.location.to_string(),
                version: source_id.clone(),
            })?;
        let head = self.head(&new_id).await?;
        let mut info = VersionInfo::from_metadata(new_id, head.metadata());
        info.is_latest = true;
        info.size = head.content_length();
        info.last_modified =
            head.last_modified().and_then(|t| t.fmt(DateTimeFormat::DateTime).ok());
        Ok(info)
    }
}

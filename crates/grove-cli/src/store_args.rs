//! Options shared by the commands that reach models in S3 (`serve s3://…`, `push`, `models`,
//! `rollback`).

use anyhow::{bail, Result};
use clap::Args;
use grove_store::StoreOptions;

/// Where S3 is: the standard AWS chain (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, ...)
/// plus these overrides.
#[derive(Debug, Clone, Default, Args)]
pub struct StoreArgs {
    /// An S3-compatible endpoint instead of AWS's (moto, MinIO, LocalStack), e.g.
    /// `http://127.0.0.1:5000`; `AWS_ENDPOINT_URL` works too. Buckets are then addressed by path.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The AWS region (default: `AWS_REGION`, else the profile's).
    #[arg(long)]
    pub region: Option<String>,
}

impl StoreArgs {
    pub fn options(&self) -> StoreOptions {
        StoreOptions { endpoint_url: self.endpoint_url.clone(), region: self.region.clone() }
    }

    fn given(&self) -> bool {
        self.endpoint_url.is_some() || self.region.is_some()
    }
}

/// `grove serve`'s options for a model in S3.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeS3Args {
    /// Serve this version of an s3:// model (a version id or a label) and do not follow newer
    /// ones (default: the latest, followed).
    #[arg(long, value_name = "VERSION")]
    pub model_version: Option<String>,
    /// Seconds between checks for a new version of an s3:// model (one HEAD request each;
    /// fractions allowed; 0 turns polling off). Default 30.
    #[arg(long, value_name = "SECS")]
    pub poll_interval: Option<f64>,
    /// Accept a new version whose features, target or classes differ from the served one's.
    #[arg(long)]
    pub allow_schema_change: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

impl ServeS3Args {
    /// The polling interval, `None` for no polling.
    pub fn poll_every(&self) -> Result<Option<std::time::Duration>> {
        match self.poll_interval {
            None => Ok(Some(std::time::Duration::from_secs(30))),
            Some(0.0) => Ok(None),
            Some(s) if s.is_finite() && s > 0.0 => {
                Ok(Some(std::time::Duration::from_secs_f64(s.max(0.01))))
            }
            Some(s) => bail!("--poll-interval must be a number of seconds ≥ 0, not {s}"),
        }
    }

    /// Refuses these options for a model that is not in S3 (a local model never changes).
    pub fn check_local(&self, model: &str) -> Result<()> {
        if self.model_version.is_some()
            || self.poll_interval.is_some()
            || self.allow_schema_change
            || self.store.given()
        {
            bail!(
                "--model-version, --poll-interval, --allow-schema-change, --endpoint-url and \
                 --region apply to s3:// models only, and `{model}` is local"
            );
        }
        Ok(())
    }
}

/// A runtime for one command's S3 calls.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    use anyhow::Context;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Parses `s3://bucket/key`.
pub fn s3_location(spec: &str) -> Result<grove_store::S3Location> {
    Ok(grove_store::S3Location::parse(spec)?)
}

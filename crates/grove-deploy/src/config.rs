//! The AWS configuration every client shares: the standard chain (environment, profile files,
//! `AWS_PROFILE`, `AWS_REGION`, SSO-less credential providers) plus grove's overrides: a
//! profile, a region and one endpoint URL for every service (moto, LocalStack, an emulator).
//! The HTTP client is rustls on ring, built here so no other TLS stack is compiled in.

pub use aws_config::SdkConfig;
use aws_config::{BehaviorVersion, Region};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

use crate::{DeployError, Result};

/// The overrides of the standard AWS configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    /// A named profile (otherwise `AWS_PROFILE` or `default`).
    pub profile: Option<String>,
    /// A region (otherwise `AWS_REGION` or the profile's).
    pub region: Option<String>,
    /// One endpoint for every service, e.g. `http://127.0.0.1:5000` for moto.
    pub endpoint_url: Option<String>,
}

/// Loads the configuration; fails when no region is configured anywhere.
pub async fn load(options: &AwsOptions) -> Result<SdkConfig> {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(DeployError::Invalid(format!(
                "--endpoint-url `{url}` is not an http:// or https:// URL"
            )));
        }
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(DeployError::Invalid(
            "no AWS region: set AWS_REGION, a profile's `region`, or pass --region".into(),
        ));
    }
    Ok(config)
}

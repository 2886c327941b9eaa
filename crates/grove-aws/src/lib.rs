//! grove-aws owns building the AWS SDK configuration every grove client shares (Lambda, IAM,
//! ECR, API Gateway in grove-deploy; S3 in grove-store): the standard chain (environment,
//! profile files, `AWS_PROFILE`, `AWS_REGION`, the credential providers that need no extra
//! crates) plus grove's overrides (a profile, a region, one endpoint URL for every service such
//! as moto or LocalStack, and timeouts), on the smithy HTTP client with rustls on ring, built
//! here so no second TLS stack (aws-lc, native-tls) is compiled in. It must not depend on any
//! grove model crate (forest, format, train, sklearn, request) nor on an HTTP framework (axum,
//! hyper servers): it is a leaf that the crates speaking to AWS share, and what a service
//! client adds on top (S3's path-style addressing, retries off for Lambda's Invoke) stays with
//! that service's crate.

use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
pub use aws_config::SdkConfig;
use aws_config::{BehaviorVersion, Region};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

/// Why no configuration could be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwsError {
    /// No region in the settings, the environment or the profile.
    #[error("no AWS region: set AWS_REGION, a profile's `region`, or pass --region")]
    NoRegion,
    /// The endpoint override is not an HTTP(S) URL.
    #[error("--endpoint-url `{url}` is not an http:// or https:// URL")]
    BadEndpoint {
        /// The URL as given.
        url: String,
    },
}

/// The overrides of the standard AWS configuration; `None` leaves the standard chain's choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    /// A named profile (otherwise `AWS_PROFILE` or `default`).
    pub profile: Option<String>,
    /// A region (otherwise `AWS_REGION` or the profile's).
    pub region: Option<String>,
    /// One endpoint for every service, e.g. `http://127.0.0.1:5000` for moto. The SDK's own
    /// `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` work too.
    pub endpoint_url: Option<String>,
    /// The longest wait for a TCP (and TLS) connection.
    pub connect_timeout: Option<Duration>,
    /// The longest wait for one attempt of an operation (retries get their own).
    pub attempt_timeout: Option<Duration>,
}

impl AwsSettings {
    /// Whether an endpoint other than AWS's is in use: the override, or the SDK's
    /// `AWS_ENDPOINT_URL` (read into `config`) or `AWS_ENDPOINT_URL_<service>` (e.g. `S3`).
    /// S3 against such an endpoint needs path-style addressing.
    pub fn custom_endpoint(&self, config: &SdkConfig, service: &str) -> bool {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        self.endpoint_url.is_some()
            || config.endpoint_url().is_some()
            || set("AWS_ENDPOINT_URL")
            || set(&format!("AWS_ENDPOINT_URL_{}", service.to_ascii_uppercase()))
    }
}

/// Loads the configuration; fails on an endpoint that is not `http://` or `https://`, and when
/// no region is configured anywhere (every grove call is regional).
pub async fn load(settings: &AwsSettings) -> Result<SdkConfig, AwsError> {
    if let Some(url) = &settings.endpoint_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(AwsError::BadEndpoint { url: url.clone() });
        }
    }
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
    if settings.connect_timeout.is_some() || settings.attempt_timeout.is_some() {
        let mut timeouts = TimeoutConfig::builder();
        timeouts
            .set_connect_timeout(settings.connect_timeout)
            .set_operation_attempt_timeout(settings.attempt_timeout);
        loader = loader.timeout_config(timeouts.build());
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(AwsError::NoRegion);
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
    }

    #[test]
    fn settings_reach_the_configuration() {
        let settings = AwsSettings {
            region: Some("eu-west-2".into()),
            endpoint_url: Some("http://127.0.0.1:1".into()),
            connect_timeout: Some(Duration::from_secs(5)),
            attempt_timeout: Some(Duration::from_secs(60)),
            ..AwsSettings::default()
        };
        let config = block_on(load(&settings)).unwrap();
        assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-2"));
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:1"));
        let timeouts = config.timeout_config().unwrap();
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(timeouts.operation_attempt_timeout(), Some(Duration::from_secs(60)));
        assert!(settings.custom_endpoint(&config, "s3"));
    }

    #[test]
    fn an_endpoint_that_is_not_http_is_refused() {
        let settings = AwsSettings {
            region: Some("eu-west-2".into()),
            endpoint_url: Some("127.0.0.1:5000".into()),
            ..AwsSettings::default()
        };
        let error = block_on(load(&settings)).unwrap_err();
        assert_eq!(error, AwsError::BadEndpoint { url: "127.0.0.1:5000".into() });
        assert_eq!(
            error.to_string(),
            "--endpoint-url `127.0.0.1:5000` is not an http:// or https:// URL"
        );
    }
}

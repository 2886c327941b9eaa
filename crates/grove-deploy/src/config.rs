//! The AWS configuration every client of a deploy shares, loaded by grove-aws (the standard
//! chain plus grove's profile, region and endpoint overrides, on the rustls-ring smithy
//! client); grove-deploy adds no setting of its own, so it re-exports the settings type.

pub use grove_aws::{AwsSettings, SdkConfig};

use crate::Result;

/// Loads the configuration; fails on a bad endpoint and when no region is configured anywhere.
pub async fn load(settings: &AwsSettings) -> Result<SdkConfig> {
    Ok(grove_aws::load(settings).await?)
}

//! A configuration with no region anywhere is refused with the message naming the three ways to
//! give one. Its own test binary, because it empties the process's AWS environment.

use grove_aws::{load, AwsError, AwsSettings};

#[test]
fn no_region_anywhere_is_refused() {
    let dir = std::env::temp_dir().join(format!("grove-aws-no-region-{}", std::process::id()));
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL"] {
        std::env::remove_var(name);
    }
    // No profile files, and no instance metadata service to ask (it is not on loopback).
    std::env::set_var("AWS_CONFIG_FILE", dir.join("config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let error = runtime.block_on(load(&AwsSettings::default())).unwrap_err();
    assert_eq!(error, AwsError::NoRegion);
    assert_eq!(
        error.to_string(),
        "no AWS region: set AWS_REGION, a profile's `region`, or pass --region"
    );
}

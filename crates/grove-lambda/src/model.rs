//! The served model, loaded once at init from what `GROVE_MODEL` and `GROVE_MODEL_VERSION`
//! name, through `grove-store`'s one loading path (the one `grove serve` uses). No importer is
//! passed, so this binary serves `.grove` models (built-in, packaged or in S3) only.

use grove_request::ServedModel;
use grove_store::{AwsSettings, ModelLocation};

use crate::LambdaError;

/// Loads and validates the model the environment names: for S3 the pinned version (an id or a
/// label; the latest when unpinned), served under its S3 version id; a built-in or a file
/// under a version derived from its content. S3 is reached with the standard AWS
/// configuration (Lambda's role credentials and region; `AWS_ENDPOINT_URL` for an emulator).
pub async fn load_from_env() -> Result<ServedModel, LambdaError> {
    let setting = std::env::var(grove_store::MODEL_VAR).unwrap_or_default();
    let failed = |error: grove_store::StoreError| LambdaError::model(&setting, &error);
    let (location, version) = ModelLocation::from_env().map_err(failed)?;
    grove_store::load(&location, version.as_deref(), &AwsSettings::default(), None)
        .await
        .map_err(failed)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    async fn load(
        setting: Option<&str>,
        version: Option<&str>,
    ) -> Result<ServedModel, LambdaError> {
        let location = ModelLocation::from_setting(setting, Some(Path::new("/var/task")))
            .map_err(|e| LambdaError::model(setting.unwrap_or_default(), &e))?;
        grove_store::load(&location, version, &AwsSettings::default(), None)
            .await
            .map_err(|e| LambdaError::model(setting.unwrap_or_default(), &e))
    }

    #[tokio::test]
    async fn the_store_error_kind_is_the_error_type() {
        assert_eq!(load(None, None).await.unwrap().name(), "wine-quality");
        let pinned = load(None, Some("v1")).await.unwrap_err();
        assert_eq!(pinned.error_type(), "Unversioned");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.grove");
        std::fs::write(&path, b"not a model").unwrap();
        let err = load(path.to_str(), None).await.unwrap_err();
        assert_eq!(err.error_type(), "NotGrove");
        assert!(err.to_string().contains("not a .grove file"), "{err}");

        let missing = dir.path().join("missing.grove");
        let err = load(missing.to_str(), None).await.unwrap_err();
        assert_eq!(err.error_type(), "NoSuchModel");
        assert!(err.to_string().contains("GROVE_MODEL"), "{err}");

        let err = load(Some("s3://bucket-only"), None).await.unwrap_err();
        assert_eq!(err.error_type(), "InvalidLocation");
    }
}

use std::borrow::Cow;
use std::path::Path;

use anyhow::{bail, Context, Result};
use grove_forest::Forest;
use grove_request::ServedModel;
use grove_sklearn::ImportOptions;

use crate::cli::ModelOptions;

/// Opens a model named on the command line: a built-in name (`wine-quality`), a `.grove` file,
/// or anything the scikit-learn importer reads (pickle, joblib, MLflow directory, `.skops`).
pub fn load_model(spec: &str, options: &ModelOptions) -> Result<Forest> {
    if let Some(bytes) = grove_bytes(spec)? {
        return grove_format::from_bytes(&bytes).with_context(|| format!("cannot load `{spec}`"));
    }
    let opts = ImportOptions {
        target_name: options.target_name.clone(),
        feature_names: options.feature_names.clone(),
        name: options.name.clone(),
    };
    let parts = grove_sklearn::load_path(Path::new(spec), &opts)
        .with_context(|| format!("cannot import `{spec}`"))?;
    Ok(Forest::new(parts)?)
}

/// [`load_model`] for serving: a `.grove` file or a built-in model is served under its own
/// checksum (no second encoding at start), anything imported under that of its encoding.
pub fn load_served(spec: &str, options: &ModelOptions) -> Result<ServedModel> {
    match grove_bytes(spec)? {
        Some(bytes) => {
            ServedModel::from_grove_bytes(&bytes).with_context(|| format!("cannot load `{spec}`"))
        }
        None => Ok(ServedModel::with_content_version(load_model(spec, options)?)),
    }
}

/// The `.grove` bytes `spec` names (a built-in model or a `.grove` file), or `None` for a
/// model to import; an error when `spec` names nothing.
fn grove_bytes(spec: &str) -> Result<Option<Cow<'static, [u8]>>> {
    if let Some(bytes) = grove_builtin::bytes_by_name(spec) {
        return Ok(Some(Cow::Borrowed(bytes)));
    }
    let path = Path::new(spec);
    if !path.exists() {
        bail!(
            "no model `{spec}`: not a file, and not a built-in model (built-in: {})",
            grove_builtin::WINE_QUALITY
        );
    }
    if path.is_file() {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read `{spec}`"))?;
        if grove_format::is_grove(&bytes) {
            return Ok(Some(Cow::Owned(bytes)));
        }
    }
    Ok(None)
}

use std::path::Path;

use anyhow::{bail, Context, Result};
use grove_forest::Forest;
use grove_sklearn::ImportOptions;

use crate::cli::ModelOptions;

/// Opens a model named on the command line: a built-in name (`wine-quality`), a `.grove` file,
/// or anything the scikit-learn importer reads (pickle, joblib, MLflow directory, `.skops`).
pub fn load_model(spec: &str, options: &ModelOptions) -> Result<Forest> {
    if let Some(builtin) = grove_builtin::by_name(spec) {
        return builtin.with_context(|| format!("the built-in model `{spec}` is damaged"));
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
            return grove_format::from_bytes(&bytes)
                .with_context(|| format!("cannot load `{spec}`"));
        }
    }
    let opts = ImportOptions {
        target_name: options.target_name.clone(),
        feature_names: options.feature_names.clone(),
        name: options.name.clone(),
    };
    let parts =
        grove_sklearn::load_path(path, &opts).with_context(|| format!("cannot import `{spec}`"))?;
    Ok(Forest::new(parts)?)
}

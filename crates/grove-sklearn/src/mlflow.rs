//! MLflow model directories: `MLmodel` (YAML) names the sklearn flavour's model file and how
//! it was serialised (pickle, cloudpickle or skops).

use std::path::{Component, Path};

use grove_forest::ForestParts;
use serde_yaml_ng::Value as Yaml;

use crate::error::{ImportError, Result};
use crate::{from_bytes, read, skops, ImportOptions};

/// Loads the sklearn model of the MLflow model directory `dir`.
pub(crate) fn load_dir(dir: &Path, opts: &ImportOptions, source: &str) -> Result<ForestParts> {
    let mlmodel = dir.join("MLmodel");
    if !mlmodel.is_file() {
        return Err(ImportError::UnknownFormat(format!(
            "{} is a directory without an MLmodel file, so not an MLflow model",
            dir.display()
        )));
    }
    let text = read(&mlmodel)?;
    let yaml: Yaml = serde_yaml_ng::from_slice(&text)
        .map_err(|e| ImportError::Mlflow(format!("MLmodel is not valid YAML: {e}")))?;
    let flavors = yaml
        .get("flavors")
        .ok_or_else(|| ImportError::Mlflow("MLmodel has no `flavors`".into()))?;
    let (file, format) = match flavors.get("sklearn") {
        Some(sk) => (
            sk.get("pickled_model").and_then(Yaml::as_str),
            sk.get("serialization_format").and_then(Yaml::as_str).unwrap_or("cloudpickle"),
        ),
        None => {
            let names: Vec<&str> = flavors
                .as_mapping()
                .map(|m| m.keys().filter_map(Yaml::as_str).collect())
                .unwrap_or_default();
            return Err(ImportError::Mlflow(format!(
                "the model has no sklearn flavour (flavours: {})",
                names.join(", ")
            )));
        }
    };
    let file = file.ok_or_else(|| {
        ImportError::Mlflow("the sklearn flavour names no `pickled_model`".into())
    })?;
    let rel = Path::new(file);
    // The model file must live inside the directory.
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(ImportError::Mlflow(format!(
            "`pickled_model: {file}` points outside the model directory"
        )));
    }
    let bytes = read(&dir.join(rel))?;
    match format {
        "skops" => skops::load(&bytes, opts, Some(source)),
        "pickle" | "cloudpickle" => from_bytes(&bytes, opts, Some(source)),
        other => Err(ImportError::Mlflow(format!(
            "serialization_format `{other}` is not supported (pickle, cloudpickle, skops are)"
        ))),
    }
}

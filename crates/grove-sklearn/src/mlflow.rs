//! MLflow model directories: `MLmodel` (YAML) names the sklearn flavour's model file and how
//! it was serialised (pickle, cloudpickle or skops). `MLmodel` is untrusted input, so it is
//! parsed by serde-saphyr (safe Rust) under a budget far below its defaults: an `MLmodel` is a
//! few dozen lines, and anchors/aliases (the "billion laughs" shape) have no use in one.

use std::path::{Component, Path};

use grove_forest::ForestParts;
use serde_json::Value as Yaml;

use crate::error::{ImportError, Result};
use crate::{from_bytes, read, skops, ImportOptions};

/// The part of `MLmodel` grove reads; its other keys are skipped unread. `flavors` is kept as
/// a tree (key order kept) because only the sklearn flavour's two keys matter and every other
/// flavour's layout is its library's business.
#[derive(serde::Deserialize)]
struct MlModel {
    flavors: Option<Yaml>,
}

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
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 100_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    let yaml: MlModel = serde_saphyr::from_slice_with_options(&text, options)
        .map_err(|e| ImportError::Mlflow(format!("MLmodel is not valid YAML: {e}")))?;
    let flavors =
        yaml.flavors.ok_or_else(|| ImportError::Mlflow("MLmodel has no `flavors`".into()))?;
    let flavors = &flavors;
    let (file, format) = match flavors.get("sklearn") {
        Some(sk) => (
            sk.get("pickled_model").and_then(Yaml::as_str),
            sk.get("serialization_format").and_then(Yaml::as_str).unwrap_or("cloudpickle"),
        ),
        None => {
            let names: Vec<&str> = flavors
                .as_object()
                .map(|m| m.keys().map(String::as_str).collect())
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

//! Opening the model a command names: grove-store's one parser and loader, with
//! scikit-learn's importer added. This is the only place the importer joins the loading path,
//! which keeps it out of the Lambda binary (that loads through grove-store with no importer).

use std::borrow::Cow;
use std::error::Error;
use std::path::Path;

use anyhow::{bail, Result};
use grove_forest::Forest;
use grove_request::ServedModel;
use grove_sklearn::ImportOptions;
use grove_store::{Importer, LocalModel, ModelLocation};

use crate::cli::ModelOptions;

/// grove-sklearn as grove-store's [`Importer`], with the choices the command line makes.
struct Sklearn(ImportOptions);

impl Importer for Sklearn {
    fn import(
        &self,
        path: &Path,
        bytes: Option<&[u8]>,
    ) -> Result<Forest, Box<dyn Error + Send + Sync>> {
        let parts = grove_sklearn::load_file(path, bytes, &self.0)?;
        Ok(Forest::new(parts)?)
    }
}

fn importer(options: &ModelOptions) -> Sklearn {
    Sklearn(ImportOptions {
        target_name: options.target_name.clone(),
        feature_names: options.feature_names.clone(),
        name: options.name.clone(),
    })
}

/// Reads the local model `spec` names (a built-in name, a `.grove` file, or anything the
/// scikit-learn importer reads: pickle, joblib, MLflow directory, `.skops`), once.
fn open(spec: &str) -> Result<LocalModel> {
    let location = ModelLocation::parse(spec)?;
    if let ModelLocation::S3(_) = location {
        bail!("`{spec}` is in S3: this command reads a local model (`grove serve` reads S3 ones)");
    }
    Ok(grove_store::open_local(&location)?)
}

/// The model `spec` names, validated.
pub fn load_model(spec: &str, options: &ModelOptions) -> Result<Forest> {
    Ok(open(spec)?.forest(Some(&importer(options)))?)
}

/// [`load_model`] for serving: a `.grove` file or a built-in model is served under its own
/// checksum (no second encoding at start), anything imported under that of its encoding.
pub fn load_served(spec: &str, options: &ModelOptions) -> Result<ServedModel> {
    Ok(open(spec)?.served(Some(&importer(options)))?)
}

/// The model as validated `.grove` bytes: a `.grove` file's own (the same file makes the same
/// package or upload), anything else imported and encoded.
pub fn grove_bytes(spec: &str, options: &ModelOptions) -> Result<Cow<'static, [u8]>> {
    Ok(open(spec)?.into_grove_bytes(Some(&importer(options)))?)
}

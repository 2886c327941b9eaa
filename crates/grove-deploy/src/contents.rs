//! What a Lambda package holds, whatever its form: the checked bootstrap and either a
//! `model.grove` or the name of a model the bootstrap embeds. `grove package` writes it as a
//! zip or an image, `grove deploy` uploads it; both read the `GROVE_MODEL` setting from here so
//! the file's place in the package and the variable that points at it cannot disagree.

use crate::bootstrap::Bootstrap;
use crate::{oci, zip, Result};

/// The model a package serves.
#[derive(Debug, Clone)]
pub enum PackagedModel {
    /// `.grove` bytes, shipped as `model.grove`.
    File(Vec<u8>),
    /// A model built into the bootstrap (e.g. `wine-quality`): nothing is copied.
    BuiltIn(String),
}

/// The bootstrap and its model, ready to package.
#[derive(Debug)]
pub struct Contents {
    /// The checked Lambda binary.
    pub bootstrap: Bootstrap,
    /// What it serves.
    pub model: PackagedModel,
}

impl Contents {
    /// `model.grove`'s bytes, when the model is a file.
    pub fn model_file(&self) -> Option<&[u8]> {
        match &self.model {
            PackagedModel::File(bytes) => Some(bytes),
            PackagedModel::BuiltIn(_) => None,
        }
    }

    /// The model setting for the zip: `model.grove`, relative to `LAMBDA_TASK_ROOT` where
    /// Lambda unpacks it, or the built-in name.
    pub fn zip_model_setting(&self) -> String {
        self.model_setting(zip::MODEL)
    }

    /// The model setting for the image: the file's absolute place in the image, or the
    /// built-in name.
    pub fn image_model_setting(&self) -> String {
        self.model_setting(oci::MODEL_PATH)
    }

    fn model_setting(&self, file: &str) -> String {
        match &self.model {
            PackagedModel::File(_) => file.to_string(),
            PackagedModel::BuiltIn(name) => name.clone(),
        }
    }

    /// `bootstrap.zip`'s bytes.
    pub fn zip(&self) -> Result<Vec<u8>> {
        zip::lambda_zip(&self.bootstrap.bytes, self.model_file())
    }

    /// The OCI image, with the shared libraries a dynamic bootstrap needs and `model_var` (the
    /// variable the bootstrap reads its model from) set in its configuration.
    pub fn image(&self, model_var: &str) -> Result<oci::Image> {
        let libraries = crate::elf::runtime_libraries(&self.bootstrap.elf)?;
        let files = oci::lambda_files(&self.bootstrap.bytes, self.model_file(), libraries);
        let env = [(model_var.to_string(), self.image_model_setting())];
        oci::build(&files, &env)
    }
}

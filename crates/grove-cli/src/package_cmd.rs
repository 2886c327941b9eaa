//! `grove package`: the Lambda binary beside `grove` (checked for provided.al2023's glibc) and
//! the model as `model.grove`, zipped as `bootstrap.zip` or built into an OCI image (written as
//! an image layout, and pushed when a registry is named). Also the preparation `grove deploy`
//! shares ([`prepare`]: grove-deploy's [`Contents`]).

use std::io::Write;

use anyhow::{Context, Result};
use grove_deploy::contents::{Contents, PackagedModel};
use grove_deploy::{oci, registry};

use crate::cli::{BootstrapOptions, ModelOptions, PackageArgs};
use crate::load::grove_bytes;
use crate::output::Output;
use crate::settings::runtime;

/// Finds and checks the bootstrap, and converts the model (a built-in one is not copied: the
/// bootstrap embeds it).
pub fn prepare(
    model: &str,
    options: &ModelOptions,
    bootstrap: &BootstrapOptions,
) -> Result<Contents> {
    let exe = std::env::current_exe().context("cannot find the running `grove` executable")?;
    let path = grove_deploy::bootstrap::locate(bootstrap.bootstrap.as_deref(), &exe);
    let bootstrap = grove_deploy::bootstrap::read(&path)?;
    let model = match grove_builtin::by_name(model) {
        Some(_) => PackagedModel::BuiltIn(model.to_string()),
        None => PackagedModel::File(grove_bytes(model, options)?.into_owned()),
    };
    Ok(Contents { bootstrap, model })
}

pub fn run(args: &PackageArgs, output: &Output) -> Result<()> {
    let prepared = prepare(&args.model, &args.options, &args.bootstrap)?;
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create `{}`", args.output.display()))?;
    let mut out = output.answer();
    if !args.ship.image {
        let bytes = prepared.zip()?;
        let path = args.output.join("bootstrap.zip");
        std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        writeln!(out, "wrote {}: {}", path.display(), size(bytes.len()))?;
        writeln!(
            out,
            "  bootstrap: {} (from {})",
            size(prepared.bootstrap.bytes.len()),
            prepared.bootstrap.path.display()
        )?;
        if let Some(model) = prepared.model_file() {
            writeln!(out, "  model.grove: {}", size(model.len()))?;
        }
        writeln!(out, "  CodeSha256: {}", grove_deploy::code_sha256(&bytes))?;
        writeln!(
            out,
            "  runtime provided.al2023, x86_64, handler bootstrap, GROVE_MODEL={}",
            prepared.zip_model_setting()
        )?;
        return Ok(());
    }
    let image = prepared.image(grove_store::MODEL_VAR)?;
    let tag = match &args.ship.registry {
        Some(text) => text.parse::<registry::Reference>()?.tag,
        None => "latest".to_string(),
    };
    let layout = args.output.join("image");
    oci::write_layout(&image, &layout, &tag)?;
    writeln!(
        out,
        "wrote the OCI image layout {}: layer {}",
        layout.display(),
        size(image.layer.bytes.len())
    )?;
    writeln!(out, "  image {}", image.manifest.digest)?;
    if !prepared.bootstrap.elf.is_static() {
        writeln!(
            out,
            "  the bootstrap is dynamically linked: the image holds this machine's {}",
            prepared.bootstrap.elf.needed.join(", ")
        )?;
    }
    if let Some(text) = &args.ship.registry {
        let reference: registry::Reference = text.parse()?;
        let credentials = ecr_credentials(&reference.registry)?;
        let pushed = registry::push(&image, &reference, credentials.as_ref())?;
        writeln!(
            out,
            "pushed {reference} ({} of 2 blobs uploaded, {}): {}",
            pushed.uploaded,
            size(pushed.bytes),
            reference.by_digest(&pushed.digest)
        )?;
    }
    Ok(())
}

/// For an ECR registry, credentials from `GetAuthorizationToken` (standard AWS configuration,
/// the registry's region); none for any other registry.
fn ecr_credentials(registry: &str) -> Result<Option<registry::Credentials>> {
    if !grove_deploy::deploy::is_ecr(registry) {
        return Ok(None);
    }
    let options = grove_deploy::config::AwsSettings {
        region: grove_deploy::ecr::registry_region(registry),
        ..Default::default()
    };
    let credentials = runtime()?.block_on(async {
        let sdk = grove_deploy::config::load(&options).await?;
        grove_deploy::ecr::credentials(&aws_sdk_ecr_client(&sdk)).await
    })?;
    Ok(Some(credentials))
}

fn aws_sdk_ecr_client(sdk: &grove_deploy::config::SdkConfig) -> grove_deploy::ecr::Client {
    grove_deploy::ecr::Client::new(sdk)
}

/// `2.41 MB (2412345 bytes)`.
pub fn size(bytes: usize) -> String {
    format!("{:.2} MB ({bytes} bytes)", bytes as f64 / 1e6)
}

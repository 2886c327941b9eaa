//! `grove push MODEL s3://bucket/key`: upload a model as a new S3 version of that key.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use grove_store::{PushOptions, S3Store};

use crate::cli::ModelOptions;
use crate::load::grove_bytes;
use crate::store_args::{runtime, s3_location, StoreArgs};

#[derive(Debug, Args)]
pub struct PushArgs {
    /// A `.grove` file (uploaded as is), a scikit-learn pickle/joblib/MLflow model (converted to
    /// `.grove` first) or a built-in name (`wine-quality`).
    pub model: String,
    /// Where: `s3://bucket/key`. Every push is a new S3 object version of that key.
    #[arg(value_name = "S3_URI")]
    pub destination: String,
    /// A human label for this version (`grove models` shows it; `grove rollback --to` and
    /// `--model-version` accept it).
    #[arg(long)]
    pub label: Option<String>,
    /// Create the bucket, with versioning on, if it does not exist.
    #[arg(long)]
    pub create_bucket: bool,
    /// Turn versioning on in an existing bucket that does not keep versions.
    #[arg(long)]
    pub enable_versioning: bool,
    /// Print the new version as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub options: ModelOptions,
}

/// Prints the new version id on standard output (with `--json`, the whole version).
pub fn run(args: &PushArgs) -> Result<()> {
    let location = s3_location(&args.destination)?;
    let bytes = grove_bytes(&args.model, &args.options)?;
    let push = PushOptions {
        label: args.label.clone(),
        create_bucket: args.create_bucket,
        enable_versioning: args.enable_versioning,
    };
    let info = runtime()?.block_on(async {
        let store = S3Store::connect(location.clone(), &args.store.options()).await?;
        store.push(&bytes, &push).await
    })?;
    eprintln!(
        "pushed `{}` to {location}: version {}{} ({}, checksum {})",
        args.model,
        info.version_id,
        info.label.as_deref().map(|l| format!(" `{l}`")).unwrap_or_default(),
        info.schema_summary(),
        info.checksum.as_deref().unwrap_or("?"),
    );
    let out = if args.json { info.to_json().to_string() } else { info.version_id };
    writeln!(std::io::stdout().lock(), "{out}")?;
    Ok(())
}

//! `grove push MODEL s3://bucket/key`: upload a model as a new S3 version of that key.

use std::io::Write;

use anyhow::Result;
use grove_store::{PushOptions, S3Store};

use crate::cli::PushArgs;
use crate::load::grove_bytes;
use crate::output::Output;
use crate::settings::{runtime, s3_location};

/// Prints the new version id on standard output (with `--json`, the whole version).
pub fn run(args: &PushArgs, out: &Output) -> Result<()> {
    let location = s3_location(&args.destination)?;
    let bytes = grove_bytes(&args.model, &args.options)?;
    let push = PushOptions {
        label: args.label.clone(),
        create_bucket: args.create_bucket,
        enable_versioning: args.enable_versioning,
    };
    let info = runtime()?.block_on(async {
        let store = S3Store::connect(location.clone(), &args.aws.settings()).await?;
        store.push(&bytes, &push).await
    })?;
    out.report(format_args!(
        "pushed `{}` to {location}: version {}{} ({}, checksum {})",
        args.model,
        info.version_id,
        info.label.as_deref().map(|l| format!(" `{l}`")).unwrap_or_default(),
        info.schema_summary(),
        info.checksum.as_deref().unwrap_or("?"),
    ))?;
    let answer = if args.json { info.to_json().to_string() } else { info.version_id };
    writeln!(out.answer(), "{answer}")?;
    Ok(())
}

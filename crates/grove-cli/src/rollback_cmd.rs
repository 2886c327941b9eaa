//! `grove rollback s3://bucket/key --to VERSION`: make an old version the latest again.

use std::io::Write;

use anyhow::Result;
use grove_store::S3Store;

use crate::cli::RollbackArgs;
use crate::output::Output;
use crate::settings::{runtime, s3_location};

/// Copies the version on top (a new S3 version with the same bytes and metadata), so servers
/// and functions following the key pick it up as they pick up a push. Prints the new id.
pub fn run(args: &RollbackArgs, out: &Output) -> Result<()> {
    let location = s3_location(&args.location)?;
    let info = runtime()?.block_on(async {
        S3Store::connect(location.clone(), &args.aws.settings()).await?.rollback(&args.to).await
    })?;
    out.report(format_args!(
        "rolled {location} back to `{}`: it is now the latest, as version {}",
        args.to, info.version_id
    ))?;
    let answer = if args.json { info.to_json().to_string() } else { info.version_id };
    writeln!(out.answer(), "{answer}")?;
    Ok(())
}

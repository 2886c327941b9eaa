//! `grove rollback s3://bucket/key --to VERSION`: make an old version the latest again.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use grove_store::S3Store;

use crate::store_args::{runtime, s3_location, StoreArgs};

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The model: `s3://bucket/key`.
    #[arg(value_name = "S3_URI")]
    pub location: String,
    /// The version to bring back: a version id or a label.
    #[arg(long, value_name = "VERSION")]
    pub to: String,
    /// Print the new version as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Copies the version on top (a new S3 version with the same bytes and metadata), so servers
/// and functions following the key pick it up as they pick up a push. Prints the new id.
pub fn run(args: &RollbackArgs) -> Result<()> {
    let location = s3_location(&args.location)?;
    let info = runtime()?.block_on(async {
        S3Store::connect(location.clone(), &args.store.options()).await?.rollback(&args.to).await
    })?;
    eprintln!(
        "rolled {location} back to `{}`: it is now the latest, as version {}",
        args.to, info.version_id
    );
    let out = if args.json { info.to_json().to_string() } else { info.version_id };
    writeln!(std::io::stdout().lock(), "{out}")?;
    Ok(())
}

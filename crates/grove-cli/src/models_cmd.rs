//! `grove models s3://bucket/key`: the versions of a model, newest first.

use std::io::Write;

use anyhow::Result;
use grove_store::{S3Store, VersionInfo};

use crate::cli::ModelsArgs;
use crate::output::Output;
use crate::settings::{runtime, s3_location};

/// The table: one row per version, `*` marking the latest (what servers load and follow).
pub fn table(versions: &[VersionInfo]) -> String {
    let header = ["", "VERSION", "LABEL", "MODIFIED", "CHECKSUM", "SCHEMA"];
    let rows: Vec<[String; 6]> = versions
        .iter()
        .map(|v| {
            [
                if v.is_latest { "*".into() } else { String::new() },
                v.version_id.clone(),
                v.label.clone().unwrap_or_else(|| "-".into()),
                v.last_modified.clone().unwrap_or_else(|| "-".into()),
                v.checksum.clone().unwrap_or_else(|| "-".into()),
                format!(
                    "{}{}",
                    v.schema_summary(),
                    v.schema.as_deref().map(|s| format!(" [{s}]")).unwrap_or_default()
                ),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ");
        s.truncate(s.trim_end().len());
        s + "\n"
    };
    let mut out = line(&header.map(String::from));
    for row in &rows {
        out += &line(row);
    }
    out
}

pub fn run(args: &ModelsArgs, out: &Output) -> Result<()> {
    let location = s3_location(&args.location)?;
    let versions = runtime()?.block_on(async {
        S3Store::connect(location.clone(), &args.aws.settings()).await?.versions().await
    })?;
    let text = if args.json {
        serde_json::Value::Array(versions.iter().map(VersionInfo::to_json).collect()).to_string()
            + "\n"
    } else if versions.is_empty() {
        anyhow::bail!("no model at {location} (no versions)");
    } else {
        table(&versions)
    };
    out.answer().write_all(text.as_bytes())?;
    Ok(())
}
